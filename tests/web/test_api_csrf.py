"""CSRF on every unsafe API request: a valid token or JSON, and never from another site
(``Origin``, ``Sec-Fetch-Site``); HSTS in multi-user mode."""

from __future__ import annotations

import pytest

from tests.web.conftest import Browser, Multi

EVIL = "https://evil.example"


def _refused(response: object) -> None:
    assert response.status_code == 403, response.text[:300]  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == "forbidden"  # type: ignore[attr-defined]


def _deleted_entry(person: Browser) -> None:
    logged = person.post("/api/v1/entries", json={"kind": "pain", "score": 4})
    assert logged.status_code == 201
    token = person.get("/api/v1/session").json()["csrf_token"]
    gone = person.delete(f"/api/v1/entries/{logged.json()['id']}", headers={"x-csrf-token": token})
    assert gone.status_code == 200


def test_a_bodyless_cross_site_undo_is_refused(multi: Multi) -> None:
    alice = multi.person("alice")
    _deleted_entry(alice)
    # the attack from the issue: no body, no content type, no token, from another site
    _refused(alice.post("/api/v1/entries/undo", headers={"origin": EVIL}))
    _refused(alice.post("/api/v1/entries/undo", headers={"sec-fetch-site": "cross-site"}))
    _refused(alice.post("/api/v1/entries/undo"))  # no token, not JSON: refused too
    # a token that is present but not this browser's is not enough
    _refused(alice.post("/api/v1/entries/undo", headers={"x-csrf-token": "0" * 64}))
    bob = multi.person("bob")
    stolen = bob.get("/api/v1/session").json()["csrf_token"]
    _refused(alice.post("/api/v1/entries/undo", headers={"x-csrf-token": stolen}))
    # nothing was undone by any of them
    assert alice.get("/api/v1/entries").json()["count"] == 0
    token = alice.get("/api/v1/session").json()["csrf_token"]
    undone = alice.post("/api/v1/entries/undo", headers={"x-csrf-token": token})
    assert undone.status_code == 200
    assert alice.get("/api/v1/entries").json()["count"] == 1


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": EVIL},
        {"origin": "null"},
        {"origin": "http://127.0.0.1"},  # the same host over plain http is another origin
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
    ],
)
def test_json_from_another_site_is_refused(multi: Multi, headers: dict[str, str]) -> None:
    alice = multi.person("alice")
    _refused(alice.post("/api/v1/entries", json={"kind": "pain", "score": 4}, headers=headers))
    assert alice.get("/api/v1/entries").json()["count"] == 0


def test_same_origin_json_and_tokens_pass(multi: Multi) -> None:
    alice = multi.person("alice")
    same = {"origin": "https://127.0.0.1", "sec-fetch-site": "same-origin"}
    logged = alice.post("/api/v1/entries", json={"kind": "pain", "score": 4}, headers=same)
    assert logged.status_code == 201
    signed_out = alice.delete(
        "/api/v1/session",
        headers={"x-csrf-token": alice.get("/api/v1/session").json()["csrf_token"]},
    )
    assert signed_out.status_code == 204


def test_cross_site_form_posts_to_pages_are_refused(multi: Multi) -> None:
    alice = multi.person("alice")
    response = alice.post(
        "/log/pain", data={"score": "3"}, headers={"sec-fetch-site": "cross-site"}
    )
    assert response.status_code == 403
    assert "another site" in response.text


def test_hsts_in_multi_user_mode_only(multi: Multi, local_client: Browser) -> None:
    answer = multi.client().get("/login")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in local_client.get("/").headers


def test_refusals_carry_the_security_headers(multi: Multi) -> None:
    refused = multi.client().post("/api/v1/entries/undo", headers={"origin": EVIL})
    assert refused.status_code == 403
    assert "default-src 'self'" in refused.headers["content-security-policy"]
