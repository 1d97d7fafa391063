"""PsychonautWiki Journal exports: Android, iOS and legacy iOS dates, and the real sample."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from speciosa.errors import InvalidInput
from speciosa.interop.importers import ImportResult
from speciosa.interop.importers.common import stable_key
from speciosa.journal import clock
from speciosa.journal.models import Dose, StoredEntry, Substance
from speciosa.store.database import Database
from tests.interop.importers.conftest import NOW, SAMPLES, Importer, fixture, store_of

Stored = Callable[[], list[StoredEntry]]


def by_time(entries: list[StoredEntry]) -> dict[str, StoredEntry]:
    return {clock.iso_utc(e.entry.at): e for e in entries}


def test_android_export_missing_keys_mean_defaults(run_import: Importer, stored: Stored) -> None:
    summary = run_import(fixture("pw-android.json"))
    assert isinstance(summary, ImportResult)
    assert (summary.format, summary.added, summary.skipped) == ("psychonautwiki", 4, 0)
    assert summary.added_by_kind == {"dose": 2, "substance": 2}
    notes = " ".join(summary.notes)
    assert "1 kratom ingestion(s) without an amount" in notes
    assert "1 kratom ingestion(s) in units other than g or mg" in notes
    assert "1 ingestion(s) logged for another person" in notes
    entries = by_time(stored())
    evening = entries["2026-01-10T21:30:15Z"].entry
    assert isinstance(evening, Dose)
    assert (evening.amount, evening.unit.value, evening.grams, evening.product) == (3, "g", 3, None)
    assert evening.zone == "Europe/London"
    morning = entries["2026-01-11T08:05:09Z"].entry  # 1768118709250 ms: the .250 s is kept
    assert isinstance(morning, Dose)
    assert (morning.grams, morning.note, morning.at.microsecond) == (1.5, "with tea", 250000)
    alcohol = entries["2026-01-10T20:00:00Z"].entry
    assert isinstance(alcohol, Substance)
    assert (alcohol.substance_class.value, alcohol.amount) == ("alcohol", "20 mL EtOH")
    benzo = entries["2026-01-11T22:10:00Z"].entry
    assert isinstance(benzo, Substance)
    assert (benzo.name, benzo.substance_class.value, benzo.amount) == (
        "Alprazolam",
        "benzodiazepine",
        "~0.5 mg",
    )
    assert {e.source for e in entries.values()} == {"psychonautwiki"}


def test_ios_export_in_the_persons_zone(run_import: Importer, stored: Stored) -> None:
    summary = run_import(fixture("pw-ios.json"), zone="America/New_York")
    assert summary.added_by_kind == {"dose": 2, "substance": 2}  # type: ignore[attr-defined]
    entries = by_time(stored())
    dose = entries["2026-02-14T19:45:30Z"].entry
    assert clock.local(dose.at, dose.zone).strftime("%Y-%m-%d %H:%M:%S %Z") == (
        "2026-02-14 14:45:30 EST"
    )
    red = entries["2026-02-14T22:05:00Z"].entry
    assert isinstance(red, Dose)
    assert (red.grams, red.note) == (4, "estimated amount")
    coffee = entries["2026-02-14T07:00:00Z"].entry
    assert isinstance(coffee, Substance)
    assert (coffee.substance_class.value, coffee.amount) == ("stimulant", "1 cup")


def test_legacy_ios_dates_count_from_2001(run_import: Importer, stored: Stored) -> None:
    run_import(fixture("pw-ios-legacy-dates.json"))
    # 660665514 s after 2001-01-01T00:00:00Z (data-formats.md, section 2)
    assert sorted(by_time(stored())) == ["2021-12-08T14:11:54Z", "2021-12-08T16:00:00Z"]


@pytest.mark.parametrize(
    "names",
    [
        ("pw-ios-legacy-dates.json", "pw-ios-epoch-ms.json"),  # the app updated, then exported
        ("pw-ios-epoch-ms.json", "pw-ios-legacy-dates.json"),  # an old export found later
    ],
)
def test_the_same_ingestion_in_either_time_format_is_imported_once(
    run_import: Importer, stored: Stored, names: tuple[str, str]
) -> None:
    first = run_import(fixture(names[0]))
    again = run_import(fixture(names[1]))
    assert (first.added, again.added, again.skipped) == (2, 0, 2)
    assert sorted(by_time(stored())) == ["2021-12-08T14:11:54Z", "2021-12-08T16:00:00Z"]


def test_ingestions_stored_under_the_old_raw_time_key_are_recognised(
    run_import: Importer, stored: Stored, db: Database
) -> None:
    # Before keys were taken on the instant, the key hashed the time as the file wrote it.
    old_key = stable_key("pw-ingestion", "kratom", 660665514, 2, "g", "ORAL")
    dose = Dose(at=datetime(2021, 12, 8, 14, 11, 54, tzinfo=UTC), zone="UTC", amount=2)
    with db.transaction() as session:
        store_of(session).add_entry(dose, now=NOW, source="psychonautwiki", source_key=old_key)
    summary = run_import(fixture("pw-ios-epoch-ms.json"))
    assert (summary.added, summary.skipped) == (1, 1)  # the alcohol is new, the dose is not
    assert len(stored()) == 2


@pytest.mark.parametrize(
    "name",
    ["pw-android.json", "pw-ios.json", "pw-ios-legacy-dates.json", "pw-ios-epoch-ms.json"],
)
def test_reimport_adds_zero(run_import: Importer, stored: Stored, name: str) -> None:
    first = run_import(fixture(name))
    before = [(e.uid, e.entry) for e in stored()]
    again = run_import(fixture(name))
    assert (again.added, again.skipped) == (0, first.added)
    assert [(e.uid, e.entry) for e in stored()] == before


def test_dry_run_previews_and_writes_nothing(run_import: Importer, stored: Stored) -> None:
    seen: list[tuple[int, int]] = []
    summary = run_import(
        fixture("pw-android.json"), dry_run=True, progress=lambda d, t: seen.append((d, t))
    )
    assert summary.added == 4
    assert stored() == []
    assert seen[-1] == (4, 4)


def test_iso_times_with_and_without_offset(
    run_import: Importer, stored: Stored, tmp_path: Path
) -> None:
    document = {
        "experiences": [
            {
                "ingestions": [
                    {
                        "substanceName": "Kratom",
                        "time": "2026-01-05T22:00:00+01:00",
                        "administrationRoute": "ORAL",
                        "dose": 2,
                        "units": "g",
                    },
                    {
                        "substanceName": "Kratom",
                        "time": "2026-01-05T23:30:00",
                        "administrationRoute": "ORAL",
                        "dose": 1,
                        "units": "g",
                    },
                ]
            }
        ]
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    run_import(path, zone="Europe/Berlin")
    assert sorted(by_time(stored())) == ["2026-01-05T21:00:00Z", "2026-01-05T22:30:00Z"]


@pytest.mark.parametrize(
    ("ingestion", "field"),
    [
        # no time at all
        ({"substanceName": "Kratom", "dose": 2, "units": "g"}, "experiences[0].ingestions[0].time"),
        # a dose that is not a number
        (
            {"substanceName": "Kratom", "time": 1767304815000, "dose": "two", "units": "g"},
            "experiences[0].ingestions[0].dose",
        ),
        # after "now" (2026-04-01T12:00Z): 2026-05-01
        (
            {"substanceName": "Kratom", "time": 1777593600000, "dose": 2, "units": "g"},
            "experiences[0].ingestions[0].time",
        ),
        # no substance name
        (
            {"time": 1767304815000, "dose": 2, "units": "g"},
            "experiences[0].ingestions[0].substanceName",
        ),
    ],
)
def test_a_bad_ingestion_stops_the_import(
    run_import: Importer, stored: Stored, tmp_path: Path, ingestion: dict[str, object], field: str
) -> None:
    good = {"substanceName": "Alcohol", "time": 1767300000000, "dose": 10, "units": "mL EtOH"}
    path = tmp_path / "export.json"
    path.write_text(json.dumps({"experiences": [{"ingestions": [ingestion, good]}]}), "utf-8")
    with pytest.raises(InvalidInput) as raised:
        run_import(path)
    assert raised.value.field == field
    assert stored() == []


def test_not_a_journal_export_says_what_was_expected(run_import: Importer, tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"experience": []}', encoding="utf-8")
    with pytest.raises(InvalidInput, match="PsychonautWiki Journal export") as raised:
        run_import(path, fmt="psychonautwiki")
    assert raised.value.field == "experiences"


ANDROID_SAMPLE = SAMPLES / "psychonautwiki-journal" / "SampleData-android-2023-04.json"


@pytest.mark.skipif(not ANDROID_SAMPLE.exists(), reason=f"{ANDROID_SAMPLE} is not present")
def test_real_android_sample(run_import: Importer, stored: Stored) -> None:
    summary = run_import(ANDROID_SAMPLE, zone="Europe/Zurich")
    # SOURCES.md: 39 experiences, 47 ingestions; none of them is kratom
    assert (summary.added, summary.skipped) == (47, 0)
    entries = stored()
    classes = Counter(
        (e.entry.name, e.entry.substance_class.value)
        for e in entries
        if isinstance(e.entry, Substance)
    )
    assert classes[("Cannabis", "cannabis")] == 17
    assert classes[("Tramadol", "opioid")] == 2
    assert classes[("Cocaine", "stimulant")] == 6
    assert classes[("MDMA", "stimulant")] == 3
    first = by_time(entries)["2022-07-14T09:53:40Z"].entry  # "time": 1657792420000
    assert isinstance(first, Substance)
    assert (first.name, first.amount, first.note) == ("LSD", "100 µg", "route: sublingual")
    assert clock.local(first.at, first.zone).strftime("%H:%M:%S %Z") == "11:53:40 CEST"
    assert run_import(ANDROID_SAMPLE, zone="Europe/Zurich").added == 0
