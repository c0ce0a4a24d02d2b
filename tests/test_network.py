"""Connection failures explained in the reader's language, from real failed connections on loopback."""

from __future__ import annotations

import pytest
import requests
from django.utils import translation

from deploycheck.network import failure_reason
from deploycheck.text import Message
from tests.heroku_fake import refused_url


def failure(url: str) -> requests.RequestException:
    with pytest.raises(requests.RequestException) as raised:
        requests.get(url, timeout=5)
    return raised.value


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "the connection was refused"), ("fr", "la connexion a été refusée")],
)
def test_a_refused_connection(language, expected):
    # The reason is kept without a language and said in the reader's.
    reason = failure_reason(failure(refused_url()))
    assert isinstance(reason, Message)
    with translation.override(language):
        assert str(reason) == expected


def test_a_host_name_that_does_not_resolve():
    with translation.override("fr"):
        assert str(failure_reason(failure("https://deploycheck-test.invalid/"))) == "le nom d'hôte ne se résout pas"


def test_an_untrusted_certificate(site):
    url = site("secure", "127.0.0.41", trusted=False)
    with translation.override("fr"):
        assert str(failure_reason(failure(url))) == "son certificat n'est pas reconnu"
