"""Insights speed on a simulated 5-year journal: frame load and all analyses, timed apart;
with ``--pages``, the Insights page of a real server beside its floors in the same run.

    .venv/bin/python bench/insights_bench.py [--days 1826] [--repeat 5] [--cold] [--pages]
        [--record]

Targets: all analyses under 1 s on the 2-core reference machine; the page (issue 16) warm
under 150 ms, cold (first view after the server starts, nothing stored) under 1 s, and
right after a write never longer than the cold target (the worker recomputes; the page
waits at most 0.6 s, then shows the last answers marked "updating"). Floors: a bare
FastAPI endpoint and the cached Today page, in the same run. ``--record`` writes the
figures into bench/RESULTS.md under "## Insights" / "### Speed" and "### Page speed".
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from speciosa.insights import analyse, daily_frame
from speciosa.journal.catalogues import Condition
from speciosa.simulate import DEMO_EFFECTS, simulate_journal

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Insights"
TARGET_SECONDS = 1.0


def write_subsection(
    title: str, body: str, path: Path = RESULTS, section_title: str = SECTION
) -> None:
    """Replace (or add) ``### title`` inside ``section_title`` (default: the Insights
    section) of RESULTS.md; every other subsection and section stays as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if section_title not in text:
        text = text.rstrip("\n") + f"\n\n{section_title}\n"
    start = text.index(section_title) + len(section_title)
    following = text.find("\n## ", start)
    end = len(text) if following == -1 else following + 1
    section = text[start:end]
    heading = f"\n### {title}\n"
    block = f"{heading}\n{body.strip()}\n"
    if heading in section:
        s = section.index(heading)
        nxt = section.find("\n### ", s + len(heading))
        section = section[:s] + block + ("" if nxt == -1 else section[nxt:])
    else:
        section = section.rstrip("\n") + "\n" + block
    text = (
        text[:start]
        + section.rstrip("\n")
        + "\n"
        + ("" if following == -1 else "\n" + text[end:].lstrip("\n"))
    )
    path.write_text(text, encoding="utf-8")


WARM_TARGET_MS = 150.0
# Seconds between a server's start and its first Insights view ("cold": nothing stored).
SETTLE_SECONDS = 5.0
COLD_TARGET_MS = 1000.0


def _ms(timings: list[float]) -> str:
    cuts = statistics.quantiles(timings, n=20) if len(timings) > 1 else timings * 19
    return f"p50 {statistics.median(timings):.1f} ms, p95 {cuts[18]:.1f} ms"


def _timed(call: Callable[[], httpx.Response]) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed, response


