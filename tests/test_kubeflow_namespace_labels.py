"""The labels of a Notebook's namespace, when the inputs (or ``--cluster-context``) give it,
decide the webhooks that build its pod: the PodDefault webhook runs only where its
namespaceSelector ``app.kubernetes.io/part-of: kubeflow-profile`` matches (kubeflow/manifests
``applications/admission-webhook``), Istio injects where ``istio-injection: enabled`` says so. Of a
namespace the inputs do not describe nothing is known, and every PodDefault applies."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, only_pod, report_across_jobs, run, write

NAMESPACE = FIXTURES / "kubeflow" / "poddefaults" / "namespace"
WEBHOOKS = {"poddefault-namespace-not-served", "privileged", "istio-init-restricted"}


def _brief(result: object) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.severity, f.line, f.column) for f in result.findings]  # type: ignore[attr-defined]


def test_no_poddefault_reaches_a_pod_in_a_namespace_without_the_profile_label() -> None:
    result = run(NAMESPACE / "outside-profile-namespace.yaml", select=WEBHOOKS)
    # No privileged error from a sidecar the webhook never injects, no Istio note for a namespace
    # without istio-injection: one info at the Notebook's namespace, naming the Namespace.
    assert _brief(result) == [("poddefault-namespace-not-served", "info", 30, 3)]
    found = result.findings[0]
    assert found.message == (
        "namespace team-a is not a Kubeflow profile namespace (it has no label "
        "app.kubernetes.io/part-of: kubeflow-profile), which the PodDefault webhook's "
        "namespaceSelector requires: the webhook never runs there, so PodDefault root-sidecar, "
        "which selects this pod, changes nothing in Notebook/nb"
    )
    assert found.cause is not None
    assert (found.cause.object, found.cause.detail, found.cause.line) == (
        "Namespace/team-a",
        "has no label app.kubernetes.io/part-of",
        7,
    )
    assert found.applicability == "display-only"
    pod = only_pod(result)
    assert [c["name"] for c in pod.spec["containers"]] == ["nb"]
    assert pod.facts["poddefaults"] == []
    assert pod.facts["istio_injection_default"] is False


def test_a_part_of_label_of_another_value_does_not_match_either() -> None:
    result = run(NAMESPACE / "other-part-of-value.yaml", select=WEBHOOKS)
    assert _brief(result) == [("poddefault-namespace-not-served", "info", 34, 3)]
    message = result.findings[0].message
    assert "(its label app.kubernetes.io/part-of is data-platform, not kubeflow-profile)" in message
    assert (
        "so PodDefaults add-env, add-secret, which select this pod, change nothing in " in message
    )
    # The cause points at the label that is wrong.
    assert result.findings[0].cause.line == 7  # type: ignore[union-attr]
    pod = only_pod(result)
    assert "volumes" not in pod.spec or not any(v["name"] == "creds" for v in pod.spec["volumes"])


def test_a_labelled_profile_namespace_gets_its_poddefaults_and_istio() -> None:
    result = run(NAMESPACE / "profile-labelled-namespace.yaml", select=WEBHOOKS)
    assert _brief(result) == [
        ("privileged", "error", 24, 7),
        ("istio-init-restricted", "info", 28, 1),
    ]
    assert result.findings[1].message == (
        "namespace team-a has Istio sidecar injection (its label istio-injection: enabled): "
        "without the Istio CNI plugin, the injected istio-init container (NET_ADMIN, NET_RAW) "
        "gets this pod rejected under PSA baseline"
    )


def test_a_profile_s_namespace_gets_the_label_from_the_profile_controller() -> None:
    # A Profile alone: the controller creates the namespace, with both labels.
    created = run(NAMESPACE / "profile-creates-namespace.yaml", select=WEBHOOKS)
    assert _brief(created) == [("istio-init-restricted", "info", 22, 1)]
    assert "the profile controller labels it istio-injection: enabled when it creates it for " in (
        created.findings[0].message
    )
    assert only_pod(created).facts["poddefaults"] == ["add-env"]
    # With its Namespace given: adopted, the part-of label added, istio-injection not.
    adopted = run(NAMESPACE / "profile-owns-namespace.yaml", select=WEBHOOKS)
    assert _brief(adopted) == []
    pod = only_pod(adopted)
    assert pod.facts["poddefaults"] == ["add-env"]
    assert pod.facts["istio_injection_default"] is False


def test_the_cluster_s_namespace_decides_too() -> None:
    result = run(
        NAMESPACE / "context" / "notebook.yaml",
        cluster=[NAMESPACE / "context" / "namespaces.yaml"],
        select=WEBHOOKS,
    )
    assert _brief(result) == [("poddefault-namespace-not-served", "info", 20, 3)]
    assert only_pod(result).facts["poddefaults"] == []


def test_two_namespace_manifests_that_disagree_on_the_label_decide_nothing() -> None:
    # Which of the two the cluster holds is the one applied last: as when the namespace is not
    # known, every PodDefault applies.
    result = run(*sorted((NAMESPACE / "disputed").glob("*.yaml")), select=WEBHOOKS)
    assert _brief(result) == []
    assert only_pod(result).facts["poddefaults"] == ["add-env"]


def test_a_namespace_the_inputs_do_not_describe_keeps_every_poddefault(tmp_path: Path) -> None:
    # The Notebook and its PodDefault are in team-b; the cluster context describes team-a only.
    text = (NAMESPACE / "context" / "notebook.yaml").read_text()
    notebook = write(tmp_path, "notebook.yaml", text.replace("team-a", "team-b"))
    result = run(notebook, cluster=[NAMESPACE / "context" / "namespaces.yaml"], select=WEBHOOKS)
    # As before: the sidecar is judged, and Istio is the Kubeflow default.
    assert [f.rule for f in result.findings] == ["privileged", "istio-init-restricted"]
    assert result.findings[1].message.startswith("if the profile namespace has Istio")
    assert only_pod(result).facts["poddefaults"] == ["root-sidecar"]


def test_the_namespace_decides_across_jobs(tmp_path: Path) -> None:
    # The Namespace, the PodDefault and the Notebook in three files, checked with --jobs 2 too.
    documents = (NAMESPACE / "outside-profile-namespace.yaml").read_text().split("\n---\n")
    for name, text in zip(("a-namespace", "b-poddefault", "z-notebook"), documents, strict=True):
        write(tmp_path, f"{name}.yaml", text + "\n")
    report = report_across_jobs(tmp_path)
    said = [f for f in report["findings"] if f["rule"] == "poddefault-namespace-not-served"]
    assert [(f["line"], f["column"]) for f in said] == [(5, 3)]
    assert not [
        f for f in report["findings"] if f["rule"] in ("privileged", "istio-init-restricted")
    ]


def test_a_namespace_patch_in_the_cluster_context_is_no_whole_namespace() -> None:
    # kubeflow/manifests' PSS "static" component: a kustomize Component whose patch adds the
    # enforce label to the profile namespace. Read as a whole Namespace it would have no part-of
    # label (no PodDefault, no hostPath error); it is a patch, read as none, as an input is.
    here = NAMESPACE / "context-patch"
    result = run(
        here / "notebook.yaml",
        cluster=[here / "ctx"],
        select=WEBHOOKS | {"kustomize-patch", "restricted-volumes"},
    )
    assert _brief(result) == [
        ("kustomize-patch", "info", 1, 1),
        ("restricted-volumes", "error", 8, 26),
        ("istio-init-restricted", "info", 13, 1),
    ]
    patch = result.findings[0]
    assert patch.file.endswith("ctx/user-ns-labels.yaml")
    assert patch.message.startswith("--cluster-context: a kustomize patch (")
    assert only_pod(result).facts["poddefaults"] == ["add-env"]
