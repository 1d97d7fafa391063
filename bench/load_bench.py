"""Load: many people signed in at once on one server over PostgreSQL, with 1 and 2
workers, beside a bare FastAPI endpoint measured in the same run.

    .venv/bin/python bench/load_bench.py [--users 8] [--duration 30] [--workers 1,2]
        [--rounds 1] [--think 0] [--insights-every 5] [--nodelay] [--record]

Each configuration gets a fresh PostgreSQL database (127.0.0.1:5432, user postgres, trust;
dropped afterwards) and its own ``speciosa serve --multi-user`` process. The accounts are
created first; then locust (as a library, in a child process running gevent, so the load
costs one core at most) starts the simulated people together. Each signs in, then loops:
log a dose, log pain (every fourth time a night's sleep instead), open the Today page and,
every ``--insights-every`` rounds, the Insights page, until the time is up; each finishes
its round's request before stopping, so every write has an answer.

Afterwards the rows in the database are counted per person and compared with the writes
the server acknowledged (each 201 and the id it gave): a lost write is an acknowledged id
that is not stored. Requests per second count the measured window only (from the last
sign-in to the end). ``--record`` writes the table at the end of bench/RESULTS.md under
"## Load (issue 14)" (other sections untouched).

Targets (issue 14, point 13), on 2 workers: at least 300 requests/s, p95 under 50 ms for
every request kind, no errors, no lost writes, and faster than 1 worker.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).with_name("RESULTS.md")
SECTION = "## Load (issue 14)"
NOTES = "### What limits it"  # written by hand below the figures; --record keeps it
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
TARGET_RPS = 300.0
TARGET_P95_MS = 50.0
SIGN_IN = "sign in (POST /api/v1/session)"
DOSE = "log a dose (POST /api/v1/entries)"
PAIN = "log pain (POST /api/v1/entries)"
SLEEP = "log sleep (POST /api/v1/entries)"
TODAY = "Today page (GET /)"
INSIGHTS = "Insights page (GET /insights)"
PING = "bare endpoint (GET /ping)"
WARM_ACCOUNTS = 4  # each on its own connection: the kernel spreads them over the workers
SIGNUP_LIMIT = 1000  # the most SPECIOSA_SIGNUPS_PER_ADDRESS allows
ORDER = (DOSE, PAIN, SLEEP, TODAY, INSIGHTS, SIGN_IN, PING)


def bare_app() -> object:
    """The floor: FastAPI with one JSON endpoint and nothing else (uvicorn --factory)."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, bool]:
        return {"ok": True}

    return app


# --------------------------------------------------------------------------- load (child)


