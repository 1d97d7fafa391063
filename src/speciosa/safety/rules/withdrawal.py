"""Withdrawal signals: symptoms or a SOWS response within days of the last dose before a
gap, when use had been regular.

About two-thirds of people meeting kratom-use-disorder criteria reported withdrawal (Hill
2024); typical symptoms were muscle aches, sleeping difficulty, a runny nose, hot flushes,
diarrhoea, poor appetite, restlessness, irritability, low mood and anxiety (Singh 2014;
Smith 2022). No validated kratom withdrawal time course was found, so the gap and window
lengths are Speciosa's conventions (see ``safety.thresholds``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from speciosa.journal.catalogues import Symptom
from speciosa.journal.models import Dose, Questionnaire, SideEffect
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, local_date, plural
from speciosa.safety.thresholds import (
    SOWS_SIGNAL_TOTAL,
    WITHDRAWAL_EARLIEST_HOURS,
    WITHDRAWAL_GAP_HOURS,
    WITHDRAWAL_LOOKBACK_DAYS,
    WITHDRAWAL_REGULAR_USE_DAYS,
    WITHDRAWAL_WINDOW_DAYS,
)
from speciosa.safety.window import Identified, JournalWindow, Stored, day_of, ids, use_days

SOURCE_IDS: tuple[str, ...] = (
    "singh-2014",
    "smith-2022-jam",
    "rogers-2024",
    "handelsman-1987-sows",
    "ichd-3-2018",
)

WITHDRAWAL_SYMPTOMS: frozenset[Symptom] = frozenset(
    {
        Symptom.ANXIETY,
        Symptom.IRRITABILITY,
        Symptom.RESTLESSNESS,
        Symptom.INSOMNIA,
        Symptom.SWEATING,
        Symptom.DIARRHOEA,
        Symptom.NAUSEA,
        Symptom.VOMITING,
        Symptom.LOSS_OF_APPETITE,
        Symptom.LOW_MOOD,
        Symptom.TREMOR,
        Symptom.HEADACHE,
    }
)


@dataclass(frozen=True)
class GapSignal:
    """A gap after regular use, and the symptom or SOWS entries logged during it."""

    last_dose: Stored[Dose]
    signals: tuple[Identified, ...]


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """One caution summarising the gaps of the last month that came with symptoms."""
    doses = window.doses(now=now)
    days = use_days(doses)
    since = now - timedelta(days=WITHDRAWAL_LOOKBACK_DAYS.value)
    signals = [
        found
        for last, resumed in _gaps(doses, now)
        if last.at >= since and _regular_before(last, days)
        for found in [_signals_after(window, last, resumed, now)]
        if found is not None
    ]
    return [_alert(signals, window.profile.timezone)] if signals else []


def _gaps(doses: list[Stored[Dose]], now: datetime) -> list[tuple[Stored[Dose], datetime]]:
    """(last dose before a gap, when the gap ended: the next dose or now)."""
    if not doses:
        return []
    gap = timedelta(hours=WITHDRAWAL_GAP_HOURS.value)
    ends = [d.at for d in doses[1:]] + [now]
    return [(d, end) for d, end in zip(doses, ends, strict=True) if end - d.at >= gap]


def _regular_before(last: Stored[Dose], days: set[date]) -> bool:
    end = day_of(last.entry)
    week = {end - timedelta(days=n) for n in range(7)}
    return WITHDRAWAL_REGULAR_USE_DAYS.reached(len(week & days))


def _signals_after(
    window: JournalWindow, last: Stored[Dose], resumed: datetime, now: datetime
) -> GapSignal | None:
    start = last.at + timedelta(hours=WITHDRAWAL_EARLIEST_HOURS.value)
    end = min(resumed, last.at + timedelta(days=WITHDRAWAL_WINDOW_DAYS.value), now)
    symptoms = [
        s
        for s in window.of_kind(SideEffect, now=end, since=start)
        if s.entry.symptom in WITHDRAWAL_SYMPTOMS
    ]
    sows = [
        q
        for q in window.of_kind(Questionnaire, now=end, since=start)
        if q.entry.instrument == "sows" and SOWS_SIGNAL_TOTAL.reached(_total(q.entry))
    ]
    found: tuple[Identified, ...] = (*symptoms, *sows)
    return GapSignal(last, found) if found else None


def _total(questionnaire: Questionnaire) -> float:
    return questionnaire.score if questionnaire.score is not None else sum(questionnaire.items)


def _describe(signal: GapSignal) -> list[str]:
    out = []
    for entry in signal.signals:
        if isinstance(entry, Stored) and isinstance(entry.entry, SideEffect):
            out.append(entry.entry.symptom.value.replace("_", " "))
        elif isinstance(entry, Stored) and isinstance(entry.entry, Questionnaire):
            out.append(f"a SOWS total of {_total(entry.entry):g}")
    return sorted(set(out))


def _alert(signals: list[GapSignal], zone: str) -> Alert:
    latest_gap = signals[-1]
    triggers: list[Identified] = [s.last_dose for s in signals]
    triggers.extend(e for s in signals for e in s.signals)
    return Alert(
        rule_id="withdrawal_after_gap",
        severity=Severity.CAUTION,
        title="Possible withdrawal symptoms after a break",
        explanation=(
            f"After regular use, you had {plural(len(signals), 'break')} of "
            f"{WITHDRAWAL_GAP_HOURS.value:g} hours or more in the last "
            f"{WITHDRAWAL_LOOKBACK_DAYS.value:g} days with symptoms logged in the days after. "
            f"Most recently, after the dose on {local_date(latest_gap.last_dose.at, zone)}: "
            f"{', '.join(_describe(latest_gap))}. These are typical kratom withdrawal "
            "symptoms in surveys of regular users (muscle aches, poor sleep, restlessness, "
            "irritability, stomach upset), usually mild to moderate."
        ),
        what_to_do=(
            "Log how you feel during breaks (the SOWS questionnaire helps) so the pattern is "
            "clear. If you want to stop or cut down, a gradual plan made with a clinician is "
            "usually easier than stopping suddenly. Seek care for severe vomiting or "
            "diarrhoea, chest pain, or thoughts of harming yourself."
        ),
        source_ids=SOURCE_IDS,
        entry_ids=ids(triggers),
        at=max(t.at for t in triggers),
    )


RULE = Rule(
    id="withdrawal_after_gap",
    concern="withdrawal symptoms or SOWS responses after a gap following regular use",
    check=check,
    source_ids=SOURCE_IDS,
)
