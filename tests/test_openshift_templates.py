"""OpenShift Templates (field test 11b, D2 and D3): a ``Template``'s ``objects`` are read as a
``kind: List``'s items — each workload checked and fixed at its lines inside the Template, each
Namespace, LimitRange and binding counted for the whole run — and a value written with a
parameter (``${NAME}``, ``${{NAME}}``), which ``oc process`` fills in, is judged by nothing."""

from __future__ import annotations

from pathlib import Path

import yaml
from conftest import FIXTURES, RULES, brief, report_across_jobs, run

from nblint.model.edit import DISPLAY_ONLY
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

T = FIXTURES / "openshift-template"
TOKEN = "notebook-service-account-token"
PARAMETERS = "openshift-template-parameters"
HELD_BACK = (
    "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
    "RoleBinding/devops-student-binding binds ServiceAccount default to ClusterRole/admin among "
    "the inputs: code run in the notebook can use those rights, and turning the token off would "
    "break what needs them"
)


def fixed(*paths: Path, unsafe: bool = False) -> dict[str, str]:
    """``nblint fix`` (``--unsafe-fixes``) on ``paths`` in one run: the texts it changed."""
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(p) for p in paths])

    return fixing.fix(check, unsafe).texts


def test_a_privileged_code_server_in_a_template_is_checked_at_its_lines() -> None:
    result = run(T / "privileged-code-server.yaml")
    assert result.pod_count == 1
    assert brief(result.findings) == [
        (PARAMETERS, 6, 1),
        (TOKEN, 18, 7),
        ("notebook-resources", 20, 11),
        ("notebook-image-unknown", 21, 11),
        ("allow-privilege-escalation", 22, 11),
        ("capabilities-restricted", 22, 11),
        ("notebook-read-only-root-filesystem", 22, 11),
        ("notebook-run-as-user", 22, 11),
        ("run-as-non-root", 22, 11),
        ("seccomp-profile-restricted", 22, 11),
        ("privileged", 23, 13),
    ]
    [info] = [f for f in result.findings if f.rule == PARAMETERS]
    assert info.message == (
        "Template/student: its objects are checked, but the parameters they use "
        "(${STUDENT_NAME}) are filled in by `oc process`, so nblint cannot know their values (a "
        "default under `parameters` may be replaced with -p) and says nothing about a value "
        "written with one"
    )
    assert info.fix == (
        f"oc process -f {T / 'privileged-code-server.yaml'} --local -o yaml -p NAME=VALUE ... "
        "| nblint check -"
    )


def test_the_safe_fix_edits_the_object_inside_the_template(tmp_path: Path) -> None:
    path = T / "privileged-code-server.yaml"
    text = fixed(path)[str(path)]
    assert text == path.read_text().replace(
        "          securityContext:\n            privileged: true\n",
        "          securityContext:\n"
        "            privileged: true\n"
        "        automountServiceAccountToken: false\n"
        "        securityContext:\n"
        "          seccompProfile:\n"
        "            type: RuntimeDefault\n",
    )
    template = yaml.safe_load(text)
    assert template["kind"] == "Template" and template["parameters"]
    spec = template["objects"][0]["spec"]["template"]["spec"]
    assert spec["automountServiceAccountToken"] is False
    # Checked again, the fixed findings are gone and nothing is new.
    again = tmp_path / path.name
    again.write_text(text)
    after = {f.rule for f in run(again).findings}
    assert after.isdisjoint({TOKEN, "seccomp-profile-restricted"})
    assert "privileged" in after
    # With --unsafe-fixes too, the Template keeps its shape and its parameters.
    unsafe = yaml.safe_load(fixed(path, unsafe=True)[str(path)])
    assert list(unsafe) == ["apiVersion", "kind", "metadata", "objects", "parameters"]
    container = unsafe["objects"][0]["spec"]["template"]["spec"]["containers"][0]
    assert container["securityContext"]["privileged"] is False


def test_a_template_of_the_legacy_v1_api_is_read() -> None:
    result = run(T / "legacy-v1-template.yaml")
    assert result.pod_count == 1
    assert brief(result.findings) == [
        ("notebook-scratch-size-limit", 32, 7),
        ("notebook-home-persistent", 33, 7),
        ("notebook-scratch-size-limit", 34, 7),
        ("host-namespaces", 35, 5),
    ]


def test_a_kind_named_template_of_another_api_is_not_read() -> None:
    result = run(T / "another-api-template.yaml")
    assert result.pod_count == 0
    assert brief(result.findings) == []
    assert sum(result.skipped.values()) == 1


def test_nothing_is_said_about_a_value_written_with_a_parameter() -> None:
    # The uid, the token, the tag, readOnlyRootFilesystem and the resources are parameters (their
    # defaults would give root, a token, `latest`, a writable root): none is judged, not even
    # by notebook-run-as-user, whose condition reads the pod's runAsUser.
    result = run(T / "parameter-values.yaml")
    assert brief(result.findings) == [
        (PARAMETERS, 6, 1),
        ("notebook-home-persistent", 26, 11),
    ]
    [info] = [f for f in result.findings if f.rule == PARAMETERS]
    assert "(${REPLICAS}, ${AUTOMOUNT_TOKEN}, ${NOTEBOOK_UID}, ${NOTEBOOK_TAG}, … (7 in all))" in (
        info.message
    )


