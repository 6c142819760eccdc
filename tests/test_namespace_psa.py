"""Pod Security Admission as each pod's namespace enforces it (namespace-admission.md §1).

One fixture per case in ``fixtures/namespace/``: a Namespace (or an AdmissionConfiguration) and
the pods it admits, in one small multi-document file. Each test asserts the exact findings: rule,
line, severity, the PSA mode that found it and the line of the label (or configuration) that
caused it. The upstream conformance fixtures, run under namespace labels, give the same verdicts
as with ``--psa-level``/``--psa-version``.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, only_pod, report_across_jobs, run

from nblint.model.finding import Finding
from nblint.model.rule import PsaPolicy, parse_version
from nblint.run.pipeline import Options, Runner, context_files

NS = FIXTURES / "namespace"
PSA_ONLY = {"psa-baseline", "psa-restricted", "namespace"}


def judged(findings: list[Finding]) -> list[tuple[str, int, str, str | None, int | None]]:
    """``(rule, line, severity, PSA mode, line of the cause)`` of each finding."""
    return [
        (
            f.rule,
            f.line,
            f.severity,
            f.psa.mode if f.psa else None,
            f.cause.line if f.cause else None,
        )
        for f in findings
    ]


def test_enforce_baseline_rejects_a_privileged_pod_at_the_label_it_names() -> None:
    found = run(NS / "psa-enforce-baseline-privileged-pod.yaml", select=PSA_ONLY).findings
    # warn follows enforce (baseline): no restricted-only finding at all.
    assert judged(found) == [("privileged", 18, "error", "enforce", 6)]
    finding = found[0]
    assert finding.message == (
        "container notebook is privileged — namespace team-a enforces PodSecurity "
        '"baseline:latest": the pod is rejected'
    )
    assert finding.cause is not None
    assert (finding.cause.object, finding.cause.detail) == (
        "Namespace/team-a",
        "label pod-security.kubernetes.io/enforce: baseline",
    )
    assert finding.psa is not None and finding.psa.as_dict() == {
        "check": "privileged",
        "level": "baseline",
        "version": "v1.37",
        "mode": "enforce",
    }


def test_the_namespace_decides_whatever_psa_level_says() -> None:
    at_baseline = run(
        NS / "psa-deployment-enforce-restricted.yaml", level="baseline", select=PSA_ONLY
    )
    assert {f.rule for f in at_baseline.findings} == {
        "allow-privilege-escalation",
        "capabilities-restricted",
        "run-as-non-root",
        "seccomp-profile-restricted",
    }


def test_warn_level_violations_are_warnings_and_a_pinned_audit_version_is_honoured() -> None:
    found = run(NS / "psa-warn-restricted-only.yaml", select=PSA_ONLY).findings
    # audit restricted:v1.21 did not yet require drop: [ALL], so only warn reports it.
    assert judged(found) == [("capabilities-restricted", 23, "warning", "warn", 7)]
    assert found[0].message.endswith(
        'namespace team-a warns at PodSecurity "restricted:latest": the client that creates the '
        "pod gets the warning; the pod is not rejected for it"
    )


WARN_BY_CLASS = NS / "warn-by-class"
#: What a warn failure says when the API server sends no warning: the pod is rejected.
NOT_SENT = (
    'namespace team warns at PodSecurity "restricted:latest": no warning is sent while enforce '
    "rejects the pod (the API server warns only about a pod it admits)"
)


def test_a_pod_that_enforce_rejects_gets_no_warning_and_one_finding_per_problem() -> None:
    """PodSecurity warns only about a pod it admits: the restricted violations of a bare Pod
    that baseline rejects are real, but no client is warned of them. NET_RAW fails baseline
    (enforce) and restricted (warn) at the same field: one problem, one finding, the error."""
    found = run(
        WARN_BY_CLASS / "rejected-pod.yaml", WARN_BY_CLASS / "namespace.yaml", select=PSA_ONLY
    ).findings
    assert [(f.rule, f.line, f.column, f.severity, f.psa and f.psa.mode) for f in found] == [
        ("allow-privilege-escalation", 10, 5, "warning", "warn"),
        ("run-as-non-root", 10, 5, "warning", "warn"),
        ("seccomp-profile-restricted", 10, 5, "warning", "warn"),
        ("capabilities-restricted", 11, 7, "warning", "warn"),
        ("capabilities-baseline", 11, 28, "error", "enforce"),
    ]
    assert all(f.message.endswith(NOT_SENT) for f in found if f.severity == "warning")


def test_a_workload_is_warned_when_it_is_applied_whatever_enforce_does_to_its_pods() -> None:
    """A Deployment's template is evaluated for warn when it is applied (never for enforce):
    kubectl gets that warning even though baseline rejects its pods. Unconfined seccomp and the
    hostPath fail baseline and restricted at the same place: each is one finding, the error
    (restricted-volumes fails at the volume's hostPath, baseline at its path)."""
    found = run(
        WARN_BY_CLASS / "deployment.yaml", WARN_BY_CLASS / "namespace.yaml", select=PSA_ONLY
    ).findings
    assert [(f.rule, f.line, f.column, f.severity) for f in found] == [
        ("seccomp-profile-baseline", 14, 26, "error"),
        ("seccomp-profile-restricted", 18, 9, "warning"),
        ("host-path-volumes", 23, 20, "error"),
    ]
    assert found[1].message.endswith(
        'namespace team warns at PodSecurity "restricted:latest": applying Deployment/web '
        "returns the warning; nothing is rejected for it"
    )


def test_a_notebook_is_warned_to_the_controllers_that_create_its_pod() -> None:
    found = run(
        WARN_BY_CLASS / "notebook.yaml", WARN_BY_CLASS / "namespace.yaml", select=PSA_ONLY
    ).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("seccomp-profile-restricted", 12, "warning")
    ]
    assert found[0].message.endswith(
        'namespace team warns at PodSecurity "restricted:latest": the warning goes to the '
        "controllers that create its StatefulSet and pod, not to the client that applies "
        "Notebook/alice; nothing is rejected for it"
    )


