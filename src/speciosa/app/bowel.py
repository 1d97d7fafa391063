"""The bowel diary against the Rome IV constipation features, for the current window.

The window is the one the constipation alerts read (``BOWEL_WINDOW_DAYS``, four weeks),
cut to the days the diary covers: a diary started ten days ago is read as ten days, not as
four weeks with eighteen empty ones. Below a week (``instruments.bowel.MIN_WINDOW``) there
is no reading, only how many more days it needs. The CLI's ``speciosa bowel`` shows this.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from speciosa.errors import InvalidInput
from speciosa.instruments.bowel import MIN_WINDOW, RomeIVSummary, rome_iv_summary
from speciosa.journal import clock
from speciosa.journal.models import Bowel
from speciosa.safety.thresholds import BOWEL_WINDOW_DAYS

from .unit import Journal

MAX_DAYS = 3660


@dataclass(frozen=True)
class BowelView:
    """The window read, its movements, and the Rome IV summary (None: too few days)."""

    start: datetime
    end: datetime
    movements: int
    summary: RomeIVSummary | None
    days_needed: int  # more diary days before there is a reading (0 when there is one)


def bowel_summary(journal: Journal, *, days: int | None = None) -> BowelView:
    """The Rome IV features and shares over the last ``days`` days (default four weeks)."""
    span = BOWEL_WINDOW_DAYS.value if days is None else days
    minimum = MIN_WINDOW.days
    if not minimum <= span <= MAX_DAYS:
        raise InvalidInput("days", span, f"must be from {minimum} to {MAX_DAYS}")
    end = journal.now
    start = end - timedelta(days=span)
    stored = journal.store.entries(kinds=["bowel"], since=start, until=end)
    movements = [s.entry for s in stored if isinstance(s.entry, Bowel)]
    if movements:
        # The diary's first journal day, when it began inside the window.
        first = movements[0]
        diary_start = clock.day_bounds(clock.journal_day(first.at, first.zone), first.zone)[0]
        start = max(start, diary_start)
    covered = end - start
    if not movements or covered < MIN_WINDOW:
        short = MIN_WINDOW - covered if movements else MIN_WINDOW
        needed = max(1, math.ceil(short / timedelta(days=1)))
        return BowelView(start, end, len(movements), None, needed)
    summary = rome_iv_summary(movements, start=start, end=end)
    return BowelView(start, end, len(movements), summary, 0)
