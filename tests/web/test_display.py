"""The frame of every page on a phone: a sticky header under 15% of a 390x844 screen, a page
that still fits at 200% zoom (half the CSS pixels: 195x422) with the header scrolling away,
and a theme control that follows the system until the person picks light or dark."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.chromium import PHONE, launch, phone_page, serve, shot

pytestmark = pytest.mark.slow
ZOOMED = {"width": PHONE["width"] // 2, "height": PHONE["height"] // 2}  # 200% zoom
PAGES = ("/", "/history", "/insights", "/safety", "/settings", "/log/sleep")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(tmp_path_factory.mktemp("display") / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            for entry in (
                {"kind": "dose", "amount": "2g", "at": "3 h ago"},
                {"kind": "pain", "score": 4, "at": "2 h ago"},
                {"kind": "pain", "score": 3, "at": "1 h ago"},
            ):
                client.post("/api/v1/entries", json=entry).raise_for_status()
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as launched:
        yield launched


def test_the_header_takes_under_15_percent_of_a_phone(browser: Any, site: str) -> None:
    with phone_page(browser, site) as page:
        for path in PAGES:
            page.goto(path)
            height = page.locator("header.top").bounding_box()["height"]
            assert height <= 0.15 * PHONE["height"], (path, height)


def test_at_200_percent_zoom_nothing_overflows_and_the_header_scrolls_away(
    browser: Any, site: str
) -> None:
    with phone_page(browser, site, viewport=ZOOMED) as page:
        for path in PAGES:
            page.goto(path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= ZOOMED["width"], (path, width)
            toggle = page.locator("[data-theme-toggle]").bounding_box()
            assert toggle["x"] + toggle["width"] <= ZOOMED["width"], path
            position = page.evaluate("getComputedStyle(document.querySelector('.top')).position")
            assert position == "static", path  # not sticky: it scrolls away with the page
            page.evaluate("window.scrollTo(0, 600)")  # the CSP allows no eval'd wait
            assert page.locator("header.top").bounding_box()["y"] < 0, path
        page.goto("/")
        shot(page, "today-200-percent-zoom", full_page=False)


def test_the_theme_follows_the_system_until_the_person_picks_one(browser: Any, site: str) -> None:
    with phone_page(browser, site, color_scheme="dark") as page:
        page.goto("/")
        toggle = page.locator("[data-theme-toggle]")
        background = "getComputedStyle(document.body).backgroundColor"
        assert toggle.inner_text() == "Theme: System"
        dark = page.evaluate(background)
        toggle.tap()
        assert toggle.inner_text() == "Theme: Light"
        light = page.evaluate(background)
        assert light != dark
        page.reload()  # remembered
        assert page.locator("[data-theme-toggle]").inner_text() == "Theme: Light"
        page.locator("[data-theme-toggle]").tap()
        assert page.locator("[data-theme-toggle]").inner_text() == "Theme: Dark"
        page.locator("[data-theme-toggle]").tap()
        assert page.locator("[data-theme-toggle]").inner_text() == "Theme: System"
        page.reload()
        assert page.evaluate(background) == dark  # back to following the system


def test_history_filters_by_kind_with_44px_targets(browser: Any, site: str) -> None:
    with phone_page(browser, site) as page:
        page.goto("/history")
        boxes = [
            page.locator(".entry-actions").first.locator(selector).bounding_box()
            for selector in ("a", "button")
        ]
        for box in boxes:
            assert box["width"] >= 44
            assert box["height"] >= 44
        assert boxes[1]["x"] - (boxes[0]["x"] + boxes[0]["width"]) >= 8  # apart
        assert page.locator(".entry").count() == 3
        page.get_by_role("link", name="Pain", exact=True).tap()  # one tap
        page.wait_for_url("**/history?kind=pain")
        kinds = page.locator(".entry .what strong").all_inner_texts()
        assert kinds == ["Pain", "Pain"]
        assert (
            page.get_by_role("link", name="Older days").get_attribute("href").endswith("&kind=pain")
        )
        shot(page, "history-filtered-390x844", full_page=False)