def test_a_spawned_pod_is_warned_to_the_hub() -> None:
    found = run(
        WARN_BY_CLASS / "values.yaml",
        WARN_BY_CLASS / "namespace.yaml",
        select=PSA_ONLY,
        namespace="team",
    ).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("capabilities-restricted", 11, "warning"),
        ("run-as-non-root", 11, "warning"),
        ("seccomp-profile-restricted", 11, "warning"),
    ]
    assert all(
        f.message.endswith(
            'namespace team warns at PodSecurity "restricted:latest": the hub, which creates '
            "the pod, gets the warning; the spawn does not fail for it"
        )
        for f in found
    )


def test_a_warn_level_below_enforce_repeats_nothing_enforce_rejects() -> None:
    """Enforce restricted, warn baseline: every baseline failure is a restricted one at the same
    place (the restricted check replaces the baseline one), so warn adds no finding."""
    found = run(WARN_BY_CLASS / "enforce-restricted-warn-baseline.yaml", select=PSA_ONLY).findings
    assert {f.psa.mode for f in found if f.psa} == {"enforce"}
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("seccomp-profile-restricted", 16, 22),
        ("allow-privilege-escalation", 20, 5),
        ("run-as-non-root", 20, 5),
        ("seccomp-profile-restricted", 20, 5),
        ("capabilities-restricted", 21, 7),
        ("capabilities-restricted", 21, 28),
        ("restricted-volumes", 24, 5),
    ]


