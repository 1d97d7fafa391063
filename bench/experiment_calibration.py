"""Calibration of the personal-experiment analysis against simulated trials (full run).

    .venv/bin/python bench/experiment_calibration.py [--trials 400] [--record]
    .venv/bin/python bench/experiment_calibration.py --trials 40        # quick look

Each scenario designs an experiment with ``plans.design_experiment`` and simulates it
``--trials`` times with ``simulate.experiment_trials.simulate_trial`` (AR(1) noise, phi 0,
0.3 or 0.5, 10% of outcomes missing (40% in the rows marked so), 5% of days whose
adherence the log cannot tell; seeds 0..n−1), then runs the same analysis a person's
experiment gets. It reports how often the interval (at ``insights.constants.INTERVAL_LEVEL``,
96%, the level a person is shown) covers the planted effect and how
often an effect is claimed (interval excludes 0). Targets: coverage 90–98%; with nothing
planted, claims at most 6%. A second table
checks that the randomisation test's p-values are uniform under no effect (KS test,
share at or below 0.05, and a 10-bin histogram). ``--record`` writes the tables into the
"## Plans" section of bench/RESULTS.md (replacing only that section).
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
from scipy import stats

from speciosa.insights.constants import INTERVAL_LEVEL
from speciosa.insights.results import level_percent
from speciosa.journal.models import Profile
from speciosa.plans.analysis import hac_effect, randomisation_test
from speciosa.plans.experiment import Experiment, ExperimentRequest, design_experiment
from speciosa.simulate.experiment_trials import TrialTruth, simulate_trial

RESULTS = Path(__file__).with_name("RESULTS.md")
COVERAGE_RANGE = (0.90, 0.98)
MAX_FALSE_CLAIMS = 0.06
PROFILE = Profile(conditions=("fibromyalgia",))
TODAY = date(2026, 1, 1)
NOW = datetime(2026, 1, 1, tzinfo=UTC)
PLANTED = -8.0  # minutes of sleep-onset latency, SD 12: a modest effect


@dataclass(frozen=True)
class Scenario:
    name: str
    layout: str
    blocks: int
    block_days: int
    washout_days: int | None  # None: the default 10-day wash-out
    effect: float
    phi: float
    off_schedule: float = 0.0
    analysis: str = "as randomised"
    missing: float = 0.1  # share of days without the outcome logged
    primary: bool = True  # counted in the pass/fail verdict

    def experiment(self) -> Experiment:
        return design_experiment(
            ExperimentRequest(
                comparison="bedtime",
                outcome="sol",
                layout=self.layout,  # type: ignore[arg-type]
                blocks=self.blocks,
                block_days=self.block_days,
                washout_days=self.washout_days,
                clinician_washout=self.washout_days is not None,
                seed=1,
            ),
            profile=PROFILE,
            today=TODAY,
            now=NOW,
        )


def scenarios() -> list[Scenario]:
    found = []
    for phi in (0.0, 0.3, 0.5):
        for effect in (PLANTED, 0.0):
            tag = "effect" if effect else "none"
            found += [
                Scenario(
                    f"default pairs 8×17 (wash-out 10), {tag}", "pairs", 8, 17, None, effect, phi
                ),
                Scenario(
                    f"pairs 12×7 (clinician wash-out 2), {tag}", "pairs", 12, 7, 2, effect, phi
                ),
                Scenario(f"ABBA 8×17 (wash-out 10), {tag}", "ABBA", 8, 17, None, effect, phi),
                Scenario(f"ABAB 6×17 (wash-out 10), {tag}", "ABAB", 6, 17, None, effect, phi),
                Scenario(
                    f"small: ABAB 4×17 (wash-out 10), {tag}",
                    "ABAB",
                    4,
                    17,
                    None,
                    effect,
                    phi,
                    primary=False,
                ),
                Scenario(
                    f"small: pairs 8×7 (wash-out 2), {tag}",
                    "pairs",
                    8,
                    7,
                    2,
                    effect,
                    phi,
                    primary=False,
                ),
            ]
        found.append(
            Scenario(
                "pairs 12×7, 20% off schedule, per protocol",
                "pairs",
                12,
                7,
                2,
                PLANTED,
                phi,
                off_schedule=0.2,
                analysis="per protocol",
            )
        )
    # 40% of days without the outcome: the default designs, with and without an effect
    for effect in (PLANTED, 0.0):
        tag = "effect" if effect else "none"
        found += [
            Scenario(
                f"default pairs 8×17 (wash-out 10), {tag}, 40% missing",
                "pairs",
                8,
                17,
                None,
                effect,
                0.3,
                missing=0.4,
            ),
            Scenario(
                f"pairs 12×7 (clinician wash-out 2), {tag}, 40% missing",
                "pairs",
                12,
                7,
                2,
                effect,
                0.3,
                missing=0.4,
            ),
        ]
    return found


@dataclass
class Outcome:
    scenario: Scenario
    trials: int = 0
    answered: int = 0
    covered: int = 0
    claimed: int = 0
    estimates: float = 0.0

    @property
    def coverage(self) -> float:
        return self.covered / self.answered if self.answered else float("nan")

    @property
    def claim_rate(self) -> float:
        return self.claimed / self.answered if self.answered else float("nan")

    @property
    def ok(self) -> bool:
        good = COVERAGE_RANGE[0] <= self.coverage <= COVERAGE_RANGE[1]
        if self.scenario.effect == 0:
            good = good and self.claim_rate <= MAX_FALSE_CLAIMS
        return good


def run(scenario: Scenario, trials: int, first_seed: int = 0) -> Outcome:
    experiment = scenario.experiment()
    truth = TrialTruth(
        effect=scenario.effect,
        phi=scenario.phi,
        off_schedule=scenario.off_schedule,
        missing=scenario.missing,
    )
    result = Outcome(scenario, trials)
    for seed in range(first_seed, first_seed + trials):
        data = simulate_trial(experiment, truth, seed)
        effect = hac_effect(data, analysis=scenario.analysis)  # type: ignore[arg-type]
        if not effect.enough_data or effect.ci_low is None or effect.ci_high is None:
            continue
        result.answered += 1
        result.covered += effect.ci_low <= scenario.effect <= effect.ci_high
        result.claimed += effect.claimed
        result.estimates += effect.estimate or 0.0
    return result


def _row(scenario: Scenario, out: Outcome, trials: int, verdict: str) -> str:
    mean = out.estimates / out.answered if out.answered else float("nan")
    return (
        f"| {scenario.name} ({scenario.analysis}) | {scenario.phi} | {out.answered}/"
        f"{trials} | {out.coverage:.3f} | {out.claim_rate:.3f} | {mean:+.2f} "
        f"(truth {scenario.effect:+g}) | {verdict} |"
    )


def p_values(layout: str, blocks: int, phi: float, trials: int) -> np.ndarray:
    experiment = Scenario("p", layout, blocks, 7, 2, 0.0, phi).experiment()
    found = []
    for seed in range(trials):
        data = simulate_trial(experiment, TrialTruth(effect=0.0, phi=phi), seed)
        test = randomisation_test(data, layout=layout, blocks=blocks, seed=seed)
        if test is not None:
            found.append(test.p_value)
    return np.asarray(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=400)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [
        "| scenario | phi | answered | coverage | claims | mean estimate | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    failures = 0
    primary: list[Outcome] = []
    for scenario in scenarios():
        out = run(scenario, args.trials)
        if scenario.primary and not out.ok:
            # A borderline result may be sampling noise (SE of a 4% rate in 1000 trials is
            # 0.6 points): record it, then re-run with 5× the trials on fresh seeds (an
            # independent replication, not the same trials again) and record that too.
            rows.append(_row(scenario, out, args.trials, "outside target; re-run below"))
            print(rows[-1], flush=True)
            out = run(scenario, 5 * args.trials, first_seed=args.trials)
            scenario = replace(scenario, name=f"{scenario.name}, re-run")
        verdict = (
            ("pass" if out.ok else "FAIL")
            if scenario.primary
            else ("reported" if out.ok else "outside target (not a default design)")
        )
        failures += scenario.primary and not out.ok
        if scenario.primary:
            primary.append(out)
        rows.append(_row(scenario, out, out.trials, verdict))
        print(rows[-1], flush=True)
    p_rows = [
        "| design | phi | trials | KS p (vs uniform) | share p ≤ 0.05 | histogram (10 bins) |",
        "|---|---|---|---|---|---|",
    ]
    for layout, blocks in (("pairs", 16), ("pairs", 12)):
        for phi in (0.3, 0.5):
            ps = p_values(layout, blocks, phi, args.trials)
            ks = stats.kstest(ps, "uniform").pvalue
            counts, _ = np.histogram(ps, bins=10, range=(0, 1))
            p_rows.append(
                f"| {layout} {blocks}×7 ({2 ** (blocks // 2)} orders) | {phi} | {len(ps)} | "
                f"{ks:.3f} | {np.mean(ps <= 0.05):.3f} | {' '.join(map(str, counts))} |"
            )
            print(p_rows[-1], flush=True)
    seconds = time.perf_counter() - started
    section = _section(rows, p_rows, args.trials, seconds, failures, _spread(primary))
    if args.record:
        _record(section)
    print(f"{failures} primary scenarios outside target; {seconds:.0f} s")


def _spread(outcomes: list[Outcome]) -> str:
    """The range of coverage and the worst false-claim rate over the primary scenarios."""
    coverage = [o.coverage for o in outcomes]
    nulls = [o for o in outcomes if o.scenario.effect == 0]
    worst = max(nulls, key=lambda o: o.claim_rate)
    return (
        f"Over the primary scenarios (as finally recorded) coverage is "
        f"{min(coverage):.1%}–{max(coverage):.1%} and false claims at most "
        f"{worst.claim_rate:.1%} ({worst.scenario.name}, phi {worst.scenario.phi}). "
        f"{monte_carlo(worst.answered)}"
    )


def monte_carlo(trials: int) -> str:
    """How far a calibrated row's false claims stray by chance over ``trials`` trials."""
    nominal = 1 - INTERVAL_LEVEL
    se = math.sqrt(nominal * (1 - nominal) / trials)
    above = stats.binom.sf(math.floor(MAX_FALSE_CLAIMS * trials), trials, nominal)
    return (
        f"Monte Carlo error: a claim rate over {trials} trials has a standard error of "
        f"{100 * se:.1f} points at the nominal {level_percent(nominal)}, so a row whose true "
        f"rate is exactly that reads above {level_percent(MAX_FALSE_CLAIMS)} "
        + (f"about one time in {1 / above:,.0f}." if above > 1e-6 else "practically never.")
    )


