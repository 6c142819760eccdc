"""One JSON Schema evaluator for all of nblint: rule checks, config files, rule files, z2jh values.

Three ways to ask, one meaning. The meaning is JSON Schema draft 2020-12 as the ``jsonschema``
package's ``Draft202012Validator`` evaluates it (``1.0`` is an integer, ``true`` is not ``1``,
lengths count code points, ``pattern`` is ``re.search``); ``tests/test_schema_evaluator.py``
holds this module to that on generated schemas and values.

* :func:`compile` builds a predicate once per schema, for the rule engine, which asks the same
  schema about tens of thousands of mostly valid values: each keyword becomes a small closure.
* :func:`error_paths` names where a value breaks a schema (the line a finding points at).
* :func:`iter_issues` says what is wrong and where, in words, for config files, rule files and
  the z2jh chart's values; it can skip subtrees (``prune``) and values whose real content is
  unknown (``opaque``: a template placeholder, a sops-encrypted value).

:func:`check_supported` refuses any keyword outside :data:`SUPPORTED`, so that a typo in a rule
file cannot silently pass everything; :func:`compile` and the walkers refuse them too.

Why not ``jsonschema`` itself: importing it costs more than a pre-commit run's whole check, it
does not give the path of *each* offending value cheaply, and it names an unknown key by its
object rather than by the key. This module imports only the standard library, and little of it:
it sits on the path of every run. Regular expressions are compiled when a schema needs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Path = tuple[Any, ...]
    """Keys and list indexes from the value handed in down to a value inside it."""

    Predicate = Callable[[Any], bool]

#: Keywords that say something about the schema, not about values: they never fail.
ANNOTATIONS = frozenset(
    ("title", "description", "$comment", "$schema", "$id", "default", "examples")
)

#: Every keyword this module evaluates (or knowingly ignores).
SUPPORTED = frozenset(
    (
        *("type", "const", "enum", "not", "anyOf", "allOf", "oneOf", "if", "then", "else"),
        *("properties", "patternProperties", "additionalProperties", "propertyNames"),
        *("required", "dependentRequired", "dependentSchemas", "minProperties", "maxProperties"),
        *("items", "prefixItems", "contains", "minContains", "maxContains"),
        *("minItems", "maxItems", "uniqueItems", "minLength", "maxLength", "pattern"),
        *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
        *("$ref", "$defs", "definitions"),
        *ANNOTATIONS,
    )
)

#: Keywords that another keyword of the same schema reads (``then`` belongs to ``if``,
#: ``minContains`` to ``contains``), and those that hold subschemas only for ``$ref`` to reach.
_READ_BY_SIBLING = frozenset(("then", "else", "minContains", "maxContains"))
_NOT_EVALUATED = ANNOTATIONS | _READ_BY_SIBLING | {"$defs", "definitions"}


class SchemaError(ValueError):
    """A schema uses a keyword this module does not support, or uses one wrongly."""


# ---------------------------------------------------------------------------------------------
# JSON values: types, equality, patterns


def _is_object(value: Any) -> bool:
    return isinstance(value, dict)


def _is_array(value: Any) -> bool:
    return isinstance(value, list)


def _is_string(value: Any) -> bool:
    return isinstance(value, str)


def _is_boolean(value: Any) -> bool:
    return isinstance(value, bool)


def _is_null(value: Any) -> bool:
    return value is None


def _is_integer(value: Any) -> bool:
    # Since draft 6 an integer is a number without a fractional part: 1.0 is one. A boolean is
    # a Python int but never a JSON number (``v is not True`` is cheaper than isinstance).
    if isinstance(value, int):
        return value is not True and value is not False
    return isinstance(value, float) and value.is_integer()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and value is not True and value is not False


TYPES: dict[str, Predicate] = {
    "object": _is_object,
    "array": _is_array,
    "string": _is_string,
    "boolean": _is_boolean,
    "null": _is_null,
    "integer": _is_integer,
    "number": _is_number,
}


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality: ``true`` is not ``1`` but ``1`` is ``1.0``, at any depth."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, bool) or isinstance(b, bool):
        return False  # two equal booleans are the same object, caught above
    if isinstance(a, list):
        return (
            isinstance(b, list)
            and len(a) == len(b)
            and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
        )
    if isinstance(a, dict):
        return (
            isinstance(b, dict)
            and len(a) == len(b)
            and all(key in b and json_equal(item, b[key]) for key, item in a.items())
        )
    if isinstance(b, (list, dict)):
        return False
    return bool(a == b)


def _json_key(value: Any) -> Any:
    """A hashable stand-in for ``value``: two keys are equal exactly when the values are
    :func:`json_equal` (so ``uniqueItems`` is one pass over a set, not a comparison of every
    pair). Numbers stand for themselves (``1`` and ``1.0`` hash alike); booleans, lists and
    objects are tagged so that none of them meets a number or a string."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, list):
        return ("list", tuple(_json_key(item) for item in value))
    if isinstance(value, dict):
        return ("object", frozenset((key, _json_key(item)) for key, item in value.items()))
    return value


def _first_repeat(items: list[Any]) -> tuple[int, int] | None:
    """``(earlier, later)`` indexes of the first item that repeats an earlier one, or None."""
    seen: dict[Any, int] = {}
    try:
        for index, item in enumerate(items):
            earlier = seen.setdefault(_json_key(item), index)
            if earlier != index:
                return earlier, index
        return None
    except TypeError:  # something unhashable that is no JSON value: compare every pair
        for later, item in enumerate(items):
            for earlier in range(later):
                if json_equal(items[earlier], item):
                    return earlier, later
        return None


_REGEXES: dict[str, re.Pattern[str]] = {}


