"""Web fixtures: the real app, in-process, on real SQLite and PostgreSQL databases.

``local_client`` is the default local mode (one journal, no sign-in). ``multi`` is the
multi-user mode with a real secret and secure cookies, reached over https in-process.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from speciosa.web import WebSettings, create_app

SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery"


class Browser:
    """httpx's client on the app in-process (ASGI transport), with a synchronous face."""

    def __init__(self, app: FastAPI, base_url: str) -> None:
        self._runner = asyncio.Runner()
        self._client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=base_url, follow_redirects=False
        )

    @property
    def cookies(self) -> httpx.Cookies:
        return self._client.cookies

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self._runner.run(self._client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)

    def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)

    def close(self) -> None:
        self._runner.run(self._client.aclose())
        self._runner.close()


class Clock:
    """A clock the tests can move (share links expire, sessions end)."""

    def __init__(self) -> None:
        # Yesterday at noon UTC: far from the 04:00 day boundary, so "3 h ago" is today.
        noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
        self.now = noon - timedelta(days=1)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def local_app(database_url: str, clock: Clock) -> Iterator[FastAPI]:
    app = create_app(WebSettings(database_url=database_url), clock=clock)
    yield app
    app.state.speciosa.speciosa.close()


@pytest.fixture
def local_client(local_app: FastAPI) -> Iterator[Browser]:
    client = Browser(local_app, base_url="http://127.0.0.1")
    yield client
    client.close()


def multi_settings(database_url: str, **extra: object) -> WebSettings:
    return WebSettings(
        database_url=database_url,
        multi_user=True,
        secret_key=SECRET,
        allow_signup=True,
        **({"allowed_hosts": ("127.0.0.1",)} | extra),  # type: ignore[arg-type]
    )


@pytest.fixture
def multi_app(database_url: str, clock: Clock) -> Iterator[FastAPI]:
    app = create_app(multi_settings(database_url), clock=clock)
    yield app
    app.state.speciosa.speciosa.close()


@dataclass
class Multi:
    app: FastAPI
    client: Callable[[], Browser]

    def person(self, username: str) -> Browser:
        """A browser signed up (and so signed in) as ``username``."""
        client = self.client()
        response = client.post(
            "/api/v1/accounts",
            json={"username": username, "password": PASSWORD, "timezone": "Europe/London"},
        )
        assert response.status_code == 201, response.text
        return client


@pytest.fixture
def multi(multi_app: FastAPI) -> Iterator[Multi]:
    opened: list[Browser] = []

    def make() -> Browser:
        client = Browser(multi_app, base_url="https://127.0.0.1")
        opened.append(client)
        return client

    yield Multi(multi_app, make)
    for client in opened:
        client.close()


CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def csrf_of(client: Browser, path: str = "/") -> str:
    """The CSRF token a page gives this browser (as a person's form would carry it)."""
    page = client.get(path)
    found = CSRF.search(page.text)
    assert found, f"no CSRF token on {path}: {page.status_code}"
    return found.group(1)


def wait_for_import(client: Browser, job_id: str) -> dict[str, Any]:
    """Poll an import's status route (as the page's script does) until it has finished."""
    for _ in range(6000):  # a loaded machine may be slow; the bound only stops a hang
        status = client.get(f"/api/v1/imports/{job_id}")
        assert status.status_code == 200, status.text
        job: dict[str, Any] = status.json()
        if job["state"] in ("done", "error"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"import {job_id} never finished: {job}")


def upload(client: Browser, name: str, content: bytes, *, dry_run: bool = False) -> str:
    """Upload a file on the Settings page; the id of the import job it starts."""
    data = {"csrf_token": csrf_of(client, "/settings")}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post("/settings/import", data=data, files={"file": (name, content)})
    assert response.status_code == 303, response.text[:500]
    location = response.headers["location"]
    assert location.startswith("/settings/import/")
    return location.rsplit("/", 1)[1]
