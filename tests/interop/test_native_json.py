"""Native JSON: lossless round trips, idempotent re-import, backup and restore."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from speciosa.app import data
from speciosa.journal.device import DeviceSample
from speciosa.store.journal_store import owner_id
from tests.app.full_journal import NOW, fill, open_app
from tests.conftest import Cli, row_counts


@pytest.fixture
def filled(cli: Cli) -> Cli:
    cli("init", "--timezone", "America/New_York", "--condition", "migraine", "--limit-grams", "6")
    cli("product", "add", "Red", "--grams-per-capsule", "0.5")
    cli("product", "batch", "Red", "A1", "--mitragynine", "12.5", "--result", "pass")
    cli("log", "dose", "4caps", "--product", "Red", "--at", "3 hours ago", "--note", "ünïcode ✓")
    cli("log", "headache", "--peak", "6", "--at", "2 hours ago", "--feature", "aura")
    cli(
        "log",
        "sleep",
        "--night",
        "2026-03-07",
        "--bed",
        "23:00",
        "--latency",
        "15",
        "--woke",
        "07:00",
    )
    cli("log", "pain", "4", "--at", "1 hour ago")
    return cli


def test_export_import_export_is_byte_identical(filled: Cli, tmp_path: Path) -> None:
    first = filled("export", "--format", "json").stdout
    path = tmp_path / "journal.json"
    path.write_text(first, encoding="utf-8")
    empty = tmp_path / "empty.sqlite"
    assert filled("import", str(path), db=empty).exit_code == 0
    assert filled("export", db=empty).stdout == first


def test_reimport_adds_nothing(filled: Cli, tmp_path: Path, cli_db: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_text(filled("export").stdout, encoding="utf-8")
    before = row_counts(cli_db)
    result = filled("import", str(path))
    assert result.exit_code == 0
    assert "Added 0 entries (4 already present)" in result.stdout
    assert row_counts(cli_db) == before


def test_dry_run_writes_nothing(filled: Cli, tmp_path: Path) -> None:
    path = tmp_path / "journal.json"
    path.write_text(filled("export").stdout, encoding="utf-8")
    other = tmp_path / "other.sqlite"
    result = filled("import", str(path), "--dry-run", db=other)
    assert "Would add 4 entries" in result.stdout
    assert row_counts(other)["entries"] == 0


def test_spring_forward_night_survives_the_round_trip(filled: Cli) -> None:
    exported = json.loads(filled("export").stdout)
    [night] = [e for e in exported["entries"] if e["kind"] == "sleep"]
    # 23:00 EST on 7 March is 04:00Z; 07:00 EDT on 8 March is 11:00Z: a 7-hour night
    assert (night["at"], night["final_awakening"]) == (
        "2026-03-08T04:00:00Z",
        "2026-03-08T11:00:00Z",
    )


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ("not json", "file"),
        ('{"format": "something-else"}', "format"),
        (
            '{"format": "speciosa-journal", "version": 1, "profile": null, "products": [],'
            ' "entries": [{"uid": "u1", "source": "manual", "source_key": "u1",'
            ' "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",'
            ' "kind": "pain", "at": "2026-01-01T00:00:00Z", "zone": "UTC", "score": 42}]}',
            "entries[0].score",
        ),
    ],
)
def test_malformed_files_are_refused_whole(
    cli: Cli, tmp_path: Path, cli_db: Path, content: str, field: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    cli("log", "pain", "2")
    before = row_counts(cli_db)
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert field in result.stderr
    assert row_counts(cli_db) == before


def test_sqlite_backup_and_restore_give_an_identical_export(filled: Cli, tmp_path: Path) -> None:
    original = filled("export").stdout
    copy = tmp_path / "backup.sqlite"
    assert filled("backup", str(copy)).exit_code == 0
    fresh = tmp_path / "restored.sqlite"
    assert filled("restore", str(copy), db=fresh).exit_code == 0
    assert filled("export", db=fresh).stdout == original


def test_json_backup_and_restore(filled: Cli, tmp_path: Path) -> None:
    original = filled("export").stdout
    copy = tmp_path / "backup.json"
    assert filled("backup", str(copy)).exit_code == 0
    assert filled("backup", str(copy)).exit_code == 2  # never overwrites
    fresh = tmp_path / "restored.sqlite"
    assert filled("restore", str(copy), db=fresh).exit_code == 0
    assert filled("export", db=fresh).stdout == original


def test_restore_refuses_a_journal_that_is_not_empty(filled: Cli, tmp_path: Path) -> None:
    copy = tmp_path / "backup.sqlite"
    filled("backup", str(copy))
    result = filled("restore", str(copy))
    assert result.exit_code == 2
    assert "not empty" in result.stderr


def test_restore_refuses_a_file_that_is_not_a_journal(cli: Cli, tmp_path: Path) -> None:
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x00\x01 nothing to see")
    result = cli("restore", str(junk), db=tmp_path / "new.sqlite")
    assert result.exit_code == 2
    assert "path" in result.stderr


# --------------------------------------------------------------------------- version 2: everything


def test_every_kind_of_data_survives_a_round_trip(database_url: str, tmp_path: Path) -> None:
    """Export -> import into an empty journal -> export is byte-identical, on SQLite and
    PostgreSQL, for a journal holding every entry kind, a deleted entry, wearable nights,
    a taper with its whole history and an experiment."""
    speciosa = open_app(database_url)
    fill(speciosa)
    with speciosa.journal() as journal:
        first = data.export_text(journal, "json")
        samples = journal.devices.samples()
    path = tmp_path / "journal.json"
    path.write_text(first, encoding="utf-8")
    with speciosa.transaction() as session:
        empty = owner_id(session, "restored", now=NOW)
    with speciosa.journal(empty) as journal:
        outcome = data.import_any(journal, path)
    with speciosa.journal(empty) as journal:
        assert data.export_text(journal, "json") == first
        assert journal.devices.samples() == samples
        assert journal.store.undo_delete().entry.note == "logged twice"  # undo still works
    speciosa.close()

    document = json.loads(first)
    assert set(document) == {
        "format",
        "version",
        "excluded",
        "profile",
        "products",
        "entries",
        "device_samples",
        "plans",
        "routine",
    }
    assert (document["version"], document["excluded"][:2]) == (2, ["accounts", "share links"])
    assert "calendar feeds" in document["excluded"]  # server data, like share links
    routine = document["routine"]
    assert routine["morning_diary"] == {"on": True, "at": "07:30", "title": None}
    assert (routine["peg"]["weekday"], routine["peg"]["title"]) == (6, "Weekly check")
    assert (routine["sds"]["on"], routine["sds"]["day"]) == (False, 15)
    assert (outcome.added, outcome.samples_added, outcome.plans_added) == (
        len(document["entries"]),
        len(samples),
        2,
    )
    kinds = {e["kind"] for e in document["entries"]}
    assert {"dose", "sleep", "questionnaire", "bowel", "headache"} <= kinds
    [deleted] = [e for e in document["entries"] if e["deleted_at"] is not None]
    assert deleted["deleted_at"] == "2026-03-02T11:55:00Z"
    assert any(e["at"].endswith(".250000Z") for e in document["entries"])  # no lost fraction
    assert document["products"][0]["batches"][0]["lab"]["mitragynine_mg_per_g"] == 14.2
    sample_fields = {f.name for f in dataclasses.fields(DeviceSample)}
    assert all(set(s) == sample_fields for s in document["device_samples"])
    taper, experiment = document["plans"]
    assert (taper["kind"], taper["status"], experiment["status"]) == ("taper", "ended", "running")
    assert [v["action"] for v in taper["versions"]] == [
        "created",
        "paused",
        "resumed",
        "changed",
        "ended",
    ]
    assert [v["sequence"] for v in taper["versions"]] == [1, 2, 3, 4, 5]
    assert taper["versions"][0]["created_at"] == "2026-02-10T12:00:00Z"


def test_reimporting_the_whole_journal_adds_nothing(sqlite_url: str, tmp_path: Path) -> None:
    speciosa = open_app(sqlite_url)
    fill(speciosa)
    path = tmp_path / "journal.json"
    with speciosa.journal() as journal:
        path.write_text(data.export_text(journal, "json"), encoding="utf-8")
    with speciosa.journal() as journal:
        again = data.import_any(journal, path)
    assert (again.added, again.samples_added, again.plans_added) == (0, 0, 0)
    speciosa.close()


def test_version_1_files_are_still_read(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "v1.json"
    path.write_text(
        '{"format": "speciosa-journal", "version": 1, "profile": null, "products": [],'
        ' "entries": [{"uid": "u1", "source": "manual", "source_key": "u1",'
        ' "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",'
        ' "kind": "pain", "at": "2026-01-01T00:00:00Z", "zone": "UTC", "score": 4}]}',
        encoding="utf-8",
    )
    assert "Added 1 entries" in cli("import", str(path)).stdout
    exported = json.loads(cli("export").stdout)
    assert exported["version"] == 2
    assert exported["entries"][0]["uid"] == "u1"


def test_a_newer_version_is_refused_naming_the_version(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "v9.json"
    path.write_text('{"format": "speciosa-journal", "version": 9}', encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "version" in result.stderr
