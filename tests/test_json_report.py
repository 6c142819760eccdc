"""The JSON report's direct encoder writes what encoding :func:`as_dict` would, byte for byte:
the mapping is the report's shape (schemas/report.schema.json), the encoder its fast path."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES, run

from nblint.model.edit import Edit
from nblint.model.finding import Cause, Finding, PsaRef
from nblint.model.fold import fold, unfolded
from nblint.report.json_report import _ENCODER, as_dict, encoded


def _same(problems: list) -> None:
    for problem in problems:
        assert encoded(problem) == _ENCODER.encode(as_dict(problem))
        json.loads(encoded(problem))


@pytest.mark.parametrize("folding", [fold, unfolded], ids=["folded", "one-per-pod"])
def test_every_fixture_problem_is_encoded_as_its_mapping(folding) -> None:
    findings = run(*sorted(FIXTURES.rglob("*.yaml"))).findings
    assert len(findings) > 1000  # the fixtures exercise every rule, dialect and fix kind
    _same(folding(findings))


def test_pods_that_differ_from_the_first_carry_their_own_fields() -> None:
    edit = Edit("v.yaml", 0, ("singleuser", 0), "helm", "a: 1\n", adds_only=True)
    cause = Cause("Namespace/lab", "label", "ns.yaml", 4, 5)
    base = dict(psa=PsaRef("privileged", "baseline", "v1.37"), applicability="safe", edit=edit)
    first = Finding("r", "g", "error", "m ✓", "v.yaml", 3, 1, "values", "A", fix="a: 1\n", **base)
    other = Finding(
        "r", "g", "error", 'other "m"\n', "v.yaml", 3, 1, "values", "B", container="c",
        options={"image": "torch"}, fix="b: 2", note="said", applicability="unsafe", cause=cause,
        assumption="guessed", edit=Edit("v.yaml", 1, (), "strategic", "b: 2"),
        psa=PsaRef("privileged", "baseline", "v1.37"),
    )  # fmt: skip
    (problem,) = fold([first, other])
    _same([problem])
    # Messages are joined into the problem's (see fold.joined_messages); the rest differs.
    pods = json.loads(encoded(problem))["pods"]
    assert set(pods[1]) - set(pods[0]) == {"fix", "note", "applicability", "edit", "cause"}
