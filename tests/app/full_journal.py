"""A journal that holds one of everything the native JSON carries, written through the app."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from speciosa.app import Speciosa, data, reminders
from speciosa.journal.models import Pain, Profile
from speciosa.journal.units import Unit
from speciosa.plans.base import measure_for
from speciosa.plans.experiment import ExperimentRequest, design_experiment
from speciosa.plans.taper import TaperChange, TaperRequest, TaperTarget, change, design_taper
from speciosa.plans.taper import end as end_taper
from speciosa.plans.taper import pause as pause_taper
from speciosa.plans.taper import resume as resume_taper
from speciosa.plans.usage import recent_use
from speciosa.store.database import open_database
from tests.factories import RED, ZONE, every_kind
from tests.plans.conftest import daily_doses

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
APPLE = Path(__file__).parents[1] / "fixtures" / "wearables" / "apple" / "export_small.xml"
PROFILE = Profile(timezone=ZONE, conditions=("chronic_pain", "migraine"), bedtime="23:00")


def open_app(url: str) -> Speciosa:
    return Speciosa(open_database(url), clock=lambda: NOW, default_zone=ZONE)


def fill(speciosa: Speciosa, owner: int | None = None) -> None:
    """Profile, a product with a lab-tested batch, every kind of entry, a deleted entry,
    wearable nights, a taper with five versions (ended), a running experiment and a routine
    (reminders)."""
    with speciosa.journal(owner) as journal:
        journal.store.save_profile(PROFILE, now=NOW)
        journal.store.add_product(RED, now=NOW)
        for entry in every_kind(NOW):
            journal.store.add_entry(entry, now=NOW)
        gone = journal.store.add_entry(
            Pain(at=NOW - timedelta(hours=2), zone=ZONE, score=3, note="logged twice"), now=NOW
        )
        journal.store.delete_entry(gone.id, now=NOW - timedelta(minutes=5))
        # A whole instant with a fraction, as wearables and other apps give them.
        journal.store.add_entry(
            Pain(at=NOW - timedelta(hours=3, microseconds=-250000), zone=ZONE, score=2), now=NOW
        )
    with speciosa.journal(owner) as journal:
        outcome = data.import_any(journal, APPLE)
        assert outcome.kind == "wearable"
        assert outcome.added > 0
    with speciosa.journal(owner) as journal:
        use = recent_use(daily_doses(30), today=TODAY, journal_start=TODAY - timedelta(days=30))
        taper = design_taper(
            TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3), every_days=7),
            use=use,
            measure=measure_for(Unit.GRAM, None),
            today=TODAY - timedelta(days=20),
            now=NOW - timedelta(days=20),
            clinician_consulted=True,
        )
        stored = journal.plans.add(taper, now=NOW - timedelta(days=20))
        paused = pause_taper(taper, day=TODAY - timedelta(days=17), now=NOW - timedelta(days=17))
        journal.plans.save(stored.id, paused, action="paused", now=NOW - timedelta(days=17))
        resumed = resume_taper(paused, day=TODAY - timedelta(days=14), now=NOW - timedelta(days=14))
        journal.plans.save(stored.id, resumed, action="resumed", now=NOW - timedelta(days=14))
        changed = change(
            resumed,
            TaperChange(every_days=21),
            day=TODAY - timedelta(days=12),
            now=NOW - timedelta(days=12),
        )
        journal.plans.save(stored.id, changed, action="changed", now=NOW - timedelta(days=12))
        ended = end_taper(changed, day=TODAY - timedelta(days=2), now=NOW - timedelta(days=2))
        journal.plans.save(stored.id, ended, action="ended", now=NOW - timedelta(days=2))
        experiment = design_experiment(
            ExperimentRequest(comparison="bedtime", outcome="pain", seed=1),
            profile=PROFILE,
            today=TODAY,
            now=NOW,
        )
        journal.plans.add(experiment, now=NOW)
    with speciosa.journal(owner) as journal:
        reminders.set_reminder(journal, "morning_diary", on=True, at="07:30")
        reminders.set_reminder(journal, "peg", on=True, weekday="sunday", title="Weekly check")
        reminders.set_reminder(journal, "sds", on=False, day=15)
