"""Today on a phone puts logging first: with three open alerts, the dose card and every
"log something else" button are on the first screen (390x844, real Chromium), each alert
is one line linking to its full text on Safety, and urgent ones stay on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.factories import RED
from tests.web.chromium import PHONE, launch, phone_page, serve, shot

pytestmark = pytest.mark.slow


def _three_alerts(base: str) -> list[dict[str, Any]]:
    """A dose with alcohol (warning), a benzodiazepine (urgent) and yellow eyes (urgent)."""
    with httpx.Client(base_url=base) as client:
        client.put("/api/v1/profile", json={"timezone": "UTC"})
        client.post("/api/v1/products", json=RED.model_dump(mode="json"))
        for entry in (
            {"kind": "dose", "amount": "2caps", "product": "Red Bali", "at": "2 h ago"},
            {"kind": "substance", "name": "alcohol", "at": "1 h ago"},
            {
                "kind": "substance",
                "name": "alprazolam",
                "substance_class": "benzodiazepine",
                "at": "1 h ago",
            },
            {"kind": "side_effect", "symptom": "jaundice", "at": "30 min ago"},
        ):
            client.post("/api/v1/entries", json=entry).raise_for_status()
        alerts: list[dict[str, Any]] = client.get("/api/v1/alerts").json()
        return alerts


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    with serve(tmp_path_factory.mktemp("today") / "journal.sqlite") as base:
        yield base, _three_alerts(base)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch() as launched:
        yield launched


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_logging_fits_the_first_screen_with_three_alerts(
    browser: Any, site: tuple[str, list[dict[str, Any]]], scheme: str
) -> None:
    base, alerts = site
    assert len(alerts) >= 3, [a["title"] for a in alerts]
    with phone_page(browser, base, color_scheme=scheme) as page:
        page.goto("/")
        targets = [page.locator("#log-dose"), *page.locator(".tiles .tile").all()]
        assert len(targets) > 5
        for target in targets:
            box = target.bounding_box()
            assert box is not None
            assert box["y"] + box["height"] <= PHONE["height"], (
                target.inner_text(),
                box,
            )
        lines = page.locator(".alert-line").all_inner_texts()
        assert len(lines) == len(alerts)
        assert all(alert["title"] in "\n".join(lines) for alert in alerts)
        urgent = page.locator(".urgent-alerts .alert-line").all_inner_texts()
        assert urgent
        assert all("URGENT" in line.upper() for line in urgent)
        shot(page, f"today-three-alerts-390x844-{scheme}", full_page=False)


def test_an_alert_line_opens_its_full_text_on_safety(
    browser: Any, site: tuple[str, list[dict[str, Any]]]
) -> None:
    base, _ = site
    with phone_page(browser, base) as page:
        page.goto("/")
        first = page.locator(".alert-line a").first
        title = first.inner_text()
        first.tap()  # one tap from Today to the full text
        page.wait_for_url("**/safety#alert-*")
        anchor = page.url.split("#", 1)[1]
        card = page.locator(f"article#{anchor}")
        assert card.count() == 1
        assert "What you can do" in card.inner_text()
        assert title.split(maxsplit=1)[1] in card.inner_text()


def test_a_seen_alert_folds_away_until_the_pattern_continues(
    browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with serve(tmp_path_factory.mktemp("seen") / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": "UTC"})
            client.post("/api/v1/entries", json={"kind": "dose", "amount": "3g", "at": "2 h ago"})
            client.post(
                "/api/v1/entries", json={"kind": "substance", "name": "beer", "at": "1 h ago"}
            )
        with phone_page(browser, base) as page:
            page.goto("/")
            line = page.locator("#today-alerts .alert-line").filter(has_text="alcohol")
            line.get_by_role("button", name="Seen").tap()  # one tap
            page.wait_for_url("**/?seen=1*")
            assert "Marked as seen" in page.get_by_role("status").first.inner_text()
            folded = page.locator("details.folded-alerts")
            assert "Marked as seen (1)" in folded.inner_text()
            assert page.locator("#today-alerts > .alert-lines").count() == 0
            shot(page, "today-alert-marked-seen", full_page=False)
            # Safety still lists it in full.
            page.goto("/safety")
            assert "Kratom with alcohol" in page.locator("main").inner_text()
        with httpx.Client(base_url=base) as client:  # the pattern continues: a new drink
            client.post("/api/v1/entries", json={"kind": "substance", "name": "beer"})
            today = client.get("/api/v1/today").json()
        alcohol = [a for a in today["alerts"] if "alcohol" in a["title"]]
        assert alcohol
        assert alcohol[0]["key"] not in today["seen_alerts"]
        with phone_page(browser, base) as page:
            page.goto("/")
            listed = page.locator("#today-alerts > .alert-lines").inner_text()
            assert "alcohol" in listed