def test_audit_level_violations_are_info() -> None:
    found = run(NS / "psa-audit-only.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("host-namespaces", 14, "info", "audit", 6)]


def test_a_pinned_enforce_version_is_evaluated_at_that_version_and_warn_follows_it() -> None:
    # restricted:v1.21 needs no drop: [ALL]; warn follows enforce with its version, so it is
    # not reported at latest either.
    assert run(NS / "psa-enforce-pinned-version-warn-follows.yaml", select=PSA_ONLY).findings == []


def test_an_invalid_enforce_label_is_an_error_and_enforces_restricted() -> None:
    found = run(NS / "psa-invalid-enforce-label-fails-closed.yaml", select=PSA_ONLY).findings
    assert judged(found) == [
        ("ns-psa-invalid-label", 6, "error", None, None),
        ("ns-psa-invalid-label", 7, "error", None, None),
        ("allow-privilege-escalation", 16, "error", "enforce", 6),
        ("capabilities-restricted", 16, "error", "enforce", 6),
        ("run-as-non-root", 16, "error", "enforce", 6),
        ("seccomp-profile-restricted", 16, "error", "enforce", 6),
    ]
    assert found[0].message == (
        'Namespace create is rejected: pod-security.kubernetes.io/enforce: "Baseline" must be '
        "one of privileged, baseline, restricted (an existing namespace with this label enforces "
        "restricted)"
    )
    assert found[0].object == "Namespace/team-a"


def test_a_version_newer_than_nblint_knows_is_evaluated_as_the_newest() -> None:
    found = run(NS / "psa-version-future.yaml", select=PSA_ONLY).findings
    assert judged(found) == [
        ("ns-psa-version-future", 7, "info", None, None),
        ("host-namespaces", 15, "error", "enforce", 6),
    ]
    assert found[1].psa is not None and found[1].psa.version == "v1.37"


def test_a_workload_is_applied_but_its_controller_cannot_create_the_pod() -> None:
    found = run(NS / "psa-deployment-enforce-restricted.yaml", select={"run-as-non-root"})
    [finding] = found.findings
    assert (finding.rule, finding.line, finding.severity) == ("run-as-non-root", 19, "error")
    assert finding.message.endswith(
        "Deployment/web is applied, but its ReplicaSet cannot create its pod (FailedCreate)"
    )


def test_a_notebook_is_judged_by_its_namespace() -> None:
    found = run(NS / "notebook-in-labelled-namespace.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("capabilities-baseline", 21, "error", "enforce", 6)]
    assert found[0].message.endswith(
        "Notebook/alice is applied, but its StatefulSet cannot create its pod (FailedCreate)"
    )


def test_a_privileged_namespace_checks_no_psa() -> None:
    assert run(NS / "psa-privileged-namespace.yaml", select=PSA_ONLY).findings == []


def test_a_namespace_without_level_labels_is_checked_at_psa_level_and_says_so() -> None:
    # Its policy is the cluster's defaults, which only an AdmissionConfiguration says (the
    # built-in one, privileged, admits everything, but many clusters set their own): not known,
    # so the pod is checked at --psa-level, and an info at the pod says why.
    found = run(NS / "namespace-without-labels.yaml", select=PSA_ONLY).findings
    assert judged(found) == [
        ("ns-unknown-namespace", 4, "info", None, None),
        ("allow-privilege-escalation", 15, "error", None, None),
        ("capabilities-restricted", 15, "error", None, None),
        ("run-as-non-root", 15, "error", None, None),
        ("seccomp-profile-restricted", 15, "error", None, None),
        ("privileged", 16, "error", None, None),
    ]
    # At the Namespace (where the label goes), not at the pod's namespace line.
    assert found[0].file == str(NS / "namespace-without-labels.yaml")
    assert found[0].message == (
        "namespace team-a sets no pod-security.kubernetes.io level label: the cluster's "
        "PodSecurity defaults decide, which only the API server's AdmissionConfiguration says "
        "(give it with --admission-config; a cluster without one admits every pod, as "
        "privileged). PSA is checked at --psa-level/--psa-version (restricted:v1.37) for the "
        "pods in it; label the namespace to say which level it enforces"
    )
    # The Namespace is given: the hint labels it (not "give the Namespace manifest, name the
    # namespace or give --namespace", field test 7b).
    assert found[0].fix == (
        "# Namespace team-a: the level it enforces\n"
        "metadata:\n"
        "  labels:\n"
        "    pod-security.kubernetes.io/enforce: restricted"
    )


def test_a_namespace_without_level_labels_is_said_once_for_all_its_pods() -> None:
    # Field test 9b N5: one unlabelled Namespace gave the same info once per Notebook, each at
    # its namespace line; the edit is one label on the Namespace, where the finding now folds.
    from nblint.model.fold import fold

    found = run(NS / "namespace-without-labels-two-notebooks.yaml").findings
    unknown = [f for f in found if f.rule == "ns-unknown-namespace"]
    assert [(f.line, f.column, f.object) for f in unknown] == [
        (6, 3, "Notebook/alice"),
        (6, 3, "Notebook/bob"),
    ]
    [problem] = fold(unknown)
    assert problem.message == unknown[0].message == unknown[1].message


def test_a_namespace_without_a_manifest_is_said_once_for_the_workloads_of_all_files() -> None:
    # Field test 14c D6: one missing Namespace manifest is one edit (give it), however many
    # files hold workloads in that namespace: one problem, at the first, naming the others.
    from nblint.model.fold import fold

    here = NS / "unknown-namespace-many-files"
    found = run(*sorted(here.glob("*.yaml")), select={"namespace"}).findings
    assert [(f.rule, Path(f.file).name, f.line) for f in found] == [
        ("ns-unknown-namespace", "pod-a.yaml", 5),
        ("ns-unknown-namespace", "pod-b.yaml", 5),
    ]
    [problem] = fold(found)
    assert (Path(problem.file).name, problem.line, problem.column) == ("pod-a.yaml", 5, 3)
    assert problem.message == (
        "namespace team-x has no Namespace manifest among the inputs or --cluster-context: PSA "
        "is checked at --psa-level/--psa-version (restricted:v1.37) (said once for every "
        f"workload in it; 1 more: Pod/b at {here / 'pod-b.yaml'}:5)"
    )


def test_a_namespace_without_labels_gets_the_defaults_of_the_admission_config_given(
    tmp_path: Path,
) -> None:
    # An AdmissionConfiguration without PodSecurity: the API server's built-in defaults
    # (privileged) are then known to apply; the configuration itself is said once.
    admission = tmp_path / "admission.yaml"
    admission.write_text(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\n"
        "plugins:\n  - name: ResourceQuota\n    configuration: {}\n"
    )
    found = run(NS / "namespace-without-labels.yaml", admission=admission, select=PSA_ONLY)
    assert [f.rule for f in found.findings] == ["admission-config-invalid"]


def test_a_pod_of_an_undescribed_namespace_is_checked_at_psa_level_and_says_so() -> None:
    found = run(NS / "psa-pod-in-other-namespace.yaml", select=PSA_ONLY).findings
    assert judged(found)[0] == ("ns-unknown-namespace", 12, "info", None, None)
    assert found[0].message == (
        "namespace team-b has no Namespace manifest among the inputs or --cluster-context: PSA "
        "is checked at --psa-level/--psa-version (restricted:v1.37)"
    )
    # today's behaviour for that pod: the CLI's level, no mode, no cause
    assert {(f.rule, f.psa.mode if f.psa else None) for f in found[1:]} == {
        ("allow-privilege-escalation", None),
        ("capabilities-restricted", None),
        ("run-as-non-root", None),
        ("seccomp-profile-restricted", None),
        ("privileged", None),
    }


def test_a_namespace_written_twice_with_other_psa_labels_is_not_guessed() -> None:
    # A kustomize base and an overlay, or two overlays: which Namespace the cluster holds depends
    # on the order they are applied. Neither is taken as fact: the pod is checked at --psa-level
    # (restricted) and an info says why, naming the other manifest as its cause — at that
    # manifest, the edit every pod of the namespace shares (one finding for them all).
    found = run(NS / "namespace-written-twice-psa-differs.yaml", select=PSA_ONLY).findings
    assert judged(found)[0] == ("ns-unknown-namespace", 14, "info", None, 14)
    assert found[0].message.startswith(
        "namespace team-a has two Namespace manifests among the inputs whose PodSecurity labels "
        "differ (pod-security.kubernetes.io/enforce: privileged at "
    )
    assert "pod-security.kubernetes.io/enforce: baseline at " in found[0].message
    assert {(f.rule, f.line, f.psa.mode if f.psa else None) for f in found[1:]} == {
        ("privileged", 28, None),
        ("allow-privilege-escalation", 27, None),
        ("capabilities-restricted", 27, None),
        ("run-as-non-root", 27, None),
        ("seccomp-profile-restricted", 27, None),
    }


def test_a_namespace_written_twice_with_the_same_psa_labels_is_judged_by_them() -> None:
    found = run(NS / "namespace-written-twice-same-psa.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 28, "error", "enforce", 8)]


def test_a_namespace_input_replaces_the_cluster_context_one_whatever_the_order() -> None:
    # What is applied replaces what the cluster holds: no conflict, the input's labels decide.
    here = NS / "written-twice"
    found = run(
        here / "namespace.yaml", cluster=[here / "cluster-namespace.yaml"], select=PSA_ONLY
    ).findings
    assert judged(found) == [("privileged", 19, "error", "enforce", 7)]


def test_without_namespace_objects_nothing_changes(tmp_path: Path) -> None:
    pod = tmp_path / "pod.yaml"
    text = (NS / "psa-enforce-baseline-privileged-pod.yaml").read_text().split("---\n", 1)[1]
    pod.write_text(text)
    found = run(pod, select=PSA_ONLY).findings
    assert [f.rule for f in found] == [
        "allow-privilege-escalation",
        "capabilities-restricted",
        "run-as-non-root",
        "seccomp-profile-restricted",
        "privileged",
    ]
    assert all(f.cause is None and f.psa and f.psa.mode is None for f in found)


# ---------------------------------------------------------------------------------------------
# The API server's PodSecurity configuration


def test_exempt_namespace_and_runtime_class_skip_psa_and_the_default_applies_elsewhere() -> None:
    found = run(
        NS / "exempt-namespace-and-runtime-class.yaml",
        admission=NS / "admission-config-exempt.yaml",
        select=PSA_ONLY,
    ).findings
    assert judged(found) == [
        ("ns-psa-exempt", 17, "info", None, 12),
        ("ns-psa-exempt", 28, "info", None, 13),
        ("allow-privilege-escalation", 39, "error", "enforce", 9),
        ("capabilities-restricted", 39, "error", "enforce", 9),
        ("run-as-non-root", 39, "error", "enforce", 9),
        ("seccomp-profile-restricted", 39, "error", "enforce", 9),
        ("privileged", 39, "error", "enforce", 9),
    ]
    assert found[0].cause is not None
    assert found[0].cause.file == str(NS / "admission-config-exempt.yaml")
    assert found[2].cause is not None
    assert found[2].cause.detail == "the AdmissionConfiguration default enforce: restricted"


def test_labels_on_an_exempt_namespace_are_ignored(tmp_path: Path) -> None:
    namespace = tmp_path / "namespace.yaml"
    namespace.write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jhub-system\n  labels:\n"
        "    pod-security.kubernetes.io/enforce: baseline\n"
    )
    found = run(namespace, admission=NS / "admission-config-exempt.yaml").findings
    assert judged(found) == [("ns-psa-exempt-labels-ignored", 6, "warning", None, 12)]


def test_an_invalid_admission_configuration_is_reported_where_it_is_wrong() -> None:
    found = run(
        NS / "namespace-without-labels.yaml",
        admission=NS / "admission-config-invalid.yaml",
        select=PSA_ONLY,
    ).findings
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("admission-config-invalid", 9, 9),
        ("admission-config-invalid", 10, 9),
        ("admission-config-invalid", 12, 22),
        ("admission-config-invalid", 12, 34),
        ("admission-config-invalid", 13, 7),
    ]
    # what it could not read is ignored: the built-in default (privileged) applies
    assert all(f.file == str(NS / "admission-config-invalid.yaml") for f in found)


def test_an_admission_configuration_may_keep_podsecurity_in_a_file_of_its_own() -> None:
    found = run(
        NS / "namespace-without-labels.yaml",
        admission=NS / "admission-by-path" / "admission.yaml",
        select=PSA_ONLY,
    ).findings
    assert judged(found) == [("privileged", 16, "error", "enforce", 4)]
    assert found[0].cause is not None
    assert found[0].cause.file == str(NS / "admission-by-path" / "podsecurity.yaml")


OTHER_PLUGINS = NS / "admission-other-plugins"


@pytest.mark.parametrize("given", ["admission", "cluster"])
def test_other_admission_plugins_files_are_not_read(given: str) -> None:
    """An AdmissionConfiguration whose other plugins (EventRateLimit, ImagePolicyWebhook) name
    files on the API server's host: PodSecurity reads only its own entry, so those files are no
    input (no unreadable-file error); its own `path:` is still read, relative to the
    configuration's directory. The same whether the file is given with --admission-config or
    sits in a --cluster-context directory."""
    where: dict[str, Any] = (
        {"admission": OTHER_PLUGINS / "admission.yaml"}
        if given == "admission"
        else {"cluster": [OTHER_PLUGINS]}
    )
    found = run(NS / "namespace-without-labels.yaml", select=PSA_ONLY, **where).findings
    assert judged(found) == [("privileged", 16, "error", "enforce", 4)]
    assert found[0].cause is not None
    assert found[0].cause.file == str(OTHER_PLUGINS / "podsecurity.yaml")


def test_the_podsecurity_path_that_cannot_be_read_is_still_an_error(tmp_path: Path) -> None:
    admission = tmp_path / "admission.yaml"
    admission.write_text(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n"
        "  - name: EventRateLimit\n    path: eventconfig.yaml\n"
        "  - name: PodSecurity\n    path: podsecurity.yaml\n"
    )
    found = run(NS / "namespace-without-labels.yaml", admission=admission, select=PSA_ONLY)
    unreadable = [f for f in found.findings if f.rule == "unreadable-file"]
    assert [f.file for f in unreadable] == [str(tmp_path / "podsecurity.yaml")]


# ---------------------------------------------------------------------------------------------
# Upstream conformance fixtures under namespace labels

PSA = FIXTURES / "psa"
PSA_ALL = FIXTURES / "psa-all"
SELECT = {"psa-baseline", "psa-restricted", "nblint"}


@cache
def _labelled(tmp: str, level: str, version: str) -> Runner:
    """A run whose pods (naming no namespace) land in a Namespace labelled ``level:version``;
    its --psa-level/--psa-version say something else, to show they do not decide."""
    namespace = Path(tmp) / f"namespace-{level}-{version}.yaml"
    namespace.write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: conformance\n  labels:\n"
        f"    pod-security.kubernetes.io/enforce: {level}\n"
        f"    pod-security.kubernetes.io/enforce-version: {version}\n"
    )
    other = "baseline" if level == "restricted" else "restricted"
    return Runner(
        Options(
            PsaPolicy(other, (1, 0)),
            SELECT,
            dialect={"namespace": "conformance"},
            context=context_files("--cluster-context", [str(namespace)]),
        )
    )


