"""Withdrawal signals after a gap of 24 h or more that followed regular use, and the
loss-of-tolerance alert when use resumes after a break of several days."""

from __future__ import annotations

import pytest

from speciosa.journal.catalogues import Symptom, symptom_of
from speciosa.journal.models import Product, SideEffect
from speciosa.knowledge import recommends_amount
from speciosa.safety.thresholds import TOLERANCE_BREAK_DAYS

from .builders import ZONE, Journal, at
from .helpers import alerts_for, only


def _regular_then_gap(last_day: int = 3, use_days: int = 7) -> tuple[Journal, int]:
    """Daily 09:00 doses for ``use_days`` days ending on ``last_day``; nothing since."""
    journal = Journal()
    ids = journal.daily(range(last_day + use_days - 1, last_day - 1, -1))
    return journal, ids[-1]


def test_symptoms_in_the_days_after_the_last_dose_raise_a_caution() -> None:
    journal, last = _regular_then_gap()
    restless = journal.side_effect(2, "09:00", Symptom.RESTLESSNESS)  # 24 h after
    sleepless = journal.side_effect(1, "03:00", Symptom.INSOMNIA)
    alert = only(journal.window(), "withdrawal_after_gap")
    assert alert.severity.value == "caution"
    assert alert.entry_ids == (last, restless, sleepless)
    assert "insomnia, restlessness" in alert.explanation
    assert "singh-2014" in alert.source_ids


@pytest.mark.parametrize(
    ("day", "wall", "fires"),
    [
        ("3", "14:59", False),  # 5 h 59 min after the last dose: more likely the dose itself
        ("3", "15:00", True),  # exactly 6 h after: counts
        ("-4", "09:00", True),  # exactly 7 days after the last dose on day 10 (see below)
        ("-4", "09:01", False),  # 7 days and 1 minute: outside the window
    ],
)
def test_symptom_timing_window(day: str, wall: str, fires: bool) -> None:
    if day == "-4":
        journal, _ = _regular_then_gap(last_day=10)
        symptom_day = 3
    else:
        journal, _ = _regular_then_gap(last_day=3)
        symptom_day = 3
    journal.side_effect(symptom_day, wall, Symptom.ANXIETY)
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


@pytest.mark.parametrize(("use_days", "fires"), [(4, False), (5, True)])
def test_regular_use_means_5_of_the_7_days_before_the_gap(use_days: int, fires: bool) -> None:
    journal, _ = _regular_then_gap(use_days=use_days)
    journal.side_effect(2, "10:00", Symptom.IRRITABILITY)
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


@pytest.mark.parametrize(("next_dose", "fires"), [("08:00", False), ("09:00", True)])
def test_gap_must_last_24_hours(next_dose: str, fires: bool) -> None:
    journal = Journal()
    journal.daily(range(10, 3, -1))  # days 10..4 at 09:00
    journal.side_effect(4, "20:00", Symptom.SWEATING)  # 11 h after the day-4 dose
    journal.dose(3, next_dose)  # 23 h or exactly 24 h later
    journal.daily(range(2, -1, -1))
    assert bool(alerts_for(journal.window(), "withdrawal")) is fires


def test_sows_response_counts_and_an_all_zero_one_does_not() -> None:
    journal, _ = _regular_then_gap()
    journal.sows(2, "10:00", (0,) * 16)
    assert alerts_for(journal.window(), "withdrawal") == []
    sows = journal.sows(2, "18:00", (1,) + (0,) * 15)  # total 1
    alert = only(journal.window(), "withdrawal")
    assert sows in alert.entry_ids
    assert "a SOWS total of 1" in alert.explanation


def test_unrelated_symptoms_and_old_gaps_are_ignored() -> None:
    journal, _ = _regular_then_gap()
    journal.side_effect(2, "10:00", Symptom.DRY_MOUTH)
    assert alerts_for(journal.window(), "withdrawal") == []
    old, _ = _regular_then_gap(last_day=31)  # the gap began 31 days ago
    old.side_effect(30, "10:00", Symptom.ANXIETY)
    assert alerts_for(old.window(), "withdrawal") == []


NEW_SIGNS = [
    Symptom.MUSCLE_ACHES,
    Symptom.RUNNY_NOSE,
    Symptom.WATERY_EYES,
    Symptom.YAWNING,
    Symptom.GOOSEBUMPS,
    Symptom.HOT_COLD_FLUSHES,
    Symptom.STOMACH_CRAMPS,
    Symptom.CRAVING,
]


@pytest.mark.parametrize("symptom", NEW_SIGNS)
def test_common_withdrawal_signs_count(symptom: Symptom) -> None:
    journal, last = _regular_then_gap()
    sign = journal.side_effect(2, "10:00", symptom)
    alert = only(journal.window(), "withdrawal_after_gap")
    assert alert.entry_ids == (last, sign)
    assert symptom.value.replace("_", " ") in alert.explanation


