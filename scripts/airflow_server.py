#!/usr/bin/env python3
"""Install, start and stop a real Airflow (2.10.5 for API v1, 3.3.2 for API v2) for the
integration tests.

    python3 scripts/airflow_server.py install 3.3.2   # the virtualenv only
    python3 scripts/airflow_server.py start 3.3.2     # prints "port pids", records them
    python3 scripts/airflow_server.py stop 3.3.2      # stops the recorded components by PID

Each version gets its own virtualenv under ``.airflow-servers/<version>/`` (git-ignored,
outside the project's venv; ``COMMONREST_AIRFLOW_CACHE`` moves it), created once and
reused. A start makes a fresh ``AIRFLOW_HOME`` with a SQLite database, the example DAGs and
fixed users (Airflow 2: an ``admin`` with the basic auth backend; Airflow 3: the simple auth
manager with an ``admin`` and a ``viewer`` whose passwords sit in its passwords file). Every
component listens on 127.0.0.1 only: the web/API server at a free port, the log servers are
not started (``--skip-serve-logs``), the scheduler health server stays off. It is ready when
health answers and the example DAGs are listed. Components are stopped by PID: each runs in a
process group of its own, which is signalled (their workers are in it).

Anything that goes wrong raises :class:`AirflowServerError` with the log tail.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSIONS = ("2.10.5", "3.3.2")
PASSWORDS = {"admin": "admin-pw-4f1c2e", "viewer": "viewer-pw-8d3b7a"}
#: Shared by every Airflow 3 component: the API server signs the task JWTs with it.
JWT_SECRET = "commonrest-integration-jwt-secret-0123456789"
SECRET_KEY = "commonrest-integration-secret-key"


class AirflowServerError(RuntimeError):
    """Airflow could not be installed, started or stopped."""


def cache_dir() -> Path:
    return Path(os.environ.get("COMMONREST_AIRFLOW_CACHE") or ROOT / ".airflow-servers")


def venv_dir(version: str) -> Path:
    return cache_dir() / version / "venv"


def installed(version: str) -> bool:
    return (venv_dir(version) / ".installed").exists()


def _python() -> str:
    for name in ("python3.11", "python3.12", "python3.10", "python3"):
        found = shutil.which(name)
        if found:
            return found
    return sys.executable


def install(version: str) -> float:
    """Create the version's virtualenv (unless present) and return the seconds it took."""
    if version not in VERSIONS:
        raise AirflowServerError(f"version must be one of {VERSIONS}, got {version!r}")
    venv = venv_dir(version)
    if installed(version):
        return 0.0
    started = time.monotonic()
    venv.parent.mkdir(parents=True, exist_ok=True)
    log = venv.parent / "install.log"
    with log.open("w") as out:
        if not (venv / "bin" / "python").exists():
            subprocess.run([_python(), "-m", "venv", str(venv)], check=True, stdout=out)
        done = subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--quiet",
                f"apache-airflow=={version}",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    if done.returncode != 0:
        raise AirflowServerError(
            f"pip install apache-airflow=={version} failed ({done.returncode}): {_tail(log)}"
        )
    took = time.monotonic() - started
    (venv / ".installed").write_text(f"{took:.0f}\n")
    return took


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


