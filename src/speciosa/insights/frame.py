"""The journal as one row per journal day (and the night at its end).

Every day/night attribution goes through :mod:`speciosa.journal.clock` with each entry's
own zone: a dose at 23:30 and one at 00:30 both belong to the evening's night, a sleep
diary belongs to the night its person got into bed, and a day starts at 04:00.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from speciosa.errors import InvalidInput
from speciosa.insights.constants import (
    BEDTIME_WINDOW_MINUTES,
    HARD_STOOL_MAX_BRISTOL,
    MIN_LOGGED_DAYS_7D,
)
from speciosa.instruments.sleep_diary import score_record
from speciosa.journal import clock
from speciosa.journal.catalogues import SubstanceClass
from speciosa.journal.models import (
    Bowel,
    Dose,
    EntryBase,
    Fatigue,
    Headache,
    Pain,
    Profile,
    SideEffect,
    Sleep,
    Soreness,
    StoredEntry,
    Substance,
    Workout,
)

EXPOSURE_COLUMNS: tuple[str, ...] = (
    "logged",
    "dose_any",
    "doses",
    "grams",
    "grams_7d",
    "bedtime_dose",
    "bedtime_grams",
    "dose_to_bed_min",
    "product",
)
SLEEP_COLUMNS: tuple[str, ...] = (
    "sol",
    "waso",
    "tst",
    "tib",
    "se",
    "sleep_quality",
    "rested",
    "awakenings",
    "nap_minutes",
)
DAY_OUTCOME_COLUMNS: tuple[str, ...] = (
    "pain",
    "fatigue",
    "energy",
    "soreness",
    "headache",
    "headache_peak",
    "bristol",
    "bowel_movements",
    "hard_stools",
    "side_effects",
)
# A wearable's view of the night (``instruments.device_nights.device_outcomes``), in minutes
# except ``device_awakenings`` (a count), ``device_se`` (%) and ``device_score`` (the vendor's
# score).
DEVICE_COLUMNS: tuple[str, ...] = (
    "device_tst",
    "device_tib",
    "device_sol",
    "device_waso",
    "device_awakenings",
    "device_se",
    "device_score",
)
COVARIATE_COLUMNS: tuple[str, ...] = (
    "alcohol_drinks",
    "caffeine_drinks",
    "workout_minutes",
    "weekday",
    "weekend",
    "day_index",
)
COLUMNS: tuple[str, ...] = (
    EXPOSURE_COLUMNS + SLEEP_COLUMNS + DAY_OUTCOME_COLUMNS + DEVICE_COLUMNS + COVARIATE_COLUMNS
)

# Event columns: on a logged day, "nothing recorded" means none happened (0); on a day
# with no entry at all they are unknown (NaN). Measurement columns are never filled.
_EVENT_COLUMNS: tuple[str, ...] = (
    "dose_any",
    "doses",
    "grams",
    "bedtime_dose",
    "bedtime_grams",
    "headache",
    "bowel_movements",
    "hard_stools",
    "side_effects",
    "alcohol_drinks",
    "caffeine_drinks",
    "workout_minutes",
)
_CAFFEINE_WORDS = frozenset({"caffeine", "coffee", "tea", "energy drink", "espresso", "cola"})


@dataclass
class _Day:
    logged: bool = False
    doses: list[Dose] = field(default_factory=list)
    sleep: Sleep | None = None
    pain: list[float] = field(default_factory=list)
    fatigue: list[float] = field(default_factory=list)
    energy: list[float] = field(default_factory=list)
    soreness: list[float] = field(default_factory=list)
    headache_peaks: list[float] = field(default_factory=list)
    bristol: list[int] = field(default_factory=list)
    side_effects: int = 0
    alcohol: int = 0
    caffeine: int = 0
    workout_minutes: float = 0.0


def daily_frame(
    entries: Sequence[EntryBase | StoredEntry],
    profile: Profile,
    *,
    device: Mapping[date, Mapping[str, float]] | None = None,
) -> pd.DataFrame:
    """One row per journal day from the first to the last day with an entry.

    Index: ``day`` (a daily ``DatetimeIndex``; night D is the night at the end of day D).

    Exposures
        ``logged`` (1 if any entry falls on the day or its night, else 0),
        ``dose_any`` (0/1), ``doses`` (count), ``grams`` (total; NaN if any dose that day has
        no gram weight), ``grams_7d`` (grams over the 7 days before this one, so that it
        precedes the day's outcomes: the mean of the days among them with known grams, times
        7; NaN when fewer than ``MIN_LOGGED_DAYS_7D`` of the 7 are known), ``bedtime_dose`` (0/1: a
        dose in the 3 h before trying to sleep),
        ``bedtime_grams`` (grams in that window), ``dose_to_bed_min`` (minutes from the last
        dose of the day to trying to sleep, when a dose came before it), ``product`` (the
        product with the most grams that day; "unknown" when not recorded).
        "Trying to sleep" is the diary's item when a diary exists, else the profile bedtime.
    Outcomes
        Sleep diary (CSD, Carney 2012): ``sol``, ``waso``, ``tst``, ``tib`` (minutes),
        ``se`` (%), ``sleep_quality`` (1–5), ``rested`` (1–5), ``awakenings``,
        ``nap_minutes``; day means of ``pain``, ``fatigue``, ``energy``, ``soreness`` (0–10);
        ``headache`` (0/1 an episode started), ``headache_peak`` (0–10), ``bristol`` (mean
        type), ``bowel_movements``, ``hard_stools`` (Bristol 1–2), ``side_effects`` (count).
    Device outcomes
        From ``device`` (``instruments.device_nights.device_outcomes``: night -> values, the
        night key being ``journal.clock.night_of``, as for the diary): ``device_tst``,
        ``device_tib``, ``device_sol``, ``device_waso`` (minutes), ``device_awakenings``,
        ``device_se`` (%), ``device_score``. All NaN without ``device``; device nights
        outside the journal's first..last day are left out (no exposures are known there).
    Covariates
        ``alcohol_drinks`` and ``caffeine_drinks`` (the diary's evening items or substance
        entries, whichever is larger), ``workout_minutes``, ``weekday`` (0 = Monday),
        ``weekend`` (1 on Saturday and Sunday), ``day_index`` (days since the first day).

    Missing-data policy: days without any entry are kept as rows, with every exposure,
    outcome and event covariate NaN, so gaps stay visible. On a logged day, event columns
    (doses, grams, headache, bowel movements, side effects, drinks, workouts) are 0 when
    nothing was recorded, because "no dose logged" on a day the person kept the journal
    means no dose. Measurements (sleep metrics, pain, fatigue, energy, soreness, Bristol
    type, headache peak) are NaN when not recorded and are never filled with zeros or
    carried forward; a device value the wearable did not give, or a night it did not record,
    stays NaN too. All numeric columns are float64 so that NaN can mark missing.
    Of several sleep diaries for one night the one with the latest into-bed time is used.

    Example:
        >>> from datetime import UTC, datetime
        >>> from speciosa.journal.models import Dose, Pain, Profile
        >>> profile = Profile(timezone="Europe/London")
        >>> entries = [
        ...     Dose(at=datetime(2025, 3, 3, 0, 30, tzinfo=UTC), zone="Europe/London",
        ...          amount=3, grams=3),
        ...     Pain(at=datetime(2025, 3, 4, 12, 0, tzinfo=UTC), zone="Europe/London", score=4),
        ... ]
        >>> frame = daily_frame(entries, profile)
        >>> frame[["dose_any", "grams", "pain"]]  # doctest: +NORMALIZE_WHITESPACE
                    dose_any  grams  pain
        day
        2025-03-02       1.0    3.0   NaN
        2025-03-03       NaN    NaN   NaN
        2025-03-04       0.0    0.0   4.0
    """
    days = _collect(_unwrap(entries))
    if not days:
        empty = pd.DataFrame(columns=list(COLUMNS), index=pd.DatetimeIndex([], name="day"))
        return empty.astype({c: "float64" for c in COLUMNS if c != "product"})
    first, last = min(days), max(days)
    span = (last - first).days + 1
    calendar = [first + timedelta(days=i) for i in range(span)]
    rows = [_row(day, days.get(day), profile) for day in calendar]
    index = pd.DatetimeIndex(pd.to_datetime(calendar), name="day")
    frame = pd.DataFrame(rows, index=index).reindex(columns=list(COLUMNS))
    numeric = [c for c in COLUMNS if c != "product"]
    frame[numeric] = frame[numeric].astype("float64")
    frame["product"] = frame["product"].astype("object")
    # The 7 days before this one (not today): exposure that precedes today's outcomes. Days
    # with nothing logged are left out and the rest scaled to a week, so a diary with gaps
    # still gets an answer; requiring all 7 gave none when 40% of days were missing.
    known = frame["grams"].rolling(7, min_periods=MIN_LOGGED_DAYS_7D).mean()
    frame["grams_7d"] = (known * 7).shift(1)
    frame["weekday"] = index.day_of_week.astype("float64")
    frame["weekend"] = (index.day_of_week >= 5).astype("float64")
    frame["day_index"] = np.arange(span, dtype="float64")
    if device:
        frame[list(DEVICE_COLUMNS)] = _device_block(device, calendar)
    return frame[list(COLUMNS)]


def _device_block(
    device: Mapping[date, Mapping[str, float]], calendar: Sequence[date]
) -> np.ndarray:
    """Device values on the frame's nights (rows) by ``DEVICE_COLUMNS``; NaN where absent."""
    position = {day: i for i, day in enumerate(calendar)}
    block = np.full((len(calendar), len(DEVICE_COLUMNS)), np.nan)
    for night, values in device.items():
        row = position.get(night)
        if row is None:
            continue
        for column, name in enumerate(DEVICE_COLUMNS):
            if name in values:
                block[row, column] = float(values[name])
    return block


