"""Common REST (ForgeRock CRUDPAQ): a typed client, query filters, patches, descriptors.

Start with :class:`CommonRestClient` (or :class:`AsyncCommonRestClient`) and
``client.resource("/users")``. The building blocks work on their own too: :mod:`.filters`
(query filter builder and parser), :mod:`.patch` (patch builder), :mod:`.descriptor`
(``?_crestapi`` descriptors), :mod:`.durations` and :mod:`.conventions`. An in-memory
server for tests lives in :mod:`commonrest.testing.crest_server`.
"""

from __future__ import annotations

from .._durations import UNLIMITED, Unlimited, parse_duration, to_seconds, to_timedelta
from ._client import (
    AsyncCommonRestClient,
    AsyncResourceHandle,
    CommonRestClient,
    CommonRestResources,
    ResourceHandle,
)
from ._conventions import SecretId, is_valid_secret_id, validate_secret_id
from ._descriptor import ApiDescriptor, DescriptorError, Endpoint, parse_descriptor
from ._errors import InvalidArgumentError, MissingRevisionError, crest_error_of, parse_crest_error
from ._filters import (
    Filter,
    FilterSyntaxError,
    all_of,
    and_,
    any_of,
    evaluate,
    false,
    field,
    not_,
    or_,
    parse,
    to_query_param,
    true,
)
from ._models import (
    ANY_REVISION,
    UNCONDITIONAL,
    CreateResult,
    CrestErrorBody,
    CrestModel,
    QueryResult,
    TotalPagedResultsPolicy,
    Unconditional,
    id_of,
    revision_of,
)
from ._patch import Patch, PatchError, PatchOperation, apply_patch
from ._pointers import JsonPointer

__all__ = [
    "ANY_REVISION",
    "UNCONDITIONAL",
    "UNLIMITED",
    "ApiDescriptor",
    "AsyncCommonRestClient",
    "AsyncResourceHandle",
    "CommonRestClient",
    "CommonRestResources",
    "CreateResult",
    "CrestErrorBody",
    "CrestModel",
    "DescriptorError",
    "Endpoint",
    "Filter",
    "FilterSyntaxError",
    "InvalidArgumentError",
    "JsonPointer",
    "MissingRevisionError",
    "Patch",
    "PatchError",
    "PatchOperation",
    "QueryResult",
    "ResourceHandle",
    "SecretId",
    "TotalPagedResultsPolicy",
    "Unconditional",
    "Unlimited",
    "all_of",
    "and_",
    "any_of",
    "apply_patch",
    "crest_error_of",
    "evaluate",
    "false",
    "field",
    "id_of",
    "is_valid_secret_id",
    "not_",
    "or_",
    "parse",
    "parse_crest_error",
    "parse_descriptor",
    "parse_duration",
    "revision_of",
    "to_query_param",
    "to_seconds",
    "to_timedelta",
    "true",
    "validate_secret_id",
]
