"""commonrest: typed sync and async clients for HTTP APIs on one shared core.

Importing this package is cheap: names are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # client and configuration
    "SyncClient": "_client",
    "AsyncClient": "_client",
    "Options": "_options",
    "Timeout": "_options",
    "RetryPolicy": "_retry",
    "RetryEvent": "_retry",
    "RateLimiter": "_ratelimit",
    "ServerLimit": "_server_limits",
    "RedisRateLimiter": "_ratelimit_redis",
    "Tracing": "_tracing",
    "ETagCache": "_etag",
    "Service": "_services",
    "aiohttp_transport": "_transports",
    # auth
    "APIKeyAuth": "_auth",
    "BasicAuth": "_auth",
    "BearerAuth": "_auth",
    "NoAuth": "_auth",
    "Token": "_auth",
    "TokenEndpoint": "_auth",
    # operations and results
    "Resource": "_operations",
    "Call": "_operations",
    "PagedCall": "_operations",
    "operation": "_operations",
    "paged_operation": "_operations",
    "CatalogEntry": "_operations",
    "APIResponse": "_response",
    "Created": "_response",
    "SyncPager": "_pagination",
    "AsyncPager": "_pagination",
    "Page": "_pagination",
    "SyncStream": "_streaming",
    "AsyncStream": "_streaming",
    "StreamCall": "_streaming",
    "stream_operation": "_streaming",
    "Model": "_models",
    "OpenEnum": "_models",
    "Secret": "_models",
    "NOT_GIVEN": "_sentinels",
    "NotGiven": "_sentinels",
    # errors
    "CommonRestError": "_errors",
    "ClientClosedError": "_errors",
    "ConfigurationError": "_errors",
    "APIError": "_errors",
    "APIConnectionError": "_errors",
    "APITimeoutError": "_errors",
    "DeadlineExceededError": "_errors",
    "APIResponseError": "_errors",
    "APIDecodeError": "_errors",
    "ResponseTooLargeError": "_errors",
    "APIStatusError": "_errors",
    "ClientError": "_errors",
    "ServerError": "_errors",
    "BadRequestError": "_errors",
    "AuthenticationError": "_errors",
    "PermissionDeniedError": "_errors",
    "NotFoundError": "_errors",
    "MethodNotAllowedError": "_errors",
    "NotAcceptableError": "_errors",
    "ConflictError": "_errors",
    "GoneError": "_errors",
    "PreconditionFailedError": "_errors",
    "UnsupportedMediaTypeError": "_errors",
    "UnprocessableEntityError": "_errors",
    "PreconditionRequiredError": "_errors",
    "RateLimitError": "_errors",
    "RateLimitTimeoutError": "_errors",
    "RateLimiterUnavailableError": "_errors",
    "RedirectError": "_errors",
    "RequestValidationError": "_errors",
    "InvalidArgumentError": "_errors",
    "InternalServerError": "_errors",
    "ServerNotImplementedError": "_errors",
    "ServiceUnavailableError": "_errors",
    "ProblemDetails": "_errors",
}

__all__ = [
    "NOT_GIVEN",
    "APIConnectionError",
    "APIDecodeError",
    "APIError",
    "APIKeyAuth",
    "APIResponse",
    "APIResponseError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncPager",
    "AsyncStream",
    "AuthenticationError",
    "BadRequestError",
    "BasicAuth",
    "BearerAuth",
    "Call",
    "CatalogEntry",
    "ClientClosedError",
    "ClientError",
    "CommonRestError",
    "ConfigurationError",
    "ConflictError",
    "Created",
    "DeadlineExceededError",
    "ETagCache",
    "GoneError",
    "InternalServerError",
    "InvalidArgumentError",
    "MethodNotAllowedError",
    "Model",
    "NoAuth",
    "NotAcceptableError",
    "NotFoundError",
    "NotGiven",
    "OpenEnum",
    "Options",
    "Page",
    "PagedCall",
    "PermissionDeniedError",
    "PreconditionFailedError",
    "PreconditionRequiredError",
    "ProblemDetails",
    "RateLimitError",
    "RateLimitTimeoutError",
    "RateLimiter",
    "RateLimiterUnavailableError",
    "RedirectError",
    "RedisRateLimiter",
    "RequestValidationError",
    "Resource",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "Secret",
    "ServerError",
    "ServerLimit",
    "ServerNotImplementedError",
    "Service",
    "ServiceUnavailableError",
    "StreamCall",
    "SyncClient",
    "SyncPager",
    "SyncStream",
    "Timeout",
    "Token",
    "TokenEndpoint",
    "Tracing",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "__version__",
    "aiohttp_transport",
    "operation",
    "paged_operation",
    "stream_operation",
]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)


if TYPE_CHECKING:
    from ._auth import APIKeyAuth, BasicAuth, BearerAuth, NoAuth, Token, TokenEndpoint
    from ._client import AsyncClient, SyncClient
    from ._errors import (
        APIConnectionError,
        APIDecodeError,
        APIError,
        APIResponseError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ClientClosedError,
        ClientError,
        CommonRestError,
        ConfigurationError,
        ConflictError,
        DeadlineExceededError,
        GoneError,
        InternalServerError,
        InvalidArgumentError,
        MethodNotAllowedError,
        NotAcceptableError,
        NotFoundError,
        PermissionDeniedError,
        PreconditionFailedError,
        PreconditionRequiredError,
        ProblemDetails,
        RateLimitError,
        RateLimiterUnavailableError,
        RateLimitTimeoutError,
        RedirectError,
        RequestValidationError,
        ResponseTooLargeError,
        ServerError,
        ServerNotImplementedError,
        ServiceUnavailableError,
        UnprocessableEntityError,
        UnsupportedMediaTypeError,
    )
    from ._etag import ETagCache
    from ._models import Model, OpenEnum, Secret
    from ._operations import Call, CatalogEntry, PagedCall, Resource, operation, paged_operation
    from ._options import Options, Timeout
    from ._pagination import AsyncPager, Page, SyncPager
    from ._ratelimit import RateLimiter
    from ._ratelimit_redis import RedisRateLimiter
    from ._response import APIResponse, Created
    from ._retry import RetryEvent, RetryPolicy
    from ._sentinels import NOT_GIVEN, NotGiven
    from ._server_limits import ServerLimit
    from ._services import Service
    from ._streaming import AsyncStream, StreamCall, SyncStream, stream_operation
    from ._tracing import Tracing
    from ._transports import aiohttp_transport
