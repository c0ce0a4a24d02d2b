"""Webhook receivers on loopback that misbehave: one that is down, one that never answers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

# The part of a webhook URL that is its secret, as in Slack's /services/T…/B…/<secret>.
SECRET = "never-shown-webhook-secret"


@contextmanager
def down_receiver() -> Iterator[str]:
    """A URL on a loopback port nobody listens on: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    yield f"http://127.0.0.1:{port}/services/T0/B0/{SECRET}"


@contextmanager
def hanging_receiver() -> Iterator[str]:
    """A URL on a port that listens but never accepts nor answers: the kernel completes the
    connection and takes the request, and the answer never comes."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/services/T0/B1/{SECRET}"
