"""The clinic recipe in ``deploy/`` (docs/deploy.md), run for real on this machine.

There is no Docker here, so the test does what the containers would do, from the same
files: it reads ``deploy/compose.yaml`` and runs its migration and server commands with
the environment it gives them, puts Debian's Caddy in front with ``deploy/Caddyfile``
(changed only through the environment: ``localhost``, ``tls internal``, high ports), and
runs ``deploy/backup.sh`` with pg_dump, then restores the dump with pg_restore.

Caddy's and PostgreSQL's tests skip with the reason when either is missing, and fail
instead when SPECIOSA_REQUIRE_CADDY=1 / SPECIOSA_REQUIRE_POSTGRES=1 (CI).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import yaml
from sqlalchemy.engine import make_url

from speciosa.store.database import SCHEMA_HEAD
from tests.conftest import _postgres_admin_url

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent  # the venv's `speciosa` sits next to its python
# A client address other than Caddy's own 127.0.0.1: the whole 127/8 is loopback on Linux.
CLIENT = "127.0.5.9"
FORGED = "203.0.113.9"  # TEST-NET-3 (RFC 5737): what a client claims to be
PASSWORD = "correct horse battery"  # strong enough for zxcvbn (as tests/web/conftest.py)
START_SECONDS = 60  # generous: only a server that never comes up fails here
# ${NAME}, ${NAME:-default}, ${NAME:?message}: the compose file's interpolation forms.
VARIABLE = re.compile(r"\$\{(\w+)(?::([-?])([^}]*))?\}")
SECRETS = ("SPECIOSA_SECRET_KEY", "POSTGRES_PASSWORD")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return loaded


def interpolate(value: str, env: Mapping[str, str]) -> str:
    """``value`` as ``docker compose`` would pass it, given ``env`` (its .env file)."""

    def one(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if env.get(name):
            return env[name]
        if kind == "-":
            return str(rest)
        raise AssertionError(f"compose.yaml needs {name}: {rest}")

    return VARIABLE.sub(one, value).replace("$$", "$")


# --------------------------------------------------------------------------- the file


def test_secrets_come_only_from_the_environment() -> None:
    services = compose()["services"]
    required = re.compile(r"\$\{(\w+):\?[^}]+\}")
    # Each secret is a required ${VAR:?...}: compose stops, naming it, when .env lacks it.
    assert required.fullmatch(services["speciosa"]["environment"]["SPECIOSA_SECRET_KEY"])
    assert required.fullmatch(services["postgres"]["environment"]["POSTGRES_PASSWORD"])
    for name in ("speciosa", "migrate", "backup"):
        env = services[name]["environment"]
        url = env.get("SPECIOSA_DATABASE_URL") or env["BACKUP_DATABASE_URL"]
        assert "${POSTGRES_PASSWORD:?" in url, name
    # With an empty .env, nothing can start: every secret is refused, not defaulted.
    text = (DEPLOY / "compose.yaml").read_text()
    given = {"SPECIOSA_DOMAIN": "h", "CADDY_TLS": "internal"} | dict.fromkeys(SECRETS, "x")
    assert "${" not in interpolate(text, given)
    for secret in SECRETS:
        with pytest.raises(AssertionError, match=secret):
            interpolate(text, given | {secret: ""})
    # .env.example gives the names with empty values; the real .env is never committed.
    example = dict(
        line.split("=", 1)
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert {name: example[name] for name in (*SECRETS, "CADDY_TLS")} == dict.fromkeys(
        (*SECRETS, "CADDY_TLS"), ""
    )
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_images_are_pinned_and_only_caddy_is_published() -> None:
    services = compose()["services"]
    # A release, never "latest" or a bare major: PostgreSQL's are 16.6, Caddy's 2.8.4.
    pinned = re.compile(r"[\w./-]+:\d+\.\d+(\.\d+)?(-[\w.]+)?")
    for name, service in services.items():
        if "build" not in service:
            assert pinned.fullmatch(service["image"]), (name, service["image"])
    base = (DEPLOY / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11\.\d+-slim-\w+$", base, re.M)
    assert re.search(r"^USER (?!root)\w+$", base, re.M)  # the app does not run as root
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"caddy"}
    assert {"80:80", "443:443"} <= set(services["caddy"]["ports"])
    # The app trusts X-Forwarded-For from Caddy's fixed address on their network only.
    command = services["speciosa"]["command"]
    trusted = command[command.index("--forwarded-allow-ips") + 1]
    assert trusted == services["caddy"]["networks"]["edge"]["ipv4_address"]
    assert "--multi-user" in command
    assert command[command.index("--allowed-host") + 1].startswith("${SPECIOSA_DOMAIN:?")


def test_the_database_is_healthy_migrated_and_private_before_the_app_starts() -> None:
    document = compose()
    services = document["services"]
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    waits = services["speciosa"]["depends_on"]
    assert waits["postgres"]["condition"] == "service_healthy"
    assert waits["migrate"]["condition"] == "service_completed_successfully"
    assert services["backup"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert document["networks"]["db"]["internal"] is True
    assert "db" not in services["caddy"]["networks"]  # Caddy never reaches PostgreSQL
    assert "pgdata" in document["volumes"]


def test_the_backup_service_runs_the_script_as_valid_shell() -> None:
    backup = compose()["services"]["backup"]
    assert "./backup.sh:/backup.sh:ro" in backup["volumes"]
    shell, flag, loop = backup["entrypoint"]
    assert (shell, flag) == ("/bin/sh", "-c")
    script = interpolate(loop, {})
    assert "/backup.sh" in script
    assert "$BACKUP_INTERVAL_SECONDS" in script  # read by the shell, not by compose
    # sh -n reads without running: a syntax error would stop the backups for good.
    subprocess.run(["sh", "-n", "-c", script], check=True)
    subprocess.run(["sh", "-n", str(DEPLOY / "backup.sh")], check=True)


# --------------------------------------------------------------------------- the stack


def caddy_path() -> str:
    path = shutil.which("caddy")
    if path is None:
        message = "Caddy is not installed (apt-get install caddy)"
        if os.environ.get("SPECIOSA_REQUIRE_CADDY") == "1":
            pytest.fail(f"{message} (SPECIOSA_REQUIRE_CADDY=1: the deploy test must run)")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def libpq(url: str) -> str:
    """A postgresql:// URL that libpq tools read (SQLAlchemy's name the driver too)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def fresh_database(admin_url: str) -> Iterator[str]:
    """A new, empty database on the test server, dropped afterwards (as tests/conftest.py)."""
    name = f"speciosa_deploy_{uuid.uuid4().hex[:12]}"
    admin = libpq(admin_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(admin).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def running(command: list[str], env: Mapping[str, str], log: Path, port: int) -> Iterator[None]:
    """``command`` in the background until it listens on ``port``; stopped afterwards."""
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=dict(env), stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{command[0]} did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serving_tls(port: int, root: Path, log: Path) -> None:
    """Wait until Caddy completes a verified handshake for localhost: it listens before its
    internal CA has issued the site's certificate, and answers a TLS alert until then."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            context = ssl.create_default_context(cafile=str(root))
            with (
                socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
                context.wrap_socket(raw, server_hostname="localhost"),
            ):
                return
        except (OSError, ssl.SSLError) as exc:  # no root yet, refused, or a TLS alert
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"Caddy never served TLS ({exc}):\n{log.read_text()[-2000:]}"
                ) from exc
            time.sleep(0.2)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def migrate_command() -> list[str]:
    """compose.yaml's migrate entrypoint, with this venv's python."""
    entrypoint: list[str] = compose()["services"]["migrate"]["entrypoint"]
    assert entrypoint[0] == "python"
    return [sys.executable, *entrypoint[1:]]


def with_value(command: list[str], option: str, value: str) -> list[str]:
    """``command`` with ``option``'s value replaced (the listen address, here)."""
    changed = list(command)
    changed[changed.index(option) + 1] = value
    return changed


@dataclass
class Stack:
    base_url: str  # https://localhost:<port>, through Caddy
    http_port: int
    database_url: str  # libpq form
    admin_url: str
    trust: ssl.SSLContext  # Caddy's internal root: certificates are really checked

    def client(self, *, local_address: str | None = None) -> httpx.Client:
        transport = httpx.HTTPTransport(verify=self.trust, local_address=local_address)
        return httpx.Client(base_url=self.base_url, transport=transport)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """compose.yaml's migrate and speciosa commands on a fresh PostgreSQL database, and
    Caddy with deploy/Caddyfile in front, as `docker compose up` would run them."""
    caddy = caddy_path()
    admin_url = _postgres_admin_url()
    tmp = tmp_path_factory.mktemp("deploy")
    services = compose()["services"]
    dotenv = {  # what a clinic puts in .env, for a server named localhost
        "SPECIOSA_DOMAIN": "localhost",
        "CADDY_TLS": "internal",  # Caddy's own CA instead of Let's Encrypt (no internet)
        "SPECIOSA_SECRET_KEY": secrets.token_urlsafe(48),
        "POSTGRES_PASSWORD": "unused-here",
        "SPECIOSA_ALLOW_SIGNUP": "true",
    }
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    # The servers stop (ExitStack) before their database is dropped.
    with fresh_database(admin_url) as database_url, ExitStack() as stop:
        base = {"PATH": os.environ["PATH"], "HOME": str(tmp), "XDG_DATA_HOME": str(tmp / "data")}
        app_env = base | {
            k: interpolate(v, dotenv) for k, v in services["speciosa"]["environment"].items()
        }
        # The one change: compose's URL names the `postgres` container; here it is this server.
        app_env["SPECIOSA_DATABASE_URL"] = database_url
        migrated = subprocess.run(migrate_command(), env=app_env, capture_output=True, text=True)
        assert migrated.returncode == 0, migrated.stderr
        command = [interpolate(part, dotenv) for part in services["speciosa"]["command"]]
        command = with_value(command, "--host", "127.0.0.1")  # not every interface here
        command = with_value(command, "--port", str(app_port))
        command = with_value(command, "--forwarded-allow-ips", "127.0.0.1")  # Caddy's address
        stop.enter_context(
            running([str(BIN / "speciosa"), *command], app_env, tmp / "app.log", app_port)
        )
        caddy_env = base | {
            k: interpolate(v, dotenv) for k, v in services["caddy"]["environment"].items()
        }
        caddy_env |= {
            "SPECIOSA_UPSTREAM": f"127.0.0.1:{app_port}",  # compose: speciosa:8000
            "CADDY_HTTP_PORT": str(http_port),  # compose: 80 and 443 (root-only ports)
            "CADDY_HTTPS_PORT": str(https_port),
            "CADDY_ADMIN": "off",
        }
        caddyfile = str(DEPLOY / "Caddyfile")
        run_caddy = [caddy, "run", "--config", caddyfile, "--adapter", "caddyfile"]
        stop.enter_context(running(run_caddy, caddy_env, tmp / "caddy.log", https_port))
        root = tmp / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        serving_tls(https_port, root, tmp / "caddy.log")
        yield Stack(
            base_url=f"https://localhost:{https_port}",
            http_port=http_port,
            database_url=database_url,
            admin_url=admin_url,
            trust=ssl.create_default_context(cafile=str(root)),
        )


def sign_up(client: httpx.Client) -> str:
    username = f"p{uuid.uuid4().hex[:10]}"
    account = {"username": username, "password": PASSWORD, "timezone": "Europe/London"}
    response = client.post("/api/v1/accounts", json=account)
    assert response.status_code == 201, response.text
    return username


def rows(url: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    """Read with psycopg, not through Speciosa."""
    with psycopg.connect(url) as connection:
        return connection.execute(query, params).fetchall()


@pytest.mark.postgres
@pytest.mark.slow
def test_a_person_signs_up_signs_in_and_logs_over_https_through_caddy(stack: Stack) -> None:
    with stack.client() as person:
        username = sign_up(person)
        logged = person.post("/api/v1/entries", json={"kind": "pain", "score": 4})
        assert logged.status_code == 201, logged.text
        # HSTS comes from the app (multi-user mode) and survives the proxy.
        assert logged.headers["strict-transport-security"].startswith("max-age=31536000")
        token = person.get("/api/v1/session").json()["csrf_token"]
        assert person.delete("/api/v1/session", headers={"x-csrf-token": token}).status_code == 204
        assert person.get("/api/v1/entries").status_code == 403  # signed out (web/context.py)
        again = person.post("/api/v1/session", json={"username": username, "password": PASSWORD})
        assert again.status_code == 200, again.text
        entries = person.get("/api/v1/entries").json()
        assert [e["id"] for e in entries["data"]] == [logged.json()["id"]]
    # Plain HTTP on Caddy's port only redirects to HTTPS (Caddy 2.6 leaves a test's
    # high HTTPS port out of the address; a clinic's is 443, which needs none).
    plain = httpx.get(f"http://localhost:{stack.http_port}/login", follow_redirects=False)
    assert plain.status_code == 308
    moved = httpx.URL(plain.headers["location"])
    assert (moved.scheme, moved.host, moved.path) == ("https", "localhost", "/login")


@pytest.mark.postgres
@pytest.mark.slow
def test_the_app_records_the_client_caddy_saw_not_a_forged_address(stack: Stack) -> None:
    with stack.client() as person:
        sign_up(person)
        share = person.post("/api/v1/shares", json={"label": "Dr Test"})
        assert share.status_code == 201, share.text
        url = share.json()["url"]
        # Host and scheme reached the app through Caddy: the link is the clinic's https one.
        assert url.startswith(f"{stack.base_url}/s/")
        token = person.get("/api/v1/session").json()["csrf_token"]
        revoked = person.delete(
            f"/api/v1/shares/{share.json()['id']}", headers={"x-csrf-token": token}
        )
        assert revoked.status_code == 200, revoked.text
    # A revoked link's opening is logged with the caller's network (a /24, app/sharing.py).
    with stack.client(local_address=CLIENT) as visitor:
        opened = visitor.get(
            f"/api/v1/shared/{url.rsplit('/', 1)[1]}", headers={"x-forwarded-for": FORGED}
        )
    assert opened.status_code >= 400
    recorded = rows(
        stack.database_url,
        "SELECT a.client_net FROM share_accesses a WHERE a.share_id = %s",
        share.json()["id"],
    )
    # 127.0.5.0/24: the visitor's own address. Caddy's (app not trusting the proxy) would
    # be 127.0.0.0/24; the forged header believed would be 203.0.113.0/24.
    assert recorded == [("127.0.5.0/24",)]


@pytest.mark.postgres
@pytest.mark.slow
def test_a_backup_restores_into_an_empty_database(stack: Stack, tmp_path: Path) -> None:
    with stack.client() as person:
        username = sign_up(person)
        logged = person.post("/api/v1/entries", json={"kind": "pain", "score": 6}).json()
    backups = tmp_path / "backups"
    backups.mkdir()
    older = [backups / f"speciosa-2020010{day}T000000Z.dump" for day in (1, 2, 3)]
    for dump in older:  # earlier backups, by name (names sort by time)
        dump.write_bytes(b"old")
    env = {
        "PATH": os.environ["PATH"],
        "BACKUP_DATABASE_URL": stack.database_url,
        "BACKUP_DIR": str(backups),
        "BACKUP_KEEP": "2",
    }
    done = subprocess.run([DEPLOY / "backup.sh"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kept = sorted(backups.iterdir())
    # BACKUP_KEEP=2: the new dump and the newest old one; nothing half-written is left.
    assert kept[0] == older[2]
    assert len(kept) == 2
    assert re.fullmatch(r"speciosa-\d{8}T\d{6}Z\.dump", kept[1].name)
    assert kept[1].stat().st_mode & 0o077 == 0  # health data: the owner's eyes only
    with fresh_database(stack.admin_url) as restored:
        subprocess.run(
            ["pg_restore", "--no-owner", f"--dbname={restored}", str(kept[1])],
            check=True,
            capture_output=True,
        )
        found = rows(
            restored,
            "SELECT o.username, e.kind, e.data->>'score' FROM entries e "
            "JOIN owners o ON o.id = e.owner_id WHERE e.id = %s",
            logged["id"],
        )
        assert found == [(username, "pain", "6")]
        # The restored schema is the newest: the app opens it without migrating.
        assert rows(restored, "SELECT version_num FROM alembic_version") == [(SCHEMA_HEAD,)]


@pytest.mark.postgres
def test_a_failed_backup_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    admin = libpq(_postgres_admin_url())
    missing = make_url(admin).set(database=f"absent_{uuid.uuid4().hex[:8]}")
    env = {
        "PATH": os.environ["PATH"],
        "BACKUP_DATABASE_URL": missing.render_as_string(hide_password=False),
        "BACKUP_DIR": str(tmp_path),
    }
    done = subprocess.run([DEPLOY / "backup.sh"], env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1].startswith("backup: pg_dump failed")
    assert list(tmp_path.iterdir()) == []
    wrong = subprocess.run(
        [DEPLOY / "backup.sh"], env=env | {"BACKUP_KEEP": "0"}, capture_output=True, text=True
    )
    assert wrong.returncode == 2
    assert "BACKUP_KEEP" in wrong.stderr


@pytest.mark.postgres
def test_migrate_refuses_a_database_from_a_newer_speciosa_in_one_line(tmp_path: Path) -> None:
    with fresh_database(_postgres_admin_url()) as url:
        with psycopg.connect(url) as connection:  # what a newer version's migration leaves
            connection.execute("CREATE TABLE alembic_version (version_num varchar(32))")
            connection.execute("INSERT INTO alembic_version VALUES ('9999')")
        env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "SPECIOSA_DATABASE_URL": url}
        refused = subprocess.run(migrate_command(), env=env, capture_output=True, text=True)
        assert refused.returncode == 1
        # errors.NewerJournal's sentence, and nothing else (no traceback)
        assert refused.stderr.splitlines() == [
            "migrate: db: this journal was written by a newer version of Speciosa "
            "(schema 9999); upgrade Speciosa; nothing was changed"
        ]
        assert rows(url, "SELECT version_num FROM alembic_version") == [("9999",)]
