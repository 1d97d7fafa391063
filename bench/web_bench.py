"""Web speed on a simulated 5-year journal: logging a dose and the Today page, measured
against a bare FastAPI endpoint in the same run, on the same machine.

    .venv/bin/python bench/web_bench.py [--days 1826] [--requests 400] [--after-log 60] [--record]

Each server runs in its own process (uvicorn, loopback only); one client sends requests
one after another over a kept-alive connection, so the numbers are per-request latency
and the throughput of one client. Targets: Today p95 under 50 ms; logging a dose at
least 40% of the bare endpoint's requests per second; Today right after a log (alerts
recomputed) at most twice the cached Today's p95. ``--record`` writes the table into
bench/RESULTS.md under "## Web" (other sections untouched).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Web"
TODAY_P95_MS = 50.0
LOG_SHARE_OF_BARE = 0.40
# The server timed around single doses recomputes insights at most this often (its
# SPECIOSA_INSIGHTS_EVERY_SECONDS), so that waiting between doses stays short.
AFTER_LOG_SPACING = 2.0
AFTER_LOG_OVER_CACHED = 2.0  # Today right after a log, p95, over the cached Today's p95
WARMUP = 20


def bare_app() -> object:
    """The baseline: FastAPI with one JSON endpoint and nothing else."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


def fill_journal(url: str, days: int) -> int:
    """A simulated person's whole journal, up to now (as ``speciosa demo`` writes it)."""
    from speciosa.journal import clock
    from speciosa.journal.catalogues import Condition
    from speciosa.simulate import DEMO_EFFECTS, simulate_journal
    from speciosa.store.database import open_database
    from speciosa.store.journal_store import JournalStore, owner_id

    now = datetime.now(UTC).replace(microsecond=0)
    journal = simulate_journal(
        condition=Condition.FIBROMYALGIA,
        days=days,
        seed=5,
        end=clock.journal_day(now, "UTC"),
        zone="UTC",
        effects=DEMO_EFFECTS,
    )
    database = open_database(url)
    with database.transaction() as session:
        store = JournalStore(session, owner_id(session, now=now))
        store.save_profile(journal.profile, now=now)
        for product in journal.products:
            store.add_product(product, now=now)
        entries = [e for e in journal.entries if _latest(e) <= now]
        count = store.add_entries(entries, now=now, source="bench")
    database.close()
    return count


def _latest(entry: object) -> datetime:
    instants = [getattr(entry, name, None) for name in ("at", "out_of_bed", "end")]
    return max(i for i in instants if i is not None)


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(target: str, port: int, env: dict[str, str], factory: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", target, "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"] + (["--factory"] if factory else [])
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).parent)
    # Generous: the first Today on a 5-year journal is cold, and other work may share the CPU.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=30)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"{target} did not start")


def measure(
    call: Callable[[], httpx.Response],
    count: int,
    before: Callable[[], httpx.Response] | None = None,
) -> dict[str, float]:
    """Latency percentiles and requests/s of ``call`` (``before`` runs untimed each time)."""
    for _ in range(WARMUP):
        call().raise_for_status()
    timings = []
    for _ in range(count):
        if before is not None:
            before().raise_for_status()
        timings.append(_timed(call))
    return _stats(timings)


def measure_after_log(
    client: httpx.Client, count: int, server: subprocess.Popen[bytes]
) -> dict[str, dict[str, float]]:
    """Today timed right after a new dose (its alerts recomputed), then again at once (its
    alerts kept), for ``count`` doses. Each dose is deleted afterwards, untimed, so the day
    stays one a person could have and both timings see the same journal; then the server
    is left to finish what a write starts in the background (the insights) before the
    next dose, as when a person logs one entry and looks at Today."""
    for _ in range(WARMUP):
        client.get("/").raise_for_status()
    after, kept = [], []
    for _ in range(count):
        # The insights after the last write run at most every AFTER_LOG_SPACING seconds
        # per person (that server's setting): wait that long, then for the server to go
        # quiet, so that this dose's Today is not timed against the previous dose's
        # background work.
        time.sleep(AFTER_LOG_SPACING)
        _until_idle(server.pid)
        created = client.post("/api/v1/entries", json=DOSE)
        created.raise_for_status()
        after.append(_timed(lambda: client.get("/")))
        kept.append(_timed(lambda: client.get("/")))
        # API writes carry JSON's content type (the app's CSRF rule), even without a body.
        gone = f"/api/v1/entries/{created.json()['id']}"
        client.delete(gone, headers={"content-type": "application/json"}).raise_for_status()
    return {AFTER_LOG: _stats(after), KEPT: _stats(kept)}


