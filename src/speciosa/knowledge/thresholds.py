"""Numeric thresholds used by the instruments and the safety engine, each with its sources.

Rule 2 of the design: a threshold without a source does not ship. Every constant here is a
:class:`Threshold` carrying the source ids (from ``data/sources.yaml``) that justify it; the
loader checks that those ids exist. ``comparison`` says how a value is tested against the
threshold, because "more than 25%" and "at least 25%" are different rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Comparison = Literal[">", ">=", "<", "<="]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A published cut-off: its value, unit, how to compare, and where it comes from."""

    value: float
    unit: str
    comparison: Comparison
    source_ids: tuple[str, ...]
    note: str

    def reached(self, observed: float) -> bool:
        """Whether ``observed`` meets the threshold in its stated direction."""
        match self.comparison:
            case ">":
                return observed > self.value
            case ">=":
                return observed >= self.value
            case "<":
                return observed < self.value
            case "<=":
                return observed <= self.value


# --- Rome IV (functional and opioid-induced constipation) ---------------------------------
ROME_IV_FEATURE_SHARE = Threshold(
    25.0,
    "% of defecations",
    ">",
    ("rome-iv-2016",),
    "A feature counts when present in more than 25% of defecations (exactly 25% does not).",
)
ROME_IV_MIN_FEATURES = Threshold(
    2, "features", ">=", ("rome-iv-2016",), "Two or more of the six features."
)
ROME_IV_SBM_PER_WEEK = Threshold(
    3,
    "spontaneous bowel movements per week",
    "<",
    ("rome-iv-2016",),
    "Fewer than 3 spontaneous bowel movements per week is one of the six features.",
)
BRISTOL_HARD_MAX = Threshold(
    2,
    "Bristol type",
    "<=",
    ("lewis-heaton-1997", "rome-iv-2016"),
    "Types 1–2 are hard or lumpy stools.",
)
BRISTOL_LOOSE_MIN = Threshold(
    6,
    "Bristol type",
    ">=",
    ("lewis-heaton-1997", "rome-iv-2016"),
    "Types 6–7 are loose stools.",
)

# --- ICHD-3 medication-overuse headache (applied to kratom by analogy) --------------------
ICHD3_OPIOID_OVERUSE_DAYS = Threshold(
    10,
    "use days per month",
    ">=",
    ("ichd-3-2018",),
    "8.2.4 opioid-overuse headache: intake on 10 or more days per month. Kratom is not "
    "named in ICHD-3; Speciosa applies this by analogy.",
)
ICHD3_OVERUSE_MONTHS = Threshold(
    3,
    "consecutive months",
    ">",
    ("ichd-3-2018",),
    "Regular overuse for more than 3 months (so 4 consecutive calendar months or more).",
)
ICHD3_HEADACHE_DAYS = Threshold(
    15,
    "headache days per month",
    ">=",
    ("ichd-3-2018",),
    "8.2 criterion A: headache on 15 or more days per month.",
)

# --- Questionnaires ---------------------------------------------------------------------
FSS_MEAN_CUTOFF = Threshold(
    4.0,
    "FSS mean score (1–7)",
    ">=",
    ("krupp-1989-fss", "pmc3599447-fss"),
    "Mean of the 9 items of 4 or more is commonly read as clinically relevant fatigue.",
)
FSS_SUM_CUTOFF = Threshold(
    36,
    "FSS total (9–63)",
    ">=",
    ("kos-2006-fss",),
    "Some studies use the sum, with 36 or more as the fatigue cut-off.",
)
SDS_CUTOFF_HEROIN = Threshold(
    3,
    "SDS total (0–15)",
    ">=",
    ("sds-barcelona-2009",),
    "Heroin, Barcelona sample. Context only: not validated for kratom.",
)
SDS_CUTOFF_COCAINE = Threshold(
    4,
    "SDS total (0–15)",
    ">=",
    ("sds-barcelona-2009",),
    "Cocaine, Barcelona sample. Context only: not validated for kratom.",
)
SDS_CUTOFF_OLDER_ADULTS_SEDATIVES_OPIOIDS = Threshold(
    6,
    "SDS total (0–15)",
    ">=",
    ("cheng-2019-sds",),
    "Opioids, benzodiazepines or z-hypnotics in hospitalised older adults (reported as 5.5). "
    "Context only: not validated for kratom.",
)
SOWS_KRATOM_MEAN = Threshold(
    13.5,
    "SOWS total (0–64)",
    ">=",
    ("rogers-2024",),
    "Mean SOWS in 395 regular US kratom users (SD 11.9), described as mild to moderate. "
    "An anchor for context, not a severity cut-off.",
)
SOWS_KRATOM_SD = 11.9  # Rogers 2024, same sample as SOWS_KRATOM_MEAN

