"""Withdrawal signals after a gap, and loss of tolerance when use resumes after a break.

About two-thirds of people meeting kratom-use-disorder criteria reported withdrawal (Hill
2024); typical symptoms were muscle aches, sleeping difficulty, a runny nose or watery eyes,
hot flushes, diarrhoea, poor appetite, restlessness, irritability, low mood and anxiety
(Singh 2014; Smith 2022); muscle aches (myalgia) were the most common withdrawal complaint
at a Thai poison centre (Trakulsrichai 2013). Yawning, goosebumps, and hot and cold flushes
are items of the SOWS (Handelsman 1987). No validated kratom withdrawal time course was
found, so the gap and window lengths are Speciosa's conventions (see ``safety.thresholds``).

After a break, tolerance falls: opioid guidance warns of overdose when people return to an
earlier dose (CDC 2022, by analogy). ``TOLERANCE_RULE`` raises a caution when use resumes
after a break of ``TOLERANCE_BREAK_DAYS`` or more that followed regular use, and a warning
when the return involves a 7-OH product or an opioid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import pairwise

from speciosa.journal.catalogues import SubstanceClass, Symptom
from speciosa.journal.models import Dose, Questionnaire, SideEffect, Substance
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, local_date, plural
from speciosa.safety.rules.products import is_seven_oh_dose
from speciosa.safety.thresholds import (
    SOWS_SIGNAL_TOTAL,
    TOLERANCE_BREAK_DAYS,
    TOLERANCE_LOOKBACK_DAYS,
    WITHDRAWAL_EARLIEST_HOURS,
    WITHDRAWAL_GAP_HOURS,
    WITHDRAWAL_LOOKBACK_DAYS,
    WITHDRAWAL_REGULAR_USE_DAYS,
    WITHDRAWAL_WINDOW_DAYS,
)
from speciosa.safety.window import (
    Identified,
    JournalWindow,
    Stored,
    ids,
    latest,
    use_days,
)

SOURCE_IDS: tuple[str, ...] = (
    "singh-2014",
    "smith-2022-jam",
    "rogers-2024",
    "trakulsrichai-2013",
    "handelsman-1987-sows",
    "ichd-3-2018",
    "garcia-romeu-2020",
    "cdc-2022-opioids",
)
TOLERANCE_SOURCES: tuple[str, ...] = (
    "cdc-2022-opioids",
    "singh-2019",
    "hill-2024-kud",
    "garcia-romeu-2020",
    "fda-2025-7oh",
    "hill-2022-bjp",
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
        Symptom.MUSCLE_ACHES,
        Symptom.RUNNY_NOSE,
        Symptom.WATERY_EYES,
        Symptom.YAWNING,
        Symptom.GOOSEBUMPS,
        Symptom.HOT_COLD_FLUSHES,
        Symptom.STOMACH_CRAMPS,
        Symptom.CRAVING,
    }
)


@dataclass(frozen=True)
class GapSignal:
    """A gap after regular use, and the symptom or SOWS entries logged during it."""

    last_dose: Stored[Dose]
    signals: tuple[Identified, ...]


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """One caution summarising the gaps of the last month that came with symptoms."""
    since = now - timedelta(days=WITHDRAWAL_LOOKBACK_DAYS.value)
    # Only gaps that start in the look-back count, and each needs the use days of the week
    # before it: the doses from a little more than a week before the look-back are enough
    # (a zone moves a journal day by less than a day).
    doses = window.doses(now=now, since=since - timedelta(days=9))
    days = use_days(doses)
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
    end = last.day
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
            "symptoms: regular users reported muscle aches and pains (the most common "
            "withdrawal complaint at a Thai poison centre), poor sleep, a runny nose or watery "
            "eyes, hot flushes, diarrhoea, restlessness, irritability and low mood, usually "
            "mild to moderate. Yawning, goosebumps, and hot and cold flushes are items of the "
            "opiate-withdrawal scale SOWS."
        ),
        what_to_do=(
            "Log how you feel during breaks (the SOWS questionnaire helps) so the pattern is "
            "clear. If you want to stop or cut down, a gradual plan made with a clinician is "
            "usually easier than stopping suddenly. If you have a history of opioid use "
            "disorder, or use kratom to stay off opioids, tell a clinician now: withdrawal can "
            "bring cravings and relapse, buprenorphine is a treatment for opioid use disorder, "
            "and naloxone should be at hand because tolerance falls during a break. Seek care "
            "for severe vomiting or diarrhoea, chest pain, or thoughts of harming yourself."
        ),
        source_ids=SOURCE_IDS,
        entry_ids=ids(triggers),
        at=max(t.at for t in triggers),
    )


# --- loss of tolerance after a break ----------------------------------------------------


def _breaks(doses: list[Stored[Dose]]) -> list[tuple[Stored[Dose], Stored[Dose]]]:
    """(last dose before a break, first dose after it) for breaks of the convention's length."""
    length = timedelta(days=TOLERANCE_BREAK_DAYS.value)
    return [(a, b) for a, b in pairwise(doses) if b.at - a.at >= length]


