"""Rendered pages kept per reader while the data behind them is unchanged.

Plain Python, no Flask: cop.stored_pages decides what is kept and for whom. The store holds
pages for one version of the data at a time (the ``pages`` scope every commit renews, see
cop.computed.changes): the first time it is asked with a newer version it forgets everything
it holds, so a page that showed data since changed or erased is never served and not kept.
It is bounded by bytes (the least recently served page goes first) and each page by age, for
what depends on the clock rather than on the data ("today", a deadline that has passed)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class KeptPage:
    body: bytes
    headers: tuple[tuple[str, str], ...]  # as the view gave them: type, attachment name
    kept_at: float  # seconds on a monotonic clock


class PageStore:
    def __init__(self, max_bytes: int, max_age_seconds: float) -> None:
        self.max_bytes = max_bytes
        self.max_age_seconds = max_age_seconds
        self._pages: OrderedDict[str, KeptPage] = OrderedDict()
        self._version: str | None = None
        self._bytes = 0
        # gunicorn's threads share one store per process.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def size_in_bytes(self) -> int:
        return self._bytes

    def _move_to(self, version: str) -> None:
        if version != self._version:
            self._pages.clear()
            self._bytes = 0
            self._version = version

    def get(self, key: str, version: str, now: float) -> KeptPage | None:
        """The page kept under ``key`` for this version of the data, if it is not too old."""
        with self._lock:
            self._move_to(version)
            page = self._pages.get(key)
            if page is None:
                return None
            if now - page.kept_at > self.max_age_seconds:
                self._forget(key)
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, version: str, page: KeptPage) -> bool:
        """Keep ``page``, rendered from data of ``version``; refused when that version is no
        longer the newest the store has seen (a write happened while it was rendered) or when
        the page alone would take more than an eighth of the store."""
        size = len(page.body)
        if size > self.max_bytes // 8:
            return False
        with self._lock:
            if self._version is not None and version != self._version:
                return False
            self._move_to(version)
            if key in self._pages:
                self._forget(key)
            while self._pages and self._bytes + size > self.max_bytes:
                self._forget(next(iter(self._pages)))
            self._pages[key] = page
            self._bytes += size
            return True

    def _forget(self, key: str) -> None:
        page = self._pages.pop(key)
        self._bytes -= len(page.body)

    def bodies(self) -> list[bytes]:
        """Every page held, for checking that none holds what was erased."""
        with self._lock:
            return [page.body for page in self._pages.values()]
