"""What a clinician asks about: seizure risk (epilepsy, tramadol, bupropion), breathing risk
(COPD, sleep apnoea, older age), serotonergic medicines (tramadol the key case), liver
disease with paracetamol or alcohol, the CYP2D6 note and medicines that change CYP3A (and so
how much 7-OH forms). Each rule cites its sources and never names an amount of kratom."""

from __future__ import annotations

import pytest

from speciosa.journal.catalogues import HealthCondition, SubstanceClass, class_of
from speciosa.journal.models import Medication, Substance
from speciosa.knowledge import load_knowledge, recommends_amount
from speciosa.safety import Alert
from speciosa.safety.rules.profile import (
    BREATHING_SOURCES,
    LIVER_SOURCES,
    SEIZURE_SOURCES,
)
from speciosa.safety.thresholds import CO_USE_WINDOW_HOURS, OLDER_AGE_YEARS

from .builders import NOW, ZONE, Journal, at, profile
from .helpers import alerts_for, only


def _meds(*names: str) -> tuple[Medication, ...]:
    return tuple(
        Medication(name=n, substance_class=class_of(n) or SubstanceClass.OTHER) for n in names
    )


def _clean(alert: Alert) -> None:
    for text in alert.texts():
        assert recommends_amount(text) is None, text
    sources = load_knowledge().sources
    assert all(sources[s].verified for s in alert.source_ids)
    assert alert.entry_ids


# --- the vocabulary ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cls"),
    [
        ("tramadol", SubstanceClass.OPIOID),
        ("Bupropion", SubstanceClass.OTHER_ANTIDEPRESSANT),
        ("wellbutrin", SubstanceClass.OTHER_ANTIDEPRESSANT),
        ("sertraline", SubstanceClass.SEROTONERGIC),
        ("Prozac", SubstanceClass.SEROTONERGIC),
        ("duloxetine", SubstanceClass.SEROTONERGIC),
        ("venlafaxine", SubstanceClass.SEROTONERGIC),
        ("SSRI", SubstanceClass.SEROTONERGIC),
        ("sumatriptan", SubstanceClass.SEROTONERGIC),
        ("St John's wort", SubstanceClass.SEROTONERGIC),
        ("paracetamol", SubstanceClass.PARACETAMOL),
        ("Acetaminophen", SubstanceClass.PARACETAMOL),
        ("tylenol", SubstanceClass.PARACETAMOL),
    ],
)
def test_class_of_knows_the_medicines_clinicians_ask_about(name: str, cls: SubstanceClass) -> None:
    assert class_of(name) is cls


@pytest.mark.parametrize(
    ("words", "condition"),
    [
        ("sleep apnea", HealthCondition.SLEEP_APNOEA),
        ("Sleep-Apnoea", HealthCondition.SLEEP_APNOEA),
        ("seizure disorder", HealthCondition.EPILEPSY),
        ("COPD", HealthCondition.COPD),
        ("cirrhosis", HealthCondition.LIVER_DISEASE),
    ],
)
def test_health_conditions_accept_everyday_words(words: str, condition: HealthCondition) -> None:
    assert HealthCondition(words) is condition


# --- seizure risk ------------------------------------------------------------------------------


def test_epilepsy_with_recent_use_is_a_warning_citing_the_poison_centre_series() -> None:
    journal = Journal(profile=profile(health_conditions=("epilepsy",)))
    dose = journal.dose(3)
    alert = only(journal.window(), "epilepsy")
    assert (alert.severity.value, alert.entry_ids) == ("warning", (dose,))
    assert alert.source_ids == SEIZURE_SOURCES == ("trakulsrichai-2013", "post-2019")
    assert "17.5% of poisonings" in alert.explanation
    assert "has not been studied" in alert.explanation
    _clean(alert)


def test_epilepsy_names_a_regular_medicine_that_lowers_the_threshold() -> None:
    journal = Journal(
        profile=profile(health_conditions=("epilepsy",), medications=_meds("Wellbutrin"))
    )
    journal.dose(3)
    alert = only(journal.window(), "epilepsy")
    assert "Your profile also lists wellbutrin, commonly listed as lowering" in alert.explanation


def test_epilepsy_without_recent_use_or_without_epilepsy_is_silent() -> None:
    old = Journal(profile=profile(health_conditions=("epilepsy",)))
    old.dose(31)
    assert alerts_for(old.window(), "epilepsy") == []
    other = Journal(profile=profile(health_conditions=("copd",)))
    other.dose(1)
    assert alerts_for(other.window(), "epilepsy") == []


