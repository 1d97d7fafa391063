"""What Speciosa knows, shown to people: ``protocol``, ``evidence`` and ``questionnaire``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from speciosa.errors import InvalidInput
from speciosa.instruments.questionnaires import (
    QUESTIONNAIRES,
    Item,
    Questionnaire,
    QuestionnaireResult,
)
from speciosa.journal.catalogues import Condition

from .context import app_state, console, escape, interactive, problem_of

Instrument = StrEnum("Instrument", {key.upper(): key for key in QUESTIONNAIRES})  # type: ignore[misc]


def _scale(item: Item) -> str:
    """'0 never or almost never, 1 sometimes, ...' or, for a numeric scale, its anchors."""
    inner = [o.label for o in item.options[1:-1]]
    if inner and all(label.isdigit() for label in inner):
        first, last = item.options[0], item.options[-1]
        return f"{first.value} {first.label.lower()} .. {last.value} {last.label.lower()}"
    return ", ".join(f"{o.value} {o.label.lower()}" for o in item.options)


def scales_help() -> str:
    """What each number means, per instrument (``questionnaire --help``)."""
    parts = []
    for key, chosen in QUESTIONNAIRES.items():
        scales: dict[str, list[int]] = {}
        for item in chosen.items:
            scales.setdefault(_scale(item), []).append(item.number)
        if len(scales) == 1:
            described = next(iter(scales))
        else:
            described = "; ".join(
                f"item{'s' if len(numbers) > 1 else ''} "
                f"{','.join(str(n) for n in numbers)}: {scale}"
                for scale, numbers in scales.items()
            )
        parts.append(f"{key} ({len(chosen.items)} items): {described}.")
    return " ".join(parts)


def answer_value(item: Item, text: str) -> int:
    """An answer as typed: the number, or the words of an option ('often', 'a little',
    'never' for 'Never or almost never'), in any case."""
    words = " ".join(text.lower().split())
    for option in item.options:
        label = option.label.lower()
        if words in (str(option.value), label, *label.split(" or ")):
            return option.value
    allowed = _scale(item)
    raise InvalidInput("answers", text, f"item {item.number} takes {allowed}")


def _cite(ids: tuple[str, ...]) -> str:
    return f"[dim]{escape('[' + ', '.join(ids) + ']')}[/]"


def protocol(
    condition: Annotated[Condition, typer.Argument(help="the condition", parser=Condition)],
) -> None:
    """What the guides suggest for a condition, what to track, and what the evidence says."""
    from speciosa.knowledge import load_knowledge

    knowledge = load_knowledge()
    entry = knowledge.protocols[condition.value]
    console.print(f"[bold]{entry.title}[/]\n")
    console.print("[bold]What the popular guides suggest[/] (consumer articles, not evidence)")
    for item in entry.guides_suggest:
        claim = knowledge.claim_for(item)
        verdict = f"[{VERDICT_STYLE[claim.verdict]}]evidence: {claim.verdict}[/]"
        console.print(f"  - {escape(item.text)} {_cite(item.source_ids)}")
        console.print(
            f"    {verdict}: {escape(claim.explanation)} {_cite(claim.evidence_source_ids)}"
        )
    console.print("\n[bold]What Speciosa asks you to track[/]")
    for track in entry.tracking:
        console.print(
            f"  - {track.instrument.replace('_', ' ')} ({track.frequency.replace('_', ' ')}): "
            f"{track.why} {_cite(track.source_ids)}"
        )
    console.print(
        f"\n[bold]What the evidence says[/] (strength: {entry.evidence.strength.replace('_', ' ')})"
    )
    console.print(f"  {entry.evidence.summary} {_cite(entry.evidence.source_ids)}")
    console.print("\n[bold]Cautions[/]")
    for caution in entry.cautions:
        console.print(f"  - {caution.text} {_cite(caution.source_ids)}")
    _sources(tuple(sorted({i for group in _protocol_ids(entry) for i in group})))


def _protocol_ids(entry: object) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = [entry.seed_source_ids, entry.evidence.source_ids]  # type: ignore[attr-defined]
    for item in (*entry.guides_suggest, *entry.tracking, *entry.cautions):  # type: ignore[attr-defined]
        groups.append(item.source_ids)
    return groups


def _sources(ids: tuple[str, ...]) -> None:
    from speciosa.knowledge import load_knowledge

    knowledge = load_knowledge()
    console.print("\n[bold]Sources[/]")
    for source in knowledge.cite(ids):
        link = f" {source.link}" if source.link else ""
        console.print(
            f"  {escape('[' + source.id + ']')} {escape(source.citation)}{link} "
            f"[dim]({source.kind.replace('_', ' ')}; {source.limits})[/]"
        )


VERDICT_STYLE = {"supported": "green", "mixed": "yellow", "unsupported": "red", "unknown": "cyan"}


def evidence() -> None:
    """The claims the popular guides make, each with a verdict and its sources."""
    from rich.table import Table

    from speciosa.knowledge import load_knowledge

    knowledge = load_knowledge()
    table = Table(show_edge=False, header_style="bold", show_lines=True)
    table.add_column("claim (from the guides)", ratio=2)
    table.add_column("verdict")
    table.add_column("what is known", ratio=3)
    cited: set[str] = set()
    for claim in knowledge.claims.values():
        style = VERDICT_STYLE[claim.verdict]
        table.add_row(
            claim.claim,
            f"[{style}]{claim.verdict}[/]",
            f"{claim.explanation} {_cite(claim.evidence_source_ids)}",
        )
        cited.update(claim.evidence_source_ids)
    console.print(table)
    _sources(tuple(sorted(cited)))


def questionnaire(
    ctx: typer.Context,
    instrument: Annotated[
        Instrument, typer.Argument(help="sds, sows, fss or peg", case_sensitive=False)
    ],
    answers: Annotated[
        str | None,
        typer.Option(
            help="answers in item order, comma separated, as numbers or words "
            "(--answers often,sometimes,...). " + scales_help()
        ),
    ] = None,
    at: Annotated[str | None, typer.Option(help="when it was filled in")] = None,
) -> None:
    """Answer a published questionnaire; the response is stored with its score."""
    from speciosa.app import entries

    chosen = QUESTIONNAIRES[instrument.value]
    values = _answers(chosen, answers)
    result = chosen.score(values)
    with app_state(ctx).journal() as journal:
        stored = entries.log(
            journal,
            {"kind": "questionnaire", "instrument": chosen.id, "items": result.answers, "at": at},
        )
    show_result(chosen, result)
    console.print(f"[dim]Stored as entry #{stored.id}.[/]")


def _answers(chosen: Questionnaire, text: str | None) -> list[int]:
    if text is not None:
        parts = [part.strip() for part in text.split(",")]
        if len(parts) != len(chosen.items):
            raise InvalidInput(
                "answers", text, f"{chosen.id} has {len(chosen.items)} items; give one answer each"
            )
        return [answer_value(item, part) for item, part in zip(chosen.items, parts, strict=True)]
    if not interactive():
        raise InvalidInput(
            "answers", None, f"is required; give --answers with {len(chosen.items)} numbers"
        )
    console.print(f"[bold]{chosen.name}[/]\n{chosen.instructions}\n")
    values = []
    for item in chosen.items:
        options = "  ".join(f"{o.value}={o.label}" for o in item.options)
        console.print(f"{item.number}. {escape(item.text)}\n   [dim]{escape(options)}[/]")
        values.append(_ask_item(item))
    return values


def _ask_item(item: Item) -> int:
    """Ask until the answer is a number or the words of an option."""
    while True:
        answer = str(typer.prompt("   answer (number or words)"))
        try:
            return answer_value(item, answer)
        except InvalidInput as exc:
            typer.echo(f"   {problem_of(exc, answer)}; try again", err=True)


def show_result(chosen: Questionnaire, result: QuestionnaireResult) -> None:
    console.print(f"[bold]{chosen.name}[/]: {result.basis} {result.score:g}")
    console.print(result.interpretation)
    for cutoff in result.cutoffs:
        scope = "" if cutoff.validated_for_kratom else " (not validated for kratom)"
        console.print(
            f"  - {cutoff.label}: {cutoff.comparison} {cutoff.value:g}{scope}: "
            f"{'reached' if cutoff.reached else 'not reached'} {_cite(cutoff.source_ids)}"
        )
    console.print(f"[dim]Sources: {', '.join(result.source_ids)}[/]")
