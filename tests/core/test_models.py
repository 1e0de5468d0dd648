"""Models: lenient on the way in, validated on the way out."""

from __future__ import annotations

import json

import pydantic
import pytest
import respx

from commonrest import InvalidArgumentError, RequestValidationError

from .api import NewPet, Pet, Status
from .helpers import PETS, Factory, pet, resolve

pytestmark = pytest.mark.anyio


async def test_unknown_fields_are_kept_and_sent_back(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet(microchip={"id": "985"}, addedIn="v3"))
    client = make()

    result = await resolve(client.pets.get("rex"))

    assert result.model_extra == {"microchip": {"id": "985"}, "addedIn": "v3"}
    assert result.to_dict() == {
        "petId": "rex",
        "name": "Rex",
        "microchip": {"id": "985"},
        "addedIn": "v3",
    }


async def test_an_unknown_enum_value_is_kept_as_a_string(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet(status="quarantined"))
    router.get(f"{PETS}/pets/fido").respond(200, json=pet("fido", status="sold"))
    client = make()

    unknown = await resolve(client.pets.get("rex"))
    known = await resolve(client.pets.get("fido"))

    assert unknown.status == "quarantined"
    assert not isinstance(unknown.status, Status)
    assert known.status is Status.SOLD
    assert unknown.to_dict()["status"] == "quarantined"


@pytest.mark.parametrize(("wire", "value"), [("true", True), ("false", False), (True, True)])
async def test_booleans_sent_as_strings_are_booleans(
    make: Factory, router: respx.MockRouter, wire: object, value: bool
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet(isVaccinated=wire))
    client = make()
    assert (await resolve(client.pets.get("rex"))).is_vaccinated is value


async def test_null_and_missing_optional_fields_parse(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet(status=None))
    client = make()
    result = await resolve(client.pets.get("rex"))
    assert result.status is None
    assert result.is_vaccinated is None


def test_to_dict_and_to_json_use_wire_names() -> None:
    model = Pet.model_validate({"petId": "rex", "name": "Rex", "isVaccinated": "true"})
    assert model.to_dict() == {"petId": "rex", "name": "Rex", "isVaccinated": True}
    assert json.loads(model.to_json()) == model.to_dict()
    assert model.to_dict(by_alias=False) == {"pet_id": "rex", "name": "Rex", "is_vaccinated": True}
    assert model.to_dict(exclude_unset=False)["status"] is None
    assert Pet.from_json(model.to_json()) == model
    # fields are reachable by python name too
    assert Pet(pet_id="a", name="b").to_dict() == {"petId": "a", "name": "b"}


@pytest.mark.parametrize("body", [{"name": ""}, {"name": "Rex", "status": "unknown"}, {}])
async def test_a_request_body_is_validated_before_sending(
    make: Factory, router: respx.MockRouter, body: dict[str, object]
) -> None:
    route = router.post(f"{PETS}/pets").respond(200, json=pet())
    client = make()

    with pytest.raises(RequestValidationError) as info:
        await resolve(client.pets.create(body))

    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith("invalid NewPet request body: ") and info.value.errors
    assert not route.called


async def test_a_rejected_body_never_echoes_the_values_given(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{PETS}/pets").respond(200, json=pet())
    client = make()
    secret = "4111111111111111"

    with pytest.raises(RequestValidationError) as info:
        await resolve(client.pets.create({"name": "", "status": secret}))

    assert secret not in str(info.value) and secret not in repr(info.value.errors)
    assert info.value.__cause__ is None and info.value.__context__ is None
    assert {".".join(map(str, e["loc"])) for e in info.value.errors} == {"name", "status"}
    assert not route.called
    # one class for every refused argument: the body is an argument too
    assert isinstance(info.value, InvalidArgumentError) and info.value.parameter == "body"
    assert info.value.operation == "pets.create"


async def test_a_valid_request_body_is_sent_with_wire_names_only_as_set(
    make: Factory, router: respx.MockRouter
) -> None:
    route = router.post(f"{PETS}/pets").respond(200, json=pet())
    client = make()

    await resolve(client.pets.create({"name": "Rex", "status": "sold"}))
    await resolve(client.pets.create(NewPet(name="Fido")))

    bodies = [json.loads(call.request.content) for call in route.calls]
    assert bodies == [{"name": "Rex", "status": "sold"}, {"name": "Fido"}]
    assert route.calls[0].request.headers["content-type"] == "application/json"


def test_a_request_model_is_strict_at_construction() -> None:
    with pytest.raises(pydantic.ValidationError):
        NewPet(name="")
