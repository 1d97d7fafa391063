"""Frequent use with migraine or headaches: ICHD-3 8.2.4 (opioid-overuse headache) by analogy.

ICHD-3 counts regular opioid intake on 10 or more days a month for more than 3 months as
overuse that can itself cause headache; kratom is not named, so the alerts say it is an
analogy. Months here are 30-day periods ending today, read by
``instruments.headache.overuse_watch``; four are needed (more than three) for ``RULE``.

``EARLY_RULE`` is preventive: it raises a caution as soon as the latest 30-day period has
use on 10 or more days (the same ICHD-3 day count), for a person with migraine in the
profile or headache episodes in the journal, while the four-period rule has not fired. It
is not a diagnosis either; it gives time to talk about it before the pattern can set in.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from speciosa.instruments.headache import ANALOGY_NOTE, PeriodCounts, overuse_watch
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Headache
from speciosa.knowledge.thresholds import ICHD3_OPIOID_OVERUSE_DAYS, ICHD3_OVERUSE_MONTHS
from speciosa.safety.alerts import Alert, Severity
from speciosa.safety.rules.base import Rule, plural
from speciosa.safety.window import Identified, JournalWindow, Stored, ids, latest, use_days

SOURCE_IDS: tuple[str, ...] = ("ichd-3-2018",)
PERIOD_DAYS = 30
PERIODS = int(ICHD3_OVERUSE_MONTHS.value) + 1  # "more than 3 months" = 4 periods


def _headache_days(headaches: list[Stored[Headache]]) -> set[date]:
    """Every journal day an episode touched (its start day when it is still open)."""
    days: set[date] = set()
    for item in headaches:
        first = item.day
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
    counted = [d for d in doses if d.day >= first]
    triggers: list[Identified] = [*counted, *(h for h in headaches if h.day >= first)]
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


def check_early(window: JournalWindow, now: datetime) -> list[Alert]:
    """A preventive caution once the latest 30-day period has use on 10 or more days."""
    migraine = Condition.MIGRAINE in window.profile.conditions
    if migraine and check(window, now):
        return []  # the ICHD-3 pattern itself is already reported
    today = window.today(now)
    since = now - timedelta(days=PERIOD_DAYS * PERIODS + 1)
    doses = window.doses(now=now, since=since)
    headaches = window.of_kind(Headache, now=now, since=since - timedelta(days=3))
    if not (migraine or headaches):
        return []
    watch = overuse_watch(_periods(today, _headache_days(headaches), use_days(doses)))
    latest_period = watch.periods[-1]
    if not latest_period.frequent_use:
        return []
    start = latest_period.period.start
    counted = [d for d in doses if d.day >= start]
    recent_headaches = [h for h in headaches if h.day >= start]
    who = (
        "Your profile lists migraine"
        if migraine
        else f"You logged {plural(len(headaches), 'headache episode')} in the last "
        f"{PERIOD_DAYS * PERIODS} days"
    )
    explanation = (
        f"{who}, and in the last {PERIOD_DAYS} days you used kratom on "
        f"{latest_period.period.use_days} days ({watch.current_use_run} such "
        f"{'period' if watch.current_use_run == 1 else 'periods'} of {PERIOD_DAYS} days in a "
        f"row) and had headache on {latest_period.period.headache_days} days. ICHD-3 counts "
        f"opioid intake on {ICHD3_OPIOID_OVERUSE_DAYS.value:g} or more days a month, kept up "
        "for more than 3 months, as overuse that can itself make headaches more frequent "
        "(medication-overuse headache). This is an early note, before that pattern could be "
        f"met. {ANALOGY_NOTE}"
    )
    triggers: list[Identified] = [*counted, *recent_headaches]
    return [
        Alert(
            rule_id="migraine_early_use",
            severity=Severity.CAUTION,
            title="Kratom on many days with headaches: an early note",
            explanation=explanation,
            what_to_do=(
                "If you use kratom for headaches, keep logging headaches and doses so use days "
                "and headache days can be compared month by month, and talk with your doctor "
                "or a headache specialist now, before frequent use becomes a habit of months: "
                "frequent use of headache-relieving drugs can make headaches more frequent. Do "
                "not stop suddenly after daily use without a plan, because withdrawal can bring "
                "headache too."
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
EARLY_RULE = Rule(
    id="migraine_early_use",
    concern="kratom on 10+ days in the latest 30 days with migraine or headaches (preventive, "
    "ICHD-3 analogy)",
    check=check_early,
    source_ids=SOURCE_IDS,
)
