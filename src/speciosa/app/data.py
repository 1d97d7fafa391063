"""Getting data in and out: one import for every format, exports, backup and restore,
and the demo journal.

    outcome = import_any(journal, Path("export.zip"), progress=bar)   # format sniffed
    text = export_text(journal, "json")                              # or "fhir"

Wearable exports are sniffed first (they can be gigabytes and are streamed into device
samples); everything else goes through the journal importers. Each runs inside the
journal's transaction: a failed import leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from speciosa.errors import Conflict, InvalidInput
from speciosa.interop import native_json
from speciosa.interop.csv_export import export_csv
from speciosa.interop.fhir_export import export_fhir
from speciosa.interop.importers import import_file, read_text
from speciosa.interop.importers.common import ImportResult
from speciosa.interop.wearables import FORMATS as WEARABLE_FORMATS
from speciosa.interop.wearables import detect_wearable_format, import_wearable
from speciosa.journal import clock
from speciosa.journal.models import EntryBase, Product, Profile
from speciosa.store import backup as backups

from .unit import Journal, Speciosa

Progress = Callable[[int, int], None]
IMPORT_FORMATS = (
    "auto",
    "json",
    "psychonautwiki",
    "kratomtracker",
    "csv",
    "apple-health",
    "fitbit",
    "oura",
    "garmin",
)
EXPORT_FORMATS = ("json", "csv", "fhir")
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class ImportOutcome:
    """What an import found and did, whatever the format.

    ``kind``: "journal" (entries) or "wearable" (device samples). ``read``: records in the
    file; ``skipped``: already present; ``invalid``: records that could not be used.
    """

    kind: str
    format: str
    added: int
    skipped: int
    dry_run: bool
    read: int = 0
    products_added: int = 0
    profile_set: bool = False
    invalid: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return data


def import_any(
    journal: Journal,
    path: Path,
    *,
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import a file from Speciosa, another app or a wearable; importing it again adds nothing."""
    if fmt not in IMPORT_FORMATS:
        raise InvalidInput("format", fmt, f"must be one of {', '.join(IMPORT_FORMATS)}")
    chosen = detect_wearable_format(path) or fmt if fmt == "auto" else fmt
    if chosen in WEARABLE_FORMATS:
        device = import_wearable(
            journal.devices,
            path,
            fmt=chosen,
            now=journal.now,
            default_zone=journal.zone,
            dry_run=dry_run,
            progress=progress,
        )
        return ImportOutcome(
            kind="wearable",
            format=device.format,
            read=device.read,
            added=device.added,
            skipped=device.skipped,
            invalid=device.invalid,
            by_kind=dict(device.by_kind),
            notes=tuple(device.problems),
            dry_run=dry_run,
        )
    summary = import_file(
        journal.store,
        path,
        fmt=chosen,
        now=journal.now,
        zone=journal.zone,
        dry_run=dry_run,
        progress=progress,
    )
    detail = summary if isinstance(summary, ImportResult) else None
    return ImportOutcome(
        kind="journal",
        format=detail.format if detail else "json",
        added=summary.added,
        skipped=summary.skipped,
        products_added=summary.products_added,
        profile_set=summary.profile_set,
        by_kind=dict(detail.added_by_kind) if detail else {},
        notes=tuple(detail.notes) if detail else (),
        dry_run=dry_run,
    )


def import_document(journal: Journal, document: Any, *, dry_run: bool = False) -> ImportOutcome:
    """Import a Speciosa JSON document already parsed (the API's request body)."""
    summary = native_json.import_journal(
        journal.store, json.dumps(document), now=journal.now, dry_run=dry_run
    )
    return ImportOutcome(
        kind="journal",
        format="json",
        added=summary.added,
        skipped=summary.skipped,
        products_added=summary.products_added,
        profile_set=summary.profile_set,
        dry_run=dry_run,
    )


# --------------------------------------------------------------------------- exports


