"""Share links: read-only, for a date range, expiring, revocable, every opening audited."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from speciosa.store.tables import ShareLink
from tests.web.conftest import Browser, Clock, Multi, csrf_of

# a body-less write sent as JSON (cross-site pages cannot send JSON)
JSON = {"content-type": "application/json"}


def _link(client: Browser, **body: object) -> tuple[dict[str, object], str]:
    created = client.post("/api/v1/shares", json=body)
    assert created.status_code == 201, created.text
    answer = created.json()
    url = str(answer["url"])
    return answer, url[url.index("/s/") + 3 :]


def test_a_link_shows_a_read_only_summary_and_is_audited(local_client: Browser) -> None:
    local_client.post("/api/v1/entries", json={"kind": "dose", "amount": "3g", "at": "2 h ago"})
    local_client.post("/api/v1/entries", json={"kind": "substance", "name": "wine"})
    answer, token = _link(local_client, label="Dr Rahman")
    assert answer["state"] == "active"
    assert answer["expires_at"] > answer["created_at"]

    page = local_client.get(f"/s/{token}")
    assert page.status_code == 200
    assert "read-only" in page.text
    assert "Dr Rahman" in page.text
    assert 'method="post"' not in page.text  # nothing on it can change the journal
    assert "Kratom with alcohol" in page.text
    shared = local_client.get(f"/api/v1/shared/{token}").json()
    assert shared["counts"] == {"dose": 1, "substance": 1}
    assert shared["summary"]["use_days"] == 1
    # the alerts as they stood at the range's end, in the engine's shape
    alcohol = next(a for a in shared["alerts"] if a["title"] == "Kratom with alcohol")
    assert {"at", "analogy", "source_ids"} <= set(alcohol)
    assert ("Applied by analogy" in page.text) == alcohol["analogy"]
    assert "<summary>Sources</summary>" in page.text

    log = local_client.get("/api/v1/share-accesses").json()
    assert [a["what"] for a in log] == ["api", "page"]
    assert "Dr Rahman" in local_client.get("/sharing").text


def test_default_expiry_is_14_days_and_expired_links_are_refused(
    local_client: Browser, clock: Clock
) -> None:
    answer, token = _link(local_client)
    assert (
        str(answer["expires_at"])[:10]
        == (clock.now.date().fromordinal(clock.now.date().toordinal() + 14)).isoformat()
    )
    clock.advance(days=14, seconds=1)
    refused = local_client.get(f"/s/{token}")
    assert refused.status_code == 410
    assert "expired" in refused.text
    assert local_client.get(f"/api/v1/shared/{token}").json()["error"]["status"] == 410


def test_revoked_links_are_refused(local_client: Browser) -> None:
    answer, token = _link(local_client, expires_in_days=30)
    revoked_now = local_client.delete(f"/api/v1/shares/{answer['id']}", headers=JSON)
    assert revoked_now.json()["state"] == "revoked"
    assert local_client.get(f"/s/{token}").status_code == 410
    # and through the page, with its CSRF token
    second, token2 = _link(local_client)
    csrf = csrf_of(local_client, "/sharing")
    revoked = local_client.post(f"/sharing/{second['id']}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert local_client.get(f"/s/{token2}").status_code == 410


def test_tokens_are_stored_hashed_and_ranges_checked(
    local_client: Browser, local_app: object
) -> None:
    _, token = _link(local_client)
    database = local_app.state.speciosa.speciosa.database  # type: ignore[attr-defined]
    with database.transaction() as session:
        hashes = list(session.scalars(select(ShareLink.token_hash)))
    assert token not in hashes
    bad = local_client.post(
        "/api/v1/shares", json={"first_day": "2026-02-01", "last_day": "2026-01-01"}
    )
    assert bad.json()["error"]["field"] == "first_day"
    too_long = local_client.post("/api/v1/shares", json={"expires_in_days": 400})
    assert too_long.json()["error"]["field"] == "expires_in_days"


def test_the_sharing_page_creates_a_link_once(multi: Multi) -> None:
    alice = multi.person("alice")
    csrf = csrf_of(alice, "/sharing")
    page = alice.post("/sharing", data={"csrf_token": csrf, "label": "GP", "expires_in_days": "7"})
    assert page.status_code == 200
    assert "shown only now" in page.text
    visitor = multi.client()  # a clinician's browser, not signed in
    link = re.search(r'href="https://127\.0\.0\.1(/s/[^"]+)" id="share-link"', page.text)
    assert link, page.text
    assert visitor.get(link.group(1)).status_code == 200


def test_a_link_runs_the_analyses_once_for_its_answers_and_charts(
    local_client: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A counting wrapper around the real analyses: the page's answers and its charts come
    # from one run (the charts need only the daily frame), and a second opening of the
    # unchanged journal reuses both.
    import speciosa.insights as insights_package

    runs: list[int] = []
    real = insights_package.analyse

    def counted(*args: object, **kwargs: object) -> object:
        runs.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(insights_package, "analyse", counted)
    for day in range(1, 8):
        local_client.post(
            "/api/v1/entries", json={"kind": "pain", "score": day % 5, "at": f"{day} days ago"}
        )
    _, token = _link(local_client)
    assert local_client.get(f"/s/{token}").status_code == 200
    assert len(runs) == 1
    assert local_client.get(f"/s/{token}").status_code == 200
    assert len(runs) == 1
