"""The generated resources plus what the spec cannot say: safe updates, waiting for jobs,
a connection's job history.

Each class extends its generated twin with methods declared once for every client mode:
``safe_update`` and ``wait`` are plans (:mod:`commonrest._plans`), ``history`` is an
ordinary paged declaration over ``jobs.list``. The clients'
:class:`~._resources.AirbyteHelpers` hands these classes out in place of the generated
ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from commonrest._operations import Mode, PagedCall, paged_operation
from commonrest._pagination import OffsetPaging
from commonrest._plans import Plan, helper
from commonrest._polling import Poll

from ._generated.config.connections import Connections as _Connections
from ._generated.config.connector_builder_projects import (
    ConnectorBuilderProjects as _ConnectorBuilderProjects,
)
from ._generated.config.destinations import Destinations as _Destinations
from ._generated.config.jobs import Jobs as _Jobs
from ._generated.config.operations import Operations as _Operations
from ._generated.config.sources import Sources as _Sources
from ._generated.config.workspaces import Workspaces as _Workspaces
from ._jobs import JobProgress, history_body, wait_plan
from ._updates import Change, safe_update_plan
from .types import (
    ConnectionRead,
    DestinationRead,
    JobInfoRead,
    JobRead,
    JobReadList,
    JobWithAttemptsRead,
    OperationRead,
    SourceRead,
    WorkspaceRead,
)

if TYPE_CHECKING:
    from ._generated.config import _requests
else:
    from commonrest._lazy import lazy_module

    _requests = lazy_module(__name__.rpartition(".")[0] + "._generated.config._requests")

__all__ = [
    "Connections",
    "ConnectorBuilderProjects",
    "Destinations",
    "Jobs",
    "Operations",
    "Sources",
    "Workspaces",
]

M = TypeVar("M", bound=Mode)

_SAFE_UPDATE_DOC = """Update the {noun} without erasing what you leave out.

        Reads the {noun} ({read}), builds the whole update body from it, applies ``fields``
        (keyword changes: Python or wire names of ``{model}``) and then ``change`` (a
        function given the body as a dict of wire names, to edit in place or replace), and
        sends it with ``{update}``. Nothing is sent when the read fails or an argument is
        refused (:class:`~commonrest.InvalidArgumentError`).

        With ``guard`` (the default) the {noun} is read again just before the write; if it
        changed since the first read, :class:`~airbyte_like.ConcurrentUpdateError` (a
        :class:`~commonrest.ConflictError`) is raised and nothing is written. Airbyte has no
        version or ETag to make the write itself conditional, so a change in the last
        round trip can still be overwritten.

        Returns what ``{update}`` returns; an async client returns a coroutine of it.
        """


def _doc(**names: str) -> Callable[[Any], Any]:
    def apply(fn: Any) -> Any:
        fn.__doc__ = _SAFE_UPDATE_DOC.format(**names)
        return fn

    return apply


class Sources(_Sources[M]):
    __doc__ = _Sources.__doc__

    @helper
    @_doc(noun="source", read="sources.get", update="sources.update", model="SourceUpdate")
    def safe_update(
        self,
        source_id: str,
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[SourceRead]:
        return safe_update_plan(self, source_id, change, guard, fields)


class Destinations(_Destinations[M]):
    __doc__ = _Destinations.__doc__

    @helper
    @_doc(
        noun="destination",
        read="destinations.get",
        update="destinations.update",
        model="DestinationUpdate",
    )
    def safe_update(
        self,
        destination_id: str,
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[DestinationRead]:
        return safe_update_plan(self, destination_id, change, guard, fields)


class Connections(_Connections[M]):
    __doc__ = _Connections.__doc__

    @helper
    @_doc(
        noun="connection",
        read="connections.get",
        update="connections.update",
        model="ConnectionUpdate",
    )
    def safe_update(
        self,
        connection_id: str,
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[ConnectionRead]:
        return safe_update_plan(self, connection_id, change, guard, fields)


class Workspaces(_Workspaces[M]):
    __doc__ = _Workspaces.__doc__

    @helper
    @_doc(
        noun="workspace", read="workspaces.get", update="workspaces.update", model="WorkspaceUpdate"
    )
    def safe_update(
        self,
        workspace_id: str,
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[WorkspaceRead]:
        return safe_update_plan(self, workspace_id, change, guard, fields)


class Operations(_Operations[M]):
    __doc__ = _Operations.__doc__

    @helper
    @_doc(
        noun="operation", read="operations.get", update="operations.update", model="OperationUpdate"
    )
    def safe_update(
        self,
        operation_id: str,
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[OperationRead]:
        return safe_update_plan(self, operation_id, change, guard, fields)


class ConnectorBuilderProjects(_ConnectorBuilderProjects[M]):
    __doc__ = _ConnectorBuilderProjects.__doc__

    @helper
    @_doc(
        noun="project",
        read="connector_builder_projects.get_with_manifest",
        update="connector_builder_projects.update",
        model="ConnectorBuilderProjectDetails",
    )
    def safe_update(
        self,
        project: Mapping[str, str],
        change: Change | None = None,
        /,
        *,
        guard: bool = True,
        **fields: Any,
    ) -> Plan[None]:
        # ``project``: {"workspaceId": ..., "builderProjectId": ...}, as the read takes it.
        return safe_update_plan(self, project, change, guard, fields)


_AIRBYTE_PAGINATION = OffsetPaging(
    limit="pageSize", offset="rowOffset", location="json", container="pagination"
)


class Jobs(_Jobs[M]):
    __doc__ = _Jobs.__doc__

    @helper
    def wait(
        self,
        job: JobInfoRead | JobRead | int,
        /,
        *,
        timeout: float | None = None,
        poll: Poll | None = None,
        on_progress: Callable[[JobProgress], object] | None = None,
        progress: bool | None = None,
    ) -> Plan[JobInfoRead]:
        """Wait until the job (what ``connections.sync`` or ``connections.reset`` returned,
        or its id) has ``succeeded``; returns its final :class:`~airbyte_like.types.JobInfoRead`.

        Polls ``jobs.get_without_logs`` with backoff (``poll``, default
        :class:`~commonrest.Poll`), calling ``on_progress`` with a
        :class:`~airbyte_like.JobProgress` (status, attempts, records and bytes emitted
        and committed) at every answer, and drawing a progress display when tqdm is
        installed (``progress``: ``None`` when watched, ``True``, ``False``).

        Raises:
            JobFailedError: The job ended ``failed`` or ``cancelled`` (``reason`` and
                ``failure_summary`` from its last attempt).
            WaitTimeoutError: ``timeout`` seconds passed first; the job goes on (it is never
                cancelled by the SDK: call ``jobs.cancel`` if you want that).
        """
        return wait_plan(
            self,
            job,
            timeout=timeout,
            poll=poll,
            on_progress=on_progress,
            progress=progress,
        )

    @paged_operation(
        "POST",
        "/v1/jobs/list",
        operation_id="listJobsFor",
        api="config",
        version="1.0.0",
        read_only=True,
        tags=("jobs",),
    )
    def history(
        self,
        connection_id: str,
        *,
        statuses: str | Iterable[str] | None = None,
        types: str | Iterable[str] = ("sync", "reset_connection"),
        page_size: int = 20,
    ) -> PagedCall[JobReadList, JobWithAttemptsRead]:
        """A connection's jobs, newest first, fetched a page at a time as you iterate.

        ``statuses`` (``"failed"``, ``["succeeded", "cancelled"]``...) and ``types`` (job
        config types; syncs and resets by default) filter on the server. Returns a
        ``SyncPager`` (``AsyncPager`` on an async client) of
        :class:`~airbyte_like.types.JobWithAttemptsRead`.
        """
        return PagedCall(
            JobReadList,
            items=lambda page: page.jobs,
            paging=_AIRBYTE_PAGINATION,
            json=history_body(connection_id, statuses, types, page_size),
            body_model=_requests.JobListRequestBody,
        )
