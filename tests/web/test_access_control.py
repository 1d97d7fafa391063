"""Every API route, walked from the OpenAPI schema, as person A against person B's data
and as a signed-out visitor: A never reads, changes or deletes B's data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import APIRoute

from speciosa.web import api
from speciosa.web.pages import page_routes
from tests.web.conftest import CSRF, Browser, Multi, csrf_of, upload, wait_for_import

B_NOTE = "bob-private-note"
B_PRODUCT = "Bob Private Red"

# Routes anyone may call: signing in, signing up, and a share link (its token is the key).
PUBLIC = {
    ("post", "/api/v1/session"),
    ("post", "/api/v1/accounts"),
    ("get", "/api/v1/shared/{token}"),
}

BODIES: dict[tuple[str, str], Any] = {
    ("post", "/api/v1/entries"): {"kind": "pain", "score": 1},
    ("patch", "/api/v1/entries/{entry_id}"): {"score": 0, "note": "changed by A"},
    ("post", "/api/v1/products"): {"name": "Alice Green"},
    ("put", "/api/v1/products/{name}"): {"name": "Taken by A"},
    ("put", "/api/v1/profile"): {"timezone": "UTC"},
    ("post", "/api/v1/import"): {
        "format": "speciosa-journal",
        "version": 1,
        "profile": None,
        "products": [],
        "entries": [],
    },
    ("post", "/api/v1/shares"): {},
    ("post", "/api/v1/session"): {"username": "bob", "password": "not bob's password"},
    ("post", "/api/v1/accounts"): {"username": "carol", "password": "another long password"},
}


def _b_data(bob: Browser) -> dict[str, Any]:
    entry = bob.post("/api/v1/entries", json={"kind": "pain", "score": 7, "note": B_NOTE}).json()
    assert bob.post("/api/v1/products", json={"name": B_PRODUCT}).status_code == 201
    share = bob.post("/api/v1/shares", json={"label": "Dr B"}).json()
    token = csrf_of(bob, "/plans")
    planned = bob.post(
        "/plans/experiment",
        data={"csrf_token": token, "compare": "bedtime", "seed": "7", "action": "save"},
    )
    assert planned.status_code == 303, planned.text[:300]
    job_id = upload(bob, "notes.csv", f"time,score,kind,note\nnow,3,pain,{B_NOTE}\n".encode())
    wait_for_import(bob, job_id)  # its worker is done before the database is dropped
    return {
        "entry_id": entry["id"],
        "name": B_PRODUCT,
        "share_id": share["id"],
        "token": "x" * 43,
        "plan_id": 1,
        "action": "pause",
        "job_id": job_id,
    }


def _snapshot(bob: Browser) -> dict[str, Any]:
    return {
        "entries": bob.get("/api/v1/entries").json(),
        "products": bob.get("/api/v1/products").json(),
        "shares": [s["state"] for s in bob.get("/api/v1/shares").json()],
        "profile": bob.get("/api/v1/profile").json(),
        "plans": bob.get("/plans").text.count("Pause plan"),
        "plan": bob.get("/plans/1").text.count("paused"),
    }


def _routes(multi: Multi) -> list[tuple[str, str]]:
    schema = multi.app.openapi()
    walked = [(m, path) for path, item in schema["paths"].items() for m in item]
    # Every API route is in the schema: none can hide from this walk.
    api_routes = {
        (m.lower(), r.path_format)  # the path as documented ({entry_id:int} -> {entry_id})
        for r in api.router.routes
        if isinstance(r, APIRoute)
        for m in r.methods
    }
    assert api_routes == set(walked)
    # Signing out goes last, so that the rest is walked signed in.
    return sorted(walked, key=lambda mp: mp == ("delete", "/api/v1/session"))


def _call(client: Browser, method: str, path: str, params: dict[str, Any]) -> Any:
    names = re.findall(r"{(\w+)}", path)
    missing = [n for n in names if n not in params]
    assert not missing, f"add a value of B's for {missing} (route {path})"
    url = path.format(**{n: params[n] for n in names})
    body = BODIES.get((method, path), {} if method in ("post", "put", "patch") else None)
    return (
        client.request(method.upper(), url, json=body)
        if body is not None
        else (client.request(method.upper(), url))
    )


def test_person_a_cannot_touch_person_bs_data(multi: Multi) -> None:
    bob = multi.person("bob")
    params = _b_data(bob)
    before = _snapshot(bob)
    alice = multi.person("alice")
    for method, path in _routes(multi):
        response = _call(alice, method, path, params)
        if "{" in path:
            assert response.status_code in (403, 404), (method, path, response.text)
        else:
            assert response.status_code < 500, (method, path, response.text)
        _no_leak(response.text, path)
    assert _snapshot(bob) == before


def _no_leak(text: str, path: str) -> None:
    assert B_NOTE not in text, path
    if "{name}" not in path:  # a 404 may name the product the request itself asked for
        assert B_PRODUCT not in text, path


def test_signed_out_visitors_get_nothing(multi: Multi) -> None:
    bob = multi.person("bob")
    params = _b_data(bob)
    before = _snapshot(bob)
    visitor = multi.client()
    for method, path in _routes(multi):
        # A sign-up signs its browser in, so public routes get a browser of their own.
        public = (method, path) in PUBLIC
        response = _call(multi.client() if public else visitor, method, path, params)
        if public:
            assert response.status_code in (201, 401, 404), (method, path, response.text)
        else:
            assert response.status_code in (403, 404), (method, path, response.text)
        _no_leak(response.text, path)
    assert _snapshot(bob) == before


def _csrf(client: Browser) -> str:
    found = CSRF.search(client.get("/settings").text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("method", "template"),
    [
        ("GET", "/entries/{entry_id}/edit"),
        ("POST", "/entries/{entry_id}/edit"),
        ("POST", "/entries/{entry_id}/delete"),
        ("POST", "/products/{name}/batches"),
        ("POST", "/sharing/{share_id}/revoke"),
        ("GET", "/plans/{plan_id}"),
        ("POST", "/plans/{plan_id}/{action}"),
        ("GET", "/settings/import/{job_id}"),
    ],
)
def test_pages_with_ids_refuse_another_persons_data(
    multi: Multi, method: str, template: str
) -> None:
    bob = multi.person("bob")
    params = _b_data(bob)
    before = _snapshot(bob)
    alice = multi.person("alice")
    url = template.format(**params)
    data = {"csrf_token": _csrf(alice), "score": "0", "code": "A-1"}
    response = alice.request(method, url, data=data if method == "POST" else None)
    assert response.status_code == 404, response.text
    assert B_NOTE not in response.text
    assert _snapshot(bob) == before
    # and a signed-out visitor is sent to sign in
    visitor = multi.client()
    assert visitor.request(method, url).status_code in (303, 403)


def test_every_page_route_is_covered(multi: Multi) -> None:
    """New page routes with ids must be added to the test above."""
    covered = {
        "/entries/{entry_id}/edit",
        "/entries/{entry_id}/delete",
        "/products/{name}/batches",
        "/sharing/{share_id}/revoke",
        "/plans/{plan_id}",
        "/plans/{plan_id}/{action}",
        "/settings/import/{job_id}",
        "/log/{kind}",  # a kind, not data
        "/s/{token}",  # a share link: the token is the key (see test_sharing)
        "/s/{token}/report.pdf",  # the same link's PDF (see test_sharing_pages)
    }
    with_ids = {r.path for r in page_routes() if "{" in r.path}
    assert with_ids <= covered, with_ids - covered
