"""The safety rules, one module per concern; ``RULES`` is the registry the engine walks."""

from __future__ import annotations

from speciosa.safety.rules import (
    co_use,
    constipation,
    escalation,
    limits,
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
    profile.CYP3A_RULE,
)

__all__ = ["RULES", "Rule"]
