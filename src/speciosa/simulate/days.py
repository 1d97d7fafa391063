"""The simulated person's days as numpy arrays: when they sleep, dose, and how they feel.

Everything is planned per day before any entry is built, so a five-year journal is a
handful of vectorised draws. Index ``i`` is a day; the first ``BURN_IN_DAYS`` are lived but
not logged, so weekly grams are defined from the first journal day on.

Times are *wall minutes*: minutes after local midnight of the day's date, possibly past
1440 for events after midnight. Durations (minutes to sleep, dose lead before bed) are real
minutes, measured between instants, so DST changes cost no special cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from speciosa.journal.units import Unit
from speciosa.simulate.effects import PlantedEffects
from speciosa.simulate.noise import (
    Bools,
    Floats,
    Ints,
    ar1,
    choose,
    lapses,
    logit,
    round_to,
    sigmoid,
    stochastic_round,
)
from speciosa.simulate.persona import Persona

BURN_IN_DAYS = 7
MORNING, MIDDAY, AFTERNOON, BEDTIME = range(4)
LATEST_DAYTIME_DOSE = 17 * 60 + 15
EARLIEST_TRY_TO_SLEEP = LATEST_DAYTIME_DOSE + 3 * 60 + 15  # keeps daytime doses out of 180 min
DOSE_SPREAD = 0.25  # log-SD of grams between doses of the same person
PAIN_SD, FATIGUE_SD, SORENESS_SD = 1.2, 1.1, 1.3
SPIKE_RATE, SPIKE_MEAN = 0.04, 35.0  # the odd sleepless night: 4% of nights, +35 min on average
UNITS = (Unit.GRAM, Unit.CAPSULE, Unit.TEASPOON)
Rngs = dict[str, np.random.Generator]


@dataclass(frozen=True)
class Calendar:
    dates: tuple[date, ...]
    weekday: Ints
    since_start: Floats
    """Days since the first journal day (negative during burn-in)."""

    @property
    def n(self) -> int:
        return len(self.dates)


def months_from_middle(cal: Calendar) -> Floats:
    """Months (30 days) from the journal's middle day: where fading effects and drifts pivot."""
    middle = (cal.n - BURN_IN_DAYS - 1) / 2
    return np.asarray((cal.since_start - middle) / 30, dtype=np.float64)


def calendar(end: date, days: int) -> Calendar:
    first = end - timedelta(days=days - 1 + BURN_IN_DAYS)
    dates = tuple(first + timedelta(days=i) for i in range(days + BURN_IN_DAYS))
    weekday = (first.weekday() + np.arange(len(dates))) % 7
    since = np.arange(len(dates), dtype=np.float64) - BURN_IN_DAYS
    return Calendar(dates, weekday.astype(np.int64), since)


@dataclass(frozen=True)
class Timing:
    bed: Floats
    """Into bed, wall minutes of the evening's day."""
    settle: Floats
    """Real minutes from getting into bed to trying to sleep."""
    final: Floats
    """Final awakening, wall minutes of the *next* day."""
    rise: Floats
    """Real minutes from the final awakening to getting out of bed."""
    wake: Floats
    """This morning's final awakening (the previous night's), wall minutes of the day."""

    @property
    def tried(self) -> Floats:
        return self.bed + self.settle


def plan_timing(persona: Persona, cal: Calendar, rng: np.random.Generator) -> Timing:
    """Bedtimes vary around the profile's, later on Friday and Saturday nights."""
    n = cal.n
    late_night = np.isin(cal.weekday, (4, 5))
    late_morning = np.isin((cal.weekday + 1) % 7, (5, 6))
    bed = persona.bedtime_minute + np.clip(rng.normal(0, 25, n), -75, 75)
    bed = bed + late_night * rng.uniform(20, 60, n)
    bed = np.maximum(round_to(bed, 5), EARLIEST_TRY_TO_SLEEP)
    settle = np.where(rng.random(n) < 0.3, 0.0, np.clip(round_to(rng.exponential(12, n), 5), 0, 60))
    final = persona.wake_minute + np.clip(rng.normal(0, 20, n), -60, 60)
    final = round_to(final + late_morning * rng.uniform(20, 70, n), 5)
    rise = np.clip(np.round(rng.exponential(10, n)), 0, 90)
    wake = np.concatenate(([float(persona.wake_minute)], final[:-1]))
    return Timing(bed=bed, settle=settle, final=final, rise=rise, wake=wake)