def generate(args: argparse.Namespace) -> None:
    """The load generator (``--generate``): locust users against ``--host`` for
    ``--duration`` seconds; writes what it measured as JSON to ``--out``."""
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    accounts: list[dict[str, str]] = json.loads(Path(args.accounts).read_text())
    free = list(reversed(accounts))
    timings: dict[str, list[float]] = {}
    failures: dict[str, dict[str, int]] = {}
    acked: dict[str, list[int]] = {a["username"]: [] for a in accounts}
    counted: dict[str, int] = {}
    signed_in: list[float] = []
    deadline = [float("inf")]
    think = args.think
    every = args.insights_every

    def on_request(name: str, response_time: float, exception: Any, **_: Any) -> None:
        if exception is None:
            timings.setdefault(name, []).append(response_time)
            if len(signed_in) == args.users:  # in the window requests/s are counted over
                counted[name] = counted.get(name, 0) + 1
        else:  # "status 403" or the exception's class: never a body (health data)
            key = _reason(exception)
            bucket = failures.setdefault(name, {})
            bucket[key] = bucket.get(key, 0) + 1

    class Person(FastHttpUser):
        wait_time = constant(think)
        host = args.host

        def on_start(self) -> None:
            account = free.pop()
            self.username = account["username"]
            self.rounds = 0
            self.nights = 0
            body = {"username": account["username"], "password": account["password"]}
            with self.client.post(
                "/api/v1/session", json=body, name=SIGN_IN, catch_response=True
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"status {answer.status_code}")
                    raise StopUser()
                # The session cookie is Secure and __Host- (multi-user mode), which the
                # client's cookie jar does not send over plain http: sent by hand.
                cookies = answer.headers.getlist("set-cookie")
                self.headers = {"cookie": "; ".join(c.split(";")[0] for c in cookies)}
            signed_in.append(time.monotonic())

        @task
        def round_(self) -> None:
            self._write(DOSE, {"kind": "dose", "amount": "2g"})
            if self.rounds % 4 == 3:
                self._write(SLEEP, self._night())
            else:
                self._write(PAIN, {"kind": "pain", "score": 2 + self.rounds % 6})
            self._get("/", TODAY)
            if every and self.rounds % every == every - 1:
                self._get("/insights", INSIGHTS)
            self.rounds += 1

        def _write(self, name: str, body: dict[str, Any]) -> None:
            with self.client.post(
                "/api/v1/entries", json=body, name=name, headers=self.headers, catch_response=True
            ) as answer:
                if answer.status_code == 201:
                    acked[self.username].append(int(json.loads(answer.content)["id"]))
                else:
                    answer.failure(f"status {answer.status_code}")
            self._maybe_stop()

        def _get(self, path: str, name: str) -> None:
            with self.client.get(
                path, name=name, headers=self.headers, catch_response=True, allow_redirects=False
            ) as answer:
                if answer.status_code != 200:
                    answer.failure(f"status {answer.status_code}")
            self._maybe_stop()

        def _maybe_stop(self) -> None:
            if time.monotonic() >= deadline[0]:
                raise StopUser()

        def _night(self) -> dict[str, Any]:
            # A different past night each time (two nights back, so never in the future).
            self.nights += 1
            evening = datetime.now(UTC).date() - timedelta(days=1 + self.nights)
            bed = datetime(evening.year, evening.month, evening.day, 22, 30, tzinfo=UTC)

            def at(minutes: int) -> str:
                return (bed + timedelta(minutes=minutes)).isoformat()

            return {
                "kind": "sleep",
                "at": at(0),
                "tried_to_sleep": at(15),
                "minutes_to_fall_asleep": 20,
                "final_awakening": at(480),
                "out_of_bed": at(495),
                "quality": 3,
            }

    env = Environment(user_classes=[Person], host=args.host)
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    cpu_before = _own_cpu()
    started = time.monotonic()
    deadline[0] = started + args.duration
    runner.start(args.users, spawn_rate=args.users)
    while time.monotonic() < deadline[0] + 60:
        gevent.sleep(0.2)
        if time.monotonic() > deadline[0] and runner.user_count == 0:
            break
    ended = time.monotonic()
    runner.quit()
    window_start = max(signed_in) if len(signed_in) == args.users else started
    result = {
        "timings": timings,
        "failures": failures,
        "acked": acked,
        "counted": counted,
        "signed_in": len(signed_in),
        "window": ended - window_start,
        "cpu": _own_cpu() - cpu_before,
        "elapsed": ended - started,
    }
    Path(args.out).write_text(json.dumps(result))


def generate_ping(args: argparse.Namespace) -> None:
    """The floor's load (``--generate-ping``): the same number of users on GET /ping."""
    import gevent
    from locust import FastHttpUser, constant, task
    from locust.env import Environment
    from locust.exception import StopUser

    timings: dict[str, list[float]] = {}
    failures: dict[str, dict[str, int]] = {}
    deadline = [float("inf")]

    def on_request(name: str, response_time: float, exception: Any, **_: Any) -> None:
        if exception is None:
            timings.setdefault(name, []).append(response_time)
        else:
            bucket = failures.setdefault(name, {})
            key = _reason(exception)
            bucket[key] = bucket.get(key, 0) + 1

    class Pinger(FastHttpUser):
        wait_time = constant(args.think)
        host = args.host

        @task
        def ping(self) -> None:
            self.client.get("/ping", name=PING)
            if time.monotonic() >= deadline[0]:
                raise StopUser()

    env = Environment(user_classes=[Pinger], host=args.host)
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    cpu_before = _own_cpu()
    started = time.monotonic()
    deadline[0] = started + args.duration
    runner.start(args.users, spawn_rate=args.users)
    while time.monotonic() < deadline[0] + 30:
        gevent.sleep(0.2)
        if time.monotonic() > deadline[0] and runner.user_count == 0:
            break
    ended = time.monotonic()
    runner.quit()
    result = {
        "timings": timings,
        "failures": failures,
        "acked": {},
        "counted": {name: len(values) for name, values in timings.items()},
        "signed_in": 0,
        "window": ended - started,
        "cpu": _own_cpu() - cpu_before,
        "elapsed": ended - started,
    }
    Path(args.out).write_text(json.dumps(result))


