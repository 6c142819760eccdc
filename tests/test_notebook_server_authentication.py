"""A notebook server that a raw manifest starts on its own, with Jupyter's authentication off
(``notebook-authentication`` beside the z2jh hub's check): an error when something among the
inputs exposes its port outside the cluster, else a warning; Kubeflow Notebooks are not
reported (their images run token-less on purpose, behind the Kubeflow gateway)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run, write

AUTH = FIXTURES / "notebook-auth"
RULE = {"notebook-authentication"}


def _found(*paths: str | Path) -> list[tuple[str, str, int, int, str]]:
    return [
        (f.rule, f.severity, f.line, f.column, f.message) for f in run(*paths, select=RULE).findings
    ]


def _off(flag: str, container: str = "lab") -> str:
    return f"container {container} starts Jupyter with authentication off ({flag}, and no password)"


def test_token_off_behind_a_node_port_service_is_an_error() -> None:
    # In a `sh -c` script, with Notebook 6's flags; the NodePort Service selects the pod.
    assert _found(AUTH / "token-off-nodeport.yaml") == [
        (
            "notebook-authentication",
            "error",
            16,
            24,
            _off("--NotebookApp.token=''") + ": Service/lab (NodePort) exposes its port outside "
            "the cluster, and whoever reaches it runs code in the container",
        )
    ]


def test_token_off_with_nothing_that_exposes_it_is_a_warning() -> None:
    assert _found(AUTH / "token-off-alone.yaml") == [
        (
            "notebook-authentication",
            "warning",
            15,
            39,
            _off("--IdentityProvider.token=''") + ": anyone who reaches the pod's port in the "
            "cluster runs code in the container (nothing among the inputs exposes it outside "
            "the cluster)",
        )
    ]


def test_a_cluster_ip_service_or_a_node_port_of_other_pods_exposes_nothing() -> None:
    [(rule, severity, line, column, _)] = _found(AUTH / "token-off-clusterip-service.yaml")
    assert (rule, severity, line, column) == ("notebook-authentication", "warning", 10, 35)


def test_an_ingress_to_a_service_that_selects_the_pod_is_an_error() -> None:
    # `--IdentityProvider.token ""` as two args items.
    [(rule, severity, line, column, message)] = _found(AUTH / "token-off-ingress.yaml")
    assert (rule, severity, line, column) == ("notebook-authentication", "error", 10, 35)
    assert "Ingress/lab (to Service/lab) exposes its port outside the cluster" in message


def test_notebook_args_on_the_host_network_is_an_error() -> None:
    [(rule, severity, line, column, message)] = _found(AUTH / "notebook-args-host-network.yaml")
    assert (rule, severity, line, column) == ("notebook-authentication", "error", 12, 11)
    assert message.startswith(_off("--ServerApp.token=''") + ": hostNetwork: true exposes")


def test_a_host_port_is_an_error_and_says_root_when_the_image_runs_as_root(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "tf.yaml",
        """\
apiVersion: v1
kind: Pod
metadata: {name: tf}
spec:
  containers:
    - name: tf
      image: quay.io/jupyter/base-notebook:2024-10-07
      securityContext: {runAsUser: 0}
      args: ["start-notebook.sh", "--NotebookApp.token=''"]
      ports:
        - {containerPort: 8888, hostPort: 30008}
""",
    )
    assert _found(path) == [
        (
            "notebook-authentication",
            "error",
            9,
            35,
            _off("--NotebookApp.token=''", "tf") + ": hostPort 30008 exposes its port outside "
            "the cluster, and whoever reaches it runs code in the container as root",
        )
    ]


@pytest.mark.parametrize(
    "case",
    [
        # The token from a Secret, behind a NodePort Service.
        "token-from-secret.yaml",
        # Token off, but a password set: the server asks for it.
        "token-off-with-password.yaml",
        # JUPYTER_TOKEN="" is read as unset: the server generates a random token.
        "jupyter-token-empty-env.yaml",
        # Kubeflow's images run token-less on purpose, behind the gateway's authentication.
        "kubeflow-notebook-token-off.yaml",
        # An OpenShift AI workbench whose annotation asks for the webhook's oauth-proxy.
        "openshift-ai-workbench-token-off-oauth.yaml",
    ],
)
def test_clean(case: str) -> None:
    assert _found(AUTH / case) == []


def test_a_value_nblint_cannot_know_is_taken_for_a_token(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lab.yaml",
        """\