@dataclass
class AirflowServer:
    """A running Airflow: where it answers, who may log in, and its components' PIDs."""

    version: str
    port: int
    home: Path
    env: dict[str, str] = field(repr=False)
    pids: list[int] = field(default_factory=list)
    started_in: float = 0.0

    @property
    def api_version(self) -> int:
        return 1 if self.version.startswith("2.") else 2

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def username(self) -> str:
        return "admin"

    @property
    def password(self) -> str:
        return PASSWORDS["admin"]

    def cli(self, *args: str, timeout: float = 180.0) -> str:
        """Run the server's own ``airflow`` CLI (same home and database); return stdout."""
        done = subprocess.run(
            [str(venv_dir(self.version) / "bin" / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AirflowServerError(f"airflow {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def log_tail(self) -> str:
        parts = []
        for log in sorted(self.home.glob("*.log")):
            parts.append(f"--- {log.name}\n{_tail(log, 1500)}")
        return "\n".join(parts)


def _environment(version: str, home: Path, port: int) -> dict[str, str]:
    bin_dir = venv_dir(version) / "bin"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        {
            # The Airflow 2 SequentialExecutor runs `airflow tasks run` found on PATH.
            "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "True",
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__CORE__PARALLELISM": "1",
            "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "1",
            "AIRFLOW__CORE__FERNET_KEY": "",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "600",
            "AIRFLOW__SCHEDULER__DAG_DIR_LIST_INTERVAL": "600",
            "AIRFLOW__WEBSERVER__SECRET_KEY": SECRET_KEY,
            "AIRFLOW__API__SECRET_KEY": SECRET_KEY,
            "AIRFLOW__CORE__LAZY_LOAD_PLUGINS": "True",
            "NO_PROXY": "127.0.0.1,localhost",
            "no_proxy": "127.0.0.1,localhost",
        }
    )
    if version.startswith("2."):
        env.update(
            {
                "AIRFLOW__CORE__EXECUTOR": "SequentialExecutor",
                "AIRFLOW__API__AUTH_BACKENDS": (
                    "airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session"
                ),
                "AIRFLOW__WEBSERVER__WEB_SERVER_HOST": "127.0.0.1",
                "AIRFLOW__WEBSERVER__WEB_SERVER_PORT": str(port),
                "AIRFLOW__WEBSERVER__WORKERS": "1",
                "AIRFLOW__WEBSERVER__WORKER_REFRESH_INTERVAL": "36000",
                "AIRFLOW__WEBSERVER__WORKER_REFRESH_BATCH_SIZE": "0",
            }
        )
    else:
        env.update(
            {
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__CORE__AUTH_MANAGER": (
                    "airflow.api_fastapi.auth.managers.simple.simple_auth_manager.SimpleAuthManager"
                ),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin,viewer:viewer",
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "passwords.json"),
                "AIRFLOW__API_AUTH__JWT_SECRET": JWT_SECRET,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(port),
                "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "600",
            }
        )
    return env


def _components(version: str, port: int) -> list[tuple[str, list[str]]]:
    if version.startswith("2."):
        return [
            ("scheduler", ["scheduler", "--skip-serve-logs"]),
            ("webserver", ["webserver", "-H", "127.0.0.1", "-p", str(port), "-w", "1"]),
        ]
    return [
        ("dag-processor", ["dag-processor"]),
        ("scheduler", ["scheduler", "--skip-serve-logs"]),
        ("api-server", ["api-server", "-H", "127.0.0.1", "-p", str(port), "-w", "1"]),
    ]


def _get(url: str, auth: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url)
    if auth is not None:
        request.add_header("Authorization", auth)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, ValueError):
        return 0, b""


def _token(server: AirflowServer) -> str | None:
    body = json.dumps({"username": server.username, "password": server.password}).encode()
    request = urllib.request.Request(
        f"{server.url}/auth/token",
        data=body,
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=5) as answer:
            token: str = json.loads(answer.read())["access_token"]
            return token
    except (OSError, ValueError, KeyError):
        return None


def _ready(server: AirflowServer) -> bool:
    """Health answers and the example DAGs are listed."""
    if server.api_version == 1:
        status, _ = _get(f"{server.url}/api/v1/health")
        if status != 200:
            return False
        basic = base64.b64encode(f"{server.username}:{server.password}".encode()).decode()
        status, body = _get(f"{server.url}/api/v1/dags?limit=1", f"Basic {basic}")
    else:
        status, _ = _get(f"{server.url}/api/v2/monitor/health")
        if status != 200:
            return False
        token = _token(server)
        if token is None:
            return False
        status, body = _get(f"{server.url}/api/v2/dags?limit=1", f"Bearer {token}")
    if status != 200:
        return False
    return bool(json.loads(body).get("total_entries"))


