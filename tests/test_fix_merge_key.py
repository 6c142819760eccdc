"""A fix never reaches another place through a YAML anchor: neither through an alias (``*ref``)
nor through a merge key (``<<: *ref``, ``<<: [*a, *b]``), whichever side the fix is for; and
merge keys are read as Kubernetes and Helm read them (go-yaml v2 under ``sigs.k8s.io/yaml``).

Field test ft7 D3: a notebook-only fix (GRANT_SUDO, the image's uid) written into the anchored
notebook container reached the container that merges it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, RULES

from nblint.cli import main
from nblint.fix.apply import FixError, apply_edit
from nblint.model.edit import HELM, STRATEGIC, Edit
from nblint.model.finding import Finding
from nblint.model.result import RunResult
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

MERGE_KEY = FIXTURES / "fix" / "merge-key"


def rendered(path: Path) -> list[dict[str, Any]]:
    """``nblint render --format json PATH``."""
    result = CliRunner().invoke(main, ["render", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output
    entries: list[dict[str, Any]] = json.loads(result.output)
    return entries


def without_source(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k != "source"}


def containers(entries: list[dict[str, Any]]) -> dict[str, Any]:
    (entry,) = entries
    return {c["name"]: c for c in entry["pod"]["spec"]["containers"]}


def fixed_copy(tmp_path: Path, path: Path, chosen: Any) -> tuple[Path, fixing.FixOutcome]:
    """``nblint fix --unsafe-fixes`` of the findings ``chosen`` picks, written to a copy."""
    copy = tmp_path / path.name
    copy.write_text(path.read_text())

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(Options().replace(texts=texts), RULES).run([str(copy)])

    outcome = fixing.fix(check, True, chosen)
    assert outcome.failed == []
    copy.write_text(outcome.texts[str(copy)])
    return copy, outcome


def is_rule(rule: str, **where: str) -> Any:
    def chosen(finding: Finding) -> bool:
        return finding.rule == rule and all(getattr(finding, k) == v for k, v in where.items())

    return chosen


# ---------------------------------------------------------------------------------------------
# The fixtures: the other container or profile is unchanged, the target's finding is gone


def test_the_manifest_repro_fix_for_the_anchored_notebook_leaves_the_merging_exporter_alone(
    tmp_path: Path,
) -> None:
    path = MERGE_KEY / "manifest-anchored-notebook-merged-by-a-sidecar.yaml"
    before = containers(rendered(path))
    assert before["exporter"].get("env") is None
    copy, outcome = fixed_copy(tmp_path, path, is_rule("notebook-no-sudo", container="notebook"))
    after = containers(rendered(copy))
    assert after["exporter"] == before["exporter"]  # no GRANT_SUDO, no uid, still escalates
    # (No GRANT_SUDO: the notebook sets none for the fix to turn off.)
    assert "env" not in after["notebook"]
    assert after["notebook"]["securityContext"]["allowPrivilegeEscalation"] is False
    assert [f.rule for f in outcome.after.findings if f.container == "notebook"].count(
        "notebook-no-sudo"
    ) == 0
    # The exporter keeps what it merged: the edit of the anchored notebook is overridden in it
    # (it keeps escalating), however the applier writes that.
    text = copy.read_text()
    assert text.count("allowPrivilegeEscalation: true") == 1


def test_the_whole_manifest_repro_is_fixed_without_the_notebook_only_keys_in_the_exporter(
    tmp_path: Path,
) -> None:
    path = MERGE_KEY / "manifest-anchored-notebook-merged-by-a-sidecar.yaml"
    copy, outcome = fixed_copy(tmp_path, path, lambda f: True)
    after = containers(rendered(copy))
    assert "env" not in after["exporter"]
    assert after["exporter"]["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    }
    assert {f.rule for f in outcome.after.findings} & {
        "allow-privilege-escalation",
        "notebook-no-sudo",
    } == set()


def test_the_kubeflow_server_container_fix_leaves_the_merging_sidecar_alone(
    tmp_path: Path,
) -> None:
    path = MERGE_KEY / "kubeflow-anchored-notebook-merged-by-a-sidecar.yaml"
    before = containers(rendered(path))
    copy, outcome = fixed_copy(tmp_path, path, is_rule("notebook-no-sudo", container="nb"))
    after = containers(rendered(copy))
    assert after["exporter"] == before["exporter"]
    assert not [e for e in after["nb"]["env"] if e["name"] == "GRANT_SUDO"]  # none to turn off
    assert after["nb"]["securityContext"]["runAsUser"] == 1000
    assert not [f for f in outcome.after.findings if f.rule == "notebook-no-sudo"]


def test_the_z2jh_anchored_profile_fix_leaves_the_merging_profile_alone(tmp_path: Path) -> None:
    """`- <<: *admin_profile` with `kubespawner_override: {<<: *admin_override, uid: 1000}`: the
    Admin profile's fix (uid, GRANT_SUDO) stays in Admin's override."""
    path = MERGE_KEY / "z2jh-anchored-profile-merged-by-another.yaml"
    before = {entry["profile"]: entry for entry in rendered(path)}
    copy, outcome = fixed_copy(tmp_path, path, is_rule("notebook-no-sudo", profile="Admin"))
    after = {entry["profile"]: entry for entry in rendered(copy)}
    assert without_source(after["Standard"]) == without_source(before["Standard"])
    admin = after["Admin"]["pod"]["spec"]["containers"][0]
    assert "env" not in admin  # no GRANT_SUDO to turn off
    assert admin["securityContext"]["runAsUser"] == 1000
    assert not [f for f in outcome.after.findings if f.rule == "notebook-no-sudo"]
    values = yaml.safe_load(copy.read_text())
    standard = values["singleuser"]["profileList"][1]["kubespawner_override"]
    assert "environment" not in standard
    assert standard["uid"] == 1000


# ---------------------------------------------------------------------------------------------
# The applier


def test_a_key_the_fix_adds_to_an_anchored_mapping_is_not_taken_by_the_merging_one() -> None:
    """The merge is written out as the merging mapping's own keys, where the `<<` was."""
    text = "a: &a\n  x: 1\n  y: 2\nb:\n  <<: *a\n  y: 3\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "z: 4"))
    assert new == "a: &a\n  x: 1\n  y: 2\n  z: 4\nb:\n  x: 1\n  y: 3\n"
    assert yaml.safe_load(new)["b"] == yaml.safe_load(text)["b"]


