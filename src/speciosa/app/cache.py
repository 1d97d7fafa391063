"""Derived results (alerts, insights) kept while a person's journal is unchanged.

A result is keyed by person and name (``"alerts"``, ``"insights"``, a report's period) and
stored with the journal version it was computed from; it is used again only while that
version is current and, for results that move on with the clock (rules that count hours
since a dose), for at most ``max_age``. Keys always hold the owner, so one person's result
is never another's. The cache holds at most ``max_entries`` results and forgets the least
recently used first, so a server with many people stays bounded in memory.

    cache.get(owner, "alerts", version=v, now=now, max_age=age, compute=run)   # read-through
    cache.peek(owner, "insights")              # the last result, whatever its version
    cache.put(owner, "insights", version=v, now=now, value=answers)
    cache.wait_for(owner, "insights", version=v, timeout=0.8)   # a background job's result
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

T = TypeVar("T")

# Results kept at once (all people, all names). A 5-year journal's insights (the daily
# frame and the answers) take well under 1 MB, so the bound keeps a busy server's cache
# under ~100 MB.
MAX_ENTRIES = 128


@dataclass(frozen=True)
class Stored:
    """A result and the journal version and time it was computed at."""

    version: object
    computed_at: datetime
    value: Any


@dataclass
class ResultCache:
    max_entries: int = MAX_ENTRIES
    _found: OrderedDict[tuple[int, str], Stored] = field(default_factory=OrderedDict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    # owner -> writes committed by this process (one int per person who wrote).
    _writes: dict[int, int] = field(default_factory=dict)

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
        """The stored result while ``version`` is current and younger than ``max_age``,
        else ``compute()``'s (stored for next time)."""
        hit = self.peek(owner, name)
        if (
            hit is not None
            and hit.version == version
            and timedelta(0) <= now - hit.computed_at < max_age
        ):
            result: T = hit.value
            return result
        fresh = compute()
        self.put(owner, name, version=version, now=now, value=fresh)
        return fresh

    def peek(self, owner: int, name: str) -> Stored | None:
        """The last result stored under (owner, name), of whatever version, or None."""
        with self._changed:
            hit = self._found.get((owner, name))
            if hit is not None:
                self._found.move_to_end((owner, name))
            return hit

    def put(self, owner: int, name: str, *, version: object, now: datetime, value: Any) -> None:
        """Store ``value`` as the result for (owner, name) at ``version``."""
        with self._changed:
            self._found[(owner, name)] = Stored(version, now, value)
            self._found.move_to_end((owner, name))
            while len(self._found) > self.max_entries:
                self._found.popitem(last=False)
            self._changed.notify_all()

    def wait_for(self, owner: int, name: str, *, version: object, timeout: float) -> Stored | None:
        """The result for (owner, name) at ``version`` once someone stores it (a background
        job), waiting at most ``timeout`` seconds; None if it did not come in time."""

        def current() -> Stored | None:
            hit = self._found.get((owner, name))
            return hit if hit is not None and hit.version == version else None

        with self._changed:
            found = self._changed.wait_for(current, timeout=timeout)
        return found if isinstance(found, Stored) else None

    def changed(self, owner: int) -> None:
        """Count a committed write to ``owner``'s journal (part of the journal's version)."""
        with self._changed:
            self._writes[owner] = self._writes.get(owner, 0) + 1

    def generation(self, owner: int) -> int:
        """Writes to ``owner``'s journal committed by this process so far."""
        with self._changed:
            return self._writes.get(owner, 0)

    def forget(self, owner: int) -> None:
        """Drop every result of ``owner`` (an account deleted, a journal replaced)."""
        with self._changed:
            for key in [k for k in self._found if k[0] == owner]:
                del self._found[key]

    def __len__(self) -> int:
        with self._changed:
            return len(self._found)
