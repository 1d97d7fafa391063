"""The knowledge loader: the packaged files load, and broken files are refused loudly."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from speciosa.errors import NotFound
from speciosa.knowledge import (
    CONDITIONS,
    DATA_DIR,
    KnowledgeFileError,
    load_knowledge,
    load_knowledge_from,
    recommends_amount,
)
from speciosa.knowledge.thresholds import ALL_THRESHOLDS

REQUIRED_SOURCES = {
    "grundmann-2017", "rogers-2024", "fda-2016-opioid-benzo", "ichd-3-2018", "carney-2012-csd",
    "lewis-heaton-1997", "rome-iv-2016", "gossop-1995-sds", "handelsman-1987-sows",
    "krupp-1989-fss", "krebs-2009-peg", "farrar-2001", "cdc-2022-opioids", "schimmel-dart-2020",
    "fda-2025-7oh", "tanna-2023-ddi", "huestis-2024", "trakulsrichai-2015", "prozialeck-2020",
    "olsen-2019", "post-2019", "seed-fibromyalgia-sleep", "seed-chronic-pain-sleep",
    "seed-migraine", "seed-muscle-soreness", "seed-chronic-fatigue",
}  # fmt: skip
JOURNAL_CLASSES = {
    "alcohol", "benzodiazepine", "z_drug", "opioid", "gabapentinoid", "sedating_antihistamine",
    "muscle_relaxant", "other_cns_depressant", "stimulant", "cannabis", "other",
}  # fmt: skip


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the packaged knowledge files."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(directory: Path, file: str, change: Any) -> None:
    path = directory / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_packaged_files_load_and_are_cached() -> None:
    knowledge = load_knowledge()
    assert knowledge is load_knowledge()
    assert set(knowledge.sources) >= REQUIRED_SOURCES
    assert knowledge.sources["rogers-2024"].kind == "survey"


def test_every_condition_has_a_protocol() -> None:
    knowledge = load_knowledge()
    assert set(knowledge.protocols) == set(CONDITIONS) == {
        "fibromyalgia", "chronic_pain", "migraine", "muscle_soreness", "chronic_fatigue",
    }  # fmt: skip
    for protocol in knowledge.protocols.values():
        assert protocol.tracking
        assert protocol.cautions
        assert protocol.guides_suggest


def test_interactions_cover_the_journal_classes_and_the_two_extras() -> None:
    interactions = load_knowledge().interactions
    assert set(interactions) == JOURNAL_CLASSES | {"cyp3a_substrate", "concentrated_7oh"}
    assert interactions["benzodiazepine"].severity == "warning"


def test_interaction_classes_match_the_journal_vocabulary() -> None:
    catalogues = pytest.importorskip("speciosa.journal.catalogues")
    assert {c.value for c in catalogues.SubstanceClass} == JOURNAL_CLASSES


def test_cyp3a_examples_are_labelled_non_exhaustive() -> None:
    knowledge = load_knowledge()
    label = knowledge.cyp3a_examples.label.lower()
    assert "not exhaustive" in label
    assert "ask a pharmacist" in label
    assert knowledge.cyp3a_examples.source_ids == ("tanna-2023-ddi",)
    assert knowledge.is_cyp3a_example(" Midazolam ")
    assert not knowledge.is_cyp3a_example("paracetamol")


def test_seed_claims_are_all_judged() -> None:
    claims = load_knowledge().claims
    for claim_id in (
        "indica-strain-for-sleep", "red-strains-rich-in-7oh", "bedtime-timing-30-60-min",
        "lower-dependency-risk", "limit-frequency-prevents-dependency",
        "kratom-causes-constipation", "cfs-2019-survey-65-35", "cfs-2021-review",
        "scientifically-backed-sleep-effects",
    ):  # fmt: skip
        assert claim_id in claims
    assert claims["lower-dependency-risk"].verdict == "unsupported"
    assert claims["cfs-2019-survey-65-35"].verdict == "unknown"


def test_reference_entries_are_marked_as_literature() -> None:
    for entry in load_knowledge().reference.values():
        note = entry.display_note.lower()
        assert "literature" in note or "not a recommendation" in note, entry.id


def _source_ids_in(node: Any) -> Iterator[str]:
    """Independently of the loader: every id under a key ending in 'source_ids' in raw YAML."""
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key).endswith("source_ids"):
                yield from value
            else:
                yield from _source_ids_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _source_ids_in(item)


def test_every_referenced_source_id_exists() -> None:
    known = set(load_knowledge().sources)
    for file in ("protocols.yaml", "claims.yaml", "reference.yaml", "interactions.yaml"):
        raw = yaml.safe_load((DATA_DIR / file).read_text(encoding="utf-8"))
        cited = set(_source_ids_in(raw))
        assert cited, file
        assert cited <= known, (file, cited - known)
    for name, threshold in ALL_THRESHOLDS.items():
        assert set(threshold.source_ids) <= known, name


def test_no_knowledge_text_recommends_an_amount() -> None:
    offenders = [
        (file, where, hit)
        for file, where, text in load_knowledge().texts()
        if (hit := recommends_amount(text))
    ]
    assert offenders == []


def test_knowledge_is_read_only() -> None:
    knowledge = load_knowledge()
    with pytest.raises(TypeError):
        knowledge.sources["new"] = knowledge.sources["rogers-2024"]  # type: ignore[index]


def test_unknown_source_lookup_names_the_id() -> None:
    with pytest.raises(NotFound, match="'no-such-paper'"):
        load_knowledge().source("no-such-paper")


def test_copy_of_packaged_files_loads(data_copy: Path) -> None:
    assert len(load_knowledge_from(data_copy).sources) == len(load_knowledge().sources)


def test_bad_field_value_names_file_entry_and_field(data_copy: Path) -> None:
    def break_kind(data: list[dict[str, Any]]) -> None:
        next(s for s in data if s["id"] == "grundmann-2017")["kind"] = "anecdote"

    _edit(data_copy, "sources.yaml", break_kind)
    with pytest.raises(KnowledgeFileError) as caught:
        load_knowledge_from(data_copy)
    error = caught.value
    assert (error.file, error.entry, error.field) == ("sources.yaml", "grundmann-2017", "kind")
    assert "sources.yaml, entry 'grundmann-2017', field 'kind'" in str(error)
    assert "'anecdote'" in str(error)


def test_unknown_source_id_is_refused(data_copy: Path) -> None:
    def cite_missing(data: list[dict[str, Any]]) -> None:
        data[0]["evidence_source_ids"].append("made-up-2099")

    _edit(data_copy, "claims.yaml", cite_missing)
    with pytest.raises(KnowledgeFileError, match="unknown source id 'made-up-2099'") as caught:
        load_knowledge_from(data_copy)
    assert caught.value.file == "claims.yaml"
    assert caught.value.entry == "indica-strain-for-sleep"
    assert caught.value.field is not None
    assert caught.value.field.startswith("evidence_source_ids")


def test_unknown_key_in_an_entry_is_refused(data_copy: Path) -> None:
    def add_key(data: dict[str, Any]) -> None:
        data["classes"][0]["dose_advice"] = "anything"

    _edit(data_copy, "interactions.yaml", add_key)
    with pytest.raises(KnowledgeFileError, match="field 'dose_advice'") as caught:
        load_knowledge_from(data_copy)
    assert caught.value.entry == "opioid"


def test_missing_condition_is_refused(data_copy: Path) -> None:
    _edit(data_copy, "protocols.yaml", lambda data: data.pop())
    with pytest.raises(KnowledgeFileError, match=r"no protocol for condition.*chronic_fatigue"):
        load_knowledge_from(data_copy)


def test_seed_ids_must_be_consumer_articles(data_copy: Path) -> None:
    def seed_a_paper(data: list[dict[str, Any]]) -> None:
        data[0]["seed_source_ids"] = ["rogers-2024"]

    _edit(data_copy, "protocols.yaml", seed_a_paper)
    with pytest.raises(KnowledgeFileError, match="not a consumer_article"):
        load_knowledge_from(data_copy)


def test_duplicate_ids_are_refused(data_copy: Path) -> None:
    _edit(data_copy, "reference.yaml", lambda data: data.append(dict(data[0])))
    with pytest.raises(KnowledgeFileError, match=r"entry 'band-stimulant-low'.*defined twice"):
        load_knowledge_from(data_copy)


def test_duplicate_yaml_keys_are_refused(data_copy: Path) -> None:
    path = data_copy / "sources.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  kind: survey\n", "  kind: survey\n  kind: review\n", 1), encoding="utf-8"
    )
    with pytest.raises(KnowledgeFileError, match=r"sources.yaml.*duplicate key 'kind'"):
        load_knowledge_from(data_copy)


def test_invalid_yaml_is_refused(data_copy: Path) -> None:
    (data_copy / "claims.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(KnowledgeFileError, match=r"claims.yaml: is not valid YAML"):
        load_knowledge_from(data_copy)


def test_missing_file_is_refused(data_copy: Path) -> None:
    (data_copy / "reference.yaml").unlink()
    with pytest.raises(KnowledgeFileError, match=r"reference.yaml: cannot be read"):
        load_knowledge_from(data_copy)
