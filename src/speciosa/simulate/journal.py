"""``simulate_journal``: a whole synthetic journal with known, planted effects.

Pure and deterministic: the caller passes the last journal day, every random number comes
from streams derived from ``seed``, and the same arguments give the same journal.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from speciosa.journal.catalogues import Condition
from speciosa.journal.clock import journal_day
from speciosa.journal.models import EntryBase, Headache, Product, Profile, Sleep
from speciosa.simulate import entries, events
from speciosa.simulate.days import (
    BURN_IN_DAYS,
    PAIN_SD,
    Rngs,
    calendar,
    draw_noise,
    months_from_middle,
    plan_dosing,
    plan_logging,
    plan_nights,
    plan_ratings,
    plan_timing,
    sol_baseline,
    sol_noise_sd,
)
from speciosa.simulate.effects import PlantedEffects, Truth
from speciosa.simulate.habits import plan_alcohol, plan_caffeine, plan_workouts
from speciosa.simulate.noise import ar1, logit, streams
from speciosa.simulate.persona import draw_persona
from speciosa.simulate.placing import Placer
from speciosa.simulate.plan import Plan

MAX_DAYS = 3660


@dataclass(frozen=True)
class SimulatedJournal:
    """A simulated person's profile, products and entries (sorted by ``at``), and the truth."""

    profile: Profile
    products: list[Product]
    entries: list[EntryBase]
    truth: Truth


def simulate_journal(
    *,
    condition: Condition,
    days: int,
    seed: int,
    end: date,
    zone: str = "America/New_York",
    effects: PlantedEffects | None = None,
) -> SimulatedJournal:
    """A person with ``condition`` and their last ``days`` journal days, up to day ``end``.

    ``effects=None`` plants nothing. No entry lies after the end of journal day ``end``
    (04:00 the next morning), so that night's sleep diary, written the morning after, is
    not there yet. Example::

        journal = simulate_journal(condition=Condition.FIBROMYALGIA, days=90, seed=1,
                                   end=date(2026, 3, 31))
    """
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days: {days} is not allowed; must be 1-{MAX_DAYS}")
    planted = effects if effects is not None else PlantedEffects()
    rngs = streams(seed)
    plan = _plan(condition, days, end, zone, planted, rngs)
    built = _entries(plan, rngs)
    truth = _truth(plan)
    kept = _logged_by(built, plan.placer.end_of_journal())
    if truth.missing_days:
        kept = [e for e in kept if journal_day(e.at, e.zone) not in truth.missing_days]
    return SimulatedJournal(
        profile=plan.persona.profile,
        products=list(plan.persona.products),
        entries=kept,
        truth=truth,
    )


def _plan(
    condition: Condition, days: int, end: date, zone: str, effects: PlantedEffects, rngs: Rngs
) -> Plan:
    cal = calendar(end, days)
    persona = draw_persona(condition, zone, cal.dates[BURN_IN_DAYS], end, rngs["persona"])
    if effects.noise_phi is not None:
        persona = replace(persona, phi=effects.noise_phi)
    months = months_from_middle(cal)
    timing = plan_timing(persona, cal, rngs["timing"])
    noise = draw_noise(persona, cal.n, rngs["ratings"])
    dosing = plan_dosing(persona, effects, cal, timing, noise.pain_z, rngs)
    alcohol = plan_alcohol(persona, effects, dosing, timing, rngs["alcohol"])
    workouts = plan_workouts(persona, timing, rngs["workout"])
    return Plan(
        persona=persona,
        effects=effects,
        cal=cal,
        timing=timing,
        dosing=dosing,
        nights=plan_nights(persona, effects, dosing, alcohol.drinks, rngs["sleep"], months),
        ratings=plan_ratings(persona, effects, dosing, noise, workouts.strain(), months),
        logged=plan_logging(persona, cal.n, rngs["missing"]),
        alcohol=alcohol,
        caffeine=plan_caffeine(persona, timing, rngs["caffeine"]),
        workouts=workouts,
        placer=Placer(cal.dates, zone),
        # new streams, drawn only when asked for, so other journals stay as they were
        missing=rngs["missing_days"].random(cal.n) < effects.missing_day_share
        if effects.missing_day_share
        else None,
        stool_noise=ar1(rngs["stool_noise"], cal.n, persona.phi, effects.stool_noise_sd)
        if effects.stool_noise_sd
        else None,
    )


def _entries(plan: Plan, rngs: Rngs) -> list[EntryBase]:
    # builders draw from streams the planners never touch
    return [
        *entries.doses(plan),
        *entries.sleep_diaries(plan),
        *entries.ratings(plan, rngs["rating_times"]),
        *entries.workouts(plan),
        *entries.substances(plan),
        *events.bowel_movements(plan, rngs["bowel"]),
        *events.side_effects(plan, rngs["side_effects"]),
        *events.headaches(plan, rngs["headache"]),
        *events.questionnaires(plan, rngs["questionnaire"]),
    ]


def _logged_by(built: list[EntryBase], bound: datetime) -> list[EntryBase]:
    """Entries wholly in the past at ``bound``, sorted by time; unfinished headaches stay open."""
    kept: list[EntryBase] = []
    for entry in built:
        if entry.at > bound or (isinstance(entry, Sleep) and entry.out_of_bed > bound):
            continue
        if isinstance(entry, Headache) and entry.end is not None and entry.end > bound:
            entry = entry.model_copy(update={"end": None})
        kept.append(entry)
    kept.sort(key=lambda e: e.at)
    return kept


def _truth(plan: Plan) -> Truth:
    persona, effects, days = plan.persona, plan.effects, plan.journal_days
    dates = plan.cal.dates
    return Truth(
        effects=effects,
        sol_baseline_minutes=sol_baseline(persona),
        sol_effect_minutes=effects.bedtime_dose_sol_minutes,
        sol_noise_sd=sol_noise_sd(persona),
        pain_baseline=persona.pain,
        pain_effect_points=effects.dose_day_pain_change,
        pain_noise_sd=PAIN_SD,
        ar_phi=persona.phi,
        hard_stool_baseline_log_odds=logit(persona.hard_stool_probability),
        hard_stool_log_odds_per_10g_week=effects.hard_stool_log_odds_per_10g_week,
        grams_per_dose_start=persona.grams_per_dose,
        grams_drift_pct_per_month=effects.grams_drift_pct_per_month,
        daytime_use_probability=persona.daytime_use_probability,
        bedtime_dose_nights=frozenset(dates[i] for i in days if plan.dosing.bedtime[i]),
        alcohol_dose_nights=frozenset(dates[i] for i in days if plan.alcohol.planted[i]),
        first_day=dates[days.start],
        last_day=dates[-1],
        sol_effect_change_per_month=effects.sol_effect_change_per_month,
        pain_effect_change_per_month=effects.pain_effect_change_per_month,
        pain_drift_per_month=effects.pain_drift_per_month,
        missing_days=frozenset()
        if plan.missing is None
        else frozenset(dates[i] for i in days if plan.missing[i]),
    )
