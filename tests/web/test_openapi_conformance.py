"""The API answers as its OpenAPI document says: schemathesis drives every operation.

A bounded, seeded run (deterministic for CI) against the real app in-process, signed in:
local mode on a real SQLite file, and multi-user mode with an account on the real
PostgreSQL server. Each answer is
checked for: no server error, a documented status, a body that matches its documented
schema, and a 405 with an ``Allow`` header for a method the path does not have.

The client behaves as the API asks of one: it keeps its browser cookie and sends the
``x-csrf-token`` header that ``GET /api/v1/session`` gives (web/app.py's Guard).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from speciosa.journal.catalogues import ENTRY_KINDS
from speciosa.web import WebSettings, api, create_app
from speciosa.web.context import BROWSER_COOKIE
from tests.web.conftest import PASSWORD, SECRET, Browser

BASE = "http://127.0.0.1"
# Multi-user mode sets its cookies Secure (__Host- prefix): the client speaks https.
SECURE_BASE = "https://127.0.0.1"
OPENAPI = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    unsupported_method,
    allow_header_conformance,
]
# Few examples per operation: the run must stay near a minute on a loaded 2-core machine.
BOUNDED = settings(
    max_examples=5,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Signed:
    """What a signed-in client sends with every request."""

    headers: dict[str, str]
    cookies: dict[str, str]


def _sign_in(app: FastAPI, *, multi_user: bool) -> Signed:
    client = Browser(app, base_url=_base(multi_user))
    try:
        if multi_user:
            made = client.post(
                "/api/v1/accounts",
                json={"username": "sam", "password": PASSWORD, "timezone": "Europe/London"},
            )
            assert made.status_code == 201, made.text
        else:
            client.get("/api/v1/session")  # sets the browser cookie
        session = client.get("/api/v1/session")
        assert session.status_code == 200, session.text
        token = session.json()["csrf_token"]
        cookies = {name: value for name, value in client.cookies.items() if value}
        assert BROWSER_COOKIE in cookies
        return Signed({"x-csrf-token": token}, cookies)
    finally:
        client.close()


def _document() -> dict[str, Any]:
    """The API's OpenAPI document, built from its router without opening a journal (the
    schema is needed when tests are collected); a test below keeps it equal to the app's."""
    app = FastAPI(title="Speciosa", openapi_url=OPENAPI)
    app.include_router(api.router)
    return app.openapi()


SCHEMA = schemathesis.openapi.from_dict(_document())


def _base(multi_user: bool) -> str:
    return SECURE_BASE if multi_user else BASE


@dataclass
class Running:
    """The app under test and a client signed in to it (cookies and CSRF header set)."""

    client: asgi.ASGIClient
    headers: dict[str, str]
    base: str


def _running(app: FastAPI, *, multi_user: bool) -> Iterator[Running]:
    signed = _sign_in(app, multi_user=multi_user)
    with asgi.get_client(app) as client:
        client.cookies.update(signed.cookies)
        base = _base(multi_user)
        # Signed in through this very client: else every answer would be a (documented) 403.
        who = client.get(f"{base}/api/v1/session", headers=signed.headers)
        assert who.status_code == 200, who.text
        assert who.json()["username"] == ("sam" if multi_user else "local")
        wrote = client.post(f"{base}/api/v1/entries/undo", headers=signed.headers)
        assert wrote.status_code == 404, wrote.text  # past the CSRF guard: nothing to undo
        yield Running(client, signed.headers, base)


@pytest.fixture
def local_app_running(sqlite_url: str) -> Iterator[Running]:
    app = create_app(WebSettings(database_url=sqlite_url))
    yield from _running(app, multi_user=False)
    asgi.shutdown_lifespans()  # the app's lifespan closes its journal


@pytest.fixture
def multi_app_running(postgres_url: str) -> Iterator[Running]:
    """Multi-user mode on PostgreSQL, as a clinic server runs (local mode above: SQLite)."""
    settings_ = WebSettings(
        database_url=postgres_url,
        multi_user=True,
        secret_key=SECRET,
        allow_signup=True,
        allowed_hosts=("127.0.0.1",),
    )
    app = create_app(settings_)
    yield from _running(app, multi_user=True)
    asgi.shutdown_lifespans()


def _call(case: Any, running: Running) -> None:
    case.call_and_validate(
        base_url=running.base, session=running.client, headers=running.headers, checks=CHECKS
    )


@pytest.mark.slow
@SCHEMA.parametrize()
@BOUNDED
def test_local_api_matches_its_openapi(case: Any, local_app_running: Running) -> None:
    _call(case, local_app_running)


@pytest.mark.slow
@SCHEMA.parametrize()
@BOUNDED
def test_multi_user_api_matches_its_openapi(case: Any, multi_app_running: Running) -> None:
    _call(case, multi_app_running)


def test_the_document_tested_is_the_apps(local_client: Browser) -> None:
    served = local_client.get(OPENAPI).json()
    built = _document()
    assert served["paths"] == built["paths"]
    assert served["components"] == built["components"]


def test_a_method_a_path_lacks_gives_405_with_every_allowed_method(local_client: Browser) -> None:
    """The Allow header lists every method of the path, from all of its routes."""
    token = local_client.get("/api/v1/session").json()["csrf_token"]
    answer = local_client.patch("/api/v1/profile", headers={"x-csrf-token": token})
    assert answer.status_code == 405, answer.text
    assert {m.strip() for m in answer.headers["allow"].split(",")} >= {"GET", "PUT"}
    assert answer.json()["error"]["code"] == "method_not_allowed"

    entry = local_client.put("/api/v1/entries/1", headers={"x-csrf-token": token})
    assert entry.status_code == 405
    assert {m.strip() for m in entry.headers["allow"].split(",")} >= {"GET", "PATCH", "DELETE"}

    trace = local_client.request("TRACE", "/api/v1/shares")
    assert trace.status_code == 405
    assert {m.strip() for m in trace.headers["allow"].split(",")} >= {"GET", "POST"}


def test_error_answers_are_documented(local_client: Browser) -> None:
    """Each operation lists the error statuses it can give, with the one error body."""
    document = local_client.get(OPENAPI).json()
    entry_post = document["paths"]["/api/v1/entries"]["post"]["responses"]
    for status in ("403", "413", "422"):
        assert status in entry_post, status
    error = entry_post["422"]["content"]["application/json"]["schema"]
    assert error == {"$ref": "#/components/schemas/ErrorAnswer"}


def test_an_empty_kind_is_refused_by_the_schema_and_the_api(local_client: Browser) -> None:
    document = local_client.get(OPENAPI).json()
    kind = document["components"]["schemas"]["EntryCreate"]["properties"]["kind"]
    assert kind["enum"] == list(ENTRY_KINDS)
    assert "" not in kind["enum"]
    answer = local_client.post("/api/v1/entries", json={"kind": ""})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "kind"


def test_an_id_past_the_databases_integers_is_refused_not_a_fault(local_client: Browser) -> None:
    """PostgreSQL's INTEGER ends at 2**31 - 1; schemathesis found a 500 past it."""
    for path in ("/api/v1/entries/2147483648", "/api/v1/shares/2147483648"):
        answer = local_client.get(path)
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"]["field"] in ("entry_id", "share_id")
    assert local_client.get("/api/v1/entries/2147483647").status_code == 404
