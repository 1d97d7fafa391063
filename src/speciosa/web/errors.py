"""One error shape for every error answer, and the handlers that render it as JSON or HTML.

    {"error": {"status": 422, "code": "invalid_input", "field": "amount",
               "value": "3x", "message": "amount: '3x' is not allowed; write a number ..."}}

Every body is built from one :class:`~speciosa.errors.ErrorDetail` (``detail_of(exc)`` for
the library's errors, :func:`said` for the web's own refusals), so the API, the error
page, a form's inline message (``rendering.problem``) and an import job's error say the
same thing. The API (``/api/...``) answers with the JSON; pages show the same sentence.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send

from speciosa.errors import (
    Conflict,
    DamagedFile,
    ErrorDetail,
    Fault,
    InvalidInput,
    NotFound,
    ShareRefused,
    SignInFailed,
    SpeciosaError,
    detail_of,
    invalid_input_of,
)
from speciosa.knowledge import KnowledgeFileError
from speciosa.web.context import SignedOut, state_of

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}
_SECRET_FIELDS = ("password", "token", "secret")
# Where FastAPI found a bad request value (the first part of its error's ``loc``).
_REQUEST_PARTS = frozenset({"body", "query", "path", "header", "cookie"})


class Refused(Exception):
    """A request refused for a reason of the web's own (CSRF, rate limit, closed sign-up)."""

    def __init__(
        self, status: int, message: str, *, field: str | None = None, retry_after: int = 0
    ) -> None:
        self.status = status
        self.detail = said(message, field=field)
        self.retry_after = retry_after
        super().__init__(message)


def said(message: str, *, field: str | None = None) -> ErrorDetail:
    """A message of the web's own in the one shape (no value: nothing the person typed)."""
    return ErrorDetail(field, None, message, message)


def error_body(status: int, detail: ErrorDetail) -> dict[str, Any]:
    """The one JSON body of every error answer."""
    value = detail.value
    if detail.field is not None and any(word in detail.field for word in _SECRET_FIELDS):
        value = None  # never echo a password back
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "field": detail.field,
            "value": _jsonable(value),
            "message": detail.full,
        }
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def status_of(exc: SpeciosaError) -> int:
    """The HTTP status of each of the library's errors (see :mod:`speciosa.errors`)."""
    match exc:
        case InvalidInput():
            return 422
        case NotFound():
            return 404
        case Conflict():
            return 409
        case ShareRefused():
            return 410
        case SignInFailed():
            return 401
        case KnowledgeFileError():
            return 500
        case DamagedFile():
            return 422  # the file sent is damaged: not the server's fault, nor fixed by waiting
        case Fault():
            return 503
    return 400


def retry_headers(exc: BaseException) -> dict[str, str] | None:
    """Retry-After for an error that waiting may cure (a busy journal: JournalBusy)."""
    seconds = getattr(exc, "retry_after", 0)
    return {"Retry-After": str(seconds)} if seconds else None


def request_problem(exc: RequestValidationError) -> InvalidInput:
    """FastAPI's first complaint about a request, worded as the library words its own."""
    errors = exc.errors()
    first = dict(errors[0]) if errors else {"loc": ("body",), "msg": "invalid request"}
    loc = tuple(first.get("loc", ()))
    # ("body", "kind") -> "kind"; a complaint about the whole body keeps "body".
    first["loc"] = loc[1:] if loc[:1] and loc[0] in _REQUEST_PARTS and loc[1:] else loc
    if first.get("type") == "missing":
        first["input"] = None  # pydantic gives the enclosing object; "(missing)" says it
    return invalid_input_of(first)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def respond(
    request: Request,
    status: int,
    detail: ErrorDetail,
    *,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(status, detail), status, headers=dict(headers or {}))
    state = state_of(request)
    return state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": detail.full, "title": f"Error {status}"},
        status_code=status,
        headers=dict(headers or {}),
    )


async def answer_early(
    scope: Scope, receive: Receive, send: Send, status: int, detail: ErrorDetail
) -> None:
    """An error answer from middleware, before any route: the same JSON or page."""
    request = Request(scope, receive)
    try:
        response = respond(request, status, detail)
    except RuntimeError:  # an app without Speciosa's state (unavailable_app): a bare page
        page = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Speciosa: error '
            f"{status}</title><h1>Error {status}</h1><p>{html.escape(detail.full)}</p></html>"
        )
        response = HTMLResponse(page, status)
    await response(scope, receive, send)


def allowed_methods(request: Request) -> list[str]:
    """Every method that some route answers on this request's path.

    Starlette's own 405 names only the first route that matched the path; a path with a
    GET route and a PUT route must say ``Allow: GET, PUT`` (RFC 9110, section 15.5.6).
    """
    methods: set[str] = set()
    for route in _routes(request.app.router.routes):
        found = getattr(route, "methods", None)
        if found and route.matches(request.scope)[0] != Match.NONE:
            methods |= set(found)
    return sorted(methods)


def _routes(routes: Sequence[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, including those of included routers (FastAPI wraps each included
    router in one route that keeps it as ``original_router``; its routes hold the full
    path, prefix and all)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from _routes(inner.routes)
        else:
            yield route


def method_not_allowed(request: Request, exc: StarletteHTTPException) -> Response:
    allowed = allowed_methods(request)
    if not allowed:  # a route this walk does not know: Starlette's own Allow
        given = (exc.headers or {}).get("Allow", "")
        allowed = [m.strip() for m in given.split(",") if m.strip()]
    message = (
        f"{request.method} is not allowed on {request.url.path}; "
        f"use {', '.join(allowed) or 'another path'}"
    )
    return respond(request, 405, said(message), headers={"Allow": ", ".join(allowed)})


def install(app: FastAPI) -> None:
    """Route every error through :func:`respond`."""

    @app.exception_handler(SpeciosaError)
    async def speciosa_error(request: Request, exc: SpeciosaError) -> Response:
        return respond(request, status_of(exc), detail_of(exc), headers=retry_headers(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, detail_of(request_problem(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            return method_not_allowed(request, exc)
        message = str(exc.detail) if exc.detail else CODES.get(exc.status_code, "error")
        # a refusal of the web's own that names its field (web.limits.RefusedBody)
        detail = getattr(exc, "error_detail", None)
        if not isinstance(detail, ErrorDetail):
            detail = said(message)
        return respond(request, exc.status_code, detail, headers=exc.headers)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return respond(request, exc.status, exc.detail, headers=headers)

    @app.exception_handler(SignedOut)
    async def signed_out(request: Request, exc: SignedOut) -> Response:
        if wants_json(request):
            return respond(request, 403, said("sign in first (POST /api/v1/session)"))
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
