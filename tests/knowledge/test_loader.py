"""The knowledge loader: the packaged files load, and broken files are refused loudly."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

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
from speciosa.knowledge.models import Verdict
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
    "muscle_relaxant", "other_cns_depressant", "stimulant", "cannabis", "serotonergic",
    "other_antidepressant", "paracetamol", "other",
}  # fmt: skip
# Entries for properties of medicines named in the catalogue's lists, not journal classes.
PROPERTY_ENTRIES = {
    "cyp3a_substrate", "concentrated_7oh", "seizure_threshold", "cyp2d6_substrate",
    "cyp3a_modulator",
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


def test_interactions_cover_the_journal_classes_and_the_property_entries() -> None:
    interactions = load_knowledge().interactions
    assert set(interactions) == JOURNAL_CLASSES | PROPERTY_ENTRIES
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


@pytest.mark.parametrize(
    ("name", "sources"),
    [
        ("serotonergic", {"fda-2016-opioid-serotonin"}),
        ("seizure_threshold", {"trakulsrichai-2013", "post-2019"}),
        ("cyp2d6_substrate", {"tanna-2021-jpet", "tanna-2023-ddi"}),
        ("cyp3a_modulator", {"kruegel-2019", "hill-2022-bjp"}),
    ],
)
def test_medicine_lists_are_labelled_non_exhaustive_and_cite_sources(
    name: str, sources: set[str]
) -> None:
    knowledge = load_knowledge()
    listed = knowledge.medicine_list(name)
    assert "not exhaustive" in listed.label.lower()
    assert "ask a pharmacist" in listed.label.lower()
    assert set(listed.source_ids) == sources
    assert all(knowledge.sources[s].verified for s in listed.source_ids)
    assert name in knowledge.interactions


@pytest.mark.parametrize(
    ("name", "medicine", "listed"),
    [
        ("seizure_threshold", " Tramadol ", True),
        ("seizure_threshold", "Wellbutrin", True),
        ("seizure_threshold", "sertraline", False),
        ("serotonergic", "tramadol", True),
        ("cyp2d6_substrate", "codeine", True),
        ("cyp3a_modulator", "St  John's Wort", True),
        ("cyp3a_modulator", "carbamazepine", True),
        ("cyp3a_modulator", "midazolam", False),
        ("cyp3a_substrate", "midazolam", True),
    ],
)
def test_on_list_ignores_case_and_spacing(name: str, medicine: str, listed: bool) -> None:
    assert load_knowledge().on_list(name, medicine) is listed


def test_an_unknown_medicine_list_is_not_found() -> None:
    with pytest.raises(NotFound):
        load_knowledge().medicine_list("made_up")


def test_medicine_list_names_must_be_lower_case(data_copy: Path) -> None:
    def shout(data: dict[str, Any]) -> None:
        data["medicine_lists"]["seizure_threshold"]["medicines"].append("Tramadol")

    _edit(data_copy, "interactions.yaml", shout)
    with pytest.raises(KnowledgeFileError, match="lower case") as caught:
        load_knowledge_from(data_copy)
    assert caught.value.entry == "seizure_threshold"


def test_interactions_file_needs_its_medicine_lists(data_copy: Path) -> None:
    _edit(data_copy, "interactions.yaml", lambda data: data.pop("medicine_lists"))
    with pytest.raises(KnowledgeFileError, match="'medicine_lists'"):
        load_knowledge_from(data_copy)


def test_new_clinical_sources_are_verified_regulator_statements() -> None:
    sources = load_knowledge().sources
    serotonin = sources["fda-2016-opioid-serotonin"]
    assert (serotonin.kind, serotonin.verified) == ("regulator_statement", True)
    assert "22 Mar 2016" in serotonin.citation
    assert "serotonin syndrome" in serotonin.citation
    label = sources["fda-2015-acetaminophen-liver"]
    assert (label.kind, label.verified) == ("regulator_statement", True)
    assert "80 FR 71810" in label.citation


def test_seed_claims_are_all_judged() -> None:
    claims = load_knowledge().claims
    for claim_id in (
        "indica-strain-for-sleep", "red-strains-rich-in-7oh", "bedtime-timing-30-60-min",
        "lower-dependency-risk", "limit-frequency-prevents-dependency",
        "kratom-causes-constipation", "cfs-2019-survey-65-35", "cfs-2021-review",
        "scientifically-backed-sleep-effects",
        # judged after reading the seeds in full
        "kratom-helps-energy-and-cfs", "anti-inflammatory-helps-migraine", "mood-and-anxiety",
        "improved-bowel-regularity", "low-bedtime-dose-no-buzz", "research-is-ongoing",
        "recommended-serving-sizes", "clinician-sets-the-dose", "natural-means-safe",
        "traditionally-used-for-calming", "sleep-schedule-enhances-effect", "buying-online",
    ):  # fmt: skip
        assert claim_id in claims
    assert claims["lower-dependency-risk"].verdict == "unsupported"
    assert claims["cfs-2019-survey-65-35"].verdict == "unknown"
    assert claims["kratom-helps-energy-and-cfs"].verdict == "unsupported"
    # 6% in Malaysian tea users: "supported" overstated it
    assert claims["kratom-causes-constipation"].verdict == "mixed"
    assert "US powder use" in claims["kratom-causes-constipation"].explanation
    assert "authors' view" in claims["lower-dependency-risk"].explanation


def test_every_claim_has_a_verdict_and_every_seed_claim_a_claim() -> None:
    knowledge = load_knowledge()
    assert {c.verdict for c in knowledge.claims.values()} <= set(get_args(Verdict))
    assert len(knowledge.seed_claims) > 50
    linked = {item.claim_id for item in knowledge.seed_claims}
    assert None not in linked
    assert linked == set(knowledge.claims)  # every verdict traces back to a guide
    for claim in knowledge.claims.values():
        assert recommends_amount(claim.claim) is None, claim.id
        assert recommends_amount(claim.explanation) is None, claim.id


def test_every_guide_tip_links_to_a_verdict_from_its_seed() -> None:
    knowledge = load_knowledge()
    for protocol in knowledge.protocols.values():
        for tip in protocol.guides_suggest:
            claim = knowledge.claim_for(tip)
            assert claim.id == tip.claim_id
            assert set(tip.source_ids) & set(claim.seed_source_ids), tip.text
    migraine = knowledge.protocols["migraine"].guides_suggest
    start_low = next(t for t in migraine if t.claim_id == "start-low-increase-gradually")
    assert knowledge.claim_for(start_low).verdict == "unknown"


SEEDS_DIR = Path(os.environ.get("SPECIOSA_SEEDS_DIR", "/work/shared/seeds"))
SEED_FILES = {
    "seed-fibromyalgia-sleep": "000_", "seed-chronic-pain-sleep": "001_",
    "seed-migraine": "002_", "seed-muscle-soreness": "003_", "seed-chronic-fatigue": "004_",
}  # fmt: skip


@pytest.mark.skipif(not SEEDS_DIR.is_dir(), reason="the seed articles are not on this machine")
def test_seed_claim_quotes_are_verbatim_from_their_seed() -> None:
    texts = {
        seed: next(SEEDS_DIR.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")
        for seed, prefix in SEED_FILES.items()
    }
    for item in load_knowledge().seed_claims:
        assert item.quote in texts[item.seed], (item.seed, item.quote)


def test_citations_are_fixed_and_verified() -> None:
    sources = load_knowledge().sources
    assert "The respiratory depressant effects of mitragynine are limited by its conversion to " \
        "7-OH mitragynine" in sources["hill-2022-bjp"].citation  # fmt: skip
    assert "Severity of pain and sleep problems during kratom" in sources["singh-2018"].citation
    assert (
        "Mitragynine as an Atypical Molecular Framework for Opioid Receptor Modulators".lower()
        in sources["kruegel-2016"].citation.lower()
    )
    assert "J Am Chem Soc 2016;138(21):6754–6764" in sources["kruegel-2016"].citation
    assert "J Subst Use 2019;24(3):233–239" in sources["jsu-2019-constipation-fatigue"].citation
    assert "bath-2020" not in sources  # could not be confirmed from the references: dropped
    for source in sources.values():
        assert source.verified, source.id
        for text in (source.citation, source.limits, source.licence or ""):
            assert "memory" not in text.lower(), source.id
            assert "verify" not in text.lower(), source.id


def test_liver_injury_timing_is_the_reviews_median_and_range() -> None:
    knowledge = load_knowledge()
    texts = [text for _, _, text in knowledge.texts()]
    assert not [t for t in texts if "2 to 7 weeks" in t or "2–7 weeks" in t]
    caution = next(
        c.text for c in knowledge.protocols["chronic_pain"].cautions if "Liver" in c.text
    )
    assert "20.6 days" in caution
    assert "2 to 49 days" in caution


INSTRUMENT_SOURCES = (
    "krupp-1989-fss", "lewis-heaton-1997", "gossop-1995-sds", "handelsman-1987-sows",
    "krebs-2009-peg", "carney-2012-csd", "rome-iv-2016", "ichd-3-2018",
)  # fmt: skip


def test_instruments_record_their_licence_terms() -> None:
    sources = load_knowledge().sources
    for source_id in INSTRUMENT_SOURCES:
        assert sources[source_id].licence, source_id
    assert "paraphrase" in (sources["krupp-1989-fss"].licence or "")
    assert "paraphrase" in (sources["lewis-heaton-1997"].licence or "")


def test_sources_cited_by_instruments_and_safety_are_verified() -> None:
    """The loader checks the knowledge files; code that cites sources is checked here."""
    instruments = pytest.importorskip("speciosa.instruments.questionnaires")
    bowel = pytest.importorskip("speciosa.instruments.bowel")
    sources = load_knowledge().sources
    cited = set(bowel.SOURCE_IDS)
    for questionnaire in instruments.QUESTIONNAIRES.values():
        cited |= set(questionnaire.source_ids)
    safety_thresholds = pytest.importorskip("speciosa.safety.thresholds")
    for threshold in safety_thresholds.ALL_SAFETY_THRESHOLDS.values():
        cited |= set(threshold.source_ids)
    unverified = sorted(i for i in cited if i in sources and not sources[i].verified)
    assert unverified == []


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


# --- seed claims, verified sources and maintainers' notes ------------------------------------


def _write(directory: Path, file: str, text: str) -> None:
    (directory / file).write_text(text, encoding="utf-8")


def test_seed_claim_without_a_verdict_is_refused(data_copy: Path) -> None:
    # a small fixture: one seed claim nobody has judged yet
    text = (data_copy / "seed_claims.yaml").read_text(encoding="utf-8")
    _write(
        data_copy,
        "seed_claims.yaml",
        text + '- seed: seed-migraine\n  quote: "kratom cures every headache"\n',
    )
    with pytest.raises(KnowledgeFileError, match="has no verdict") as caught:
        load_knowledge_from(data_copy)
    error = caught.value
    assert (error.file, error.entry, error.field) == (
        "seed_claims.yaml", "kratom cures every headache", "claim_id",
    )  # fmt: skip


def test_seed_claim_pointing_at_a_missing_claim_is_refused(data_copy: Path) -> None:
    _write(
        data_copy,
        "seed_claims.yaml",
        '- seed: seed-migraine\n  quote: "a claim"\n  claim_id: no-such-claim\n',
    )
    with pytest.raises(KnowledgeFileError, match=r"'no-such-claim' is not in claims\.yaml"):
        load_knowledge_from(data_copy)


def test_claim_that_no_seed_claim_links_to_is_refused(data_copy: Path) -> None:
    def add_claim(data: list[dict[str, Any]]) -> None:
        data.append(
            {
                "id": "invented-claim",
                "seed_source_ids": ["seed-migraine"],
                "claim": "Kratom cures everything.",
                "verdict": "unsupported",
                "explanation": "No source says so.",
                "evidence_source_ids": ["rogers-2024"],
            }
        )

    _edit(data_copy, "claims.yaml", add_claim)
    with pytest.raises(KnowledgeFileError, match="no seed claim") as caught:
        load_knowledge_from(data_copy)
    assert caught.value.entry == "invented-claim"


def test_claim_without_a_verdict_is_refused(data_copy: Path) -> None:
    _edit(data_copy, "claims.yaml", lambda data: data[0].pop("verdict"))
    with pytest.raises(KnowledgeFileError, match="field 'verdict'"):
        load_knowledge_from(data_copy)


def test_guide_tip_without_a_claim_is_refused(data_copy: Path) -> None:
    _edit(data_copy, "protocols.yaml", lambda data: data[0]["guides_suggest"][0].pop("claim_id"))
    with pytest.raises(KnowledgeFileError, match=r"field 'guides_suggest\.0\.claim_id'"):
        load_knowledge_from(data_copy)


def test_guide_tip_linked_to_another_seeds_claim_is_refused(data_copy: Path) -> None:
    def relink(data: list[dict[str, Any]]) -> None:
        data[0]["guides_suggest"][0]["claim_id"] = "kratom-for-migraine"  # seed 002, not 000

    _edit(data_copy, "protocols.yaml", relink)
    with pytest.raises(KnowledgeFileError, match="does not come from the seed"):
        load_knowledge_from(data_copy)


def _unverify(source_id: str) -> Any:
    def change(data: list[dict[str, Any]]) -> None:
        next(s for s in data if s["id"] == source_id)["verified"] = False

    return change


def test_unverified_source_cited_by_shown_text_is_refused(data_copy: Path) -> None:
    _edit(data_copy, "sources.yaml", _unverify("rogers-2024"))
    with pytest.raises(KnowledgeFileError, match="unverified source 'rogers-2024'") as caught:
        load_knowledge_from(data_copy)
    assert caught.value.file in {"protocols.yaml", "claims.yaml", "thresholds.py"}


def test_source_without_the_verified_flag_counts_as_unverified(tmp_path: Path) -> None:
    # a small fixture: a source registry entry written without 'verified'
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    text = (target / "sources.yaml").read_text(encoding="utf-8")
    entry = text.split("- id: rogers-2024\n", 1)[1].split("\n- id:", 1)[0]
    assert "  verified: true" in entry
    _write(target, "sources.yaml", text.replace(entry, entry.replace("\n  verified: true", "")))
    with pytest.raises(KnowledgeFileError, match="unverified source 'rogers-2024'"):
        load_knowledge_from(target)


def test_unverified_source_that_nothing_cites_is_allowed(data_copy: Path) -> None:
    def add_source(data: list[dict[str, Any]]) -> None:
        data.append(
            {
                "id": "pending-2099",
                "citation": "A paper whose details are not confirmed yet.",
                "kind": "survey",
                "limits": "Not cited until its citation is confirmed.",
                "verified": False,
            }
        )

    _edit(data_copy, "sources.yaml", add_source)
    assert not load_knowledge_from(data_copy).sources["pending-2099"].verified


def test_maintainers_note_in_shown_text_is_refused(data_copy: Path) -> None:
    def note(data: list[dict[str, Any]]) -> None:
        data[0]["caveat"] = "Attribution from memory."

    _edit(data_copy, "reference.yaml", note)
    with pytest.raises(KnowledgeFileError, match="'from memory'") as caught:
        load_knowledge_from(data_copy)
    assert (caught.value.file, caught.value.entry) == ("reference.yaml", "band-stimulant-low")


def test_verify_in_a_source_limit_is_refused(data_copy: Path) -> None:
    def note(data: list[dict[str, Any]]) -> None:
        next(s for s in data if s["id"] == "farrar-2001")["limits"] = "Title unsure; verify."

    _edit(data_copy, "sources.yaml", note)
    with pytest.raises(KnowledgeFileError, match="'verify'") as caught:
        load_knowledge_from(data_copy)
    assert (caught.value.entry, caught.value.field) == ("farrar-2001", "limits")
