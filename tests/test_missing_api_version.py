"""A workload written with ``kind`` and no ``apiVersion`` is refused by the API server
(``Object 'apiVersion' is missing``): one ``api-version-missing`` finding at its ``kind``, and
nothing else of it is checked, as for a removed API version (field test 18b D4: an RStudio
Deployment with no apiVersion was linted as if deployed). A patch is no object: a file a
kustomization patches in, or may (one near it, or one of the run's that names it), and a Helm
template get no such finding."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

MISSING = FIXTURES / "manifests" / "missing-api-version"
RULE = "api-version-missing"


def test_a_deployment_with_no_api_version_is_refused_alone() -> None:
    result = run(MISSING / "deployment.yaml")
    assert brief(result.findings) == [(RULE, 3, 1)]
    assert result.pods == []
    [finding] = result.findings
    assert finding.severity == "error"
    assert finding.object == "Deployment/rstudio"
    assert finding.message == (
        "the Deployment has no apiVersion: the API server refuses the object (Object "
        "'apiVersion' is missing), which creates nothing; nothing else of it is checked"
    )
    assert finding.fix == "apiVersion: apps/v1"
    assert finding.applicability == "display-only"


def test_an_empty_api_version_is_none() -> None:
    result = run(MISSING / "pod-null-api-version.yaml")
    assert brief(result.findings) == [(RULE, 3, 1)]
    assert result.findings[0].fix == "apiVersion: v1"


def test_a_list_item_is_refused_at_its_own_kind_and_the_other_checked() -> None:
    result = run(MISSING / "list-item.yaml")
    assert [p.object for p in result.pods] == ["Job/ok"]
    refused = [f for f in result.findings if f.rule == RULE]
    assert [(f.line, f.column, f.object, f.fix) for f in refused] == [
        (13, 3, "Job/no-version", "apiVersion: batch/v1")
    ]
    assert not [f for f in result.findings if f.object == "Job/no-version" and f.rule != RULE]


def test_a_patch_the_kustomization_beside_it_names_is_a_patch() -> None:
    result = run(MISSING / "kustomize" / "overlay" / "resources.yaml")
    assert [(f.rule, f.line) for f in result.findings] == [("kustomize-patch", 1)]


def test_a_patch_an_input_overlay_names_from_a_sibling_directory_is_not_refused() -> None:
    overlay = MISSING / "kustomize" / "overlay" / "kustomization.yaml"
    result = run(overlay, MISSING / "kustomize" / "patches" / "env.yaml")
    assert RULE not in {f.rule for f in result.findings}


def test_a_helm_template_is_not_refused_for_an_api_version_a_template_may_write() -> None:
    result = run(MISSING / "helm-chart" / "templates" / "deployment.yaml")
    assert RULE not in {f.rule for f in result.findings}
