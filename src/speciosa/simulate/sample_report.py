"""Write the sample clinician report from a simulated demo journal.

    python -m speciosa.simulate.sample_report docs/

writes ``sample-report.pdf`` and ``sample-report-page1.png`` into the directory. The
journal is simulated (``speciosa.simulate``, fixed seed and dates), stored in a temporary
SQLite file and reported through the same path as ``speciosa report``, so the sample shows
exactly what a clinician would get. The simulated amounts are never advice.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from speciosa.app import Speciosa
from speciosa.app.data import fill_demo
from speciosa.journal import clock
from speciosa.journal.catalogues import Condition
from speciosa.report.collect import write_report
from speciosa.simulate import DEMO_EFFECTS, simulate_journal

END = date(2026, 3, 31)
DAYS = 90
SEED = 1
ZONE = "America/New_York"
CONDITION = Condition.FIBROMYALGIA
PDF_NAME = "sample-report.pdf"
PNG_NAME = "sample-report-page1.png"


def demo_now() -> datetime:
    """Mid-morning after the last simulated day, so the last night's diary is in."""
    return clock.at_local(END + timedelta(days=1), time(10, 0), ZONE)


def write_sample(directory: Path) -> list[Path]:
    """Simulate, store, report; return the PDF and the PNG of its first page."""
    directory.mkdir(parents=True, exist_ok=True)
    now = demo_now()
    journal = simulate_journal(
        condition=CONDITION, days=DAYS, seed=SEED, end=END, zone=ZONE, effects=DEMO_EFFECTS
    )
    pdf = directory / PDF_NAME
    with tempfile.TemporaryDirectory() as scratch:
        speciosa = Speciosa.open(str(Path(scratch) / "demo.sqlite"), clock=lambda: now)
        try:
            with speciosa.journal() as demo:
                fill_demo(
                    demo,
                    profile=journal.profile,
                    products=journal.products,
                    entries=journal.entries,
                )
            with speciosa.journal() as demo:
                write_report(demo, pdf, first=END - timedelta(days=DAYS - 1), last=END)
        finally:
            speciosa.close()
    return [pdf, render_page_png(pdf, directory / PNG_NAME)]


def render_page_png(pdf: Path, out: Path, page: int = 0, scale: float = 1.4) -> Path:
    """One page of ``pdf`` as a PNG (pypdfium2, a development dependency)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[page].render(scale=scale).to_pil()
        image.save(out, format="PNG", optimize=True)
    finally:
        document.close()
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m speciosa.simulate.sample_report DIRECTORY\n")
        return 2
    for path in write_sample(Path(args[0])):
        sys.stdout.write(f"wrote {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
