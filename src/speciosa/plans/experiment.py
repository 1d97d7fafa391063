"""Personal experiments (n-of-1 trials): two conditions the person chooses, in blocks.

    design = ExperimentRequest(comparison="bedtime", outcome="sol", layout="pairs",
                               blocks=8, seed=41)
    experiment = design_experiment(design, profile=profile, today=day, now=now, use=use)
    assignment_on(experiment, day).arm      # "A" or "B"

``use`` is the person's recent use (``plans.usage.use_for_gates``). For a daily user a
bedtime on/off experiment needs ``clinician_consulted=True``: its blocks of "no bedtime
dose" take a daily user in and out of withdrawal, and withdrawal's poor sleep would bias
the result. Without ``use`` (None) the journal cannot tell, and nothing is asked.

Layouts and their randomisation rule (the analysis re-draws orders with the same rule):

``pairs``  blocks come in pairs; each pair is AB or BA at random   (2^(blocks/2) orders)
``ABBA``   blocks come in fours; each four is ABBA or BAAB at random (2^(blocks/4) orders)
``ABAB``   blocks alternate; only the first condition is random      (2 orders)

Each block starts with a wash-out: the condition is followed but those days are not
analysed, because the main alkaloid stays in the body for days. The default wash-out is
5 half-lives of mitragynine (45.3 h, Tanna 2022) = 10 days; a shorter one is allowed
only when the person says a clinician agreed it. The schedule is a pure function of the
design and its seed (SHA-256 of the seed and the pair number), so the same seed gives
the same schedule on any machine and any version of numpy.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from pydantic import Field

from speciosa.errors import Conflict, InvalidInput
from speciosa.insights.outcomes import OUTCOMES, relevant_outcomes
from speciosa.journal.models import Profile
from speciosa.plans.base import (
    HistoryEvent,
    Pause,
    PlanModel,
    add_pause,
    close_pause,
    is_paused,
    new_event,
    open_pause,
)
from speciosa.plans.constants import (
    DEFAULT_ANALYSED_DAYS_PER_BLOCK,
    DEFAULT_BLOCKS,
    DEFAULT_WASHOUT_DAYS,
    MAX_BLOCK_DAYS,
    MAX_BLOCKS,
    MIN_ANALYSED_DAYS_PER_BLOCK,
    MIN_BLOCKS,
    MITRAGYNINE_HALF_LIFE_HOURS,
    SMALL_DESIGN_MEASURED_DAYS,
    TIMING_TOLERANCE_MINUTES,
    WASHOUT_HALF_LIVES,
)
from speciosa.plans.usage import RecentUse

Comparison = Literal["bedtime", "timing", "product"]
Layout = Literal["pairs", "ABBA", "ABAB"]
Arm = Literal["A", "B"]
COMPARISONS: tuple[str, ...] = ("bedtime", "timing", "product")
LAYOUTS: tuple[str, ...] = ("pairs", "ABBA", "ABAB")
_UNIT_SIZE: dict[str, int] = {"pairs": 2, "ABBA": 4, "ABAB": 2}
_PATTERNS: dict[str, tuple[str, str]] = {"pairs": ("AB", "BA"), "ABBA": ("ABBA", "BAAB")}


class ExperimentRequest(PlanModel):
    """What the person asks for; unset fields take the defaults stated in the docstring."""

    comparison: Comparison
    outcome: str | None = None
    minutes_a: int | None = None
    minutes_b: int | None = None
    product_a: str | None = None
    product_b: str | None = None
    layout: Layout = "pairs"
    blocks: int = DEFAULT_BLOCKS
    block_days: int | None = None
    washout_days: int | None = None
    clinician_washout: bool = False
    clinician_consulted: bool = False
    start: date | None = None
    end: date | None = None
    seed: Annotated[int, Field(ge=0, le=2**63 - 1)]


class ExperimentDesign(PlanModel):
    comparison: Comparison
    outcome: str
    label_a: str
    label_b: str
    minutes_a: int | None = None
    minutes_b: int | None = None
    product_a: str | None = None
    product_b: str | None = None
    layout: Layout
    blocks: int
    block_days: int
    washout_days: int
    washout_basis: Literal["half-life", "clinician"]
    start: date
    seed: int
    clinician_consulted: bool = False

    @property
    def end(self) -> date:
        return self.start + timedelta(days=self.blocks * self.block_days - 1)

    @property
    def total_days(self) -> int:
        return self.blocks * self.block_days

    @property
    def analysed_days_per_block(self) -> int:
        return self.block_days - self.washout_days

    def label(self, arm: Arm) -> str:
        return self.label_a if arm == "A" else self.label_b


class Block(PlanModel):
    number: int
    arm: Arm
    start: date
    end: date  # inclusive
    washout_end: date | None  # last wash-out day (inclusive), None without a wash-out


class Experiment(PlanModel):
    kind: Literal["experiment"] = "experiment"
    design: ExperimentDesign
    blocks: tuple[Block, ...]
    arrangements: int
    notes: tuple[str, ...]
    pauses: tuple[Pause, ...] = ()
    history: tuple[HistoryEvent, ...]
    ended_on: date | None = None

    @property
    def start_day(self) -> date:
        return self.design.start


class Assignment(PlanModel):
    """Which condition a day is in, and what to do."""

    day: date
    status: Literal["not started", "running", "paused", "finished", "ended"]
    day_number: int | None
    total_days: int
    block: int | None
    arm: Arm | None
    label: str | None
    washout: bool
    instruction: str


# --------------------------------------------------------------------------- design


def design_experiment(
    request: ExperimentRequest,
    *,
    profile: Profile,
    today: date,
    now: datetime,
    use: RecentUse | None = None,
) -> Experiment:
    """Check the request, fill the defaults and draw the schedule from its seed.

    ``use``: the person's recent use, which decides whether the experiment needs a
    clinician first (a bedtime on/off experiment for a daily user).
    """
    outcome = _outcome(request, profile)
    label_a, label_b = _labels(request)
    _check_clinician(request, use)
    washout, basis = _washout(request)
    blocks = _blocks(request)
    block_days = request.block_days or washout + DEFAULT_ANALYSED_DAYS_PER_BLOCK
    if block_days > MAX_BLOCK_DAYS:
        raise InvalidInput("block_days", block_days, f"must be at most {MAX_BLOCK_DAYS} days")
    if block_days < washout + MIN_ANALYSED_DAYS_PER_BLOCK:
        raise InvalidInput(
            "block_days",
            block_days,
            f"must be at least {washout + MIN_ANALYSED_DAYS_PER_BLOCK}: each block starts with "
            f"the {washout}-day wash-out ({_washout_reason(basis)}) and needs "
            f"{MIN_ANALYSED_DAYS_PER_BLOCK} more days to measure",
        )
    start = request.start or today + timedelta(days=1)
    if start < today:
        raise InvalidInput("start", start.isoformat(), "must be today or later")
    design = ExperimentDesign(
        comparison=request.comparison,
        outcome=outcome,
        label_a=label_a,
        label_b=label_b,
        minutes_a=request.minutes_a,
        minutes_b=request.minutes_b,
        product_a=request.product_a,
        product_b=request.product_b,
        layout=request.layout,
        blocks=blocks,
        block_days=block_days,
        washout_days=washout,
        washout_basis=basis,
        start=start,
        seed=request.seed,
        clinician_consulted=request.clinician_consulted,
    )
    if request.end is not None and design.end > request.end:
        raise InvalidInput(
            "end",
            request.end.isoformat(),
            f"the design needs {design.total_days} days ({blocks} blocks of {block_days}) from "
            f"{start}, so it would end on {design.end}; choose fewer or shorter blocks, an "
            "earlier start or a later end",
        )
    schedule = draw_schedule(design)
    notes = _design_notes(design)
    event = new_event(
        now=now,
        day=today,
        action="created",
        detail=f"{label_a} (A) vs {label_b} (B) on {OUTCOMES[outcome].label}; {request.layout}, "
        f"{blocks} blocks of {block_days} days, seed {request.seed}",
        version=1,
    )
    return Experiment(
        design=design,
        blocks=schedule,
        arrangements=arrangement_count(design.layout, design.blocks),
        notes=notes,
        history=(event,),
    )


def _outcome(request: ExperimentRequest, profile: Profile) -> str:
    relevant = relevant_outcomes(profile)
    if request.outcome is None:
        night_first = request.comparison in ("bedtime", "timing")
        ordered = sorted(relevant, key=lambda c: not OUTCOMES[c].night) if night_first else relevant
        return ordered[0]
    if request.outcome not in OUTCOMES:
        raise InvalidInput("outcome", request.outcome, f"must be one of {', '.join(OUTCOMES)}")
    if request.outcome not in relevant:
        raise InvalidInput(
            "outcome",
            request.outcome,
            f"must be one your conditions and goals make relevant: {', '.join(relevant)} "
            "(change them with 'speciosa init')",
        )
    return request.outcome


def _labels(request: ExperimentRequest) -> tuple[str, str]:
    if request.comparison == "bedtime":
        return "bedtime dose as you usually take it", "no bedtime dose"
    if request.comparison == "timing":
        a, b = request.minutes_a, request.minutes_b
        if a is None or b is None:
            raise InvalidInput(
                "minutes_a" if a is None else "minutes_b",
                None,
                "a timing experiment needs both --minutes-a and --minutes-b (before bed)",
            )
        for name, value in (("minutes_a", a), ("minutes_b", b)):
            if not 0 <= value <= 360:
                raise InvalidInput(name, value, "must be 0 to 360 minutes before bed")
        if abs(a - b) <= 2 * TIMING_TOLERANCE_MINUTES:
            raise InvalidInput(
                "minutes_b",
                b,
                f"must differ from minutes_a by more than {2 * TIMING_TOLERANCE_MINUTES} minutes "
                f"(times are matched within {TIMING_TOLERANCE_MINUTES} minutes)",
            )
        return (
            f"bedtime dose about {a} minutes before bed",
            f"bedtime dose about {b} minutes before bed",
        )
    a_name, b_name = request.product_a, request.product_b
    if not a_name or not b_name:
        raise InvalidInput(
            "product_a" if not a_name else "product_b",
            None,
            "a product experiment needs --product-a and --product-b",
        )
    if a_name == b_name:
        raise InvalidInput("product_b", b_name, "must be a different product from product_a")
    return f"product {a_name}", f"product {b_name}"


def _check_clinician(request: ExperimentRequest, use: RecentUse | None) -> None:
    """A bedtime on/off experiment for a daily user needs a clinician first."""
    if request.comparison != "bedtime" or request.clinician_consulted:
        return
    if use is None or not use.daily:
        return
    raise InvalidInput(
        "clinician_consulted",
        False,
        f"you used kratom on {use.use_days} of the last {use.days} days, and the blocks "
        "of 'no bedtime dose' would take a daily user in and out of withdrawal every few "
        "days. Withdrawal also disturbs sleep (Singh 2014), so the result would be biased "
        "too. Talk to a clinician, then add --clinician-consulted; or compare timing "
        "instead, which keeps the bedtime dose",
    )


def _washout(request: ExperimentRequest) -> tuple[int, Literal["half-life", "clinician"]]:
    if request.washout_days is None:
        if request.clinician_washout:
            raise InvalidInput(
                "washout_days", None, "--clinician-washout needs the agreed --washout-days"
            )
        return DEFAULT_WASHOUT_DAYS, "half-life"
    if not 0 <= request.washout_days <= MAX_BLOCK_DAYS:
        raise InvalidInput("washout_days", request.washout_days, f"must be 0 to {MAX_BLOCK_DAYS}")
    if request.washout_days < DEFAULT_WASHOUT_DAYS and not request.clinician_washout:
        raise InvalidInput(
            "washout_days",
            request.washout_days,
            f"is shorter than the {DEFAULT_WASHOUT_DAYS}-day wash-out "
            f"({_washout_reason('half-life')}); add --clinician-washout if a clinician agreed "
            "the shorter one",
        )
    basis: Literal["half-life", "clinician"] = (
        "clinician" if request.washout_days < DEFAULT_WASHOUT_DAYS else "half-life"
    )
    return request.washout_days, basis


def _washout_reason(basis: str) -> str:
    if basis == "clinician":
        return "agreed with a clinician"
    return (
        f"{WASHOUT_HALF_LIVES} half-lives of mitragynine, {MITRAGYNINE_HALF_LIFE_HOURS:g} h "
        "each (Tanna 2022)"
    )


def _blocks(request: ExperimentRequest) -> int:
    size = _UNIT_SIZE[request.layout]
    if not MIN_BLOCKS <= request.blocks <= MAX_BLOCKS or request.blocks % size:
        raise InvalidInput(
            "blocks",
            request.blocks,
            f"must be a multiple of {size} from {MIN_BLOCKS} to {MAX_BLOCKS} for the "
            f"{request.layout} layout",
        )
    return request.blocks


# --------------------------------------------------------------------------- the schedule


def _bit(seed: int, unit: int) -> int:
    digest = hashlib.sha256(f"speciosa-experiment:{seed}:{unit}".encode()).digest()
    return digest[0] & 1


def block_arms(layout: str, blocks: int, choices: tuple[int, ...]) -> tuple[Arm, ...]:
    """The block conditions for one choice per randomisation unit (0 or 1)."""
    if layout == "ABAB":
        first, second = ("A", "B") if choices[0] == 0 else ("B", "A")
        return tuple(first if n % 2 == 0 else second for n in range(blocks))  # type: ignore[misc]
    patterns = _PATTERNS[layout]
    arms = "".join(patterns[c] for c in choices)
    return tuple(arms)  # type: ignore[arg-type]


def units(layout: str, blocks: int) -> int:
    """How many independent random choices the layout makes."""
    return 1 if layout == "ABAB" else blocks // _UNIT_SIZE[layout]


def arrangement_count(layout: str, blocks: int) -> int:
    return 2 ** units(layout, blocks)


def all_choices(layout: str, blocks: int) -> list[tuple[int, ...]]:
    return list(itertools.product((0, 1), repeat=units(layout, blocks)))


def draw_schedule(design: ExperimentDesign) -> tuple[Block, ...]:
    """The blocks, drawn deterministically from the design's seed."""
    choices = tuple(_bit(design.seed, u) for u in range(units(design.layout, design.blocks)))
    arms = block_arms(design.layout, design.blocks, choices)
    blocks = []
    for n, arm in enumerate(arms):
        start = design.start + timedelta(days=n * design.block_days)
        blocks.append(
            Block(
                number=n + 1,
                arm=arm,
                start=start,
                end=start + timedelta(days=design.block_days - 1),
                washout_end=start + timedelta(days=design.washout_days - 1)
                if design.washout_days
                else None,
            )
        )
    return tuple(blocks)


