"""The ``speciosa`` command: global options, sub-commands, and one error policy.

Exit codes: 0 ok, 1 failure, 2 bad input (one line on stderr naming the field).
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer.core import TyperGroup

from speciosa import __version__
from speciosa.errors import Fault, SpeciosaError

from . import data, entries, exchange, insights, knowledge, nights, profile, safety, serve
from .context import App
from .log import log_app
from .plan import plan_app
from .products import product_app


class SpeciosaGroup(TyperGroup):
    """Turns library errors into one line on stderr and the contract's exit code."""

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except SpeciosaError as exc:
            # One line, whatever the message: a Fault (not the person's input) exits 1.
            typer.echo(f"error: {' '.join(str(exc).split())}", err=True)
            raise typer.Exit(1 if isinstance(exc, Fault) else 2) from exc


app = typer.Typer(
    cls=SpeciosaGroup,
    name="speciosa",
    help=(
        "A private, evidence-first kratom journal. Not medical advice; never a dose recommendation."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(log_app, name="log")
app.add_typer(product_app, name="product")
app.add_typer(plan_app, name="plan")
app.command()(profile.init)
app.command("list")(entries.list_entries)
app.command()(entries.edit)
app.command()(entries.delete)
app.command()(entries.today)
app.command()(exchange.export)
app.command("import")(exchange.import_)
app.command()(exchange.report)
app.command()(data.backup)
app.command()(data.restore)
app.command()(data.demo)
app.command()(safety.check)
app.command()(nights.nights)
app.command()(insights.insights)
app.command()(serve.serve)
app.command()(knowledge.protocol)
app.command()(knowledge.evidence)
app.command()(knowledge.questionnaire)


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
    app()
