"""Kratom with CNS depressants: logged substances, sleep-diary drinks and sleep aids, and
regular medicines of the depressant classes.

Kratom's alkaloids act on the mu-opioid receptor; the FDA's class warnings about opioids
with benzodiazepines, other depressants and alcohol (2016) and with gabapentinoids (2019)
apply by analogy. Severity, advice and sources come from the interaction catalogue.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import Dose, Sleep, Substance
from speciosa.safety.alerts import Alert
from speciosa.safety.rules.base import (
    Rule,
    from_interaction,
    interaction_sources,
    local_date,
    plural,
)
from speciosa.safety.thresholds import (
    CO_USE_LOOKBACK_DAYS,
    CO_USE_WINDOW_HOURS,
    RECENT_USE_DAYS,
)
from speciosa.safety.window import Identified, JournalWindow, Stored

DEPRESSANTS: tuple[SubstanceClass, ...] = (
    SubstanceClass.OPIOID,
    SubstanceClass.BENZODIAZEPINE,
    SubstanceClass.Z_DRUG,
    SubstanceClass.GABAPENTINOID,
    SubstanceClass.ALCOHOL,
    SubstanceClass.OTHER_CNS_DEPRESSANT,
    SubstanceClass.SEDATING_ANTIHISTAMINE,
    SubstanceClass.MUSCLE_RELAXANT,
)

_NAMES: dict[SubstanceClass, str] = {
    SubstanceClass.OPIOID: "an opioid",
    SubstanceClass.BENZODIAZEPINE: "a benzodiazepine",
    SubstanceClass.Z_DRUG: "a z-drug sleeping pill",
    SubstanceClass.GABAPENTINOID: "gabapentin or pregabalin",
    SubstanceClass.ALCOHOL: "alcohol",
    SubstanceClass.OTHER_CNS_DEPRESSANT: "another sedating medicine",
    SubstanceClass.SEDATING_ANTIHISTAMINE: "a sedating antihistamine",
    SubstanceClass.MUSCLE_RELAXANT: "a muscle relaxant",
}

Hits = dict[SubstanceClass, list[Identified]]


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """One alert per depressant class used near a dose, or taken regularly by a user."""
    since = now - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
    reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
    doses = window.doses(now=now, since=since - reach)
    events: Hits = defaultdict(list)  # class -> the other substance's entries
    partners: Hits = defaultdict(list)  # class -> the doses they came near
    _substances_near_doses(window, doses, since, now, reach, events, partners)
    _sleep_diary_on_dose_nights(window, doses, since, now, reach, events, partners)
    alerts = [
        _event_alert(cls, events[cls], partners[cls], window.profile.timezone, now)
        for cls in DEPRESSANTS
        if events[cls]
    ]
    alerts.extend(_regular_medicine_alerts(window, now, skip={c for c, v in events.items() if v}))
    return alerts


def _substances_near_doses(
    window: JournalWindow,
    doses: list[Stored[Dose]],
    since: datetime,
    now: datetime,
    reach: timedelta,
    events: Hits,
    partners: Hits,
) -> None:
    for substance in window.of_kind(Substance, now=now, since=since):
        cls = substance.entry.substance_class
        near = [d for d in doses if abs(d.at - substance.at) <= reach]
        if cls in DEPRESSANTS and near:
            events[cls].append(substance)
            partners[cls].extend(near)


def _sleep_diary_on_dose_nights(
    window: JournalWindow,
    doses: list[Stored[Dose]],
    since: datetime,
    now: datetime,
    reach: timedelta,
    events: Hits,
    partners: Hits,
) -> None:
    """A diary's drinks or sleep aids on a night with an evening or night-time dose."""
    for diary in window.of_kind(Sleep, now=now, since=since):
        night_doses = _dose_night(diary.entry, doses, reach)
        if not night_doses:
            continue
        for cls in _diary_classes(diary.entry):
            events[cls].append(diary)
            partners[cls].extend(night_doses)


def _dose_night(sleep: Sleep, doses: list[Stored[Dose]], reach: timedelta) -> list[Stored[Dose]]:
    night = clock.night_of(sleep.at, sleep.zone)
    return [
        d for d in doses if clock.night_of(d.at, d.entry.zone) == night and d.at >= sleep.at - reach
    ]


def _diary_classes(sleep: Sleep) -> list[SubstanceClass]:
    """Depressant classes in a diary: its drinks, and its sleep aids (unknown ones sedate)."""
    found: list[SubstanceClass] = []
    if sleep.alcohol_drinks > 0:
        found.append(SubstanceClass.ALCOHOL)
    for aid in sleep.sleep_aids:
        cls = class_of(aid) or SubstanceClass.OTHER_CNS_DEPRESSANT
        if cls in DEPRESSANTS and cls not in found:
            found.append(cls)
    return found


def _event_alert(
    cls: SubstanceClass,
    events: list[Identified],
    doses: list[Identified],
    zone: str,
    now: datetime,
) -> Alert:
    last = max(events, key=lambda e: e.at)
    finding = (
        f"Your journal shows {_NAMES[cls]} near a kratom dose (within "
        f"{CO_USE_WINDOW_HOURS.value:g} hours, or on a night with an evening dose) on "
        f"{plural(len({e.id for e in events}), 'occasion')} in the last "
        f"{CO_USE_LOOKBACK_DAYS.value:g} days, most recently on {local_date(last.at, zone)}."
    )
    return from_interaction(f"co_use.{cls.value}", cls.value, finding, [*events, *doses], now=now)


def _regular_medicine_alerts(
    window: JournalWindow, now: datetime, *, skip: set[SubstanceClass]
) -> list[Alert]:
    """Depressant medicines in the profile, for someone who used kratom recently."""
    recent = window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value))
    if not recent:
        return []
    by_class: dict[SubstanceClass, list[str]] = defaultdict(list)
    for medication in window.profile.medications:
        if medication.substance_class in DEPRESSANTS:
            by_class[medication.substance_class].append(medication.name)
    alerts = []
    for cls in DEPRESSANTS:
        if cls in by_class and cls not in skip:
            finding = (
                f"Your profile lists {', '.join(by_class[cls])} ({_NAMES[cls]}) as a regular "
                f"medicine, and you used kratom in the last {RECENT_USE_DAYS.value:g} days."
            )
            alerts.append(
                from_interaction(f"co_use.{cls.value}", cls.value, finding, recent, now=now)
            )
    return alerts


RULE = Rule(
    id="co_use",
    concern="kratom with CNS depressants, opioids, benzodiazepines, gabapentinoids or alcohol",
    check=check,
    source_ids=interaction_sources(*(c.value for c in DEPRESSANTS)),
)
