"""Which Kubeflow distribution builds a Notebook's pod (issue 16): OpenShift AI / Open Data Hub
workbenches (``opendatahub.io`` annotations or labels, or ``--kubeflow-distribution``) come from
a controller with ``ADD_FSGROUP=false`` and no Istio, on OpenShift, whose ``restricted-v2`` SCC
assigns ``fsGroup`` and ``runAsUser`` from the namespace's range; the notes say which platform
was assumed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import FIXTURES, only_pod, run

from nblint.cli import main
from nblint.dialects.kubeflow.notebook import OPENSHIFT_RANGE_START

DISTRIBUTION = FIXTURES / "kubeflow" / "distribution"


#: What OpenShift's restricted-v2 SCC sets in a pod that leaves it all unset.
SCC_POD = {"fsGroup": OPENSHIFT_RANGE_START, "seccompProfile": {"type": "RuntimeDefault"}}
SCC_CONTAINER = {
    "runAsUser": OPENSHIFT_RANGE_START,
    "runAsNonRoot": True,
    "allowPrivilegeEscalation": False,
    "capabilities": {"drop": ["ALL"]},
}


def test_an_openshift_ai_workbench_gets_its_uid_and_fs_group_from_the_scc() -> None:
    pod = only_pod(run(DISTRIBUTION / "odh-workbench.yaml"))
    assert pod.facts["kubeflow_distribution"] == "openshift-ai"
    assert pod.spec["securityContext"] == SCC_POD
    assert pod.spec["containers"][0]["securityContext"] == SCC_CONTAINER
    origin = pod.provenance.locate(("spec", "securityContext", "fsGroup"))
    assert origin.line == 15
    assert "OpenShift's restricted-v2 SCC" in origin.note
    assert (
        "assumed: OpenShift AI / Open Data Hub, from its notebooks.opendatahub.io/" in origin.note
    )


def test_an_openshift_ai_workbench_has_no_istio_and_needs_no_run_as_user() -> None:
    rules = {"istio-init-restricted", "notebook-run-as-user", "notebook-home-writable"}
    assert run(DISTRIBUTION / "odh-workbench.yaml", select=rules).findings == []
    plain = run(DISTRIBUTION / "plain-notebook.yaml", select=rules)
    assert sorted((f.rule, f.line) for f in plain.findings) == [
        ("istio-init-restricted", 4),
        ("notebook-run-as-user", 11),
    ]


def test_the_upstream_fs_group_note_names_the_assumption() -> None:
    pod = only_pod(run(DISTRIBUTION / "plain-notebook.yaml"))
    assert pod.spec["securityContext"] == {"fsGroup": 100}
    note = pod.provenance.locate(("spec", "securityContext", "fsGroup")).note
    assert "assumed: upstream Kubeflow (--kubeflow-distribution to say otherwise)" in note


def test_the_distribution_option_says_what_the_object_does_not() -> None:
    pod = only_pod(run(DISTRIBUTION / "plain-notebook.yaml", kubeflow_distribution="openshift-ai"))
    assert pod.spec["securityContext"] == SCC_POD
    note = pod.provenance.locate(("spec", "securityContext", "fsGroup")).note
    assert "as --kubeflow-distribution says" in note
    upstream = only_pod(run(DISTRIBUTION / "odh-workbench.yaml", kubeflow_distribution="kubeflow"))
    assert upstream.spec["securityContext"] == {"fsGroup": 100}


def test_add_fsgroup_given_wins_over_the_distribution() -> None:
    pod = only_pod(run(DISTRIBUTION / "odh-workbench.yaml", kubeflow_add_fsgroup=True))
    assert pod.spec["securityContext"] == {**SCC_POD, "fsGroup": 100}


def test_an_empty_image_is_an_invalid_object_not_an_unpinned_image() -> None:
    result = run(DISTRIBUTION / "empty-image.yaml")
    assert [(f.rule, f.line) for f in result.findings if f.rule != "culling-not-visible"] == [
        ("kubeflow-invalid-object", 12)
    ]
    assert result.pod_count == 0


def test_the_scc_sets_what_restricted_needs_including_run_as_non_root() -> None:
    # restricted-v2 defaults allowPrivilegeEscalation to false, drops ALL capabilities and sets
    # the runtime/default seccomp profile where the pod leaves them unset (its description: "It
    # will also default the seccomp profile to runtime/default if unset"); after assigning a uid
    # from the namespace's range (> 0) it also sets runAsNonRoot: true "to more easily satisfy
    # the requirements of upstream PodSecurity admission restricted" (apiserver-library-go
    # sccmatching provider.go, mutateContainer). So PSA restricted has nothing left to ask.
    result = run(DISTRIBUTION / "odh-workbench.yaml", select={"psa-restricted"})
    assert result.findings == []
    pod = only_pod(result)
    for field in ("allowPrivilegeEscalation", "runAsNonRoot"):
        note = pod.provenance.locate(("spec", "containers", 0, "securityContext", field)).note
        assert "set by OpenShift's restricted-v2 SCC" in note


def test_a_clean_dashboard_workbench_has_no_run_as_non_root_error() -> None:
    # ft6/b defect 1: the only PSA error on a clean dashboard-created workbench was false.
    fixture = DISTRIBUTION / "odh-dashboard-workbench-scc-runasnonroot.yaml"
    result = run(fixture, select={"psa-restricted", "psa-baseline"})
    assert result.findings == []
    context = only_pod(result).spec["containers"][0]["securityContext"]
    assert context["runAsNonRoot"] is True
    assert context["runAsUser"] == OPENSHIFT_RANGE_START


def test_the_scc_leaves_run_as_non_root_to_a_pod_that_says_it() -> None:
    # runAsNonRoot on the pod: the SCC reads the effective value and sets nothing where the pod
    # decided (runAsNonRoot: false stays false, and is reported). (A pod's own uid 0 used to be
    # the example: restricted-v2 refuses it, field test 10b A8.)
    pod = only_pod(run(DISTRIBUTION / "odh-workbench-says-may-run-as-root.yaml"))
    context = pod.spec["containers"][0]["securityContext"]
    assert "runAsNonRoot" not in context
    assert context["runAsUser"] == 1000680000


def test_what_the_scc_forbids_is_its_refusal_and_no_pod() -> None:
    # A workbench that asks for escalation or an added capability: the SCC refuses it rather
    # than change it, so no pod is created (none is modelled, whatever its PSA findings would
    # be) and the refusal is said at each field to edit (field test 8b).
    result = run(DISTRIBUTION / "odh-workbench-asks-for-more.yaml")
    assert result.pods == []
    assert sorted((f.rule, f.line, f.column) for f in result.findings if f.severity != "info") == [
        ("openshift-scc-refused", 20, 21),
        ("openshift-scc-refused", 21, 13),
    ]
    capability = next(f for f in result.findings if f.line == 20)
    assert capability.message.startswith(
        "OpenShift's restricted-v2 SCC refuses the pod of Notebook/more: container more adds "
        "capability SYS_PTRACE (the SCC allows only NET_BIND_SERVICE); its StatefulSet cannot "
        "create the pod (FailedCreate"
    )
    assert capability.assumption is not None and "restricted-v2" in capability.assumption


def test_the_scc_refuses_privilege_host_paths_and_host_ports_whatever_the_psa_labels() -> None:
    result = run(DISTRIBUTION / "odh-workbench-privileged-hostpath.yaml")
    assert result.pods == []
    refused = [f for f in result.findings if f.rule == "openshift-scc-refused"]
    # privileged, the host port, the hostPath volume; not NET_BIND_SERVICE, not the PVC.
    assert [(f.line, f.column) for f in refused] == [(24, 13), (26, 41), (32, 11)]
    assert [f.message.split(": ", 1)[1].split(";")[0] for f in refused] == [
        "container wb is privileged (the SCC allows no privileged container)",
        "container wb asks for host port 8080 (the SCC allows none)",
        "volume host is a hostPath volume (the SCC allows only configMap, csi, downwardAPI, "
        "emptyDir, ephemeral, persistentVolumeClaim, projected, secret)",
    ]
    assert {f.applicability for f in refused} == {"display-only"}
    # The namespace's PSA labels (privileged) do not admit what the SCC refuses.
    assert not [f for f in result.findings if f.group.startswith("psa")]


def _fixed(tmp_path: Path, fixture: str) -> tuple[str, dict[str, Any]]:
    """``fixture`` after ``nblint fix --unsafe-fixes``: its text, and the Notebook's pod spec."""
    copy = tmp_path / fixture
    shutil.copy(DISTRIBUTION / fixture, copy)
    outcome = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(copy)])
    assert outcome.exit_code in (0, 1), outcome.output
    text = copy.read_text()
    return text, yaml.safe_load(text)["spec"]["template"]["spec"]


