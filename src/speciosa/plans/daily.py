"""The daily view of running plans, for ``speciosa today``, the web app and the report.

    today_lines([plan, experiment], day=day, doses=doses, questionnaires=sows,
                safety_paused=pauses_plans(alerts))

Safety rules: when the safety engine has an urgent alert (``safety.pauses_plans``), every
plan prompt is held back and the view says so; the plan itself is not changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from speciosa.journal import clock
from speciosa.journal.models import Dose, Questionnaire
from speciosa.plans.base import EPSILON
from speciosa.plans.constants import (
    SOWS_DAILY_DAYS_AFTER_STEP,
    SOWS_EVERY_DAYS_OTHERWISE,
    SOWS_REVIEW_ANCHOR,
    TAPER_SOURCE_IDS,
)
from speciosa.plans.experiment import Assignment, Experiment, assignment_on
from speciosa.plans.kinds import Plan
from speciosa.plans.taper import PlannedDay, TaperPlan, planned_on

SAFETY_PAUSE_TEXT = (
    "An urgent safety alert is open, so plan prompts are paused until it is dealt with "
    "(see 'speciosa check'). The plan itself is unchanged."
)


@dataclass(frozen=True)
class TaperToday:
    planned: PlannedDay
    logged_grams: float
    logged_doses: int
    over_plan: bool
    sows_due: bool
    last_sows: float | None
    last_sows_day: date | None
    review_pace: bool
    safety_paused: bool
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ExperimentToday:
    assignment: Assignment
    safety_paused: bool
    lines: tuple[str, ...]


def taper_today(
    plan: TaperPlan,
    *,
    day: date,
    doses: Sequence[Dose],
    questionnaires: Sequence[Questionnaire] = (),
    safety_paused: bool = False,
) -> TaperToday:
    """Today's planned amount against what was logged, and whether SOWS is due."""
    planned = planned_on(plan, day)
    todays = [d for d in doses if clock.journal_day(d.at, d.zone) == day]
    grams = round(sum(d.grams or 0.0 for d in todays), 3)
    sows = sorted(
        (q for q in questionnaires if q.instrument == "sows" and q.score is not None),
        key=lambda q: q.at,
    )
    last = sows[-1] if sows else None
    last_day = None if last is None else clock.journal_day(last.at, last.zone)
    running = planned.status in ("active", "at target")
    sows_due = running and last_day != day and _sows_due(planned, day, last_day)
    over = planned.grams is not None and grams > planned.grams + EPSILON
    review = (
        running
        and last is not None
        and last_day is not None
        and planned.step_started is not None
        and last_day >= planned.step_started
        and (last.score or 0) > SOWS_REVIEW_ANCHOR
    )
    lines = _taper_lines(plan, planned, grams, len(todays), over, sows_due, last, review)
    if safety_paused:
        lines = (lines[0], SAFETY_PAUSE_TEXT)
    return TaperToday(
        planned=planned,
        logged_grams=grams,
        logged_doses=len(todays),
        over_plan=over,
        sows_due=sows_due and not safety_paused,
        last_sows=None if last is None else last.score,
        last_sows_day=last_day,
        review_pace=review and not safety_paused,
        safety_paused=safety_paused,
        lines=lines,
    )


def _sows_due(planned: PlannedDay, day: date, last_day: date | None) -> bool:
    if planned.step_started is None:
        return False
    since_step = (day - planned.step_started).days
    if since_step < SOWS_DAILY_DAYS_AFTER_STEP:
        return True
    return last_day is None or (day - last_day).days >= SOWS_EVERY_DAYS_OTHERWISE