@dataclass(frozen=True)
class Dosing:
    taken: Bools
    """(day, slot) - slots MORNING, MIDDAY, AFTERNOON, BEDTIME."""
    minute: Floats
    """(day, slot) wall minutes; for BEDTIME, real minutes *before* trying to sleep."""
    amount: Floats
    unit: Ints
    """(day, slot) index into ``UNITS``."""
    grams: Floats
    product: Ints
    """Product index per day (all of a day's doses come from one product)."""
    bedtime: Bools
    daytime_use: Bools

    @property
    def day_grams(self) -> Floats:
        return np.asarray(np.where(self.taken, self.grams, 0.0).sum(axis=1), dtype=np.float64)

    @property
    def dose_day(self) -> Bools:
        return np.asarray(self.taken.any(axis=1), dtype=np.bool_)

    def weekly_grams(self) -> Floats:
        """Grams over the seven days before each day (the day itself excluded)."""
        totals = np.concatenate(([0.0], np.cumsum(self.day_grams)))
        idx = np.arange(len(self.bedtime))
        return np.asarray(totals[idx] - totals[np.maximum(idx - 7, 0)], dtype=np.float64)


def plan_dosing(
    persona: Persona,
    effects: PlantedEffects,
    cal: Calendar,
    timing: Timing,
    pain_z: Floats,
    rngs: Rngs,
) -> Dosing:
    """Which days and slots have a dose, and how much, in the units the person logs."""
    n = cal.n
    bedtime = rngs["design"].random(n) < effects.bedtime_dose_probability
    lead = np.round(rngs["design"].uniform(30, 90, n))
    use_rng = rngs["use"]
    odds = logit(persona.daytime_use_probability) + effects.confounding * pain_z
    use = use_rng.random(n) < sigmoid(odds)
    count = 1 + choose(use_rng, persona.daytime_dose_weights, n)
    count = np.where(bedtime & (count == 3), 2, count) * use
    second_at_midday = use_rng.random(n) < 0.5
    taken = np.zeros((n, 4), dtype=bool)
    taken[:, MORNING] = count >= 1
    taken[:, MIDDAY] = (count == 3) | ((count == 2) & second_at_midday)
    taken[:, AFTERNOON] = (count == 3) | ((count == 2) & ~second_at_midday)
    taken[:, BEDTIME] = bedtime
    minute = np.column_stack(
        [
            timing.wake + np.round(use_rng.uniform(5, 60, n)),
            np.round(use_rng.uniform(11 * 60 + 30, 14 * 60, n)),
            np.round(use_rng.uniform(14 * 60 + 30, LATEST_DAYTIME_DOSE, n)),
            lead,
        ]
    )
    product = _products_by_day(persona, n, rngs["grams"])
    amount, unit, grams = _amounts(persona, effects, cal, product, rngs["grams"])
    return Dosing(taken, minute, amount, unit, grams, product, bedtime, use)


def _products_by_day(persona: Persona, n: int, rng: np.random.Generator) -> Ints:
    """People stay with a product for weeks; switch to another about once a month."""
    fresh = choose(rng, persona.product_weights, n)
    switch = rng.random(n) < 1 / 30
    out = np.empty(n, dtype=np.int64)
    current = int(fresh[0])
    for i in range(n):
        if switch[i]:
            current = int(fresh[i])
        out[i] = current
    return out


def _amounts(
    persona: Persona,
    effects: PlantedEffects,
    cal: Calendar,
    product: Ints,
    rng: np.random.Generator,
) -> tuple[Floats, Ints, Floats]:
    """Grams drawn around the (drifting) usual dose, then measured as caps, tsp or g."""
    n = cal.n
    drift = np.maximum(0.2, 1 + effects.grams_drift_pct_per_month / 100 * cal.since_start / 30)
    spread = rng.lognormal(-(DOSE_SPREAD**2) / 2, DOSE_SPREAD, (n, 4))
    target = persona.grams_per_dose * drift[:, None] * spread
    per_cap = np.array([p.grams_per_capsule or 0.0 for p in persona.products])[product][:, None]
    per_tsp = np.array([p.grams_per_teaspoon or 0.0 for p in persona.products])[product][:, None]
    uniforms = rng.random((n, 4))
    prefers_tsp = rng.random((n, 4)) < 0.7
    unit = np.where(per_cap > 0, 1, np.where((per_tsp > 0) & prefers_tsp, 2, 0))
    per_unit = np.where(unit == 1, per_cap, np.where(unit == 2, per_tsp, 1.0))
    step = np.where(unit == 1, 1.0, np.where(unit == 2, 0.5, 0.1))
    amount = np.round(np.maximum(stochastic_round(target / per_unit, step, uniforms), step), 1)
    grams = np.asarray(np.round(amount * per_unit, 4), dtype=np.float64)
    return np.asarray(amount, dtype=np.float64), unit.astype(np.int64), grams


@dataclass(frozen=True)
class Nights:
    sol: Floats
    awakenings: Ints
    waso: Floats
    quality: Ints
    rested: Ints
    naps: Ints
    nap_minutes: Floats
    sleep_aid: Bools


def sol_baseline(persona: Persona) -> float:
    """Expected latency without a bedtime dose: the person's mean plus bad-night spikes."""
    return persona.sol_minutes + SPIKE_RATE * SPIKE_MEAN


def sol_noise_sd(persona: Persona) -> float:
    return 0.3 * persona.sol_minutes + 4.0


