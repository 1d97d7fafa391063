"""Bounded requests: a size limit on every request body, enforced while it streams in, and
text that a database cannot store (NUL characters) refused at the door.

:class:`RequestLimits` is pure ASGI middleware. A body announced (Content-Length) or
found (counted as it arrives) to be larger than its limit is answered 413 in the one
error shape before it is read whole: file uploads (``multipart/form-data``) may be up to
``settings.max_upload_mb``, every other body up to ``settings.max_body_mb``. A NUL
character in the path, the query, or a JSON or form body is answered 422 naming the
field: PostgreSQL refuses NUL in text, and no one types one on purpose.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from speciosa.errors import ErrorDetail, InvalidInput, detail_of
from speciosa.web import errors
from speciosa.web.settings import WebSettings

MIB = 1024 * 1024
NUL_ALLOWED = "text must not contain NUL characters (\\u0000 or %00)"
_JSON_NUL = (b"\\u0000", b"\x00")
_FORM_NUL = (b"%00", b"\x00")


class RefusedBody(HTTPException):
    """Raised from ``receive`` while the app reads a body; the error handlers render its
    ``error_detail`` in the one shape (an HTTPException passes FastAPI's body parsing)."""

    def __init__(self, status: int, detail: ErrorDetail) -> None:
        super().__init__(status, detail.full)
        self.error_detail = detail


def too_large(limit: int, setting: str) -> RefusedBody:
    message = (
        f"the request body is larger than the {limit // MIB} MiB this server accepts "
        f"(SPECIOSA_{setting.upper()})"
    )
    return RefusedBody(413, ErrorDetail("body", None, message, message))


def has_nul(field: str, value: str | None) -> RefusedBody:
    return RefusedBody(422, detail_of(InvalidInput(field, value, NUL_ALLOWED)))


class RequestLimits:
    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.upload_limit = settings.max_upload_mb * MIB
        self.body_limit = settings.max_body_mb * MIB

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = nul_in_url(scope)
        content_type, length = _body_headers(scope)
        upload = content_type == "multipart/form-data"
        limit, setting = (
            (self.upload_limit, "max_upload_mb") if upload else (self.body_limit, "max_body_mb")
        )
        if problem is None and length is not None and length > limit:
            problem = too_large(limit, setting)
        if problem is not None:
            await _answer(scope, receive, send, problem)
            return
        counted = _CountedBody(receive, limit, setting, content_type)
        await self.app(scope, counted.receive, send)


class _CountedBody:
    """``receive`` that counts the bytes as they arrive and looks for NULs in text bodies."""

    def __init__(self, receive: Receive, limit: int, setting: str, content_type: str) -> None:
        self._receive = receive
        self.limit = limit
        self.setting = setting
        self.received = 0
        self.content_type = content_type
        # JSON and form bodies are kept to look for a NUL's field (bounded by ``limit``).
        self.kept: list[bytes] | None = (
            []
            if content_type in ("application/json", "application/x-www-form-urlencoded")
            else None
        )

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] != "http.request":
            return message
        chunk: bytes = message.get("body", b"")
        self.received += len(chunk)
        if self.received > self.limit:
            raise too_large(self.limit, self.setting)
        if self.kept is not None:
            self.kept.append(chunk)
            if not message.get("more_body", False):
                body, self.kept = b"".join(self.kept), None
                _check_body(body, self.content_type)
        return message


def nul_in_url(scope: Scope) -> RefusedBody | None:
    """A NUL in the path (``path``) or a query parameter (named), else None."""
    if "\x00" in scope.get("path", ""):
        return has_nul("path", _shown(scope["path"]))
    query = scope.get("query_string", b"").decode("latin-1")
    if "%00" not in query and "\x00" not in query:
        return None
    for key, value in parse_qsl(query, keep_blank_values=True):
        if "\x00" in key or "\x00" in value:
            return has_nul(_shown(key), _shown(value))
    return None


def _check_body(body: bytes, content_type: str) -> None:
    """Refuse a JSON or form body with a NUL in any text, naming where it is."""
    if content_type == "application/json":
        if not any(marker in body for marker in _JSON_NUL):
            return
        try:
            document = json.loads(body)
        except (ValueError, RecursionError):
            return  # not JSON: the app's own parsing says so
        if found := _nul_path(document, ""):
            raise has_nul(found, "(has a NUL)")
    elif any(marker in body for marker in _FORM_NUL):
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        field = next((k for k, v in pairs if "\x00" in k + v), "body")
        raise has_nul(_shown(field), "(has a NUL)")


def _shown(text: str) -> str:
    return text.replace("\x00", "\\0")


def _nul_path(value: Any, where: str) -> str | None:
    if isinstance(value, str):
        return (where or "body") if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            if "\x00" in str(key):
                return name.replace("\x00", "\\0")
            if found := _nul_path(item, name):
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if found := _nul_path(item, f"{where}[{index}]"):
                return found
    return None


def _body_headers(scope: Scope) -> tuple[str, int | None]:
    content_type, length = "", None
    for key, value in scope.get("headers", []):
        if key == b"content-type":
            content_type = value.decode("latin-1").split(";")[0].strip().lower()
        elif key == b"content-length":
            try:
                length = int(value)
            except ValueError:
                length = None
    return content_type, length


async def _answer(scope: Scope, receive: Receive, send: Send, problem: RefusedBody) -> None:
    """The error answer for a request refused before the app saw it."""
    await errors.answer_early(scope, receive, send, problem.status_code, problem.error_detail)
