"""Connection failures explained in the reader's language, from real failed connections on loopback."""

from __future__ import annotations

import pytest
import requests
from django.utils import translation

from deploycheck.network import failure_reason
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
    exc = failure(refused_url())
    with translation.override(language):
        assert failure_reason(exc) == expected


def test_a_host_name_that_does_not_resolve():
    with translation.override("fr"):
        assert failure_reason(failure("https://deploycheck-test.invalid/")) == "le nom d'hôte ne se résout pas"


def test_an_untrusted_certificate(site):
    url = site("secure", "127.0.0.41", trusted=False)
    with translation.override("fr"):
        assert failure_reason(failure(url)) == "son certificat n'est pas reconnu"
