"""Simulated runs of a personal experiment, for calibrating ``plans.analysis``.

``simulate_journal`` makes realistic journals but cannot be told to follow a
schedule, so this draws a trial directly: one outcome per scheduled day, equal to

    mean + effect · [condition done that day is A] + AR(1) noise (lag-1 correlation phi)

with the AR(1) noise running over every calendar day (wash-out days included), the same
noise model as ``simulate.noise.ar1``. Off-schedule days swap the condition done (so the
planted effect follows what was done, not what was scheduled); missing days drop the
outcome. Deterministic given the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from speciosa.plans.analysis import TrialData, schedule_frame
from speciosa.plans.experiment import Experiment
from speciosa.simulate.noise import ar1


@dataclass(frozen=True)
class TrialTruth:
    effect: float = 0.0  # A − B when the condition is done, in outcome units
    mean: float = 25.0
    sd: float = 12.0
    phi: float = 0.4
    missing: float = 0.1  # share of days without the outcome logged
    off_schedule: float = 0.0  # share of days the other condition was done
    unknown_adherence: float = 0.05  # share of days the log cannot tell


def simulate_trial(experiment: Experiment, truth: TrialTruth, seed: int) -> TrialData:
    """One simulated run of ``experiment``'s schedule under ``truth``."""
    rng = np.random.default_rng(seed)
    day, block, arm_a, analysed = schedule_frame(experiment)
    n = len(day)
    noise = ar1(rng, n, truth.phi, truth.sd)
    off = rng.random(n) < truth.off_schedule
    did_a = arm_a ^ off
    y = truth.mean + truth.effect * did_a.astype(np.float64) + noise
    y[rng.random(n) < truth.missing] = np.nan
    followed = np.where(off, 0.0, 1.0)
    followed[rng.random(n) < truth.unknown_adherence] = np.nan
    return TrialData(day, block, arm_a, analysed, y, followed)
