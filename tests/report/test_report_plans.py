"""Taper progress appears in the clinician report, and only when there is a plan."""

from __future__ import annotations

from pathlib import Path

import pypdf

from speciosa.report.document import PLANS_HEADING
from tests.conftest import Cli


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages).split())


def test_report_shows_a_running_taper(cli: Cli, tmp_path: Path) -> None:
    assert cli("demo", "--days", "45", "--seed", "2").exit_code == 0
    without = tmp_path / "before.pdf"
    cli("report", "--pdf", str(without))
    assert PLANS_HEADING not in _text(without)

    # The demo logs daily use from its first day (how long is unknown): a clinician first.
    taper = cli("plan", "taper", "--target", "amount", "--grams", "2", "--clinician-consulted")
    assert taper.exit_code == 0, taper.stderr
    with_plan = tmp_path / "after.pdf"
    cli("report", "--pdf", str(with_plan))
    text = _text(with_plan)
    assert PLANS_HEADING in text
    assert "Taper plan since" in text
    assert "by analogy" in text
