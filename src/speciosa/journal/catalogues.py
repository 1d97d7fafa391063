"""The fixed vocabularies a person records with: conditions, substance classes, symptoms.

What these words *mean* for safety (which symptom is a red flag, which class interacts)
is evidence and lives in ``speciosa.knowledge``; here is only what can be written down.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


def words(text: str) -> str:
    """The one normal form of a person's words: lower case, ``_`` and ``-`` as spaces,
    single spaces (" Dark-urine " and "dark_urine" -> "dark urine")."""
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


class Vocabulary(StrEnum):
    """A fixed vocabulary that also accepts the person's words: any case, spaces, hyphens
    or underscores, and the synonyms in :data:`SYNONYMS` ("yellow eyes" -> jaundice).
    Every catalogue below is one, so the CLI, the web forms, the API and the safety rules
    read words the same way (pydantic calls ``_missing_`` too)."""

    @classmethod
    def _missing_(cls, value: object) -> Self | None:
        return cls.named(value) if isinstance(value, str) else None

    @classmethod
    def named(cls, text: str) -> Self | None:
        """The entry ``text`` names, or None."""
        said = words(text)
        for member in cls:
            if said == words(member.value):
                return member
        found = SYNONYMS.get(cls.__name__, {}).get(said)
        return cls(found) if found is not None else None


class Condition(Vocabulary):
    FIBROMYALGIA = "fibromyalgia"
    CHRONIC_PAIN = "chronic_pain"
    MIGRAINE = "migraine"
    MUSCLE_SORENESS = "muscle_soreness"
    CHRONIC_FATIGUE = "chronic_fatigue"


class Goal(Vocabulary):
    """What the person hopes kratom helps with; decides which outcomes matter."""

    SLEEP = "sleep"
    PAIN = "pain"
    ENERGY = "energy"
    RECOVERY = "recovery"
    HEADACHE = "headache"


class HealthCondition(Vocabulary):
    """Health conditions a clinician asks about before kratom: seizure, breathing and liver
    risk. What each one means for safety lives in ``speciosa.safety.rules.profile``."""

    EPILEPSY = "epilepsy"  # or another seizure disorder
    SLEEP_APNOEA = "sleep_apnoea"
    COPD = "copd"  # chronic obstructive pulmonary disease, or other lung disease
    LIVER_DISEASE = "liver_disease"


_HEALTH_SYNONYMS: dict[str, HealthCondition] = {
    **dict.fromkeys(
        ["seizure disorder", "seizures", "seizure", "epileptic"], HealthCondition.EPILEPSY
    ),
    **dict.fromkeys(
        ["sleep apnea", "apnoea", "apnea", "obstructive sleep apnoea", "obstructive sleep apnea"],
        HealthCondition.SLEEP_APNOEA,
    ),
    **dict.fromkeys(
        ["chronic obstructive pulmonary disease", "emphysema", "lung disease"],
        HealthCondition.COPD,
    ),
    **dict.fromkeys(
        ["cirrhosis", "hepatitis", "liver", "liver problems"], HealthCondition.LIVER_DISEASE
    ),
}


class SubstanceClass(Vocabulary):
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
    SEROTONERGIC = "serotonergic"  # SSRIs, SNRIs, MAOIs, triptans, St John's wort
    OTHER_ANTIDEPRESSANT = "other_antidepressant"  # bupropion
    PARACETAMOL = "paracetamol"  # acetaminophen
    OTHER = "other"

    @classmethod
    def named(cls, text: str) -> SubstanceClass | None:
        """A class by its name, or by a substance Speciosa knows ("Beer" -> alcohol)."""
        return super().named(text) or class_of(text)


# Stimulants of everyday life, which the co-use rule leaves out by convention (caffeine
# pills and energy drinks are not among them).
EVERYDAY_STIMULANTS = (
    "caffeine",
    "coffee",
    "espresso",
    "tea",
    "green tea",
    "black tea",
    "matcha",
    "cola",
    "nicotine",
)

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
            # everyday caffeine and nicotine (the co-use rule leaves these out: its convention)
            *EVERYDAY_STIMULANTS,
            # concentrated caffeine ("high caffeine")
            "energy drink",
            "energy drinks",
            "energy shot",
            "energy shots",
            "red bull",
            "caffeine pill",
            "caffeine pills",
            "caffeine tablet",
            "caffeine tablets",
            "nodoz",
            "no-doz",
            "vivarin",
            "pre-workout",
            "preworkout",
            # prescription and illicit stimulants
            "amphetamine",
            "amphetamines",
            "adderall",
            "dextroamphetamine",
            "dexedrine",
            "lisdexamfetamine",
            "vyvanse",
            "methylphenidate",
            "ritalin",
            "concerta",
            "dexmethylphenidate",
            "focalin",
            "modafinil",
            "provigil",
            "armodafinil",
            "nuvigil",
            "cocaine",
            "crack",
            "methamphetamine",
        ],
        SubstanceClass.STIMULANT,
    ),
    **dict.fromkeys(
        ["cannabis", "marijuana", "weed", "thc", "hash", "edible"], SubstanceClass.CANNABIS
    ),
    **dict.fromkeys(
        [
            # SSRIs
            "ssri",
            "ssris",
            "fluoxetine",
            "prozac",
            "sertraline",
            "zoloft",
            "paroxetine",
            "paxil",
            "seroxat",
            "citalopram",
            "celexa",
            "cipramil",
            "escitalopram",
            "lexapro",
            "cipralex",
            "fluvoxamine",
            "luvox",
            # SNRIs (duloxetine and milnacipran are also used for fibromyalgia and pain)
            "snri",
            "snris",
            "venlafaxine",
            "effexor",
            "desvenlafaxine",
            "pristiq",
            "duloxetine",
            "cymbalta",
            "milnacipran",
            "savella",
            "levomilnacipran",
            # other serotonergic antidepressants and MAOIs
            "vortioxetine",
            "trintellix",
            "vilazodone",
            "viibryd",
            "phenelzine",
            "nardil",
            "tranylcypromine",
            "parnate",
            "isocarboxazid",
            "moclobemide",
            "selegiline",
            # triptans (migraine medicines)
            "sumatriptan",
            "imitrex",
            "imigran",
            "rizatriptan",
            "maxalt",
            "zolmitriptan",
            "zomig",
            "eletriptan",
            "relpax",
            "naratriptan",
            "almotriptan",
            "frovatriptan",
            # herbal
            "st john's wort",
            "st johns wort",
            "st. john's wort",
            "hypericum",
        ],
        SubstanceClass.SEROTONERGIC,
    ),
    **dict.fromkeys(
        ["bupropion", "wellbutrin", "zyban", "aplenzin"], SubstanceClass.OTHER_ANTIDEPRESSANT
    ),
    **dict.fromkeys(
        ["paracetamol", "acetaminophen", "tylenol", "panadol", "apap", "calpol"],
        SubstanceClass.PARACETAMOL,
    ),
}


_KNOWN_BY_WORDS = {words(name): cls for name, cls in KNOWN_SUBSTANCES.items()}


def class_of(name: str) -> SubstanceClass | None:
    """The class of a known substance name ("Beer", "  Energy   Drink ", "no doz"), or None
    when Speciosa does not know it."""
    return _KNOWN_BY_WORDS.get(words(name))


class Symptom(Vocabulary):
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
    # Withdrawal signs (Singh 2014; Trakulsrichai 2013; SOWS items, Handelsman 1987)
    MUSCLE_ACHES = "muscle_aches"
    RUNNY_NOSE = "runny_nose"
    WATERY_EYES = "watery_eyes"
    YAWNING = "yawning"
    GOOSEBUMPS = "goosebumps"
    HOT_COLD_FLUSHES = "hot_cold_flushes"
    STOMACH_CRAMPS = "stomach_cramps"
    CRAVING = "craving"
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


# Everyday words for catalogue symptoms ("Dark urine", "yellow eyes", "diarrhea"), so a
# symptom typed the way people say it lands on the catalogue entry (and its red flag).
SYMPTOM_SYNONYMS: dict[str, Symptom] = {
    **dict.fromkeys(
        ["yellow eyes", "yellow skin", "yellowing", "yellow eyes or skin", "jaundiced"],
        Symptom.JAUNDICE,
    ),
    **dict.fromkeys(["dark pee", "brown urine", "cola coloured urine"], Symptom.DARK_URINE),
    **dict.fromkeys(
        ["pale stool", "pale poo", "clay coloured stools", "white stools"], Symptom.PALE_STOOLS
    ),
    **dict.fromkeys(
        ["upper right belly pain", "right upper abdominal pain"],
        Symptom.UPPER_RIGHT_ABDOMINAL_PAIN,
    ),
    **dict.fromkeys(["itch", "itchy", "pruritus"], Symptom.ITCHING),
    "diarrhea": Symptom.DIARRHOEA,
    **dict.fromkeys(
        ["muscle ache", "muscle pain", "aches", "body aches", "myalgia", "bone and muscle aches"],
        Symptom.MUSCLE_ACHES,
    ),
    **dict.fromkeys(["running nose", "rhinorrhoea", "rhinorrhea"], Symptom.RUNNY_NOSE),
    **dict.fromkeys(["teary eyes", "tearing"], Symptom.WATERY_EYES),
    **dict.fromkeys(["goose bumps", "gooseflesh", "piloerection"], Symptom.GOOSEBUMPS),
    **dict.fromkeys(
        ["hot flushes", "hot flashes", "cold flushes", "hot and cold flushes", "chills"],
        Symptom.HOT_COLD_FLUSHES,
    ),
    **dict.fromkeys(["cravings", "urge to use"], Symptom.CRAVING),
    **dict.fromkeys(
        ["racing heart", "fast heartbeat", "palpitations", "tachycardia"], Symptom.RAPID_HEARTBEAT
    ),
    **dict.fromkeys(["seizures", "convulsion", "convulsions"], Symptom.SEIZURE),
    **dict.fromkeys(["fainted", "passed out"], Symptom.FAINTING),
    **dict.fromkeys(
        ["shortness of breath", "short of breath", "difficulty breathing", "slow breathing"],
        Symptom.TROUBLE_BREATHING,
    ),
    "shaking": Symptom.TREMOR,
    "sleeplessness": Symptom.INSOMNIA,
}


def symptom_of(text: str) -> Symptom | None:
    """The catalogue symptom a person's words name ("Dark urine", "yellow-eyes"), or None."""
    return Symptom.named(text)


