"""Copies of a whole journal database.

SQLite files are copied with SQLite's online backup API, which gives a consistent
snapshot even while the journal is open. Any database (PostgreSQL too) can instead be
saved as the portable native JSON (``speciosa.interop.native_json``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from speciosa.errors import Conflict, InvalidInput
from speciosa.store.database import Database, sqlite_path, upgrade

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
    with sqlite3.connect(source_path) as source, sqlite3.connect(target) as copy:
        source.backup(copy, pages=256, progress=_pages(progress))
    copy.close()


def restore_sqlite(backup: Path, database: Database, *, progress: Progress | None = None) -> None:
    """Replace the (empty) SQLite journal with the backup file's contents."""
    target_path = _require_sqlite(database, "restore")
    if not is_sqlite_file(backup):
        raise InvalidInput(
            "path", str(backup), "must be a Speciosa SQLite backup or a .json export"
        )
    database.engine.dispose()
    with sqlite3.connect(backup) as source, sqlite3.connect(target_path) as target:
        _require_journal(source, backup)
        source.backup(target, pages=256, progress=_pages(progress))
    upgrade(database.engine)


def _require_journal(connection: sqlite3.Connection, path: Path) -> None:
    tables = {
        row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    if "entries" not in tables or "alembic_version" not in tables:
        raise InvalidInput("path", str(path), "is an SQLite file but not a Speciosa journal")


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
