"""Load, validate and cross-check the knowledge files (``data/*.yaml``).

Loading fails loudly: any problem raises :class:`KnowledgeFileError` naming the file, the
entry and the field, because a silently skipped warning or a citation to a source that does
not exist would break the promise that every rule and text carries its evidence.

    SpeciosaError
    └── KnowledgeFileError    a knowledge file is unreadable, malformed or cites an unknown source

Beyond the shape of each entry, the loader refuses: a citation of an unknown source or of a
source not marked ``verified``; a seed claim (seed_claims.yaml) without a claim and verdict;
a claim that no seed claim traces back to a guide; a guide tip in a protocol without a link
to its claim; and any person-facing text that says "from memory" or "verify", which are
notes for maintainers, never for people.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar, get_args

import yaml
from pydantic import BaseModel, ValidationError

from speciosa.errors import Fault, NotFound
from speciosa.knowledge import thresholds as _thresholds
from speciosa.knowledge.models import (
    CONDITIONS,
    Claim,
    Cyp3aExamples,
    GuideTip,
    Interaction,
    MedicineList,
    MedicineLists,
    Protocol,
    ReferenceEntry,
    SeedClaim,
    Source,
    SubstanceClassId,
)
from speciosa.knowledge.thresholds import Threshold

DATA_DIR = Path(__file__).parent / "data"
FILES = (
    "sources.yaml",
    "protocols.yaml",
    "claims.yaml",
    "seed_claims.yaml",
    "reference.yaml",
    "interactions.yaml",
)
# Maintainers' notes that must never reach a person: verify the source or leave it out.
UNVERIFIED_WORDING = re.compile(r"\bfrom[\s-]+memory\b|\bverify\b", re.IGNORECASE)

M = TypeVar("M", bound=BaseModel)


class KnowledgeFileError(Fault):
    """A knowledge file that cannot be used, with the file, entry and field at fault."""

    def __init__(
        self, file: str, message: str, *, entry: str | None = None, field: str | None = None
    ) -> None:
        self.file = file
        self.entry = entry
        self.field = field
        where = file
        if entry is not None:
            where += f", entry {entry!r}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Knowledge:
    """Everything Speciosa knows, validated and cross-checked; read-only."""

    sources: Mapping[str, Source]
    protocols: Mapping[str, Protocol]
    claims: Mapping[str, Claim]
    reference: Mapping[str, ReferenceEntry]
    interactions: Mapping[str, Interaction]
    cyp3a_examples: Cyp3aExamples
    medicine_lists: MedicineLists
    thresholds: Mapping[str, Threshold]
    seed_claims: tuple[SeedClaim, ...] = ()

    def source(self, source_id: str) -> Source:
        """The source with this id; NotFound names the id when it is missing."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise NotFound(
                "source", source_id, "see speciosa/knowledge/data/sources.yaml"
            ) from None

    def cite(self, source_ids: Sequence[str]) -> tuple[Source, ...]:
        """The sources behind a list of ids, in the same order."""
        return tuple(self.source(source_id) for source_id in source_ids)

    def claim_for(self, tip: GuideTip) -> Claim:
        """The claim (with its verdict) behind a guide tip shown in a protocol."""
        return self.claims[tip.claim_id]

    def is_cyp3a_example(self, medicine: str) -> bool:
        """Whether a generic name is on the (non-exhaustive) CYP3A example list."""
        return medicine.strip().lower() in self.cyp3a_examples.medicines

    def medicine_list(self, name: str) -> MedicineList:
        """One of the name lists in interactions.yaml ("seizure_threshold", "cyp2d6_substrate",
        "cyp3a_modulator", "serotonergic"), or the CYP3A examples ("cyp3a_substrate")."""
        if name == "cyp3a_substrate":
            return self.cyp3a_examples
        if name not in MedicineLists.model_fields:
            raise NotFound("medicine list", name, "see speciosa/knowledge/data/interactions.yaml")
        found: MedicineList = getattr(self.medicine_lists, name)
        return found

    def on_list(self, name: str, medicine: str) -> bool:
        """Whether a medicine name (any case and spacing) is on the named list."""
        return " ".join(medicine.lower().split()) in self.medicine_list(name).medicines

    def texts(self) -> Iterator[tuple[str, str, str]]:
        """Every text a person could be shown, as (file, location, text), for checkers.

        Seed-claim quotes are not included: they are verbatim guide text kept for tracing and
        are never shown (front ends show the linked claim instead).
        """
        groups: tuple[tuple[str, Mapping[str, BaseModel]], ...] = (
            ("sources.yaml", self.sources),
            ("protocols.yaml", self.protocols),
            ("claims.yaml", self.claims),
            ("reference.yaml", self.reference),
            ("interactions.yaml", self.interactions),
        )
        for file, entries in groups:
            for key, model in entries.items():
                for path, text in _strings(model):
                    yield file, f"{key}.{path}", text
        for path, text in _strings(self.cyp3a_examples):
            yield "interactions.yaml", f"cyp3a_examples.{path}", text
        for path, text in _strings(self.medicine_lists):
            yield "interactions.yaml", f"medicine_lists.{path}", text
        for name, threshold in self.thresholds.items():
            yield "thresholds.py", f"{name}.note", threshold.note


