"""How long work that failed on an outside service (a mail server, a translation provider)
waits before it is tried again: the same rule for both, doubling from a minute to six hours."""

from __future__ import annotations

from datetime import timedelta

MAX_BACKOFF = timedelta(hours=6)
# Work handed to a worker's task is left to it this long before a retry sweep takes it over
# (the task was lost, or its worker stopped).
TASK_LEASE = timedelta(minutes=2)


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes between retries, at most six hours."""
    exponent = min(max(attempts - 1, 0), 20)  # 2**20 minutes is far past the cap already
    return min(timedelta(minutes=2**exponent), MAX_BACKOFF)
