"""The journal a rule reads: profile, products and the stored entries of the last months.

The caller (CLI, web, report) reads the recent entries from the store and builds a
:class:`JournalWindow`; rules only read it. Every rule sees all it needs when the window
reaches back ``engine.LOOKBACK`` (127 days: ICHD-3's four 30-day overuse periods plus a
week). The helpers here answer the questions most rules ask (which doses, which days had
use, which product a dose came from), always through ``journal.clock`` so that days and
nights are decided in one place.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from operator import attrgetter
from typing import Any, Generic, Protocol, TypeVar, cast

from speciosa.journal import clock
from speciosa.journal.models import Dose, EntryBase, Product, Profile

E = TypeVar("E", bound=EntryBase)

# An entry's place in a window, in C rather than a lambda (a window sorts every entry).
_TIME_THEN_ID = attrgetter("entry.at", "id")
# An entry's instant, for bisecting a window's lists by time (no list of instants to build).
_AT = attrgetter("entry.at")

# See JournalWindow.first_day.
FIRST_DAYS_HORIZON = timedelta(hours=72)
T = TypeVar("T")


class Identified(Protocol):
    """Anything with a store id and an instant (a :class:`Stored` entry)."""

    @property
    def id(self) -> int: ...
    @property
    def at(self) -> datetime: ...


@dataclass(slots=True)
class Stored(Generic[E]):
    """An entry of a known kind together with its store id.

    Not frozen: a window wraps every entry it holds on each evaluation, and a frozen
    dataclass's ``__init__`` costs several times a plain one's; rules only read them.
    """

    id: int
    entry: E
    _day: date | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def day(self) -> date:
        """The entry's journal day (:func:`day_of`), worked out once: rules ask it often."""
        if self._day is None:
            self._day = day_of(self.entry)
        return self._day


class _WithEntry(Protocol):
    """A stored entry as a window is given it (:class:`StoredEntry` or :class:`Stored`)."""

    @property
    def id(self) -> int: ...
    @property
    def entry(self) -> EntryBase: ...


@dataclass(frozen=True)
class JournalWindow:
    """What the safety rules read: a profile, its products and a window of stored entries."""

    profile: Profile
    products: Sequence[Product] = ()
    entries: Sequence[_WithEntry] = field(default_factory=tuple)

    @classmethod
    def in_order(
        cls, profile: Profile, products: Sequence[Product], stored: list[Stored[EntryBase]]
    ) -> JournalWindow:
        """A window over ``stored``, already by time then id and wrapped: a kept window's
        entries (``app.window_cache``), which keep their journal days from one evaluation
        to the next, so that a new entry costs its own day only (issue 16)."""
        window = cls(profile, products, stored)
        window.__dict__["_in_order"] = stored  # what the cached property would have built
        return window

    def of_kind(
        self, kind: type[E], *, now: datetime, since: datetime | None = None
    ) -> list[Stored[E]]:
        """Entries of ``kind`` at or before ``now`` (and at or after ``since``), oldest first."""
        found = self._index(kind)
        start = 0 if since is None else bisect_left(found, since, key=_AT)
        return found[start : bisect_right(found, now, key=_AT)]

    def _index(self, kind: type[E]) -> list[Stored[E]]:
        """Every entry of ``kind`` sorted by (time, id).

        Built once per window and kind: rules ask for the same kinds many times over, and a
        scan of the whole window per question was most of an evaluation's cost.
        """
        found: list[Stored[E]] | None = self._indexes.get(kind)
        if found is None:
            types = [t for t in self._by_type if issubclass(t, kind)]
            if kind is EntryBase:  # every entry is one
                found = cast(list[Stored[E]], self._in_order)
            elif len(types) == 1:
                found = self._by_type[types[0]]
            else:  # a base class or no entries: filter the whole window
                found = [cast(Stored[E], s) for s in self._in_order if isinstance(s.entry, kind)]
            self._indexes[kind] = found
        return found

    @cached_property
    def _in_order(self) -> list[Stored[EntryBase]]:
        ordered = sorted(self.entries, key=_TIME_THEN_ID)
        return [Stored(s.id, s.entry) for s in ordered]

    @cached_property
    def _by_type(self) -> dict[type[Any], list[Stored[Any]]]:
        """The window in order, split by each entry's own class (one pass for every kind)."""
        groups: dict[type[Any], list[Stored[Any]]] = {}
        for stored in self._in_order:
            groups.setdefault(type(stored.entry), []).append(stored)
        return groups

    @cached_property
    def _indexes(self) -> dict[type[Any], list[Any]]:
        return {}

    def doses(self, *, now: datetime, since: datetime | None = None) -> list[Stored[Dose]]:
        """Doses up to ``now``, oldest first."""
        return self.of_kind(Dose, now=now, since=since)

    def product(self, name: str | None) -> Product | None:
        """The product a dose names (case-insensitive), or None."""
        return None if name is None else self._products_by_name.get(name.casefold())

    @cached_property
    def _products_by_name(self) -> dict[str, Product]:
        found: dict[str, Product] = {}
        for product in self.products:
            found.setdefault(product.name.casefold(), product)  # the first, as a scan would
        return found

    def remembered(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, once per window and ``key``: for answers several rules share.

        A window never changes, so an answer computed from it (and the key's arguments)
        stays right for as long as the window lives.
        """
        memo = self._remembered
        if key not in memo:
            memo[key] = compute()
        found: T = memo[key]
        return found

    @cached_property
    def _remembered(self) -> dict[Hashable, Any]:
        return {}

    def first_day(self, now: datetime) -> date | None:
        """The earliest journal day of an entry at or before ``now`` (None: no entry).

        Only the entries of the first three days are looked at: a zone moves a day by at
        most 14 hours and the day starts at 04:00, so an entry logged 72 hours after the
        first one always falls on a later journal day than the first one does.
        """
        ordered = [s for s in self._in_order[:1] if s.entry.at <= now]
        if not ordered:
            return None
        horizon = min(ordered[0].entry.at + FIRST_DAYS_HORIZON, now + timedelta(microseconds=1))
        first = self._in_order[: bisect_left(self._in_order, horizon, key=_AT)]
        return min(s.day for s in first)

    def today(self, now: datetime) -> date:
        """The journal day ``now`` falls on, in the profile's zone."""
        return clock.journal_day(now, self.profile.timezone)


def day_of(entry: EntryBase) -> date:
    """The journal day of an entry, in the zone it was recorded in."""
    return journal_day(entry.at, entry.zone)


@lru_cache(maxsize=1 << 16)
def journal_day(instant: datetime, zone: str) -> date:
    """``clock.journal_day``, remembered: the rules ask it of the same entries again and
    again, and each answer costs a zone conversion. Pure, so a bounded memo is exact."""
    return clock.journal_day(instant, zone)


def use_days(doses: Iterable[Stored[Dose]]) -> set[date]:
    """Journal days with at least one dose."""
    return {d.day for d in doses}


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
