"""Raw workloads that are not notebooks (the hub, its proxy, a database) get Pod Security
Admission checks but not the notebook checklist, and one info finding naming why."""

from __future__ import annotations

from pathlib import Path

import pytest
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
        " ports: [{containerPort: '8888'}],"
        " volumeMounts: [5, {mountPath: 7, subPath: [jupyterhub_config.py]}]}\n",
    )
    found = {f.rule for f in run(path).findings}
    assert "internal-error" not in found
    assert NOT_A_NOTEBOOK in found  # nothing of the wrong type said otherwise: the image decides


# -- Kubeflow's own workloads and hand-written hubs (field test 3, defect 4) ---------------------

CHECKLIST_LEFT_OUT = (
    "; the notebook checklist is left out (Pod Security Admission is checked); annotate it "
    'nblint.io/notebook: "true" to check it as one'
)


def test_kubeflow_s_notebook_controller_is_not_a_notebook() -> None:
    # It reconciles Notebooks with its service account's token: "no API token" would break it.
    result = run(W / "kubeflow-notebook-controller.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 20, 11)]
    assert result.findings[0].message == (
        "Deployment/notebook-controller-deployment is not a notebook: its container manager runs "
        "ghcr.io/kubeflow/kubeflow/notebook-controller:v1.10.0, a Kubeflow platform component "
        "(a controller, web app, webhook or service)" + CHECKLIST_LEFT_OUT
    )


def test_kubeflow_s_jupyter_web_app_is_not_a_notebook_though_its_registry_holds_notebooks() -> None:
    # docker.io/kubeflownotebookswg/* also holds the notebook servers, which the notebook-images
    # table matches: the component's own name decides first.
    result = run(W / "kubeflow-jupyter-web-app.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 20, 11)]
    assert result.findings[0].message == (
        "Deployment/jupyter-web-app-deployment is not a notebook: its container jupyter-web-app "
        "runs docker.io/kubeflownotebookswg/jupyter-web-app:v1.8.0, a Kubeflow platform "
        "component (a controller, web app, webhook or service)" + CHECKLIST_LEFT_OUT
    )


@pytest.mark.parametrize(
    "image",
    [
        # kubeflow/manifests' images, v1.0 to 1.10, and the repositories they moved to.
        "ghcr.io/kubeflow/kubeflow/tensorboard-controller:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/volumes-web-app:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/profile-controller:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/kfam:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/poddefaults-webhook:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/central-dashboard:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/pvcviewer-controller:v1.10.0",
        "docker.io/kubeflownotebookswg/notebook-controller:v1.8.0",
        "kubeflownotebookswg/centraldashboard:v1.8.0",
        "kubeflownotebookswg/admission-webhook:v1.6.1",
        "public.ecr.aws/j1r0q0g6/notebooks/notebook-controller:v1.5.0",
        "gcr.io/kubeflow-images-public/notebook-controller:v1.2.0",
        "ghcr.io/kubeflow/notebooks/notebook-controller:v1.11.0",
        "ghcr.io/kubeflow/dashboard/dashboard:v2.0.0",
        "quay.io/opendatahub/odh-notebook-controller:v1.10.0-15",
        "ghcr.io/kubeflow/katib/katib-controller:v0.19.0",
        "docker.io/kubeflowkatib/suggestion-hyperopt:v0.16.0",
        "ghcr.io/kubeflow/kfp-api-server:2.5.0",
        "gcr.io/ml-pipeline/persistenceagent:2.0.5",
        "ghcr.io/kubeflow/training-v1/training-operator:v1-855e096",
        "quay.io/jetstack/cert-manager-controller:v1.19.4",
        "gcr.io/istio-release/pilot:1.29.1",
        "gcr.io/knative-releases/knative.dev/serving/cmd/controller@sha256:" + "6" * 64,
        "quay.io/oauth2-proxy/oauth2-proxy:v7.14.3",
        "quay.io/jupyterhub/jupyterhub-onbuild:5.2",
        # Field test 10b A3: mirrors that keep the component's name (kubeflow/manifests forks).
        "registry.cn-shenzhen.aliyuncs.com/tensorbytes/notebooks-admission-webhook:v1.3.0",
        "registry.cn-shenzhen.aliyuncs.com/tensorbytes/notebooks-access-management:v1.3.0",
        "registry.cn-shenzhen.aliyuncs.com/tensorbytes/notebooks-profile-controller:v1.3.0",
        "harbor.example.edu/kubeflow/kubeflownotebookswg_centraldashboard:v1.8.0",
        "harbor.example.edu/mirror/kubeflow-tensorboard-controller:v1.8.0",
        "docker.io/rancher/local-path-provisioner:v0.0.11",
    ],
)
def test_platform_images_are_not_notebooks(tmp_path: Path, image: str) -> None:
    path = write(tmp_path, "d.yaml", _DEPLOYMENT.format(image=image))
    assert [f.rule for f in run(path, select={NOT_A_NOTEBOOK}).findings] == [NOT_A_NOTEBOOK]


@pytest.mark.parametrize(
    "image",
    [
        # The notebook servers Kubeflow publishes beside its components stay notebooks.
        "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.10.0",
        "ghcr.io/kubeflow/kubeflow/notebook-servers/rstudio-tidyverse:v1.10.0",
        "kubeflownotebookswg/jupyter-scipy:v1.9.2",
        "docker.io/kubeflownotebookswg/jupyter-pytorch-cuda-full:v1.8.0",
        "kubeflownotebookswg/codeserver-python:v1.8.0",
        "kubeflownotebookswg/rstudio-tidyverse:v1.8.0",
        "public.ecr.aws/j1r0q0g6/notebooks/notebook-servers/jupyter-scipy:v1.5.0",
        "gcr.io/kubeflow-images-public/tensorflow-2.1.0-notebook-cpu:1.0.0",
        "quay.io/jupyterhub/singleuser:5.2",
    ],
)
def test_kubeflow_s_notebook_servers_stay_notebooks(tmp_path: Path, image: str) -> None:
    path = write(tmp_path, "d.yaml", _DEPLOYMENT.format(image=image))
    assert run(path, select={NOT_A_NOTEBOOK}).findings == []


_DEPLOYMENT = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {{name: d}}\nspec:\n  template:\n"
    "    spec:\n      containers: [{{name: c, image: '{image}'}}]\n"
)


def test_a_hub_started_by_its_image_s_cmd_is_told_by_its_mounted_configuration() -> None:
    # JUPYTERHUB_BASE_URL (a notebook sign) and port 8000 (no sign) lose to jupyterhub_config.py.
    result = run(W / "hub-deployment-config-mount.yaml")
    assert brief(result.findings) == [
        ("allow-privilege-escalation", 17, 11),
        ("capabilities-restricted", 17, 11),
        ("run-as-non-root", 17, 11),
        ("seccomp-profile-restricted", 17, 11),
        (NOT_A_NOTEBOOK, 26, 15),
    ]
    assert result.findings[-1].message == (
        "Deployment/jupyterhub is not a notebook: its container jupyterhub mounts "
        "/srv/jupyterhub/jupyterhub_config.py, the JupyterHub hub's configuration"
        + CHECKLIST_LEFT_OUT
    )


def test_the_hub_run_from_a_notebook_image_is_told_by_its_command() -> None:
    result = run(W / "hub-on-docker-stacks-image.yaml", select={"notebook", NOT_A_NOTEBOOK})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 18, 21)]
    assert result.findings[0].message == (
        "Deployment/hub is not a notebook: its container hub runs jupyterhub, the JupyterHub hub "
        "or its proxy" + CHECKLIST_LEFT_OUT
    )


