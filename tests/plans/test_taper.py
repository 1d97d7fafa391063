"""Taper arithmetic: baselines from the log, steps, rounding to units, pauses and changes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from speciosa.errors import Conflict, InvalidInput
from speciosa.journal.models import Product
from speciosa.journal.units import Unit
from speciosa.knowledge.language import recommends_amount
from speciosa.plans.base import measure_for
from speciosa.plans.taper import (
    TaperChange,
    TaperRequest,
    TaperTarget,
    change,
    design_taper,
    end,
    pause,
    planned_on,
    resume,
    taper_steps,
)
from speciosa.plans.usage import recent_use

from .conftest import NOW, TODAY, daily_doses

GRAMS = measure_for(Unit.GRAM, None)
CAPS = Product(name="Red", grams_per_capsule=0.5, grams_per_teaspoon=2.5)


def use_of(days: int = 30, *, months: float | None = None, **kwargs: object):  # type: ignore[no-untyped-def]
    doses = daily_doses(days, **kwargs)  # type: ignore[arg-type]
    return recent_use(
        doses, today=TODAY, journal_start=TODAY - timedelta(days=days), stated_months=months
    )


def test_baseline_is_the_mean_of_the_last_14_complete_days() -> None:
    # 3 doses of 2 g on 12 of the 14 days: 72 g / 14 days; today is left out.
    use = use_of(30, skip=frozenset({3, 5}))
    assert use.days == 14
    assert use.first_day == TODAY - timedelta(days=14)
    assert use.last_day == TODAY - timedelta(days=1)
    assert use.grams_per_day == pytest.approx(72 / 14)
    assert use.doses_per_day == pytest.approx(36 / 14)
    assert use.use_days == 12


def test_baseline_needs_a_week_of_journal() -> None:
    doses = daily_doses(5)
    with pytest.raises(InvalidInput) as info:
        recent_use(doses, today=TODAY, journal_start=TODAY - timedelta(days=5))
    assert info.value.field == "journal"


def test_stop_after_long_daily_use_needs_a_clinician() -> None:
    use = use_of(40)
    with pytest.raises(InvalidInput) as info:
        design_taper(
            TaperRequest(target=TaperTarget(kind="stop")),
            use=use,
            measure=GRAMS,
            today=TODAY,
            now=NOW,
        )
    assert info.value.field == "clinician_consulted"
    assert "clinician" in str(info.value)
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="stop")),
        use=use,
        measure=GRAMS,
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    assert plan.current.steps[-1].grams == 0


def test_stop_after_short_occasional_use_is_allowed_without_acknowledgement() -> None:
    # Use on 10 of 14 days (not daily), stated 2 months.
    use = use_of(20, months=2, skip=frozenset({2, 4, 6, 8}))
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="stop")),
        use=use,
        measure=GRAMS,
        today=TODAY,
        now=NOW,
    )
    assert plan.current.steps[-1].grams == 0


def test_default_pace_is_slower_for_longer_use() -> None:
    long = design_taper(
        TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3)),
        use=use_of(40),  # duration unknown: treated as a year or more
        measure=GRAMS,
        today=TODAY,
        now=NOW,
        clinician_consulted=True,  # months of daily use: any taper asks for a clinician
    )
    short = design_taper(
        TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3)),
        use=use_of(40, months=2),
        measure=GRAMS,
        today=TODAY,
        now=NOW,
    )
    assert long.current.settings.rule.kind == "percent"
    assert long.current.settings.rule.percent == 10
    assert long.current.settings.rule.every_days == 30
    # Short use: 10% of the starting 6 g (0.6 g) a week.
    assert short.current.settings.rule.kind == "fixed"
    assert short.current.settings.rule.grams == pytest.approx(0.6)
    assert short.current.settings.rule.every_days == 7
    for plan in (long, short):
        assert any("by analogy" in note for note in plan.current.notes)


def test_percent_steps_round_up_to_whole_capsules_and_merge() -> None:
    # 6 g/day, 10% of the current amount per week, capsules of 0.5 g, to 3 g.
    # Exact path 5.4, 4.86, 4.374, 3.937, 3.543, 3.189, 3.0 -> rounded up to whole
    # capsules: 5.5, 5.0, 4.5, 4.0, 4.0 (merged: 14 days), 3.5, 3.0.
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3), percent=10, every_days=7),
        use=use_of(30),
        measure=measure_for(Unit.CAPSULE, CAPS),
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    steps = plan.current.steps
    assert [s.grams for s in steps] == [5.5, 5.0, 4.5, 4.0, 3.5, 3.0]
    assert [s.days for s in steps] == [7, 7, 7, 14, 7, None]
    assert [s.first_active_day for s in steps] == [0, 7, 14, 21, 35, 42]
    assert plan.current.settings.measure.describe(5.5) == "11 caps of Red (5.5 g)"
    assert any("faster than the default" in note for note in plan.current.notes)


def test_fixed_steps_and_a_teaspoon_measure() -> None:
    # 6 g/day, 1 g less every 10 days, half-teaspoons of 2.5 g (1.25 g), to stop.
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="stop"), fixed_grams=1, every_days=10),
        use=use_of(30),
        measure=measure_for(Unit.TEASPOON, CAPS, 0.5),
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    # Exact 5, 4, 3, 2, 1 (< one measure of 1.25 g -> 0 when stopping):
    # rounded up to 1.25 g: 5, 5 (4 -> 5.0), 3.75, 2.5, 0.
    assert [s.grams for s in plan.current.steps] == [5.0, 3.75, 2.5, 0.0]
    assert [s.days for s in plan.current.steps] == [20, 10, 10, None]
    assert plan.current.settings.measure.describe(3.75) == "1.5 tsp of Red (3.75 g)"


def test_fewer_doses_target_keeps_the_amount() -> None:
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="doses", doses_per_day=1), every_days=14),
        use=use_of(30),
        measure=GRAMS,
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    assert [(s.grams, s.doses_per_day) for s in plan.current.steps] == [(6.0, 2), (6.0, 1)]


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (TaperTarget(kind="amount", grams_per_day=7), "target_grams"),  # above recent use
        (TaperTarget(kind="amount"), "target_grams"),  # no grams given
        (TaperTarget(kind="doses", doses_per_day=3), "target_doses"),  # not fewer
    ],
)
def test_targets_must_be_below_recent_use(target: TaperTarget, field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        design_taper(
            TaperRequest(target=target), use=use_of(30), measure=GRAMS, today=TODAY, now=NOW
        )
    assert info.value.field == field


def test_step_sizes_are_bounded() -> None:
    with pytest.raises(InvalidInput) as info:
        design_taper(
            TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3), percent=60),
            use=use_of(30),
            measure=GRAMS,
            today=TODAY,
            now=NOW,
        )
    assert info.value.field == "percent"


def test_capsules_need_the_products_weight() -> None:
    with pytest.raises(InvalidInput) as info:
        measure_for(Unit.CAPSULE, Product(name="Loose"))
    assert info.value.field == "product"


def _weekly_plan():  # type: ignore[no-untyped-def]
    return design_taper(
        TaperRequest(
            target=TaperTarget(kind="amount", grams_per_day=3), fixed_grams=1, every_days=7
        ),
        use=use_of(30),
        measure=GRAMS,
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )


def test_planned_amount_day_by_day() -> None:
    plan = _weekly_plan()  # 5, 4, 3 g, a week each
    assert planned_on(plan, TODAY - timedelta(days=1)).status == "not started"
    assert planned_on(plan, TODAY).grams == 5
    assert planned_on(plan, TODAY + timedelta(days=6)).grams == 5
    day7 = planned_on(plan, TODAY + timedelta(days=7))
    assert (day7.grams, day7.step, day7.step_started) == (4, 2, TODAY + timedelta(days=7))
    assert planned_on(plan, TODAY).next_change == TODAY + timedelta(days=7)
    final = planned_on(plan, TODAY + timedelta(days=40))
    assert (final.grams, final.status) == (3, "at target")


def test_a_pause_holds_the_amount_and_moves_later_steps_back() -> None:
    plan = _weekly_plan()
    paused = pause(plan, day=TODAY + timedelta(days=3), now=NOW, reason="bad week")
    during = planned_on(paused, TODAY + timedelta(days=8))
    assert (during.status, during.grams) == ("paused", 5)
    resumed = resume(paused, day=TODAY + timedelta(days=13), now=NOW)
    # 10 days paused: the 4 g step starts on day 17 instead of day 7.
    assert planned_on(resumed, TODAY + timedelta(days=16)).grams == 5
    assert planned_on(resumed, TODAY + timedelta(days=17)).grams == 4
    assert [e.action for e in resumed.history] == ["created", "paused", "resumed"]
    assert resumed.pauses[0].end == TODAY + timedelta(days=13)
    with pytest.raises(Conflict):
        resume(resumed, day=TODAY + timedelta(days=14), now=NOW)
    with pytest.raises(Conflict):
        pause(paused, day=TODAY + timedelta(days=5), now=NOW)


def test_a_change_adds_a_version_and_keeps_the_old_one() -> None:
    plan = _weekly_plan()
    day = TODAY + timedelta(days=8)  # in the 4 g step
    slower = change(plan, TaperChange(every_days=14, reason="withdrawal"), day=day, now=NOW)
    assert [v.number for v in slower.versions] == [1, 2]
    assert slower.versions[0] == plan.versions[0]  # untouched
    # The new version holds today's 4 g for 14 days, then 3 g.
    assert [s.grams for s in slower.current.steps] == [4, 3]
    assert slower.current.steps[0].days == 14
    assert planned_on(slower, day + timedelta(days=13)).grams == 4
    assert planned_on(slower, day + timedelta(days=14)).grams == 3
    # Before the change, the old version still answers.
    assert planned_on(slower, TODAY + timedelta(days=2)).grams == 5
    assert slower.history[-1].action == "changed"
    assert "withdrawal" in slower.history[-1].detail


def test_a_change_can_go_one_step_back() -> None:
    plan = _weekly_plan()
    day = TODAY + timedelta(days=8)
    back = change(plan, TaperChange(back_one_step=True), day=day, now=NOW)
    assert planned_on(back, day).grams == 5


def test_changing_the_target_to_stop_checks_for_a_clinician() -> None:
    # Two months of daily use, a lower amount at the default pace: no clinician asked yet.
    plan = design_taper(
        TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3)),
        use=use_of(30, months=2),
        measure=GRAMS,
        today=TODAY,
        now=NOW,
    )
    assert not plan.clinician_consulted
    with pytest.raises(InvalidInput) as info:
        change(plan, TaperChange(target=TaperTarget(kind="stop")), day=TODAY, now=NOW)
    assert info.value.field == "clinician_consulted"
    stopped = change(
        plan,
        TaperChange(target=TaperTarget(kind="stop")),
        day=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    assert stopped.clinician_consulted


def test_an_ended_plan_cannot_change() -> None:
    plan = end(_weekly_plan(), day=TODAY + timedelta(days=2), now=NOW)
    assert planned_on(plan, TODAY + timedelta(days=3)).status == "ended"
    with pytest.raises(Conflict):
        pause(plan, day=TODAY + timedelta(days=3), now=NOW)


def test_every_amount_derives_from_the_log_and_the_target() -> None:
    """Scaling the logged use scales every planned amount: no amount is built in."""
    measure = measure_for(Unit.GRAM, None, 0.01)
    plans = []
    for factor in (1.0, 3.0):
        doses = daily_doses(30, per_day=(2.0 * factor, 2.0 * factor, 2.0 * factor))
        use = recent_use(doses, today=TODAY, journal_start=TODAY - timedelta(days=30))
        plan = design_taper(
            TaperRequest(target=TaperTarget(kind="amount", grams_per_day=3.0 * factor)),
            use=use,
            measure=measure,
            today=TODAY,
            now=NOW,
            clinician_consulted=True,
        )
        plans.append([s.grams for s in plan.current.steps])
    low, high = plans
    assert len(low) == len(high)
    for a, b in zip(low, high, strict=True):
        assert b == pytest.approx(3 * a, abs=0.03)


def test_steps_always_come_down_and_end_on_the_target() -> None:
    for percent in (5.0, 10.0, 25.0, 50.0):
        for step in (0.25, 0.5, 1.0):
            settings = design_taper(
                TaperRequest(target=TaperTarget(kind="stop"), percent=percent, every_days=7),
                use=use_of(30),
                measure=measure_for(Unit.GRAM, None, step),
                today=TODAY,
                now=NOW,
                clinician_consulted=True,
            ).current.settings
            grams = [s.grams for s in taper_steps(settings)]
            assert grams == sorted(grams, reverse=True)
            assert len(set(grams)) == len(grams)
            assert grams[-1] == 0
            assert all(round(g / step, 6).is_integer() for g in grams)


# --------------------------------------------------------------------------- clinician gates

STOP = TaperTarget(kind="stop")
AMOUNT = TaperTarget(kind="amount", grams_per_day=3)
DOSES = TaperTarget(kind="doses", doses_per_day=1)


@pytest.mark.parametrize("target", [STOP, AMOUNT, DOSES], ids=["stop", "amount", "doses"])
@pytest.mark.parametrize(
    "months",
    [None, 6.0],  # unknown (the log began with daily use) counts as long; 6 months stated
    ids=["unknown", "6-months"],
)
def test_any_target_after_months_of_daily_use_needs_a_clinician(
    target: TaperTarget, months: float | None
) -> None:
    use = use_of(30, months=months)
    with pytest.raises(InvalidInput) as info:
        design_taper(TaperRequest(target=target), use=use, measure=GRAMS, today=TODAY, now=NOW)
    assert info.value.field == "clinician_consulted"
    message = str(info.value)
    assert "daily or nearly daily for 3 months" in message
    assert "withdrawal" in message
    assert "--clinician-consulted" in message
    assert recommends_amount(message) is None
    assert re.search(r"\d\s*g\b", message) is None  # says why, never an amount
    plan = design_taper(
        TaperRequest(target=target),
        use=use,
        measure=GRAMS,
        today=TODAY,
        now=NOW,
        clinician_consulted=True,
    )
    assert plan.clinician_consulted


def test_weeks_of_daily_use_gate_only_a_stop() -> None:
    # Daily for 2 stated months: under 3 months, so a lower amount is not gated; a stop is
    # (daily for 28 days or more).
    use = use_of(30, months=2)
    assert use.long_daily(TODAY)
    assert not use.daily_for_months(TODAY)
    plan = design_taper(TaperRequest(target=AMOUNT), use=use, measure=GRAMS, today=TODAY, now=NOW)
    assert not plan.clinician_consulted
    with pytest.raises(InvalidInput) as info:
        design_taper(TaperRequest(target=STOP), use=use, measure=GRAMS, today=TODAY, now=NOW)
    assert info.value.field == "clinician_consulted"
    assert "stopping after long daily use" in str(info.value)


@pytest.mark.parametrize(
    "pace",
    [
        {"percent": 25.0},  # 25% a week against the default 10% of the start a week
        {"fixed_grams": 1.5},  # 1.5 g a week from 6 g
        {"every_days": 3},  # the default step, every 3 days instead of 7
    ],
    ids=["percent", "fixed", "every"],
)
def test_a_pace_faster_than_the_default_needs_a_clinician(pace: dict[str, float]) -> None:
    use = use_of(30, months=2)  # daily, under 3 months: only the pace is gated
    request = TaperRequest(target=AMOUNT, **pace)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput) as info:
        design_taper(request, use=use, measure=GRAMS, today=TODAY, now=NOW)
    assert info.value.field == "clinician_consulted"
    message = str(info.value)
    assert "faster than the default pace" in message
    assert "10% of your starting amount every 7 days" in message
    assert "0.6 g" not in message  # the default's step is told as a share, never as grams
    assert recommends_amount(message) is None
    plan = design_taper(
        request, use=use, measure=GRAMS, today=TODAY, now=NOW, clinician_consulted=True
    )
    assert any("faster than the default" in note for note in plan.current.notes)


def test_the_default_pace_and_slower_are_not_gated() -> None:
    use = use_of(30, months=2)
    for request in (
        TaperRequest(target=AMOUNT),
        TaperRequest(target=AMOUNT, every_days=14),
        TaperRequest(target=AMOUNT, percent=10, every_days=7),  # 10% of the current amount
    ):
        plan = design_taper(request, use=use, measure=GRAMS, today=TODAY, now=NOW)
        assert not plan.clinician_consulted


def test_changing_to_a_faster_pace_needs_a_clinician() -> None:
    plan = design_taper(
        TaperRequest(target=AMOUNT), use=use_of(30, months=2), measure=GRAMS, today=TODAY, now=NOW
    )
    day = TODAY + timedelta(days=8)
    with pytest.raises(InvalidInput) as info:
        change(plan, TaperChange(every_days=3), day=day, now=NOW)
    assert info.value.field == "clinician_consulted"
    slower = change(plan, TaperChange(every_days=14), day=day, now=NOW)
    assert slower.current.settings.rule.every_days == 14
    faster = change(plan, TaperChange(every_days=3), day=day, now=NOW, clinician_consulted=True)
    assert faster.clinician_consulted


def test_a_non_daily_user_is_not_gated() -> None:
    # Use on 10 of 14 days (not daily) for an unknown time: a stop at a fast pace is the
    # person's own choice.
    use = use_of(30, skip=frozenset({2, 4, 6, 8}))
    assert not use.daily
    for target in (STOP, AMOUNT):
        plan = design_taper(
            TaperRequest(target=target, percent=50, every_days=3),
            use=use,
            measure=GRAMS,
            today=TODAY,
            now=NOW,
        )
        assert not plan.clinician_consulted