def export_text(journal: Journal, fmt: str) -> str:
    """The whole journal as text: Speciosa's JSON or a FHIR R4 Bundle."""
    if fmt == "json":
        return native_json.export_journal(journal.store)
    if fmt == "fhir":
        bundle = export_fhir(
            profile=journal.store.profile(),
            products=journal.store.products(),
            entries=journal.store.entries(),
            now=journal.now,
        )
        return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
    raise InvalidInput("format", fmt, "a text export is json or fhir; csv writes files")


def export_csv_files(journal: Journal, out: Path) -> list[Path]:
    """One CSV file per kind in the folder ``out`` (or in ``out`` when it ends in .zip)."""
    store = journal.store
    return export_csv(store.entries(), store.profile(), store.products(), out)


def write_text(text: str, out: Path) -> Path:
    """Write ``text`` to ``out`` whole or not at all (never a half-written file)."""
    temporary = out.with_name(out.name + ".partial")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)
    return out


# --------------------------------------------------------------------------- backup, restore


def backup(speciosa: Speciosa, path: Path, *, progress: Progress | None = None) -> Path:
    """A copy of the journal: portable JSON for a .json path, else an SQLite copy."""
    if path.exists():
        raise Conflict(f"path: {str(path)!r} already exists; choose a new file name")
    if path.suffix.lower() == ".json":
        with speciosa.journal() as journal:
            text = export_text(journal, "json")
        return write_text(text, path)
    backups.backup_sqlite(speciosa.database, path, progress=progress)
    return path


def backup_sqlite(speciosa: Speciosa, path: Path) -> Path:
    backups.backup_sqlite(speciosa.database, path)
    return path


def can_copy_file(speciosa: Speciosa) -> bool:
    """True when the journal is an SQLite file (so a file copy can be offered)."""
    from speciosa.store.database import sqlite_path

    return sqlite_path(speciosa.database.url) is not None


def restore(speciosa: Speciosa, path: Path) -> int | None:
    """Restore a backup into an empty journal; the entries added (None for an SQLite copy)."""
    with speciosa.journal() as journal:
        if journal.store.counts() or journal.has_profile or journal.store.products():
            raise Conflict(
                "db: this journal is not empty; restore into a new file with --db NEW.sqlite"
            )
    if path.suffix.lower() == ".json":
        text = read_text(path)
        with speciosa.journal() as journal:
            return native_json.import_journal(journal.store, text, now=journal.now).added
    if not path.exists():
        raise InvalidInput("path", str(path), "does not exist")
    backups.restore_sqlite(path, speciosa.database)
    return None


# --------------------------------------------------------------------------- demo


def require_demo_journal(journal: Journal) -> None:
    """Refuse (Conflict) unless the journal is empty or holds only a demo."""
    sources = journal.store.sources()
    if sources - {DEMO_SOURCE} or (journal.has_profile and not sources):
        raise Conflict(
            "db: this journal holds your own entries or profile; demo only fills an empty or demo "
            "journal. Try: speciosa --db demo.sqlite demo"
        )


def fill_demo(
    journal: Journal,
    *,
    profile: Profile,
    products: Sequence[Product],
    entries: Sequence[EntryBase],
) -> int:
    """Replace an empty or demo journal with a simulated person's; the entries stored."""
    require_demo_journal(journal)
    # The simulated person lives up to this moment: today so far, nothing later.
    lived = [e for e in entries if _latest_instant(e) <= journal.now]
    journal.store.clear()
    journal.store.save_profile(profile, now=journal.now)
    for product in products:
        journal.store.add_product(product, now=journal.now)
    return journal.store.add_entries(lived, now=journal.now, source=DEMO_SOURCE)


def _latest_instant(entry: EntryBase) -> datetime:
    instants = [entry.at] + [
        getattr(entry, name) for name in ("out_of_bed", "end") if getattr(entry, name, None)
    ]
    return max(clock.utc(i) for i in instants)
