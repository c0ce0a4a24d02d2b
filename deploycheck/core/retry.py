"""urllib3's Retry for the Heroku client, held within the run's deadline."""

from __future__ import annotations

import time
from types import TracebackType
from typing import Any

from urllib3.connectionpool import ConnectionPool
from urllib3.exceptions import MaxRetryError
from urllib3.response import BaseHTTPResponse
from urllib3.util.retry import Retry

from deploycheck.core.deadline import Watchdog


class BoundedRetry(Retry):
    """urllib3's Retry, never starting an attempt that could not end before the run's deadline.

    A retry waits (back-off, or Retry-After) and then needs time for the attempt itself: when
    both do not fit in the time left, or the run is over, it gives up now instead.
    """

    deadline: float | None = None
    max_wait: float = 10.0
    # The least time an attempt is given; less than that left, the retry is not made.
    min_attempt: float = 0.5
    watchdog: Watchdog | None = None

    def new(self, **kwargs: Any) -> BoundedRetry:
        retry = super().new(**kwargs)
        retry.deadline, retry.max_wait = self.deadline, self.max_wait
        retry.min_attempt, retry.watchdog = self.min_attempt, self.watchdog
        return retry

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> BoundedRetry:
        # Raises MaxRetryError when the retries are spent.
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        assert isinstance(retry, BoundedRetry)
        wait = retry._wait(response)
        over = self.watchdog is not None and self.watchdog.closed.is_set()
        if over or wait > retry.max_wait or time.monotonic() + wait + retry.min_attempt > retry._deadline():
            raise MaxRetryError(_pool, url or "", error)  # type: ignore[arg-type]  # urllib3 passes a pool
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        # Woken early when the run ends: the next attempt then fails at once (see Watchdog).
        wait = self._wait(response)
        if wait > 0:
            if self.watchdog is not None:
                self.watchdog.closed.wait(wait)
            else:
                time.sleep(wait)

    def _wait(self, response: BaseHTTPResponse | None) -> float:
        retry_after = self.get_retry_after(response) if self.respect_retry_after_header and response else None
        return retry_after if retry_after is not None else self.get_backoff_time()

    def _deadline(self) -> float:
        return float("inf") if self.deadline is None else self.deadline
