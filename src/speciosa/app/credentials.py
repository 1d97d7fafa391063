"""Passwords and tokens: argon2id hashes, random tokens stored only as their SHA-256.

Passwords must be at least 10 characters and hard to guess (zxcvbn's estimate), and are
hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended
profile). Session, share and calendar tokens are random; only their SHA-256 is stored, so
the tables alone cannot be used to sign in or open a link.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from speciosa.errors import InvalidInput

_HASHER = PasswordHasher()  # argon2id
MIN_PASSWORD_LENGTH = 10
# zxcvbn's score 3 of 4 is "safely unguessable: moderate protection from an offline
# slow-hash scenario" (Wheeler, "zxcvbn: Low-Budget Password Strength Estimation", USENIX
# Security 2016); argon2id is such a slow hash. "password12" scores 1.
MIN_STRENGTH = 3
MAX_CHECKED = 100

# Verifying against this when the username is unknown takes as long as a real check,
# so response times do not tell which usernames exist.
_DUMMY_HASH = _HASHER.hash("not a real password; timing equaliser")


def hash_password(password: str, *, about: Sequence[str] = ()) -> str:
    check_password(password, about=about)
    return _HASHER.hash(password)


def check_password(password: str, *, about: Sequence[str] = ()) -> None:
    """Refuse a short password or one that is easy to guess (``about``: the person's own
    words, such as their username, which a guesser would try first)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", "(hidden)", f"must be at least {MIN_PASSWORD_LENGTH} characters"
        )
    from zxcvbn import zxcvbn  # its word lists load in ~0.2 s: only when a password is set

    # zxcvbn's cost grows with length; the first characters are what guessers try.
    found = zxcvbn(password[:MAX_CHECKED], user_inputs=[w for w in about if w])
    if found["score"] < MIN_STRENGTH:
        warning = str(found["feedback"].get("warning") or "").rstrip(".")
        reason = f" ({warning[0].lower()}{warning[1:]})" if warning else ""
        raise InvalidInput(
            "password",
            "(hidden)",
            f"is easy to guess{reason}; use a longer phrase of a few unrelated words",
        )


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
