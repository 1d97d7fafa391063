"""Turning a day index and a wall-clock minute into the instant a person would log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from speciosa.errors import InvalidInput
from speciosa.journal import clock


@dataclass(frozen=True)
class Placer:
    dates: tuple[date, ...]
    zone: str

    def at(self, day: int, wall_minute: float) -> datetime:
        """The UTC instant of ``wall_minute`` after local midnight of day ``day``.

        A wall time skipped by a spring-forward change is moved an hour on, the way a
        person reading the clock after the change would write it.
        """
        whole = round(wall_minute)
        moment = datetime.combine(self.dates[day], time()) + timedelta(minutes=whole)
        try:
            return clock.at_local(moment.date(), moment.time(), self.zone)
        except InvalidInput:
            return self.at(day, whole + 60)

    def end_of_journal(self) -> datetime:
        """When the last journal day ends (04:00 the next morning): nothing is logged after."""
        return clock.at_local(self.dates[-1] + timedelta(days=1), clock.DAY_STARTS_AT, self.zone)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=float(value))
