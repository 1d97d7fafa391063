"""What Speciosa knows, shown to people: ``protocol``, ``evidence`` and ``questionnaire``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from speciosa.errors import InvalidInput
from speciosa.instruments.questionnaires import QUESTIONNAIRES, Questionnaire, QuestionnaireResult
from speciosa.journal.catalogues import Condition

from .context import app_state, console, escape, interactive

Instrument = StrEnum("Instrument", {key.upper(): key for key in QUESTIONNAIRES})  # type: ignore[misc]


def _cite(ids: tuple[str, ...]) -> str:
    return f"[dim]{escape('[' + ', '.join(ids) + ']')}[/]"


def protocol(condition: Annotated[Condition, typer.Argument(help="the condition")]) -> None:
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
    instrument: Annotated[Instrument, typer.Argument(help="sds, sows, fss or peg")],
    answers: Annotated[
        str | None, typer.Option(help="answers in item order, comma separated")
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
        try:
            return [int(part) for part in text.split(",")]
        except ValueError as exc:
            raise InvalidInput(
                "answers", text, "must be whole numbers separated by commas"
            ) from exc
    if not interactive():
        raise InvalidInput(
            "answers", None, f"is required; give --answers with {len(chosen.items)} numbers"
        )
    console.print(f"[bold]{chosen.name}[/]\n{chosen.instructions}\n")
    values = []
    for item in chosen.items:
        options = "  ".join(f"{o.value}={o.label}" for o in item.options)
        console.print(f"{item.number}. {item.text}\n   [dim]{options}[/]")
        values.append(_ask_item(item.low, item.high))
    return values


def _ask_item(low: int, high: int) -> int:
    while True:
        answer = typer.prompt("   answer", type=int)
        if low <= answer <= high:
            return int(answer)
        console.print(f"   [red]give a whole number from {low} to {high}[/]")


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
