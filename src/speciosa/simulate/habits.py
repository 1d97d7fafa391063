"""Habits around the doses: drinks, coffee and workouts, planned per day like the rest."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from speciosa.journal.catalogues import Intensity
from speciosa.simulate.days import Dosing, Timing
from speciosa.simulate.effects import PlantedEffects
from speciosa.simulate.noise import Bools, Floats, Ints, choose, round_to
from speciosa.simulate.persona import Persona

DRINKS = ("wine", "beer", "whiskey")
ACTIVITIES = ("weightlifting", "running", "cycling", "climbing", "HIIT class")
INTENSITIES = (Intensity.LIGHT, Intensity.MODERATE, Intensity.HARD)


@dataclass(frozen=True)
class Alcohol:
    drinks: Ints
    """Drinks that evening (0 = none)."""
    minute: Floats
    """Wall minutes of an ordinary evening drink."""
    planted: Bools
    """Nights whose drink was planted near the bedtime dose."""
    offset: Floats
    """Planted drink: real minutes relative to the bedtime dose (negative = before it)."""
    name: Ints


def plan_alcohol(
    persona: Persona,
    effects: PlantedEffects,
    dosing: Dosing,
    timing: Timing,
    rng: np.random.Generator,
) -> Alcohol:
    """Occasional evening drinks, plus the planted risk: drinks close to the bedtime dose."""
    n = len(dosing.bedtime)
    ordinary = rng.random(n) < persona.alcohol_probability
    planted = dosing.bedtime & (rng.random(n) < effects.alcohol_on_dose_nights)
    minute = np.minimum(np.round(rng.uniform(18 * 60, 21 * 60 + 30, n)), timing.bed - 15)
    offset = np.round(rng.uniform(-100, 15, n))
    drinks = (1 + choose(rng, (0.45, 0.35, 0.2), n)) * (ordinary | planted)
    return Alcohol(drinks, minute, planted, offset, choose(rng, (0.5, 0.35, 0.15), n))


@dataclass(frozen=True)
class Caffeine:
    cups: Ints
    first: Floats
    second: Floats


def plan_caffeine(persona: Persona, timing: Timing, rng: np.random.Generator) -> Caffeine:
    """Logged coffee: a morning cup on some days, a second after lunch on some of those."""
    n = len(timing.bed)
    logged = rng.random(n) < persona.caffeine_probability
    cups = logged * (1 + (rng.random(n) < 0.35))
    first = timing.wake + np.round(rng.uniform(0, 45, n))
    second = np.round(rng.uniform(13 * 60, 15 * 60 + 30, n))
    return Caffeine(cups.astype(np.int64), first, second)


@dataclass(frozen=True)
class Workouts:
    done: Bools
    minute: Floats
    minutes: Floats
    intensity: Ints
    activity: Ints

    def strain(self) -> Floats:
        """Extra soreness the day after a workout, larger after a hard one."""
        load = np.where(self.done, np.array([0.3, 0.9, 1.8])[self.intensity], 0.0)
        return np.concatenate(([0.0], load[:-1]))


def plan_workouts(persona: Persona, timing: Timing, rng: np.random.Generator) -> Workouts:
    """Workouts on about half the days, before work or in the early evening."""
    n = len(timing.bed)
    done = rng.random(n) < persona.traits.workout_rate
    morning = rng.random(n) < 0.4
    early = timing.wake + rng.uniform(15, 60, n)
    minute = np.where(morning, early, rng.uniform(17 * 60 + 30, 19 * 60 + 30, n))
    return Workouts(
        done=done,
        minute=np.asarray(np.round(minute), dtype=np.float64),
        minutes=round_to(rng.uniform(30, 95, n), 5),
        intensity=choose(rng, (0.25, 0.45, 0.3), n),
        activity=choose(rng, (0.4, 0.2, 0.15, 0.1, 0.15), n),
    )
