"""Offline: Today opens from the service worker's shell, entries wait on the device, a
reconnect syncs them once each (``Idempotency-Key``), and a refused one stays for correction.

The API half runs in-process on SQLite and PostgreSQL; the browser half drives Debian's
Chromium with Playwright's ``context.set_offline``. Screenshots land in
artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import RED
from tests.web.chromium import chromium_path, launch, phone_page, serve, shot
from tests.web.conftest import Browser

KEY = "0f3c5b9e2d7a4c1f8e6b3a2d1c0f9e8d"
SLOW = 60_000  # ms: only stops a hang on a busy machine

# ---------------------------------------------------------------- the API: Idempotency-Key


def test_the_same_key_stores_an_entry_once(local_client: Browser) -> None:
    dose = {"kind": "dose", "amount": "3g", "at": "10 min ago"}
    first = local_client.post("/api/v1/entries", json=dose, headers={"Idempotency-Key": KEY})
    again = local_client.post("/api/v1/entries", json=dose, headers={"Idempotency-Key": KEY})
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert local_client.get("/api/v1/entries").json()["count"] == 1
    # another key, or none, is another entry
    other = local_client.post("/api/v1/entries", json=dose, headers={"Idempotency-Key": KEY[::-1]})
    plain = local_client.post("/api/v1/entries", json=dose)
    assert len({first.json()["id"], other.json()["id"], plain.json()["id"]}) == 3
    assert local_client.get("/api/v1/entries").json()["count"] == 3


def test_a_key_sent_again_with_another_entry_is_refused(local_client: Browser) -> None:
    # IETF draft-ietf-httpapi-idempotency-key-header §2.7: a key reused with a different
    # payload is an error (422), never a silent answer with the first entry.
    headers = {"Idempotency-Key": KEY}
    first = local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "3g"}, headers=headers
    )
    assert first.status_code == 201
    other = local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "5g"}, headers=headers
    )
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["field"] == "Idempotency-Key"
    assert "different entry" in error["message"]
    assert local_client.get("/api/v1/entries").json()["count"] == 1


def test_a_refused_entry_does_not_use_up_its_key(local_client: Browser) -> None:
    headers = {"Idempotency-Key": KEY}
    bad = local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "3x"}, headers=headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "amount"
    fixed = local_client.post(
        "/api/v1/entries", json={"kind": "dose", "amount": "3g"}, headers=headers
    )
    assert fixed.status_code == 201
    assert local_client.get("/api/v1/entries").json()["count"] == 1


def test_a_malformed_key_is_refused_by_name(local_client: Browser) -> None:
    answer = local_client.post(
        "/api/v1/entries",
        json={"kind": "pain", "score": 3},
        headers={"Idempotency-Key": "a b"},
    )
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["field"] == "Idempotency-Key"
    assert "8-100 letters" in error["message"]
    assert local_client.get("/api/v1/entries").json()["count"] == 0


def test_the_offline_shell_holds_no_health_data(local_client: Browser) -> None:
    local_client.post("/api/v1/products", json=RED.model_dump(mode="json"))
    local_client.post("/api/v1/entries", json={"kind": "dose", "amount": "7g", "note": "secret"})
    shell = local_client.get("/offline")
    assert shell.status_code == 200
    assert "Log dose now" in shell.text
    assert "Log score" in shell.text
    for private in ("Red Bali", "7 g", "secret", "Grams today"):
        assert private not in shell.text
    assert "<script>" not in shell.text  # CSP: app.js only


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium_path()
    with launch() as launched:
        yield launched


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh journal per test: Red Bali (0.5 g capsules) and Green Malay (powder only)."""
    with serve(tmp_path / "journal.sqlite") as base:
        with httpx.Client(base_url=base) as client:
            client.put("/api/v1/profile", json={"timezone": "UTC"})
            client.post("/api/v1/products", json=RED.model_dump(mode="json"))
            client.post("/api/v1/products", json={"name": "Green Malay", "form": "powder"})
        yield base


def _entries(base: str, kind: str = "dose") -> list[dict[str, Any]]:
    found = httpx.get(f"{base}/api/v1/entries", params={"kind": kind}).json()
    return list(found["data"])


def _load_once(page: Any) -> None:
    """Open Today online and wait until the service worker controls it."""
    page.goto("/")
    # a function, not an expression string: the page's CSP forbids eval
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=SLOW)


def _go_offline_and_reload(page: Any) -> None:
    page.context.set_offline(True)
    page.reload()
    page.get_by_text("You are offline.").wait_for(timeout=SLOW)


def _log_dose(page: Any, amount: str, product: str = "") -> None:
    page.get_by_label("Amount").fill(amount)
    page.get_by_label("Product").select_option(product)
    page.get_by_role("button", name="Log dose now").tap()