apiVersion: v1
kind: Pod
metadata: {name: lab}
spec:
  containers:
    - name: lab
      image: quay.io/jupyter/base-notebook:2024-10-07
      command: ["sh", "-c", "jupyter lab --ServerApp.token=$TOKEN --ServerApp.password="]
""",
    )
    assert _found(path) == []


def test_the_last_token_on_the_command_line_wins(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lab.yaml",
        """\
apiVersion: v1
kind: Pod
metadata: {name: lab}
spec:
  containers:
    - name: lab
      image: quay.io/jupyter/base-notebook:2024-10-07
      env:
        - {name: NOTEBOOK_ARGS, value: "--IdentityProvider.token=''"}
      args: ["start-notebook.py", "--IdentityProvider.token=$(TOKEN)"]
""",
    )
    assert _found(path) == []


def test_a_service_in_another_namespace_selects_nothing(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "lab.yaml",
        """\
apiVersion: v1
kind: Pod
metadata: {name: lab, namespace: a, labels: {app: lab}}
spec:
  containers:
    - name: lab
      image: quay.io/jupyter/base-notebook:2024-10-07
      args: ["start-notebook.py", "--IdentityProvider.token="]
---
apiVersion: v1
kind: Service
metadata: {name: lab, namespace: b}
spec:
  type: LoadBalancer
  selector: {app: lab}
""",
    )
    assert [(rule, severity) for rule, severity, *_ in _found(path)] == [
        ("notebook-authentication", "warning")
    ]


def test_the_hint_drops_the_empty_flags_from_the_script_and_takes_a_token_from_a_secret() -> None:
    [finding] = run(AUTH / "token-off-nodeport.yaml", select=RULE).findings
    assert finding.applicability == "display-only"
    assert finding.fix == (
        """\
