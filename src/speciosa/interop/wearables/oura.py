"""Oura: the web app's Trends CSV and API v2 JSON documents.

Trends CSV: header names are the app's, not the API's; column order differs between exports;
some headers carry typos (``Sleep Timin Score``, ``Total Bedtime `` with a trailing space) and
only the metrics the person selected are present.
Headers are matched after normalising case and spaces, then by closeness to the known names.
Durations are seconds; ``Bedtime Start``/``End`` are ISO times with their offset. Oura dates
each row by the morning its night ends: that ``date`` is kept as the samples' night (the
evening before), even when the person went to bed after 04:00. A row without bedtimes (a
score-only export) is anchored at local midnight starting ``date``. Each row is one night:
an in-bed interval plus stage totals over the same window (no hypnogram).

API v2: ``{"sleep"|"daily_sleep"|"workout"|...: {"data": [...], "next_token": ...}}`` or a
single collection's ``{"data": [...]}``. ``sleep`` periods carry a five-minute hypnogram
(``sleep_phase_5_min``: 1 deep, 2 light, 3 REM, 4 awake), turned into stage intervals. A
``long_sleep`` period's ``day`` and a ``daily_sleep`` score's ``day`` are mornings too, kept
as nights; shorter periods (``sleep``, ``late_nap``) are dated by the 04:00 rule.

Counted as read: ``rows`` of a Trends CSV; the items of each API collection.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
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
    SLEEP_LATENCY,
    SLEEP_REM,
    SLEEP_SCORE,
    WORKOUT,
    DeviceSample,
    from_local,
    make_sample,
    night_before,
)

SOURCE = "Oura"
# Trends CSV column (normalised) -> what it holds.
TREND_COLUMNS = (
    "date",
    "bedtime start",
    "bedtime end",
    "sleep score",
    "total bedtime",
    "total sleep duration",
    "awake time",
    "rem sleep duration",
    "light sleep duration",
    "deep sleep duration",
    "sleep latency",
    "average resting heart rate",
    "lowest resting heart rate",
    "average hrv",
    # present but unused; listed so that close names are not mistaken for the ones above
    "total sleep score",
    "rem sleep score",
    "deep sleep score",
    "sleep efficiency",
    "sleep efficiency score",
    "sleep latency score",
    "sleep timing",
    "sleep timing score",
    "restfulness score",
    "restless sleep",
    "respiratory rate",
)
STAGE_TOTALS = (
    ("light sleep duration", SLEEP_CORE),
    ("deep sleep duration", SLEEP_DEEP),
    ("rem sleep duration", SLEEP_REM),
    ("awake time", SLEEP_AWAKE),
    ("sleep latency", SLEEP_LATENCY),
)
HYPNOGRAM = {"1": SLEEP_DEEP, "2": SLEEP_CORE, "3": SLEEP_REM, "4": SLEEP_AWAKE}
SKIPPED_PERIODS = {"deleted", "rest"}
COLLECTIONS = ("sleep", "daily_sleep", "workout", "daily_readiness", "daily_activity")
# What the items of each collection are, for the import summary.
ITEM_NAMES = {
    "unnamed": "items",
    "sleep": "sleep periods",
    "daily_sleep": "daily sleep scores",
    "workout": "workouts",
    "daily_readiness": "readiness days",
    "daily_activity": "activity days",
}
TREND_ROWS = "rows"
DATED_PERIODS = {"long_sleep"}  # the night's main sleep; Oura's ``day`` is its morning


def normalise_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().lower()


def trend_columns(headers: list[str]) -> dict[str, str]:
    """Known column name -> the header that holds it (exact, normalised, or a close typo)."""
    found: dict[str, str] = {}
    for header in headers:
        name = normalise_header(header)
        if name in TREND_COLUMNS:
            found.setdefault(name, header)
            continue
        close = difflib.get_close_matches(name, TREND_COLUMNS, n=1, cutoff=0.9)
        if close:
            found.setdefault(close[0], header)
    return found


def looks_like_trends(headers: list[str]) -> bool:
    columns = trend_columns(headers)
    return "date" in columns and bool(
        {"sleep score", "bedtime start", "total sleep duration"} & set(columns)
    )


def read_oura(
    path: Path, *, default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return read_trends(list(csv.reader(handle)), default_zone, counts)
    try:
        document = json.loads(path.read_bytes())
    except json.JSONDecodeError as exc:
        raise InvalidInput("file", str(path), f"is not valid JSON ({exc.msg})") from exc
    return read_api(document, default_zone, counts)


def read_trends(
    rows: list[list[str]], default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    if not rows or not looks_like_trends(rows[0]):
        raise InvalidInput(
            "file",
            "Oura CSV",
            "must be an Oura Trends export with a 'date' column and sleep columns",
        )
    headers = rows[0]
    columns = {name: headers.index(header) for name, header in trend_columns(headers).items()}
    samples: list[DeviceSample] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if counts is not None:
            counts[TREND_ROWS] += 1
        cells = {name: row[i].strip() if i < len(row) else "" for name, i in columns.items()}
        try:
            samples.extend(_trend_row(cells, default_zone))
        except ValueError as exc:
            raise InvalidInput(
                f"line {line}", cells.get("date"), f"is not readable ({exc})"
            ) from exc
    return samples


def _trend_row(cells: dict[str, str], zone: str) -> Iterator[DeviceSample]:
    try:
        day: date | None = date.fromisoformat(cells.get("date") or "")
    except ValueError:
        day = None  # the bedtimes still place the night (by the 04:00 rule)
    night = None if day is None else night_before(day)
    if cells.get("bedtime start") and cells.get("bedtime end"):
        start = _instant(cells["bedtime start"])
        end = _instant(cells["bedtime end"])
        yield make_sample(SOURCE, SLEEP_IN_BED, start, end, night=night)
    else:
        if day is None:
            raise ValueError(f"date {cells.get('date')!r} is not YYYY-MM-DD")
        start = end = from_local(datetime(day.year, day.month, day.day), zone)
    for column, kind in STAGE_TOTALS:
        seconds = _number(cells.get(column))
        if seconds is not None:
            yield make_sample(
                SOURCE, kind, start, end, value=seconds / 60, unit=MINUTES, night=night
            )
    score = _number(cells.get("sleep score"))
    if score is not None:
        yield make_sample(SOURCE, SLEEP_SCORE, start, end, value=score, unit="score", night=night)
    for column in ("average resting heart rate", "lowest resting heart rate"):
        resting = _number(cells.get(column))
        if resting is not None:
            detail = column.split(" resting")[0]
            yield make_sample(
                SOURCE,
                RESTING_HR,
                start,
                end,
                value=resting,
                unit="count/min",
                detail=detail,
                night=night,
            )
            break
    hrv = _number(cells.get("average hrv"))
    if hrv is not None:
        yield make_sample(
            SOURCE, HRV, start, end, value=hrv, unit="ms", detail="rmssd", night=night
        )


def is_api_document(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    if any(isinstance(document.get(name), dict) for name in COLLECTIONS):
        return True
    data = document.get("data")
    return (
        isinstance(data, list)
        and bool(data)
        and isinstance(data[0], dict)
        and ("bedtime_start" in data[0] or ("day" in data[0] and "score" in data[0]))
    )


def read_api(
    document: Any, default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    if not is_api_document(document):
        raise InvalidInput(
            "file", "Oura JSON", "must be an Oura API v2 document ({'sleep': {'data': [...]}} ...)"
        )
    collections: dict[str, list[dict[str, Any]]] = {}
    if "data" in document:
        collections["unnamed"] = document["data"]
    for name in COLLECTIONS:
        part = document.get(name)
        if isinstance(part, dict) and isinstance(part.get("data"), list):
            collections[name] = part["data"]
    samples: list[DeviceSample] = []
    for name, items in collections.items():
        if counts is not None and items:
            counts[ITEM_NAMES[name]] += len(items)
        for index, item in enumerate(items):
            try:
                samples.extend(_api_item(name, item, default_zone))
            except (KeyError, TypeError, ValueError) as exc:
                raise InvalidInput(
                    f"{name}.data[{index}]", item.get("id"), f"is not readable ({exc})"
                ) from exc
    return samples


def _api_item(collection: str, item: dict[str, Any], zone: str) -> Iterator[DeviceSample]:
    if "bedtime_start" in item:
        yield from _sleep_period(item)
    elif collection == "workout" or ("activity" in item and "start_datetime" in item):
        start, end = _instant(item["start_datetime"]), _instant(item["end_datetime"])
        minutes = (end - start).total_seconds() / 60
        yield make_sample(
            SOURCE, WORKOUT, start, end, value=minutes, unit=MINUTES, detail=str(item["activity"])
        )
    elif collection in ("daily_sleep", "unnamed") and "day" in item and item.get("score"):
        day = date.fromisoformat(item["day"])
        at = from_local(datetime(day.year, day.month, day.day), zone)
        yield make_sample(
            SOURCE,
            SLEEP_SCORE,
            at,
            at,
            value=float(item["score"]),
            unit="score",
            night=night_before(day),
        )


def _sleep_period(item: dict[str, Any]) -> Iterator[DeviceSample]:
    if item.get("type") in SKIPPED_PERIODS:
        return
    start, end = _instant(item["bedtime_start"]), _instant(item["bedtime_end"])
    detail = str(item.get("type") or "sleep")
    night: date | None = None
    if detail in DATED_PERIODS and isinstance(item.get("day"), str):
        night = night_before(date.fromisoformat(item["day"]))
    yield make_sample(SOURCE, SLEEP_IN_BED, start, end, detail=detail, night=night)
    phases = str(item.get("sleep_phase_5_min") or "")
    if phases:
        yield from _hypnogram(phases, start, end, night)
    else:
        for field, kind in (
            ("light_sleep_duration", SLEEP_CORE),
            ("deep_sleep_duration", SLEEP_DEEP),
            ("rem_sleep_duration", SLEEP_REM),
            ("awake_time", SLEEP_AWAKE),
            ("latency", SLEEP_LATENCY),
        ):
            seconds = item.get(field)
            if seconds is not None:
                yield make_sample(
                    SOURCE, kind, start, end, value=seconds / 60, unit=MINUTES, night=night
                )
    if item.get("lowest_heart_rate"):
        yield make_sample(
            SOURCE,
            RESTING_HR,
            start,
            end,
            value=float(item["lowest_heart_rate"]),
            unit="count/min",
            detail="lowest",
            night=night,
        )
    if item.get("average_hrv"):
        yield make_sample(
            SOURCE,
            HRV,
            start,
            end,
            value=float(item["average_hrv"]),
            unit="ms",
            detail="rmssd",
            night=night,
        )


def _hypnogram(
    phases: str, start: datetime, end: datetime, night: date | None
) -> Iterator[DeviceSample]:
    """Runs of one phase in the five-minute hypnogram, as stage intervals."""
    step = timedelta(minutes=5)
    run_start = 0
    for index in range(1, len(phases) + 1):
        if index < len(phases) and phases[index] == phases[run_start]:
            continue
        kind = HYPNOGRAM.get(phases[run_start])
        if kind is not None:
            begins = start + run_start * step
            ends = min(start + index * step, end)
            if ends > begins:
                yield make_sample(SOURCE, kind, begins, ends, night=night)
        run_start = index


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"time {text!r} has no offset")
    return parsed


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None
