"""Plan tests: the real CLI with the plan sub-app, and small journal builders."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from speciosa.journal.clock import at_local
from speciosa.journal.models import Dose, Profile

ZONE = "Europe/London"
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def daily_doses(
    days: int,
    *,
    per_day: tuple[float, ...] = (2.0, 2.0, 2.0),
    today: date = TODAY,
    skip: frozenset[int] = frozenset(),
) -> list[Dose]:
    """``per_day`` doses (grams) on each of the ``days`` days before ``today``."""
    doses = []
    for n in range(1, days + 1):
        if n in skip:
            continue
        day = today - timedelta(days=n)
        for i, grams in enumerate(per_day):
            at = at_local(day, time(8 + 5 * i, 0), ZONE)
            doses.append(Dose(at=at, zone=ZONE, amount=grams, grams=grams))
    return doses


PROFILE = Profile(timezone=ZONE, conditions=("chronic_pain",))
