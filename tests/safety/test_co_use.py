"""Co-use with CNS depressants and stimulants: logged substances, sleep diaries and regular
medicines; the 6-hour window is a stated convention."""

from __future__ import annotations

import pytest

from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import Medication, Substance
from speciosa.knowledge import load_knowledge, recommends_amount
from speciosa.safety import NO_ALERTS_NOTE
from speciosa.safety.thresholds import CO_USE_WINDOW_HOURS

from .builders import ZONE, Journal, at, profile
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
    # the catalogue's sources, then those behind the stated 6-hour convention
    assert alert.source_ids == (*catalogue.source_ids, *CO_USE_WINDOW_HOURS.source_ids)
    assert alert.analogy is catalogue.by_analogy
    assert alert.entry_ids == (dose, pill)
    assert "a benzodiazepine (xanax) near a kratom dose" in alert.explanation
    assert "on 1 occasion" in alert.explanation
    assert "The 6-hour window is Speciosa's convention, not a safe gap" in alert.explanation


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


# --- stimulants ------------------------------------------------------------------------------

STIMULANT_NAMES = [
    "amphetamine",
    "Adderall",
    "dexedrine",
    "dextroamphetamine",
    "vyvanse",
    "lisdexamfetamine",
    "methylphenidate",
    "Ritalin",
    "concerta",
    "modafinil",
    "provigil",
    "armodafinil",
    "nuvigil",
    "cocaine",
    "methamphetamine",
    "energy drink",
    "Energy  Drinks",
    "energy shot",
    "red bull",
    "caffeine pills",
    "caffeine tablet",
    "NoDoz",
    "pre-workout",
]


@pytest.mark.parametrize("name", STIMULANT_NAMES)
def test_class_of_knows_the_stimulants(name: str) -> None:
    assert class_of(name) is SubstanceClass.STIMULANT


@pytest.mark.parametrize("name", STIMULANT_NAMES)
def test_a_stimulant_near_a_dose_raises_the_catalogue_caution(name: str) -> None:
    journal = Journal()
    dose = journal.dose(1, "09:00")
    other = journal.substance(1, "11:00", name)
    alert = only(journal.window(), "co_use")
    catalogue = load_knowledge().interactions["stimulant"]
    assert alert.rule_id == "co_use.stimulant"
    assert alert.severity.value == catalogue.severity == "caution"
    assert (alert.title, alert.what_to_do) == (catalogue.title, catalogue.what_to_do)
    assert {"post-2019", "trakulsrichai-2013"} <= set(alert.source_ids)
    assert alert.entry_ids == (dose, other)
    assert f"a stimulant ({' '.join(name.lower().split())})" in alert.explanation
    assert "Speciosa's convention" in alert.explanation
    assert "seizures" in alert.explanation
    assert "fast heart rate" in alert.explanation


@pytest.mark.parametrize(
    ("name", "amount"),
    [
        ("coffee", None),
        ("tea", None),
        ("caffeine", None),
        ("caffeine", "1 cup"),
        ("nicotine", None),
    ],
)
def test_everyday_caffeine_and_nicotine_do_not_alert(name: str, amount: str | None) -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.add(
        Substance(
            at=at(1, "10:00"),
            zone=ZONE,
            name=name,
            substance_class=SubstanceClass.STIMULANT,
            amount=amount,
        )
    )
    assert alerts_for(journal.window(), "co_use") == []


def test_caffeine_logged_as_pills_is_high_caffeine() -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.add(
        Substance(
            at=at(1, "10:00"),
            zone=ZONE,
            name="caffeine",
            substance_class=SubstanceClass.STIMULANT,
            amount="2 tablets",
        )
    )
    assert only(journal.window(), "co_use").rule_id == "co_use.stimulant"


def test_a_stimulant_outside_the_window_does_not_alert() -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.substance(1, "15:01", "adderall")  # 6 h 1 min later
    assert alerts_for(journal.window(), "co_use") == []


def test_a_regular_stimulant_medicine_during_recent_use() -> None:
    meds = (
        Medication(name="Vyvanse", substance_class="stimulant"),
        Medication(name="coffee", substance_class="stimulant"),  # everyday: not warned about
    )
    journal = Journal(profile=profile(medications=meds))
    dose = journal.dose(3)
    alert = only(journal.window(), "co_use")
    assert alert.rule_id == "co_use.stimulant"
    assert "Your profile lists Vyvanse (a stimulant) as a regular medicine" in alert.explanation
    assert alert.entry_ids == (dose,)


# --- the co-use window is a stated convention ------------------------------------------------


def test_no_alerts_note_states_the_window_convention() -> None:
    assert f"{CO_USE_WINDOW_HOURS.value:g} hours" in NO_ALERTS_NOTE
    assert "convention" in NO_ALERTS_NOTE
    assert "does not mean a combination is safe" in NO_ALERTS_NOTE
    assert recommends_amount(NO_ALERTS_NOTE) is None


def test_the_sleep_diary_alert_states_the_convention_too() -> None:
    journal = Journal()
    journal.dose(2, "22:00")
    journal.sleep(2, bed="23:00", alcohol_drinks=2)
    alert = only(journal.window(), "co_use")
    assert "The 6-hour window is Speciosa's convention, not a safe gap" in alert.explanation
