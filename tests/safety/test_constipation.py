"""Constipation: the Rome IV-style pattern over 4 weeks (or the days a younger diary covers),
and the OIC-style analogy after a dose increase (which replaces the plain alert for the same
diary)."""

from __future__ import annotations

import pytest

from .builders import Journal
from .helpers import alerts_for, only


def _diary(journal: Journal, days: range, hard_days: set[int]) -> list[int]:
    """One movement a day at 08:00; on ``hard_days`` it is Bristol 1 with straining."""
    ids = []
    for d in days:
        hard = d in hard_days
        movement = journal.bowel(d, "08:00", 1 if hard else 4, straining=hard)
        if hard:
            ids.append(movement)
    return ids


@pytest.mark.parametrize(
    ("hard", "fires"),
    [
        (7, False),  # 7 of 28 = exactly 25%: Rome IV needs *more than* 25%
        (8, True),  # 8 of 28 = 28.6%: hard stools and straining, two features
    ],
)
def test_rome_iv_share_boundary(hard: int, fires: bool) -> None:
    journal = Journal()
    journal.daily(range(28))
    ids = _diary(journal, range(28), set(range(hard)))
    found = alerts_for(journal.window(), "constipation")
    assert [a.rule_id for a in found] == (["constipation_pattern"] if fires else [])
    if fires:
        assert found[0].entry_ids == tuple(ids)  # the movements showing the features
        assert found[0].severity.value == "caution"
        assert "rome-iv-2016" in found[0].source_ids
        assert not found[0].analogy


@pytest.mark.parametrize(("movements", "fires"), [(5, False), (6, True)])
def test_a_diary_needs_six_movements_in_four_weeks(movements: int, fires: bool) -> None:
    journal = Journal()
    journal.daily(range(28))
    days = range(27, 27 - 5 * movements, -5)  # spread over the 4 weeks: days 27, 22, 17...
    _diary(journal, days, set(days))  # all hard, with straining
    assert bool(alerts_for(journal.window(), "constipation_pattern")) is fires


def test_no_kratom_in_the_window_means_no_alert() -> None:
    journal = Journal()
    journal.dose(40)
    _diary(journal, range(28), set(range(28)))
    assert alerts_for(journal.window(), "constipation") == []


def _increase(after_grams: float) -> tuple[Journal, list[int]]:
    """4 weeks at 2.5 g/day with a normal diary, then 4 weeks at ``after_grams`` with
    hard stools on 10 of 28 days."""
    journal = Journal()
    journal.daily(range(55, 27, -1), grams=2.5)
    _diary(journal, range(55, 27, -1), set())
    journal.daily(range(27, -1, -1), grams=after_grams)
    return journal, _diary(journal, range(28), set(range(10)))


def test_new_pattern_after_a_dose_increase_is_an_oic_style_analogy() -> None:
    journal, hard = _increase(after_grams=3.0)  # (3.0 - 2.5) / 2.5 = exactly 20% more
    alert = only(journal.window(), "constipation")
    assert alert.rule_id == "constipation_after_increase"
    assert alert.analogy
    assert "By analogy only" in alert.explanation
    assert set(hard) <= set(alert.entry_ids)  # the hard movements, and the doses after


def test_a_smaller_increase_gives_the_plain_pattern_alert() -> None:
    journal, _ = _increase(after_grams=2.9)  # 16% more: below the 20% increase
    assert [a.rule_id for a in alerts_for(journal.window(), "constipation")] == [
        "constipation_pattern"
    ]


# --- a young diary is read over the days it covers -------------------------------------------


def _young_diary(straining_on: int, hard: tuple[int, ...] = (1, 2)) -> Journal:
    """14 days of journal: daily doses, 8 movements; straining on the first ``straining_on``,
    and the Bristol types in ``hard`` on the next ones."""
    journal = Journal()
    journal.daily(range(13, -1, -1))
    days = [13, 11, 10, 8, 6, 4, 2, 0]
    bristol = [4] * 8
    for offset, value in enumerate(hard):
        bristol[straining_on + offset] = value
    for index, day in enumerate(days):
        journal.bowel(day, "08:00", bristol[index], straining=index < straining_on)
    return journal


def test_eight_movements_in_a_two_week_diary_are_not_two_a_week() -> None:
    # 8 movements in 14 days, straining on 3 of 8, Bristol 1 and 2 once each: straining is
    # the only feature (hard stools are 2 of 8 = 25%, not more; 4.1 a week, not fewer than 3)
    journal = _young_diary(straining_on=3)
    assert alerts_for(journal.window(), "constipation") == []


def test_the_same_movements_over_four_weeks_are_few() -> None:
    journal = _young_diary(straining_on=3)
    journal.bowel(27, "08:00", 4)  # a first movement four weeks ago: the diary covers 28 days
    journal.daily(range(27, 13, -1))
    alert = only(journal.window(), "constipation_pattern")
    assert "fewer than 3 spontaneous bowel movements a week" in alert.explanation
    assert "This rests on 28 days of bowel diary" in alert.explanation


def test_a_young_diary_pattern_says_how_many_days_it_rests_on() -> None:
    journal = _young_diary(straining_on=4, hard=(1, 1, 2))  # straining 4/8, hard 3/8
    alert = only(journal.window(), "constipation_pattern")
    assert "This rests on 14 days of bowel diary (since 2026-03-07), 8 bowel movements." in (
        alert.explanation
    )


def test_a_diary_younger_than_a_week_gives_no_answer() -> None:
    journal = Journal()
    journal.daily(range(6, -1, -1))
    _diary(journal, range(6, -1, -1), set(range(7)))  # 7 hard movements in 6.7 days
    assert alerts_for(journal.window(), "constipation") == []