def test_the_proxy_s_token_in_the_environment_beats_a_jupyterhub_variable() -> None:
    result = run(W / "hub-env-proxy-token.yaml", select={"notebook", NOT_A_NOTEBOOK})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 20, 15)]
    assert result.findings[0].message == (
        "Deployment/hub is not a notebook: its container hub sets CONFIGPROXY_AUTH_TOKEN, the "
        "JupyterHub hub or its proxy" + CHECKLIST_LEFT_OUT
    )


def test_a_kubebuilder_operator_is_told_by_its_manager_command() -> None:
    result = run(W / "operator-manager-command.yaml", select={"notebook", NOT_A_NOTEBOOK})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 17, 21)]
    assert result.findings[0].message == (
        "Deployment/data-operator is not a notebook: its container manager runs /manager, a "
        "Kubernetes controller (controller-runtime's manager)" + CHECKLIST_LEFT_OUT
    )


def test_port_8000_and_jupyterhub_variables_keep_a_notebook_a_notebook() -> None:
    # The hub's public port is every other web app's too: no sign; JUPYTERHUB_API_TOKEN is the
    # single-user server's.
    result = run(W / "notebook-port-8000-hub-env.yaml", select={"notebook", NOT_A_NOTEBOOK})
    assert brief(result.findings) == [
        ("notebook-read-only-root-filesystem", 16, 11),
        ("notebook-resources", 16, 11),
        ("notebook-run-as-user", 16, 11),
        ("notebook-image-unknown", 17, 11),
    ]


