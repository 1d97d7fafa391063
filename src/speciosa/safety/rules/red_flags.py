"""Red-flag symptoms: liver warning signs and other signs that need care now.

Kratom liver injury presented with jaundice, dark urine, itching and belly discomfort,
usually 2–7 weeks after starting (Schimmel & Dart 2020); poison centres recorded seizures,
and depressant combinations can slow breathing. These alerts are urgent and pause plans.
Mild itching alone is a warning rather than urgent (see ``ITCHING_URGENT_SEVERITY``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.journal.catalogues import Symptom
from speciosa.journal.models import SideEffect
from speciosa.knowledge.thresholds import (
    LIVER_INJURY_LATENCY_MAX_DAYS,
    LIVER_INJURY_LATENCY_MIN_DAYS,
)
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule
from speciosa.safety.thresholds import ITCHING_URGENT_SEVERITY, RED_FLAG_LOOKBACK_DAYS
from speciosa.safety.window import JournalWindow, Stored, ids, latest

LIVER_SOURCES: tuple[str, ...] = ("schimmel-dart-2020", "livertox-kratom", "ahmad-2021")
OTHER_SOURCES: tuple[str, ...] = (
    "post-2019",
    "trakulsrichai-2013",
    "fda-2016-opioid-benzo",
    "hill-2022-bjp",
)

LIVER_SIGNS: dict[Symptom, str] = {
    Symptom.JAUNDICE: "yellow skin or eyes",
    Symptom.DARK_URINE: "dark urine",
    Symptom.PALE_STOOLS: "pale stools",
    Symptom.UPPER_RIGHT_ABDOMINAL_PAIN: "pain in the upper right belly",
    Symptom.ITCHING: "itching",
}
OTHER_FLAGS: dict[Symptom, str] = {
    Symptom.SEIZURE: "a seizure",
    Symptom.FAINTING: "fainting",
    Symptom.TROUBLE_BREATHING: "trouble breathing",
    Symptom.CHEST_PAIN: "chest pain",
    Symptom.CONFUSION: "confusion",
}

_STOP_AND_GET_CARE = "Stop using kratom and get medical care now"


def _recent(
    window: JournalWindow, now: datetime, wanted: dict[Symptom, str]
) -> list[Stored[SideEffect]]:
    since = now - timedelta(days=RED_FLAG_LOOKBACK_DAYS.value)
    return [
        s for s in window.of_kind(SideEffect, now=now, since=since) if s.entry.symptom in wanted
    ]


def _names(found: list[Stored[SideEffect]], wanted: dict[Symptom, str]) -> str:
    return ", ".join(sorted({wanted[s.entry.symptom] for s in found}))


def check_liver(window: JournalWindow, now: datetime) -> list[Alert]:
    """Urgent for a liver sign; mild itching alone is a warning."""
    found = _recent(window, now, LIVER_SIGNS)
    if not found:
        return []
    urgent = any(
        s.entry.symptom is not Symptom.ITCHING or ITCHING_URGENT_SEVERITY.reached(s.entry.severity)
        for s in found
    )
    latency = (
        f"Reported cases began {LIVER_INJURY_LATENCY_MIN_DAYS.value:g} to "
        f"{LIVER_INJURY_LATENCY_MAX_DAYS.value:g} days after starting kratom"
    )
    explanation = (
        f"You logged {_names(found, LIVER_SIGNS)} in the last "
        f"{RED_FLAG_LOOKBACK_DAYS.value:g} days. These can be signs of liver injury, which has "
        f"been reported with kratom, mostly cholestatic and sometimes severe. {latency}."
    )
    if urgent:
        severity, title = Severity.URGENT, "Possible liver warning signs: get care now"
        what = (
            f"{_STOP_AND_GET_CARE}: see a doctor today or go to urgent care, say that you use "
            "kratom and ask for liver blood tests. Bring the product and its label."
        )
    else:
        severity, title = Severity.WARNING, "Itching: watch for liver warning signs"
        what = (
            "Mild itching alone has many causes. Watch for yellow skin or eyes, dark urine, "
            "pale stools or upper-right belly pain; if any appear, stop kratom and get care "
            "now. If the itching lasts, see a doctor and mention your kratom use."
        )
    return [_alert("red_flag.liver", severity, title, explanation, what, LIVER_SOURCES, found, now)]


def check_other(window: JournalWindow, now: datetime) -> list[Alert]:
    """Urgent for a seizure, fainting, trouble breathing, chest pain or confusion."""
    found = _recent(window, now, OTHER_FLAGS)
    if not found:
        return []
    explanation = (
        f"You logged {_names(found, OTHER_FLAGS)} in the last "
        f"{RED_FLAG_LOOKBACK_DAYS.value:g} days. Poison centres have recorded seizures, a "
        "racing heart and breathing problems with kratom, mostly when combined with other "
        "substances; depressant combinations can slow breathing."
    )
    what = (
        f"{_STOP_AND_GET_CARE}. Call emergency services for a seizure, trouble breathing, chest "
        "pain, fainting or confusion that is happening now; otherwise see a doctor today and say "
        "that you use kratom and what else you took."
    )
    return [
        _alert(
            "red_flag.other",
            Severity.URGENT,
            "Red-flag symptom: get care now",
            explanation,
            what,
            OTHER_SOURCES,
            found,
            now,
        )
    ]


def _alert(
    rule_id: str,
    severity: Severity,
    title: str,
    explanation: str,
    what_to_do: str,
    sources: tuple[str, ...],
    found: list[Stored[SideEffect]],
    now: datetime,
) -> Alert:
    return Alert(
        rule_id=rule_id,
        severity=severity,
        title=title,
        explanation=explanation,
        what_to_do=what_to_do,
        source_ids=sources,
        entry_ids=ids(found),
        at=latest(found, now),
    )


LIVER_RULE = Rule(
    id="red_flag.liver",
    concern="liver warning signs (jaundice, dark urine, itching, pale stools, upper-right pain)",
    check=check_liver,
    source_ids=LIVER_SOURCES,
)
OTHER_RULE = Rule(
    id="red_flag.other",
    concern="seizure, fainting, trouble breathing, chest pain or confusion",
    check=check_other,
    source_ids=OTHER_SOURCES,
)
