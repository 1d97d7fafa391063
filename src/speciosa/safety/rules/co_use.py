"""Kratom with CNS depressants or stimulants: logged substances, sleep-diary drinks and sleep
aids, and regular medicines of those classes.

Kratom's alkaloids act on the mu-opioid receptor; the FDA's class warnings about opioids
with benzodiazepines, other depressants and alcohol (2016) and with gabapentinoids (2019)
apply by analogy. Kratom can itself act as a stimulant: in poison-centre series the most
common kratom-only effects were agitation and a fast heart rate, and seizures were reported
(Post 2019; Trakulsrichai 2013), so stimulants (amphetamines, methylphenidate, modafinil,
cocaine, concentrated caffeine) are checked too. Severity, advice and sources come from the
interaction catalogue. The 6-hour window is Speciosa's convention and every alert says so.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from datetime import date, datetime, timedelta

from speciosa.journal import catalogues
from speciosa.journal.catalogues import SubstanceClass, class_of, words
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
from speciosa.safety.window import Identified, JournalWindow, Stored, journal_day

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
STIMULANTS: tuple[SubstanceClass, ...] = (SubstanceClass.STIMULANT,)
CHECKED: tuple[SubstanceClass, ...] = (*DEPRESSANTS, *STIMULANTS)

# "High caffeine", Speciosa's convention: no study gives a caffeine amount that matters with
# kratom, so everyday caffeinated drinks and nicotine do not raise the stimulant alert, while
# concentrated caffeine (energy drinks and shots, caffeine pills, pre-workout; "caffeine"
# logged as pills or tablets) and every other stimulant do. The reason to check stimulants at
# all is kratom's own stimulant effects in poison-centre series (post-2019, trakulsrichai-2013).
EVERYDAY_STIMULANTS: frozenset[str] = frozenset(catalogues.EVERYDAY_STIMULANTS)
_CAFFEINE_PILLS = re.compile(r"\b(?:pills?|tablets?|tabs?|capsules?|caps|shots?)\b", re.IGNORECASE)

_NAMES: dict[SubstanceClass, str] = {
    SubstanceClass.OPIOID: "an opioid",
    SubstanceClass.BENZODIAZEPINE: "a benzodiazepine",
    SubstanceClass.Z_DRUG: "a z-drug sleeping pill",
    SubstanceClass.GABAPENTINOID: "gabapentin or pregabalin",
    SubstanceClass.ALCOHOL: "alcohol",
    SubstanceClass.OTHER_CNS_DEPRESSANT: "another sedating medicine",
    SubstanceClass.SEDATING_ANTIHISTAMINE: "a sedating antihistamine",
    SubstanceClass.MUSCLE_RELAXANT: "a muscle relaxant",
    SubstanceClass.STIMULANT: "a stimulant",
}

WINDOW_NOTE = (
    f"The {CO_USE_WINDOW_HOURS.value:g}-hour window is Speciosa's convention, not a safe gap: "
    "kratom's effects last hours and its alkaloids stay in the blood for a day or more."
)

Hits = dict[SubstanceClass, list[Identified]]


def counts(name: str, cls: SubstanceClass, amount: str | None = None) -> bool:
    """Whether a substance of ``cls`` named ``name`` is one this rule warns about."""
    if cls in STIMULANTS:
        everyday = words(name) in EVERYDAY_STIMULANTS  # the catalogue's one normal form
        pills = name.strip().lower() == "caffeine" and bool(_CAFFEINE_PILLS.search(amount or ""))
        return not everyday or pills
    return cls in DEPRESSANTS


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """One alert per checked class used near a dose, or taken regularly by a user."""
    since = now - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
    reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
    doses = window.doses(now=now, since=since - reach)
    events, partners = near_doses(window, doses, now)
    alerts = [
        _event_alert(cls, events[cls], partners[cls], window.profile.timezone, now)
        for cls in CHECKED
        if events[cls]
    ]
    alerts.extend(_regular_medicine_alerts(window, now, skip={c for c, v in events.items() if v}))
    return alerts


def near_doses(
    window: JournalWindow, doses: list[Stored[Dose]], now: datetime
) -> tuple[Hits, Hits]:
    """(class -> the other substance's entries, class -> the doses they came near), over the
    co-use look-back: logged substances within the window of a dose, and a sleep diary's
    drinks or sleep aids on a night with an evening or night-time dose."""
    since = now - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
    reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
    events: Hits = defaultdict(list)
    partners: Hits = defaultdict(list)
    _substances_near_doses(window, doses, since, now, reach, events, partners)
    _sleep_diary_on_dose_nights(window, doses, since, now, reach, events, partners)
    return events, partners


def _substances_near_doses(
    window: JournalWindow,
    doses: list[Stored[Dose]],
    since: datetime,
    now: datetime,
    reach: timedelta,
    events: Hits,
    partners: Hits,
) -> None:
    times = [d.at for d in doses]
    for substance in window.of_kind(Substance, now=now, since=since):
        entry = substance.entry
        cls = entry.substance_class
        if not counts(entry.name, cls, entry.amount):
            continue
        near = _within(doses, times, substance.at, reach)
        if near:
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
    by_night = _by_night(doses)
    for diary in window.of_kind(Sleep, now=now, since=since):
        night_doses = _dose_night(diary.entry, by_night, reach)
        if not night_doses:
            continue
        for cls in _diary_classes(diary.entry):
            events[cls].append(diary)
            partners[cls].extend(night_doses)


def _within(
    doses: list[Stored[Dose]], times: list[datetime], at: datetime, reach: timedelta
) -> list[Stored[Dose]]:
    """The doses (oldest first, ``times`` their instants) within ``reach`` of ``at``."""
    return doses[bisect_left(times, at - reach) : bisect_right(times, at + reach)]


def _by_night(doses: list[Stored[Dose]]) -> dict[date, list[Stored[Dose]]]:
    """Doses grouped by the night they precede, each group oldest first."""
    nights: defaultdict[date, list[Stored[Dose]]] = defaultdict(list)
    for dose in doses:
        nights[journal_day(dose.at, dose.entry.zone)].append(dose)
    return nights


def _dose_night(
    sleep: Sleep, by_night: dict[date, list[Stored[Dose]]], reach: timedelta
) -> list[Stored[Dose]]:
    # A night is a journal day (clock.night_of), so journal_day's memo answers both.
    night = journal_day(sleep.at, sleep.zone)
    return [d for d in by_night.get(night, ()) if d.at >= sleep.at - reach]


def _diary_classes(sleep: Sleep) -> list[SubstanceClass]:
    """Depressant classes in a diary: its drinks, and its sleep aids (unknown ones sedate)."""
    found: list[SubstanceClass] = []
    if sleep.alcohol_drinks:  # None: left empty
        found.append(SubstanceClass.ALCOHOL)
    for aid in sleep.sleep_aids:
        cls = class_of(aid) or SubstanceClass.OTHER_CNS_DEPRESSANT
        if cls in DEPRESSANTS and cls not in found:
            found.append(cls)
    return found


def describe(cls: SubstanceClass, events: list[Identified]) -> str:
    """'a benzodiazepine (xanax)': the class, with the names logged for it."""
    names = sorted(
        {
            " ".join(e.entry.name.lower().split())
            for e in events
            if isinstance(e, Stored) and isinstance(e.entry, Substance)
        }
    )
    return f"{_NAMES[cls]} ({', '.join(names)})" if names else _NAMES[cls]


def _event_alert(
    cls: SubstanceClass,
    events: list[Identified],
    doses: list[Identified],
    zone: str,
    now: datetime,
) -> Alert:
    last = max(events, key=lambda e: e.at)
    finding = (
        f"Your journal shows {describe(cls, events)} near a kratom dose (within "
        f"{CO_USE_WINDOW_HOURS.value:g} hours, or on a night with an evening dose) on "
        f"{plural(len({e.id for e in events}), 'occasion')} in the last "
        f"{CO_USE_LOOKBACK_DAYS.value:g} days, most recently on {local_date(last.at, zone)}. "
        f"{WINDOW_NOTE}"
    )
    return from_interaction(
        f"co_use.{cls.value}",
        cls.value,
        finding,
        [*events, *doses],
        now=now,
        extra_sources=CO_USE_WINDOW_HOURS.source_ids,
    )


def _regular_medicine_alerts(
    window: JournalWindow, now: datetime, *, skip: set[SubstanceClass]
) -> list[Alert]:
    """Depressant medicines in the profile, for someone who used kratom recently."""
    recent = window.doses(now=now, since=now - timedelta(days=RECENT_USE_DAYS.value))
    if not recent:
        return []
    by_class: dict[SubstanceClass, list[str]] = defaultdict(list)
    for medication in window.profile.medications:
        if counts(medication.name, medication.substance_class):
            by_class[medication.substance_class].append(medication.name)
    alerts = []
    for cls in CHECKED:
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
    concern="kratom with CNS depressants (opioids, benzodiazepines, gabapentinoids, alcohol...) "
    "or stimulants (amphetamines, methylphenidate, modafinil, cocaine, concentrated caffeine)",
    check=check,
    source_ids=tuple(
        dict.fromkeys(
            (*interaction_sources(*(c.value for c in CHECKED)), *CO_USE_WINDOW_HOURS.source_ids)
        )
    ),
)