# ---------------------------------------------------------------------------------------------
# Jobs and CronJobs that run a one-shot task (field test 5: a `git clone` Job beside Notebooks)


def test_a_git_clone_job_is_not_a_notebook() -> None:
    result = run(W / "git-clone-job.yaml")
    assert brief(result.findings) == [
        ("allow-privilege-escalation", 9, 9),
        ("capabilities-restricted", 9, 9),
        ("run-as-non-root", 9, 9),
        ("seccomp-profile-restricted", 9, 9),
        (NOT_A_NOTEBOOK, 11, 19),
    ]
    assert result.findings[-1].message.startswith(
        "Job/clone is not a notebook: it is a Job and its container clone-repo runs /bin/sh, a "
        "one-shot task that runs to completion, not a notebook server;"
    )


def test_a_tool_image_job_given_only_args_is_not_a_notebook() -> None:
    result = run(W / "job-git-image-args-only.yaml", select={NOT_A_NOTEBOOK})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 11, 9)]
    assert "it is a Job and its container clone runs alpine/git:2.45.2" in (
        result.findings[0].message
    )


def test_a_papermill_cronjob_is_not_a_notebook() -> None:
    # papermill runs a notebook headless and exits: no server, no user working in it.
    result = run(W / "cronjob-papermill.yaml", select={NOT_A_NOTEBOOK, "notebook"})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 16, 23)]
    assert "it is a CronJob and its container report runs papermill" in (result.findings[0].message)


@pytest.mark.parametrize(
    "name",
    [
        "job-starting-a-notebook-in-a-shell.yaml",
        "job-running-jupyter-lab.yaml",
        "deployment-starting-a-shell.yaml",
    ],
)
def test_a_job_that_starts_a_notebook_server_and_a_long_running_shell_stay_notebooks(
    name: str,
) -> None:
    found = run(W / name, select={NOT_A_NOTEBOOK, "notebook"}).findings
    assert found and NOT_A_NOTEBOOK not in {f.rule for f in found}


@pytest.mark.parametrize(
    ("name", "line", "evidence"),
    [
        (
            "busybox-sleep-helper-deployment.yaml",
            16,
            "its container secrets runs k8s.gcr.io/e2e-test-images/busybox:1.29 and declares no "
            "port, a base or utility image that serves nothing, not a notebook server;",
        ),
        (
            "alpine-tail-statefulset.yaml",
            16,
            "its container helper runs alpine:3.20 and declares no port, a base or utility image",
        ),
    ],
)
def test_a_utility_image_that_declares_no_port_is_not_a_notebook(
    name: str, line: int, evidence: str
) -> None:
    # Field test 9b N1: a busybox `sleep` helper Deployment got the notebook checklist (tool
    # images were a sign against for Jobs and CronJobs only).
    result = run(W / name, select={NOT_A_NOTEBOOK, "notebook"})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, line, 9)]
    assert evidence in result.findings[0].message


