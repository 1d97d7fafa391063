"""Sign-in limits kept in the database, and the account page: change password, sign out
everywhere, idle sessions, deleting the account (its rows: tests/app/test_account_deletion)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from speciosa.app import sharing
from speciosa.store.tables import Owner
from speciosa.web import create_app
from tests.conftest import Cli
from tests.web.conftest import PASSWORD, Browser, Clock, Multi, csrf_of, multi_settings

WRONG = {"password": "not the password at all"}


class Apps:
    """Several app instances (workers, or one server restarted) on one database."""

    def __init__(self, database_url: str, clock: Clock) -> None:
        self.url, self.clock = database_url, clock
        self.opened: list[tuple[FastAPI, Browser]] = []

    def start(self, **settings: object) -> FastAPI:
        return create_app(multi_settings(self.url, **settings), clock=self.clock)

    def browser(self, app: FastAPI) -> Browser:
        client = Browser(app, base_url="https://127.0.0.1")
        self.opened.append((app, client))
        return client

    def stop(self, app: FastAPI) -> None:
        app.state.speciosa.speciosa.close()

    def close(self) -> None:
        for app, client in self.opened:
            client.close()
            app.state.speciosa.speciosa.close()


@pytest.fixture
def apps(database_url: str, clock: Clock) -> Iterator[Apps]:
    made = Apps(database_url, clock)
    yield made
    made.close()


def _sign_in(client: Browser, username: str, password: str, **headers: str) -> int:
    answer = client.post(
        "/api/v1/session", json={"username": username, "password": password}, headers=headers
    )
    return answer.status_code


def _sign_up(client: Browser, username: str) -> None:
    answer = client.post(
        "/api/v1/accounts",
        json={"username": username, "password": PASSWORD, "timezone": "Europe/London"},
    )
    assert answer.status_code == 201, answer.text


def test_account_limit_holds_across_instances_and_a_restart(apps: Apps, clock: Clock) -> None:
    first, second = apps.start(), apps.start()
    one, two = apps.browser(first), apps.browser(second)
    _sign_up(one, "alice")
    for _ in range(5):  # login_attempts: 5 per 15 minutes
        assert _sign_in(one, "alice", WRONG["password"]) == 401
    # the other worker refuses even the right password
    assert _sign_in(two, "Alice ", PASSWORD) == 429
    apps.stop(first)
    apps.stop(second)
    restarted = apps.browser(apps.start())
    refused = restarted.post("/api/v1/session", json={"username": "alice", "password": PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    clock.advance(minutes=15, seconds=1)
    assert _sign_in(restarted, "alice", PASSWORD) == 200


def test_one_address_trying_many_usernames_is_limited(apps: Apps) -> None:
    app = apps.start()
    browser = apps.browser(app)
    _sign_up(browser, "alice")
    for n in range(10):  # login_attempts_per_address: 10, whichever names are tried
        assert _sign_in(browser, f"someone{n}", WRONG["password"]) == 401
    assert _sign_in(browser, "someone-else", WRONG["password"]) == 429
    # X-Forwarded-For is not believed by default: a forged one does not escape the limit
    assert _sign_in(browser, "alice", PASSWORD, **{"x-forwarded-for": "198.51.100.7"}) == 429
    # the limit is on the address, not on alice: from elsewhere she still signs in
    proxied = apps.browser(apps.start(forwarded_allow_ips=("127.0.0.1",)))
    assert _sign_in(proxied, "alice", PASSWORD, **{"x-forwarded-for": "198.51.100.7"}) == 200


def test_sign_ups_from_one_address_are_limited_across_workers(apps: Apps, clock: Clock) -> None:
    one, two = apps.browser(apps.start()), apps.browser(apps.start())
    _sign_up(one, "alice")
    taken = one.post("/api/v1/accounts", json={"username": "alice", "password": PASSWORD})
    assert taken.status_code == 422  # refused (generic words); a taken name counts as a try
    for _ in range(6):  # weak passwords do not count: finding a strong one takes tries
        weak = two.post("/api/v1/accounts", json={"username": "newcomer", "password": "password12"})
        assert weak.status_code == 422
        assert weak.json()["error"]["field"] == "password"
    for n in range(3):  # signups_per_address: 5 per 15 minutes, on whichever worker
        _sign_up(two, f"person{n}")
    refused = one.post("/api/v1/accounts", json={"username": "bulk", "password": PASSWORD})
    assert refused.status_code == 429
    assert refused.json()["error"]["message"].startswith("too many sign-ups from here")
    assert 0 < int(refused.headers["retry-after"]) <= 15 * 60
    # the page says so on the form, with nothing created
    page = two.post(
        "/signup",
        data={"csrf_token": csrf_of(two, "/signup"), "username": "bulk", "password": PASSWORD},
    )
    assert page.status_code == 429
    assert "too many sign-ups from here" in page.text
    assert _sign_in(two, "bulk", PASSWORD) == 401
    clock.advance(minutes=15, seconds=1)
    _sign_up(one, "bulk")


def test_a_trusted_proxy_forwards_each_clients_own_address(apps: Apps) -> None:
    proxied = apps.browser(apps.start(forwarded_allow_ips=("127.0.0.0/8",)))
    for n in range(10):
        assert (
            _sign_in(proxied, f"x{n}abc", "wrong password", **{"x-forwarded-for": "203.0.113.5"})
            == 401
        )
    guessed = {"x-forwarded-for": "203.0.113.5"}
    assert _sign_in(proxied, "yabc", "wrong password", **guessed) == 429
    other = {"x-forwarded-for": "203.0.113.6"}
    assert _sign_in(proxied, "yabc", "wrong password", **other) == 401


def _form(client: Browser, path: str, **fields: str) -> int:
    data = {"csrf_token": csrf_of(client, "/account")} | fields
    return client.post(path, data=data).status_code


def test_changing_the_password_signs_out_other_sessions(multi: Multi) -> None:
    phone = multi.person("alice")
    laptop = multi.client()
    assert _sign_in(laptop, "alice", PASSWORD) == 200
    wrong = phone.post(
        "/account/password",
        data={
            "csrf_token": csrf_of(phone, "/account"),
            "current_password": "not it",
            "password": "a brand new walrus lantern",
        },
    )
    assert wrong.status_code == 422
    assert "current password" in wrong.text.lower()
    weak = _form(phone, "/account/password", current_password=PASSWORD, password="password12")
    assert weak == 422
    new = "a brand new walrus lantern"
    assert _form(phone, "/account/password", current_password=PASSWORD, password=new) == 303
    assert phone.get("/api/v1/today").status_code == 200  # this browser stays signed in
    assert laptop.get("/api/v1/today").status_code == 403  # the other one is out
    assert _sign_in(multi.client(), "alice", PASSWORD) == 401
    assert _sign_in(multi.client(), "alice", new) == 200


def test_the_api_changes_the_password_signs_out_everywhere_and_deletes(multi: Multi) -> None:
    phone = multi.person("alice")
    laptop = multi.client()
    assert _sign_in(laptop, "alice", PASSWORD) == 200
    new = "a brand new walrus lantern"
    wrong = phone.post(
        "/api/v1/account/password", json={"current_password": "not it", "password": new}
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["field"] == "current_password"
    changed = phone.post(
        "/api/v1/account/password", json={"current_password": PASSWORD, "password": new}
    )
    assert changed.status_code == 204
    assert phone.get("/api/v1/today").status_code == 200  # this session stays
    assert laptop.get("/api/v1/today").status_code == 403  # the other one ended
    assert _sign_in(laptop, "alice", new) == 200
    # a write without a JSON body carries the session's CSRF token
    token = phone.get("/api/v1/session").json()["csrf_token"]
    assert phone.post("/api/v1/account/sign-out-everywhere").status_code == 403
    everywhere = phone.post("/api/v1/account/sign-out-everywhere", headers={"x-csrf-token": token})
    assert everywhere.status_code == 204
    assert phone.get("/api/v1/today").status_code == 403
    assert laptop.get("/api/v1/today").status_code == 403
    assert _sign_in(phone, "alice", new) == 200
    refused = phone.post("/api/v1/account/delete", json={"current_password": PASSWORD})
    assert refused.status_code == 422  # the old password no longer confirms anything
    assert phone.post("/api/v1/account/delete", json={"current_password": new}).status_code == 204
    assert phone.get("/api/v1/today").status_code == 403
    assert _sign_in(multi.client(), "alice", new) == 401  # the account is gone


def test_sign_out_everywhere(multi: Multi) -> None:
    phone = multi.person("alice")
    laptop = multi.client()
    assert _sign_in(laptop, "alice", PASSWORD) == 200
    answer = phone.post(
        "/account/sign-out-everywhere", data={"csrf_token": csrf_of(phone, "/account")}
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    assert phone.get("/api/v1/today").status_code == 403
    assert laptop.get("/api/v1/today").status_code == 403


def test_idle_sessions_end(apps: Apps, clock: Clock) -> None:
    browser = apps.browser(apps.start(idle_minutes=20))
    _sign_up(browser, "alice")
    for _ in range(3):  # used every 19 minutes: stays signed in for an hour
        clock.advance(minutes=19)
        assert browser.get("/api/v1/today").status_code == 200
    clock.advance(minutes=20, seconds=1)
    assert browser.get("/api/v1/today").status_code == 403
    clock.advance(seconds=-30)  # and the idle session was ended, not only refused
    assert browser.get("/api/v1/today").status_code == 403


def test_the_default_idle_timeout_is_thirty_minutes(multi: Multi, clock: Clock) -> None:
    alice = multi.person("alice")
    clock.advance(minutes=29)
    assert alice.get("/api/v1/today").status_code == 200
    clock.advance(minutes=30, seconds=1)
    assert alice.get("/api/v1/today").status_code == 403


def test_deleting_the_account_offers_the_export_first(multi: Multi) -> None:
    alice = multi.person("alice")
    page = alice.get("/account")
    assert page.status_code == 200
    assert page.text.index('href="/api/v1/export"') < page.text.index('action="/account/delete"')
    assert _form(alice, "/account/delete", current_password="not it") == 422
    assert alice.get("/api/v1/today").status_code == 200
    assert _form(alice, "/account/delete", current_password=PASSWORD) == 303
    assert alice.get("/api/v1/today").status_code == 403
    assert _sign_in(multi.client(), "alice", PASSWORD) == 401


def test_the_account_page_is_multi_user_only(local_client: Browser) -> None:
    assert local_client.get("/account").status_code == 409


def test_refused_share_attempts_keep_the_coarse_network(multi: Multi, clock: Clock) -> None:
    alice = multi.person("alice")
    made = alice.post("/api/v1/shares", json={"expires_in_days": 1}).json()
    token = made["url"].rsplit("/", 1)[1]
    visitor = multi.client()
    assert visitor.get(f"/s/{token}").status_code == 200
    clock.advance(days=1, seconds=1)
    assert visitor.get(f"/s/{token}").status_code == 410
    speciosa = multi.app.state.speciosa.speciosa  # the database the pages use
    with speciosa.transaction() as session:
        alice_id = session.scalar(select(Owner.id).where(Owner.username == "alice"))
    with speciosa.journal(alice_id) as journal:
        log = sharing.accesses(journal)
    assert [(a.what, a.client_net) for a in log] == [
        ("page: refused, expired", "127.0.0.0/24"),  # the /24, never the address
        ("page", None),  # an opening that worked keeps no address
    ]


def test_serve_refuses_a_proxy_that_is_not_an_address(cli: Cli) -> None:
    result = cli("serve", "--multi-user", "--forwarded-allow-ips", "127.0.0.1,proxy.lan")
    assert result.exit_code == 2
    assert "--forwarded-allow-ips" in result.stderr
    assert "'proxy.lan' is not an IP address or network" in " ".join(result.stderr.split())