def _unwrap(entries: Iterable[EntryBase | StoredEntry]) -> Iterable[EntryBase]:
    for item in entries:
        yield item.entry if isinstance(item, StoredEntry) else item


def _collect(entries: Iterable[EntryBase]) -> dict[date, _Day]:
    days: dict[date, _Day] = defaultdict(_Day)
    for entry in entries:
        day = days[clock.journal_day(entry.at, entry.zone)]
        day.logged = True
        match entry:
            case Dose():
                day.doses.append(entry)
            case Sleep():
                # clock.night_of(into bed) is the night; keep the latest diary for it.
                night = days[clock.night_of(entry.at, entry.zone)]
                if night.sleep is None or entry.at >= night.sleep.at:
                    night.sleep = entry
            case Pain():
                day.pain.append(entry.score)
            case Fatigue():
                day.fatigue.append(entry.score)
                if entry.energy is not None:
                    day.energy.append(entry.energy)
            case Soreness():
                day.soreness.append(entry.score)
            case Headache():
                day.headache_peaks.append(entry.peak)
            case Bowel():
                day.bristol.append(entry.bristol)
            case SideEffect():
                day.side_effects += 1
            case Substance():
                if entry.substance_class is SubstanceClass.ALCOHOL:
                    day.alcohol += 1
                elif entry.name.strip().lower() in _CAFFEINE_WORDS:
                    day.caffeine += 1
            case Workout():
                day.workout_minutes += entry.minutes
    return days


