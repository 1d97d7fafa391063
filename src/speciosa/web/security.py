"""CSRF tokens and the sign-in rate limit (passwords and tokens are
:mod:`speciosa.app.credentials`'s).

CSRF tokens are an HMAC of a per-browser cookie (and the session, when signed in), so a
page on another site can neither read nor forge one.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import deque
from dataclasses import dataclass, field


def csrf_token(key: bytes, browser: str, session: str | None) -> str:
    message = f"csrf:{browser}:{session or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def csrf_valid(key: bytes, browser: str | None, session: str | None, given: str | None) -> bool:
    if not browser or not given:
        return False
    return hmac.compare_digest(csrf_token(key, browser, session), given)


@dataclass
class RateLimiter:
    """At most ``attempts`` failures per key in a sliding window (per process).

    Kept in memory: a multi-process deployment gets one limit per worker, which still
    bounds guessing to a small multiple of ``attempts``.
    """

    attempts: int
    window_seconds: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, key: str, *, now: float | None = None) -> int:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        moment = time.monotonic() if now is None else now
        with self._lock:
            recent = self._recent(key, moment)
            if len(recent) < self.attempts:
                return 0
            return max(1, int(recent[0] + self.window_seconds - moment) + 1)

    def failed(self, key: str, *, now: float | None = None) -> None:
        moment = time.monotonic() if now is None else now
        with self._lock:
            self._recent(key, moment).append(moment)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, moment: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= moment - self.window_seconds:
            recent.popleft()
        return recent