@pytest.mark.parametrize("name", ["ubuntu-running-jupyter-lab.yaml", "ubuntu-serving-a-port.yaml"])
def test_a_base_image_that_starts_a_notebook_or_serves_a_port_stays_a_notebook(name: str) -> None:
    found = run(W / name, select={NOT_A_NOTEBOOK, "notebook"}).findings
    assert found and NOT_A_NOTEBOOK not in {f.rule for f in found}


@pytest.mark.parametrize(
    ("name", "line", "column", "evidence"),
    [
        # Field test 10b A3: Kubeflow 1.3.1 mirrored to registry.cn-shenzhen.aliyuncs.com
        # (athena-flow/kubeflow-manifests): the mirror keeps the component's name at the end.
        (
            "kubeflow-mirror-jupyter-web-app.yaml",
            39,
            9,
            "its container jupyter-web-app runs registry.cn-shenzhen.aliyuncs.com/tensorbytes/"
            "notebooks-jupyter-web-app:v1.3.0-rc.0-70edb, a Kubeflow platform component",
        ),
        # A name the mirror chose: kubeflow/manifests' labels, else its service account.
        (
            "kubeflow-renamed-image-labels.yaml",
            17,
            9,
            "it is labelled kustomize.component: poddefaults, a Kubeflow platform component",
        ),
        (
            "kubeflow-renamed-image-service-account.yaml",
            15,
            7,
            "it runs as the service account jupyter-web-app-service-account, a Kubeflow platform",
        ),
    ],
)
def test_a_mirrored_kubeflow_component_is_not_a_notebook(
    name: str, line: int, column: int, evidence: str
) -> None:
    # The web app calls the API with its token: the notebook checklist's "no API token" (an
    # unsafe fix) would break every spawn from the UI.
    result = run(W / name)
    assert (NOT_A_NOTEBOOK, line, column) in brief(result.findings)
    assert not [f for f in result.findings if f.rule.startswith("notebook-")]
    assert evidence in next(f for f in result.findings if f.rule == NOT_A_NOTEBOOK).message


@pytest.mark.parametrize(
    ("name", "line", "column", "evidence"),
    [
        # Field test 10b N1 (mul-cps/cps-gpu-cluster): GPU smoke tests, a scheduler smoke test
        # and a BuildKit pool got the notebook checklist.
        (
            "cuda-base-sleep-deployment.yaml",
            15,
            9,
            "runs nvcr.io/nvidia/cuda:12.2.0-base-ubuntu22.04 and declares no port, a base or "
            "utility image",
        ),
        ("pause-pod.yaml", 10, 5, "runs registry.k8s.io/pause:3.9, the pause image"),
        (
            "pod-restart-never-gpu-test.yaml",
            12,
            15,
            "it is a Pod with restartPolicy: Never and its container gpu-stress runs /bin/bash, "
            "a one-shot task",
        ),
        (
            "buildkit-rootless-deployment.yaml",
            15,
            9,
            "runs ghcr.io/example/buildkit-rootless-k8s:v1, a container image builder",
        ),
    ],
)
def test_gpu_smoke_tests_pause_pods_and_image_builders_are_not_notebooks(
    name: str, line: int, column: int, evidence: str
) -> None:
    result = run(W / name, select={NOT_A_NOTEBOOK, "notebook"})
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, line, column)]
    assert evidence in result.findings[0].message


def test_a_cuda_image_or_a_run_once_pod_that_starts_jupyter_stays_a_notebook() -> None:
    found = run(
        W / "cuda-and-restart-never-running-jupyter.yaml", select={NOT_A_NOTEBOOK, "notebook"}
    )
    assert found.findings and NOT_A_NOTEBOOK not in {f.rule for f in found.findings}


