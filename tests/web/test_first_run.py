"""First run and one-tap logging on a phone (390x844, real Chromium, taps counted).

A new person opens the app in Chicago: the guided setup shows the device's zone, and a
first capsule dose with a product takes at most six taps; the logged time is Chicago's
wall clock, not UTC. Skipped steps store nothing. A capsule dose without a product offers
to add the product right there and returns to the dose. The "Log my usual dose" shortcut
opens Today with that dose ready (a GET logs nothing): one tap logs it, Undo takes it back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import expect

from tests.web.chromium import AXE_DEFAULT, launch, missing, phone_page, serve, shot

pytestmark = pytest.mark.slow

CHICAGO = "America/Chicago"
MANIFEST = Path(__file__).parents[2] / "src" / "speciosa" / "web" / "static" / "manifest.json"


class Taps:
    """Every tap the person makes (a tap into a field to type counts as one)."""

    def __init__(self, page: Any) -> None:
        self.page, self.count = page, 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).tap()
        self.count += 1

    def type_into(self, selector: str, text: str) -> None:
        self.tap(selector)
        self.page.keyboard.type(text)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as launched:
        yield launched


def _wall_clock_now(zone: str) -> set[str]:
    """HH:MM in ``zone`` now and a minute either side (the test may cross a minute)."""
    now = datetime.now(UTC)
    return {
        (now + timedelta(minutes=m)).astimezone(ZoneInfo(zone)).strftime("%H:%M")
        for m in (-1, 0, 1)
    }


def _api(base: str, path: str) -> Any:
    with httpx.Client(base_url=base) as client:
        return client.get(path).raise_for_status().json()


def test_first_run_to_a_capsule_dose_in_six_taps_in_the_device_zone(
    browser: Any, tmp_path: Path
) -> None:
    with serve(tmp_path / "journal.sqlite") as base:
        with phone_page(browser, base, timezone_id=CHICAGO) as page:
            taps = Taps(page)
            page.goto("/")  # opening the app
            zone = page.locator("#setup-timezone")
            expect(zone).to_have_value(CHICAGO)  # from the device, shown before saving
            assert _api(base, "/api/v1/today")["has_profile"] is False  # not saved yet
            shot(page, "first-run-today-390x844-light", full_page=False)
            taps.tap("#setup-continue")
            page.wait_for_url("**/setup/about")
            shot(page, "first-run-about-390x844-light", full_page=False)
            taps.tap("#setup-skip")
            page.wait_for_url("**/setup/product")
            taps.type_into("#product-name", "Red Bali")
            taps.type_into("#grams-per-capsule", "0.5")
            taps.type_into("#first-amount", "2caps")
            shot(page, "first-run-product-390x844-light", full_page=False)
            taps.tap("#setup-save-product")
            page.wait_for_url("**/?logged=*")
            flash = page.get_by_role("status").first.inner_text()
            shot(page, "first-run-first-dose-390x844-light", full_page=False)
        assert taps.count <= 6, taps.count
        assert "2 caps of Red Bali" in flash, flash
        logged_at = re.search(r" at (\d{2}:\d{2})\.", flash)[1]  # type: ignore[index]
        assert logged_at in _wall_clock_now(CHICAGO), (logged_at, flash)
        assert logged_at not in _wall_clock_now("UTC")
        profile = _api(base, "/api/v1/profile")
        assert profile["timezone"] == CHICAGO
        # The skipped step stored nothing of its own.
        assert profile["conditions"] == []
        assert profile["medications"] == []
        assert profile["goals"] == []
        assert profile["usual_dose"] is None
        (dose,) = _api(base, "/api/v1/entries?kind=dose")["data"]
        assert dose["entry"]["zone"] == CHICAGO
        assert dose["entry"]["grams"] == 1.0


def test_skipping_every_step_stores_nothing(browser: Any, tmp_path: Path) -> None:
    with serve(tmp_path / "journal.sqlite") as base:
        with phone_page(browser, base, timezone_id=CHICAGO) as page:
            page.goto("/")
            page.locator("#setup-skip").tap()
            page.wait_for_url("**/setup/about")
            page.locator("#bedtime").fill("22:30")  # typed, then skipped: not saved
            page.locator("#setup-skip").tap()
            page.wait_for_url("**/setup/product")
            page.locator("#setup-skip").tap()
            page.wait_for_url(base + "/")
            assert page.locator("#first-run").count() == 0  # not offered again here
            assert page.locator("#log-dose").is_visible()
        today = _api(base, "/api/v1/today")
        assert today["has_profile"] is False
        assert _api(base, "/api/v1/products")["count"] == 0
        assert _api(base, "/api/v1/entries")["count"] == 0


def test_about_step_saves_only_what_was_entered(browser: Any, tmp_path: Path) -> None:
    with serve(tmp_path / "journal.sqlite") as base:
        with phone_page(browser, base, timezone_id=CHICAGO) as page:
            page.goto("/setup/about")
            page.locator("#c-migraine").check()
            page.locator("#g-sleep").check()
            page.locator("#bedtime").fill("22:30")
            page.locator("#medications").fill("tramadol\nsertraline")
            page.get_by_role("button", name="Save and continue").first.tap()
            page.wait_for_url("**/setup/product")
        profile = _api(base, "/api/v1/profile")
        assert profile["conditions"] == ["migraine"]
        assert profile["goals"] == ["sleep"]
        assert profile["bedtime"] == "22:30"
        assert profile["wake_time"] == "07:00"
        assert [m["name"] for m in profile["medications"]] == ["tramadol", "sertraline"]
        assert profile["medications"][0]["substance_class"] == "opioid"
        assert profile["timezone"] != CHICAGO  # the zone step was not taken: not set


def test_a_capsule_dose_without_a_product_offers_to_add_it_there(
    browser: Any, tmp_path: Path
) -> None:
    with serve(tmp_path / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": CHICAGO}).raise_for_status()
        with phone_page(browser, base, timezone_id=CHICAGO) as page:
            page.goto("/")
            page.locator("#quick-amount").fill("2caps")
            page.locator("#log-dose").tap()
            add_here = page.locator("#add-product-here")
            add_here.wait_for()
            main = page.locator("main").inner_text()
            assert "--product" not in main
            assert "needs a product" in main
            shot(page, "dose-needs-product-390x844-light", full_page=False)
            add_here.tap()
            page.wait_for_url("**/setup/product?*")
            page.locator("#product-name").fill("Green Maeng Da")
            page.locator("#grams-per-capsule").fill("0.5")
            page.get_by_role("button", name="Add product and go back to the dose").tap()
            page.wait_for_url("**/ready?*")
            assert page.locator("#quick-amount").input_value() == "2caps"  # kept
            assert page.locator("#quick-product").input_value() == "Green Maeng Da"
            assert page.evaluate("document.activeElement.id") == "log-dose"
            assert _api(base, "/api/v1/entries")["count"] == 0  # nothing logged yet
            page.locator("#log-dose").tap()
            page.wait_for_url("**/?logged=*")
        (dose,) = _api(base, "/api/v1/entries")["data"]
        assert dose["entry"]["grams"] == 1.0


def test_usual_dose_shortcut_opens_ready_and_one_tap_logs_with_undo(
    browser: Any, tmp_path: Path
) -> None:
    shortcuts = {s["name"]: s["url"] for s in json.loads(MANIFEST.read_text())["shortcuts"]}
    assert shortcuts == {"Log my usual dose": "/usual", "Morning diary": "/log/sleep"}
    with serve(tmp_path / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": CHICAGO}).raise_for_status()
            client.post("/api/v1/products", json={"name": "Red", "grams_per_capsule": 0.5})
            client.post("/api/v1/entries", json={"kind": "dose", "amount": "3caps"})
        with phone_page(browser, base, timezone_id=CHICAGO) as page:
            page.goto("/usual")  # no usual dose yet: the page to set one
            page.wait_for_url("**/setup/usual")
            page.locator("#usual-amount").fill("2 caps")
            page.locator("#usual-product").select_option("Red")
            page.get_by_role("button", name="Save usual dose").tap()
            page.wait_for_url("**/setup/usual?saved=1")
            assert "2 caps of Red" in page.get_by_role("status").inner_text()
            before = _api(base, "/api/v1/entries")["count"]
            page.goto(shortcuts["Log my usual dose"])  # the long-press shortcut
            assert _api(base, "/api/v1/entries")["count"] == before  # a GET logs nothing
            assert page.evaluate("document.activeElement.id") == "log-dose"
            assert page.locator("#quick-amount").input_value() == "2 caps"
            shot(page, "usual-dose-ready-390x844-light", full_page=False)
            page.locator("#log-dose").tap()  # the one tap
            page.wait_for_url("**/?logged=*")
            assert _api(base, "/api/v1/entries")["count"] == before + 1
            assert page.locator("#log-usual").is_visible()  # also one tap from Today
            with page.expect_navigation():  # the undo is a form post: wait for its answer
                page.get_by_role("button", name="Undo").tap()
            assert _api(base, "/api/v1/entries")["count"] == before


def test_make_this_my_usual_dose_from_the_logged_notice(browser: Any, tmp_path: Path) -> None:
    with serve(tmp_path / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": "UTC"}).raise_for_status()
        with phone_page(browser, base) as page:
            page.goto("/")
            page.locator("#quick-amount").fill("3g")
            page.locator("#log-dose").tap()
            page.wait_for_url("**/?logged=*")
            page.locator("#make-usual").tap()  # one tap
            page.wait_for_url("**/setup/usual?saved=1")
        assert _api(base, "/api/v1/profile")["usual_dose"] == {"amount": "3 g", "product": None}


# "/" first as a new journal sees it (the setup card), last with a usual dose saved.
NEW_PAGES = ("/", "/setup", "/setup/about", "/setup/product", "/setup/usual", "/usual", "/#usual")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_pages_pass_axe(browser: Any, tmp_path: Path, scheme: str) -> None:
    axe = AXE_DEFAULT
    if not axe.exists():
        missing(f"axe-core is not at {axe} (make test-assets)")
    with serve(tmp_path / "journal.sqlite") as base:
        problems: dict[str, list[str]] = {}
        with phone_page(browser, base, bypass_csp=True, color_scheme=scheme) as page:
            for path in NEW_PAGES:
                if path == "/usual":  # needs a usual dose (and so a profile)
                    with httpx.Client(base_url=base) as client:
                        client.put("/api/v1/profile", json={"usual_dose": {"amount": "3g"}})
                page.goto(path)
                if path == "/#usual":
                    assert page.locator("#log-usual").is_visible()
                names = {"/": "today-first-run", "/#usual": "today-usual-dose-button"}
                name = names.get(path) or path.strip("/").replace("/", "-")
                shot(page, f"{name}-390x844-{scheme}")
                page.add_script_tag(path=str(axe))
                result = page.evaluate("async () => await axe.run(document)")
                bad = [
                    f"{v['id']} ({v['impact']}): {v['help']}"
                    for v in result["violations"]
                    if v["impact"] in ("serious", "critical")
                ]
                if bad:
                    problems[path] = bad
        assert not problems, problems