def _reason(exception: BaseException) -> str:
    """A failure's kind: this file's own "status 403", else the exception's class only
    (its message might quote an answer)."""
    from locust.exception import CatchResponseError

    if isinstance(exception, CatchResponseError):
        return str(exception)
    return type(exception).__name__


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --------------------------------------------------------------------------- orchestration


@dataclass
class Outcome:
    """One configuration's run: timings per request kind, errors, rows, CPU."""

    label: str
    workers: int
    timings: dict[str, list[float]]  # every answer's, for the percentiles
    counted: dict[str, int]  # answers in the window, for requests/s
    failures: dict[str, dict[str, int]]
    window: float
    load_cpu: float
    used: Meter
    variant: str = ""  # "nodelay": the diagnosis run (serve_nodelay)
    acked: int = 0
    stored: int = 0
    lost: int = 0
    unacked_stored: int = 0
    notes: list[str] = field(default_factory=list)

    def requests(self, name: str | None = None) -> int:
        """Requests answered in the window (after everyone had signed in)."""
        names = [name] if name else [n for n in self.counted if n != SIGN_IN]
        return sum(self.counted.get(n, 0) for n in names)

    def errors(self) -> int:
        return sum(sum(kinds.values()) for kinds in self.failures.values())

    def rps(self, name: str | None = None) -> float:
        return self.requests(name) / self.window if self.window else 0.0

    def all_timings(self) -> list[float]:
        return [t for n, ts in self.timings.items() if n != SIGN_IN for t in ts]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _executable(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _admin() -> Any:
    import psycopg

    return psycopg.connect(ADMIN_URL, autocommit=True)


def create_database() -> str:
    name = f"speciosa_load_{os.getpid()}_{secrets.token_hex(3)}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def drop_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_ready(url: str, process: subprocess.Popen[bytes], limit: float = 90.0) -> None:
    import httpx

    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at start-up (exit {process.returncode})")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer {url} within {limit:.0f} s")


def _tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its children, living ones only."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        with contextlib.suppress(psutil.NoSuchProcess):
            times = process.cpu_times()
            total += times.user + times.system
    return total


def _postgres_cpu() -> float:
    """CPU seconds of PostgreSQL on this machine, every database (the server is shared):
    its living processes, plus the backends that have exited (counted in the postmaster's
    children's times once reaped, whole lives, so slightly over the window)."""
    import psutil

    total = 0.0
    for process in psutil.process_iter(["name", "ppid"]):
        if process.info["name"] not in ("postgres", "postmaster"):
            continue
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            times = process.cpu_times()
            total += times.user + times.system
            if process.info["ppid"] in (0, 1) or process.parent().name() != "postgres":
                total += times.children_user + times.children_system
    return total


@dataclass(frozen=True)
class Meter:
    """CPU seconds used so far: the server's processes, PostgreSQL, the whole machine."""

    server: float
    database: float
    busy: float
    total: float

    @classmethod
    def read(cls, server_pid: int) -> Meter:
        import psutil

        machine = psutil.cpu_times()
        return cls(
            _tree_cpu(server_pid),
            _postgres_cpu(),
            sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
            sum(machine),
        )

    def since(self, before: Meter) -> Meter:
        return Meter(
            self.server - before.server,
            self.database - before.database,
            self.busy - before.busy,
            self.total - before.total,
        )


def _until_idle(pid: int, quiet: float = 0.1, limit: float = 60.0) -> None:
    """Wait until the server's processes stop using CPU (every worker has started)."""
    deadline = time.monotonic() + limit
    last = _tree_cpu(pid)
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = _tree_cpu(pid)
        if now - last < quiet:
            return
        last = now


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _workers_supported() -> bool:
    shown = subprocess.run(
        [_executable("speciosa"), "serve", "--help"], capture_output=True, text=True, check=False
    )
    return "--workers" in shown.stdout