def _design_notes(design: ExperimentDesign) -> tuple[str, ...]:
    arrangements = arrangement_count(design.layout, design.blocks)
    floor = min(1.0, 2 / arrangements)
    outcome = OUTCOMES[design.outcome]
    notes = [
        f"{design.blocks} blocks of {design.block_days} days, {design.start} to {design.end}; "
        f"the first {design.washout_days} days of each block are a wash-out "
        f"({_washout_reason(design.washout_basis)}): follow the condition, those days are "
        "not analysed.",
        f"Schedule drawn from seed {design.seed}: the same seed always gives the same "
        "schedule, so it can be shown to a clinician.",
        f"The randomisation test re-draws the block order the same way ({arrangements} possible "
        f"orders), so its smallest possible p-value is {floor:.3g}.",
    ]
    if floor > 0.05:
        notes.append(
            "With this design the randomisation test can never reach p < 0.05; the model's "
            "interval is still reported. The 'pairs' layout with 12 or more blocks (64 orders) "
            "gives the test a chance."
        )
    measured = design.blocks * design.analysed_days_per_block
    if measured < SMALL_DESIGN_MEASURED_DAYS and design.blocks < 12:
        notes.append(
            f"Only {measured} measured days in {design.blocks} blocks: in simulation, designs "
            "this small gave slightly too narrow intervals (bench/RESULTS.md, Plans). More "
            "blocks make the answer more trustworthy."
        )
    if design.comparison in ("bedtime", "timing") and not outcome.night:
        notes.append(
            f"The {outcome.label} of the day after each night is used, so that it follows "
            "the bedtime condition."
        )
    if design.comparison == "bedtime" and design.clinician_consulted:
        notes.append(
            "You said a clinician was consulted: blocks without a bedtime dose can bring on "
            "withdrawal in someone who uses daily, and withdrawal disturbs sleep (Singh "
            "2014), which would also make those nights look worse. Log a SOWS when "
            "withdrawal feels significant, and pause the experiment if it does."
        )
    if design.washout_basis == "half-life":
        notes.append(
            "Half-life estimates differ: 23 h in chronic users sampled for only 24 h "
            "(Trakulsrichai 2015), 45.3 h after one dose (Tanna 2022), up to 67.9 h after 15 "
            "daily doses (Huestis 2024). A clinician may prefer a longer wash-out."
        )
    return tuple(notes)


