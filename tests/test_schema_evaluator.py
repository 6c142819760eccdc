"""``nblint.model.schema``, the one JSON Schema evaluator, says what ``jsonschema`` says.

Four nets:

* generated schemas (every supported keyword, nested, ``$ref`` into generated ``$defs``,
  ``if``/``then``/``else``, unicode patterns, 1 beside 1.0 beside true) and values, each asked of
  ``compile``, ``error_paths`` and ``iter_issues`` and of ``jsonschema``'s
  ``Draft202012Validator`` (``NBLINT_PROPERTY_EXAMPLES=20000`` for a long local hunt);
* one test per edge case, named for it;
* every schema nblint ships: the rules' ``must``/``when``/``unless``, ``config.schema.json`` and
  ``rule.schema.json`` on good and bad documents, the z2jh charts' values schemas on their
  defaults and mutated copies;
* where a value fails, every issue is where ``jsonschema`` puts an error (give or take the key or
  item named inside the mapping or list it blames), and a micro-benchmark prints the speed of
  ``compile`` on the rule engine's workload.

The oracle is ``jsonschema`` with one repair: its ``uniqueItems`` sorts the items and compares
neighbours, which misses a repeat that sorts apart from its twin (``[[1], [true], [1]]``: Python
sorts ``[1]`` and ``[true]`` as equal, JSON does not). The oracle compares every pair instead;
``test_jsonschema_misses_a_repeat_that_sorts_apart`` pins the difference.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema._utils import equal as jsonschema_equal
from test_rules import SCHEMAS, _example_values

from nblint.model import schema
from nblint.model.schema import (
    Issue,
    SchemaError,
    check_supported,
    error_finder,
    error_paths,
    iter_issues,
)

#: Examples per property; a long local hunt: ``NBLINT_PROPERTY_EXAMPLES=20000 pytest …``.
EXAMPLES = int(os.environ.get("NBLINT_PROPERTY_EXAMPLES", "300"))

SETTINGS = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _unique_items_pairwise(validator: Any, unique: Any, instance: Any, _: Any) -> Iterator[Any]:
    """``jsonschema``'s ``uniqueItems`` without its sorting shortcut (see the module doc)."""
    if unique and validator.is_type(instance, "array"):
        for later, item in enumerate(instance):
            if any(jsonschema_equal(instance[earlier], item) for earlier in range(later)):
                yield jsonschema.ValidationError(f"{instance!r} has non-unique elements")
                return


Oracle = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, {"uniqueItems": _unique_items_pairwise}
)


_PREPARED: dict[int, tuple[Any, Any, Any]] = {}


def _prepared(subject: Any) -> tuple[Any, Any]:
    """The oracle and the predicate for ``subject``, built once per schema object (kept alive,
    so that its id is not reused)."""
    entry = _PREPARED.get(id(subject))
    if entry is None or entry[0] is not subject:
        entry = _PREPARED[id(subject)] = (subject, Oracle(subject), schema.compile(subject))
    return entry[1], entry[2]


def _agree(subject: Any, value: Any, root: Any = None) -> bool:
    """Assert that the three ways of asking ``nblint.model.schema`` agree with the oracle; return
    the verdict. ``root``: the document ``subject`` sits in (``$ref`` resolves against it)."""
    if root is None:
        oracle, valid = _prepared(subject)
    else:  # jsonschema's own way to descend: the subschema, resolving against the root
        oracle, valid = _prepared(root)[0].evolve(schema=subject), schema.compile(subject, root)
    expected = oracle.is_valid(value)
    assert valid(value) == expected, (subject, value)
    paths = list(error_paths(subject, value, root=root))
    assert (not paths) == expected, (subject, value, paths)
    if schema.judges_whole(subject):  # then the engine takes () for the walk's paths
        assert set(paths) <= {()}, (subject, value, paths)
    issues = list(iter_issues(subject, value, root=root))
    assert (not issues) == expected, (subject, value, issues)
    assert set(paths) == {issue.path for issue in issues}
    for issue in issues:
        _assert_well_formed(issue, value)
    if not expected:
        _assert_placed_as_jsonschema_places(oracle, subject, value, issues)
    return expected


#: Keywords whose issue names a key or an item where ``jsonschema`` names the container.
_NAMES_A_PART = frozenset(("additionalProperties", "propertyNames", "uniqueItems", "items"))


def _assert_placed_as_jsonschema_places(
    oracle: Any, subject: Any, value: Any, issues: list[Issue]
) -> None:
    """Every issue is where ``jsonschema`` puts an error, and every error has an issue there.
    ``jsonschema`` names the mapping or list where an issue names the key or item (see
    :data:`_NAMES_A_PART`), and forgets the last step down to a ``false`` subschema (its
    ``descend`` returns before it adds the step): there, either place will do."""
    placed = {tuple(error.absolute_path) for error in oracle.iter_errors(value)}
    covered = set()
    for issue in issues:
        if issue.keyword == "false":
            places = {issue.path, issue.path[:-1]} & placed
        else:
            places = {issue.path[:-1] if issue.keyword in _NAMES_A_PART else issue.path} & placed
        assert places, (subject, value, issue, placed)
        covered |= places
    assert covered == placed, (subject, value, issues, placed)


def _at(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def _assert_well_formed(issue: Issue, value: Any) -> None:
    """What every issue promises: its value is the one at its path, and it says so in a line."""
    assert _at(value, issue.path) is issue.value, issue
    assert issue.message and "\n" not in issue.message, issue
    assert issue.keyword in schema.SUPPORTED or issue.keyword == "false", issue
    if issue.keyword == "required":
        assert issue.name not in issue.value
    if issue.keyword in ("additionalProperties", "propertyNames"):
        assert issue.path[-1] == issue.key
    if issue.keyword == "additionalProperties":
        assert issue.known == tuple(issue.schema.get("properties", {}))


# ---------------------------------------------------------------------------------------------
# Generated schemas and values

KEYS = ["a", "b", "c", "x-1", "é", "日本", "", "A"]
TEXT = "aAbé日😀1 -\u0301"
#: Safe regexes: no backreferences or inline flags, which jsonschema's joining of
#: patternProperties for additionalProperties would change.
PATTERNS = [
    *("^a", "a", "^$", "b$", "^[a-z]+$", "é", "日", "^.{2,}$", r"\d", "^x-", "😀"),
    *(r"^\w+$", "[^a]", "^(a|b)c?$", "\u0301", "^.$"),
]
NUMBERS = (
    st.sampled_from([0, 1, -1, 2, 3, 1.0, -0.0, 0.0, 2.0, 0.5, 2.5, -1.5, 0.1, 0.3, 10**20, 1e20])
    | st.integers(-3, 3)
    | st.floats(-4, 4, allow_nan=False, allow_infinity=False)
)
INTEGERS = st.sampled_from([0, 1, -1, 2, 3, 10**20]) | st.integers(-3, 3)
COUNTS = st.integers(0, 3) | st.sampled_from([1.0, 2.0])
TYPE_NAMES = sorted(schema.TYPES)
TYPES = st.sampled_from(TYPE_NAMES) | st.lists(
    st.sampled_from(TYPE_NAMES), min_size=1, max_size=3, unique=True
)
DIVISORS = st.sampled_from([1, 2, 3, 0.5, 1.5, 0.1, 2.0, 1.0, 0.25])


class Literal:
    """Stands in a generated value for the ``index``-th constant of the schema it meets (see
    :func:`_with_literals`): values built from a schema's own constants and property names
    satisfy it far more often than random ones, and the strategy is still built only once."""

    def __init__(self, index: int, key: bool = False) -> None:
        self.index, self.key = index, key

    def __hash__(self) -> int:
        return hash((self.index, self.key))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Literal) and (self.index, self.key) == (other.index, other.key)


