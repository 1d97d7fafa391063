"""Marking an alert as seen (SQLite and PostgreSQL): Today folds it away, an urgent or
unknown alert is refused, undo shows it again, and a new entry that continues the pattern
brings it back under a new key. Safety (open_alerts) always lists every alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from speciosa.app import Speciosa, alerts, entries, seen_alerts
from speciosa.app import today as today_view
from speciosa.errors import InvalidInput
from speciosa.store.database import open_database

NOW = datetime(2026, 6, 1, 20, 0, tzinfo=UTC)


class Clock:
    now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(database_url: str, clock: Clock) -> Iterator[Speciosa]:
    speciosa = Speciosa(open_database(database_url), clock=clock, default_zone="UTC")
    with speciosa.journal() as journal:
        entries.log(journal, {"kind": "dose", "amount": "3g", "at": "2 h ago"})
        entries.log(journal, {"kind": "substance", "name": "beer", "at": "1 h ago"})
    yield speciosa
    speciosa.close()


def _alcohol(speciosa: Speciosa) -> str:
    with speciosa.journal() as journal:
        found = [a for a in alerts.open_alerts(journal) if "alcohol" in a.title]
    assert len(found) == 1
    assert found[0].severity != "urgent"
    return found[0].key


def test_seen_folds_away_on_today_and_undo_brings_it_back(app: Speciosa) -> None:
    key = _alcohol(app)
    with app.journal() as journal:
        seen_alerts.mark_seen(journal, key)
    with app.journal() as journal:
        view = today_view.today(journal)
        assert [a.key for a in view.folded_alerts] == [key]
        assert key not in [a.key for a in view.listed_alerts]
        assert view.to_dict()["seen_alerts"] == [key]
        assert key in [a.key for a in alerts.open_alerts(journal)]  # Safety keeps it
        seen_alerts.unmark_seen(journal, key)
    with app.journal() as journal:
        assert key in [a.key for a in today_view.today(journal).listed_alerts]


def test_the_alert_comes_back_when_the_pattern_continues(app: Speciosa, clock: Clock) -> None:
    key = _alcohol(app)
    with app.journal() as journal:
        seen_alerts.mark_seen(journal, key)
    clock.now = NOW + timedelta(minutes=30)
    with app.journal() as journal:
        entries.log(journal, {"kind": "substance", "name": "wine"})
    new_key = _alcohol(app)
    assert new_key != key
    with app.journal() as journal:
        view = today_view.today(journal)
        assert new_key in [a.key for a in view.listed_alerts]
        assert view.folded_alerts == []


def test_unknown_and_urgent_alerts_are_refused(app: Speciosa) -> None:
    with app.journal() as journal:
        with pytest.raises(InvalidInput, match="only an open alert"):
            seen_alerts.mark_seen(journal, "no-such-rule@2026-01-01T00:00:00Z")
        entries.log(journal, {"kind": "side_effect", "symptom": "jaundice"})
    with app.journal() as journal:
        urgent = [a for a in alerts.open_alerts(journal) if a.severity == "urgent"]
        assert urgent
        with pytest.raises(InvalidInput, match="urgent alerts stay on Today"):
            seen_alerts.mark_seen(journal, urgent[0].key)
        assert seen_alerts.seen_keys(journal) == frozenset()
