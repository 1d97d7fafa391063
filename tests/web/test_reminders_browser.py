"""In Debian's Chromium at phone size: turn on the morning diary reminder in Settings, see
it due on Today before last night's diary is logged and gone after. Screenshots of the
routine page and Today's due list, light and dark, land in artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.web.chromium import (
    AXE_DEFAULT,
    PHONE,
    SCREENSHOTS,
    chromium_path,
    launch,
    phone_page,
    serve,
    shot,
)

pytestmark = pytest.mark.slow
SLOW = 120_000  # ms: the machine may be busy; these bounds only stop a hang


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("reminders") / "journal.sqlite"
    with serve(database) as base:
        # Usual times that are always in the past at the next 04:00 day start, so the sleep
        # form's suggested times (last night's usual ones) can be logged at any hour.
        profile = {"timezone": "UTC", "bedtime": "20:00", "wake_time": "03:00"}
        assert httpx.put(f"{base}/api/v1/profile", json=profile).status_code == 200
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium_path()
    with launch() as launched:
        yield launched


def test_the_morning_reminder_is_due_until_the_diary_is_logged(browser: Any, server: str) -> None:
    with phone_page(browser, server) as page:
        page.set_default_timeout(SLOW)
        page.goto("/")
        assert page.locator("#due-now").count() == 0  # every reminder starts off
        page.goto("/settings")
        page.click("#routine-link")  # tap 1
        page.check("#morning_diary_on")  # tap 2
        # 04:00, when a journal day starts: the reminder time has always passed.
        page.fill("#morning_diary_at", "04:00")
        page.click("#save-routine")  # tap 3
        page.wait_for_selector("text=Reminders saved.")
        _photograph(page, "routine")
        page.goto("/")
        due = page.locator("#due-now")
        assert "Morning diary not logged yet" in due.inner_text()
        _photograph(page, "today-due-now")
        assert _axe(browser, server, ["/settings/routine", "/"]) == {}
        due.get_by_role("link", name="Morning diary not logged yet").click()
        page.wait_for_url("**/log/sleep")
        page.fill("input[name=minutes_to_fall_asleep]", "15")
        page.locator("form.entry-form button[type=submit]").click()
        page.wait_for_url(lambda url: "/log/" not in url)
        page.goto("/")
        assert page.locator("#due-now").count() == 0


def _axe(browser: Any, server: str, paths: list[str]) -> dict[str, list[str]]:
    """Serious or critical axe-core findings per page (skipped when axe is not installed)."""
    if not AXE_DEFAULT.exists():
        return {}
    # The app's CSP forbids injected scripts; only this checking browser may bypass it.
    context = browser.new_context(viewport=PHONE, is_mobile=True, base_url=server, bypass_csp=True)
    problems: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        for path in paths:
            page.goto(path)
            page.add_script_tag(path=str(AXE_DEFAULT))
            result = page.evaluate("async () => await axe.run(document)")
            bad = [
                f"{v['id']}: {v['help']}"
                for v in result["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            if bad:
                problems[path] = bad
    finally:
        context.close()
    return problems


def _photograph(page: Any, name: str) -> None:
    """The page as it is, then the same URL in dark mode (a second context)."""
    shot(page, f"reminders-{name}-light")
    context = page.context.browser.new_context(
        viewport=page.viewport_size,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        color_scheme="dark",
        base_url=None,
    )
    try:
        dark = context.new_page()
        dark.goto(page.url)
        shot(dark, f"reminders-{name}-dark")
    finally:
        context.close()
    assert (SCREENSHOTS / f"reminders-{name}-dark.png").stat().st_size > 0
