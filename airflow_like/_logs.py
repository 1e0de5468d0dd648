"""A task try's log on either version, read page by page.

API v1 (Airflow 2) answers ``content`` as the ``str()`` of a Python list of ``(host, text)``
tuples, which is read back as data (:func:`ast.literal_eval`, never evaluated as code);
API v2 (Airflow 3) answers a list of structured records (``timestamp``, ``event``, ``level``
and more) or of plain lines. Both hand back a ``continuation_token`` for the next part;
:class:`LogReader` follows it until the server has nothing more; :func:`log_plan` is
``client.task_instances.log``, written once for both modes (:mod:`commonrest._plans`).
"""

from __future__ import annotations

import ast
from typing import Any

from commonrest._calls import Call, OperationInfo
from commonrest._models import Model
from commonrest._plans import Plan, Send
from commonrest._sentinels import NOT_GIVEN

from ._versions import Target, neutral
from .types.common import LogRecord, TaskLog

__all__ = ["LogPage", "LogReader", "log_plan"]

#: A log of more pages than this is cut, and says so (``TaskLog.truncated``): each page is a
#: whole chunk of the file, so this bounds memory against a server that never ends it.
MAX_PAGES = 100


class LogPage(Model):
    """One answer of the log endpoint, either version."""

    content: Any = None
    continuation_token: str | None = None


def _v1_parts(content: str) -> list[tuple[str, str]]:
    if content.startswith("[("):
        try:
            parsed = ast.literal_eval(content)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
        if isinstance(parsed, list) and all(
            isinstance(p, tuple) and len(p) == 2 and all(isinstance(x, str) for x in p)
            for p in parsed
        ):
            return parsed
    return [("", content)]


def _line(record: LogRecord) -> str:
    parts = []
    if record.timestamp is not None:
        parts.append(record.timestamp.isoformat())
    if record.level:
        parts.append(f"[{record.level}]")
    parts.append(record.event or "")
    return " ".join(parts)


class LogReader:
    """Collects the pages of one log; :meth:`add` says which token to ask with next."""

    def __init__(self) -> None:
        self._texts: list[str] = []
        self._records: list[LogRecord] = []
        self._hosts: list[str] = []
        self._tokens: set[str] = set()
        self._pages = 0
        self._truncated = False

    def add(self, page: LogPage) -> str | None:
        """Take one page; the token for the next one, or ``None`` when the log is read."""
        self._pages += 1
        content = page.content
        got = False
        if isinstance(content, str) and content:
            for host, text in _v1_parts(content):
                if host and host not in self._hosts:
                    self._hosts.append(host)
                if text:
                    got = True
                    self._texts.append(text)
        elif isinstance(content, list) and content:
            got = True
            for item in content:
                if isinstance(item, dict):
                    record = LogRecord.model_validate(item)
                    self._records.append(record)
                    self._texts.append(_line(record))
                else:
                    self._texts.append(str(item))
        token = page.continuation_token
        if not got or not token or token in self._tokens:
            return None
        if self._pages >= MAX_PAGES:
            self._truncated = True
            return None
        self._tokens.add(token)
        return token

    def result(self) -> TaskLog:
        text = "\n".join(t.rstrip("\n") for t in self._texts)
        return TaskLog(
            text=text, records=self._records, hosts=self._hosts, truncated=self._truncated
        )


def _page_call(
    dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: Any, token: Any
) -> tuple[OperationInfo, Call[LogPage]]:
    key = {"dag_id": dag_id, "dag_run_id": dag_run_id, "task_id": task_id}
    rest = {"map_index": map_index, "token": token, "full_content": True}
    return neutral(
        "task_instances.log",
        LogPage,
        v1=Target(
            "v1.task_instances.TaskInstances.get_log",
            {**key, **rest, "task_try_number": try_number},
        ),
        v2=Target(
            "v2.task_instances.TaskInstances.get_log", {**key, **rest, "try_number": try_number}
        ),
    )


def log_plan(
    client: Any, dag_id: str, dag_run_id: str, task_id: str, try_number: int, map_index: Any
) -> Plan[TaskLog]:
    """The steps of ``task_instances.log``: one page after another until the log is read."""
    reader = LogReader()
    token: Any = NOT_GIVEN
    while token is not None:
        page = yield Send(
            client._execute, *_page_call(dag_id, dag_run_id, task_id, try_number, map_index, token)
        )
        token = reader.add(page)
    return reader.result()
