"""Request bodies are bounded while they stream in (413 before they are read whole), and
NUL characters in any text are refused in the one error shape (422), never a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI

from speciosa.web import WebSettings, create_app
from tests.web.conftest import Browser, Clock, Multi, csrf_of, upload, wait_for_import

MIB = 1024 * 1024
PIECE = 64 * 1024


class Body:
    """A request body that arrives in pieces and counts how many the server asked for."""

    def __init__(self, head: bytes, total: int, tail: bytes = b"") -> None:
        self.head, self.total, self.tail = head, total, tail
        self.sent = 0

    async def stream(self) -> AsyncIterator[bytes]:
        self.sent += len(self.head)
        yield self.head
        while self.sent < self.total:
            self.sent += PIECE
            yield b" " * PIECE
        self.sent += len(self.tail)
        yield self.tail


@pytest.fixture
def small_app(sqlite_url: str, clock: Clock) -> Iterator[FastAPI]:
    settings = WebSettings(database_url=sqlite_url, max_upload_mb=1, max_body_mb=1)
    app = create_app(settings, clock=clock)
    yield app
    app.state.speciosa.speciosa.close()


@pytest.fixture
def small(small_app: FastAPI) -> Iterator[Browser]:
    client = Browser(small_app, base_url="http://127.0.0.1")
    yield client
    client.close()


def _too_large(response: object, *, json: bool = True) -> None:
    assert response.status_code == 413, response.text[:300]  # type: ignore[attr-defined]
    if json:
        error = response.json()["error"]  # type: ignore[attr-defined]
        assert error["code"] == "too_large"
        assert "1 MiB" in error["message"]
        assert "SPECIOSA_MAX_BODY_MB" in error["message"]


def test_a_json_body_is_refused_while_it_streams(small: Browser) -> None:
    body = Body(b'{"format": "speciosa", "entries": ["', 100 * MIB, b'"]}')
    response = small.post(
        "/api/v1/import", content=body.stream(), headers={"content-type": "application/json"}
    )
    _too_large(response)
    assert body.sent <= MIB + 2 * PIECE  # refused after ~1 MiB of the 100 MiB


def test_an_announced_large_body_is_refused_before_any_is_read(small: Browser) -> None:
    body = Body(b"{", 100 * MIB, b"}")
    response = small.post(
        "/api/v1/import",
        content=body.stream(),
        headers={"content-type": "application/json", "content-length": str(100 * MIB)},
    )
    _too_large(response)
    assert body.sent == 0


def test_an_upload_is_refused_while_it_streams(small: Browser) -> None:
    token = csrf_of(small, "/settings")
    boundary = "speciosa-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.xml"\r\n'
        "Content-Type: application/xml\r\n\r\n"
    ).encode()
    body = Body(head, 300 * MIB, f"\r\n--{boundary}--\r\n".encode())
    response = small.post(
        "/settings/import",
        content=body.stream(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert "SPECIOSA_MAX_UPLOAD_MB" in response.text
    assert body.sent <= MIB + 2 * PIECE


def test_an_upload_under_the_limit_still_imports(small: Browser) -> None:
    csv = b"time,amount,unit,product,batch,note\n2024-01-02T08:00:00Z,2,g,,,\n"
    job_id = upload(small, "doses.csv", csv)  # accepted: 303 to the import's page
    # Waited for, so the import's thread is done with the journal before the app closes.
    assert wait_for_import(small, job_id)["state"] == "done"


# --------------------------------------------------------------------------- NUL characters


def test_nul_in_json_text_is_refused_naming_the_field(multi: Multi) -> None:
    alice = multi.person("alice")
    for url, body, field in (
        ("/api/v1/entries", {"kind": "pain", "score": 3, "note": "a\x00b"}, "note"),
        ("/api/v1/products", {"name": "Red\x00Bali", "form": "powder"}, "name"),
        ("/api/v1/shares", {"label": "Dr\x00R"}, "label"),
        ("/api/v1/session", {"username": "al\x00ice", "password": "x" * 12}, "username"),
        ("/api/v1/accounts", {"username": "b\x00b", "password": "x" * 12}, "username"),
    ):
        response = alice.post(url, json=body)
        assert response.status_code == 422, (url, response.text[:300])
        error = response.json()["error"]
        assert error["field"] == field, error
        assert "NUL" in error["message"]


def test_nul_in_the_path_or_query_is_refused(multi: Multi) -> None:
    alice = multi.person("alice")
    product = alice.get("/api/v1/products/Red%00Bali")
    assert product.status_code == 422
    assert product.json()["error"]["field"] == "path"
    listed = alice.get("/api/v1/entries?since=yesterday%00")
    assert listed.status_code == 422
    assert listed.json()["error"]["field"] == "since"


def test_nul_in_a_form_is_refused(multi: Multi) -> None:
    browser = multi.client()
    token = csrf_of(browser, "/login")
    response = browser.post(
        "/login", data={"username": "al\x00ice", "password": "x" * 12, "csrf_token": token}
    )
    assert response.status_code == 422
    assert "username" in response.text
    assert "NUL" in response.text
