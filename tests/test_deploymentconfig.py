"""OpenShift's DeploymentConfig (field test 12b, D1): a pod-template workload like a
ReplicationController — ``spec.template`` a PodTemplateSpec, ``spec.selector`` a plain map of
labels (defaulted from the template's) — read standalone and inside a Template, in
``apps.openshift.io/v1`` and the legacy ``v1``: checked at its lines, fixed in
``spec.template.spec``, refused for a selector that misses its labels, judged as any workload."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import FIXTURES, RULES, brief, only_pod, run

from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

HERE = FIXTURES / "deploymentconfig"
PARAMETERS = "openshift-template-parameters"

#: What a privileged notebook with no securityContext else gets, at its container (line) and
#: its securityContext (line + 2).
PRIVILEGED_NOTEBOOK = [
    "allow-privilege-escalation",
    "capabilities-restricted",
    "notebook-read-only-root-filesystem",
    "notebook-run-as-user",
    "run-as-non-root",
    "seccomp-profile-restricted",
]


def test_a_standalone_deploymentconfig_is_checked_at_its_lines() -> None:
    result = run(HERE / "standalone-privileged-notebook.yaml")
    assert result.pod_count == 1
    assert brief(result.findings) == [
        ("notebook-service-account-token", 13, 5),
        ("notebook-home-persistent", 15, 9),
        ("notebook-resources", 15, 9),
        *((rule, 17, 9) for rule in PRIVILEGED_NOTEBOOK),
        ("privileged", 18, 11),
    ]
    assert {f.object for f in result.findings} == {"DeploymentConfig/nb"}
    assert {f.profile for f in result.findings} == {None}


def test_a_deploymentconfig_in_a_template_is_checked_at_its_lines() -> None:
    result = run(HERE / "template-privileged-notebook.yaml")
    assert result.pod_count == 1
    assert sum(result.skipped.values()) == 0
    assert brief(result.findings) == [
        ("notebook-service-account-token", 18, 7),
        ("notebook-home-persistent", 20, 11),
        ("notebook-resources", 20, 11),
        *((rule, 23, 11) for rule in PRIVILEGED_NOTEBOOK),
        ("privileged", 24, 13),
    ]


def test_the_legacy_v1_deploymentconfig_is_read_and_another_api_s_is_not() -> None:
    result = run(HERE / "legacy-v1.yaml")
    assert result.pod_count == 1
    assert ("run-as-user", 15, 11) in brief(result.findings)
    other = run(HERE / "another-api.yaml")
    assert other.pod_count == 0
    assert brief(other.findings) == []
    assert dict(other.skipped) == {"DeploymentConfig": 1}


def test_a_selector_that_misses_the_template_s_labels_is_refused_as_for_an_rc() -> None:
    result = run(HERE / "selector-misses-labels.yaml")
    assert result.pods == []
    assert brief(result.findings) == [("selector-mismatch", 7, 3)]
    [finding] = result.findings
    assert finding.message == (
        "spec.selector does not select the pod template's labels (deploymentconfig=lab not met; "
        "the template's labels: app=lab): the API server refuses the DeploymentConfig, which "
        "never makes a pod; nothing else of it is checked"
    )
    # A plain map of labels, as a ReplicationController's.
    assert finding.fix == (
        "spec:\n  selector:   # the template's labels (or change those to what the selector "
        'says)\n    app: "lab"\n    deploymentconfig: null'
    )


def test_a_template_s_info_says_which_objects_nblint_reads() -> None:
    result = run(HERE / "template-with-service.yaml")
    assert brief(result.findings) == [
        (PARAMETERS, 8, 1),
        ("notebook-home-persistent", 39, 11),
        ("notebook-resources", 39, 11),
        ("notebook-read-only-root-filesystem", 41, 11),
        ("notebook-run-as-user", 41, 11),
    ]
    assert result.findings[0].message.startswith(
        "Template/lab: nblint reads 1 of its 2 objects (it skips Service), but the parameters "
        "they use (${NAME}) are filled in by `oc process`"
    )
    # Its replicas are the pod's, as any replicated workload's.
    assert only_pod(result).facts["replicas"] == 2


def fixed(path: Path, unsafe: bool = False) -> str:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, unsafe).texts[str(path)]


def test_the_fixes_go_into_the_pod_template_and_hold_when_checked_again(tmp_path: Path) -> None:
    path = HERE / "standalone-privileged-notebook.yaml"
    text = fixed(path)
    assert text == path.read_text().replace(
        "          privileged: true\n",
        "          privileged: true\n"
        "          capabilities:\n"
        "            drop:\n"
        "            - ALL\n"
        "      automountServiceAccountToken: false\n"
        "      securityContext:\n"
        "        seccompProfile:\n"
        "          type: RuntimeDefault\n",
    )
    again = tmp_path / path.name
    again.write_text(text)
    after = {f.rule for f in run(again).findings}
    assert after.isdisjoint(
        {"capabilities-restricted", "notebook-service-account-token", "seccomp-profile-restricted"}
    )
    assert "privileged" in after
    unsafe = yaml.safe_load(fixed(path, unsafe=True))
    assert list(unsafe) == ["apiVersion", "kind", "metadata", "spec"]
    spec = unsafe["spec"]["template"]["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["containers"][0]["securityContext"]["privileged"] is False
    again.write_text(yaml.safe_dump(unsafe))
    assert {f.rule for f in run(again).findings if f.severity == "error"} == set()