@functools.cache
def load_knowledge() -> Knowledge:
    """The packaged knowledge, loaded and checked once per process."""
    return load_knowledge_from(DATA_DIR)


def load_knowledge_from(directory: Path) -> Knowledge:
    """Load and check the knowledge files in ``directory`` (uncached; for tests and tools)."""
    sources = _keyed("sources.yaml", _load_entries(directory, "sources.yaml", Source, "id"), "id")
    protocols = _keyed(
        "protocols.yaml",
        _load_entries(directory, "protocols.yaml", Protocol, "condition"),
        "condition",
    )
    claims = _keyed("claims.yaml", _load_entries(directory, "claims.yaml", Claim, "id"), "id")
    reference = _keyed(
        "reference.yaml", _load_entries(directory, "reference.yaml", ReferenceEntry, "id"), "id"
    )
    interactions, cyp3a, medicine_lists = _load_interactions(directory)
    seed_claims = _load_entries(directory, "seed_claims.yaml", SeedClaim, "quote")
    knowledge = Knowledge(
        sources=MappingProxyType(sources),
        protocols=MappingProxyType(protocols),
        claims=MappingProxyType(claims),
        reference=MappingProxyType(reference),
        interactions=MappingProxyType(interactions),
        cyp3a_examples=cyp3a,
        medicine_lists=medicine_lists,
        thresholds=MappingProxyType(dict(_thresholds.ALL_THRESHOLDS)),
        seed_claims=tuple(seed_claims),
    )
    _check_source_ids(knowledge)
    _check_seed_ids(knowledge)
    _check_seed_claims(knowledge)
    _check_guide_tips(knowledge)
    _check_wording(knowledge)
    _check_coverage(knowledge)
    return knowledge


# --- reading --------------------------------------------------------------------------------


# libyaml's parser when PyYAML was built with it: a tenth of the pure-Python one's time
# (the knowledge loads on every command that checks safety; issue 16).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(directory: Path, file: str) -> Any:
    path = directory / file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KnowledgeFileError(file, f"cannot be read ({exc.strerror}) at {path}") from exc
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as exc:
        raise KnowledgeFileError(file, f"is not valid YAML: {exc}") from exc


def _load_entries(directory: Path, file: str, model: type[M], key: str) -> list[M]:
    raw = _read_yaml(directory, file)
    if not isinstance(raw, list):
        raise KnowledgeFileError(file, "must be a list of entries")
    return _validate_entries(file, raw, model, key)


def _validate_entries(file: str, raw: list[Any], model: type[M], key: str) -> list[M]:
    entries = []
    for index, item in enumerate(raw, start=1):
        name = str(item.get(key)) if isinstance(item, dict) and item.get(key) else f"#{index}"
        entries.append(_validate(file, name, item, model))
    return entries


def _validate(file: str, entry: str, item: Any, model: type[M]) -> M:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        message = f"{first['msg']} (got {first.get('input')!r})"
        if exc.error_count() > 1:
            message += f"; and {exc.error_count() - 1} more problem(s) in this entry"
        raise KnowledgeFileError(file, message, entry=entry, field=field) from exc


def _keyed(file: str, entries: list[M], key: str) -> dict[str, M]:
    keyed: dict[str, M] = {}
    for entry in entries:
        name = str(getattr(entry, key))
        if name in keyed:
            raise KnowledgeFileError(file, "is defined twice", entry=name, field=key)
        keyed[name] = entry
    return keyed