# ---------------------------------------------------------------------------------------------
# Well-known servers in any registry, and in any regular container (field test 11b D1: Redis from
# OpenShift's internal registry, Red Hat's MariaDB behind its exporter, SeaweedFS got the notebook
# checklist and its unsafe fixes: uid 1000, notebook resources)

DATA_SERVER = (
    "a well-known server that holds data (a database, cache, object store, message queue or "
    "search engine)"
)


@pytest.mark.parametrize(
    ("name", "line", "evidence"),
    [
        (
            "redis-openshift-internal-registry.yaml",
            13,
            "its container redis runs image-registry.openshift-image-registry.svc:5000/openshift/"
            "redis@sha256:cbc31c1b0625cb01f2b67d83e7b375d08d6aa756f24cf32fc3e82f0b76a4c976, "
            + DATA_SERVER,
        ),
        (
            # The database is the second container: the exporter first does not hide it.
            "mysql-exporter-first-redhat-mariadb.yaml",
            21,
            "its container mysql runs registry.redhat.io/rhel8/mariadb-103:1-188 (and no "
            "container runs a notebook image), " + DATA_SERVER,
        ),
        ("seaweedfs-deployment.yaml", 12, "its container seaweedfs runs chrislusf/seaweedfs:3.69"),
        (
            # Field test 12b D9: a vector database.
            "chromadb-deployment.yaml",
            12,
            "its container chromadb runs chromadb/chroma:0.5.0, " + DATA_SERVER,
        ),
    ],
)
def test_a_well_known_server_from_any_registry_is_not_a_notebook(
    name: str, line: int, evidence: str
) -> None:
    result = run(W / name)
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, line, 9)]
    assert result.findings[0].message.startswith(
        result.findings[0].object + " is not a notebook: " + evidence
    )


@pytest.mark.parametrize(
    "image",
    [
        # Red Hat's and the Software Collections' names carry the version.
        "registry.redhat.io/rhel8/mariadb-105:1",
        "registry.redhat.io/rhel9/postgresql-15:1",
        "registry.access.redhat.com/rhscl/postgresql-96-rhel7:1",
        "quay.io/sclorg/redis-7-c9s:c9s",
        "image-registry.openshift-image-registry.svc:5000/openshift/mysql:8.0-el8",
        "docker.io/bitnami/redis-sentinel:7.2",
        "harbor.example.edu/mirror/postgres:16",
        "ghcr.io/cloudnative-pg/postgresql:16.4",
        "docker.io/minio/minio:RELEASE.2024-10-02T17-50-41Z",
        "quay.io/minio/minio:latest",
        "docker.io/bitnami/kafka:3.8",
        # File servers (field test 17a D1).
        "gcr.io/google_containers/volume-nfs:0.8",
        "registry.k8s.io/volume-nfs:0.8",
        "docker.io/itsthenetwork/nfs-server-alpine:12",
        "docker.io/dperson/samba:latest",
        "mcr.microsoft.com/mssql/server:2022-latest",
        # Vector databases (field test 12b D9), as their projects publish them.
        "ghcr.io/chroma-core/chroma:0.5.0",
        "docker.io/qdrant/qdrant:v1.9.0",
        "docker.io/semitechnologies/weaviate:1.25.0",
        "cr.weaviate.io/semitechnologies/weaviate:1.25.0",
        "docker.io/milvusdb/milvus:v2.4.0",
        "docker.io/pgvector/pgvector:pg16",
        "docker.io/vespaengine/vespa:8",
        "docker.io/marqoai/marqo:2.0",
        "opensearchproject/opensearch:2.15.0",
        "docker.elastic.co/elasticsearch/elasticsearch:8.14.0",
        # Web servers and exporters, as the first container.
        "quay.io/prometheus/mysqld-exporter:v0.15.1",
        "docker.io/oliver006/redis_exporter:v1.62.0",
        "registry.example.com/mirror/nginx-unprivileged:1.27",
        # ingress-nginx from the registry before registry.k8s.io (field test 17b D3).
        "k8s.gcr.io/ingress-nginx/controller:v1.1.1",
        "docker.io/library/postgres:16",  # as before
    ],
)
def test_server_images_are_told_by_their_name_in_any_registry(tmp_path: Path, image: str) -> None:
    path = write(tmp_path, "d.yaml", _DEPLOYMENT.format(image=image))
    assert [f.rule for f in run(path, select={NOT_A_NOTEBOOK}).findings] == [NOT_A_NOTEBOOK]