def test_two_doses_logged_offline_sync_once_each(browser: Any, server: str) -> None:
    with phone_page(browser, server) as page:
        _load_once(page)
        _go_offline_and_reload(page)
        assert page.locator("h1").inner_text().startswith("Today")
        taps = 0
        _log_dose(page, "3g")
        taps += 1  # amount typed; the product stays "(none)"
        page.get_by_role("button", name="Log dose now").tap()  # a double tap: still one
        _log_dose(page, "2caps", "Red Bali")
        taps += 2  # product picked, then logged
        summary = page.locator("[data-queue-summary]")
        assert "2 doses" in summary.inner_text()
        assert summary.inner_text().count("waiting to be sent") == 2
        assert _entries(server) == []  # nothing reached the server yet
        shot(page, "offline-today-queued")
        page.context.set_offline(False)  # reconnect: the "online" event syncs
        notice = page.locator("[data-sync-notice]")
        notice.get_by_text("2 entries synced").wait_for(timeout=SLOW)
        assert taps <= 3
        shot(page, "offline-synced")
        assert page.locator("[data-queued-note]").count() == 0  # no stale "kept" note
        notice.get_by_role("link", name="See them in History").tap()
        page.wait_for_url("**/history")
        history = page.locator("main").inner_text()
        assert "3 g" in history
        assert "1 g" in history
        doses = _entries(server)
        assert sorted(d["entry"]["amount"] for d in doses) == [2.0, 3.0]
        assert page.evaluate("localStorage.getItem('speciosa-offline-queue')") == "[]"


def test_a_refused_entry_is_kept_for_correction(browser: Any, server: str) -> None:
    with phone_page(browser, server) as page:
        _load_once(page)
        _go_offline_and_reload(page)
        # caps of a product without a capsule weight: the client cannot know, the server refuses
        _log_dose(page, "2caps", "Green Malay")
        _log_dose(page, "4g")
        page.context.set_offline(False)
        page.get_by_text("1 entry synced").wait_for(timeout=SLOW)
        panel = page.locator("[data-offline-panel]")
        assert "1 entry needs correcting" in panel.inner_text()
        assert "capsule" in panel.locator(".field-error").first.inner_text()
        assert len(_entries(server)) == 1
        shot(page, "offline-refused")
        page.reload()  # still there after a reload: never dropped
        amount = panel.get_by_label("Amount")
        assert amount.input_value() == "2caps"
        amount.fill("2g")
        panel.get_by_role("button", name="Send again").tap()
        page.get_by_text("1 entry synced").wait_for(timeout=SLOW)
        assert sorted(d["entry"]["amount"] for d in _entries(server)) == [2.0, 4.0]
        assert page.locator("[data-offline-panel]").inner_text() == ""


def test_entries_are_checked_before_they_are_kept(browser: Any, server: str) -> None:
    with phone_page(browser, server) as page:
        _load_once(page)
        _go_offline_and_reload(page)
        _log_dose(page, "3 spoons")
        error = page.locator("#quick-amount").locator("xpath=..").locator(".field-error")
        assert "g, mg, caps, tsp or tbsp" in error.inner_text()
        assert page.locator("#quick-amount").get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.activeElement.id") == "quick-amount"
        _log_dose(page, "2caps")  # capsules without a product: refused here, as the server would
        assert "needs a product" in page.locator(".field-error").first.inner_text()
        page.get_by_role("button", name="Log score").tap()  # no score chosen
        score_error = page.locator("form[data-kind=score] .field-error")
        assert score_error.inner_text() == "Pain score: choose a number from 0 to 10."
        assert page.evaluate("localStorage.getItem('speciosa-offline-queue') || '[]'") == "[]"
        # the quick kinds: a pain score and a bowel movement, each in two or three taps
        page.locator("#score-6").tap()
        page.get_by_role("button", name="Log score").tap()
        page.get_by_label("Bowel movement (Bristol type)").select_option("4")
        page.get_by_role("button", name="Log bowel movement").tap()
        assert "2 other entries logged" in page.locator("[data-queue-summary]").inner_text()
        page.context.set_offline(False)
        page.get_by_text("2 entries synced").wait_for(timeout=SLOW)
        assert [e["entry"]["score"] for e in _entries(server, "pain")] == [6]
        assert [e["entry"]["bristol"] for e in _entries(server, "bowel")] == [4]


def test_today_online_counts_what_waits_offline(browser: Any, server: str) -> None:
    with phone_page(browser, server) as page:
        _load_once(page)
        page.context.set_offline(True)  # the connection drops while Today is open
        page.evaluate("window.dispatchEvent(new Event('offline'))")
        _log_dose(page, "2caps", "Red Bali")
        count = page.locator("[data-queue-count]")
        assert count.inner_text() == "+ 1 dose logged offline, waiting to be sent"
        page.context.set_offline(False)
        page.get_by_text("1 entry synced").wait_for(timeout=SLOW)
        assert count.is_hidden()
        assert len(_entries(server)) == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_offline_screenshots(browser: Any, server: str, scheme: str) -> None:
    with phone_page(browser, server, color_scheme=scheme) as page:
        _load_once(page)
        _go_offline_and_reload(page)
        _log_dose(page, "3g")
        shot(page, f"offline-today-{scheme}", full_page=False)
        shot(page, f"offline-today-{scheme}-full")
        page.context.set_offline(False)
        page.get_by_text("1 entry synced").wait_for(timeout=SLOW)
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, f"offline-synced-{scheme}", full_page=False)
