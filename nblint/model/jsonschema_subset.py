"""A small, fast evaluator for the subset of JSON Schema that rule files use.

Rule checks are JSON Schema, so a team can write and test them with any JSON Schema tool. nblint
evaluates them itself because it needs what ``jsonschema`` does not give cheaply: the path of
*each* offending value (the line to point at), a few microseconds per call, and no import cost in
a pre-commit hook. The test suite checks that this evaluator and ``jsonschema`` agree on every
shipped rule's examples.

Supported keywords: ``type const enum not anyOf allOf oneOf properties patternProperties
additionalProperties propertyNames required items contains minItems maxItems minimum maximum
exclusiveMinimum exclusiveMaximum pattern minLength maxLength`` and boolean schemas. Anything else
is refused when a rule is loaded, so a typo in a rule file cannot silently pass everything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from nblint.model.pod import Path

SUPPORTED = frozenset(
    (
        *("type", "const", "enum", "not", "anyOf", "allOf", "oneOf"),
        *("properties", "patternProperties", "additionalProperties", "propertyNames", "required"),
        *("items", "contains", "minItems", "maxItems", "minLength", "maxLength", "pattern"),
        *("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"),
        *("title", "description", "$comment"),
    )
)

TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


class SchemaError(ValueError):
    """A rule's schema uses something this evaluator does not support."""


def check_supported(schema: Any, where: str = "schema") -> None:
    """Raise :class:`SchemaError` for keywords outside the supported subset."""
    if isinstance(schema, bool):
        return
    if not isinstance(schema, dict):
        raise SchemaError(f"{where}: a schema must be a mapping or a boolean")
    for key, value in schema.items():
        if key not in SUPPORTED:
            raise SchemaError(f"{where}: unsupported JSON Schema keyword {key!r}")
        if key in ("not", "items", "contains", "propertyNames", "additionalProperties"):
            check_supported(value, f"{where}.{key}")
        elif key in ("anyOf", "allOf", "oneOf"):
            for i, sub in enumerate(value):
                check_supported(sub, f"{where}.{key}[{i}]")
        elif key in ("properties", "patternProperties"):
            for name, sub in value.items():
                check_supported(sub, f"{where}.{key}.{name}")
        elif key == "type":
            names = [value] if isinstance(value, str) else value
            for name in names:
                if name not in TYPES:
                    raise SchemaError(f"{where}: unknown type {name!r}")


def is_valid(schema: Any, value: Any) -> bool:
    return next(errors(schema, value), None) is None


Validator = Callable[[Any], bool]


