"""The public surface: what users may import, and that it reports itself as public.

The names each public module exports are listed here on purpose: adding or removing one is
a change to the public API and should show up in review as a change to this file.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import pickle
import re
import subprocess
import sys
import traceback
from pathlib import Path

import httpx
import pytest
import respx
from typing_extensions import is_typeddict

import commonrest

ROOT = Path(__file__).resolve().parents[1]

PUBLIC: dict[str, str] = {
    "commonrest": """
        APIConnectionError APIDecodeError APIError APIKeyAuth APIResponse APIResponseError
        APIStatusError APITimeoutError AsyncClient AsyncClientOptions AsyncPager AsyncStream
        AuthenticationError BadRequestError BasicAuth BearerAuth Call CallOptions CatalogEntry
        ClientClosedError ClientError ClientOptions CommonRestError ConfigurationError
        ConflictError Created DeadlineExceededError ETagCache GoneError InternalServerError
        InvalidArgumentError MethodNotAllowedError Model NOT_GIVEN NoAuth NotAcceptableError
        NotFoundError NotGiven OpenEnum Options Page PagedCall Poll PermissionDeniedError
        PreconditionFailedError PreconditionRequiredError ProblemDetails RateLimitError
        RateLimitTimeoutError RateLimiter RateLimiterUnavailableError RedirectError
        RedisRateLimiter RequestValidationError Resource ResponseTooLargeError RetryEvent
        RetryPolicy Secret ServerError ServerLimit ServerNotImplementedError Service
        ServiceUnavailableError StreamCall SyncClient SyncClientOptions SyncPager SyncStream
        Timeout Token TokenEndpoint Tracing UnprocessableEntityError UnsupportedMediaTypeError
        WaitFailedError WaitTimeoutError WithOptions aiohttp_transport operation paged_operation
        stream_operation
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
        APIMock mock_api post_to_asgi post_to_wsgi problem rate_limited
    """,
    "adyen_like": "AdyenClient AsyncAdyenClient catalog",
    "adyen_like.webhooks": """
        ACCEPTED Acknowledgement EventCode InMemoryReplayStore Notification NotificationItem
        PlatformEventType PlatformNotification ReplayKey ReplayStore WebhookVerificationError
        accepted fresh_items handle_fresh notification_signature signing_payload verify_notification
        verify_platform_notification
    """,
    "adyen_like.testing": "notification_item signed_notification signed_platform_notification",
    "adyen_like.amounts": "EXPONENTS amount exponent_of from_minor_units to_minor_units",
    "airflow_like": (
        "AirflowClient AirflowVersionError AsyncAirflowClient DagRunFailedError catalog"
    ),
    "airflow_like.testing": "AirflowFake",
    "airbyte_like": """
        AirbyteClient AirbyteErrorDetail AsyncAirbyteClient ConcurrentUpdateError JobFailedError
        JobProgress ValidationProblem catalog learn_secret_fields parse_airbyte_error
    """,
    "airbyte_like.testing": "AirbyteFake FakeError",
    "amentum_like": """
        AmentumClient AsyncAmentumClient BatchResult PointFailedError PointResult Quantity airport
        catalog evaluate evaluate_sync quantities time_arguments
    """,
    "amentum_like.testing": "AmentumFake FakeRequest",
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
            dataclasses.is_dataclass(value)
            or hasattr(value, "__pydantic_fields__")
            or is_typeddict(value)
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
        and (
            dataclasses.is_dataclass(value)
            or hasattr(value, "__pydantic_fields__")
            or is_typeddict(value)
        )
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


@pytest.mark.parametrize("module", TYPES_MODULES)
def test_every_class_of_a_vendor_types_module_reports_that_module(module: str) -> None:
    """Models and enums report their public module, wherever the generator put them (a
    spec's models load in chunks, on first use): reprs, tracebacks and pickles name it,
    and the module holds them."""
    types_module = importlib.import_module(module)
    classes = {
        name: value
        for name in types_module.__all__
        if isinstance(value := getattr(types_module, name), type)
    }
    assert classes
    wrong = [f"{name}: {c.__module__}" for name, c in classes.items() if c.__module__ != module]
    assert wrong == []
    for name, value in classes.items():
        assert vars(types_module)[name] is value
        if issubclass(value, commonrest.Model):
            assert repr(value) == f"<class '{module}.{value.__qualname__}'>"


def test_a_vendor_model_pickles_by_its_public_path() -> None:
    from adyen_like.types.payment import Amount, PaymentRequest, PaymentResult

    request = PaymentRequest(
        merchant_account="M", amount=Amount(currency="EUR", value=1000), reference="r1"
    )
    result = PaymentResult.model_validate(
        {"pspReference": "p1", "resultCode": "Authorised", "dccAmount": {"value": 5}}
    )
    for model in (request, result):
        data = pickle.dumps(model)
        assert b"adyen_like.types.payment" in data
        assert b"_generated" not in data
        copy = pickle.loads(data)
        assert type(copy) is type(model)
        assert copy == model
    # a fresh interpreter finds the class by that path, importing nothing else first
    code = (
        "import pickle, sys\n"
        "result = pickle.loads(sys.stdin.buffer.read())\n"
        "assert type(result).__module__ == 'adyen_like.types.payment'\n"
        "assert result.psp_reference == 'p1' and result.dcc_amount.value == 5\n"
        "assert result.result_code == 'Authorised'\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], input=pickle.dumps(result), check=True, timeout=120
    )


@pytest.mark.parametrize(
    ("client", "call", "url", "body", "check"),
    [
        (
            "from adyen_like import AdyenClient\nclient = AdyenClient(api_key='k', max_retries=0)",
            "client.payments.authorise({'merchantAccount': 'M', 'reference': 'r',"
            " 'amount': {'currency': 'EUR', 'value': 1}})",
            r".*/authorise$",
            {"pspReference": "p1", "resultCode": "Authorised", "fraudResult": {"accountScore": 3}},
            "result.fraud_result.account_score == 3 and result.result_code == 'Authorised'",
        ),
        (
            "from airflow_like import AirflowClient\n"
            "client = AirflowClient(base_url='http://af.test', token='t', max_retries=0)",
            "client.v2.dags.get('d1')",
            r".*/dags/d1$",
            {"dag_id": "d1", "tags": [{"name": "x", "dag_id": "d1"}], "owners": ["a"]},
            "result.tags[0].name == 'x' and result.dag_id == 'd1'",
        ),
        (
            "from airbyte_like import AirbyteClient\n"
            "client = AirbyteClient(username='u', password='p', max_retries=0)",
            "client.workspaces.get({'workspaceId': '00000000-0000-0000-0000-000000000000'})",
            r".*/workspaces/get$",
            {"workspaceId": "w1", "name": "n", "notificationSettings": {}},
            "result.workspace_id == 'w1'",
        ),
    ],
    ids=["adyen", "airflow", "airbyte"],
)
def test_a_deferred_model_builds_on_first_use_through_the_client_alone(
    client: str, call: str, url: str, body: object, check: str
) -> None:
    """Only the client is imported; the response model's validator is built (its string
    annotations resolved in its public module) when the first response is decoded."""
    package = client.split()[1]
    code = (
        "import json, sys\n"
        "import httpx, respx\n"
        f"{client}\n"
        f"assert not [m for m in sys.modules if m.startswith('{package}.types')], 'early'\n"
        "with respx.mock:\n"
        f"    respx.route(url__regex={url!r}).mock(\n"
        f"        return_value=httpx.Response(200, json=json.loads({json.dumps(body)!r}))\n"
        "    )\n"
        f"    result = {call}\n"
        "cls = type(result)\n"
        f"assert cls.__module__.startswith('{package}.types'), cls.__module__\n"
        "assert cls.__pydantic_complete__\n"
        f"assert {check}, result\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _user_facing_files() -> list[Path]:
    return [ROOT / "README.md", ROOT / "tour.py", *sorted((ROOT / "docs").rglob("*.md"))]


@pytest.mark.parametrize("path", _user_facing_files(), ids=lambda p: p.name)
def test_readme_docs_and_tour_import_only_public_paths(path: Path) -> None:
    private = [
        m.group(1) for m in _PRIVATE_PATH.finditer(path.read_text()) if _is_private(m.group(1))
    ]
    assert private == []