def _section(
    rows: list[str], p_rows: list[str], trials: int, seconds: float, failures: int, spread: str
) -> str:
    return "\n".join(
        [
            "## Plans",
            "",
            "### Experiment calibration",
            "",
            f"`bench/experiment_calibration.py --trials {trials}` ({seconds:.0f} s). Simulated "
            "personal experiments (bedtime dose vs none, outcome sleep-onset latency, SD 12 "
            "min, AR(1) noise with phi 0, 0.3 or 0.5, 10% of outcomes missing or 40% where "
            "the row says so), analysed as a person's would be: AR(1) "
            "Prais–Winsten with ρ^gap, block-clustered CR2 errors (Bell & McCaffrey 2002) "
            "and t with their Satterthwaite degrees of freedom (Imbens & Kolesár 2016). "
            f"Intervals are {level_percent()} (`INTERVAL_LEVEL`, the level of every answer "
            f"Speciosa shows), so nominal coverage {level_percent()} and nominal false claims "
            f"{level_percent(1 - INTERVAL_LEVEL)}. "
            "Seeds 0..n−1; a re-run uses 5n fresh seeds (n..6n−1). Targets: coverage "
            "90–98%; with no effect, claims ≤ 6%. "
            f"Primary scenarios outside target: {failures}. {spread}",
            "",
            *rows,
            "",
            "Rows marked small are not default designs and are reported only. The earlier "
            "model (Newey–West errors with t on blocks − 2 df), with 95% intervals, "
            "over-covered ABAB 6×17 "
            "(98.5% in 2000 trials without autocorrelation) and ABAB 4×17 (99.8%); plain "
            "Newey–West without the AR(1) step and the block degrees of freedom covered only "
            "85–92% in development runs.",
            "",
            "### Randomisation test under no effect",
            "",
            "p-values of the randomisation test (difference in means, every block order of "
            "the design's own rule) should be uniform when nothing is planted; with 2^(pairs) "
            "orders they are discrete in steps of 2/orders.",
            "",
            *p_rows,
            "",
        ]
    )


def _record(section: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = text.find("\n## Plans")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        rest = "" if end == -1 else text[end:]
        text = text[: start + 1] + section + rest
    RESULTS.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
