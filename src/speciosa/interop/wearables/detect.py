"""Which wearable export a file is, from its content (names are localised or renamed)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from pathlib import Path
from typing import Any

from speciosa.errors import DamagedFile
from speciosa.interop.archive import open_zip

from .apple_health import SNIFF, is_export_xml

APPLE_HEALTH = "apple-health"
FITBIT = "fitbit"
OURA = "oura"
GARMIN = "garmin"
FORMATS = (APPLE_HEALTH, FITBIT, OURA, GARMIN)

MAX_JSON_BYTES = 256 * 1024 * 1024  # wearable JSON exports are a few MB; don't load a huge file


def detect_wearable_format(path: Path) -> str | None:
    """``apple-health``, ``fitbit``, ``oura`` or ``garmin`` if ``path`` is one, else None."""
    if not path.is_file():
        return None
    if zipfile.is_zipfile(path):
        return _zip_format(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF * 4)
    if is_export_xml(head):
        return APPLE_HEALTH
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return _json_format(path)
    return _csv_format(head)


def damaged_zip(path: Path) -> DamagedFile:
    return DamagedFile(
        str(path),
        "is a damaged or incomplete zip archive (cut short while downloading?); download or "
        "export it again; nothing was imported",
    )


def _zip_format(path: Path) -> str | None:
    try:
        return _zip_member_format(path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise damaged_zip(path) from exc


def _zip_member_format(path: Path) -> str | None:
    with open_zip(path) as archive:
        names = [
            info
            for info in archive.infolist()
            if not info.is_dir()
            and not info.filename.startswith("__MACOSX/")
            and not info.filename.rsplit("/", 1)[-1].startswith("._")
        ]
        for info in names:
            base = info.filename.rsplit("/", 1)[-1]
            if base.lower().endswith(".xml"):
                with archive.open(info) as member:
                    if is_export_xml(member.read(SNIFF)):
                        return APPLE_HEALTH
        for info in names:
            base = info.filename.rsplit("/", 1)[-1]
            if (base.startswith("sleep-") and base.endswith(".json")) or base == "sleep_score.csv":
                return FITBIT
    return None


def _json_format(path: Path) -> str | None:
    from . import fitbit, garmin, oura  # here: an Apple Health import never needs them

    if path.stat().st_size > MAX_JSON_BYTES:
        return None
    try:
        document: Any = json.loads(path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if garmin.responses(document) is not None:
        return GARMIN
    if oura.is_api_document(document):
        return OURA
    logs = document.get("sleep") if isinstance(document, dict) else document
    if isinstance(logs, list) and logs and all(fitbit.is_sleep_log(item) for item in logs):
        return FITBIT
    return None


def _csv_format(head: bytes) -> str | None:
    from . import fitbit, oura

    text = head.decode("utf-8-sig", errors="replace")
    try:
        header = next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        return None
    if {name.strip() for name in header} >= fitbit.SCORE_COLUMNS:
        return FITBIT
    if oura.looks_like_trends(header):
        return OURA
    return None
