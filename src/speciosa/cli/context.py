"""What every command shares: the application (one unit of work per command), prompts
and the two consoles.

Start-up rule: the ``cli`` modules import only typer, the standard library and light
vocabularies (:mod:`speciosa.journal.catalogues`) at the top; a command imports what it
runs (``speciosa.app``, rich tables, the safety engine...) inside its function, so that
``--version``, ``--help`` and ``log`` pay only for what they use
(``tests/cli/test_startup.py``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import typer

from speciosa.errors import InvalidInput

if TYPE_CHECKING:
    from rich.console import Console

    from speciosa.app import Journal, Speciosa

T = TypeVar("T")


class _LazyConsole:
    """A rich Console made when first used, so that importing the CLI does not import rich.

    Attributes are the console's; so is ``with console:`` (rich's progress bars use it).
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def _real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)

    def __enter__(self) -> Console:
        return self._real().__enter__()

    def __exit__(self, *exc: object) -> None:
        self._real().__exit__(*exc)


console = cast("Console", _LazyConsole(highlight=False))
errors = cast("Console", _LazyConsole(stderr=True, highlight=False, soft_wrap=True))


def escape(text: str) -> str:
    """``text`` with rich markup escaped (rich imported when first needed)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


@dataclass
class App:
    """The ``--db`` a command was given, and the application opened on it when needed."""

    db: str | None = None
    _speciosa: Speciosa | None = field(default=None, repr=False)

    def speciosa(self) -> Speciosa:
        if self._speciosa is None:
            from speciosa.app import Speciosa

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


def ask(
    value: T | None,
    field_name: str,
    question: str,
    allowed: str,
    read: Callable[[str], object] | None = None,
) -> T | str:
    """``value`` if given; otherwise ask in a terminal, or refuse naming the field.

    The question shows what is allowed. ``read`` (a reader that raises InvalidInput or
    ValueError) checks each answer, so a wrong one is explained and asked again instead of
    ending the command; the answer is still read by :mod:`speciosa.app` like any typed value.
    """
    if value is not None:
        return value
    if not interactive():
        raise InvalidInput(field_name, None, f"is required; {allowed}")
    return prompt_until(f"{question} [{allowed}]", read)


def prompt_until(question: str, read: Callable[[str], object] | None, **options: Any) -> str:
    """Ask ``question`` until ``read`` accepts the answer (typer.prompt's ``options``)."""
    while True:
        answer = str(typer.prompt(question, **options)).strip()
        if read is None:
            return answer
        try:
            read(answer)
        except (InvalidInput, ValueError) as exc:
            typer.echo(f"  {problem_of(exc, answer)}; try again", err=True)
            continue
        return answer


def problem_of(exc: Exception, answer: str) -> str:
    """What was wrong with a typed answer, without the field name (one line)."""
    if isinstance(exc, InvalidInput):
        return " ".join(f"{answer!r} is not allowed; {exc.allowed}".split())
    return f"{answer!r} is not allowed"
