"""Calibration of the insights against simulated journals with planted effects (full run).

    .venv/bin/python bench/insights_calibration.py [--journals 400] [--workers 2] [--record]

For every scenario in ``speciosa.simulate.calibration.SCENARIOS`` it simulates the journals
(seeds 0..n−1), runs the same frame and analyses a person's journal goes through, and
prints how often the 95% interval covers the planted truth and how often an effect is
claimed. Targets: coverage 90–98%; with nothing planted, claims at most 6%.
``--record`` writes the table into bench/RESULTS.md ("## Insights" / "### Calibration") and
the figure to bench/figures/insights-calibration.{png,svg}.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from insights_bench import write_subsection

from speciosa.insights import plots
from speciosa.simulate.calibration import SCENARIOS, Calibration, calibrate, calibration_intervals

FIGURES = Path(__file__).with_name("figures")
COVERAGE_RANGE = (0.90, 0.98)
MAX_FALSE_CLAIMS = 0.06


def _chunk(args: tuple[int, int, int]) -> Calibration:
    index, first, count = args
    return calibrate(SCENARIOS[index], count, first_seed=first)


def _merge(parts: list[Calibration]) -> Calibration:
    whole = Calibration(parts[0].scenario, sum(p.journals for p in parts))
    for part in parts:
        whole.answered += part.answered
        whole.covered += part.covered
        whole.claimed += part.claimed
        whole.estimates += part.estimates
        whole.truths += part.truths
        whole.intervals += part.intervals
    return whole


def _verdict(result: Calibration) -> str:
    checks = [COVERAGE_RANGE[0] <= result.coverage <= COVERAGE_RANGE[1]]
    if result.null:
        checks.append(result.claim_rate <= MAX_FALSE_CLAIMS)
    return "ok" if all(checks) else "OUT OF RANGE"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--journals", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    half = args.journals // args.workers
    jobs = [
        (i, w * half, half if w < args.workers - 1 else args.journals - w * half)
        for i in range(len(SCENARIOS))
        for w in range(args.workers)
    ]
    with ProcessPoolExecutor(args.workers) as pool:
        parts = list(pool.map(_chunk, jobs))
    results = [
        _merge(parts[i * args.workers : (i + 1) * args.workers]) for i in range(len(SCENARIOS))
    ]
    header = (
        "| scenario | question | journals (answered) | days each | planted | mean estimate "
        "| 95% CI coverage | effect claimed | verdict |"
    )
    rows = [header, "|" + "---|" * 9]
    for r in results:
        s = r.scenario
        rows.append(
            f"| {s.name} | {s.question} {s.outcome} | {r.journals} ({r.answered}) | {s.days} "
            f"| {r.planted:g} {s.unit} | {r.mean_estimate:.3f} | {r.coverage:.1%} "
            f"| {r.claim_rate:.1%} | {_verdict(r)} |"
        )
    elapsed = time.perf_counter() - started
    table = "\n".join(rows)
    print(table)
    print(f"\n{elapsed:.0f} s with {args.workers} workers")
    if args.record:
        paths = plots.save(calibration_intervals(results), FIGURES, "insights-calibration")
        command = (
            f"`.venv/bin/python bench/insights_calibration.py --journals {args.journals} "
            f"--workers {args.workers} --record` ({elapsed:.0f} s)"
        )
        notes = (
            "Targets: 95% intervals cover the planted truth in 90–98% of journals; with nothing "
            "planted, an effect is claimed (interval excludes 0) in at most 6%. Journals without "
            "enough data for the question are not counted (see 'answered'). Figure: "
            + ", ".join(f"`bench/figures/{p.name}`" for p in paths)
            + "."
        )
        write_subsection("Calibration", f"{command}\n\n{table}\n\n{notes}")


if __name__ == "__main__":
    main()