def _start(target: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """uvicorn serving ``target`` (a factory) on loopback; waits until it answers."""
    command = [sys.executable, "-m", "uvicorn", target, "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--log-level", "warning", "--no-access-log"]
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parent)
    deadline = time.monotonic() + 180  # a busy shared machine starts slowly
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/ping", timeout=5)
            return process
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def cold_compute(url: str, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of the whole answer with nothing stored (a fresh application
    each time, modules already imported): what a view pays when no stored answer exists."""
    from speciosa.app import Speciosa
    from speciosa.app.insights import insights, load_modules

    load_modules()
    wall, cpu = [], []
    for _ in range(repeat):
        app = Speciosa.open(url)
        started, started_cpu = time.perf_counter(), time.process_time()
        with app.journal() as journal:
            insights(journal, last_days=90)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
        app.close()
    return wall, cpu


def _raw_rows(path: Path) -> float:
    """CPU seconds to fetch every live entry row with sqlite3, decoding nothing: the floor
    under reading the entries."""
    import sqlite3

    started = time.process_time()
    with sqlite3.connect(path) as connection:
        connection.execute(
            "SELECT id, uid, kind, at, zone, note, product_id, grams, data, source, "
            "source_key, created_at, updated_at, deleted_at FROM entries "
            "WHERE deleted_at IS NULL ORDER BY at, id"
        ).fetchall()
    return time.process_time() - started


def _read_as_before(journal: Any) -> float:
    """CPU seconds to read every live entry the way the store did before issue 16: ORM
    objects, then every field of every entry and its envelope validated."""
    from sqlalchemy import select

    from speciosa.journal.models import StoredEntry, entry_from_dict
    from speciosa.store.tables import EntryRow

    store = journal.store
    started = time.process_time()
    names = store._names_by_id()
    query = select(EntryRow).where(EntryRow.owner_id == store.owner, EntryRow.deleted_at.is_(None))
    for row in store.session.scalars(query.order_by(EntryRow.at, EntryRow.id)):
        fields = {**row.data, "kind": row.kind, "at": row.at, "zone": row.zone, "note": row.note}
        if row.kind == "dose":
            fields["grams"] = row.grams
            fields["product"] = None if row.product_id is None else names[row.product_id]
        StoredEntry(
            id=row.id,
            uid=row.uid,
            source=row.source,
            source_key=row.source_key,
            created_at=row.created_at,
            updated_at=row.updated_at,
            entry=entry_from_dict(fields),
            deleted_at=row.deleted_at,
        )
    return time.process_time() - started


def cold(days: int, repeat: int) -> list[str]:
    """Insights with nothing stored (issue 16: under 1 s CPU on a 5-year journal), in one
    process with the modules imported, and its parts, beside the raw rows as a floor."""
    from web_bench import fill_journal

    from speciosa.app import Speciosa
    from speciosa.app.insights import device_values, load_modules

    load_modules()
    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="speciosa-insights-cold-"))
    url = f"sqlite:///{folder / 'journal.sqlite'}"
    entries = fill_journal(url, days)
    wall, cpu = cold_compute(url, repeat)
    reads, frames, answers, raw, before = [], [], [], [], []
    for _ in range(repeat):
        app = Speciosa.open(url)  # a fresh application: nothing kept from the last round
        with app.journal() as journal:
            started = time.process_time()
            stored = journal.store.entries()
            reads.append(time.process_time() - started)
            started = time.process_time()
            frame = daily_frame(stored, journal.profile, device=device_values(journal, stored))
            frames.append(time.process_time() - started)
            started = time.process_time()
            analyse(frame, journal.profile)
            answers.append(time.process_time() - started)
        app.close()
        app = Speciosa.open(url)
        with app.journal() as journal:
            before.append(_read_as_before(journal))
        app.close()
        raw.append(_raw_rows(folder / "journal.sqlite"))
    load_after = os.getloadavg()
    median_cpu = statistics.median(cpu)
    return [
        f"cold insights (nothing stored; fresh application, modules imported; {entries} "
        f"entries over {days} days): median {median_cpu:.3f} s CPU (min {min(cpu):.3f}), "
        f"{statistics.median(wall):.3f} s wall; target < {COLD_TARGET_MS / 1000:g} s: "
        f"{'met' if median_cpu * 1000 < COLD_TARGET_MS else 'NOT met'}",
        f"  read every entry (store.entries): median {statistics.median(reads):.3f} s CPU "
        f"(min {min(reads):.3f}); floor, the same rows fetched by sqlite3 undecoded: "
        f"{statistics.median(raw):.3f} s; read as before issue 16 (ORM objects, every "
        f"field validated), same run: {statistics.median(before):.3f} s",
        f"  daily frame {statistics.median(frames):.3f} s, analyses "
        f"{statistics.median(answers):.3f} s (CPU medians)",
        f"  load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
    ]


def pages(days: int, repeat: int) -> list[str]:
    """The Insights page served by uvicorn, cold, warm and just after a write, beside a
    bare FastAPI endpoint and the cached Today page measured in the same run."""
    from web_bench import _port, fill_journal

    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="speciosa-insights-bench-"))
    url = f"sqlite:///{folder / 'journal.sqlite'}"
    entries = fill_journal(url, days)
    env = os.environ | {"SPECIOSA_DATABASE_URL": url}
    computed = cold_compute(url, repeat)
    bare_port = _port()
    bare = _start("web_bench:bare_app", bare_port, env)
    cold: list[float] = []
    warm: list[float] = []
    after: list[float] = []
    today: list[float] = []
    floor: list[float] = []
    updating = 0
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{bare_port}") as client:
            floor = [_timed(lambda: client.get("/ping"))[0] for _ in range(200)][20:]
        for _ in range(repeat):  # a new server each time: nothing stored yet
            port = _port()
            server = _start("speciosa.web.app:create_app", port, env)
            try:
                time.sleep(SETTLE_SECONDS)  # the worker's start-up work
                with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as app:
                    cold.append(_timed(lambda: app.get("/insights"))[0])
                    for _ in range(3):
                        app.get("/")  # Today's alerts stored, as a person's visit does
                    today += [_timed(lambda: app.get("/"))[0] for _ in range(20)]
                    warm += [_timed(lambda: app.get("/insights"))[0] for _ in range(20)]
                    for _ in range(5):  # log, then open Insights at once (the worst case)
                        app.post("/api/v1/entries", json={"kind": "pain", "score": 4})
                        elapsed, page = _timed(lambda: app.get("/insights"))
                        after.append(elapsed)
                        updating += 'id="insights-updating"' in page.text
                        time.sleep(2)  # let the worker finish before the next write
            finally:
                server.terminate()
                server.wait(timeout=10)
    finally:
        bare.terminate()
        bare.wait(timeout=10)
    load_after = os.getloadavg()
    warm_p50, cold_p50 = statistics.median(warm), statistics.median(cold)
    return [
        f"journal: {days} days, {entries} entries; uvicorn on loopback, one client; "
        f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
        f"floor, bare FastAPI endpoint: {_ms(floor)}",
        f"floor, cached Today page: {_ms(today)}",
        f"Insights warm (stored answers): {_ms(warm)} = {warm_p50 / statistics.median(today):.1f}x "
        f"the cached Today; target < {WARM_TARGET_MS:g} ms: "
        f"{'met' if warm_p50 < WARM_TARGET_MS else 'NOT met'}",
        f"Insights, first view {SETTLE_SECONDS:g} s after the server started (the worker "
        f"works the answers out at start-up), {repeat} servers: median {cold_p50:.0f} ms "
        f"(min {min(cold):.0f}, max {max(cold):.0f})",
        f"Insights cold (nothing stored: entries read, frame, analyses, charts; in-process, "
        f"{repeat} runs): median {statistics.median(computed[0]) * 1000:.0f} ms wall, "
        f"{statistics.median(computed[1]) * 1000:.0f} ms CPU; target < {COLD_TARGET_MS:g} ms: "
        f"{'met' if statistics.median(computed[0]) * 1000 < COLD_TARGET_MS else 'NOT met'}",
        f"Insights just after logging (worker recomputing): {_ms(after)}, max {max(after):.0f} ms; "
        f"{updating} of {len(after)} showed the last answers marked updating; target: never over "
        f"{COLD_TARGET_MS:g} ms: {'met' if max(after) < COLD_TARGET_MS else 'NOT met'}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1826)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="also time the served page")
    parser.add_argument("--record", action="store_true", help="write bench/RESULTS.md")
    parser.add_argument(
        "--cold", action="store_true", help="also time insights with nothing stored"
    )
    args = parser.parse_args()

    journal = simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=args.days,
        seed=1,
        end=date(2026, 3, 31),
        effects=DEMO_EFFECTS,
    )
    frame_times, analysis_times = [], []
    for _ in range(args.repeat):
        started = time.perf_counter()
        frame = daily_frame(journal.entries, journal.profile)
        frame_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = analyse(frame, journal.profile)
        analysis_times.append(time.perf_counter() - started)
    answered = sum(e.enough_data for e in report.effects)
    lines = [
        f"journal: {args.days} days, {len(journal.entries)} entries, fibromyalgia, demo effects",
        f"load the daily frame: median {statistics.median(frame_times):.3f} s "
        f"(min {min(frame_times):.3f} s, {args.repeat} runs)",
        f"all analyses ({len(report.effects)} results, {answered} answered): median "
        f"{statistics.median(analysis_times):.3f} s (min {min(analysis_times):.3f} s); "
        f"target < {TARGET_SECONDS:g} s: "
        f"{'met' if statistics.median(analysis_times) < TARGET_SECONDS else 'NOT met'}",
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
    ]
    if args.cold:
        lines[-1:-1] = cold(args.days, args.repeat)
    print("\n".join(lines))
    if args.record:
        command = (
            f"`.venv/bin/python bench/insights_bench.py --days {args.days} "
            f"--repeat {args.repeat}{' --cold' if args.cold else ''} --record`"
        )
        items = [f"  - {line.strip()}" if line.startswith("  ") else f"- {line}" for line in lines]
        write_subsection("Speed", command + "\n\n" + "\n".join(items))
    if args.pages:
        served = pages(args.days, args.repeat)
        print("\n".join(served))
        if args.record:
            command = (
                f"`.venv/bin/python bench/insights_bench.py --days {args.days} "
                f"--repeat {args.repeat} --pages --record`"
            )
            body = "\n".join(f"- {line}" for line in [*served, lines[-1]])
            write_subsection("Page speed", command + "\n\n" + body)


if __name__ == "__main__":
    main()