def test_a_key_the_fix_changes_in_an_anchored_mapping_is_copied_into_the_merging_one() -> None:
    """The merging mapping keeps the old value as its own key (explicit keys win) and keeps
    merging the rest."""
    text = "a: &a\n  x: 1\n  y: 2\nb:\n  <<: *a\n  w: 0\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "x: 5"))
    assert new == "a: &a\n  x: 5\n  y: 2\nb:\n  <<: *a\n  w: 0\n  x: 1\n"
    assert yaml.safe_load(new)["b"] == yaml.safe_load(text)["b"]


def test_a_key_the_merging_mapping_overrides_is_edited_in_the_anchor() -> None:
    text = "a: &a\n  x: 1\nb:\n  <<: *a\n  x: 3\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "x: 5"))
    assert new == "a: &a\n  x: 5\nb:\n  <<: *a\n  x: 3\n"


def test_a_nested_change_under_a_merged_key_copies_that_key() -> None:
    text = "c: &c\n  name: n\n  sc:\n    u: 0\nd:\n  <<: *c\n  name: d\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("c", "sc"), STRATEGIC, "u: 1000"))
    assert yaml.safe_load(new)["d"] == {"name": "d", "sc": {"u": 0}}
    assert yaml.safe_load(new)["c"]["sc"] == {"u": 1000}


def test_an_anchored_value_edited_where_it_is_anchored_is_first_copied_to_its_aliases() -> None:
    """README: a value shared through an alias is never edited where it is anchored."""
    text = "one:\n  sc: &sc\n    u: 0\ntwo:\n  sc: *sc\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("one", "sc"), HELM, "u: 1000"))
    assert new == "one:\n  sc: &sc\n    u: 1000\ntwo:\n  sc:\n    u: 0\n"


def test_a_merge_from_a_list_the_fix_would_reach_is_refused_with_why() -> None:
    text = "a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n"
    with pytest.raises(FixError, match=r"line 4: this mapping merges .* list of merged"):
        apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "z: 4"))


def test_a_key_written_before_a_merge_that_replaces_it_is_not_edited() -> None:
    text = "a: &a {x: 1}\nb:\n  x: 2\n  <<: *a\n"
    with pytest.raises(FixError, match="replaced by the merge key"):
        apply_edit(text, Edit("v.yaml", 0, ("b",), HELM, "x: 5"))


def test_a_merge_whose_every_key_is_overridden_goes_when_the_fix_adds_a_key() -> None:
    text = "a: &a\n  x: 1\nb:\n  <<: *a\n  x: 2\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "z: 4"))
    assert new == "a: &a\n  x: 1\n  z: 4\nb:\n  x: 2\n"


def test_a_mapping_that_merges_through_another_is_left_as_it_reads() -> None:
    """`c` merges `b`, which merges `a`: `b` gets `a`'s keys as its own, and `c` still reads
    them through `b`."""
    text = "a: &a\n  x: 1\nb: &b\n  <<: *a\n  y: 1\nc:\n  <<: *b\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "z: 4"))
    assert new == "a: &a\n  x: 1\n  z: 4\nb: &b\n  x: 1\n  y: 1\nc:\n  <<: *b\n"
    assert yaml.safe_load(new)["c"] == {"x": 1, "y": 1}


def test_a_merged_flow_mapping_is_written_out_as_block_keys_and_crlf_kept() -> None:
    text = "a: &a {x: 1, y: [1, 2]}\r\nb:\r\n  <<: *a  # shared\r\n  w: 3\r\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("a",), HELM, "z: 4"))
    anchored = "a: &a {x: 1, y: [1, 2], z: 4}\r\n"
    assert new == anchored + "b:\r\n  # shared\r\n  x: 1\r\n  y: [1, 2]\r\n  w: 3\r\n"
