"""CSV export: one documented, spreadsheet-ready file per entry kind."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from speciosa.interop.csv_export import COLUMNS, KIND_FILES, csv_tables, export_csv
from speciosa.journal.models import Pain, Profile, StoredEntry
from speciosa.store.database import open_database
from speciosa.store.journal_store import JournalStore, owner_id
from tests.factories import RED, ZONE, every_kind

NOW = datetime(2026, 7, 15, 12, 0, tzinfo=UTC)  # British Summer Time: local = UTC+1
DOCS = Path(__file__).resolve().parents[2] / "docs" / "formats.md"


@pytest.fixture
def stored(tmp_path: Path) -> list[StoredEntry]:
    database = open_database(f"sqlite:///{tmp_path / 'journal.sqlite'}")
    try:
        with database.transaction() as session:
            store = JournalStore(session, owner_id(session, now=NOW))
            store.add_product(RED, now=NOW)
            for entry in every_kind(NOW):
                store.add_entry(entry, now=NOW)
            return store.entries()
    finally:
        database.close()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_file_per_kind_with_the_documented_columns(stored: list[StoredEntry]) -> None:
    tables = csv_tables(stored, Profile(timezone=ZONE), [RED])
    assert set(tables) == set(COLUMNS)
    for name, text in tables.items():
        header = next(csv.reader(io.StringIO(text)))
        assert tuple(header) == COLUMNS[name], name
        assert text.endswith("\r\n")
    per_kind = {name: len(rows(tables[name])) for name in KIND_FILES}
    assert per_kind["doses.csv"] == 2
    assert all(count == 1 for name, count in per_kind.items() if name != "doses.csv")


def test_values_are_readable_in_a_spreadsheet(stored: list[StoredEntry]) -> None:
    tables = csv_tables(stored, Profile(timezone=ZONE), [RED])
    capsules = next(r for r in rows(tables["doses.csv"]) if r["unit"] == "caps")
    at = NOW - timedelta(days=1)
    assert capsules["utc_time"] == at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert capsules["local_time"] == (at + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M:%S")
    assert (capsules["amount"], capsules["grams"], capsules["product"]) == ("4", "2", "Red Bali")
    assert capsules["source"] == "manual"
    assert len(capsules["uid"]) == 36
    [night] = rows(tables["sleep.csv"])
    # bed, tried 15 min later, asleep after 20, 25 awake, final wake at 8 h, up at 8 h 20:
    # TST = 465 - 20 - 25 = 420, TIB = 500, SE = 84%
    assert (night["total_sleep_min"], night["time_in_bed_min"]) == ("420", "500")
    assert night["sleep_efficiency_pct"] == "84"
    assert night["sleep_aids"] == "melatonin"
    [bowel] = rows(tables["bowel.csv"])
    assert (bowel["bristol"], bowel["straining"], bowel["manual"]) == ("2", "true", "false")
    [headache] = rows(tables["headaches.csv"])
    assert (headache["duration_min"], headache["features"]) == ("180", "aura; nausea")
    [batch] = rows(tables["products.csv"])
    assert (batch["batch"], batch["mitragynine_mg_per_g"], batch["lab_passed"]) == (
        "B-17",
        "14.2",
        "true",
    )
    profile = {r["field"]: r["value"] for r in rows(tables["profile.csv"])}
    assert profile["timezone"] == ZONE


def test_formulas_are_neutralised() -> None:
    entry = Pain(at=NOW, zone=ZONE, score=3, note='=HYPERLINK("http://x")', sites=("@neck",))
    [row] = rows(csv_tables([entry], None, [])["pain.csv"])
    assert row["note"] == '\'=HYPERLINK("http://x")'
    assert row["sites"] == "'@neck"
    assert row["uid"] == ""  # not stored: no uid


def test_export_to_a_directory_or_a_zip(stored: list[StoredEntry], tmp_path: Path) -> None:
    written = export_csv(stored, Profile(timezone=ZONE), [RED], tmp_path / "out")
    assert {p.name for p in written} == set(COLUMNS)
    raw = (tmp_path / "out" / "doses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    assert not list((tmp_path / "out").glob("*.partial"))
    [archive] = export_csv(stored, None, [RED], tmp_path / "journal.zip")
    with zipfile.ZipFile(archive) as opened:
        assert set(opened.namelist()) == set(COLUMNS)
        assert opened.read("pain.csv").decode("utf-8-sig").startswith("local_time,utc_time")
    again = export_csv(stored, None, [RED], tmp_path / "again.zip")[0]
    assert again.read_bytes() == archive.read_bytes()  # same data, same bytes


def test_docs_list_every_file_and_column() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, columns in COLUMNS.items():
        assert f"### {name}\n\n```\n{','.join(columns)}\n```" in text, name
