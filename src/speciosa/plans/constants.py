"""Every number the plans use, next to the source that justifies it.

Two kinds of number live here. Evidence (half-lives, opioid-taper paces, withdrawal
anchors) carries source ids from ``knowledge/data/sources.yaml``. Engineering choices
(how many days make a baseline, how long SOWS prompts run after a step) carry
``ENGINEERING`` and a comment saying why; a reviewer can tell the two apart.

No constant here is an amount of kratom. Every amount a plan shows is computed from the
person's own logged use and the target and pace they chose.
"""

from __future__ import annotations

import math
from typing import Final

from speciosa.knowledge.thresholds import (
    CDC_TAPER_LONG_TERM_PERCENT_PER_MONTH,
    CDC_TAPER_SHORT_TERM_PERCENT_PER_WEEK,
    PAIN_MCID_PERCENT,
    PAIN_MCID_POINTS,
    SOWS_KRATOM_MEAN,
)

ENGINEERING: Final = "speciosa-engineering"  # a design choice, no paper behind it

SOURCE_CDC_2022: Final = "cdc-2022-opioids"
SOURCE_CDC_POCKET: Final = "cdc-opioid-pocket-guide"
SOURCE_TRAKULSRICHAI_2015: Final = "trakulsrichai-2015"
SOURCE_TANNA_2022: Final = "tanna-2022"
SOURCE_HUESTIS_2024: Final = "huestis-2024"
SOURCE_DMD_REVIEW: Final = "dmd-2023-review"
SOURCE_SOWS: Final = "handelsman-1987-sows"
SOURCE_ROGERS_2024: Final = "rogers-2024"
SOURCE_FARRAR_2001: Final = "farrar-2001"
SOURCE_ICHD3: Final = "ichd-3-2018"
SOURCE_SMITH_2022: Final = "smith-2022-fphar"
SOURCE_SINGH_2014: Final = "singh-2014"
SOURCE_SINGH_2018: Final = "singh-2018"
SOURCE_TRAKULSRICHAI_2013: Final = "trakulsrichai-2013"

TAPER_SOURCE_IDS: Final = (SOURCE_CDC_2022, SOURCE_CDC_POCKET)
ANALOGY_LABEL: Final = "by analogy, from opioid-tapering guidance"

# --------------------------------------------------------------------------- taper

# The person's recent use: mean grams/day and doses/day over the last 14 complete
# journal days (two weeks smooth out weekday habits). ENGINEERING.
BASELINE_WINDOW_DAYS: Final = 14
# Fewer than 7 days of journal cannot describe a week's habit. ENGINEERING.
MIN_BASELINE_DAYS: Final = 7

# CDC 2022 (by analogy): after a year or more, 10% of the dose per month or slower;
# after weeks to months, 10% of the original dose per week or slower.
LONG_TERM_USE_DAYS: Final = 365
LONG_TERM_PERCENT: Final = CDC_TAPER_LONG_TERM_PERCENT_PER_MONTH.value
LONG_TERM_STEP_DAYS: Final = 30  # "per month": 30 days, never the faster 28
SHORT_TERM_PERCENT: Final = CDC_TAPER_SHORT_TERM_PERCENT_PER_WEEK.value
SHORT_TERM_STEP_DAYS: Final = 7
# The guidance (secondary summaries) adds: slow further at lower doses. The fact sheet
# gives "until about 30% of the original dose, then about 10% of the remaining dose per
# week" [from-memory in the fact sheet], so the short-term default switches to steps of
# 10% of the *current* amount once 30% of the start remains. Slower, never faster.
SLOW_BELOW_SHARE_OF_START: Final = 30.0

# "Long daily use": use on at least 6 of 7 days (85%) of the baseline window, for at
# least 28 days. Physical dependence follows weeks of daily opioid use; kratom reaches
# steady state in 8–9 days (Huestis 2024). The 28 days and 85% are ENGINEERING choices
# that err towards asking for a clinician. When duration is unknown it counts as long.
DAILY_USE_SHARE: Final = 6 / 7
LONG_DAILY_USE_DAYS: Final = 28

# "Months of daily use": daily or near-daily use (the share above) for 3 months or more.
# Then any taper, not only a stop, asks for a clinician first: every reduction can bring on
# withdrawal. ICHD-3 8.3.2 describes withdrawal (headache) on interrupting daily opioid use
# of more than 3 months (kratom is not named: by analogy); more weeks of regular kratom use
# predicted more severe cessation effects (Smith 2022, Front Pharmacol); opioid-tapering
# guidance (CDC 2022, by analogy) expects a clinician to plan tapers after long-term use.
# 3 months is counted as 90 days, a little under three calendar months, erring towards
# asking; an unknown duration counts as long.
MONTHS_OF_DAILY_USE: Final = 3
MONTHS_OF_DAILY_USE_DAYS: Final = 90
MONTHS_OF_DAILY_USE_SOURCE_IDS: Final = (SOURCE_ICHD3, SOURCE_SMITH_2022, SOURCE_CDC_2022)

