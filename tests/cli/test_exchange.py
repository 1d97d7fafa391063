"""``export --format csv|fhir``, ``import`` of other apps' files, and ``report`` via the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest

from tests.conftest import Cli, row_counts


@pytest.fixture
def demo(cli: Cli) -> Cli:
    assert cli("demo", "--days", "45", "--seed", "4").exit_code == 0
    return cli


def test_csv_export_needs_a_destination_and_writes_one_file_per_kind(
    demo: Cli, tmp_path: Path
) -> None:
    refused = demo("export", "--format", "csv")
    assert refused.exit_code == 2
    assert "--out" in refused.stderr
    assert demo("export", "--format", "csv", "--out", str(tmp_path / "csv")).exit_code == 0
    names = {p.name for p in (tmp_path / "csv").iterdir()}
    assert {"doses.csv", "sleep.csv", "bowel.csv"} <= names


def test_fhir_export_is_a_bundle_with_a_pseudonymous_patient(demo: Cli) -> None:
    bundle = json.loads(demo("export", "--format", "fhir").stdout)
    assert bundle["resourceType"] == "Bundle"
    [patient] = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    ]
    assert "name" not in patient


def test_generic_csv_import_dry_run_then_import_then_reimport(
    cli: Cli, cli_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "ratings.csv"
    path.write_text(
        "time,kind,score,note\n2026-01-05T21:00:00+00:00,pain,6,evening\n"
        "2026-01-06T21:00:00+00:00,fatigue,4,\n",
        encoding="utf-8",
    )
    assert "Would add 2 entries" in cli("import", str(path), "--dry-run").stdout
    assert row_counts(cli_db)["entries"] == 0
    assert "Added 2 entries" in cli("import", str(path)).stdout
    assert "Added 0 entries (2 already present)" in cli("import", str(path)).stdout
    assert row_counts(cli_db)["entries"] == 2


def test_unknown_file_is_refused_with_what_was_expected(
    cli: Cli, cli_db: Path, tmp_path: Path
) -> None:
    path = tmp_path / "mystery.txt"
    path.write_text("hello", encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert "PsychonautWiki" in result.stderr
    assert row_counts(cli_db)["entries"] == 0


def test_report_writes_a_pdf_of_two_to_four_pages(demo: Cli, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    assert demo("report", "--pdf", str(pdf)).exit_code == 0
    assert 2 <= len(pypdfium2.PdfDocument(pdf)) <= 4
    bad = demo("report", "--pdf", str(tmp_path / "x.pdf"), "--from", "2026-02-30")
    assert bad.exit_code == 2
    assert "from" in bad.stderr


WEARABLES = Path(__file__).parents[1] / "fixtures" / "wearables"


@pytest.mark.parametrize(
    "path",
    [
        WEARABLES / "apple" / "export_ios16_broken_dtd.xml",
        WEARABLES / "fitbit" / "sleep-2024-03-09.json",
        WEARABLES / "oura" / "oura_api_v2.json",
        WEARABLES / "garmin" / "dailySleepData.json",
    ],
    ids=lambda p: p.parent.name,
)
def test_wearable_exports_are_detected_and_imported_once(
    cli: Cli, cli_db: Path, path: Path
) -> None:
    cli("init", "--timezone", "Europe/London")
    first = cli("import", str(path))
    assert first.exit_code == 0, first.stderr
    assert "device samples (0 already present)" in first.stdout
    added = row_counts(cli_db)["device_samples"]
    assert added > 0
    again = cli("import", str(path))
    assert "Added 0 device samples" in again.stdout
    assert row_counts(cli_db)["device_samples"] == added


def test_nights_show_the_diary_beside_the_device(cli: Cli) -> None:
    # The fixture's watch night of 9 March 2024 (Amsterdam): in bed 22:50, asleep 23:05.
    cli("init", "--timezone", "Europe/Amsterdam")
    cli("import", str(WEARABLES / "apple" / "export_small.xml"))
    cli(
        "log",
        "sleep",
        "--night",
        "2024-03-09",
        "--bed",
        "22:45",
        "--latency",
        "20",
        "--woke",
        "06:55",
        "--awakenings",
        "1",
        "--awake",
        "15",
    )
    [night, *_] = json.loads(cli("nights", "--days", "3660", "--json").stdout)
    assert night["night"] == "2024-03-09"
    assert night["diary"]["onset_latency"] == 20
    assert night["device"]["source"] == "Sam’s Apple Watch"
    # differences are device minus diary, shown and never resolved
    assert night["differences"]["onset_latency"] == night["device"]["onset_latency"] - 20


def test_wearable_import_counts_the_files_own_units_and_says_what_disagrees(cli: Cli) -> None:
    cli("init", "--timezone", "Europe/Berlin")
    fitbit = cli("import", str(WEARABLES / "fitbit" / "sleep-2024-03-09.json"))
    assert "from 2 sleep logs (12 samples)" in fitbit.stdout
    cli("import", str(WEARABLES / "oura" / "oura_trends_overlap_a.csv"))
    second = cli("import", str(WEARABLES / "oura" / "oura_trends_overlap_b.csv"))
    assert second.exit_code == 0, second.stderr
    assert "from 3 rows" in second.stdout
    assert "1 night in this file differs" in second.stderr
    nights = {n["night"]: n for n in json.loads(cli("nights", "--days", "3660", "--json").stdout)}
    assert nights["2023-12-20"]["device"]["conflicting"] is True
    assert nights["2023-12-20"]["device"]["naps"] == 0
    assert nights["2023-12-21"]["device"]["conflicting"] is False
    table = cli("nights", "--days", "3660").stdout
    assert "Oura ≠" in table
    assert "exports disagree" in table


def test_the_unknown_format_message_names_the_wearable_exports(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mystery.json"
    path.write_text('{"hello": 1}', encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    for name in ("Apple Health", "Fitbit", "Oura", "Garmin"):
        assert name in message
