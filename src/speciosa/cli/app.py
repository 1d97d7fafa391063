"""The ``speciosa`` command: global options, sub-commands, and one error policy.

Exit codes: 0 ok, 1 failure, 2 bad input (one line on stderr naming the field).

The sub-commands are listed in :data:`speciosa.cli.commands.COMMANDS` and imported and
built only when used, so ``--version`` and ``--help`` import none of them.
"""

from __future__ import annotations

import gc
from typing import Annotated, Any

import typer
from typer._click import core as click_core
from typer._click import exceptions as click_errors

from speciosa import __version__
from speciosa.errors import Fault, SpeciosaError

from .commands import LazyGroup
from .context import App
from .flags import OneLineError, error_line, leaf_command, usage_line


class SpeciosaGroup(LazyGroup):
    """Turns every error into one line on stderr, naming the flag the person typed, and the
    contract's exit code (:mod:`speciosa.cli.flags`)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click_core.Context | None = None,
        **extra: Any,
    ) -> click_core.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.UsageError as exc:  # a bad root option: --db without a value
            raise OneLineError(usage_line(exc), 2) from exc

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        args = [*ctx._protected_args, *ctx.args]  # the command's words, before click eats them
        try:
            return super().invoke(ctx)
        except SpeciosaError as exc:
            # A Fault (not the person's input) exits 1; bad input exits 2.
            line = error_line(exc, leaf_command(ctx, args))
            raise OneLineError(line, 1 if isinstance(exc, Fault) else 2) from exc
        except click_errors.NoArgsIsHelpError:
            raise
        except click_errors.UsageError as exc:
            raise OneLineError(usage_line(exc), 2) from exc


app = typer.Typer(
    cls=SpeciosaGroup,
    name="speciosa",
    help=(
        "A private, evidence-first kratom journal. Not medical advice; never a dose recommendation."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Click's plain help and usage errors: typer's rich formatting imports rich and costs
    # more than the rest of ``speciosa --help`` together.
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"speciosa {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="SQLite file or postgresql:// URL (default: $SPECIOSA_DATABASE_URL, "
            "else a file in your data directory)",
        ),
    ] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False,
) -> None:
    """Speciosa keeps your journal on this device unless you point --db elsewhere."""
    ctx.obj = App(db=db)
    ctx.call_on_close(ctx.obj.close)


def main() -> None:
    """Console entry point."""
    try:
        app()
    finally:
        # The process ends here: spare the interpreter's last garbage collections over the
        # objects SQLAlchemy and pydantic built, a fifth of ``speciosa log``'s CPU time.
        gc.freeze()
