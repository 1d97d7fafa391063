"""The effects a simulated journal hides on purpose, and the truth it reports about them.

Analyses are calibrated against journals whose answers are known in advance: the simulator
plants an effect of a chosen size, and :class:`Truth` says what that effect means in the
journal's own terms (minutes of sleep-onset latency, points of pain, log-odds of a hard
stool), so a test can check that an analysis finds it, and finds nothing when it is off.

Definitions the planted effects rely on (analyses should use the same ones):

* **Bedtime-dose night.** Night N (``clock.night_of``: the evening's date, the day starting
  at 04:00) has a bedtime dose when some dose of night N was taken within
  ``BEDTIME_WINDOW_MINUTES`` (180) before that night's ``tried_to_sleep``. The simulator
  places such a dose 30-90 min before trying to sleep and keeps every other dose of the day
  more than 180 min before it, so the nights found this way in the data are exactly
  :attr:`Truth.bedtime_dose_nights` (for the nights that have a diary).
* **Dose day.** A journal day (``clock.journal_day``) with at least one dose, bedtime
  doses included.
* **Weekly grams** of a bowel movement on journal day D: the grams of all doses on journal
  days D-7 .. D-1 (the movement's own day excluded). For the first seven journal days this
  window reaches before the journal's first day, where the simulated person already used
  kratom but nothing was logged; analyses should start at day 8.
* **Evening dose** (for the alcohol risk): the bedtime dose; daytime doses end by 17:15.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

BEDTIME_WINDOW_MINUTES = 180
ALCOHOL_WINDOW_MINUTES = 120


@dataclass(frozen=True)
class PlantedEffects:
    """Effects to plant in a simulated journal; the defaults plant nothing.

    ``bedtime_dose_probability`` is the share of nights with a bedtime dose. Each night is
    decided by its own random draw from a stream used for nothing else, so bedtime-dose
    nights are independent of every outcome's noise and of the person's daytime dosing: a
    plain with-versus-without comparison of those nights is unbiased by design (a
    randomised n-of-1 schedule). ``confounding`` breaks that on purpose for *daytime* use:
    it adds ``confounding`` x (that day's pain noise in SD units) to the log-odds of a
    daytime use day, so dosing is likelier on high-pain days and a naive dose-day versus
    other-day pain comparison is biased upward (for tests of honesty warnings).
    """

    bedtime_dose_sol_minutes: float = 0.0
    """Change in expected sleep-onset latency (min) on bedtime-dose nights; negative = faster."""
    dose_day_pain_change: float = 0.0
    """Change in expected pain rating (0-10 points) on dose days; negative = relief."""
    hard_stool_log_odds_per_10g_week: float = 0.0
    """Log-odds increase of a hard stool (Bristol 1-2) per 10 g of weekly grams."""
    grams_drift_pct_per_month: float = 0.0
    """Linear drift of expected grams per dose, percent of the first day's per 30 days."""
    alcohol_on_dose_nights: float = 0.0
    """Probability of an alcohol entry within 2 h of the bedtime dose on bedtime-dose nights."""
    bedtime_dose_probability: float = 0.5
    """Share of nights with a bedtime dose, drawn independently of all outcome noise."""
    confounding: float = 0.0
    """Log-odds of daytime use per SD of that day's pain noise (0 = no confounding)."""
    sol_effect_change_per_month: float = 0.0
    """Fading (or growing) latency effect: the bedtime-dose change moves by this many minutes
    per 30 days, centred on the journal's middle day, so its average stays
    ``bedtime_dose_sol_minutes``. Positive with a negative effect = tolerance."""
    pain_effect_change_per_month: float = 0.0
    """The same for the dose-day pain change (points per 30 days, centred on the middle)."""
    pain_drift_per_month: float = 0.0
    """Drift of expected pain on every day, dose or not (points per 30 days, centred)."""
    noise_phi: float | None = None
    """Lag-1 autocorrelation of the outcome noise; None keeps the person's own (0.3-0.5)."""
    missing_day_share: float = 0.0
    """Share of journal days on which nothing at all is logged, doses included."""
    stool_noise_sd: float = 0.0
    """SD (log-odds) of AR(1) day-to-day noise in the chance of a hard stool (same phi)."""

    def __post_init__(self) -> None:
        if self.noise_phi is not None and not 0.0 <= self.noise_phi < 1.0:
            raise ValueError(f"noise_phi: {self.noise_phi} is not allowed; must be 0 to below 1")
        if not 0.0 <= self.missing_day_share < 1.0:
            raise ValueError(
                f"missing_day_share: {self.missing_day_share} is not allowed; must be 0 to below 1"
            )
        if not (math.isfinite(self.stool_noise_sd) and self.stool_noise_sd >= 0):
            raise ValueError("stool_noise_sd: must be a finite number, 0 or more")
        for name in ("alcohol_on_dose_nights", "bedtime_dose_probability"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name}: {value} is not allowed; must be a probability 0-1")
        for name in (
            "bedtime_dose_sol_minutes",
            "dose_day_pain_change",
            "hard_stool_log_odds_per_10g_week",
            "grams_drift_pct_per_month",
            "confounding",
            "sol_effect_change_per_month",
            "pain_effect_change_per_month",
            "pain_drift_per_month",
        ):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name}: must be a finite number")
        if self.grams_drift_pct_per_month <= -100:
            raise ValueError("grams_drift_pct_per_month: must be more than -100")