def plan_nights(
    persona: Persona,
    effects: PlantedEffects,
    dosing: Dosing,
    drinks: Ints,
    rng: np.random.Generator,
    months: Floats,
) -> Nights:
    """CSD answers for every night; the planted latency effect acts on bedtime-dose nights.

    ``months`` (from :func:`months_from_middle`) lets the effect fade or grow over time.
    """
    n = len(drinks)
    noise = ar1(rng, n, persona.phi, sol_noise_sd(persona))
    spikes = (rng.random(n) < SPIKE_RATE) * rng.exponential(SPIKE_MEAN, n)
    effect = effects.bedtime_dose_sol_minutes + effects.sol_effect_change_per_month * months
    latent = persona.sol_minutes + effect * dosing.bedtime + noise + spikes
    latent = np.maximum(latent, 0.0)
    sol = np.where(latent < 15, np.round(latent), round_to(latent, 5))
    awakenings = rng.poisson(persona.traits.awakenings + 0.8 * (drinks > 0), n)
    waso = round_to(rng.gamma(np.maximum(awakenings, 1), 8.0, n) * (awakenings > 0), 5)
    awakenings = np.where(waso > 0, awakenings, 0)
    quality_latent = 3.5 - 0.03 * (sol - persona.sol_minutes) - 0.015 * waso
    quality = np.clip(np.round(quality_latent + rng.normal(0, 0.7, n)), 1, 5)
    rested = np.clip(quality + rng.choice([-1, 0, 0, 1], n), 1, 5)
    naps = (rng.random(n) < persona.traits.nap_rate).astype(np.int64)
    nap_minutes = naps * round_to(rng.uniform(20, 90, n), 5)
    sleep_aid = rng.random(n) < persona.sleep_aid_probability
    return Nights(
        sol=sol,
        awakenings=awakenings.astype(np.int64),
        waso=waso,
        quality=quality.astype(np.int64),
        rested=rested.astype(np.int64),
        naps=naps,
        nap_minutes=nap_minutes,
        sleep_aid=sleep_aid,
    )


@dataclass(frozen=True)
class Noise:
    """Outcome noise, drawn before dosing so confounding can look at it."""

    pain: Floats
    fatigue: Floats
    soreness: Floats
    energy: Floats

    @property
    def pain_z(self) -> Floats:
        return self.pain / PAIN_SD


def draw_noise(persona: Persona, n: int, rng: np.random.Generator) -> Noise:
    return Noise(
        pain=ar1(rng, n, persona.phi, PAIN_SD),
        fatigue=ar1(rng, n, persona.phi, FATIGUE_SD),
        soreness=ar1(rng, n, persona.phi, SORENESS_SD),
        energy=rng.normal(0, 0.8, n),
    )


@dataclass(frozen=True)
class Ratings:
    pain: Ints
    fatigue: Ints
    energy: Ints
    soreness: Ints


def plan_ratings(
    persona: Persona,
    effects: PlantedEffects,
    dosing: Dosing,
    noise: Noise,
    strain: Floats,
    months: Floats,
) -> Ratings:
    """0-10 ratings; pain moves by the planted change on dose days, and may drift.

    ``strain`` is the extra soreness from yesterday's workout; ``months`` is
    :func:`months_from_middle`, for the fading dose-day change and the drift.
    """
    change = effects.dose_day_pain_change + effects.pain_effect_change_per_month * months
    drift = effects.pain_drift_per_month * months
    pain = persona.pain + drift + change * dosing.dose_day + noise.pain
    fatigue = persona.fatigue + noise.fatigue
    energy = 10 - fatigue + noise.energy
    soreness = persona.soreness + strain + noise.soreness
    return Ratings(*(_score(x) for x in (pain, fatigue, energy, soreness)))


def _score(latent: Floats) -> Ints:
    return np.clip(np.round(latent), 0, 10).astype(np.int64)


@dataclass(frozen=True)
class Logged:
    """Which days' diaries and ratings the person actually wrote down."""

    sleep: Bools
    pain: Bools
    fatigue: Bools
    soreness: Bools
    bowel: Bools


def plan_logging(persona: Persona, n: int, rng: np.random.Generator) -> Logged:
    """Missed entries: multi-day lapses plus single forgotten entries, unrelated to outcomes.

    Doses are always logged (they are what the app is for); everything else can be missed.
    """
    away = lapses(rng, n, start=0.02, stay=0.7)
    omit = rng.random((n, 5)) < persona.omit_probability
    rates = rng.random((n, 3))
    traits = persona.traits
    present = ~away[:, None] & ~omit
    return Logged(
        sleep=present[:, 0],
        pain=present[:, 1] & (rates[:, 0] < traits.pain_rate),
        fatigue=present[:, 2] & (rates[:, 1] < traits.fatigue_rate),
        soreness=present[:, 3] & (rates[:, 2] < traits.soreness_rate),
        bowel=present[:, 4],
    )
