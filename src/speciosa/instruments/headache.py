"""An ICHD-3 medication-overuse-headache style watch over headache and kratom-use days.

ICHD-3 8.2.4 (opioid-overuse headache) counts regular opioid intake on 10 or more days a
month for more than 3 months; 8.2 criterion A is headache on 15 or more days a month.
Kratom is not named in ICHD-3, so everything here is labelled an analogy. ">3 months" with
monthly counts means at least 4 consecutive months, because exactly 3 is not more than 3.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from speciosa.instruments.errors import InstrumentInputError
from speciosa.knowledge.thresholds import (
    ICHD3_HEADACHE_DAYS,
    ICHD3_OPIOID_OVERUSE_DAYS,
    ICHD3_OVERUSE_MONTHS,
)

SOURCE_IDS: tuple[str, ...] = ("ichd-3-2018",)
MIN_PERIOD_DAYS, MAX_PERIOD_DAYS = 28, 31  # a calendar month or a 30-day window
ANALOGY_NOTE = (
    "By analogy only: ICHD-3 defines medication-overuse headache for headache medicines such "
    "as opioids; kratom is not named in ICHD-3. This is a pattern to discuss with a clinician, "
    "not a diagnosis."
)


@dataclass(frozen=True, slots=True)
class PeriodCounts:
    """Headache days and kratom-use days in one month-long period ``[start, end)``."""

    start: date
    end: date
    headache_days: int
    use_days: int

    @property
    def days(self) -> int:
        """Length of the period in days."""
        return (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class PeriodFlags:
    """One period read against the ICHD-3 day thresholds."""

    period: PeriodCounts
    frequent_use: bool  # use on >= 10 days
    frequent_headache: bool  # headache on >= 15 days
    use_run: int  # consecutive frequent-use periods ending here


@dataclass(frozen=True, slots=True)
class OveruseWatch:
    """The whole history read against ICHD-3 8.2 / 8.2.4, by analogy."""

    periods: tuple[PeriodFlags, ...]
    longest_use_run: int
    current_use_run: int
    sustained_frequent_use: bool  # some run of frequent-use periods > 3
    pattern_met: bool  # sustained use AND headache >= 15 days in a period ending such a run
    text: str
    is_analogy: bool = True
    source_ids: tuple[str, ...] = SOURCE_IDS


def overuse_watch(periods: Sequence[PeriodCounts]) -> OveruseWatch:
    """Read consecutive month-long periods against the ICHD-3 thresholds (oldest first)."""
    _check_periods(periods)
    flags: list[PeriodFlags] = []
    run = 0
    for period in periods:
        frequent = ICHD3_OPIOID_OVERUSE_DAYS.reached(period.use_days)
        run = run + 1 if frequent else 0
        flags.append(
            PeriodFlags(period, frequent, ICHD3_HEADACHE_DAYS.reached(period.headache_days), run)
        )
    longest = max((f.use_run for f in flags), default=0)
    sustained = ICHD3_OVERUSE_MONTHS.reached(longest)
    met = any(f.frequent_headache and ICHD3_OVERUSE_MONTHS.reached(f.use_run) for f in flags)
    current = flags[-1].use_run if flags else 0
    return OveruseWatch(
        periods=tuple(flags),
        longest_use_run=longest,
        current_use_run=current,
        sustained_frequent_use=sustained,
        pattern_met=met,
        text=_text(flags, longest, sustained, met),
    )


def monthly_counts(
    headache_days: Iterable[date], use_days: Iterable[date], *, first_month: date, last_month: date
) -> list[PeriodCounts]:
    """Count distinct headache days and use days per calendar month, first to last inclusive."""
    if last_month < first_month:
        raise InstrumentInputError(
            "last_month", last_month.isoformat(), "must not be before first_month"
        )
    headaches, uses = set(headache_days), set(use_days)
    counts = []
    month = first_month.replace(day=1)
    while month <= last_month:
        following = _next_month(month)
        counts.append(
            PeriodCounts(
                month,
                following,
                sum(1 for d in headaches if month <= d < following),
                sum(1 for d in uses if month <= d < following),
            )
        )
        month = following
    return counts


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _check_periods(periods: Sequence[PeriodCounts]) -> None:
    for index, period in enumerate(periods):
        where = f"periods[{index}]"
        if not MIN_PERIOD_DAYS <= period.days <= MAX_PERIOD_DAYS:
            raise InstrumentInputError(
                f"{where}.end", period.end.isoformat(), "a period must last 28 to 31 days"
            )
        for field in ("headache_days", "use_days"):
            value = getattr(period, field)
            if not 0 <= value <= period.days:
                raise InstrumentInputError(
                    f"{where}.{field}", value, f"must be 0 to {period.days} (days in the period)"
                )
        if index and period.start != periods[index - 1].end:
            raise InstrumentInputError(
                f"{where}.start",
                period.start.isoformat(),
                "periods must be consecutive: each starts where the previous one ends",
            )


def _text(flags: list[PeriodFlags], longest: int, sustained: bool, met: bool) -> str:
    frequent = sum(f.frequent_use for f in flags)
    parts = [
        f"Kratom was used on 10 or more days in {frequent} of {len(flags)} months; the longest "
        f"run of such months in a row was {longest}."
    ]
    if met:
        parts.append(
            "That has lasted more than 3 months together with headache on 15 or more days a "
            "month: the pattern ICHD-3 calls medication-overuse headache for opioids."
        )
    elif sustained:
        parts.append(
            "Frequent use has lasted more than 3 months, but headache days have not reached 15 "
            "in a month at the same time."
        )
    parts.append(ANALOGY_NOTE)
    return " ".join(parts)
