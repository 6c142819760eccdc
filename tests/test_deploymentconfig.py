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

#: What says the pod runs on OpenShift, and so under its restricted-v2 SCC.
SIGN = "(assumed: OpenShift, the one platform that serves a DeploymentConfig)"


def test_a_standalone_deploymentconfig_is_judged_on_openshift_at_its_lines() -> None:
    result = run(HERE / "standalone-privileged-notebook.yaml")
    assert result.pods == []
    assert brief(result.findings) == [("openshift-scc-refused", 18, 11)]
    [finding] = result.findings
    assert finding.object == "DeploymentConfig/nb"
    assert finding.message == (
        "OpenShift's restricted-v2 SCC refuses the pod of DeploymentConfig/nb: container nb is "
        "privileged (the SCC allows no privileged container); its ReplicationController cannot "
        "create the pod (FailedCreate: unable to validate against any security context "
        f"constraint), so nothing else of it is checked {SIGN}"
    )


def test_a_deploymentconfig_in_a_template_is_checked_at_its_lines() -> None:
    result = run(HERE / "template-privileged-notebook.yaml")
    assert sum(result.skipped.values()) == 0
    assert brief(result.findings) == [("openshift-scc-refused", 24, 13)]


def test_the_legacy_v1_deploymentconfig_is_read_and_another_api_s_is_not() -> None:
    result = run(HERE / "legacy-v1.yaml")
    assert brief(result.findings) == [("openshift-scc-refused", 15, 11)]
    assert "container lab runs as root (runAsUser: 0;" in result.findings[0].message
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
    # A Service (read for the pods it exposes), a BuildConfig (whose build pods nblint does
    # not read) and the DeploymentConfig.
    result = run(HERE / "template-with-other-objects.yaml")
    assert brief(result.findings) == [
        (PARAMETERS, 8, 1),
        ("notebook-uid-mismatch", 49, 7),  # restricted-v2 assigns a uid of the range
        ("notebook-home-persistent", 56, 11),
        ("notebook-resources", 56, 11),
        ("notebook-read-only-root-filesystem", 58, 11),
    ]
    assert result.findings[0].message.startswith(
        "Template/lab: nblint reads 2 of its 3 objects (it skips BuildConfig), but the "
        "parameters they use (${NAME}) are filled in by `oc process`"
    )
    # Its replicas are the pod's, as any replicated workload's.
    assert only_pod(result).facts["replicas"] == 2


def fixed(path: Path, unsafe: bool = False) -> str:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, unsafe).texts[str(path)]


def test_the_fixes_go_into_the_pod_template_and_hold_when_checked_again(tmp_path: Path) -> None:
    path = HERE / "notebook-to-fix.yaml"
    assert brief(run(path).findings) == [
        ("notebook-service-account-token", 13, 5),
        ("notebook-uid-mismatch", 13, 5),
        ("notebook-home-persistent", 15, 9),
        ("notebook-read-only-root-filesystem", 15, 9),
        ("notebook-resources", 17, 9),
        ("notebook-gpu-node-selection", 20, 13),
        ("notebook-gpu-toleration", 20, 13),
    ]
    text = fixed(path)
    assert text == path.read_text() + "      automountServiceAccountToken: false\n"
    unsafe = fixed(path, unsafe=True)
    assert unsafe == path.read_text().replace(
        "            nvidia.com/gpu: 1\n",
        "            nvidia.com/gpu: 1\n"
        "            cpu: '2'\n"
        "          requests:\n"
        "            cpu: 500m\n"
        "      automountServiceAccountToken: false\n"
        "      tolerations:\n"
        "      - key: nvidia.com/gpu\n"
        "        operator: Exists\n"
        "        effect: NoSchedule\n",
    )
    assert list(yaml.safe_load(unsafe)) == ["apiVersion", "kind", "metadata", "spec"]
    # Checked again, the fixed findings are gone and nothing is new.
    again = tmp_path / path.name
    again.write_text(unsafe)
    assert brief(run(again).findings) == [
        ("notebook-uid-mismatch", 13, 5),
        ("notebook-home-persistent", 15, 9),
        ("notebook-read-only-root-filesystem", 15, 9),
        ("notebook-gpu-node-selection", 20, 13),
    ]


def test_an_image_an_automatic_image_change_trigger_sets_is_not_a_floating_image() -> None:
    # The trigger writes the image stream tag's image by digest at every rollout (field test
    # 16b D2): `rstudio:latest` as written never runs, nor is it pulled again at every start.
    findings = run(HERE / "image-change-trigger-latest.yaml", select={"notebook-image-pinned"})
    assert [(f.rule, f.line, f.severity, f.message) for f in findings.findings] == [
        (
            "notebook-image-pinned",
            24,
            "warning",
            "container helper uses image registry.example.com/team/helper:latest, which is not "
            "pinned (no tag, or a floating tag such as latest, *-latest, main, nightly, dev, "
            "pre-release)",
        ),
        (
            "notebook-image-pinned",
            26,
            "warning",
            "container manual uses image manual:latest, which is not pinned (no tag, or a "
            "floating tag such as latest, *-latest, main, nightly, dev, pre-release)",
        ),
    ]


def test_an_image_change_trigger_fills_an_init_containers_image_too() -> None:
    # Field test 17b D1: `containerNames` names the init container as well (OpenShift's
    # UpdateDeploymentConfigImages looks a name up among both lists): nothing to pin there.
    findings = run(
        HERE / "image-change-trigger-init-container.yaml", select={"notebook-image-pinned"}
    ).findings
    assert findings == []
