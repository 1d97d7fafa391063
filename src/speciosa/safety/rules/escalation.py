"""Escalation: a robust, significant rise in grams/day, doses/day or grams per dose, or
shrinking gaps between doses, over the last weeks.

Tolerance was the most common kratom-use-disorder criterion (Hill 2024), heavier intake
went with more dependence (Singh 2014), and frequency tracked withdrawal (Rogers 2024).
Each series is tested with Mann–Kendall and sized with a Theil–Sen slope; a trend must be
both significant and at least ``ESCALATION_MIN_PERCENT_PER_MONTH`` of the recent average.
Today is left out because it is not over yet. Below the minimum data, the rule is silent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from itertools import pairwise

from speciosa.journal.models import Dose
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule
from speciosa.safety.thresholds import (
    ESCALATION_MIN_DAYS,
    ESCALATION_MIN_PERCENT_PER_MONTH,
    ESCALATION_MIN_USE_DAYS,
    ESCALATION_P_VALUE,
    ESCALATION_WINDOW_DAYS,
)
from speciosa.safety.trend import Trend, trend
from speciosa.safety.window import JournalWindow, Stored, ids, latest

SOURCE_IDS: tuple[str, ...] = ("hill-2024-kud", "singh-2014", "rogers-2024")
MONTH_DAYS = 30


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """One caution when any of the four series escalates."""
    days, doses = _series_days(window, now)
    if days is None or len({d.day for d in doses}) < ESCALATION_MIN_USE_DAYS.value:
        return []
    grams, counts = _daily(days, doses)
    x = [float(i) for i in range(len(days))]
    since_first = _since_first(doses)
    findings = [
        _rising("grams per day", trend(x, grams), rising=True),
        _rising("doses per day", trend(x, counts), rising=True),
        _rising("grams per dose", _per_dose_trend(doses, since_first), rising=True),
        _rising("the time between doses", _gap_trend(doses, since_first), rising=False),
    ]
    found = [f for f in findings if f is not None]
    if not found:
        return []
    return [_alert(found, len(days), doses, now)]


def _series_days(
    window: JournalWindow, now: datetime
) -> tuple[list[date] | None, list[Stored[Dose]]]:
    """Whole journal days in the trend window (journal start to yesterday), and their doses."""
    today = window.today(now)
    first_entry = window.first_day(now) or today
    start = max(today - timedelta(days=ESCALATION_WINDOW_DAYS.value), first_entry)
    days = [start + timedelta(days=i) for i in range((today - start).days)]
    if not ESCALATION_MIN_DAYS.reached(len(days)):
        return None, []
    since = now - timedelta(days=ESCALATION_WINDOW_DAYS.value + 2)
    inside = set(days)
    doses = [d for d in window.doses(now=now, since=since) if d.day in inside]
    return days, doses


def _daily(days: list[date], doses: list[Stored[Dose]]) -> tuple[list[float], list[float]]:
    grams: defaultdict[date, float] = defaultdict(float)
    for dose in doses:
        grams[dose.day] += dose.entry.grams or 0.0
    counts = Counter(d.day for d in doses)
    return [grams[d] for d in days], [float(counts[d]) for d in days]


def _since_first(doses: list[Stored[Dose]]) -> list[float]:
    """Each dose's time in days since the first dose of the series."""
    origin = doses[0].at
    return [(d.at - origin).total_seconds() / 86400 for d in doses]


def _per_dose_trend(doses: list[Stored[Dose]], since_first: list[float]) -> Trend | None:
    """Grams of each dose against its time: tolerance often shows as bigger doses first.
    ``since_first``: :func:`_since_first` of ``doses``."""
    weighed = [i for i, d in enumerate(doses) if d.entry.grams is not None]
    if not weighed:
        return None
    if weighed[0] == 0:  # times from the same first dose: the numbers already worked out
        x = [since_first[i] for i in weighed]
    else:
        x = _since_first([doses[i] for i in weighed])
    return trend(x, [doses[i].entry.grams or 0.0 for i in weighed])


def _gap_trend(doses: list[Stored[Dose]], since_first: list[float]) -> Trend | None:
    """Hours since the previous dose, against the time of the dose (in days)."""
    if len(doses) < 2:
        return None
    y = [(b.at - a.at).total_seconds() / 3600 for a, b in pairwise(doses)]
    return trend(since_first[1:], y)


def _rising(label: str, found: Trend | None, *, rising: bool) -> str | None:
    """A sentence when the trend is significant, in the risky direction and large enough."""
    if found is None or not ESCALATION_P_VALUE.reached(found.p_value):
        return None
    percent = found.percent_per(MONTH_DAYS)
    if percent is None:
        return None
    size = percent if rising else -percent
    if not ESCALATION_MIN_PERCENT_PER_MONTH.reached(size):
        return None
    verb = "rose" if rising else "shortened"
    p_text = "p < 0.001" if found.p_value < 0.001 else f"p = {found.p_value:.3f}"
    return f"{label} {verb} by about {size:.0f}% a month (Mann–Kendall {p_text})"


def _alert(found: list[str], days: int, doses: list[Stored[Dose]], now: datetime) -> Alert:
    return Alert(
        rule_id="escalation",
        severity=Severity.CAUTION,
        title="Your kratom use is rising",
        explanation=(
            f"Over the last {days} days, {'; '.join(found)}. The trend uses a robust "
            "Theil–Sen slope and counts only when it is statistically clear. Rising use is "
            "how tolerance shows: tolerance was the most common kratom-use-disorder criterion "
            "in surveys, and more frequent use went with more withdrawal."
        ),
        what_to_do=(
            "Look at the trend in your insights and compare it with how much relief you get. "
            "If you want to hold steady or cut back, plan it with a clinician: after regular "
            "use a sudden stop can bring withdrawal symptoms."
        ),
        source_ids=SOURCE_IDS,
        entry_ids=ids(doses),
        at=latest(doses, now),
    )


RULE = Rule(
    id="escalation",
    concern="a robust rising trend in grams/day, doses/day or grams per dose, or shrinking gaps",
    check=check,
    source_ids=SOURCE_IDS,
)
