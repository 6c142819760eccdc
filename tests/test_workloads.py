"""Raw workloads that are not notebooks (the hub, its proxy, a database) get Pod Security
Admission checks but not the notebook checklist, and one info finding naming why."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, brief, run, write

from nblint.run.pipeline import Options, Runner

W = FIXTURES / "workloads"
NOT_A_NOTEBOOK = "workload-not-a-notebook"


def test_the_hub_gets_psa_checks_and_no_notebook_advice() -> None:
    result = run(W / "hub-deployment.yaml")
    assert brief(result.findings) == [
        (NOT_A_NOTEBOOK, 17, 11),
        ("run-as-non-root", 21, 11),
        ("seccomp-profile-restricted", 21, 11),
    ]
    message = result.findings[0].message
    assert message.startswith(
        "Deployment/hub is not a notebook: its container hub runs "
        "quay.io/jupyterhub/k8s-hub:4.1.0, a JupyterHub component;"
    )
    assert 'nblint.io/notebook: "true"' in message
    assert result.findings[0].object == "Deployment/hub"


def test_the_proxy_is_not_a_notebook() -> None:
    result = run(W / "proxy-deployment.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 15, 11)]


def test_a_database_is_not_a_notebook_but_psa_still_judges_it() -> None:
    result = run(W / "postgres-statefulset.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 16, 11), ("run-as-non-root", 17, 11)]
    assert "its container postgres runs postgres:16, a well-known server" in (
        result.findings[0].message
    )


def test_a_custom_image_without_any_sign_is_still_a_notebook() -> None:
    result = run(W / "custom-image-deployment.yaml")
    assert brief(result.findings) == [
        ("notebook-service-account-token", 12, 5),
        ("notebook-resources", 14, 11),  # requests and limits of cpu and memory: one problem
        ("notebook-image-unknown", 15, 11),
        ("notebook-read-only-root-filesystem", 16, 11),
        ("notebook-run-as-user", 16, 11),
    ]


def test_a_jupyter_deployment_on_port_8888_is_a_notebook() -> None:
    result = run(W / "jupyter-deployment-port-8888.yaml")
    assert brief(result.findings) == [
        ("notebook-service-account-token", 12, 5),
        ("notebook-resources", 14, 11),
        ("notebook-image-unknown", 15, 11),
        ("notebook-read-only-root-filesystem", 19, 11),
        ("notebook-run-as-user", 19, 11),
    ]


def test_annotation_true_checks_a_hub_image_as_a_notebook() -> None:
    result = run(W / "annotation-true-hub.yaml")
    assert brief(result.findings) == [
        ("notebook-service-account-token", 14, 5),
        ("notebook-resources", 16, 11),
        ("notebook-image-unknown", 17, 11),
        ("notebook-read-only-root-filesystem", 18, 11),
        ("notebook-run-as-user", 18, 11),
    ]


def test_annotation_false_on_the_pod_template_excludes_a_notebook_image() -> None:
    result = run(W / "annotation-false-notebook-image.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 10, 9), ("run-as-non-root", 17, 11)]
    assert result.findings[0].message.startswith(
        "Job/nightly-report is not a notebook: its pod template is annotated "
        'nblint.io/notebook: "false";'
    )


def test_annotation_false_on_the_object_excludes_it() -> None:
    result = run(W / "annotation-false-object.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 7, 5)]
    assert "it is annotated nblint.io/notebook" in result.findings[0].message


def test_a_namespace_s_modes_still_judge_a_workload_that_is_not_a_notebook() -> None:
    result = run(W / "hub-in-namespace.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 21, 33), ("run-as-non-root", 26, 11)]
    assert "it is labelled component: hub" in result.findings[0].message
    assert result.findings[1].severity == "warning"  # the namespace warns at restricted


def test_the_finding_follows_select_and_ignore() -> None:
    assert brief(run(W / "proxy-deployment.yaml", ignore={NOT_A_NOTEBOOK}).findings) == []
    # Selecting the checklist does not bring it back to a workload that is not a notebook.
    assert brief(run(W / "proxy-deployment.yaml", select={"notebook"}).findings) == []


def test_the_annotation_beats_every_sign_and_accepts_only_true_or_false(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n"
        "  annotations: {{nblint.io/notebook: {}}}\n"
        "spec:\n  containers: [{{name: db, image: 'redis:7'}}]\n"
    )
    for value, notebook in (('"true"', True), ("'False'", False), ("maybe", False), ("1", False)):
        found = {f.rule for f in run(write(tmp_path, "pod.yaml", text.format(value))).findings}
        # "maybe" and 1 are no verdict: the redis image decides.
        assert (NOT_A_NOTEBOOK not in found) is notebook, value
        assert ("notebook-resources" in found) is notebook, value


def test_a_notebook_sign_before_a_server_image_protects_the_notebook(tmp_path: Path) -> None:
    # A sidecar-free pod whose image is a server's but which runs Jupyter: the command decides.
    path = write(
        tmp_path,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - {name: c, image: 'nginx:1.27', command: [sh, -c, 'exec start-notebook.sh']}\n",
    )
    assert NOT_A_NOTEBOOK not in {f.rule for f in run(path).findings}


def test_a_team_table_s_signs_come_first(tmp_path: Path) -> None:
    rules = tmp_path / "team"
    (rules / "tables").mkdir(parents=True)
    (rules / "tables" / "workloads.yaml").write_text(
        "signs:\n- id: exporters\n  notebook: false\n  what: a metrics exporter\n"
        "  images: ['registry.example.com/team/*exporter']\n"
    )
    text = (W / "custom-image-deployment.yaml").read_text()
    exporter = write(tmp_path, "exporter.yaml", text.replace("team/lab:1.0", "team/exporter:1.0"))
    result = Runner(Options(rules_dirs=(str(rules),))).run([str(exporter)])
    assert [f.rule for f in result.findings] == [NOT_A_NOTEBOOK]
    assert "a metrics exporter" in result.findings[0].message


def test_a_notebook_cr_is_never_judged_by_its_image(tmp_path: Path) -> None:
    # Only raw workloads are judged: a Notebook is a notebook whatever image it runs.
    path = write(
        tmp_path,
        "nb.yaml",
        "apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata: {name: nb, namespace: team}\n"
        "spec:\n  template:\n    spec:\n      containers: [{name: nb, image: 'postgres:16'}]\n",
    )
    found = {f.rule for f in run(path).findings}
    assert NOT_A_NOTEBOOK not in found
    assert "notebook-image-unknown" in found


def test_metadata_of_the_wrong_type_is_no_sign_and_no_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "d.yaml",
        "apiVersion: apps/v1\nkind: Deployment\n"
        "metadata: {name: [x], labels: 5, annotations: [nblint.io/notebook]}\n"
        "spec:\n  template:\n    metadata: {labels: [component], annotations: 7}\n"
        "    spec:\n      containers:\n"
        "        - {name: c, image: 'postgres:16', command: 5, args: [[jupyter]], env: [5],"
        " ports: [{containerPort: '8888'}]}\n",
    )
    found = {f.rule for f in run(path).findings}
    assert "internal-error" not in found
    assert NOT_A_NOTEBOOK in found  # nothing of the wrong type said otherwise: the image decides
