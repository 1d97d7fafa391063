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
import zipfile
from datetime import datetime
from pathlib import Path

from speciosa.errors import InvalidInput, SpeciosaError, UnreadableFile
from speciosa.interop import native_json
from speciosa.interop.damage import json_damage
from speciosa.interop.importers import generic_csv, kratomtracker, psychonautwiki
from speciosa.interop.importers.common import (
    ImportResult,
    ParsedFile,
    Progress,
    Record,
    run_import,
)
from speciosa.interop.native_json import ImportSummary
from speciosa.interop.sinks import DeviceSink, JournalSink, PlanSink, RoutineSink
from speciosa.interop.wearables.detect import damaged_zip

FORMATS: tuple[str, ...] = ("json", "psychonautwiki", "kratomtracker", "csv")
EXPECTED = (
    "a Speciosa JSON export, a PsychonautWiki Journal export (JSON), a Herbal Tracker+ "
    "backup (JSON) or CSV export, a CSV of doses (time,amount,unit,product,batch,note) "
    "or ratings (time,kind,score,note), or a wearable export: Apple Health (export.zip or "
    "export.xml), Fitbit (Google Takeout sleep-*.json, sleep_score.csv or the zip), Oura "
    "(Trends CSV or API v2 JSON) or Garmin Connect (dailySleepData JSON), as described in "
    "docs/formats.md"
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
    """The file as text (UTF-8, BOM ignored); InvalidInput when missing, binary, a zip or
    SQLite file, or text in another encoding (saying how to re-save it as UTF-8);
    DamagedFile for a damaged zip archive."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput("file", str(path), "does not exist") from None
    except IsADirectoryError:
        raise InvalidInput("file", str(path), "is a directory; give a file") from None
    if data.startswith(_ZIP_MAGIC):
        raise _zip_problem(path)
    if data.startswith(_SQLITE_MAGIC):
        raise InvalidInput(
            "file",
            str(path),
            "is an SQLite database (a Speciosa backup?), not an export; restore a backup into "
            "a new journal with: speciosa --db NEW.sqlite restore FILE",
        )
    if data.startswith(_UTF16_BOMS):
        raise InvalidInput("file", str(path), f"is UTF-16 text, not UTF-8; {RESAVE}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if b"\x00" in data[:4096]:
            raise InvalidInput(
                "file", str(path), f"is not a UTF-8 text file (it is binary); expected {EXPECTED}"
            ) from None
        raise InvalidInput(
            "file",
            str(path),
            f"is not a UTF-8 text file (line {line} is in another encoding, e.g. Latin-1 or "
            f"Windows-1252); {RESAVE}",
        ) from None


RESAVE = (
    "re-save it as UTF-8 (a spreadsheet: Save As > CSV UTF-8; a text editor: Save As with "
    "encoding UTF-8) and import it again"
)
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def _zip_problem(path: Path) -> SpeciosaError:
    """Why a zip archive is not something these importers read (the wearable importers
    have already looked for an Apple Health or Fitbit export in it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError):
        return damaged_zip(path)
    if not names:
        return InvalidInput("file", str(path), f"is an empty zip archive; expected {EXPECTED}")
    return InvalidInput(
        "file",
        str(path),
        "is a zip archive that holds no export Speciosa reads; "
        f"unzip it and import the export inside, or give {EXPECTED}",
    )


def detect_format(path: Path) -> str:
    """Which of :data:`FORMATS` the file at ``path`` is, from its content."""
    return _detect(read_text(path), path)


def _detect(text: str, path: Path) -> str:
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UnreadableFile(
                str(path), f"is not valid JSON: it {json_damage(exc)}; expected {EXPECTED}"
            ) from None
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
    devices: DeviceSink | None = None,
    plans: PlanSink | None = None,
    routine: RoutineSink | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import ``path`` into ``store`` (in the caller's transaction); see the module doc.

    ``zone`` is the journal's IANA zone: imported entries are recorded in it, and times
    written without an offset are read as local times there. ``devices`` and ``plans``
    receive the device samples and plans of a Speciosa JSON export.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise InvalidInput("format", fmt, f"must be auto or one of {', '.join(FORMATS)}")
    text = read_text(path)
    chosen = _detect(text, path) if fmt == "auto" else fmt
    if chosen == "json":
        return native_json.import_journal(
            store,
            text,
            now=now,
            devices=devices,
            plans=plans,
            routine=routine,
            dry_run=dry_run,
            progress=progress,
        )
    parsed = parse_file(text, chosen, zone=zone)
    return run_import(store, parsed, fmt=chosen, now=now, dry_run=dry_run, progress=progress)