# --------------------------------------------------------------------------- days


def block_on(experiment: Experiment, day: date) -> Block | None:
    return next((b for b in experiment.blocks if b.start <= day <= b.end), None)


def assignment_on(experiment: Experiment, day: date) -> Assignment:
    """Which condition ``day`` is in and what to do; the daily view builds on this."""
    design = experiment.design
    total = design.total_days
    if experiment.ended_on is not None and day >= experiment.ended_on:
        return _status(day, "ended", total, f"The experiment ended on {experiment.ended_on}.")
    if day < design.start:
        return _status(day, "not started", total, f"The experiment starts on {design.start}.")
    if day > design.end:
        return _status(
            day, "finished", total, "The experiment is complete: see the result (plan show ID)."
        )
    block = block_on(experiment, day)
    assert block is not None  # every day from start to end is in a block; not an input check
    number = (day - design.start).days + 1
    washout = block.washout_end is not None and day <= block.washout_end
    label = design.label(block.arm)
    if is_paused(experiment.pauses, day):
        return Assignment(
            day=day,
            status="paused",
            day_number=number,
            total_days=total,
            block=block.number,
            arm=block.arm,
            label=label,
            washout=washout,
            instruction="The experiment is paused; these days count as off schedule.",
        )
    when = "Tonight" if design.comparison in ("bedtime", "timing") else "Today"
    text = f"{when}: {label} (condition {block.arm}, block {block.number} of {design.blocks})."
    if washout:
        left = ((block.washout_end or day) - day).days + 1
        text += f" Wash-out: {left} day{'s' if left != 1 else ''} left before measuring counts."
    text += f" Log your {OUTCOMES[design.outcome].label} as usual."
    return Assignment(
        day=day,
        status="running",
        day_number=number,
        total_days=total,
        block=block.number,
        arm=block.arm,
        label=label,
        washout=washout,
        instruction=text,
    )


