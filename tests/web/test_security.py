"""CSRF on every form, accounts with argon2id, session cookies, the sign-in rate limit,
and settings that refuse unsafe defaults."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from speciosa.errors import InvalidInput
from speciosa.store.tables import Owner, WebSession
from speciosa.web import WebSettings
from speciosa.web.pages import page_routes
from tests.web.conftest import PASSWORD, SECRET, Browser, Clock, Multi, csrf_of


def _post_routes() -> list[str]:
    return sorted({r.path for r in page_routes() if "POST" in r.methods})


@pytest.mark.parametrize("path", _post_routes())
def test_every_form_post_needs_a_csrf_token(multi: Multi, path: str) -> None:
    alice = multi.person("alice")
    url = path.format(kind="pain", entry_id=1, name="x", share_id=1, plan_id=1, action="pause")
    missing = alice.post(url, data={"score": "3"})
    assert missing.status_code == 403, (path, missing.text[:200])
    forged = alice.post(url, data={"score": "3", "csrf_token": "0" * 64})
    assert forged.status_code == 403
    # another browser's valid token does not work here either
    other = multi.person("bob")
    stolen = alice.post(url, data={"score": "3", "csrf_token": csrf_of(other, "/settings")})
    assert stolen.status_code == 403


def test_local_mode_forms_need_a_token_too(local_client: Browser) -> None:
    assert local_client.post("/log/pain", data={"score": "3"}).status_code == 403
    token = csrf_of(local_client)
    assert (
        local_client.post("/log/pain", data={"score": "3", "csrf_token": token}).status_code == 303
    )


def test_accounts_hash_with_argon2id_and_sessions_are_hashed(multi: Multi) -> None:
    alice = multi.person("alice")
    database = multi.app.state.speciosa.speciosa.database
    with database.transaction() as session:
        stored = session.scalar(select(Owner.password_hash).where(Owner.username == "alice"))
        tokens = list(session.scalars(select(WebSession.token_hash)))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    cookie = alice.cookies.get("__Host-speciosa_session")
    assert cookie
    assert cookie not in tokens
    assert len(tokens) == 1


def test_session_cookie_flags(multi: Multi) -> None:
    browser = multi.client()
    response = browser.post("/api/v1/accounts", json={"username": "alice", "password": PASSWORD})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-speciosa_session=")
    for flag in ("HttpOnly", "Secure", "SameSite=lax", "Path=/"):
        assert flag.lower() in cookie.lower()


def test_sign_in_sign_out_and_wrong_passwords(multi: Multi) -> None:
    multi.person("alice")
    browser = multi.client()
    wrong = browser.post("/api/v1/session", json={"username": "alice", "password": "nope"})
    assert wrong.status_code == 401
    assert wrong.json()["error"]["value"] is None
    right = browser.post("/api/v1/session", json={"username": "alice", "password": PASSWORD})
    assert right.status_code == 200
    session = browser.get("/api/v1/session").json()
    assert session["username"] == "alice"
    # a bare DELETE is not JSON: it carries the CSRF token the session answer gives
    assert browser.delete("/api/v1/session").status_code == 403
    signed_out = browser.delete("/api/v1/session", headers={"x-csrf-token": session["csrf_token"]})
    assert signed_out.status_code == 204
    assert browser.get("/api/v1/session").status_code == 403


def test_login_is_rate_limited(multi: Multi) -> None:
    multi.person("alice")
    browser = multi.client()
    for _ in range(5):
        browser.post("/api/v1/session", json={"username": "alice", "password": "wrong"})
    limited = browser.post("/api/v1/session", json={"username": "alice", "password": PASSWORD})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0


def test_login_page_and_safe_redirects(multi: Multi) -> None:
    multi.person("alice")
    browser = multi.client()
    assert browser.get("/history").headers["location"] == "/login?next=/history"
    token = csrf_of(browser, "/login")
    signed = browser.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "next": "//evil.example/",
            "csrf_token": token,
        },
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/"  # never off-site
    assert browser.get("/history").status_code == 200


def test_sessions_expire(multi: Multi, clock: Clock) -> None:
    alice = multi.person("alice")
    clock.advance(days=15)
    assert alice.get("/api/v1/today").status_code == 403


def test_unsafe_settings_are_refused(tmp_path: object) -> None:
    with pytest.raises(InvalidInput) as no_secret:
        WebSettings(multi_user=True)
    assert no_secret.value.field == "secret_key"
    with pytest.raises(InvalidInput) as plain_cookies:
        WebSettings(multi_user=True, secret_key=SECRET, secure_cookies=False)
    assert plain_cookies.value.field == "secure_cookies"
    with pytest.raises(InvalidInput) as exposed:
        WebSettings(host="0.0.0.0")
    assert exposed.value.field == "host"
    # explicit development mode allows what a laptop needs
    assert WebSettings(multi_user=True, dev=True, secure_cookies=False).multi_user


def test_local_mode_answers_loopback_names_only(local_client: Browser) -> None:
    rebound = local_client.get("/", headers={"host": "evil.example"})
    assert rebound.status_code == 400


def test_security_headers(local_client: Browser) -> None:
    response = local_client.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
