"""Query filter tree, builder, renderer, parser and evaluator."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_plus

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonrest.crest import JsonPointer
from commonrest.crest._filters import (
    And,
    Comparison,
    Filter,
    FilterSyntaxError,
    FilterValue,
    Literal,
    Not,
    Or,
    Presence,
    all_of,
    and_,
    any_of,
    as_filter,
    evaluate,
    false,
    field,
    not_,
    or_,
    parse,
    render,
    to_query_param,
    true,
)

P = JsonPointer.parse

# ----------------------------------------------------------------------- strategies

_token_chars = st.characters(
    blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="()"
)
tokens = st.text(_token_chars, min_size=1, max_size=6).filter(
    lambda t: not any(c.isspace() for c in t)
)
pointers = st.lists(tokens, min_size=1, max_size=3).map(lambda ts: JsonPointer(tuple(ts)))
values: st.SearchStrategy[FilterValue] = st.one_of(
    st.text(max_size=20),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
standard_ops = st.sampled_from(["eq", "co", "sw", "lt", "le", "gt", "ge"])
_not_extended = {"and", "or", "pr", "true", "false", "eq", "co", "sw", "lt", "le", "gt", "ge"}
# The grammar: an extended operator is ASCII without white space. Parentheses and quotes
# are left out (they are structure to the parser); "!" is in, leading or not.
OPERATOR_CHARS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in "()\"'")
extended_ops = st.one_of(
    st.from_regex(r"[A-Za-z0-9_.]{1,8}", fullmatch=True),
    st.text(OPERATOR_CHARS, min_size=1, max_size=8),
    st.sampled_from(
        ["!", "!=", "!!", "=~", "~", "$near$", "<=>", "a!b", "&&", "/", "-", "1", "\\"]
    ),
).filter(lambda s: s.lower() not in _not_extended)
leaves: st.SearchStrategy[Filter] = st.one_of(
    st.builds(Comparison, pointers, st.one_of(standard_ops, extended_ops), values),
    st.builds(Presence, pointers),
    st.builds(Literal, st.booleans()),
)


def _extend(children: st.SearchStrategy[Filter]) -> st.SearchStrategy[Filter]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map(lambda xs: And(tuple(xs))),
        st.lists(children, min_size=2, max_size=4).map(lambda xs: Or(tuple(xs))),
        children.map(Not),
    )


trees = st.recursive(leaves, _extend, max_leaves=25)


# ------------------------------------------------------------------------ rendering


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        (field("/name").eq("Alice"), '/name eq "Alice"'),
        (field("name").co("li"), '/name co "li"'),
        (field("/name").sw("A"), '/name sw "A"'),
        (field("/age").lt(3), "/age lt 3"),
        (field("/age").le(3.5), "/age le 3.5"),
        (field("/age").gt(-2), "/age gt -2"),
        (field("/age").ge(0), "/age ge 0"),
        (field("/active").eq(True), "/active eq true"),
        (field("/active").eq(False), "/active eq false"),
        (field("/mail").pr(), "/mail pr"),
        (field("/cn").matches("regex", "^a"), '/cn regex "^a"'),
        (true(), "true"),
        (false(), "false"),
        (field("/a").eq(1) & field("/b").eq(2), "/a eq 1 and /b eq 2"),
        (field("/a").eq(1) | field("/b").eq(2), "/a eq 1 or /b eq 2"),
        (~field("/a").pr(), "!(/a pr)"),
        (not_(true()), "!(true)"),
        (
            (field("/a").eq(1) | field("/b").eq(2)) & field("/c").eq(3),
            "(/a eq 1 or /b eq 2) and /c eq 3",
        ),
        (
            field("/a").eq(1) | (field("/b").eq(2) & field("/c").eq(3)),
            "/a eq 1 or /b eq 2 and /c eq 3",
        ),
        (field("/parent/child").eq("v"), '/parent/child eq "v"'),
        (field(JsonPointer(("a/b", "c~d"))).eq(1), "/a~1b/c~0d eq 1"),
        (field("/q").eq('say "hi"\n'), '/q eq "say \\"hi\\"\\n"'),
        (field("/_id").eq("test\\"), '/_id eq "test\\\\"'),
        (field("/u").eq("caf\u00e9 \u2603"), '/u eq "caf\u00e9 \u2603"'),
    ],
)
def test_render(node: Filter, expected: str) -> None:
    assert node.render() == expected
    assert str(node) == expected
    assert render(node) == expected
    assert parse(expected) == node


def test_operators_chain_flat_and_nest_when_grouped() -> None:
    a, b, c = field("/a").pr(), field("/b").pr(), field("/c").pr()
    assert a & b & c == And((a, b, c))
    assert a | b | c == Or((a, b, c))
    assert and_(a, and_(b, c)) == And((a, b, c))
    assert or_(or_(a, b), c) == Or((a, b, c))
    nested = And((And((a, b)), c))
    assert nested.render() == "(/a pr and /b pr) and /c pr"
    assert parse(nested.render()) == nested


def test_all_of_and_any_of_accept_short_lists() -> None:
    a, b = field("/a").pr(), field("/b").pr()
    assert all_of([]) == true()
    assert any_of([]) == false()
    assert all_of([a]) is a
    assert any_of([b]) is b
    assert all_of([a, b]) == And((a, b))
    assert any_of([a, b]) == Or((a, b))


# ---------------------------------------------------------------- URL encoding


def test_backslash_becomes_percent_5c_twice_in_the_query_string() -> None:
    # The reference's example: matching the id `test\` is written _id eq 'test\\'.
    node = parse("_id eq 'test\\\\'")
    assert node == Comparison(JsonPointer(("_id",)), "eq", "test\\")
    encoded = to_query_param(node)
    assert "%5C%5C" in encoded
    assert encoded == "%2F_id+eq+%22test%5C%5C%22"


def test_query_param_encodes_white_space_quotes_parentheses_bang_and_plus() -> None:
    encoded = to_query_param('!(/a eq "x+y") or /b pr')
    assert encoded == "%21%28%2Fa+eq+%22x%2By%22%29+or+%2Fb+pr"
    for raw in ' "()!\\/':
        assert raw not in encoded
    # Only unreserved characters, "+" for spaces and percent escapes remain.
    assert re.fullmatch(r"(?:[A-Za-z0-9\-._~+]|%[0-9A-F]{2})*", encoded)


def test_query_param_encodes_non_ascii_as_utf8() -> None:
    assert to_query_param(field("/n").eq("\u00e9")) == "%2Fn+eq+%22%C3%A9%22"


@given(values)
def test_any_value_survives_escaping_and_url_encoding(value: FilterValue) -> None:
    node = field("/v").eq(value)
    text = node.render()
    back = parse(unquote_plus(to_query_param(node)))
    assert back == node
    assert isinstance(back, Comparison)
    assert type(back.value) is type(value)
    if isinstance(value, str):
        # The value part is exactly the JSON (RFC 7159) encoding of the string.
        assert json.loads(text.split(" ", 2)[2]) == value


@given(trees)
@settings(max_examples=300)
def test_any_tree_renders_to_a_string_that_parses_back_to_the_same_tree(tree: Filter) -> None:
    text = tree.render()
    back = parse(text)
    assert back == tree
    assert repr(back) == repr(tree)  # same value types too (1 vs 1.0 vs true)
    assert parse(unquote_plus(to_query_param(tree))) == tree


@given(trees)
def test_parsing_a_rendered_string_is_stable(tree: Filter) -> None:
    text = tree.render()
    assert parse(text).render() == text


# ------------------------------------------------- filter strings from the grammar
#
# These strategies write filter *strings* straight from the Common REST grammar (not via
# the builder), with the liberties servers accept: keywords in any case, extra white
# space, single or double quotes, fields with or without a leading "/", redundant
# parentheses, "!" before a bare comparison. Each string comes with the tree it means.

Sample = tuple[str, Filter]
Part = tuple[str, Filter, bool]  # text, tree, whether the text is a PrimaryExpr

_space = st.text(" \t\r\n", min_size=1, max_size=2)
_maybe_space = st.text(" \t\r\n", max_size=2)


def _any_case(word: str) -> st.SearchStrategy[str]:
    flags = st.lists(st.booleans(), min_size=len(word), max_size=len(word))
    return flags.map(
        lambda fs: "".join(c.upper() if f else c for c, f in zip(word, fs, strict=True))
    )


_field_token = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"), blacklist_characters="()"),
    min_size=1,
    max_size=5,
).filter(lambda t: not any(c.isspace() for c in t))


@st.composite
def _pointer_texts(draw: st.DrawFn) -> tuple[str, JsonPointer]:
    raw = draw(st.lists(_field_token, min_size=1, max_size=3))
    text = "/".join(t.replace("~", "~0").replace("/", "~1") for t in raw)
    # Without the leading "/", the text must not read as "!", a string or a keyword.
    if draw(st.booleans()) or text[0] in "!\"'" or text.lower() in ("and", "or"):
        text = "/" + text
    return text, JsonPointer(tuple(raw))


_string_chars = st.characters(blacklist_categories=["Cs"])


def _single_quoted(value: str) -> str:
    out = []
    for ch in value:
        if ch in "\\'":
            out.append("\\" + ch)
        elif ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


@st.composite
def _value_texts(draw: st.DrawFn) -> tuple[str, FilterValue]:
    kind = draw(st.sampled_from(["int", "float", "bool", "double", "single"]))
    if kind == "int":
        number = draw(st.integers(-(10**12), 10**12))
        return str(number), number
    if kind == "float":
        sign = draw(st.sampled_from(["", "-"]))
        whole = draw(st.integers(0, 10**6))
        fraction = draw(st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=4)))
        exponent = draw(
            st.one_of(
                st.none(),
                st.tuples(
                    st.sampled_from("eE"), st.sampled_from(["", "+", "-"]), st.integers(0, 30)
                ),
            )
        )
        if fraction is None and exponent is None:
            fraction = "5"
        text = f"{sign}{whole}"
        if fraction is not None:
            text += "." + fraction
        if exponent is not None:
            text += f"{exponent[0]}{exponent[1]}{exponent[2]}"
        return text, float(text)
    if kind == "bool":
        flag = draw(st.booleans())
        return draw(_any_case("true" if flag else "false")), flag
    value = draw(st.text(_string_chars, max_size=12))
    if kind == "double":
        return json.dumps(value, ensure_ascii=draw(st.booleans())), value
    return _single_quoted(value), value


@st.composite
def _operator_texts(draw: st.DrawFn) -> tuple[str, str]:
    if draw(st.booleans()):
        name = draw(standard_ops)
        return draw(_any_case(name)), name
    name = draw(extended_ops)
    return name, name


@st.composite
def _grammar_leaves(draw: st.DrawFn) -> Part:
    kind = draw(st.sampled_from(["comparison", "comparison", "presence", "literal"]))
    if kind == "literal":
        flag = draw(st.booleans())
        return draw(_any_case("true" if flag else "false")), Literal(flag), True
    pointer_text, pointer = draw(_pointer_texts())
    if kind == "presence":
        return f"{pointer_text}{draw(_space)}{draw(_any_case('pr'))}", Presence(pointer), True
    op_text, op = draw(_operator_texts())
    value_text, value = draw(_value_texts())
    text = f"{pointer_text}{draw(_space)}{op_text}{draw(_space)}{value_text}"
    return text, Comparison(pointer, op, value), True


def _joined(draw: st.DrawFn, word: str, parts: list[tuple[str, Filter]], kind: Any) -> Sample:
    text = parts[0][0]
    for part_text, _ in parts[1:]:
        text += f"{draw(_space)}{draw(_any_case(word))}{draw(_space)}{part_text}"
    trees = tuple(tree for _, tree in parts)
    return text, trees[0] if len(trees) == 1 else kind(trees)


@st.composite
def _or_expressions(draw: st.DrawFn, children: st.SearchStrategy[Part]) -> Part:
    groups = draw(st.lists(st.lists(children, min_size=1, max_size=3), min_size=1, max_size=3))
    and_parts: list[tuple[str, Filter]] = []
    negated = False
    for group in groups:
        not_parts: list[tuple[str, Filter]] = []
        for text, tree, primary in group:
            # An expression becomes a PrimaryExpr in parentheses; a primary may get some too.
            if not primary or draw(st.integers(0, 4)) == 0:
                text = f"({draw(_maybe_space)}{text}{draw(_maybe_space)})"
            negated = draw(st.booleans())
            if negated:
                text, tree = f"!{draw(_maybe_space)}{text}", Not(tree)
            not_parts.append((text, tree))
        and_parts.append(_joined(draw, "and", not_parts, And))
    text, tree = _joined(draw, "or", and_parts, Or)
    # Only a lone, un-negated primary is still a primary.
    primary = len(groups) == 1 and len(groups[0]) == 1 and not negated
    return text, tree, primary


_grammar_parts = st.recursive(
    _grammar_leaves(), lambda children: _or_expressions(children), max_leaves=20
)


@st.composite
def grammar_filters(draw: st.DrawFn) -> Sample:
    text, tree, _ = draw(_grammar_parts)
    return f"{draw(_maybe_space)}{text}{draw(_maybe_space)}", tree


@given(grammar_filters())
@settings(max_examples=400)
def test_strings_written_from_the_grammar_parse_render_and_parse_back(sample: Sample) -> None:
    text, expected = sample
    tree = parse(text)
    assert tree == expected
    assert repr(tree) == repr(expected)  # same value types too (1 vs 1.0 vs true)
    rendered = tree.render()
    again = parse(rendered)
    assert again == tree
    assert repr(again) == repr(tree)
    assert again.render() == rendered
    assert parse(unquote_plus(to_query_param(text))) == tree


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/a != 1", Comparison(P("/a"), "!=", 1)),
        ("/a ! 'x'", Comparison(P("/a"), "!", "x")),
        ("/a !!x! true", Comparison(P("/a"), "!!x!", True)),
        ('/a =~ "^b" and !/c pr', And((Comparison(P("/a"), "=~", "^b"), Not(Presence(P("/c")))))),
        ("/geo $near$ 1.5", Comparison(P("/geo"), "$near$", 1.5)),
        ("/a x&y;z 0", Comparison(P("/a"), "x&y;z", 0)),
        ("/a \\ 0", Comparison(P("/a"), "\\", 0)),
        ("/a <= 3 or /b pr", Or((Comparison(P("/a"), "<=", 3), Presence(P("/b"))))),
        ("(/a ~ 1)", Comparison(P("/a"), "~", 1)),
    ],
)
def test_extended_operators_may_be_any_ascii_without_white_space(
    text: str, expected: Filter
) -> None:
    tree = parse(text)
    assert tree == expected
    assert parse(tree.render()) == tree
    assert isinstance(expected, (And, Or, Comparison))


@pytest.mark.parametrize("operator", ["a(b", "a)", 'a"b', "it's", "caf\u00e9", "a b", "\t", ""])
def test_extended_operators_refuse_structure_characters_and_non_ascii(operator: str) -> None:
    with pytest.raises(ValueError, match="neither a standard operator"):
        field("/a").matches(operator, 1)


@pytest.mark.parametrize("word", ["and", "OR", "pr", "True", "false"])
def test_reserved_words_are_never_extended_operators(word: str) -> None:
    with pytest.raises(ValueError, match="neither a standard operator"):
        field("/a").matches(word, 1)
    with pytest.raises(FilterSyntaxError):
        parse(f"/a {word} 1")


# ------------------------------------------------------------------------- parsing


def test_parse_precedence_not_then_and_then_or() -> None:
    tree = parse("/a pr or /b pr and ! /c pr")
    assert tree == Or((Presence(P("/a")), And((Presence(P("/b")), Not(Presence(P("/c")))))))


def test_parse_parentheses_override_precedence() -> None:
    tree = parse("(/a pr or /b pr) and /c pr")
    assert tree == And((Or((Presence(P("/a")), Presence(P("/b")))), Presence(P("/c"))))


def test_parse_is_lenient_like_servers() -> None:
    expected = And((Comparison(P("/name"), "eq", "Bob"), Literal(True)))
    for text in (
        '/name eq "Bob" and true',
        "name EQ 'Bob' AND TRUE",
        '  /name   eq   "Bob"   and   true  ',
        '(/name eq "Bob")and(true)',
        '/name eq "B\\u006fb" and true',
    ):
        assert parse(text) == expected, text


def test_parse_values() -> None:
    def value_of(text: str) -> Any:
        node = parse(f"/x eq {text}")
        assert isinstance(node, Comparison)
        return node.value

    assert value_of("0") == 0 and type(value_of("0")) is int
    assert value_of("-12") == -12
    assert value_of("1.5") == 1.5
    assert value_of("1e3") == 1000.0 and type(value_of("1e3")) is float
    assert value_of("true") is True
    assert value_of("False") is False
    assert value_of('"a\\tb"') == "a\tb"
    assert value_of("'it\\'s'") == "it's"
    assert value_of('"\\ud83d\\ude00"') == "\U0001f600"
    assert value_of('"a\\/b"') == "a/b"


def test_literal_words_can_still_name_fields() -> None:
    assert parse("true pr") == Presence(P("/true"))
    assert parse("false eq 1") == Comparison(P("/false"), "eq", 1)


def test_extended_operator_keeps_its_case() -> None:
    node = parse('/cn Regex "a"')
    assert isinstance(node, Comparison)
    assert node.operator == "Regex"
    assert node.extended


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("   ", 3, "empty"),
        ("/a eq", 5, "expected a value"),
        ("/a eq foo", 6, "strings must be quoted"),
        ("/a", 2, "expected an operator"),
        ("/a \u00e9q 1", 3, "neither a standard operator"),
        ("/a AND 1", 3, "neither a standard operator"),
        ("/a x(y 1", 4, "expected a value"),
        ("/a eq 01", 6, "expected a value"),
        ("(/a pr", 6, "expected ')'"),
        ("/a pr)", 5, "without a matching"),
        ("/a pr /b pr", 6, "expected 'and', 'or'"),
        ("/a pr and", 9, "expected a filter expression"),
        ("and /a pr", 0, "expected a filter expression"),
        ('/a eq "abc', 6, "unterminated"),
        ('/a eq "\\x"', 7, "invalid escape"),
        ('/a eq "\\u12"', 7, "4 hex digits"),
        ('/a eq "\\ud800"', 7, "surrogate"),
        ('"x" eq 1', 0, "got a string value"),
        ("/a~2 pr", 0, "'~' must be followed"),
        ("!", 1, "expected a filter expression"),
        ("/a eq NaN", 6, "expected a value"),
    ],
)
def test_parse_errors_point_at_the_position(text: str, position: int, fragment: str) -> None:
    with pytest.raises(FilterSyntaxError) as info:
        parse(text)
    assert info.value.position == position
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)
    # The message shows the text with a caret under the position.
    lines = str(info.value).splitlines()
    assert lines[-1].index("^") - 2 == position


def test_parse_refuses_deep_nesting() -> None:
    with pytest.raises(FilterSyntaxError, match="nested more than"):
        parse("(" * 200 + "true" + ")" * 200)
    assert parse("(" * 50 + "true" + ")" * 50) == Literal(True)


def test_parse_refuses_non_strings() -> None:
    with pytest.raises(ValueError, match="must be a string"):
        parse(42)  # type: ignore[arg-type]


def test_as_filter_parses_strings_and_passes_filters() -> None:
    node = field("/a").pr()
    assert as_filter(node) is node
    assert as_filter("/a pr") == node
    with pytest.raises(ValueError, match="Filter or a string"):
        as_filter(3)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: field("/a").eq(float("nan")), "finite"),
        (lambda: field("/a").eq(float("inf")), "finite"),
        (lambda: field("/a").eq(None), "string, a number or a boolean"),  # type: ignore[arg-type]
        (lambda: field("/a").eq([1]), "string, a number or a boolean"),  # type: ignore[arg-type]
        (lambda: field("/a").eq("\ud800"), "not valid Unicode"),
        (lambda: field("/a b").pr(), "white space"),
        (lambda: field(JsonPointer(("a(b",))).pr(), "parentheses"),
        (lambda: field("/a").matches("and", 1), "neither a standard"),
        (lambda: field("/a").matches("pr", 1), "neither a standard"),
        (lambda: field("/a").matches("no way", 1), "neither a standard"),
        (lambda: And((true(),)), "at least two"),
        (lambda: Or(()), "at least two"),
        (lambda: Not("x"), "must be a filter"),  # type: ignore[arg-type]
        (lambda: Literal(1), "must be a bool"),  # type: ignore[arg-type]
        (lambda: JsonPointer(("",)), "non-empty"),
    ],
)
def test_bad_filters_are_refused_when_built(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


def test_standard_operator_names_are_normalised() -> None:
    assert field("/a").matches("EQ", 1) == field("/a").eq(1)


def test_comparisons_distinguish_value_types() -> None:
    assert field("/a").eq(1) != field("/a").eq(True)
    assert field("/a").eq(1) != field("/a").eq(1.0)
    assert len({field("/a").eq(1), field("/a").eq(True), field("/a").eq(1.0)}) == 3


# ---------------------------------------------------------------------- evaluation

DOC: dict[str, Any] = {
    "_id": "u1",
    "name": "Alice Smith",
    "age": 42,
    "score": 7.5,
    "active": True,
    "manager": None,
    "mail": ["alice@example.com", "a.smith@example.org"],
    "nums": [1, 5, 9],
    "address": {"city": "Grenoble", "zip": "38000"},
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("true", True),
        ("false", False),
        ('/name eq "Alice Smith"', True),
        ('/name eq "alice smith"', True),  # strings ignore case by default
        ('/name eq "Alice"', False),
        ('/name co "ice s"', True),
        ('/name sw "ali"', True),
        ('/name sw "Smith"', False),
        ("/age eq 42", True),
        ("/age eq 42.0", True),
        ('/age eq "42"', False),  # different JSON types never match
        ("/age lt 43", True),
        ("/age lt 42", False),
        ("/age le 42", True),
        ("/age gt 41.5", True),
        ("/age ge 43", False),
        ("/score gt 7", True),
        ("/active eq true", True),
        ("/active eq 1", False),
        ("/age co 42", True),  # co/sw on numbers is equality
        ("/age sw 4", False),
        ('/address/city eq "grenoble"', True),
        ('/address/zip gt "37999"', True),
        ('/mail co "example.org"', True),  # any array element may match
        ('/mail eq "nobody@x"', False),
        ("/nums gt 8", True),
        ("/nums lt 1", False),
        ("/nums/1 eq 5", True),
        ("/mail pr", True),
        ("/manager pr", False),  # present but null
        ("/missing pr", False),
        ("/missing eq 1", False),
        ("!(/missing eq 1)", True),
        ('/name sw "A" and /age gt 40', True),
        ('/name sw "B" or /age gt 40', True),
        ('/name sw "B" or /age gt 50', False),
        ('!(/name sw "B" or /age gt 50)', True),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert evaluate(parse(text), DOC) is expected
    assert evaluate(text, DOC) is expected


def test_evaluate_case_sensitive() -> None:
    assert evaluate('/name eq "alice smith"', DOC, case_sensitive=True) is False
    assert evaluate('/name eq "Alice Smith"', DOC, case_sensitive=True) is True
    assert evaluate('/name co "smith"', DOC, case_sensitive=True) is False


def test_evaluate_extended_operators() -> None:
    matchers = {"regex": lambda v, pattern: isinstance(v, str) and bool(re.search(str(pattern), v))}
    assert evaluate('/name REGEX "^Al.*th$"', DOC, extended=matchers) is True
    assert evaluate('/name regex "^Bob"', DOC, extended=matchers) is False
    with pytest.raises(ValueError, match="unsupported extended filter operator 'near'"):
        evaluate('/name near "x"', DOC, extended=matchers)


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["a", "B", "ab", ""])
)
documents = st.dictionaries(
    st.sampled_from(["a", "b", "c"]),
    st.one_of(json_scalars, st.lists(json_scalars, max_size=3)),
)
small_leaves: st.SearchStrategy[Filter] = st.one_of(
    st.builds(
        Comparison,
        st.sampled_from(["/a", "/b", "/c", "/a/0"]).map(JsonPointer.parse),
        standard_ops,
        st.one_of(st.booleans(), st.integers(-5, 5), st.sampled_from(["a", "b", "A"])),
    ),
    st.builds(Presence, st.sampled_from(["/a", "/b", "/z"]).map(JsonPointer.parse)),
    st.builds(Literal, st.booleans()),
)
small_trees = st.recursive(small_leaves, _extend, max_leaves=10)


@given(small_trees, documents)
def test_evaluation_follows_boolean_logic(tree: Filter, doc: dict[str, Any]) -> None:
    result = evaluate(tree, doc)
    assert evaluate(Not(tree), doc) is (not result)
    assert evaluate(parse(tree.render()), doc) is result
    if isinstance(tree, And):
        assert result is all(evaluate(op, doc) for op in tree.operands)
        # De Morgan: !(a and b) == !a or !b
        assert evaluate(Not(tree), doc) is evaluate(Or(tuple(Not(o) for o in tree.operands)), doc)
    if isinstance(tree, Or):
        assert result is any(evaluate(op, doc) for op in tree.operands)
