"""ICHD-3 8.2.4-style watch: >= 10 use days a month for > 3 months; headache >= 15 days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from speciosa.instruments.errors import InstrumentInputError
from speciosa.instruments.headache import PeriodCounts, monthly_counts, overuse_watch


def months(
    use: list[int], headache: list[int], first: date = date(2024, 1, 1)
) -> list[PeriodCounts]:
    """Consecutive calendar months from `first` with the given counts."""
    out = []
    start = first
    for u, h in zip(use, headache, strict=True):
        end = (start + timedelta(days=32)).replace(day=1)
        out.append(PeriodCounts(start, end, headache_days=h, use_days=u))
        start = end
    return out


def test_four_months_of_frequent_use_with_15_headache_days_meet_the_pattern() -> None:
    watch = overuse_watch(months([12, 10, 11, 10], [5, 8, 10, 15]))
    assert [p.use_run for p in watch.periods] == [1, 2, 3, 4]
    assert watch.longest_use_run == 4
    assert watch.current_use_run == 4
    assert watch.sustained_frequent_use  # 4 > 3
    assert watch.pattern_met  # month 4 has 15 headache days (>= 15) at the end of the run
    assert watch.is_analogy
    assert "kratom is not named in ICHD-3" in watch.text


def test_exactly_three_months_is_not_more_than_three() -> None:
    watch = overuse_watch(months([10, 10, 10], [20, 20, 20]))
    assert watch.longest_use_run == 3
    assert not watch.sustained_frequent_use
    assert not watch.pattern_met
    assert all(p.frequent_headache for p in watch.periods)


def test_nine_use_days_breaks_the_run() -> None:
    watch = overuse_watch(months([10, 10, 9, 10, 10], [0, 0, 0, 0, 0]))
    assert [p.frequent_use for p in watch.periods] == [True, True, False, True, True]
    assert watch.longest_use_run == 2


def test_sustained_use_without_15_headache_days() -> None:
    watch = overuse_watch(months([20, 20, 20, 20], [14, 14, 14, 14]))
    assert watch.sustained_frequent_use
    assert not watch.pattern_met
    assert "have not reached 15" in watch.text


def test_monthly_counts_across_a_year_end() -> None:
    uses = [date(2024, 12, d) for d in range(1, 13)] + [date(2025, 1, 5), date(2025, 1, 5)]
    headaches = [date(2024, 11, 30), date(2025, 1, 31), date(2025, 2, 1)]
    counts = monthly_counts(headaches, uses, first_month=date(2024, 11, 15),
                            last_month=date(2025, 1, 1))  # fmt: skip
    assert [(c.start, c.end) for c in counts] == [
        (date(2024, 11, 1), date(2024, 12, 1)),
        (date(2024, 12, 1), date(2025, 1, 1)),
        (date(2025, 1, 1), date(2025, 2, 1)),
    ]
    assert [c.use_days for c in counts] == [0, 12, 1]  # the duplicate day counts once
    assert [c.headache_days for c in counts] == [1, 0, 1]  # 1 Feb is outside the range


@pytest.mark.parametrize(
    ("periods", "field"),
    [
        ([PeriodCounts(date(2024, 1, 1), date(2024, 2, 1), 32, 0)], "periods[0].headache_days"),
        ([PeriodCounts(date(2024, 1, 1), date(2024, 2, 1), 0, -1)], "periods[0].use_days"),
        ([PeriodCounts(date(2024, 1, 1), date(2024, 1, 20), 0, 0)], "periods[0].end"),
        (
            [PeriodCounts(date(2024, 1, 1), date(2024, 2, 1), 0, 0),
             PeriodCounts(date(2024, 3, 1), date(2024, 4, 1), 0, 0)],
            "periods[1].start",
        ),
    ],
)  # fmt: skip
def test_bad_periods_are_refused(periods: list[PeriodCounts], field: str) -> None:
    with pytest.raises(InstrumentInputError) as caught:
        overuse_watch(periods)
    assert caught.value.field == field
