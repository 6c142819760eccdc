"""Kubeflow-aware findings (``rules/kubeflow/``) and the Kubeflow fix hints of the PSA rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, brief, run

from nblint.check.rules import load_rules
from nblint.model.rule import Rule

RULES = FIXTURES / "kubeflow" / "rules"
JWA = RULES / "jwa-default.yaml"


def test_default_editor_token_is_reported_at_the_pod_spec_of_a_jwa_notebook() -> None:
    result = run(JWA, select={"default-editor-token"})
    assert brief(result.findings) == [("default-editor-token", 14, 5)]
    assert "automountServiceAccountToken: false" in (result.findings[0].fix or "")


def test_the_default_editor_token_is_one_finding_unless_its_rule_is_not_selected() -> None:
    # Field test 18b: notebook-service-account-token yields to default-editor-token, which says
    # the same token with its rights; ignored, the general rule says it again.
    said = RULES / "default-editor-token-said-once.yaml"
    tokens = {"default-editor-token", "notebook-service-account-token"}
    assert [(f.rule, f.line) for f in run(said).findings if f.rule in tokens] == [
        ("default-editor-token", 10)
    ]
    ignored = run(said, ignore={"default-editor-token"}).findings
    assert [(f.rule, f.line) for f in ignored if f.rule in tokens] == [
        ("notebook-service-account-token", 10)
    ]


def test_default_editor_without_a_token_is_fine() -> None:
    assert run(RULES / "second-notebook.yaml", select={"default-editor-token"}).findings == []


def test_culling_is_mentioned_once_per_run_at_the_first_notebook() -> None:
    result = run(JWA, RULES / "second-notebook.yaml", select={"culling-not-visible"})
    assert [(Path(f.file).name, f.rule, f.line, f.severity) for f in result.findings] == [
        ("jwa-default.yaml", "culling-not-visible", 3, "info")
    ]
    assert "ENABLE_CULLING=true" in result.findings[0].message


def test_culling_is_not_mentioned_without_a_notebook() -> None:
    assert run(RULES / "manifest-pod.yaml", select={"culling-not-visible"}).findings == []


def test_istio_note_under_restricted_at_the_notebook_metadata() -> None:
    result = run(JWA, select={"istio-init-restricted"})
    assert brief(result.findings) == [("istio-init-restricted", 9, 3)]
    assert [f.severity for f in result.findings] == ["info"]


def test_istio_note_under_baseline_too_whose_capabilities_exclude_net_admin() -> None:
    result = run(JWA, level="baseline", select={"istio-init-restricted"})
    assert brief(result.findings) == [("istio-init-restricted", 9, 3)]
    assert result.findings[0].message.endswith("gets this pod rejected under PSA baseline")


def test_istio_note_is_not_given_under_privileged_or_when_injection_is_off() -> None:
    assert run(JWA, level="privileged", select={"istio-init-restricted"}).findings == []
    assert run(RULES / "second-notebook.yaml", select={"istio-init-restricted"}).findings == []
    assert run(RULES / "manifest-pod.yaml", select={"istio-init-restricted"}).findings == []


def test_dev_shm_without_size_limit_is_reported_with_a_notebook_fix() -> None:
    # The notebook checklist's scratch rule covers memory emptyDirs where nothing else bounds
    # them (no memory limit on the notebook); a Notebook gets the Kubeflow spelling of its fix.
    result = run(RULES / "dshm-no-memory-limit.yaml", select={"notebook-scratch-size-limit"})
    assert brief(result.findings) == [("notebook-scratch-size-limit", 21, 11)]
    assert (result.findings[0].fix or "").startswith("spec:\n  template:\n    spec:")


def test_dev_shm_of_a_memory_limited_notebook_is_not_reported() -> None:
    # The web app's notebook has a memory limit on its one container: the tmpfs is charged to
    # the pod's memory limit (the API's own words for sizeLimit: "the minimum value between the
    # SizeLimit specified here and the sum of memory limits of all containers"), so it cannot
    # take the node's RAM.
    assert run(JWA, select={"notebook-scratch-size-limit"}).findings == []


def test_jwa_default_notebook_is_rejected_by_restricted_as_the_reference_says() -> None:
    result = run(JWA, select={"psa-restricted"})
    assert sorted({f.rule for f in result.findings}) == [
        "allow-privilege-escalation",
        "capabilities-restricted",
        "run-as-non-root",
        "seccomp-profile-restricted",
    ]


PSA_RULES = [r for r in load_rules().values() if r.group in ("psa-baseline", "psa-restricted")]


@pytest.mark.parametrize("rule", PSA_RULES, ids=lambda r: r.id)
def test_every_psa_rule_has_a_kubeflow_fix(rule: Rule) -> None:
    fix = rule.fix.get("kubeflow")
    assert fix, f"{rule.id} has no kubeflow fix"
    assert "spec:" in fix or "metadata:" in fix or "PodDefault" in fix


def test_example_notebooks_are_restricted_clean() -> None:
    example = ROOT / "examples" / "kubeflow-notebook.yaml"
    result = run(example)
    assert [p.object for p in result.pods] == ["Notebook/scipy", "Notebook/pytorch-gpu"]
    assert result.findings == []
    # The two cluster-level notes are answered in the file, with the reason.
    assert sorted({finding.rule for finding, _ in result.suppressed}) == [
        "culling-not-visible",
        "istio-init-restricted",
    ]
    gpu = result.pods[1]
    assert gpu.spec["containers"][0]["resources"]["limits"]["nvidia.com/gpu"] == "1"
