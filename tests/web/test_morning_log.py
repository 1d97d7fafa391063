"""The morning log on a phone, counted in taps (390x844, real Chromium): last night's sleep
diary, this morning's pain and a bowel movement from Today in at most 12 taps, each field
filled counting as a tap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.web.chromium import launch, phone_page, serve, shot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("morning") / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": "UTC"}).raise_for_status()
        yield base


def _local(*, hours: float) -> str:
    """A time ``hours`` ago as the phone's date-and-time field takes it (the zone is UTC)."""
    return f"{datetime.now(UTC) - timedelta(hours=hours):%Y-%m-%dT%H:%M}"


def test_sleep_pain_and_bowel_in_twelve_taps(site: str) -> None:
    taps = 0

    def tap(target: Any) -> None:
        nonlocal taps
        taps += 1
        target.tap()

    def fill(target: Any, text: str) -> None:
        nonlocal taps
        taps += 1  # a tap into the field, then typing
        target.fill(text)

    with launch() as browser, phone_page(browser, site) as page:
        page.goto("/")
        tap(page.get_by_role("link", name="Sleep", exact=True))
        fill(page.get_by_label("Got into bed", exact=False).first, _local(hours=8))
        fill(page.get_by_label("Minutes to fall asleep", exact=False), "20")
        fill(page.get_by_label("Final awakening", exact=False), _local(hours=0.5))
        tap(page.get_by_role("button", name="Log sleep"))
        page.wait_for_url("**/?logged=*")
        tap(page.get_by_role("link", name="Pain", exact=True))
        tap(page.locator("#f-score-4"))
        tap(page.get_by_role("button", name="Log pain"))
        page.wait_for_url("**/?logged=*")
        tap(page.get_by_role("link", name="Bowel", exact=True))
        tap(page.locator("label[for=f-bristol-4]"))
        tap(page.get_by_role("button", name="Log bowel"))
        page.wait_for_url("**/?logged=*")
        shot(page, "morning-log-done-390x844", full_page=False)
    assert taps <= 12, taps
    with httpx.Client(base_url=site) as client:
        kinds = sorted(e["kind"] for e in client.get("/api/v1/entries").json()["data"])
    assert kinds == ["bowel", "pain", "sleep"]