def _load_interactions(
    directory: Path,
) -> tuple[dict[str, Interaction], Cyp3aExamples, MedicineLists]:
    file = "interactions.yaml"
    raw = _read_yaml(directory, file)
    if not isinstance(raw, dict) or set(raw) != {"classes", "cyp3a_examples", "medicine_lists"}:
        raise KnowledgeFileError(
            file,
            "must be a mapping with exactly 'classes', 'cyp3a_examples' and 'medicine_lists'",
        )
    if not isinstance(raw["classes"], list):
        raise KnowledgeFileError(file, "must be a list of entries", field="classes")
    classes = _validate_entries(file, raw["classes"], Interaction, "substance_class")
    cyp3a = _validate(file, "cyp3a_examples", raw["cyp3a_examples"], Cyp3aExamples)
    lists = _validate(file, "medicine_lists", raw["medicine_lists"], MedicineLists)
    for name in MedicineLists.model_fields:
        medicines = getattr(lists, name).medicines
        if any(m != " ".join(m.lower().split()) for m in medicines):
            raise KnowledgeFileError(
                file, "names must be lower case with single spaces", entry=name, field="medicines"
            )
    return _keyed(file, classes, "substance_class"), cyp3a, lists


# --- cross-checks ---------------------------------------------------------------------------


