"""The engine's compiled predicates answer exactly as the walk that names the paths.

``schema.compile(must)`` is built once per rule schema and asked about every value;
``schema.error_paths`` is only walked for a value it rejects. The two must agree on every
schema a shipped rule uses and on every keyword's edge cases (JSON equality: ``true`` is not
``1``), or a finding would silently disappear.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_rules import SCHEMAS, _example_values, json_values

from nblint.model import schema as json_schema


def _agrees(schema: Any, value: Any) -> bool:
    valid = json_schema.compile(schema)(value)
    return valid == (next(json_schema.error_paths(schema, value), None) is None)


def test_validator_agrees_with_the_evaluator_on_example_values() -> None:
    values = _example_values()
    for rule_id, schema in SCHEMAS:
        for value in values:
            assert _agrees(schema, value), (rule_id, schema, value)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(value=json_values | st.floats(-2, 2) | st.lists(st.sampled_from([0, 1.0, True, "1"])))
def test_validator_agrees_with_the_evaluator_on_generated_values(value: Any) -> None:
    for rule_id, schema in SCHEMAS:
        assert _agrees(schema, value), (rule_id, schema, value)


EDGE_VALUES = [None, True, False, 0, 1, 1.0, 2.5, "", "a", "ALL", "1", [], [1], ["a", True], {}]
EDGE_VALUES += [{"a": 1}, {"a": None, "b": "x"}, {"x-1": [], "y": {}}]

KEYWORD_SCHEMAS = [
    True,
    False,
    {},
    {"title": "only words", "description": "no keyword to check"},
    {"type": "integer"},
    {"type": ["string", "null"]},
    {"const": True},
    {"const": 1},
    {"const": "a"},
    {"const": [1]},
    {"enum": ["a", "ALL"]},
    {"enum": [1, True, None, []]},
    {"not": {"const": False}},
    {"anyOf": [{"type": "string"}, {"const": 1}]},
    {"oneOf": [{"type": "number"}, {"const": 1}]},
    {"allOf": [{"type": "array"}, {"maxItems": 1}]},
    {"properties": {"a": {"type": "integer"}}},
    {"patternProperties": {"^x-": {"type": "object"}}},
    {"properties": {"a": True}, "patternProperties": {"^x": True}, "additionalProperties": False},
    {"propertyNames": {"pattern": "^[a-z]$"}},
    {"required": ["a"]},
    {"items": {"type": "integer"}},
    {"contains": {"const": True}},
    {"minItems": 1},
    {"maxLength": 1},
    {"minLength": 2},
    {"minimum": 1},
    {"maximum": 1},
    {"exclusiveMinimum": 1},
    {"exclusiveMaximum": 1},
    {"pattern": "^A"},
]


@pytest.mark.parametrize("schema", KEYWORD_SCHEMAS, ids=repr)
def test_validator_agrees_with_the_evaluator_on_each_keyword(schema: Any) -> None:
    for value in EDGE_VALUES:
        assert _agrees(schema, value), (schema, value)
