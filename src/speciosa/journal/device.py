"""What a wearable recorded: the ``DeviceSample`` every reader in ``interop.wearables``
produces, ``store.device_store`` keeps and ``instruments.device_nights`` turns into nights.

A sample is an interval measured by one source (an app or device, as the export names it):

    kind            start .. end    value / unit    meaning
    sleep_in_bed    22:51 .. 07:02  -               in bed (interval)
    sleep_core      00:07 .. 00:21  -               asleep in that stage (interval)
    sleep_deep      23:10 .. 07:00  81 min          a night's stage *total* (no hypnogram)
    sleep_latency   23:10 .. 07:00  14 min          the device's onset latency
    sleep_score     23:10 .. 07:00  78 score        the vendor's sleep score
    workout         17:31 .. 18:12  41 min          detail: "Running"
    resting_hr      08:10 .. 19:02  57 count/min
    hrv             08:10 .. 08:11  42 ms           detail: "sdnn" (Apple) or "rmssd"

Sleep-stage samples with ``unit == "min"`` are totals over their window (Oura trends, Garmin
without sleep levels); without a unit they are intervals. Each sample keeps the UTC offset its
timestamp carried and the IANA zone when the export names one, so "which night" can be decided
in the zone the person was in (``journal.clock``). When the vendor dates the sleep itself
(Oura ``date``/``day``, Fitbit ``dateOfSleep``, Garmin ``calendarDate``: the morning the sleep
ends), ``night`` keeps that as Speciosa's night (the evening before), and it wins over the
04:00 rule.

A sample is identified by what was measured, not by the name of what measured it: the
``dedup_key`` is a hash of (kind, start, end, value, detail, device), where ``device`` is a
stable identity of the hardware when the export gives one (Apple's ``device`` attribute:
manufacturer, model, hardware) and never the display name (``source``), which the person can
rename.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

from speciosa.errors import InvalidInput
from speciosa.journal import clock

SLEEP_IN_BED = "sleep_in_bed"
SLEEP_ASLEEP = "sleep_asleep"  # asleep, stage not given (pre-iOS 16, third-party apps)
SLEEP_CORE = "sleep_core"  # Apple "core" = light (Fitbit/Oura/Garmin "light")
SLEEP_DEEP = "sleep_deep"
SLEEP_REM = "sleep_rem"
SLEEP_AWAKE = "sleep_awake"
SLEEP_LATENCY = "sleep_latency"
SLEEP_SCORE = "sleep_score"
WORKOUT = "workout"
RESTING_HR = "resting_hr"
HRV = "hrv"

ASLEEP_KINDS = frozenset({SLEEP_ASLEEP, SLEEP_CORE, SLEEP_DEEP, SLEEP_REM})
SLEEP_STATE_KINDS = ASLEEP_KINDS | {SLEEP_IN_BED, SLEEP_AWAKE}
KINDS = (
    SLEEP_IN_BED,
    SLEEP_ASLEEP,
    SLEEP_CORE,
    SLEEP_DEEP,
    SLEEP_REM,
    SLEEP_AWAKE,
    SLEEP_LATENCY,
    SLEEP_SCORE,
    WORKOUT,
    RESTING_HR,
    HRV,
)
MINUTES = "min"
# Column widths in the store; the key is computed on what is stored.
SOURCE_MAX = 120
DETAIL_MAX = 80
DEVICE_MAX = 80


@dataclass(frozen=True, slots=True)
class DeviceSample:
    source: str
    kind: str
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC, >= start
    utc_offset_minutes: int | None = None  # the offset the export gave for ``start``
    zone: str | None = None  # IANA name when the export says (Apple HKTimeZone)
    value: float | None = None
    unit: str | None = None
    detail: str | None = None  # workout activity, HRV method, the vendor's own label
    night: date | None = None  # the vendor's own night for this sleep (the evening's date)
    device: str | None = None  # a stable hardware identity (never the renameable source name)

    @property
    def is_total(self) -> bool:
        """A stage total over the window rather than an interval spent in that stage."""
        return self.unit == MINUTES and self.kind in SLEEP_STATE_KINDS | {SLEEP_LATENCY}

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60

    def dedup_key(self) -> int:
        """A signed 64-bit hash of (kind, start, end, value, detail, device): the measurement,
        not the source's display name (a renamed watch gives the same keys)."""
        return measurement_key(
            self.kind, self.start, self.end, self.value, self.detail, self.device
        )

    def legacy_key(self) -> int | None:
        """The key a sample stored before device identities were kept has (migration 0005
        rekeyed those rows without one); None when this sample has no device identity."""
        if self.device is None:
            return None
        return measurement_key(self.kind, self.start, self.end, self.value, self.detail, None)

    def night_zone(self, default_zone: str) -> str:
        """The zone that decides this sample's night: its IANA zone, its offset, or the default."""
        if self.zone is not None:
            return self.zone
        if self.utc_offset_minutes is not None:
            fixed = offset_zone_name(self.utc_offset_minutes)
            if fixed is not None:
                return fixed
        return default_zone


