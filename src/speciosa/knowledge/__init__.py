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
"""

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
