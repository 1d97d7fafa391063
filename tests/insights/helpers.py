"""Small builders for hand-made journals (local wall times in one zone)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import numpy as np
import pandas as pd

from speciosa.insights.frame import COLUMNS
from speciosa.journal.clock import at_local
from speciosa.journal.models import Bowel, Dose, Pain, Sleep

ZONE = "America/New_York"


def at(day: date, hhmm: str, zone: str = ZONE) -> datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return at_local(day, time(hour, minute), zone)


def dose(day: date, hhmm: str, grams: float = 3.0, product: str | None = None) -> Dose:
    return Dose(at=at(day, hhmm), zone=ZONE, amount=grams, grams=grams, product=product)


def pain(day: date, hhmm: str, score: int) -> Pain:
    return Pain(at=at(day, hhmm), zone=ZONE, score=score)


def bowel(day: date, hhmm: str, bristol: int) -> Bowel:
    return Bowel(at=at(day, hhmm), zone=ZONE, bristol=bristol)


def sleep(
    night: date,
    *,
    bed: str = "22:30",
    tried: str = "23:00",
    sol: int = 20,
    waso: int = 30,
    wake: str = "06:30",
    up: str = "07:00",
    quality: int = 3,
) -> Sleep:
    """A diary for the night of ``night``; times before 12:00 are the next morning."""

    def instant(hhmm: str) -> datetime:
        morning = int(hhmm.split(":")[0]) < 12
        return at(night + timedelta(days=1) if morning else night, hhmm)

    return Sleep(
        at=instant(bed),
        zone=ZONE,
        tried_to_sleep=instant(tried),
        minutes_to_fall_asleep=sol,
        minutes_awake_in_night=waso,
        awakenings=1,
        final_awakening=instant(wake),
        out_of_bed=instant(up),
        quality=quality,
    )


def synthetic_frame(n: int, seed: int, *, gaps: int = 0) -> pd.DataFrame:
    """A frame of ``n`` days in the daily_frame layout with random exposures and outcomes.

    Used to pin analyses to statsmodels on a fixed data set; ``gaps`` days are blanked.
    """
    rng = np.random.default_rng(seed)
    index = pd.date_range("2025-01-06", periods=n, freq="D", name="day")
    frame = pd.DataFrame(np.nan, index=index, columns=list(COLUMNS)).astype(
        {c: "float64" for c in COLUMNS if c != "product"}
    )
    frame["product"] = pd.Series([None] * n, index=index, dtype="object")
    dose_any = (rng.random(n) < 0.6).astype(float)
    grams = np.where(dose_any == 1, rng.choice([2.0, 3.0, 4.0, 5.0], n), 0.0)
    frame["logged"] = 1.0
    frame["dose_any"] = dose_any
    frame["doses"] = dose_any * rng.integers(1, 3, n)
    frame["grams"] = grams
    frame["bedtime_dose"] = dose_any
    frame["bedtime_grams"] = grams
    frame["dose_to_bed_min"] = np.where(dose_any == 1, rng.uniform(20, 300, n), np.nan)
    frame["product"] = np.where(dose_any == 1, rng.choice(["A", "B", "C"], n), None)
    frame["alcohol_drinks"] = rng.poisson(0.3, n).astype(float)
    frame["caffeine_drinks"] = rng.poisson(1.0, n).astype(float)
    frame["workout_minutes"] = rng.choice([0.0, 30.0, 60.0], n)
    frame["weekday"] = index.day_of_week.astype(float)
    frame["weekend"] = (index.day_of_week >= 5).astype(float)
    frame["day_index"] = np.arange(n, dtype=float)
    noise = rng.normal(0, 1.5, n)
    frame["pain"] = 6 - 1.0 * dose_any + 0.1 * frame["alcohol_drinks"] + noise
    frame["sol"] = 30 - 8 * dose_any + rng.normal(0, 10, n)
    frame["grams_7d"] = frame["grams"].rolling(7).sum().shift(1)
    frame["bowel_movements"] = rng.integers(0, 3, n).astype(float)
    p = 1 / (1 + np.exp(-(-2.0 + 0.3 * frame["grams_7d"].fillna(0) / 10)))
    frame["hard_stools"] = rng.binomial(frame["bowel_movements"].astype(int), p).astype(float)
    if gaps:
        blank = rng.choice(np.arange(10, n - 10), gaps, replace=False)
        keep = ["weekday", "weekend", "day_index", "product"]
        frame.loc[frame.index[blank], [c for c in COLUMNS if c not in keep]] = np.nan
        frame.loc[frame.index[blank], "logged"] = 0.0
        frame.loc[frame.index[blank], "product"] = None
    return frame
