#!/usr/bin/env python3
"""Start and stop a throwaway Redis server for the integration tests.

    python3 scripts/redis_server.py start   # prints "pid port", records them in .redis-server
    python3 scripts/redis_server.py stop    # stops the recorded server by its PID

Uses the ``redis-server`` on PATH (or /usr/bin); when there is none, installs Debian's
``redis-server`` package with apt-get. The server listens on 127.0.0.1 only, at a free port,
keeps nothing on disk (``--save '' --appendonly no``) and is stopped by PID, never by name.
Anything that goes wrong raises :class:`RedisServerError`: the tests fail, they never skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

STATE = Path(__file__).resolve().parent.parent / ".redis-server"
_started: dict[int, subprocess.Popen[bytes]] = {}


class RedisServerError(RuntimeError):
    """Redis could not be installed, started or stopped."""


@dataclass(frozen=True)
class RedisServer:
    pid: int
    port: int
    directory: str

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def find_or_install() -> str:
    """The path of a ``redis-server`` binary, installing Debian's package if needed."""
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else None
    )
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        raise RedisServerError("redis-server is not installed and apt-get is not available")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("installing redis-server with apt-get", file=sys.stderr, flush=True)
    done = subprocess.run(
        [apt, "install", "-y", "--no-install-recommends", "redis-server"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RedisServerError(
            f"apt-get install redis-server failed ({done.returncode}): {done.stderr[-2000:]}"
        )
    found = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(found, os.X_OK):
        raise RedisServerError("apt-get installed redis-server but no binary was found")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def start(port: int | None = None, ready_within: float = 15.0) -> RedisServer:
    """Start a server (at ``port``, or a free one) and wait until it answers PING."""
    binary = find_or_install()
    port = free_port() if port is None else port
    directory = tempfile.mkdtemp(prefix="commonrest-redis-")
    process = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            directory,
            "--daemonize",
            "no",
            "--logfile",
            os.path.join(directory, "redis.log"),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + ready_within
    while not _answers(port):
        if process.poll() is not None or time.monotonic() > deadline:
            log = Path(directory, "redis.log")
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            if process.poll() is None:
                process.kill()
            raise RedisServerError(f"redis-server did not start on port {port}: {tail}")
        time.sleep(0.05)
    _started[process.pid] = process
    return RedisServer(process.pid, port, directory)


def stop(pid: int, within: float = 10.0) -> None:
    """Stop the server with this PID (SIGTERM, then SIGKILL) and reap it."""
    process = _started.pop(pid, None)
    if process is not None:
        process.terminate()
        try:
            process.wait(within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(within)
        return
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)  # started by another process (the CLI): wait until it is gone
        except ProcessLookupError:
            return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def main(argv: list[str]) -> int:
    if argv == ["start"]:
        server = start()
        STATE.write_text(f"{server.pid} {server.port}\n")
        print(server.pid, server.port)
        return 0
    if argv == ["stop"]:
        if not STATE.exists():
            print("no recorded redis-server", file=sys.stderr)
            return 1
        pid = int(STATE.read_text().split()[0])
        stop(pid)
        STATE.unlink()
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
