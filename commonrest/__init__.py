"""commonrest: typed sync and async clients for HTTP APIs on one shared core.

Importing this package is cheap: names are loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

__version__ = "0.1.0"

_EXPORTS = {
    # client and configuration
    "SyncClient": "client",
    "AsyncClient": "client",
    "Options": "options",
    "Timeout": "options",
    "RetryPolicy": "retry",
    "RetryEvent": "retry",
    "RateLimiter": "ratelimit",
    "ETagCache": "pipeline",
    "Service": "services",
    # auth
    "APIKeyAuth": "auth",
    "BasicAuth": "auth",
    "BearerAuth": "auth",
    "NoAuth": "auth",
    "Token": "auth",
    "TokenEndpoint": "auth",
    # operations and results
    "Resource": "operations",
    "Call": "operations",
    "PagedCall": "operations",
    "operation": "operations",
    "paged_operation": "operations",
    "CatalogEntry": "operations",
    "APIResponse": "response",
    "Created": "response",
    "SyncPager": "pagination",
    "AsyncPager": "pagination",
    "Page": "pagination",
    "SyncStream": "streaming",
    "AsyncStream": "streaming",
    "StreamCall": "streaming",
    "stream_operation": "streaming",
    "Model": "models",
    "NOT_GIVEN": "sentinels",
    "NotGiven": "sentinels",
    # errors
    "CommonRestError": "errors",
    "ClientClosedError": "errors",
    "ConfigurationError": "errors",
    "APIError": "errors",
    "APIConnectionError": "errors",
    "APITimeoutError": "errors",
    "DeadlineExceededError": "errors",
    "APIResponseError": "errors",
    "APIDecodeError": "errors",
    "ResponseTooLargeError": "errors",
    "APIStatusError": "errors",
    "ClientError": "errors",
    "ServerError": "errors",
    "BadRequestError": "errors",
    "AuthenticationError": "errors",
    "PermissionDeniedError": "errors",
    "NotFoundError": "errors",
    "MethodNotAllowedError": "errors",
    "NotAcceptableError": "errors",
    "ConflictError": "errors",
    "GoneError": "errors",
    "PreconditionFailedError": "errors",
    "UnsupportedMediaTypeError": "errors",
    "UnprocessableEntityError": "errors",
    "PreconditionRequiredError": "errors",
    "RateLimitError": "errors",
    "RateLimitTimeoutError": "errors",
    "RedirectError": "errors",
    "RequestValidationError": "errors",
    "InvalidArgumentError": "errors",
    "InternalServerError": "errors",
    "ServerNotImplementedError": "errors",
    "ServiceUnavailableError": "errors",
    "ProblemDetails": "errors",
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
    "RedirectError",
    "RequestValidationError",
    "Resource",
    "ResponseTooLargeError",
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
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
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "__version__",
    "operation",
    "paged_operation",
    "stream_operation",
]


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS, __all__)


if TYPE_CHECKING:
    from .auth import APIKeyAuth, BasicAuth, BearerAuth, NoAuth, Token, TokenEndpoint
    from .client import AsyncClient, SyncClient
    from .errors import (
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
    from .models import Model
    from .operations import Call, CatalogEntry, PagedCall, Resource, operation, paged_operation
    from .options import Options, Timeout
    from .pagination import AsyncPager, Page, SyncPager
    from .pipeline import ETagCache
    from .ratelimit import RateLimiter
    from .response import APIResponse, Created
    from .retry import RetryEvent, RetryPolicy
    from .sentinels import NOT_GIVEN, NotGiven
    from .services import Service
    from .streaming import AsyncStream, StreamCall, SyncStream, stream_operation