def _regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled, once per process (``re``'s own cache is small and shared)."""
    regex = _REGEXES.get(pattern)
    if regex is None:
        try:
            regex = _REGEXES[pattern] = re.compile(pattern)
        except re.error as err:
            raise SchemaError(f"invalid regular expression {pattern!r}: {err}") from None
    return regex


_INF = float("inf")


def _is_multiple(value: Any, divisor: Any) -> bool:
    """``multipleOf`` as ``jsonschema`` computes it: in floats when the divisor is a float (so
    0.3 is not a multiple of 0.1, as there), exactly otherwise."""
    if isinstance(value, float) and (value != value or value in (_INF, -_INF)):
        return False  # YAML's .inf and .nan are multiples of nothing (jsonschema raises)
    if isinstance(divisor, float):
        try:
            quotient = value / divisor
            return int(quotient) == quotient
        except OverflowError:  # a huge integer, or a quotient beyond floats: count exactly
            from fractions import Fraction

            return (Fraction(value) / Fraction(divisor)).denominator == 1
    return not value % divisor


# ---------------------------------------------------------------------------------------------
# $ref: local JSON pointers into the root schema


def resolve(root: Any, ref: Any) -> Any:
    """The subschema that ``ref`` (``#``, ``#/$defs/x``, any local JSON pointer) names."""
    if not isinstance(ref, str) or not ref.startswith("#"):
        raise SchemaError(f"$ref {ref!r}: only references into the same schema (#/...) work")
    pointer = ref[1:]
    if "%" in pointer:  # a pointer in a URI fragment may be percent-encoded
        from urllib.parse import unquote

        pointer = unquote(pointer)
    node = root
    if pointer:
        if not pointer.startswith("/"):
            raise SchemaError(f"$ref {ref!r}: anchors are not supported, only JSON pointers")
        for token in pointer[1:].split("/"):
            part = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise SchemaError(f"$ref {ref!r} points at nothing")
    if not isinstance(node, (dict, bool)):
        raise SchemaError(f"$ref {ref!r} points at something that is no schema")
    return node


# ---------------------------------------------------------------------------------------------
# compile(): a predicate per schema, a closure per keyword


def compile(schema: Any, root: Any = None) -> Predicate:
    """``is this value valid under schema?`` as one function, built once.

    ``root`` is the document that ``$ref`` pointers start from (default: ``schema`` itself).
    """
    return _Compiler(schema if root is None else root).schema(schema)


def is_valid(schema: Any, value: Any, root: Any = None) -> bool:
    return compile(schema, root)(value)


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


class _Compiler:
    """Compiles the subschemas of one root; remembers what ``$ref`` targets became, so that
    a definition used twice is compiled once and a recursive one terminates."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.by_target: dict[int, Predicate] = {}

    def schema(self, schema: Any) -> Predicate:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, dict):
            raise SchemaError(f"a schema must be a mapping or a boolean, not {schema!r}")
        checks = []
        for keyword, sub in schema.items():
            compile_keyword = _COMPILERS.get(keyword)
            if compile_keyword is None:
                if keyword in _NOT_EVALUATED:
                    continue
                raise SchemaError(f"unsupported JSON Schema keyword {keyword!r}")
            check = compile_keyword(self, sub, schema)
            if check is not _always:
                checks.append(check)
        if _never in checks:  # (after every keyword is seen: an unsupported one is refused)
            return _never
        if not checks:
            return _always
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:  # the commonest pair ({type, enum}, {type, minimum}): no loop
            first, second = checks
            return lambda value: first(value) and second(value)

        def all_hold(value: Any) -> bool:
            for check in checks:  # noqa: SIM110 -- a plain loop: no generator per value
                if not check(value):
                    return False
            return True

        return all_hold

    def reference(self, ref: Any) -> Predicate:
        target = resolve(self.root, ref)
        known = self.by_target.get(id(target))
        if known is not None:
            return known
        # While the target compiles, a reference back to it (a recursive definition) goes
        # through this forwarder, which finds the finished predicate when it is called.
        finished: list[Predicate] = []

        def through_reference(value: Any) -> bool:
            return finished[0](value)

        self.by_target[id(target)] = through_reference
        finished.append(self.schema(target))
        self.by_target[id(target)] = finished[0]
        return finished[0]


# Each compiler takes the compiler (for subschemas), the keyword's value and the whole schema
# (for the siblings a keyword reads), and returns "does a value pass this keyword?".

if TYPE_CHECKING:
    KeywordCompiler = Callable[[_Compiler, Any, dict[str, Any]], Predicate]


def _compile_type(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    return _type_test(sub)


_TYPE_TESTS: dict[Any, Predicate] = {}


def _type_test(sub: Any) -> Predicate:
    """The test for a ``type`` keyword's value (a name or a list of names), made once."""
    try:
        key = sub if isinstance(sub, str) else tuple(sub)
        test = _TYPE_TESTS.get(key)
    except TypeError:
        raise SchemaError(f"type {sub!r}: not a type name or a list of them") from None
    if test is None:
        names = [sub] if isinstance(sub, str) else list(dict.fromkeys(key))
        try:
            tests = [TYPES[name] for name in names]
        except KeyError:
            raise SchemaError(f"type {sub!r}: an unknown type name") from None
        if not tests:
            test = _never
        elif len(tests) == 1:
            test = tests[0]
        else:

            def any_type(value: Any) -> bool:
                for test in tests:  # noqa: SIM110 -- no generator per value
                    if test(value):
                        return True
                return False

            test = any_type
        _TYPE_TESTS[key] = test
    return test


def _compile_const(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    if isinstance(sub, bool) or sub is None:
        return lambda value: value is sub  # one of three singletons: an identity test
    if isinstance(sub, str):  # text equals only text: no JSON-equality special case
        return lambda value: sub == value
    if isinstance(sub, (int, float)):
        return lambda value: value == sub and value is not True and value is not False
    return lambda value: json_equal(sub, value)


def _compile_enum(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    if all(isinstance(option, str) for option in sub):
        options = frozenset(sub)
        return lambda value: isinstance(value, str) and value in options
    listed = list(sub)

    def in_enum(value: Any) -> bool:
        for option in listed:  # noqa: SIM110 -- no generator per value
            if json_equal(option, value):
                return True
        return False

    return in_enum


def _compile_not(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    if isinstance(sub, dict) and sub.keys() == {"const"}:
        forbidden = sub["const"]
        if isinstance(forbidden, bool) or forbidden is None:
            # The commonest rule, {not: {const: true}}: one identity test.
            return lambda value: value is not forbidden
        if isinstance(forbidden, str):
            return lambda value: value != forbidden
        if isinstance(forbidden, (int, float)):  # {not: {const: 0}}: false is not 0
            return lambda value: value != forbidden or value is True or value is False
    inner = c.schema(sub)
    if inner is _always:
        return _never
    if inner is _never:
        return _always
    return lambda value: not inner(value)


def _compile_any_of(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    options = [c.schema(option) for option in sub]
    if _always in options:
        return _always

    def any_holds(value: Any) -> bool:
        for option in options:  # noqa: SIM110 -- no generator per value
            if option(value):
                return True
        return False

    return any_holds


def _compile_all_of(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    options = [option for option in (c.schema(option) for option in sub) if option is not _always]
    if _never in options:
        return _never
    if not options:
        return _always
    if len(options) == 1:
        return options[0]

    def all_hold(value: Any) -> bool:
        for option in options:  # noqa: SIM110 -- no generator per value
            if not option(value):
                return False
        return True

    return all_hold


def _compile_one_of(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    options = [c.schema(option) for option in sub]

    def exactly_one_holds(value: Any) -> bool:
        held = False
        for option in options:
            if option(value):
                if held:
                    return False
                held = True
        return held

    return exactly_one_holds


def _compile_if(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    if "then" not in schema and "else" not in schema:
        return _always  # an `if` alone decides nothing
    condition = c.schema(sub)
    then = c.schema(schema.get("then", True))
    otherwise = c.schema(schema.get("else", True))
    return lambda value: then(value) if condition(value) else otherwise(value)


def _compile_ref(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    return c.reference(sub)


def _compile_properties(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    properties = [(name, c.schema(subschema)) for name, subschema in sub.items()]
    properties = [(name, inner) for name, inner in properties if inner is not _always]
    if not properties:
        return _always
    if len(properties) == 1:
        [(name, inner)] = properties
        return lambda value: not isinstance(value, dict) or name not in value or inner(value[name])

    def each_property_holds(value: Any) -> bool:
        if isinstance(value, dict):
            for name, inner in properties:
                if name in value and not inner(value[name]):
                    return False
        return True

    return each_property_holds


def _compile_pattern_properties(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    patterns = [(_regex(pattern).search, c.schema(subschema)) for pattern, subschema in sub.items()]

    def each_matching_key_holds(value: Any) -> bool:
        if isinstance(value, dict):
            for search, inner in patterns:
                for name, item in value.items():
                    if isinstance(name, str) and search(name) and not inner(item):
                        return False
        return True

    return each_matching_key_holds


def _compile_additional_properties(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    inner = c.schema(sub)
    if inner is _always:
        return _always
    known = schema.get("properties", {})
    searches = [_regex(pattern).search for pattern in schema.get("patternProperties", {})]

    def each_other_key_holds(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                if name in known:
                    continue
                if searches and isinstance(name, str) and any(s(name) for s in searches):
                    continue
                if not inner(item):
                    return False
        return True

    return each_other_key_holds


def _compile_property_names(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    inner = c.schema(sub)
    if inner is _always:
        return _always
    return lambda value: not isinstance(value, dict) or all(inner(name) for name in value)


def _compile_required(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    names = list(sub)
    if not names:
        return _always
    if len(names) == 1:
        [name] = names
        return lambda value: not isinstance(value, dict) or name in value
    return lambda value: not isinstance(value, dict) or all(name in value for name in names)


def _compile_dependent_required(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    dependencies = [(name, list(needed)) for name, needed in sub.items()]

    def dependencies_present(value: Any) -> bool:
        if isinstance(value, dict):
            for name, needed in dependencies:
                if name in value and not all(other in value for other in needed):
                    return False
        return True

    return dependencies_present


def _compile_dependent_schemas(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    dependencies = [(name, c.schema(subschema)) for name, subschema in sub.items()]

    def dependent_schemas_hold(value: Any) -> bool:
        if isinstance(value, dict):
            for name, inner in dependencies:
                if name in value and not inner(value):
                    return False
        return True

    return dependent_schemas_hold


#: The JSON types a Python class test decides, by name (integer and number are not: 1.0, True).
_TYPE_CLASSES: dict[str, type] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "null": type(None),
}


def _classes_of(schema: Any) -> tuple[type, ...] | None:
    """The classes of ``schema`` when it only says ``type`` and :data:`_TYPE_CLASSES` has them
    all (``{type: object}``, ``{type: [object, "null"]}``), else None."""
    if not isinstance(schema, dict) or "type" not in schema:
        return None
    if any(keyword != "type" and keyword not in _NOT_EVALUATED for keyword in schema):
        return None
    names = schema["type"]
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not names:
        return None
    if not all(isinstance(name, str) and name in _TYPE_CLASSES for name in names):
        return None
    return tuple(_TYPE_CLASSES[name] for name in names)


def _compile_items(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    inner = c.schema(sub)
    if inner is _always:
        return _always
    # In 2020-12 `items` covers the items after those that `prefixItems` describes.
    start = len(schema.get("prefixItems", ()))
    if start:
        return lambda value: not isinstance(value, list) or all(map(inner, value[start:]))
    classes = _classes_of(sub)
    if classes is not None:
        # The commonest items schema, a type (`a list of mappings`): no call per item.

        def each_item_is(value: Any) -> bool:
            if isinstance(value, list):
                for item in value:
                    if not isinstance(item, classes):
                        return False
            return True

        return each_item_is

    def each_item_holds(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:
                if not inner(item):
                    return False
        return True

    return each_item_holds


def _compile_prefix_items(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    prefix = [c.schema(subschema) for subschema in sub]

    def each_leading_item_holds(value: Any) -> bool:
        if isinstance(value, list):
            for inner, item in zip(prefix, value, strict=False):  # a shorter list passes
                if not inner(item):
                    return False
        return True

    return each_leading_item_holds


def _compile_contains(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    inner = c.schema(sub)
    at_least = schema.get("minContains", 1)
    at_most = schema.get("maxContains")
    if at_least == 1 and at_most is None:
        return lambda value: not isinstance(value, list) or any(map(inner, value))

    def enough_items_match(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        return _contains_verdict(inner, value, at_least, at_most) is None

    return enough_items_match


def _contains_verdict(inner: Predicate, items: list[Any], at_least: Any, at_most: Any) -> Any:
    """None when ``contains`` (with its ``minContains``/``maxContains``) holds, else the
    keyword to blame and how many items matched (as ``jsonschema`` blames them)."""
    matches = 0
    for item in items:
        if inner(item):
            matches += 1
            if at_most is not None and matches > at_most:
                return "maxContains", matches
    if matches < at_least:
        return ("minContains" if matches else "contains"), matches
    return None


def _sized(kinds: Any, at_least: bool) -> KeywordCompiler:
    """``minItems``-like keywords: a bound on ``len`` of values of ``kinds``."""

    def compile_keyword(c: _Compiler, bound: Any, schema: dict[str, Any]) -> Predicate:
        if at_least:
            return lambda value: not isinstance(value, kinds) or len(value) >= bound
        return lambda value: not isinstance(value, kinds) or len(value) <= bound

    return compile_keyword


def _compile_unique_items(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    if not sub:
        return _always
    return lambda value: not isinstance(value, list) or _first_repeat(value) is None


def _compile_pattern(c: _Compiler, sub: Any, schema: dict[str, Any]) -> Predicate:
    compiled = _REGEXES.get(sub)
    if compiled is not None:
        search = compiled.search
        return lambda value: not isinstance(value, str) or search(value) is not None
    # Compiled when first asked: a run compiles only the patterns its inputs reach (a rule's
    # image-reference grammar costs a cold run ~4 M instructions to compile). A rule file's
    # patterns were compiled when it was read (check_supported), so none is found bad here.
    found: list[Callable[[str], Any]] = []

    def matches(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        if not found:
            found.append(_regex(sub).search)
        return found[0](value) is not None

    return matches


# The bounds are written as jsonschema writes them ("fails if below", not "holds if at least"),
# so that YAML's .nan, which no comparison holds for, passes them there and here alike.


def _compile_minimum(c: _Compiler, bound: Any, schema: dict[str, Any]) -> Predicate:
    return lambda value: not _is_number(value) or not value < bound


def _compile_maximum(c: _Compiler, bound: Any, schema: dict[str, Any]) -> Predicate:
    return lambda value: not _is_number(value) or not value > bound


def _compile_exclusive_minimum(c: _Compiler, bound: Any, schema: dict[str, Any]) -> Predicate:
    return lambda value: not _is_number(value) or not value <= bound


def _compile_exclusive_maximum(c: _Compiler, bound: Any, schema: dict[str, Any]) -> Predicate:
    return lambda value: not _is_number(value) or not value >= bound


def _compile_multiple_of(c: _Compiler, divisor: Any, schema: dict[str, Any]) -> Predicate:
    return lambda value: not _is_number(value) or _is_multiple(value, divisor)


_COMPILERS: dict[str, KeywordCompiler] = {
    "type": _compile_type,
    "const": _compile_const,
    "enum": _compile_enum,
    "not": _compile_not,
    "anyOf": _compile_any_of,
    "allOf": _compile_all_of,
    "oneOf": _compile_one_of,
    "if": _compile_if,
    "$ref": _compile_ref,
    "properties": _compile_properties,
    "patternProperties": _compile_pattern_properties,
    "additionalProperties": _compile_additional_properties,
    "propertyNames": _compile_property_names,
    "required": _compile_required,
    "dependentRequired": _compile_dependent_required,
    "dependentSchemas": _compile_dependent_schemas,
    "minProperties": _sized(dict, at_least=True),
    "maxProperties": _sized(dict, at_least=False),
    "items": _compile_items,
    "prefixItems": _compile_prefix_items,
    "contains": _compile_contains,
    "minItems": _sized(list, at_least=True),
    "maxItems": _sized(list, at_least=False),
    "uniqueItems": _compile_unique_items,
    "minLength": _sized(str, at_least=True),
    "maxLength": _sized(str, at_least=False),
    "pattern": _compile_pattern,
    "minimum": _compile_minimum,
    "maximum": _compile_maximum,
    "exclusiveMinimum": _compile_exclusive_minimum,
    "exclusiveMaximum": _compile_exclusive_maximum,
    "multipleOf": _compile_multiple_of,
}


# ---------------------------------------------------------------------------------------------
# iter_issues() and error_paths(): what fails, where, and in words


class Issue:
    """One way in which a value breaks a schema.

    ``path`` leads from the value handed in to ``value``, the offending value; ``keyword`` is
    the keyword that failed (``"false"`` for a ``false`` schema) and ``schema`` the subschema
    that holds it. ``name`` is the missing key of ``required`` (and ``dependentRequired``);
    ``key`` the key of an ``additionalProperties`` or ``propertyNames`` failure, whose ``path``
    ends with it, and ``known`` the names that ``properties`` lists there. ``conditional`` says
    the issue was found under the ``then`` or ``else`` of an ``if``. ``message`` is one line of
    plain English, to follow the path: "must be an integer, not a string".
    """

    __slots__ = (
        "conditional",
        "key",
        "keyword",
        "known",
        "message",
        "name",
        "path",
        "schema",
        "value",
    )

    def __init__(
        self,
        path: Path,
        keyword: str,
        schema: Any,
        value: Any,
        message: str = "",
        *,
        name: Any = None,
        key: Any = None,
        known: tuple[Any, ...] = (),
        conditional: bool = False,
    ) -> None:
        self.path = path
        self.keyword = keyword
        self.schema = schema
        self.value = value
        self.message = message
        self.name = name
        self.key = key
        self.known = known
        self.conditional = conditional

    def __repr__(self) -> str:
        return f"Issue({self.path!r}, {self.keyword!r}, {self.message!r})"

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.path) or "(top level)"
        return f"{where}: {self.message}"


def iter_issues(
    schema: Any,
    value: Any,
    *,
    root: Any = None,
    prune: Callable[[Path], bool] | None = None,
    opaque: Callable[[Any], bool] | None = None,
) -> Iterator[Issue]:
    """Every way in which ``value`` breaks ``schema``: one :class:`Issue` per failing keyword
    (per missing name for ``required``, per key for ``additionalProperties: false`` and
    ``propertyNames``), at the deepest path the keyword can name, in the schema's order.

    * ``root`` is the document ``$ref`` pointers start from (default: ``schema``).
    * ``prune(path)`` true: nothing at or below ``path`` is checked (z2jh checks only what a
      user wrote; the chart's defaults are valid by construction). It is not asked below a
      ``then``/``else`` that applies: what a value switched on can make the values beside it
      invalid, even those the caller would skip (``imagePullSecret.create: true`` needs a string
      ``registry``, whose chart default is null). Those issues are ``conditional``.
    * ``opaque(value)`` true: nobody knows the value's real content (a ``{{ .Values.x }}``
      template, a sops ``ENC[...]``). Only its ``type`` is checked (with the types that ``$ref``
      and ``allOf`` add), so that the caller can put a default in its place, and nothing below.

    ``anyOf``, ``oneOf``, ``not``, ``if``, ``contains`` and ``propertyNames`` judge a value
    whole, as :func:`compile` does: neither ``prune`` nor ``opaque`` reaches inside them.
    """
    if prune is not None and prune(()):
        return iter(())
    walk = _Walk(schema if root is None else root, prune, opaque, explain=True)
    return walk.issues(schema, value, (), False)


def error_paths(schema: Any, value: Any, *, root: Any = None) -> Iterator[Path]:
    """The paths (relative to ``value``) where ``value`` breaks ``schema``: one per failing
    keyword, at the deepest path the keyword can name (an ``items`` failure names the item,
    ``required`` names the object, ``propertyNames`` and ``additionalProperties`` the key)."""
    return error_finder(schema, root=root)(value)


def error_finder(schema: Any, *, root: Any = None) -> Callable[[Any], Iterator[Path]]:
    """:func:`error_paths` of ``schema``, for one value after another: what a walk compiles
    on the way (the predicates of ``anyOf``, ``not``, ``if``…) is compiled once, not per value."""
    walk = _Walk(schema if root is None else root, None, None, explain=False)

    def paths(value: Any) -> Iterator[Path]:
        return _error_paths(walk, schema, value)

    return paths


#: Keywords whose issues name the value they judge, never a key or an item inside it.
_JUDGE_WHOLE = frozenset(
    (
        *("type", "const", "enum", "not", "anyOf", "oneOf", "contains", "pattern"),
        *("required", "dependentRequired", "minProperties", "maxProperties"),
        *("minItems", "maxItems", "minLength", "maxLength"),
        *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    )
)


def judges_whole(schema: Any) -> bool:
    """Whether :func:`error_paths` of ``schema`` can only ever give ``()``: each of its keywords
    judges the value as a whole (its type, a constant, ``not``, ``anyOf``…), none names a key or
    an item inside it. A caller then knows where an invalid value breaks it without the walk."""
    if not isinstance(schema, dict):
        return True  # ``true`` never fails, ``false`` fails the value itself
    return all(keyword in _JUDGE_WHOLE or keyword in _NOT_EVALUATED for keyword in schema)


def _error_paths(walk: _Walk, schema: Any, value: Any) -> Iterator[Path]:
    last: tuple[Any, ...] = ()
    for issue in walk.issues(schema, value, (), False):
        if issue.keyword in ("required", "dependentRequired"):
            # One path per keyword, not per missing name: all of them name the same object.
            mark = (issue.keyword, id(issue.schema), issue.path)
            if mark == last:
                continue
            last = mark
        yield issue.path


class _Walk:
    """One walk of a value against a schema: the options of :func:`iter_issues`, and the
    predicates built on the way for keywords that judge a value whole (``anyOf``, ``if``...)."""

    def __init__(
        self,
        root: Any,
        prune: Callable[[Path], bool] | None,
        opaque: Callable[[Any], bool] | None,
        explain: bool,
    ) -> None:
        self.root = root
        self.prune = prune
        self.opaque = opaque
        #: Whether issues get a message (error_paths needs none).
        self.explain = explain
        self.compiler = _Compiler(root)
        self.predicates: dict[int, Predicate] = {}

    def valid(self, schema: Any, value: Any) -> bool:
        predicate = self.predicates.get(id(schema))
        if predicate is None:
            predicate = self.predicates[id(schema)] = self.compiler.schema(schema)
        return predicate(value)

    def issues(self, schema: Any, value: Any, path: Path, conditional: bool) -> Iterator[Issue]:
        if schema is True:
            return
        if schema is False:
            yield self.issue(path, "false", schema, value, conditional)
            return
        if not isinstance(schema, dict):
            raise SchemaError(f"a schema must be a mapping or a boolean, not {schema!r}")
        if self.opaque is not None and self.opaque(value):
            yield from self.opaque_types(schema, value, path, conditional)
            return
        for keyword, sub in schema.items():
            # The two commonest keywords are walked here, without a generator of their own: a
            # chart's values against its schema are mostly mappings of typed properties.
            if keyword == "type":
                if not _type_test(sub)(value):
                    yield self.issue(path, "type", schema, value, conditional)
                continue
            if keyword == "properties":
                if isinstance(value, dict):
                    prune = None if conditional else self.prune
                    for name, subschema in sub.items():
                        if name in value and subschema is not True:
                            here = (*path, name)
                            if prune is None or not prune(here):
                                yield from self.issues(subschema, value[name], here, conditional)
                continue
            walk_keyword = _WALKERS.get(keyword)
            if walk_keyword is not None:
                yield from walk_keyword(self, sub, schema, value, path, conditional)
            elif keyword not in _NOT_EVALUATED:
                raise SchemaError(f"unsupported JSON Schema keyword {keyword!r}")

    def pruned(self, path: Path, conditional: bool) -> bool:
        return not conditional and self.prune is not None and self.prune(path)

    def below(self, schema: Any, item: Any, path: Path, conditional: bool) -> Iterator[Issue]:
        """The issues of ``item``, a value inside the one being walked, at ``path``."""
        if self.pruned(path, conditional):
            return iter(())
        return self.issues(schema, item, path, conditional)

    def opaque_types(
        self, schema: Any, value: Any, path: Path, conditional: bool
    ) -> Iterator[Issue]:
        """A value nobody knows fails only the types it must have whatever else holds."""
        if not isinstance(schema, dict):
            return
        for keyword, sub in schema.items():
            if keyword == "type":
                if not _type_test(sub)(value):
                    yield self.issue(path, "type", schema, value, conditional)
            elif keyword == "$ref":
                yield from self.opaque_types(resolve(self.root, sub), value, path, conditional)
            elif keyword == "allOf":
                for option in sub:
                    yield from self.opaque_types(option, value, path, conditional)

    def issue(
        self,
        path: Path,
        keyword: str,
        schema: Any,
        value: Any,
        conditional: bool,
        detail: Any = None,
        **facts: Any,
    ) -> Issue:
        issue = Issue(path, keyword, schema, value, conditional=conditional, **facts)
        if self.explain:
            issue.message = _MESSAGES[keyword](self, issue, detail)
        return issue

    def first_message(self, schema: Any, value: Any) -> str:
        """Why ``value`` fails ``schema`` (a schema that judges it whole: nothing pruned)."""
        walk = _Walk(self.root, None, None, explain=True)
        for issue in walk.issues(schema, value, (), False):
            return issue.message
        return ""


# Each walker takes the walk, the keyword's value, the whole schema, the value and its path, and
# whether it is under a then/else; it yields the keyword's issues.

if TYPE_CHECKING:
    KeywordWalker = Callable[[_Walk, Any, dict[str, Any], Any, Path, bool], Iterator[Issue]]


def _walk_type(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if not _type_test(sub)(value):
        yield w.issue(path, "type", schema, value, cond)


def _walk_const(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if not json_equal(sub, value):
        yield w.issue(path, "const", schema, value, cond)


def _walk_enum(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if not any(json_equal(option, value) for option in sub):
        yield w.issue(path, "enum", schema, value, cond)


def _walk_not(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if w.valid(sub, value):
        yield w.issue(path, "not", schema, value, cond)


def _walk_any_of(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if not any(w.valid(option, value) for option in sub):
        yield w.issue(path, "anyOf", schema, value, cond)


def _walk_one_of(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    matches = sum(1 for option in sub if w.valid(option, value))
    if matches != 1:
        yield w.issue(path, "oneOf", schema, value, cond, matches)


def _walk_all_of(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    for option in sub:
        yield from w.issues(option, value, path, cond)


def _walk_if(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    branch = "then" if w.valid(sub, value) else "else"
    if branch in schema:
        yield from w.issues(schema[branch], value, path, True)


def _walk_ref(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    yield from w.issues(resolve(w.root, sub), value, path, cond)


def _walk_pattern_properties(
    w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
) -> Any:
    if isinstance(value, dict):
        for pattern, subschema in sub.items():
            search = _regex(pattern).search
            for name, item in value.items():
                if isinstance(name, str) and search(name):
                    yield from w.below(subschema, item, (*path, name), cond)


def _walk_additional_properties(
    w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
) -> Any:
    if not isinstance(value, dict) or sub is True:
        return
    known = schema.get("properties", {})
    searches = [_regex(pattern).search for pattern in schema.get("patternProperties", {})]
    for name, item in value.items():
        if name in known or (isinstance(name, str) and any(s(name) for s in searches)):
            continue
        here = (*path, name)
        if sub is not False:
            yield from w.below(sub, item, here, cond)
        elif not w.pruned(here, cond):
            yield w.issue(
                here, "additionalProperties", schema, item, cond, key=name, known=tuple(known)
            )


def _walk_property_names(
    w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
) -> Any:
    if isinstance(value, dict):
        for name, item in value.items():
            here = (*path, name)
            if not w.valid(sub, name) and not w.pruned(here, cond):
                yield w.issue(here, "propertyNames", schema, item, cond, key=name)


def _walk_required(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if isinstance(value, dict):
        for name in sub:
            if name not in value:
                yield w.issue(path, "required", schema, value, cond, name=name)


def _walk_dependent_required(
    w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
) -> Any:
    if isinstance(value, dict):
        for name, needed in sub.items():
            if name in value:
                for other in needed:
                    if other not in value:
                        yield w.issue(
                            path, "dependentRequired", schema, value, cond, name, name=other
                        )


def _walk_dependent_schemas(
    w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
) -> Any:
    if isinstance(value, dict):
        for name, subschema in sub.items():
            if name in value:
                yield from w.issues(subschema, value, path, cond)


def _walk_items(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if not isinstance(value, list):
        return
    start = len(schema.get("prefixItems", ()))
    for index in range(start, len(value)):
        here = (*path, index)
        if sub is not False:
            yield from w.below(sub, value[index], here, cond)
        elif not w.pruned(here, cond):
            yield w.issue(here, "items", schema, value[index], cond, start)


def _walk_prefix_items(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if isinstance(value, list):
        for index, (subschema, item) in enumerate(zip(sub, value, strict=False)):
            yield from w.below(subschema, item, (*path, index), cond)


def _walk_contains(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if isinstance(value, list):
        inner = lambda item: w.valid(sub, item)  # noqa: E731 -- the predicate, memoised
        at_least, at_most = schema.get("minContains", 1), schema.get("maxContains")
        verdict = _contains_verdict(inner, value, at_least, at_most)
        if verdict is not None:
            keyword, matches = verdict
            yield w.issue(path, keyword, schema, value, cond, matches)


def _walk_unique_items(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if sub and isinstance(value, list):
        repeat = _first_repeat(value)
        if repeat is not None:
            earlier, later = repeat
            here = (*path, later)  # the item that repeats: the line to edit
            if not w.pruned(here, cond):
                yield w.issue(here, "uniqueItems", schema, value[later], cond, earlier)


def _walk_bound(keyword: str, kinds: Any, holds: Callable[[Any, Any], bool]) -> KeywordWalker:
    """Keywords that bound one property of values of ``kinds`` (a length, the number)."""

    def walk_keyword(
        w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool
    ) -> Iterator[Issue]:
        is_kind = isinstance(value, kinds) and value is not True and value is not False
        if is_kind and not holds(value, sub):
            yield w.issue(path, keyword, schema, value, cond)

    return walk_keyword


def _walk_pattern(w: _Walk, sub: Any, schema: Any, value: Any, path: Path, cond: bool) -> Any:
    if isinstance(value, str) and not _regex(sub).search(value):
        yield w.issue(path, "pattern", schema, value, cond)


_NUMBERS = (int, float)

_WALKERS: dict[str, KeywordWalker] = {
    "type": _walk_type,
    "const": _walk_const,
    "enum": _walk_enum,
    "not": _walk_not,
    "anyOf": _walk_any_of,
    "allOf": _walk_all_of,
    "oneOf": _walk_one_of,
    "if": _walk_if,
    "$ref": _walk_ref,
    "patternProperties": _walk_pattern_properties,
    "additionalProperties": _walk_additional_properties,
    "propertyNames": _walk_property_names,
    "required": _walk_required,
    "dependentRequired": _walk_dependent_required,
    "dependentSchemas": _walk_dependent_schemas,
    "minProperties": _walk_bound("minProperties", dict, lambda v, n: len(v) >= n),
    "maxProperties": _walk_bound("maxProperties", dict, lambda v, n: len(v) <= n),
    "items": _walk_items,
    "prefixItems": _walk_prefix_items,
    "contains": _walk_contains,
    "minItems": _walk_bound("minItems", list, lambda v, n: len(v) >= n),
    "maxItems": _walk_bound("maxItems", list, lambda v, n: len(v) <= n),
    "uniqueItems": _walk_unique_items,
    "minLength": _walk_bound("minLength", str, lambda v, n: len(v) >= n),
    "maxLength": _walk_bound("maxLength", str, lambda v, n: len(v) <= n),
    "pattern": _walk_pattern,
    "minimum": _walk_bound("minimum", _NUMBERS, lambda v, m: not v < m),
    "maximum": _walk_bound("maximum", _NUMBERS, lambda v, m: not v > m),
    "exclusiveMinimum": _walk_bound("exclusiveMinimum", _NUMBERS, lambda v, m: not v <= m),
    "exclusiveMaximum": _walk_bound("exclusiveMaximum", _NUMBERS, lambda v, m: not v >= m),
    "multipleOf": _walk_bound("multipleOf", _NUMBERS, _is_multiple),
}


# ---------------------------------------------------------------------------------------------
# Messages: one line of plain English per issue, to follow its path

#: A JSON Schema type as a message names it.
TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "null": "null",
    "integer": "an integer",
    "number": "a number",
}

#: How long a value quoted in a message may be, and the message itself.
_SHOWN = 60
_MESSAGE = 240


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _show(value: Any, limit: int = _SHOWN) -> str:
    """``value`` as a message quotes it: YAML on one line, clipped; text plain where it reads
    plainly (see :mod:`nblint.model.shown`, imported only when a message is written)."""
    from nblint.model.shown import shown

    return shown(value, limit, plain_text=True)


def _quoted(name: Any) -> str:
    from nblint.model.shown import shown

    return shown(name, _SHOWN)


def _kind(value: Any) -> str:
    """What ``value`` is, as "must be X, not <this>" says it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if _is_integer(value):
        return "an integer"
    if isinstance(value, float):
        return _show(value)  # "must be an integer, not 1.5"
    for name, test in TYPES.items():
        if test(value):
            return TYPE_NAMES[name]
    return f"a {type(value).__name__}"


def _count(number: Any, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _either(words: list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _type_names(sub: Any) -> str:
    names = [sub] if isinstance(sub, str) else list(dict.fromkeys(sub))
    return _either([TYPE_NAMES.get(name, str(name)) for name in names])


def _phrase(schema: Any) -> str | None:
    """What a value matching a one-keyword ``schema`` is ("a string", "one of a, b"), for
    "must be ..." or "must not be ..."; None when it says more than one thing."""
    if not isinstance(schema, dict):
        return None
    keywords = [keyword for keyword in schema if keyword not in ANNOTATIONS]
    if len(keywords) != 1:
        return None
    [keyword] = keywords
    if keyword == "const":
        return _show(schema["const"])
    if keyword == "enum":
        return "one of " + _options(schema["enum"])
    if keyword == "type" and schema["type"]:
        return _type_names(schema["type"])
    return None


def _options(options: list[Any]) -> str:
    shown = ", ".join(_show(option, 30) for option in options[:12])
    return shown + (", …" if len(options) > 12 else "")


def _message_type(w: _Walk, issue: Issue, detail: Any) -> str:
    sub = issue.schema["type"]
    if not sub:
        return "is not allowed (no type is)"
    return f"must be {_type_names(sub)}, not {_kind(issue.value)}"


def _message_const(w: _Walk, issue: Issue, detail: Any) -> str:
    return f"must be {_show(issue.schema['const'])}"


def _message_enum(w: _Walk, issue: Issue, detail: Any) -> str:
    return "is not one of " + _options(issue.schema["enum"])


def _message_not(w: _Walk, issue: Issue, detail: Any) -> str:
    sub = issue.schema["not"]
    phrase = _phrase(sub)
    if phrase is not None:
        return f"must not be {phrase}"
    if isinstance(sub, dict) and sub.keys() == {"required"} and sub["required"]:
        names = " and ".join(_quoted(name) for name in sub["required"])
        return f"must not set {names}" + (" together" if len(sub["required"]) > 1 else "")
    if sub is True or sub == {}:
        return "is not allowed"
    return "matches what `not` forbids"


def _message_forms(keyword: str) -> Callable[[_Walk, Issue, Any], str]:
    """``anyOf``, and ``oneOf`` when no form matches: the forms, or why each one fails."""

    def message(w: _Walk, issue: Issue, matches: Any) -> str:
        options = issue.schema[keyword]
        if matches:  # oneOf, more than one form matches
            return f"matches {matches} of the {len(options)} allowed forms, not exactly one"
        phrases = [_phrase(option) for option in options]
        if all(phrase is not None for phrase in phrases):
            return (
                f"must be {_either([str(phrase) for phrase in phrases])}, not {_show(issue.value)}"
            )
        reasons = "; ".join(w.first_message(option, issue.value) for option in options)
        return _clip(f"matches none of the {len(options)} allowed forms: {reasons}", _MESSAGE)

    return message


def _message_false(w: _Walk, issue: Issue, detail: Any) -> str:
    return "is not allowed"


def _message_additional_properties(w: _Walk, issue: Issue, detail: Any) -> str:
    return f"unknown key {_quoted(issue.key)}"


def _message_property_names(w: _Walk, issue: Issue, detail: Any) -> str:
    why = w.first_message(issue.schema["propertyNames"], issue.key)
    return _clip(f"key {_quoted(issue.key)} {why}", _MESSAGE)


def _message_required(w: _Walk, issue: Issue, detail: Any) -> str:
    return f"{_quoted(issue.name)} is required"


def _message_dependent_required(w: _Walk, issue: Issue, present: Any) -> str:
    return f"{_quoted(issue.name)} is required when {_quoted(present)} is set"


def _message_items(w: _Walk, issue: Issue, allowed: Any) -> str:
    return f"is one item too many: at most {_count(allowed, 'item')} are allowed"


def _message_contains(w: _Walk, issue: Issue, matches: Any) -> str:
    phrase = _phrase(issue.schema["contains"])
    return f"has no item that is {phrase}" if phrase else "has no item that `contains` wants"


def _message_min_contains(w: _Walk, issue: Issue, matches: Any) -> str:
    wanted = issue.schema.get("minContains", 1)
    return f"has {_count(matches, 'matching item')}, at least {wanted} needed"


def _message_max_contains(w: _Walk, issue: Issue, matches: Any) -> str:
    return f"has more than {_count(issue.schema['maxContains'], 'matching item')}"


def _message_unique_items(w: _Walk, issue: Issue, earlier: Any) -> str:
    return f"repeats item {earlier}"


def _message_pattern(w: _Walk, issue: Issue, detail: Any) -> str:
    return f"must match the pattern '{issue.schema['pattern']}'"


def _message_size(keyword: str, noun: str, at_least: bool) -> Callable[[_Walk, Issue, Any], str]:
    def message(w: _Walk, issue: Issue, detail: Any) -> str:
        bound = issue.schema[keyword]
        if at_least and bound == 1:
            return "must not be empty"
        if not at_least and bound == 0:
            return "must be empty"
        if noun == "character":
            return f"must be at {'least' if at_least else 'most'} {_count(bound, noun)} long"
        return f"must have at {'least' if at_least else 'most'} {_count(bound, noun)}"

    return message


def _message_bound(keyword: str, relation: str) -> Callable[[_Walk, Issue, Any], str]:
    def message(w: _Walk, issue: Issue, detail: Any) -> str:
        return f"must be {relation} {_show(issue.schema[keyword])}, not {_show(issue.value)}"

    return message


_MESSAGES: dict[str, Callable[[_Walk, Issue, Any], str]] = {
    "type": _message_type,
    "const": _message_const,
    "enum": _message_enum,
    "not": _message_not,
    "anyOf": _message_forms("anyOf"),
    "oneOf": _message_forms("oneOf"),
    "false": _message_false,
    "additionalProperties": _message_additional_properties,
    "propertyNames": _message_property_names,
    "required": _message_required,
    "dependentRequired": _message_dependent_required,
    "minProperties": _message_size("minProperties", "key", at_least=True),
    "maxProperties": _message_size("maxProperties", "key", at_least=False),
    "items": _message_items,
    "contains": _message_contains,
    "minContains": _message_min_contains,
    "maxContains": _message_max_contains,
    "minItems": _message_size("minItems", "item", at_least=True),
    "maxItems": _message_size("maxItems", "item", at_least=False),
    "uniqueItems": _message_unique_items,
    "minLength": _message_size("minLength", "character", at_least=True),
    "maxLength": _message_size("maxLength", "character", at_least=False),
    "pattern": _message_pattern,
    "minimum": _message_bound("minimum", "at least"),
    "maximum": _message_bound("maximum", "at most"),
    "exclusiveMinimum": _message_bound("exclusiveMinimum", "greater than"),
    "exclusiveMaximum": _message_bound("exclusiveMaximum", "less than"),
    "multipleOf": _message_bound("multipleOf", "a multiple of"),
}


# ---------------------------------------------------------------------------------------------
# check_supported(): refuse what this module would evaluate wrongly or not at all


def check_supported(schema: Any, where: str = "schema", *, root: Any = None) -> None:
    """Raise :class:`SchemaError` for a keyword outside :data:`SUPPORTED`, a keyword whose value
    has the wrong shape (``minLength: "3"``, a regex that does not compile, an unknown type
    name), or a ``$ref`` that points at nothing in ``root`` (default: ``schema``). ``where``
    names the schema in the message."""
    _check(schema, where, schema if root is None else root, top=True)


def _check(schema: Any, where: str, root: Any, top: bool = False) -> None:
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError(f"{where}: a schema must be a mapping or a boolean")
    for keyword, sub in schema.items():
        shape = _SHAPES.get(keyword)
        if shape is None:
            if keyword in ANNOTATIONS and (keyword != "$id" or top):
                continue
            if keyword == "$id":
                raise SchemaError(
                    f"{where}: $id is only supported at the top of a schema "
                    "(a $ref below it would resolve against it)"
                )
            raise SchemaError(f"{where}: unsupported JSON Schema keyword {keyword!r}")
        problem = shape(sub, f"{where}.{keyword}", root)
        if problem:
            raise SchemaError(f"{where}: {keyword!r} {problem}")


if TYPE_CHECKING:
    Shape = Callable[[Any, str, Any], "str | None"]


def _a_schema(sub: Any, where: str, root: Any) -> str | None:
    _check(sub, where, root)
    return None


def _schemas(sub: Any, where: str, root: Any) -> str | None:
    if not isinstance(sub, list) or not sub:
        return "must be a non-empty list of schemas"
    for index, option in enumerate(sub):
        _check(option, f"{where}[{index}]", root)
    return None


def _named_schemas(sub: Any, where: str, root: Any) -> str | None:
    if not isinstance(sub, dict):
        return "must be a mapping of names to schemas"
    for name, option in sub.items():
        _check(option, f"{where}.{name}", root)
    return None


def _patterned_schemas(sub: Any, where: str, root: Any) -> str | None:
    if not isinstance(sub, dict):
        return "must be a mapping of regular expressions to schemas"
    for pattern, option in sub.items():
        problem = _a_pattern(pattern, where, root)
        if problem:
            return problem
        _check(option, f"{where}.{pattern}", root)
    return None


def _type_names_shape(sub: Any, where: str, root: Any) -> str | None:
    names = [sub] if isinstance(sub, str) else sub
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return "must be a type name or a list of them"
    unknown = [name for name in names if name not in TYPES]
    if unknown:
        return f"names an unknown type {unknown[0]!r} (known: {', '.join(TYPES)})"
    return None


def _anything(sub: Any, where: str, root: Any) -> str | None:
    return None


def _a_list(sub: Any, where: str, root: Any) -> str | None:
    return None if isinstance(sub, list) else "must be a list"


def _names(sub: Any, where: str, root: Any) -> str | None:
    if isinstance(sub, list) and all(isinstance(name, str) for name in sub):
        return None
    return "must be a list of names"


def _named_names(sub: Any, where: str, root: Any) -> str | None:
    if isinstance(sub, dict) and all(_names(names, where, root) is None for names in sub.values()):
        return None
    return "must map names to lists of names"


def _a_count(sub: Any, where: str, root: Any) -> str | None:
    return None if _is_integer(sub) and sub >= 0 else "must be a non-negative integer"


def _a_number(sub: Any, where: str, root: Any) -> str | None:
    return None if _is_number(sub) else "must be a number"


def _a_divisor(sub: Any, where: str, root: Any) -> str | None:
    return None if _is_number(sub) and sub > 0 else "must be a number above 0"


def _a_boolean(sub: Any, where: str, root: Any) -> str | None:
    return None if isinstance(sub, bool) else "must be true or false"


def _a_pattern(sub: Any, where: str, root: Any) -> str | None:
    if not isinstance(sub, str):
        return "must be a regular expression"
    try:
        _regex(sub)
    except SchemaError as err:
        return str(err)
    return None


def _a_reference(sub: Any, where: str, root: Any) -> str | None:
    try:
        resolve(root, sub)
    except SchemaError as err:
        return str(err)
    return None


_SHAPES: dict[str, Shape] = {
    **dict.fromkeys(("not", "if", "then", "else", "items", "contains", "propertyNames"), _a_schema),
    "additionalProperties": _a_schema,
    **dict.fromkeys(("anyOf", "allOf", "oneOf", "prefixItems"), _schemas),
    **dict.fromkeys(("properties", "$defs", "definitions", "dependentSchemas"), _named_schemas),
    "patternProperties": _patterned_schemas,
    "type": _type_names_shape,
    "const": _anything,
    "enum": _a_list,
    "required": _names,
    "dependentRequired": _named_names,
    **dict.fromkeys(
        ("minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties"),
        _a_count,
    ),
    **dict.fromkeys(("minContains", "maxContains"), _a_count),
    **dict.fromkeys(("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"), _a_number),
    "multipleOf": _a_divisor,
    "uniqueItems": _a_boolean,
    "pattern": _a_pattern,
    "$ref": _a_reference,
}
