"""Simulated journals with planted risks raise the matching alerts; clean ones do not.

Each planted journal shares its seed (and so its person and noise) with a clean one, so
the only difference is the planted effect. Seeds are fixed: the simulator is
deterministic, so these tests are too.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from speciosa.journal import clock
from speciosa.journal.catalogues import Condition, SubstanceClass
from speciosa.journal.models import Dose, Sleep, StoredEntry, Substance
from speciosa.safety import Alert, JournalWindow, evaluate
from speciosa.safety.thresholds import CO_USE_LOOKBACK_DAYS, CO_USE_WINDOW_HOURS
from speciosa.simulate import PlantedEffects, SimulatedJournal, simulate_journal

END = date(2026, 3, 31)
SEEDS = [2, 5, 8]


def _simulate(seed: int, **planted: float) -> SimulatedJournal:
    return simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=120,
        seed=seed,
        end=END,
        effects=PlantedEffects(**planted),
    )


def _now(journal: SimulatedJournal) -> datetime:
    """The end of journal day END (04:00 the next morning), when the journal stops."""
    return clock.day_bounds(END, journal.profile.timezone)[1]


def _window(journal: SimulatedJournal) -> JournalWindow:
    """Simulated entries wrapped as stored entries with fake ids 1, 2, 3..."""
    stored = [
        StoredEntry.model_validate(
            {
                "id": i,
                "uid": f"sim-{i}",
                "source": "simulate",
                "source_key": str(i),
                "created_at": entry.at,
                "updated_at": entry.at,
                "entry": entry.model_dump(),
            }
        )
        for i, entry in enumerate(journal.entries, start=1)
    ]
    return JournalWindow(journal.profile, tuple(journal.products), tuple(stored))


def _alerts(journal: SimulatedJournal, prefix: str) -> list[Alert]:
    return [
        a for a in evaluate(_window(journal), now=_now(journal)) if a.rule_id.startswith(prefix)
    ]


def _drinks_near_doses(journal: SimulatedJournal) -> bool:
    """An independent reading of the raw entries: alcohol within 6 h of a dose, or diary
    drinks on a night with a dose from 6 h before bed, in the last 30 days."""
    since = _now(journal) - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
    reach = timedelta(hours=CO_USE_WINDOW_HOURS.value)
    doses = [e for e in journal.entries if isinstance(e, Dose)]
    for entry in journal.entries:
        if entry.at < since:
            continue
        drink = isinstance(entry, Substance) and entry.substance_class is SubstanceClass.ALCOHOL
        if drink and any(abs(d.at - entry.at) <= reach for d in doses):
            return True
        if isinstance(entry, Sleep) and entry.alcohol_drinks:
            night = clock.night_of(entry.at, entry.zone)
            if any(
                clock.night_of(d.at, d.zone) == night and d.at >= entry.at - reach for d in doses
            ):
                return True
    return False


@pytest.mark.parametrize("seed", SEEDS)
def test_alcohol_on_dose_nights_raises_the_alcohol_alert(seed: int) -> None:
    planted = _simulate(seed, alcohol_on_dose_nights=1.0)
    (alert,) = _alerts(planted, "co_use.alcohol")
    since = _now(planted) - timedelta(days=CO_USE_LOOKBACK_DAYS.value)
    planted_nights = planted.truth.alcohol_dose_nights
    window = _window(planted)
    planted_drinks = {
        s.id
        for s in window.entries
        if isinstance(s.entry, Substance)
        and s.entry.substance_class is SubstanceClass.ALCOHOL
        and s.entry.at >= since
        and clock.night_of(s.entry.at, s.entry.zone) in planted_nights
    }
    assert planted_drinks  # the planted risk is inside the 30-day look-back
    assert planted_drinks <= set(alert.entry_ids)


@pytest.mark.parametrize("seed", SEEDS)
def test_clean_journal_has_no_alcohol_alert(seed: int) -> None:
    clean = _simulate(seed)
    # These people drank occasionally, but never near a dose in the last 30 days
    # (checked independently of the rule).
    assert not _drinks_near_doses(clean)
    assert _alerts(clean, "co_use.alcohol") == []


@pytest.mark.parametrize("seed", SEEDS)
def test_grams_drift_raises_escalation_and_a_clean_journal_does_not(seed: int) -> None:
    # 60% of the first day's grams per dose more every 30 days
    (alert,) = _alerts(_simulate(seed, grams_drift_pct_per_month=60.0), "escalation")
    assert "grams per dose rose" in alert.explanation
    assert _alerts(_simulate(seed), "escalation") == []


@pytest.mark.parametrize("seed", SEEDS)
def test_hard_stools_with_weekly_grams_raise_a_constipation_alert(seed: int) -> None:
    # +0.8 log-odds of a hard stool per 10 g of kratom in the previous week
    planted = _alerts(_simulate(seed, hard_stool_log_odds_per_10g_week=0.8), "constipation")
    assert len(planted) == 1
    assert "hard stools" in planted[0].explanation
    assert _alerts(_simulate(seed), "constipation") == []
