"""Getting data in and out: ``export`` (JSON, CSV, FHIR), ``import`` and ``report``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from speciosa.app.formats import EXPORT_FORMATS, IMPORT_FORMATS
from speciosa.errors import InvalidInput
from speciosa.journal import clock

from .context import app_state, console, errors

if TYPE_CHECKING:
    from speciosa.app.data import ImportOutcome


def export(
    ctx: typer.Context,
    format_: Annotated[
        str,
        typer.Option(
            "--format", help="json (lossless), csv (a folder or .zip), fhir (FHIR R4 Bundle)"
        ),
    ] = "json",
    out: Annotated[
        Path | None, typer.Option(help="file to write (default: standard output)")
    ] = None,
) -> None:
    """Export the whole journal."""
    from speciosa.app import data

    if format_ not in EXPORT_FORMATS:
        raise InvalidInput("format", format_, f"must be one of {', '.join(EXPORT_FORMATS)}")
    if format_ == "csv":
        if out is None:
            raise InvalidInput(
                "out", None, "CSV export writes one file per kind: give --out DIR or --out FILE.zip"
            )
        with app_state(ctx).journal() as journal:
            paths = data.export_csv_files(journal, out)
        errors.print(f"Wrote {len(paths)} CSV files to {out}", markup=False)
        return
    with app_state(ctx).journal() as journal:
        text = data.export_text(journal, format_)
    if out is None:
        sys.stdout.write(text)
        return
    data.write_text(text, out)
    errors.print(f"Wrote {out}", markup=False)


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="file to import")],
    format_: Annotated[
        str,
        typer.Option(
            "--format", help=f"one of {', '.join(IMPORT_FORMATS)} (auto-detected unless given)"
        ),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would be added, write nothing")
    ] = False,
) -> None:
    """Import a file from Speciosa, another app or a wearable; importing it again adds nothing."""
    from rich.progress import Progress

    from speciosa.app import data

    # A bar only in a terminal: elsewhere it would leave a blank line before an error.
    bar_shown = errors.is_terminal
    with (
        app_state(ctx).journal() as journal,
        Progress(console=errors, transient=True, disable=not bar_shown) as bar,
    ):
        task = bar.add_task(f"Importing {file.name}", total=None)
        outcome = data.import_any(
            journal,
            file,
            fmt=format_,
            dry_run=dry_run,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    show_outcome(outcome)


def show_outcome(outcome: ImportOutcome) -> None:
    """What an import added (or would add), whatever the format."""
    from rich.markup import escape

    verb = "Would add" if outcome.dry_run else "Added"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(outcome.by_kind.items()))
    if outcome.kind == "wearable":
        console.print(
            f"{verb} {outcome.added} device samples ({outcome.skipped} already present) "
            f"from {outcome.read_as or f'{outcome.read} records'} ({outcome.samples} samples)"
            + (f": {kinds}" if kinds else "")
            + ".",
            markup=False,
        )
        if outcome.invalid:
            errors.print(f"{outcome.invalid} samples could not be used:")
        for note in outcome.notes:
            errors.print(f"  {note}", markup=False)
        return
    count = outcome.products_added
    products = "1 product" if count == 1 else f"{count} products"
    console.print(
        f"{verb} {outcome.added} entries ({outcome.skipped} already present), {products}"
        + (", the profile" if outcome.profile_set else "")
        + (f", {outcome.samples_added} device samples" if outcome.samples_added else "")
        + (f", {outcome.plans_added} plans" if outcome.plans_added else "")
        + ".",
        markup=False,
    )
    if kinds:
        console.print(f"  by kind: {kinds}", markup=False)
    for note in outcome.notes:
        console.print(f"  [dim]{escape(note)}[/]")


def report(
    ctx: typer.Context,
    pdf: Annotated[Path, typer.Option("--pdf", help="the PDF file to write")],
    from_: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")] = None,
    to: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD")] = None,
) -> None:
    """A 2-4 page clinician report (PDF) for a period (default: the last 90 days)."""
    from speciosa.report import write_report

    first, last = clock.parse_day(from_, "from"), clock.parse_day(to, "to")
    with app_state(ctx).journal() as journal, console.status("Writing the report..."):
        written = write_report(journal, pdf, first=first, last=last)
    console.print(f"Wrote {written}", markup=False)
