"""Messages stored without a language, translated when read (deploycheck.core.deferred_text)."""

from __future__ import annotations

import pytest
from django.utils import translation

from deploycheck.core.deferred_text import DjangoMessage, Message, data_of, from_data, later, plural_later, stored_text


def in_language(language: str, text: object) -> str:
    with translation.override(language):
        return str(text)


def test_a_message_is_translated_each_time_it_is_read():
    message = later("%(count)d migration is not applied on database %(alias)s: %(names)s.") % {
        "count": 1,
        "alias": "default",
        "names": "shop.0002_price",
    }
    assert in_language("en", message) == "1 migration is not applied on database default: shop.0002_price."
    assert in_language("fr", message) != in_language("en", message)
    assert "default" in in_language("fr", message)
    assert message.untranslated() == in_language("en", message)


def test_plural_forms_follow_the_count_in_each_language():
    def message(count: int) -> Message:
        return plural_later("%(items)s and %(count)d other", "%(items)s and %(count)d others", count) % {
            "items": "a, b",
            "count": count,
        }

    assert in_language("en", message(1)) == "a, b and 1 other"
    assert in_language("en", message(3)) == "a, b and 3 others"
    assert in_language("fr", message(3)).startswith("a, b")
    assert in_language("fr", message(1)) != in_language("fr", message(3))


def test_a_nested_message_is_translated_with_the_one_that_quotes_it():
    reason = later("permission denied")
    outer = later("Could not gather what this check needs: %(reason)s") % {"reason": reason}
    assert in_language("en", outer) == "Could not gather what this check needs: permission denied"
    french = in_language("fr", outer)
    assert "permission denied" not in french
    assert in_language("fr", reason) in french


def test_data_round_trip_keeps_everything():
    message = later("Could not gather what this check needs: %(reason)s") % {
        "reason": plural_later("%(items)s and %(count)d other", "%(items)s and %(count)d others", 2)
        % {"items": "x", "count": 2}
    }
    data = data_of(message)
    assert data is not None
    assert from_data(data, "fallback") == message
    assert data_of(DjangoMessage("security.W004", "You have not set...")) == {
        "django": "security.W004",
        "text": "You have not set...",
    }
    assert from_data(data_of(DjangoMessage("security.W004", "x")), "") == DjangoMessage("security.W004", "x")
    hint = DjangoMessage("mail.W001", "Add a 'default' entry to MAILERS.", hint=True)
    assert from_data(data_of(hint), "") == hint


@pytest.mark.parametrize(
    "data", [None, {}, {"text": 3}, {"params": {}}, "text", {"text": "x", "count": "many", "plural": "y"}]
)
def test_unusable_data_reads_as_the_stored_column(data):
    assert from_data(data, "as stored") == "as stored"


def test_a_message_missing_a_parameter_still_reads():
    # A row written by another version may lack a parameter the text now names.
    message = Message("%(app)s has no web dyno.", {"other": "x"})
    assert in_language("en", message) == "%(app)s has no web dyno."
    assert in_language("fr", message)


def test_values_are_fixed_when_given_and_text_of_other_kinds_is_stored_as_it_reads():
    message = later("DEBUG is off") % {"unused": translation.gettext_lazy("passed")}
    assert message.params == {"unused": "passed"}
    assert stored_text("plain") == "plain"
    assert stored_text(later("DEBUG is off")) == "DEBUG is off"
    assert data_of("plain") is None


def test_numbers_of_any_kind_keep_their_format():
    from decimal import Decimal
    from fractions import Fraction

    message = later("%(amount).2f or %(whole)d") % {"amount": Decimal("2.5"), "whole": Fraction(7, 2)}
    assert in_language("en", message) == "2.50 or 3"
    assert from_data(data_of(message), "") == message


def test_positional_placeholders_work_as_with_gettext():
    message = later("%s and %s") % ("a", later("permission denied"))
    assert in_language("en", message) == "a and permission denied"
    assert in_language("en", later("just %s") % "one") == "just one"
    assert from_data(data_of(message), "") == message
