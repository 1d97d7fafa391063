"""Every error answer from the API has one shape, built from the library's one reading of
an error (``speciosa.errors.detail_of``); this test pins it, and that FastAPI's own
request errors are worded as the library words its own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from speciosa.errors import (
    Conflict,
    DatabaseUnavailable,
    Fault,
    InvalidInput,
    NotFound,
    ShareRefused,
    SignInFailed,
    SpeciosaError,
    detail_of,
    from_validation_error,
)
from speciosa.journal.models import Profile
from speciosa.knowledge import KnowledgeFileError
from speciosa.web.errors import error_body, status_of
from speciosa.web.rendering import problem
from tests.web.conftest import Browser

KEYS = {"status", "code", "field", "value", "message"}


def _shape(response_json: dict[str, object], status: int) -> dict[str, object]:
    assert set(response_json) == {"error"}
    body = response_json["error"]
    assert isinstance(body, dict)
    assert set(body) == KEYS
    assert body["status"] == status
    assert isinstance(body["message"], str)
    assert body["message"]
    return body


def test_the_one_error_body() -> None:
    error = InvalidInput("amount", "3x", "write a number and a unit, e.g. 3g")
    assert error_body(422, detail_of(error)) == {
        "error": {
            "status": 422,
            "code": "invalid_input",
            "field": "amount",
            "value": "3x",
            "message": "amount: '3x' is not allowed; write a number and a unit, e.g. 3g",
        }
    }
    # a form shows the same error inline: the rule by the field, the sentence above it
    assert problem(error) == {
        "field": "amount",
        "message": "write a number and a unit, e.g. 3g",
        "full": "amount: '3x' is not allowed; write a number and a unit, e.g. 3g",
    }
    # Passwords are never echoed back.
    secret = detail_of(InvalidInput("password", "hunter2", "must be at least 10 characters"))
    assert error_body(422, secret)["error"]["value"] is None


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InvalidInput("score", 12, "must be 0 to 10"), 422),
        (NotFound("entry", 7), 404),
        (Conflict("product: 'Red' already exists"), 409),
        (ShareRefused("share link: this link has expired"), 410),
        (SignInFailed("password: the username or password is wrong"), 401),
        (DatabaseUnavailable("db: cannot open x"), 503),
        (Fault("something else broke"), 503),
        (KnowledgeFileError("sources.yaml", "cannot be read"), 500),
        (SpeciosaError("anything else"), 400),
    ],
)
def test_each_error_has_its_status(error: SpeciosaError, status: int) -> None:
    assert status_of(error) == status


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        # InvalidInput from the journal models
        ("POST", "/api/v1/entries", {"kind": "pain", "score": 12}, 422, "score"),
        # FastAPI's own request validation (a missing field)
        ("POST", "/api/v1/entries", {"score": 3}, 422, "kind"),
        # a query parameter out of range
        ("GET", "/api/v1/entries?limit=0", None, 422, "limit"),
        # NotFound
        ("GET", "/api/v1/entries/999999", None, 404, "entry"),
        # an unknown route and a wrong method
        ("GET", "/api/v1/nothing-here", None, 404, None),
        ("PUT", "/api/v1/today", {}, 405, None),
        # sign-in in local mode is a conflict with the mode
        ("POST", "/api/v1/session", {"username": "a", "password": "b"}, 409, None),
        # a revoked or expired share link, and an unknown one
        ("GET", "/api/v1/shared/not-a-token", None, 404, "share link"),
    ],
)
def test_api_errors_share_the_shape(
    local_client: Browser,
    method: str,
    path: str,
    body: object,
    status: int,
    field: str | None,
) -> None:
    response = (
        local_client.request(method, path, json=body)
        if body is not None
        else (local_client.request(method, path))
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert _shape(response.json(), status)["field"] == field


def test_conflict_and_cross_site_form_post(local_client: Browser) -> None:
    product = {"name": "Green Maeng Da"}
    local_client.post("/api/v1/products", json=product)
    _shape(local_client.post("/api/v1/products", json=product).json(), 409)
    form_post = local_client.post("/api/v1/entries", data={"kind": "pain", "score": "3"})
    assert form_post.status_code == 403
    assert _shape(form_post.json(), 403)["field"] == "content-type"


def test_pages_show_errors_as_html(local_client: Browser) -> None:
    response = local_client.get("/entries/999999/edit")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "entry: 999999 not found" in response.text


def test_request_errors_are_worded_as_the_library_words_them(local_client: Browser) -> None:
    missing = local_client.post("/api/v1/entries", json={"score": 3}).json()["error"]
    assert missing["message"] == "kind: (missing) is not allowed; must be given"
    low = local_client.get("/api/v1/entries?limit=0").json()["error"]
    assert low["message"] == "limit: '0' is not allowed; must be 1 or more"  # plain words
    # A profile refused by FastAPI's body validation says exactly what the library says
    # when it validates the same profile itself (the CLI and the settings form).
    body = {"timezone": "UTC", "limits": {"grams_per_day": -1}}
    api = local_client.put("/api/v1/profile", json=body).json()["error"]
    with pytest.raises(ValidationError) as raised:
        Profile.model_validate(body)
    library = from_validation_error(raised.value)
    assert (api["field"], api["message"]) == (library.field, str(library))
