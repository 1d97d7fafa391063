"""The storage suite, run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from speciosa.errors import Conflict, InvalidInput, NotFound
from speciosa.journal import clock
from speciosa.journal.models import Dose, Pain, Profile
from speciosa.store.database import Database
from speciosa.store.journal_store import JournalStore, owner_id
from tests.factories import RED, ZONE, every_kind


def _store(session, now: datetime, username: str = "local") -> JournalStore:  # type: ignore[no-untyped-def]
    return JournalStore(session, owner_id(session, username, now=now))


def test_every_kind_is_stored_and_read_back(database: Database, now: datetime) -> None:
    entries = every_kind(now)
    with database.transaction() as session:
        store = _store(session, now)
        store.add_product(RED, now=now)
        for entry in entries:
            store.add_entry(entry, now=now)
    with database.transaction() as session:
        back = [s.entry for s in _store(session, now).entries()]
    expected = sorted(entries, key=lambda e: e.at)
    # doses come back with their grams filled in through the product
    first_dose = next(e for e in back if isinstance(e, Dose) and e.unit == "caps")
    assert first_dose.grams == pytest.approx(2.0)
    normalise = [e.model_copy(update={"grams": None}) if isinstance(e, Dose) else e for e in back]
    assert sorted(normalise, key=lambda e: (e.at, e.kind)) == sorted(
        expected, key=lambda e: (e.at, e.kind)
    )  # type: ignore[attr-defined]


def test_products_keep_batches_and_lab_results(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        _store(session, now).add_product(RED, now=now)
    with database.transaction() as session:
        assert _store(session, now).product("Red Bali") == RED


def test_profile_round_trip(database: Database, now: datetime) -> None:
    profile = Profile(
        timezone=ZONE,
        bedtime="22:30",
        conditions=("migraine",),
        limits={"grams_per_day": 6, "doses_per_day": 2},
    )
    with database.transaction() as session:
        _store(session, now).save_profile(profile, now=now)
    with database.transaction() as session:
        assert _store(session, now).profile() == profile


def test_failed_command_leaves_no_trace(database: Database, now: datetime) -> None:
    def command() -> None:  # one command: a good entry, then one that fails
        with database.transaction() as session:
            store = _store(session, now)
            store.add_entry(Pain(at=now, zone=ZONE, score=3), now=now)
            store.add_entry(Dose(at=now, zone=ZONE, amount=3, product="missing"), now=now)

    with pytest.raises(NotFound):
        command()
    with database.transaction() as session:
        assert _store(session, now).counts() == {}


def test_refusals(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        store = _store(session, now)
        store.add_product(
            RED.model_copy(update={"name": "Bare", "grams_per_capsule": None}), now=now
        )
        with pytest.raises(InvalidInput, match="future"):
            store.add_entry(Pain(at=now + timedelta(minutes=6), zone=ZONE, score=1), now=now)
        with pytest.raises(InvalidInput, match="grams per capsule"):
            store.add_entry(Dose(at=now, zone=ZONE, amount=2, unit="caps", product="Bare"), now=now)
        with pytest.raises(Conflict):
            store.add_product(RED.model_copy(update={"name": "Bare"}), now=now)


def test_edit_delete_and_undo(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        store = _store(session, now)
        first = store.add_entry(Pain(at=now, zone=ZONE, score=3), now=now)
        second = store.add_entry(Pain(at=now, zone=ZONE, score=4), now=now)
        store.update_entry(first.id, Pain(at=now, zone=ZONE, score=5, note="edited"), now=now)
        store.delete_entry(first.id, now=now)
        store.delete_entry(second.id, now=now + timedelta(seconds=1))
        assert store.counts() == {}
        assert store.undo_delete().id == second.id  # the most recent delete comes back first
        assert [e.id for e in store.entries()] == [second.id]
        assert store.undo_delete().entry.score == 5  # type: ignore[attr-defined]
        with pytest.raises(NotFound):
            store.undo_delete()


def test_people_never_see_each_other(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        alice, bob = _store(session, now, "alice"), _store(session, now, "bob")
        mine = alice.add_entry(Pain(at=now, zone=ZONE, score=2), now=now)
        alice.add_product(RED, now=now)
        bob.add_product(RED, now=now)  # same name, other person: allowed
        assert bob.entries() == []
        with pytest.raises(NotFound):
            bob.entry(mine.id)
        with pytest.raises(NotFound):
            bob.delete_entry(mine.id, now=now)
        assert alice.counts() == {"pain": 1}


def test_window_queries(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        store = _store(session, now)
        for days in (10, 5, 1):
            store.add_entry(Pain(at=now - timedelta(days=days), zone=ZONE, score=days), now=now)
        store.add_entry(Dose(at=now - timedelta(days=1), zone=ZONE, amount=2), now=now)
        recent = store.entries(kinds=["pain"], since=now - timedelta(days=6))
        assert [e.entry.score for e in recent] == [5, 1]  # type: ignore[attr-defined]
        with pytest.raises(InvalidInput, match="kind"):
            store.entries(kinds=["mood"])


def test_first_day_and_typed_reads_from_a_journal_day(database: Database, now: datetime) -> None:
    with database.transaction() as session:
        store = _store(session, now)
        assert store.first_day() is None
        first = store.add_entry(Dose(at=now - timedelta(days=3), zone=ZONE, amount=2), now=now)
        store.add_entry(Dose(at=now - timedelta(hours=1), zone=ZONE, amount=3), now=now)
        store.delete_entry(first.id, now=now)  # a deleted entry does not start the journal
        assert store.first_day() == clock.journal_day(now - timedelta(hours=1), ZONE)
        recent = store.doses_from(clock.journal_day(now, ZONE) - timedelta(days=1), ZONE)
        assert [d.amount for d in recent] == [3]
        assert store.questionnaires_from(clock.journal_day(now, ZONE), ZONE) == []


def test_routine_and_products_read_back_unflushed_changes_in_one_transaction(
    database: Database, now: datetime
) -> None:
    # Both are read as plain rows on the connection (Today asks on every view); what the
    # session holds but has not flushed must be written first, or the read would be stale.
    from speciosa.journal.models import Product
    from speciosa.journal.routine import Reminder, Routine
    from speciosa.store.routine_store import RoutineStore

    with database.transaction() as session:
        routines = RoutineStore(session, owner_id(session, now=now))
        assert routines.routine() is None
        routines.save_routine(Routine(morning_diary=Reminder(on=True)), now=now)
        assert routines.routine() == Routine(morning_diary=Reminder(on=True))
        routines.save_routine(Routine(), now=now)
        assert routines.routine() == Routine()
        store = _store(session, now)
        assert store.products() == []
        store.add_product(Product(name="Green Maeng Da"), now=now)
        assert [p.name for p in store.products()] == ["Green Maeng Da"]


def test_a_dismissal_is_read_back_in_the_same_transaction(
    database: Database, now: datetime
) -> None:
    # dismissed() reads a plain column on the connection: the unflushed dismissal must reach it.
    from speciosa.store.routine_store import RoutineStore

    with database.transaction() as session:
        routines = RoutineStore(session, owner_id(session, now=now))
        assert routines.dismissed() == set()
        routines.dismiss("wind_down:2026-03-20", now=now, keep_from=date(2026, 3, 1))
        assert routines.dismissed() == {"wind_down:2026-03-20"}
