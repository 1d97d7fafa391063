"""Imports from the apps people already use, through one pipeline.

    summary = import_file(store, Path("journal.json"), now=now, zone="Europe/London")
    summary.added, summary.skipped, summary.notes

Formats (``fmt``): ``json`` (Speciosa's own export), ``psychonautwiki`` (PsychonautWiki
Journal export), ``kratomtracker`` (Kratom Tracker / Herbal Tracker+ JSON backup or CSV
export) and ``csv`` (the documented generic CSV for doses or ratings, docs/formats.md);
``auto`` detects which one a file is. The whole file is parsed and checked before
anything is written; a file that is none of these, or is malformed, raises
:class:`speciosa.errors.InvalidInput` naming the file or field and what was expected.
Re-importing a file adds nothing.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from speciosa.errors import InvalidInput
from speciosa.interop import native_json
from speciosa.interop.importers import generic_csv, kratomtracker, psychonautwiki
from speciosa.interop.importers.common import (
    ImportResult,
    ParsedFile,
    Progress,
    Record,
    run_import,
)
from speciosa.interop.native_json import ImportSummary
from speciosa.interop.sinks import JournalSink

FORMATS: tuple[str, ...] = ("json", "psychonautwiki", "kratomtracker", "csv")
EXPECTED = (
    "a Speciosa JSON export, a PsychonautWiki Journal export (JSON), a Herbal Tracker+ "
    "backup (JSON) or CSV export, or a CSV of doses (time,amount,unit,product,batch,note) "
    "or ratings (time,kind,score,note) as described in docs/formats.md"
)

__all__ = [
    "FORMATS",
    "ImportResult",
    "ParsedFile",
    "Record",
    "detect_format",
    "import_file",
    "parse_file",
]


def read_text(path: Path) -> str:
    """The file as text (UTF-8, BOM ignored); InvalidInput when missing or binary."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("file", str(path), "does not exist") from None
    except IsADirectoryError:
        raise InvalidInput("file", str(path), "is a directory; give a file") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            "file", str(path), f"is not a UTF-8 text file; expected {EXPECTED}"
        ) from None


def detect_format(path: Path) -> str:
    """Which of :data:`FORMATS` the file at ``path`` is, from its content."""
    return _detect(read_text(path), path)


def _detect(text: str, path: Path) -> str:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(
                "file",
                str(path),
                f"is not valid JSON (line {exc.lineno}: {exc.msg}); expected {EXPECTED}",
            ) from exc
        if isinstance(document, dict) and document.get("format") == native_json.FORMAT:
            return "json"
        if psychonautwiki.looks_like(document):
            return "psychonautwiki"
        if kratomtracker.looks_like_json(document):
            return "kratomtracker"
        raise InvalidInput("file", str(path), f"is JSON of an unknown shape; expected {EXPECTED}")
    if not stripped:
        raise InvalidInput("file", str(path), f"is empty; expected {EXPECTED}")
    header, _ = generic_csv.read_table(text.split("\n", 1)[0])
    if kratomtracker.looks_like_csv(header):
        return "kratomtracker"
    if generic_csv.kind_of(header) is not None or "time" in header:
        return "csv"  # a near miss gets the generic CSV's message naming the columns
    raise InvalidInput(
        "file",
        str(path),
        f"has a header ({','.join(header)[:80]}) this importer does not know; expected {EXPECTED}",
    )


def parse_file(text: str, fmt: str, *, zone: str) -> ParsedFile:
    """Parse and validate the text of a file in one of the app formats (not ``json``)."""
    if fmt == "psychonautwiki":
        return psychonautwiki.parse(text, zone=zone)
    if fmt == "kratomtracker":
        if text.lstrip()[:1] in ("{", "["):
            return kratomtracker.parse_json(text, zone=zone)
        return kratomtracker.parse_csv(text, zone=zone)
    if fmt == "csv":
        return generic_csv.parse(text, zone=zone)
    raise InvalidInput("format", fmt, f"must be auto or one of {', '.join(FORMATS)}")


def import_file(
    store: JournalSink,
    path: Path,
    *,
    fmt: str = "auto",
    now: datetime,
    zone: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` into ``store`` (in the caller's transaction); see the module doc.

    ``zone`` is the journal's IANA zone: imported entries are recorded in it, and times
    written without an offset are read as local times there.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise InvalidInput("format", fmt, f"must be auto or one of {', '.join(FORMATS)}")
    text = read_text(path)
    chosen = _detect(text, path) if fmt == "auto" else fmt
    if chosen == "json":
        return native_json.import_journal(store, text, now=now, dry_run=dry_run, progress=progress)
    parsed = parse_file(text, chosen, zone=zone)
    return run_import(store, parsed, fmt=chosen, now=now, dry_run=dry_run, progress=progress)
