"""Encrypted backups: the age format (https://age-encryption.org), through pyrage.

    sealed = encrypt(data, Lock(passphrase="correct horse"))     # or Lock(recipients=("age1...",))
    kind = needs(sealed[:HEAD_BYTES])                             # "passphrase", "identity" or None
    data = decrypt(sealed, Key(passphrase="correct horse"))       # or Key(identity=<identity file>)

A file encrypted to a passphrase (age's scrypt recipient) or to public keys (``age1...``
X25519 keys, or ``ssh-ed25519``/``ssh-rsa`` keys) can be opened with the ``age`` tool as
well as by Speciosa. Nothing in it is readable without the passphrase or a private key:
kratom is banned in some places, and a backup kept in the cloud must say nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any, Literal

import pyrage

from speciosa.errors import InvalidInput

AGE_MAGIC = b"age-encryption.org/v1\n"
ARMOR_MAGIC = b"-----BEGIN AGE ENCRYPTED FILE-----"
# Enough of a file to see its header line and first recipient stanza.
HEAD_BYTES = 256
SUFFIX = ".age"
WRONG_KEY = "does not open this backup (wrong passphrase or key); nothing was changed"


@dataclass(frozen=True)
class Lock:
    """How to encrypt: a passphrase, or the public keys of whoever may open the file."""

    passphrase: str | None = None
    recipients: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if (self.passphrase is None) == (not self.recipients):
            raise InvalidInput(
                "encrypt", None, "give either a passphrase or --recipient keys, not both"
            )
        if self.passphrase is not None and not self.passphrase.strip():
            raise InvalidInput("passphrase", "", "must not be empty")


@dataclass(frozen=True)
class Key:
    """How to decrypt: the passphrase, or the text of an age identity file."""

    passphrase: str | None = None
    identity: str | None = None


def is_encrypted(head: bytes) -> bool:
    """True when ``head`` (a file's first bytes) starts an age file, binary or armored."""
    return head.startswith(AGE_MAGIC) or head.lstrip().startswith(ARMOR_MAGIC)


def needs(head: bytes) -> Literal["passphrase", "identity"] | None:
    """What opens the age file starting with ``head``: a passphrase, an identity, or None
    when it is not encrypted."""
    if head.lstrip().startswith(ARMOR_MAGIC):
        # ASCII armor: the first base64 line holds the header line and the first stanza.
        lines = head.lstrip().split(b"\n")
        try:
            head = base64.b64decode(lines[1].strip()[:64]) if len(lines) > 1 else b""
        except ValueError:
            head = b""
    if not head.startswith(AGE_MAGIC):
        return None
    return "passphrase" if b"\n-> scrypt " in head else "identity"


def encrypt(data: bytes, lock: Lock) -> bytes:
    """``data`` as an age file (binary) that only ``lock``'s passphrase or keys open."""
    if lock.passphrase is not None:
        return pyrage.passphrase.encrypt(data, lock.passphrase)
    return pyrage.encrypt(data, [_recipient(r) for r in lock.recipients])


def decrypt(sealed: bytes, key: Key) -> bytes:
    """The plaintext of an age file; InvalidInput (one line) when the key does not fit."""
    # pyrage reads binary and ASCII-armored files alike.
    if key.identity is not None:
        identities = _identities(key.identity)
        try:
            return pyrage.decrypt(sealed, identities)
        except pyrage.DecryptError:
            raise InvalidInput("identity", "(the key file given)", WRONG_KEY) from None
    if key.passphrase is None:
        raise InvalidInput(
            "passphrase",
            None,
            "the backup is encrypted: give its passphrase, or --identity FILE for a key",
        )
    try:
        return pyrage.passphrase.decrypt(sealed, key.passphrase)
    except pyrage.DecryptError:
        raise InvalidInput("passphrase", "(hidden)", WRONG_KEY) from None


def _recipient(text: str) -> Any:
    value = text.strip()
    try:
        if value.startswith("ssh-"):
            return pyrage.ssh.Recipient.from_str(value)
        return pyrage.x25519.Recipient.from_str(value)
    except pyrage.RecipientError:
        raise InvalidInput(
            "recipient",
            value[:80],
            "must be an age public key (age1...) or an SSH public key (ssh-ed25519 ...)",
        ) from None


def _identities(text: str) -> list[Any]:
    """The private keys of an age identity file (``AGE-SECRET-KEY-1...`` lines, ``#``
    comments), or one unencrypted OpenSSH private key."""
    try:
        if "-----BEGIN" in text:
            return [pyrage.ssh.Identity.from_buffer(text.encode("utf-8"))]
        keys = [
            line.strip()
            for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")
        ]
        identities = [pyrage.x25519.Identity.from_str(k) for k in keys]
    except pyrage.IdentityError:
        identities = []
    if not identities:
        raise InvalidInput(
            "identity",
            "(the key file given)",
            "must be an age identity file (AGE-SECRET-KEY-1... lines) or an OpenSSH private key",
        )
    return identities
