"""The person's profile and products (with their batches and lab results)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from speciosa.errors import InvalidInput, from_validation_error
from speciosa.journal.catalogues import SubstanceClass, class_of
from speciosa.journal.models import Batch, Medication, Product, Profile

from .unit import Journal


def save_profile(journal: Journal, profile: Profile) -> Profile:
    _check_birth_year(journal, profile)
    journal.store.save_profile(profile, now=journal.now)
    journal.profile, journal.has_profile = profile, True
    return profile


def update_profile(journal: Journal, changes: Mapping[str, Any]) -> Profile:
    """The profile with ``changes`` applied and validated (fields named as in the profile)."""
    data = journal.profile.model_dump() | dict(changes)
    return save_profile(journal, validated(Profile, data))


def change_problems(journal: Journal, changes: Mapping[str, Any]) -> list[InvalidInput]:
    """Each change checked on its own against the stored profile, so that a form can say
    what is wrong with every field at once (and keep the others); nothing is saved."""
    found: list[InvalidInput] = []
    base = journal.profile.model_dump()
    for name, value in changes.items():
        try:
            _check_birth_year(journal, validated(Profile, base | {name: value}))
        except InvalidInput as exc:
            found.append(exc)
    return found


def _check_birth_year(journal: Journal, profile: Profile) -> None:
    this_year = journal.now.year
    if profile.birth_year is not None and profile.birth_year > this_year:
        raise InvalidInput(
            "birth_year", profile.birth_year, f"must be a year from 1900 to {this_year}"
        )


def medication(text: str, field: str = "medications") -> Medication:
    """A regular medicine from "NAME" (class looked up from the name) or "NAME:CLASS"."""
    name, _, cls = text.strip().partition(":")
    if cls.strip():
        try:
            found = SubstanceClass(cls.strip().lower())
        except ValueError:
            raise InvalidInput(
                field, text, f"class must be one of {', '.join(SubstanceClass)}"
            ) from None
    else:
        found = class_of(name) or SubstanceClass.OTHER
    return validated(Medication, {"name": name.strip(), "substance_class": found}, field)


def products(journal: Journal) -> list[Product]:
    return journal.store.products()


def product_names(journal: Journal) -> list[str]:
    return [p.name for p in journal.store.products()]


def product(journal: Journal, name: str) -> Product:
    """One of the person's products (NotFound lists the ones they have)."""
    return journal.store.product(name)


def add_product(journal: Journal, product: Product) -> Product:
    return journal.store.add_product(product, now=journal.now)


def update_product(journal: Journal, name: str, product: Product) -> Product:
    return journal.store.update_product(name, product, now=journal.now)


def save_batch(journal: Journal, name: str, batch: Batch) -> Product:
    """Record a batch (and its lab results) of a product; a code given again replaces that
    batch (a corrected or later certificate of analysis)."""
    found = journal.store.product(name)
    kept = tuple(b for b in found.batches if b.code != batch.code)
    updated = found.model_copy(update={"batches": (*kept, batch)})
    return update_product(journal, name, validated(Product, updated.model_dump()))


def validated(model: type[BaseModel], data: Mapping[str, Any], prefix: str = "") -> Any:
    """``model`` from ``data`` (None values left out); InvalidInput names the field."""
    try:
        return model.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        raise from_validation_error(exc, prefix=prefix) from exc
