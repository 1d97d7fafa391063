"""Consensus Sleep Diary (Carney et al. 2012) metrics for one night.

Derived variables follow the standard CSD conventions (the exact formulas printed in
Carney 2012 were not visible in the stored copy; secondary sources agree):

    TIB  = out of bed (item 7) − into bed (item 1)
    SOL  = item 3
    WASO = item 5 (middle-of-the-night awakenings only)
    TST  = (final awakening (item 6) − tried to sleep (item 2)) − SOL − WASO
    TWAK = item 6b if given, else out of bed − final awakening
    SE   = TST / TIB × 100

TST deliberately starts at "tried to sleep", not "into bed": the common shortcut
TIB − SOL − WASO counts reading in bed before trying to sleep as sleep.

All times must be timezone-aware; durations are computed on real instants (UTC), so a
night across a DST change has its true length. Python subtracts two datetimes that share a
``ZoneInfo`` by wall-clock time, which is why every subtraction here goes through UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from speciosa.instruments.errors import InstrumentInputError

SOURCE_IDS: tuple[str, ...] = ("carney-2012-csd",)
QUALITY_LABELS: dict[int, str] = {1: "Very poor", 2: "Poor", 3: "Fair", 4: "Good", 5: "Very good"}
MAX_TIME_IN_BED = timedelta(hours=24)  # engineering guard against a wrong date, not a norm


@dataclass(frozen=True, slots=True)
class SleepDiaryNight:
    """The CSD core morning items for one night (field names match the journal's Sleep entry)."""

    into_bed: datetime  # item 1
    tried_to_sleep: datetime  # item 2
    minutes_to_fall_asleep: float  # item 3
    awakenings: int | None  # item 4, not counting the final awakening (None: left empty)
    minutes_awake_in_night: float  # item 5
    final_awakening: datetime  # item 6
    out_of_bed: datetime  # item 7
    quality: int | None = None  # item 8, 1 very poor .. 5 very good
    terminal_wake_minutes: float | None = None  # item 6b (expanded diary)


@dataclass(frozen=True, slots=True)
class SleepMetrics:
    """CSD derived variables for one night, in minutes (efficiency in percent)."""

    time_in_bed: float
    sleep_onset_latency: float
    wake_after_sleep_onset: float
    total_sleep_time: float
    terminal_wakefulness: float
    sleep_efficiency: float
    awakenings: int | None
    quality: int | None
    in_bed_before_trying: float
    source_ids: tuple[str, ...] = SOURCE_IDS


def score_night(night: SleepDiaryNight) -> SleepMetrics:
    """Compute the CSD metrics for one night; refuse impossible diaries with the field named."""
    _check(night)
    window = _minutes(night.tried_to_sleep, night.final_awakening)
    tst = window - night.minutes_to_fall_asleep - night.minutes_awake_in_night
    tib = _minutes(night.into_bed, night.out_of_bed)
    terminal = (
        night.terminal_wake_minutes
        if night.terminal_wake_minutes is not None
        else _minutes(night.final_awakening, night.out_of_bed)
    )
    return SleepMetrics(
        time_in_bed=tib,
        sleep_onset_latency=float(night.minutes_to_fall_asleep),
        wake_after_sleep_onset=float(night.minutes_awake_in_night),
        total_sleep_time=tst,
        terminal_wakefulness=float(terminal),
        sleep_efficiency=tst / tib * 100,
        awakenings=night.awakenings,
        quality=night.quality,
        in_bed_before_trying=_minutes(night.into_bed, night.tried_to_sleep),
    )


def _minutes(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 60


def _check(night: SleepDiaryNight) -> None:
    for field in ("into_bed", "tried_to_sleep", "final_awakening", "out_of_bed"):
        value: datetime = getattr(night, field)
        if value.tzinfo is None or value.utcoffset() is None:
            raise InstrumentInputError(field, value.isoformat(), "must include a timezone")
    _check_order(night)
    _check_durations(night)
    if night.quality is not None and not 1 <= night.quality <= 5:
        raise InstrumentInputError(
            "quality", night.quality, "must be 1 (very poor) to 5 (very good)"
        )


def _check_order(night: SleepDiaryNight) -> None:
    steps = (
        (
            "tried_to_sleep",
            night.into_bed,
            night.tried_to_sleep,
            "must not be before getting into bed",
        ),
        (
            "final_awakening",
            night.tried_to_sleep,
            night.final_awakening,
            "must not be before the time you tried to sleep",
        ),
        (
            "out_of_bed",
            night.final_awakening,
            night.out_of_bed,
            "must not be before the final awakening",
        ),
    )
    for field, earlier, later, rule in steps:
        if _minutes(earlier, later) < 0:
            raise InstrumentInputError(field, later.isoformat(), rule)
    if night.out_of_bed.astimezone(UTC) - night.into_bed.astimezone(UTC) > MAX_TIME_IN_BED:
        raise InstrumentInputError(
            "out_of_bed",
            night.out_of_bed.isoformat(),
            "must be within 24 hours of getting into bed",
        )
    if night.out_of_bed.astimezone(UTC) == night.into_bed.astimezone(UTC):
        raise InstrumentInputError(
            "out_of_bed", night.out_of_bed.isoformat(), "must be after getting into bed"
        )


def _check_durations(night: SleepDiaryNight) -> None:
    for field in ("minutes_to_fall_asleep", "minutes_awake_in_night", "terminal_wake_minutes"):
        value = getattr(night, field)
        if value is not None and value < 0:
            raise InstrumentInputError(field, value, "must be 0 or more minutes")
    if night.awakenings is not None and night.awakenings < 0:
        raise InstrumentInputError("awakenings", night.awakenings, "must be 0 or more")
    window = _minutes(night.tried_to_sleep, night.final_awakening)
    if night.minutes_to_fall_asleep + night.minutes_awake_in_night > window:
        raise InstrumentInputError(
            "minutes_awake_in_night",
            night.minutes_awake_in_night,
            "minutes to fall asleep plus minutes awake must fit between trying to sleep and the "
            f"final awakening ({window:.0f} min)",
        )
    after_wake = _minutes(night.final_awakening, night.out_of_bed)
    if night.terminal_wake_minutes is not None and night.terminal_wake_minutes > after_wake:
        raise InstrumentInputError(
            "terminal_wake_minutes",
            night.terminal_wake_minutes,
            f"must fit between the final awakening and getting up ({after_wake:.0f} min)",
        )


class DiaryRecord(Protocol):
    """A stored diary night, such as the journal's Sleep entry: ``at`` is item 1 (into bed)."""

    @property
    def at(self) -> datetime: ...
    @property
    def tried_to_sleep(self) -> datetime: ...
    @property
    def minutes_to_fall_asleep(self) -> int: ...
    @property
    def awakenings(self) -> int | None: ...
    @property
    def minutes_awake_in_night(self) -> int: ...
    @property
    def final_awakening(self) -> datetime: ...
    @property
    def out_of_bed(self) -> datetime: ...
    @property
    def quality(self) -> int | None: ...
    @property
    def terminal_wake_minutes(self) -> int | None: ...


def score_record(record: DiaryRecord) -> SleepMetrics:
    """The metrics of a stored diary night (the one place a record becomes diary items)."""
    return score_night(
        SleepDiaryNight(
            into_bed=record.at,
            tried_to_sleep=record.tried_to_sleep,
            minutes_to_fall_asleep=record.minutes_to_fall_asleep,
            awakenings=record.awakenings,
            minutes_awake_in_night=record.minutes_awake_in_night,
            final_awakening=record.final_awakening,
            out_of_bed=record.out_of_bed,
            quality=record.quality,
            terminal_wake_minutes=record.terminal_wake_minutes,
        )
    )