@pytest.mark.parametrize(
    "image",
    [
        # A notebook image whose name holds a server's as part of a longer one stays a notebook.
        "registry.example.com/team/redis-notebook:1.0",
        "registry.example.com/team/postgres-lab:1.0",
        "registry.example.com/team/jupyter-postgresql:1.0",
        "registry.example.com/team/redis-6-notebook:1.0",
        "registry.example.com/team/minio-tools:1.0",
        "registry.example.com/team/chroma-notebook:1.0",
        "quay.io/jupyter/pyspark-notebook:2024-10-07",
        "jupyter/pyspark-notebook:spark-3.5.0",
        "rocker/rstudio:4.4.1",
        "codercom/code-server:4.93.1",
        "registry.example.com/team/lab:1.0",
    ],
)
def test_notebook_images_with_a_server_s_word_in_their_name_stay_notebooks(
    tmp_path: Path, image: str
) -> None:
    path = write(tmp_path, "d.yaml", _DEPLOYMENT.format(image=image))
    assert run(path, select={NOT_A_NOTEBOOK}).findings == []


@pytest.mark.parametrize(
    "name",
    [
        # A container runs a notebook image: the Redis sidecar is no sign against.
        "notebook-image-beside-redis-sidecar.yaml",
        # An exporter or nginx is a sidecar as often (Zeppelin's server pod has nginx): a sign
        # against only as the first container.
        "custom-notebook-with-nginx-and-exporter-sidecars.yaml",
        # The first container serves Jupyter's port: decided before the database is asked about.
        "jupyter-port-with-postgres-sidecar.yaml",
    ],
)
def test_a_notebook_with_a_server_sidecar_stays_a_notebook(name: str) -> None:
    found = run(W / name, select={NOT_A_NOTEBOOK, "notebook"}).findings
    rules = {f.rule for f in found}
    assert NOT_A_NOTEBOOK not in rules
    assert {"notebook-run-as-user", "notebook-resources"} <= rules


# ---------------------------------------------------------------------------------------------
# GPU cluster add-ons and node agents (field test 18b D1), and hand-written hubs told by their
# image or their hub-only environment (field test 18b D2)

PSA_ONLY = "; the notebook checklist is left out (Pod Security Admission is checked)"


def test_nvidia_s_device_plugin_daemonset_is_not_a_notebook_but_psa_still_judges_it() -> None:
    result = run(W / "nvidia-device-plugin-daemonset.yaml")
    assert brief(result.findings) == [
        (NOT_A_NOTEBOOK, 19, 11),
        ("run-as-non-root", 20, 11),
        ("seccomp-profile-restricted", 20, 11),
        ("restricted-volumes", 27, 22),
    ]
    assert result.findings[0].message.startswith(
        "DaemonSet/nvidia-device-plugin-daemonset is not a notebook: its container "
        "nvidia-device-plugin-ctr runs nvcr.io/nvidia/k8s-device-plugin:v0.17.0, a GPU cluster "
        "add-on (a device plugin, the GPU operator or one of its node agents)" + PSA_ONLY
    )


