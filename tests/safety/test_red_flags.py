"""Red flags: liver warning signs and other signs are urgent and pause plans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from speciosa.journal.catalogues import Symptom
from speciosa.journal.models import SideEffect
from speciosa.safety import evaluate, pauses_plans

from .builders import NOW, ZONE, Journal
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
