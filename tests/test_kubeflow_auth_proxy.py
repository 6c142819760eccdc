"""OpenShift AI workbenches whose notebook webhook injects an authenticating proxy
(``notebooks.opendatahub.io/inject-oauth``: oauth-proxy, RHOAI 2.x; ``inject-auth``:
kube-rbac-proxy, 3.x; odh-notebook-controller ``notebook_webhook.go``). The webhook puts the pod
on a ServiceAccount named like the Notebook, and the proxy calls the API server with the pod's
token and trusts the ``ca.crt`` mounted beside it: the token is needed, and no fix may take it
away."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, only_pod, run

from nblint.cli import main

AUTH_PROXY = FIXTURES / "kubeflow" / "auth-proxy"
TOKEN = {"notebook-service-account-token", "default-editor-token"}


def test_inject_oauth_puts_the_pod_on_a_service_account_named_like_the_notebook() -> None:
    pod = only_pod(run(AUTH_PROXY / "inject-oauth-token.yaml"))
    # The webhook overwrites what the Notebook says (default-editor here).
    assert pod.spec["serviceAccountName"] == "wb"
    note = pod.provenance.locate(("spec", "serviceAccountName")).note
    assert "OpenShift AI's notebook webhook" in note and "oauth-proxy" in note
    assert pod.facts["auth_proxy"] == (
        "the oauth-proxy sidecar that OpenShift AI's notebook webhook injects "
        "(notebooks.opendatahub.io/inject-oauth: true)"
    )


def test_the_token_an_injected_oauth_proxy_needs_is_a_note_whose_hint_is_never_applied() -> None:
    found = run(AUTH_PROXY / "inject-oauth-token.yaml", select=TOKEN).findings
    # Not default-editor-token either: the webhook replaced default-editor.
    assert [(f.rule, f.severity, f.line, f.column) for f in found] == [
        ("notebook-service-account-token", "info", 13, 5)
    ]
    assert found[0].message == (
        "the pod mounts a Kubernetes API token, which the oauth-proxy sidecar that OpenShift "
        "AI's notebook webhook injects (notebooks.opendatahub.io/inject-oauth: true) needs: keep "
        "it (code run in the notebook can use it too, with the rights of the ServiceAccount the "
        "webhook names after the Notebook)"
    )
    assert found[0].applicability == "display-only" and found[0].edit is None


def test_nblint_fix_leaves_the_token_of_an_injected_proxy_alone(tmp_path: Path) -> None:
    copy = tmp_path / "inject-oauth-token.yaml"
    shutil.copy(AUTH_PROXY / "inject-oauth-token.yaml", copy)
    before = copy.read_text()
    outcome = CliRunner().invoke(
        main, ["fix", "--unsafe-fixes", "--select", ",".join(TOKEN), str(copy)]
    )
    assert outcome.exit_code in (0, 1), outcome.output
    assert copy.read_text() == before


def test_a_token_turned_off_under_inject_auth_breaks_its_kube_rbac_proxy() -> None:
    found = run(AUTH_PROXY / "inject-auth-token-off.yaml", select=TOKEN).findings
    assert [(f.rule, f.severity, f.line, f.column) for f in found] == [
        ("notebook-service-account-token", "warning", 13, 7)
    ]
    assert found[0].message.startswith(
        "automountServiceAccountToken is false, but the kube-rbac-proxy sidecar that OpenShift "
        "AI's notebook webhook injects (notebooks.opendatahub.io/inject-auth: true) calls the API "
        "server with the pod's token"
    )
    assert found[0].applicability == "display-only"


def test_inject_oauth_false_injects_nothing() -> None:
    result = run(AUTH_PROXY / "inject-oauth-false.yaml", select=TOKEN)
    pod = only_pod(result)
    assert "serviceAccountName" not in pod.spec or pod.spec["serviceAccountName"] == "default"
    assert "auth_proxy" not in pod.facts
    assert [(f.rule, f.severity, f.applicability) for f in result.findings] == [
        ("notebook-service-account-token", "warning", "safe")
    ]


def test_without_openshift_ai_the_annotation_injects_nothing() -> None:
    # --kubeflow-distribution kubeflow: no ODH webhook runs, whatever the annotation says.
    pod = only_pod(run(AUTH_PROXY / "inject-oauth-token.yaml", kubeflow_distribution="kubeflow"))
    assert pod.spec["serviceAccountName"] == "default-editor"
    assert "auth_proxy" not in pod.facts
