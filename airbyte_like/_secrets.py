"""Connector secrets: which configuration fields hold them, and keeping them out of sight.

A source's or destination's ``connectionConfiguration`` is untyped JSON whose shape the
connector's specification gives; that specification marks the secret properties with
``airbyte_secret: true``. The SDK knows a property is secret when

- a specification fetched through the client (``source_definition_specifications.get``,
  ``destination_definition_specifications.get`` and their ``get_for_*`` twins) marked a
  property of that name secret: names are learnt for the process, whatever the connector,
  or one passed to :func:`learn_secret_fields`; or
- its name looks secret by the conservative default (:data:`SECRET_NAME`: password,
  secret, token, API or access key, private key, credentials JSON, service account...),
  so configurations are masked before any specification has been fetched.

What the SDK does with them:

- ``repr()`` and ``str()`` of the models that carry configurations (sources, destinations,
  OAuth requests and answers, builder-project testing values) show such values as
  ``**********``; the model's data, ``to_dict()`` and the request keep them exactly;
- a call of a secret-bearing operation (:data:`SECRET_RESOURCES`) is *private*: every
  string inside the configurations it sends, and every value under a secret-looking key,
  is scrubbed from its errors as credentials are, and a success body it receives is never
  kept by an error. The core never logs bodies.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from commonrest._lazy import publish
from commonrest._repr_masks import mask_in_repr

__all__ = [
    "MASK",
    "SECRET_NAME",
    "SECRET_RESOURCES",
    "body_secrets",
    "learn_secret_fields",
    "learned_secret_fields",
    "mask_configuration",
]

#: How Airbyte itself shows a secret it sends back.
MASK = "**********"

#: Property names treated as secret before any specification says so.
SECRET_NAME = re.compile(
    r"(?i)(password|passwd|passphrase|secret|token|api_?key|access_?key|private_?key"
    r"|credentials?_json|service_account|ssh_key|session)"
)

#: Resources whose request and response bodies may hold connector secrets.
SECRET_RESOURCES = frozenset(
    {
        "sources",
        "destinations",
        "connector_builder_projects",
        "source_oauth",
        "destination_oauth",
        "scheduler",
    }
)

#: Request keys whose whole content is connector configuration (or OAuth material).
_CONFIG_KEYS = frozenset(
    {
        "connectionConfiguration",
        "oAuthInputConfiguration",
        "queryParams",
        "params",
        "testingValues",
        "sourceConfiguration",
        "destinationConfiguration",
        "configuration",
    }
)

_learned: set[str] = set()
_lock = threading.Lock()


def _plain(value: Any) -> Any:
    """A model as its data (wire names); anything else as it is."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="python", by_alias=True, exclude_unset=True)
    return value


def learned_secret_fields() -> frozenset[str]:
    """The property names learnt from specifications so far (this process)."""
    return frozenset(_learned)


def _marked(schema: Any) -> Iterator[str]:
    if isinstance(schema, list):
        for item in schema:
            yield from _marked(item)
        return
    if not isinstance(schema, Mapping):
        return
    properties = schema.get("properties")
    if isinstance(properties, Mapping):
        for name, sub in properties.items():
            if isinstance(sub, Mapping) and sub.get("airbyte_secret") is True:
                yield str(name)
            yield from _marked(sub)
    for key in ("oneOf", "anyOf", "allOf", "items", "additionalProperties"):
        if key in schema:
            yield from _marked(schema[key])


def learn_secret_fields(specification: Any) -> frozenset[str]:
    """Remember the properties ``specification`` marks ``airbyte_secret`` (a connection
    specification JSON schema, or a specification read holding one as
    ``connectionSpecification``); returns the names found. The client does this itself for
    every specification it fetches."""
    specification = _plain(specification)
    if isinstance(specification, Mapping) and "connectionSpecification" in specification:
        specification = specification["connectionSpecification"]
    found = frozenset(_marked(specification))
    if found - _learned:
        with _lock:
            _learned.update(found)
    return found


def is_secret_name(name: str) -> bool:
    return name in _learned or bool(SECRET_NAME.search(name))


def mask_configuration(value: Any) -> Any:
    """``value`` (a configuration) with the value of every secret property replaced by
    :data:`MASK`, at any depth; the argument is left as it is."""
    value = _plain(value)
    if isinstance(value, Mapping):
        return {
            k: (MASK if v is not None and is_secret_name(str(k)) else mask_configuration(v))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [mask_configuration(v) for v in value]
    return value


def _whole(value: Any) -> str:
    return MASK


def body_secrets(body: Any) -> tuple[str, ...]:
    """The strings of a request body that must never appear in an error: everything
    inside its configurations, and every value under a secret-looking key."""
    # imported here: this module is loaded with the package, before any client exists
    from commonrest._redaction import strings_under

    return strings_under(_plain(body), lambda key: key in _CONFIG_KEYS or is_secret_name(key))


#: Operations whose answers are connector specifications (they teach the secret names).
SPECIFICATION_OPERATIONS = frozenset(
    {
        "getSourceDefinitionSpecification",
        "getDestinationDefinitionSpecification",
        "getSpecificationForSourceId",
        "getSpecificationForDestinationId",
    }
)


def _mask_fields(**fields: Callable[[Any], Any]) -> dict[str, Callable[[Any], Any]]:
    return fields


_CONFIG = _mask_fields(connection_configuration=mask_configuration)
_OAUTH_REQUEST = _mask_fields(o_auth_input_configuration=mask_configuration, query_params=_whole)

mask_in_repr(
    "airbyte_like.types",
    {
        **dict.fromkeys(
            (
                "SourceCoreConfig",
                "SourceCreate",
                "SourceUpdate",
                "PartialSourceUpdate",
                "SourceSearch",
                "SourceRead",
                "SourceCloneConfiguration",
                "DestinationCoreConfig",
                "DestinationCreate",
                "DestinationUpdate",
                "PartialDestinationUpdate",
                "DestinationSearch",
                "DestinationRead",
                "DestinationCloneConfiguration",
            ),
            _CONFIG,
        ),
        "SourceOauthConsentRequest": _OAUTH_REQUEST,
        "DestinationOauthConsentRequest": _OAUTH_REQUEST,
        "CompleteSourceOauthRequest": _OAUTH_REQUEST,
        "CompleteDestinationOAuthRequest": _OAUTH_REQUEST,
        "CompleteOAuthResponse": _mask_fields(auth_payload=_whole),
        "SetInstancewideSourceOauthParamsRequestBody": _mask_fields(params=_whole),
        "SetInstancewideDestinationOauthParamsRequestBody": _mask_fields(params=_whole),
        "ConnectorBuilderProjectRead": _mask_fields(testing_values=mask_configuration),
        "ConnectorBuilderProjectTestingValuesUpdate": _mask_fields(
            testing_values=mask_configuration
        ),
        "CreateOrUpdateSecretsPersistenceConfigRequestBody": _mask_fields(configuration=_whole),
        "WebhookConfigWrite": _mask_fields(auth_token=_whole),
        "ApplicationRead": _mask_fields(client_secret=_whole),
        "ApplicationTokenRequest": _mask_fields(client_secret=_whole),
        "AccessToken": _mask_fields(access_token=_whole),
    },
)

publish(__name__, globals())
