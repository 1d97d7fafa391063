"""Today at a glance: the last dose, and today's use against the person's own limits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from speciosa.journal import clock
from speciosa.journal.models import Dose, Limits, Profile


@dataclass(frozen=True)
class LimitUse:
    """One quantity used against the person's own limit (None when they set none)."""

    used: float
    limit: float | None

    @property
    def share(self) -> float | None:
        return None if not self.limit else self.used / self.limit

    @property
    def reached(self) -> bool:
        return self.limit is not None and self.used >= self.limit


@dataclass(frozen=True)
class TodaySummary:
    day: date
    last_dose: Dose | None
    minutes_since_last_dose: int | None
    grams: LimitUse
    doses: LimitUse
    use_days_this_week: LimitUse


class DayDose(Protocol):
    """A dose with its journal day already worked out (a safety window's ``Stored`` is one):
    Today is asked on every page view, and each day costs a time-zone conversion."""

    @property
    def entry(self) -> Dose: ...

    @property
    def day(self) -> date: ...


def summarise_today(doses: Sequence[DayDose], profile: Profile, *, now: datetime) -> TodaySummary:
    """Today's numbers; ``doses`` may cover any window that includes the last 7 days."""
    today = clock.journal_day(now, profile.timezone)
    week = {today - timedelta(days=n) for n in range(7)}
    todays = [d.entry for d in doses if d.day == today]
    use_days = {d.day for d in doses} & week
    last = max((d.entry for d in doses), key=lambda d: d.at, default=None)
    limits: Limits = profile.limits
    return TodaySummary(
        day=today,
        last_dose=last,
        minutes_since_last_dose=None
        if last is None
        else int((clock.utc(now) - last.at).total_seconds() // 60),
        grams=LimitUse(round(sum(d.grams or 0 for d in todays), 3), limits.grams_per_day),
        doses=LimitUse(len(todays), limits.doses_per_day),
        use_days_this_week=LimitUse(len(use_days), limits.use_days_per_week),
    )


def minutes_ago(minutes: int | None) -> str:
    """How long ago, in words a person reads at a glance ("2 h 05 min ago")."""
    if minutes is None:
        return "no dose logged yet"
    if minutes < 60:
        return f"{minutes} min ago"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d} min ago"
    return f"{hours // 24} days ago"
