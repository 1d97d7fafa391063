"""Frequent use in a migraine profile: ICHD-3 8.2.4 (opioid-overuse headache) by analogy.

ICHD-3 counts regular opioid intake on 10 or more days a month for more than 3 months as
overuse that can itself cause headache; kratom is not named, so the alert says it is an
analogy. Months here are 30-day periods ending today, read by
``instruments.headache.overuse_watch``; four are needed (more than three).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from speciosa.instruments.headache import PeriodCounts, overuse_watch
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Headache
from speciosa.knowledge.thresholds import ICHD3_OPIOID_OVERUSE_DAYS, ICHD3_OVERUSE_MONTHS
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule
from speciosa.safety.window import Identified, JournalWindow, Stored, day_of, ids, latest, use_days

SOURCE_IDS: tuple[str, ...] = ("ichd-3-2018",)
PERIOD_DAYS = 30
PERIODS = int(ICHD3_OVERUSE_MONTHS.value) + 1  # "more than 3 months" = 4 periods


def _headache_days(headaches: list[Stored[Headache]]) -> set[date]:
    """Every journal day an episode touched (its start day when it is still open)."""
    days: set[date] = set()
    for item in headaches:
        first = day_of(item.entry)
        end = item.entry.end
        last = first if end is None else clock.journal_day(end, item.entry.zone)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def _periods(today: date, headaches: set[date], uses: set[date]) -> list[PeriodCounts]:
    end = today + timedelta(days=1)
    starts = [end - timedelta(days=PERIOD_DAYS * k) for k in range(PERIODS, 0, -1)]
    return [
        PeriodCounts(
            start,
            start + timedelta(days=PERIOD_DAYS),
            sum(1 for d in headaches if start <= d < start + timedelta(days=PERIOD_DAYS)),
            sum(1 for d in uses if start <= d < start + timedelta(days=PERIOD_DAYS)),
        )
        for start in starts
    ]


def check(window: JournalWindow, now: datetime) -> list[Alert]:
    """A caution (a warning with frequent headache too) after 4 frequent-use periods in a row."""
    if Condition.MIGRAINE not in window.profile.conditions:
        return []
    today = window.today(now)
    since = now - timedelta(days=PERIOD_DAYS * PERIODS + 1)
    doses = window.doses(now=now, since=since)
    headaches = window.of_kind(Headache, now=now, since=since - timedelta(days=3))
    watch = overuse_watch(_periods(today, _headache_days(headaches), use_days(doses)))
    if not ICHD3_OVERUSE_MONTHS.reached(watch.current_use_run):
        return []
    first = watch.periods[0].period.start
    counted = [d for d in doses if day_of(d.entry) >= first]
    triggers: list[Identified] = [*counted, *(h for h in headaches if day_of(h.entry) >= first)]
    return [
        Alert(
            rule_id="migraine_frequent_use",
            severity=Severity.WARNING if watch.pattern_met else Severity.CAUTION,
            title="Frequent kratom use with migraine",
            explanation=(
                f"Your profile lists migraine, and you used kratom on "
                f"{ICHD3_OPIOID_OVERUSE_DAYS.value:g} or more days in each of the last "
                f"{watch.current_use_run} periods of 30 days. {watch.text}"
            ),
            what_to_do=(
                "Talk with your doctor or a headache specialist about how often you use kratom "
                "and how often you have headaches; frequent use of headache-relieving drugs can "
                "make headaches more frequent. Do not stop suddenly after daily use without a "
                "plan, because withdrawal can bring headache too."
            ),
            source_ids=SOURCE_IDS,
            entry_ids=ids(triggers),
            at=latest(triggers, now),
            analogy=True,
        )
    ]


RULE = Rule(
    id="migraine_frequent_use",
    concern="kratom on 10+ days a month for more than 3 months with migraine (ICHD-3 analogy)",
    check=check,
    source_ids=SOURCE_IDS,
)
