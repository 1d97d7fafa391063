"""Insights in one screen: on a 180-day demo journal, the summary (what the journal shows,
what is unclear, what it can't tell yet) ends within the first two screens of a 390x844
phone, each outcome at most once per part, and the method behind a tap."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.chromium import PHONE, launch, phone_page, serve, shot

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("insights") / "demo.sqlite"
    speciosa = Path(sys.executable).with_name("speciosa")  # the installed command
    command = [str(speciosa), "--db", str(database), "demo", "--days", "180"]
    subprocess.run(command, check=True, capture_output=True, timeout=600)
    with serve(Path(database)) as base:
        yield base


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_summary_fits_two_phone_screens(demo: str, scheme: str) -> None:
    with launch() as browser, phone_page(browser, demo, color_scheme=scheme) as page:
        page.goto("/insights")
        end = page.locator("details.answer-details").bounding_box()
        assert end["y"] + end["height"] <= 2 * PHONE["height"], end
        for part in page.locator("#answers-h ~ ul.summary-lines").all():
            outcomes = [
                name.strip().lower()
                for line in part.locator("li strong").all_inner_texts()
                for name in line.split(",")
            ]
            assert len(outcomes) == len(set(outcomes)), outcomes  # one line per outcome
        summary = page.locator("section[aria-labelledby=answers-h]").inner_text()
        assert "% CI" not in summary.split("Details of each answer")[0]  # numbers in words
        page.get_by_text("Details of each answer").tap()  # one tap to the details
        assert page.locator("details.answer-details .effect").first.is_visible()
        shot(page, f"insights-summary-390x844-{scheme}", full_page=False)


def test_the_method_string_stays_in_the_clinician_report(demo: str) -> None:
    with launch() as browser, phone_page(browser, demo) as page:
        page.goto("/insights")
        text: Any = page.locator("main").inner_text()
        assert "EWC" not in text
        assert "ν" not in text


def test_charts_are_readable_on_a_phone(demo: str) -> None:
    with launch() as browser, phone_page(browser, demo) as page:
        page.goto("/insights")
        chart = page.locator("svg.chart").first
        box = chart.bounding_box()
        ticks = chart.locator("text.tick")
        for i in range(ticks.count()):
            tick = ticks.nth(i).bounding_box()
            assert tick["height"] >= 10, tick  # about 11 px text, not 7
            assert box["x"] <= tick["x"]
            assert tick["x"] + tick["width"] <= box["x"] + box["width"]  # none clipped
        # A day with no neighbour draws no line: its point shows on its own (the demo's
        # pain and fatigue have such days, seed 1).
        solo = page.locator("svg.chart circle.pt.solo")
        assert solo.count() > 0
        assert solo.first.evaluate("p => getComputedStyle(p).opacity") == "1"
