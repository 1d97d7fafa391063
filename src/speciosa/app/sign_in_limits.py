"""How many failed sign-ins an account and a client address may have: kept in the
database, so the limit survives a restart and holds across every worker on one database.

Two limits apply to each attempt: one per account (whichever address tries it; a success
clears it) and one per client address (whichever accounts it tries; only time clears it,
so signing in to one's own account cannot reset a guesser's count). Keys are stored as
SHA-256 only: a typed username or an address never lands in the table as itself.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from math import ceil

from speciosa.store import sign_in_limits as failures

from .unit import Speciosa


@dataclass(frozen=True)
class SignInLimits:
    """``per_account`` and ``per_address`` failures per ``window_seconds``."""

    speciosa: Speciosa
    per_account: int
    per_address: int
    window_seconds: int
    # Sign-ups tried from one address per window, whether or not the name was free: an
    # open sign-up must not become a way to make accounts in bulk or to test many names.
    signups_per_address: int = 5

    def retry_after(self, username: str, address: str | None) -> int:
        """Seconds until this account may be tried from this address; 0 when now."""
        now = self.speciosa.clock()
        window = timedelta(seconds=self.window_seconds)
        keys = self._keys(username, address)
        with self.speciosa.transaction() as session:
            found = failures.failures_since(session=session, key_hashes=keys, since=now - window)
        waits = [
            ceil((oldest + window - now).total_seconds())
            for key, (count, oldest) in found.items()
            if count >= self._allowed(key, keys)
        ]
        return max([1, *waits]) if waits else 0

    def failed(self, username: str, address: str | None) -> None:
        now = self.speciosa.clock()
        with self.speciosa.transaction() as session:
            failures.record_failure(
                session=session,
                key_hashes=self._keys(username, address),
                now=now,
                forget_before=now - timedelta(seconds=self.window_seconds),
            )

    def signup_retry_after(self, address: str | None) -> int:
        """Seconds until another sign-up may be tried from this address; 0 when now."""
        if not address:
            return 0
        now = self.speciosa.clock()
        window = timedelta(seconds=self.window_seconds)
        key = _signup_key(address)
        with self.speciosa.transaction() as session:
            found = failures.failures_since(session=session, key_hashes=[key], since=now - window)
        count, oldest = found.get(key, (0, now))
        if count < self.signups_per_address:
            return 0
        return max(1, ceil((oldest + window - now).total_seconds()))

    def signup_tried(self, address: str | None) -> None:
        if not address:
            return
        now = self.speciosa.clock()
        with self.speciosa.transaction() as session:
            failures.record_failure(
                session=session,
                key_hashes=[_signup_key(address)],
                now=now,
                forget_before=now - timedelta(seconds=self.window_seconds),
            )

    def succeeded(self, username: str) -> None:
        with self.speciosa.transaction() as session:
            failures.forget(session=session, key_hash=_account_key(username))

    def _keys(self, username: str, address: str | None) -> list[str]:
        keys = [_account_key(username)]
        if address:
            keys.append(_hash(f"address:{address}"))
        return keys

    def _allowed(self, key: str, keys: list[str]) -> int:
        return self.per_account if key == keys[0] else self.per_address


def _account_key(username: str) -> str:
    return _hash(f"account:{username.strip().lower()}")


def _signup_key(address: str) -> str:
    return _hash(f"signup:{address}")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
