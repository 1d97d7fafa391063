"""Evidence as data: sources, condition protocols, claims, reference figures, interactions.

    from speciosa.knowledge import load_knowledge
    knowledge = load_knowledge()
    knowledge.sources["rogers-2024"].citation
    knowledge.interactions["benzodiazepine"].severity     # "warning"
    knowledge.protocols["migraine"].tracking
    tip = knowledge.protocols["migraine"].guides_suggest[0]
    knowledge.claim_for(tip).verdict                       # the verdict beside a guide's tip

Thresholds live in :mod:`speciosa.knowledge.thresholds`; the never-prescribe checker in
:mod:`speciosa.knowledge.language`.

The names below are loaded on first use (PEP 562): the instruments and the CLI import
:mod:`speciosa.knowledge.thresholds` at start-up, which must not read YAML or build the
pydantic models; the files themselves are read once per process, by :func:`load_knowledge`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes

if TYPE_CHECKING:
    from speciosa.knowledge.language import recommends_amount
    from speciosa.knowledge.loader import (
        DATA_DIR,
        Knowledge,
        KnowledgeFileError,
        load_knowledge,
        load_knowledge_from,
    )
    from speciosa.knowledge.models import (
        CONDITIONS,
        Claim,
        Cyp3aExamples,
        GuideTip,
        Interaction,
        Protocol,
        ReferenceEntry,
        SeedClaim,
        Source,
    )
    from speciosa.knowledge.thresholds import Threshold

__all__ = [
    "CONDITIONS",
    "DATA_DIR",
    "Claim",
    "Cyp3aExamples",
    "GuideTip",
    "Interaction",
    "Knowledge",
    "KnowledgeFileError",
    "Protocol",
    "ReferenceEntry",
    "SeedClaim",
    "Source",
    "Threshold",
    "load_knowledge",
    "load_knowledge_from",
    "recommends_amount",
]

_LAZY: dict[str, str] = {
    "recommends_amount": "speciosa.knowledge.language",
    "DATA_DIR": "speciosa.knowledge.loader",
    "Knowledge": "speciosa.knowledge.loader",
    "KnowledgeFileError": "speciosa.knowledge.loader",
    "load_knowledge": "speciosa.knowledge.loader",
    "load_knowledge_from": "speciosa.knowledge.loader",
    "CONDITIONS": "speciosa.knowledge.models",
    "Claim": "speciosa.knowledge.models",
    "Cyp3aExamples": "speciosa.knowledge.models",
    "GuideTip": "speciosa.knowledge.models",
    "Interaction": "speciosa.knowledge.models",
    "Protocol": "speciosa.knowledge.models",
    "ReferenceEntry": "speciosa.knowledge.models",
    "SeedClaim": "speciosa.knowledge.models",
    "Source": "speciosa.knowledge.models",
    "Threshold": "speciosa.knowledge.thresholds",
}


__getattr__ = lazy_attributes(__name__, _LAZY)
