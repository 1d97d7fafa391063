"""``speciosa backup [--encrypt | --recipient KEY]`` and ``speciosa restore [--replace]``."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from speciosa.app.data import PASSPHRASE_ENV
from tests.conftest import Cli, row_counts

WEARABLES = Path(__file__).parents[1] / "fixtures" / "wearables"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def filled(cli: Cli) -> Cli:
    cli("init", "--timezone", "Europe/London", "--condition", "migraine")
    cli("product", "add", "Maeng Da Secret", "--grams-per-capsule", "0.5")
    cli("log", "dose", "4caps", "--product", "Maeng Da Secret", "--note", "kratom before work")
    cli("log", "pain", "4", "--at", "1 hour ago")
    cli("import", str(WEARABLES / "apple" / "export_small.xml"))
    return cli


def test_a_journal_with_only_device_samples_is_not_replaced_without_replace(
    cli: Cli, cli_db: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.sqlite"
    cli("log", "pain", "3", db=source)
    cli("backup", str(tmp_path / "b.sqlite"), db=source)
    cli("import", str(WEARABLES / "apple" / "export_small.xml"))
    before = row_counts(cli_db)
    assert (before["device_samples"], before["entries"]) == (11, 0)

    refused = cli("restore", str(tmp_path / "b.sqlite"))
    assert refused.exit_code == 2
    assert "not empty (11 device samples)" in refused.stderr
    assert "--replace" in refused.stderr
    assert row_counts(cli_db) == before

    replaced = cli("restore", str(tmp_path / "b.sqlite"), "--replace")
    assert replaced.exit_code == 0, replaced.stderr
    [kept] = tmp_path.glob("cli-before-restore-*.sqlite")  # beside cli.sqlite
    assert f"Kept a copy of the journal it replaced: {kept}" in replaced.stdout
    assert row_counts(kept)["device_samples"] == 11
    assert row_counts(cli_db)["device_samples"] == 0
    assert row_counts(cli_db)["entries"] == 1


def test_a_journal_with_only_a_deleted_entry_is_not_replaced_without_replace(
    cli: Cli, cli_db: Path, tmp_path: Path
) -> None:
    source = tmp_path / "source.sqlite"
    cli("log", "pain", "3", db=source)
    cli("backup", str(tmp_path / "b.json"), db=source)
    cli("log", "fatigue", "6")
    cli("delete", "1")
    refused = cli("restore", str(tmp_path / "b.json"))
    assert refused.exit_code == 2
    assert "not empty (1 entries)" in refused.stderr
    assert cli("restore", str(tmp_path / "b.json"), "--replace").exit_code == 0
    assert cli("export", db=source).stdout == cli("export").stdout
    [kept] = tmp_path.glob("cli-before-restore-*.sqlite")
    assert row_counts(kept)["entries"] == 1


@pytest.mark.parametrize("name", ["backup.sqlite.age", "backup.json.age"])
def test_encrypted_backup_round_trip_with_a_passphrase(
    filled: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    original = filled("export").stdout
    path = tmp_path / name
    made = filled("backup", str(path), "--encrypt")
    assert made.exit_code == 0, made.stderr
    assert "(encrypted)" in made.stdout
    sealed = path.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n-> scrypt ")
    for plaintext in (b"SQLite format 3", b"Maeng Da", b"kratom", b"speciosa", b"migraine"):
        assert plaintext not in sealed
    assert pyrage.passphrase.decrypt(sealed, PASSPHRASE)  # the age tool can open it too

    fresh = tmp_path / "restored.sqlite"
    restored = filled("restore", str(path), db=fresh)
    assert restored.exit_code == 0, restored.stderr
    assert filled("export", db=fresh).stdout == original


def test_encrypted_backup_to_a_public_key_needs_the_identity(filled: Cli, tmp_path: Path) -> None:
    identity = pyrage.x25519.Identity.generate()
    key_file = tmp_path / "key.txt"
    key_file.write_text(f"# created: today\n{identity}\n", encoding="utf-8")
    original = filled("export").stdout
    path = tmp_path / "backup.json.age"
    made = filled("backup", str(path), "--recipient", str(identity.to_public()))
    assert made.exit_code == 0, made.stderr
    assert b"kratom" not in path.read_bytes()

    fresh = tmp_path / "restored.sqlite"
    missing = filled("restore", str(path), db=fresh)
    assert missing.exit_code == 2
    assert "--identity" in missing.stderr
    other = tmp_path / "other.txt"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n", encoding="utf-8")
    wrong = filled("restore", str(path), "--identity", str(other), db=fresh)
    assert (wrong.exit_code, wrong.stderr.count("\n")) == (2, 1)
    assert filled("restore", str(path), "--identity", str(key_file), db=fresh).exit_code == 0
    assert filled("export", db=fresh).stdout == original


def test_a_wrong_passphrase_is_refused_in_one_line_and_nothing_changes(
    filled: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "backup.sqlite.age"
    filled("backup", str(path), "--encrypt")
    monkeypatch.setenv(PASSPHRASE_ENV, "not the passphrase")
    target = tmp_path / "target.sqlite"
    filled("log", "pain", "2", db=target)
    before = row_counts(target)
    result = filled("restore", str(path), "--replace", db=target)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert "wrong passphrase" in result.stderr
    assert "nothing was changed" in result.stderr
    assert row_counts(target) == before
    assert not list(tmp_path.glob("*before-restore*"))  # refused before any copy


def test_encrypt_without_a_passphrase_in_a_script_says_how(filled: Cli, tmp_path: Path) -> None:
    result = filled("backup", str(tmp_path / "b.sqlite.age"), "--encrypt")
    assert result.exit_code == 2
    assert PASSPHRASE_ENV in result.stderr
    assert not (tmp_path / "b.sqlite.age").exists()


def test_a_bad_recipient_is_refused(filled: Cli, tmp_path: Path) -> None:
    result = filled("backup", str(tmp_path / "b.json.age"), "--recipient", "age1nope")
    assert result.exit_code == 2
    assert "recipient" in result.stderr
    assert not (tmp_path / "b.json.age").exists()
