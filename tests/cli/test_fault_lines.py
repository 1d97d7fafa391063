"""Every failure one line: a busy journal, a full disk, a journal from a newer Speciosa, and
damaged or mis-encoded files each end a command with one line on stderr (exit 1 for a
fault, 2 for bad input), no traceback, no health data, and the journal unchanged."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from speciosa.app import Speciosa, entries
from tests.conftest import Cli
from tests.faults import HEALTH_DATA, assert_one_line, fill, integrity, snapshot

FIXTURES = Path(__file__).parent.parent / "fixtures" / "wearables"
FITBIT_NIGHT = FIXTURES / "fitbit" / "sleep-2024-03-09.json"
APPLE_EXPORT = FIXTURES / "apple" / "export_small.xml"


@pytest.fixture
def filled(cli: Cli, cli_db: Path) -> Cli:
    fill(cli)
    return cli


# --------------------------------------------------------------------------- 10 busy


def test_a_busy_journal_is_one_line_and_nothing_changes(
    filled: Cli, cli_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(filled, cli_db)
    # Another program holds the write lock longer than the (shortened) busy timeout.
    monkeypatch.setenv("SPECIOSA_BUSY_TIMEOUT", "0.2")
    with closing(sqlite3.connect(cli_db, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        logged = filled("log", "pain", "5", "--note", "a second secret")
        imported = filled("import", str(FITBIT_NIGHT))
        other.execute("ROLLBACK")
    line = assert_one_line(logged, exit_code=1, says="the journal is busy")
    assert "try again" in line
    assert "a second secret" not in logged.stderr
    assert_one_line(imported, exit_code=1, says="the journal is busy")
    assert snapshot(filled, cli_db) == before


def test_the_busy_timeout_must_be_a_number(filled: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECIOSA_BUSY_TIMEOUT", "soon")
    result = filled("today")
    assert_one_line(result, exit_code=2, says="SPECIOSA_BUSY_TIMEOUT: 'soon' is not allowed")


# --------------------------------------------------------------------------- 11 disk full


@pytest.fixture
def full_disk(cli_db: Path) -> Iterator[None]:
    """Every connection to the journal may grow it by 2 pages only (SQLITE_FULL after)."""

    def limit(connection: Any, _record: Any) -> None:
        files = {row[2] for row in connection.execute("PRAGMA database_list")}
        if str(cli_db) in files:
            (pages,) = connection.execute("PRAGMA page_count").fetchone()
            connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    event.listen(Pool, "connect", limit)
    try:
        yield
    finally:
        event.remove(Pool, "connect", limit)


def _fitbit_nights(path: Path, nights: int) -> Path:
    """A Fitbit export of ``nights`` nights (the fixture's night, repeated on other dates)."""
    night = json.dumps(json.loads(FITBIT_NIGHT.read_text(encoding="utf-8"))[0])
    first = date(2023, 1, 1)
    logs = []
    for day in range(nights):
        evening, morning = first + timedelta(days=day), first + timedelta(days=day + 1)
        shifted = night.replace("2024-03-09", evening.isoformat())
        log = json.loads(shifted.replace("2024-03-10", morning.isoformat()))
        log["logId"] = 1000 + day
        logs.append(log)
    path.write_text(json.dumps(logs), encoding="utf-8")
    return path


def test_a_full_disk_during_an_import_is_one_line_without_sleep_data(
    filled: Cli, cli_db: Path, tmp_path: Path, full_disk: None
) -> None:
    before = snapshot(filled, cli_db)
    export = _fitbit_nights(tmp_path / "fitbit.json", 60)
    result = filled("import", "--format", "fitbit", str(export))
    assert_one_line(
        result,
        exit_code=1,
        says="the disk is full; the journal is unchanged",
        secrets=(*HEALTH_DATA, "2023-01-", "minutesAsleep", "deep"),
    )
    assert snapshot(filled, cli_db) == before


def test_a_full_disk_while_writing_an_export_is_one_line(
    filled: Cli, cli_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(filled, cli_db)

    def no_space(*_args: object, **_kwargs: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_text", no_space)
    out = tmp_path / "journal.json"
    result = filled("export", "--out", str(out))
    monkeypatch.undo()
    assert_one_line(result, exit_code=1, says="the disk is full")
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))
    assert snapshot(filled, cli_db) == before


# --------------------------------------------------------------------------- 12 newer schema


def _set_revision(path: Path, revision: str) -> str:
    with closing(sqlite3.connect(path)) as connection, connection:
        (old,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return str(old)


def test_a_journal_from_a_newer_speciosa_is_refused_in_one_line(filled: Cli, cli_db: Path) -> None:
    before = snapshot(filled, cli_db)
    head = _set_revision(cli_db, "9999")
    for command in (("log", "pain", "2"), ("export",), ("today",), ("serve", "--port", "1")):
        result = filled(*command)
        line = assert_one_line(result, exit_code=1, says="written by a newer version of Speciosa")
        assert "(schema 9999); upgrade Speciosa; nothing was changed" in line
    assert _set_revision(cli_db, head) == "9999"  # not migrated, not touched
    assert snapshot(filled, cli_db) == before


def test_a_backup_from_a_newer_speciosa_is_not_restored(
    filled: Cli, cli_db: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "newer.sqlite"
    assert filled("backup", str(copy)).exit_code == 0
    _set_revision(copy, "9999")
    before = snapshot(filled, cli_db)
    result = filled("restore", "--replace", str(copy))
    assert_one_line(result, exit_code=1, says="this backup was written by a newer version")
    assert snapshot(filled, cli_db) == before


# --------------------------------------------------------------------------- 13 damaged files


def _apple_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(APPLE_EXPORT, "apple_health_export/export.xml")
    return path


def _damaged_zip(path: Path) -> Path:
    data = bytearray(_apple_zip(path).read_bytes())
    for index in range(200, 260):  # inside the compressed export.xml
        data[index] ^= 0x55
    path.write_bytes(bytes(data))
    return path


def _truncated_zip(path: Path) -> Path:
    whole = _apple_zip(path).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_damaged_zip, "is a damaged or incomplete zip archive"),
        (_truncated_zip, "is a damaged or incomplete zip archive"),
    ],
)
def test_a_damaged_zip_is_one_line_naming_it(
    filled: Cli, cli_db: Path, tmp_path: Path, make: Any, says: str
) -> None:
    before = snapshot(filled, cli_db)
    archive = make(tmp_path / "export.zip")
    result = filled("import", str(archive))
    line = assert_one_line(result, exit_code=1, says=says)
    assert str(archive) in line
    assert snapshot(filled, cli_db) == before


