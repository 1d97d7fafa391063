"""``speciosa serve``: the web app on this journal (local mode) or for many people.

Thin: builds the web settings from options and the environment (validated at start-up,
so unsafe combinations stop here with the field named), then runs uvicorn.
Wire it with ``app.command()(serve.serve)``.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
import time
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speciosa.errors import Fault

from .context import app_state, console

if TYPE_CHECKING:
    from speciosa.web import WebSettings

# After SIGTERM: requests get this long to finish before they are cancelled, and busy
# worker threads this long after that; with the app's own shutdown (imports get
# speciosa.web.app.IMPORT_SHUTDOWN_SECONDS) the server is gone within 10 s.
GRACE_SECONDS = 3
THREAD_GRACE_SECONDS = 1


def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="interface to listen on (local mode: loopback only)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
    multi_user: Annotated[
        bool,
        typer.Option(
            "--multi-user",
            help="accounts and sign-in for many people (needs SPECIOSA_SECRET_KEY and HTTPS)",
        ),
    ] = False,
    allow_signup: Annotated[
        bool, typer.Option("--allow-signup", help="let visitors create accounts (multi-user)")
    ] = False,
    dev: Annotated[
        bool,
        typer.Option("--dev", help="development only: allow plain-HTTP cookies and no secret"),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="a host name this server answers to (repeat; required with --multi-user)",
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="comma-separated addresses or networks of reverse proxies whose "
            "X-Forwarded-For is believed (none by default)",
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="worker processes (more than 1: --multi-user on PostgreSQL; e.g. one per core)",
        ),
    ] = 1,
) -> None:
    """Serve the web app and JSON API (open http://127.0.0.1:8000 in a browser)."""
    import uvicorn

    from speciosa.web import WebSettings, create_app

    overrides: dict[str, object] = {"host": host, "multi_user": multi_user, "dev": dev}
    if allow_signup:
        overrides["allow_signup"] = True
    if allowed_host:
        overrides["allowed_hosts"] = tuple(allowed_host)
    if forwarded_allow_ips:
        overrides["forwarded_allow_ips"] = _proxies(forwarded_allow_ips)
    if app_state(ctx).db is not None:
        overrides["database_url"] = app_state(ctx).db
    settings = WebSettings(**overrides)  # type: ignore[arg-type]
    if workers > 1:
        _check_workers(settings, workers)
    app = create_app(settings)  # opens (and migrates) the database once, here
    fault = getattr(app.state, "fault", None)
    if fault is not None:  # a journal from a newer Speciosa: say so here, serve nothing
        raise fault
    mode = "multi-user" if multi_user else "local (no sign-in, this computer only)"
    processes = f" with {workers} workers" if workers > 1 else ""
    console.print(
        f"Speciosa on http://{_display(host)}:{port}/ in {mode} mode{processes}. Ctrl+C stops it."
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        # The app itself believes X-Forwarded-For, only from --forwarded-allow-ips;
        # uvicorn's own default would trust 127.0.0.1 without being asked.
        "proxy_headers": False,
        "timeout_graceful_shutdown": GRACE_SECONDS,
        "http": "httptools",  # a dependency: parsing requests in C, not h11's Python
        # A dependency: libuv's event loop; asyncio's own loop in Python was a tenth of a
        # busy server's time (bench/RESULTS.md, "Load").
        "loop": "uvloop",
    }
    if workers == 1:
        try:
            uvicorn.run(app, **options)
        finally:
            # The app's lifespan closes the journal; uvicorn may return without running it
            # (the port was taken, the server never started). Closing twice is harmless.
            app.state.speciosa.speciosa.close()
        _exit_despite_stuck_threads()
        return
    # Each worker process builds its own app from the same settings, passed down as
    # SPECIOSA_* variables (with one shared signing key); sessions, sign-in limits and
    # import jobs are all in the database, so the workers behave as one server.
    app.state.speciosa.speciosa.close()
    os.environ.update(settings.as_environment())
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config("speciosa.web.app:create_app", factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[_listening_socket(host, port)]).run()


def _listening_socket(host: str, port: int) -> socket.socket:
    """The workers' shared socket, made here rather than by uvicorn: asyncio turns on
    TCP_NODELAY only for a socket created as IPPROTO_TCP, which uvicorn's own is not, and
    without it every answer on a kept-alive connection waited ~40 ms for the client's
    delayed acknowledgement (uvicorn issue #3149; bench/load_bench.py measured it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
    except OSError as exc:
        listener.close()
        raise Fault(f"port: cannot listen on {_display(host)}:{port} ({exc.strerror})") from None
    listener.set_inheritable(True)
    return listener


def _check_workers(settings: WebSettings, workers: int) -> None:
    if not settings.multi_user:
        raise typer.BadParameter(
            f"{workers} workers need --multi-user (local mode serves one person)",
            param_hint="--workers",
        )
    if not (settings.database_url or "").startswith("postgresql"):
        raise typer.BadParameter(
            f"{workers} workers need a PostgreSQL database (--db postgresql://...); "
            "a SQLite journal is served by one process",
            param_hint="--workers",
        )


def _exit_despite_stuck_threads() -> None:
    """Exit now even if a request's worker thread is still busy (the interpreter would
    wait for it): every write is one transaction, so stopping mid-way writes nothing."""
    deadline = time.monotonic() + THREAD_GRACE_SECONDS
    current = threading.current_thread()
    busy = [t for t in threading.enumerate() if t is not current and not t.daemon]
    for thread in busy:
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in busy):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def _proxies(given: str) -> tuple[str, ...]:
    """The proxies named in ``--forwarded-allow-ips``; each must be an address or network."""
    proxies = tuple(part.strip() for part in given.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise typer.BadParameter(
                f"{proxy!r} is not an IP address or network; give e.g. 127.0.0.1,10.0.0.0/8",
                param_hint="--forwarded-allow-ips",
            ) from None
    return proxies


def _display(host: str) -> str:
    return f"[{host}]" if ":" in host else host
