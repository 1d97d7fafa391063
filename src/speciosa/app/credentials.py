"""Passwords and tokens: argon2id hashes, random tokens stored only as their SHA-256.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended
profile). Session, share and calendar tokens are random; only their SHA-256 is stored, so
the tables alone cannot be used to sign in or open a link.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from speciosa.errors import InvalidInput

_HASHER = PasswordHasher()  # argon2id
MIN_PASSWORD_LENGTH = 10

# Verifying against this when the username is unknown takes as long as a real check,
# so response times do not tell which usernames exist.
_DUMMY_HASH = _HASHER.hash("not a real password; timing equaliser")


def hash_password(password: str) -> str:
    check_password(password)
    return _HASHER.hash(password)


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password", "(hidden)", f"must be at least {MIN_PASSWORD_LENGTH} characters"
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
