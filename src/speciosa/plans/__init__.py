"""Taper plans and personal experiments: pure functions, typed data in, typed results out.

    use = recent_use(doses, today=day, journal_start=first_day)         # from the journal
    plan = design_taper(TaperRequest(target=...), use=use, measure=..., today=day, now=now)
    planned_on(plan, day)                                                # today's step
    experiment = design_experiment(ExperimentRequest(...), profile=p, today=day, now=now,
                                   use=use_for_gates(doses, today=day, journal_start=first_day))
    assignment_on(experiment, day)                                       # today's condition
    analyse_experiment(experiment, trial_data(experiment, daily_frame(entries, profile)))
    today_lines(plans, day=day, doses=doses, questionnaires=qs, safety_paused=False)

No I/O and no clock reads: the CLI, the web app and the store pass ``today`` and ``now``.
Every amount a plan shows derives from the person's logged use and their chosen target.
The analysis names (numpy, pandas, scipy) load on first use (PEP 562), not at CLI start-up.
"""

from typing import TYPE_CHECKING

from speciosa.lazy import lazy_attributes
from speciosa.plans.base import Measure, measure_for
from speciosa.plans.daily import experiment_today, progress_lines, taper_today, today_lines
from speciosa.plans.experiment import (
    Experiment,
    ExperimentRequest,
    assignment_on,
    design_experiment,
)
from speciosa.plans.taper import (
    TaperChange,
    TaperPlan,
    TaperRequest,
    TaperTarget,
    design_taper,
    planned_on,
)
from speciosa.plans.usage import RecentUse, recent_use, use_for_gates

if TYPE_CHECKING:
    from speciosa.plans.analysis import (
        InterimLook,
        TrialData,
        TrialResult,
        analyse_experiment,
        interim_look,
        trial_data,
    )

from speciosa.plans.kinds import Plan

_ANALYSIS = (
    "InterimLook",
    "TrialData",
    "TrialResult",
    "analyse_experiment",
    "interim_look",
    "trial_data",
)
__getattr__ = lazy_attributes(__name__, dict.fromkeys(_ANALYSIS, "speciosa.plans.analysis"))


__all__ = [
    "Experiment",
    "ExperimentRequest",
    "InterimLook",
    "Measure",
    "Plan",
    "RecentUse",
    "TaperChange",
    "TaperPlan",
    "TaperRequest",
    "TaperTarget",
    "TrialData",
    "TrialResult",
    "analyse_experiment",
    "assignment_on",
    "design_experiment",
    "design_taper",
    "experiment_today",
    "interim_look",
    "measure_for",
    "planned_on",
    "progress_lines",
    "recent_use",
    "taper_today",
    "today_lines",
    "trial_data",
    "use_for_gates",
]
