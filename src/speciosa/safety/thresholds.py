"""Safety-only thresholds, each a :class:`Threshold` with the sources behind it.

Published cut-offs (Rome IV, ICHD-3, the 2% 7-OH share) live in
``speciosa.knowledge.thresholds`` and are reused from there. The numbers here are
*Speciosa's conventions* where no published cut-off exists (how long a streak is "long",
how far back an event still raises an alert); each note says so and cites the source that
explains why the thing matters. ``ALL_SAFETY_THRESHOLDS`` lets a test check every source id.
"""

from __future__ import annotations

from speciosa.knowledge.thresholds import Threshold

_CONVENTION = "Speciosa's convention; no published cut-off."

# --- co-use with depressants --------------------------------------------------------------
CO_USE_WINDOW_HOURS = Threshold(
    6,
    "hours between a dose and another substance",
    "<=",
    ("prozialeck-2012", "emcdda-kratom", "huestis-2024"),
    f"{_CONVENTION} Kratom's effects are reported to last 2–5 h (about 6 h after larger "
    "amounts), and its alkaloids stay in the blood far longer (half-lives of a day or more), "
    "so 6 hours either side is a lower bound for overlap, not a safe gap.",
)
CO_USE_LOOKBACK_DAYS = Threshold(
    30,
    "days back",
    "<=",
    ("fda-2016-opioid-benzo", "post-2019"),
    f"{_CONVENTION} Co-use in the last 30 days raises an alert; older co-use is history.",
)
RECENT_USE_DAYS = Threshold(
    30,
    "days back",
    "<=",
    ("tanna-2023-ddi", "post-2019"),
    f"{_CONVENTION} A dose in the last 30 days means kratom is in current use, so warnings "
    "about regular medicines, pregnancy and products apply.",
)

# --- profile: older age ---------------------------------------------------------------------
OLDER_AGE_YEARS = Threshold(
    65,
    "years of age this year (from the birth year)",
    ">=",
    ("fda-2019-gabapentinoids",),
    f"{_CONVENTION} The FDA's gabapentinoid warning says older people are at higher risk of "
    "serious breathing problems without giving an age; 65, the usual start of older age in "
    "clinical statistics, is used. Only the birth year is stored, so the age is the one "
    "reached this year.",
)

# --- red flags ------------------------------------------------------------------------------
RED_FLAG_LOOKBACK_DAYS = Threshold(
    14,
    "days back",
    "<=",
    ("schimmel-dart-2020", "post-2019"),
    f"{_CONVENTION} A red-flag symptom logged in the last 14 days raises an urgent alert.",
)
ITCHING_URGENT_SEVERITY = Threshold(
    2,
    "severity (1 mild, 2 moderate, 3 severe)",
    ">=",
    ("schimmel-dart-2020",),
    f"{_CONVENTION} Itching (pruritus) is one of the presentations of kratom liver injury, "
    "but mild itching alone is common and unspecific: it is urgent when moderate or severe, "
    "or together with another liver sign; otherwise a warning.",
)

# --- personal limits ----------------------------------------------------------------------
LIMIT_NEAR_PERCENT = Threshold(
    80,
    "% of the person's own limit",
    ">=",
    ("rogers-2024", "grundmann-2017"),
    f"{_CONVENTION} Reaching 80% of a limit the person set raises a note. The limits are "
    "the person's own; Speciosa never sets one.",
)

# --- escalation -------------------------------------------------------------------------
ESCALATION_WINDOW_DAYS = Threshold(
    84,
    "days back",
    "<=",
    ("hill-2024-kud", "rogers-2024"),
    f"{_CONVENTION} The trend is read over the last 12 weeks. Tolerance was the most common "
    "kratom-use-disorder criterion (Hill 2024), and frequency tracks withdrawal (Rogers 2024).",
)
ESCALATION_MIN_DAYS = Threshold(
    28,
    "journal days in the trend window",
    ">=",
    ("hill-2024-kud",),
    f"{_CONVENTION} Below 4 weeks of journal the answer is 'not enough data yet'.",
)
ESCALATION_MIN_USE_DAYS = Threshold(
    14,
    "use days in the trend window",
    ">=",
    ("hill-2024-kud",),
    f"{_CONVENTION} A trend needs at least 14 days with a dose.",
)
ESCALATION_P_VALUE = Threshold(
    0.05,
    "two-sided Mann–Kendall p-value",
    "<",
    ("hill-2024-kud",),
    f"{_CONVENTION} The usual 5% significance level for the Mann–Kendall trend test, so "
    "day-to-day noise is not read as escalation.",
)
ESCALATION_MIN_PERCENT_PER_MONTH = Threshold(
    10,
    "% of the window's mean per 30 days (Theil–Sen slope)",
    ">=",
    ("hill-2024-kud", "singh-2014"),
    f"{_CONVENTION} A significant trend must also be large enough to matter: at least 10% "
    "of the recent average per month.",
)

# --- streaks ------------------------------------------------------------------------------
STREAK_INFO_DAYS = Threshold(
    14,
    "consecutive use days",
    ">=",
    ("rogers-2024", "smith-2022-fphar"),
    f"{_CONVENTION} Dependence and withdrawal tracked dose frequency more than amount "
    "(Rogers 2024), and more weeks of regular use predicted worse cessation effects "
    "(Smith 2022).",
)
STREAK_CAUTION_DAYS = Threshold(
    28,
    "consecutive use days",
    ">=",
    ("rogers-2024", "smith-2022-fphar"),
    f"{_CONVENTION} From four weeks of daily use the streak note becomes a caution.",
)