def _load(kind: str, url: str, users: int, args: argparse.Namespace, accounts: Path | None) -> Any:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        out_path = Path(out.name)
    command = [
        sys.executable,
        __file__,
        kind,
        "--host",
        url,
        "--users",
        str(users),
        "--duration",
        str(args.duration),
        "--think",
        str(args.think),
        "--insights-every",
        str(args.insights_every),
        "--out",
        str(out_path),
    ]
    if accounts is not None:
        command += ["--accounts", str(accounts)]
    subprocess.run(command, check=True)
    try:
        return json.loads(out_path.read_text())
    finally:
        out_path.unlink()


def serve_floor(port: int, workers: int) -> None:
    """The floor's server (``--floor-server``): uvicorn on ``bare_app``, its listening
    socket bound with IPPROTO_TCP so that every connection gets TCP_NODELAY; uvicorn's own
    ``--workers`` binds it without, and each answer on a kept-alive connection then waits
    about 40 ms for the client's delayed ACK (uvicorn issue #3149)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    sys.path.insert(0, str(Path(__file__).parent))
    options: dict[str, Any] = {"host": HOST, "port": port, "log_level": "warning"}
    if workers == 1:
        uvicorn.run("load_bench:bare_app", factory=True, **options)
        return
    config = uvicorn.Config("load_bench:bare_app", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[_tcp_listener(port)]).run()


def serve_nodelay(database_url: str, port: int, workers: int) -> None:
    """Diagnosis (``--serve-nodelay``): the steps ``speciosa serve --workers N`` takes
    (src/speciosa/cli/serve.py: open and migrate the database once, hand the settings down
    as SPECIOSA_* variables, uvicorn's supervisor), except that the listening socket is
    bound with IPPROTO_TCP, so every connection gets TCP_NODELAY (uvicorn #3149)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from speciosa.web import WebSettings, create_app

    settings = WebSettings(
        database_url=database_url,
        multi_user=True,
        dev=True,
        allow_signup=True,
        allowed_hosts=(HOST,),
        host=HOST,
    )
    create_app(settings).state.speciosa.speciosa.close()
    os.environ.update(settings.as_environment())
    config = uvicorn.Config(
        "speciosa.web.app:create_app",
        factory=True,
        workers=workers,
        host=HOST,
        port=port,
        log_level="warning",
        proxy_headers=False,
        timeout_graceful_shutdown=3,
    )
    Multiprocess(config, sockets=[_tcp_listener(port)]).run()


def _tcp_listener(port: int) -> socket.socket:
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on sockets that say they are TCP.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((HOST, port))
    listener.set_inheritable(True)
    return listener


def run_floor(workers: int, args: argparse.Namespace) -> Outcome:
    port = _port()
    command = [
        sys.executable,
        __file__,
        "--floor-server",
        str(port),
        "--floor-workers",
        str(workers),
    ]
    server = subprocess.Popen(command, start_new_session=True)
    try:
        url = f"http://{HOST}:{port}"
        _wait_ready(f"{url}/ping", server)
        _until_idle(server.pid)
        before = Meter.read(server.pid)
        found = _load("--generate-ping", url, args.users, args, None)
        used = Meter.read(server.pid).since(before)
    finally:
        _stop(server)
    return Outcome(
        label=f"floor, {workers} worker{'s' if workers > 1 else ''}",
        workers=workers,
        timings=found["timings"],
        counted=found["counted"],
        failures=found["failures"],
        window=found["window"],
        load_cpu=found["cpu"],
        used=used,
    )


def speciosa_command(database_url: str, port: int, workers: int) -> list[str]:
    """``speciosa serve`` for many people, as a clinic would run it (but plain http)."""
    command = [
        _executable("speciosa"),
        "--db",
        database_url,
        "serve",
        "--multi-user",
        "--dev",
        "--allow-signup",
        "--allowed-host",
        HOST,
        "--port",
        str(port),
    ]
    if workers > 1:
        command += ["--workers", str(workers)]
    return command


def run_speciosa(workers: int, args: argparse.Namespace, *, nodelay: bool = False) -> Outcome:
    database = create_database()
    url_db = f"postgresql://postgres@127.0.0.1:5432/{database}"
    port = _port()
    command = speciosa_command(url_db, port, workers)
    if nodelay:
        command = [sys.executable, __file__, "--serve-nodelay", url_db, str(port), str(workers)]
    env = os.environ | {
        "SPECIOSA_SECRET_KEY": secrets.token_urlsafe(32),
        # Every account is made from this one address before the clock starts, as an
        # administrator setting up a clinic would; the limit is for strangers' scripts.
        "SPECIOSA_SIGNUPS_PER_ADDRESS": str(SIGNUP_LIMIT),
    }
    try:
        found, used = _serve_and_load(command, env, f"http://{HOST}:{port}", args)
        outcome = Outcome(
            label=f"Speciosa, {workers} worker{'s' if workers > 1 else ''}"
            + (", TCP_NODELAY" if nodelay else ""),
            workers=workers,
            variant="nodelay" if nodelay else "",
            timings=found["timings"],
            counted=found["counted"],
            failures=found["failures"],
            window=found["window"],
            load_cpu=found["cpu"],
            used=used,
        )
        _count_rows(url_db, found["acked"], outcome)  # after the server has stopped
        if found["signed_in"] != args.users:
            outcome.notes.append(f"only {found['signed_in']} of {args.users} signed in")
    finally:
        drop_database(database)
    return outcome


def _serve_and_load(
    command: list[str], env: dict[str, str], base: str, args: argparse.Namespace
) -> tuple[Any, Meter]:
    """Start the server, make the accounts, run the load; the server is stopped after."""
    server = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.DEVNULL)
    listing = Path(tempfile.mkstemp(suffix=".json")[1])
    try:
        _wait_ready(f"{base}/login", server)
        accounts = _sign_up(base, args.users, "person")
        listing.write_text(json.dumps(accounts))
        _warm(base, _sign_up(base, WARM_ACCOUNTS, "warm"))
        _until_idle(server.pid)
        before = Meter.read(server.pid)
        found = _load("--generate", base, args.users, args, listing)
        return found, Meter.read(server.pid).since(before)
    finally:
        listing.unlink()
        _stop(server)


def _sign_up(base: str, users: int, prefix: str) -> list[dict[str, str]]:
    """The accounts, created before the clock starts (sign-up hashes each password)."""
    import httpx

    made = []
    with httpx.Client(base_url=base, timeout=60) as client:
        for number in range(users):
            account = {"username": f"{prefix}{number:03d}", "password": secrets.token_urlsafe(18)}
            answer = client.post("/api/v1/accounts", json=account | {"timezone": "UTC"})
            if answer.status_code != 201:
                raise SystemExit(f"sign-up failed: status {answer.status_code}")
            made.append(account)
    return made


def _warm(base: str, accounts: list[dict[str, str]]) -> None:
    """A few requests on accounts of their own (so that the load's people start cold, and
    their insights are worked out in the background only once they have looked at them)
    and on new connections, so that each worker has imported its pages before the clock
    starts."""
    import httpx

    for account in accounts:
        with httpx.Client(base_url=base, timeout=60) as client:
            answer = client.post("/api/v1/session", json=account)
            answer.raise_for_status()
            # The session cookie is Secure (multi-user mode); httpx keeps such a cookie
            # from plain http, so it is sent by hand.
            cookie = "; ".join(
                value.split(";")[0] for value in answer.headers.get_list("set-cookie")
            )
            for path in ("/", "/insights", "/api/v1/today"):
                client.get(path, headers={"cookie": cookie}).raise_for_status()


def _count_rows(url: str, acked: dict[str, list[int]], outcome: Outcome) -> None:
    """Every acknowledged write must be stored, under its person (lost writes)."""
    import psycopg

    stored: dict[str, set[int]] = {}
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT o.username, e.id FROM entries e JOIN owners o ON o.id = e.owner_id "
            "WHERE e.deleted_at IS NULL"
        ).fetchall()
    for username, entry_id in rows:
        stored.setdefault(username, set()).add(int(entry_id))
    for username, ids in acked.items():
        mine = stored.get(username, set())
        outcome.acked += len(ids)
        outcome.lost += len(set(ids) - mine)
        outcome.unacked_stored += len(mine - set(ids))
    outcome.stored = sum(len(ids) for ids in stored.values())