# Modest effects for demo journals, so the insights screens have something to find.
DEMO_EFFECTS = PlantedEffects(
    bedtime_dose_sol_minutes=-8.0,
    dose_day_pain_change=-1.0,
    hard_stool_log_odds_per_10g_week=0.15,
    grams_drift_pct_per_month=3.0,
    alcohol_on_dose_nights=0.1,
    bedtime_dose_probability=0.4,
)

# Named risks a demo can plant on top of any effects, so that `speciosa demo --risk X`
# shows the matching safety alert. Strong on purpose: a demo should show the pattern.
RISK_EFFECTS: dict[str, dict[str, float]] = {
    "alcohol": {"alcohol_on_dose_nights": 1.0},
    "escalation": {"grams_drift_pct_per_month": 60.0},
    "constipation": {"hard_stool_log_odds_per_10g_week": 0.8},
}


@dataclass(frozen=True)
class Truth:
    """What was planted, in the journal's own units, and the baselines it was planted on.

    Expected values are before rounding and clipping to the diary's scales. Rounding is
    unbiased and, for effects of a realistic size, clipping is rare, so the raw data show the
    effects at about their planted size; an effect that pushes a baseline towards the end of
    its scale (say -12 min on a 16 min latency) is realised smaller, because nobody falls
    asleep in less than 0 min. Outcome noise is AR(1) with coefficient ``ar_phi``.
    """

    effects: PlantedEffects
    sol_baseline_minutes: float
    """Expected sleep-onset latency on nights without a bedtime dose."""
    sol_effect_minutes: float
    sol_noise_sd: float
    """Stationary SD of the AR(1) latency noise (bad-night spikes not included)."""
    pain_baseline: float
    """Expected pain rating on days without a dose."""
    pain_effect_points: float
    pain_noise_sd: float
    ar_phi: float
    hard_stool_baseline_log_odds: float
    """Log-odds of a hard stool with zero weekly grams."""
    hard_stool_log_odds_per_10g_week: float
    grams_per_dose_start: float
    """Expected grams per dose on the first journal day."""
    grams_drift_pct_per_month: float
    daytime_use_probability: float
    """Chance of a daytime use day when the pain noise is at its mean."""
    bedtime_dose_nights: frozenset[date]
    """Nights (evening dates) with a bedtime dose, including any without a diary."""
    alcohol_dose_nights: frozenset[date]
    """Bedtime-dose nights given an alcohol entry by ``alcohol_on_dose_nights``."""
    first_day: date
    last_day: date
    sol_effect_change_per_month: float = 0.0
    """Planted change per 30 days of the bedtime-dose latency effect (the tolerance truth)."""
    pain_effect_change_per_month: float = 0.0
    pain_drift_per_month: float = 0.0
    missing_days: frozenset[date] = frozenset()
    """Journal days on which nothing was logged (``missing_day_share``)."""
