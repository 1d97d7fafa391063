"""What the database's and the disk's errors mean to the person: one Fault each.

SQLite (and PostgreSQL) report a busy journal, a full disk or a damaged file as driver
exceptions whose text can carry SQL, and SQLAlchemy's can carry the statement's
parameters (health data: engines are made with ``hide_parameters=True`` as well).
:func:`fault_of` reads such an exception as one of :mod:`speciosa.errors`' Faults;
:func:`translated` does it for a block, and every unit of work runs inside one
(``Database.transaction``), so no front end shows a traceback for them.

    with translated(journal="the journal file"):
        ...   # sqlite3 / SQLAlchemy / OSError(ENOSPC) -> JournalBusy, DiskFull, ...
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from speciosa.errors import DatabaseUnavailable, DiskFull, Fault, JournalBusy

# SQLite's primary result codes (the low byte of an extended code).
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_FULL_CODES = frozenset({sqlite3.SQLITE_FULL})
_DAMAGED_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})
_BUSY_WORDS = ("database is locked", "database is busy", "database table is locked")
_FULL_WORDS = ("database or disk is full",)
_DAMAGED_WORDS = ("file is not a database", "database disk image is malformed")
# PostgreSQL's SQLSTATEs: lock_not_available, deadlock_detected, serialization_failure;
# disk_full.
_BUSY_STATES = frozenset({"55P03", "40P01", "40001"})
_FULL_STATES = frozenset({"53100"})


def driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind SQLAlchemy's wrapper (or ``exc`` itself)."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return exc.orig
    return exc


def is_busy(exc: BaseException) -> bool:
    return _kind(driver_error(exc)) == "busy"


def is_full(exc: BaseException) -> bool:
    return _kind(driver_error(exc)) == "full"


def is_damaged(exc: BaseException) -> bool:
    """True for SQLite's "file is not a database" and "database disk image is malformed"."""
    return _kind(driver_error(exc)) == "damaged"


def fault_of(exc: BaseException, *, journal: str = "the journal file") -> Fault | None:
    """The Fault ``exc`` means, or None when it is none of the known ones.

    ``journal`` names the database in a message about a damaged journal.
    """
    match _kind(driver_error(exc)):
        case "busy":
            return JournalBusy()
        case "full":
            return DiskFull()
        case "damaged":
            return DatabaseUnavailable(
                f"db: {journal} is damaged or is not a Speciosa journal; nothing was changed; "
                "restore it from a backup (speciosa restore)"
            )
    return None


@contextmanager
def translated(*, journal: str = "the journal file") -> Iterator[None]:
    """Raise the Fault an error in the block means instead of the error itself."""
    try:
        yield
    except (DBAPIError, sqlite3.Error, OSError) as exc:
        fault = fault_of(exc, journal=journal)
        if fault is None:
            raise
        raise fault from exc


def _kind(error: BaseException) -> str | None:
    if isinstance(error, OSError):
        return "full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else None
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(error).lower()
        if primary in _BUSY_CODES or any(word in text for word in _BUSY_WORDS):
            return "busy"
        if primary in _FULL_CODES or any(word in text for word in _FULL_WORDS):
            return "full"
        if primary in _DAMAGED_CODES or any(word in text for word in _DAMAGED_WORDS):
            return "damaged"
        return None
    state = getattr(error, "sqlstate", None)  # psycopg's errors
    if state in _BUSY_STATES:
        return "busy"
    if state in _FULL_STATES:
        return "full"
    return None
