"""Each night's sleep diary beside what a wearable recorded. The diary stays the primary
record; where the two disagree the difference is shown, never resolved.
"""

from __future__ import annotations

from datetime import timedelta

from speciosa.instruments.device_nights import (
    SLEEP_KINDS,
    NightPair,
    device_nights,
    diary_metrics,
    pair_nights,
)
from speciosa.journal import clock
from speciosa.journal.models import Sleep

from .unit import Journal

__all__ = ["NightPair", "night_pairs"]


def night_pairs(journal: Journal, *, days: int) -> list[NightPair]:
    """Diary and device nights of the last ``days`` days, paired by night."""
    since = journal.now - timedelta(days=days)
    diary = [s.entry for s in journal.store.entries(kinds=["sleep"], since=since)]
    # Device records of a night can start the evening before the window's first diary.
    samples = journal.devices.samples(kinds=SLEEP_KINDS, since=since - timedelta(days=1))
    nights = device_nights(samples, zone=journal.zone)
    first = clock.journal_day(since, journal.zone)
    pairs = pair_nights(diary_metrics(e for e in diary if isinstance(e, Sleep)), nights)
    return [p for p in pairs if p.night >= first]