def test_an_openshift_ai_workbench_is_fixed_without_a_uid_or_fs_group_of_nblints(
    tmp_path: Path,
) -> None:
    # restricted-v2 refuses a uid or fsGroup outside the namespace's range: no hint writes
    # one (run-as-non-root is no longer found: the SCC sets it), and the fixed workbench passes.
    text, spec = _fixed(tmp_path, "odh-workbench.yaml")
    assert "runAsUser" not in text
    assert "fsGroup" not in (spec.get("securityContext") or {})
    after = run(tmp_path / "odh-workbench.yaml", select={"psa-restricted"})
    assert after.findings == []


def test_an_openshift_ai_workbench_asking_for_root_is_refused_by_the_scc() -> None:
    # runAsUser: 0 is in no namespace's range: restricted-v2 refuses the pod (field test 10b A8),
    # so the refusal is the one finding at the uid (was run-as-user and notebook-no-sudo on a
    # pod that is never created), and its hint removes the uid rather than pick one.
    result = run(DISTRIBUTION / "odh-workbench-runs-as-root.yaml")
    assert result.pods == []
    assert [(f.rule, f.line, f.column) for f in result.findings if f.severity != "info"] == [
        ("openshift-scc-refused", 19, 13)
    ]
    [refused] = [f for f in result.findings if f.rule == "openshift-scc-refused"]
    assert "container root-workbench runs as root (runAsUser: 0" in refused.message
    assert "remove this field" in (refused.fix or "")


