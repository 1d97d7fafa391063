"""The Jinja2 environment: autoescaped templates, and the filters pages use to show
times in the entry's own zone and entries in words."""

from __future__ import annotations

from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

from speciosa import __version__
from speciosa.insights.results import level_percent, times_in_100
from speciosa.journal import clock
from speciosa.journal.describe import describe
from speciosa.journal.today import minutes_ago
from speciosa.safety import NO_ALERTS_NOTE

WEB_DIR = Path(str(files("speciosa.web")))


def templates(directory: Path) -> Jinja2Templates:
    found = Jinja2Templates(directory=str(directory))
    env = found.env
    env.filters["describe"] = describe
    env.filters["local"] = local_time
    env.filters["ago"] = minutes_ago
    env.filters["kind_label"] = kind_label
    env.filters["num"] = number
    env.globals["version"] = __version__
    env.globals["kind_label"] = kind_label
    env.globals["zone_names"] = clock.zone_names  # the setup's searchable zone picker
    # Shown wherever a person sees "No alerts": an empty list is not a clean bill of health.
    env.globals["no_alerts_note"] = NO_ALERTS_NOTE
    # The interval level every answer is shown at (insights.constants), never typed in a page.
    env.globals["interval_level"] = level_percent()
    env.globals["times_in_100"] = times_in_100
    return found


def local_time(instant: datetime | None, zone_name: str, fmt: str = "%H:%M") -> str:
    if instant is None:
        return ""
    return clock.local(instant, zone_name).strftime(fmt)


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")


def number(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.{digits}f}"
    return f"{value:g}" if isinstance(value, float) else str(value)
