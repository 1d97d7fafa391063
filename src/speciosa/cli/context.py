"""What every command shares: the database it opens, the person, the clock and prompts."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

import typer
from rich.console import Console
from tzlocal import get_localzone_name

from speciosa.errors import InvalidInput
from speciosa.journal.models import Profile
from speciosa.store.database import Database, open_database
from speciosa.store.journal_store import JournalStore, owner_id

T = TypeVar("T")

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class Session:
    """One command's view of the journal: a store inside one transaction."""

    store: JournalStore
    profile: Profile
    now: datetime
    has_profile: bool


@dataclass
class App:
    db: str | None = None
    _database: Database | None = field(default=None, repr=False)

    def database(self) -> Database:
        if self._database is None:
            self._database = open_database(self.db)
        return self._database

    @contextmanager
    def journal(self) -> Iterator[Session]:
        """One transaction for the whole command: it all lands, or none of it does."""
        now = current_time()
        with self.database().transaction() as session:
            store = JournalStore(session, owner_id(session, now=now))
            profile = store.profile()
            yield Session(
                store, profile or Profile(timezone=local_zone()), now, profile is not None
            )

    def close(self) -> None:
        if self._database is not None:
            self._database.close()


def current_time() -> datetime:
    # Whole seconds: what a person can see and type back is what is stored.
    return datetime.now(UTC).replace(microsecond=0)


def local_zone() -> str:
    try:
        name = get_localzone_name()
    except Exception:  # tzlocal raises several kinds on misconfigured hosts
        return "UTC"
    return name or "UTC"


def app_state(ctx: typer.Context) -> App:
    state = ctx.find_root().obj
    assert isinstance(state, App)  # set by the root callback; not an argument check
    return state


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(
    value: T | None, field_name: str, question: str, convert: Callable[[str], T], allowed: str
) -> T:
    """``value`` if given; otherwise ask in a terminal, or refuse naming the field."""
    if value is not None:
        return value
    if not interactive():
        raise InvalidInput(field_name, None, f"is required; {allowed}")
    return convert(typer.prompt(question))
