"""Start and stop an nginx on 127.0.0.1 serving canned JSON (not the bottleneck)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

RUN = Path(__file__).resolve().parent / ".run"

SMALL = {
    "thingId": "thg_01HZX4Q8R5T2N7W9K3M6P0B1C2",
    "name": "benchmark thing number one",
    "status": "active",
    "createdAt": "2026-11-22T10:15:30.123456+00:00",
    "size": 123456,
    "ratio": 0.618033988,
    "active": True,
    "tags": ["alpha", "beta", "gamma", "delta"],
    "owner": {"ownerId": "own_7Y3K9P2M4Q", "displayName": "Benchmark Owner Limited"},
}


def _list_body() -> dict[str, object]:
    items = [
        {
            "itemId": i,
            "name": f"item number {i:04d}",
            "kind": "widget" if i % 2 else "gadget",
            "price": round(10 + i * 0.37, 2),
            "currency": "EUR",
            "inStock": i % 3 != 0,
            "updatedAt": f"2026-11-{1 + i % 28:02d}T08:00:00+00:00",
            "description": "a fairly ordinary item used to make the list body realistic " * 2,
            "labels": ["red", "large", f"batch-{i % 7}"],
        }
        for i in range(100)
    ]
    return {"items": items, "total_entries": 100}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Nginx:
    """nginx with one worker, keep-alive, no access log."""

    def __init__(self) -> None:
        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.path.exists(self.binary):
            raise SystemExit(
                "nginx is needed for the benchmark server: apt-get install -y nginx-light"
            )
        self.port = free_port()
        self.pid: int | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        RUN.mkdir(exist_ok=True)
        small = json.dumps(SMALL, separators=(",", ":"))
        (RUN / "list.json").write_text(json.dumps(_list_body(), separators=(",", ":")))
        conf = f"""
worker_processes 1;
daemon off;
pid {RUN}/nginx.pid;
error_log {RUN}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_body_temp_path {RUN}/body;
    proxy_temp_path {RUN}/proxy;
    fastcgi_temp_path {RUN}/fastcgi;
    uwsgi_temp_path {RUN}/uwsgi;
    scgi_temp_path {RUN}/scgi;
    server {{
        listen 127.0.0.1:{self.port};
        location = /small {{ default_type application/json; return 200 '{small}'; }}
        location = /list {{ default_type application/json; alias {RUN}/list.json; }}
    }}
}}
"""
        (RUN / "nginx.conf").write_text(conf)
        proc = subprocess.Popen(
            [self.binary, "-c", str(RUN / "nginx.conf"), "-p", str(RUN)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.pid = proc.pid
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise SystemExit(f"nginx did not start; see {RUN / 'error.log'}")

    def stop(self) -> None:
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGQUIT)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pid = None
