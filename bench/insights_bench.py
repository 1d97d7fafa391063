"""Insights speed on a simulated 5-year journal: frame load and all analyses, timed apart.

    .venv/bin/python bench/insights_bench.py [--days 1826] [--repeat 5] [--record]

Target: all analyses under 1 s on the 2-core reference machine. ``--record`` writes the
figures into bench/RESULTS.md under "## Insights" / "### Speed" (other sections untouched).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from speciosa.insights import analyse, daily_frame
from speciosa.journal.catalogues import Condition
from speciosa.simulate import DEMO_EFFECTS, simulate_journal

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Insights"
TARGET_SECONDS = 1.0


def write_subsection(title: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or add) ``### title`` inside the Insights section of RESULTS.md."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if SECTION not in text:
        text = text.rstrip("\n") + f"\n\n{SECTION}\n"
    start = text.index(SECTION) + len(SECTION)
    following = text.find("\n## ", start)
    end = len(text) if following == -1 else following + 1
    section = text[start:end]
    heading = f"\n### {title}\n"
    block = f"{heading}\n{body.strip()}\n"
    if heading in section:
        s = section.index(heading)
        nxt = section.find("\n### ", s + len(heading))
        section = section[:s] + block + ("" if nxt == -1 else section[nxt:])
    else:
        section = section.rstrip("\n") + "\n" + block
    text = (
        text[:start]
        + section.rstrip("\n")
        + "\n"
        + ("" if following == -1 else "\n" + text[end:].lstrip("\n"))
    )
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1826)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()

    journal = simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=args.days,
        seed=1,
        end=date(2026, 3, 31),
        effects=DEMO_EFFECTS,
    )
    frame_times, analysis_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        frame = daily_frame(journal.entries, journal.profile)
        frame_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = analyse(frame, journal.profile)
        analysis_times.append(time.perf_counter() - started)
    answered = sum(e.enough_data for e in report.effects)
    lines = [
        f"journal: {args.days} days, {len(journal.entries)} entries, fibromyalgia, demo effects",
        f"load the daily frame: median {statistics.median(frame_times):.3f} s "
        f"(min {min(frame_times):.3f} s, {args.repeat} runs)",
        f"all analyses ({len(report.effects)} results, {answered} answered): median "
        f"{statistics.median(analysis_times):.3f} s (min {min(analysis_times):.3f} s); "
        f"target < {TARGET_SECONDS:g} s: "
        f"{'met' if statistics.median(analysis_times) < TARGET_SECONDS else 'NOT met'}",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    ]
    print("\n".join(lines))
    if args.record:
        command = (
            f"`.venv/bin/python bench/insights_bench.py --days {args.days} "
            f"--repeat {args.repeat} --record`"
        )
        write_subsection("Speed", command + "\n\n" + "\n".join(f"- {line}" for line in lines))


if __name__ == "__main__":
    main()