@pytest.mark.parametrize(
    "image",
    [
        "nvidia/k8s-device-plugin:v0.17.0",
        "mcr.microsoft.com/oss/nvidia/k8s-device-plugin:1.11",
        "registry.example.com/mirror/nvidia-gpu-device-plugin:v1",
        "rocm/k8s-device-plugin:latest",
        "intel/intel-gpu-plugin:0.32.0",
        "registry.k8s.io/nfd/node-feature-discovery:v0.18.3",
        "nvcr.io/nvidia/k8s/dcgm-exporter:4.3.1-4.4.0-ubuntu22.04",
        "nvcr.io/nvidia/cloud-native/gpu-operator-validator:v24.9.2",
        "nvcr.io/nvidia/k8s/container-toolkit:v1.17.8-ubuntu20.04",
        "nvcr.io/nvidia/driver:470.57.02",
    ],
)
def test_a_gpu_add_on_is_not_a_notebook_in_any_registry(tmp_path: Path, image: str) -> None:
    # As a Deployment, so that the image alone decides (not the DaemonSet sign).
    text = (W / "gpu-operator-deployment.yaml").read_text()
    path = write(tmp_path, "d.yaml", text.replace("nvcr.io/nvidia/gpu-operator:v24.9.2", image))
    result = run(path)
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 21, 11)]
    assert "a GPU cluster add-on" in result.findings[0].message


