"""Co-use with CNS depressants: logged substances, sleep diaries and regular medicines."""

from __future__ import annotations

import pytest

from speciosa.journal.models import Medication
from speciosa.knowledge import load_knowledge
from speciosa.safety.thresholds import CO_USE_WINDOW_HOURS

from .builders import Journal, profile
from .helpers import alerts_for, only


def test_benzodiazepine_within_the_window_raises_the_catalogue_warning() -> None:
    journal = Journal()
    dose = journal.dose(1, "09:00")
    pill = journal.substance(1, "14:00", "xanax")  # 5 h after the dose
    alert = only(journal.window(), "co_use")
    catalogue = load_knowledge().interactions["benzodiazepine"]
    assert alert.rule_id == "co_use.benzodiazepine"
    assert alert.severity.value == catalogue.severity == "warning"
    assert alert.title == catalogue.title
    assert alert.what_to_do == catalogue.what_to_do
    assert alert.source_ids == catalogue.source_ids
    assert alert.analogy is catalogue.by_analogy
    assert alert.entry_ids == (dose, pill)
    assert "on 1 occasion" in alert.explanation


@pytest.mark.parametrize(
    ("wall", "fires"),
    [
        ("15:00", True),  # exactly 6 h after the 09:00 dose: inside (<= 6 h)
        ("15:01", False),  # 6 h 1 min: outside
        ("03:00", True),  # 6 h *before* the dose counts too (03:00 is the same calendar day)
    ],
)
def test_co_use_window_boundary(wall: str, fires: bool) -> None:
    assert CO_USE_WINDOW_HOURS.value == 6
    journal = Journal()
    journal.dose(1, "09:00")
    # 03:00 belongs to the night of day 2 in the journal, i.e. the morning of day 1's date
    journal.substance(2 if wall == "03:00" else 1, wall, "alcohol")
    assert bool(alerts_for(journal.window(), "co_use")) is fires


def test_old_co_use_and_non_depressants_do_not_alert() -> None:
    journal = Journal()
    journal.dose(31, "09:00")
    journal.substance(31, "10:00", "oxycodone")  # 31 days ago: beyond the 30-day look-back
    journal.dose(1, "09:00")
    journal.substance(1, "10:00", "coffee")  # a stimulant, not a depressant
    assert alerts_for(journal.window(), "co_use") == []


def test_alcohol_in_the_sleep_diary_on_an_evening_dose_night() -> None:
    journal = Journal()
    evening = journal.dose(2, "22:00")
    diary = journal.sleep(2, bed="23:00", alcohol_drinks=2)
    alert = only(journal.window(), "co_use")
    assert alert.rule_id == "co_use.alcohol"
    assert alert.entry_ids == (evening, diary)


def test_sleep_diary_drinks_without_an_evening_dose_do_not_alert() -> None:
    journal = Journal()
    journal.dose(2, "09:00")  # 14 h before getting into bed
    journal.sleep(2, bed="23:00", alcohol_drinks=3)
    journal.dose(3, "22:30")
    journal.sleep(3, bed="23:00")  # a dose night without drinks or sleep aids
    assert alerts_for(journal.window(), "co_use") == []


def test_sleep_aids_are_classified_and_unknown_ones_count_as_sedating() -> None:
    journal = Journal()
    journal.dose(2, "22:30")
    journal.sleep(2, sleep_aids=("zolpidem", "Dream Drops"))
    found = {a.rule_id for a in alerts_for(journal.window(), "co_use")}
    assert found == {"co_use.z_drug", "co_use.other_cns_depressant"}


def test_regular_medicine_of_a_depressant_class_during_recent_use() -> None:
    meds = (Medication(name="gabapentin", substance_class="gabapentinoid"),)
    journal = Journal(profile=profile(medications=meds))
    dose = journal.dose(5)
    alert = only(journal.window(), "co_use")
    assert alert.rule_id == "co_use.gabapentinoid"
    assert "gabapentin" in alert.explanation
    assert alert.entry_ids == (dose,)
    assert alert.source_ids == load_knowledge().interactions["gabapentinoid"].source_ids


def test_regular_medicine_without_recent_kratom_use_is_silent() -> None:
    meds = (Medication(name="tramadol", substance_class="opioid"),)
    journal = Journal(profile=profile(medications=meds))
    journal.dose(40)  # last use 40 days ago: not current use
    assert alerts_for(journal.window(), "co_use") == []
