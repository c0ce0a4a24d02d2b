"""A run_finished receiver that makes the end of a run slow and observable.

Named in DEPLOYCHECK["CHECKS"] by the slow-finish CLI profile (tests/cli_settings.py):
deploycheck imports that module, which connects the receiver, in that process only. It
writes the file DEPLOYCHECK_TEST_FINISHING names, then sleeps, so a test can deliver a
signal while the command is handling the end of a run.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from deploycheck.signals import run_finished


def linger(sender: type, **kwargs: Any) -> None:
    marker = os.environ.get("DEPLOYCHECK_TEST_FINISHING")
    if marker:
        Path(marker).write_text("finishing")
    time.sleep(30)


run_finished.connect(linger, dispatch_uid="tests.slow_receiver.linger")
