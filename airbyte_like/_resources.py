"""The clients' resources: the generated ones, with the families that have hand-written
helpers (:mod:`._families`) in place of their generated classes. Each is imported the first
time its property is read, as the generated ones are."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from commonrest._operations import Mode

from ._generated.client_mixin import AirbyteResources

if TYPE_CHECKING:
    from ._families import (
        Connections,
        ConnectorBuilderProjects,
        Destinations,
        Jobs,
        Operations,
        Sources,
        Workspaces,
    )

__all__ = ["AirbyteHelpers"]

M = TypeVar("M", bound=Mode)


class AirbyteHelpers(AirbyteResources[M], Generic[M]):
    """The clients' resources, with the hand-written helpers where a family has them."""

    @cached_property
    def sources(self) -> Sources[M]:
        """``sources`` operations, and ``safe_update``."""
        from ._families import Sources

        return Sources(self)

    @cached_property
    def destinations(self) -> Destinations[M]:
        """``destinations`` operations, and ``safe_update``."""
        from ._families import Destinations

        return Destinations(self)

    @cached_property
    def connections(self) -> Connections[M]:
        """``connections`` operations, and ``safe_update``."""
        from ._families import Connections

        return Connections(self)

    @cached_property
    def workspaces(self) -> Workspaces[M]:
        """``workspaces`` operations, and ``safe_update``."""
        from ._families import Workspaces

        return Workspaces(self)

    @cached_property
    def operations(self) -> Operations[M]:
        """``operations`` operations, and ``safe_update``."""
        from ._families import Operations

        return Operations(self)

    @cached_property
    def connector_builder_projects(self) -> ConnectorBuilderProjects[M]:
        """``connector_builder_projects`` operations, and ``safe_update``."""
        from ._families import ConnectorBuilderProjects

        return ConnectorBuilderProjects(self)

    @cached_property
    def jobs(self) -> Jobs[M]:
        """``jobs`` operations, ``wait`` and ``history``."""
        from ._families import Jobs

        return Jobs(self)