def _taper_lines(
    plan: TaperPlan,
    planned: PlannedDay,
    grams: float,
    doses: int,
    over: bool,
    sows_due: bool,
    last: Questionnaire | None,
    review: bool,
) -> tuple[str, ...]:
    measure = plan.current.settings.measure
    head = f"Taper plan ({planned.status}): planned today {planned.amount_text}"
    if planned.step is not None:
        head += f" (step {planned.step} of {planned.steps})"
    if planned.status in ("active", "at target", "paused"):
        logged = measure.describe(grams) if grams > EPSILON else "nothing"
        head += f"; logged so far {logged} in {doses} dose{'s' if doses != 1 else ''}."
    else:
        head += "."
    lines = [head]
    if over:
        lines.append(
            "Today's log is above the planned amount. That happens; if it keeps happening, "
            "the plan can be slowed (speciosa plan change ID --every DAYS) or paused."
        )
    if planned.next_change is not None and planned.next_grams is not None:
        lines.append(
            f"Next step on {planned.next_change}: {measure.describe(planned.next_grams)} a day."
        )
    if sows_due:
        lines.append(
            "Withdrawal check due: speciosa log questionnaire sows (16 items, about 2 minutes)."
        )
    if review and last is not None:
        lines.append(
            f"Your last SOWS total ({last.score:g}) is above the {SOWS_REVIEW_ANCHOR:g} average "
            f"of regular kratom users (Rogers 2024; context, not a cut-off). If withdrawal "
            "feels significant, the guidance (by analogy) is to pause or slow down: "
            "speciosa plan pause ID, or plan change ID --every DAYS."
        )
    if planned.status == "at target":
        lines.append(f"Target reached: {planned.target_text}.")
    return tuple(lines)


def experiment_today(
    experiment: Experiment, *, day: date, safety_paused: bool = False
) -> ExperimentToday:
    """Which condition today is in, with the instruction (or the safety pause)."""
    assignment = assignment_on(experiment, day)
    lines: tuple[str, ...] = (f"Experiment: {assignment.instruction}",)
    if safety_paused and assignment.status == "running":
        lines = (
            "Experiment: prompts paused.",
            SAFETY_PAUSE_TEXT + " Days while it is open count as off schedule if not followed.",
        )
    return ExperimentToday(assignment, safety_paused, lines)


def today_lines(
    plans: Sequence[Plan],
    *,
    day: date,
    doses: Sequence[Dose],
    questionnaires: Sequence[Questionnaire] = (),
    safety_paused: bool = False,
) -> tuple[str, ...]:
    """The lines ``speciosa today`` shows for the person's running plans."""
    lines: list[str] = []
    for plan in plans:
        if plan.ended_on is not None and plan.ended_on <= day:
            continue
        if isinstance(plan, TaperPlan):
            lines.extend(
                taper_today(
                    plan,
                    day=day,
                    doses=doses,
                    questionnaires=questionnaires,
                    safety_paused=safety_paused,
                ).lines
            )
        else:
            lines.extend(experiment_today(plan, day=day, safety_paused=safety_paused).lines)
    return tuple(dict.fromkeys(lines))  # the safety sentence once, however many plans


def progress_lines(plan: Plan, *, day: date) -> tuple[str, ...]:
    """A short progress summary for the clinician report."""
    if isinstance(plan, Experiment):
        design = plan.design
        assignment = assignment_on(plan, day)
        return (
            f"Personal experiment: {design.label_a} (A) vs {design.label_b} (B); "
            f"{design.layout}, {design.blocks} blocks of {design.block_days} days "
            f"({design.start} to {design.end}), seed {design.seed}.",
            f"Status: {assignment.status}"
            + (
                f", day {assignment.day_number} of {assignment.total_days}"
                if assignment.day_number
                else ""
            )
            + ".",
        )
    planned = planned_on(plan, day)
    first = plan.versions[0].settings
    measure = first.measure
    changes = sum(1 for e in plan.history if e.action == "changed")
    pauses = len(plan.pauses)
    start = measure.describe(measure.round_up(first.start_grams))
    step = f", step {planned.step} of {planned.steps}" if planned.step else ""
    return (
        f"Taper plan since {plan.start_day}: from {start} a day (mean of "
        f"{plan.baseline.days} logged days) to {planned.target_text}.",
        f"Status: {planned.status}; today {planned.amount_text}{step}; {changes} change(s), "
        f"{pauses} pause(s).",
        "Default pace and guidance: CDC 2022 opioid tapering, applied by analogy "
        f"({', '.join(TAPER_SOURCE_IDS)}).",
    )
