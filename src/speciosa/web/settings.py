"""The web app's one settings object: typed, read from ``SPECIOSA_*`` variables or
arguments, and validated at start-up so that unsafe combinations never reach a server.

Local mode (the default) serves one person's journal on the loopback interface with no
login. Multi-user mode serves many people and refuses to start without a secret key and
secure cookies unless ``dev`` is set explicitly (a developer's own machine or a test).
"""

from __future__ import annotations

import ipaddress
import json
import secrets
from typing import Self

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from speciosa.errors import InvalidInput

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MIN_SECRET_LENGTH = 32


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SPECIOSA_", extra="ignore", frozen=True)

    database_url: str | None = Field(default=None, description="SQLite path or postgresql:// URL")
    multi_user: bool = Field(default=False, description="many accounts instead of one journal")
    dev: bool = Field(default=False, description="development: allows insecure defaults")
    secret_key: SecretStr | None = Field(
        default=None, description="signs CSRF tokens; required in multi-user mode"
    )
    secure_cookies: bool | None = Field(
        default=None, description="HTTPS-only cookies (default: on in multi-user mode)"
    )
    allow_signup: bool = Field(default=False, description="let visitors create accounts")
    host: str = Field(default="127.0.0.1", description="interface to bind")
    allowed_hosts: tuple[str, ...] = Field(
        default=(), description="Host headers accepted (default: loopback names in local mode)"
    )
    session_days: int = Field(default=14, ge=1, le=90)
    share_days: int = Field(default=14, ge=1, le=90, description="default share-link lifetime")
    share_max_days: int = Field(default=90, ge=1, le=365)
    login_attempts: int = Field(default=5, ge=1, le=100, description="failures per window")
    login_window_minutes: int = Field(default=15, ge=1, le=1440)
    # Per client address, whichever accounts it tries: above the per-account limit so a
    # household or clinic behind one address can still mistype, low enough that trying
    # many usernames from one address stops within a window.
    login_attempts_per_address: int = Field(
        default=10, ge=1, le=1000, description="failed sign-ins per address per window"
    )
    # Sign-ups tried from one address per window (sign-up open only): a clinic's front
    # desk may set up a few people in a row; a script trying names is stopped quickly.
    signups_per_address: int = Field(
        default=5, ge=1, le=1000, description="sign-ups tried per address per window"
    )
    # OWASP Session Management Cheat Sheet: idle timeouts of 15-30 minutes for low-risk
    # applications, shorter for high-value ones; a health journal on a shared server.
    idle_minutes: int = Field(
        default=30, ge=1, le=1440, description="sign out a session unused for this long"
    )
    # Proxies whose X-Forwarded-For is believed (addresses or networks); none by default,
    # so a client cannot pick the address its sign-in failures are counted against.
    forwarded_allow_ips: tuple[str, ...] = Field(
        default=(), description="reverse proxies trusted for X-Forwarded-For"
    )
    # An Apple Health export.zip of many years is 100-200 MB; a journal's JSON export is a
    # few tens of MB. Bodies are counted as they arrive, so a larger one is never held.
    max_upload_mb: int = Field(
        default=256, ge=1, le=4096, description="largest file upload (import), in MiB"
    )
    # Imports running at once on the whole server (every worker on this database); each
    # keeps a core busy, so more than the cores only slows every page down.
    max_imports: int = Field(
        default=2, ge=1, le=64, description="imports running at once, across every worker"
    )
    # While someone keeps writing, their insights are worked out again at most this often
    # (the first write after a quiet spell is answered at once): statistics over weeks do
    # not move with one entry, and on a busy server the recomputing was a third of the CPU.
    insights_every_seconds: float = Field(
        default=30.0,
        ge=0.0,
        le=3600.0,
        description="seconds between insight recomputations for someone who keeps writing",
    )
    max_body_mb: int = Field(
        default=64, ge=1, le=1024, description="largest other request body (JSON, forms), in MiB"
    )

    @model_validator(mode="after")
    def _safe_for_its_mode(self) -> Self:
        if self.multi_user and not self.dev:
            key = self.secret_key.get_secret_value() if self.secret_key else ""
            if len(key) < MIN_SECRET_LENGTH:
                raise InvalidInput(
                    "secret_key",
                    "(hidden)" if key else None,
                    f"multi-user mode needs SPECIOSA_SECRET_KEY of at least {MIN_SECRET_LENGTH} "
                    "characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe())')",
                )
            if self.secure_cookies is False:
                raise InvalidInput(
                    "secure_cookies",
                    False,
                    "multi-user mode sends cookies over HTTPS only; put it behind TLS "
                    "(or set SPECIOSA_DEV=1 on a development machine)",
                )
            if not self.allowed_hosts or "*" in self.allowed_hosts:
                # Share links are built from the Host header: only names listed here
                # reach the app, so a forged Host cannot put another site in a link.
                raise InvalidInput(
                    "allowed_hosts",
                    ",".join(self.allowed_hosts) or None,
                    "multi-user mode needs the names this server answers to, e.g. "
                    "--allowed-host journal.example.org (SPECIOSA_ALLOWED_HOSTS="
                    '\'["journal.example.org"]\'), not "*"',
                )
        if not self.multi_user and not is_loopback(self.host):
            raise InvalidInput(
                "host",
                self.host,
                "local mode has no login, so it only listens on 127.0.0.1 or ::1; "
                "use --multi-user to serve other devices",
            )
        return self

    @property
    def cookies_secure(self) -> bool:
        return self.secure_cookies if self.secure_cookies is not None else self.multi_user

    def signing_key(self) -> bytes:
        """The secret for CSRF tokens; local mode makes one per process."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _PROCESS_KEY

    def as_environment(self) -> dict[str, str]:
        """These settings as the ``SPECIOSA_*`` variables that give them back: how
        ``serve --workers`` hands one configuration to every worker process. Workers must
        share a signing key, so one is made here when none was set (local or dev mode)."""
        environment = {}
        for name, value in self.model_dump(mode="json", exclude_none=True).items():
            environment[f"SPECIOSA_{name.upper()}"] = (
                json.dumps(value) if isinstance(value, list | bool) else str(value)
            )
        key = self.secret_key.get_secret_value() if self.secret_key else secrets.token_urlsafe(32)
        environment["SPECIOSA_SECRET_KEY"] = key
        return environment

    def hosts(self) -> list[str]:
        if self.allowed_hosts:
            return list(self.allowed_hosts)
        if self.multi_user:
            return ["*"]
        # Local mode answers loopback names only: a web page cannot rebind its own
        # domain name to 127.0.0.1 and read the journal (DNS rebinding).
        return sorted(LOOPBACK_NAMES | {"[::1]"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_PROCESS_KEY = secrets.token_bytes(32)
