"""The store's edge: driver errors read as Faults, a backup that ends under steady writes,
and journals that are opened and closed without leaking a file descriptor."""

from __future__ import annotations

import errno
import gc
import json
import os
import sqlite3
import threading
import time
import warnings
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from speciosa.app import Speciosa, entries
from speciosa.errors import DatabaseUnavailable, DiskFull, JournalBusy
from speciosa.interop.damage import json_damage
from speciosa.store import backup as backups
from speciosa.store.faults import fault_of
from tests.conftest import Cli, row_counts


def _sqlite_error(message: str, code: int) -> sqlite3.Error:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    return error


class _PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "fault"),
    [
        (_sqlite_error("database is locked", sqlite3.SQLITE_BUSY), JournalBusy),
        (_sqlite_error("database is locked", 517), JournalBusy),  # SQLITE_BUSY_SNAPSHOT
        (_sqlite_error("database or disk is full", sqlite3.SQLITE_FULL), DiskFull),
        (sqlite3.DatabaseError("file is not a database"), DatabaseUnavailable),
        (sqlite3.DatabaseError("database disk image is malformed"), DatabaseUnavailable),
        (OSError(errno.ENOSPC, "No space left on device"), DiskFull),
        (OperationalError("INSERT ...", {"note": "x"}, _PostgresError("55P03")), JournalBusy),
        (OperationalError("INSERT ...", {"note": "x"}, _PostgresError("53100")), DiskFull),
    ],
)
def test_driver_errors_are_read_as_faults(error: BaseException, fault: type) -> None:
    assert isinstance(fault_of(error), fault)


@pytest.mark.parametrize(
    "error",
    [
        sqlite3.OperationalError("no such table: entries"),
        OSError(errno.EACCES, "Permission denied"),
        ValueError("database is locked"),
    ],
)
def test_other_errors_are_left_alone(error: BaseException) -> None:
    assert fault_of(error) is None


def test_a_busy_journal_raises_journal_busy_after_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    speciosa = Speciosa.open(str(path), busy_timeout=0.1)
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            with pytest.raises(JournalBusy), speciosa.journal() as journal:
                entries.log(journal, {"kind": "pain", "score": 3})
            other.execute("ROLLBACK")
        with speciosa.journal() as journal:  # free again: the same Speciosa works
            entries.log(journal, {"kind": "pain", "score": 3})
    finally:
        speciosa.close()
    assert row_counts(path)["entries"] == 1


# --------------------------------------------------------------------------- 15


# The writer's budget. SQLite restarts a step-by-step backup (256 pages a step) whenever
# another connection commits: on this 20 MB journal it then ends only when the writer has
# spent (nearly) all of it; one step ends after a few hundred commits.
WRITER_COMMITS = 5_000
BALLAST_ROWS = 20_000


def test_a_backup_finishes_while_another_connection_keeps_writing(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    speciosa = Speciosa.open(str(path))
    with speciosa.journal() as journal:
        for day in range(200):
            entries.log(journal, {"kind": "pain", "score": day % 10, "note": "n" * 300})
    with closing(sqlite3.connect(path, isolation_level=None)) as setup:
        # ballast: a journal of 20 MB, many times one step of a step-by-step backup
        setup.execute("CREATE TABLE ballast (data BLOB)")
        setup.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO ballast SELECT randomblob(1000) FROM n",
            (BALLAST_ROWS,),
        )
    commits = 0
    stop = threading.Event()

    def writer() -> None:  # the web app, committing every few milliseconds
        nonlocal commits
        with closing(sqlite3.connect(path, isolation_level=None, timeout=10)) as other:
            other.execute("PRAGMA synchronous=NORMAL")  # as the web app's connections
            while commits < WRITER_COMMITS and not stop.is_set():
                other.execute("INSERT INTO ballast VALUES (randomblob(64))")
                commits += 1
                time.sleep(0.001)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for _ in range(10_000):  # until the writer is going (bounded, not timed)
            if commits >= 20:
                break
            time.sleep(0.001)
        target = tmp_path / "copy.sqlite"
        started_at = commits
        backups.backup_sqlite(speciosa.database, target)
        finished_at = commits
    finally:
        stop.set()
        thread.join()
        speciosa.close()
    assert started_at >= 20
    assert finished_at < WRITER_COMMITS  # ended while the writes went on
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM entries").fetchone()[0] == 200
        copied = copy.execute("SELECT count(*) FROM ballast").fetchone()[0]
        assert copied >= BALLAST_ROWS + started_at
    assert not list(tmp_path.glob("*.partial"))


# --------------------------------------------------------------------------- 16


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd (Linux)")
def test_opening_and_closing_a_journal_100_times_leaks_nothing(
    cli: Cli, cli_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite"
    Speciosa.open(str(path)).close()  # first use: imports, migrations
    assert cli("log", "pain", "3").exit_code == 0
    gc.collect()  # what earlier tests left for the collector is not this test's
    before = _open_descriptors()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(100):
            speciosa = Speciosa.open(str(path))
            with speciosa.journal() as journal:
                entries.log(journal, {"kind": "pain", "score": 2})
            speciosa.close()
        for number in range(100):
            command = ("log", "pain", "4") if number % 2 else ("list",)
            assert cli(*command).exit_code == 0
        gc.collect()  # a connection left open warns when collected
    assert _open_descriptors() == before
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
    assert row_counts(path)["entries"] == 100
    assert row_counts(cli_db)["entries"] == 51


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            '{"entries": [{"note": "slept badly aga',
            "ends early at line 1 (the file was cut short?)",
        ),
        ('{\n  "entries": [\n    {"a": 1},\n', "ends early at line 3 (the file was cut short?)"),
        ('{"a": 1,, "b": 2}', "is damaged at line 1 (expecting property name enclosed in"),
    ],
)
def test_json_damage_says_where_and_never_quotes_the_file(text: str, says: str) -> None:
    with pytest.raises(json.JSONDecodeError) as raised:
        json.loads(text)
    described = json_damage(raised.value)
    assert described.startswith(says)
    assert "slept" not in described