def _json_values(numbers: Any, literals: bool) -> Any:
    scalars = (
        st.none() | st.booleans() | numbers | st.text(TEXT, max_size=4) | st.sampled_from(KEYS)
    )
    keys = st.sampled_from(KEYS) | st.text(TEXT, max_size=3)
    if literals:
        scalars = st.integers(0, 7).map(Literal) | scalars
        keys = st.integers(0, 7).map(lambda index: Literal(index, key=True)) | keys

    def containers(children: Any) -> Any:
        return st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4)

    return st.recursive(scalars, containers, max_leaves=8)


JSON_VALUES = _json_values(NUMBERS, literals=False)
#: Constants whose lookalikes (1, 1.0, true) JSON equality must tell apart, at any depth.
LOOKALIKES = st.sampled_from(
    [[1], [True], [1.0], {"a": 1}, {"a": True}, [0, [False]], [[1], {"b": [0.0]}], 1, True, 0]
)
#: Values with :class:`Literal` placeholders, for :func:`_with_literals`.
VALUE_TEMPLATES = _json_values(NUMBERS, literals=True)


class RefSlot:
    """A ``$ref`` drawn before it is known which definitions exist (see :func:`_bind_refs`):
    one schema strategy serves every set of definitions."""

    def __init__(self, index: int) -> None:
        self.index = index


def _keywords(children: Any) -> dict[str, Any]:
    """A strategy per keyword for its value."""
    keys = st.sampled_from(KEYS)
    # `$ref: "#"` only right below a keyword that descends into a part of the value, so that
    # every recursion consumes some of the (finite) value.
    descending = children | st.just({"$ref": "#"})
    literal, numbers = LOOKALIKES | JSON_VALUES, NUMBERS
    strategies = {
        "type": TYPES,
        "const": literal,
        "enum": st.lists(literal, min_size=1, max_size=4),
        "not": children,
        "anyOf": st.lists(children, min_size=1, max_size=3),
        "allOf": st.lists(children, min_size=1, max_size=3),
        "oneOf": st.lists(children, min_size=1, max_size=3),
        "if": children,
        "then": children,
        "else": children,
        "properties": st.dictionaries(keys, descending, max_size=3),
        "patternProperties": st.dictionaries(st.sampled_from(PATTERNS), descending, max_size=2),
        "additionalProperties": descending,
        "propertyNames": descending,
        "required": st.lists(keys, max_size=3, unique=True),
        "dependentRequired": st.dictionaries(
            keys, st.lists(keys, max_size=2, unique=True), max_size=2
        ),
        "dependentSchemas": st.dictionaries(keys, children, max_size=2),
        "minProperties": COUNTS,
        "maxProperties": COUNTS,
        "items": descending,
        "prefixItems": st.lists(descending, min_size=1, max_size=3),
        "contains": descending,
        "minContains": COUNTS,
        "maxContains": COUNTS,
        "minItems": COUNTS,
        "maxItems": COUNTS,
        "uniqueItems": st.booleans(),
        "minLength": COUNTS,
        "maxLength": COUNTS,
        "pattern": st.sampled_from(PATTERNS),
        "minimum": numbers,
        "maximum": numbers,
        "exclusiveMinimum": numbers,
        "exclusiveMaximum": numbers,
        "multipleOf": DIVISORS,
        "title": st.text(TEXT, max_size=3),
        "description": st.text(TEXT, max_size=3),
        "$comment": st.text(TEXT, max_size=3),
        "default": literal,
        "examples": st.lists(literal, max_size=2),
    }
    strategies["$ref"] = st.integers(0, 2).map(RefSlot)
    return strategies


#: Keywords that read each other or the same kind of value: a node drawn mostly from one family
#: puts siblings together (prefixItems beside items, if beside else, patternProperties beside
#: additionalProperties), where uniform draws from every keyword would rarely meet.
FAMILIES = [
    (
        *("properties", "patternProperties", "additionalProperties", "propertyNames"),
        *("required", "minProperties", "maxProperties", "dependentRequired", "dependentSchemas"),
        "type",
    ),
    (
        *("items", "prefixItems", "contains", "minContains", "maxContains", "minItems"),
        *("maxItems", "uniqueItems", "type"),
    ),
    ("minLength", "maxLength", "pattern", "type", "const", "enum"),
    ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "type", "const"),
    ("if", "then", "else", "not", "anyOf", "allOf", "oneOf", "$ref", "enum", "const", "type"),
]


def _node(children: Any) -> Any:
    """A schema object: any of the keywords of one family (each there or not), or up to four
    keywords of all."""
    strategies = _keywords(children)
    nodes = []
    for family in FAMILIES:
        optional = {keyword: strategies[keyword] for keyword in family if keyword in strategies}
        if optional:
            nodes.append(st.fixed_dictionaries({}, optional=optional))
    pairs = st.one_of([st.tuples(st.just(k), strategies[k]) for k in sorted(strategies)])
    nodes.append(st.lists(pairs, max_size=4).map(dict))
    return st.one_of(nodes)


@functools.cache
def _schemas() -> Any:
    leaf = st.booleans() | _node(st.booleans())
    return st.recursive(leaf, _node, max_leaves=5)


DEF_NAMES = ["a", "b", "x y", "p/q", "t~s"]


def _pointer(container: str, name: str) -> str:
    escaped = name.replace("~", "~0").replace("/", "~1").replace(" ", "%20")
    return f"#/{container}/{escaped}"


@st.composite
def rooted_schemas(draw: Any) -> Any:
    """A schema with ``$defs`` (or ``definitions``) that it and later definitions refer to."""
    container = draw(st.sampled_from(["$defs", "definitions"]))
    definitions: dict[str, Any] = {}
    refs: list[str] = []
    for name in draw(st.lists(st.sampled_from(DEF_NAMES), unique=True, max_size=3)):
        definitions[name] = _bind_refs(draw(_schemas()), refs)  # to earlier ones: no cycle
        refs.append(_pointer(container, name))
    root = _bind_refs(draw(_schemas()), refs)
    if definitions:
        base = root if isinstance(root, dict) else ({} if root else {"not": {}})
        root = {**base, container: definitions}
    return root


def _bind_refs(node: Any, refs: list[str]) -> Any:
    """``node`` with each :class:`RefSlot` pointing at one of ``refs`` (or gone, if none)."""
    if isinstance(node, list):
        return [_bind_refs(item, refs) for item in node]
    if not isinstance(node, dict):
        return node
    bound = {}
    for key, item in node.items():
        if isinstance(item, RefSlot):
            if refs:
                bound[key] = refs[item.index % len(refs)]
        else:
            bound[key] = _bind_refs(item, refs)
    return bound


def _literals(node: Any, values: list[Any], keys: list[Any]) -> None:
    """The constants and property names in a schema."""
    if isinstance(node, dict):
        for keyword, sub in node.items():
            if keyword == "const":
                values.append(sub)
            elif keyword in ("enum", "examples") and isinstance(sub, list):
                values.extend(sub)
            elif keyword == "required" and isinstance(sub, list):
                keys.extend(sub)
            else:
                if keyword in ("properties", "dependentRequired", "dependentSchemas"):
                    keys.extend(sub)
                _literals(sub, values, keys)
    elif isinstance(node, list):
        for item in node:
            _literals(item, values, keys)


