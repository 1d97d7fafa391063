"""Plots are written as PNG and SVG; the CLI renders text and JSON from a simulated journal."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from speciosa.cli.insights import insights_command
from speciosa.insights import analyse, daily_frame, plots
from speciosa.journal.catalogues import Condition
from speciosa.simulate import DEMO_EFFECTS, simulate_journal


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
    console = Console(file=buffer, width=200)
    insights_command(
        journal.entries, journal.profile, as_json=False, plots_dir=None, console=console
    )
    text = buffer.getvalue()
    assert "Insights" in text
    assert "time to fall asleep" in text
    assert "observational" in text


def test_cli_json_is_the_report(journal, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    insights_command(
        journal.entries,
        journal.profile,
        as_json=True,
        plots_dir=None,
        console=Console(file=io.StringIO()),
    )
    data = json.loads(capsys.readouterr().out)
    sol = next(
        e for e in data["effects"] if e["question"] == "dose_vs_none" and e["outcome"] == "sol"
    )
    assert sol["enough_data"] is True
    assert sol["ci_low"] < sol["estimate"] < sol["ci_high"]


def test_cli_on_an_empty_journal_says_so() -> None:
    buffer = io.StringIO()
    from speciosa.journal.models import Profile

    insights_command([], Profile(), as_json=False, plots_dir=None, console=Console(file=buffer))
    assert "Nothing logged yet" in buffer.getvalue()