def _row(day: date, record: _Day | None, profile: Profile) -> dict[str, object]:
    if record is None or not record.logged:
        return {"logged": 0.0, "product": None}
    row: dict[str, object] = {"logged": 1.0}
    row.update(dict.fromkeys(_EVENT_COLUMNS, 0.0))
    row.update(_dose_columns(day, record, profile))
    row.update(_sleep_metrics(record.sleep))
    row.update(
        pain=_mean(record.pain),
        fatigue=_mean(record.fatigue),
        energy=_mean(record.energy),
        soreness=_mean(record.soreness),
        headache=float(bool(record.headache_peaks)),
        headache_peak=max(record.headache_peaks) if record.headache_peaks else np.nan,
        bristol=_mean(record.bristol),
        bowel_movements=float(len(record.bristol)),
        hard_stools=float(sum(b <= HARD_STOOL_MAX_BRISTOL for b in record.bristol)),
        side_effects=float(record.side_effects),
        workout_minutes=record.workout_minutes,
    )
    # Drinks the diary left empty count as none logged, as on a day without a diary.
    diary_alcohol = (record.sleep.alcohol_drinks or 0) if record.sleep else 0
    diary_caffeine = (record.sleep.caffeine_drinks or 0) if record.sleep else 0
    row["alcohol_drinks"] = float(max(diary_alcohol, record.alcohol))
    row["caffeine_drinks"] = float(max(diary_caffeine, record.caffeine))
    return row


