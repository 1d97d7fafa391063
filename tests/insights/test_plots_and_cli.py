"""Plots are written as PNG and SVG; the CLI renders text and JSON from a simulated journal."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from speciosa.app import Speciosa
from speciosa.app.insights import insights
from speciosa.cli.insights import render
from speciosa.insights import analyse, daily_frame, plots
from speciosa.journal.catalogues import Condition
from speciosa.simulate import DEMO_EFFECTS, simulate_journal
from tests.conftest import Cli

WEARABLES = Path(__file__).parents[1] / "fixtures" / "wearables"


@pytest.fixture(scope="module")
def journal():  # type: ignore[no-untyped-def]
    return simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=150,
        seed=3,
        end=date(2026, 3, 31),
        effects=DEMO_EFFECTS,
    )


def test_plots_are_png_and_svg(journal, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame = daily_frame(journal.entries, journal.profile)
    report = analyse(frame, journal.profile)
    paths = plots.write_all(frame, report, tmp_path)
    names = {p.name for p in paths}
    assert {"estimates.png", "estimates.svg", "over-time-sol.png", "over-time-pain.svg"} <= names
    assert all(p.stat().st_size > 1000 for p in paths)


def test_cli_text_names_the_findings(journal) -> None:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    frame = daily_frame(journal.entries, journal.profile)
    render(analyse(frame, journal.profile), Console(file=buffer, width=200))
    text = buffer.getvalue()
    assert "Insights" in text
    assert "time to fall asleep" in text
    assert "observational" in text


def test_cli_json_is_the_apps_report(cli: Cli, cli_db: Path, tmp_path: Path) -> None:
    assert cli("demo", "--days", "150", "--seed", "3").exit_code == 0
    result = cli("insights", "--json", "--plots", str(tmp_path / "plots"))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    speciosa = Speciosa.open(str(cli_db))
    try:
        with speciosa.journal() as app_journal:
            expected = insights(app_journal).report.to_dict()
    finally:
        speciosa.close()
    assert data == json.loads(json.dumps(expected))
    sol = next(
        e for e in data["effects"] if e["question"] == "dose_vs_none" and e["outcome"] == "sol"
    )
    assert sol["enough_data"] is True
    assert sol["ci_low"] < sol["estimate"] < sol["ci_high"]
    assert (tmp_path / "plots" / "estimates.png").stat().st_size > 1000
    assert "estimates.svg" in result.stderr  # each plot written is named


def test_cli_on_an_empty_journal_says_so(cli: Cli) -> None:
    result = cli("insights")
    assert result.exit_code == 0
    assert "Nothing logged yet" in result.stdout


def _log_diary_night(cli: Cli) -> None:
    cli(
        "log", "sleep", "--night", "2024-03-09", "--bed", "22:45", "--latency", "20",
        "--woke", "06:55", "--awakenings", "1", "--awake", "15",
    )  # fmt: skip


def test_cli_reads_the_wearable_nights_into_the_insights(cli: Cli) -> None:
    # The fixture's watch night of 9 March 2024 (Amsterdam); one night is too few to answer,
    # so the device outcome is there with its reason, and the count shows it was read.
    cli("init", "--timezone", "Europe/Amsterdam", "--goal", "sleep")
    cli("import", str(WEARABLES / "apple" / "export_small.xml"))
    _log_diary_night(cli)
    report = json.loads(cli("insights", "--json").stdout)
    device = [e for e in report["effects"] if e["outcome"] == "device_tst"]
    assert [(e["question"], e["enough_data"]) for e in device] == [("dose_vs_none", False)]
    assert "device_tst" in report["outcomes"]


def test_cli_without_a_wearable_has_no_device_outcomes(cli: Cli) -> None:
    cli("init", "--timezone", "Europe/Amsterdam", "--goal", "sleep")
    _log_diary_night(cli)
    report = json.loads(cli("insights", "--json").stdout)
    assert not [e for e in report["effects"] if e["outcome"].startswith("device_")]
