"""Events that come and go with their own rhythm: bowel movements, side effects,
headache episodes and the occasional questionnaire.

Each builder takes its own random stream and draws a fixed number of values whatever the
planted effects, so turning an effect up changes *which* events are hard stools, not the
rest of the journal.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from speciosa.journal.catalogues import HeadacheFeature, Symptom
from speciosa.journal.models import Bowel, EntryBase, Headache, Questionnaire, SideEffect
from speciosa.simulate.days import BEDTIME
from speciosa.simulate.noise import Floats, choose, logit, sigmoid
from speciosa.simulate.placing import minutes
from speciosa.simulate.plan import Plan

MAX_MOVEMENTS = 3
SOFT_TYPES = (3, 4, 5, 6, 7)
SOFT_WEIGHTS = (0.28, 0.45, 0.14, 0.09, 0.04)
# chance of straining, incomplete, blockage, manual help: (hard stool, other stool)
FLAG_CHANCES = np.array([[0.7, 0.08], [0.5, 0.08], [0.2, 0.02], [0.05, 0.0]])

SIDE_EFFECTS = (
    (Symptom.CONSTIPATION, 0.2),
    (Symptom.NAUSEA, 0.2),
    (Symptom.DRY_MOUTH, 0.15),
    (Symptom.SWEATING, 0.1),
    (Symptom.ITCHING, 0.1),
    (Symptom.DROWSINESS, 0.1),
    (Symptom.DIZZINESS, 0.05),
    (Symptom.TREMOR, 0.05),
    (Symptom.INSOMNIA, 0.05),
)
FEATURE_CHANCES = (
    (HeadacheFeature.AURA, 0.2),
    (HeadacheFeature.NAUSEA, 0.6),
    (HeadacheFeature.LIGHT_SENSITIVITY, 0.8),
    (HeadacheFeature.SOUND_SENSITIVITY, 0.6),
    (HeadacheFeature.THROBBING, 0.7),
    (HeadacheFeature.ONE_SIDED, 0.6),
    (HeadacheFeature.WORSE_WITH_ACTIVITY, 0.5),
)
QUESTIONNAIRE_EVERY_DAYS = 28


def hard_stool_probability(plan: Plan) -> Floats:
    """Chance that a day's bowel movement is hard (Bristol 1-2), from last week's grams."""
    beta = plan.effects.hard_stool_log_odds_per_10g_week
    odds = logit(plan.persona.hard_stool_probability) + beta * plan.dosing.weekly_grams() / 10
    if plan.stool_noise is not None:
        odds = odds + plan.stool_noise
    return sigmoid(odds)


def bowel_movements(plan: Plan, rng: np.random.Generator) -> list[EntryBase]:
    """0-3 movements a day, the first soon after waking."""
    n, k = plan.cal.n, MAX_MOVEMENTS
    count = np.clip(rng.poisson(1.1, n), 0, k)
    first = plan.timing.wake + rng.uniform(10, 120, n)
    when = np.column_stack([first, rng.uniform(600, 1260, (n, k - 1))])
    hard = rng.random((n, k)) < hard_stool_probability(plan)[:, None]
    lumps = rng.random((n, k)) < 0.4
    soft = np.array(SOFT_TYPES)[choose(rng, SOFT_WEIGHTS, n * k).reshape(n, k)]
    bristol = np.where(hard, np.where(lumps, 1, 2), soft)
    chances = np.where(hard[:, :, None], FLAG_CHANCES[:, 0], FLAG_CHANCES[:, 1])
    flags = rng.random((n, k, 4)) < chances
    laxative = rng.random((n, k)) < 0.02
    out: list[EntryBase] = []
    for day in plan.journal_days:
        if not plan.logged.bowel[day]:
            continue
        for m in range(int(count[day])):
            straining, incomplete, blockage, manual = (bool(f) for f in flags[day, m])
            out.append(
                Bowel(
                    at=plan.placer.at(day, when[day, m]),
                    zone=plan.zone,
                    bristol=int(bristol[day, m]),
                    straining=straining,
                    incomplete=incomplete,
                    blockage=blockage,
                    manual=manual,
                    spontaneous=not laxative[day, m],
                )
            )
    return out


def side_effects(plan: Plan, rng: np.random.Generator) -> list[EntryBase]:
    """A few mild effects after doses, likelier on high-gram days (fact sheet A3, A5)."""
    n = plan.cal.n
    chance = np.clip(0.02 + 0.015 * np.maximum(plan.dosing.day_grams - 5, 0), 0, 0.3)
    happens = (rng.random(n) < chance) & plan.dosing.dose_day
    symptom = choose(rng, [w for _, w in SIDE_EFFECTS], n)
    severity = 1 + choose(rng, (0.75, 0.22, 0.03), n)
    delay = rng.uniform(30, 180, n)
    out: list[EntryBase] = []
    for day in plan.journal_days:
        if happens[day]:
            out.append(
                SideEffect(
                    at=_first_dose_at(plan, day) + minutes(delay[day]),
                    zone=plan.zone,
                    symptom=SIDE_EFFECTS[symptom[day]][0],
                    severity=int(severity[day]),
                )
            )
    return out


def _first_dose_at(plan: Plan, day: int) -> datetime:
    slot = int(np.flatnonzero(plan.dosing.taken[day])[0])
    if slot == BEDTIME:
        return plan.bedtime_dose_at(day)
    return plan.placer.at(day, plan.dosing.minute[day, slot])


def headaches(plan: Plan, rng: np.random.Generator) -> list[EntryBase]:
    """Migraine-like episodes of 4-48 h, a few a month, never overlapping."""
    rate = plan.persona.traits.headache_rate
    if rate == 0:
        return []
    n = plan.cal.n
    starts = rng.random(n) < rate
    minute = rng.uniform(6 * 60, 21 * 60, n)
    hours = np.clip(rng.lognormal(np.log(10), 0.6, n), 4, 48)
    peak = np.clip(np.round(rng.normal(6.8, 1.3, n)), 4, 10)
    unrecorded_end = rng.random(n) < 0.15
    feature_draws = rng.random((n, len(FEATURE_CHANCES)))
    medication = rng.random(n)
    out: list[Headache] = []
    for day in plan.journal_days:
        at = plan.placer.at(day, minute[day])
        if not starts[day] or (out and out[-1].end is not None and at < out[-1].end + minutes(720)):
            continue
        end = None if unrecorded_end[day] else at + minutes(60 * hours[day])
        features = zip(FEATURE_CHANCES, feature_draws[day], strict=True)
        out.append(
            Headache(
                at=at,
                zone=plan.zone,
                end=end,
                peak=int(peak[day]),
                features=tuple(f for (f, chance), u in features if u < chance),
                acute_medication=_acute_medication(float(medication[day])),
            )
        )
    return list(out)


def _acute_medication(u: float) -> tuple[str, ...]:
    """A triptan for most attacks, an NSAID for some, nothing for the rest."""
    if u < 0.6:
        return ("sumatriptan",)
    return ("ibuprofen",) if u < 0.8 else ()


def questionnaires(plan: Plan, rng: np.random.Generator) -> list[EntryBase]:
    """Every four weeks an SDS (all) and an FSS (chronic fatigue), answered from recent weeks."""
    n = plan.cal.n
    sds_draws = rng.random((n, 5, 3))
    fss_noise = rng.normal(0, 0.7, (n, 9))
    doses_per_day = plan.dosing.taken.sum(axis=1)
    out: list[EntryBase] = []
    every = QUESTIONNAIRE_EVERY_DAYS
    for day in plan.journal_days:
        if (day - plan.journal_days.start) % every != every - 1:
            continue
        at = plan.placer.at(day, min(20 * 60 + 30, plan.timing.bed[day] - 15))
        recent = float(doses_per_day[max(day - 27, 0) : day + 1].mean())
        chance = float(np.clip(0.1 + 0.12 * (recent - 1), 0.02, 0.9))
        items = tuple(int(x) for x in (sds_draws[day] < chance).sum(axis=1))
        sds = Questionnaire(at=at, zone=plan.zone, instrument="sds", items=items, score=sum(items))
        out.append(sds)
        if plan.persona.traits.fatigue_rate >= 1.0:
            out.append(_fss(plan, day, at, fss_noise[day]))
    return out


def _fss(plan: Plan, day: int, at: datetime, noise: Floats) -> Questionnaire:
    """Fatigue Severity Scale: nine items 1-7, scored as their mean (fact sheet B5)."""
    week = plan.ratings.fatigue[max(day - 6, 0) : day + 1].mean()
    items = tuple(int(x) for x in np.clip(np.round(1 + 0.6 * week + noise), 1, 7))
    return Questionnaire(
        at=at,
        zone=plan.zone,
        instrument="fss",
        items=items,
        score=round(sum(items) / len(items), 2),
    )
