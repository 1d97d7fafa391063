"""Every source id the insights cite is in the registry (knowledge/data/sources.yaml).

Engineering choices (the minimum amounts of data) cite no source id at all: a comment in
``insights.constants`` says so, and no placeholder id stands in for a paper.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from speciosa.insights import analyse, constants, daily_frame
from speciosa.insights.outcomes import DEVICE_OUTCOMES, OUTCOMES
from speciosa.journal.catalogues import Condition
from speciosa.knowledge import load_knowledge
from speciosa.simulate import DEMO_EFFECTS, simulate_journal

REGISTRY = frozenset(load_knowledge().sources)


def _constant_ids() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(constants).items()
        if name.startswith("SOURCE_") and isinstance(value, str)
    }


def test_source_constants_are_registered() -> None:
    cited = _constant_ids()
    assert cited, "insights.constants should name its sources as SOURCE_* constants"
    assert {name: sid for name, sid in cited.items() if sid not in REGISTRY} == {}
    # No placeholder id for engineering choices (for example "speciosa-engineering").
    assert not [v for v in vars(constants).values() if v == "speciosa-engineering"]


def test_outcome_sources_are_registered() -> None:
    for outcome in (*OUTCOMES.values(), *DEVICE_OUTCOMES.values()):
        assert set(outcome.source_ids) <= REGISTRY, outcome.column


@pytest.mark.parametrize("condition", list(Condition))
def test_every_effect_of_a_full_run_cites_registered_sources(condition: Condition) -> None:
    journal = simulate_journal(
        condition=condition, days=240, seed=1, end=date(2026, 3, 31), effects=DEMO_EFFECTS
    )
    first = journal.entries[0].at.date()
    rng = np.random.default_rng(1)
    # Wearable nights on every night too, so the device outcomes are asked about.
    device = {
        date.fromordinal(first.toordinal() + i): {
            "device_tst": float(rng.normal(420, 40)),
            "device_sol": float(rng.gamma(2, 8)),
        }
        for i in range(250)
    }
    report = analyse(daily_frame(journal.entries, journal.profile, device=device), journal.profile)
    cited = {sid for effect in report.effects for sid in effect.source_ids}
    assert constants.SOURCE_LLSW_2018 in cited
    assert cited - REGISTRY == set()
