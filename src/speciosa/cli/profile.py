"""``speciosa init``: the person's profile, asked interactively or given by options."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from speciosa.errors import InvalidInput
from speciosa.journal.catalogues import Condition, Goal, HealthCondition, SubstanceClass, class_of

from .context import app_state, console, interactive, prompt_until


def init(
    ctx: typer.Context,
    timezone: Annotated[str | None, typer.Option(help="IANA zone, e.g. Europe/London")] = None,
    bedtime: Annotated[str | None, typer.Option(help="the bedtime you aim for, HH:MM")] = None,
    wake_time: Annotated[str | None, typer.Option(help="usual wake time, HH:MM")] = None,
    condition: Annotated[
        list[Condition] | None,
        typer.Option("--condition", help="repeat for each", parser=Condition),
    ] = None,
    goal: Annotated[
        list[Goal] | None,
        typer.Option("--goal", help="what you hope it helps (repeat)", parser=Goal),
    ] = None,
    limit_grams: Annotated[float | None, typer.Option(help="your own limit: grams per day")] = None,
    limit_doses: Annotated[int | None, typer.Option(help="your own limit: doses per day")] = None,
    limit_days: Annotated[
        int | None, typer.Option(help="your own limit: use days per week")
    ] = None,
    limits_agreed: Annotated[bool, typer.Option(help="limits agreed with a clinician")] = False,
    medication: Annotated[
        list[str] | None,
        typer.Option("--medication", help="regular medicine, NAME or NAME:CLASS (repeat)"),
    ] = None,
    pregnant_or_breastfeeding: Annotated[
        bool, typer.Option(help="pregnant or breastfeeding")
    ] = False,
    health: Annotated[
        list[HealthCondition] | None,
        typer.Option(
            "--health",
            help="a health condition that changes kratom's risks (repeat); replaces the list",
            parser=HealthCondition,
        ),
    ] = None,
    birth_year: Annotated[
        int | None, typer.Option(help="year of birth, for age-related (breathing) risk")
    ] = None,
    usual_dose: Annotated[
        str | None,
        typer.Option(help="the dose one tap logs on Today and the app icon, e.g. 2caps"),
    ] = None,
    usual_product: Annotated[
        str | None, typer.Option(help="the product of the usual dose (one of yours)")
    ] = None,
) -> None:
    """Create or update your profile: time zone, bedtime, conditions, limits, medicines."""
    from speciosa.app import journal_settings

    given: dict[str, Any] = {
        "timezone": timezone,
        "bedtime": bedtime,
        "wake_time": wake_time,
        "conditions": tuple(condition) if condition else None,
        "goals": tuple(goal) if goal else None,
        "medications": tuple(_medication(m) for m in medication) if medication else None,
        "health_conditions": tuple(health) if health else None,
        "birth_year": birth_year,
    }
    with app_state(ctx).journal() as journal:
        current = journal.profile.model_dump()
        only_usual = usual_dose is not None or usual_product is not None
        if interactive() and not only_usual and all(v is None for v in given.values()):
            given.update(_ask(current))
        limits = dict(current["limits"])
        for key, value in (
            ("grams_per_day", limit_grams),
            ("doses_per_day", limit_doses),
            ("use_days_per_week", limit_days),
        ):
            if value is not None:
                limits[key] = value
        limits["agreed_with_clinician"] = limits_agreed or limits["agreed_with_clinician"]
        changes = {k: v for k, v in given.items() if v is not None}
        changes["limits"] = limits
        changes["pregnant_or_breastfeeding"] = (
            pregnant_or_breastfeeding or current["pregnant_or_breastfeeding"]
        )
        profile = journal_settings.update_profile(journal, changes)
        if usual_dose is not None or usual_product is not None:
            from speciosa.app import setup

            if usual_dose is None:
                raise InvalidInput("--usual-dose", None, "give it with --usual-product, e.g. 2caps")
            try:
                setup.save_usual_dose(journal, usual_dose, usual_product)
            except InvalidInput as exc:  # named by the flag the person typed
                flag = "--usual-product" if exc.field.endswith("product") else "--usual-dose"
                raise InvalidInput(flag, exc.value, exc.allowed) from exc
    console.print(
        f"Profile saved: {profile.timezone}, bedtime {profile.bedtime}, wake {profile.wake_time}, "
        f"conditions: {', '.join(profile.conditions) or 'none'}; "
        f"health: {', '.join(profile.health_conditions) or 'none recorded'}."
    )


def _medication(text: str) -> dict[str, str]:
    name, _, cls = text.partition(":")
    if cls:
        if cls not in SubstanceClass.__members__.values():
            raise InvalidInput(
                "medication", text, f"class must be one of {', '.join(SubstanceClass)}"
            )
        return {"name": name, "substance_class": cls}
    known = class_of(name)
    return {"name": name, "substance_class": known or SubstanceClass.OTHER}


def _ask(current: dict[str, Any]) -> dict[str, Any]:
    """The profile's questions, each asked again until the answer can be used."""
    from speciosa.journal import clock

    timezone = prompt_until(
        "Time zone (e.g. Europe/London)", clock.zone, default=current["timezone"]
    )
    bedtime = prompt_until(
        "Bedtime you aim for (HH:MM)",
        lambda text: clock.parse_wall_time(text, "bedtime"),
        default=current["bedtime"],
    )
    wake = prompt_until(
        "Usual wake time (HH:MM)",
        lambda text: clock.parse_wall_time(text, "wake_time"),
        default=current["wake_time"],
    )
    names = ", ".join(c.value.replace("_", " ") for c in Condition)
    chosen = prompt_until(
        f"Conditions ({names}; comma separated, blank for none)",
        lambda text: _each(Condition, text),
        default="",
        show_default=False,
    )
    health_names = ", ".join(h.value.replace("_", " ") for h in HealthCondition)
    health = prompt_until(
        f"Health conditions a clinician would ask about ({health_names}; comma separated, "
        "blank for none)",
        lambda text: _each(HealthCondition, text),
        default=",".join(current["health_conditions"]),
        show_default=False,
    )
    year = prompt_until(
        "Year of birth (blank to leave out)",
        lambda text: int(text) if text else None,
        default=str(current["birth_year"] or ""),
        show_default=False,
    )
    return {
        "timezone": timezone,
        "bedtime": bedtime,
        "wake_time": wake,
        "conditions": _each(Condition, chosen),
        "health_conditions": _each(HealthCondition, health),
        "birth_year": year or None,
    }


def _each(vocabulary: type[Condition] | type[HealthCondition], text: str) -> tuple[str, ...]:
    """Comma-separated words, each read by the catalogue ("Chronic pain, fibro")."""
    found = []
    for part in (p.strip() for p in text.split(",")):
        if part:
            entry = vocabulary.named(part)
            if entry is None:
                allowed = ", ".join(v.value.replace("_", " ") for v in vocabulary)
                raise InvalidInput("condition", part, f"must be one of {allowed}")
            found.append(entry.value)
    return tuple(found)
