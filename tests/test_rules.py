"""Every shipped rule file is valid, documented, and its PASS/FAIL examples behave as stated.

Also: nblint's own JSON Schema evaluator agrees with the ``jsonschema`` package on every schema
a shipped rule uses, so rule authors can test their checks with any JSON Schema tool.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT, run
from hypothesis import given, settings
from hypothesis import strategies as st

from nblint.check.rules import load_rules, rule_files
from nblint.check.targets import targets_of
from nblint.load.provenance import TreeProvenance
from nblint.load.yaml_tree import parse_documents
from nblint.model import schema as json_schema
from nblint.model.data import data_dir
from nblint.model.pod import EffectivePod, get_path

RULES = load_rules()
RULE_SCHEMA = json.loads((ROOT / "schemas" / "rule.schema.json").read_text())
#: Rules whose failure cannot be written as an input file.
#: Rules no PATH example can trigger (z2jh-installer-as-layer is about a `-f` layer: see
#: tests/test_z2jh_installers.py).
# (git-crypt-encrypted: its file is binary, no YAML text; tests/test_git_crypt.py has it.)
NO_FAIL_EXAMPLE = {
    *("unreadable-file", "internal-error", "z2jh-installer-as-layer"),
    "git-crypt-encrypted",
}


def test_rules_ship_from_the_top_level_rules_directory() -> None:
    assert Path(data_dir("rules")) == ROOT / "rules"
    groups = {rule.group for rule in RULES.values()}
    assert groups == {
        *("psa-baseline", "psa-restricted", "notebook", "z2jh", "kubeflow", "namespace"),
        *("openshift", "nblint"),
    }
    # A rule's directory is its group.
    assert all(Path(rule.path).parent.name == rule.group for rule in RULES.values())
    # The rules that judge the release's settings, checked where the platform refuses its pod.
    assert {rule.id for rule in RULES.values() if rule.release_scope} == {
        "notebook-authentication",
        "notebook-idle-culling",
    }
    psa = {rule.psa_check for rule in RULES.values() if rule.psa}
    assert len(psa) == 19  # every baseline and restricted check of PSA v1.37


def test_the_readme_lists_exactly_the_notebook_checklist() -> None:
    import re

    readme = (ROOT / "README.md").read_text()
    table = readme.split("## The notebook checklist", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(notebook-[a-z-]+)`", table))
    assert listed == {rule.id for rule in RULES.values() if rule.group == "notebook"}


@pytest.mark.parametrize(
    "path", [Path(p) for p in rule_files(ROOT / "rules")], ids=lambda p: p.stem
)
def test_rule_file_is_valid_against_the_rule_schema(path: Path) -> None:
    raw = yaml.safe_load(path.read_text())
    jsonschema.Draft202012Validator(RULE_SCHEMA).validate(raw)
    assert path.stem == raw["id"], "a rule file is named after its rule id"
    assert path.parent.name == raw["group"], "a rule file lives in the folder of its group"


@pytest.mark.parametrize("rule", RULES.values(), ids=lambda r: r.id)
def test_rule_is_documented_with_a_fix(rule: Any) -> None:
    assert rule.why and rule.fix, rule.id
    if rule.id not in NO_FAIL_EXAMPLE:
        assert rule.examples["fail"], f"{rule.id} has no FAIL example"


def _examples() -> list[tuple[str, str, int, dict[str, Any]]]:
    return [
        (rule.id, kind, index, example)
        for rule in RULES.values()
        for kind in ("pass", "fail")
        for index, example in enumerate(rule.examples[kind])
    ]


@pytest.mark.parametrize(
    ("rule_id", "kind", "index", "example"),
    _examples(),
    ids=[f"{r}-{k}{i}" for r, k, i, _ in _examples()],
)
def test_rule_example(
    tmp_path: Path, rule_id: str, kind: str, index: int, example: dict[str, Any]
) -> None:
    path = tmp_path / example.get("file", "example.yaml")
    for name, text in [(path, example["yaml"]), *example.get("beside", {}).items()]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    # A baseline rule's examples are checked at baseline: under restricted some are replaced.
    rule = RULES[rule_id]
    result = run(
        path,
        level=example.get("psa-level", rule.psa_level or "restricted"),
        version=example.get("psa-version", "v1.37"),
        **example.get("options", {}),
    )
    fired = [f for f in result.findings if f.rule == rule_id]
    if kind == "fail":
        assert fired, f"FAIL example {index} of {rule_id} does not trigger it"
    else:
        assert fired == [], f"PASS example {index} of {rule_id} triggers it"


# ---------------------------------------------------------------------------------------------
# The evaluator and jsonschema agree


def _violation_schemas() -> list[tuple[str, Any]]:
    out = []
    for rule in RULES.values():
        for impl in rule.implementations:
            for violation in impl.violations:
                out.append((rule.id, violation.must))
                for condition in (violation.when, violation.unless, impl.when, impl.unless):
                    for clauses in condition.alternatives if condition else ():
                        out.extend((rule.id, schema) for _, schema in clauses)
    return out


SCHEMAS = _violation_schemas()


def _example_values() -> list[Any]:
    """Every value a shipped rule's example puts under a field some rule inspects."""
    values: list[Any] = []
    for rule in RULES.values():
        for kind in ("pass", "fail"):
            for example in rule.examples[kind]:
                documents, _ = parse_documents(example["yaml"])
                for document in documents:
                    root = document.root
                    if not isinstance(root, dict) or "spec" not in root:
                        continue
                    pod = EffectivePod("x", "x", "manifest", root, TreeProvenance("x", root))
                    for other in RULES.values():
                        for impl in other.implementations:
                            for violation in impl.violations:
                                for _, obj, _ in targets_of(pod, violation.target):
                                    for field in violation.fields:
                                        found, value = get_path(obj, field.parts)
                                        if found:
                                            values.append(value)
    return values


