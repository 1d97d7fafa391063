"""All of a simulated person's planned days in one place, for the entry builders to read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from speciosa.simulate.days import (
    BURN_IN_DAYS,
    Calendar,
    Dosing,
    Logged,
    Nights,
    Ratings,
    Timing,
)
from speciosa.simulate.effects import PlantedEffects
from speciosa.simulate.habits import Alcohol, Caffeine, Workouts
from speciosa.simulate.noise import Bools, Floats
from speciosa.simulate.persona import Persona
from speciosa.simulate.placing import Placer, minutes


@dataclass(frozen=True)
class Plan:
    persona: Persona
    effects: PlantedEffects
    cal: Calendar
    timing: Timing
    dosing: Dosing
    nights: Nights
    ratings: Ratings
    logged: Logged
    alcohol: Alcohol
    caffeine: Caffeine
    workouts: Workouts
    placer: Placer
    missing: Bools | None = None
    """Days on which nothing at all is logged (``PlantedEffects.missing_day_share``)."""
    stool_noise: Floats | None = None
    """AR(1) log-odds noise of a hard stool per day (``PlantedEffects.stool_noise_sd``)."""

    @property
    def zone(self) -> str:
        return self.placer.zone

    @property
    def journal_days(self) -> range:
        """Indexes of logged days (burn-in days are lived, not logged)."""
        return range(BURN_IN_DAYS, self.cal.n)

    def into_bed(self, day: int) -> datetime:
        return self.placer.at(day, self.timing.bed[day])

    def tried_to_sleep(self, day: int) -> datetime:
        return self.into_bed(day) + minutes(self.timing.settle[day])

    def bedtime_dose_at(self, day: int) -> datetime:
        return self.tried_to_sleep(day) - minutes(self.dosing.minute[day, 3])
