"""Getting data in and out: ``export`` (JSON, CSV, FHIR), ``import`` and ``report``."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from speciosa.errors import InvalidInput
from speciosa.interop import native_json
from speciosa.interop.csv_export import export_csv
from speciosa.interop.fhir_export import export_fhir
from speciosa.interop.importers import import_file
from speciosa.interop.importers.common import ImportResult
from speciosa.interop.native_json import ImportSummary
from speciosa.interop.wearables import FORMATS as WEARABLE_FORMATS
from speciosa.interop.wearables import detect_wearable_format, import_wearable
from speciosa.store.device_store import DeviceStore

from .context import app_state, console, errors


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"
    FHIR = "fhir"


class ImportFormat(StrEnum):
    AUTO = "auto"
    JSON = "json"
    PSYCHONAUTWIKI = "psychonautwiki"
    KRATOMTRACKER = "kratomtracker"
    CSV = "csv"
    APPLE_HEALTH = "apple-health"
    FITBIT = "fitbit"
    OURA = "oura"
    GARMIN = "garmin"


def export(
    ctx: typer.Context,
    format_: Annotated[
        ExportFormat,
        typer.Option("--format", help="json (lossless), csv (a folder or .zip), fhir (R4 Bundle)"),
    ] = ExportFormat.JSON,
    out: Annotated[
        Path | None, typer.Option(help="file to write (default: standard output)")
    ] = None,
) -> None:
    """Export the whole journal."""
    if format_ is ExportFormat.CSV and out is None:
        raise InvalidInput(
            "out", None, "CSV export writes one file per kind: give --out DIR or --out FILE.zip"
        )
    with app_state(ctx).journal() as session:
        store = session.store
        if format_ is ExportFormat.CSV:
            assert out is not None  # checked above; narrows the type
            paths = export_csv(store.entries(), store.profile(), store.products(), out)
            errors.print(f"Wrote {len(paths)} CSV files to {out}")
            return
        if format_ is ExportFormat.FHIR:
            bundle = export_fhir(
                profile=store.profile(),
                products=store.products(),
                entries=store.entries(),
                now=session.now,
            )
            text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        else:
            text = native_json.export_journal(store)
    write_text(text, out)


def write_text(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    temporary = out.with_name(out.name + ".partial")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(out)  # never leave a half-written export behind
    errors.print(f"Wrote {out}")


def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="file to import")],
    format_: Annotated[
        ImportFormat, typer.Option("--format", help="auto-detected unless given")
    ] = ImportFormat.AUTO,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would be added, write nothing")
    ] = False,
) -> None:
    """Import a file from Speciosa or another app; importing it again adds nothing."""
    fmt = format_.value
    if fmt == "auto":
        # Wearable exports are sniffed first: they can be gigabytes and are streamed.
        fmt = detect_wearable_format(file) or fmt
    if fmt in WEARABLE_FORMATS:
        _import_wearable(ctx, file, fmt, dry_run=dry_run)
        return
    with app_state(ctx).journal() as session, Progress(console=errors, transient=True) as bar:
        task = bar.add_task(f"Importing {file.name}", total=None)
        summary = import_file(
            session.store,
            file,
            fmt=fmt,
            now=session.now,
            zone=session.profile.timezone,
            dry_run=dry_run,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    show_summary(summary, dry_run=dry_run)


def _import_wearable(ctx: typer.Context, file: Path, fmt: str, *, dry_run: bool) -> None:
    with app_state(ctx).journal() as session, Progress(console=errors, transient=True) as bar:
        task = bar.add_task(f"Importing {file.name}", total=None)
        summary = import_wearable(
            DeviceStore(session.store.session, session.store.owner),
            file,
            fmt=fmt,
            now=session.now,
            default_zone=session.profile.timezone,
            dry_run=dry_run,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    verb = "Would add" if dry_run else "Added"
    kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.by_kind.items()))
    console.print(
        f"{verb} {summary.added} device samples ({summary.skipped} already present) "
        f"from {summary.read} records" + (f": {kinds}" if kinds else "") + "."
    )
    if summary.invalid:
        errors.print(f"{summary.invalid} records could not be used, e.g.:")
        for problem in summary.problems:
            errors.print(f"  {problem}", markup=False)


def show_summary(summary: ImportSummary, *, dry_run: bool) -> None:
    verb = "Would add" if dry_run else "Added"
    products = "1 product" if summary.products_added == 1 else f"{summary.products_added} products"
    console.print(
        f"{verb} {summary.added} entries ({summary.skipped} already present), {products}"
        + (", the profile" if summary.profile_set else "")
        + "."
    )
    if isinstance(summary, ImportResult):
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.added_by_kind.items()))
        if kinds:
            console.print(f"  by kind: {kinds}")
        for note in summary.notes:
            console.print(f"  [dim]{note}[/]")


def report(
    ctx: typer.Context,
    pdf: Annotated[Path, typer.Option("--pdf", help="the PDF file to write")],
    from_: Annotated[str | None, typer.Option("--from", help="first day, YYYY-MM-DD")] = None,
    to: Annotated[str | None, typer.Option("--to", help="last day, YYYY-MM-DD")] = None,
) -> None:
    """A 2-4 page clinician report (PDF) for a period (default: the last 90 days)."""
    from speciosa.report import write_report

    start, end = _day(from_, "from"), _day(to, "to")
    with app_state(ctx).journal() as session, console.status("Writing the report..."):
        written = write_report(
            session.store, pdf, now=session.now, period_start=start, period_end=end
        )
    console.print(f"Wrote {written}")


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(field, text, "must be a date YYYY-MM-DD") from exc