@pytest.mark.parametrize("name", ["tramadol", "Ultram", "bupropion", "Zyban"])
def test_tramadol_or_bupropion_near_a_dose_raises_the_seizure_caution(name: str) -> None:
    journal = Journal()
    dose = journal.dose(1, "09:00")
    pill = journal.substance(1, "12:00", name)
    alert = only(journal.window(), "seizure_medicine")
    entry = load_knowledge().interactions["seizure_threshold"]
    assert (
        (alert.severity.value, alert.title)
        == (entry.severity, entry.title)
        == (
            "caution",
            entry.title,
        )
    )
    assert alert.source_ids == (*entry.source_ids, *CO_USE_WINDOW_HOURS.source_ids)
    assert {"trakulsrichai-2013", "post-2019"} <= set(alert.source_ids)
    assert alert.entry_ids == (dose, pill)
    assert f"Your journal shows {name.lower()} near a kratom dose" in alert.explanation
    assert "Speciosa's convention, not a safe gap" in alert.explanation
    _clean(alert)


def test_a_regular_bupropion_during_recent_use_raises_the_seizure_caution() -> None:
    journal = Journal(profile=profile(medications=_meds("bupropion")))
    dose = journal.dose(5)
    alert = only(journal.window(), "seizure_medicine")
    assert "Your profile lists bupropion as a regular medicine" in alert.explanation
    assert alert.entry_ids == (dose,)
    assert alert.source_ids == load_knowledge().interactions["seizure_threshold"].source_ids


def test_seizure_medicines_far_from_a_dose_or_without_recent_use_are_silent() -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.substance(1, "15:01", "tramadol")  # 6 h 1 min after the dose
    assert alerts_for(journal.window(), "seizure_medicine") == []
    regular = Journal(profile=profile(medications=_meds("bupropion")))
    regular.dose(40)
    assert alerts_for(regular.window(), "seizure_medicine") == []


# --- serotonergic medicines ----------------------------------------------------------------------


def test_tramadol_the_key_case_is_serotonergic_too() -> None:
    journal = Journal(profile=profile(medications=_meds("tramadol")))
    journal.dose(2)
    alert = only(journal.window(), "serotonergic_medicine")
    entry = load_knowledge().interactions["serotonergic"]
    assert (alert.severity.value, alert.title, alert.analogy) == ("caution", entry.title, True)
    assert "fda-2016-opioid-serotonin" in alert.source_ids
    assert "tramadol, tapentadol and meperidine already carried this warning" in (alert.explanation)
    assert "Your profile lists tramadol as a regular medicine" in alert.explanation
    found = {a.rule_id for a in alerts_for(journal.window(), "")}
    # tramadol is an opioid, lowers the seizure threshold and is activated by CYP2D6
    assert {"co_use.opioid", "seizure_medicine", "serotonergic_medicine", "cyp2d6_medicine"} <= (
        found
    )
    _clean(alert)


@pytest.mark.parametrize("name", ["sertraline", "Cymbalta", "sumatriptan", "phenelzine"])
def test_a_serotonergic_medicine_near_a_dose_raises_the_caution(name: str) -> None:
    journal = Journal()
    dose = journal.dose(1, "21:00")
    pill = journal.substance(1, "22:00", name)
    alert = only(journal.window(), "serotonergic_medicine")
    assert alert.entry_ids == (dose, pill)
    assert f"{name.lower()} near a kratom dose" in alert.explanation
    assert alerts_for(journal.window(), "co_use") == []  # not a depressant or stimulant


def test_an_entry_logged_before_the_class_was_known_still_counts() -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.add(Substance(at=at(1, "10:00"), zone=ZONE, name="Zoloft", substance_class="other"))
    assert only(journal.window(), "serotonergic_medicine")


# --- breathing risk ------------------------------------------------------------------------------


def test_copd_with_recent_use_is_a_caution_from_the_fda_gabapentinoid_warning() -> None:
    journal = Journal(profile=profile(health_conditions=("copd",)))
    dose = journal.dose(2)
    alert = only(journal.window(), "breathing_risk")
    assert (alert.severity.value, alert.entry_ids, alert.analogy) == ("caution", (dose,), True)
    assert alert.source_ids == BREATHING_SOURCES
    assert "fda-2019-gabapentinoids" in alert.source_ids
    assert "Your profile records COPD or another lung disease" in alert.explanation
    assert "lung conditions such as COPD, older age" in alert.explanation
    assert "sleep apnoea" not in alert.explanation
    _clean(alert)


def test_sleep_apnoea_counts_and_says_the_fda_list_does_not_name_it() -> None:
    journal = Journal(profile=profile(health_conditions=("sleep_apnoea",)))
    journal.dose(2)
    alert = only(journal.window(), "breathing_risk")
    assert "The FDA's list does not name sleep apnoea" in alert.explanation


@pytest.mark.parametrize(("age", "fires"), [(OLDER_AGE_YEARS.value, True), (64, False)])
def test_older_age_from_the_birth_year(age: int, fires: bool) -> None:
    assert OLDER_AGE_YEARS.value == 65
    journal = Journal(profile=profile(birth_year=NOW.year - age))
    journal.dose(2)
    found = alerts_for(journal.window(), "breathing_risk")
    assert bool(found) is fires
    if fires:
        assert f"an age of {age} this year" in found[0].explanation


