"""The public surface: what users may import, and that it reports itself as public.

The names each public module exports are listed here on purpose: adding or removing one is
a change to the public API and should show up in review as a change to this file.
"""

from __future__ import annotations

import dataclasses
import importlib
import pickle
import re
import traceback
from pathlib import Path

import httpx
import pytest
import respx

import commonrest

ROOT = Path(__file__).resolve().parents[1]

PUBLIC: dict[str, str] = {
    "commonrest": """
        APIConnectionError APIDecodeError APIError APIKeyAuth APIResponse APIResponseError
        APIStatusError APITimeoutError AsyncClient AsyncPager AsyncStream AuthenticationError
        BadRequestError BasicAuth BearerAuth Call CatalogEntry ClientClosedError ClientError
        CommonRestError ConfigurationError ConflictError Created DeadlineExceededError ETagCache
        GoneError InternalServerError InvalidArgumentError MethodNotAllowedError Model NOT_GIVEN
        NoAuth NotAcceptableError NotFoundError NotGiven OpenEnum Options Page PagedCall
        PermissionDeniedError PreconditionFailedError PreconditionRequiredError ProblemDetails
        RateLimitError RateLimitTimeoutError RateLimiter RateLimiterUnavailableError
        RedirectError RedisRateLimiter RequestValidationError Resource ResponseTooLargeError
        RetryEvent RetryPolicy Secret ServerError ServerLimit ServerNotImplementedError Service
        ServiceUnavailableError StreamCall SyncClient SyncPager SyncStream Timeout Token
        TokenEndpoint Tracing UnprocessableEntityError UnsupportedMediaTypeError
        aiohttp_transport operation paged_operation stream_operation
    """,
    "commonrest.declare": """
        Async AsyncRaw Call CatalogEntry CookiePaging Created M Mode Model NextLinkPaging
        OffsetPaging OpenEnum OperationInfo Page PagedCall PagingStrategy Resource Secret
        Service StrEnum StreamCall Sync SyncRaw build_catalog dynamic_operation
        dynamic_paged_operation operation paged_operation stream_operation
    """,
    "commonrest.crest": """
        ANY_REVISION ApiDescriptor AsyncCommonRestClient AsyncResourceHandle CommonRestClient
        CommonRestResources CreateResult CrestErrorBody CrestModel DescriptorError Endpoint
        Filter FilterSyntaxError InvalidArgumentError JsonPointer MissingRevisionError Patch
        PatchError PatchOperation QueryResult ResourceHandle SecretId TotalPagedResultsPolicy
        UNCONDITIONAL UNLIMITED Unconditional Unlimited all_of and_ any_of apply_patch
        crest_error_of evaluate false field id_of is_valid_secret_id not_ or_ parse
        parse_crest_error parse_descriptor parse_duration revision_of to_query_param to_seconds
        to_timedelta true validate_secret_id
    """,
    "commonrest.testing": """
        APIMock mock_api problem rate_limited
    """,
    "adyen_like": "AdyenClient AsyncAdyenClient catalog",
    "airflow_like": "AirflowClient AsyncAirflowClient catalog",
    "airbyte_like": "AirbyteClient AsyncAirbyteClient catalog",
    "amentum_like": "AmentumClient AsyncAmentumClient catalog",
}

TYPES_MODULES = [
    *(f"adyen_like.types.{api}" for api in importlib.import_module("adyen_like.types").__all__),
    *(f"airflow_like.types.{api}" for api in importlib.import_module("airflow_like.types").__all__),
    *(f"amentum_like.types.{api}" for api in importlib.import_module("amentum_like.types").__all__),
    "airbyte_like.types",
]

_PRIVATE_PATH = re.compile(
    r"\b(?:from|import)\s+((?:commonrest|adyen_like|airflow_like|airbyte_like|amentum_like)"
    r"(?:\.\w+)*)"
)


def _is_private(module: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in module.split("."))


def _public_objects() -> list[tuple[str, str, object]]:
    return [
        (module, name, getattr(importlib.import_module(module), name))
        for module in PUBLIC
        for name in PUBLIC[module].split()
    ]


@pytest.mark.parametrize("module", list(PUBLIC))
def test_each_public_module_exports_exactly_its_listed_names(module: str) -> None:
    exported = {n for n in importlib.import_module(module).__all__ if not n.startswith("__")}
    assert exported == set(PUBLIC[module].split())


@pytest.mark.parametrize("module", list(PUBLIC))
def test_dir_of_a_public_module_lists_its_public_names(module: str) -> None:
    listed = set(dir(importlib.import_module(module)))
    assert set(PUBLIC[module].split()) <= listed


def test_public_classes_and_functions_report_a_public_module() -> None:
    private = []
    for module, name, value in _public_objects():
        if not isinstance(value, type) and not callable(value):
            continue
        if isinstance(value, type) and (
            dataclasses.is_dataclass(value) or hasattr(value, "__pydantic_fields__")
        ):
            continue  # see test_dataclasses_and_models_keep_their_defining_module
        reported = getattr(value, "__module__", module)
        if reported is None or _is_private(reported) or reported == "typing":
            if reported == "typing" or reported.startswith("pydantic"):
                continue  # type aliases (OpenEnum, Secret) report typing's or pydantic's module
            private.append(f"{module}.{name} -> {reported}")
    assert private == []


def test_dataclasses_and_models_keep_their_defining_module() -> None:
    """Pydantic builds a model on first use, resolving its annotations in the namespace of
    ``__module__``; dataclass fields are resolved the same way. Those classes keep the
    private module that defines them, inside the package that exports them."""
    kept = [
        (module, value)
        for module, _, value in _public_objects()
        if isinstance(value, type)
        and (dataclasses.is_dataclass(value) or hasattr(value, "__pydantic_fields__"))
    ]
    assert len(kept) > 5
    for module, value in kept:
        assert value.__module__.split(".")[0] == module.split(".")[0]
        assert importlib.import_module(value.__module__).__dict__[value.__name__] is value


@respx.mock
def test_a_raised_error_prints_its_public_name() -> None:
    from airbyte_like import AirbyteClient

    respx.post(url__regex=r".*").mock(return_value=httpx.Response(404, json={"message": "no"}))
    client = AirbyteClient(username="airbyte", password="password")
    with pytest.raises(commonrest.NotFoundError) as caught:
        client.workspaces.get({"workspaceId": "00000000-0000-0000-0000-000000000000"})
    assert repr(type(caught.value)) == "<class 'commonrest.NotFoundError'>"
    assert traceback.format_exception_only(caught.type, caught.value)[-1].startswith(
        "commonrest.NotFoundError: "
    )
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is commonrest.NotFoundError
    assert copy.status_code == 404


@pytest.mark.parametrize("module", TYPES_MODULES)
def test_every_vendor_model_is_importable_from_a_public_types_module(module: str) -> None:
    types_module = importlib.import_module(module)
    values = [getattr(types_module, name) for name in types_module.__all__]
    assert any(isinstance(v, type) and issubclass(v, commonrest.Model) for v in values)


def _user_facing_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "tour.py", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("path", _user_facing_files(), ids=lambda p: p.name)
def test_readme_docs_and_tour_import_only_public_paths(path: Path) -> None:
    private = [
        m.group(1) for m in _PRIVATE_PATH.finditer(path.read_text()) if _is_private(m.group(1))
    ]
    assert private == []
