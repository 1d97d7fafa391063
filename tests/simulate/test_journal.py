"""Simulated journals are deterministic, valid, realistic in shape, and never in the future."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta

import pytest

from speciosa.journal import clock
from speciosa.journal.catalogues import Condition, Goal
from speciosa.journal.models import Dose, Headache, Pain, Sleep, Substance, entry_from_dict
from speciosa.journal.units import Amount, to_grams
from speciosa.simulate import PlantedEffects, SimulatedJournal, simulate_journal

from .measure import doses_by_night, everything, instants, of_kind

END = date(2026, 3, 31)

EXPECTED_KINDS = {
    Condition.FIBROMYALGIA: {"dose", "sleep", "pain", "fatigue", "bowel", "substance"},
    Condition.CHRONIC_PAIN: {"dose", "sleep", "pain", "fatigue", "bowel", "substance"},
    Condition.MIGRAINE: {"dose", "sleep", "headache", "bowel", "substance"},
    Condition.MUSCLE_SORENESS: {"dose", "sleep", "soreness", "workout", "bowel", "substance"},
    Condition.CHRONIC_FATIGUE: {"dose", "sleep", "fatigue", "bowel", "substance"},
}
EXPECTED_GOALS = {
    Condition.FIBROMYALGIA: {Goal.SLEEP, Goal.PAIN},
    Condition.CHRONIC_PAIN: {Goal.PAIN, Goal.SLEEP},
    Condition.MIGRAINE: {Goal.HEADACHE},
    Condition.MUSCLE_SORENESS: {Goal.RECOVERY, Goal.SLEEP},
    Condition.CHRONIC_FATIGUE: {Goal.ENERGY},
}


def _sixty_days(condition: Condition, seed: int = 4) -> SimulatedJournal:
    return simulate_journal(condition=condition, days=60, seed=seed, end=END)


def test_same_seed_same_journal() -> None:
    effects = PlantedEffects(bedtime_dose_sol_minutes=-10, grams_drift_pct_per_month=4)
    first = simulate_journal(
        condition=Condition.MIGRAINE, days=120, seed=9, end=END, effects=effects
    )
    again = simulate_journal(
        condition=Condition.MIGRAINE, days=120, seed=9, end=END, effects=effects
    )
    assert everything(first) == everything(again)


def test_different_seed_different_journal() -> None:
    one = simulate_journal(condition=Condition.MIGRAINE, days=120, seed=9, end=END)
    other = simulate_journal(condition=Condition.MIGRAINE, days=120, seed=10, end=END)
    assert everything(one)["entries"] != everything(other)["entries"]
    assert one.truth.bedtime_dose_nights != other.truth.bedtime_dose_nights


@pytest.mark.parametrize("condition", list(Condition))
def test_every_condition_gives_valid_entries_of_its_kinds(condition: Condition) -> None:
    journal = _sixty_days(condition)
    kinds = Counter(e.kind for e in journal.entries)
    assert EXPECTED_KINDS[condition] <= set(kinds), kinds
    assert set(journal.profile.goals) == EXPECTED_GOALS[condition]
    assert journal.profile.conditions == (condition,)
    assert journal.profile.timezone == "America/New_York"
    for entry in journal.entries:  # the same validation a typed or imported entry gets
        assert entry_from_dict(entry.model_dump()) == entry
    assert [e.at for e in journal.entries] == sorted(e.at for e in journal.entries)


@pytest.mark.parametrize("condition", list(Condition))
def test_nothing_before_the_first_or_after_the_last_journal_day(condition: Condition) -> None:
    journal = _sixty_days(condition)
    zone = journal.profile.timezone
    start, _ = clock.day_bounds(END - timedelta(days=59), zone)
    _, stop = clock.day_bounds(END, zone)
    moments = [moment for entry in journal.entries for moment in instants(entry)]
    assert min(moments) >= start
    assert max(moments) <= stop
    assert (journal.truth.first_day, journal.truth.last_day) == (END - timedelta(days=59), END)


@pytest.mark.parametrize("condition", list(Condition))
def test_doses_every_week_and_one_to_three_a_day(condition: Condition) -> None:
    journal = _sixty_days(condition)
    zone = journal.profile.timezone
    days = Counter(clock.journal_day(d.at, zone) for d in of_kind(journal, Dose))
    weeks = {(day - journal.truth.first_day).days // 7 for day in days}
    assert weeks == set(range(9))  # 60 days touch weeks 0..8
    assert set(days.values()) <= {1, 2, 3}


@pytest.mark.parametrize("condition", list(Condition))
def test_sleep_diaries_on_most_nights_with_gaps(condition: Condition) -> None:
    journal = _sixty_days(condition)
    zone = journal.profile.timezone
    nights = [clock.night_of(s.at, zone) for s in of_kind(journal, Sleep)]
    assert len(nights) == len(set(nights))  # one diary per night
    # 59 nights can have a diary: the last night's is written after the journal ends
    assert len(nights) >= 0.6 * 59
    assert END not in nights


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gaps_and_days_without_doses_over_half_a_year(seed: int) -> None:
    # over 60 days a diligent person may miss nothing; over 200 days everyone has gaps
    journal = simulate_journal(condition=Condition.FIBROMYALGIA, days=200, seed=seed, end=END)
    zone = journal.profile.timezone
    nights = {clock.night_of(s.at, zone) for s in of_kind(journal, Sleep)}
    rated = {clock.journal_day(p.at, zone) for p in of_kind(journal, Pain)}
    dosed = {clock.journal_day(d.at, zone) for d in of_kind(journal, Dose)}
    assert 0.6 * 199 <= len(nights) < 199
    assert 0.6 * 200 <= len(rated) < 200
    assert 0.7 * 200 <= len(dosed) < 200


def test_doses_convert_through_their_products() -> None:
    journal = simulate_journal(condition=Condition.CHRONIC_PAIN, days=200, seed=2, end=END)
    products = {p.name: p for p in journal.products}
    units = Counter()
    for dose in of_kind(journal, Dose):
        product = products[dose.product or ""]
        assert dose.grams == to_grams(Amount(dose.amount, dose.unit), product)
        assert dose.batch in {b.code for b in product.batches} | (
            {None} if not product.batches else set()
        )
        assert 0.3 <= (dose.grams or 0) <= 15  # around the 1-5 g band of fact sheet A3
        units[dose.unit.value] += 1
    assert set(units) <= {"g", "caps", "tsp"}


def test_products_profiles_and_limits_vary_across_people() -> None:
    people = [
        simulate_journal(condition=Condition.FIBROMYALGIA, days=7, seed=s, end=END)
        for s in range(24)
    ]
    counts = Counter(len(p.products) for p in people)
    assert set(counts) == {1, 2, 3}
    for person in people:
        tested = [p for p in person.products if all(b.lab for b in p.batches) and p.batches]
        assert person.products[0] in tested
        if len(person.products) > 1:
            assert any(b.lab is None for b in person.products[-1].batches)
    measured = [p for person in people for p in person.products]
    assert any(p.grams_per_capsule for p in measured)
    assert any(p.grams_per_teaspoon for p in measured)
    with_limits = [p.profile.limits.grams_per_day is not None for p in people]
    assert any(with_limits)
    assert not all(with_limits)
    assert len({p.profile.bedtime for p in people}) > 3


def test_bedtime_doses_come_30_to_90_minutes_before_trying_to_sleep() -> None:
    journal = simulate_journal(condition=Condition.FIBROMYALGIA, days=120, seed=5, end=END)
    zone, nights = journal.profile.timezone, doses_by_night(journal)
    leads = []
    for sleep in of_kind(journal, Sleep):
        night = clock.night_of(sleep.at, zone)
        for dose in nights.get(night, []):
            lead = (sleep.tried_to_sleep - dose.at).total_seconds() / 60
            if lead <= 180:
                leads.append(lead)
        assert (night in journal.truth.bedtime_dose_nights) == any(
            (sleep.tried_to_sleep - d.at).total_seconds() <= 180 * 60 for d in nights.get(night, [])
        )
    assert leads
    assert min(leads) >= 30
    assert max(leads) <= 90


def test_sleep_diary_counts_match_the_logged_drinks() -> None:
    journal = simulate_journal(
        condition=Condition.CHRONIC_PAIN,
        days=200,
        seed=8,
        end=END,
        effects=PlantedEffects(alcohol_on_dose_nights=0.3),
    )
    zone = journal.profile.timezone
    drinks: Counter[date] = Counter()
    coffees: Counter[date] = Counter()
    for item in of_kind(journal, Substance):
        day = clock.journal_day(item.at, zone)
        if item.substance_class == "alcohol":
            drinks[day] += int((item.amount or "0").split()[0])
        else:
            coffees[day] += 1
    for sleep in of_kind(journal, Sleep):
        night = clock.night_of(sleep.at, zone)
        assert sleep.alcohol_drinks == drinks[night]
        assert sleep.caffeine_drinks == coffees[night]


@pytest.mark.parametrize(
    ("zone", "end"),
    [
        ("America/New_York", date(2025, 11, 30)),  # 9 Mar and 2 Nov 2025 inside
        ("Europe/London", date(2025, 11, 30)),  # 30 Mar and 26 Oct 2025
        ("Australia/Sydney", date(2025, 10, 31)),  # 6 Apr and 5 Oct 2025 (southern)
    ],
)
def test_works_across_dst_changes(zone: str, end: date) -> None:
    journal = simulate_journal(condition=Condition.MIGRAINE, days=300, seed=12, end=end, zone=zone)
    offsets = {clock.local(e.at, zone).utcoffset() for e in journal.entries}
    assert len(offsets) == 2  # both standard and summer time appear
    wake = clock.parse_wall_time(journal.profile.wake_time, "wake")
    for sleep in of_kind(journal, Sleep):
        final = clock.local(sleep.final_awakening, zone)
        minutes_from_usual = abs(final.hour * 60 + final.minute - (wake.hour * 60 + wake.minute))
        assert minutes_from_usual <= 140  # wall-clock wake times, not shifted by the change
    headaches = of_kind(journal, Headache)
    assert all(h.end is None or h.end > h.at for h in headaches)


def test_five_year_journal_is_quick() -> None:
    started = time.perf_counter()
    journal = simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=1825,
        seed=1,
        end=END,
        effects=PlantedEffects(grams_drift_pct_per_month=2, bedtime_dose_sol_minutes=-5),
    )
    elapsed = time.perf_counter() - started
    assert len(journal.entries) > 1825 * 4
    assert elapsed < 10  # about 0.5 s here; later benchmarks build on this size


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="bedtime_dose_probability"):
        PlantedEffects(bedtime_dose_probability=1.5)
    with pytest.raises(ValueError, match="days"):
        simulate_journal(condition=Condition.MIGRAINE, days=0, seed=1, end=END)
