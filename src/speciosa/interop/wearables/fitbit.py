"""Fitbit sleep: Google Takeout ``sleep-YYYY-MM-DD.json`` and ``sleep_score.csv`` (or the zip).

Time quirks:

* the JSON's times are local wall-clock times without an offset (``2022-11-24T00:59:30.000``);
  they are read in the person's zone (``default_zone``), first occurrence when ambiguous;
* a log's stage segments (``levels.data``) run on one continuous wall clock whose seconds add
  up to the log's ``duration``: across a clock change the segment times do not jump. So only
  the log's ``startTime`` is read in the zone; each segment starts at that instant plus the
  seconds of the segments before it, and the log ends at its start plus ``duration``
  (reading every segment time in the zone would insert or remove the changed hour);
* a short wake (``levels.shortData``) is placed by its wall-clock offset into the segment it
  interrupts;
* ``sleep_score.csv`` timestamps end in ``Z`` but are the same local wall clock as the log's
  ``endTime`` (41 of 41 rows join that way in a real Takeout), so the ``Z`` is ignored.

Each log becomes an in-bed sample for its window plus one sample per stage segment
(``levels.data``); the ``shortData`` wakes (< 3 min, inside other stages) become awake samples,
which ``instruments.device_nights`` lets win over the stage they interrupt, as Fitbit's own
totals do.
Classic logs (older devices): ``asleep`` is asleep, ``restless`` and ``awake`` are awake
(Fitbit counts both outside ``minutesAsleep``).

A main sleep's ``dateOfSleep`` (the morning it ends) is kept as its night (the evening
before); naps (``mainSleep``/``isMainSleep`` false) take the night their start falls in.
The counts per unit read (``sleep logs``, ``score rows``) go into ``counts``.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.interop.archive import open_zip, read_member
from speciosa.journal.device import (
    RESTING_HR,
    SLEEP_ASLEEP,
    SLEEP_AWAKE,
    SLEEP_CORE,
    SLEEP_DEEP,
    SLEEP_IN_BED,
    SLEEP_REM,
    SLEEP_SCORE,
    DeviceSample,
    from_local,
    make_sample,
    night_before,
)

SOURCE = "Fitbit"
LEVELS = {
    "wake": SLEEP_AWAKE,
    "light": SLEEP_CORE,
    "deep": SLEEP_DEEP,
    "rem": SLEEP_REM,
    "asleep": SLEEP_ASLEEP,
    "restless": SLEEP_AWAKE,
    "awake": SLEEP_AWAKE,
}
SCORE_COLUMNS = {"sleep_log_entry_id", "timestamp", "overall_score"}
LOGS = "sleep logs"
SCORE_ROWS = "score rows"
# One sleep file of a Takeout zip is read whole; real ones are well under a MB a year.
MAX_MEMBER = 256 * 1024 * 1024


def read_fitbit(
    path: Path, *, default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    """Samples from a Takeout sleep JSON, a ``sleep_score.csv``, or a Takeout zip of them."""
    counts = counts if counts is not None else Counter()
    if zipfile.is_zipfile(path):
        samples: list[DeviceSample] = []
        with open_zip(path) as archive:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if info.filename.startswith("__MACOSX/") or base.startswith("._"):
                    continue
                if base.startswith("sleep-") and base.endswith(".json"):
                    document = _json(read_member(archive, info, limit=MAX_MEMBER), info.filename)
                    samples += sleep_logs(document, default_zone, counts)
                elif base == "sleep_score.csv":
                    text = read_member(archive, info, limit=MAX_MEMBER).decode("utf-8-sig")
                    rows = csv.DictReader(io.StringIO(text))
                    samples += sleep_scores(rows, default_zone, counts)
        return samples
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sleep_scores(csv.DictReader(handle), default_zone, counts)
    return sleep_logs(_json(path.read_bytes(), str(path)), default_zone, counts)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "file", name, f"is not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc


def is_sleep_log(item: Any) -> bool:
    return isinstance(item, dict) and "logId" in item and "startTime" in item


def sleep_logs(
    document: Any, default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    """Samples from a Takeout array of sleep logs (or the Web API's ``{"sleep": [...]}``)."""
    logs = document.get("sleep") if isinstance(document, dict) else document
    if not isinstance(logs, list) or not all(is_sleep_log(item) for item in logs):
        raise InvalidInput(
            "file", "sleep JSON", "must be Fitbit sleep logs (objects with logId and startTime)"
        )
    samples: list[DeviceSample] = []
    if counts is not None:
        counts[LOGS] += len(logs)
    for index, log in enumerate(logs):
        try:
            samples.extend(_log_samples(log, default_zone))
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(
                f"sleep[{index}]", log.get("logId"), f"is not a readable Fitbit sleep log ({exc})"
            ) from exc
    return samples


def _log_samples(log: dict[str, Any], zone: str) -> Iterator[DeviceSample]:
    start = _local(log["startTime"], zone)
    start_wall = _wall(log["startTime"])
    if log.get("duration") is not None:
        # The real length: the wall clock of ``endTime`` is off by the changed hour.
        end = _after(start, float(log["duration"]) / 1000)
    else:
        end = _local(log["endTime"], zone)
    night = _night(log)
    kind_of_log = str(log.get("type") or "stages")
    yield make_sample(SOURCE, SLEEP_IN_BED, start, end, zone=zone, detail=kind_of_log, night=night)
    levels = log.get("levels") or {}
    # (wall clock, seconds, instant) of each stage segment, in order.
    placed: list[tuple[datetime, float, datetime]] = []
    elapsed = 0.0
    for segment in levels.get("data") or ():
        seconds = float(segment["seconds"])
        wall = _wall(segment["dateTime"])
        begins = _after(start, elapsed)
        placed.append((wall, seconds, begins))
        elapsed += seconds
        sample = _segment(segment, begins, seconds, zone, night)
        if sample is not None:
            yield sample
    for segment in levels.get("shortData") or ():
        wall = _wall(segment["dateTime"])
        begins = _place(wall, placed, start, start_wall)
        sample = _segment(segment, begins, float(segment["seconds"]), zone, night)
        if sample is not None:
            yield sample


def _segment(
    segment: dict[str, Any], begins: datetime, seconds: float, zone: str, night: date | None
) -> DeviceSample | None:
    kind = LEVELS.get(str(segment.get("level")))
    if kind is None:
        return None
    ends = _after(begins, seconds)
    return make_sample(
        SOURCE, kind, begins, ends, zone=zone, detail=str(segment.get("level")), night=night
    )


def _place(
    wall: datetime,
    placed: list[tuple[datetime, float, datetime]],
    start: datetime,
    start_wall: datetime,
) -> datetime:
    """The instant of a short wake: its wall-clock offset into the segment it falls in (or,
    outside every segment, into the log)."""
    for segment_wall, seconds, instant in placed:
        if segment_wall <= wall < segment_wall + timedelta(seconds=seconds):
            return _after(instant, (wall - segment_wall).total_seconds())
    return _after(start, (wall - start_wall).total_seconds())


def _after(instant: datetime, seconds: float) -> datetime:
    """``seconds`` of real time after ``instant``, in the same zone (aware arithmetic on a
    zoned datetime would add wall-clock time, across a clock change an hour off)."""
    later = instant.astimezone(UTC) + timedelta(seconds=seconds)
    return later.astimezone(instant.tzinfo)


def _night(log: dict[str, Any]) -> date | None:
    """The night of a main sleep: the evening before its ``dateOfSleep``."""
    main = log.get("mainSleep", log.get("isMainSleep"))
    day = log.get("dateOfSleep")
    if main is not True or not isinstance(day, str):
        return None
    return night_before(date.fromisoformat(day[:10]))


def _wall(text: str) -> datetime:
    return datetime.fromisoformat(text.removesuffix("Z")).replace(tzinfo=None)


def _local(text: str, zone: str) -> datetime:
    naive = datetime.fromisoformat(text.removesuffix("Z"))
    return from_local(naive.replace(tzinfo=None), zone)


def sleep_scores(
    rows: Iterable[dict[str, str]], default_zone: str, counts: Counter[str] | None = None
) -> list[DeviceSample]:
    """Scores (and resting heart rate) from ``sleep_score.csv``; its 'Z' is local time."""
    samples: list[DeviceSample] = []
    for line, row in enumerate(rows, start=2):
        if counts is not None:
            counts[SCORE_ROWS] += 1
        if not set(row) >= SCORE_COLUMNS:
            raise InvalidInput(
                "file", "sleep_score.csv", f"needs the columns {', '.join(sorted(SCORE_COLUMNS))}"
            )
        try:
            at = _local(row["timestamp"], default_zone)
        except ValueError as exc:
            raise InvalidInput(f"line {line}.timestamp", row["timestamp"], str(exc)) from exc
        score = _number(row.get("overall_score"))
        if score is not None:
            samples.append(
                make_sample(
                    SOURCE, SLEEP_SCORE, at, at, zone=default_zone, value=score, unit="score"
                )
            )
        resting = _number(row.get("resting_heart_rate"))
        if resting is not None:
            samples.append(
                make_sample(
                    SOURCE, RESTING_HR, at, at, zone=default_zone, value=resting, unit="count/min"
                )
            )
    return samples


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None