def _strings(model: BaseModel, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a model, with its dotted path (tuples get an index)."""
    for name in type(model).model_fields:
        yield from _strings_in(getattr(model, name), f"{prefix}{name}")


def _strings_in(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        yield from _strings(value, f"{path}.")
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _strings_in(item, f"{path}[{index}]")


def _cited(model: BaseModel) -> Iterator[tuple[str, str]]:
    """(field path, source id) for every ``*source_ids`` field inside a model."""
    for path, text in _strings(model):
        field = path.rsplit("[", 1)[0]
        if field.rsplit(".", 1)[-1].endswith("source_ids"):
            yield path, text


def _check_source_ids(knowledge: Knowledge) -> None:
    groups: tuple[tuple[str, Mapping[str, BaseModel]], ...] = (
        ("protocols.yaml", knowledge.protocols),
        ("claims.yaml", knowledge.claims),
        ("reference.yaml", knowledge.reference),
        ("interactions.yaml", knowledge.interactions),
        ("interactions.yaml", {"cyp3a_examples": knowledge.cyp3a_examples}),
        ("interactions.yaml", {"medicine_lists": knowledge.medicine_lists}),
    )
    for file, entries in groups:
        for key, model in entries.items():
            for field, source_id in _cited(model):
                _require_source(knowledge, file, key, field, source_id)
    for name, threshold in knowledge.thresholds.items():
        for source_id in threshold.source_ids:
            _require_source(knowledge, "thresholds.py", name, "source_ids", source_id)


def _require_source(
    knowledge: Knowledge, file: str, entry: str, field: str, source_id: str
) -> None:
    """The id must name a registered source whose citation has been verified."""
    if source_id not in knowledge.sources:
        raise KnowledgeFileError(
            file,
            f"unknown source id {source_id!r}; add it to sources.yaml or fix the spelling",
            entry=entry,
            field=field,
        )
    if not knowledge.sources[source_id].verified:
        raise KnowledgeFileError(
            file,
            f"cites unverified source {source_id!r}, and this text is shown to people; "
            "confirm the citation and set 'verified: true' in sources.yaml, or cite a "
            "verified source instead",
            entry=entry,
            field=field,
        )


def _check_seed_ids(knowledge: Knowledge) -> None:
    """Seed ids must point at consumer articles, so a paper is never mistaken for a guide."""
    seeded: tuple[tuple[str, Mapping[str, Protocol | Claim]], ...] = (
        ("protocols.yaml", knowledge.protocols),
        ("claims.yaml", knowledge.claims),
    )
    for file, entries in seeded:
        for key, model in entries.items():
            for source_id in model.seed_source_ids:
                if knowledge.sources[source_id].kind != "consumer_article":
                    raise KnowledgeFileError(
                        file,
                        f"{source_id!r} is not a consumer_article source",
                        entry=key,
                        field="seed_source_ids",
                    )


def _check_seed_claims(knowledge: Knowledge) -> None:
    """Every claim read from a seed has a verdict, and every verdict traces back to a seed."""
    file = "seed_claims.yaml"
    traced: dict[str, set[str]] = {}
    seen: set[str] = set()
    for item in knowledge.seed_claims:
        entry = item.quote
        if entry in seen:
            raise KnowledgeFileError(file, "is listed twice", entry=entry, field="quote")
        seen.add(entry)
        _require_source(knowledge, file, entry, "seed", item.seed)
        if knowledge.sources[item.seed].kind != "consumer_article":
            raise KnowledgeFileError(
                file, f"{item.seed!r} is not a consumer_article source", entry=entry, field="seed"
            )
        if item.claim_id is None:
            raise KnowledgeFileError(
                file,
                "this seed claim has no verdict; judge it in claims.yaml and set claim_id",
                entry=entry,
                field="claim_id",
            )
        claim = knowledge.claims.get(item.claim_id)
        if claim is None:
            raise KnowledgeFileError(
                file,
                f"claim {item.claim_id!r} is not in claims.yaml, so this seed claim has no verdict",
                entry=entry,
                field="claim_id",
            )
        if item.seed not in claim.seed_source_ids:
            raise KnowledgeFileError(
                "claims.yaml",
                f"seed_claims.yaml links a claim from {item.seed!r} here; "
                "add that seed to seed_source_ids",
                entry=claim.id,
                field="seed_source_ids",
            )
        traced.setdefault(claim.id, set()).add(item.seed)
    for claim_id, claim in knowledge.claims.items():
        if claim_id not in traced:
            raise KnowledgeFileError(
                "claims.yaml",
                "no seed claim in seed_claims.yaml links to this claim; quote the guide there",
                entry=claim_id,
            )
        unquoted = [s for s in claim.seed_source_ids if s not in traced[claim_id]]
        if unquoted:
            raise KnowledgeFileError(
                "claims.yaml",
                f"no seed claim in seed_claims.yaml quotes {', '.join(unquoted)} for this claim",
                entry=claim_id,
                field="seed_source_ids",
            )
    seeds = {s for p in knowledge.protocols.values() for s in p.seed_source_ids}
    listed = {item.seed for item in knowledge.seed_claims}
    for seed in sorted(seeds - listed):
        raise KnowledgeFileError(
            file, f"no claims are listed for seed {seed!r}; read the guide and list its claims"
        )


def _check_guide_tips(knowledge: Knowledge) -> None:
    """Each tip from a guide links to a claim from that same guide, so its verdict shows."""
    for condition, protocol in knowledge.protocols.items():
        for index, tip in enumerate(protocol.guides_suggest):
            field = f"guides_suggest[{index}].claim_id"
            claim = knowledge.claims.get(tip.claim_id)
            if claim is None:
                raise KnowledgeFileError(
                    "protocols.yaml",
                    f"claim {tip.claim_id!r} is not in claims.yaml, so the tip has no verdict",
                    entry=condition,
                    field=field,
                )
            if not set(tip.source_ids) & set(claim.seed_source_ids):
                raise KnowledgeFileError(
                    "protocols.yaml",
                    f"claim {tip.claim_id!r} does not come from the seed this tip cites "
                    f"({', '.join(tip.source_ids)})",
                    entry=condition,
                    field=field,
                )


def _check_wording(knowledge: Knowledge) -> None:
    """No person-facing text may carry a maintainer's note such as "from memory"."""
    for file, where, text in knowledge.texts():
        match = UNVERIFIED_WORDING.search(text)
        if match:
            entry, _, field = where.partition(".")
            raise KnowledgeFileError(
                file,
                f"says {match.group(0)!r}, which must not be shown to people; verify the "
                "detail and state it, or leave it out",
                entry=entry,
                field=field or None,
            )


def _check_coverage(knowledge: Knowledge) -> None:
    missing_conditions = [c for c in CONDITIONS if c not in knowledge.protocols]
    if missing_conditions:
        raise KnowledgeFileError(
            "protocols.yaml", f"no protocol for condition(s) {', '.join(missing_conditions)}"
        )
    missing_classes = [c for c in get_args(SubstanceClassId) if c not in knowledge.interactions]
    if missing_classes:
        raise KnowledgeFileError(
            "interactions.yaml", f"no entry for substance class(es) {', '.join(missing_classes)}"
        )
