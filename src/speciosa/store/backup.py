"""Copies of a whole journal database.

SQLite files are copied with SQLite's online backup API, which gives a consistent
snapshot even while the journal is open. The copy is made in one step: SQLite restarts a
step-by-step backup whenever another connection writes, so under steady writes (the web
app) it would never finish; one step reads a single snapshot (WAL lets writers go on) and
ends. It is written to ``NAME.partial`` and renamed, so a failed backup (a full disk)
leaves no half file. Any database (PostgreSQL too) can instead be saved as the portable
native JSON (``speciosa.interop.native_json``).

A restore checks the backup first (damaged, not a journal, or from a newer Speciosa)
and changes nothing when it refuses it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from speciosa.errors import Conflict, DamagedFile, InvalidInput, NewerJournal
from speciosa.store.database import Database, busy_timeout, known_revisions, sqlite_path, upgrade
from speciosa.store.faults import is_damaged, translated

SQLITE_MAGIC = b"SQLite format 3\x00"

Progress = Callable[[int, int], None]


def is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def backup_sqlite(database: Database, target: Path, *, progress: Progress | None = None) -> None:
    """Write a consistent copy of the open SQLite journal to ``target``."""
    source_path = _require_sqlite(database, "backup")
    if target.exists():
        raise Conflict(f"path: {str(target)!r} already exists; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with (
            translated(),
            closing(sqlite3.connect(source_path, timeout=busy_timeout())) as source,
            closing(sqlite3.connect(partial)) as copy,
        ):
            source.backup(copy, pages=-1, progress=_pages(progress))  # one step: see above
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def restore_sqlite(
    backup: Path,
    database: Database,
    *,
    progress: Progress | None = None,
    shown_as: str | None = None,
) -> None:
    """Replace the (empty) SQLite journal with the backup file's contents.

    ``shown_as``: the file's name in messages (when ``backup`` is a decrypted temporary copy).
    """
    target_path = _require_sqlite(database, "restore")
    if not is_sqlite_file(backup):
        raise InvalidInput(
            "path", str(backup), "must be a Speciosa SQLite backup or a .json export"
        )
    with closing(sqlite3.connect(backup)) as source:
        _require_journal(source, Path(shown_as) if shown_as else backup, database)
        database.engine.dispose()
        with translated(), closing(sqlite3.connect(target_path)) as target:
            source.backup(target, pages=-1, progress=_pages(progress))
    with translated():
        upgrade(database.engine)


def _require_journal(connection: sqlite3.Connection, path: Path, database: Database) -> None:
    """Refuse a damaged file, an SQLite file that is not a journal, or a newer schema."""
    try:
        checked = connection.execute("PRAGMA quick_check").fetchall()
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        revision = (
            connection.execute("SELECT version_num FROM alembic_version").fetchone()
            if "alembic_version" in tables
            else None
        )
    except sqlite3.DatabaseError as exc:
        if not is_damaged(exc):
            raise
        checked = [("damaged",)]
    if checked != [("ok",)]:
        raise DamagedFile(
            str(path),
            "is damaged (cut short or corrupt) and cannot be restored; nothing was "
            "changed; use another backup",
        )
    if "entries" not in tables or revision is None:
        raise InvalidInput("path", str(path), "is an SQLite file but not a Speciosa journal")
    if revision[0] not in known_revisions(database.engine):
        raise NewerJournal(str(revision[0]), what="this backup")


def _require_sqlite(database: Database, action: str) -> Path:
    path = sqlite_path(database.url)
    if path is None:
        raise InvalidInput(
            "path",
            action,
            f"a database {action} file needs SQLite; use a path ending in .json "
            "for a portable copy of a PostgreSQL journal",
        )
    return path


def _pages(progress: Progress | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report
