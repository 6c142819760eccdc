"""SARIF logs are written by nblint's own indenting JSON writer: the same text as ``json``'s.

``json.dumps(..., indent=2)`` runs the standard library's slow pure-Python encoder;
``sarif.indented_json`` must produce exactly its output for every JSON value (escapes, non-ASCII
text, empty containers, numbers), so that a SARIF log is byte for byte what it was.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nblint.report.sarif import indented_json

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(value=json_values)
def test_indented_json_is_json_dumps_with_indent_2(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, indent=2)


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": {}, "b": [], "c": [{}], "d": ""},
        ("tuple", 1),
        {"text": 'line\nquote " backslash \\ tab \t control \x01 non-ascii é … 🙂'},
        {1: "int key", False: "bool key", None: "null key", 1.5: "float key"},
        [math.nan, math.inf, -math.inf, -0.0, 1e100, 10**30],
    ],
    ids=["empty-dict", "empty-list", "nested-empty", "tuple", "escapes", "keys", "numbers"],
)
def test_indented_json_edge_cases(value: Any) -> None:
    assert indented_json(value) == json.dumps(value, indent=2)


def test_indented_json_refuses_what_json_refuses() -> None:
    with pytest.raises(TypeError):
        indented_json({"set": {1}})
