"""Restore never overwrites a journal without being asked, and keeps a dated copy first.

On SQLite and PostgreSQL: a journal that holds only device samples, or only a deleted
entry, is not empty.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from speciosa.app import Speciosa, data, reminders
from speciosa.errors import Conflict
from speciosa.journal.models import Pain
from tests.app.full_journal import APPLE, NOW, fill, open_app
from tests.factories import ZONE


def _json_backup(tmp_path: Path) -> tuple[Path, str]:
    """A JSON backup of a full journal (in its own SQLite file) and its export."""
    source = open_app(f"sqlite:///{tmp_path / 'source.sqlite'}")
    fill(source)
    path = data.backup(source, tmp_path / "backup.json")
    with source.journal() as journal:
        exported = data.export_text(journal, "json")
    source.close()
    return path, exported


def _only_device_samples(speciosa: Speciosa) -> int:
    with speciosa.journal() as journal:
        return data.import_any(journal, APPLE).added


def _only_a_deleted_entry(speciosa: Speciosa) -> int:
    with speciosa.journal() as journal:
        stored = journal.store.add_entry(
            Pain(at=NOW - timedelta(hours=1), zone=ZONE, score=5), now=NOW
        )
        journal.store.delete_entry(stored.id, now=NOW)
    return 1


def _only_reminder_settings(speciosa: Speciosa) -> int:
    with speciosa.journal() as journal:
        reminders.set_reminder(journal, "morning_diary", at="07:30")
    return 1


@pytest.mark.parametrize(
    ("make", "what"),
    [
        (_only_device_samples, "device samples"),  # 11 wearable samples, no entry at all
        (_only_a_deleted_entry, "1 entries"),  # undo could still bring it back
        (_only_reminder_settings, "1 reminder settings"),  # set up on first run, nothing logged
    ],
    ids=["device-only", "deleted-only", "reminders-only"],
)
def test_restore_refuses_a_journal_that_only_looks_empty_then_replaces_it_keeping_a_copy(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: object, what: str
) -> None:
    backup, exported = _json_backup(tmp_path)
    speciosa = open_app(database_url)
    assert callable(make)
    make(speciosa)
    with speciosa.journal() as journal:
        before = data.export_text(journal, "json")

    with pytest.raises(Conflict, match=f"not empty.*{what}.*--replace"):
        data.restore(speciosa, backup)
    with speciosa.journal() as journal:
        assert data.export_text(journal, "json") == before  # nothing changed

    keep_in = tmp_path / "here"
    keep_in.mkdir()
    outcome = data.restore(speciosa, backup, replace=True, keep_in=keep_in)
    with speciosa.journal() as journal:
        assert data.export_text(journal, "json") == exported
    speciosa.close()

    assert outcome.kept is not None
    assert outcome.replaced
    # 2026-03-02 12:00 UTC is 12:00 in London
    assert outcome.kept.name.startswith("journal-before-restore-2026-03-02T1200")
    if database_url.startswith("sqlite"):
        assert outcome.kept.parent == tmp_path  # beside journal.sqlite
        assert outcome.kept.suffix == ".sqlite"
        kept = open_app(f"sqlite:///{outcome.kept}")
        with kept.journal() as journal:
            assert data.export_text(journal, "json") == before
        kept.close()
    else:
        assert outcome.kept.parent == keep_in  # PostgreSQL: a JSON export
        assert outcome.kept.read_text(encoding="utf-8") == before


def test_a_second_restore_in_the_same_minute_keeps_both_copies(
    sqlite_url: str, tmp_path: Path
) -> None:
    backup, _ = _json_backup(tmp_path)
    speciosa = open_app(sqlite_url)
    _only_device_samples(speciosa)
    first = data.restore(speciosa, backup, replace=True).kept
    second = data.restore(speciosa, backup, replace=True).kept
    speciosa.close()
    assert first is not None
    assert second is not None
    assert first != second
    assert first.exists()
    assert second.exists()


def test_an_empty_journal_is_restored_without_a_copy(database_url: str, tmp_path: Path) -> None:
    backup, exported = _json_backup(tmp_path)
    speciosa = open_app(database_url)
    outcome = data.restore(speciosa, backup, keep_in=tmp_path)
    with speciosa.journal() as journal:
        assert data.export_text(journal, "json") == exported
    speciosa.close()
    assert (outcome.kept, outcome.replaced) == (None, {})
    document = json.loads(exported)
    assert (outcome.entries, outcome.samples, outcome.plans) == (
        len(document["entries"]),
        len(document["device_samples"]),
        len(document["plans"]),
    )