def test_a_placeholder_that_a_rule_s_condition_reads_turns_the_rule_off() -> None:
    # Outside a Template too: `runAsUser: ${NOTEBOOK_UID}` on the pod may be any uid.
    result = run(FIXTURES / "templates" / "placeholder-run-as-user-in-manifest.yaml")
    assert "notebook-run-as-user" not in {f.rule for f in result.findings}


def test_a_template_s_namespace_and_limit_range_apply_to_its_pod() -> None:
    result = run(T / "namespace-objects.yaml")
    assert brief(result.findings) == [
        ("limitrange-default-applied", 22, 17),
        ("limitrange-default-applied", 22, 27),
        ("limitrange-default-applied", 23, 24),
        ("limitrange-default-applied", 23, 35),
        ("notebook-home-persistent", 32, 7),
        ("notebook-read-only-root-filesystem", 34, 7),
        ("notebook-run-as-user", 34, 7),
        ("privileged", 35, 9),
    ]
    [privileged] = [f for f in result.findings if f.rule == "privileged"]
    assert privileged.severity == "error"
    assert 'namespace team-a enforces PodSecurity "baseline:latest"' in privileged.message


def test_a_binding_in_a_template_beside_the_pod_holds_back_the_token_fix() -> None:
    tree = T / "binding-beside-template"
    deployment, template = tree / "deployment.yaml", tree / "template.yaml"
    [found] = [f for f in run(deployment, template).findings if f.rule == TOKEN]
    assert (found.file, found.line, found.rule) == (str(deployment), 12, TOKEN)
    assert found.message == HELD_BACK
    assert found.applicability == DISPLAY_ONLY and found.edit is None
    assert fixed(deployment, template) == {}
    unsafe = fixed(deployment, template, unsafe=True)
    assert "automountServiceAccountToken" not in unsafe.get(str(deployment), "")


def test_a_binding_and_a_notebook_in_one_template_hold_back_the_token_fix() -> None:
    path = T / "binding-and-notebook-in-one-template.yaml"
    [found] = [f for f in run(path).findings if f.rule == TOKEN]
    assert (found.line, found.message) == (31, HELD_BACK)
    assert found.applicability == DISPLAY_ONLY
    assert fixed(path) == {}


def test_a_binding_in_a_template_of_another_tree_is_not_the_pod_s() -> None:
    # `${STUDENT_NAME}` is filled in when that Template is processed: a pod of another
    # directory that names its namespace is not taken to share it.
    tree = T / "binding-in-another-tree"
    deployment = tree / "app" / "deployment.yaml"
    [found] = [
        f for f in run(deployment, tree / "template" / "template.yaml").findings if f.rule == TOKEN
    ]
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )
    assert found.applicability == "safe" and found.edit is not None


def test_a_template_s_binding_counts_and_its_info_is_said_once_with_jobs(tmp_path: Path) -> None:
    # The Template first, the pod it binds last: with --jobs 2 they are in different chunks.
    source = T / "binding-beside-template"
    (tmp_path / "000-template.yaml").write_text((source / "template.yaml").read_text())
    (tmp_path / "zzz-deployment.yaml").write_text((source / "deployment.yaml").read_text())
    report = report_across_jobs(tmp_path)
    rules = [f["rule"] for f in report["findings"]]
    assert rules.count(PARAMETERS) == 1
    [token] = [f for f in report["findings"] if f["rule"] == TOKEN and "zzz" in f["file"]]
    assert token["message"] == HELD_BACK and token["applicability"] == DISPLAY_ONLY


def test_a_container_named_by_a_parameter_has_its_hints_under_the_pod_template() -> None:
    # Field test 17b D2: `name: ${NAME}` is no plain name, so its hints are only shown — but
    # at the DeploymentConfig's own level, as for a container with a literal name.
    result = run(T / "container-name-parameter.yaml")
    found = {f.rule: f for f in result.findings if f.rule != PARAMETERS and f.fix is not None}
    assert sorted((f.rule, f.line, f.profile, f.applicability) for f in found.values()) == [
        ("notebook-read-only-root-filesystem", 26, None, DISPLAY_ONLY),
        ("notebook-resources", 26, None, DISPLAY_ONLY),
    ]
    assert found["notebook-read-only-root-filesystem"].fix == (
        "spec:\n"
        "  template:\n"
        "    # first mount a volume of your own at HOME (see notebook-home-persistent): on a "
        "read-only\n"
        "    # root, the server could not write its home\n"
        "    # (nblint does not know this image's HOME: its ~/.cache is in that volume)\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: ${NAME}\n"
        "          securityContext:\n"
        "            readOnlyRootFilesystem: true\n"
        "          volumeMounts:\n"
        "            - name: tmp\n"
        "              mountPath: /tmp\n"
        "      volumes:\n"
        "        - name: tmp\n"
        "          emptyDir:\n"
        "            sizeLimit: 1Gi"
    )
    assert (found["notebook-resources"].fix or "").startswith(
        "spec:\n  template:\n    spec:\n      containers:\n        - name: ${NAME}\n"
    )
    # Only shown: `nblint fix` writes nothing into the Template.
    assert fixed(T / "container-name-parameter.yaml", unsafe=True) == {}
