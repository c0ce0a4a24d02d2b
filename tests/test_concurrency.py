"""A provider's jobs all run at once, its requests take turns only while they compute, and the
watchdog, woken only when it must, still cuts on time."""

from __future__ import annotations

import socket
import threading
import time
from functools import partial

from deploycheck.core.deadline import Turns, Watchdog
from deploycheck.core.gathering import run_concurrently
from deploycheck.families.heroku.client import HerokuClient
from tests.heroku_fake import TOKEN


def test_every_job_runs_at_once_however_many():
    # Each job waits for all the others: one not started while the others run would time them out.
    barrier = threading.Barrier(120, timeout=10)

    def job() -> str:
        barrier.wait()
        return threading.current_thread().name

    names = run_concurrently(
        dict.fromkeys(range(120), job), 20, late=lambda key: "late", thread_name="deploycheck-test"
    )
    assert "late" not in names.values()
    assert len(set(names.values())) == 120
    assert all(name.startswith("deploycheck-test_") for name in names.values())


def test_no_more_jobs_run_at_once_than_allowed():
    running, most = 0, 0
    lock = threading.Lock()

    def job() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    run_concurrently(dict.fromkeys(range(30), job), 20, late=lambda key: None, thread_name="t", max_workers=3)
    assert most <= 3


def shut(sock: socket.socket) -> bool:
    """Whether ``sock`` was shut down: a read then ends at once instead of waiting."""
    sock.settimeout(0.05)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_a_socket_due_before_those_already_watched_is_cut_on_time():
    watchdog = Watchdog()
    later, later_peer = socket.socketpair()
    sooner, sooner_peer = socket.socketpair()
    try:
        watchdog.watch(later, time.monotonic() + 60)
        time.sleep(0.05)  # the watchdog sleeps, until the first socket is due
        began = time.monotonic()
        watchdog.watch(sooner, began + 0.2)
        sooner.settimeout(5)
        assert sooner.recv(1) == b""
        assert 0.15 < time.monotonic() - began < 2
        assert not shut(later)
    finally:
        watchdog.close()
        for sock in (later, later_peer, sooner, sooner_peer):
            sock.close()


def test_a_deadline_brought_forward_is_kept():
    watchdog = Watchdog()
    sock, peer = socket.socketpair()
    try:
        watch = watchdog.watch(sock, time.monotonic() + 60)
        time.sleep(0.05)
        began = time.monotonic()
        watch.rearm(began + 0.2)
        sock.settimeout(5)
        assert sock.recv(1) == b""
        assert 0.15 < time.monotonic() - began < 2
    finally:
        watchdog.close()
        sock.close()
        peer.close()


def test_requests_taking_turns_still_wait_for_their_answers_together(heroku):
    # A turn ends as the request goes on the wire: ten answers 300 ms late take 300 ms, not 3 s.
    heroku.latency = 0.3
    paths = [f"/apps/weareone{suffix}" for suffix in ("", "/formation", "/addons", "/domains", "/features")]
    client = HerokuClient(TOKEN, heroku.url)
    began = time.monotonic()
    answers = run_concurrently(
        {(path, copy): partial(client.get, path) for path in paths for copy in range(2)},
        10,
        late=lambda key: None,
        thread_name="t",
    )
    elapsed = time.monotonic() - began
    client.close()
    assert None not in answers.values()
    assert elapsed < 0.9


def test_a_turn_not_given_in_time_is_gone_without():
    turns = Turns()
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with turns.turn(1):
            holding.set()
            done.wait(5)

    threading.Thread(target=hold, daemon=True).start()
    holding.wait(5)
    began = time.monotonic()
    with turns.turn(0.1):
        waited = time.monotonic() - began
    done.set()
    assert 0.05 < waited < 1
