"""What every command shares: the application (one unit of work per command), prompts
and the two consoles."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

import typer
from rich.console import Console

from speciosa.app import Journal, Speciosa
from speciosa.errors import InvalidInput

T = TypeVar("T")

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


@dataclass
class App:
    """The ``--db`` a command was given, and the application opened on it when needed."""

    db: str | None = None
    _speciosa: Speciosa | None = field(default=None, repr=False)

    def speciosa(self) -> Speciosa:
        if self._speciosa is None:
            self._speciosa = Speciosa.open(self.db)
        return self._speciosa

    @contextmanager
    def journal(self) -> Iterator[Journal]:
        """One transaction for the whole command: it all lands, or none of it does."""
        with self.speciosa().journal() as journal:
            yield journal

    def close(self) -> None:
        if self._speciosa is not None:
            self._speciosa.close()


def app_state(ctx: typer.Context) -> App:
    state = ctx.find_root().obj
    assert isinstance(state, App)  # set by the root callback; not an argument check
    return state


def interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask(value: T | None, field_name: str, question: str, allowed: str) -> T | str:
    """``value`` if given; otherwise ask in a terminal (the answer is read like any typed
    value, by :mod:`speciosa.app`), or refuse naming the field."""
    if value is not None:
        return value
    if not interactive():
        raise InvalidInput(field_name, None, f"is required; {allowed}")
    return str(typer.prompt(question))