@cache
def _flagged(level: str, version: str) -> Runner:
    return Runner(Options(PsaPolicy(level, parse_version(version)), SELECT))


def _verdict(runner: Runner, path: Path) -> tuple[frozenset[str], tuple[str, ...]]:
    findings = runner.run([str(path)]).findings
    checks = frozenset(f.psa.check for f in findings if f.psa)
    modes = tuple(sorted({f"{f.psa.mode}:{f.severity}" for f in findings if f.psa}))
    return checks, modes


def test_conformance_fixtures_under_namespace_labels_match_psa_level(tmp_path: Path) -> None:
    with open(PSA_ALL / "index.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    with open(PSA / "MANIFEST.tsv", newline="") as handle:
        manifest = list(csv.DictReader(handle, delimiter="\t"))
    cases = [
        (row["level"], row["version"], PSA_ALL / "objects" / f"{row['object']}.yaml")
        for row in rows
    ] + [
        (row["level"], row["version"], PSA / row["path"].removeprefix("conformance/psa/"))
        for row in manifest
    ]
    assert len(cases) > 4537
    disagreements = []
    failing = 0
    for level, version, path in cases:
        labelled = _verdict(_labelled(str(tmp_path), level, version), path)
        flagged = _verdict(_flagged(level, version), path)
        failing += bool(flagged[0])
        expected_modes = ("enforce:error",) if flagged[0] else ()
        if labelled[0] != flagged[0] or labelled[1] != expected_modes:
            disagreements.append(f"{level}/{version}/{path.name}: {labelled} != {flagged}")
    assert disagreements == []
    assert failing > 2000  # the fail fixtures really fail, under labels as under flags


@pytest.mark.parametrize("version", ["v1.0", "v1.21", "v1.22", "v1.37"])
def test_label_versions_select_the_checks_of_that_version(tmp_path: Path, version: str) -> None:
    """capabilities_baseline0 of psa-all fails restricted differently before and from v1.22."""
    with open(PSA_ALL / "index.tsv", newline="") as handle:
        rows = {
            (r["level"], r["version"], r["expected"], r["name"]): r["object"]
            for r in csv.DictReader(handle, delimiter="\t")
        }
    name = rows[("restricted", "v1.21", "fail", "capabilities_baseline0.yaml")]
    fixture = PSA_ALL / "objects" / f"{name}.yaml"
    labelled = _verdict(_labelled(str(tmp_path), "restricted", version), fixture)[0]
    assert labelled == _verdict(_flagged("restricted", version), fixture)[0]
    assert ("capabilities_restricted" in labelled) == (parse_version(version) >= (1, 22))


def test_with_exempt_users_a_psa_finding_says_who_it_assumes_creates_the_pod(
    tmp_path: Path,
) -> None:
    admission = tmp_path / "admission.yaml"
    admission.write_text(
        "apiVersion: pod-security.admission.config.k8s.io/v1\n"
        "kind: PodSecurityConfiguration\n"
        "exemptions:\n  usernames: [system:serviceaccount:jhub:hub]\n"
    )
    found = run(
        NS / "psa-enforce-baseline-privileged-pod.yaml", admission=admission, select=PSA_ONLY
    ).findings
    assert judged(found) == [("privileged", 18, "error", "enforce", 6)]
    assert found[0].assumption == (
        "the identity that creates the pod is not exempt (exemptions.usernames: "
        "system:serviceaccount:jhub:hub)"
    )


def test_an_admission_config_without_podsecurity_is_said_not_ignored(tmp_path: Path) -> None:
    other = tmp_path / "admission.yaml"
    other.write_text(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\n"
        "plugins:\n  - name: ResourceQuota\n    configuration: {}\n"
    )
    found = run(NS / "namespace-without-labels.yaml", admission=other, select=PSA_ONLY).findings
    assert [(f.rule, f.file, f.line) for f in found] == [
        ("admission-config-invalid", str(other), 1)
    ]
    assert found[0].message.startswith(f"--admission-config {other}: no AdmissionConfiguration")


def test_an_admission_configuration_alone_describes_no_namespace_and_changes_nothing() -> None:
    folder = NS / "admission-config-alone"
    beside = run(folder / "psa-config.yaml", folder / "values.yaml").findings
    alone = run(folder / "values.yaml").findings
    assert "ns-unknown-namespace" not in {f.rule for f in beside}
    assert [(f.rule, f.line, f.message) for f in beside] == [
        (f.rule, f.line, f.message) for f in alone
    ]


@pytest.mark.parametrize(
    ("release", "line"),
    [
        # Flux: the HelmRelease's own namespace when spec.targetNamespace is unset …
        ("helmrelease-own-namespace.yaml", 11),
        # … else spec.targetNamespace; Argo CD: spec.destination.namespace.
        ("helmrelease-target-namespace.yaml", 12),
        ("application-destination.yaml", 15),
    ],
)
def test_a_gitops_release_is_judged_in_the_namespace_it_installs_into(
    release: str, line: int
) -> None:
    found = run(NS / "gitops" / release, NS / "gitops" / "namespace.yaml", select=PSA_ONLY)
    pod = only_pod(found)
    assert pod.namespace == "hub"
    errors = [(f.rule, f.line, f.psa.mode if f.psa else None) for f in found.findings]
    errors = [e for e in errors if e[2] == "enforce"]
    assert sorted(errors) == [
        ("capabilities-baseline", line, "enforce"),
        ("privileged", line, "enforce"),
        ("privileged", line + 5, "enforce"),
    ]
    # What only restricted refuses is the warning namespace hub asks for, not an error.
    assert {f.severity for f in found.findings if f.psa and f.psa.mode == "warn"} == {"warning"}
    assert not [f for f in found.findings if f.rule == "ns-unknown-namespace"]


# ---------------------------------------------------------------------------------------------
# kustomize's `namespace:` puts the objects of its resources in that namespace


def test_a_kustomization_namespace_places_its_resources_in_that_namespace() -> None:
    here = NS / "kustomize-namespace"
    result = run(*sorted(here.glob("*.yaml")), select=PSA_ONLY)
    by_pod = {f.object: judged([f]) for f in result.findings if f.object == "Pod/notebook"}
    # pod.yaml names no namespace; the kustomization beside it names it as a resource and sets
    # team-a, whose enforce: baseline rejects it (the label at namespace.yaml:6 is the cause).
    assert by_pod == {"Pod/notebook": [("privileged", 11, "error", "enforce", 6)]}
    assert "namespace team-a enforces" in next(
        f.message for f in result.findings if f.object == "Pod/notebook"
    )
    # stray.yaml is no resource of it: still in no namespace the inputs know.
    stray = [f.rule for f in result.findings if f.object == "Pod/stray"]
    assert stray[0] == "ns-unknown-namespace"


def test_the_outermost_kustomization_namespace_wins_over_the_base_and_the_object() -> None:
    here = NS / "kustomize-namespace-outer"
    found = run(here / "namespace.yaml", here / "team" / "pod.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 11, "error", "enforce", 6)]
    assert "namespace team-b enforces" in found[0].message


def test_a_kustomization_namespace_renames_the_namespace_it_builds_labels_and_all() -> None:
    # Field test 14c D1: kustomize's namespace transformer renames a Namespace object too
    # (kustomize v5.5.0: `kind: Namespace` is among its field specs for metadata.name), so
    # namespace.yaml builds Namespace jhub-prod, enforce baseline: the pod (moved from jupyter-ns
    # into jhub-prod) is judged by it. Only the privileged container is refused, and warn
    # follows enforce: no restricted finding, no ns-unknown-namespace.
    here = NS / "kustomize-namespace-renamed"
    found = run(*sorted(here.glob("*.yaml")), select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 14, "error", "enforce", 6)]
    assert found[0].file == str(here / "pod.yaml")
    assert "namespace jhub-prod enforces" in found[0].message
    assert found[0].cause is not None and found[0].cause.object == "Namespace/jhub-prod"


def test_a_base_namespace_that_overlays_rename_differently_is_each_of_their_namespaces() -> None:
    # The base's namespace.yaml is Namespace team-dev in the dev build and team-prod in the prod
    # build (each with its labels): prod's own pod, in team-prod, is judged by enforce baseline.
    here = NS / "kustomize-namespace-renamed-overlays"
    found = run(*sorted(here.rglob("*.yaml")), select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 14, "error", "enforce", 6)]
    assert "namespace team-prod enforces" in found[0].message