# --------------------------------------------------------------------------- the table


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def _row(name: str, outcome: Outcome, values: list[float], rps: float | None) -> str:
    errors = sum(outcome.failures.get(name, {}).values()) if name != "all" else outcome.errors()
    shown_rps = f"{rps:.0f}" if rps is not None else "—"
    return (
        f"| {outcome.label} | {name} | {len(values)} | {shown_rps} | "
        f"{_percentile(values, 0.50):.1f} | {_percentile(values, 0.95):.1f} | "
        f"{_percentile(values, 0.99):.1f} | {errors} |"
    )


def table(outcomes: list[Outcome]) -> str:
    lines = [
        "| server | request | count | requests/s | p50 ms | p95 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        lines.append(_row("all", outcome, outcome.all_timings(), outcome.rps()))
        for name in ORDER:
            if name in outcome.timings or name in outcome.failures:
                values = outcome.timings.get(name, [])
                rps = None if name == SIGN_IN else outcome.rps(name)
                lines.append(_row(name, outcome, values, rps))
    lines += [
        "",
        "| server | window s | acknowledged writes | rows stored | lost writes | "
        "stored, no answer | CPU s: server | load | PostgreSQL | machine busy |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for outcome in outcomes:
        writes = (
            (outcome.acked, outcome.stored, outcome.lost, outcome.unacked_stored)
            if outcome.label.startswith("Speciosa")
            else ("—",) * 4
        )
        lines.append(
            f"| {outcome.label} | {outcome.window:.1f} | {writes[0]} | {writes[1]} | "
            f"{writes[2]} | {writes[3]} | {outcome.used.server:.1f} | {outcome.load_cpu:.1f} | "
            f"{outcome.used.database:.1f} | {outcome.used.busy / outcome.used.total:.0%} |"
        )
    return "\n".join(lines)


def best(outcomes: list[Outcome]) -> list[Outcome]:
    """Each configuration's round with the most requests per second (the others were
    slowed most by the rest of the machine), in the order first run."""
    chosen: dict[str, Outcome] = {}
    for outcome in outcomes:
        if outcome.label not in chosen or outcome.rps() > chosen[outcome.label].rps():
            chosen[outcome.label] = outcome
    return list(chosen.values())


def verdict(shown: list[Outcome], every: list[Outcome]) -> list[str]:
    """The targets, judged on the rounds shown; errors and lost writes over every round."""
    speciosa = {o.workers: o for o in shown if o.label.startswith("Speciosa") and not o.variant}
    runs = [o for o in every if o.label.startswith("Speciosa")]
    errors = sum(o.errors() for o in runs)
    lost = sum(o.lost for o in runs)
    lines = [
        f"Every round ({len(runs)} Speciosa runs): {sum(o.acked for o in runs)} acknowledged "
        f"writes, {sum(o.stored for o in runs)} rows stored, {lost} lost, {errors} errors "
        f"(target 0 and 0: {'met' if not errors and not lost else 'NOT MET'})."
    ]
    lines += [f"{o.label}: {note}." for o in every for note in o.notes]
    if 2 in speciosa:
        two = speciosa[2]
        p95 = {n: _percentile(ts, 0.95) for n, ts in two.timings.items() if n != SIGN_IN}
        slow = {n: v for n, v in p95.items() if v >= TARGET_P95_MS}
        lines.append(
            f"2 workers: {two.rps():.0f} requests/s (target ≥ {TARGET_RPS:.0f}: "
            f"{'met' if two.rps() >= TARGET_RPS else 'NOT MET'}); p95 under "
            f"{TARGET_P95_MS:.0f} ms for every request kind: "
            + (
                "met"
                if not slow
                else "NOT MET (" + ", ".join(f"{n} {v:.0f} ms" for n, v in slow.items()) + ")"
            )
            + "."
        )
        if 1 in speciosa:
            one = speciosa[1]
            ratio = two.rps() / one.rps() if one.rps() else float("nan")
            lines.append(
                f"2 workers against 1: {ratio:.2f}x the requests/s "
                f"({'faster' if ratio > 1 else 'NOT faster'}); the floor: "
                + _floor_ratio(shown)
                + "."
            )
    patched = [o for o in shown if o.variant == "nodelay"]
    if patched and 1 in speciosa and speciosa[1].rps():
        lines += [
            f"{o.label} (diagnosis: serve's steps with a TCP_NODELAY socket): {o.rps():.0f} "
            f"requests/s, {o.rps() / speciosa[1].rps():.2f}x 1 worker."
            for o in patched
        ]
    return lines


def _floor_ratio(shown: list[Outcome]) -> str:
    floors = {o.workers: o for o in shown if o.label.startswith("floor")}
    if 1 not in floors or 2 not in floors or not floors[1].rps():
        return "not measured"
    return f"{floors[2].rps() / floors[1].rps():.2f}x"


def _machine(load_before: str, load_after: str, args: argparse.Namespace) -> str:
    return (
        f"`.venv/bin/python bench/load_bench.py --users {args.users} --duration {args.duration} "
        f"--workers {args.workers} --rounds {args.rounds} --think {args.think} "
        f"{'--nodelay ' if args.nodelay else ''}"
        f"--insights-every {args.insights_every}` "
        f"on {platform.machine()}, {os.cpu_count()} cores (nproc), Python "
        f"{platform.python_version()}, PostgreSQL on the same machine; load average (1, 5, 15 "
        f"min) {load_before} before, {load_after} after; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC. Each configuration's best "
        f"of {args.rounds} interleaved round{'s' if args.rounds > 1 else ''} (most "
        "requests/s); errors and lost writes are counted over every round. Count: every "
        "answer, whose times give the percentiles; requests/s: the answers after everyone had "
        "signed in, over that window. Both leave out sign-in (its own row: each person signs "
        "in once, at the start). "
        "CPU s: user + system over the run, of the server's processes, of the load generator "
        "(locust, one gevent process) and of every PostgreSQL process; machine busy: both "
        "cores, whoever used them (other jobs on the machine included)."
    )


def _load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def record(body: str, path: Path = RESULTS) -> None:
    """Write ``body`` as the section, keeping its hand-written NOTES subsection if any."""
    text = path.read_text()
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + body
    else:
        end = text.find("\n## ", start + len(SECTION))
        end = len(text) if end == -1 else end + 1
        notes = text.find(NOTES, start, end)
        kept = text[notes:end] if notes != -1 else ""
        text = text[:start] + body + ("\n" + kept if kept else "") + text[end:]
    path.write_text(text.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--users", type=int, default=8, help="simulated people at once")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per configuration")
    parser.add_argument("--workers", default="1,2", help="worker counts to compare")
    parser.add_argument("--think", type=float, default=0.0, help="seconds between rounds")
    parser.add_argument("--insights-every", type=int, default=5, help="rounds per Insights")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved; best shown")
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--generate-ping", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--nodelay",
        action="store_true",
        help="also run N>1 workers as serve does but with a TCP_NODELAY socket (diagnosis)",
    )
    parser.add_argument("--serve-nodelay", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--floor-server", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--floor-workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--host", help=argparse.SUPPRESS)
    parser.add_argument("--accounts", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args)
        return
    if args.generate_ping:
        generate_ping(args)
        return
    if args.floor_server:
        serve_floor(args.floor_server, args.floor_workers)
        return
    if args.serve_nodelay:
        url, port, workers = args.serve_nodelay
        serve_nodelay(url, int(port), int(workers))
        return
    if not 1 <= args.users <= SIGNUP_LIMIT - WARM_ACCOUNTS:
        parser.error(f"--users must be from 1 to {SIGNUP_LIMIT - WARM_ACCOUNTS}")
    # Stopped from outside: the finally blocks still stop the servers and drop databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    counts = [int(part) for part in args.workers.split(",") if part.strip()]
    if any(n > 1 for n in counts) and not _workers_supported():
        print("speciosa serve has no --workers yet: running 1 worker only", file=sys.stderr)
        counts = [n for n in counts if n == 1]
    load_before = _load_average()
    outcomes: list[Outcome] = []
    for _ in range(args.rounds):  # interleaved, so that a busy spell hurts every one
        for workers in counts:
            outcomes.append(run_floor(workers, args))
            outcomes.append(run_speciosa(workers, args))
            if args.nodelay and workers > 1:
                outcomes.append(run_speciosa(workers, args, nodelay=True))
    load_after = _load_average()
    shown = best(outcomes)
    judged = verdict(shown, outcomes)
    print(table(shown))
    print("\n".join(judged))
    if args.record:
        body = "\n\n".join(
            [
                SECTION,
                _machine(load_before, load_after, args),
                table(shown),
                "\n".join(f"- {line}" for line in judged),
            ]
        )
        record(body + "\n")


if __name__ == "__main__":
    main()
