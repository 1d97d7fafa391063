"""The alerts Today shows after a write equal a full evaluation, on SQLite and PostgreSQL.

``current_alerts`` (what Today, the API and the Safety page use) keeps each person's
decoded window and decodes only entries whose stored fields changed; ``alerts_as_of``
reads the whole window afresh. A simulated person (with planted co-use and escalation so
that rules fire) is put through seeded random logs, edits (amounts, notes, times moved in
and out of the window, product renames), deletes and undeletes, with a clock that
sometimes stands still (two writes in one second) and sometimes jumps days; after every
step both answers must be the same, and so must the windows they were computed from.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from speciosa.app import Speciosa, entries, journal_settings
from speciosa.app.alerts import alerts_as_of, current_alerts
from speciosa.app.today import DOSE_LOOKBACK, today
from speciosa.app.unit import Journal
from speciosa.app.window_cache import WINDOWS, window_key
from speciosa.errors import NotFound
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Dose, StoredEntry
from speciosa.journal.today import summarise_today
from speciosa.safety import LOOKBACK, Alert
from speciosa.simulate import PlantedEffects, simulate_journal

START = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
ZONE = "Europe/Berlin"
STEPS = 40
# Risky on purpose: drinks on dose nights and rising use make co-use and escalation fire.
RISKS = PlantedEffects(alcohol_on_dose_nights=0.6, grams_drift_pct_per_month=60.0)
FIXED_TIMES = ("sleep", "headache")
NOTES = ("", "slept badly", "pee is dark and eyes look yellow", "no yellow eyes", "chest pain")


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def app(database_url: str) -> Iterator[tuple[Speciosa, Clock]]:
    time = Clock(START)
    speciosa = Speciosa.open(database_url, clock=time)
    _fill(speciosa)
    yield speciosa, time
    speciosa.close()


def _fill(speciosa: Speciosa) -> None:
    """A simulated person's last 150 days, written as ``speciosa demo`` writes them."""
    person = simulate_journal(
        condition=Condition.CHRONIC_PAIN,
        days=150,
        seed=11,
        end=clock.journal_day(START, ZONE) - timedelta(days=1),
        zone=ZONE,
        effects=RISKS,
    )
    with speciosa.journal() as journal:
        journal.store.save_profile(person.profile, now=journal.now)
        for product in person.products:
            journal.store.add_product(product, now=journal.now)
        journal.store.add_entries(person.entries, now=journal.now, source="test")


def _live(journal: Journal, *, inside: bool = True) -> list[StoredEntry]:
    edge = journal.now - LOOKBACK
    if inside:
        return journal.store.entries(since=edge, until=journal.now + timedelta(seconds=1))
    return journal.store.entries(since=edge - timedelta(days=20), until=edge)