def measurement_key(
    kind: str,
    start: datetime,
    end: datetime,
    value: float | None,
    detail: str | None,
    device: str | None,
) -> int:
    """The dedup key of a measurement. Migration 0005 holds a frozen copy of this function;
    change both, with a migration that rekeys the stored rows, or re-imports add duplicates."""
    text = "\x1f".join(
        (
            "m1",
            kind,
            _instant_text(start),
            _instant_text(end),
            "" if value is None else repr(float(value)),
            (detail or "")[:DETAIL_MAX],
            (device or "")[:DEVICE_MAX],
        )
    )
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _instant_text(instant: datetime) -> str:
    """``instant.strftime("%Y-%m-%dT%H:%M:%S.%f")``, as the key has always hashed it, at a
    tenth of the cost (strftime was most of an import's key work). isoformat pads the year
    to four digits, strftime does not: years before 1000 still go through strftime."""
    if instant.year >= 1000:
        return instant.isoformat(timespec="microseconds")[:26]  # without the offset
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%f")


def offset_zone_name(minutes: int) -> str | None:
    """The IANA ``Etc/GMT±N`` zone for a whole-hour offset (POSIX signs are inverted)."""
    if minutes % 60 or not -14 * 60 <= minutes <= 12 * 60:
        return None
    hours = minutes // 60
    if hours == 0:
        return "UTC"
    return f"Etc/GMT{-hours:+d}"


@lru_cache(maxsize=256)
def fixed_offset(minutes: int) -> timezone:
    return timezone(timedelta(minutes=minutes))


@lru_cache(maxsize=512)
def known_zone(name: str | None) -> str | None:
    """``name`` if it is a real IANA zone, else None (exports sometimes hold junk)."""
    if not name:
        return None
    try:
        clock.zone(name)
    except InvalidInput:
        return None
    return name


# Kinds whose value is a physiological measurement that is only ever a positive number:
# a negative, zero, NaN or infinite heart rate or HRV is an export fault, never a reading.
POSITIVE_VALUE_KINDS = frozenset({RESTING_HR, HRV})


def has_usable_value(sample: DeviceSample) -> bool:
    """Whether a sample's value (when it has one) can be stored as a measurement."""
    if sample.value is None:
        return sample.kind not in POSITIVE_VALUE_KINDS
    if not math.isfinite(sample.value):
        return False
    if sample.kind in POSITIVE_VALUE_KINDS:
        return sample.value > 0
    return sample.value >= 0 if sample.unit == MINUTES else True  # a duration is never negative


def make_sample(
    source: str,
    kind: str,
    start: datetime,
    end: datetime,
    *,
    zone: str | None = None,
    value: float | None = None,
    unit: str | None = None,
    detail: str | None = None,
    night: date | None = None,
    device: str | None = None,
) -> DeviceSample:
    """A sample from aware local times: UTC instants plus the offset ``start`` carried."""
    return DeviceSample(
        source=source,
        kind=kind,
        start=start.astimezone(UTC),
        end=end.astimezone(UTC),
        utc_offset_minutes=offset_minutes(start),
        zone=known_zone(zone),
        value=value,
        unit=unit,
        detail=detail,
        night=night,
        device=device,
    )


def night_before(morning: date) -> date:
    """Speciosa's night (the evening's date) for a sleep a vendor dates by its morning."""
    return morning - timedelta(days=1)


def offset_minutes(instant: datetime) -> int | None:
    offset = instant.utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)


def from_local(naive: datetime, zone_name: str) -> datetime:
    """A wall-clock time without offset, read in ``zone_name`` (first occurrence if ambiguous)."""
    tz: tzinfo = ZoneInfo(zone_name)
    return naive.replace(tzinfo=tz, fold=0)


def to_utc(instant: datetime) -> datetime:
    return instant.astimezone(UTC)
