"""The application factory: ``create_app(settings)`` gives the whole web app.

    app = create_app(WebSettings(database_url="journal.sqlite"))   # local mode
    uvicorn.run(app, host="127.0.0.1", port=8000)

Local mode serves the journal of the owner ``local`` (the same one the CLI uses) with no
sign-in; multi-user mode needs an account for every journal route.

A journal written by a newer Speciosa gives an app that answers every request 503 with
the one error body saying so (``app.state.fault``; ``speciosa serve`` stops on it
instead); other Faults at start-up (the database cannot be opened) are raised.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from speciosa import __version__
from speciosa.app import Speciosa
from speciosa.app.import_jobs import ImportJobs
from speciosa.app.sign_in_limits import SignInLimits
from speciosa.errors import Fault, NewerJournal, detail_of
from speciosa.web import api, errors, pages, reminder_pages, security, templating
from speciosa.web.context import (
    BROWSER_COOKIE,
    CSRF_HEADER,
    SECURE_SESSION_COOKIE,
    SESSION_COOKIE,
    AppState,
    Person,
)
from speciosa.web.hosts import AllowedHosts
from speciosa.web.limits import RequestLimits
from speciosa.web.settings import WebSettings
from speciosa.web.templating import WEB_DIR

# Every asset is served from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; manifest-src 'self'; worker-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'self'"
)
# A running import gets this long to finish when the server stops; one that does not is
# stopped with its transaction (nothing half-written) so that SIGTERM is obeyed at once.
IMPORT_SHUTDOWN_SECONDS = 3
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The owner name of a local (single-user) journal, as the command line's.
LOCAL_OWNER = "local"


def create_app(
    settings: WebSettings | None = None, *, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    settings = settings or WebSettings()
    try:
        speciosa = Speciosa.open(settings.database_url, clock=clock)
    except NewerJournal as fault:
        return unavailable_app(fault, settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Insights worked out at start-up (local journal) and after each write, off the
        # request. Only a served app runs the worker: one used in-process (tests, tools)
        # computes in-line and leaves no thread behind.
        local = state.local_owner
        speciosa.start_background(
            warm_owner=local.owner_id if local else None, spacing=settings.insights_every_seconds
        )
        yield
        state.imports.join(timeout=IMPORT_SHUTDOWN_SECONDS)  # let running imports finish
        speciosa.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Speciosa",
        version=__version__,
        description="A private, evidence-first kratom journal. Never a dose recommendation.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    state = AppState(
        settings=settings,
        speciosa=speciosa,
        templates=templating.templates(WEB_DIR / "templates"),
        limiter=SignInLimits(
            speciosa,
            per_account=settings.login_attempts,
            per_address=settings.login_attempts_per_address,
            window_seconds=settings.login_window_minutes * 60,
            signups_per_address=settings.signups_per_address,
        ),
        imports=ImportJobs(speciosa, max_running=settings.max_imports),
    )
    if not settings.multi_user:
        state.local_owner = Person(speciosa.local_owner(), LOCAL_OWNER)
    app.state.speciosa = state
    errors.install(app)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(reminder_pages.feed_router)  # /calendar/{token}.ics
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.add_middleware(RequestLimits, settings=settings)
    app.add_middleware(Guard, settings=settings)
    app.add_middleware(AllowedHosts, hosts=settings.hosts())
    if settings.forwarded_allow_ips:  # outermost: every layer sees the proxied client
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.forwarded_allow_ips))
    return app


def unavailable_app(fault: Fault, settings: WebSettings) -> FastAPI:
    """An app that answers every request 503 with ``fault``'s one sentence (the API in
    the one error body, pages as a short page), and changes nothing."""
    app = FastAPI(title="Speciosa", version=__version__, openapi_url=None, docs_url=None)
    app.state.fault = fault
    detail = detail_of(fault)
    headers = errors.retry_headers(fault)
    methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    @app.api_route("/{path:path}", methods=methods, include_in_schema=False)
    async def unavailable(request: Request, path: str) -> Response:
        if errors.wants_json(request):
            return JSONResponse(errors.error_body(503, detail), 503, headers=headers)
        page = (
            '<!doctype html><html lang="en"><meta charset="utf-8"><title>Speciosa: '
            f"unavailable</title><h1>Speciosa is unavailable</h1><p>{html.escape(detail.full)}"
            "</p></html>"
        )
        return HTMLResponse(page, 503, headers=headers)

    app.add_middleware(Guard, settings=settings)
    app.add_middleware(AllowedHosts, hosts=settings.hosts())
    return app


class Guard:
    """Security headers on every answer; a per-browser cookie for CSRF tokens; and no
    unsafe request from another site.

    An unsafe request is refused when the browser says it comes from another site
    (``Sec-Fetch-Site``) or, for the API, from another origin (``Origin``). An API write
    must also carry a valid CSRF token (``x-csrf-token``: ``GET /api/v1/session`` gives
    it) or be JSON, which a page on another site cannot send without a CORS preflight
    that this app never grants. Pages' forms carry their token in the form itself.
    """

    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings
        self.secure = settings.cookies_secure
        self.session_cookie = SECURE_SESSION_COOKIE if self.secure else SESSION_COOKIE
        self.hsts = settings.multi_user and self.secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        browser = _cookie(headers.get("cookie", ""), BROWSER_COOKIE)
        refusal = self._refusal(scope, headers, browser)
        new_browser = None if browser or refusal else secrets.token_urlsafe(24)
        scope["speciosa.browser"] = browser or new_browser

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = _security_headers(scope["path"], hsts=self.hsts)
                if new_browser:
                    extra.append((b"set-cookie", self._browser_cookie(new_browser)))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        if refusal is not None:
            await _refuse(scope, receive, send_with_headers, refusal)
            return
        await self.app(scope, receive, send_with_headers)

    def _refusal(
        self, scope: Scope, headers: dict[str, str], browser: str | None
    ) -> tuple[str, str] | None:
        """The header at fault and why this request may not change anything (None: it may)."""
        if scope["method"] not in _UNSAFE:
            return None
        site = headers.get("sec-fetch-site", "").strip().lower()
        if site in ("cross-site", "same-site"):
            return (
                "sec-fetch-site",
                f"requests from another site may not change a journal (Sec-Fetch-Site: {site})",
            )
        if not scope["path"].startswith("/api/"):
            return None  # pages: CheckedForm checks the form's own token
        origin = headers.get("origin")
        if origin is not None and not _same_origin(origin, scope, headers):
            return "origin", "API writes from another origin are refused (Origin does not match)"
        session = _cookie(headers.get("cookie", ""), self.session_cookie)
        given = headers.get(CSRF_HEADER)
        if given is not None:
            key = self.settings.signing_key()
            if security.csrf_valid(key, browser, session, given):
                return None
            return (
                CSRF_HEADER,
                "the x-csrf-token header is not valid for this browser and session "
                "(GET /api/v1/session gives the right one)",
            )
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/json":
            return None
        return (
            "content-type",
            "API writes must be sent as application/json or carry the x-csrf-token header "
            "(GET /api/v1/session gives it); cross-site requests are refused",
        )

    def _browser_cookie(self, value: str) -> bytes:
        secure = "; Secure" if self.secure else ""
        return (
            f"{BROWSER_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000{secure}"
        ).encode()


def _same_origin(origin: str, scope: Scope, headers: dict[str, str]) -> bool:
    """Whether ``Origin`` is this server as the browser sees it. The host must match the
    Host header (one of ``allowed_hosts``); the scheme too, except that an https page may
    reach a server that sees plain http (TLS ended at a proxy it was not told to trust)."""
    seen = origin.strip().rstrip("/").lower()
    host = headers.get("host", "").strip().lower()
    scheme = scope.get("scheme", "http")
    allowed = {f"{scheme}://{host}"} | ({f"https://{host}"} if scheme == "http" else set())
    return bool(host) and seen in allowed


async def _refuse(scope: Scope, receive: Receive, send: Send, refusal: tuple[str, str]) -> None:
    field, message = refusal
    detail = errors.said(message, field=field)
    await errors.answer_early(scope, receive, send, 403, detail)


# A year, the value HSTS preload lists ask for (hstspreload.org); multi-user mode only:
# local mode serves plain http://127.0.0.1.
HSTS = b"max-age=31536000; includeSubDomains"


def _security_headers(path: str, *, hsts: bool = False) -> list[tuple[bytes, bytes]]:
    pairs = [
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),  # share tokens must not leak in Referer
        (b"x-frame-options", b"DENY"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if not path.startswith("/static/"):
        pairs.append((b"cache-control", b"no-store"))  # a journal is not for shared caches
    if hsts:
        pairs.append((b"strict-transport-security", HSTS))
    return pairs


def _cookie(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def openapi_schema(app: FastAPI) -> dict[str, Any]:
    return app.openapi()
