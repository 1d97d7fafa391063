"""The clinician report button (Sharing page) and ``GET /api/v1/report.pdf``: a 2–4 page
PDF of the person's own journal; bad dates are an inline error or the one error shape."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest

from tests.factories import RED
from tests.web.conftest import Browser, Multi


def _pages(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


@pytest.fixture
def journal(local_client: Browser) -> Browser:
    local_client.put("/api/v1/profile", json={"timezone": "UTC", "limits": {"grams_per_day": 8}})
    local_client.post("/api/v1/products", json=RED.model_dump(mode="json"))
    for day in range(1, 15):
        for hours in (0, 6):
            local_client.post(
                "/api/v1/entries",
                json={
                    "kind": "dose",
                    "amount": "4caps",
                    "product": "Red Bali",
                    "at": f"{24 * day + hours} h ago",
                },
            )
        local_client.post(
            "/api/v1/entries", json={"kind": "pain", "score": day % 8, "at": f"{24 * day} h ago"}
        )
    return local_client


def test_the_sharing_page_has_the_report_button(journal: Browser) -> None:
    page = journal.get("/sharing").text
    assert "Clinician report (PDF)" in page
    form = re.search(r'<form method="get" action="/sharing/report.pdf".*?</form>', page, re.S)
    assert form
    assert 'name="from"' in form.group(0)
    assert 'name="to"' in form.group(0)
    assert '<label for="report-from">' in form.group(0)


def test_the_button_downloads_a_pdf(journal: Browser) -> None:
    first, last = re.findall(
        r'id="report-(?:from|to)" name="(?:from|to)" value="([\d-]+)"', journal.get("/sharing").text
    )
    response = journal.get("/sharing/report.pdf", params={"from": first, "to": last})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="speciosa-report-{first}-to-{last}.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    assert 2 <= _pages(response.content) <= 4


def test_the_api_gives_the_same_report(journal: Browser) -> None:
    first = (date.today() - timedelta(days=300)).isoformat()  # within the 366-day bound
    response = journal.get("/api/v1/report.pdf", params={"from": first})
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert f"speciosa-report-{first}-to-" in response.headers["content-disposition"]
    assert 2 <= _pages(response.content) <= 4
    assert journal.get("/api/v1/report.pdf").status_code == 200  # default: the last 90 days


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"from": "2026-13-01"}, "from", "must be a date written YYYY-MM-DD"),
        ({"to": "yesterday"}, "to", "must be a date written YYYY-MM-DD"),
        ({"from": "2025-03-01", "to": "2025-02-01"}, "from", "must not be after the last day"),
    ],
)
def test_bad_dates_are_refused_with_the_message(
    journal: Browser, query: dict[str, str], field: str, words: str
) -> None:
    page = journal.get("/sharing/report.pdf", params=query)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert f'id="{field}-error"' in page.text
    assert words in page.text
    api = journal.get("/api/v1/report.pdf", params=query)
    assert api.status_code == 422
    error = api.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_input", field)
    assert error["message"].startswith(f"{field}: ")
    assert words in error["message"]


def test_the_report_needs_a_signed_in_person(multi: Multi) -> None:
    alice = multi.person("alice")
    assert alice.get("/api/v1/report.pdf").status_code == 200  # an empty journal too
    assert multi.client().get("/api/v1/report.pdf").status_code == 403
    assert multi.client().get("/sharing/report.pdf").status_code == 303  # sign in first
