"""Web speed on a simulated 5-year journal: logging a dose and the Today page, measured
against a bare FastAPI endpoint in the same run, on the same machine.

    .venv/bin/python bench/web_bench.py [--days 1826] [--requests 400] [--record]

Each server runs in its own process (uvicorn, loopback only); one client sends requests
one after another over a kept-alive connection, so the numbers are per-request latency
and the throughput of one client. Targets: Today p95 under 50 ms; logging a dose at
least 40% of the bare endpoint's requests per second. ``--record`` writes the table into
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
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
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
        begin = time.perf_counter()
        call().raise_for_status()
        timings.append((time.perf_counter() - begin) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    return {"rps": 1000 * count / sum(timings), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}


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


def run(days: int, count: int) -> tuple[str, bool]:
    folder = Path(tempfile.mkdtemp(prefix="speciosa-web-bench-"))
    url = f"sqlite:///{folder / 'journal.sqlite'}"
    entries = fill_journal(url, days)
    # Logging goes to a copy of the journal, so that the hundreds of doses it adds do not
    # make the Today being measured a day no person has.
    copy = folder / "logging.sqlite"
    shutil.copy(folder / "journal.sqlite", copy)
    env = os.environ | {"SPECIOSA_DATABASE_URL": url}
    app_port, log_port, bare_port = _port(), _port(), _port()
    servers = [
        _start("speciosa.web.app:create_app", app_port, env, factory=True),
        _start(
            "speciosa.web.app:create_app",
            log_port,
            os.environ | {"SPECIOSA_DATABASE_URL": f"sqlite:///{copy}"},
            factory=True,
        ),
        _start("web_bench:bare_app", bare_port, env, factory=True),
    ]
    try:
        with (
            httpx.Client(base_url=f"http://127.0.0.1:{app_port}") as app,
            httpx.Client(base_url=f"http://127.0.0.1:{bare_port}") as bare,
            httpx.Client(base_url=f"http://127.0.0.1:{log_port}") as logger,
        ):
            dose = {"kind": "dose", "amount": "0.5g"}

            def log() -> httpx.Response:
                return logger.post("/api/v1/entries", json=dose)

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
            # Last, on the measured journal: a day of 30 more doses, each followed by Today.
            results["Today page right after a new dose (alerts recomputed)"] = measure(
                lambda: app.get("/"),
                30,
                before=lambda: app.post("/api/v1/entries", json=dose),
            )
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    return _table(results, days, entries, count)


def _table(
    results: dict[str, dict[str, float]], days: int, entries: int, count: int
) -> tuple[str, bool]:
    bare_rps = results["bare FastAPI endpoint (GET /ping)"]["rps"]
    share = results["log a dose (POST /api/v1/entries)"]["rps"] / bare_rps
    today_p95 = results["Today page (GET /)"]["p95"]
    ok = today_p95 < TODAY_P95_MS and share >= LOG_SHARE_OF_BARE
    lines = [
        f"`.venv/bin/python bench/web_bench.py --days {days} --requests {count}` on "
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite; "
        f"simulated journal of {days} days ({entries} entries); one client, sequential, "
        "kept-alive connection over loopback, after a warm-up; best of 3 interleaved rounds. "
        "Today keeps its safety alerts until the journal changes (or for 60 s); the last row "
        "is the page a person sees just after logging, when the alerts over the rules' "
        "127-day window are recomputed.",
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
        f"(measured {share:.0%}). {'Both met.' if ok else 'NOT MET.'}",
    ]
    return "\n".join(lines), ok


def record(body: str, path: Path = RESULTS) -> None:
    """Replace (or add) the "## Web" section of RESULTS.md, leaving the others alone."""
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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1826)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    body, ok = run(args.days, args.requests)
    sys.stdout.write(body + "\n")
    if args.record:
        record(body)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
