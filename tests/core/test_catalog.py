"""The catalog of operations, and deprecated operations."""

from __future__ import annotations

import warnings

import pytest
import respx

from commonrest.declare import CatalogEntry, build_catalog

from .api import Orders, Pets
from .helpers import PETS, Factory, pet, resolve

pytestmark = pytest.mark.anyio


def test_the_catalog_lists_every_operation() -> None:
    catalog = build_catalog([("pets", Pets), ("orders", Orders)])

    by_name = {entry.python_name: entry for entry in catalog}
    assert set(by_name) == {
        "pets.get",
        "pets.wait",
        "pets.find",
        "pets.create",
        "pets.search",
        "pets.replace",
        "pets.delete",
        "pets.adopt",
        "pets.legacy",
        "pets.list",
        "pets.list_by_cookie",
        "pets.list_linked",
        "orders.create",
    }
    assert len(catalog) == len(by_name)
    assert by_name["pets.get"] == CatalogEntry(
        operation_id="getPet",
        method="GET",
        path="/pets/{pet_id}",
        version="2",
        api="pets",
        python_name="pets.get",
    )
    assert by_name["pets.search"].method == "POST"
    assert by_name["pets.list"].paged
    assert not by_name["pets.get"].paged
    assert by_name["pets.legacy"].deprecated
    assert by_name["orders.create"].api == "shop"
    assert by_name["orders.create"].version == "1"
    assert [e.deprecated for e in catalog].count(True) == 1
    # retry safety as the docs' operation tables show it
    assert by_name["pets.search"].read_only and by_name["pets.search"].retry_safe
    assert by_name["pets.get"].retry_safe and by_name["pets.delete"].retry_safe
    assert not by_name["orders.create"].retry_safe


def test_the_catalog_without_prefix_uses_method_names() -> None:
    names = {entry.python_name for entry in build_catalog([("", Orders)])}
    assert names == {"create"}


async def test_calling_a_deprecated_operation_warns_at_the_call_site(
    make: Factory, router: respx.MockRouter
) -> None:
    router.get(f"{PETS}/legacy/pets").respond(200, json=[pet()])
    client = make()

    with pytest.warns(DeprecationWarning, match="legacy") as record:
        result = await resolve(client.pets.legacy())

    assert [p.pet_id for p in result] == ["rex"]
    assert record[0].filename == __file__


async def test_other_operations_do_not_warn(make: Factory, router: respx.MockRouter) -> None:
    router.get(f"{PETS}/pets/rex").respond(200, json=pet())
    client = make()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        await resolve(client.pets.get("rex"))


def test_every_lazy_export_is_declared_and_importable() -> None:
    import commonrest

    assert sorted(commonrest.__all__) == sorted(["__version__", *commonrest._EXPORTS])
    for name in commonrest._EXPORTS:
        assert getattr(commonrest, name) is not None