def _at(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def _log(journal: Journal, rng: random.Random) -> None:
    # Now and then a minute ahead (a phone's clock), which Today counts at once.
    ahead = rng.random() < 0.1
    at = _at(journal.now - timedelta(minutes=-1 if ahead else rng.randint(0, 3 * 24 * 60)))
    products = [p.name for p in journal.store.products()]
    choices: list[dict[str, Any]] = [
        {"kind": "dose", "amount": f"{rng.choice([1, 2.5, 4, 8])}g", "product": None},
        {"kind": "dose", "amount": f"{rng.randint(1, 6)}g", "product": rng.choice(products)},
        {"kind": "substance", "name": rng.choice(["alcohol", "xanax", "coffee"])},
        {"kind": "side_effect", "symptom": "constipation", "note": rng.choice(NOTES)},
        {"kind": "bowel", "bristol": rng.randint(1, 3)},
        {"kind": "pain", "score": rng.randint(0, 10), "note": rng.choice(NOTES)},
    ]
    data = rng.choice(choices)
    if data.get("product") is None:
        data.pop("product", None)
    entries.log(journal, {**data, "at": at})


def _edit(journal: Journal, rng: random.Random) -> None:
    """Change an amount, a note or a time: within the window, into it, or out of it."""
    inside = rng.random() < 0.8
    # A diary's or a headache's other times would have to move too: those keep their time.
    pool = [s for s in _live(journal, inside=inside) if s.entry.kind not in FIXED_TIMES]
    if not pool:
        return
    stored = rng.choice(pool)
    if not inside:
        moved = journal.now - timedelta(hours=rng.randint(1, 72))
        entries.edit(journal, stored.id, {"at": _at(moved)})
        return
    change = rng.choice(["note", "at", "amount"])
    if change == "amount" and stored.entry.kind == "dose":
        entries.edit(journal, stored.id, {"amount": f"{rng.choice([0.5, 3, 12])}g"})
    elif change == "at":
        moved = stored.entry.at - timedelta(days=rng.choice([1, 30, 200]))
        entries.edit(journal, stored.id, {"at": _at(moved)})
    else:
        entries.edit(journal, stored.id, {"note": rng.choice([n for n in NOTES if n])})


def _rename(journal: Journal, rng: random.Random) -> None:
    product = rng.choice(journal.store.products())
    renamed = product.model_copy(
        update={"name": f"{product.name.split(' #')[0]} #{rng.randint(1, 9)}"}
    )
    if renamed.name != product.name:
        journal_settings.update_product(journal, product.name, renamed)


def _delete(journal: Journal, rng: random.Random) -> None:
    pool = _live(journal)
    if pool:
        entries.delete(journal, rng.choice(pool).id)


def _undelete(journal: Journal, rng: random.Random) -> None:
    with contextlib.suppress(NotFound):  # nothing deleted yet
        entries.undo_delete(journal)


STEPS_BY_NAME = {"log": _log, "edit": _edit, "delete": _delete, "undelete": _undelete}


def _advance(time: Clock, rng: random.Random) -> None:
    # Often not at all: two writes in one second must not fool the kept window.
    time.now += rng.choice(
        [timedelta(0), timedelta(0), timedelta(seconds=1), timedelta(minutes=40), timedelta(days=2)]
    )


def _assert_same(speciosa: Speciosa, *, windows: bool = True) -> tuple[list[Alert], int]:
    """Kept and full evaluations agree (and, with ``windows``, the entries they read);
    returns the alerts and how many entries the refresh decoded."""
    with speciosa.journal() as journal:
        before = WINDOWS.decoded
        kept = current_alerts(journal)
        decoded = WINDOWS.decoded - before
        full = alerts_as_of(journal, journal.now)
        assert kept == full
        assert [a.to_dict() for a in kept] == [a.to_dict() for a in full]
        # Today's numbers come from the kept window too: as from the store's recent doses.
        recent = journal.store.entries(kinds=["dose"], since=journal.now - DOSE_LOOKBACK)
        doses = [s.entry for s in recent if isinstance(s.entry, Dose)]
        expected = summarise_today(_dated(doses), journal.profile, now=journal.now)
        assert today(journal).summary == expected
        if not windows:
            return kept, decoded
        since = journal.now - LOOKBACK
        until = journal.now + timedelta(seconds=1)
        key = window_key(journal.session.get_bind().engine, journal.owner)
        window = WINDOWS.entries(
            journal.store, key, since=since, until=until, revision=journal.revision()
        )
        stored = journal.store.entries(since=since, until=until)
        assert [(s.id, s.entry) for s in window] == [(s.id, s.entry) for s in stored]
    return kept, decoded


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_window_alerts_equal_a_full_evaluation(app: tuple[Speciosa, Clock], seed: int) -> None:
    speciosa, time = app
    rng = random.Random(seed)
    _assert_same(speciosa)  # the first evaluation decodes the whole window
    seen_rules: set[str] = set()
    done: dict[str, int] = dict.fromkeys([*STEPS_BY_NAME, "rename"], 0)
    for step in range(STEPS):
        _advance(time, rng)
        name = rng.choices([*STEPS_BY_NAME, "rename"], weights=[5, 4, 2, 2, 1])[0]
        with speciosa.journal() as journal:
            (STEPS_BY_NAME.get(name) or _rename)(journal, rng)
        done[name] += 1
        # Reading the whole window twice more is slow: the windows are compared every few steps.
        scans = WINDOWS.scans
        alerts, decoded = _assert_same(speciosa, windows=step % 4 == 3)
        if name in ("log", "delete"):
            # A new entry is the one decode; a deletion needs none.
            assert decoded == (1 if name == "log" else 0)
        # Every change went through this app, which knows what it wrote: no entry's
        # fingerprint is listed, except after a rename (every entry shows the new name).
        assert WINDOWS.scans - scans == (1 if name == "rename" else 0), name
        seen_rules.update(a.rule_id.split(".")[0] for a in alerts)
    assert all(done.values()), done
    # The comparison means something only if the costly rules fire along the way.
    assert {"co_use", "escalation"} <= seen_rules, seen_rules


def test_people_on_one_server_keep_their_own_windows(database_url: str) -> None:
    """Two people on one database: each one's alerts are computed from their own entries."""
    time = Clock(START)
    speciosa = Speciosa.open(database_url, clock=time)
    try:
        with speciosa.transaction() as session:
            from speciosa.store.journal_store import owner_id

            owners = [owner_id(session, name, now=START) for name in ("ann", "bo")]
        for owner, drinks in zip(owners, (True, False), strict=True):
            with speciosa.journal(owner) as journal:
                entries.log(journal, {"kind": "dose", "amount": "3g", "at": _at(START)})
                if drinks:
                    entries.log(journal, {"kind": "substance", "name": "alcohol", "at": _at(START)})
        for owner, drinks in zip(owners, (True, False), strict=True):
            with speciosa.journal(owner) as journal:
                kept = current_alerts(journal)
                assert kept == alerts_as_of(journal, journal.now)
                assert any(a.rule_id == "co_use.alcohol" for a in kept) == drinks
    finally:
        speciosa.close()


def _refresh(speciosa: Speciosa) -> tuple[int, int]:
    """Today's alerts, checked against a full evaluation: (entries decoded, scans)."""
    decoded, scans = WINDOWS.decoded, WINDOWS.scans
    _assert_same(speciosa, windows=True)
    return WINDOWS.decoded - decoded, WINDOWS.scans - scans


def test_a_write_from_elsewhere_is_found_by_fingerprints(
    app: tuple[Speciosa, Clock], database_url: str
) -> None:
    """Another process (here a second application on the same database, as the command
    line or another worker would be) writes: this app cannot know what changed, so it
    lists fingerprints and still reads exactly what is stored."""
    speciosa, time = app
    _refresh(speciosa)
    with other_app(database_url, time) as elsewhere:
        with elsewhere.journal() as journal:
            entries.log(journal, {"kind": "substance", "name": "xanax", "at": _at(time.now)})
        _forget_changes()  # it shares this process's cache; another process would not
        decoded, scans = _refresh(speciosa)
    assert (decoded, scans) == (1, 1)
    assert any(a.rule_id.startswith("co_use") for a in _alerts(speciosa))


def test_a_rolled_back_write_leaves_no_trace(app: tuple[Speciosa, Clock]) -> None:
    """Alerts computed inside a transaction that wrote, which then rolled back, are not
    kept: the next refresh answers from what is stored."""
    speciosa, time = app
    _refresh(speciosa)
    with contextlib.suppress(RuntimeError), speciosa.journal() as journal:
        entries.log(journal, {"kind": "substance", "name": "xanax", "at": _at(time.now)})
        assert any(a.rule_id.startswith("co_use") for a in current_alerts(journal))
        raise RuntimeError("roll back")
    # The window read inside it (with the drink) was not kept: the kept one is still
    # the committed journal's, with nothing to read again.
    assert _refresh(speciosa) == (0, 0)
    assert not any(a.rule_id == "co_use.benzodiazepine" for a in _alerts(speciosa))


def test_a_logged_dose_reads_one_row(app: tuple[Speciosa, Clock]) -> None:
    speciosa, time = app
    _refresh(speciosa)
    with speciosa.journal() as journal:
        entries.log(journal, {"kind": "dose", "amount": "2g", "at": _at(time.now)})
    assert _refresh(speciosa) == (1, 0)
    with speciosa.journal() as journal:  # a profile change: no entry to read again
        journal_settings.save_profile(journal, journal.profile)
    assert _refresh(speciosa) == (0, 0)


def _alerts(speciosa: Speciosa) -> list[Alert]:
    with speciosa.journal() as journal:
        return current_alerts(journal)


def _forget_changes() -> None:
    """What another process would know of this one's changes: nothing."""
    WINDOWS._changes.clear()


@contextlib.contextmanager
def other_app(database_url: str, time: Clock) -> Iterator[Speciosa]:
    other = Speciosa.open(database_url, clock=time)
    try:
        yield other
    finally:
        other.close()


@dataclass(frozen=True)
class _DatedDose:
    entry: Dose
    day: date


def _dated(doses: list[Dose]) -> list[_DatedDose]:
    """Doses with their journal days worked out afresh (not the kept window's)."""
    return [_DatedDose(d, clock.journal_day(d.at, d.zone)) for d in doses]