def test_evaluator_agrees_with_jsonschema_on_example_values() -> None:
    values = _example_values()
    assert len(values) > 50
    for rule_id, schema in SCHEMAS:
        validator = jsonschema.Draft202012Validator(schema)
        for value in values:
            assert json_schema.is_valid(schema, value) == validator.is_valid(value), (
                rule_id,
                schema,
                value,
            )


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-2, 2)
    | st.sampled_from(["", "ALL", "Default", "RuntimeDefault", "Unconfined", "localhost/x"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["type", "name", "hostPort", "user", "add", "drop", "emptyDir", "hostPath"]
            ),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(value=json_values)
def test_evaluator_agrees_with_jsonschema_on_generated_values(value: Any) -> None:
    for _, schema in SCHEMAS:
        expected = jsonschema.Draft202012Validator(schema).is_valid(value)
        assert json_schema.is_valid(schema, value) == expected, (schema, value)


def test_unsupported_schema_keyword_is_refused(tmp_path: Path) -> None:
    from nblint.check.rules import read_rule_file
    from nblint.model.rule import RuleError

    path = tmp_path / "typo.yaml"
    path.write_text(
        "id: typo\ngroup: team\nseverity: error\ntitle: t\nwhy: w\n"
        "check:\n  - violations:\n      - target: container\n        field: image\n"
        "        must: {patern: '^registry'}\n        message: m\n"
    )
    with pytest.raises(RuleError, match="unsupported JSON Schema keyword 'patern'"):
        read_rule_file(path)


def test_a_condition_listing_alternatives_holds_when_any_of_them_does(tmp_path: Path) -> None:
    """`unless: [{…}, {…}]`: facts of different roots (a value and the pod) that no one schema
    joins; each alternative's clauses must all hold."""
    import json

    from click.testing import CliRunner

    from nblint.cli import main

    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "no-latest.yaml").write_text(
        "id: team-no-latest\ngroup: team\nseverity: error\ntitle: t\nwhy: w\n"
        "check:\n  - violations:\n      - target: container\n        field: image\n"
        "        must: {not: {pattern: ':latest$'}}\n"
        "        unless:\n"
        "          - metadata.labels.allowed: {const: 'yes'}\n"
        "          - metadata.labels.sandbox: {const: 'yes'}\n"
        "            metadata.namespace: {const: scratch}\n"
        "        message: m\n"
    )
    pods = tmp_path / "pods.yaml"
    pods.write_text(
        "\n---\n".join(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: "
            + name
            + "\n"
            + extra
            + "spec:\n  containers: [{name: c, image: 'x:latest'}]\n"
            for name, extra in (
                ("allowed", "  labels: {allowed: 'yes'}\n"),
                ("sandbox-in-scratch", "  namespace: scratch\n  labels: {sandbox: 'yes'}\n"),
                ("sandbox-elsewhere", "  labels: {sandbox: 'yes'}\n"),
                ("plain", ""),
            )
        )
    )
    args = ["check", str(pods), "--rules-dir", str(rules), "--select", "team-no-latest"]
    result = CliRunner().invoke(main, [*args, "--format", "json"], catch_exceptions=False)
    found = [f["pods"][0]["object"] for f in json.loads(result.output)["findings"]]
    assert found == ["Pod/sandbox-elsewhere", "Pod/plain"]


def test_a_condition_alternative_that_is_no_mapping_is_refused(tmp_path: Path) -> None:
    from nblint.check.rules import read_rule_file
    from nblint.model.rule import RuleError

    path = tmp_path / "bad.yaml"
    path.write_text(
        "id: bad\ngroup: team\nseverity: error\ntitle: t\nwhy: w\n"
        "check:\n  - violations:\n      - target: container\n        field: image\n"
        "        unless: [{metadata.name: {const: a}}, 5]\n        message: m\n"
    )
    with pytest.raises(RuleError, match=r"unless\[1\]: a condition maps field paths"):
        read_rule_file(path)
