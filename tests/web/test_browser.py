"""The app in Debian's Chromium (headless, phone-sized), driven by Playwright: logging in
two taps, inline errors, the alcohol warning, a share link in a fresh browser, and an
axe-core accessibility check of every page. Screenshots land in artifacts/screenshots/.

Needs Chromium (``apt-get install chromium``) and axe-core (``make test-assets``); they
skip with the reason when missing, and fail instead when SPECIOSA_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.factories import RED
from tests.web.chromium import (
    AXE_DEFAULT,
    PHONE,
    ROOT,
    chromium_path,
    launch,
    missing,
    phone_page,
    serve,
    shot,
)

pytestmark = pytest.mark.slow

RATINGS = ROOT / "tests" / "fixtures" / "importers" / "ratings.csv"
SLOW = 120_000  # ms: the machine may be busy; these bounds only stop a hang
PAGES = {
    "today": "/",
    "history": "/history",
    "insights": "/insights",
    "safety": "/safety",
    "evidence": "/evidence",
    "products": "/products",
    "settings": "/settings",
    "sharing": "/sharing",
    "plans": "/plans",
    "log-dose": "/log/dose",
    "log-sleep": "/log/sleep",
    "log-headache": "/log/headache",
    "log-bowel": "/log/bowel",
    "log-substance": "/log/substance",
    "offline": "/offline",
    "routine": "/settings/routine",
    "setup": "/setup",
    "setup-about": "/setup/about",
    "setup-product": "/setup/product",
    "setup-usual": "/setup/usual",
}
# Pages the tests above reach (an import's status, a saved plan): checked by axe as well.
VISITED: dict[str, str] = {}


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


@pytest.fixture(scope="module")
def axe_script() -> Path:
    path = Path(os.environ.get("SPECIOSA_AXE_PATH") or AXE_DEFAULT)
    if not path.exists():
        missing(f"axe-core is not at {path} (make test-assets, or set SPECIOSA_AXE_PATH)")
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a loopback port, with a product and a recent dose."""
    database = tmp_path_factory.mktemp("browser") / "journal.sqlite"
    with serve(database) as base:
        _fill(base)
        yield base


def _fill(base: str) -> None:
    with httpx.Client(base_url=base) as client:
        client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 8}})
        client.post("/api/v1/products", json=RED.model_dump(mode="json"))
        for hours in range(48, 0, -6):
            client.post(
                "/api/v1/entries", json={"kind": "pain", "score": hours % 7, "at": f"{hours} h ago"}
            )
        client.post(
            "/api/v1/entries",
            json={"kind": "dose", "amount": "2caps", "product": "Red Bali", "at": "10 min ago"},
        )


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    with launch() as launched:
        yield launched


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    with phone_page(browser, server) as page:
        yield page


def _grams(page: Any) -> float:
    text = page.locator("#today-grams strong").first.inner_text()
    return float(text.split()[0])


def test_log_a_dose_in_two_taps_and_see_it_counted(phone: Any) -> None:
    phone.goto("/")
    before = _grams(phone)
    assert phone.locator("#quick-product").input_value() == "Red Bali"  # last product
    phone.get_by_role("button", name="Log dose now").tap()  # tap 1 (of at most 2)
    phone.wait_for_url("**/?logged=*")
    assert "Logged dose" in phone.get_by_role("status").first.inner_text()
    assert _grams(phone) == pytest.approx(before + 1.0)  # 2 caps x 0.5 g
    shot(phone, "today-after-dose")


def test_an_invalid_form_shows_its_message(phone: Any) -> None:
    phone.goto("/log/pain")
    phone.get_by_role("button", name="Log pain").tap()  # no score chosen: refused
    error = phone.locator("#score-error")
    error.wait_for()
    assert error.inner_text() == "Pain: choose a number from 0 to 10"
    assert phone.locator("#f-score-0").get_attribute("aria-invalid") == "true"
    shot(phone, "form-error")


