"""The Insights summary: intervals in words, outcomes that say the same thing on one line,
what is missing worked out from each answer's reason, and held-back answers set apart."""

from __future__ import annotations

from dataclasses import replace

from speciosa.insights.results import Effect, InsightReport
from speciosa.insights.summary import interval_in_words, summarise

BASE = Effect(
    question="dose_vs_none",
    outcome="sol",
    exposure="bedtime dose",
    estimate=-5.6,
    ci_low=-10.2,
    ci_high=-1.0,
    unit="min",
    n_exposed=59,
    n_unexposed=90,
    method="OLS with HAC errors",
    sentence="On nights with a bedtime dose your time to fall asleep was 5.6 min shorter.",
    enough_data=True,
    label="time to fall asleep",
)


def _report(*effects: Effect) -> InsightReport:
    return InsightReport(effects, "2026-06-05", "2026-12-01", 180, 180, ("sol", "pain"))


def test_intervals_in_words_on_either_side_of_no_difference() -> None:
    assert interval_in_words(BASE) == "probably between 1 and 10.2 min lower"
    higher = replace(BASE, estimate=8.0, ci_low=3.04, ci_high=14.0)
    assert interval_in_words(higher) == "probably between 3 and 14 min higher"
    straddles = replace(BASE, estimate=1.0, ci_low=-2.5, ci_high=4.0)
    assert interval_in_words(straddles) == "anywhere from 2.5 min lower to 4 min higher"


def test_found_answers_come_first_strongest_first() -> None:
    weak = replace(BASE, outcome="waso", label="time awake", ci_low=-4.0, ci_high=-0.1)
    strong = replace(BASE, clinically_important=True)
    summary = summarise(_report(weak, strong))
    assert [e for e, _ in summary.found] == [strong, weak]
    assert summary.found[0][1] == (
        "Time to fall asleep: probably between 1 and 10.2 min lower with a dose than without."
    )


def test_outcomes_that_wait_for_the_same_days_share_one_line() -> None:
    def waiting(outcome: str, label: str, question: str) -> Effect:
        return replace(
            BASE,
            outcome=outcome,
            label=label,
            question=question,  # type: ignore[arg-type]
            enough_data=False,
            estimate=None,
            ci_low=None,
            ci_high=None,
            reason="not enough data yet: 12 days without a dose, need 14",
        )

    summary = summarise(
        _report(
            waiting("pain", "pain", "dose_vs_none"),
            waiting("pain", "pain", "dose_band"),
            waiting("fatigue", "fatigue", "dose_vs_none"),
            waiting("fatigue", "fatigue", "dose_band"),
        )
    )
    assert len(summary.waiting) == 1  # not four "not enough data" lines
    line = summary.waiting[0]
    assert line.outcome == "Pain, fatigue"
    assert line.text == "with a dose or without, by amount: needs 2 more days without a dose"
    assert summary.found == ()


def test_held_back_answers_are_set_apart_and_never_listed_as_waiting() -> None:
    held = replace(BASE, question="tolerance", withheld=True, enough_data=False, reason="held")
    unclear = replace(BASE, question="dose_response", ci_low=-1.0, ci_high=2.0)
    summary = summarise(_report(held, unclear))
    assert summary.held_back == ("time to fall asleep",)
    assert summary.waiting == ()
    assert summary.found == ()
    assert summary.unclear[0].text == "no clear difference yet (with each extra gram)"