def _grams_on(doses: list[Stored[Dose]], days: set[date]) -> list[float] | None:
    """Grams per use day over ``days`` (None when a dose there has no grams)."""
    per_day: dict[date, float] = {}
    for dose in doses:
        day = dose.day
        if day in days:
            if dose.entry.grams is None:
                return None
            per_day[day] = per_day.get(day, 0.0) + dose.entry.grams
    return list(per_day.values())


def _amount_note(doses: list[Stored[Dose]], before: Stored[Dose], resumed: Stored[Dose]) -> str:
    """A sentence when the first day back reached the average use day before the break."""
    end = before.day
    week = _grams_on(doses, {end - timedelta(days=n) for n in range(7)})
    first = _grams_on(doses, {resumed.day})
    if not week or not first:
        return ""
    average = sum(week) / len(week)
    if first[0] < average:
        return ""
    return (
        f"On your first day back you logged {first[0]:.1f} g, as much as or more than your "
        f"average use day in the week before the break ({average:.1f} g). "
    )


def check_tolerance(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution when use resumed after a break that followed regular use; a warning when
    the return involves a 7-OH product or an opioid."""
    doses = window.doses(now=now)
    days = use_days(doses)
    since = now - timedelta(days=TOLERANCE_LOOKBACK_DAYS.value)
    found = [(a, b) for a, b in _breaks(doses) if b.at >= since and _regular_before(a, days)]
    if not found:
        return []
    before, resumed = found[-1]
    zone = window.profile.timezone
    back = [d for d in doses if d.at >= resumed.at]
    seven_oh = [d for d in back if is_seven_oh_dose(window, d.entry)]
    opioids = [
        s
        for s in window.of_kind(Substance, now=now, since=resumed.at)
        if s.entry.substance_class is SubstanceClass.OPIOID
    ]
    risky = []
    if seven_oh:
        risky.append(f"{plural(len(seven_oh), 'dose')} of a 7-OH product")
    if opioids:
        names = sorted({s.entry.name.strip().lower() for s in opioids})
        risky.append(f"an opioid ({', '.join(names)})")
    gap = (resumed.at - before.at).total_seconds() / 86400
    explanation = (
        f"You used kratom regularly, then had a break of {gap:.0f} days (last dose on "
        f"{local_date(before.at, zone)}) and used it again from {local_date(resumed.at, zone)}. "
        "During a break tolerance falls, so the amount you were used to can act more strongly. "
        f"{_amount_note(doses, before, resumed)}"
        + (f"Since you started again you logged {' and '.join(risky)}. " if risky else "")
        + "Opioid guidance warns that returning to an earlier dose after a break raises the "
        "risk of overdose, most of all with opioids, 7-OH products and other depressants; "
        "kratom is not named, so this is an analogy. A break here means "
        f"{TOLERANCE_BREAK_DAYS.value:g} days or more without a dose after regular use, "
        "Speciosa's convention."
    )
    triggers: list[Identified] = [before, resumed, *seven_oh, *opioids]
    return [
        Alert(
            rule_id="tolerance_after_break",
            severity=Severity.WARNING if risky else Severity.CAUTION,
            title="Use resumed after a break: tolerance may be lower",
            explanation=explanation,
            what_to_do=(
                "The amount you used before the break is not a safe reference now. Avoid 7-OH "
                "products, opioids, alcohol and other sedating drugs, above all in the first "
                "days back, and do not use alone. If you have a history of opioid use disorder, "
                "keep naloxone at hand, make sure someone nearby knows how to use it, and ask a "
                "clinician about treatment such as buprenorphine. Call emergency services for "
                "slow or shallow breathing, blue lips or if someone cannot be woken."
            ),
            source_ids=TOLERANCE_SOURCES,
            entry_ids=ids(triggers),
            at=latest(triggers, now),
            analogy=True,
        )
    ]


RULE = Rule(
    id="withdrawal_after_gap",
    concern="withdrawal symptoms or SOWS responses after a gap following regular use",
    check=check,
    source_ids=SOURCE_IDS,
)
TOLERANCE_RULE = Rule(
    id="tolerance_after_break",
    concern="use resumed after a break of several days that followed regular use",
    check=check_tolerance,
    source_ids=TOLERANCE_SOURCES,
)
