"""``speciosa nights``: each night's sleep diary beside what a wearable recorded.

The diary stays the primary record; where the two disagree the difference is shown,
never resolved.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from .context import app_state, console

if TYPE_CHECKING:
    from speciosa.app.nights import NightPair


def _both(diary: object, device: object, *, hours: bool = False) -> str:
    """'diary / device', with a dash where one has no value."""

    def show(value: object) -> str:
        if not isinstance(value, int | float) or isinstance(value, bool):
            return "–"
        return f"{value / 60:.1f}" if hours else f"{value:.0f}"

    return f"{show(diary)} / {show(device)}"


def nights(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=3660, help="how many days back")] = 14,
    as_json: Annotated[bool, typer.Option("--json", help="machine-readable output")] = False,
) -> None:
    """Your sleep diary beside your wearable's record, night by night."""
    from rich.table import Table

    from speciosa.app.nights import night_pairs

    with app_state(ctx).journal() as journal:
        pairs = night_pairs(journal, days=days)
    if as_json:
        console.print_json(json.dumps([_as_dict(p) for p in pairs]))
        return
    if not pairs:
        console.print("No sleep diary or wearable nights in that period.")
        return
    table = Table(show_edge=False, header_style="bold")
    for column in ("night", "slept h", "efficiency %", "min to sleep", "awakenings", "device"):
        table.add_column(column)
    for pair in pairs:
        diary, device = pair.diary, pair.device
        table.add_row(
            pair.night.strftime("%a %d %b"),
            _both(diary and diary.total_sleep_time, device and device.total_sleep, hours=True),
            _both(diary and diary.sleep_efficiency, device and device.sleep_efficiency),
            _both(diary and diary.sleep_onset_latency, device and device.onset_latency),
            _both(diary and diary.awakenings, device and device.awakenings),
            "" if device is None else device.source + (" ≠" if device.conflicting else ""),
        )
    console.print(table)
    console.print(
        "[dim]Each cell: diary / device. Efficiency: time asleep as a share of time in bed. "
        "Your diary is the primary record; "
        "a wearable estimates sleep from movement and heart rate.[/]"
    )
    if any(p.device is not None and p.device.conflicting for p in pairs):
        console.print(
            "[dim]≠ the device's exports disagree about this night (imported twice with "
            "different values); the record with the most sleep is shown.[/]"
        )


def _as_dict(pair: NightPair) -> dict[str, object]:
    diary, device = pair.diary, pair.device
    return {
        "night": pair.night.isoformat(),
        "diary": None
        if diary is None
        else {
            "total_sleep": diary.total_sleep_time,
            "onset_latency": diary.sleep_onset_latency,
            "wake_after_sleep_onset": diary.wake_after_sleep_onset,
            "awakenings": diary.awakenings,
            "time_in_bed": diary.time_in_bed,
            "sleep_efficiency": diary.sleep_efficiency,
        },
        "device": None
        if device is None
        else {
            "source": device.source,
            "total_sleep": device.total_sleep,
            "onset_latency": device.onset_latency,
            "awakenings": device.awakenings,
            "time_in_bed": device.time_in_bed,
            "sleep_efficiency": device.sleep_efficiency,
            "stage_minutes": dict(device.stage_minutes),
            "naps": device.naps,
            "conflicting": device.conflicting,
        },
        "differences": dict(pair.differences),
    }