OVERLAYS = NS / "kustomize-overlays"


def test_an_overlay_beside_the_base_puts_the_base_objects_in_its_namespace() -> None:
    # overlays/prod names ../../base: kustomize builds the base's Pod into team-prod, whose
    # enforce: baseline rejects it (the label at overlays/prod/namespace.yaml:6).
    prod = OVERLAYS / "overlays" / "prod"
    found = run(
        OVERLAYS / "base" / "kustomization.yaml",
        OVERLAYS / "base" / "notebook.yaml",
        prod / "kustomization.yaml",
        prod / "namespace.yaml",
        select=PSA_ONLY,
    ).findings
    assert judged(found) == [("privileged", 11, "error", "enforce", 6)]
    assert "namespace team-prod enforces" in found[0].message


def test_overlays_that_put_the_base_in_different_namespaces_leave_it_in_its_own() -> None:
    # Two builds, two pods in two namespaces: neither is the base's; nblint says it does not know.
    found = run(*sorted(OVERLAYS.rglob("*.yaml")), select=PSA_ONLY).findings
    assert judged(found)[0] == ("ns-unknown-namespace", 4, "info", None, None)


def test_an_overlay_whose_base_is_not_among_the_inputs_says_it_was_not_checked() -> None:
    prod = OVERLAYS / "overlays" / "prod"
    found = run(prod / "kustomization.yaml", prod / "namespace.yaml").findings
    assert [(f.rule, f.file, f.line, f.column) for f in found] == [
        ("kustomize-resource-unchecked", str(prod / "kustomization.yaml"), 3, 5)
    ]
    assert found[0].message == (
        "`../../base` is deployed by this kustomization but is not among the inputs: nblint "
        "checked none of it; give it too, or lint what kustomize builds"
    )
    assert found[0].fix == f"kustomize build {prod} | nblint check -"


