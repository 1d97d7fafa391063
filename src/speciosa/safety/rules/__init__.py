"""The safety rules, one module per concern; ``RULES`` is the registry the engine walks."""

from __future__ import annotations

from speciosa.safety.rules import (
    co_use,
    constipation,
    escalation,
    limits,
    medicines,
    migraine,
    products,
    profile,
    red_flags,
    sleep_timing,
    streak,
    withdrawal,
)
from speciosa.safety.rules.base import Rule

RULES: tuple[Rule, ...] = (
    red_flags.LIVER_RULE,
    red_flags.OTHER_RULE,
    co_use.RULE,
    medicines.SEIZURE_MEDICINE_RULE,
    medicines.SEROTONERGIC_RULE,
    products.SEVEN_OH_RULE,
    products.EXTRACT_RULE,
    products.LAB_FAILED_RULE,
    products.LAB_MISSING_RULE,
    limits.RULE,
    escalation.RULE,
    streak.RULE,
    withdrawal.RULE,
    withdrawal.TOLERANCE_RULE,
    constipation.PATTERN_RULE,
    constipation.AFTER_INCREASE_RULE,
    migraine.RULE,
    migraine.EARLY_RULE,
    sleep_timing.RULE,
    profile.PREGNANCY_RULE,
    profile.EPILEPSY_RULE,
    profile.BREATHING_RULE,
    profile.LIVER_DISEASE_RULE,
    profile.CYP3A_RULE,
    profile.CYP2D6_RULE,
    profile.SEVEN_OH_FORMATION_RULE,
)

__all__ = ["RULES", "Rule"]
