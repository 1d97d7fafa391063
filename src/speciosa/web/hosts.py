"""Only the host names this server answers to reach the app (``settings.hosts()``).

Share links are built from the Host header and local mode must not answer a page that
rebound its own name to 127.0.0.1, so any other Host is refused with 400 in the one error
shape (JSON for the API, a short page otherwise), like every other refusal. Starlette's
``TrustedHostMiddleware`` does the same check but answers in plain text.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from speciosa.web import errors


class AllowedHosts:
    def __init__(self, app: ASGIApp, *, hosts: list[str]) -> None:
        self.app = app
        self.any_host = "*" in hosts
        self.names = frozenset(h for h in hosts if not h.startswith("*."))
        self.suffixes = tuple(h[1:] for h in hosts if h.startswith("*."))  # "*.a.org": ".a.org"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any_host or scope["type"] not in ("http", "websocket") or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        detail = errors.said(
            "this server does not answer to that host name (the Host header); use the "
            "address the server's operator gave you",
            field="host",
        )
        await errors.answer_early(scope, receive, send, 400, detail)

    def _allowed(self, scope: Scope) -> bool:
        host = Headers(scope=scope).get("host", "")
        name = host if host.endswith("]") else host.rsplit(":", 1)[0]  # "[::1]" keeps its colons
        return name in self.names or (bool(self.suffixes) and name.endswith(self.suffixes))