def _with_literals(template: Any, values: list[Any], keys: list[Any]) -> Any:
    """``template`` with each :class:`Literal` replaced by a constant or a property name."""
    if isinstance(template, Literal):
        pool = keys if template.key else values
        return copy.deepcopy(pool[template.index % len(pool)]) if pool else template.index
    if isinstance(template, list):
        return [_with_literals(item, values, keys) for item in template]
    if isinstance(template, dict):
        return {
            _with_literals(key, values, keys): _with_literals(item, values, keys)
            for key, item in template.items()
        }
    return template


def _values(subject: Any, templates: list[Any]) -> list[Any]:
    values: list[Any] = []
    keys: list[Any] = []
    _literals(subject, values, keys)
    keys = [key for key in keys if isinstance(key, str)]
    # A placeholder meant for a key can only become a name; one for a value becomes anything.
    return [_with_literals(template, values, keys or KEYS) for template in templates]


#: Texts that meet and miss the PATTERNS and the length bounds, in code points.
TEXT_POOL = [
    *("", "a", "b", "c", "ab", "ba", "bc", "ac", "abc", "A", "aA", "é", "e\u0301", "日", "日本"),
    *("😀", "a😀", "x-1", "x-", "1", "12", "a1", " ", "ab ", "\u0301", "é日"),
]
NUMBER_POOL = [0, 1, -1, 2, 3, 4, 6, 0.0, -0.0, 1.0, 2.0, 0.5, 1.5, 2.5, -1.5, 0.1, 0.2, 0.3]
NUMBER_POOL += [10**20, 1e20]


def _random_json(rnd: Any, depth: int = 0) -> Any:
    roll = rnd.random()
    if depth < 3 and roll < 0.15:
        return [_random_json(rnd, depth + 1) for _ in range(rnd.randrange(4))]
    if depth < 3 and roll < 0.3:
        return {
            rnd.choice(TEXT_POOL): _random_json(rnd, depth + 1) for _ in range(rnd.randrange(4))
        }
    return rnd.choice([None, True, False, *NUMBER_POOL[:8], *TEXT_POOL[:8]])


def _twin(value: Any, rnd: Any) -> Any:
    """``value`` itself, or something JSON may or may not count as equal to it (1, 1.0, true)."""
    if rnd.random() < 0.4:
        return copy.deepcopy(value)
    if isinstance(value, bool):
        return rnd.choice([int(value), float(value), not value])
    if isinstance(value, (int, float)):
        twins: list[Any] = [float(value), value + 1, value + 0.5, -value]
        if float(value).is_integer() and abs(value) < 1e300:
            twins.append(int(value))
        if value in (0, 1):
            twins.append(bool(value))
        return rnd.choice(twins)
    if isinstance(value, str):
        return rnd.choice([value + "x", value[:-1], value.upper(), value + value])
    if isinstance(value, list):
        if value:
            copied = copy.deepcopy(value)
            index = rnd.randrange(len(copied))
            copied[index] = _twin(copied[index], rnd)
            return rnd.choice([copied, [*copied, copied[0]], copied[1:]])
        return [None]
    if isinstance(value, dict):
        copied = copy.deepcopy(value)
        if copied and rnd.random() < 0.7:
            key = rnd.choice(list(copied))
            copied[key] = _twin(copied[key], rnd)
        else:
            copied[rnd.choice(TEXT_POOL)] = _random_json(rnd, 2)
        return copied
    return rnd.choice([0, False, "", [], {}])


#: Items that JSON equality tells apart, though Python's does not (and the other way round).
LOOKALIKE_PAIRS = [[1, True], [0, False], [[1], [True]], [{"a": 1}, {"a": True}], [1, 1.0]]
LOOKALIKE_PAIRS += [[[0], [0.0]], [{"a": [1]}, {"a": [1.0]}], [[1], [True], [1]]]


def _text(rnd: Any) -> str:
    """A text of the pool, sometimes behind or before something else: where a pattern matches
    (``re.search``, not ``re.match``) then matters."""
    text = rnd.choice(TEXT_POOL)
    roll = rnd.random()
    if roll < 0.25:
        return rnd.choice(["x", " ", "é", "1"]) + text
    if roll < 0.5:
        return text + rnd.choice(["x", " ", "é", "1"])
    return text


def _near(bounds: list[Any], rnd: Any) -> Any:
    """A number at, just inside or just outside one of ``bounds``."""
    bound = rnd.choice(bounds)
    return rnd.choice([bound, bound + 1, bound - 1, bound + 0.5, float(bound), -bound])


#: The kind of value each keyword judges (the others judge any value).
KIND_OF = {
    **dict.fromkeys(
        (
            *("properties", "patternProperties", "additionalProperties", "propertyNames"),
            *("required", "minProperties", "maxProperties", "dependentRequired"),
        ),
        "object",
    ),
    **dict.fromkeys(
        ("items", "prefixItems", "contains", "minContains", "maxContains", "minItems"), "array"
    ),
    **dict.fromkeys(("maxItems", "uniqueItems"), "array"),
    **dict.fromkeys(("minLength", "maxLength", "pattern"), "string"),
    **dict.fromkeys(
        ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"), "number"
    ),
}


def _guided(subject: Any, root: Any, rnd: Any, depth: int = 0) -> Any:
    """A value built to test ``subject``'s keywords at their edges: it often satisfies some and
    breaks others by a little (a twin of a constant, a length one past the bound). Each keyword
    of ``subject`` gets its turn as the one the value is built for."""
    if not isinstance(subject, dict) or depth > 5 or rnd.random() < 0.1:
        return _random_json(rnd, depth)
    focus = rnd.choice(sorted(subject)) if subject else None
    followers = {
        "allOf": subject.get("allOf", ()),
        "anyOf": subject.get("anyOf", ()),
        "oneOf": subject.get("oneOf", ()),
        "dependentSchemas": list(subject.get("dependentSchemas", {}).values()),
        **{key: [subject[key]] for key in ("not", "if", "then", "else") if key in subject},
    }
    if "$ref" in subject:
        followers["$ref"] = [schema.resolve(root, subject["$ref"])]
    if followers.get(focus):
        return _guided(rnd.choice(followers[focus]), root, rnd, depth + 1)
    if focus in ("const", "enum"):
        constants = [subject["const"]] if focus == "const" else subject["enum"]
        return _twin(rnd.choice(constants), rnd)
    kinds = []
    if focus == "type":
        named = subject["type"]
        kinds += [named] if isinstance(named, str) else named
    elif focus in KIND_OF:
        kinds.append(KIND_OF[focus])
    kind = rnd.choice(kinds) if kinds and rnd.random() < 0.85 else rnd.choice(TYPE_NAMES)
    if kind == "object":
        return _guided_object(subject, root, rnd, depth)
    if kind == "array":
        return _guided_array(subject, root, rnd, depth)
    if kind == "string":
        bounds = [subject[k] for k in ("minLength", "maxLength") if k in subject]
        if bounds and rnd.random() < 0.5:
            length = max(0, int(_near(bounds, rnd)))
            return "".join(rnd.choice(["a", "é", "😀", "\u0301", "日"]) for _ in range(length))
        return _text(rnd)
    if kind in ("number", "integer"):
        bounds = [subject[k] for k in ("minimum", "maximum", "exclusiveMinimum") if k in subject]
        bounds += [subject[k] for k in ("exclusiveMaximum",) if k in subject]
        if "multipleOf" in subject:
            bounds += [subject["multipleOf"] * rnd.randrange(-3, 4)]
        if bounds and rnd.random() < 0.7:
            return _near(bounds, rnd)
        return rnd.choice([*NUMBER_POOL, True, False])
    return rnd.choice({"boolean": [True, False, 0, 1], "null": [None, 0, False, ""]}[kind])


