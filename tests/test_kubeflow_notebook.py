"""A Kubeflow Notebook → the pod its StatefulSet creates (reference kubeflow-notebooks.md §2, §3).

One fixture per controller rule in ``tests/fixtures/kubeflow/controller/``; each test asserts the
effective pod field, where provenance places it, and the finding it leads to.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, brief, field, only_pod, run

from nblint.cli import main
from nblint.model.pod import EffectivePod
from nblint.model.result import RunResult as Result

CONTROLLER = FIXTURES / "kubeflow" / "controller"


def where(pod: EffectivePod, *path: str | int) -> tuple[int, str]:
    origin = pod.provenance.locate(path)
    return origin.line, origin.note


# ---------------------------------------------------------------------------------------------
# Recognition


def test_every_notebook_api_version_is_a_notebook_and_other_groups_are_not() -> None:
    result = run(CONTROLLER / "api-versions.yaml")
    assert [p.object for p in result.pods] == ["Notebook/one", "Notebook/two", "Notebook/three"]
    assert {(p.dialect, p.kind) for p in result.pods} == {("kubeflow", "StatefulSet")}
    assert result.skipped == {"Notebook": 1}


# ---------------------------------------------------------------------------------------------
# §3.1 steps 1 and 2: labels and annotations


def test_pod_labels_are_controller_labels_under_the_notebook_labels() -> None:
    pod = only_pod(run(CONTROLLER / "labels-and-annotations.yaml"))
    assert field(pod, "metadata", "labels") == {
        "statefulset": "chosen-by-user",
        "notebook-name": "nb",
        "app": "nb",
        "statefulset.kubernetes.io/pod-name": "nb-0",
        "apps.kubernetes.io/pod-index": "0",
    }
    assert where(pod, "metadata", "labels", "app") == (7, "")
    assert where(pod, "metadata", "labels", "notebook-name") == (
        3,
        "injected by the notebook controller",
    )


def test_annotations_with_kubectl_or_notebook_in_the_key_do_not_reach_the_pod() -> None:
    result = run(CONTROLLER / "labels-and-annotations.yaml", select={"app-armor-profile"})
    pod = only_pod(result)
    assert field(pod, "metadata", "annotations") == {
        "sidecar.istio.io/inject": "true",
        "container.apparmor.security.beta.kubernetes.io/nb": "unconfined",
    }
    # The AppArmor annotation survives, so baseline sees it at the Notebook's annotation.
    assert brief(result.findings) == [("app-armor-profile", 14, 5)]


# ---------------------------------------------------------------------------------------------
# §3.1 step 4: containers[0]


def test_controller_completes_the_first_container() -> None:
    pod = only_pod(run(CONTROLLER / "minimal.yaml"))
    first = field(pod, "spec", "containers", 0)
    assert first["workingDir"] == "/home/jovyan"
    assert first["ports"] == [{"name": "notebook-port", "containerPort": 8888, "protocol": "TCP"}]
    assert first["env"] == [{"name": "NB_PREFIX", "value": "/notebook/team/nb"}]
    assert where(pod, "spec", "containers", 0, "workingDir") == (
        10,
        "injected by the notebook controller: workingDir /home/jovyan",
    )
    assert where(pod, "spec", "containers", 0, "env", 0, "value")[1] == (
        "injected by the notebook controller: NB_PREFIX=/notebook/team/nb"
    )
    assert field(pod, "metadata", "name") == "nb-0"


def test_user_working_dir_explicit_empty_ports_and_own_nb_prefix_are_kept() -> None:
    pod = only_pod(run(CONTROLLER / "user-values-kept.yaml"))
    first, helper = field(pod, "spec", "containers")
    assert first["workingDir"] == "/workspace"
    assert first["ports"] == []
    assert first["env"] == [{"name": "NB_PREFIX", "value": "/custom"}]
    assert helper == {"name": "helper", "image": "helper"}, "only containers[0] is touched"


# ---------------------------------------------------------------------------------------------
# §3.1 step 5: fsGroup


def test_fsgroup_100_is_added_when_the_pod_has_no_security_context() -> None:
    pod = only_pod(run(CONTROLLER / "minimal.yaml"))
    assert field(pod, "spec", "securityContext") == {"fsGroup": 100}
    line, note = where(pod, "spec", "securityContext", "fsGroup")
    assert line == 8
    assert note.startswith("injected by the notebook controller: fsGroup 100")
    # Other pod securityContext fields point at the Notebook's pod spec, with no note.
    assert where(pod, "spec", "securityContext", "runAsNonRoot") == (8, "")


def test_fsgroup_is_not_added_when_the_controller_runs_with_add_fsgroup_false() -> None:
    pod = only_pod(run(CONTROLLER / "minimal.yaml", kubeflow_add_fsgroup=False))
    assert "securityContext" not in pod.spec


def test_fsgroup_is_not_added_to_an_empty_pod_security_context() -> None:
    pod = only_pod(run(CONTROLLER / "pod-security-context-empty.yaml"))
    assert field(pod, "spec", "securityContext") == {}


def test_fsgroup_is_not_added_to_a_security_context_that_sets_only_run_as_user() -> None:
    pod = only_pod(run(CONTROLLER / "pod-security-context-run-as-user.yaml"))
    assert field(pod, "spec", "securityContext") == {"runAsUser": 1000}


# ---------------------------------------------------------------------------------------------
# §3 / §8 step 5: a stopped Notebook is still linted


def test_stopped_notebook_is_linted() -> None:
    result = run(CONTROLLER / "stopped.yaml", select={"privileged"})
    pod = only_pod(result)
    assert pod.facts["stopped"] is True
    assert brief(result.findings) == [("privileged", 15, 13)]


# ---------------------------------------------------------------------------------------------
# §2.1: CRD pruning


def test_template_metadata_is_pruned_and_reported() -> None:
    result = run(CONTROLLER / "pruned-template-metadata.yaml", select={"kubeflow"})
    pod = only_pod(result)
    assert "annotations" not in pod.metadata
    assert [(f.rule, f.line, f.column) for f in result.findings if "pruned" in f.rule] == [
        ("kubeflow-pruned-security-field", 8, 5)
    ]


def test_app_armor_fields_are_pruned_so_baseline_never_sees_them() -> None:
    result = run(
        CONTROLLER / "pruned-apparmor-field.yaml",
        select={"kubeflow-pruned-security-field", "app-armor-profile"},
    )
    pod = only_pod(result)
    assert field(pod, "spec", "securityContext") == {}
    assert field(pod, "spec", "containers", 0, "securityContext") == {}
    assert brief(result.findings) == [
        ("kubeflow-pruned-security-field", 10, 9),
        ("kubeflow-pruned-security-field", 16, 13),
    ]


def test_host_users_is_pruned_and_reported() -> None:
    result = run(CONTROLLER / "pruned-host-users.yaml", select={"kubeflow-pruned-security-field"})
    assert "hostUsers" not in only_pod(result).spec
    assert brief(result.findings) == [("kubeflow-pruned-security-field", 9, 7)]


def test_fields_outside_the_schema_are_pruned_with_an_info() -> None:
    result = run(CONTROLLER / "pruned-native-sidecar.yaml", select={"kubeflow-pruned-field"})
    pod = only_pod(result)
    assert field(pod, "spec", "initContainers", 0) == {"name": "proxy", "image": "proxy"}
    assert brief(result.findings) == [
        ("kubeflow-pruned-field", 7, 3),
        ("kubeflow-pruned-field", 13, 11),
    ]


def test_notebook_without_containers_is_refused_and_yields_no_pod() -> None:
    result = run(CONTROLLER / "invalid-no-containers.yaml", select={"kubeflow-invalid-object"})
    assert result.pods == []
    assert brief(result.findings) == [("kubeflow-invalid-object", 8, 5)]


def test_container_without_image_is_refused() -> None:
    result = run(CONTROLLER / "invalid-no-image.yaml", select={"kubeflow-invalid-object"})
    assert result.pods == []
    assert brief(result.findings) == [("kubeflow-invalid-object", 10, 11)]


# ---------------------------------------------------------------------------------------------
# nblint render


def test_render_shows_the_injected_fields() -> None:
    out = CliRunner().invoke(main, ["render", str(CONTROLLER / "minimal.yaml")])
    assert "# " + str(CONTROLLER / "minimal.yaml") + ": Notebook/nb" in out.stdout
    for line in ("workingDir: /home/jovyan", "value: /notebook/team/nb", "fsGroup: 100"):
        assert line in out.stdout
    assert "notebook-name: nb" in out.stdout


# ---------------------------------------------------------------------------------------------
# A Notebook written twice: one object, the manifest given last

WRITTEN_TWICE = FIXTURES / "kubeflow" / "written-twice"
TWICE_RULES = {"cluster-object-written-twice", "privileged", "host-namespaces"}


def said(result: Result) -> list[tuple[str, str, int, str | None]]:
    """``(rule, file name, line, profile)`` of each finding."""
    return [(f.rule, f.file.rsplit("/", 1)[-1], f.line, f.profile) for f in result.findings]


def test_a_notebook_written_twice_in_one_file_checks_the_last_and_says_so_at_the_first() -> None:
    result = run(WRITTEN_TWICE / "notebook-written-twice.yaml", select=TWICE_RULES)
    # The first manifest's privileged container is not reported: that pod never exists.
    assert said(result) == [
        ("cluster-object-written-twice", "notebook-written-twice.yaml", 7, None)
    ]
    (pod,) = result.pods
    assert pod.provenance.locate(("metadata", "name")).line == 20
    finding = result.findings[0]
    assert finding.severity == "info"
    assert finding.message.startswith("Notebook/alice of namespace team-a is written again at ")
    assert finding.message.endswith("twice.yaml:20, given last, and not this one")
    assert finding.cause is not None and finding.cause.line == 20


def test_a_notebook_written_again_in_a_later_file_is_checked_as_that_file_writes_it() -> None:
    here = WRITTEN_TWICE / "across-files"
    result = run(here / "base.yaml", here / "overlay.yaml", select=TWICE_RULES)
    assert said(result) == [
        ("cluster-object-written-twice", "base.yaml", 6, None),
        ("host-namespaces", "overlay.yaml", 9, None),
    ]
    assert [p.file.rsplit("/", 1)[-1] for p in result.pods] == ["overlay.yaml"]
    # Given the other way round, the base is the one applied last.
    result = run(here / "overlay.yaml", here / "base.yaml", select=TWICE_RULES)
    assert said(result) == [("cluster-object-written-twice", "overlay.yaml", 4, None)]


def test_a_notebook_written_twice_alike_is_one_pod_and_nothing_to_say() -> None:
    result = run(WRITTEN_TWICE / "notebook-written-twice-same-spec.yaml", select=TWICE_RULES)
    assert said(result) == [("privileged", "notebook-written-twice-same-spec.yaml", 26, None)]
    assert len(result.pods) == 1


def test_notebooks_named_by_placeholders_are_not_claimed_to_be_one() -> None:
    fixture = WRITTEN_TWICE / "notebook-placeholder-names-not-written-twice.yaml"
    result = run(fixture, select=TWICE_RULES)
    name = fixture.name
    assert said(result) == [
        ("privileged", name, 15, None),
        ("privileged", name, 28, None),
        ("privileged", name, 41, None),
        ("privileged", name, 54, None),
    ]
    assert len(result.pods) == 4


def test_a_notebook_in_a_context_file_yields_no_pod() -> None:
    # --poddefaults stands for what the cluster holds: a Notebook there is neither checked nor
    # taken to be replaced by an input of its name.
    here = WRITTEN_TWICE / "across-files"
    result = run(here / "overlay.yaml", poddefaults=[here / "base.yaml"], select=TWICE_RULES)
    assert said(result) == [("host-namespaces", "overlay.yaml", 9, None)]
    assert len(result.pods) == 1


def test_beyond_the_keep_budget_files_are_parsed_again_and_say_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The first phase keeps the documents it parsed only up to KEEP_BUDGET characters; the
    # files beyond it are parsed again in the second phase (memory stays bounded), and the
    # Notebooks' index entries then hold a digest, not the tree.
    from nblint.run import pipeline

    here = WRITTEN_TWICE / "across-files"
    cases = [
        ((WRITTEN_TWICE / "notebook-written-twice.yaml",), {}),
        ((WRITTEN_TWICE / "notebook-written-twice-same-spec.yaml",), {}),
        ((here / "base.yaml", here / "overlay.yaml"), {}),
        ((FIXTURES / "kubeflow" / "poddefaults" / "written-twice.yaml",), {}),
    ]
    kept = [said(run(*paths, **options)) for paths, options in cases]
    monkeypatch.setattr(pipeline, "KEEP_BUDGET", 0)
    assert [said(run(*paths, **options)) for paths, options in cases] == kept
