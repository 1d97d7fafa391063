"""The daily view, the safety pause, and every text a plan can show (never a dose advice)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from datetime import time, timedelta
from typing import Any

from pydantic import BaseModel

from speciosa.journal.clock import at_local
from speciosa.journal.models import Dose, Product, Questionnaire
from speciosa.journal.units import Unit
from speciosa.knowledge.language import recommends_amount
from speciosa.knowledge.loader import load_knowledge
from speciosa.plans import constants
from speciosa.plans.analysis import analyse_experiment, interim_look
from speciosa.plans.base import measure_for
from speciosa.plans.daily import (
    SAFETY_PAUSE_TEXT,
    experiment_today,
    progress_lines,
    taper_today,
    today_lines,
)
from speciosa.plans.experiment import ExperimentRequest, assignment_on, design_experiment
from speciosa.plans.taper import (
    TaperChange,
    TaperRequest,
    TaperTarget,
    change,
    design_taper,
    guidance,
    pause,
    planned_on,
    resume,
)
from speciosa.plans.usage import recent_use
from speciosa.simulate.experiment_trials import TrialTruth, simulate_trial

from .conftest import NOW, PROFILE, TODAY, ZONE, daily_doses

CAPS = Product(name="Red", grams_per_capsule=0.5)


def _plan(**request: Any):  # type: ignore[no-untyped-def]
    doses = daily_doses(30)
    use = recent_use(doses, today=TODAY, journal_start=TODAY - timedelta(days=30))
    return design_taper(
        TaperRequest(**{"target": TaperTarget(kind="amount", grams_per_day=3), **request}),
        use=use,
        measure=measure_for(Unit.CAPSULE, CAPS),
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )


def _dose(day, hhmm: str, grams: float) -> Dose:  # type: ignore[no-untyped-def]
    hour, minute = map(int, hhmm.split(":"))
    return Dose(at=at_local(day, time(hour, minute), ZONE), zone=ZONE, amount=grams, grams=grams)


def _sows(day, score: int) -> Questionnaire:  # type: ignore[no-untyped-def]
    return Questionnaire(
        at=at_local(day, time(9, 0), ZONE),
        zone=ZONE,
        instrument="sows",
        items=(1,) * 16,
        score=score,
    )


def test_today_compares_the_planned_amount_with_the_log() -> None:
    plan = _plan(fixed_grams=1, every_days=7)  # 5 g then 4 g then 3 g
    day = TODAY + timedelta(days=2)
    view = taper_today(plan, day=day, doses=[_dose(day, "08:00", 3), _dose(day, "14:00", 2.5)])
    assert view.planned.grams == 5
    assert view.logged_grams == 5.5
    assert view.logged_doses == 2
    assert view.over_plan
    assert "above the planned amount" in " ".join(view.lines)


def test_sows_is_prompted_after_a_step_and_flags_a_review() -> None:
    plan = _plan(fixed_grams=1, every_days=14)
    step_day = TODAY + timedelta(days=14)
    assert taper_today(plan, day=step_day + timedelta(days=1), doses=[]).sows_due
    # Logged today: not due again today.
    logged = taper_today(
        plan,
        day=step_day + timedelta(days=1),
        doses=[],
        questionnaires=[_sows(step_day + timedelta(days=1), 8)],
    )
    assert not logged.sows_due
    assert not logged.review_pace
    high = taper_today(
        plan,
        day=step_day + timedelta(days=2),
        doses=[],
        questionnaires=[_sows(step_day + timedelta(days=1), 25)],
    )
    assert high.review_pace
    assert "pause or slow down" in " ".join(high.lines)
    # Late in a step with a recent check: weekly only.
    late = step_day + timedelta(days=10)
    assert not taper_today(
        plan, day=late, doses=[], questionnaires=[_sows(late - timedelta(days=2), 5)]
    ).sows_due


def test_an_urgent_alert_pauses_prompts_and_says_so() -> None:
    plan = _plan(fixed_grams=1, every_days=7)
    view = taper_today(plan, day=TODAY + timedelta(days=1), doses=[], safety_paused=True)
    assert view.safety_paused
    assert not view.sows_due
    assert view.lines[-1] == SAFETY_PAUSE_TEXT
    experiment = design_experiment(
        ExperimentRequest(comparison="bedtime", outcome="sol", seed=1),
        profile=PROFILE,
        today=TODAY,
        now=NOW,
    )
    running = experiment_today(experiment, day=experiment.design.start, safety_paused=True)
    assert SAFETY_PAUSE_TEXT in running.lines[1]
    lines = today_lines(
        [plan, experiment], day=experiment.design.start, doses=[], safety_paused=True
    )
    assert sum(SAFETY_PAUSE_TEXT in line for line in lines) == 2  # taper + experiment wording


# --------------------------------------------------------------------------- every text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name))
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def _every_plan_text() -> list[str]:
    texts: list[str] = []
    plans = [
        _plan(),
        _plan(percent=20, every_days=7),
        _plan(target=TaperTarget(kind="stop"), fixed_grams=0.5, every_days=7),
        _plan(target=TaperTarget(kind="doses", doses_per_day=1)),
    ]
    changed = change(
        plans[0],
        TaperChange(every_days=60, back_one_step=True, reason="slow"),
        day=TODAY + timedelta(days=40),
        now=NOW,
    )
    paused = pause(changed, day=TODAY + timedelta(days=50), now=NOW, reason="flu")
    plans += [changed, paused, resume(paused, day=TODAY + timedelta(days=55), now=NOW)]
    for plan in plans:
        texts.extend(_strings(plan))
        for offset in (-1, 0, 3, 20, 60, 400):
            day = TODAY + timedelta(days=offset)
            texts.extend(_strings(planned_on(plan, day)))
            texts.extend(progress_lines(plan, day=day))
            view = taper_today(
                plan,
                day=day,
                doses=[_dose(day, "08:00", 9)],
                questionnaires=[_sows(day - timedelta(days=1), 30)],
            )
            texts.extend(view.lines)
            texts.extend(taper_today(plan, day=day, doses=[], safety_paused=True).lines)
    for sentence, _ in guidance():
        texts.append(sentence)
    for comparison, extra in (
        ("bedtime", {}),
        ("timing", {"minutes_a": 60, "minutes_b": 180}),
        ("product", {"product_a": "Red", "product_b": "Green"}),
    ):
        for layout, blocks in (("pairs", 8), ("ABBA", 8), ("ABAB", 4)):
            experiment = design_experiment(
                ExperimentRequest(
                    comparison=comparison,
                    layout=layout,
                    blocks=blocks,
                    seed=3,
                    clinician_consulted=True,  # the bedtime note for a daily user
                    **extra,
                ),  # type: ignore[arg-type]
                profile=PROFILE,
                today=TODAY,
                now=NOW,
            )
            texts.extend(_strings(experiment))
            for offset in range(0, experiment.design.total_days + 2, 5):
                day = experiment.design.start + timedelta(days=offset)
                texts.extend(_strings(assignment_on(experiment, day)))
                texts.extend(experiment_today(experiment, day=day, safety_paused=True).lines)
            data = simulate_trial(experiment, TrialTruth(effect=-5.0), seed=1)
            texts.extend(_strings(analyse_experiment(experiment, data)))
            texts.extend(
                interim_look(
                    experiment, data, day=experiment.design.start + timedelta(days=30)
                ).sentences
            )
            sparse = simulate_trial(experiment, TrialTruth(missing=0.95), seed=1)
            texts.extend(_strings(analyse_experiment(experiment, sparse)))
    return texts


def test_no_plan_text_recommends_an_amount() -> None:
    texts = _every_plan_text()
    assert len(texts) > 500
    offending = {text: found for text in texts if (found := recommends_amount(text))}
    assert offending == {}


def test_no_constant_is_an_amount_of_kratom() -> None:
    """Plan constants are paces, shares, days and resolutions; none is grams to take."""
    grams_constants = [name for name in dir(constants) if "GRAM" in name.upper()]
    assert grams_constants == ["DEFAULT_GRAM_STEP"]  # a measuring resolution (0.5 g scale)


def test_every_source_id_exists() -> None:
    known = set(load_knowledge().sources)
    ids = {
        value
        for name in dir(constants)
        if name.startswith("SOURCE_")
        for value in [getattr(constants, name)]
    }
    ids |= set(constants.TAPER_SOURCE_IDS) | set(constants.HALF_LIFE_SOURCE_IDS)
    ids |= set(constants.MONTHS_OF_DAILY_USE_SOURCE_IDS) | set(constants.BEDTIME_OFF_SOURCE_IDS)
    ids |= {i for sources in constants.MCID_SOURCES.values() for i in sources}
    for _, sources in guidance():
        ids |= set(sources)
    assert ids <= known, ids - known