def test_the_scc_refuses_root_and_any_seccomp_profile_but_runtime_default() -> None:
    """Field test 10b A8: restricted-v2's MustRunAsRange/MustRunAs hold uid and fsGroup to the
    namespace's range (0 is in none) and its only seccomp profile is runtime/default; the pod is
    never created, whatever its PSA labels, so the PSA rules (run-as-user, seccomp) are silent:
    one finding per field to edit."""
    result = run(DISTRIBUTION / "odh-workbench-root-and-unconfined.yaml")
    assert result.pods == []
    refused = [f for f in result.findings if f.rule == "openshift-scc-refused"]
    assert [(f.line, f.column) for f in refused] == [(14, 9), (15, 9), (16, 26), (23, 13), (24, 30)]
    assert [f.message.split(": ", 1)[1].split("; its")[0] for f in refused] == [
        "the pod's containers run as root (runAsUser: 0; the SCC allows only ids of the "
        "namespace's range, from 1000000000 up)",
        "the pod sets fsGroup: 0 (the SCC allows only ids of the namespace's range, from "
        "1000000000 up)",
        "the pod asks for the seccomp profile Unconfined (the SCC allows only runtime/default)",
        "container helper runs as root (runAsUser: 0; the SCC allows only ids of the "
        "namespace's range, from 1000000000 up)",
        "container helper asks for the seccomp profile Localhost (the SCC allows only "
        "runtime/default)",
    ]
    assert [f for f in result.findings if f.severity != "info"] == refused


def test_culling_on_openshift_ai_points_at_its_culler_config_map() -> None:
    """Field test 10b A16: OpenShift AI's controller reads ENABLE_CULLING and the rest from the
    ConfigMap notebook-controller-culler-config its dashboard writes, not from a kubeflow
    namespace's params.env; an upstream Notebook keeps the controller's environment."""
    [odh] = [
        f
        for f in run(DISTRIBUTION / "odh-workbench-runs-as-root.yaml").findings
        if f.rule == "culling-not-visible"
    ]
    assert "Stop idle workbenches" in odh.message
    assert "name: notebook-controller-culler-config" in (odh.fix or "")
    assert "namespace: redhat-ods-applications" in (odh.fix or "")
    assert "params.env" not in (odh.fix or "")
    [upstream] = [
        f
        for f in run(
            DISTRIBUTION / "odh-workbench-runs-as-root.yaml", kubeflow_distribution="kubeflow"
        ).findings
        if f.rule == "culling-not-visible"
    ]
    assert "params.env" in (upstream.fix or "")


def test_a_workbench_whose_service_account_may_use_anyuid_is_not_judged_by_restricted_v2() -> None:
    result = run(DISTRIBUTION / "odh-workbench-anyuid.yaml")
    assert len(result.pods) == 1
    found = result.findings
    assert [(f.rule, f.line, f.column) for f in found if f.rule.startswith("openshift")] == [
        ("openshift-scc-other", 21, 5)
    ]
    (other,) = [f for f in found if f.rule == "openshift-scc-other"]
    assert other.severity == "info"
    assert "RoleBinding/root-workbench-anyuid" in other.message and "SCC anyuid" in other.message
    # Judged as written: root is run-as-user's, with the usual (not OpenShift AI's) hint.
    (root,) = [f for f in found if f.rule == "run-as-user"]
    assert root.line == 27
    assert root.fix is not None and "restricted-v2" not in root.fix


def test_a_workbench_an_sccs_users_name_is_not_judged_by_restricted_v2() -> None:
    result = run(DISTRIBUTION / "odh-workbench-scc-users.yaml")
    assert len(result.pods) == 1
    found = result.findings
    assert [(f.rule, f.line, f.column) for f in found if f.rule.startswith("openshift")] == [
        ("openshift-scc-other", 20, 5)
    ]
    (other,) = [f for f in found if f.rule == "openshift-scc-other"]
    assert (
        "SecurityContextConstraints/workbench-root lists "
        "system:serviceaccount:ds-project:root-workbench in its users"
    ) in other.message
    (root,) = [f for f in found if f.rule == "run-as-user"]
    assert root.line == 26


def test_a_workbench_granted_anyuid_gets_no_range_check() -> None:
    found = run(DISTRIBUTION / "odh-workbench-anyuid-uid-1000.yaml").findings
    rules = [f.rule for f in found]
    assert "openshift-scc-other" in rules
    # uid 1000 is in no namespace's range, but anyuid allows it.
    assert "openshift-scc-range" not in rules and "openshift-scc-refused" not in rules