def test_the_gpu_operator_is_not_an_ngc_notebook_image() -> None:
    # nvcr.io/nvidia/* is an NGC framework image in the notebook-images table: the add-on's
    # own name decides first.
    result = run(W / "gpu-operator-deployment.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 21, 11)]
    assert "runs nvcr.io/nvidia/gpu-operator:v24.9.2, a GPU cluster add-on" in (
        result.findings[0].message
    )


def test_a_daemonset_without_any_sign_is_a_node_agent() -> None:
    result = run(W / "node-agent-daemonset.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 6, 3)]
    assert result.findings[0].message == (
        "DaemonSet/log-agent is not a notebook: it is a DaemonSet and shows no sign of a "
        "notebook, a node agent (one pod on every node), not a user's notebook server"
        + CHECKLIST_LEFT_OUT
    )


def test_the_same_workload_as_a_deployment_is_still_a_notebook(tmp_path: Path) -> None:
    # Only the kind differs from node-agent-daemonset.yaml: the DaemonSet sign is about kind.
    text = (W / "node-agent-daemonset.yaml").read_text()
    path = write(tmp_path, "d.yaml", text.replace("kind: DaemonSet", "kind: Deployment"))
    found = {f.rule for f in run(path).findings}
    assert NOT_A_NOTEBOOK not in found
    assert "notebook-resources" in found


def test_a_daemonset_running_jupyter_lab_stays_a_notebook() -> None:
    result = run(W / "daemonset-running-jupyter-lab.yaml")
    assert brief(result.findings) == [
        ("notebook-resources", 16, 11),
        ("notebook-image-unknown", 17, 11),
        ("notebook-read-only-root-filesystem", 19, 11),
        ("notebook-run-as-user", 19, 11),
    ]


def test_a_daemonset_of_a_notebook_image_stays_a_notebook() -> None:
    result = run(W / "daemonset-notebook-image.yaml")
    assert brief(result.findings) == [
        ("notebook-home-persistent", 16, 11),
        ("notebook-resources", 16, 11),
        ("notebook-read-only-root-filesystem", 18, 11),
        ("notebook-run-as-user", 18, 11),
    ]


def test_the_openshift_quickstart_hub_image_is_not_a_notebook() -> None:
    result = run(W / "hub-openshift-quickstart-image.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 16, 11)]
    assert result.findings[0].message == (
        "Deployment/jupyterhub is not a notebook: its container jupyterhub runs "
        "quay.io/jupyteronopenshift/jupyterhub-quickstart:3.4.0, a JupyterHub component"
        + CHECKLIST_LEFT_OUT
    )


def test_the_hub_s_cookie_secret_env_is_a_sign_of_the_hub_before_its_jupyterhub_env() -> None:
    # JUPYTERHUB_API_URL comes first, but the cookie secret is the hub's alone.
    result = run(W / "hub-env-cookie-secret.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 20, 15)]
    assert result.findings[0].message == (
        "Deployment/hub is not a notebook: its container hub sets JUPYTERHUB_COOKIE_SECRET, "
        "the JupyterHub hub or its proxy" + CHECKLIST_LEFT_OUT
    )


@pytest.mark.parametrize("variable", ["JPY_COOKIE_SECRET", "JUPYTERHUB_DATABASE_URL"])
def test_other_hub_only_env_is_a_sign_of_the_hub(tmp_path: Path, variable: str) -> None:
    text = (W / "hub-env-cookie-secret.yaml").read_text()
    path = write(tmp_path, "hub.yaml", text.replace("JUPYTERHUB_COOKIE_SECRET", variable))
    result = run(path)
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 20, 15)]
    assert f"its container hub sets {variable}, the JupyterHub hub" in result.findings[0].message


def test_the_hub_s_database_env_is_a_sign_of_the_hub() -> None:
    result = run(W / "hub-env-database.yaml")
    assert brief(result.findings) == [(NOT_A_NOTEBOOK, 18, 15)]
    assert "its container hub sets JUPYTERHUB_DATABASE_HOST, the JupyterHub hub" in (
        result.findings[0].message
    )


def test_a_single_user_server_s_jupyterhub_env_and_image_name_keep_it_a_notebook() -> None:
    # JupyterHub's Spawner.get_env gives every single-user server JUPYTERHUB_API_TOKEN,
    # _SERVICE_PREFIX, _COOKIE_OPTIONS…; an image named jupyterhub-singleuser is no hub.
    result = run(W / "singleuser-jupyterhub-env-and-image-name.yaml")
    assert brief(result.findings) == [
        ("notebook-resources", 17, 11),
        ("notebook-image-unknown", 18, 11),
        ("notebook-read-only-root-filesystem", 27, 11),
        ("notebook-run-as-user", 27, 11),
    ]


def test_an_image_named_for_an_operator_s_controller_is_not_a_notebook() -> None:
    # Field test 19b D5: PSA still judges it; no notebook checklist.
    result = run(W / "operator-controller-image-name.yaml")
    assert [f.rule for f in result.findings if f.group == "notebook"] == []
    assert (NOT_A_NOTEBOOK, 17, 11) in brief(result.findings)  # at its image
    message = next(f.message for f in result.findings if f.rule == NOT_A_NOTEBOOK)
    assert "a Kubernetes operator or controller (its image's name)" in message


def test_ipyparallel_engines_and_controllers_are_not_notebooks() -> None:
    result = run(W / "ipyparallel-engine.yaml")
    assert [f.rule for f in result.findings if f.group == "notebook"] == []
    assert [(f.rule, f.object) for f in result.findings if f.rule == NOT_A_NOTEBOOK] == [
        (NOT_A_NOTEBOOK, "Deployment/ipengine"),
        (NOT_A_NOTEBOOK, "Deployment/ipcontroller"),
    ]


def test_a_template_s_image_parameter_is_judged_by_its_default() -> None:
    # Field test 21b D1: `${DATABASE_IMAGE}`, whose default is a PostgreSQL image, is the hub's
    # database (PSA still judges it), as the same image written out is.
    result = run(W / "template-database-image-parameter.yaml")
    assert [f.rule for f in result.findings if f.group == "notebook"] == []
    assert (NOT_A_NOTEBOOK, 23, 11) in brief(result.findings)


def test_nvidia_s_sample_gpu_test_pod_is_not_a_notebook() -> None:
    result = run(W / "nvidia-samples-vectoradd-pod.yaml")
    assert [f.rule for f in result.findings if f.group == "notebook"] == []
    assert NOT_A_NOTEBOOK in {f.rule for f in result.findings}
