"""One error shape for every 4xx, and the handlers that render it as JSON or HTML.

    {"error": {"status": 422, "code": "invalid_input", "field": "amount",
               "value": "3x", "message": "amount: '3x' is not allowed; write a number ..."}}

The API (``/api/...``) answers with that JSON; pages show the same message in an error
page, and forms show it inline next to the field (see ``pages``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from speciosa.errors import Conflict, InvalidInput, NotFound, SpeciosaError
from speciosa.store.sharing import ShareRefused
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
}
_SECRET_FIELDS = ("password", "token", "secret")


class Refused(Exception):
    """A request refused for a reason of its own (CSRF, rate limit, signed out)."""

    def __init__(
        self, status: int, message: str, *, field: str | None = None, retry_after: int = 0
    ) -> None:
        self.status = status
        self.message = message
        self.field = field
        self.retry_after = retry_after
        super().__init__(message)


def error_body(
    status: int, message: str, *, field: str | None = None, value: Any = None
) -> dict[str, Any]:
    """The one JSON body of every error answer."""
    if field is not None and any(word in field for word in _SECRET_FIELDS):
        value = None  # never echo a password back
    return {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "field": field,
            "value": _jsonable(value),
            "message": message,
        }
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def status_of(exc: SpeciosaError) -> int:
    match exc:
        case InvalidInput():
            return 422
        case NotFound():
            return 404
        case Conflict():
            return 409
        case ShareRefused():
            return 410
    return 400


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def respond(
    request: Request,
    status: int,
    message: str,
    *,
    field: str | None = None,
    value: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse(
            error_body(status, message, field=field, value=value),
            status,
            headers=dict(headers or {}),
        )
    state = state_of(request)
    return state.templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message, "title": f"Error {status}"},
        status_code=status,
        headers=dict(headers or {}),
    )


def install(app: FastAPI) -> None:
    """Route every error through :func:`respond`."""

    @app.exception_handler(SpeciosaError)
    async def speciosa_error(request: Request, exc: SpeciosaError) -> Response:
        return respond(
            request,
            status_of(exc),
            str(exc),
            field=getattr(exc, "field", None),
            value=getattr(exc, "value", None),
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        location = [str(p) for p in first.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(location) or "body"
        message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
        value = first.get("input")
        return respond(request, 422, f"{field}: {message}", field=field, value=value)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else CODES.get(exc.status_code, "error")
        return respond(request, exc.status_code, message, headers=exc.headers)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> Response:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return respond(request, exc.status, exc.message, field=exc.field, headers=headers)

    @app.exception_handler(SignedOut)
    async def signed_out(request: Request, exc: SignedOut) -> Response:
        if wants_json(request):
            return respond(request, 403, "sign in first (POST /api/v1/session)")
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