BASES = NS / "kustomize-bases"


def test_an_overlay_that_names_its_base_under_bases_puts_it_in_its_namespace() -> None:
    # Field test 9b D6: `bases:` (deprecated, still built by kustomize) was not read, so the
    # base's privileged Pod was judged as namespace-less instead of refused by team-prod. A
    # component's resources are built into the overlay too.
    found = run(*sorted(BASES.rglob("*.yaml")), select=PSA_ONLY).findings
    assert sorted((f.object, *judged([f])[0]) for f in found) == [
        ("Pod/helper", "privileged", 10, "error", "enforce", 6),
        ("Pod/notebook", "privileged", 11, "error", "enforce", 6),
    ]
    assert all("namespace team-prod enforces" in f.message for f in found)


def test_an_overlay_whose_bases_are_not_among_the_inputs_says_it_was_not_checked() -> None:
    overlay = BASES / "overlay"
    found = run(overlay / "kustomization.yaml", overlay / "namespace.yaml").findings
    assert [(f.rule, f.line, f.column, f.message.split(" is deployed")[0]) for f in found] == [
        ("kustomize-resource-unchecked", 8, 5, "`../base`"),
        ("kustomize-resource-unchecked", 12, 5, "`../component`"),
    ]


def test_a_kustomization_namespace_is_the_same_with_jobs(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(OVERLAYS, tmp_path / "tree")
    shutil.rmtree(tmp_path / "tree" / "overlays" / "dev")
    report = report_across_jobs(tmp_path / "tree")
    privileged = [
        f for f in report["findings"] if f["rule"] == "privileged" and "base" in f["file"]
    ]
    assert [f["message"].split(" — ")[1] for f in privileged] == [
        'namespace team-prod enforces PodSecurity "baseline:latest": the pod is rejected'
    ]
    assert not [f for f in report["findings"] if f["rule"] == "kustomize-resource-unchecked"]


# ---------------------------------------------------------------------------------------------
# z2jh user namespaces: KubeSpawner creates each one with user_namespace_labels

USER_NAMESPACES = NS / "z2jh-user-namespaces"


def test_user_namespace_labels_are_the_psa_labels_of_the_namespace_kubespawner_creates() -> None:
    # Field test 14c D2: KubeSpawner's _ensure_namespace creates jhub-{username} with
    # user_namespace_labels (enforce baseline, line 22), not the release namespace's restricted:
    # only the privileged sidecar is refused, at that label; no ns-unknown-namespace.
    found = run(
        USER_NAMESPACES / "labels-baseline.yaml",
        cluster=[USER_NAMESPACES / "namespace.yaml"],
        select=PSA_ONLY,
        namespace="jhub",
    ).findings
    assert judged(found) == [("privileged", 14, "error", "enforce", 22)]
    assert found[0].message.endswith(
        'namespace jhub-{username} enforces PodSecurity "baseline:latest": every spawn of this '
        "server fails"
    )
    assert found[0].cause is not None
    assert found[0].cause.object == (
        "hub.config.KubeSpawner.user_namespace_labels (KubeSpawner user namespace)"
    )
    # A namespace that already exists is not relabelled (a 409 is taken as success).
    assert found[0].assumption is not None
    assert "one that already exists keeps its own labels" in found[0].assumption


def test_user_namespace_labels_without_a_psa_level_leave_the_namespace_unknown() -> None:
    found = run(
        USER_NAMESPACES / "labels-without-psa.yaml",
        cluster=[USER_NAMESPACES / "namespace.yaml"],
        select=PSA_ONLY,
        namespace="jhub",
    ).findings
    assert judged(found) == [
        ("ns-unknown-namespace", 3, "info", None, None),
        ("capabilities-restricted", 11, "error", None, None),
        ("run-as-non-root", 11, "error", None, None),
        ("seccomp-profile-restricted", 11, "error", None, None),
    ]


def test_user_namespace_labels_judge_the_pod_without_any_other_namespace_input() -> None:
    found = run(USER_NAMESPACES / "labels-baseline.yaml", select=PSA_ONLY).findings
    assert judged(found) == [("privileged", 14, "error", "enforce", 22)]


# ---------------------------------------------------------------------------------------------
# exemptions.usernames naming the z2jh hub's ServiceAccount, which creates every user pod

HUB_EXEMPT = NS / "z2jh-hub-exempt"


def _hub_exempt(namespace: str | None) -> list[Finding]:
    extra = {"namespace": namespace} if namespace else {}
    cluster = [HUB_EXEMPT / "namespace.yaml", HUB_EXEMPT / "other-namespace.yaml"]
    return run(
        HUB_EXEMPT / "values.yaml",
        cluster=cluster,
        admission=HUB_EXEMPT / "admission.yaml",
        select=PSA_ONLY,
        **extra,
    ).findings


def test_an_exempt_hub_service_account_exempts_the_user_pods_it_creates() -> None:
    # Field test 14c D4: KubeSpawner creates the pod as system:serviceaccount:jhub:hub (the
    # release's namespace, the chart's hub ServiceAccount), which the configuration exempts.
    found = _hub_exempt("jhub")
    assert judged(found) == [("ns-psa-exempt", 2, "info", None, 12)]
    assert found[0].message == (
        "the hub's ServiceAccount hub in namespace jhub (system:serviceaccount:jhub:hub) creates "
        "this pod and is exempt from PodSecurity in the API server's AdmissionConfiguration "
        "(exemptions.usernames): no PSA level applies to this pod"
    )
    assert found[0].cause is not None
    assert found[0].cause.detail == "exemptions.usernames: system:serviceaccount:jhub:hub"


def test_the_hub_of_another_namespace_is_not_exempt_and_nothing_is_assumed() -> None:
    found = _hub_exempt("other")
    assert {(f.rule, f.severity, f.psa.mode if f.psa else None) for f in found} == {
        ("capabilities-restricted", "error", "enforce"),
        ("run-as-non-root", "error", "enforce"),
        ("seccomp-profile-restricted", "error", "enforce"),
    }
    assert {f.assumption for f in found} == {None}


def test_without_the_release_namespace_the_exemption_is_an_assumption() -> None:
    # The pods go to namespace jhub; the hub's own namespace is not said: who creates them is
    # not known, so the findings say what they assume.
    found = run(
        HUB_EXEMPT / "values-spawner-namespace.yaml",
        cluster=[HUB_EXEMPT / "namespace.yaml"],
        admission=HUB_EXEMPT / "admission.yaml",
        select=PSA_ONLY,
    ).findings
    assert {f.rule for f in found} == {
        "capabilities-restricted",
        "run-as-non-root",
        "seccomp-profile-restricted",
    }
    assert {f.assumption for f in found} == {
        "the identity that creates the pod is not exempt (exemptions.usernames: "
        "system:serviceaccount:jhub:hub)"
    }


FLUX_KS = NS / "flux-kustomization-target"


def test_a_flux_kustomization_target_namespace_is_where_its_helmrelease_installs() -> None:
    # Field test 22a D2: the ks.yaml + app/ layout. kustomize-controller puts every object of
    # `spec.path` in `spec.targetNamespace` (hub), over the HelmRelease's own (default); hub
    # enforces baseline, so the privileged containers are refused there.
    found = run(
        FLUX_KS / "namespaces.yaml",
        FLUX_KS / "apps" / "hub" / "ks.yaml",
        FLUX_KS / "apps" / "hub" / "app" / "helmrelease.yaml",
        select=PSA_ONLY,
    )
    assert only_pod(found).namespace == "hub"
    errors = [(f.rule, f.line, f.psa.mode if f.psa else None) for f in found.findings]
    assert sorted(e for e in errors if e[2] == "enforce") == [
        ("capabilities-baseline", 12, "enforce"),
        ("privileged", 12, "enforce"),
        ("privileged", 17, "enforce"),
    ]
    assert not [f for f in found.findings if f.rule == "ns-unknown-namespace"]


def test_a_helmrelease_s_own_target_namespace_wins_over_its_flux_kustomization_s() -> None:
    # The Kustomization puts the HelmRelease object in hub; the release's own
    # `spec.targetNamespace` (users, enforce privileged) is where the chart's pods go.
    found = run(
        FLUX_KS / "namespaces.yaml",
        FLUX_KS / "apps" / "own" / "ks.yaml",
        FLUX_KS / "apps" / "own" / "app" / "helmrelease.yaml",
        select=PSA_ONLY,
    )
    assert only_pod(found).namespace == "users"
    assert [f for f in found.findings if f.severity == "error"] == []
