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
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from nblint.model import Path

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
