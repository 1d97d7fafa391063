"""The clinician report: rendered to PNG pages, its text checked, never prescribing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pypdfium2
import pytest
from pypdf import PdfReader

from speciosa.app import Speciosa
from speciosa.app.data import fill_demo
from speciosa.app.report import report_inputs
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.journal.models import Dose, Product, Profile
from speciosa.knowledge import recommends_amount
from speciosa.report import SECTIONS, TITLE, build_report, render_report, write_report
from speciosa.report.document import WITHHELD
from speciosa.simulate import DEMO_EFFECTS, simulate_journal
from speciosa.simulate.sample_report import PDF_NAME, PNG_NAME

ZONE = "America/New_York"
END = date(2026, 3, 31)
NOW = clock.at_local(END + timedelta(days=1), time(10, 0), ZONE)
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Speciosa]:
    """The application on a fresh SQLite file, its clock fixed at NOW."""
    speciosa = Speciosa.open(f"sqlite:///{tmp_path / 'journal.sqlite'}", clock=lambda: NOW)
    yield speciosa
    speciosa.close()


def fill(db: Speciosa, condition: Condition, days: int = 90) -> None:
    person = simulate_journal(
        condition=condition, days=days, seed=2, end=END, zone=ZONE, effects=DEMO_EFFECTS
    )
    with db.journal() as journal:
        fill_demo(journal, profile=person.profile, products=person.products, entries=person.entries)


def pages_as_png(pdf: bytes, directory: Path) -> list[Path]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        paths = []
        for index in range(len(document)):
            path = directory / f"page-{index + 1}.png"
            document[index].render(scale=1.0).to_pil().save(path)
            paths.append(path)
        return paths
    finally:
        document.close()


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("condition", [Condition.FIBROMYALGIA, Condition.MIGRAINE])
def test_report_from_a_demo_journal(db: Speciosa, tmp_path: Path, condition: Condition) -> None:
    fill(db, condition)
    path = tmp_path / "report.pdf"
    with db.journal() as journal:
        assert write_report(journal, path, last=END) == path
        rendered = render_report(journal, last=END)
    pdf = path.read_bytes()
    assert text_of(rendered) == text_of(pdf)  # the same report, written whole
    assert pdf.startswith(b"%PDF")
    pages = pages_as_png(pdf, tmp_path)
    assert 2 <= len(pages) <= 4
    assert all(p.stat().st_size > 10_000 for p in pages)  # drawn, not blank
    text = text_of(pdf)
    for heading in (TITLE, *SECTIONS):
        assert heading in text, heading
    assert "01 Jan 2026 to 31 Mar 2026 (90 days)" in text
    assert condition.value.replace("_", " ") in text
    assert "not available" not in text  # safety and insights both ran
    assert f"page {len(pages)} of {len(pages)}" in text
    for line in text.splitlines():
        assert recommends_amount(line) is None, line
    # Answers held back by calibration are said to be held back, not short of data.
    flat = " ".join(text.split())
    assert "held back until Speciosa's calibration" in flat


def test_headache_chart_for_migraine(db: Speciosa) -> None:
    fill(db, Condition.MIGRAINE, days=60)
    with db.journal() as journal:
        inputs = report_inputs(journal, last=END)
    assert inputs.period_start == END - timedelta(days=89)
    assert inputs.alerts is not None
    assert inputs.insights is not None
    text = text_of(build_report(**inputs.as_kwargs()))
    assert "Headache days per week" not in text  # chart titles are pixels, not text
    assert "Headache peak" in text  # ...but the outcome summary line is text


def test_missing_parts_are_said_to_be_missing() -> None:
    profile = Profile(timezone=ZONE)
    pdf = build_report(
        profile=profile,
        products=[],
        entries=[],
        alerts=None,
        insights=None,
        period_start=END - timedelta(days=29),
        period_end=END,
        now=NOW,
    )
    text = text_of(pdf)
    assert "Safety checks were not available" in text
    assert "Personal analyses were not available" in text
    assert "No kratom doses were logged in this period." in text


def test_text_that_reads_like_a_dosing_instruction_is_withheld() -> None:
    product = Product(name="Take 3 g daily blend")
    dose = Dose(at=NOW - timedelta(days=1), zone=ZONE, amount=3, product=product.name, grams=3)
    pdf = build_report(
        profile=Profile(timezone=ZONE),
        products=[product],
        entries=[dose],
        alerts=[],
        insights=None,
        period_start=END - timedelta(days=6),
        period_end=END,
        now=NOW,
    )
    text = " ".join(text_of(pdf).split())
    assert WITHHELD in text
    assert "Take 3 g daily" not in text
    assert "No safety alerts for this period." in text


def test_a_reversed_period_is_refused() -> None:
    with pytest.raises(ValueError, match="period_end"):
        build_report(
            profile=None,
            products=[],
            entries=[],
            alerts=None,
            insights=None,
            period_start=END,
            period_end=END - timedelta(days=1),
            now=NOW,
        )


def test_committed_sample_report() -> None:
    pdf = DOCS / PDF_NAME
    assert pdf.exists(), "run: python -m speciosa.simulate.sample_report docs/"
    assert (DOCS / PNG_NAME).exists()
    data = pdf.read_bytes()
    assert 2 <= len(PdfReader(io.BytesIO(data)).pages) <= 4
    assert all(heading in text_of(data) for heading in SECTIONS)
