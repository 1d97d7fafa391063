"""Sign-in takes as long for an unknown name as for a wrong password (the dummy hash
runs), and sign-up tells an anonymous caller no more than that a name cannot be used."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import pytest

from speciosa.app import credentials
from tests.web.conftest import PASSWORD, Browser, Multi

TRIES = 3  # under the sign-in limit (5 failures a name)


def _median_seconds(action: Callable[[], object]) -> float:
    times = []
    for _ in range(TRIES):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _hash_cost() -> float:
    """One argon2id verification on this machine, now (the machine may be busy)."""
    stored = credentials.hash_password("a password to time")
    return _median_seconds(lambda: credentials.verify_password(stored, "a wrong password"))


def _fails(browser: Browser, username: str) -> Callable[[], object]:
    def attempt() -> None:
        response = browser.post(
            "/api/v1/session", json={"username": username, "password": "a wrong password"}
        )
        assert response.status_code == 401
        assert response.json()["error"]["message"].endswith("the username or password is wrong")

    return attempt


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_unknown_user_and_wrong_password_take_the_same_time(multi: Multi) -> None:
    multi.person("alice")
    browser = multi.client()
    cost = _hash_cost()
    known = _median_seconds(_fails(browser, "alice"))
    unknown = _median_seconds(_fails(browser, "nobody-here"))
    # Both paths verify one hash: each takes at least about one hash's time, and they
    # differ by much less than one (a missing equaliser makes the gap a whole hash).
    assert unknown > 0.6 * cost, (unknown, cost)
    assert known > 0.6 * cost, (known, cost)
    assert abs(known - unknown) < 0.5 * cost, (known, unknown, cost)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sign_up_says_only_that_a_name_cannot_be_used(multi: Multi) -> None:
    multi.person("alice")
    answers = []
    for name in ("alice", "admin"):  # taken, reserved: one answer for both
        response = multi.client().post(
            "/api/v1/accounts", json={"username": name, "password": PASSWORD}
        )
        assert response.status_code == 422
        error = response.json()["error"]
        answers.append((error["field"], error["message"].replace(repr(name), "NAME")))
        assert "taken" not in error["message"]
    assert answers[0] == answers[1]
    assert answers[0][1] == "username: NAME is not allowed; choose another name"


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "password",
    [
        "password12",  # the example: 10 characters, a very common password
        "qwertyuiop",  # a keyboard row
        "zoe-password",  # the username with a common word
    ],
)
def test_sign_up_refuses_easy_passwords(multi: Multi, password: str) -> None:
    response = multi.client().post(
        "/api/v1/accounts", json={"username": "zoe", "password": password}
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "password"
    assert error["value"] is None  # never echoed
    assert "easy to guess" in error["message"]
    assert password not in error["message"]