def validator(schema: Any) -> Validator:
    """``is_valid(schema, ·)`` as one function, built once per schema.

    The engine asks the same schema about tens of thousands of values, nearly all valid: each
    keyword becomes a small predicate here, so a value is checked without looking the schema's
    keywords up again. Only a value that fails is then walked by :func:`errors` for its paths.
    """
    if schema is True:
        return _always
    if schema is False:
        return _never
    checks = [_COMPILERS[key](sub, schema) for key, sub in schema.items() if key in _COMPILERS]
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]

    def all_hold(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 -- a plain loop: no generator per value
            if not check(value):
                return False
        return True

    return all_hold


def _always(value: Any) -> bool:
    return True


def _never(value: Any) -> bool:
    return False


def errors(schema: Any, value: Any, path: Path = ()) -> Iterator[Path]:
    """The paths (relative to ``value``) of every place where ``value`` breaks ``schema``.

    Like ``jsonschema``'s ``iter_errors``: one entry per failing keyword, at the deepest path the
    keyword can name (an ``items`` failure names the item, ``required`` names the object).
    """
    if schema is True:
        return
    if schema is False:
        yield path
        return
    for key, sub in schema.items():
        check = _KEYWORDS.get(key)
        if check is not None:
            yield from check(sub, value, path, schema)


def _equal(a: Any, b: Any) -> bool:
    # JSON equality: true is not 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _type(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    names = [sub] if isinstance(sub, str) else sub
    if not any(TYPES[name](value) for name in names):
        yield path


def _const(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if not _equal(sub, value):
        yield path


def _enum(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if not any(_equal(option, value) for option in sub):
        yield path


def _not(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if is_valid(sub, value):
        yield path


def _any_of(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if not any(is_valid(option, value) for option in sub):
        yield path


def _one_of(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if sum(1 for option in sub if is_valid(option, value)) != 1:
        yield path


def _all_of(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    for option in sub:
        yield from errors(option, value, path)


def _properties(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, dict):
        for name, subschema in sub.items():
            if name in value:
                yield from errors(subschema, value[name], (*path, name))


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _pattern_properties(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, dict):
        for pattern, subschema in sub.items():
            regex = _regex(pattern)
            for name, item in value.items():
                if isinstance(name, str) and regex.search(name):
                    yield from errors(subschema, item, (*path, name))


def _additional_properties(sub: Any, value: Any, path: Path, schema: Any) -> Iterator[Path]:
    if not isinstance(value, dict):
        return
    known = schema.get("properties", {})
    patterns = [_regex(p) for p in schema.get("patternProperties", {})]
    for name, item in value.items():
        if name in known or (isinstance(name, str) and any(r.search(name) for r in patterns)):
            continue
        yield from errors(sub, item, (*path, name))


def _property_names(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, dict):
        for name in value:
            if not is_valid(sub, name):
                yield (*path, name)


def _required(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, dict) and any(name not in value for name in sub):
        yield path


def _items(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from errors(sub, item, (*path, index))


def _contains(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, list) and not any(is_valid(sub, item) for item in value):
        yield path


def _sized(kinds: Any, compare: Any) -> Any:
    def check(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
        if isinstance(value, kinds) and not compare(len(value), sub):
            yield path

    return check


def _numeric(compare: Any) -> Any:
    def check(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
        if TYPES["number"](value) and not compare(value, sub):
            yield path

    return check


def _pattern(sub: Any, value: Any, path: Path, _: Any) -> Iterator[Path]:
    if isinstance(value, str) and not _regex(sub).search(value):
        yield path


_KEYWORDS: dict[str, Any] = {
    "type": _type,
    "const": _const,
    "enum": _enum,
    "not": _not,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "allOf": _all_of,
    "properties": _properties,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "propertyNames": _property_names,
    "required": _required,
    "items": _items,
    "contains": _contains,
    "minItems": _sized(list, lambda n, m: n >= m),
    "maxItems": _sized(list, lambda n, m: n <= m),
    "minLength": _sized(str, lambda n, m: n >= m),
    "maxLength": _sized(str, lambda n, m: n <= m),
    "minimum": _numeric(lambda v, m: v >= m),
    "maximum": _numeric(lambda v, m: v <= m),
    "exclusiveMinimum": _numeric(lambda v, m: v > m),
    "exclusiveMaximum": _numeric(lambda v, m: v < m),
    "pattern": _pattern,
}


# ---------------------------------------------------------------------------------------------
# The same keywords as predicates (see :func:`validator`): each takes the keyword's value and the
# whole schema, and returns "does a value pass this keyword?".


def _compile_type(sub: Any, _: Any) -> Validator:
    names = [sub] if isinstance(sub, str) else sub
    tests = [TYPES[name] for name in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def _compile_const(sub: Any, _: Any) -> Validator:
    if isinstance(sub, bool):
        return lambda value: value is sub
    if isinstance(sub, str):  # text never equals a boolean: no JSON-equality special case
        return lambda value: bool(sub == value)
    return lambda value: _equal(sub, value)


def _compile_enum(sub: Any, _: Any) -> Validator:
    if all(isinstance(option, str) for option in sub):
        options = frozenset(sub)
        return lambda value: isinstance(value, str) and value in options
    return lambda value: any(_equal(option, value) for option in sub)


def _compile_not(sub: Any, _: Any) -> Validator:
    if isinstance(sub, dict) and sub.keys() == {"const"} and isinstance(sub["const"], bool):
        forbidden = sub["const"]  # the commonest rule, {not: {const: true}}: one test
        return lambda value: value is not forbidden
    inner = validator(sub)
    return lambda value: not inner(value)


def _compile_any_of(sub: Any, _: Any) -> Validator:
    options = [validator(option) for option in sub]
    return lambda value: any(option(value) for option in options)


def _compile_one_of(sub: Any, _: Any) -> Validator:
    options = [validator(option) for option in sub]
    return lambda value: sum(1 for option in options if option(value)) == 1


def _compile_all_of(sub: Any, _: Any) -> Validator:
    options = [validator(option) for option in sub]
    return lambda value: all(option(value) for option in options)


def _compile_properties(sub: Any, _: Any) -> Validator:
    properties = [(name, validator(subschema)) for name, subschema in sub.items()]

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for name, inner in properties:
                if name in value and not inner(value[name]):
                    return False
        return True

    return check


def _compile_pattern_properties(sub: Any, _: Any) -> Validator:
    patterns = [(_regex(pattern), validator(subschema)) for pattern, subschema in sub.items()]

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for regex, inner in patterns:
                for name, item in value.items():
                    if isinstance(name, str) and regex.search(name) and not inner(item):
                        return False
        return True

    return check


def _compile_additional_properties(sub: Any, schema: Any) -> Validator:
    known = schema.get("properties", {})
    patterns = [_regex(p) for p in schema.get("patternProperties", {})]
    inner = validator(sub)

    def check(value: Any) -> bool:
        if isinstance(value, dict):
            for name, item in value.items():
                if name in known or (
                    isinstance(name, str) and any(r.search(name) for r in patterns)
                ):
                    continue
                if not inner(item):
                    return False
        return True

    return check


def _compile_property_names(sub: Any, _: Any) -> Validator:
    inner = validator(sub)
    return lambda value: not isinstance(value, dict) or all(inner(name) for name in value)


def _compile_required(sub: Any, _: Any) -> Validator:
    return lambda value: not isinstance(value, dict) or all(name in value for name in sub)


def _compile_items(sub: Any, _: Any) -> Validator:
    inner = validator(sub)

    def check(value: Any) -> bool:
        if isinstance(value, list):
            for item in value:
                if not inner(item):
                    return False
        return True

    return check


def _compile_contains(sub: Any, _: Any) -> Validator:
    inner = validator(sub)
    return lambda value: not isinstance(value, list) or any(inner(item) for item in value)


def _compile_sized(kinds: Any, compare: Any) -> Any:
    def compile_keyword(sub: Any, _: Any) -> Validator:
        return lambda value: not isinstance(value, kinds) or compare(len(value), sub)

    return compile_keyword


def _compile_numeric(compare: Any) -> Any:
    is_number = TYPES["number"]

    def compile_keyword(sub: Any, _: Any) -> Validator:
        return lambda value: not is_number(value) or compare(value, sub)

    return compile_keyword


def _compile_pattern(sub: Any, _: Any) -> Validator:
    regex = _regex(sub)
    return lambda value: not isinstance(value, str) or regex.search(value) is not None


_COMPILERS: dict[str, Callable[[Any, Any], Validator]] = {
    "type": _compile_type,
    "const": _compile_const,
    "enum": _compile_enum,
    "not": _compile_not,
    "anyOf": _compile_any_of,
    "oneOf": _compile_one_of,
    "allOf": _compile_all_of,
    "properties": _compile_properties,
    "patternProperties": _compile_pattern_properties,
    "additionalProperties": _compile_additional_properties,
    "propertyNames": _compile_property_names,
    "required": _compile_required,
    "items": _compile_items,
    "contains": _compile_contains,
    "minItems": _compile_sized(list, lambda n, m: n >= m),
    "maxItems": _compile_sized(list, lambda n, m: n <= m),
    "minLength": _compile_sized(str, lambda n, m: n >= m),
    "maxLength": _compile_sized(str, lambda n, m: n <= m),
    "minimum": _compile_numeric(lambda v, m: v >= m),
    "maximum": _compile_numeric(lambda v, m: v <= m),
    "exclusiveMinimum": _compile_numeric(lambda v, m: v > m),
    "exclusiveMaximum": _compile_numeric(lambda v, m: v < m),
    "pattern": _compile_pattern,
}
