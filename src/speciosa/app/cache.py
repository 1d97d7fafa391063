"""Derived results (alerts, insights) kept while a person's journal is unchanged.

A result is keyed by person and name and stored with the journal version it was computed
from; it is used again only while that version is current and, for results that move on
with the clock (rules that count hours since a dose), for at most ``max_age``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class ResultCache:
    _found: dict[tuple[int, str], tuple[object, datetime, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(
        self,
        owner: int,
        name: str,
        *,
        version: object,
        now: datetime,
        max_age: timedelta,
        compute: Callable[[], T],
    ) -> T:
        key = (owner, name)
        with self._lock:
            hit = self._found.get(key)
        if hit is not None and hit[0] == version and timedelta(0) <= now - hit[1] < max_age:
            result: T = hit[2]
            return result
        fresh = compute()
        with self._lock:
            self._found[key] = (version, now, fresh)
        return fresh