def _guided_object(subject: Any, root: Any, rnd: Any, depth: int) -> dict[Any, Any]:
    properties = subject.get("properties", {})
    patterns = subject.get("patternProperties", {})
    dependent = subject.get("dependentRequired", {})
    names = {
        *properties,
        *subject.get("required", ()),
        *dependent,
        *subject.get("dependentSchemas", {}),
    }
    names |= {name for needed in dependent.values() for name in needed}
    names |= {_text(rnd) for _ in range(3)}
    for pattern in patterns:  # a key that a pattern claims, away from additionalProperties
        names |= {name for name in TEXT_POOL if re.search(pattern, name) and rnd.random() < 0.3}
    bounds = [subject[k] for k in ("minProperties", "maxProperties") if k in subject]
    count = int(_near(bounds, rnd)) if bounds and rnd.random() < 0.5 else rnd.randrange(5)
    chosen = rnd.sample(sorted(names), min(max(count, 0), len(names)))
    built = {}
    for name in chosen:
        matching = [sub for pattern, sub in patterns.items() if re.search(pattern, name)]
        if name in properties:
            matching.append(properties[name])
        elif not matching:
            matching.append(subject.get("additionalProperties", True))
        built[name] = _guided(rnd.choice(matching), root, rnd, depth + 1)
    return built


def _guided_array(subject: Any, root: Any, rnd: Any, depth: int) -> list[Any]:
    prefix = subject.get("prefixItems", [])
    bounds = [
        subject[k] for k in ("minItems", "maxItems", "minContains", "maxContains") if k in subject
    ]
    bounds.append(len(prefix))
    count = int(_near(bounds, rnd)) if rnd.random() < 0.5 else rnd.randrange(5)
    built = []
    for index in range(max(0, min(count, 6))):
        if index < len(prefix):
            sub = prefix[index]
        else:
            sub = rnd.choice([subject.get("items", True), subject.get("contains", True)])
        built.append(_guided(sub, root, rnd, depth + 1))
    if built and rnd.random() < 0.3:  # a repeat, or a lookalike, for uniqueItems
        built.insert(rnd.randrange(len(built) + 1), _twin(rnd.choice(built), rnd))
    elif rnd.random() < 0.2:
        built += rnd.choice(LOOKALIKE_PAIRS)
    return built


#: The siblings a keyword reads: a keyword is also checked alone with these.
READS = {
    "items": ("prefixItems",),
    "additionalProperties": ("properties", "patternProperties"),
    "contains": ("minContains", "maxContains"),
    "if": ("then", "else"),
}


def _projections(node: Any) -> Iterator[dict[str, Any]]:
    """Each keyword of ``node`` alone, with the siblings it reads: in the whole node, one
    failing keyword hides what another gets wrong."""
    if not isinstance(node, dict):
        return
    for keyword in node:
        if keyword in schema.ANNOTATIONS or keyword in ("then", "else", "minContains"):
            continue
        if keyword in ("maxContains", "$defs", "definitions"):
            continue
        readers = READS.get(keyword, ())
        yield {k: v for k, v in node.items() if k == keyword or k in readers}


ONE_SUBSCHEMA = {"not", "if", "then", "else", "items", "contains", "propertyNames"}
ONE_SUBSCHEMA.add("additionalProperties")
NAMED_SUBSCHEMAS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


def _subschemas(node: Any) -> Iterator[Any]:
    """Every schema inside ``node`` (not ``node`` itself), definitions included."""
    if not isinstance(node, dict):
        return
    for keyword, sub in node.items():
        if keyword in ONE_SUBSCHEMA:
            inner = [sub]
        elif keyword in ("anyOf", "allOf", "oneOf", "prefixItems"):
            inner = sub
        elif keyword in NAMED_SUBSCHEMAS:
            inner = list(sub.values())
        else:
            continue
        for each in inner:
            yield each
            yield from _subschemas(each)


@SETTINGS
@given(
    subject=rooted_schemas(),
    seed=st.integers(0, 2**32),
    templates=st.lists(VALUE_TEMPLATES, max_size=2),
)
def test_agrees_with_jsonschema_on_generated_schemas_and_values(
    subject: Any, seed: int, templates: list[Any]
) -> None:
    # Guided values come from a plain Random seeded by Hypothesis: as reproducible, and a draw
    # from it costs nothing (each draw from Hypothesis's own Random is recorded).
    rnd = random.Random(seed)
    check_supported(subject)
    values = [_guided(subject, subject, rnd) for _ in range(6)] + _values(subject, templates)
    for value in values:
        event("valid" if _agree(subject, value) else "invalid")
    # Each subschema on its own as well, and each keyword with the siblings it reads: in the
    # whole, one failing keyword hides what another gets wrong.
    parts = [*_subschemas(subject)]
    parts += [part for node in [subject, *parts] for part in _projections(node)]
    for part in rnd.sample(parts, min(len(parts), 12)):
        for _ in range(2):
            _agree(part, _guided(part, subject, rnd), root=subject)


# ---------------------------------------------------------------------------------------------
# One test per edge case


def test_one_point_zero_is_an_integer() -> None:
    assert _agree({"type": "integer"}, 1.0)
    assert not _agree({"type": "integer"}, 1.5)
    assert _agree({"properties": {"runAsUser": {"type": "integer"}}}, {"runAsUser": 1000.0})


def test_booleans_are_neither_integers_nor_numbers() -> None:
    for value in (True, False):
        assert not _agree({"type": "integer"}, value)
        assert not _agree({"type": "number"}, value)
        assert _agree({"minimum": 5, "multipleOf": 2}, value)  # number keywords ignore them


def test_yaml_nan_and_infinity_are_judged_as_jsonschema_judges_them() -> None:
    """No JSON number, but YAML's ``.nan`` and ``.inf`` reach the checks: no comparison holds for
    NaN (so it passes the bounds, as in jsonschema), and neither is a multiple of anything."""
    nan, inf = float("nan"), float("inf")
    for subject in ({"minimum": 0}, {"maximum": 0}, {"exclusiveMinimum": 0}, {"type": "number"}):
        assert _agree(subject, nan)
    assert not _agree({"exclusiveMaximum": 0}, inf)
    assert not _agree({"type": "integer"}, inf)
    assert not _agree({"multipleOf": 2}, inf)
    assert not _agree({"multipleOf": 2}, nan)
    # Where jsonschema raises (a float divisor), nblint says no rather than crash.
    for value in (inf, -inf, nan):
        assert not schema.compile({"multipleOf": 0.5})(value)
        assert [i.keyword for i in iter_issues({"multipleOf": 0.5}, value)] == ["multipleOf"]
    assert schema.compile({"multipleOf": 0.5})(10**400)  # beyond floats: counted exactly