spec:
  template:
    # a token from a Secret, and the command line without the empty token and password (or put an
    # authenticating proxy, such as oauth2-proxy, in front of the server):
    spec:
      containers:
        - name: lab
          args: ["-c", "jupyter lab --ip=0.0.0.0"]
          env:
            - name: JUPYTER_TOKEN
              valueFrom:
                secretKeyRef: {name: notebook-token, key: token}"""
    )


def test_an_openshift_route_to_a_service_that_selects_the_pod_is_an_error() -> None:
    [(rule, severity, line, column, message)] = _found(AUTH / "token-off-route.yaml")
    assert (rule, severity, line, column) == ("notebook-authentication", "error", 10, 35)
    assert "Route/lab (to Service/lab) exposes its port outside the cluster" in message


def test_the_builtin_reads_the_fact_the_run_writes() -> None:
    from nblint.check.builtins import server_token
    from nblint.model import exposure

    assert server_token.EXPOSED == exposure.FACT


# The other servers a notebook workload runs, each with its own switch (field test 14b D1).


def _server_off(container: str, server: str, switch: str) -> str:
    return f"container {container} starts {server} with authentication off ({switch})"


def test_rockers_disable_auth_behind_a_load_balancer_is_an_error() -> None:
    # rocker's start compares the variable lowercased; its RStudio sessions run as rstudio,
    # not as the root the start runs as.
    assert _found(AUTH / "rstudio-disable-auth-loadbalancer.yaml") == [
        (
            "notebook-authentication",
            "error",
            19,
            15,
            _server_off("rstudio", "RStudio Server", "DISABLE_AUTH=TRUE")
            + ": Service/rstudio (LoadBalancer) exposes its port outside the cluster, and "
            "whoever reaches it runs code in the container",
        )
    ]


def test_code_servers_auth_none_is_a_warning_at_the_flag() -> None:
    assert _found(AUTH / "code-server-auth-none.yaml") == [
        (
            "notebook-authentication",
            "warning",
            9,
            45,
            _server_off("code", "code-server", "--auth=none") + ": anyone who reaches the pod's "
            "port in the cluster runs code in the container (nothing among the inputs exposes "
            "it outside the cluster)",
        )
    ]


def test_openvscode_servers_switch_in_a_shell_script_on_a_host_port_is_an_error() -> None:
    [(rule, severity, line, column, message)] = _found(
        AUTH / "openvscode-without-connection-token.yaml"
    )
    assert (rule, severity, line, column) == ("notebook-authentication", "error", 8, 29)
    assert message.startswith(
        _server_off("vscode", "openvscode-server", "--without-connection-token")
        + ": hostPort 3000 exposes"
    )


def test_linuxservers_code_server_without_a_password_is_said_at_its_image() -> None:
    [(rule, severity, line, column, message)] = _found(
        AUTH / "linuxserver-code-server-no-password.yaml"
    )
    assert (rule, severity, line, column) == ("notebook-authentication", "warning", 16, 11)
    assert message.startswith(
        _server_off(
            "code",
            "code-server",
            "no PASSWORD or HASHED_PASSWORD set: the image's start runs it without a login",
        )
    )


@pytest.mark.parametrize(
    "case",
    [
        # A command of its own replaces rocker's start, which reads DISABLE_AUTH.
        "rstudio-disable-auth-own-command.yaml",
        # The last --auth is a password.
        "code-server-auth-password.yaml",
        # A password from a Secret, or variables a Secret gives whole.
        "linuxserver-code-server-password.yaml",
        # The password read from a file (FILE__PASSWORD).
        "linuxserver-code-server-password-from-file.yaml",
    ],
)
def test_other_servers_with_their_login_on_are_clean(case: str) -> None:
    assert _found(AUTH / case) == []


def test_the_hint_turns_rockers_switch_off_and_gives_a_password_from_a_secret() -> None:
    [finding] = run(AUTH / "rstudio-disable-auth-loadbalancer.yaml", select=RULE).findings
    assert finding.fix is not None
    assert "- name: DISABLE_AUTH\n" in finding.fix
    assert 'value: "false"' in finding.fix
    assert "secretKeyRef: {name: server-password, key: password}" in finding.fix
    # Advice: the Secret must exist first.
    assert finding.applicability == "display-only"


def test_the_hint_drops_auth_none_from_code_servers_command_line() -> None:
    [finding] = run(AUTH / "code-server-auth-none.yaml", select=RULE).findings
    assert finding.fix is not None
    assert 'args: ["--bind-addr", "0.0.0.0:8080"]' in finding.fix


def test_an_openshift_ai_workbench_with_its_token_off_and_no_proxy_is_a_warning() -> None:
    # odh-notebook-controller publishes every workbench through a Route (an HTTPRoute on the
    # gateway in 3.x), with its proxy in front only when the annotation asks (field test 14b D2).
    findings = run(AUTH / "openshift-ai-workbench-token-off-no-proxy.yaml", select=RULE).findings
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("notebook-authentication", "warning", 18, 15)
    ]
    [finding] = findings
    assert finding.message == (
        "container wb starts Jupyter with authentication off (--ServerApp.token='', and no "
        "password), and no annotation asks OpenShift AI's notebook webhook for its "
        "authenticating proxy: the notebook controller publishes the workbench (a Route, or an "
        "HTTPRoute on its gateway), and whoever reaches it runs code in the container"
    )
    assert finding.fix is not None
    assert 'notebooks.opendatahub.io/inject-oauth: "true"' in finding.fix


def test_an_upstream_notebook_told_to_be_openshift_ai_is_checked_alike() -> None:
    findings = run(
        AUTH / "kubeflow-notebook-token-off.yaml",
        select=RULE,
        kubeflow_distribution="openshift-ai",
    ).findings
    assert [(f.rule, f.severity, f.line) for f in findings] == [
        ("notebook-authentication", "warning", 14)
    ]


def test_kubeflows_jupyter_image_run_as_a_deployment_behind_a_load_balancer_is_an_error() -> None:
    # Its own start (the s6 jupyterlab service) passes an empty token and password; a plain
    # Deployment has no Kubeflow gateway in front (field test 16b D3). Said at the image.
    assert _found(AUTH / "kubeflow-jupyter-image-loadbalancer.yaml") == [
        (
            "notebook-authentication",
            "error",
            17,
            11,
            _server_off(
                "lab",
                "Jupyter",
                'the image\'s own start runs it with --ServerApp.token="" --ServerApp.password=""',
            )
            + ": Service/lab (LoadBalancer) exposes its port outside the cluster, and whoever "
            "reaches it runs code in the container",
        )
    ]
    [finding] = run(AUTH / "kubeflow-jupyter-image-loadbalancer.yaml", select=RULE).findings
    assert finding.fix is not None
    # No variable of the image sets a token: a command line with one from a Secret.
    assert '"jupyter", "lab", "--ip=0.0.0.0", "--port=8888"' in finding.fix
    assert "secretKeyRef: {name: notebook-token, key: token}" in finding.fix


def test_kubeflows_code_server_image_with_args_still_runs_its_start_behind_a_route() -> None:
    # args go to s6's /init (the ENTRYPOINT), which still starts the code-server service.
    assert _found(AUTH / "kubeflow-codeserver-image-route.yaml") == [
        (
            "notebook-authentication",
            "error",
            16,
            11,
            _server_off("code", "code-server", "the image's own start runs it with --auth none")
            + ": Route/code (to Service/code) exposes its port outside the cluster, and whoever "
            "reaches it runs code in the container",
        )
    ]
    [finding] = run(AUTH / "kubeflow-codeserver-image-route.yaml", select=RULE).findings
    assert finding.fix is not None
    assert '"--auth", "password"' in finding.fix
    assert "- name: PASSWORD" in finding.fix


def test_kubeflows_older_rstudio_image_alone_is_a_warning_whose_hint_is_a_proxy() -> None:
    findings = run(AUTH / "kubeflow-rstudio-image-alone.yaml", select=RULE).findings
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [
        ("notebook-authentication", "warning", 10, 7)
    ]
    [finding] = findings
    assert finding.message.startswith(
        _server_off("rstudio", "RStudio Server", "the image's own start runs it with --auth-none=1")
    )
    assert finding.fix is not None
    assert "oauth2-proxy" in finding.fix
    assert "--upstream=http://127.0.0.1:8888/" in finding.fix


@pytest.mark.parametrize(
    "case",
    [
        # A command of its own replaces the image's start: judged by its command line.
        "kubeflow-jupyter-image-own-command.yaml",
        # A Kubeflow Notebook: behind the Kubeflow gateway on purpose.
        "kubeflow-notebook-image-start.yaml",
        # The same Docker Hub namespace holds Kubeflow's controllers: no server of theirs.
        "kubeflow-controller-image.yaml",
    ],
)
def test_kubeflow_images_whose_start_does_not_run_or_is_behind_the_gateway_are_clean(
    case: str,
) -> None:
    assert _found(AUTH / case) == []


def test_kubeflows_untagged_image_is_said_when_every_release_turns_the_login_off() -> None:
    # No tag: every release's row says the same; the controller's image beside it says nothing.
    assert [
        (rule, severity, line, column)
        for rule, severity, line, column, _ in _found(
            AUTH / "kubeflow-rstudio-image-untagged-nodeport.yaml"
        )
    ] == [("notebook-authentication", "error", 16, 11)]
