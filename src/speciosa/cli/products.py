"""``speciosa product ...``: the products a person uses, their batches and lab results."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from speciosa.errors import InvalidInput
from speciosa.journal.catalogues import ProductForm

from .context import app_state, console

if TYPE_CHECKING:
    from speciosa.journal.models import Product

product_app = typer.Typer(help="Products, batches and lab results (COA).", no_args_is_help=True)

Measure = Annotated[float | None, typer.Option(help="measured weight, for logging in that unit")]


def _product(data: dict[str, Any]) -> Product:
    from speciosa.app import journal_settings as settings
    from speciosa.journal.models import Product

    product: Product = settings.validated(Product, data, prefix="product")
    return product


@product_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="a name you will recognise, e.g. 'Red Bali (Acme)'")],
    vendor: Annotated[str | None, typer.Option()] = None,
    vein: Annotated[str | None, typer.Option(help="vein colour or label")] = None,
    form: Annotated[ProductForm, typer.Option(parser=ProductForm)] = ProductForm.POWDER,
    grams_per_capsule: Measure = None,
    grams_per_teaspoon: Measure = None,
    grams_per_tablespoon: Measure = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Add a product so doses can name it (and be logged in capsules or spoons)."""
    from speciosa.app import journal_settings as settings

    product = _product(
        {
            "name": name,
            "vendor": vendor,
            "vein": vein,
            "form": form,
            "note": note,
            "grams_per_capsule": grams_per_capsule,
            "grams_per_teaspoon": grams_per_teaspoon,
            "grams_per_tablespoon": grams_per_tablespoon,
        }
    )
    with app_state(ctx).journal() as journal:
        settings.add_product(journal, product)
    console.print(f"Added product {product.name!r}.")


@product_app.command("edit")
def edit(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    new_name: Annotated[str | None, typer.Option("--name")] = None,
    vendor: Annotated[str | None, typer.Option()] = None,
    vein: Annotated[str | None, typer.Option()] = None,
    form: Annotated[ProductForm | None, typer.Option(parser=ProductForm)] = None,
    grams_per_capsule: Measure = None,
    grams_per_teaspoon: Measure = None,
    grams_per_tablespoon: Measure = None,
) -> None:
    """Change a product's details (doses already logged keep their grams)."""
    from speciosa.app import journal_settings as settings

    changes = {
        "name": new_name,
        "vendor": vendor,
        "vein": vein,
        "form": form,
        "grams_per_capsule": grams_per_capsule,
        "grams_per_teaspoon": grams_per_teaspoon,
        "grams_per_tablespoon": grams_per_tablespoon,
    }
    with app_state(ctx).journal() as journal:
        current = settings.product(journal, name).model_dump()
        current.update({k: v for k, v in changes.items() if v is not None})
        settings.update_product(journal, name, _product(current))
    console.print(f"Updated product {new_name or name!r}.")


def _verdict(text: str | None, field: str) -> bool | None:
    if text is None:
        return None
    if text not in {"pass", "fail"}:
        raise InvalidInput(field, text, "must be 'pass' or 'fail'")
    return text == "pass"


@product_app.command("batch")
def batch(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="product name")],
    code: Annotated[str, typer.Argument(help="batch or lot code")],
    bought_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    lab: Annotated[str | None, typer.Option(help="testing laboratory")] = None,
    tested_on: Annotated[str | None, typer.Option(help="YYYY-MM-DD")] = None,
    mitragynine: Annotated[float | None, typer.Option(help="mitragynine, mg per g")] = None,
    hydroxymitragynine: Annotated[
        float | None, typer.Option("--7oh", help="7-OH, mg per g")
    ] = None,
    heavy_metals: Annotated[str | None, typer.Option(help="pass or fail")] = None,
    microbial: Annotated[str | None, typer.Option(help="pass or fail")] = None,
    passed: Annotated[str | None, typer.Option("--result", help="overall: pass or fail")] = None,
) -> None:
    """Add or replace a batch with its certificate of analysis (COA)."""
    from speciosa.app import journal_settings as settings
    from speciosa.journal.models import Batch

    lab_fields = {
        "lab": lab,
        "tested_on": tested_on,
        "mitragynine_mg_per_g": mitragynine,
        "hydroxymitragynine_mg_per_g": hydroxymitragynine,
        "heavy_metals_pass": _verdict(heavy_metals, "heavy_metals"),
        "microbial_pass": _verdict(microbial, "microbial"),
        "passed": _verdict(passed, "result"),
    }
    has_lab = any(v is not None for v in lab_fields.values())
    new: Batch = settings.validated(
        Batch,
        {"code": code, "bought_on": bought_on, "lab": lab_fields if has_lab else None},
        prefix="batch",
    )
    with app_state(ctx).journal() as journal:
        settings.save_batch(journal, name, new)
    console.print(f"Saved batch {code!r} of {name!r}.")


@product_app.command("list")
def list_products(ctx: typer.Context) -> None:
    """Products with their measures and lab status."""
    from rich.table import Table

    from speciosa.app import journal_settings as settings

    with app_state(ctx).journal() as journal:
        products = settings.products(journal)
    table = Table(show_edge=False, header_style="bold")
    for column in ("name", "form", "vein", "g/capsule", "g/tsp", "batches", "lab results"):
        table.add_column(column)
    for p in products:
        labs = [b.lab for b in p.batches if b.lab is not None]
        status = (
            "none"
            if not labs
            else ", ".join(
                "pass" if lab.passed else "FAIL" if lab.passed is False else "recorded"
                for lab in labs
            )
        )
        table.add_row(
            p.name,
            p.form.value,
            p.vein or "",
            _num(p.grams_per_capsule),
            _num(p.grams_per_teaspoon),
            str(len(p.batches)),
            status,
        )
    console.print(table if products else "No products yet: speciosa product add NAME")


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