def test_true_is_not_one_in_const() -> None:
    assert not _agree({"const": 1}, True)
    assert not _agree({"const": True}, 1)
    assert not _agree({"const": 0}, False)
    assert not _agree({"not": {"const": 0}}, 0)
    assert _agree({"not": {"const": 0}}, False)


def test_true_is_not_one_in_enum() -> None:
    assert not _agree({"enum": [1, "a"]}, True)
    assert not _agree({"enum": [True, None]}, 1)
    assert _agree({"enum": [True, 1]}, 1.0)


def test_true_is_not_one_in_unique_items() -> None:
    assert _agree({"uniqueItems": True}, [1, True])
    assert _agree({"uniqueItems": True}, [0, False, None, "0", [], {}])
    assert not _agree({"uniqueItems": True}, [1, 1.0])
    assert _agree({"uniqueItems": True}, [[1], [True]])
    assert _agree({"uniqueItems": False}, [1, 1])


def test_one_equals_one_point_zero_in_const() -> None:
    assert _agree({"const": 1}, 1.0)
    assert _agree({"const": 1.0}, 1)
    assert _agree({"const": 0}, -0.0)
    assert _agree({"enum": [2.0]}, 2)


def test_json_equality_holds_deep_in_lists_and_objects() -> None:
    subject = {"const": [1, {"a": True, "b": [None, "x"]}]}
    assert _agree(subject, [1.0, {"b": [None, "x"], "a": True}])
    assert not _agree(subject, [True, {"a": True, "b": [None, "x"]}])
    assert not _agree(subject, [1, {"a": 1, "b": [None, "x"]}])
    assert not _agree(subject, [1, {"a": True, "b": [None, "x"], "c": 1}])
    assert not _agree({"enum": [[True]]}, [1])
    assert not _agree({"uniqueItems": True}, [{"a": [1]}, {"a": [1.0]}])


def test_jsonschema_misses_a_repeat_that_sorts_apart() -> None:
    """The one place the oracle is repaired: ``[1]`` is there twice."""
    value = [[1], [True], [1]]
    assert jsonschema.Draft202012Validator({"uniqueItems": True}).is_valid(value)
    assert not _agree({"uniqueItems": True}, value)
    [issue] = iter_issues({"uniqueItems": True}, value)
    assert (issue.path, issue.message) == ((2,), "repeats item 0")


def test_unicode_pattern_and_length_count_code_points() -> None:
    assert _agree({"minLength": 1, "maxLength": 1}, "😀")  # one code point, two UTF-16 units
    assert _agree({"maxLength": 3}, "e\u0301x")  # a combining accent is a code point of its own
    assert not _agree({"maxLength": 2}, "e\u0301x")
    assert _agree({"pattern": r"^\w+$"}, "日本語")
    assert _agree({"pattern": "^é"}, "été")
    assert not _agree({"pattern": "^é"}, "e\u0301t\u0301e")  # decomposed: not the same text
    assert _agree({"pattern": "b"}, "abc")  # a search, not a full match
    assert _agree({"propertyNames": {"pattern": "^[^A-Z]"}}, {"日本": 1, "é": 2})


def test_ref_into_defs() -> None:
    root = {
        "$defs": {"port": {"type": "integer", "minimum": 1}, "a/b": {"const": "~"}},
        "definitions": {"name": {"type": "string"}},
        "properties": {
            "port": {"$ref": "#/$defs/port"},
            "name": {"$ref": "#/definitions/name", "minLength": 2},
            "odd": {"$ref": "#/$defs/a~1b"},
            "self": {"$ref": "#/properties/port"},
        },
    }
    check_supported(root)
    assert _agree(root, {"port": 80, "name": "hub", "odd": "~", "self": 1})
    assert not _agree(root, {"port": 0})
    assert not _agree(root, {"name": "h"})  # $ref and a sibling both apply (2020-12)
    assert not _agree(root, {"odd": "a"})
    [issue] = iter_issues(root, {"port": "80"})
    assert (issue.path, issue.keyword, issue.schema) == (("port",), "type", root["$defs"]["port"])
    # A subschema with refs into its document: pass the document as root.
    assert schema.compile(root["properties"]["port"], root)(1)
    assert not schema.compile(root["properties"]["port"], root)(0)


def test_recursive_ref_to_the_root() -> None:
    tree = {"type": "object", "properties": {"children": {"items": {"$ref": "#"}}}}
    assert _agree(tree, {"children": [{"children": []}, {}]})
    assert not _agree(tree, {"children": [{"children": [1]}]})
    assert list(error_paths(tree, {"children": [{"children": [1]}]})) == [
        ("children", 0, "children", 0)
    ]


def test_if_then_else() -> None:
    subject = {
        "if": {"properties": {"create": {"const": True}}},
        "then": {"required": ["registry"]},
        "else": {"properties": {"registry": {"type": "null"}}},
    }
    assert _agree(subject, {"create": True, "registry": "r"})
    assert not _agree(subject, {"create": True})
    assert _agree(subject, {"create": False, "registry": None})
    assert not _agree(subject, {"create": False, "registry": "r"})
    assert _agree({"if": {"const": 1}}, 2)  # an `if` alone decides nothing
    assert _agree({"then": False}, 2)  # nor a `then` alone
    [issue] = iter_issues(subject, {"create": True})
    assert (issue.keyword, issue.name, issue.conditional) == ("required", "registry", True)
    [issue] = iter_issues(subject, {"create": 0, "registry": 1})
    assert (issue.path, issue.conditional) == (("registry",), True)
    [issue] = iter_issues({"required": ["a"]}, {})
    assert not issue.conditional


def _opaque(value: Any) -> bool:
    return isinstance(value, str) and (value.startswith("ENC[") or "{{" in value)


def test_opaque_values_fail_only_their_type() -> None:
    subject = {
        "$defs": {"uid": {"type": "integer"}},
        "properties": {
            "uid": {"$ref": "#/$defs/uid", "minimum": 1000},
            "name": {"type": "string", "enum": ["a", "b"], "pattern": "^a"},
            "secret": {"allOf": [{"type": "object"}], "required": ["key"]},
        },
    }
    value = {
        "uid": "{{ .Values.uid }}",
        "name": "{{ .Values.name }}",
        "secret": "ENC[AES256,data:x]",
    }
    found = [(i.path, i.keyword) for i in iter_issues(subject, value, opaque=_opaque)]
    # A string stands where an integer and a mapping belong: those types fail (the caller puts
    # the default back); the enum and pattern of `name`, which nobody can judge, do not.
    assert found == [(("uid",), "type"), (("secret",), "type")]
    assert len(list(iter_issues(subject, value))) == 4  # without `opaque`: judged as text
    # Below an opaque value nothing is checked, and a false schema forbids it all the same.
    assert list(iter_issues({"items": {"type": "string"}}, ["ENC[x"], opaque=_opaque)) == []
    [issue] = iter_issues({"properties": {"x": False}}, {"x": "{{ x }}"}, opaque=_opaque)
    assert issue.keyword == "false"


