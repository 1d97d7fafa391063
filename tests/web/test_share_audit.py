"""Refused share-link attempts are audited with a coarse address; multi-user servers
need their host names, so a forged Host header never reaches a share link's URL."""

from __future__ import annotations

import logging

import pytest

from speciosa.errors import InvalidInput
from speciosa.web import WebSettings
from tests.web.conftest import PASSWORD, SECRET, Browser, Clock, Multi


def _link(client: Browser, **body: object) -> tuple[int, str]:
    created = client.post("/api/v1/shares", json=body)
    assert created.status_code == 201, created.text
    url = str(created.json()["url"])
    return int(created.json()["id"]), url[url.index("/s/") + 3 :]


def test_refused_attempts_are_in_the_audit_log(
    multi: Multi, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    alice = multi.person("alice")
    visitor = multi.client()
    revoked_id, revoked = _link(alice, expires_in_days=30)
    token = alice.get("/api/v1/session").json()["csrf_token"]
    assert alice.delete(f"/api/v1/shares/{revoked_id}", headers={"x-csrf-token": token}).is_success
    expiring_id, expiring = _link(alice, expires_in_days=1)
    assert visitor.get(f"/s/{expiring}").status_code == 200
    clock.advance(days=1, seconds=1)
    with caplog.at_level(logging.WARNING, logger="speciosa.app.sharing"):
        assert visitor.get(f"/s/{revoked}").status_code == 410
        assert visitor.get(f"/api/v1/shared/{expiring}").status_code == 410
        assert visitor.get("/s/not-a-real-token-at-all").status_code == 404
    # a day later her session has gone idle: she signs in again to read the log
    again = {"username": "alice", "password": PASSWORD}
    assert alice.post("/api/v1/session", json=again).status_code == 200
    log = alice.get("/api/v1/share-accesses").json()
    assert [(a["share_id"], a["what"]) for a in log] == [
        (expiring_id, "api: refused, expired"),
        (revoked_id, "page: refused, revoked"),
        (expiring_id, "page"),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "speciosa.app.sharing"]
    assert len(lines) == 3
    assert "unknown link" in lines[2]
    for line in lines:
        # the in-process client is 127.0.0.1: the audit keeps its /24, never the address
        assert "127.0.0.0/24" in line
        assert "127.0.0.1" not in line
        assert "not-a-real-token" not in line
    assert "refused, revoked" in alice.get("/sharing").text


def test_share_urls_use_an_allowed_host_only(multi: Multi) -> None:
    alice = multi.person("alice")
    forged = alice.post("/api/v1/shares", json={}, headers={"host": "evil.example"})
    assert forged.status_code == 400  # the trusted-host check refuses it before any link
    error = forged.json()["error"]  # in the one error shape, naming the header at fault
    assert (error["status"], error["field"]) == (400, "host")
    assert "host name" in error["message"]
    page = alice.get("/today", headers={"host": "evil.example"})
    assert page.status_code == 400
    assert "text/html" in page.headers["content-type"]
    assert "does not answer to that host name" in page.text
    created = alice.post("/api/v1/shares", json={})
    assert created.json()["url"].startswith("https://127.0.0.1/s/")


def test_multi_user_mode_needs_allowed_hosts() -> None:
    for hosts in ((), ("*",)):
        with pytest.raises(InvalidInput) as refused:
            WebSettings(multi_user=True, secret_key=SECRET, allowed_hosts=hosts)
        assert refused.value.field == "allowed_hosts"
        assert "--allowed-host" in str(refused.value)
    named = WebSettings(multi_user=True, secret_key=SECRET, allowed_hosts=("journal.example.org",))
    assert named.hosts() == ["journal.example.org"]


def test_local_mode_answers_loopback_names_only(local_client: Browser) -> None:
    # DNS rebinding: a page on another name pointed at 127.0.0.1 must not read the journal.
    for name in ("127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert local_client.get("/api/v1/today", headers={"host": name}).status_code == 200
    rebound = local_client.get("/api/v1/today", headers={"host": "attacker.example:8000"})
    assert rebound.status_code == 400
    assert rebound.json()["error"]["field"] == "host"
