"""The person's own limits (grams/day, doses/day, use days/week): reached, or nearly.

Limits come only from ``Profile.limits``; with none set, this rule says nothing (Speciosa
never invents a limit). The counting is ``journal.today.summarise_today``, the same numbers
the "today" screen shows.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.journal.models import Dose
from speciosa.journal.today import LimitUse, summarise_today
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule
from speciosa.safety.thresholds import LIMIT_NEAR_PERCENT
from speciosa.safety.window import JournalWindow, Stored, ids, latest

SOURCE_IDS: tuple[str, ...] = ("rogers-2024", "grundmann-2017")

# key -> (how the use reads, how the limit reads)
_TEXTS = {
    "grams_per_day": ("{used:g} g today", "{limit:g} g per day"),
    "doses_per_day": ("{used:g} doses today", "{limit:g} doses per day"),
    "use_days_per_week": ("kratom on {used:g} of the last 7 days", "{limit:g} use days per week"),
}
_NAMES = {
    "grams_per_day": "grams per day",
    "doses_per_day": "doses per day",
    "use_days_per_week": "use days per week",
}


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """An info note near a limit, a caution when it is reached or passed."""
    week = window.doses(now=now, since=now - timedelta(days=8))
    summary = summarise_today(week, window.profile, now=now)
    today = [d for d in week if d.day == summary.day]
    last7 = [d for d in week if (summary.day - d.day).days < 7]
    uses = {
        "grams_per_day": (summary.grams, today),
        "doses_per_day": (summary.doses, today),
        "use_days_per_week": (summary.use_days_this_week, last7),
    }
    alerts = []
    for key, (use, doses) in uses.items():
        alert = _alert(key, use, doses, now)
        if alert is not None:
            alerts.append(alert)
    return alerts


def _status(use: LimitUse) -> tuple[str, float | None] | None:
    """('over' | 'at' | 'near', percent of the limit), or None when there is nothing to say."""
    if use.limit is None:
        return None
    if use.limit == 0:  # a limit of zero use days: any use is over it
        return ("over", None) if use.used > 0 else None
    percent = use.used / use.limit * 100
    if use.used > use.limit:
        return "over", percent
    if use.reached:
        return "at", percent
    return ("near", percent) if LIMIT_NEAR_PERCENT.reached(percent) else None


def _alert(key: str, use: LimitUse, doses: list[Stored[Dose]], now: datetime) -> Alert | None:
    status = _status(use)
    if status is None or use.limit is None:
        return None
    state, percent = status
    used_text, limit_text = (t.format(used=use.used, limit=use.limit) for t in _TEXTS[key])
    share = "" if percent is None else f" ({percent:.0f}% of it)"
    return Alert(
        rule_id=f"limits.{'near' if state == 'near' else 'reached'}.{key}",
        severity=Severity.INFO if state == "near" else Severity.CAUTION,
        title=f"{state.capitalize()} your own limit: {_NAMES[key]}",
        explanation=(
            f"You are {state} the limit you set yourself: {used_text}, against your limit of "
            f"{limit_text}{share}. Surveys link more frequent use with more dependence and "
            "withdrawal, and larger, more frequent doses with more side effects."
        ),
        what_to_do=(
            "This limit is yours; Speciosa does not set or suggest amounts. Decide with it in "
            "mind, and if it is often reached, talk it over with a clinician or change it "
            "deliberately in your profile."
        ),
        source_ids=SOURCE_IDS,
        entry_ids=ids(doses),
        at=latest(doses, now),
    )


RULE = Rule(
    id="limits",
    concern="the person's own limits reached or nearly reached",
    check=check,
    source_ids=SOURCE_IDS,
)