def test_prune_skips_subtrees_but_not_under_then() -> None:
    subject = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "written": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "default": {"type": "object", "properties": {"n": {"type": "integer"}}},
            "secret": {
                "type": "object",
                "if": {"properties": {"create": {"const": True}}},
                "then": {"properties": {"registry": {"type": "string"}}},
            },
        },
    }
    value = {
        "written": {"n": "x"},
        "default": {"n": "x"},
        "secret": {"create": True, "registry": None},
        "typo": 1,
        "default-typo": 1,
    }
    written = {(), ("written",), ("written", "n"), ("secret",), ("secret", "create"), ("typo",)}
    issues = list(iter_issues(subject, value, prune=lambda path: path not in written))
    assert [(i.path, i.keyword, i.conditional) for i in issues] == [
        (("typo",), "additionalProperties", False),
        (("written", "n"), "type", False),
        # What `create: true` switched on is checked whole, the chart default beside it too.
        (("secret", "registry"), "type", True),
    ]
    assert list(iter_issues(subject, value, prune=lambda path: True)) == []
    assert len(list(iter_issues(subject, value))) == 5


ISSUES = [
    # (schema, value, path, keyword, message, facts)
    ({"type": "integer"}, "8080", (), "type", "must be an integer, not a string", {}),
    ({"type": ["string", "null"]}, 1.5, (), "type", "must be a string or null, not 1.5", {}),
    ({"enum": ["a", "b"]}, "c", (), "enum", "is not one of a, b", {}),
    ({"enum": ["1", 1, None]}, 2, (), "enum", "is not one of '1', 1, null", {}),
    ({"const": True}, False, (), "const", "must be true", {}),
    (
        {"properties": {"a": True}, "additionalProperties": False},
        {"a": 1, "x": 2},
        ("x",),
        "additionalProperties",
        "unknown key 'x'",
        {"key": "x", "known": ("a",)},
    ),
    ({"required": ["values"]}, {}, (), "required", "'values' is required", {"name": "values"}),
    ({"minimum": 1}, 0, (), "minimum", "must be at least 1, not 0", {}),
    ({"exclusiveMaximum": 1.5}, 2, (), "exclusiveMaximum", "must be less than 1.5, not 2", {}),
    ({"multipleOf": 2}, 3, (), "multipleOf", "must be a multiple of 2, not 3", {}),
    (
        {"pattern": "^v1\\.[0-9]+$"},
        "v2",
        (),
        "pattern",
        "must match the pattern '^v1\\.[0-9]+$'",
        {},
    ),
    ({"minLength": 1}, "", (), "minLength", "must not be empty", {}),
    ({"maxLength": 2}, "abc", (), "maxLength", "must be at most 2 characters long", {}),
    ({"minItems": 2}, [1], (), "minItems", "must have at least 2 items", {}),
    ({"maxProperties": 1}, {"a": 1, "b": 2}, (), "maxProperties", "must have at most 1 key", {}),
    ({"items": {"type": "string"}}, ["a", 1], (1,), "type", "must be a string, not an integer", {}),
    ({"prefixItems": [True], "items": False}, [1, 2], (1,), "items", None, {}),
    ({"not": {"const": True}}, True, (), "not", "must not be true", {}),
    ({"not": {"required": ["a", "b"]}}, {"a": 1, "b": 2}, (), "not", None, {}),
    (
        {"anyOf": [{"type": "string"}, {"const": 1}]},
        2,
        (),
        "anyOf",
        "must be a string or 1, not 2",
        {},
    ),
    (
        {"oneOf": [{"required": ["data"]}, {"required": ["binaryData"]}]},
        {"data": 1, "binaryData": 2},
        (),
        "oneOf",
        "matches 2 of the 2 allowed forms, not exactly one",
        {},
    ),
    (
        {"propertyNames": {"pattern": "^[a-z]+$"}},
        {"ok": 1, "Bad": 2},
        ("Bad",),
        "propertyNames",
        "key 'Bad' must match the pattern '^[a-z]+$'",
        {"key": "Bad"},
    ),
    ({"contains": {"const": "ALL"}}, ["NET_RAW"], (), "contains", "has no item that is ALL", {}),
    ({"uniqueItems": True}, ["a", "b", "a"], (2,), "uniqueItems", "repeats item 0", {}),
    (
        {"dependentRequired": {"a": ["b"]}},
        {"a": 1},
        (),
        "dependentRequired",
        "'b' is required when 'a' is set",
        {"name": "b"},
    ),
    ({"properties": {"x": False}}, {"x": 1}, ("x",), "false", "is not allowed", {}),
]


@pytest.mark.parametrize(
    ("subject", "value", "path", "keyword", "message", "facts"),
    ISSUES,
    ids=[f"{case[3]}-{index}" for index, case in enumerate(ISSUES)],
)
def test_issue_path_keyword_and_message(
    subject: Any, value: Any, path: Any, keyword: str, message: str | None, facts: Any
) -> None:
    assert not _agree(subject, value)
    [issue] = iter_issues(subject, value)
    assert (issue.path, issue.keyword) == (path, keyword)
    if message is not None:
        assert issue.message == message
    for name, expected in facts.items():
        assert getattr(issue, name) == expected
    assert issue.value is _at(value, path)
    assert str(issue).endswith(issue.message)


def test_error_paths_name_the_deepest_place_once_per_keyword() -> None:
    subject = {
        "required": ["a", "b"],  # names the object, once for both missing names
        "properties": {"list": {"items": {"type": "integer"}}},
        "propertyNames": {"maxLength": 4},  # names the key
        "additionalProperties": {"type": "array"},
    }
    value = {"list": [1, "x", 2, None], "toolong": [], "k": 1}
    assert list(error_paths(subject, value)) == [
        (),
        ("list", 1),
        ("list", 3),
        ("toolong",),
        ("k",),
    ]
    assert [i.name for i in iter_issues(subject, value) if i.keyword == "required"] == ["a", "b"]


def test_one_error_finder_answers_value_after_value_as_error_paths_does() -> None:
    # The finder keeps what its walk compiled (the predicates of anyOf, not, if): a value
    # judged after another must get its own paths, not the first value's.
    subject = {
        "items": {
            "anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^a"}],
            "not": {"const": 0},
            "if": {"type": "integer"},
            "then": {"minimum": 1},
        },
    }
    values = [[1, "b", 0], ["a", 2], [0, "ab", -3, None], []]
    find = error_finder(subject)
    found = [list(find(value)) for value in values]
    assert found == [list(error_paths(subject, value)) for value in values]
    assert found == [[(1,), (2,), (2,)], [], [(0,), (0,), (2,), (3,)], []]


def test_check_supported_refuses_an_unknown_keyword() -> None:
    with pytest.raises(
        SchemaError, match=r"rule\.must\.items: unsupported JSON Schema keyword 'patern'"
    ):
        check_supported({"items": {"patern": "^a"}}, "rule.must")
    # Nor may compile or the walkers ignore it: a typo would pass everything.
    with pytest.raises(SchemaError, match="'patern'"):
        schema.compile({"patern": "^a"})
    with pytest.raises(SchemaError, match="'patern'"):
        list(iter_issues({"patern": "^a"}, "b"))