# The smallest measure for loose powder when the person gives none: half a gram, what a
# common kitchen scale resolves. ENGINEERING (a measuring resolution, not an amount).
DEFAULT_GRAM_STEP: Final = 0.5

# Steps the person may choose. A step of more than 50% of the current amount is refused:
# that is closer to stopping than tapering; a clinician-agreed stop is its own target.
MAX_STEP_PERCENT: Final = 50.0
MAX_STEP_DAYS: Final = 120
MAX_TAPER_STEPS: Final = 400  # a runaway guard on the arithmetic, far beyond real plans

# SOWS prompts: every day for the first 7 days after a reduction, then weekly. There is
# no peer-reviewed time course of kratom withdrawal (fact sheet, section D); a week
# covers the 2–3 day peak seen with short-acting opioids. ENGINEERING.
SOWS_DAILY_DAYS_AFTER_STEP: Final = 7
SOWS_EVERY_DAYS_OTHERWISE: Final = 7
# SOWS has no validated severity bands (fact sheet B7). The plan suggests reviewing the
# pace when a total is above the mean of 395 regular kratom users (13.5, Rogers 2024):
# an anchor for context, not a cut-off; the person and their clinician decide.
SOWS_REVIEW_ANCHOR: Final = SOWS_KRATOM_MEAN.value

# --------------------------------------------------------------------------- experiments

# Mitragynine terminal half-life in humans (fact sheet A2): 23.2 h in chronic users
# (Trakulsrichai 2015; sampled only 0–24 h, so likely an underestimate), median 45.3 h
# after a single characterised dose (Tanna 2022), highest group mean 67.9 h after 15
# daily doses (Huestis 2024). Speciosa uses 45.3 h: the single-dose study that sampled
# long enough to see the terminal phase. A clinician may prefer the steady-state value.
MITRAGYNINE_HALF_LIFE_HOURS: Final = 45.3
HALF_LIFE_SOURCE_IDS: Final = (SOURCE_TANNA_2022, SOURCE_TRAKULSRICHAI_2015, SOURCE_HUESTIS_2024)
# After 5 half-lives about 97% of a drug is gone: the usual pharmacology rule of thumb.
WASHOUT_HALF_LIVES: Final = 5
DEFAULT_WASHOUT_DAYS: Final = math.ceil(WASHOUT_HALF_LIVES * MITRAGYNINE_HALF_LIFE_HOURS / 24)

# A bedtime on/off experiment for a daily user asks for a clinician first: its blocks of
# "no bedtime dose" take a daily user in and out of withdrawal, and sleeping difficulty is a
# common withdrawal symptom (Singh 2014; 46% had more sleep problems on stopping, Singh
# 2018; insomnia in 16.7% of withdrawal presentations, Trakulsrichai 2013), which would
# also bias the sleep result. "Daily" is DAILY_USE_SHARE of the recent window, any duration.
BEDTIME_OFF_SOURCE_IDS: Final = (SOURCE_SINGH_2014, SOURCE_SINGH_2018, SOURCE_TRAKULSRICHAI_2013)

# Each block keeps at least 3 analysed days after its wash-out. ENGINEERING.
MIN_ANALYSED_DAYS_PER_BLOCK: Final = 3
DEFAULT_ANALYSED_DAYS_PER_BLOCK: Final = 7  # a week: covers weekday and weekend nights
MIN_BLOCKS: Final = 4  # two per condition, the least that separates a change from drift
MAX_BLOCKS: Final = 24
MAX_BLOCK_DAYS: Final = 60
DEFAULT_BLOCKS: Final = 8

# Randomisation test: enumerate every block order when there are at most 4096, else draw
# 4000 at random (Monte-Carlo error of a p-value near 0.05 is then about 0.003).
EXACT_ARRANGEMENTS_MAX: Final = 4096
MONTE_CARLO_DRAWS: Final = 4000

# Timing arms: a dose counts as on schedule within 30 minutes of the planned gap before
# bed (the resolution people log times with). ENGINEERING.
TIMING_TOLERANCE_MINUTES: Final = 30

# An answer needs at least 6 analysed days with an outcome in each condition, each
# condition seen in at least 2 blocks. ENGINEERING, checked by bench/experiment_calibration.
MIN_DAYS_PER_ARM: Final = 6
# Below 50 measured days (and fewer than 12 blocks) simulated intervals were slightly too
# narrow (pairs 8×7 with a 2-day wash-out: 91–92% coverage); the design says so.
# ENGINEERING, from bench/experiment_calibration.py.
SMALL_DESIGN_MEASURED_DAYS: Final = 50

# Clinically important differences by outcome column. Only pain has a published one
# (Farrar 2001: about 2 points or 30%). For sleep-onset latency and the other diary
# outcomes no validated minimal important within-person difference is known to us, so
# none is used and the report says so.
MCID_POINTS: Final[dict[str, float]] = {"pain": PAIN_MCID_POINTS.value}
MCID_PERCENT: Final[dict[str, float]] = {"pain": PAIN_MCID_PERCENT.value}
MCID_SOURCES: Final[dict[str, tuple[str, ...]]] = {"pain": (SOURCE_FARRAR_2001,)}
