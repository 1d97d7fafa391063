"""The insights kept per journal version: the stored answer is always the fresh one.

Real SQLite files, the real worker thread; the clock is fixed, so several changes fall in
the same second (the hardest case for a version made of timestamps).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from speciosa.app import Speciosa, entries
from speciosa.app.cache import ResultCache
from speciosa.app.data import fill_demo
from speciosa.app.insights import NAME, analyse_entries, insights, insights_version
from speciosa.app.report import report_inputs
from speciosa.app.unit import Journal
from speciosa.journal.catalogues import Condition
from speciosa.simulate import DEMO_EFFECTS, simulate_journal
from speciosa.store.journal_store import owner_id

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
ZONE = "Europe/Berlin"


def _open(url: str) -> Speciosa:
    return Speciosa.open(url, clock=lambda: NOW)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Speciosa]:
    speciosa = _open(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    _fill(speciosa, None, seed=1)
    yield speciosa
    speciosa.close()


def _fill(speciosa: Speciosa, owner: int | None, *, seed: int, days: int = 60) -> None:
    person = simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=days,
        seed=seed,
        end=date(2026, 2, 28),
        zone=ZONE,
        effects=DEMO_EFFECTS,
    )
    with speciosa.journal(owner) as journal:
        fill_demo(journal, profile=person.profile, products=person.products, entries=person.entries)


def _fresh(journal: Journal, days: int = 90) -> dict[str, Any]:
    """The answers computed from scratch, bypassing every cache."""
    return analyse_entries(journal, journal.store.entries(), last_days=days).to_dict()


def _random_change(journal: Journal, rng: random.Random) -> None:
    live = journal.store.entries()
    at = (NOW - timedelta(days=rng.randint(0, 50), hours=rng.randint(0, 20))).isoformat()
    choice = rng.choice(["pain", "dose", "edit", "delete", "undo"])
    if choice == "pain":
        entries.log(journal, {"kind": "pain", "score": rng.randint(0, 10), "at": at})
    elif choice == "dose":
        entries.log(journal, {"kind": "dose", "amount": f"{rng.randint(1, 6)}g", "at": at})
    elif choice == "edit":
        pains = [e for e in live if e.entry.kind == "pain"]
        entries.edit(journal, rng.choice(pains).id, {"score": rng.randint(0, 10)})
    elif choice == "delete":
        entries.delete(journal, rng.choice(live).id)
    else:
        try:
            entries.undo_delete(journal)
        except Exception:  # nothing to undo yet: log instead
            entries.log(journal, {"kind": "fatigue", "score": rng.randint(0, 10), "at": at})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_stored_answer_equals_a_fresh_one_after_random_changes(
    app: Speciosa, seed: int
) -> None:
    rng = random.Random(seed)
    for _ in range(12):
        with app.journal() as journal:
            _random_change(journal, rng)
        for _ in range(2):  # the second view reads the stored answer
            with app.journal() as journal:
                view = insights(journal, last_days=90)
                assert not view.updating
                assert view.to_dict() == _fresh(journal)
    with app.journal() as journal:
        assert app.results.peek(journal.owner, NAME) is not None


def test_an_unchanged_journal_reads_the_stored_answer(app: Speciosa) -> None:
    with app.journal() as journal:
        first = insights(journal)
    with app.journal() as journal:
        again = insights(journal)
    assert again.report is first.report  # the same object: nothing was recomputed
    with app.journal() as journal:
        entries.log(journal, {"kind": "pain", "score": 3})
    with app.journal() as journal:
        assert insights(journal).report is not first.report


def test_one_person_never_gets_another_persons_answers(database_url: str) -> None:
    """A server's journals (SQLite and PostgreSQL): each person's answers are their own."""
    speciosa = _open(database_url)
    try:
        with speciosa.transaction() as session:
            ada = owner_id(session, "ada", now=NOW)
            bo = owner_id(session, "bo", now=NOW)
        _fill(speciosa, ada, seed=3)
        _fill(speciosa, bo, seed=4, days=40)
        with speciosa.journal(ada) as journal:
            ada_view = insights(journal).to_dict()
        with speciosa.journal(bo) as journal:
            bo_view = insights(journal).to_dict()
            assert bo_view == _fresh(journal)
        assert ada_view != bo_view
        with speciosa.journal(ada) as journal:
            assert insights(journal).to_dict() == ada_view == _fresh(journal)
    finally:
        speciosa.close()


def test_the_cache_is_bounded_and_forgets_the_least_recently_used() -> None:
    cache = ResultCache(max_entries=3)
    for owner in range(5):
        cache.put(owner, NAME, version=(owner,), now=NOW, value=owner)
    assert len(cache) == 3
    assert cache.peek(0, NAME) is None
    assert cache.peek(1, NAME) is None
    assert cache.peek(2, NAME) is not None  # read: now the most recent
    cache.put(5, NAME, version=(5,), now=NOW, value=5)
    assert cache.peek(3, NAME) is None
    assert cache.peek(2, NAME) is not None


def test_the_worker_recomputes_after_a_write_without_a_page_view(app: Speciosa) -> None:
    app.start_background()
    with app.journal() as journal:
        insights(journal)  # looked at once: from now on the worker keeps it current
    with app.journal() as journal:
        entries.log(journal, {"kind": "pain", "score": 9})
    with app.journal() as journal:
        version = insights_version(journal)
        owner = journal.owner
    found = app.results.wait_for(owner, NAME, version=version, timeout=60)
    assert found is not None  # stored by the worker: no view asked for it
    with app.journal() as journal:
        view = insights(journal, stale_ok=True)
        assert view.report is found.value.report
        assert view.to_dict() == _fresh(journal)


def test_a_page_shows_the_last_answer_as_updating_while_the_worker_is_busy(
    app: Speciosa,
) -> None:
    gate = threading.Event()
    app.start_background()
    app.after_write.insert(0, lambda journal: gate.wait(60))  # hold the worker back
    with app.journal() as journal:
        before = insights(journal)
    with app.journal() as journal:
        entries.log(journal, {"kind": "pain", "score": 9})
    try:
        with app.journal() as journal:
            page = insights(journal, stale_ok=True)
            assert page.updating
            assert page.report is before.report
            api = insights(journal)  # the API never answers with out-of-date numbers
            assert not api.updating
            assert api.to_dict() == _fresh(journal)
    finally:
        gate.set()


def test_the_report_reuses_its_periods_answers_until_the_journal_changes(app: Speciosa) -> None:
    first_day = date(2026, 1, 1)
    with app.journal() as journal:
        first = report_inputs(journal, first=first_day).insights
    with app.journal() as journal:
        assert report_inputs(journal, first=first_day).insights is first
    with app.journal() as journal:
        entries.log(journal, {"kind": "pain", "score": 1})
    with app.journal() as journal:
        changed = report_inputs(journal, first=first_day)
        assert changed.insights is not first
        fresh = analyse_entries(journal, changed.entries, last_days=None, charts=False)
        assert changed.insights.to_dict() == fresh.report.to_dict()


def test_a_local_server_works_the_answers_out_at_start_up(app: Speciosa) -> None:
    owner = app.local_owner()
    app.start_background(warm_owner=owner)
    with app.journal() as journal:
        version = insights_version(journal)
    found = app.results.wait_for(owner, NAME, version=version, timeout=60)
    assert found is not None  # stored by the worker before any view
    with app.journal() as journal:
        view = insights(journal, stale_ok=True)
        assert view.report is found.value.report
        assert view.to_dict() == _fresh(journal)
