"""Secret id validation."""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonrest.crest import SecretId, is_valid_secret_id, validate_secret_id


@pytest.mark.parametrize(
    "value", ["a", "A1", "am", "crypto.signing.key", "x.y.z.0", "Key2.Version3", "123"]
)
def test_valid_secret_ids(value: str) -> None:
    assert is_valid_secret_id(value)
    assert validate_secret_id(value) == value


@pytest.mark.parametrize(
    "value",
    ["", ".", ".key", "key.", "a..b", "a-b", "a_b", "a b", "a/b", "clé", "a.b.", " a", "a\n"],
)
def test_invalid_secret_ids(value: str) -> None:
    assert not is_valid_secret_id(value)
    with pytest.raises(ValueError, match="not a valid secret id") as info:
        validate_secret_id(value, name="signing_secret")
    assert str(info.value).startswith("signing_secret ")


def test_non_strings_are_refused() -> None:
    assert not is_valid_secret_id(5)
    with pytest.raises(ValueError, match="must be a string"):
        validate_secret_id(None)


class _Config(pydantic.BaseModel):
    secret: SecretId


def test_pydantic_field_type() -> None:
    assert _Config(secret="a.b").secret == "a.b"
    with pytest.raises(pydantic.ValidationError):
        _Config(secret="a..b")


_group = st.text(st.sampled_from("abcXYZ019"), min_size=1, max_size=5)


@given(st.lists(_group, min_size=1, max_size=5))
def test_dot_joined_groups_are_valid(groups: list[str]) -> None:
    assert is_valid_secret_id(".".join(groups))


@given(st.lists(_group, min_size=1, max_size=5), st.sampled_from(["-", "_", " ", "..", "@"]))
def test_any_other_separator_is_invalid(groups: list[str], sep: str) -> None:
    candidate = sep.join(groups) if len(groups) > 1 else groups[0] + sep
    assert not is_valid_secret_id(candidate)