def _until_idle(pid: int, quiet: float = 0.2, limit: float = 30.0) -> None:
    """Wait until process ``pid`` has used no CPU for ``quiet`` seconds (at most ``limit``)."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():  # not Linux: a pause long enough for the insights of a 5-year journal
        time.sleep(2.0)
        return
    deadline = time.monotonic() + limit

    def cpu() -> int:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks

    used = cpu()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now_used = cpu()
        if now_used == used:
            return
        used = now_used


def _timed(call: Callable[[], httpx.Response]) -> float:
    begin = time.perf_counter()
    call().raise_for_status()
    return (time.perf_counter() - begin) * 1000


def _stats(timings: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(timings, n=100)
    return {
        "rps": 1000 * len(timings) / sum(timings),
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


def best_of(
    rounds: int, workloads: dict[str, Callable[[], dict[str, float]]]
) -> dict[str, dict[str, float]]:
    """Each workload ``rounds`` times, interleaved, keeping its fastest round: other
    processes on a shared 2-core machine only ever slow a round down."""
    best: dict[str, dict[str, float]] = {}
    for _ in range(rounds):
        for name, workload in workloads.items():
            result = workload()
            if name not in best or result["rps"] > best[name]["rps"]:
                best[name] = result
    return best


AFTER_LOG = "Today page right after a new dose (alerts recomputed)"
KEPT = "Today page again at once, same journal (alerts kept)"
DOSE = {"kind": "dose", "amount": "0.5g"}


def run(days: int, count: int, after_count: int) -> tuple[str, bool]:
    load_before = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="speciosa-web-bench-"))
    url = f"sqlite:///{folder / 'journal.sqlite'}"
    entries = fill_journal(url, days)
    # Logging goes to copies of the journal, so that the hundreds of doses it adds do not
    # make the Today being measured a day no person has: one copy takes the bare logging
    # requests, the other the paired Todays around a dose (measure_after_log).
    copies = {name: folder / f"{name}.sqlite" for name in ("logging", "after")}
    for copy in copies.values():
        shutil.copy(folder / "journal.sqlite", copy)
    env = os.environ | {"SPECIOSA_DATABASE_URL": url}
    app_port, log_port, after_port, bare_port = _port(), _port(), _port(), _port()
    servers = [
        _start("speciosa.web.app:create_app", app_port, env, factory=True),
        *(
            _start(
                "speciosa.web.app:create_app",
                port,
                os.environ
                | {
                    "SPECIOSA_DATABASE_URL": f"sqlite:///{copies[name]}",
                    "SPECIOSA_INSIGHTS_EVERY_SECONDS": str(AFTER_LOG_SPACING),
                },
                factory=True,
            )
            for name, port in (("logging", log_port), ("after", after_port))
        ),
        _start("web_bench:bare_app", bare_port, env, factory=True),
    ]
    try:
        with (
            httpx.Client(base_url=f"http://127.0.0.1:{app_port}") as app,
            httpx.Client(base_url=f"http://127.0.0.1:{bare_port}") as bare,
            httpx.Client(base_url=f"http://127.0.0.1:{log_port}") as logger,
            httpx.Client(base_url=f"http://127.0.0.1:{after_port}") as after,
        ):

            def log() -> httpx.Response:
                return logger.post("/api/v1/entries", json=DOSE)

            results = best_of(
                3,
                {
                    "bare FastAPI endpoint (GET /ping)": lambda: measure(
                        lambda: bare.get("/ping"), count
                    ),
                    "log a dose (POST /api/v1/entries)": lambda: measure(log, count),
                    "Today page (GET /)": lambda: measure(lambda: app.get("/"), count),
                    "Today as JSON (GET /api/v1/today)": lambda: measure(
                        lambda: app.get("/api/v1/today"), count
                    ),
                },
            )
            # Today just after a log and the kept Today, paired on one journal; the round
            # with the fastest after-log Todays, as for the rows above.
            after_server = servers[2]  # app, logging, after, bare
            rounds = [measure_after_log(after, after_count, after_server) for _ in range(3)]
            results.update(max(rounds, key=lambda r: r[AFTER_LOG]["rps"]))
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    load = (load_before, os.getloadavg())
    return _table(results, days, entries, (count, after_count), load)


def _table(
    results: dict[str, dict[str, float]],
    days: int,
    entries: int,
    counts: tuple[int, int],
    load: tuple[tuple[float, ...], tuple[float, ...]],
) -> tuple[str, bool]:
    bare_rps = results["bare FastAPI endpoint (GET /ping)"]["rps"]
    share = results["log a dose (POST /api/v1/entries)"]["rps"] / bare_rps
    today_p95 = results["Today page (GET /)"]["p95"]
    after_ratio = results[AFTER_LOG]["p95"] / results[KEPT]["p95"]
    ok = (
        today_p95 < TODAY_P95_MS
        and share >= LOG_SHARE_OF_BARE
        and after_ratio <= AFTER_LOG_OVER_CACHED
    )
    count, after_count = counts
    lines = [
        f"`.venv/bin/python bench/web_bench.py --days {days} --requests {count} "
        f"--after-log {after_count}` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite; 1-minute load average "
        f"{load[0][0]:.1f} at the start, {load[1][0]:.1f} at the end; "
        f"simulated journal of {days} days ({entries} entries); one client, sequential, "
        "kept-alive connection over loopback, after a warm-up; best of 3 interleaved rounds. "
        "Today keeps its safety alerts until the journal changes (or for 60 s). The last two "
        "rows are paired on a copy of the journal: a new dose (untimed), Today (its alerts "
        "over the rules' 127-day window recomputed: what a person sees just after logging), "
        "Today again (alerts kept), then the dose deleted (untimed); best of 3 rounds.",
        "",
        "| request | requests/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} |"
        )
    lines += [
        "",
        f"Targets: Today p95 under {TODAY_P95_MS:.0f} ms (measured {today_p95:.1f} ms); logging "
        f"at least {LOG_SHARE_OF_BARE:.0%} of the bare endpoint's requests/s "
        f"(measured {share:.0%}); Today right after a log at most "
        f"{AFTER_LOG_OVER_CACHED:g}x the kept Today's p95 on the same journal (measured "
        f"{results[AFTER_LOG]['p95']:.1f} ms against {results[KEPT]['p95']:.1f} ms, "
        f"{after_ratio:.2f}x; p50 {results[AFTER_LOG]['p50']:.1f} against "
        f"{results[KEPT]['p50']:.1f} ms). "
        f"{'All met.' if ok else 'NOT MET.'}",
    ]
    return "\n".join(lines), ok


def record(body: str, path: Path = RESULTS) -> None:
    """Replace (or add) the "## Web" section of RESULTS.md, leaving the others alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    block = f"{SECTION}\n\n{body.strip()}\n"
    # The heading on a line of its own: other sections mention "## Web" in their text.
    heading = f"\n{SECTION}\n"
    if heading in text:
        start = text.index(heading) + 1
        following = text.find("\n## ", start + len(SECTION))
        end = len(text) if following == -1 else following + 1
        text = text[:start] + block + ("\n" + text[end:] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1826)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--after-log", type=int, default=60, help="Todays timed after a log")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    body, ok = run(args.days, args.requests, args.after_log)
    sys.stdout.write(body + "\n")
    if args.record:
        record(body)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
