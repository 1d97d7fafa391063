"""Every 4xx from the API has one shape; this test pins it."""

from __future__ import annotations

import pytest

from speciosa.web.errors import error_body
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
    assert error_body(422, "amount: '3x' is not allowed", field="amount", value="3x") == {
        "error": {
            "status": 422,
            "code": "invalid_input",
            "field": "amount",
            "value": "3x",
            "message": "amount: '3x' is not allowed",
        }
    }
    # Passwords are never echoed back.
    assert error_body(401, "wrong", field="password", value="hunter2")["error"]["value"] is None


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
