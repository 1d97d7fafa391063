"""Apple Health import speed and memory: Speciosa vs healthkit-to-sqlite vs a bare parse.

    .venv/bin/pip install -e '.[bench]'              # healthkit-to-sqlite, the peer (bench only)
    .venv/bin/python bench/apple_health_bench.py [--mb 1000] [--file export.xml] [--record]

Generates a realistic export (bench/apple_health_generate.py) unless ``--file`` names one, then
runs, one after the other on the same file, each in its own process:

* floor       - a bare streaming parse (``ElementTree.iterparse``, elements cleared as they
                end), counting top-level records: nothing is faster with the stdlib or lxml;
* speciosa    - ``import_wearable`` into a new SQLite journal, one transaction (the library
                call in a bare process, as the earlier passes measured it);
* speciosa import (CLI) - the command a person runs, ``speciosa --db NEW import FILE``: the
                process the issue 16 target is judged on;
* healthkit-to-sqlite - its CLI on the same XML (``--xml``), into a new SQLite file.

Files go to a temporary directory on tmpfs (/dev/shm) when there is one, or ``--workdir``.

Each is timed from process start to exit (wall clock, and its CPU time: user + system) and its
peak RSS is read from ``os.wait4`` for that child alone. The children keep compiled bytecode in
a cache under the work directory (``PYTHONPYCACHEPREFIX``), filled by one untimed run on a tiny
export first: an installed Speciosa has its ``.pyc`` files, and an environment that sets
``PYTHONDONTWRITEBYTECODE`` (as this repository's sessions do) would otherwise have every timed
run compile Speciosa's source again (~0.15 s CPU, issue 16 third pass). Rates are top-level
records (Record and Workout, as the floor counts them) per second. ``--repeat N`` runs the floor
and both Speciosa commands N times, interleaved, and reports medians (the machine is shared: one
run can land on a busy second). Targets (issue 16): Speciosa >= 4x healthkit-to-sqlite, the CLI
>= 0.8x the floor (whole process, the ratio of the medians of the same run, wall and CPU), peak
RSS <= 100 MB. ``--record`` writes the figures into bench/RESULTS.md: the subsection ``--title``
(default "Apple Health import (bench/apple_health_bench.py)") of "## Wearables", leaving its
other subsections as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Wearables"
SUBSECTION = "Apple Health import (bench/apple_health_bench.py)"
GENERATOR = Path(__file__).with_name("apple_health_generate.py")
TARGET_VS_PEER = 4.0
TARGET_VS_FLOOR = 0.8
TARGET_PEAK_MB = 100.0
CLI = "speciosa import (CLI)"
TINY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n'
    b' <Record type="HKQuantityTypeIdentifierRestingHeartRate" unit="count/min" value="57" '
    b'startDate="2024-01-01 08:00:00 +0100" endDate="2024-01-01 08:00:00 +0100"/>\n'
    b"</HealthData>\n"
)


@dataclass
class Run:
    name: str
    seconds: float
    peak_mb: float
    output: str
    cpu: float = 0.0  # user + system seconds of the child


def median_run(runs: list[Run]) -> Run:
    """The medians of repeated runs of one command (peak RSS: the highest)."""
    return Run(
        runs[0].name,
        statistics.median(run.seconds for run in runs),
        max(run.peak_mb for run in runs),
        runs[0].output,
        statistics.median(run.cpu for run in runs),
    )


def child_floor(path: Path) -> None:
    import xml.etree.ElementTree as ET

    records = 0
    depth = 0
    root = None
    for event, element in ET.iterparse(path, events=("start", "end")):
        if event == "start":
            depth += 1
            if root is None:
                root = element
            continue
        depth -= 1
        if depth == 1:
            if element.tag in ("Record", "Workout"):
                records += 1
            root.clear()  # type: ignore[union-attr]
    print(json.dumps({"records": records}))


def child_speciosa(path: Path, database: Path) -> None:
    from datetime import UTC, datetime

    from speciosa.interop.wearables import import_wearable
    from speciosa.store.database import open_database
    from speciosa.store.device_store import DeviceStore
    from speciosa.store.journal_store import owner_id

    db = open_database(str(database))
    now = datetime.now(UTC)
    with db.transaction() as session:
        summary = import_wearable(
            DeviceStore(session, owner_id(session, now=now)),
            path,
            now=now,
            default_zone="Europe/Amsterdam",
        )
    db.close()
    print(json.dumps({"read": summary.read, "added": summary.added, "by_kind": summary.by_kind}))


def child_environment(workdir: Path) -> dict[str, str]:
    """The children's environment: this one, with a bytecode cache under ``workdir``."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(workdir / "pycache")
    return env


def cli_summary(output: str) -> dict[str, int]:
    """``read`` and ``added`` from the CLI's "Added N device samples ... from R records"."""
    text = " ".join(output.split())  # rich wraps the line at the terminal's width
    found = re.search(r"Added (\d+) device samples .*? from (\d+) records", text)
    if found is None:
        raise SystemExit(f"unexpected output from speciosa import: {output[:200]!r}")
    return {"added": int(found[1]), "read": int(found[2])}