def _status(day: date, status: str, total: int, text: str) -> Assignment:
    return Assignment(
        day=day,
        status=status,
        day_number=None,
        total_days=total,
        block=None,
        arm=None,
        label=None,
        washout=False,
        instruction=text,
    )


# --------------------------------------------------------------------------- changes


def pause(experiment: Experiment, *, day: date, now: datetime, reason: str = "") -> Experiment:
    _check_open(experiment)
    detail = "paused; paused days count as off schedule" + (f" ({reason})" if reason else "")
    return experiment.model_copy(
        update={
            "pauses": add_pause(experiment.pauses, day, reason),
            "history": (*experiment.history, _event(now, day, "paused", detail)),
        }
    )


def resume(experiment: Experiment, *, day: date, now: datetime, reason: str = "") -> Experiment:
    _check_open(experiment)
    detail = "resumed; the schedule keeps its dates" + (f" ({reason})" if reason else "")
    return experiment.model_copy(
        update={
            "pauses": close_pause(experiment.pauses, day),
            "history": (*experiment.history, _event(now, day, "resumed", detail)),
        }
    )


def end(experiment: Experiment, *, day: date, now: datetime, reason: str = "") -> Experiment:
    _check_open(experiment)
    pauses = close_pause(experiment.pauses, day) if open_pause(experiment.pauses) else None
    detail = "ended" + (f" ({reason})" if reason else "")
    return experiment.model_copy(
        update={
            "ended_on": day,
            "pauses": pauses if pauses is not None else experiment.pauses,
            "history": (*experiment.history, _event(now, day, "ended", detail)),
        }
    )


def refuse_change(experiment: Experiment) -> None:
    """A running experiment's design cannot change: it would break its randomisation."""
    raise Conflict(
        "plan: an experiment's design cannot change once drawn (it would break the "
        "randomisation); end it (speciosa plan end ID) and design a new one"
    )


def _check_open(experiment: Experiment) -> None:
    if experiment.ended_on is not None:
        raise Conflict(f"plan: it ended on {experiment.ended_on}")


def _event(now: datetime, day: date, action: str, detail: str) -> HistoryEvent:
    return HistoryEvent(at=now, day=day, action=action, detail=detail, version=1)