def _run_setup(server: AirflowServer, *args: str) -> None:
    log = server.home / "setup.log"
    with log.open("a") as out:
        out.write(f"$ airflow {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [str(venv_dir(server.version) / "bin" / "airflow"), *args],
            env=server.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
    if done.returncode != 0:
        raise AirflowServerError(f"airflow {' '.join(args)} failed:\n{_tail(log)}")


def start(version: str, ready_within: float = 300.0) -> AirflowServer:
    """Install (if needed), configure and start Airflow ``version``; wait until it is ready."""
    install(version)
    began = time.monotonic()
    home = Path(tempfile.mkdtemp(prefix=f"commonrest-airflow-{version}-"))
    (home / "dags").mkdir()
    port = free_port()
    server = AirflowServer(version, port, home, _environment(version, home, port))
    if server.api_version == 2:
        (home / "passwords.json").write_text(json.dumps(PASSWORDS))
    # One command at a time: Airflow on SQLite stalls under concurrent writes.
    _run_setup(server, "db", "migrate")
    if server.api_version == 1:
        _run_setup(
            server,
            *("users", "create", "--username", "admin", "--password", PASSWORDS["admin"]),
            *("--role", "Admin", "--firstname", "A", "--lastname", "Dmin"),
            *("--email", "admin@example.invalid"),
        )
    # Every example DAG serialized before the servers start, so all are listed at once.
    _run_setup(server, "dags", "reserialize")
    try:
        for name, args in _components(version, port):
            out = (home / f"{name}.log").open("w")
            process = subprocess.Popen(
                [str(venv_dir(version) / "bin" / "airflow"), *args],
                env=server.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            out.close()
            server.pids.append(process.pid)
            _started[process.pid] = process
        deadline = time.monotonic() + ready_within
        while not _ready(server):
            dead = [p for p in server.pids if _started[p].poll() is not None]
            if dead or time.monotonic() > deadline:
                why = "a component exited" if dead else f"not ready within {ready_within:g} s"
                raise AirflowServerError(
                    f"Airflow {version} did not start on port {port} ({why}):\n{server.log_tail()}"
                )
            time.sleep(1.0)
    except BaseException:
        stop(server)
        raise
    server.started_in = time.monotonic() - began
    return server


_started: dict[int, subprocess.Popen[bytes]] = {}


def _signal_group(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, sig)  # each component leads its own group (start_new_session)


def _alive(pid: int) -> bool:
    process = _started.get(pid)
    if process is not None:
        return process.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def stop(server: AirflowServer | list[int], within: float = 20.0) -> None:
    """Stop the components by PID (their process groups: SIGTERM, then SIGKILL)."""
    pids = server.pids if isinstance(server, AirflowServer) else server
    for pid in reversed(pids):
        _signal_group(pid, signal.SIGTERM)
    deadline = time.monotonic() + within
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in pids:
        _signal_group(pid, signal.SIGKILL)
        process = _started.pop(pid, None)
        if process is not None:
            process.wait(within)
    if isinstance(server, AirflowServer):
        shutil.rmtree(server.home, ignore_errors=True)


def _state(version: str) -> Path:
    return cache_dir() / version / "running.json"


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("install", "start", "stop") or argv[1] not in VERSIONS:
        print(__doc__, file=sys.stderr)
        return 2
    command, version = argv
    if command == "install":
        print(f"installed in {install(version):.0f} s")
        return 0
    if command == "start":
        server = start(version)
        _state(version).write_text(
            json.dumps({"port": server.port, "pids": server.pids, "home": str(server.home)})
        )
        print(server.port, *server.pids)
        return 0
    state = _state(version)
    if not state.exists():
        print(f"no recorded Airflow {version}", file=sys.stderr)
        return 1
    recorded = json.loads(state.read_text())
    stop(recorded["pids"])
    shutil.rmtree(recorded["home"], ignore_errors=True)
    state.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
