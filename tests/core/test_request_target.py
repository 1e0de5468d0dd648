"""The request target on the wire is the same on every transport: a path and query with
reserved, unreserved-but-escaped and non-ASCII characters reach the server byte for byte as
httpx's own transport writes them (aiohttp re-quotes a URL it is given as a string)."""

from __future__ import annotations

import pytest

from .flavours import Flavour, client_on
from .helpers import pet, resolve
from .recorder import recording, reply

pytestmark = pytest.mark.anyio

#: A base path as a user may give it, already escaped: ``%41`` and ``%7e`` name unreserved
#: characters, ``%2f`` is an escaped slash in lower case, ``%zz`` is no escape at all.
_BASE_PATH = "/v%41/a%2fb/%7e|x^y'z[0]/%zz"
#: Values the SDK encodes itself, with characters quoting rules disagree about.
_PET = "rex|%41 ~'é/[1]^"
_FIELDS = ["a|b", "%7e~", "x y+z", "é'[]^&=;"]


async def _targets(flavour: Flavour) -> list[str]:
    with recording(lambda r: reply(200, pet("rex"))) as server:
        base = server.url + _BASE_PATH
        async with client_on(flavour, base_url=base) as client:
            await resolve(client.pets.get(_PET, fields=_FIELDS))
            await resolve(client.pets.get("%2F", fields=["%2f/?#"]))
    return [received.target for received in server.requests]


@pytest.mark.parametrize("flavour", ["async", "aiohttp"])
async def test_the_request_target_is_the_one_httpx_writes(flavour: Flavour) -> None:
    expected = await _targets("sync")
    assert expected[0].startswith(_BASE_PATH + "/")  # the base path is sent as given

    assert await _targets(flavour) == expected
