"""A documented, spreadsheet-friendly CSV for doses and for ratings (docs/formats.md).

Doses (one row per dose)::

    time,amount,unit,product,batch,note
    2026-03-01 08:30,3,g,,,with breakfast
    2026-03-01T21:15:00+00:00,2,caps,Red Bali,B-17,

Ratings (one row per rating)::

    time,kind,score,note
    2026-03-01 09:00,pain,6,
    2026-03-01 09:00,bristol,4,

``time`` is ISO 8601; without an offset it is the local time in the journal's zone.
``amount`` is a number with ``unit`` (g, mg, caps, tsp, tbsp), or a number and unit in one
cell ("3g") with ``unit`` empty or absent. ``product`` must already be in the journal.
``kind`` is pain, fatigue or soreness (0-10), headache (peak 0-10) or bristol (1-7).
Columns may come in any order; ``;`` works as the separator too; a UTF-8 BOM is ignored.
Unknown columns are refused, so that a misspelt column is never silently dropped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from speciosa.errors import InvalidInput
from speciosa.interop.importers.common import (
    ParsedFile,
    Record,
    make_entry,
    parse_iso_time,
    stable_key,
)
from speciosa.journal import clock
from speciosa.journal.units import AMOUNT_HELP, parse_amount, unit_named

SOURCE = "csv"

DOSE_COLUMNS: tuple[str, ...] = ("time", "amount", "unit", "product", "batch", "note")
DOSE_REQUIRED: frozenset[str] = frozenset({"time", "amount"})
RATING_COLUMNS: tuple[str, ...] = ("time", "kind", "score", "note")
RATING_REQUIRED: frozenset[str] = frozenset({"time", "kind", "score"})

# kind -> (entry kind, score field, lowest, highest)
RATING_KINDS: dict[str, tuple[str, str, int, int]] = {
    "pain": ("pain", "score", 0, 10),
    "fatigue": ("fatigue", "score", 0, 10),
    "soreness": ("soreness", "score", 0, 10),
    "headache": ("headache", "peak", 0, 10),
    "bristol": ("bowel", "bristol", 1, 7),
}

EXPECTED = (
    "a CSV with the header 'time,amount,unit,product,batch,note' (doses) or "
    "'time,kind,score,note' (ratings); see docs/formats.md"
)


def read_table(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header (lower-cased, trimmed) and rows with their line numbers; ',' or ';'."""
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise InvalidInput("file", "(empty)", f"has no header; expected {EXPECTED}") from None
    except csv.Error as exc:
        raise InvalidInput("file", "line 1", f"is not readable CSV ({exc})") from exc
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            line = reader.line_num
            if len(values) > len(header):
                raise InvalidInput(
                    f"row {line}",
                    delimiter.join(values),
                    f"has {len(values)} cells but the header has {len(header)} columns",
                )
            padded = values + [""] * (len(header) - len(values))
            rows.append((line, {h: v.strip() for h, v in zip(header, padded, strict=True)}))
    except csv.Error as exc:
        raise InvalidInput(
            "file", f"line {reader.line_num}", f"is not readable CSV ({exc})"
        ) from exc
    return header, rows


def kind_of(header: Sequence[str]) -> str | None:
    """'doses' or 'ratings' when the header is one of this format's, else None."""
    columns = set(header)
    if columns >= DOSE_REQUIRED and columns <= set(DOSE_COLUMNS):
        return "doses"
    if columns >= RATING_REQUIRED and columns <= set(RATING_COLUMNS):
        return "ratings"
    return None


def parse(text: str, *, zone: str) -> ParsedFile:
    header, rows = read_table(text)
    kind = kind_of(header)
    if kind is None:
        raise InvalidInput(
            "header", ",".join(header), f"is not a known layout; expected {EXPECTED}"
        )
    duplicates = {h for h in header if header.count(h) > 1}
    if duplicates:
        raise InvalidInput("header", ",".join(header), f"repeats {', '.join(sorted(duplicates))}")
    build = _dose if kind == "doses" else _rating
    records = [build(row, f"row {line}", zone) for line, row in rows]
    return ParsedFile(SOURCE, records)


def _dose(row: dict[str, str], where: str, zone: str) -> Record:
    at = _time(row, where, zone)
    amount_text, unit_text = row.get("amount", ""), row.get("unit", "")
    if not amount_text:
        raise InvalidInput(f"{where}.amount", None, "is required: " + AMOUNT_HELP)
    if unit_text:
        try:
            value = float(amount_text.replace(",", "."))
        except ValueError:
            raise InvalidInput(f"{where}.amount", amount_text, "must be a number") from None
        unit = unit_named(unit_text, f"{where}.unit")
    else:
        parsed = parse_amount(amount_text, f"{where}.amount")
        value, unit = parsed.value, parsed.unit
    data: dict[str, Any] = {
        "kind": "dose",
        "at": at,
        "zone": zone,
        "amount": value,
        "unit": unit,
        "product": row.get("product") or None,
        "batch": row.get("batch") or None,
        "note": row.get("note") or None,
    }
    entry = make_entry(data, where)
    key = stable_key("csv-dose", clock.iso_utc(at), value, unit.value, data["product"])
    return Record(entry, key, where)


def _rating(row: dict[str, str], where: str, zone: str) -> Record:
    at = _time(row, where, zone)
    kind = row.get("kind", "").lower()
    if kind not in RATING_KINDS:
        raise InvalidInput(
            f"{where}.kind", kind or None, f"must be one of {', '.join(RATING_KINDS)}"
        )
    entry_kind, field, low, high = RATING_KINDS[kind]
    text = row.get("score", "")
    try:
        score = int(text)
    except ValueError:
        raise InvalidInput(
            f"{where}.score", text or None, f"must be a whole number from {low} to {high}"
        ) from None
    if not low <= score <= high:
        raise InvalidInput(f"{where}.score", score, f"must be from {low} to {high} for {kind}")
    data = {
        "kind": entry_kind,
        "at": at,
        "zone": zone,
        field: score,
        "note": row.get("note") or None,
    }
    entry = make_entry(data, where)
    return Record(entry, stable_key("csv-rating", clock.iso_utc(at), kind, score), where)


def _time(row: dict[str, str], where: str, zone: str) -> Any:
    text = row.get("time", "")
    if not text:
        raise InvalidInput(f"{where}.time", None, "is required (ISO 8601, e.g. 2026-03-01 08:30)")
    return parse_iso_time(text, zone=zone, field=f"{where}.time")
