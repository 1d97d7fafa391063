"""The window's indexes answer exactly what a scan of every entry answers.

Rules ask ``of_kind`` and ``product`` many times per evaluation, so the window indexes its
entries once (sorted by time and id, split by kind, bisected by time). These tests hold
the index to the plain scan it replaced, on a simulated journal given in shuffled order,
for every kind (and the base class), with random bounds that often fall exactly on an
entry's time.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import ENTRY_TYPES, EntryBase, Product, StoredEntry
from speciosa.safety.window import JournalWindow, Stored, journal_day
from speciosa.simulate import DEMO_EFFECTS, simulate_journal


def _scan(window: JournalWindow, kind: type[EntryBase], now: datetime, since: datetime | None):
    """What ``of_kind`` did before it had an index: filter every entry, then sort."""
    found = [
        Stored(s.id, s.entry)
        for s in window.entries
        if isinstance(s.entry, kind)
        and s.entry.at <= now
        and (since is None or s.entry.at >= since)
    ]
    return sorted(found, key=lambda s: (s.at, s.id))


def _window(seed: int) -> JournalWindow:
    person = simulate_journal(
        condition=Condition.MIGRAINE,
        days=60,
        seed=seed,
        end=date(2026, 10, 31),
        zone="America/New_York",
        effects=DEMO_EFFECTS,
    )
    rng = random.Random(seed)
    stored = [
        StoredEntry.model_validate(
            {
                "id": rng.randint(1, 10_000),  # ids out of time order, some shared
                "uid": f"sim-{i}",
                "source": "simulate",
                "source_key": str(i),
                "created_at": entry.at,
                "updated_at": entry.at,
                "entry": entry.model_dump(),
            }
        )
        for i, entry in enumerate(person.entries)
    ]
    rng.shuffle(stored)
    return JournalWindow(person.profile, tuple(person.products), tuple(stored))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_of_kind_equals_a_scan_of_every_entry(seed: int) -> None:
    window = _window(seed)
    rng = random.Random(seed)
    instants = [s.entry.at for s in window.entries]
    kinds = [EntryBase, *ENTRY_TYPES.values()]
    for _ in range(200):
        kind = rng.choice(kinds)
        # Bounds on an entry's exact time half the time: both ends are inclusive.
        now = rng.choice(instants) + rng.choice(
            [timedelta(0), timedelta(minutes=rng.randint(-900, 900))]
        )
        since = rng.choice([None, rng.choice(instants), now - timedelta(days=rng.randint(0, 40))])
        assert window.of_kind(kind, now=now, since=since) == _scan(window, kind, now, since)


def test_product_lookup_is_the_first_case_insensitive_match() -> None:
    products = (
        Product(name="Red Bali"),
        Product(name="red bali", vendor="other"),
        Product(name="Green"),
    )
    window = JournalWindow(_window(1).profile, products)
    assert window.product("RED BALI") is products[0]
    assert window.product("green") is products[2]
    assert window.product("White") is None
    assert window.product(None) is None


def test_remembered_journal_days_equal_the_clock() -> None:
    start = datetime(2026, 3, 28, tzinfo=UTC)
    for hours in range(0, 72, 1):  # across the European spring-forward night
        instant = start + timedelta(hours=hours)
        for zone in ("Europe/Berlin", "America/New_York", "UTC"):
            assert journal_day(instant, zone) == clock.journal_day(instant, zone)
