"""Read a simulated journal the way an analysis would: from its entries and the clock rules.

Nothing here looks inside the simulator; the planted effects must be visible in the data.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

import numpy as np

from speciosa.journal import clock
from speciosa.journal.models import Dose, EntryBase, Headache, Sleep, Substance
from speciosa.simulate import BEDTIME_WINDOW_MINUTES, SimulatedJournal

T = TypeVar("T", bound=EntryBase)


def of_kind(journal: SimulatedJournal, kind: type[T]) -> list[T]:
    return [e for e in journal.entries if isinstance(e, kind)]


def instants(entry: EntryBase) -> Iterator[datetime]:
    """Every moment an entry claims to know about."""
    yield entry.at
    if isinstance(entry, Sleep):
        yield from (entry.tried_to_sleep, entry.final_awakening, entry.out_of_bed)
    if isinstance(entry, Headache) and entry.end is not None:
        yield entry.end


def doses_by_night(journal: SimulatedJournal) -> dict[date, list[Dose]]:
    zone = journal.profile.timezone
    nights: dict[date, list[Dose]] = defaultdict(list)
    for dose in of_kind(journal, Dose):
        nights[clock.night_of(dose.at, zone)].append(dose)
    return nights


def bedtime_dose(sleep: Sleep, nights: dict[date, list[Dose]], zone: str) -> Dose | None:
    """The documented rule: a dose of this night within 180 min before trying to sleep."""
    for dose in nights.get(clock.night_of(sleep.at, zone), []):
        lead = (sleep.tried_to_sleep - dose.at).total_seconds() / 60
        if 0 < lead <= BEDTIME_WINDOW_MINUTES:
            return dose
    return None


def grams_by_day(journal: SimulatedJournal) -> dict[date, float]:
    zone = journal.profile.timezone
    totals: dict[date, float] = defaultdict(float)
    for dose in of_kind(journal, Dose):
        assert dose.grams is not None
        totals[clock.journal_day(dose.at, zone)] += dose.grams
    return totals


def weekly_grams(totals: dict[date, float], day: date) -> float:
    """Grams over journal days day-7 .. day-1, as the simulator documents."""
    return sum(totals.get(day - timedelta(days=k), 0.0) for k in range(1, 8))


def alcohol_times(journal: SimulatedJournal) -> list[datetime]:
    """When alcohol was logged, in time order."""
    return sorted(e.at for e in of_kind(journal, Substance) if e.substance_class == "alcohol")


def near(times: list[datetime], at: datetime, window_minutes: float) -> bool:
    """Whether any of the sorted ``times`` lies within ``window_minutes`` of ``at``."""
    window = timedelta(minutes=window_minutes)
    i = bisect.bisect_left(times, at - window)
    return i < len(times) and times[i] <= at + window


def mean_difference(with_: Sequence[float], without: Sequence[float]) -> tuple[float, float]:
    """Difference of means and its standard error (Welch), from the data's own spread."""
    a, b = np.asarray(with_, dtype=float), np.asarray(without, dtype=float)
    se = math.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
    return float(a.mean() - b.mean()), se


def lag1_autocorrelation(values: Sequence[float]) -> float:
    x = np.asarray(values, dtype=float) - np.mean(values)
    return float((x[1:] * x[:-1]).sum() / (x * x).sum())


def everything(journal: SimulatedJournal) -> dict[str, object]:
    """A plain, comparable dump of a whole simulated journal."""
    return {
        "profile": journal.profile.model_dump(mode="json"),
        "products": [p.model_dump(mode="json") for p in journal.products],
        "entries": [e.model_dump(mode="json") for e in journal.entries],
        "truth": journal.truth,
    }
