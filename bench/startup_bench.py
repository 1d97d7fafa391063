"""Command-line start-up: the CPU time of whole ``speciosa`` processes, beside the floor.

    .venv/bin/python bench/startup_bench.py [--runs 15] [--days 1825] [--journal PATH]
        [--compare SRC] [--record]

Each run starts a fresh process and counts its user + system CPU time (``getrusage`` of
the children), which other processes on a shared machine inflate less than wall-clock
time (but do inflate: compare with the floors, measured in the same run). Interleaved:
``python -c pass`` (the floor), ``python -c "import typer"`` (what any typer program pays)
and ``python -c "import sqlalchemy"`` (what any command that opens the journal pays), then
``speciosa --version``, ``speciosa --help`` and ``speciosa log pain 4`` on a copy of a
5-year demo journal (made once with ``speciosa --db PATH demo --days N``; ``--journal``
keeps it between runs). ``--compare SRC`` also runs another version of the code (a ``src``
directory, e.g. ``git archive HEAD src | tar -x -C /tmp/before`` then ``/tmp/before/src``)
on its own demo journal, in the same rounds. Targets: ``--version`` and ``--help`` at most
0.15 s CPU, ``log pain 4`` at most 0.5 s. ``--record`` writes the table into
bench/RESULTS.md under "## Start-up" (other sections untouched).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Start-up"
TARGETS = {"--version": 0.15, "--help": 0.15, "log pain 4": 0.5}

Command = tuple[list[str], dict[str, str]]


def speciosa_command() -> list[str]:
    """The installed console script, as a person runs it (or its equivalent)."""
    script = Path(sys.executable).with_name("speciosa")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from speciosa.cli.app import main; sys.exit(main())"]


def cpu_seconds(command: Command) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one process running ``command`` to the end."""
    argv, env = command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    begin = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - begin
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def demo_journal(path: Path, days: int, env: dict[str, str]) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [*speciosa_command(), "--db", str(path), "demo", "--days", str(days)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def speciosa_rows(
    label: str, env: dict[str, str], journal: Path, folder: Path, days: int
) -> dict[str, Command]:
    """The three measured commands of one version of the code, on a copy of its journal."""
    demo_journal(journal, days, env)
    copy = folder / f"logging-{journal.stem}.sqlite"
    shutil.copy(journal, copy)  # the runs' pain entries go to a copy
    speciosa = speciosa_command()
    return {
        f"speciosa --version{label}": ([*speciosa, "--version"], env),
        f"speciosa --help{label}": ([*speciosa, "--help"], env),
        f"speciosa log pain 4{label}": ([*speciosa, "--db", str(copy), "log", "pain", "4"], env),
    }


def run(runs: int, days: int, journal: Path | None, compare: Path | None) -> tuple[str, bool]:
    # The default journal and bytecode written as usual: as a person's shell runs it.
    unset = {"SPECIOSA_DATABASE_URL", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    folder = Path(tempfile.mkdtemp(prefix="speciosa-startup-bench-"))
    source = journal or folder / "journal.sqlite"
    commands: dict[str, Command] = {
        "python -c pass (floor)": ([sys.executable, "-c", "pass"], env),
        'python -c "import typer"': ([sys.executable, "-c", "import typer"], env),
        'python -c "import sqlalchemy"': ([sys.executable, "-c", "import sqlalchemy"], env),
    }
    if compare is not None:  # its own journal: an older schema may not open a newer one
        older = env | {"PYTHONPATH": str(compare.resolve())}
        commands |= speciosa_rows(
            " (compared)", older, source.with_name(f"{source.stem}-compared.sqlite"), folder, days
        )
    commands |= speciosa_rows("", env, source, folder, days)
    for command in commands.values():  # warm the file cache and the bytecode; migrate
        cpu_seconds(command)
    load_before = os.getloadavg()
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # interleaved, so a busy moment touches every row alike
        for name, command in commands.items():
            c, w = cpu_seconds(command)
            cpu[name].append(c)
            wall[name].append(w)
    load_after = os.getloadavg()
    shutil.rmtree(folder, ignore_errors=True)
    return _table(cpu, wall, runs, days, compare, load_before, load_after)


def _table(
    cpu: dict[str, list[float]],
    wall: dict[str, list[float]],
    runs: int,
    days: int,
    compare: Path | None,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> tuple[str, bool]:
    compared = "" if compare is None else f" --compare {compare}"
    lines = [
        f"`.venv/bin/python bench/startup_bench.py --runs {runs} --days {days}{compared}` on "
        f"{platform.machine()}, {os.cpu_count()} cores (shared), Python "
        f"{platform.python_version()}; load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after. Whole processes, CPU = user + system "
        "(getrusage of the children), median and min of the runs, interleaved; wall time "
        "for reference only.",
        "",
        "| command | CPU median s | CPU min s | wall median s | × import sqlalchemy | target |",
        "|---|---|---|---|---|---|",
    ]
    ok = True
    floor = statistics.median(cpu['python -c "import sqlalchemy"'])
    for name in cpu:
        median = statistics.median(cpu[name])
        target = TARGETS.get(name.removeprefix("speciosa "))
        verdict = ""
        if target is not None:
            met = median <= target
            ok = ok and met
            verdict = f"≤ {target:g} s CPU: {'met' if met else 'NOT MET'}"
        lines.append(
            f"| {name} | {median:.3f} | {min(cpu[name]):.3f} | "
            f"{statistics.median(wall[name]):.3f} | {median / floor:.2f} | {verdict} |"
        )
    return "\n".join(lines), ok


def record(body: str, path: Path = RESULTS) -> None:
    """Replace (or add) the "## Start-up" section of RESULTS.md, leaving the others alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{SECTION}\n\n{body.strip()}\n"
    if SECTION in text:
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        end = len(text) if following == -1 else following + 1
        text = text[:start] + block + ("\n" + text[end:] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--days", type=int, default=1825)
    parser.add_argument("--journal", type=Path, help="demo journal to reuse (made if missing)")
    parser.add_argument("--compare", type=Path, help="another version's src directory")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    body, ok = run(args.runs, args.days, args.journal, args.compare)
    sys.stdout.write(body + "\n")
    if args.record:
        record(body)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