@pytest.mark.parametrize(
    ("subject", "problem"),
    [
        ({"format": "ipv4"}, "unsupported JSON Schema keyword 'format'"),
        ({"unevaluatedProperties": False}, "unsupported"),
        ({"type": "int"}, "unknown type 'int'"),
        ({"minLength": "3"}, "'minLength' must be a non-negative integer"),
        ({"minimum": True}, "'minimum' must be a number"),
        ({"multipleOf": 0}, "'multipleOf' must be a number above 0"),
        ({"pattern": "(unclosed"}, "invalid regular expression"),
        ({"patternProperties": {"[": {}}}, "invalid regular expression"),
        ({"required": "name"}, "'required' must be a list of names"),
        ({"anyOf": []}, "'anyOf' must be a non-empty list of schemas"),
        ({"items": [{}]}, "a schema must be a mapping or a boolean"),
        ({"$ref": "#/$defs/nope"}, "points at nothing"),
        ({"$ref": "https://example.com/s.json"}, "only references into the same schema"),
        ({"properties": {"a": {"$id": "x", "type": "string"}}}, "$id is only supported at the top"),
        ({"$defs": {"a": {"typ": "string"}}}, r"schema\.\$defs\.a: unsupported"),
    ],
    ids=repr,
)
def test_check_supported_refuses_what_it_would_evaluate_wrongly(subject: Any, problem: str) -> None:
    with pytest.raises(SchemaError, match=problem if "\\" in problem else _escaped(problem)):
        check_supported(subject)


def _escaped(text: str) -> str:
    import re

    return re.escape(text)


def test_supported_lists_every_keyword_the_brief_names() -> None:
    named = [
        "type",
        "const",
        "enum",
        "not",
        "anyOf",
        "allOf",
        "oneOf",
        "if",
        "then",
        "else",
        "properties",
        "patternProperties",
        "additionalProperties",
        "propertyNames",
        "required",
        "minProperties",
        "maxProperties",
        "items",
        "prefixItems",
        "contains",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "$ref",
        "$defs",
        "definitions",
        "title",
        "description",
        "$comment",
        "$schema",
        "$id",
        "default",
        "examples",
    ]
    assert set(named) <= schema.SUPPORTED
    check_supported({keyword: True for keyword in ("not", "if", "then", "else", "items")})


def test_fast_paths_do_not_compare_as_json(monkeypatch: pytest.MonkeyPatch) -> None:
    """``{not: {const: true}}`` is one identity test and a string ``enum`` one set lookup."""
    checks = [
        schema.compile({"not": {"const": True}}),
        schema.compile({"const": False}),
        schema.compile({"enum": ["RuntimeDefault", "Localhost"]}),
        schema.compile({"const": "windows"}),
    ]

    def refused(a: Any, b: Any) -> bool:
        raise AssertionError("a fast path compared as JSON")

    monkeypatch.setattr(schema, "json_equal", refused)
    assert [check(True) for check in checks] == [False, False, False, False]
    assert [check("Localhost") for check in checks] == [True, False, True, False]


