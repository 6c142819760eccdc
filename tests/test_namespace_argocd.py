"""An Argo CD Application (or ApplicationSet template) that creates its destination namespace
(``CreateNamespace=true``) with ``managedNamespaceMetadata`` labels stands for that Namespace:
every pod the inputs place there is admitted by those labels, as by a Namespace manifest.

One fixture per case in ``fixtures/namespace/argocd/``; each test asserts the exact findings.
"""

from __future__ import annotations

from typing import Any

from conftest import FIXTURES, run
from test_namespace_psa import PSA_ONLY, judged

ARGO = FIXTURES / "namespace" / "argocd"


def test_a_privileged_label_admits_the_privileged_z2jh_notebook() -> None:
    result = run(ARGO / "privileged-z2jh.yaml", select=PSA_ONLY)
    assert len(result.pods) == 1
    assert judged(result.findings) == []


def test_a_baseline_label_rejects_the_privileged_z2jh_notebook_at_the_label() -> None:
    found = run(ARGO / "baseline-z2jh.yaml", select=PSA_ONLY).findings
    assert judged(found) == [
        ("capabilities-baseline", 14, "error", "enforce", 27),
        ("privileged", 14, "error", "enforce", 27),
        ("privileged", 18, "error", "enforce", 27),
    ]
    notebook = next(f for f in found if f.line == 18)
    assert notebook.message == (
        'container notebook is privileged — namespace jhub enforces PodSecurity "baseline:latest":'
        " every spawn of this server fails"
    )
    assert notebook.cause is not None
    assert (notebook.cause.object, notebook.cause.detail) == (
        "Application/hub (managedNamespaceMetadata)",
        "label pod-security.kubernetes.io/enforce: baseline",
    )


def test_without_create_namespace_the_labels_are_not_applied_and_that_is_said() -> None:
    result = run(ARGO / "no-create-namespace-z2jh.yaml", select=PSA_ONLY)
    unapplied = [f for f in result.findings if f.rule == "argocd-namespace-metadata-unapplied"]
    assert [(f.line, f.severity) for f in unapplied] == [(25, "info")]
    assert unapplied[0].message == (
        "`spec.syncPolicy.managedNamespaceMetadata` is not applied: Argo CD sets these labels and "
        "annotations only with the sync option CreateNamespace=true, which Application/hub does "
        "not give; nblint does not take namespace jhub to have them"
    )
    # Judged at --psa-level (restricted), not at the privileged label.
    assert ("privileged", 18, "error", None, None) in judged(result.findings)


def test_a_workload_in_the_namespace_of_another_chart_s_application_is_admitted() -> None:
    result = run(ARGO / "workload-privileged.yaml", select=PSA_ONLY)
    assert [p.object for p in result.pods] == ["Deployment/notebook"]
    assert judged(result.findings) == []
    assert result.skipped == {"Application": 1}


def test_a_namespace_manifest_of_the_name_replaces_the_managed_labels() -> None:
    found = run(ARGO / "namespace-manifest-wins.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 44, "error", "enforce", 29)]
    assert found[0].cause is not None
    assert found[0].cause.object == "Namespace/lab"


def test_the_cluster_s_namespace_keeps_its_labels_and_takes_the_application_s() -> None:
    # --cluster-context holds namespace lab labelled baseline for enforce and warn; the
    # Application sets enforce privileged over it (server-side apply): warn baseline stays.
    result = run(
        ARGO / "workload-privileged.yaml",
        cluster=[ARGO / "context-namespace-lab.yaml"],
        select=PSA_ONLY,
    )
    assert judged(result.findings) == [("privileged", 32, "warning", "warn", 7)]


GIT = ARGO / "git-path"


def test_the_chart_directory_of_a_git_path_source_lands_in_the_destination_namespace() -> None:
    # jhub/application.yaml installs the git directory jhub/ (its values.yaml among the inputs)
    # into namespace jhub, labelled baseline: enforce rejects the privileged notebook there.
    result = run(GIT / "jhub" / "application.yaml", GIT / "jhub" / "values.yaml", select=PSA_ONLY)
    assert [(p.object, p.namespace) for p in result.pods] == [("values", "jhub")]
    assert judged(result.findings) == [("privileged", 8, "error", "enforce", 21)]
    assert result.findings[0].file.endswith("jhub/values.yaml")
    assert result.findings[0].cause is not None
    assert result.findings[0].cause.file.endswith("jhub/application.yaml")


def test_values_in_another_directory_are_not_placed_by_the_application() -> None:
    result = run(GIT / "jhub" / "application.yaml", GIT / "elsewhere" / "values.yaml")
    assert [(p.object, p.namespace) for p in result.pods] == [("values", None)]


def test_invalid_and_future_labels_are_said_at_the_application_as_at_a_namespace() -> None:
    result = run(ARGO / "invalid-labels.yaml")
    assert [(f.rule, f.line, f.severity, f.object) for f in result.findings] == [
        ("ns-psa-invalid-label", 17, "error", "Application/lab"),
        ("ns-psa-version-future", 18, "info", "Application/lab"),
    ]


def test_two_applications_that_label_one_namespace_differently_decide_nothing() -> None:
    found = run(
        ARGO / "two-applications-disagree.yaml", select={"namespace", "privileged"}
    ).findings
    assert judged(found) == [
        ("ns-unknown-namespace", 24, "info", None, 24),
        ("privileged", 40, "error", None, None),
    ]
    assert found[0].cause is not None
    assert found[0].cause.object == "Application/lab-b (managedNamespaceMetadata)"


# The Application given as a -f layer after the values it installs (README, GitOps: the way to
# lint `helm.valueFiles`) labels its namespace as it does given as a path (field test 13a D1).
VALUES_LAYER = ARGO / "values-layer"


def _layered(application: str) -> Any:
    return run(
        values=[str(VALUES_LAYER / "values.yaml"), str(VALUES_LAYER / application)],
        select=PSA_ONLY | {"argocd-namespace-metadata-unapplied"},
    )


def test_a_privileged_label_of_an_application_given_with_f_admits_its_release() -> None:
    result = _layered("application-privileged.yaml")
    assert len(result.pods) == 1
    assert judged(result.findings) == []
    assert [f.rule for f in result.findings] == []


def test_a_baseline_label_of_an_application_given_with_f_rejects_at_the_label() -> None:
    found = _layered("application-baseline.yaml").findings
    assert judged(found) == [
        ("capabilities-baseline", 2, "error", "enforce", 24),
        ("privileged", 2, "error", "enforce", 24),
        ("privileged", 5, "error", "enforce", 24),
    ]
    notebook = next(f for f in found if f.line == 5)
    assert notebook.file.endswith("values.yaml")
    assert notebook.cause is not None
    assert notebook.cause.file.endswith("application-baseline.yaml")
    assert (notebook.cause.object, notebook.cause.detail) == (
        "Application/hub (managedNamespaceMetadata)",
        "label pod-security.kubernetes.io/enforce: baseline",
    )


def test_an_application_given_with_f_without_create_namespace_says_its_labels_are_unapplied() -> (
    None
):
    result = _layered("application-no-create-namespace.yaml")
    unapplied = [f for f in result.findings if f.rule == "argocd-namespace-metadata-unapplied"]
    assert [(f.file.rsplit("/", 1)[-1], f.line, f.severity) for f in unapplied] == [
        ("application-no-create-namespace.yaml", 21, "info")
    ]
    # Judged at --psa-level (restricted), not at the privileged label.
    assert ("privileged", 5, "error", None, None) in judged(result.findings)