# --- withdrawal after a gap ---------------------------------------------------------------
WITHDRAWAL_GAP_HOURS = Threshold(
    24,
    "hours without a dose",
    ">=",
    ("ichd-3-2018", "singh-2014"),
    f"{_CONVENTION} Borrowed from ICHD-3 8.3.2 (opioid-withdrawal headache starts within "
    "24 h of interrupting daily use; kratom is not named). Published kratom withdrawal time "
    "courses were not found.",
)
WITHDRAWAL_REGULAR_USE_DAYS = Threshold(
    5,
    "use days in the 7 days before the gap",
    ">=",
    ("singh-2014", "rogers-2024"),
    f"{_CONVENTION} 'Regular use' before a gap: a dose on at least 5 of the 7 days before it.",
)
WITHDRAWAL_EARLIEST_HOURS = Threshold(
    6,
    "hours after the last dose",
    ">=",
    ("prozialeck-2012", "emcdda-kratom"),
    f"{_CONVENTION} Symptoms in the first 6 hours after a dose are more likely effects of "
    "the dose (reported to last 2–5 h, about 6 h after larger amounts) than of its absence. "
    "Consumer pages put withdrawal onset at 6–24 h, unverified.",
)
WITHDRAWAL_WINDOW_DAYS = Threshold(
    7,
    "days after the last dose",
    "<=",
    ("ichd-3-2018", "smith-2022-jam"),
    f"{_CONVENTION} Symptoms within 7 days of the last dose count (ICHD-3 8.3.2 withdrawal "
    "headache resolves within 7 days; kratom's own time course is unverified).",
)
WITHDRAWAL_LOOKBACK_DAYS = Threshold(
    30,
    "days back",
    "<=",
    ("singh-2014",),
    f"{_CONVENTION} Gaps that started in the last 30 days are checked.",
)
SOWS_SIGNAL_TOTAL = Threshold(
    1,
    "SOWS total (0–64)",
    ">=",
    ("handelsman-1987-sows", "rogers-2024"),
    f"{_CONVENTION} Any SOWS symptom after a gap is a signal; there is no validated kratom "
    "cut-off (Rogers 2024 reported a mean of 13.5 in regular users, for context).",
)

# --- loss of tolerance after a break -------------------------------------------------------
TOLERANCE_BREAK_DAYS = Threshold(
    5,
    "days without a dose",
    ">=",
    ("cdc-2022-opioids", "singh-2019", "hill-2024-kud"),
    f"{_CONVENTION} Speciosa's reading of 'several days': a break of 5 days or more after "
    "regular use (the withdrawal rule's 5 of 7 days) is treated as long enough for tolerance "
    "to fall. Tolerance is common in regular kratom users (Singh 2019; Hill 2024); opioid "
    "guidance warns of overdose when people return to an earlier dose after stopping, "
    "applied here by analogy. How fast kratom tolerance falls is not known.",
)
TOLERANCE_LOOKBACK_DAYS = Threshold(
    14,
    "days back",
    "<=",
    ("cdc-2022-opioids",),
    f"{_CONVENTION} Use resumed after a break in the last 14 days raises the alert.",
)

# --- constipation ---------------------------------------------------------------------------
BOWEL_WINDOW_DAYS = Threshold(
    28,
    "days of bowel diary",
    "<=",
    ("rome-iv-2016",),
    f"{_CONVENTION} The pattern is read over the last 4 weeks; Rome IV itself needs 3 months "
    "of symptoms, so this is a pattern, not a diagnosis.",
)
BOWEL_MIN_ENTRIES = Threshold(
    6,
    "bowel movements logged in the window",
    ">=",
    ("rome-iv-2016",),
    f"{_CONVENTION} Fewer logged movements may mean the diary is not kept, not that bowel "
    "movements are rare, so no pattern is read.",
)
BOWEL_DIARY_GRACE_HOURS = Threshold(
    24,
    "hours from the window's start to the diary's first day",
    "<=",
    ("rome-iv-2016",),
    f"{_CONVENTION} A diary whose first logged movement falls on a day starting within 24 h "
    "of the window's start covers the whole window (a bowel movement is not expected every "
    "day); a later first movement means a younger diary, read only from its first day.",
)
DOSE_INCREASE_PERCENT = Threshold(
    20,
    "% more grams per day than in the 4 weeks before",
    ">=",
    ("rome-iv-2016",),
    f"{_CONVENTION} What counts as a dose increase for the opioid-induced-constipation "
    "analogy (Rome IV OIC follows starting, changing or increasing opioid therapy).",
)

# --- sleep timing -----------------------------------------------------------------------
LATE_DOSE_MINUTES = Threshold(
    60,
    "minutes after the aimed bedtime",
    ">",
    ("huestis-2024", "prozialeck-2012", "kratom-sleep-ema-2025"),
    f"{_CONVENTION} Blood levels peak about an hour after a dose and effects last hours; "
    "a dose more than an hour after the bedtime the person aims for puts them into the night.",
)
SLEEP_TIMING_LOOKBACK_DAYS = Threshold(
    14,
    "days back",
    "<=",
    ("kratom-sleep-ema-2025",),
    f"{_CONVENTION} Late doses in the last 14 days are reported.",
)

ALL_SAFETY_THRESHOLDS: dict[str, Threshold] = {
    name: value for name, value in globals().items() if isinstance(value, Threshold)
}
