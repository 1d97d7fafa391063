"""Share links in the web: the URL a token opens (the links themselves, and what they
show, are :mod:`speciosa.app.sharing`'s)."""

from __future__ import annotations

from fastapi import Request


def url(request: Request, token: str) -> str:
    """The read-only page a clinician opens (``/s/{token}``) on this server."""
    return str(request.url_for("shared_page", token=token))
