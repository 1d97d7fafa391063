"""The documented generic CSV for doses and ratings, and format detection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput, SpeciosaError
from speciosa.interop import native_json
from speciosa.interop.importers import detect_format
from speciosa.journal import clock
from speciosa.journal.models import Bowel, Dose, Headache, Pain, StoredEntry
from speciosa.store.database import Database
from speciosa.store.device_store import DeviceStore
from speciosa.store.plan_store import PlanStore
from tests.factories import RED
from tests.interop.importers.conftest import NOW, Importer, fixture, store_of

Stored = Callable[[], list[StoredEntry]]


@pytest.fixture
def with_red(db: Database) -> None:
    with db.transaction() as session:
        store_of(session).add_product(RED, now=NOW)


@pytest.mark.usefixtures("with_red")
def test_doses(run_import: Importer, stored: Stored) -> None:
    summary = run_import(fixture("doses.csv"))
    assert (summary.format, summary.added) == ("csv", 4)  # type: ignore[attr-defined]
    found = {clock.iso_utc(e.entry.at): e.entry for e in stored()}
    assert all(isinstance(d, Dose) for d in found.values())
    assert found["2026-03-01T08:30:00Z"].note == "with breakfast"  # London is UTC in March
    capsules = found["2026-03-01T21:15:00Z"]
    assert isinstance(capsules, Dose)
    assert (capsules.grams, capsules.product, capsules.batch) == (1.0, "Red Bali", "B-17")
    assert found["2026-03-02T08:10:30Z"].note == 'second, with "quotes"'
    # 29 March 2026 03:30 is BST (UTC+1): the clocks went forward at 01:00 UTC
    after_change = found["2026-03-29T02:30:00Z"]
    assert isinstance(after_change, Dose)
    assert after_change.grams == 0.5


def test_ratings(run_import: Importer, stored: Stored) -> None:
    summary = run_import(fixture("ratings.csv"))
    assert summary.added_by_kind == {  # type: ignore[attr-defined]
        "bowel": 1,
        "fatigue": 1,
        "headache": 1,
        "pain": 1,
        "soreness": 1,
    }
    kinds = {type(e.entry) for e in stored()}
    assert {Pain, Bowel, Headache} <= kinds
    headache = next(e.entry for e in stored() if isinstance(e.entry, Headache))
    assert (clock.iso_utc(headache.at), headache.peak) == ("2026-03-02T18:00:00Z", 7)


@pytest.mark.usefixtures("with_red")
@pytest.mark.parametrize("name", ["doses.csv", "ratings.csv"])
def test_reimport_adds_zero(run_import: Importer, stored: Stored, name: str) -> None:
    first = run_import(fixture(name))
    again = run_import(fixture(name))
    assert (again.added, again.skipped) == (0, first.added)
    assert len(stored()) == first.added


def test_semicolons_bom_and_any_column_order(
    run_import: Importer, stored: Stored, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffnote;unit;amount;time\nmorning;g;2,5;2026-03-03 07:00\n".encode())
    assert run_import(path).added == 1
    [entry] = [e.entry for e in stored()]
    assert isinstance(entry, Dose)
    assert (entry.grams, entry.note) == (2.5, "morning")


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("time,amount,units\n2026-03-01 08:00,3,g\n", "header"),  # misspelt column
        ("time,kind,score\n2026-03-01 08:00,pain,11\n", "row 2.score"),
        ("time,kind,score\n2026-03-01 08:00,mood,3\n", "row 2.kind"),
        ("time,kind,score\n2026-03-01 08:00,bristol,0\n", "row 2.score"),
        ("time,amount\nyesterday,3g\n", "row 2.time"),
        ("time,amount\n2026-03-29 01:30,3g\n", "row 2.time"),  # skipped by the clock change
        ("time,amount\n2026-03-01 08:00,3 scoops\n", "row 2.amount"),
        ("time,amount,unit\n2026-03-01 08:00,2,caps\n", "row 2.product"),  # caps need a product
        ("time,amount\n2026-03-01 08:00,3g,extra\n", "row 2"),
        ("time,amount\n2026-03-01 08:00,3g\n2026-05-01 08:00,3g\n", "row 3.time"),  # future
    ],
)
def test_bad_rows_stop_the_import_and_write_nothing(
    run_import: Importer, stored: Stored, tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        run_import(path)
    assert raised.value.field == field
    assert stored() == []


def test_an_unknown_product_is_named(run_import: Importer, stored: Stored, tmp_path: Path) -> None:
    path = tmp_path / "doses.csv"
    path.write_text("time,amount,product\n2026-03-01 08:00,3g,Mystery\n", encoding="utf-8")
    with pytest.raises(SpeciosaError, match=r"Mystery.*speciosa product add"):
        run_import(path)
    assert stored() == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pw-android.json", "psychonautwiki"),
        ("pw-ios.json", "psychonautwiki"),
        ("pw-ios-legacy-dates.json", "psychonautwiki"),
        ("kratomtracker-backup.json", "kratomtracker"),
        ("kratomtracker-export.csv", "kratomtracker"),
        ("doses.csv", "csv"),
        ("ratings.csv", "csv"),
    ],
)
def test_detect_format(name: str, expected: str) -> None:
    assert detect_format(fixture(name)) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b'{"rows": []}', "JSON of an unknown shape"),
        (b"{not json", "not valid JSON"),
        (b"Date;Weight\n2026-01-01;70\n", "header"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a UTF-8 text file"),
    ],
)
def test_unknown_files_say_what_was_expected(
    run_import: Importer, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "mystery.dat"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message) as raised:
        run_import(path)
    assert raised.value.field == "file"
    assert "expected" in str(raised.value)


def test_missing_file(run_import: Importer, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        run_import(tmp_path / "nope.csv")


def test_unknown_format_option(run_import: Importer) -> None:
    with pytest.raises(InvalidInput) as raised:
        run_import(fixture("doses.csv"), fmt="excel")
    assert raised.value.field == "format"


def test_native_json_is_delegated(
    db: Database, run_import: Importer, stored: Stored, tmp_path: Path
) -> None:
    run_import(fixture("ratings.csv"))
    with db.transaction() as session:
        store = store_of(session)
        devices, plans = DeviceStore(session, store.owner), PlanStore(session, store.owner)
        text = native_json.export_journal(store, devices, plans)
    path = tmp_path / "journal.json"
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) == "json"
    summary = run_import(path)
    assert (summary.added, summary.skipped) == (0, 5)
