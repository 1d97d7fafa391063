"""Dates at the ends of the calendar and over-long ranges are refused with a 4xx that
says what is allowed, never a 500 (OverflowError) or minutes of work."""

from __future__ import annotations

import pytest

from speciosa.app.report import MAX_DAYS
from tests.web.conftest import Multi

EXTREMES = ("0001-01-01", "9999-12-31")


@pytest.mark.parametrize("day", EXTREMES)
def test_report_refuses_days_off_the_calendar(multi: Multi, day: str) -> None:
    alice = multi.person("alice")
    for query in (f"from={day}", f"to={day}", f"from={day}&to={day}"):
        response = alice.get(f"/api/v1/report.pdf?{query}")
        assert response.status_code == 422, (query, response.text[:200])
        error = response.json()["error"]
        assert error["field"] in ("from", "to")
        assert "1900-01-01 to 2199-12-31" in error["message"]


def test_report_range_is_bounded_and_says_so(multi: Multi) -> None:
    alice = multi.person("alice")
    response = alice.get("/api/v1/report.pdf?from=1900-01-01")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "from"
    assert f"at most {MAX_DAYS} days" in error["message"]
    page = alice.get("/sharing/report.pdf?from=1900-01-01")
    assert page.status_code == 422
    assert f"at most {MAX_DAYS} days" in page.text


@pytest.mark.parametrize("day", EXTREMES)
def test_history_and_entry_queries_refuse_days_off_the_calendar(multi: Multi, day: str) -> None:
    alice = multi.person("alice")
    for param in ("since", "until"):
        listed = alice.get(f"/api/v1/entries?{param}={day}T00:00:00")
        assert listed.status_code == 422, listed.text[:200]
        assert listed.json()["error"]["field"] == param
        plain = alice.get(f"/api/v1/entries?{param}={day} 00:00")
        assert plain.status_code == 422, plain.text[:200]
    history = alice.get(f"/history?until={day}")
    assert history.status_code == 422
    assert "1900-01-01 to 2199-12-31" in history.text


@pytest.mark.parametrize("day", EXTREMES)
def test_share_ranges_refuse_days_off_the_calendar(multi: Multi, day: str) -> None:
    alice = multi.person("alice")
    response = alice.post("/api/v1/shares", json={"first_day": day})
    assert response.status_code == 422, response.text[:200]
    assert response.json()["error"]["field"] in ("first_day", "last_day")
    long = alice.post("/api/v1/shares", json={"first_day": "1990-01-01"})
    assert long.status_code == 422
    assert "at most 366 days" in long.json()["error"]["message"]
