"""Clinician PDF speed for one year of a simulated journal, beside floors from the same run.

    .venv/bin/python bench/report_bench.py [--days 366] [--repeat 5] [--record]

Times, on a journal of ``--days`` days (SQLite file), the report over its last 365 days:
the whole ``speciosa report`` process; in one process, the first report (nothing stored)
and later ones (the period's insights reused while the journal is unchanged); and the
parts: reading the inputs (entries, safety rules, insights), each figure, and the layout.
Floors: ``python -c pass`` and a one-page reportlab document with the report's fonts.
Times are CPU seconds (user + system; of the child for whole processes), which a busy
shared machine disturbs far less than wall time; wall time is shown for the whole process.
Target (issue 16): under 2 s. ``--record`` writes the figures into bench/RESULTS.md under
"## Insights" / "### Clinician PDF speed" (other sections untouched).
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from insights_bench import write_subsection

TARGET_SECONDS = 2.0
PERIOD_DAYS = 365


def _seconds(call: Callable[[], Any], repeat: int) -> list[float]:
    """CPU seconds of this process for each of ``repeat`` calls."""
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        timings.append(time.process_time() - started)
    return timings


def _child(command: list[str]) -> tuple[float, float]:
    """(CPU, wall) seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return cpu, wall


def _line(label: str, timings: list[float]) -> str:
    return f"{label}: median {statistics.median(timings):.3f} s (min {min(timings):.3f} s)"


def minimal_pdf() -> bytes:
    """The floor: one A4 page with one paragraph, in the report's own fonts."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from speciosa.report.document import _style

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, invariant=1).build(
        [Paragraph("Speciosa clinician report", _style("body"))]
    )
    return buffer.getvalue()


# The libraries a report cannot do without (the store, the analyses, the safety trend
# test, the figures, the PDF): importing them alone is a floor under the whole command.
LIBRARIES = (
    "import sqlalchemy.orm, pydantic, pandas, scipy.stats, matplotlib.figure, reportlab.platypus"
)


def whole_process(
    url: str, first: str, out: Path, repeat: int
) -> tuple[list[float], list[float], list[float], list[float]]:
    """CPU seconds of ``speciosa report``, of ``python -c pass`` and of importing the
    libraries it needs, interleaved, and the report's wall seconds."""
    speciosa = str(Path(sys.executable).with_name("speciosa"))  # the installed command
    command = [speciosa, "--db", url, "report", "--from", first]
    report, bare, wall, imports = [], [], [], []
    for _ in range(repeat):
        cpu, elapsed = _child([*command, "--pdf", str(out)])
        report.append(cpu)
        wall.append(elapsed)
        bare.append(_child([sys.executable, "-c", "pass"])[0])
        imports.append(_child([sys.executable, "-c", LIBRARIES])[0])
    return report, bare, wall, imports


def run(days: int, repeat: int) -> list[str]:
    from web_bench import fill_journal

    from speciosa.app import Speciosa
    from speciosa.app.report import report_inputs
    from speciosa.report import build_report, render_report
    from speciosa.report import charts as report_charts
    from speciosa.report.summary import in_period, outcome_series, unwrap, use_summary

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="speciosa-report-bench-"))
    url = f"sqlite:///{folder / 'journal.sqlite'}"
    entries = fill_journal(url, days)
    app = Speciosa.open(url)
    with app.journal() as journal:
        first = journal.today - timedelta(days=PERIOD_DAYS - 1)
    process, bare, wall, libraries = whole_process(
        url, first.isoformat(), folder / "report.pdf", repeat
    )

    def render() -> bytes:
        with app.journal() as journal:
            return render_report(journal, first=first)

    cold = _seconds(render, 1)  # nothing stored for this period yet
    warm = _seconds(render, repeat)
    pages = _pages(render())
    with app.journal() as journal:
        inputs = report_inputs(journal, first=first)
    kwargs = inputs.as_kwargs()
    chosen = unwrap(in_period(inputs.entries, inputs.period_start, inputs.period_end))
    use = use_summary(chosen, inputs.profile, inputs.period_start, inputs.period_end)
    series = outcome_series(chosen, inputs.profile)
    limits = inputs.profile.limits
    span = (inputs.period_start, inputs.period_end)

    def usage() -> object:
        return report_charts.pixels(report_charts.usage_figure(use, limits, *span))

    def outcomes() -> object:
        figure = report_charts.outcomes_figure(series, {}, set(), use.logged, *span)
        return None if figure is None else report_charts.pixels(figure)

    def read_inputs() -> object:
        with app.journal() as journal:
            return report_inputs(journal, first=first)

    parts = {
        "read the inputs (entries, safety rules, stored insights)": _seconds(read_inputs, repeat),
        "usage figure (drawn)": _seconds(usage, repeat),
        "outcomes figure (drawn)": _seconds(outcomes, repeat),
        "whole layout (build_report, both figures included)": _seconds(
            lambda: build_report(**kwargs), repeat
        ),
        "floor: one-page reportlab document": _seconds(minimal_pdf, repeat),
    }
    app.close()
    load_after = os.getloadavg()
    verdict = "met" if statistics.median(process) < TARGET_SECONDS else "NOT met"
    return [
        f"journal: {days} days, {entries} entries; report over the last {PERIOD_DAYS} days, "
        f"{pages} pages; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
        _line("`speciosa report --pdf` (whole process, CPU)", process) + f"; target < "
        f"{TARGET_SECONDS:g} s: {verdict}",
        _line("`speciosa report --pdf` (whole process, wall)", wall),
        _line("floor: `python -c pass`", bare),
        _line(f"floor: `python -c '{LIBRARIES}'`", libraries),
        _line("in one process, first report (insights computed)", cold),
        _line("in one process, again (insights reused)", warm),
        *(_line(label, timings) for label, timings in parts.items()),
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    ]


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=366)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    lines = run(args.days, args.repeat)
    print("\n".join(lines))
    if args.record:
        command = (
            f"`.venv/bin/python bench/report_bench.py --days {args.days} "
            f"--repeat {args.repeat} --record`"
        )
        body = command + "\n\n" + "\n".join(f"- {line}" for line in lines)
        write_subsection("Clinician PDF speed", body)


if __name__ == "__main__":
    main()
