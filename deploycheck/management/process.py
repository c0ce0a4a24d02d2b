"""What the command needs from the process it runs in: signals, and a report file written whole."""

from __future__ import annotations

import errno
import math
import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from django.core.management.base import CommandError
from django.utils.translation import gettext

from deploycheck.core.choices import Trigger
from deploycheck.core.results import EXIT_INTERRUPTED


def detect_trigger() -> Trigger:
    """Heroku names a release-phase dyno release.N and a Scheduler dyno scheduler.N."""
    dyno = os.environ.get("DYNO", "")
    if dyno.startswith("release."):
        return Trigger.RELEASE
    if dyno.startswith("scheduler."):
        return Trigger.SCHEDULE
    return Trigger.COMMAND


# A signal this soon after the previous one is the same interruption delivered twice: GNU
# `timeout` and some CI runners signal both the process and its group.
SAME_INTERRUPTION = 1.0  # seconds


@contextmanager
def interruptible() -> Iterator[None]:
    """End the command with status 130 on Ctrl-C, or on SIGTERM as Heroku sends to stop a dyno.

    During the checks the runner catches the first one and records the run as interrupted;
    one arriving anywhere else, or a second one (a second or more after the first) while that
    run is recorded or reported, ends the command at once, without a traceback.
    """
    in_main_thread = threading.current_thread() is threading.main_thread()
    last_signal = -math.inf

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal last_signal
        now = time.monotonic()
        if now - last_signal < SAME_INTERRUPTION:
            return
        last_signal = now
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in HANDLED} if in_main_thread else {}
    try:
        yield
    except KeyboardInterrupt:
        raise CommandError(gettext("Interrupted."), returncode=EXIT_INTERRUPTED) from None
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


HANDLED = (signal.SIGINT, signal.SIGTERM)


class ReportFile:
    """The file --output names, replaced whole or left as it was.

    A temporary file is created beside it before any check runs, so a path that cannot be
    written fails first, and renamed over it once the report is complete.
    """

    def __init__(self, path: str) -> None:
        self.path = os.path.realpath(path)
        if os.path.isdir(self.path):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), path)
        directory, name = os.path.split(self.path)
        self.temporary = os.path.join(directory, f".{name}.{uuid.uuid4().hex[:12]}.tmp")
        # Created as open() would create the file itself: 0o666 less the umask.
        descriptor = os.open(self.temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        self.stream = os.fdopen(descriptor, "w", encoding="utf-8")
        self.done = False

    def replace(self, text: str) -> None:
        with self.stream:
            self.stream.write(text)
            self.stream.flush()
            os.fsync(self.stream.fileno())
        os.replace(self.temporary, self.path)
        self.done = True

    def discard(self) -> None:
        if self.done:
            return
        self.done = True
        self.stream.close()
        with suppress(FileNotFoundError):
            os.unlink(self.temporary)


def why_not_written(exc: OSError) -> str:
    """The reason in the reader's language: the C library's own text is English only."""
    reasons = {
        errno.ENOENT: gettext("the directory does not exist"),
        errno.ENOTDIR: gettext("part of the path is a file, not a directory"),
        errno.EISDIR: gettext("it is a directory"),
        errno.EACCES: gettext("permission denied"),
        errno.EPERM: gettext("permission denied"),
        errno.EROFS: gettext("the file system is read-only"),
        errno.ENOSPC: gettext("the disk is full"),
    }
    return reasons.get(exc.errno or 0) or exc.strerror or type(exc).__name__
