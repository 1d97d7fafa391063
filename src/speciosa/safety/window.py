"""The journal a rule reads: profile, products and the stored entries of the last months.

The caller (CLI, web, report) reads the recent entries from the store and builds a
:class:`JournalWindow`; rules only read it. Every rule sees all it needs when the window
reaches back ``engine.LOOKBACK`` (127 days: ICHD-3's four 30-day overuse periods plus a
week). The helpers here answer the questions most rules ask (which doses, which days had
use, which product a dose came from), always through ``journal.clock`` so that days and
nights are decided in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Generic, Protocol, TypeVar

from speciosa.journal import clock
from speciosa.journal.models import Dose, EntryBase, Product, Profile, StoredEntry

E = TypeVar("E", bound=EntryBase)


class Identified(Protocol):
    """Anything with a store id and an instant (a :class:`Stored` entry)."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...


@dataclass(frozen=True)
class Stored(Generic[E]):
    """An entry of a known kind together with its store id."""

    id: int
    entry: E

    @property
    def at(self) -> datetime:
        return self.entry.at


@dataclass(frozen=True)
class JournalWindow:
    """What the safety rules read: a profile, its products and a window of stored entries."""

    profile: Profile
    products: Sequence[Product] = ()
    entries: Sequence[StoredEntry] = field(default_factory=tuple)

    def of_kind(
        self, kind: type[E], *, now: datetime, since: datetime | None = None
    ) -> list[Stored[E]]:
        """Entries of ``kind`` at or before ``now`` (and at or after ``since``), oldest first."""
        found: list[Stored[E]] = []
        for stored in self.entries:
            entry = stored.entry
            if isinstance(entry, kind) and entry.at <= now and (since is None or entry.at >= since):
                found.append(Stored(stored.id, entry))
        found.sort(key=lambda s: (s.at, s.id))
        return found

    def doses(self, *, now: datetime, since: datetime | None = None) -> list[Stored[Dose]]:
        """Doses up to ``now``, oldest first."""
        return self.of_kind(Dose, now=now, since=since)

    def product(self, name: str | None) -> Product | None:
        """The product a dose names (case-insensitive), or None."""
        if name is None:
            return None
        wanted = name.casefold()
        return next((p for p in self.products if p.name.casefold() == wanted), None)

    def today(self, now: datetime) -> date:
        """The journal day ``now`` falls on, in the profile's zone."""
        return clock.journal_day(now, self.profile.timezone)


def day_of(entry: EntryBase) -> date:
    """The journal day of an entry, in the zone it was recorded in."""
    return clock.journal_day(entry.at, entry.zone)


def use_days(doses: Iterable[Stored[Dose]]) -> set[date]:
    """Journal days with at least one dose."""
    return {day_of(d.entry) for d in doses}


def days_back(now: datetime, days: float) -> datetime:
    """The instant ``days`` days before ``now``."""
    return now - timedelta(days=days)


def ids(items: Iterable[Identified]) -> tuple[int, ...]:
    """Sorted, de-duplicated store ids."""
    return tuple(sorted({item.id for item in items}))


def latest(items: Iterable[Identified], default: datetime) -> datetime:
    """The time of the most recent item, or ``default`` when there is none."""
    return max((item.at for item in items), default=default)


def consecutive_days(days: set[date], last: date) -> Iterator[date]:
    """The run of consecutive days in ``days`` ending on ``last`` (newest first)."""
    day = last
    while day in days:
        yield day
        day -= timedelta(days=1)
