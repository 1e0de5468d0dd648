"""Requests carry exactly what the caller gave, after strict validation.

Every generated operation with a body validates it against the strict class of its schema
(``_generated/<spec>/_requests.py``) before anything is sent: required fields, types (no
boolean for an integer, no number for a string), lengths, patterns, ranges and 64/32-bit
integer bounds. What is sent is the caller's data: secrets as given, enum values as their
wire strings, and null for a required field that allows null and was left out.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import typing
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest
import respx

from adyen_like import AdyenClient
from airflow_like import AirflowClient
from codegen.config import VENDORS
from commonrest import Call, InvalidArgumentError, RequestValidationError
from commonrest._models import Model, RequestModel
from commonrest._request import encode_body

from .helpers import members, minimal_instance

#: (spec file, strict module, public types module) of every spec
SPECS = [
    (s.file, f"{v.package}._generated.{s.key}._requests", v.types_module(s))
    for v in VENDORS
    for s in v.specs
]
PUBLIC = {strict: public for _, strict, public in SPECS}
HOST = "http://airflow.test"
PAYMENT = {"amount": {"currency": "EUR", "value": 1000}, "merchantAccount": "M", "reference": "r1"}


def _modules(kind: str) -> Iterator[tuple[str, ModuleType]]:
    """The strict (``kind="_requests"``) or public (``"types"``) module of every spec."""
    for file, strict, public in SPECS:
        try:
            yield file, importlib.import_module(strict if kind == "_requests" else public)
        except ModuleNotFoundError:
            continue


def _own_classes(module: ModuleType, base: type[Model]) -> list[type[Model]]:
    return [
        c
        for c in members(module)
        if isinstance(c, type) and issubclass(c, base) and c.__module__ == module.__name__
    ]


def _mentions(annotation: Any, target: Any) -> bool:
    if annotation is target:
        return True
    return any(_mentions(a, target) for a in typing.get_args(annotation))


def _enums(annotation: Any) -> Iterator[type[enum.Enum]]:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _enums(arg)


# ------------------------------------------------------------------ secrets


def _secret_fields() -> list[tuple[str, type[Model], str]]:
    """(spec file, strict class, wire name) of every secret-typed request field."""
    out = []
    for file, module in _modules("_requests"):
        for cls in _own_classes(module, RequestModel):
            cls.model_rebuild()
            for name, info in cls.model_fields.items():
                if _mentions(info.annotation, pydantic.SecretStr) and name in vars(cls).get(
                    "__annotations__", {}
                ):
                    out.append((file, cls, info.alias or name))
    return out


SECRETS = _secret_fields()


def test_secret_fields_are_found() -> None:
    # Airflow v1's connection password (``format: password``) at least
    assert any(cls.__name__ == "Connection" and wire == "password" for _, cls, wire in SECRETS)


@pytest.mark.parametrize(
    ("file", "cls", "wire"), SECRETS, ids=[f"{c.__name__}.{w}" for _, c, w in SECRETS]
)
def test_every_secret_request_field_is_sent_as_given(
    file: str, cls: type[Model], wire: str
) -> None:
    body = minimal_instance(file, {"$ref": f"#/components/schemas/{cls.__name__}"})
    assert isinstance(body, dict)
    body[wire] = "s3cr3t-pw"
    sent = encode_body(Call(None, json=body, body_model=cls))
    assert sent is not None and json.loads(sent)[wire] == "s3cr3t-pw"
    public = importlib.import_module(PUBLIC[cls.__module__])
    model = getattr(public, cls.__name__).model_validate(body)
    assert "s3cr3t-pw" not in repr(model) and "s3cr3t-pw" not in model.to_json()
    sent = encode_body(Call(None, json=model, body_model=cls))
    assert sent is not None and json.loads(sent)[wire] == "s3cr3t-pw"


def test_airflow_connection_password_reaches_the_server() -> None:
    from airflow_like.types.v1 import Connection

    client = AirflowClient(base_url=HOST, username="admin", password="secret", api_version=1)
    with respx.mock() as router:
        route = router.post(f"{HOST}/api/v1/connections").mock(
            return_value=httpx.Response(200, json={"connection_id": "pg", "conn_type": "postgres"})
        )
        client.v1.connections.create(
            {"connection_id": "pg", "conn_type": "postgres", "password": "s3cr3t-pw"}
        )
        client.v1.connections.create(Connection(connection_id="pg", password="s3cr3t-pw"))
    sent = [json.loads(call.request.content) for call in route.calls]
    assert [s["password"] for s in sent] == ["s3cr3t-pw", "s3cr3t-pw"]
    assert sent[1] == {"connection_id": "pg", "password": "s3cr3t-pw"}


def test_a_body_rebuilt_from_to_dict_never_sends_the_masked_secret() -> None:
    # to_dict() shows a secret as asterisks; a body made from it must not store them
    from airflow_like.types.v1 import Connection

    client = AirflowClient(base_url=HOST, username="admin", password="secret", api_version=1)
    shown = Connection(connection_id="pg", password="s3cr3t-pw").to_dict()
    assert "s3cr3t-pw" not in json.dumps(shown)
    with respx.mock(assert_all_called=False) as router:
        route = router.post(f"{HOST}/api/v1/connections").respond(200, json={})
        with pytest.raises(RequestValidationError, match="mask") as info:
            client.v1.connections.create(shown)
    assert not route.called
    assert isinstance(info.value, InvalidArgumentError)


# ------------------------------------------------------------------ enums


def _enum_fields() -> Iterator[tuple[type[Model], str, str, type[enum.Enum]]]:
    """Every enum-typed field of every public model (the classes users read)."""
    for _, module in _modules("types"):
        for cls in _own_classes(module, Model):
            if issubclass(cls, pydantic.RootModel):
                continue
            cls.model_rebuild()
            for field, info in cls.model_fields.items():
                for found in set(_enums(info.annotation)):
                    yield cls, field, info.alias or field, found


# reading a field the spec marks deprecated warns, as it should
@pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")
def test_every_enum_field_equals_its_wire_string() -> None:
    checked = 0
    for cls, field, wire, kind in _enum_fields():
        for member in kind:
            value = member.value
            try:
                parsed = cls.model_validate_json(json.dumps({wire: value}))
                got = getattr(parsed, field)
            except pydantic.ValidationError:  # a list of the enum, or a required sibling
                parsed = cls.model_validate_json(json.dumps({wire: [value]}))
                got = getattr(parsed, field)[0]
            assert got == value and str(got) == str(value), (cls, field, value)
            checked += 1
    assert checked > 1000


def test_airflow_task_state_is_the_value_itself() -> None:
    from airflow_like.types.v1 import TaskInstance

    ti = TaskInstance.model_validate({"state": "success"})
    assert ti.state == "success" and str(ti.state) == "success"
    # a value outside the known ones is kept (typed as the known Literal values: read as str)
    assert str(TaskInstance.model_validate({"state": "brand_new"}).state) == "brand_new"


# ------------------------------------------------------------------ strict validation


def _refused(call: Any, *, match: str) -> None:
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(RequestValidationError, match=match) as info:
            call(client)
        assert not route.called
    assert "s3cr3t" not in str(info.value)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ({k: v for k, v in PAYMENT.items() if k != "merchantAccount"}, "merchantAccount"),
        ({**PAYMENT, "amount": {"currency": "EUR"}}, r"amount\.value"),
        ({**PAYMENT, "amount": {"currency": "EUR", "value": "1000"}}, r"amount\.value"),
        ({**PAYMENT, "amount": {"currency": "EUR", "value": True}}, r"amount\.value"),
        ({**PAYMENT, "amount": {"currency": "EUR", "value": 10.5}}, r"amount\.value"),
        ({**PAYMENT, "amount": {"currency": "EUR", "value": 2**63}}, r"amount\.value"),
        ({**PAYMENT, "amount": {"currency": "EURO", "value": 1}}, r"amount\.currency"),
        ({**PAYMENT, "reference": 12345}, "reference"),
        ({**PAYMENT, "captureDelayHours": 2**31}, "captureDelayHours"),
        ({**PAYMENT, "shopperEmail": "s3cr3t", "merchantAccount": None}, "merchantAccount"),
    ],
    ids=[
        "missing required",
        "missing nested required",
        "string for int",
        "bool for int",
        "float for int",
        "2**63 for int64",
        "over max length",
        "number for string",
        "2**31 for int32",
        "null for required",
    ],
)
def test_request_bodies_are_refused_before_sending(body: dict[str, Any], match: str) -> None:
    _refused(lambda c: c.payments.authorise(body), match=match)


def test_a_public_model_instance_is_validated_strictly() -> None:
    from adyen_like.types.payment import Amount, PaymentRequest

    request = PaymentRequest(amount=Amount(currency="EUR", value=1), reference="r")
    _refused(lambda c: c.payments.authorise(request), match="merchantAccount")


def test_a_valid_body_is_sent_exactly() -> None:
    from adyen_like.types.payment import Amount, PaymentRequest

    client = AdyenClient(api_key="k", max_retries=0)
    largest = {**PAYMENT, "amount": {"currency": "EUR", "value": 2**63 - 1}, "extraField": [1]}
    by_name = {"amount": {"currency": "EUR", "value": 5}, "merchant_account": "M", "reference": "r"}
    model = PaymentRequest(
        amount=Amount(currency="EUR", value=5), merchant_account="M", reference="r"
    )
    with respx.mock() as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        for body in (largest, by_name, model):
            client.payments.authorise(body)
    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent[0] == largest
    assert sent[1] == {
        "amount": {"currency": "EUR", "value": 5},
        "merchantAccount": "M",
        "reference": "r",
    }
    assert sent[2] == sent[1]


def test_the_callers_json_goes_out_byte_for_byte() -> None:
    # Wire names throughout: the caller's order and the caller's text of a date-time are
    # what goes out (the checked model would write "Z" and its own field order).
    client = AdyenClient(api_key="k", max_retries=0)
    as_given = {
        "reference": "r",
        "merchantAccount": "M",
        "deliveryDate": "2024-01-02T03:04:05+00:00",
        "amount": {"value": 5, "currency": "EUR"},
        "card": {"expiryYear": "2030", "expiryMonth": "03", "holderName": "J Smith"},
    }
    # One Python name, deep inside: that body is written out with wire names instead.
    nested = {**as_given, "card": {"expiryYear": "2030", "expiry_month": "03"}}
    with respx.mock() as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        client.payments.authorise(as_given)
        client.payments.authorise(nested)
    first, second = (call.request.content for call in route.calls)
    assert first == json.dumps(as_given, separators=(",", ":")).encode()
    assert json.loads(second)["card"] == {"expiryMonth": "03", "expiryYear": "2030"}


@dataclasses.dataclass
class _Card:
    expiry_month: str
    expiry_year: str


def test_python_names_in_an_object_json_writes_by_attribute_go_out_as_wire_names() -> None:
    # A dataclass in a mapping body is written out by its attribute (Python) names, which
    # the strict check accepts: the body is then written out from the checked model.
    client = AdyenClient(api_key="k", max_retries=0)
    with respx.mock() as router:
        route = router.route().mock(return_value=httpx.Response(200, json={}))
        client.payments.authorise({**PAYMENT, "card": _Card("03", "2030")})
    sent = json.loads(route.calls.last.request.content)
    assert sent["card"] == {"expiryMonth": "03", "expiryYear": "2030"}


def test_a_nullable_required_field_left_out_is_sent_as_null() -> None:
    client = AirflowClient(base_url=HOST, token="jwt-token")
    with respx.mock() as router:
        route = router.post(f"{HOST}/api/v2/dags/etl/dagRuns").mock(
            return_value=httpx.Response(200, json={"dag_run_id": "r", "dag_id": "etl"})
        )
        run = client.v2.dag_runs.trigger("etl", {"conf": {"a": 1}})
        client.v2.dag_runs.trigger("etl", {"logical_date": "2024-01-02T03:04:05Z"})
    assert run.dag_id == "etl"
    sent = [json.loads(call.request.content) for call in route.calls]
    assert sent[0] == {"conf": {"a": 1}, "logical_date": None}
    assert sent[1] == {"logical_date": "2024-01-02T03:04:05Z"}