def test_alcohol_after_a_dose_shows_the_warning(phone: Any) -> None:
    phone.goto("/")
    phone.get_by_role("link", name="Alcohol", exact=True).tap()
    assert phone.get_by_label("What (required)").input_value() == "alcohol"
    phone.get_by_role("button", name="Log substance").tap()
    phone.wait_for_url("**/?logged=*")
    alerts = phone.locator("section[aria-labelledby=alerts-h]").inner_text()
    assert "Kratom with alcohol" in alerts
    shot(phone, "today-alcohol-warning")


def test_a_share_link_opens_read_only_in_a_fresh_browser(
    phone: Any, browser: Any, server: str
) -> None:
    phone.goto("/sharing")
    phone.get_by_label("For whom (optional)").fill("Dr Rahman")
    phone.get_by_role("button", name="Create link").tap()
    link = phone.locator("#share-url").input_value()
    shot(phone, "sharing-created")
    clinician = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = clinician.new_page()
        page.goto(link)
        assert "read-only" in page.locator("h1").inner_text()
        assert page.locator("form").count() == 0
        assert page.locator("nav").count() == 0
        shot(page, "shared-view")
    finally:
        clinician.close()
    phone.goto("/sharing")
    assert "page" in phone.locator("section[aria-labelledby=log-h]").inner_text()


def test_an_import_shows_its_progress_until_done(phone: Any) -> None:
    phone.goto("/settings")
    phone.locator("#file").set_input_files(str(RATINGS))
    phone.get_by_role("button", name="Import", exact=True).tap()
    phone.wait_for_url("**/settings/import/*", timeout=SLOW)
    phone.locator("#import-job[data-state=done]").wait_for(timeout=SLOW)
    phone.locator("#import-summary").wait_for(timeout=SLOW)
    bar = phone.locator("progress#import-progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    assert "Added" in phone.locator("#import-summary").inner_text()
    shot(phone, "import-done")
    VISITED["import-done"] = urlsplit(phone.url).path


def test_an_experiment_is_previewed_then_saved(phone: Any) -> None:
    phone.goto("/plans")
    phone.get_by_text("Experiment form").tap()
    phone.get_by_label("Seed").fill("41")
    phone.locator("form[action^='/plans/experiment']").get_by_role("button", name="Preview").tap()
    assert "Preview (not saved)" in phone.locator("#preview").inner_text()
    phone.locator("form[action^='/plans/experiment']").get_by_role("button", name="Save plan").tap()
    phone.wait_for_url("**/plans?saved=*")
    assert "Running: Experiment" in phone.locator("h2#current-h").inner_text()
    shot(phone, "plans-running")  # the accessibility check below visits it too
    VISITED["plan"] = "/plans/1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("zoom", [1, 2], ids=["100%", "200%"])
def test_every_page_passes_axe_and_is_photographed(
    browser: Any, server: str, axe_script: Path, scheme: str, zoom: int
) -> None:
    # The app's CSP forbids injected scripts; only this checking browser may bypass it.
    # 200% zoom leaves half the CSS pixels: a 195x422 layout viewport.
    context = browser.new_context(
        viewport={side: size // zoom for side, size in PHONE.items()},
        is_mobile=True,
        has_touch=True,
        base_url=server,
        bypass_csp=True,
        color_scheme=scheme,
    )
    try:
        problems = _axe_every_page(context.new_page(), axe_script, scheme, zoom)
    finally:
        context.close()
    assert not problems, problems


def _axe_every_page(phone: Any, axe_script: Path, scheme: str, zoom: int) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    for name, path in (PAGES | VISITED).items():
        phone.goto(path)
        if zoom == 1:
            shot(phone, f"{name}-{scheme}")
        phone.add_script_tag(path=str(axe_script))
        result = phone.evaluate("async () => await axe.run(document)")
        bad = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if bad:
            problems[path] = bad
    return problems
