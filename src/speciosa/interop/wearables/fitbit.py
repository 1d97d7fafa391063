"""Fitbit sleep: Google Takeout ``sleep-YYYY-MM-DD.json`` and ``sleep_score.csv`` (or the zip).

Time quirks:

* the JSON's times are local wall-clock times without an offset (``2022-11-24T00:59:30.000``);
  they are read in the person's zone (``default_zone``), first occurrence when ambiguous;
* ``sleep_score.csv`` timestamps end in ``Z`` but are the same local wall clock as the log's
  ``endTime`` (41 of 41 rows join that way in a real Takeout), so the ``Z`` is ignored.

Each log becomes an in-bed sample for its window plus one sample per stage segment
(``levels.data``); the ``shortData`` wakes (< 3 min, inside other stages) become awake samples,
which ``instruments.device_nights`` lets win over the stage they interrupt, as Fitbit's own
totals do.
Classic logs (older devices): ``asleep`` is asleep, ``restless`` and ``awake`` are awake
(Fitbit counts both outside ``minutesAsleep``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from speciosa.errors import InvalidInput
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


def read_fitbit(path: Path, *, default_zone: str) -> list[DeviceSample]:
    """Samples from a Takeout sleep JSON, a ``sleep_score.csv``, or a Takeout zip of them."""
    if zipfile.is_zipfile(path):
        samples: list[DeviceSample] = []
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if info.filename.startswith("__MACOSX/") or base.startswith("._"):
                    continue
                if base.startswith("sleep-") and base.endswith(".json"):
                    samples += sleep_logs(_json(archive.read(info), info.filename), default_zone)
                elif base == "sleep_score.csv":
                    text = archive.read(info).decode("utf-8-sig")
                    samples += sleep_scores(csv.DictReader(io.StringIO(text)), default_zone)
        return samples
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return sleep_scores(csv.DictReader(handle), default_zone)
    return sleep_logs(_json(path.read_bytes(), str(path)), default_zone)


def _json(data: bytes, name: str) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            "file", name, f"is not valid JSON ({exc.msg}, line {exc.lineno})"
        ) from exc


def is_sleep_log(item: Any) -> bool:
    return isinstance(item, dict) and "logId" in item and "startTime" in item


def sleep_logs(document: Any, default_zone: str) -> list[DeviceSample]:
    """Samples from a Takeout array of sleep logs (or the Web API's ``{"sleep": [...]}``)."""
    logs = document.get("sleep") if isinstance(document, dict) else document
    if not isinstance(logs, list) or not all(is_sleep_log(item) for item in logs):
        raise InvalidInput(
            "file", "sleep JSON", "must be Fitbit sleep logs (objects with logId and startTime)"
        )
    samples: list[DeviceSample] = []
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
    end = _local(log["endTime"], zone)
    kind_of_log = str(log.get("type") or "stages")
    yield make_sample(SOURCE, SLEEP_IN_BED, start, end, zone=zone, detail=kind_of_log)
    levels = log.get("levels") or {}
    for segment in [*(levels.get("data") or ()), *(levels.get("shortData") or ())]:
        kind = LEVELS.get(str(segment.get("level")))
        if kind is None:
            continue
        begins = _local(segment["dateTime"], zone)
        ends = begins + timedelta(seconds=float(segment["seconds"]))
        # Segments are measured in real seconds, so add them to the UTC instant.
        yield make_sample(
            SOURCE,
            kind,
            begins,
            ends.astimezone(begins.tzinfo),
            zone=zone,
            detail=str(segment.get("level")),
        )


def _local(text: str, zone: str) -> datetime:
    naive = datetime.fromisoformat(text.removesuffix("Z"))
    return from_local(naive.replace(tzinfo=None), zone)


def sleep_scores(rows: Iterable[dict[str, str]], default_zone: str) -> list[DeviceSample]:
    """Scores (and resting heart rate) from ``sleep_score.csv``; its 'Z' is local time."""
    samples: list[DeviceSample] = []
    for line, row in enumerate(rows, start=2):
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
