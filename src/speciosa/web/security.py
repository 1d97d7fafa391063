"""CSRF tokens (passwords and tokens are :mod:`speciosa.app.credentials`'s; the sign-in
rate limit is :mod:`speciosa.app.sign_in_limits`'s).

CSRF tokens are an HMAC of a per-browser cookie (and the session, when signed in), so a
page on another site can neither read nor forge one.
"""

from __future__ import annotations

import hashlib
import hmac


def csrf_token(key: bytes, browser: str, session: str | None) -> str:
    message = f"csrf:{browser}:{session or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def csrf_valid(key: bytes, browser: str | None, session: str | None, given: str | None) -> bool:
    if not browser or not given:
        return False
    return hmac.compare_digest(csrf_token(key, browser, session), given)
