"""Experiment schedules: the same seed gives the same schedule; impossible designs are refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from speciosa.errors import Conflict, InvalidInput
from speciosa.journal.models import Profile
from speciosa.knowledge.language import recommends_amount
from speciosa.plans.constants import DEFAULT_WASHOUT_DAYS
from speciosa.plans.experiment import (
    ExperimentRequest,
    arrangement_count,
    assignment_on,
    design_experiment,
    end,
    pause,
    refuse_change,
    resume,
)
from speciosa.plans.usage import RecentUse, use_for_gates

from .conftest import NOW, PROFILE, TODAY, daily_doses


def design(**changes: object):  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {"comparison": "bedtime", "outcome": "sol", "seed": 11}
    fields.update(changes)
    return design_experiment(
        ExperimentRequest(**fields),  # type: ignore[arg-type]
        profile=PROFILE,
        today=TODAY,
        now=NOW,
    )


def test_default_washout_is_five_half_lives_of_mitragynine() -> None:
    # 5 × 45.3 h (Tanna 2022) = 226.5 h = 9.4 days -> 10 whole days.
    assert DEFAULT_WASHOUT_DAYS == 10
    experiment = design()
    assert experiment.design.washout_days == 10
    assert experiment.design.block_days == 17  # wash-out + a measured week
    assert experiment.design.start == TODAY + timedelta(days=1)


def test_the_same_seed_gives_the_same_schedule() -> None:
    first = [(b.arm, b.start) for b in design(seed=123).blocks]
    again = [(b.arm, b.start) for b in design(seed=123).blocks]
    assert first == again
    others = {tuple(b.arm for b in design(seed=s).blocks) for s in range(40)}
    assert len(others) > 4  # seeds do change the order


def test_pinned_schedule_for_seed_7() -> None:
    # Pinned so a schedule shown to a clinician can be re-drawn by any later version.
    arms = "".join(b.arm for b in design(seed=7).blocks)
    assert arms == "BAABBAAB"


@pytest.mark.parametrize(
    ("layout", "blocks", "orders"),
    [("pairs", 8, 16), ("pairs", 12, 64), ("ABBA", 8, 4), ("ABAB", 6, 2)],
)
def test_layouts_keep_their_rule(layout: str, blocks: int, orders: int) -> None:
    assert arrangement_count(layout, blocks) == orders
    for seed in range(20):
        arms = "".join(b.arm for b in design(layout=layout, blocks=blocks, seed=seed).blocks)
        assert arms.count("A") == arms.count("B")
        if layout == "pairs":
            assert all(arms[i] != arms[i + 1] for i in range(0, blocks, 2))
        if layout == "ABBA":
            assert all(arms[i : i + 4] in ("ABBA", "BAAB") for i in range(0, blocks, 4))
        if layout == "ABAB":
            assert arms in ("AB" * (blocks // 2), "BA" * (blocks // 2))


def test_blocks_are_contiguous_with_washouts_first() -> None:
    experiment = design(blocks=4, block_days=14)
    for before, after in zip(experiment.blocks, experiment.blocks[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)
    first = experiment.blocks[0]
    assert first.washout_end == first.start + timedelta(days=9)
    assert assignment_on(experiment, first.start).washout
    assert not assignment_on(experiment, first.start + timedelta(days=10)).washout


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"block_days": 12}, "block_days", "wash-out"),  # 10-day wash-out + 3 measured = 13
        ({"washout_days": 3}, "washout_days", "clinician"),  # shorter, not agreed
        ({"blocks": 6, "layout": "ABBA"}, "blocks", "multiple of 4"),
        ({"blocks": 2}, "blocks", "from 4"),
        ({"end": TODAY + timedelta(days=60)}, "end", "needs 136 days"),
        ({"outcome": "headache"}, "outcome", "relevant"),
        ({"comparison": "timing", "minutes_a": 60}, "minutes_b", "both"),
        ({"comparison": "timing", "minutes_a": 60, "minutes_b": 90}, "minutes_b", "differ"),
        ({"comparison": "product", "product_a": "X", "product_b": "X"}, "product_b", "different"),
        ({"start": TODAY - timedelta(days=1)}, "start", "today or later"),
    ],
)
def test_designs_that_cannot_work_are_refused_with_the_reason(
    changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as info:
        design(**changes)
    assert info.value.field == field
    assert words in str(info.value)


def test_a_clinician_agreed_shorter_washout_is_explicit() -> None:
    experiment = design(washout_days=2, clinician_washout=True, block_days=7, blocks=12)
    assert experiment.design.washout_basis == "clinician"
    assert experiment.design.total_days == 84
    assert any("agreed with a clinician" in note for note in experiment.notes)


def test_the_randomisation_floor_is_stated() -> None:
    small = design(blocks=4)
    assert any("can never reach p < 0.05" in note for note in small.notes)
    big = design(blocks=12, washout_days=2, clinician_washout=True, block_days=7)
    assert not any("can never reach" in note for note in big.notes)


def test_each_day_says_which_condition() -> None:
    experiment = design(washout_days=2, clinician_washout=True, block_days=7, blocks=4)
    block = experiment.blocks[1]
    today = assignment_on(experiment, block.start + timedelta(days=3))
    assert today.status == "running"
    assert today.arm == block.arm
    assert today.block == 2
    assert experiment.design.label(block.arm) in today.instruction
    assert assignment_on(experiment, experiment.design.end + timedelta(days=1)).status == "finished"


def test_day_outcomes_follow_the_night_for_bedtime_experiments() -> None:
    profile = Profile(conditions=("chronic_pain",))
    experiment = design_experiment(
        ExperimentRequest(comparison="bedtime", outcome="pain", seed=1),
        profile=profile,
        today=TODAY,
        now=NOW,
    )
    assert any("day after each night" in note for note in experiment.notes)


def test_pause_resume_end_and_no_change() -> None:
    experiment = design()
    day = experiment.design.start + timedelta(days=2)
    paused = pause(experiment, day=day, now=NOW)
    assert assignment_on(paused, day).status == "paused"
    resumed = resume(paused, day=day + timedelta(days=1), now=NOW)
    assert assignment_on(resumed, day + timedelta(days=1)).status == "running"
    with pytest.raises(Conflict):
        refuse_change(resumed)
    ended = end(resumed, day=day + timedelta(days=2), now=NOW)
    assert assignment_on(ended, day + timedelta(days=2)).status == "ended"
    assert [e.action for e in ended.history] == ["created", "paused", "resumed", "ended"]


def test_start_date_is_respected() -> None:
    start = date(2026, 4, 1)
    experiment = design(start=start)
    assert experiment.blocks[0].start == start


# --------------------------------------------------------------------------- clinician gate


def _use(days: int = 30, **kwargs: object) -> RecentUse:
    use = use_for_gates(
        daily_doses(days, **kwargs),  # type: ignore[arg-type]
        today=TODAY,
        journal_start=TODAY - timedelta(days=days),
    )
    assert use is not None
    return use


def test_bedtime_on_off_for_a_daily_user_needs_a_clinician() -> None:
    use = _use()
    request = ExperimentRequest(comparison="bedtime", outcome="sol", seed=11)
    with pytest.raises(InvalidInput) as info:
        design_experiment(request, profile=PROFILE, today=TODAY, now=NOW, use=use)
    assert info.value.field == "clinician_consulted"
    message = str(info.value)
    assert "14 of the last 14 days" in message
    assert "withdrawal" in message
    assert "--clinician-consulted" in message
    assert recommends_amount(message) is None
    agreed = design_experiment(
        request.model_copy(update={"clinician_consulted": True}),
        profile=PROFILE,
        today=TODAY,
        now=NOW,
        use=use,
    )
    assert agreed.design.clinician_consulted
    assert any("clinician was consulted" in note for note in agreed.notes)


def test_other_comparisons_and_non_daily_users_are_not_gated() -> None:
    daily = _use()
    timing = ExperimentRequest(
        comparison="timing", outcome="sol", minutes_a=60, minutes_b=180, seed=11
    )
    assert not design_experiment(
        timing, profile=PROFILE, today=TODAY, now=NOW, use=daily
    ).design.clinician_consulted
    bedtime = ExperimentRequest(comparison="bedtime", outcome="sol", seed=11)
    occasional = _use(skip=frozenset({2, 4, 6, 8}))  # 10 of 14 days
    assert not occasional.daily
    design_experiment(bedtime, profile=PROFILE, today=TODAY, now=NOW, use=occasional)
    design_experiment(bedtime, profile=PROFILE, today=TODAY, now=NOW, use=None)


def test_use_for_gates_never_refuses() -> None:
    assert use_for_gates([], today=TODAY, journal_start=None) is None
    short = daily_doses(5)
    assert use_for_gates(short, today=TODAY, journal_start=TODAY - timedelta(days=5)) is None
    old = daily_doses(40)[-9:]  # doses only before the 14-day window
    assert use_for_gates(old, today=TODAY, journal_start=TODAY - timedelta(days=40)) is None
    unweighed = [d.model_copy(update={"grams": None}) for d in daily_doses(20)]
    use = use_for_gates(unweighed, today=TODAY, journal_start=TODAY - timedelta(days=20))
    assert use is not None
    assert use.daily
    assert use.unweighed_doses == 42