def _mean(values: Sequence[float]) -> float:
    return float(np.mean(values)) if values else np.nan


def _dose_columns(day: date, record: _Day, profile: Profile) -> dict[str, object]:
    doses = sorted(record.doses, key=lambda d: d.at)
    if not doses:
        return {"product": None}
    grams = [d.grams for d in doses]
    known = all(g is not None for g in grams)
    by_product: dict[str, float] = defaultdict(float)
    for dose in doses:
        by_product[dose.product or "unknown"] += dose.grams or 0.0
    columns: dict[str, object] = {
        "dose_any": 1.0,
        "doses": float(len(doses)),
        "grams": float(sum(g for g in grams if g is not None)) if known else np.nan,
        "product": max(by_product, key=lambda name: by_product[name]),
    }
    bed = record.sleep.tried_to_sleep if record.sleep else _profile_bedtime(day, profile)
    if bed is None:
        columns.update(bedtime_dose=np.nan, bedtime_grams=np.nan)
        return columns
    before = [d for d in doses if d.at <= bed]
    window = [d for d in before if (bed - d.at).total_seconds() / 60 <= BEDTIME_WINDOW_MINUTES]
    columns["bedtime_dose"] = float(bool(window))
    window_grams = [d.grams for d in window]
    columns["bedtime_grams"] = (
        float(sum(g for g in window_grams if g is not None))
        if all(g is not None for g in window_grams)
        else np.nan
    )
    if before:
        columns["dose_to_bed_min"] = (bed - before[-1].at).total_seconds() / 60
    return columns


def _profile_bedtime(day: date, profile: Profile) -> datetime | None:
    """The profile's usual bedtime on the evening of ``day`` (after midnight: the next date)."""
    wall = clock.parse_wall_time(profile.bedtime, "bedtime")
    evening = day if wall >= clock.DAY_STARTS_AT else day + timedelta(days=1)
    try:
        return clock.at_local(evening, wall, profile.timezone)
    except InvalidInput:  # the bedtime falls in a spring-forward gap that night
        return None


def _sleep_metrics(sleep: Sleep | None) -> dict[str, float]:
    """CSD metrics of one diary night; the only place that knows the instrument's API."""
    if sleep is None:
        return {}
    metrics = score_record(sleep)
    return {
        "sol": metrics.sleep_onset_latency,
        "waso": metrics.wake_after_sleep_onset,
        "tst": metrics.total_sleep_time,
        "tib": metrics.time_in_bed,
        "se": metrics.sleep_efficiency,
        "sleep_quality": np.nan if sleep.quality is None else float(sleep.quality),
        "rested": np.nan if sleep.rested is None else float(sleep.rested),
        "awakenings": np.nan if sleep.awakenings is None else float(sleep.awakenings),
        "nap_minutes": np.nan if sleep.nap_minutes is None else float(sleep.nap_minutes),
    }
