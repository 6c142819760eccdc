"""Values quoted in messages and hints are shown as the YAML a user writes (``false``, ``null``,
``true``), never as Python's repr (``False``, ``None``): data rules and builtins alike go
through one formatter (``model.template.show_value``)."""

from __future__ import annotations

from conftest import FIXTURES, run

from nblint.model.template import render_template

MESSAGES = FIXTURES / "manifests" / "messages"


def test_a_builtin_quoting_a_boolean_field_shows_it_as_yaml() -> None:
    # The builtin hands the field's value over as written; the field test saw "is False".
    result = run(
        MESSAGES / "boolean-false-shown-as-yaml.yaml",
        select={"notebook-read-only-root-filesystem", "allow-privilege-escalation"},
    )
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "notebook-read-only-root-filesystem",
            9,
            7,
            "notebook container notebook has a writable root filesystem "
            "(readOnlyRootFilesystem is false)",
        ),
        (
            "allow-privilege-escalation",
            11,
            7,
            "container notebook does not set allowPrivilegeEscalation: false (it is true)",
        ),
    ]


def test_every_template_shows_scalars_and_collections_as_yaml() -> None:
    variables = {"a": False, "b": True, "c": None, "d": 3, "e": ["ALL"], "f": {"x": False}}
    assert render_template("{a} {b} {c} {d} {e} {f}", variables) == (
        'false true null 3 ["ALL"] {"x": false}'
    )