def test_a_depressant_makes_the_breathing_alert_a_warning() -> None:
    regular = Journal(profile=profile(health_conditions=("copd",), medications=_meds("gabapentin")))
    regular.dose(2)
    alert = only(regular.window(), "breathing_risk")
    assert alert.severity.value == "warning"
    assert "gabapentin as a regular medicine" in alert.explanation
    logged = Journal(profile=profile(birth_year=1950))
    dose = logged.dose(2, "21:00")
    drink = logged.substance(2, "22:00", "wine")
    alert = only(logged.window(), "breathing_risk")
    assert alert.severity.value == "warning"
    assert "alcohol (wine) near a dose" in alert.explanation
    assert alert.entry_ids == (dose, drink)


def test_no_breathing_alert_without_a_risk_factor_or_recent_use() -> None:
    plain = Journal()
    plain.dose(1)
    assert alerts_for(plain.window(), "breathing_risk") == []
    old = Journal(profile=profile(health_conditions=("copd",)))
    old.dose(31)
    assert alerts_for(old.window(), "breathing_risk") == []


# --- liver disease -----------------------------------------------------------------------------


def test_liver_disease_with_recent_use_is_a_warning() -> None:
    journal = Journal(profile=profile(health_conditions=("liver_disease",)))
    dose = journal.dose(4)
    alert = only(journal.window(), "liver_disease")
    assert (alert.severity.value, alert.entry_ids) == ("warning", (dose,))
    assert alert.source_ids == LIVER_SOURCES == ("schimmel-dart-2020", "livertox-kratom")
    assert "median of 20.6 days" in alert.explanation
    assert "paracetamol" not in alert.explanation
    _clean(alert)


def test_liver_disease_with_paracetamol_and_alcohol_cites_the_label_warning() -> None:
    journal = Journal(
        profile=profile(health_conditions=("liver_disease",), medications=_meds("Tylenol"))
    )
    dose = journal.dose(4)
    pill = journal.substance(3, "10:00", "acetaminophen")
    beer = journal.substance(2, "19:00", "beer")
    diary = journal.sleep(1, alcohol_drinks=2)
    alert = only(journal.window(), "liver_disease")
    assert alert.source_ids == (*LIVER_SOURCES, "fda-2015-acetaminophen-liver")
    assert (
        "Tylenol (paracetamol) as a regular medicine, paracetamol logged 1 time and alcohol "
        "on 2 days in the last 30 days"
    ) in alert.explanation
    assert "3 or more alcoholic drinks every day" in alert.explanation
    assert "what paracetamol and alcohol mean for your liver" in alert.what_to_do
    assert alert.entry_ids == tuple(sorted((dose, pill, beer, diary)))
    _clean(alert)


def test_paracetamol_without_liver_disease_raises_no_liver_alert() -> None:
    journal = Journal()
    journal.dose(1, "09:00")
    journal.substance(1, "10:00", "paracetamol")
    assert alerts_for(journal.window(), "liver_disease") == []


# --- CYP2D6 and the medicines that change 7-OH formation ----------------------------------------


def test_a_cyp2d6_medicine_gets_the_note_that_one_cup_showed_no_effect() -> None:
    journal = Journal(profile=profile(medications=_meds("Codeine")))
    dose = journal.dose(2)
    alert = only(journal.window(), "cyp2d6_medicine")
    entry = load_knowledge().interactions["cyp2d6_substrate"]
    assert (alert.severity.value, alert.title) == ("info", entry.title)
    assert alert.source_ids == ("tanna-2021-jpet", "tanna-2023-ddi")
    assert "Your profile lists Codeine as a regular medicine" in alert.explanation
    assert "commonly listed as broken down or activated by CYP2D6" in alert.explanation
    assert "did not change blood levels of the CYP2D6 test drug dextromethorphan" in (
        alert.explanation
    )
    assert alert.entry_ids == (dose,)
    _clean(alert)


@pytest.mark.parametrize("name", ["carbamazepine", "clarithromycin", "rifampicin"])
def test_a_medicine_that_changes_cyp3a_gets_the_7oh_formation_note(name: str) -> None:
    journal = Journal()
    dose = journal.dose(2)
    pill = journal.substance(2, "20:00", name)
    alert = only(journal.window(), "seven_oh_formation")
    assert alert.source_ids == ("kruegel-2019", "hill-2022-bjp")
    assert f"You logged {name} in the last 30 days (1 entry)" in alert.explanation
    assert "commonly listed as blocking or speeding up CYP3A" in alert.explanation
    assert "direction and size of any change are not known" in alert.explanation
    assert alert.entry_ids == (dose, pill)
    _clean(alert)


def test_old_profiles_without_the_new_fields_raise_none_of_these_alerts() -> None:
    journal = Journal(profile=profile(medications=_meds("vitamin d")))
    journal.dose(1)
    rules = ("epilepsy", "breathing_risk", "liver_disease", "cyp2d6", "seven_oh", "seizure", "sero")
    assert [
        a.rule_id for a in alerts_for(journal.window(), "") if a.rule_id.startswith(rules)
    ] == []