def test_a_fitbit_file_that_is_not_utf8_is_one_line(
    filled: Cli, cli_db: Path, tmp_path: Path
) -> None:
    before = snapshot(filled, cli_db)
    export = tmp_path / "sleep-2024-03-09.json"
    export.write_bytes(FITBIT_NIGHT.read_bytes().replace(b"stages", b"\xe9tapes\xff"))
    result = filled("import", "--format", "fitbit", str(export))
    line = assert_one_line(result, exit_code=2, says="is not UTF-8")
    assert str(export) in line
    assert snapshot(filled, cli_db) == before


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_sqlite_backup_is_neither_restored_nor_imported(
    filled: Cli, cli_db: Path, tmp_path: Path, damage: str
) -> None:
    speciosa = Speciosa.open(str(cli_db))  # a journal of some pages, so that half is cut off
    with speciosa.journal() as journal:
        for day in range(60):
            entries.log(journal, {"kind": "pain", "score": day % 10, "note": "x" * 400})
    speciosa.close()
    backup = tmp_path / "backup.sqlite"
    assert filled("backup", str(backup)).exit_code == 0
    whole = backup.read_bytes()
    if damage == "garbage":  # a valid header, then noise
        backup.write_bytes(whole[:100] + bytes((i * 7919) % 251 for i in range(len(whole) - 100)))
    else:
        backup.write_bytes(whole[: len(whole) // 2])
    before = snapshot(filled, cli_db)
    restored = filled("restore", "--replace", str(backup))
    line = assert_one_line(restored, exit_code=1, says="is damaged")
    assert str(backup) in line
    imported = filled("import", str(backup))
    assert str(backup) in assert_one_line(imported, exit_code=2, says="is an SQLite database")
    assert snapshot(filled, cli_db) == before


def test_a_damaged_journal_is_one_line(filled: Cli, cli_db: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x07" * 8000)
    result = filled("today", db=broken)
    line = assert_one_line(result, exit_code=1, says="is damaged or is not a Speciosa journal")
    assert str(broken) in line


# --------------------------------------------------------------------------- 14 messages


DOSES = "time,amount,unit,product,batch,note\n2025-01-02T08:00,3,g,Café Red,,\n"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.zip", b"PK\x05\x06" + b"\x00" * 18, "is an empty zip archive"),
        ("photos.zip", None, "is a zip archive that holds no export Speciosa reads"),
        ("doses.csv", DOSES.encode("utf-16"), "is UTF-16 text, not UTF-8; re-save it as UTF-8"),
        ("doses-latin1.csv", DOSES.encode("latin-1"), "line 2 is in another encoding"),
    ],
)
def test_misleading_messages_say_what_the_file_is(
    filled: Cli, cli_db: Path, tmp_path: Path, name: str, data: bytes | None, says: str
) -> None:
    before = snapshot(filled, cli_db)
    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("holiday.txt", "not an export")
    else:
        path.write_bytes(data)
    result = filled("import", str(path))
    line = assert_one_line(result, exit_code=2, says=says)
    assert str(path) in line
    assert "\\x" not in line  # no raw header bytes
    assert "PK" not in line
    assert snapshot(filled, cli_db) == before


def test_a_truncated_json_backup_says_where_it_ends(
    filled: Cli, cli_db: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.json"
    assert filled("backup", str(backup)).exit_code == 0
    text = backup.read_text(encoding="utf-8")
    cut = text[: len(text) // 2]
    backup.write_text(cut, encoding="utf-8")
    before = snapshot(filled, cli_db)
    restored = filled("restore", "--replace", str(backup))
    line = assert_one_line(restored, exit_code=2, says="the JSON ends early at line")
    assert str(backup) in line
    assert f"line {cut.rstrip().count(chr(10)) + 1} (the file was cut short?)" in line
    imported = filled("import", str(backup))
    assert_one_line(imported, exit_code=2, says="is not valid JSON: it ends early at line")
    assert snapshot(filled, cli_db) == before
    assert integrity(cli_db) == "ok"
