"""Words deploycheck writes into results, kept untranslated until someone reads them.

A run is stored once and read by people in other languages: a release phase with English
settings, a French member of staff in the admin. So a finding does not hold a sentence in the
language the run happened to speak; it holds a :class:`Message`, the English text as it appears
in the catalogue (its msgid) with its parameters, translated each time it is shown.

Modules that write findings import :func:`later` as ``_`` and :func:`plural_later` as
``ngettext``: ``makemessages`` collects their strings as it collects gettext's, and the code
reads as usual (``_("%(app)s has no web dyno.") % {"app": name}``). In deploycheck ``_`` always
means :func:`later`; a module that translates at once calls ``gettext`` or ``gettext_lazy`` by
name (``tests/test_layout.py`` holds this).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Number
from typing import Any, Union

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext

# A message's parameter: a value shown as it is, or another message translated with it.
Param = Union[str, int, float, "Message"]


def _kept(value: Any) -> Param:
    """A parameter as a message keeps it: fixed now, and fit to be stored as JSON."""
    if isinstance(value, Message | int | float):
        return value
    if isinstance(value, Number) and not isinstance(value, complex):  # Decimal, Fraction
        return float(value)  # type: ignore[arg-type]  # still a number for "%.2f" and "%d"
    # A lazy translation is evaluated, as it would be by "%".
    return str(value)


def _shown(value: Param) -> Any:
    return str(value) if isinstance(value, Message) else value


@dataclass(frozen=True)
class Message:
    """An English message (a msgid) and its parameters; ``str()`` gives it in the current language."""

    text: str
    params: Mapping[str, Param] = field(default_factory=dict)
    # With ``plural``, ``count`` chooses the form, as ngettext does.
    plural: str = ""
    count: int = 0
    # Values for "%s" placeholders, for a message written with them rather than with names.
    args: tuple[Param, ...] = ()

    def __mod__(self, params: Any) -> Message:
        if isinstance(params, Mapping):
            kept = {name: _kept(value) for name, value in params.items()}
            return Message(self.text, {**self.params, **kept}, self.plural, self.count)
        args = params if isinstance(params, tuple) else (params,)
        return Message(self.text, self.params, self.plural, self.count, tuple(_kept(value) for value in args))

    def __str__(self) -> str:
        template = ngettext(self.text, self.plural, self.count) if self.plural else gettext(self.text)
        if not self.params and not self.args:
            return template
        values: tuple[Any, ...] | dict[str, Any] = (
            tuple(map(_shown, self.args)) if self.args else {name: _shown(value) for name, value in self.params.items()}
        )
        try:
            return template % values
        except (KeyError, ValueError, TypeError):
            # A row stored by another version may lack a parameter its translation now names.
            english = self.text if not self.plural or self.count == 1 else self.plural
            try:
                return english % values
            except (KeyError, ValueError, TypeError):
                return english

    def untranslated(self) -> str:
        with translation.override(None):
            return str(self)

    def as_data(self) -> dict[str, Any]:
        """A JSON-ready form that :meth:`from_data` reads back."""
        data: dict[str, Any] = {"text": self.text}
        if self.plural:
            data.update(plural=self.plural, count=self.count)
        if self.params:
            data["params"] = {name: _as_data(value) for name, value in self.params.items()}
        if self.args:
            data["args"] = [_as_data(value) for value in self.args]
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Message:
        def read(value: Any) -> Param:
            return cls.from_data(value) if isinstance(value, Mapping) else value

        return cls(
            str(data["text"]),
            {name: read(value) for name, value in (data.get("params") or {}).items()},
            str(data.get("plural") or ""),
            int(data.get("count") or 0),
            tuple(read(value) for value in data.get("args") or ()),
        )

    def map_values(self, change: Any) -> Message:
        """The same message with ``change`` applied to every parameter that is text."""

        def changed(value: Param) -> Param:
            if isinstance(value, Message):
                return value.map_values(change)
            return change(value) if isinstance(value, str) else value

        return Message(
            self.text,
            {name: changed(value) for name, value in self.params.items()},
            self.plural,
            self.count,
            tuple(map(changed, self.args)),
        )


def _as_data(value: Param) -> Any:
    return value.as_data() if isinstance(value, Message) else value


def later(text: str) -> Message:
    """Mark ``text`` for translation when it is read; imported as ``_`` by the check modules."""
    return Message(text)


def plural_later(singular: str, plural: str, count: int) -> Message:
    """As ngettext, translated when read; imported as ``ngettext`` by the check modules."""
    return Message(singular, plural=plural, count=count)


def joined(parts: Sequence[Message | str], separator: str = ", ") -> Message | str:
    """``separator.join(parts)`` without translating the parts: each is translated when the whole is read."""
    if all(isinstance(part, str) for part in parts):
        return separator.join(str(part) for part in parts)
    if len(parts) == 1:
        return parts[0]
    # Not a msgid: gettext hands back a text it does not know as it is.
    names = [f"part{index}" for index in range(len(parts))]
    template = separator.replace("%", "%%").join(f"%({name})s" for name in names)
    return Message(template, dict(zip(names, parts, strict=True)))


# How Django's messages read in the reader's language. The django family gives it when it is loaded
# (deploycheck.families.django.words; the app's ready() loads every family); until then, Django's words.
_django_rendition: Callable[[str, str, bool], str] | None = None


def render_django_messages_with(rendition: Callable[[str, str, bool], str]) -> None:
    global _django_rendition
    _django_rendition = rendition


@dataclass(frozen=True)
class DjangoMessage:
    """A message of Django's system checks: stored as Django wrote it, in English.

    Readers of another language get deploycheck's rendition of the messages it knows, values
    kept (see deploycheck.families.django.words); English readers get Django's words. With
    ``hint``, the text is the hint of the message ``message_id``.
    """

    message_id: str
    original: str
    hint: bool = False

    def __str__(self) -> str:
        if _django_rendition is None:
            return self.original
        return _django_rendition(self.message_id, self.original, self.hint)

    def untranslated(self) -> str:
        return self.original

    def as_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"django": self.message_id, "text": self.original}
        if self.hint:
            data["hint"] = True
        return data


# What a check may say: deploycheck's own deferred message, a lazy translation or plain text.
Text = str | Promise | Message | DjangoMessage


def data_of(text: Text) -> dict[str, Any] | None:
    """How ``text`` is stored without a language, or None when it can only be stored as it reads."""
    return text.as_data() if isinstance(text, Message | DjangoMessage) else None


def from_data(data: Any, fallback: str) -> Text:
    """A stored text read back; ``fallback`` (the stored column) when there is no usable data."""
    if not isinstance(data, Mapping) or not isinstance(data.get("text"), str):
        return fallback
    if isinstance(data.get("django"), str):
        return DjangoMessage(data["django"], data["text"], hint=data.get("hint") is True)
    try:
        return Message.from_data(data)
    except (TypeError, ValueError, KeyError):
        return fallback


def stored_text(text: Text) -> str:
    """The text as stored in the database's text columns: untranslated when it can be."""
    return text.untranslated() if isinstance(text, Message | DjangoMessage) else str(text)