def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert process.stdout is not None  # the pipe was asked for; not an argument check
    output = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(name, seconds, usage.ru_maxrss / 1024, output.strip(), cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1000, help="size of the generated export")
    parser.add_argument("--file", type=Path, help="an existing export.xml instead")
    parser.add_argument("--workdir", type=Path, help="where files go (default: a temp dir)")
    parser.add_argument("--skip-peer", action="store_true", help="do not run healthkit-to-sqlite")
    parser.add_argument("--repeat", type=int, default=1, help="floor and Speciosa runs (medians)")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--title", default=SUBSECTION, help="the Wearables subsection --record replaces"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "floor":
            child_floor(Path(rest[0]))
        else:
            child_speciosa(Path(rest[0]), Path(rest[1]))
        return

    # tmpfs when there is one: healthkit-to-sqlite commits every few hundred rows, and on this
    # machine's ext4 disk the syncs alone made it ~10x slower; measure its best case instead.
    shm = Path("/dev/shm")
    workdir = args.workdir or Path(
        tempfile.mkdtemp(prefix="speciosa-ah-bench-", dir=shm if shm.is_dir() else None)
    )
    workdir.mkdir(parents=True, exist_ok=True)
    export = args.file
    if export is None:
        export = workdir / "export.xml"
        if not export.exists():
            print(f"generating {args.mb:.0f} MB export in {export} ...", flush=True)
            subprocess.run(
                [sys.executable, str(GENERATOR), str(export), "--mb", str(args.mb)], check=True
            )
    size_mb = export.stat().st_size / 1e6
    me = [sys.executable, str(Path(__file__).resolve()), "--child"]
    cli = [str(Path(sys.executable).with_name("speciosa")), "--db"]
    speciosa_db = workdir / "speciosa.sqlite"
    env = child_environment(workdir)
    tiny = workdir / "tiny-export.xml"
    tiny.write_bytes(TINY)
    commands = {
        "floor (bare iterparse)": lambda path: [*me, "floor", str(path)],
        "speciosa": lambda path: [*me, "speciosa", str(path), str(speciosa_db)],
        CLI: lambda path: [*cli, str(speciosa_db), "import", str(path)],
    }
    for name, command in commands.items():  # untimed: fills the bytecode cache
        _new_journal(speciosa_db)
        measure(name, command(tiny), env)
    timed: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(max(1, args.repeat)):
        for name, command in commands.items():
            _new_journal(speciosa_db)  # a new journal each time, as the first import makes
            timed[name].append(measure(name, command(export), env))
    runs = [median_run(each) for each in timed.values()]
    records = json.loads(runs[0].output)["records"]
    summary = json.loads(runs[1].output)
    from_cli = cli_summary(runs[2].output)
    if summary["read"] != records or from_cli["read"] != records:
        raise SystemExit(
            f"speciosa read {summary['read']} records, the CLI {from_cli['read']}, "
            f"the floor {records}"
        )
    if from_cli["added"] != summary["added"]:
        raise SystemExit(f"the CLI added {from_cli['added']}, the library {summary['added']}")
    peer = shutil.which("healthkit-to-sqlite", path=str(Path(sys.executable).parent))
    if not args.skip_peer:
        if peer is None:
            raise SystemExit("pip install healthkit-to-sqlite first (or pass --skip-peer)")
        peer_db = workdir / "healthkit.db"
        peer_db.unlink(missing_ok=True)
        runs.append(
            measure("healthkit-to-sqlite 1.0.1", [peer, str(export), str(peer_db), "--xml"])
        )
    report = _report(runs, records, size_mb, summary, max(1, args.repeat))
    print(report)
    if args.record:
        _record(report, args.title)
    if args.workdir is None:
        shutil.rmtree(workdir)


def _new_journal(database: Path) -> None:
    for stale in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)


def _report(
    runs: list[Run], records: int, size_mb: float, summary: dict[str, object], repeat: int = 1
) -> str:
    rate = {run.name: records / run.seconds for run in runs}
    load = os.getloadavg()[0]
    lines = [
        f"Export: {size_mb:,.0f} MB XML, {records:,} top-level records "
        f"(Speciosa kept {summary['added']:,}: {summary['by_kind']}).",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}; shared with other work "
        f"(1-minute load average {load:.1f} at the end); "
        + (f"medians of {repeat} interleaved runs." if repeat > 1 else "one run each."),
        "",
        "| run | time | CPU | records/s | peak RSS |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        cpu = f"{run.cpu:,.1f} s" if run.cpu else "-"
        lines.append(
            f"| {run.name} | {run.seconds:,.1f} s | {cpu} | {rate[run.name]:,.0f} "
            f"| {run.peak_mb:,.0f} MB |"
        )
    floor = runs[0]
    checks = []
    for run in runs[1:]:
        if run.name.startswith("healthkit"):
            continue
        target = run.name == CLI
        checks += [
            f"- {run.name} / floor: {rate[run.name] / rate[floor.name]:.2f} wall, "
            f"{floor.cpu / run.cpu:.2f} CPU"
            + (f" (target >= {TARGET_VS_FLOOR})" if target else ""),
            f"- {run.name} peak RSS: {run.peak_mb:,.0f} MB"
            + (f" (target <= {TARGET_PEAK_MB:.0f} MB)" if target else ""),
        ]
    peers = [run for run in runs if run.name.startswith("healthkit")]
    if peers:
        checks.insert(
            0,
            f"- Speciosa / healthkit-to-sqlite: {rate['speciosa'] / rate[peers[0].name]:.1f}x "
            f"(target >= {TARGET_VS_PEER:.0f}x)",
        )
    return "\n".join([*lines, "", *checks])


def _record(body: str, title: str = SUBSECTION, path: Path = RESULTS) -> None:
    """Replace (or add) the subsection ``### title`` of the Wearables section of RESULTS.md;
    the section's other subsections and every other section stay as they are."""
    # Imported here, in the parent only: the timed children must not load the insights.
    from insights_bench import write_subsection

    write_subsection(title, body, path, section_title=SECTION)


if __name__ == "__main__":
    main()
