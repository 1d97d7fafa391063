"""Synthetic journals with planted, known effects: demo data and calibration for analyses.

    journal = simulate_journal(condition=Condition.FIBROMYALGIA, days=400, seed=7,
                               end=date(2026, 3, 31),
                               effects=PlantedEffects(bedtime_dose_sol_minutes=-12))
    journal.truth.bedtime_dose_nights   # the nights an analysis should find

The simulator describes a plausible person; its amounts are never advice.
"""

from speciosa.simulate.effects import (
    ALCOHOL_WINDOW_MINUTES,
    BEDTIME_WINDOW_MINUTES,
    DEMO_EFFECTS,
    RISK_EFFECTS,
    PlantedEffects,
    Truth,
)
from speciosa.simulate.journal import SimulatedJournal, simulate_journal

__all__ = [
    "ALCOHOL_WINDOW_MINUTES",
    "BEDTIME_WINDOW_MINUTES",
    "DEMO_EFFECTS",
    "RISK_EFFECTS",
    "PlantedEffects",
    "SimulatedJournal",
    "Truth",
    "simulate_journal",
]
