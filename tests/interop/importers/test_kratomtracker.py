"""Kratom Tracker / Herbal Tracker+ backups and CSV exports."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.journal import clock
from speciosa.journal.models import Dose, Product, StoredEntry
from speciosa.store.database import Database
from tests.interop.importers.conftest import NOW, Importer, fixture, store_of

Stored = Callable[[], list[StoredEntry]]
BACKUP = fixture("kratomtracker-backup.json")
EXPORT = fixture("kratomtracker-export.csv")


def doses(stored: Stored) -> dict[str, Dose]:
    found = {}
    for item in stored():
        assert isinstance(item.entry, Dose)
        found[clock.iso_utc(item.entry.at)] = item.entry
    return found


def test_backup_becomes_doses_and_products(
    run_import: Importer, stored: Stored, products: Callable[[], list[Product]]
) -> None:
    summary = run_import(BACKUP)
    assert (summary.format, summary.added, summary.products_added) == (  # type: ignore[attr-defined]
        "kratomtracker",
        4,
        2,
    )
    notes = " ".join(summary.notes)  # type: ignore[attr-defined]
    assert "1 dose(s) referred to a strain missing" in notes
    assert "1 effect rating(s)" in notes
    found = doses(stored)
    # naive timestamps are local to the journal's zone (London: UTC in February)
    assert found["2026-02-03T08:30:00Z"].product == "Red Bali"
    assert found["2026-02-03T08:30:00Z"].note == "with food"
    assert found["2026-02-03T14:15:42Z"].grams == 2.0
    assert found["2026-02-04T02:05:00Z"].note == "=couldn't sleep"  # the Z one is UTC
    assert found["2026-02-05T09:00:00Z"].product is None
    assert {p.name for p in products()} == {"Red Bali", "Green Maeng Da"}


def test_local_timestamps_follow_the_persons_zone(run_import: Importer, stored: Stored) -> None:
    run_import(BACKUP, zone="America/New_York")
    assert sorted(doses(stored)) == [
        "2026-02-03T13:30:00Z",
        "2026-02-03T19:15:42Z",
        "2026-02-04T02:05:00Z",
        "2026-02-05T14:00:00Z",
    ]


def test_csv_export_matches_the_backup(run_import: Importer, stored: Stored) -> None:
    summary = run_import(EXPORT)
    assert (summary.added, summary.products_added) == (4, 2)
    from_csv = doses(stored)
    assert from_csv["2026-02-04T02:05:00Z"].note == "=couldn't sleep"  # the ' guard undone
    assert from_csv["2026-02-05T09:00:00Z"].product is None  # ???,Unknown strain


@pytest.mark.parametrize(("first", "second"), [(BACKUP, EXPORT), (EXPORT, BACKUP)])
def test_backup_and_csv_of_the_same_doses_import_once(
    run_import: Importer, stored: Stored, first: Path, second: Path
) -> None:
    assert run_import(first).added == 4
    again = run_import(second)
    assert (again.added, again.skipped, again.products_added) == (0, 4, 0)
    assert len(stored()) == 4


def test_existing_product_of_the_same_name_is_reused(
    db: Database, run_import: Importer, products: Callable[[], list[Product]]
) -> None:
    with db.transaction() as session:
        store_of(session).add_product(Product(name="Red Bali", vendor="Acme"), now=NOW)
    assert run_import(BACKUP).products_added == 1
    assert {p.name: p.vendor for p in products()}["Red Bali"] == "Acme"


def test_a_bare_list_of_dosages_is_a_backup(
    run_import: Importer, stored: Stored, tmp_path: Path
) -> None:
    dosages = json.loads(BACKUP.read_text(encoding="utf-8"))["dosages"][:2]
    path = tmp_path / "dosages.json"
    path.write_text(json.dumps(dosages), encoding="utf-8")
    assert run_import(path).added == 2
    assert {d.product for d in doses(stored).values()} == {None}


def _backup_with(**changes: object) -> dict[str, object]:
    document: dict[str, object] = json.loads(BACKUP.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key.startswith("dose0_"):
            dosages = document["dosages"]
            assert isinstance(dosages, list)
            field = key.removeprefix("dose0_")
            if value is None:
                dosages[0].pop(field)
            else:
                dosages[0][field] = value
        else:
            document[key] = value
    return document


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"version": 2}, "version"),  # a newer backup than this importer reads
        ({"dose0_id": None}, "dosages[0].id"),
        ({"dose0_amount": 0}, "dosages[0].amount"),
        ({"dose0_amount": "3.5g"}, "dosages[0].amount"),
        ({"dose0_timestamp": "yesterday"}, "dosages[0].timestamp"),
        ({"dose0_unit": "mg"}, "dosages[0].unit"),  # not a field the app writes
        ({"strains": [{"id": "x", "name": "", "code": "RB"}]}, "strains[0].name"),
    ],
)
def test_malformed_backup_is_refused_and_nothing_written(
    run_import: Importer,
    stored: Stored,
    products: Callable[[], list[Product]],
    tmp_path: Path,
    changes: dict[str, object],
    field: str,
) -> None:
    path = tmp_path / "backup.json"
    path.write_text(json.dumps(_backup_with(**changes)), encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        run_import(path)
    assert raised.value.field == field
    assert (stored(), products()) == ([], [])


def test_csv_with_another_header_is_refused(run_import: Importer, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("date,time,strain,grams\n2026-02-03,08:30,RB,3\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="iso_timestamp,strain_code"):
        run_import(path, fmt="kratomtracker")
