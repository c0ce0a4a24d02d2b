"""Connection failures explained in the reader's language, from real failed connections on loopback."""

from __future__ import annotations

import contextlib
import socket
import threading

import pytest
import requests
from django.utils import translation

from deploycheck.core.connection_errors import failure_reason
from deploycheck.core.deferred_text import Message
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


@pytest.fixture
def raw_server():
    """A TCP server on loopback that answers each connection with ``reply`` (nothing: closes it)."""
    servers = []

    def start(reply: bytes) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        servers.append(listener)

        def serve() -> None:
            with contextlib.suppress(OSError):
                while True:
                    connection, _address = listener.accept()
                    with connection:
                        connection.recv(65536)
                        connection.sendall(reply)

        threading.Thread(target=serve, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}/"

    yield start
    for listener in servers:
        listener.close()


@pytest.mark.parametrize(
    ("reply", "english", "french"),
    [
        (b"", "the server closed the connection without answering", "le serveur a fermé la connexion sans répondre"),
        (
            b"SSH-2.0-OpenSSH_9.6\r\n",
            "the server answered something that is not HTTP",
            "le serveur a répondu autre chose que du HTTP",
        ),
    ],
)
def test_a_peer_that_does_not_speak_http_is_told_in_words_not_a_class_name(raw_server, reply, english, french):
    reason = failure_reason(failure(raw_server(reply)))
    assert str(reason) == english
    with translation.override("fr"):
        assert str(reason) == french
