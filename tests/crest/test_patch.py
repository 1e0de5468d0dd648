"""Patch builder (wire form) and the reference applier (the reference's examples)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonrest import NOT_GIVEN
from commonrest.crest import JsonPointer, Patch, PatchError, PatchOperation, apply_patch

# --------------------------------------------------------------------- wire form


def test_builder_produces_the_wire_array() -> None:
    patch = (
        Patch()
        .add("/fruits/-", "pineapple")
        .copy(from_="mail", to="another_mail")
        .increment("/user/payment", 1000)
        .move(from_="surname", to="lastName")
        .remove("phoneNumber")
        .remove("/roles", "admin")
        .replace("/telephoneNumber", "+1 408 555 9999")
        .transform("/objects", {"script": {"type": "text/javascript", "file": "something.js"}})
    )
    assert patch.to_json() == [
        {"operation": "add", "field": "/fruits/-", "value": "pineapple"},
        {"operation": "copy", "field": "/another_mail", "from": "/mail"},
        {"operation": "increment", "field": "/user/payment", "value": 1000},
        {"operation": "move", "field": "/lastName", "from": "/surname"},
        {"operation": "remove", "field": "/phoneNumber"},
        {"operation": "remove", "field": "/roles", "value": "admin"},
        {"operation": "replace", "field": "/telephoneNumber", "value": "+1 408 555 9999"},
        {
            "operation": "transform",
            "field": "/objects",
            "value": {"script": {"type": "text/javascript", "file": "something.js"}},
        },
    ]
    assert len(patch) == 8
    assert [op.operation for op in patch] == [
        "add", "copy", "increment", "move", "remove", "remove", "replace", "transform",
    ]  # fmt: skip


def test_builder_is_immutable_and_concatenates() -> None:
    base = Patch().add("/a", 1)
    longer = base.add("/b", 2)
    assert len(base) == 1 and len(longer) == 2
    assert base + Patch().add("/b", 2) == longer
    assert not Patch()
    assert bool(base)


def test_null_values_are_sent_explicitly() -> None:
    assert Patch().replace("/a", None).to_json() == [
        {"operation": "replace", "field": "/a", "value": None}
    ]
    assert Patch().remove("/a", None).to_json() == [
        {"operation": "remove", "field": "/a", "value": None}
    ]


def test_pointer_escapes_are_kept_on_the_wire() -> None:
    assert Patch().add(JsonPointer(("a/b", "c~d")), 1).to_json()[0]["field"] == "/a~1b/c~0d"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Patch().increment("/n", "ten"), "by must be a number or a numeric string"),
        (lambda: Patch().increment("/n", "nan"), "by must be a number or a numeric string"),
        (lambda: Patch().increment("/n", "1e999"), "by must be a finite number"),
        (lambda: Patch().increment("/n", True), "by must be a number"),
        (lambda: Patch().increment("/n", float("nan")), "finite"),
        (lambda: Patch().add("/", 1), "must name a field"),
        (lambda: Patch().add("", 1), "must name a field"),
        (lambda: Patch().copy(from_="/", to="/b"), "from_ must name a field"),
        (lambda: Patch().add("/a~x", 1), "'~' must be followed"),
        (lambda: PatchOperation("merge", JsonPointer(("a",)), 1), "operation must be one of"),  # type: ignore[arg-type]
        (lambda: PatchOperation("add", JsonPointer(("a",))), "needs a value"),
        (lambda: PatchOperation("copy", JsonPointer(("a",))), "needs 'from'"),
        (
            lambda: PatchOperation("copy", JsonPointer(("a",)), 1, JsonPointer(("b",))),
            "takes no value",
        ),
        (
            lambda: PatchOperation("add", JsonPointer(("a",)), 1, JsonPointer(("b",))),
            "only allowed with copy and move",
        ),
        (lambda: Patch([{"operation": "add"}]), "expected PatchOperation"),  # type: ignore[list-item]
    ],
)
def test_bad_operations_are_refused_before_sending(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_from_json_reads_the_wire_form_back() -> None:
    patch = Patch().add("/a/-", [1]).move(from_="/x", to="/y").remove("/z")
    assert Patch.from_json(patch.to_json()) == patch
    # Operation names are read case-insensitively; fields without '/' are accepted.
    assert Patch.from_json([{"operation": "ADD", "field": "a", "value": 1}]) == Patch().add("/a", 1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("nope", "JSON array"),
        ([1], "JSON object"),
        ([{"operation": "add", "field": "/a", "value": 1, "extra": 2}], "unknown patch"),
        ([{"operation": 1, "field": "/a"}], "'operation' must be a string"),
        ([{"operation": "add", "field": 3, "value": 1}], "'field' must be a string"),
        ([{"operation": "copy", "field": "/a", "from": 3}], "'from' must be a string"),
    ],
)
def test_from_json_refuses_malformed_patches(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Patch.from_json(data)


json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=5))
json_values = st.recursive(
    json_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)
names = st.text(min_size=1, max_size=5)
ops = st.one_of(
    st.builds(lambda f, v: PatchOperation("add", JsonPointer((f,)), v), names, json_values),
    st.builds(lambda f, v: PatchOperation("replace", JsonPointer((f,)), v), names, json_values),
    st.builds(lambda f: PatchOperation("remove", JsonPointer((f,))), names),
    st.builds(lambda f, n: PatchOperation("increment", JsonPointer((f,)), n), names, st.integers()),
    st.builds(
        lambda a, b: PatchOperation("move", JsonPointer((b,)), NOT_GIVEN, JsonPointer((a,))),
        names,
        names,
    ),
)


@given(st.lists(ops, max_size=6))
def test_wire_form_round_trips(operations: list[PatchOperation]) -> None:
    patch = Patch(operations)
    assert Patch.from_json(patch.to_json()) == patch


# ------------------------------------------------------------- reference examples


def test_add_appends_one_element_with_dash() -> None:
    doc = {"fruits": ["orange", "apple"]}
    assert apply_patch(doc, Patch().add("/fruits/-", "pineapple")) == {
        "fruits": ["orange", "apple", "pineapple"]
    }


def test_add_an_array_with_dash_nests_it() -> None:
    doc = {"fruits": ["orange", "apple"]}
    result = apply_patch(
        doc, [{"operation": "add", "field": "/fruits/-", "value": ["pineapple", "mango"]}]
    )
    assert result == {"fruits": ["orange", "apple", ["pineapple", "mango"]]}


def test_remove_by_index_then_replace_by_index() -> None:
    doc = {"fruits": ["apple", "orange", "kiwi", "lime"]}
    after_remove = apply_patch(doc, [{"operation": "remove", "field": "/fruits/0", "value": ""}])
    assert after_remove == {"fruits": ["orange", "kiwi", "lime"]}
    both = apply_patch(
        doc,
        [
            {"operation": "remove", "field": "/fruits/0", "value": ""},
            {"operation": "replace", "field": "/fruits/1", "value": "pineapple"},
        ],
    )
    assert both == {"fruits": ["orange", "pineapple", "lime"]}


def test_increment_with_the_reference_string_value() -> None:
    doc = {"user": {"payment": 250}}
    result = apply_patch(
        doc, [{"operation": "increment", "field": "/user/payment", "value": "1000"}]
    )
    assert result == {"user": {"payment": 1250}}


def test_increment_positive_negative_float_and_one_element() -> None:
    doc = {"n": 10, "f": 1.5, "all": [1, 2, 3]}
    patch = Patch().increment("/n", -3).increment("/f", 0.25).increment("/all/1", 10)
    assert apply_patch(doc, patch) == {"n": 7, "f": 1.75, "all": [1, 12, 3]}


@pytest.mark.parametrize("array", [[1, 2, 3], [], [1, "x"]])
def test_increment_refuses_an_array_field(array: list[Any]) -> None:
    # The increment is one number, so arrays do not apply: a 400, not element-wise adds.
    with pytest.raises(PatchError, match="is an array") as info:
        apply_patch({"n": array}, Patch().increment("/n", 1))
    assert info.value.status == 400
    with pytest.raises(PatchError, match="is an array"):
        apply_patch({"n": array}, Patch().increment("/n", 1), set_fields=["/n"])


@pytest.mark.parametrize(
    ("doc", "value", "message"),
    [
        ({}, 1, "does not exist"),
        ({"n": "x"}, 1, "not a number"),
        ({"n": [1, 2]}, 1, "is an array"),
        ({"n": 1}, "lots", "must be a number"),
        ({"n": 1}, True, "must be a number"),
    ],
)
def test_increment_errors(doc: dict[str, Any], value: Any, message: str) -> None:
    with pytest.raises(PatchError, match=message) as info:
        apply_patch(doc, [{"operation": "increment", "field": "/n", "value": value}])
    assert info.value.status == 400


def test_move_removes_the_source_and_creates_the_target() -> None:
    doc = {"surname": "Jensen", "givenName": "Barbara"}
    result = apply_patch(doc, [{"operation": "move", "from": "surname", "field": "lastName"}])
    assert result == {"givenName": "Barbara", "lastName": "Jensen"}


def test_copy_adds_the_value_to_the_target() -> None:
    doc = {"mail": "bjensen@example.com", "another_mail": "old@example.com"}
    result = apply_patch(doc, [{"operation": "copy", "from": "mail", "field": "another_mail"}])
    assert result == {"mail": "bjensen@example.com", "another_mail": "bjensen@example.com"}


def test_copy_into_a_list_appends_and_into_a_set_merges() -> None:
    doc = {"src": ["b", "c"], "list": ["a", "b"], "set": ["a", "b"]}
    patch = Patch().copy(from_="/src", to="/list").copy(from_="/src", to="/set")
    assert apply_patch(doc, patch, set_fields=["/set"]) == {
        "src": ["b", "c"],
        "list": ["a", "b", "b", "c"],
        "set": ["a", "b", "c"],
    }


def test_copy_and_move_from_a_missing_field_fail() -> None:
    with pytest.raises(PatchError, match="does not exist"):
        apply_patch({}, Patch().copy(from_="/nope", to="/b"))
    with pytest.raises(PatchError, match="does not exist"):
        apply_patch({}, Patch().move(from_="/nope", to="/b"))


def test_copy_does_not_share_objects() -> None:
    result = apply_patch({"a": {"x": [1]}}, Patch().copy(from_="/a", to="/b"))
    result["b"]["x"].append(2)
    assert result["a"] == {"x": [1]}


# ---------------------------------------------------------------- set vs list


def test_add_array_to_a_list_appends_every_element_keeping_duplicates() -> None:
    doc = {"roles": ["a", "b"]}
    assert apply_patch(doc, Patch().add("/roles", ["b", "c"])) == {"roles": ["a", "b", "b", "c"]}
    assert apply_patch(doc, Patch().add("/roles", "b")) == {"roles": ["a", "b", "b"]}


def test_add_array_to_a_set_merges_without_duplicates() -> None:
    doc = {"roles": ["a", "b"]}
    set_fields = ["/roles"]
    assert apply_patch(doc, Patch().add("/roles", ["b", "c", "c"]), set_fields=set_fields) == {
        "roles": ["a", "b", "c"]
    }
    assert apply_patch(doc, Patch().add("/roles/-", "a"), set_fields=set_fields) == doc
    assert apply_patch(doc, Patch().add("/roles/-", "z"), set_fields=set_fields) == {
        "roles": ["a", "b", "z"]
    }
    # A new set field loses duplicates too.
    assert apply_patch({}, Patch().add("/roles", [1, 1, True]), set_fields=set_fields) == {
        "roles": [1, True]
    }


def test_remove_values_from_list_and_set() -> None:
    doc = {"l": ["a", "b", "a", "c"], "s": ["a", "b", "c"]}
    assert apply_patch(doc, Patch().remove("/l", "a")) == {"l": ["b", "c"], "s": ["a", "b", "c"]}
    assert apply_patch(doc, Patch().remove("/s", ["a", "c"]), set_fields=["/s"]) == {
        "l": ["a", "b", "a", "c"],
        "s": ["b"],
    }


def test_remove_field_index_and_single_value() -> None:
    doc = {"phoneNumber": ["1", "2"], "mail": "x", "keep": 1}
    assert apply_patch(doc, Patch().remove("phoneNumber")) == {"mail": "x", "keep": 1}
    assert apply_patch(doc, Patch().remove("/phoneNumber/0"))["phoneNumber"] == ["2"]
    assert "mail" not in apply_patch(doc, Patch().remove("/mail", "x"))
    assert apply_patch(doc, Patch().remove("/mail", "other"))["mail"] == "x"
    assert apply_patch(doc, Patch().remove("/missing")) == doc
    assert apply_patch(doc, Patch().remove("/missing/deeper")) == doc


def test_add_creates_parents_and_inserts_at_index() -> None:
    assert apply_patch({}, Patch().add("/a/b/c", 1)) == {"a": {"b": {"c": 1}}}
    assert apply_patch({}, Patch().add("/list/-", 1)) == {"list": [1]}
    assert apply_patch({"l": [1, 3]}, Patch().add("/l/1", 2)) == {"l": [1, 2, 3]}
    assert apply_patch({"l": [1]}, Patch().add("/l/1", 2)) == {"l": [1, 2]}
    assert apply_patch({"a": "old"}, Patch().add("/a", {"new": True})) == {"a": {"new": True}}


@pytest.mark.parametrize(
    ("doc", "patch", "message"),
    [
        ({"l": [1]}, Patch().add("/l/5", 2), "not a valid position"),
        ({"l": [1]}, Patch().add("/l/x", 2), "not a valid position"),
        ({"l": [1]}, Patch().remove("/l/3"), "not an element"),
        ({"l": [1]}, Patch().replace("/l/3", 0), "not an element"),
        ({"s": "text"}, Patch().add("/s/x", 1), "neither an object nor an array"),
        ({"l": [1]}, Patch().add("/l/4/x", 1), "no array element"),
    ],
)
def test_impossible_targets_fail(doc: dict[str, Any], patch: Patch, message: str) -> None:
    with pytest.raises(PatchError, match=message):
        apply_patch(doc, patch)


def test_replace_whole_field_and_null_removes() -> None:
    doc = {"telephoneNumber": "+1 408 555 1212", "l": [1, 2]}
    assert apply_patch(doc, Patch().replace("/telephoneNumber", "+1 408 555 9999")) == {
        "telephoneNumber": "+1 408 555 9999",
        "l": [1, 2],
    }
    assert apply_patch(doc, Patch().replace("/l", [3])) == {
        "telephoneNumber": "+1 408 555 1212",
        "l": [3],
    }
    assert apply_patch(doc, Patch().replace("/telephoneNumber", None)) == {"l": [1, 2]}


def test_transform_uses_the_callback_or_is_not_supported() -> None:
    doc = {"objects": [3, 1, 2]}
    patch = Patch().transform("/objects", {"sort": True})
    calls: list[tuple[Any, Any]] = []

    def transform(current: Any, spec: Any) -> Any:
        calls.append((current, spec))
        return sorted(current)

    assert apply_patch(doc, patch, transform=transform) == {"objects": [1, 2, 3]}
    assert calls == [([3, 1, 2], {"sort": True})]
    with pytest.raises(PatchError, match="not supported") as info:
        apply_patch(doc, patch)
    assert info.value.status == 501


def test_operations_apply_in_order_and_leave_the_input_alone() -> None:
    doc = {"n": 1, "l": [1]}
    snapshot = copy.deepcopy(doc)
    result = apply_patch(doc, Patch().increment("/n", 1).move(from_="/n", to="/m").add("/l/-", 2))
    assert result == {"m": 2, "l": [1, 2]}
    assert doc == snapshot


def test_booleans_and_numbers_are_different_values() -> None:
    doc = {"s": [1, True]}
    assert apply_patch(doc, Patch().remove("/s", True)) == {"s": [1]}
    assert apply_patch(doc, Patch().add("/s", 1.0), set_fields=["/s"]) == doc


# ------------------------------------------------------------- audit regressions


@pytest.mark.parametrize(
    ("from_", "to"),
    [("/a", "/a/c"), ("/a", "/a/c/d"), ("/a", "/a/-"), ("/a/b", "/a/b/0")],
)
def test_move_into_its_own_child_is_refused(from_: str, to: str) -> None:
    doc = {"a": {"b": [1], "x": 1}}
    with pytest.raises(PatchError, match="inside itself") as info:
        apply_patch(doc, Patch().move(from_=from_, to=to))
    assert info.value.status == 400


def test_move_next_to_itself_or_onto_itself_still_works() -> None:
    doc = {"a": {"x": 1}, "ab": 2}
    # "/ab" shares a prefix of characters with "/a", not of tokens: not a child.
    assert apply_patch(doc, Patch().move(from_="/a", to="/ab")) == {"ab": {"x": 1}}
    assert apply_patch(doc, Patch().move(from_="/a", to="/a")) == doc
    assert apply_patch(doc, Patch().move(from_="/a/x", to="/a/y")) == {"a": {"y": 1}, "ab": 2}
    # Copying into a child is fine: the source stays where it is.
    assert apply_patch({"a": {"x": 1}}, Patch().copy(from_="/a", to="/a/c")) == {
        "a": {"x": 1, "c": {"x": 1}}
    }


def test_adding_to_a_set_leaves_no_duplicates_at_all() -> None:
    set_fields = ["/roles"]
    stored = {"roles": ["a", "b", "a", "b"]}  # duplicates already in the stored set
    assert apply_patch(stored, Patch().add("/roles", "c"), set_fields=set_fields) == {
        "roles": ["a", "b", "c"]
    }
    assert apply_patch(stored, Patch().add("/roles", ["c", "a", "c"]), set_fields=set_fields) == {
        "roles": ["a", "b", "c"]
    }
    assert apply_patch(stored, Patch().add("/roles/-", "b"), set_fields=set_fields) == {
        "roles": ["a", "b"]
    }
    assert apply_patch(stored, Patch().add("/roles/0", "z"), set_fields=set_fields) == {
        "roles": ["a", "b", "z"]
    }
    copied = apply_patch(
        {"src": ["x", "x"], "roles": ["x"]},
        Patch().copy(from_="/src", to="/roles"),
        set_fields=set_fields,
    )
    assert copied == {"src": ["x", "x"], "roles": ["x"]}
    # A list keeps what it has: duplicates are allowed there.
    assert apply_patch(stored, Patch().add("/roles", "a")) == {"roles": ["a", "b", "a", "b", "a"]}


set_elements = st.one_of(st.integers(-3, 3), st.booleans(), st.sampled_from(["a", "b", "A"]))


@given(
    stored=st.lists(set_elements, max_size=6),
    added=st.one_of(set_elements, st.lists(set_elements, max_size=6)),
)
def test_any_add_to_a_set_gives_the_union_without_duplicates(stored: list[Any], added: Any) -> None:
    result = apply_patch({"s": stored}, Patch().add("/s", added), set_fields=["/s"])["s"]
    incoming = added if isinstance(added, list) else [added]
    # Compared as JSON values: true is not 1.
    as_json = {json.dumps(v) for v in stored + incoming}
    assert len(result) == len(as_json)
    assert {json.dumps(v) for v in result} == as_json
