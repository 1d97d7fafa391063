"""Garmin Connect sleep JSON: ``dailySleepData`` responses saved as files.

Time quirk: ``sleepStartTimestampGMT`` is a real epoch in milliseconds, but
``sleepStartTimestampLocal`` is the *wall clock* written as if it were UTC (a pseudo-instant
shifted by the offset). Using the ``Local`` value as an instant puts the night hours off; the
importer uses the GMT value and takes the offset as ``Local - GMT``.

``sleepLevels`` (when present) gives stage intervals with GMT times without a suffix
(``2021-07-20T05:21:00.0``), ``activityLevel`` 0 deep, 1 light, 2 REM, 3 awake; without them
the stage totals in seconds are kept as totals (with the in-bed interval over the same window:
one night, not a night and a nap). Accepted shapes: one response
(``{"dailySleepDTO": {...}, ...}``), a list of responses, or a list of ``dailySleepDTO`` objects.

``calendarDate`` is the morning the sleep ends; it is kept as the samples' night (the evening
before). Counted as read: ``days`` (one ``dailySleepDTO`` each, with or without sleep).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.journal.device import (
    HRV,
    MINUTES,
    RESTING_HR,
    SLEEP_AWAKE,
    SLEEP_CORE,
    SLEEP_DEEP,
    SLEEP_IN_BED,
    SLEEP_REM,
    SLEEP_SCORE,
    DeviceSample,
    fixed_offset,
    make_sample,
    night_before,
)

SOURCE = "Garmin"
LEVELS = {0: SLEEP_DEEP, 1: SLEEP_CORE, 2: SLEEP_REM, 3: SLEEP_AWAKE}
TOTALS = (
    ("lightSleepSeconds", SLEEP_CORE),
    ("deepSleepSeconds", SLEEP_DEEP),
    ("remSleepSeconds", SLEEP_REM),
    ("awakeSleepSeconds", SLEEP_AWAKE),
)


def responses(document: Any) -> list[dict[str, Any]] | None:
    """The sleep responses in a Garmin document, or None if it is not one."""
    items = document if isinstance(document, list) else [document]
    found: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("dailySleepDTO"), dict):
            found.append(item)
        elif isinstance(item, dict) and "sleepStartTimestampGMT" in item:
            found.append({"dailySleepDTO": item})
        else:
            return None
    return found or None


DAYS = "days"


def read_garmin(path: Path, *, counts: Counter[str] | None = None) -> list[DeviceSample]:
    try:
        document = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InvalidInput("file", str(path), f"is not valid JSON ({exc.msg})") from exc
    return garmin_samples(document, counts)


def garmin_samples(document: Any, counts: Counter[str] | None = None) -> list[DeviceSample]:
    found = responses(document)
    if found is None:
        raise InvalidInput(
            "file", "Garmin JSON", "must hold Garmin Connect sleep data (dailySleepDTO objects)"
        )
    if counts is not None:
        counts[DAYS] += len(found)
    samples: list[DeviceSample] = []
    for index, response in enumerate(found):
        try:
            samples.extend(_response(response))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"[{index}].dailySleepDTO",
                response["dailySleepDTO"].get("calendarDate"),
                f"is not readable ({exc})",
            ) from exc
    return samples


def _response(response: dict[str, Any]) -> Iterator[DeviceSample]:
    dto = response["dailySleepDTO"]
    start_ms, end_ms = dto.get("sleepStartTimestampGMT"), dto.get("sleepEndTimestampGMT")
    if start_ms is None or end_ms is None:
        return  # a day without recorded sleep
    offset_ms = (dto.get("sleepStartTimestampLocal") or start_ms) - start_ms
    tz = fixed_offset(round(offset_ms / 60000))
    start = _epoch(start_ms).astimezone(tz)
    end = _epoch(end_ms).astimezone(tz)
    day = dto.get("calendarDate")
    night = night_before(date.fromisoformat(day[:10])) if isinstance(day, str) else None
    yield make_sample(SOURCE, SLEEP_IN_BED, start, end, night=night)
    levels = response.get("sleepLevels") or []
    for level in levels:
        kind = LEVELS.get(int(level["activityLevel"]))
        if kind is None:
            continue
        begins = _gmt(level["startGMT"]).astimezone(tz)
        ends = _gmt(level["endGMT"]).astimezone(tz)
        if ends > begins:
            yield make_sample(SOURCE, kind, begins, ends, night=night)
    if not levels:
        for field, kind in TOTALS:
            if dto.get(field) is not None:
                minutes = dto[field] / 60
                yield make_sample(
                    SOURCE, kind, start, end, value=minutes, unit=MINUTES, night=night
                )
    score = ((dto.get("sleepScores") or {}).get("overall") or {}).get("value")
    if score is not None:
        yield make_sample(
            SOURCE, SLEEP_SCORE, start, end, value=float(score), unit="score", night=night
        )
    if response.get("restingHeartRate"):
        yield make_sample(
            SOURCE,
            RESTING_HR,
            start,
            end,
            value=float(response["restingHeartRate"]),
            unit="count/min",
            night=night,
        )
    if response.get("avgOvernightHrv"):
        yield make_sample(
            SOURCE,
            HRV,
            start,
            end,
            value=float(response["avgOvernightHrv"]),
            unit="ms",
            detail="rmssd",
            night=night,
        )


def _epoch(milliseconds: int) -> datetime:
    return datetime.fromtimestamp(0, UTC) + timedelta(milliseconds=milliseconds)


def _gmt(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=UTC)
