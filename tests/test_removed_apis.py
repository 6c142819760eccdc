"""An object written with an API version the API server no longer serves is refused: one
``api-version-removed`` finding at its ``apiVersion``, and nothing else of it is checked
(field test 9b N2: an ``apps/v1beta2`` Deployment was linted as if deployed)."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

REMOVED = FIXTURES / "manifests" / "removed-api"
RULE = "api-version-removed"


def test_an_apps_v1beta2_deployment_is_refused_alone() -> None:
    result = run(REMOVED / "apps-v1beta2-deployment.yaml")
    assert brief(result.findings) == [(RULE, 3, 1)]
    assert result.pods == []
    [finding] = result.findings
    assert finding.severity == "error"
    assert finding.object == "Deployment/jupyterlab"
    assert finding.message == (
        "Deployment in apps/v1beta2 was removed in Kubernetes v1.16: the API server (nblint "
        "checks for v1.37, --psa-version) refuses the object (no matches for kind "
        '"Deployment" in version "apps/v1beta2"), which creates nothing; nothing else of it is '
        "checked"
    )
    assert finding.fix == (
        "apiVersion: apps/v1   # apps/v1 requires spec.selector, matching the pod template's labels"
    )
    assert finding.applicability == "display-only"


def test_a_kubernetes_version_before_the_removal_checks_the_object_as_usual() -> None:
    cronjob = REMOVED / "batch-v1beta1-cronjob.yaml"
    before = run(cronjob, version="v1.24")
    assert RULE not in {f.rule for f in before.findings} and len(before.pods) == 1
    after = run(cronjob, version="v1.25")
    assert brief(after.findings) == [(RULE, 2, 1)] and after.pods == []
    assert after.findings[0].fix == "apiVersion: batch/v1"


def test_a_list_item_is_refused_at_its_own_api_version() -> None:
    result = run(REMOVED / "list-with-extensions-v1beta1.yaml")
    assert [p.object for p in result.pods] == ["Deployment/lab"]
    refused = [f for f in result.findings if f.rule == RULE]
    assert [(f.line, f.column, f.object) for f in refused] == [(15, 5, "Deployment/old-lab")]
    assert not [f for f in result.findings if f.object == "Deployment/old-lab" and f.rule != RULE]


def test_a_refused_binding_is_said_and_still_keeps_the_token_advice_from_being_applied() -> None:
    # The binding says the pod uses the API with its token; once its apiVersion is fixed (its
    # hint), it binds. Turning the token off meanwhile (a safe fix otherwise) would break it.
    result = run(REMOVED / "rbac-v1beta1-binding.yaml")
    assert [(f.rule, f.line) for f in result.findings if f.rule == RULE] == [(RULE, 4)]
    assert result.findings[0].fix == "apiVersion: rbac.authorization.k8s.io/v1"
    [token] = [f for f in result.findings if f.rule == "notebook-service-account-token"]
    assert token.applicability == "display-only" and "RoleBinding/lab-edit" in token.message
