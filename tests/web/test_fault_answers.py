"""Faults on the web: a busy journal answers 503 with Retry-After, a journal from a newer
Speciosa answers 503 (at start-up and on a request), both in the one error shape, with
no health data and the journal unchanged."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from fastapi import FastAPI

from speciosa.web import WebSettings, create_app
from tests.faults import HEALTH_DATA, SECRET_NOTE, integrity
from tests.web.conftest import Browser, Clock

KEYS = {"status", "code", "field", "value", "message"}


@pytest.fixture
def journal_file(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite"


def _app(path: Path, clock: Clock) -> FastAPI:
    return create_app(WebSettings(database_url=str(path)), clock=clock)


@pytest.fixture
def app(journal_file: Path, clock: Clock) -> Iterator[FastAPI]:
    app = _app(journal_file, clock)
    yield app
    app.state.speciosa.speciosa.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[Browser]:
    browser = Browser(app, base_url="http://127.0.0.1")
    for body in (
        {"kind": "pain", "score": 7, "note": SECRET_NOTE},
        {"kind": "dose", "amount": "3.37g"},
    ):
        assert browser.post("/api/v1/entries", json=body).status_code == 201
    yield browser
    browser.close()


def _error(response_json: dict[str, object], status: int) -> dict[str, object]:
    assert set(response_json) == {"error"}
    body = response_json["error"]
    assert isinstance(body, dict)
    assert set(body) == KEYS
    assert body["status"] == status
    return body


def _no_health_data(text: str) -> None:
    for secret in HEALTH_DATA:
        assert secret not in text
    assert "Traceback" not in text


def test_a_busy_journal_answers_503_with_retry_after(
    client: Browser, journal_file: Path, monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    before = client.get("/api/v1/export").text
    monkeypatch.setenv("SPECIOSA_BUSY_TIMEOUT", "0.2")
    busy_app = _app(journal_file, clock)  # opened with the short busy timeout
    busy = Browser(busy_app, base_url="http://127.0.0.1")
    try:
        with closing(sqlite3.connect(journal_file, isolation_level=None)) as other:
            other.execute("BEGIN EXCLUSIVE")
            response = busy.post(
                "/api/v1/entries", json={"kind": "pain", "score": 5, "note": "another secret"}
            )
            other.execute("ROLLBACK")
    finally:
        busy.close()
        busy_app.state.speciosa.speciosa.close()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    body = _error(response.json(), 503)
    assert body["code"] == "unavailable"
    assert "the journal is busy" in str(body["message"])
    _no_health_data(response.text)
    assert "another secret" not in response.text
    assert client.get("/api/v1/export").text == before
    assert integrity(journal_file) == "ok"


def _set_revision(path: Path, revision: str) -> str:
    """Set the journal's schema revision; the one it had."""
    with closing(sqlite3.connect(path)) as connection, connection:
        (old,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    return str(old)


def test_a_newer_journal_answers_503_from_start_up(
    client: Browser, app: FastAPI, journal_file: Path, clock: Clock
) -> None:
    before = client.get("/api/v1/export").text
    app.state.speciosa.speciosa.close()
    head = _set_revision(journal_file, "9999")
    newer = _app(journal_file, clock)
    browser = Browser(newer, base_url="http://127.0.0.1")
    try:
        api = browser.get("/api/v1/today")
        write = browser.post("/api/v1/entries", json={"kind": "pain", "score": 1})
        page = browser.get("/")
    finally:
        browser.close()
    message = (
        "db: this journal was written by a newer version of Speciosa (schema 9999); "
        "upgrade Speciosa; nothing was changed"
    )
    for response in (api, write):
        assert response.status_code == 503
        assert _error(response.json(), 503)["message"] == message
    assert page.status_code == 503
    assert "newer version of Speciosa (schema 9999)" in page.text
    assert page.headers["content-security-policy"]
    _no_health_data(api.text + page.text)
    assert _set_revision(journal_file, head) == "9999"  # not migrated, nothing changed
    assert integrity(journal_file) == "ok"
    again = _app(journal_file, clock)
    browser = Browser(again, base_url="http://127.0.0.1")
    try:
        assert browser.get("/api/v1/export").text == before
    finally:
        browser.close()
        again.state.speciosa.speciosa.close()


def test_a_journal_upgraded_by_a_newer_speciosa_while_serving_answers_503(
    client: Browser, journal_file: Path
) -> None:
    # A newer Speciosa migrates the journal under the running server (a renamed table).
    with closing(sqlite3.connect(journal_file)) as connection, connection:
        connection.execute("ALTER TABLE entries RENAME TO journal_entries")
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    response = client.get("/api/v1/entries")
    assert response.status_code == 503
    assert "newer version of Speciosa (schema 9999)" in str(_error(response.json(), 503)["message"])
    _no_health_data(response.text)