# --- Pain change ------------------------------------------------------------------------
PAIN_MCID_POINTS = Threshold(
    2.0,
    "points on a 0–10 scale (reduction)",
    ">=",
    ("farrar-2001",),
    "A reduction of about 2 points matched 'much improved' in 2,724 trial participants.",
)
PAIN_MCID_PERCENT = Threshold(
    30.0,
    "% reduction from baseline",
    ">=",
    ("farrar-2001",),
    "A reduction of about 30% matched 'much improved'; more consistent across baselines.",
)
PEG_MEANINGFUL_PERCENT = Threshold(
    30.0,
    "% improvement in PEG score",
    ">=",
    ("cdc-opioid-pocket-guide", "krebs-2009-peg"),
    "CDC reads a 30% improvement on the PEG as clinically meaningful.",
)

# --- Sleep (CBT-I conventions, not part of the CSD itself) ---------------------------------
SLEEP_ONSET_LATENCY_FLAG = Threshold(
    30,
    "minutes",
    ">",
    ("cbti-reference-ranges",),
    "Sleep-onset latency over 30 minutes is a typical insomnia flag in CBT-I material.",
)
WASO_FLAG = Threshold(
    30,
    "minutes",
    ">",
    ("cbti-reference-ranges",),
    "Wake after sleep onset over 30 minutes is a typical insomnia flag in CBT-I material.",
)
SLEEP_EFFICIENCY_FLAG = Threshold(
    85,
    "%",
    "<",
    ("cbti-reference-ranges",),
    "Sleep efficiency under 85% is a typical insomnia flag; 85% or more is the usual target.",
)

# --- Safety-engine anchors ----------------------------------------------------------------
LIVER_INJURY_LATENCY_MIN_DAYS = Threshold(
    2,
    "days after starting",
    ">=",
    ("schimmel-dart-2020",),
    "Shortest latency to kratom liver injury in the case review (median 20.6 days).",
)
LIVER_INJURY_LATENCY_MAX_DAYS = Threshold(
    49,
    "days after starting",
    "<=",
    ("schimmel-dart-2020",),
    "Longest latency to kratom liver injury in the case review (median 20.6 days).",
)
SEVEN_OH_ALKALOID_SHARE = Threshold(
    2.0,
    "% of total alkaloids (7-OH share)",
    ">",
    ("oklahoma-kcpa",),
    "Oklahoma's Kratom Consumer Protection Act bars products whose 7-OH is more than 2% of "
    "the product's total alkaloids (its alkaloid fraction). Certificates usually list only "
    "mitragynine and 7-OH; 7-OH as a share of those two is an upper bound on its share of "
    "total alkaloids, so above 2% of it reads as 'may be over the limit'. A product flag, "
    "not a dose.",
)
GI_EFFECTS_DOSES_PER_WEEK = Threshold(
    22,
    "doses per week",
    ">=",
    ("grundmann-2017",),
    "In a survey, GI side effects were reported mostly at 22 or more doses per week. A "
    "literature association used to explain a pattern; not a safe limit.",
)
CDC_TAPER_LONG_TERM_PERCENT_PER_MONTH = Threshold(
    10,
    "% of the dose per month, or slower",
    "<=",
    ("cdc-2022-opioids",),
    "Opioid taper pace after a year or more of use, as summarised by secondary sources; "
    "applied to kratom by analogy (no kratom taper guideline exists).",
)
CDC_TAPER_SHORT_TERM_PERCENT_PER_WEEK = Threshold(
    10,
    "% of the original dose per week, or slower",
    "<=",
    ("cdc-2022-opioids",),
    "Opioid taper pace after weeks to months of use, as summarised by secondary sources; "
    "applied to kratom by analogy.",
)
CYP3A_MIDAZOLAM_AUC_RATIO = Threshold(
    1.39,
    "ratio of midazolam AUC with/without kratom",
    ">=",
    ("tanna-2023-ddi",),
    "Clinical study: one kratom tea raised midazolam exposure 1.39-fold (90% CI 1.23–1.57).",
)
# --- a typing slip, not a dose: the form asks "did you mean ...?" before saving -----------
LARGEST_REPORTED_DOSE_GRAMS = Threshold(
    25,
    "grams of leaf in one dose",
    ">",
    ("emcdda-kratom", "prozialeck-2012", "garcia-romeu-2020"),
    "The highest single-dose band the literature describes reaches 25 g of dried leaf "
    "(10 to 25 g, sedative effects); the most common dose in a US survey was 1–3 g. An "
    "amount above 25 g is more likely a typing slip (mg typed as g, a lost decimal point) "
    "than a dose, so the app asks before saving it. Not a limit and not a recommendation: "
    "a confirmed amount is stored as given.",
)
SLIP_FACTOR_OF_OWN_LIMIT = Threshold(
    10,
    "times the person's own grams-per-day limit in one dose",
    ">=",
    ("garcia-romeu-2020",),
    "A slipped or missing decimal point multiplies an amount by 10 or more; one dose of ten "
    "times the person's whole daily limit is far outside the 1–3 g most people report, so "
    "the app asks before saving it.",
)

ALL_THRESHOLDS: dict[str, Threshold] = {
    name: value for name, value in globals().items() if isinstance(value, Threshold)
}
