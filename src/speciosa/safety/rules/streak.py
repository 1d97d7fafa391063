"""Long daily-use streaks: consecutive journal days with a dose, up to today or yesterday.

Frequency matters more than amount: dependence and withdrawal rose with how often people
dosed (Rogers 2024), and more weeks of regular use predicted worse cessation effects
(Smith 2022). A streak still counts when today has no dose yet, since the day is not over.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule
from speciosa.safety.thresholds import STREAK_CAUTION_DAYS, STREAK_INFO_DAYS
from speciosa.safety.window import JournalWindow, consecutive_days, ids, latest, use_days

SOURCE_IDS: tuple[str, ...] = ("rogers-2024", "smith-2022-fphar")


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """An info note from 14 consecutive use days, a caution from 28."""
    doses = window.doses(now=now)
    days = use_days(doses)
    today = window.today(now)
    last = today if today in days else today - timedelta(days=1)
    streak = set(consecutive_days(days, last))
    length = len(streak)
    if not STREAK_INFO_DAYS.reached(length):
        return []
    caution = STREAK_CAUTION_DAYS.reached(length)
    in_streak = [d for d in doses if d.day in streak]
    return [
        Alert(
            rule_id="daily_streak",
            severity=Severity.CAUTION if caution else Severity.INFO,
            title=f"{length} days in a row with kratom",
            explanation=(
                f"You have used kratom every day for {length} days (since "
                f"{min(streak).isoformat()}). In surveys, dependence and withdrawal rose with "
                "how often people used kratom more than with how much, and more weeks of "
                "regular use predicted worse symptoms on stopping."
            ),
            what_to_do=(
                "Notice whether the daily use still brings the relief you want. Days without "
                "kratom are something to plan, with a clinician if you have been using daily "
                "for a long time, because stopping suddenly can bring withdrawal."
            ),
            source_ids=SOURCE_IDS,
            entry_ids=ids(in_streak),
            at=latest(in_streak, now),
        )
    ]


RULE = Rule(
    id="daily_streak",
    concern="a long run of consecutive use days",
    check=check,
    source_ids=SOURCE_IDS,
)
