"""Start and stop an nginx on 127.0.0.1 serving canned answers (not the bottleneck): Adyen's
authorisation result, Airflow v1 and v2 lists of 100 DAGs, a 404 with problem details and a
429 with ``Retry-After``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

from benchmarks.fixtures import (
    AIRFLOW_V1,
    AIRFLOW_V2,
    NOT_FOUND,
    PAYMENT_RESULT,
    TOO_MANY,
    dag_list,
)

RUN = Path(__file__).resolve().parent / ".run"


def _inline(body: dict[str, Any]) -> str:
    """A JSON body as an nginx ``return`` string (single-quoted, no variables)."""
    text = json.dumps(body, separators=(",", ":"))
    if "'" in text or "$" in text or "\\" in text:
        raise ValueError("body cannot be inlined in nginx.conf")
    return text


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
        for name, body in (
            ("v1_dags.json", dag_list(AIRFLOW_V1, "DAG")),
            ("v2_dags.json", dag_list(AIRFLOW_V2, "DAGResponse")),
        ):
            (RUN / name).write_text(json.dumps(body, separators=(",", ":")))
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
        location = /pal/servlet/Payment/v68/authorise {{
            default_type application/json; return 200 '{_inline(PAYMENT_RESULT)}';
        }}
        location = /api/v1/dags {{ default_type application/json; alias {RUN}/v1_dags.json; }}
        location = /api/v2/dags {{ default_type application/json; alias {RUN}/v2_dags.json; }}
        location = /api/v1/dags/missing {{
            default_type application/problem+json; return 404 '{_inline(NOT_FOUND)}';
        }}
        location = /api/v1/dags/busy {{
            default_type application/problem+json;
            add_header Retry-After 1 always;
            return 429 '{_inline(TOO_MANY)}';
        }}
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
