"""What both Common REST clients are built from: one service, the Common REST error body
parser, and a base URL and credential that must be given."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, ClassVar

from .._client import BaseClient
from .._errors import ConfigurationError, ErrorParser
from .._services import Service
from ._errors import parse_crest_error
from ._wire import SERVICE

__all__ = ["_CommonRestSetup"]

_SERVICES: Mapping[str, Service] = {SERVICE: Service(name="Common REST", urls={})}


def _require_base_url(client: BaseClient, settings: Mapping[str, Any]) -> None:
    """Refuse a client with no server URL, saying which setting is missing (the core
    would report an unknown environment: Common REST servers have no default URL)."""
    if settings.get("base_url") is not None or SERVICE in (settings.get("base_urls") or {}):
        return
    variable = f"{client.env_prefix}_BASE_URL"
    if os.environ.get(variable):
        return
    raise ConfigurationError(
        f"{type(client).__name__} needs base_url (or the {variable} environment variable): "
        "the URL of the Common REST server, such as 'https://idm.example.com/openidm'"
    )


class _CommonRestSetup(BaseClient):
    """The settings both Common REST clients share: one service, the Common REST error
    body parser, and a base URL and credential that must be given (Common REST servers
    authenticate every request; ``auth=NoAuth()`` says a server does not, on purpose)."""

    services: ClassVar[Mapping[str, Service]] = _SERVICES
    error_parsers: ClassVar[tuple[ErrorParser, ...]] = (parse_crest_error,)
    env_prefix: ClassVar[str] = "COMMONREST"
    logger_name: ClassVar[str] = "commonrest.crest"
    credential_sources: ClassVar[Mapping[str, str]] = {
        "default": "pass auth=BasicAuth(username, password), BearerAuth(token) or another auth"
    }

    def _resolve_settings(self, settings: dict[str, Any]) -> dict[str, Any]:
        _require_base_url(self, settings)
        return settings
