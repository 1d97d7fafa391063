"""Red-flag symptoms: liver warning signs and other signs that need care now.

Kratom liver injury presented with jaundice, dark urine, itching and belly discomfort,
a median of 20.6 days (range 2–49 days) after starting (Schimmel & Dart 2020); poison
centres recorded seizures, and depressant combinations can slow breathing. These alerts are
urgent and pause plans.
Mild itching alone is a warning rather than urgent (see ``ITCHING_URGENT_SEVERITY``).

Signs count when logged as the catalogue symptom (the catalogue also accepts the person's
words, "Dark urine" or "yellow eyes", see ``journal.catalogues.symptom_of``) and when the
person writes them in the note of any entry, for example a side effect logged as "other"
with the note "my eyes look yellow". Notes are read with the patterns below; a phrase right
after "no", "not" or "without" ("no dark urine") is not a sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from speciosa.journal.catalogues import Symptom
from speciosa.journal.models import EntryBase, SideEffect
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

_SEP = r"[\s_-]+"
_UP_TO_3_WORDS = r"(?:\s+\S+){0,3}?\s+"
# Red flags in the person's own words. Itching and confusion are left out: in a note they
# are too often about something else ("itchy eyes", "confused about the label").
NOTE_PATTERNS: dict[Symptom, re.Pattern[str]] = {
    symptom: re.compile(pattern, re.IGNORECASE)
    for symptom, pattern in {
        Symptom.JAUNDICE: rf"\bjaundic\w*|\byellow(?:ing|ish)?{_SEP}(?:of{_SEP}(?:the{_SEP}|my"
        rf"{_SEP})?)?(?:eyes?|skin|whites)\b|\b(?:eyes?|skin){_UP_TO_3_WORDS}yellow(?:ish)?\b",
        Symptom.DARK_URINE: rf"\b(?:dark|brown|cola|tea)(?:{_SEP}colou?red)?{_SEP}(?:urine|pee|wee)"
        rf"\b|\b(?:urine|pee|wee){_UP_TO_3_WORDS}(?:dark|brown)\b",
        Symptom.PALE_STOOLS: rf"\b(?:pale|white|clay|grey|gray|chalky)(?:{_SEP}colou?red)?{_SEP}"
        rf"(?:stools?|poos?|poops?|faeces|feces)\b",
        Symptom.UPPER_RIGHT_ABDOMINAL_PAIN: rf"\b(?:upper{_SEP}right|right{_SEP}upper)"
        rf"(?:\s+\S+){{0,2}}?\s+(?:belly|abdomen|abdominal|stomach|tummy|quadrant)\b",
        Symptom.SEIZURE: r"\b(?:seizures?|seizing|convulsions?|convuls(?:ed|ing))\b",
        Symptom.FAINTING: rf"\b(?:fainted|fainting|passed{_SEP}out|lost{_SEP}consciousness)\b",
        Symptom.TROUBLE_BREATHING: rf"\b(?:short(?:ness)?{_SEP}of{_SEP}breath|(?:trouble|"
        rf"difficulty|struggling){_SEP}breathing|can'?t{_SEP}breathe|(?:slow|shallow){_SEP}"
        r"breathing)\b",
        Symptom.CHEST_PAIN: rf"\bchest{_SEP}(?:pain|tightness|pressure)\b",
    }.items()
}
_NEGATED_BEFORE = re.compile(
    r"\b(?:no|not|without|never|denies|denied|none)\b[^.;:!?]{0,15}$", re.IGNORECASE
)
_NEGATED_INSIDE = re.compile(r"\b(?:no|not|never)\b|n't\b", re.IGNORECASE)

_STOP_AND_GET_CARE = "Stop using kratom and get medical care now"


def signs_in(text: str) -> dict[Symptom, str]:
    """The red-flag signs a note names, each with the phrase that named it."""
    return dict(_signs_in(text))


# Every evaluation reads the same notes again; the patterns are fixed, so a bounded memo
# of the answer per note text is exact.
@lru_cache(maxsize=4096)
def _signs_in(text: str) -> tuple[tuple[Symptom, str], ...]:
    found: dict[Symptom, str] = {}
    for symptom, pattern in NOTE_PATTERNS.items():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 40) : match.start()]
            if _NEGATED_BEFORE.search(before) or _NEGATED_INSIDE.search(match.group(0)):
                continue
            found[symptom] = " ".join(match.group(0).split())
            break
    return tuple(found.items())


@dataclass(frozen=True)
class Flagged:
    """An entry showing red-flag signs: the logged symptom and signs named in its note."""

    stored: Stored[EntryBase]
    signs: dict[Symptom, str | None]  # sign -> the note's phrase (None: the logged symptom)

    @property
    def id(self) -> int:
        return self.stored.id

    @property
    def at(self) -> datetime:
        return self.stored.at


def _recent(window: JournalWindow, now: datetime, wanted: dict[Symptom, str]) -> list[Flagged]:
    since = now - timedelta(days=RED_FLAG_LOOKBACK_DAYS.value)
    found = []
    for stored, signs in window.remembered(("red_flag.signs", now), lambda: _signed(window, now)):
        chosen = {symptom: phrase for symptom, phrase in signs.items() if symptom in wanted}
        if chosen and stored.at >= since:
            found.append(Flagged(stored, chosen))
    return found


def _signed(
    window: JournalWindow, now: datetime
) -> list[tuple[Stored[EntryBase], dict[Symptom, str | None]]]:
    """Every entry in the look-back that shows any red-flag sign, with its signs (a logged
    symptom first, then the note's phrases): the liver and the other check share it."""
    since = now - timedelta(days=RED_FLAG_LOOKBACK_DAYS.value)
    found = []
    for stored in window.of_kind(EntryBase, now=now, since=since):
        entry = stored.entry
        signs: dict[Symptom, str | None] = {}
        if isinstance(entry, SideEffect) and entry.symptom is not None:
            signs[entry.symptom] = None
        if entry.note:
            for symptom, phrase in signs_in(entry.note).items():
                signs.setdefault(symptom, phrase)
        if signs:
            found.append((stored, signs))
    return found


def _names(found: list[Flagged], wanted: dict[Symptom, str]) -> str:
    """'dark urine, yellow skin or eyes (your note: "eyes look yellow")'."""
    described: dict[str, None] = {}
    for flagged in found:
        for symptom, phrase in flagged.signs.items():
            label = wanted[symptom]
            quoted = phrase is not None and phrase.lower().replace("-", " ") != label
            described[f'{label} (your note: "{phrase}")' if quoted else label] = None
    return ", ".join(sorted(described))


def _urgent_liver(flagged: Flagged) -> bool:
    """Any liver sign but itching; itching when moderate or severe."""
    entry = flagged.stored.entry
    for symptom in flagged.signs:
        if symptom is not Symptom.ITCHING:
            return True
        if (
            isinstance(entry, SideEffect)
            and entry.severity is not None
            and ITCHING_URGENT_SEVERITY.reached(entry.severity)
        ):
            return True
    return False


def check_liver(window: JournalWindow, now: datetime) -> list[Alert]:
    """Urgent for a liver sign; mild itching alone is a warning."""
    found = _recent(window, now, LIVER_SIGNS)
    if not found:
        return []
    urgent = any(_urgent_liver(f) for f in found)
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
    found: list[Flagged],
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
