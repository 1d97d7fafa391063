"""The profile is one JSON document in one row: adding fields needs no migration, and a row
written before the clinical fields existed still loads (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import datetime

from speciosa.journal.models import Profile
from speciosa.store.database import Database
from speciosa.store.journal_store import JournalStore, owner_id
from speciosa.store.tables import ProfileRow

OLD_ROW = {
    "timezone": "Europe/London",
    "bedtime": "22:30",
    "wake_time": "06:45",
    "conditions": ["migraine"],
    "goals": [],
    "limits": {"grams_per_day": 5.0, "doses_per_day": None, "use_days_per_week": None},
    "medications": [{"name": "bupropion", "substance_class": "other"}],
    "pregnant_or_breastfeeding": False,
}


def test_a_profile_row_without_the_clinical_fields_loads_and_can_gain_them(
    database: Database, now: datetime
) -> None:
    with database.transaction() as session:
        owner = owner_id(session, "local", now=now)
        session.add(ProfileRow(owner_id=owner, data=OLD_ROW, updated_at=now))
    with database.transaction() as session:
        store = JournalStore(session, owner_id(session, "local", now=now))
        old = store.profile()
        assert old is not None
        assert (old.health_conditions, old.birth_year) == ((), None)
        assert old.medications[0].name == "bupropion"
        gained = {"health_conditions": ["liver_disease"], "birth_year": 1950}
        store.save_profile(Profile.model_validate({**old.model_dump(), **gained}), now=now)
    with database.transaction() as session:
        back = JournalStore(session, owner_id(session, "local", now=now)).profile()
    assert back == Profile.model_validate(
        {**OLD_ROW, "health_conditions": ["liver_disease"], "birth_year": 1950}
    )
