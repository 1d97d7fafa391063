"""Day and night attribution across DST changes, midnight and travel.

Transition dates are from the IANA tz database: in America/New_York clocks went
forward at 02:00 on 2026-03-08 and go back at 02:00 on 2026-11-01.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from speciosa.errors import InvalidInput
from speciosa.journal import clock

NY = "America/New_York"
LONDON = "Europe/London"


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.mark.parametrize(
    ("instant", "expected_night"),
    [
        ("2026-03-08T04:30:00Z", date(2026, 3, 7)),  # 23:30 EST Saturday
        ("2026-03-08T05:30:00Z", date(2026, 3, 7)),  # 00:30 EST, after midnight
        ("2026-03-08T07:30:00Z", date(2026, 3, 7)),  # 03:30 EDT, clocks already forward
        ("2026-03-08T08:30:00Z", date(2026, 3, 8)),  # 04:30 EDT: a new journal day
    ],
)
def test_spring_forward_night(instant: str, expected_night: date) -> None:
    assert clock.night_of(z(instant), NY) == expected_night


@pytest.mark.parametrize(
    ("instant", "expected_night"),
    [
        ("2026-11-01T05:30:00Z", date(2026, 10, 31)),  # first 01:30 (EDT)
        ("2026-11-01T06:30:00Z", date(2026, 10, 31)),  # second 01:30 (EST), an hour later
        ("2026-11-01T08:59:00Z", date(2026, 10, 31)),  # 03:59 EST
        ("2026-11-01T09:00:00Z", date(2026, 11, 1)),  # 04:00 EST starts the day
    ],
)
def test_fall_back_night(instant: str, expected_night: date) -> None:
    assert clock.night_of(z(instant), NY) == expected_night


def test_dose_before_and_after_midnight_share_the_night_that_follows() -> None:
    before = clock.at_local(date(2026, 1, 10), time(23, 30), LONDON)
    after = clock.at_local(date(2026, 1, 11), time(0, 30), LONDON)
    assert clock.night_of(before, LONDON) == clock.night_of(after, LONDON) == date(2026, 1, 10)


def test_flight_each_entry_is_placed_in_its_own_zone() -> None:
    # 20:00 in New York on 10 Jan is 01:00 on 11 Jan in UTC (and in London).
    evening_in_new_york = z("2026-01-11T01:00:00Z")
    assert clock.night_of(evening_in_new_york, NY) == date(2026, 1, 10)
    # After the flight, a morning dose in London starts London's 11 January...
    assert clock.journal_day(z("2026-01-11T08:00:00Z"), LONDON) == date(2026, 1, 11)
    # ...and a 02:00 dose there belongs to the night of the 11th.
    assert clock.night_of(z("2026-01-12T02:00:00Z"), LONDON) == date(2026, 1, 11)


def test_day_bounds_are_23_and_25_hours_around_dst_changes() -> None:
    # Journal days start at 04:00, so the day holding the 02:00 change is the one that
    # began the evening before: 7 March loses an hour, 31 October gains one.
    start, end = clock.day_bounds(date(2026, 3, 7), NY)
    assert end - start == timedelta(hours=23)
    start, end = clock.day_bounds(date(2026, 10, 31), NY)
    assert end - start == timedelta(hours=25)
    start, end = clock.day_bounds(date(2026, 3, 8), NY)
    assert end - start == timedelta(hours=24)


def test_wall_time_skipped_by_spring_forward_is_refused() -> None:
    with pytest.raises(InvalidInput, match="does not exist") as raised:
        clock.at_local(date(2026, 3, 8), time(2, 30), NY)
    assert raised.value.field == "time"


def test_ambiguous_wall_time_is_read_as_first_occurrence() -> None:
    assert clock.at_local(date(2026, 11, 1), time(1, 30), NY) == z("2026-11-01T05:30:00Z")


class TestParseWhen:
    now = z("2026-01-10T23:00:00Z")  # 23:00 in London (GMT)

    def test_clock_time_is_the_most_recent_occurrence(self) -> None:
        assert clock.parse_when("22:15", now=self.now, zone_name=LONDON) == z(
            "2026-01-10T22:15:00Z"
        )
        just_after_midnight = z("2026-01-11T00:10:00Z")
        assert clock.parse_when("22:15", now=just_after_midnight, zone_name=LONDON) == z(
            "2026-01-10T22:15:00Z"
        )

    def test_yesterday_and_relative_and_now(self) -> None:
        assert clock.parse_when("yesterday 23:40", now=self.now, zone_name=LONDON) == z(
            "2026-01-09T23:40:00Z"
        )
        assert clock.parse_when("90 min ago", now=self.now, zone_name=LONDON) == z(
            "2026-01-10T21:30:00Z"
        )
        assert clock.parse_when("now", now=self.now, zone_name=LONDON) == self.now

    def test_iso_with_and_without_offset(self) -> None:
        assert clock.parse_when("2026-01-10T12:00:00+02:00", now=self.now, zone_name=LONDON) == z(
            "2026-01-10T10:00:00Z"
        )
        # no offset: wall time in the person's zone (New York is UTC-5 in January)
        assert clock.parse_when("2026-01-10 12:00", now=self.now, zone_name=NY) == z(
            "2026-01-10T17:00:00Z"
        )

    @pytest.mark.parametrize("text", ["25:00", "tomorrow", "2026-02-30 10:00", "3 fortnights ago"])
    def test_unreadable_times_name_the_field(self, text: str) -> None:
        with pytest.raises(InvalidInput) as raised:
            clock.parse_when(text, now=self.now, zone_name=LONDON)
        assert raised.value.field == "at"


def test_future_check_allows_five_minutes_of_clock_skew() -> None:
    now = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    clock.check_not_future(now + timedelta(minutes=5), now)
    with pytest.raises(InvalidInput, match="future"):
        clock.check_not_future(now + timedelta(minutes=5, seconds=1), now)


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="IANA") as raised:
        clock.zone("Mars/Olympus_Mons")
    assert raised.value.field == "zone"
