"""Red flags: liver warning signs and other signs are urgent and pause plans, whether
logged as the catalogue symptom, in everyday words or in a note."""

from __future__ import annotations

from datetime import timedelta

import pytest

from speciosa.journal.catalogues import Symptom, symptom_of
from speciosa.journal.models import Dose, SideEffect
from speciosa.safety import evaluate, pauses_plans
from speciosa.safety.rules.red_flags import signs_in

from .builders import NOW, ZONE, Journal, at
from .helpers import alerts_for, only


@pytest.mark.parametrize(
    "symptom",
    [
        Symptom.JAUNDICE,
        Symptom.DARK_URINE,
        Symptom.PALE_STOOLS,
        Symptom.UPPER_RIGHT_ABDOMINAL_PAIN,
    ],
)
def test_liver_signs_are_urgent(symptom: Symptom) -> None:
    journal = Journal()
    journal.dose(3)
    sign = journal.side_effect(2, "10:00", symptom)
    alert = only(journal.window(), "red_flag.liver")
    assert alert.severity.value == "urgent"
    assert alert.entry_ids == (sign,)
    assert alert.what_to_do.startswith("Stop using kratom and get medical care now")
    assert "schimmel-dart-2020" in alert.source_ids
    assert pauses_plans(evaluate(journal.window(), now=NOW))


@pytest.mark.parametrize(
    ("severity", "with_dark_urine", "expected"),
    [
        (1, False, "warning"),  # mild itching alone: watch for the other signs
        (2, False, "urgent"),  # moderate itching: urgent
        (1, True, "urgent"),  # mild itching with another liver sign: urgent
    ],
)
def test_itching(severity: int, with_dark_urine: bool, expected: str) -> None:
    journal = Journal()
    ids = [journal.side_effect(1, "10:00", Symptom.ITCHING, severity)]
    if with_dark_urine:
        ids.append(journal.side_effect(1, "11:00", Symptom.DARK_URINE))
    alert = only(journal.window(), "red_flag.liver")
    assert alert.severity.value == expected
    assert alert.entry_ids == tuple(ids)


@pytest.mark.parametrize(
    "symptom",
    [
        Symptom.SEIZURE,
        Symptom.FAINTING,
        Symptom.TROUBLE_BREATHING,
        Symptom.CHEST_PAIN,
        Symptom.CONFUSION,
    ],
)
def test_other_red_flags_are_urgent(symptom: Symptom) -> None:
    journal = Journal()
    flag = journal.side_effect(0, "12:00", symptom, 3)
    alert = only(journal.window(), "red_flag.other")
    assert (alert.severity.value, alert.entry_ids) == ("urgent", (flag,))


@pytest.mark.parametrize(("days_ago", "fires"), [(14, True), (14.01, False)])
def test_red_flag_look_back_is_14_days(days_ago: float, fires: bool) -> None:
    journal = Journal()
    journal.add(SideEffect(at=NOW - timedelta(days=days_ago), zone=ZONE, symptom=Symptom.SEIZURE))
    assert bool(alerts_for(journal.window(), "red_flag")) is fires


def test_ordinary_side_effects_are_not_red_flags() -> None:
    journal = Journal()
    journal.side_effect(1, "10:00", Symptom.NAUSEA, 3)
    journal.side_effect(1, "11:00", Symptom.CONSTIPATION, 2)
    assert alerts_for(journal.window(), "red_flag") == []


# --- red flags in the person's words --------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "symptom"),
    [
        ("yellow eyes", Symptom.JAUNDICE),
        ("Yellow Skin", Symptom.JAUNDICE),
        ("YELLOW EYES", Symptom.JAUNDICE),
        ("yellow-eyes", Symptom.JAUNDICE),
        ("jaundiced", Symptom.JAUNDICE),
        ("dark urine", Symptom.DARK_URINE),
        ("Dark Urine", Symptom.DARK_URINE),
        ("DARK-URINE", Symptom.DARK_URINE),
        ("dark pee", Symptom.DARK_URINE),
        ("pale stool", Symptom.PALE_STOOLS),
        ("upper right belly pain", Symptom.UPPER_RIGHT_ABDOMINAL_PAIN),
    ],
)
def test_liver_signs_in_everyday_words_are_the_catalogue_sign(words: str, symptom: Symptom) -> None:
    assert symptom_of(words) is symptom
    journal = Journal()
    journal.dose(3)
    sign = journal.add(SideEffect(at=at(1, "10:00"), zone=ZONE, symptom=words))  # type: ignore[arg-type]
    alert = only(journal.window(), "red_flag.liver")
    assert (alert.severity.value, alert.entry_ids) == ("urgent", (sign,))


@pytest.mark.parametrize(
    ("note", "shown"),
    [
        ("My eyes look a bit yellow", "yellow skin or eyes"),
        ("yellow skin since Monday", "yellow skin or eyes"),
        ("Dark urine this morning", "dark urine"),
        ("dark  urine", "dark urine"),
        ("my pee is really dark", "dark urine"),
        ("clay-coloured stools", "pale stools"),
    ],
)
def test_other_side_effect_with_a_liver_note_is_urgent(note: str, shown: str) -> None:
    journal = Journal()
    journal.dose(3)
    sign = journal.add(
        SideEffect(at=at(1, "10:00"), zone=ZONE, symptom=Symptom.OTHER, note=note, severity=1)
    )
    alert = only(journal.window(), "red_flag.liver")
    assert (alert.severity.value, alert.entry_ids) == ("urgent", (sign,))
    assert shown in alert.explanation
    assert pauses_plans(evaluate(journal.window(), now=NOW))


def test_a_liver_sign_in_any_entrys_note_counts() -> None:
    journal = Journal()
    dose = journal.add(
        Dose(at=at(1, "09:00"), zone=ZONE, amount=3, grams=3, note="noticed yellow eyes today")
    )
    alert = only(journal.window(), "red_flag.liver")
    assert alert.entry_ids == (dose,)


@pytest.mark.parametrize(
    "note",
    ["no dark urine", "eyes not yellow", "urine isn't dark", "without yellow skin", "felt fine"],
)
def test_negated_or_unrelated_notes_are_not_red_flags(note: str) -> None:
    journal = Journal()
    journal.add(SideEffect(at=at(1, "10:00"), zone=ZONE, symptom=Symptom.OTHER, note=note))
    assert alerts_for(journal.window(), "red_flag") == []


@pytest.mark.parametrize(
    "note", ["had a seizure", "passed out at work", "short of breath", "chest pain at night"]
)
def test_other_red_flags_in_a_note_are_urgent(note: str) -> None:
    journal = Journal()
    flag = journal.add(SideEffect(at=at(0, "12:00"), zone=ZONE, symptom=Symptom.OTHER, note=note))
    alert = only(journal.window(), "red_flag.other")
    assert (alert.severity.value, alert.entry_ids) == ("urgent", (flag,))


def test_signs_in_quotes_the_phrase() -> None:
    assert signs_in("Pee is DARK and eyes look yellow") == {
        Symptom.DARK_URINE: "Pee is DARK",
        Symptom.JAUNDICE: "eyes look yellow",
    }