class HeadacheFeature(Vocabulary):
    AURA = "aura"
    NAUSEA = "nausea"
    LIGHT_SENSITIVITY = "light_sensitivity"
    SOUND_SENSITIVITY = "sound_sensitivity"
    THROBBING = "throbbing"
    ONE_SIDED = "one_sided"
    WORSE_WITH_ACTIVITY = "worse_with_activity"


class ProductForm(Vocabulary):
    POWDER = "powder"
    CAPSULE = "capsule"
    TEA = "tea"
    EXTRACT = "extract"
    CONCENTRATE_7OH = "7oh_concentrate"
    OTHER = "other"


class Intensity(Vocabulary):
    LIGHT = "light"
    MODERATE = "moderate"
    HARD = "hard"


# The kinds of entry, in the journal's order: ``speciosa.journal.models.KINDS`` (a test
# keeps the two equal), named here so a front end can list them without the models.
ENTRY_KINDS: tuple[str, ...] = (
    "dose",
    "sleep",
    "pain",
    "headache",
    "fatigue",
    "soreness",
    "workout",
    "bowel",
    "side_effect",
    "substance",
    "questionnaire",
)


# Everyday words for conditions, features and forms (symptoms and health conditions above).
_CONDITION_SYNONYMS: dict[str, Condition] = {
    **dict.fromkeys(["fibro", "fms"], Condition.FIBROMYALGIA),
    **dict.fromkeys(["pain", "back pain", "chronic back pain"], Condition.CHRONIC_PAIN),
    **dict.fromkeys(["migraines", "migraine headaches"], Condition.MIGRAINE),
    **dict.fromkeys(["sore muscles", "muscle pain", "doms"], Condition.MUSCLE_SORENESS),
    **dict.fromkeys(
        ["cfs", "me cfs", "me/cfs", "chronic fatigue syndrome", "fatigue"],
        Condition.CHRONIC_FATIGUE,
    ),
}
_FEATURE_SYNONYMS: dict[str, HeadacheFeature] = {
    **dict.fromkeys(["photophobia", "sensitive to light"], HeadacheFeature.LIGHT_SENSITIVITY),
    **dict.fromkeys(["phonophobia", "sensitive to sound"], HeadacheFeature.SOUND_SENSITIVITY),
    **dict.fromkeys(["pulsating", "pounding"], HeadacheFeature.THROBBING),
    **dict.fromkeys(["unilateral", "one side"], HeadacheFeature.ONE_SIDED),
    "nauseous": HeadacheFeature.NAUSEA,
}
_FORM_SYNONYMS: dict[str, ProductForm] = {
    **dict.fromkeys(["capsules", "caps", "cap", "pill", "pills"], ProductForm.CAPSULE),
    **dict.fromkeys(["7oh", "7 oh", "7 hydroxymitragynine"], ProductForm.CONCENTRATE_7OH),
    **dict.fromkeys(["leaf", "crushed leaf"], ProductForm.POWDER),
}

# Vocabulary name -> the person's words (in the normal form of ``words``) -> the entry.
SYNONYMS: dict[str, dict[str, StrEnum]] = {
    "Symptom": {words(k): v for k, v in SYMPTOM_SYNONYMS.items()},
    "HealthCondition": {words(k): v for k, v in _HEALTH_SYNONYMS.items()},
    "Condition": {words(k): v for k, v in _CONDITION_SYNONYMS.items()},
    "HeadacheFeature": {words(k): v for k, v in _FEATURE_SYNONYMS.items()},
    "ProductForm": {words(k): v for k, v in _FORM_SYNONYMS.items()},
}
