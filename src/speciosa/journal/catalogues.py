"""The fixed vocabularies a person records with: conditions, substance classes, symptoms.

What these words *mean* for safety (which symptom is a red flag, which class interacts)
is evidence and lives in ``speciosa.knowledge``; here is only what can be written down.
"""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    FIBROMYALGIA = "fibromyalgia"
    CHRONIC_PAIN = "chronic_pain"
    MIGRAINE = "migraine"
    MUSCLE_SORENESS = "muscle_soreness"
    CHRONIC_FATIGUE = "chronic_fatigue"


class Goal(StrEnum):
    """What the person hopes kratom helps with; decides which outcomes matter."""

    SLEEP = "sleep"
    PAIN = "pain"
    ENERGY = "energy"
    RECOVERY = "recovery"
    HEADACHE = "headache"


class SubstanceClass(StrEnum):
    ALCOHOL = "alcohol"
    BENZODIAZEPINE = "benzodiazepine"
    Z_DRUG = "z_drug"
    OPIOID = "opioid"
    GABAPENTINOID = "gabapentinoid"
    SEDATING_ANTIHISTAMINE = "sedating_antihistamine"
    MUSCLE_RELAXANT = "muscle_relaxant"
    OTHER_CNS_DEPRESSANT = "other_cns_depressant"
    STIMULANT = "stimulant"
    CANNABIS = "cannabis"
    OTHER = "other"


# Common names, brands and generics, so "log substance xanax" needs no --class.
KNOWN_SUBSTANCES: dict[str, SubstanceClass] = {
    **dict.fromkeys(
        [
            "alcohol",
            "beer",
            "wine",
            "spirits",
            "liquor",
            "vodka",
            "whisky",
            "whiskey",
            "gin",
            "rum",
            "cider",
            "sake",
            "cocktail",
        ],
        SubstanceClass.ALCOHOL,
    ),
    **dict.fromkeys(
        [
            "alprazolam",
            "xanax",
            "diazepam",
            "valium",
            "clonazepam",
            "klonopin",
            "lorazepam",
            "ativan",
            "temazepam",
            "restoril",
            "triazolam",
            "halcion",
            "chlordiazepoxide",
            "oxazepam",
            "midazolam",
            "bromazepam",
            "etizolam",
            "nitrazepam",
        ],
        SubstanceClass.BENZODIAZEPINE,
    ),
    **dict.fromkeys(
        ["zolpidem", "ambien", "zopiclone", "eszopiclone", "lunesta", "zaleplon", "sonata"],
        SubstanceClass.Z_DRUG,
    ),
    **dict.fromkeys(
        [
            "oxycodone",
            "oxycontin",
            "percocet",
            "hydrocodone",
            "vicodin",
            "norco",
            "codeine",
            "morphine",
            "tramadol",
            "ultram",
            "tapentadol",
            "fentanyl",
            "heroin",
            "methadone",
            "buprenorphine",
            "suboxone",
            "hydromorphone",
            "dilaudid",
            "oxymorphone",
            "loperamide",
            "7-oh",
            "7-hydroxymitragynine",
            "dihydrocodeine",
        ],
        SubstanceClass.OPIOID,
    ),
    **dict.fromkeys(
        ["gabapentin", "neurontin", "pregabalin", "lyrica", "phenibut"],
        SubstanceClass.GABAPENTINOID,
    ),
    **dict.fromkeys(
        [
            "diphenhydramine",
            "benadryl",
            "doxylamine",
            "unisom",
            "hydroxyzine",
            "promethazine",
            "phenergan",
            "chlorpheniramine",
            "dimenhydrinate",
            "cyproheptadine",
        ],
        SubstanceClass.SEDATING_ANTIHISTAMINE,
    ),
    **dict.fromkeys(
        [
            "cyclobenzaprine",
            "flexeril",
            "baclofen",
            "tizanidine",
            "zanaflex",
            "carisoprodol",
            "soma",
            "methocarbamol",
            "robaxin",
            "metaxalone",
            "orphenadrine",
        ],
        SubstanceClass.MUSCLE_RELAXANT,
    ),
    **dict.fromkeys(
        [
            "quetiapine",
            "seroquel",
            "trazodone",
            "mirtazapine",
            "amitriptyline",
            "ghb",
            "phenobarbital",
            "butalbital",
            "melatonin",
            "valerian",
            "kava",
        ],
        SubstanceClass.OTHER_CNS_DEPRESSANT,
    ),
    **dict.fromkeys(
        [
            "caffeine",
            "coffee",
            "tea",
            "energy drink",
            "nicotine",
            "amphetamine",
            "adderall",
            "methylphenidate",
            "ritalin",
            "modafinil",
            "cocaine",
            "methamphetamine",
        ],
        SubstanceClass.STIMULANT,
    ),
    **dict.fromkeys(
        ["cannabis", "marijuana", "weed", "thc", "hash", "edible"], SubstanceClass.CANNABIS
    ),
}


def class_of(name: str) -> SubstanceClass | None:
    """The class of a known substance name, or None when Speciosa does not know it."""
    return KNOWN_SUBSTANCES.get(name.strip().lower())


class Symptom(StrEnum):
    """Side effects a person can record; red flags are marked in ``speciosa.knowledge``."""

    NAUSEA = "nausea"
    VOMITING = "vomiting"
    CONSTIPATION = "constipation"
    DIARRHOEA = "diarrhoea"
    LOSS_OF_APPETITE = "loss_of_appetite"
    DIZZINESS = "dizziness"
    DROWSINESS = "drowsiness"
    HEADACHE = "headache"
    SWEATING = "sweating"
    ITCHING = "itching"
    DRY_MOUTH = "dry_mouth"
    INSOMNIA = "insomnia"
    ANXIETY = "anxiety"
    IRRITABILITY = "irritability"
    RESTLESSNESS = "restlessness"
    TREMOR = "tremor"  # "the wobbles": jittery feeling, flickering eyes
    RAPID_HEARTBEAT = "rapid_heartbeat"
    LOW_MOOD = "low_mood"
    # Liver warning signs (Schimmel & Dart 2020)
    JAUNDICE = "jaundice"
    DARK_URINE = "dark_urine"
    PALE_STOOLS = "pale_stools"
    UPPER_RIGHT_ABDOMINAL_PAIN = "upper_right_abdominal_pain"
    # Other red flags (poison-centre series)
    SEIZURE = "seizure"
    FAINTING = "fainting"
    TROUBLE_BREATHING = "trouble_breathing"
    CHEST_PAIN = "chest_pain"
    CONFUSION = "confusion"
    OTHER = "other"


class HeadacheFeature(StrEnum):
    AURA = "aura"
    NAUSEA = "nausea"
    LIGHT_SENSITIVITY = "light_sensitivity"
    SOUND_SENSITIVITY = "sound_sensitivity"
    THROBBING = "throbbing"
    ONE_SIDED = "one_sided"
    WORSE_WITH_ACTIVITY = "worse_with_activity"


class ProductForm(StrEnum):
    POWDER = "powder"
    CAPSULE = "capsule"
    TEA = "tea"
    EXTRACT = "extract"
    CONCENTRATE_7OH = "7oh_concentrate"
    OTHER = "other"


class Intensity(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    HARD = "hard"
