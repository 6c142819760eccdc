"""Plain scalars read as Helm and kubectl read them: go-yaml v2, then JSON.

The oracle is go-yaml v2's source, ``resolve.go`` at go-yaml/yaml branch v2 (commit
7649d4548cb53a614db133b2a8ac1f31859dda8c), which ``sigs.k8s.io/yaml`` (kubectl, the API server's
YAML decoder, Helm's values) unmarshals with:

- lines 37-47: the words ``y Y yes Yes YES true True TRUE on On ON`` (true), ``n N no No NO false
  False FALSE off Off OFF`` (false), ``"" ~ null Null NULL`` (null), ``.nan .NaN .NAN``, ``.inf``
  and ``-.inf`` forms; lines 22-30 and 114-118: only a text starting with one of
  ``+-0123456789yYnNtTfFoO~.`` is looked up at all;
- lines 124-126: base-60 (``1:20``) is deliberately not a number;
- lines 139-191 (a text starting with a digit or a sign): every ``_`` removed, then
  ``strconv.ParseInt(plain, 0, 64)`` (Go prefixes ``0x``/``0o``/``0b``; a leading ``0`` is
  octal), then ``strconv.ParseUint(plain, 0, 64)``, then ``ParseFloat`` when ``yamlStyleFloat``
  (line 84, ``^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$``) matches and it does not
  overflow, then ``0b``/``-0b`` read with ``ParseInt(…, 2, 64)``, which takes a sign (``0b-101``);
- lines 132-137 (a text starting with ``.``): ``strconv.ParseFloat(in, 64)`` as written (Go's
  syntax: ``_`` only between digits);
- decode.go lines 474-480: a timestamp decoded into ``interface{}`` is its text.

``sigs.k8s.io/yaml`` (yaml.go ``yamlToJSONTarget``) then writes the value with ``encoding/json``,
which writes a whole float64 below 1e21 without a fraction: the API server reads ``1e3`` as the
integer 1000 (and ``1000.0`` too), so nblint holds an ``int`` for it.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from conftest import FIXTURES, run

from nblint.load.plain_scalars import plain_scalar
from nblint.load.yaml_tree import parse_documents
from nblint.model.keys import json_key

B, INT, F, N, S = "bool", "int", "float", "null", "str"

#: (plain text, go-yaml's tag, the value the API server gets; text: the text itself)
CASES: list[tuple[str, str, Any]] = [
    # resolve.go:37-43, the words
    *[(word, B, True) for word in ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE")],
    *[(word, B, True) for word in ("on", "On", "ON")],
    *[(word, B, False) for word in ("n", "N", "no", "No", "NO", "false", "False", "FALSE")],
    *[(word, B, False) for word in ("off", "Off", "OFF")],
    *[(word, N, None) for word in ("", "~", "null", "Null", "NULL")],
    # ... and only those spellings
    *[(word, S, word) for word in ("yES", "tRUE", "oN", "nULL", "nil", "None", "none", "Nope")],
    # resolve.go:44-47
    (".inf", F, math.inf),
    (".Inf", F, math.inf),
    ("+.INF", F, math.inf),
    ("-.inf", F, -math.inf),
    (".NaN", F, math.nan),
    ("-.nan", S, "-.nan"),
    (".infinity", S, ".infinity"),
    # resolve.go:150-158, ParseInt base 0 of the text without `_`
    ("0", INT, 0),
    ("-0", INT, 0),
    ("+1", INT, 1),
    ("1000", INT, 1000),
    ("1_000", INT, 1000),
    ("1__0_", INT, 10),
    ("0o0", INT, 0),
    ("0o17", INT, 15),
    ("0O17", INT, 15),
    ("017", INT, 15),
    ("-017", INT, -15),
    ("0x1F", INT, 31),
    ("0X1f", INT, 31),
    ("0x_1F", INT, 31),
    ("0b101", INT, 5),
    ("0B11", INT, 3),
    ("-0b101", INT, -5),
    ("9223372036854775807", INT, 2**63 - 1),
    ("-9223372036854775808", INT, -(2**63)),
    # resolve.go:159-162, ParseUint (no sign) up to 2**64-1
    ("9223372036854775808", INT, 2**63),
    ("18446744073709551615", INT, 2**64 - 1),
    # resolve.go:163-168, yamlStyleFloat: beyond both ranges, a float (as JSON: whole)
    ("18446744073709551616", F, 2**64),
    ("+18446744073709551615", F, 2**64),
    ("-9223372036854775809", F, -(2**63)),
    ("08", F, 8),  # not octal, but yamlStyleFloat matches
    ("1e3", F, 1000),  # PyYAML: text
    ("1E3", F, 1000),
    ("1_e3", F, 1000),
    ("1000.0", F, 1000),
    ("0.5e1", F, 5),
    ("1.5", F, 1.5),
    ("-.5", F, -0.5),
    ("+1.", F, 1),
    ("1e-3", F, 0.001),
    ("1e20", F, 10**20),
    ("1e21", F, 1e21),  # json writes it as 1e+21: stays a float
    ("1e400", S, "1e400"),  # ParseFloat's range error
    ("1.5.5", S, "1.5.5"),
    # resolve.go:169-191, 0b with a sign Go's prefix parse refused
    ("0b-101", INT, -5),
    ("0b+11", INT, 3),
    ("0b", S, "0b"),
    ("0b2", S, "0b2"),
    ("0x", S, "0x"),
    ("0o", S, "0o"),
    ("0o8", S, "0o8"),
    ("0xG", S, "0xG"),
    # resolve.go:132-137, a leading `.`: ParseFloat as written
    (".5", F, 0.5),
    (".5e1", F, 5),
    (".5_5", F, 0.55),
    ("._5", S, "._5"),
    (".5_", S, ".5_"),
    (".", S, "."),
    (".e3", S, ".e3"),
    # resolve.go:124-126: no base 60 (PyYAML: 80, 4800.5, 45045)
    ("1:20", S, "1:20"),
    ("1:20.5", S, "1:20.5"),
    ("12:30:45", S, "12:30:45"),
    # resolve.go:143-148 and decode.go:474-480: a timestamp is its text
    ("2001-12-14", S, "2001-12-14"),
    ("2001-12-14t21:59:43.10-05:00", S, "2001-12-14t21:59:43.10-05:00"),
    # resolve.go:115-118: other first characters are text
    ("_1", S, "_1"),
    ("+", S, "+"),
    ("-", S, "-"),
    ("x1", S, "x1"),
    ("=", S, "="),
    ("0x1p-2", S, "0x1p-2"),  # a Go hex float: yamlStyleFloat does not match
    ("1_000_000.5", F, 1000000.5),
]

_TAGS = {B: "bool", INT: "int", F: "float", N: "null", S: "str"}


def _same(got: Any, expected: Any) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return isinstance(got, float) and math.isnan(got)
    return type(got) is type(expected) and got == expected


@pytest.mark.parametrize(("text", "tag", "value"), CASES, ids=[repr(c[0]) for c in CASES])
def test_plain_scalar_is_what_go_yaml_v2_and_json_give(text: str, tag: str, value: Any) -> None:
    resolved, got = plain_scalar(text)
    assert resolved == f"tag:yaml.org,2002:{_TAGS[tag]}"
    if tag != S:
        assert _same(got, value)
    if text == "-":
        return  # (a plain `-` value is a list item to any YAML parser)
    # ... and so does the loader, as a value in a file
    (doc,), _ = parse_documents(f"k: {text}\n" if text else "k:\n")
    assert _same(doc.root["k"], value)


@pytest.mark.parametrize("text", ["y", "0o0", "1e3", "n", "017"])
def test_quoted_text_stays_text(text: str) -> None:
    (doc,), _ = parse_documents(f"a: '{text}'\nb: \"{text}\"\nc: |\n  {text}\n")
    assert (doc.root["a"], doc.root["b"], doc.root["c"]) == (text, text, text + "\n")


def test_explicit_tags_resolve_as_go_yaml_does() -> None:
    # resolve.go:91-110: the text must resolve to the tag, except an int under !!float.
    (doc,), problems = parse_documents("a: !!int '0o17'\nb: !!bool 'y'\nc: !!float 7\nd: !!str y\n")
    assert (doc.root["a"], doc.root["b"], doc.root["c"], doc.root["d"]) == (15, True, 7, "y")
    assert problems == []
    _, (refused,) = parse_documents("a: !!int '1:20'\n")
    assert (refused.kind, refused.line, refused.message) == (
        "parse-error",
        1,
        "invalid YAML: '1:20' is not a valid !!int",
    )


def test_a_plain_key_is_typed_as_go_yaml_types_it_and_made_text_as_sigs_yaml_does() -> None:
    (doc,), _ = parse_documents("y: 1\nn: 2\n0o10: 3\n1e6: 4\n")
    assert doc.root == {True: 1, False: 2, 8: 3, 1e6: 4}
    # sigs.k8s.io/yaml yaml.go convertToJSONableObject: FormatFloat(key, 'g', -1, 32) of the
    # float64 go-yaml gave, not JSON's whole number
    assert [json_key(key) for key in doc.root] == ["true", "false", "8", "1e+06"]


def test_pod_with_privileged_y_and_uid_0o0_is_privileged_and_root() -> None:
    # kubectl reads `privileged: y` as true and `runAsUser: 0o0` as 0: the findings are those
    # of a privileged root pod, not of values of the wrong type.
    result = run(FIXTURES / "yaml11" / "pod-privileged-y-uid-0o0.yaml")
    found = [(f.rule, f.line, f.column, f.message) for f in result.findings]
    assert ("run-as-user", 5, 41, "pod sets runAsUser: 0") in found
    assert ("privileged", 11, 7, "container notebook is privileged") in found
    assert [f for f in found if f[0] == "privileged-without-escalation"] == [
        (
            "privileged-without-escalation",
            10,
            7,
            "container notebook sets allowPrivilegeEscalation: false beside privileged: true: "
            "the API server refuses the pod",
        )
    ]
    assert not [f for f in found if f[0] == "wrong-field-type"]


def test_z2jh_values_with_escalation_y_and_uid_0o0_are_read_as_helm_reads_them() -> None:
    result = run(FIXTURES / "yaml11" / "z2jh-escalation-y-uid-0o0.yaml")
    found = {(f.rule, f.line, f.message) for f in result.findings}
    assert not [f for f in found if f[0] == "z2jh-wrong-type"]
    assert {
        ("run-as-user", 7, "container notebook sets runAsUser: 0"),
        ("notebook-no-sudo", 7, "notebook container notebook runs as root (runAsUser: 0)"),
        (
            "allow-privilege-escalation",
            6,
            "container notebook does not set allowPrivilegeEscalation: false (it is true)",
        ),
    } <= found


@pytest.mark.parametrize("text", ["y", "Y", "n", "N", "0o17", "-0o7", "1e3", "1E-5", ".5e3", "yes"])
def test_text_that_go_yaml_reads_otherwise_is_written_quoted(text: str) -> None:
    """Hints and fixes are dumped by PyYAML's safe dumper, which writes text plain when PyYAML
    would read it back as text: ``y`` or ``1e3`` copied from the input (an env value) would then
    reach kubectl and Helm as a boolean or a number. Read back as they read it, it is text."""
    import yaml

    written = yaml.safe_dump({"value": text})
    (document,), _ = parse_documents(written)
    assert document.root == {"value": text}, written