def test_importing_the_module_stays_cheap() -> None:
    """No jsonschema, no dataclasses, nothing of nblint's: the module sits on every run's path."""
    import subprocess
    import sys

    code = (
        "import sys; before = set(sys.modules); import nblint.model.schema; "
        "print(' '.join(sorted(set(sys.modules) - before)))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    heavy = {"jsonschema", "dataclasses", "json", "fractions", "urllib.parse", "decimal"}
    assert not loaded & heavy, loaded & heavy
    assert {name for name in loaded if name.startswith("nblint")} <= {
        "nblint",
        "nblint.model",
        "nblint.model.schema",
    }


# ---------------------------------------------------------------------------------------------
# Every schema nblint ships

EDGE_VALUES = [None, True, False, 0, 1, 1.0, 2.5, "", "a", "ALL", "1", [], [1], ["a", True], {}]
EDGE_VALUES += [{"a": 1}, {"a": None, "b": "x"}, {"x-1": [], "y": {}}, [1.0, True], [{}]]


def _distinct(values: list[Any]) -> list[Any]:
    return list(
        {json.dumps(value, sort_keys=True, default=repr): value for value in values}.values()
    )


def test_rule_schemas_validate_the_same() -> None:
    values = _distinct(_example_values() + EDGE_VALUES)
    subjects = {json.dumps(subject, sort_keys=True): subject for _, subject in SCHEMAS}
    for rule_id, subject in SCHEMAS:
        check_supported(subject, rule_id)
    verdicts = [_agree(subject, value) for subject in subjects.values() for value in values]
    assert 0 < sum(verdicts) < len(verdicts)


def _rule_documents() -> list[tuple[str, Any]]:
    from nblint.check.rules import rule_files

    paths = rule_files(ROOT / "rules")
    return [(path, yaml.safe_load(Path(path).read_text(encoding="utf-8"))) for path in paths]


def _rule_mutations(rule: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Broken copies of a rule file, one mistake each."""
    for key in ("id", "check"):
        broken = copy.deepcopy(rule)
        del broken[key]
        yield f"no {key}", broken
    for key, value in [
        ("severty", "error"),
        ("severity", "fatal"),
        ("title", ""),
        ("check", []),
        ("id", "Not-Kebab"),
        ("always-on", "yes"),
        ("fix", {"manifest:Bad": "x"}),
        ("fix", {"manifest:ok": 1}),
        ("psa", {"check": "x", "level": "baseline", "replaces": [{"rule": "r", "since": "2"}]}),
        ("examples", {"pass": [1], "fail": [{"yaml": "x", "psa-level": "none"}]}),
    ]:
        yield f"{key}: {value!r}", {**rule, key: value}
    implementation = rule["check"][0]
    both = {**implementation, "builtin": "x", "violations": [{"target": "pod", "message": "m"}]}
    yield "violations and builtin", {**rule, "check": [both]}
    violation = {"target": "pod", "message": "m", "field": "a", "fields": ["b"]}
    yield "field and fields", {**rule, "check": [{"violations": [violation]}]}
    violation = {"target": "pods", "message": "m", "when": {"spec.x": 1}}
    yield "bad target, condition not a schema", {**rule, "check": [{"violations": [violation]}]}


def test_rule_file_schema_validates_the_same() -> None:
    rule_schema = json.loads((ROOT / "schemas" / "rule.schema.json").read_text())
    check_supported(rule_schema, "rule.schema.json")
    documents = _rule_documents()
    assert len(documents) > 50
    for path, document in documents:
        assert _agree(rule_schema, document), path
    for mistake, broken in _rule_mutations(documents[0][1]):
        assert not _agree(rule_schema, broken), mistake


CONFIGS_VALID: list[Any] = [
    {},
    {
        "select": ["psa-baseline", "notebook-root"],
        "severity": {"x": "error"},
        "per-file-ignores": {"*.yaml": ["z2jh"]},
        "psa-version": "v1.30",
        "psa-level": "baseline",
        "releases": {"hub": {"values": ["a.yaml"], "chart-version": "4.4.0"}},
        "options": {"r": {"n": 1.0, "list": [], "flag": True}},
        "kubeflow-add-fsgroup": False,
    },
    {"psa-version": "latest", "fail-on": "never", "rules-dirs": ["team"], "baseline": "b.json"},
]

CONFIGS_INVALID: list[tuple[Any, tuple[Any, ...], str, str]] = [
    # (document, path, keyword, message)
    ({"selct": []}, ("selct",), "additionalProperties", "unknown key 'selct'"),
    ({"select": "x"}, ("select",), "type", "must be a list, not a string"),
    ({"select": [""]}, ("select", 0), "minLength", "must not be empty"),
    ({"psa-version": "2.0"}, ("psa-version",), "pattern", None),
    ({"releases": {"hub": {}}}, ("releases", "hub"), "required", "'values' is required"),
    (
        {"releases": {"hub": {"values": [], "x": 1}}},
        ("releases", "hub", "x"),
        "additionalProperties",
        None,
    ),
    ({"fail-on": "fatal"}, ("fail-on",), "enum", "is not one of error, warning, info, never"),
    ({"options": {"r": {"n": None}}}, ("options", "r", "n"), "type", None),
    (
        {"kubeflow-add-fsgroup": "yes"},
        ("kubeflow-add-fsgroup",),
        "type",
        "must be a boolean, not a string",
    ),
    ({"severity": {"x": "fatal"}}, ("severity", "x"), "enum", "is not one of error, warning, info"),
    ([], (), "type", "must be a mapping, not a list"),
]


def test_config_schema_validates_the_same() -> None:
    config_schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    check_supported(config_schema, "config.schema.json")
    for document in CONFIGS_VALID:
        assert _agree(config_schema, document), document
    for document, path, keyword, message in CONFIGS_INVALID:
        assert not _agree(config_schema, document), document
        [issue] = iter_issues(config_schema, document)
        assert (issue.path, issue.keyword) == (path, keyword)
        assert message is None or issue.message == message


def _z2jh_charts() -> list[str]:
    from nblint.dialects.z2jh.values import chart_versions

    return list(chart_versions())


def _z2jh_chart(chart: str) -> tuple[Any, Any]:
    """A chart's values schema and a private copy of its default values."""
    from nblint.dialects.z2jh.values import chart_defaults, values_schema

    return values_schema(chart), copy.deepcopy(chart_defaults(chart))


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


#: What a values file puts in the wrong place, in practice and on purpose.
REPLACEMENTS = [None, True, 1, 1.0, -1, 0.5, "x", "{{ .Values.x }}", [], {}, {"typo": 1}]


@pytest.mark.parametrize("chart", _z2jh_charts())
def test_z2jh_values_schema_validates_the_same(chart: str) -> None:
    values_schema, defaults = _z2jh_chart(chart)
    pristine = copy.deepcopy(defaults)
    check_supported(values_schema, f"z2jh {chart}")
    oracle, valid = _prepared(values_schema)
    assert _agree(values_schema, defaults)
    paths = list(_paths(defaults))[1:]
    verdicts = []
    # Every 5th place replaced by a kind of value (each place by the next kind), every 12th key
    # deleted, a typo beside every 20th: some 200 documents (jsonschema takes 4 ms for each).
    # A long hunt (NBLINT_PROPERTY_EXAMPLES above 300) replaces every place by every kind.
    exhaustive = EXAMPLES > 300
    for index, path in enumerate(paths):
        parent = _at(defaults, path[:-1])
        key = path[-1]
        original = parent[key]
        if exhaustive:
            replacements = REPLACEMENTS
        else:
            replacements = [REPLACEMENTS[index // 5 % len(REPLACEMENTS)]] if index % 5 == 0 else []
        for replacement in replacements:
            parent[key] = replacement
            verdicts.append(_agree_fast(values_schema, oracle, valid, defaults))
        parent[key] = original
        if (exhaustive or index % 12 == 0) and isinstance(parent, dict):
            del parent[key]
            verdicts.append(_agree_fast(values_schema, oracle, valid, defaults))
            parent[key] = original  # (at the end: key order does not matter to a schema)
        if (exhaustive or index % 20 == 0) and isinstance(parent, dict):
            parent["typo"] = 1
            verdicts.append(_agree_fast(values_schema, oracle, valid, defaults))
            del parent["typo"]
    assert 0 < sum(verdicts) < len(verdicts)
    assert defaults == pristine


def _agree_fast(subject: Any, oracle: Any, valid: Any, value: Any) -> bool:
    """:func:`_agree` with the oracle and the predicate built once (the z2jh schema is big)."""
    expected = oracle.is_valid(value)
    assert valid(value) == expected
    assert (next(error_paths(subject, value), None) is None) == expected
    issues = list(iter_issues(subject, value))
    assert (not issues) == expected
    for issue in issues:
        _assert_well_formed(issue, value)
    return bool(expected)


def test_z2jh_image_pull_secret_that_creates_needs_its_registry() -> None:
    """The z2jh walk: only what the user wrote, plus what `create: true` switched on."""
    values_schema, values = _z2jh_chart("4.4.0")
    values["imagePullSecret"]["create"] = True
    values["singleuser"]["uid"] = "{{ .Values.uid }}"
    values["singleuser"]["podSecurityContext"] = {"runAsUser": 1000}
    written = {("imagePullSecret", "create"), ("singleuser", "uid")}
    written |= {
        ("singleuser", "podSecurityContext"),
        ("singleuser", "podSecurityContext", "runAsUser"),
    }
    touched = {path[:n] for path in written for n in range(len(path) + 1)}
    issues = iter_issues(
        values_schema, values, prune=lambda path: path not in touched, opaque=_opaque
    )
    assert sorted((i.path, i.keyword, i.conditional) for i in issues) == [
        (("imagePullSecret", "password"), "type", True),
        (("imagePullSecret", "registry"), "type", True),
        (("imagePullSecret", "username"), "type", True),
        (("singleuser", "podSecurityContext"), "additionalProperties", False),
        (("singleuser", "uid"), "type", False),
    ]


# ---------------------------------------------------------------------------------------------
# Speed: compile on what the rule engine asks, in one process


def _engine_workload() -> list[tuple[Any, Any]]:
    """(schema, value) as the engine asks them: each rule's ``must`` of the values of its
    field in every shipped example pod, and its conditions of the whole example pods."""
    from test_rules import RULES

    from nblint.check.targets import targets_of
    from nblint.load.provenance import TreeProvenance
    from nblint.load.yaml_tree import parse_documents
    from nblint.model.pod import EffectivePod, get_path

    pods = []
    for rule in RULES.values():
        for kind in ("pass", "fail"):
            for example in rule.examples[kind]:
                documents, _ = parse_documents(example["yaml"])
                for document in documents:
                    root = document.root
                    if isinstance(root, dict) and "spec" in root:
                        pods.append(
                            EffectivePod("x", "x", "manifest", root, TreeProvenance("x", root))
                        )
    workload = []
    for rule in RULES.values():
        for impl in rule.implementations:
            for violation in impl.violations:
                if violation.must is True:
                    continue
                for pod in pods:
                    for _, obj, _ in targets_of(pod, violation.target):
                        for field in violation.fields:
                            found, value = get_path(obj, field.parts)
                            if found and value is not None:
                                workload.append((violation.must, value))
    return workload


def test_compiled_predicates_on_the_engine_workload() -> None:
    """Not a timed assertion: the speed is printed (``pytest -s``), the verdicts compared with
    ``jsonschema``'s."""
    workload = _engine_workload()
    assert len(workload) > 1000
    ids = {id(subject): subject for subject, _ in workload}
    compiled = {key: schema.compile(subject) for key, subject in ids.items()}
    calls = [(compiled[id(subject)], value) for subject, value in workload]
    verdicts = [check(value) for check, value in calls]
    oracles = {key: _prepared(subject)[0] for key, subject in ids.items()}
    assert verdicts == [oracles[id(subject)].is_valid(value) for subject, value in workload]

    def seconds() -> float:
        start = time.perf_counter()
        for _ in range(10):
            for check, value in calls:
                check(value)
        return time.perf_counter() - start

    # The fastest of many runs: what the neighbours on a shared machine disturbed least.
    fastest = min(seconds() for _ in range(15))
    print(
        f"\ncompile: {fastest / (10 * len(calls)) * 1e9:.0f} ns a call "
        f"(fastest of 15 runs; {len(calls)} calls a run, {sum(verdicts) / len(calls):.0%} valid)"
    )