@pytest.mark.parametrize(
    ("words", "symptom"),
    [
        ("Muscle aches", Symptom.MUSCLE_ACHES),
        ("muscle pain", Symptom.MUSCLE_ACHES),
        ("myalgia", Symptom.MUSCLE_ACHES),
        ("runny nose", Symptom.RUNNY_NOSE),
        ("Runny-Nose", Symptom.RUNNY_NOSE),
        ("teary eyes", Symptom.WATERY_EYES),
        ("yawning", Symptom.YAWNING),
        ("goose bumps", Symptom.GOOSEBUMPS),
        ("gooseflesh", Symptom.GOOSEBUMPS),
        ("hot flushes", Symptom.HOT_COLD_FLUSHES),
        ("hot flashes", Symptom.HOT_COLD_FLUSHES),
        ("cold flushes", Symptom.HOT_COLD_FLUSHES),
        ("hot and cold flushes", Symptom.HOT_COLD_FLUSHES),
        ("stomach cramps", Symptom.STOMACH_CRAMPS),
        ("cravings", Symptom.CRAVING),
        ("diarrhea", Symptom.DIARRHOEA),
    ],
)
def test_withdrawal_signs_in_everyday_words(words: str, symptom: Symptom) -> None:
    assert symptom_of(words) is symptom
    journal, _ = _regular_then_gap()
    journal.add(SideEffect(at=at(2, "10:00"), zone=ZONE, symptom=words))  # type: ignore[arg-type]
    assert only(journal.window(), "withdrawal_after_gap")


def test_withdrawal_text_names_opioid_use_disorder_buprenorphine_and_naloxone() -> None:
    journal, _ = _regular_then_gap()
    journal.side_effect(2, "10:00", Symptom.MUSCLE_ACHES)
    alert = only(journal.window(), "withdrawal_after_gap")
    assert "muscle aches" in alert.explanation
    assert "the most common withdrawal complaint" in alert.explanation
    for words in ("history of opioid use disorder", "buprenorphine", "naloxone"):
        assert words in alert.what_to_do
    assert {"trakulsrichai-2013", "cdc-2022-opioids"} <= set(alert.source_ids)
    for text in alert.texts():
        assert recommends_amount(text) is None, text


# --- loss of tolerance when use resumes after a break ----------------------------------------


def _break_then_resume(
    break_days: int, resumed_days_ago: int = 2, regular_days: int = 7, grams_back: float = 3.0
) -> tuple[Journal, int, int]:
    """Daily 3 g for ``regular_days`` days, a break, then a dose ``resumed_days_ago``."""
    journal = Journal()
    last_regular = resumed_days_ago + break_days
    ids = journal.daily(range(last_regular + regular_days - 1, last_regular - 1, -1))
    back = journal.dose(resumed_days_ago, "09:00", grams_back)
    return journal, ids[-1], back


@pytest.mark.parametrize(("break_days", "fires"), [(4, False), (5, True)])
def test_use_resumed_after_a_break_of_five_days_raises_a_caution(
    break_days: int, fires: bool
) -> None:
    assert TOLERANCE_BREAK_DAYS.value == 5
    journal, before, back = _break_then_resume(break_days)
    found = alerts_for(journal.window(), "tolerance_after_break")
    assert bool(found) is fires
    if fires:
        (alert,) = found
        assert alert.severity.value == "caution"
        assert alert.entry_ids == (before, back)
        assert alert.analogy
        assert f"a break of {break_days} days" in alert.explanation
        assert "5 days or more without a dose after regular use, Speciosa's convention" in (
            alert.explanation
        )
        assert "On your first day back you logged 3.0 g" in alert.explanation
        assert "naloxone" in alert.what_to_do
        assert "buprenorphine" in alert.what_to_do
        assert "cdc-2022-opioids" in alert.source_ids
        for text in alert.texts():
            assert recommends_amount(text) is None, text


def test_a_smaller_first_day_back_gets_no_amount_sentence() -> None:
    journal, _, _ = _break_then_resume(6, grams_back=1.0)
    alert = only(journal.window(), "tolerance_after_break")
    assert "first day back" not in alert.explanation


@pytest.mark.parametrize(
    ("kwargs", "fires"),
    [
        ({"regular_days": 4}, False),  # 4 use days before the break: not regular use
        ({"resumed_days_ago": 13}, True),  # resumed 13 days and 11 hours ago: inside 14 days
        ({"resumed_days_ago": 14}, False),  # 14 days and 11 hours ago: history
    ],
)
def test_tolerance_needs_regular_use_and_a_recent_return(
    kwargs: dict[str, int], fires: bool
) -> None:
    journal, _, _ = _break_then_resume(6, **kwargs)
    assert bool(alerts_for(journal.window(), "tolerance_after_break")) is fires


def test_returning_with_a_7oh_product_or_an_opioid_is_a_warning() -> None:
    journal, before, back = _break_then_resume(6)
    journal.products.append(Product(name="7-OH tabs"))
    tab = journal.dose(1, "10:00", 0.5, product="7-OH tabs")
    pill = journal.substance(1, "20:00", "oxycodone")
    alert = only(journal.window(), "tolerance_after_break")
    assert alert.severity.value == "warning"
    assert set(alert.entry_ids) == {before, back, tab, pill}
    assert "1 dose of a 7-OH product and an opioid (oxycodone)" in alert.explanation
