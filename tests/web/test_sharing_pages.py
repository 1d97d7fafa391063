"""The Sharing page and the clinician's link view: what the PDF shows, said to the clinician;
one default period; the access log in words; closed links said plainly; revoke confirmed."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from speciosa.app import report as app_report
from speciosa.app import sharing
from speciosa.web.sharing import device_words
from tests.web.chromium import AXE_DEFAULT, launch, missing, phone_page, serve, shot
from tests.web.conftest import Browser, Clock, csrf_of

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:120.0) Gecko/20100101 Firefox/120.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36"
)


def _journal(client: Browser) -> None:
    """A person with conditions, a medicine, a lab-tested product, doses and a PEG score."""
    profile = client.get("/api/v1/profile").json()
    profile |= {
        "conditions": ["fibromyalgia"],
        "medications": [{"name": "sertraline", "substance_class": "ssri"}],
    }
    assert client.put("/api/v1/profile", json=profile).is_success
    product = {
        "name": "Red Bali",
        "form": "powder",
        "batches": [{"code": "B7", "lab": {"lab": "Lab One", "passed": True}}],
    }
    assert client.post("/api/v1/products", json=product).status_code == 201
    for hours in (2, 26, 50):
        dose = {"kind": "dose", "amount": "3g", "product": "Red Bali", "at": f"{hours} h ago"}
        assert client.post("/api/v1/entries", json=dose).status_code == 201
    peg = {"kind": "questionnaire", "instrument": "peg", "items": [5, 4, 6]}
    assert client.post("/api/v1/entries", json=peg).status_code == 201


def _link(client: Browser, **body: object) -> tuple[int, str]:
    created = client.post("/api/v1/shares", json=body)
    assert created.status_code == 201, created.text
    url = str(created.json()["url"])
    return int(created.json()["id"]), url[url.index("/s/") + 3 :]


def test_the_link_view_shows_the_pdfs_sections_to_the_clinician(local_client: Browser) -> None:
    _journal(local_client)
    _, token = _link(local_client, label="Dr Rahman")
    page = local_client.get(f"/s/{token}")
    assert page.status_code == 200
    text = page.text
    for heading in (
        "Person and period",
        "Kratom use",
        "Products and lab results",
        "Safety alerts",
        "Personal analyses (96% intervals)",
        "Questionnaires",
    ):
        assert f">{heading}</h2>" in text, heading
    assert "fibromyalgia" in text
    assert "sertraline (serotonergic)" in text  # the class as the profile stores it
    assert "Red Bali" in text
    assert "B7: passed, Lab One" in text
    assert "Pain, Enjoyment, General activity" in text or "PEG" in text
    # spoken to the clinician, about the person: never "your"
    assert "The person's journal shows kratom on 3 of 3 logged days" in text
    assert "Shared with you (Dr Rahman)" in text
    assert not re.search(r"\byour\b", _own_words(text), re.IGNORECASE)
    assert 'method="post"' not in text
    assert f'href="/s/{token}/report.pdf"' in text


def _own_words(html: str) -> str:
    # Alerts are the engine's own text, written to the person: the view's words are the rest.
    return re.sub(r'<article class="alert.*?</article>', "", html, flags=re.DOTALL)


def test_the_link_offers_the_same_days_as_a_pdf_and_logs_it(local_client: Browser) -> None:
    _journal(local_client)
    share_id, token = _link(local_client)
    pdf = local_client.get(f"/s/{token}/report.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    first, last = re.findall(r"\d{4}-\d{2}-\d{2}", pdf.headers["content-disposition"])
    shared = local_client.get(f"/api/v1/shares/{share_id}").json()
    assert (first, last) == (shared["first_day"], shared["last_day"])
    words = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Red Bali" in words
    assert "sertraline" in words
    assert "pdf" in [a["what"] for a in local_client.get("/api/v1/share-accesses").json()]


def test_one_default_period_for_the_link_and_the_pdf(local_client: Browser) -> None:
    assert sharing.DEFAULT_RANGE_DAYS == app_report.DEFAULT_DAYS
    share_id, _ = _link(local_client)
    shared = local_client.get(f"/api/v1/shares/{share_id}").json()
    page = local_client.get("/sharing").text
    first = re.search(r'id="first_day" name="first_day" value="([\d-]+)"', page)
    report_first = re.search(r'id="report-from" name="from" value="([\d-]+)"', page)
    assert first
    assert report_first
    assert first.group(1) == report_first.group(1) == shared["first_day"]


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (CHROME_ANDROID, "Chrome on Android"),
        ("python-httpx/0.27.0", "a program (python-httpx)"),  # a script, not a browser
        (None, "unknown browser"),
    ],
)
def test_device_words(agent: str | None, words: str) -> None:
    assert device_words(agent) == words


def test_the_access_log_says_device_and_browser_in_words(local_client: Browser) -> None:
    _, token = _link(local_client)
    assert local_client.get(f"/s/{token}", headers={"user-agent": SAFARI_IPHONE}).is_success
    assert local_client.get(f"/s/{token}", headers={"user-agent": FIREFOX_WINDOWS}).is_success
    page = local_client.get("/sharing").text
    assert "Safari on iPhone" in page
    assert "Firefox on Windows" in page
    assert "Mozilla/5.0" not in page  # never the raw string


@pytest.mark.parametrize("how", ["revoked", "expired", "unknown"])
def test_a_closed_link_says_so_plainly(local_client: Browser, clock: Clock, how: str) -> None:
    share_id, token = _link(local_client, expires_in_days=1)
    if how == "revoked":
        form = {"csrf_token": csrf_of(local_client, "/sharing")}
        assert local_client.post(f"/sharing/{share_id}/revoke", data=form).status_code == 303
    elif how == "expired":
        clock.advance(days=1, seconds=1)
    else:
        token = "not-a-real-token-at-all"
    page = local_client.get(f"/s/{token}")
    assert page.status_code == (404 if how == "unknown" else 410)
    assert "This link no longer works" in page.text
    assert "ask them to send you a new link" in page.text
    expected = {"revoked": "withdrawn", "expired": "expired", "unknown": "not valid"}[how]
    assert expected in page.text
    for never in ("Error 410", "Error 404", "Back to Today", "410", 'aria-label="Main"'):
        assert never not in page.text
    assert local_client.get(f"/s/{token}/report.pdf").status_code == page.status_code


def test_revoke_confirms_and_stays_on_the_sharing_page(local_client: Browser) -> None:
    share_id, token = _link(local_client, label="Dr Rahman")
    answer = local_client.post(
        f"/sharing/{share_id}/revoke",
        data={"csrf_token": csrf_of(local_client, "/sharing")},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/sharing?revoked={share_id}"
    page = local_client.get(answer.headers["location"])
    assert "Dr Rahman is revoked: it stopped working just now" in page.text
    assert "<h1>Share with a clinician</h1>" in page.text
    # the notice names only a link that is revoked, and only once asked
    assert "is revoked" not in local_client.get("/sharing").text
    assert local_client.get(f"/s/{token}").status_code == 410


def test_sharing_is_in_the_main_navigation(local_client: Browser) -> None:
    page = local_client.get("/").text
    nav = page[page.index('aria-label="Main"') : page.index("</nav>")]
    assert '<a href="/sharing">Sharing</a>' in nav
    on_sharing = local_client.get("/sharing").text
    assert '<a href="/sharing" aria-current="page">Sharing</a>' in on_sharing


# --------------------------------------------------------------------------- browser


def test_sharing_pages_in_chromium(tmp_path: Path, axe_script: Path) -> None:
    """The person creates a link in two taps; the clinician opens it; axe finds nothing serious."""
    import httpx

    database = tmp_path / "journal.db"
    with serve(database) as base, launch() as browser:
        with httpx.Client(base_url=base) as api:
            _journal(api)  # type: ignore[arg-type]
        taps = 0
        for scheme in ("light", "dark"):
            # The app's CSP forbids injected scripts; only this checking browser bypasses it.
            with phone_page(browser, base, color_scheme=scheme, bypass_csp=True) as page:
                page.goto("/sharing")
                page.fill("#label", "Dr Rahman")
                page.get_by_role("button", name="Create link").tap()
                taps = 1  # the label is optional: one tap makes a link
                url = page.locator("#share-url").input_value()
                assert "/s/" in url
                _axe_clean(page, axe_script)
                shot(page, f"sharing-page-{scheme}")
                page.goto(url)
                assert page.get_by_role("heading", name="Person and period").is_visible()
                assert page.locator("#shared-pdf").is_visible()
                _axe_clean(page, axe_script)
                shot(page, f"shared-link-clinician-{scheme}")
                page.goto(f"{base}/sharing")
                page.locator("form[action$='/revoke'] button").first.tap()
                page.wait_for_url("**/sharing?revoked=*")  # the same page, with what happened
                assert page.locator("#revoked-notice").is_visible()
                shot(page, f"sharing-page-revoked-{scheme}", full_page=False)
                page.goto(url)
                assert page.get_by_role("heading", name="This link no longer works").is_visible()
                _axe_clean(page, axe_script)
                shot(page, f"shared-link-revoked-{scheme}")
        assert taps <= 2


def _axe_clean(page: Any, axe_script: Path) -> None:
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("async () => await axe.run(document)")
    serious = [
        f"{v['id']}: {v['help']}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


@pytest.fixture
def axe_script() -> Path:
    path = Path(os.environ.get("SPECIOSA_AXE_PATH") or AXE_DEFAULT)
    if not path.exists():
        missing(f"axe-core is not at {path} (make test-assets, or set SPECIOSA_AXE_PATH)")
    return path
