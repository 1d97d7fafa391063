"""Getting data in and out: one import for every format, exports, backup and restore,
and the demo journal.

    outcome = import_any(journal, Path("export.zip"), progress=bar)   # format sniffed
    text = export_text(journal, "json")                              # or "fhir"
    backup(speciosa, Path("b.sqlite.age"), lock=Lock(passphrase=p))   # age-encrypted copy
    restore(speciosa, Path("b.sqlite.age"), key=Key(passphrase=p), replace=True)

Wearable exports are sniffed first (they can be gigabytes and are streamed into device
samples); everything else goes through the journal importers. Each runs inside the
journal's transaction: a failed import leaves nothing behind.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from speciosa.errors import Conflict, InvalidInput, UnreadableFile
from speciosa.interop import encryption
from speciosa.interop.encryption import Key, Lock
from speciosa.interop.wearables import FORMATS as WEARABLE_FORMATS
from speciosa.interop.wearables import detect_wearable_format, import_wearable
from speciosa.journal import clock
from speciosa.journal.models import EntryBase, Product, Profile
from speciosa.store import backup as backups
from speciosa.store.database import sqlite_path
from speciosa.store.faults import translated
from speciosa.store.journal_store import holdings

from .formats import IMPORT_FORMATS
from .unit import Journal, Speciosa

if TYPE_CHECKING:
    from speciosa.interop.native_json import ImportSummary
    from speciosa.store.routine_store import RoutineStore

# The journal importers and exporters (and the plan models they carry) are imported by the
# functions that use them: a wearable import, the largest and most frequent, needs none of
# them (about 0.13 s of its start-up, issue 16).

Progress = Callable[[int, int], None]
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
    samples_added: int = 0
    plans_added: int = 0
    invalid: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    read_as: str = ""  # wearables: what the file held, in its units ("26 sleep logs")
    samples: int = 0  # wearables: the device samples made from it
    conflicts: int = 0  # wearables: nights recorded differently before (also in ``notes``)

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
            notes=(*device.problems, *device.notes),
            dry_run=dry_run,
            read_as=device.read_as,
            samples=device.samples,
            conflicts=device.conflicts,
        )
    from speciosa.interop.importers import import_file

    summary = import_file(
        journal.store,
        path,
        fmt=chosen,
        now=journal.now,
        zone=journal.zone,
        devices=journal.devices,
        plans=journal.plans,
        routine=_routines(journal),
        dry_run=dry_run,
        progress=progress,
    )
    return _journal_outcome(summary, dry_run=dry_run)


def import_document(journal: Journal, document: Any, *, dry_run: bool = False) -> ImportOutcome:
    """Import a Speciosa JSON document already parsed (the API's request body)."""
    from speciosa.interop import native_json

    summary = native_json.import_journal(
        journal.store,
        json.dumps(document),
        now=journal.now,
        devices=journal.devices,
        plans=journal.plans,
        routine=_routines(journal),
        dry_run=dry_run,
    )
    return _journal_outcome(summary, dry_run=dry_run)


def _journal_outcome(summary: ImportSummary, *, dry_run: bool) -> ImportOutcome:
    from speciosa.interop.importers.common import ImportResult

    detail = summary if isinstance(summary, ImportResult) else None
    return ImportOutcome(
        kind="journal",
        format=detail.format if detail else "json",
        added=summary.added,
        skipped=summary.skipped,
        products_added=summary.products_added,
        profile_set=summary.profile_set,
        samples_added=summary.samples_added,
        plans_added=summary.plans_added,
        by_kind=dict(detail.added_by_kind) if detail else {},
        notes=tuple(detail.notes) if detail else (),
        dry_run=dry_run,
    )


def _routines(journal: Journal) -> RoutineStore:
    """The person's reminder settings, which the native JSON carries with the journal."""
    from speciosa.store.routine_store import RoutineStore

    return RoutineStore(journal.session, journal.owner)


# --------------------------------------------------------------------------- exports


def export_text(journal: Journal, fmt: str) -> str:
    """The whole journal as text: Speciosa's JSON or a FHIR R4 Bundle."""
    from speciosa.interop import native_json
    from speciosa.interop.fhir_export import export_fhir

    if fmt == "json":
        return native_json.export_journal(
            journal.store, journal.devices, journal.plans, _routines(journal)
        )
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
    from speciosa.interop.csv_export import export_csv

    store = journal.store
    return export_csv(store.entries(), store.profile(), store.products(), out)


def write_text(text: str, out: Path) -> Path:
    """Write ``text`` to ``out`` whole or not at all (never a half-written file)."""
    temporary = out.with_name(out.name + ".partial")
    try:
        with translated():  # a full disk is DiskFull, one line
            temporary.write_text(text, encoding="utf-8")
            temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out


# --------------------------------------------------------------------------- backup, restore

# The environment variable a script sets to give the backup passphrase (never an option:
# options end up in shell histories and process lists).
PASSPHRASE_ENV = "SPECIOSA_BACKUP_PASSPHRASE"
BackupFormat = Literal["json", "sqlite"]


def backup_format(path: Path) -> BackupFormat:
    """The kind of backup a file name asks for: JSON for NAME.json or NAME.json.age, else
    an SQLite copy."""
    name = path.name.lower().removesuffix(encryption.SUFFIX)
    return "json" if name.endswith(".json") else "sqlite"


def passphrase_lock(passphrase: str | None, repeated: str | None) -> Lock:
    """The lock for a passphrase typed twice; refused (naming the field) unless both match."""
    if not passphrase:
        raise InvalidInput("passphrase", None, "is required to encrypt the backup")
    if passphrase != repeated:
        raise InvalidInput(
            "passphrase_again", "(hidden)", "must repeat the passphrase exactly; nothing was saved"
        )
    return Lock(passphrase=passphrase)


def backup(
    speciosa: Speciosa,
    path: Path,
    *,
    lock: Lock | None = None,
    progress: Progress | None = None,
) -> Path:
    """A copy of the journal: portable JSON for a .json path, else an SQLite copy; with a
    ``lock``, age-encrypted (nothing readable is written to ``path``)."""
    if path.exists():
        raise Conflict(f"path: {str(path)!r} already exists; choose a new file name")
    fmt = backup_format(path)
    if lock is not None:
        return write_bytes(backup_bytes(speciosa, fmt, lock=lock), path)
    if fmt == "json":
        with speciosa.journal() as journal:
            text = export_text(journal, "json")
        return write_text(text, path)
    backups.backup_sqlite(speciosa.database, path, progress=progress)
    return path


def backup_bytes(
    speciosa: Speciosa, fmt: BackupFormat, *, lock: Lock | None, owner: int | None = None
) -> bytes:
    """A whole backup in memory (a download): ``owner``'s JSON journal or the SQLite file,
    encrypted with ``lock`` when given."""
    if fmt == "json":
        with speciosa.journal(owner) as journal:
            plain = export_text(journal, "json").encode("utf-8")
    else:
        with _private_folder() as folder:
            copy = folder / "journal.sqlite"
            backups.backup_sqlite(speciosa.database, copy)
            plain = copy.read_bytes()
    return plain if lock is None else encryption.encrypt(plain, lock)


def backup_download(
    speciosa: Speciosa, fmt: str, *, lock: Lock, owner: int, sqlite_allowed: bool
) -> tuple[str, bytes]:
    """An encrypted backup to download: its file name and bytes. ``fmt`` "json" is ``owner``'s
    journal; "sqlite" the whole file (only where ``sqlite_allowed``: local mode on SQLite)."""
    if fmt not in ("json", "sqlite"):
        raise InvalidInput("backup_format", fmt, "must be json or sqlite")
    if fmt == "sqlite" and not (sqlite_allowed and can_copy_file(speciosa)):
        raise InvalidInput(
            "backup_format", fmt, "an SQLite copy exists in local mode only; choose JSON"
        )
    with speciosa.journal(owner) as journal:
        day = journal.today
    chosen: BackupFormat = "json" if fmt == "json" else "sqlite"
    payload = backup_bytes(speciosa, chosen, lock=lock, owner=owner)
    return f"speciosa-journal-{day.isoformat()}.{fmt}{encryption.SUFFIX}", payload


def backup_sqlite(speciosa: Speciosa, path: Path) -> Path:
    backups.backup_sqlite(speciosa.database, path)
    return path


def write_bytes(data: bytes, out: Path) -> Path:
    """Write ``data`` to ``out`` whole or not at all (never a half-written file)."""
    temporary = out.with_name(out.name + ".partial")
    try:
        with translated():  # a full disk is DiskFull, one line
            temporary.write_bytes(data)
            temporary.replace(out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return out


def can_copy_file(speciosa: Speciosa) -> bool:
    """True when the journal is an SQLite file (so a file copy can be offered)."""
    return sqlite_path(speciosa.database.url) is not None


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did. ``entries``/``samples``/``plans``: added from a JSON backup (None
    for an SQLite copy, which replaces the whole file). ``replaced``: what the journal held
    before (empty when it was empty); ``kept``: the dated copy of it written first."""

    format: BackupFormat
    encrypted: bool
    replaced: dict[str, int]
    kept: Path | None
    entries: int | None = None
    samples: int | None = None
    plans: int | None = None


def restore_needs(path: Path) -> Literal["passphrase", "identity"] | None:
    """What opens the backup at ``path``: a passphrase, an age identity, or nothing."""
    return encryption.needs(_head(path))


def check_restore(speciosa: Speciosa, *, replace: bool) -> None:
    """Refuse (Conflict) before anything else when the journal is not empty and ``replace``
    was not given: a front end calls this before asking for a passphrase."""
    with speciosa.journal() as journal:
        _refuse_unless_replacing(holdings(journal.session, journal.owner), replace)


def restore(
    speciosa: Speciosa,
    path: Path,
    *,
    replace: bool = False,
    key: Key | None = None,
    keep_in: Path | None = None,
) -> RestoreOutcome:
    """Restore a backup (SQLite copy or JSON, plain or age-encrypted).

    The backup is read, decrypted and checked first. A journal that holds anything (an
    entry, deleted or not, a device sample, a product, the profile, a plan) is replaced only
    with ``replace``, and only after a dated copy of it is written: beside an SQLite journal
    file (``journal-before-restore-2026-12-01T2330.sqlite``), or for PostgreSQL as a JSON
    export in ``keep_in`` (the current folder by default).
    """
    from speciosa.interop import native_json

    head = _head(path)
    encrypted = encryption.is_encrypted(head)
    with _private_folder() as folder:
        source = path
        if encrypted:
            if encryption.needs(head) == "identity" and (key is None or key.identity is None):
                raise InvalidInput(
                    "identity",
                    None,
                    "this backup is encrypted to a public key: give --identity FILE (its age "
                    "identity)",
                )
            source = write_bytes(encryption.decrypt(path.read_bytes(), key or Key()), folder / "b")
            head = _head(source)
        fmt = _backup_kind(head, path)
        text = _read_backup_text(source, path) if fmt == "json" else None
        if text is not None:
            try:
                native_json.parse_document(text)  # the whole file is checked before anything
            except UnreadableFile as exc:
                damage = f"is a damaged JSON backup: {exc.allowed}"
                raise UnreadableFile(str(path), damage) from None
        elif not can_copy_file(speciosa):
            raise InvalidInput(
                "path",
                str(path),
                "is an SQLite backup, which restores into an SQLite journal only; restore a "
                "JSON backup (speciosa backup NAME.json) into PostgreSQL",
            )
        elif not backups.is_sqlite_file(source):
            raise InvalidInput("path", str(path), "is not a Speciosa backup")
        with speciosa.journal() as journal:
            # An SQLite copy replaces the whole file: every person in it counts.
            held = holdings(journal.session, journal.owner if text is not None else None)
            _refuse_unless_replacing(held, replace)
            stamp = clock.local(journal.now, journal.zone).strftime("%Y-%m-%dT%H%M")
        kept = _keep_copy(speciosa, stamp, keep_in or Path.cwd()) if held else None
        if text is None:
            backups.restore_sqlite(source, speciosa.database, shown_as=str(path))
            return RestoreOutcome("sqlite", encrypted, held, kept)
        with speciosa.journal() as journal:
            if held:
                journal.store.clear()
                journal.devices.clear()
                journal.plans.clear()
                _routines(journal).clear()
            summary = native_json.import_journal(
                journal.store,
                text,
                now=journal.now,
                devices=journal.devices,
                plans=journal.plans,
                routine=_routines(journal),
            )
        return RestoreOutcome(
            "json",
            encrypted,
            held,
            kept,
            entries=summary.added,
            samples=summary.samples_added,
            plans=summary.plans_added,
        )


def _refuse_unless_replacing(held: dict[str, int], replace: bool) -> None:
    if held and not replace:
        what = ", ".join(f"{count} {name}" for name, count in held.items())
        raise Conflict(
            f"db: this journal is not empty ({what}); restore with --replace to replace it "
            "(a dated copy is kept first), or into a new file with --db NEW.sqlite"
        )


def _keep_copy(speciosa: Speciosa, stamp: str, folder: Path) -> Path:
    """The dated copy of the journal a restore replaces: its SQLite file copied beside it, or
    (PostgreSQL) the local journal as JSON in ``folder``."""
    journal_file = sqlite_path(speciosa.database.url)
    if journal_file is not None:
        stem = f"{journal_file.stem}-before-restore-{stamp}"
        target = _free_name(journal_file.parent, stem, ".sqlite")
        backups.backup_sqlite(speciosa.database, target)
        return target
    target = _free_name(folder, f"journal-before-restore-{stamp}", ".json")
    with speciosa.journal() as journal:
        text = export_text(journal, "json")
    return write_text(text, target)


def _free_name(folder: Path, stem: str, suffix: str) -> Path:
    candidate = folder / f"{stem}{suffix}"
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(encryption.HEAD_BYTES)
    except FileNotFoundError:
        raise InvalidInput("path", str(path), "does not exist") from None
    except IsADirectoryError:
        raise InvalidInput("path", str(path), "is a directory; give a backup file") from None


def _backup_kind(head: bytes, path: Path) -> BackupFormat:
    if head.startswith(backups.SQLITE_MAGIC):
        return "sqlite"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return "json"
    raise InvalidInput(
        "path",
        str(path),
        "must be a Speciosa backup: an SQLite copy or a .json export, plain or encrypted",
    )


def _read_backup_text(source: Path, path: Path) -> str:
    try:
        return source.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("path", str(path), "is not a UTF-8 JSON backup") from None


@contextmanager
def _private_folder() -> Iterator[Path]:
    """A temporary folder only this user can read (decrypted backups pass through it)."""
    folder = Path(tempfile.mkdtemp(prefix="speciosa-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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
