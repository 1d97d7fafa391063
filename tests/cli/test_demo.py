"""``speciosa demo``: a simulated person, written only where it cannot hurt real data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, row_counts


@pytest.mark.parametrize("condition", ["fibromyalgia", "migraine", "chronic_fatigue"])
def test_demo_export_import_export_is_byte_identical(
    cli: Cli, tmp_path: Path, condition: str
) -> None:
    assert cli("demo", "--condition", condition, "--days", "60", "--seed", "3").exit_code == 0
    first = cli("export", "--format", "json").stdout
    path = tmp_path / "demo.json"
    path.write_text(first, encoding="utf-8")
    empty = tmp_path / "empty.sqlite"
    assert cli("import", str(path), db=empty).exit_code == 0
    assert cli("export", db=empty).stdout == first
    exported = json.loads(first)
    assert exported["profile"]["conditions"] == [condition]
    assert len(exported["entries"]) > 100


def test_demo_backup_restore_gives_an_identical_export(cli: Cli, tmp_path: Path) -> None:
    cli("demo", "--days", "30")
    original = cli("export").stdout
    cli("backup", str(tmp_path / "b.sqlite"))
    cli("restore", str(tmp_path / "b.sqlite"), db=tmp_path / "fresh.sqlite")
    assert cli("export", db=tmp_path / "fresh.sqlite").stdout == original


def test_demo_replaces_a_demo_but_refuses_real_entries(cli: Cli, cli_db: Path) -> None:
    assert cli("demo", "--days", "30", "--seed", "1").exit_code == 0
    assert cli("demo", "--days", "20", "--seed", "2").exit_code == 0  # a demo may replace a demo
    cli("log", "pain", "4")
    before = row_counts(cli_db)
    refused = cli("demo", "--days", "20")
    assert refused.exit_code == 2
    assert "your own entries" in refused.stderr
    assert row_counts(cli_db) == before


def test_demo_refuses_a_journal_with_only_a_profile(cli: Cli) -> None:
    cli("init", "--timezone", "Europe/Paris")
    assert cli("demo", "--days", "10").exit_code == 2


def test_demo_rejects_bad_options(cli: Cli) -> None:
    assert cli("demo", "--days", "3").exit_code == 2  # at least a week
    assert cli("demo", "--condition", "flu").exit_code == 2
    result = cli("demo", "--zone", "Atlantis/Capital")
    assert result.exit_code == 2
    assert "zone" in result.stderr
