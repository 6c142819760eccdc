"""The PodDefault webhook: selection, order, merge rules and conflicts (kubeflow-notebooks.md §5).

One fixture per rule in ``tests/fixtures/kubeflow/poddefaults/``: the PodDefaults and the
Notebook they meet, in one file. Each test asserts the merged pod field, where provenance places
it (the PodDefault's own line), and the finding.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import FIXTURES, brief, field, only_pod, run

from nblint.model.pod import EffectivePod
from nblint.model.result import RunResult as Result

PODDEFAULTS = FIXTURES / "kubeflow" / "poddefaults"
APPLIED = "poddefault.admission.kubeflow.org/poddefault-"


def check(name: str, *rules: str, **dialect: Any) -> Result:
    return run(PODDEFAULTS / name, select=set(rules) or {"poddefault-conflict"}, **dialect)


def origin(pod: EffectivePod, *path: str | int) -> tuple[str, int, str]:
    where = pod.provenance.locate(path)
    return Path(where.file).name, where.line, where.note


def env_names(container: dict[str, Any]) -> list[str]:
    return [var["name"] for var in container.get("env", [])]


# ---------------------------------------------------------------------------------------------
# §5.2 selection


def test_selection_by_labels_expressions_and_empty_selector_within_the_namespace() -> None:
    pod = only_pod(check("select-by-labels.yaml"))
    assert pod.facts["poddefaults"] == ["all-pods", "matches-expression", "matches-labels"]
    assert sorted(k for k in field(pod, "metadata", "annotations") if k.startswith(APPLIED)) == [
        APPLIED + "all-pods",
        APPLIED + "matches-expression",
        APPLIED + "matches-labels",
    ]


def test_exclude_annotation_opts_the_pod_out() -> None:
    pod = only_pod(check("select-excluded.yaml"))
    assert pod.facts["poddefaults"] == []
    assert env_names(field(pod, "spec", "containers", 0)) == ["NB_PREFIX"]


def test_labels_under_the_pruned_template_metadata_select_nothing() -> None:
    result = check("select-template-label-does-not-count.yaml", "kubeflow-pruned-security-field")
    assert only_pod(result).facts["poddefaults"] == []
    assert brief(result.findings) == [("kubeflow-pruned-security-field", 15, 5)]


def test_poddefaults_given_with_the_option_reach_a_notebook_without_namespace() -> None:
    option = PODDEFAULTS / "option"
    result = run(
        option / "notebook.yaml",
        select={"kubeflow-pruned-field"},
        poddefaults=[str(option / "cluster-poddefaults.yaml")],
    )
    pod = only_pod(result)
    assert env_names(field(pod, "spec", "containers", 0)) == [
        "NB_PREFIX",
        "KF_PIPELINES_SA_TOKEN_PATH",
    ]
    assert origin(pod, "spec", "containers", 0, "env", 1, "value") == (
        "cluster-poddefaults.yaml",
        11,
        "added by PodDefault access-ml-pipeline",
    )
    # The PodDefault's own pruned key is reported once, in its file.
    assert [(Path(f.file).name, f.rule, f.line) for f in result.findings] == [
        ("cluster-poddefaults.yaml", "kubeflow-pruned-field", 9)
    ]


def test_missing_poddefaults_path_is_a_finding_not_a_traceback(tmp_path: Path) -> None:
    result = run(
        PODDEFAULTS / "option" / "notebook.yaml",
        select={"unreadable-file"},
        poddefaults=[str(tmp_path / "nowhere.yaml")],
    )
    assert [(Path(f.file).name, f.rule, f.line) for f in result.findings] == [
        ("nowhere.yaml", "unreadable-file", 1)
    ]


# ---------------------------------------------------------------------------------------------
# §5.1 merge rules


def test_env_and_mounts_reach_every_container_but_not_init_containers() -> None:
    pod = only_pod(check("merge-env-and-mounts.yaml"))
    nb, helper = field(pod, "spec", "containers")
    assert env_names(nb) == ["NB_PREFIX", "DATA_URL"]
    assert env_names(helper) == ["DATA_URL"]
    assert helper["volumeMounts"] == [{"name": "data", "mountPath": "/data"}]
    assert helper["envFrom"] == [{"configMapRef": {"name": "settings"}}]
    assert "env" not in field(pod, "spec", "initContainers", 0)
    assert field(pod, "spec", "volumes") == [
        {"name": "data", "persistentVolumeClaim": {"claimName": "data"}}
    ]
    assert origin(pod, "spec", "containers", 1, "env", 0) == (
        "merge-env-and-mounts.yaml",
        7,
        "added by PodDefault data",
    )
    assert origin(pod, "spec", "volumes", 0, "persistentVolumeClaim")[1] == 13


def test_identical_env_is_no_conflict_and_env_from_is_appended_twice() -> None:
    result = check("merge-env-same-value.yaml")
    pod = only_pod(result)
    assert result.findings == []
    container = field(pod, "spec", "containers", 0)
    assert env_names(container) == ["MLFLOW_URI", "NB_PREFIX"]
    assert container["envFrom"] == [{"secretRef": {"name": "s"}}] * 2


def test_tolerations_are_merged_by_key() -> None:
    pod = only_pod(check("merge-tolerations.yaml"))
    assert [t["key"] for t in field(pod, "spec", "tolerations")] == ["nvidia.com/gpu", "dedicated"]
    assert origin(pod, "spec", "tolerations", 1)[1:] == (8, "added by PodDefault gpu")


def test_image_pull_secrets_are_merged_by_name() -> None:
    pod = only_pod(check("merge-image-pull-secrets.yaml"))
    assert field(pod, "spec", "imagePullSecrets") == [{"name": "registry"}, {"name": "mirror"}]


def test_annotations_and_labels_are_added_and_the_applied_poddefault_recorded() -> None:
    pod = only_pod(check("merge-annotations-and-labels.yaml"))
    assert field(pod, "metadata", "annotations") == {
        "sidecar.istio.io/inject": "false",
        APPLIED + "mesh": "42",
    }
    assert field(pod, "metadata", "labels", "team") == "data"
    assert origin(pod, "metadata", "annotations", "sidecar.istio.io/inject")[1] == 7


def test_init_containers_and_sidecars_are_appended_and_sidecars_get_no_env() -> None:
    result = check("merge-containers.yaml", "run-as-user")
    pod = only_pod(result)
    assert [c["name"] for c in field(pod, "spec", "initContainers")] == ["setup", "fetch"]
    containers = field(pod, "spec", "containers")
    assert [c["name"] for c in containers] == ["nb", "helper", "root-sidecar"]
    assert env_names(containers[1]) == ["A"]
    assert "env" not in containers[2]
    # The root sidecar is reported in the Notebook's findings, at the PodDefault's line.
    assert [(Path(f.file).name, f.rule, f.line, f.note) for f in result.findings] == [
        ("merge-containers.yaml", "run-as-user", 15, "added by PodDefault inject-containers")
    ]


def test_service_account_and_automount_last_poddefault_by_name_wins() -> None:
    result = check("order-service-account.yaml", "default-editor-token")
    pod = only_pod(result)
    assert field(pod, "spec", "serviceAccountName") == "default-editor"
    assert field(pod, "spec", "automountServiceAccountToken") is True
    assert origin(pod, "spec", "serviceAccountName")[1:] == (6, "added by PodDefault b-editor")
    assert brief(result.findings) == [("default-editor-token", 7, 3)]


def test_command_and_args_first_poddefault_by_name_wins_and_never_replace() -> None:
    pod = only_pod(check("order-command-and-args.yaml"))
    nb, own, proxy = field(pod, "spec", "containers")
    assert (nb["command"], nb["args"]) == (["/first"], ["--second"])
    assert own["command"] == ["/own"]
    assert "command" not in proxy and "args" not in proxy
    assert origin(pod, "spec", "containers", 0, "command")[1:] == (
        14,
        "added by PodDefault a-first",
    )


def test_host_path_volume_of_a_poddefault_is_reported_for_every_notebook_it_reaches() -> None:
    result = run(PODDEFAULTS / "hostpath-reaches-every-notebook.yaml", select={"psa-restricted"})
    hostpath = [(f.rule, f.line, f.object) for f in result.findings if f.line < 10]
    # /var/log is the node's own: the finding is at the path (advice, no claim swap).
    assert hostpath == [
        ("restricted-volumes", 9, "Notebook/first"),
        ("restricted-volumes", 9, "Notebook/second"),
    ]


# ---------------------------------------------------------------------------------------------
# §5.1 conflicts: the webhook denies the pod; nblint reports it and lints the pod without them


def test_env_conflict_between_two_poddefaults_names_both() -> None:
    result = check("conflict-env-two-poddefaults.yaml")
    [finding] = result.findings
    assert (finding.rule, finding.line, finding.column) == ("poddefault-conflict", 7, 7)
    assert finding.message.startswith(
        "PodDefault mlflow and PodDefault minio both set env MLFLOW_S3_ENDPOINT_URL, differently "
        "(PodDefault minio at "
    )
    pod = only_pod(result)
    assert pod.facts["poddefaults_denied"] is True
    assert "volumes" not in pod.spec, "nothing of a denied merge is applied"


def test_env_conflict_with_the_notebook_names_the_notebook() -> None:
    [finding] = check("conflict-env-notebook.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "PodDefault proxy and Notebook/nb both set env HTTP_PROXY" in finding.message


def test_same_mount_path_with_another_volume_conflicts() -> None:
    [finding] = check("conflict-volume-mount-path.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "mountPath /home/jovyan" in finding.message


def test_same_volume_mount_name_with_another_path_conflicts() -> None:
    [finding] = check("conflict-volume-mount-name.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 16)
    assert "PodDefault b-data and PodDefault a-data both set volumeMount data" in finding.message


def test_same_volume_name_with_another_source_conflicts() -> None:
    [finding] = check("conflict-volume.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "volume data" in finding.message


def test_same_toleration_key_with_another_effect_conflicts() -> None:
    [finding] = check("conflict-toleration-key.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "toleration key nvidia.com/gpu" in finding.message


def test_annotation_with_another_value_conflicts() -> None:
    [finding] = check("conflict-annotation.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "annotation sidecar.istio.io/inject" in finding.message


def test_sidecar_named_like_a_notebook_container_conflicts() -> None:
    [finding] = check("conflict-sidecar-name.yaml").findings
    assert (finding.rule, finding.line) == ("poddefault-conflict", 7)
    assert "container nb" in finding.message


def test_poddefault_with_names_and_selector_values_of_the_wrong_type_breaks_nothing() -> None:
    result = run(PODDEFAULTS / "wrong-types.yaml", select={"nblint", "poddefault-conflict"})
    assert [f.rule for f in result.findings if f.rule == "internal-error"] == []
    assert len(result.pods) == 1


# ---------------------------------------------------------------------------------------------
# PodDefaults the API server refuses (CRD types): reported, and applied to no pod


def test_poddefault_without_selector_is_refused_and_adds_nothing() -> None:
    result = check("refused-without-selector.yaml", "kubeflow-invalid-object")
    assert brief(result.findings) == [("kubeflow-invalid-object", 5, 1)]
    assert result.findings[0].message == (
        "PodDefault no-selector: spec.selector is required: the API server refuses the "
        "PodDefault, so it changes no pod"
    )
    pod = only_pod(result)
    assert pod.facts["poddefaults"] == []
    assert "FROM_POD_DEFAULT" not in env_names(field(pod, "spec", "containers", 0))


def test_poddefault_with_a_field_of_the_wrong_type_is_refused_whole() -> None:
    result = check("refused-wrong-type.yaml", "kubeflow-invalid-object")
    assert brief(result.findings) == [("kubeflow-invalid-object", 8, 3)]
    assert result.findings[0].message == (
        "PodDefault add-gpu: spec.tolerations must be a list of mappings, not 'nvidia.com/gpu': "
        "the API server refuses the PodDefault, so it changes no pod"
    )
    assert result.findings[0].fix is not None and "selector:" in result.findings[0].fix
    pod = only_pod(result)
    assert pod.facts["poddefaults"] == []
    assert "FROM_POD_DEFAULT" not in env_names(field(pod, "spec", "containers", 0))


def test_a_poddefault_written_twice_is_one_object_and_says_which_is_applied() -> None:
    result = check("written-twice.yaml", "poddefault-conflict", "cluster-object-written-twice")
    assert brief(result.findings) == [("cluster-object-written-twice", 6, 3)]
    finding = result.findings[0]
    assert finding.message.startswith("PodDefault/mlflow of namespace team-a is written again at ")
    assert finding.cause is not None and finding.cause.line == 18
    (container,) = only_pod(result).spec["containers"]
    assert {"name": "MLFLOW_TRACKING_URI", "value": "http://mlflow.new:5000"} in container["env"]
    assert env_names(container).count("MLFLOW_TRACKING_URI") == 1


def test_an_input_poddefault_replaces_the_one_of_its_name_given_with_the_option() -> None:
    # --poddefaults is what the cluster holds; the input is what is applied to it: as a
    # Namespace or LimitRange among the inputs replaces the one --cluster-context gives.
    here = PODDEFAULTS / "input-over-context"
    result = run(
        here / "notebook-and-poddefault.yaml",
        select={"restricted-volumes", "poddefault-conflict", "cluster-object-written-twice"},
        poddefaults=[str(here / "cluster.yaml")],
    )
    assert [(Path(f.file).name, f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-and-poddefault.yaml", "restricted-volumes", 16, None)
    ]
    assert result.findings[0].message == (
        "volume data uses a hostPath source, which restricted does not allow"
    )
    pod = only_pod(result)
    assert pod.facts["poddefaults"] == ["mlflow"]
    (container,) = pod.spec["containers"]
    assert {"name": "MLFLOW_TRACKING_URI", "value": "http://mlflow.new:5000"} in container["env"]
    assert [volume["name"] for volume in pod.spec["volumes"]] == ["data"]
    assert origin(pod, "spec", "volumes", 0) == (
        "notebook-and-poddefault.yaml",
        15,
        "added by PodDefault mlflow",
    )


def test_a_poddefault_in_a_placeholder_namespace_reaches_no_notebook() -> None:
    # Not even the Notebook written in the same placeholder namespace: nblint cannot know it.
    result = run(
        PODDEFAULTS / "placeholder" / "poddefault-in-placeholder-namespace.yaml",
        select={"cluster-object-placeholder", "restricted-volumes", "host-path-volumes"},
    )
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("cluster-object-placeholder", 8, None)
    ]
    assert result.findings[0].message == (
        "PodDefault/docker: its namespace is a placeholder (${NAMESPACE}), filled in before it is "
        "applied, so nblint cannot know which Notebooks it reaches: it is applied to none"
    )
    assert only_pod(result).facts["poddefaults"] == []
