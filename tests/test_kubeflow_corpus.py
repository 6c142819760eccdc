"""Real Kubeflow files written by others: pinned findings, and the whole shared corpus.

``tests/fixtures/kubeflow/corpus/`` holds Apache-2.0 and MIT files copied from
``../shared/corpus/kubeflow/`` (origins in ``tests/fixtures/ORIGIN.md``); a folder is one run, so
that its PodDefaults meet its Notebooks. Pins cover the PSA and Kubeflow groups only.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED, needs_shared, run

from nblint.load.files import discover
from nblint.model.result import RunResult as Result

CORPUS = FIXTURES / "kubeflow" / "corpus"
GROUPS = {"psa-baseline", "psa-restricted", "kubeflow"}
#: Every pod PSA restricted rejects for want of the four usual settings.
UNSET = ["allow-privilege-escalation", "capabilities-restricted", "run-as-non-root"]
UNSET.append("seccomp-profile-restricted")


def check(path: Path) -> Result:
    """One run over a file or a folder, as ``nblint check PATH`` would do."""
    return run(*discover([str(path)]), select=GROUPS)


def pinned(name: str) -> list[tuple[str, str, int]]:
    result = check(CORPUS / name)
    return [(Path(f.file).name, f.rule, f.line) for f in result.findings]


def at(file: str, line: int, *rules: str) -> list[tuple[str, str, int]]:
    return [(file, rule, line) for rule in rules]


def test_kubeflow_manifests_ci_notebook_gets_the_pipelines_poddefault() -> None:
    notebook = "kubeflow__manifests__tests.notebook.test.kubeflow-user-example.com.yaml"
    result = check(CORPUS / "manifests-pipeline")
    [pod] = result.pods
    assert pod.facts["poddefaults"] == ["access-ml-pipeline"]
    assert [v["name"] for v in pod.spec["volumes"]] == ["volume-kf-pipeline-token"]
    assert pinned("manifests-pipeline") == [
        *at(notebook, 2, "culling-not-visible"),
        *at(notebook, 4, "istio-init-restricted"),
        *at(notebook, 15, "default-editor-token"),
        *at(notebook, 17, *UNSET),
    ]


def test_canonical_mlflow_poddefaults_conflict_when_one_notebook_selects_both() -> None:
    poddefault = "canonical__kubeflow-examples__e2e-wine-kfp-mlflow.admin-integrations.sh.yaml"
    notebook = "notebook-selecting-both.yaml"
    assert pinned("mlflow-conflict") == [
        *at(poddefault, 8, "poddefault-conflict"),
        *at(notebook, 4, "culling-not-visible"),
        *at(notebook, 5, "istio-init-restricted"),
        *at(notebook, 14, *UNSET),
    ]


def test_yolo_cpu_notebook_with_its_token_poddefault() -> None:
    notebook = "simonangel-fong__kubeflow-yolo__kubeflow.notebook.notebook-cpu.yaml"
    result = check(CORPUS / "yolo-cpu")
    assert [pod.facts["poddefaults"] for pod in result.pods] == [["kfp-api-token"]]
    assert pinned("yolo-cpu") == [
        *at(notebook, 16, "culling-not-visible"),
        *at(notebook, 17, "istio-init-restricted"),
        *at(notebook, 25, "default-editor-token"),
        *at(notebook, 31, *UNSET),
    ]


def test_restricted_style_notebook_only_keeps_the_kubeflow_notes() -> None:
    name = "simonangel-fong__kubeflow-yolo__archived.manifests.notebook.notebook.yaml"
    assert pinned(name) == [
        *at(name, 15, "culling-not-visible"),
        *at(name, 16, "istio-init-restricted"),
        *at(name, 21, "default-editor-token"),
    ]


def test_stopped_gpu_notebook_dump_with_ipc_lock_and_a_clone_sidecar() -> None:
    name = "wycc__cgu-kubeflow__cgu.testnas.test.yaml"
    result = check(CORPUS / name)
    assert result.pods[0].facts["stopped"] is True
    assert pinned(name) == [
        *at(name, 2, "culling-not-visible"),
        *at(name, 4, "istio-init-restricted"),
        *at(name, 28, "default-editor-token"),
        *at(name, 42, "allow-privilege-escalation", "run-as-non-root"),
        *at(name, 42, "seccomp-profile-restricted"),
        *at(name, 43, "capabilities-restricted"),
        *at(name, 45, "capabilities-restricted"),
        *at(name, 51, *UNSET),
    ]


def test_historic_jupyter_web_app_template_has_a_pruned_non_pod_field() -> None:
    name = (
        "kubeflow__kubeflow__components.jupyter-web-app.backend.kubeflow_jupyter.common.yaml."
        "notebook.yaml"
    )
    # Its container's image is the web app's placeholder, "": the pod is refused (issue 16).
    assert pinned(name) == [
        *at(name, 2, "culling-not-visible"),
        *at(name, 14, "kubeflow-invalid-object"),
        *at(name, 21, "kubeflow-pruned-field"),
    ]


def test_jupyter_web_app_template_with_placeholders() -> None:
    name = (
        "kubeflow__notebooks__components.crud-web-apps.jupyter.backend.apps.common.yaml."
        "notebook_template.yaml"
    )
    result = check(CORPUS / name)
    # `image: ""`, for the web app to fill in: as written, an object whose pod is refused.
    assert [pod.object for pod in result.pods] == []
    assert pinned(name) == [
        *at(name, 2, "culling-not-visible"),
        *at(name, 17, "kubeflow-invalid-object"),
    ]


def _shared_files() -> list[str]:
    folder = SHARED / "corpus" / "kubeflow"
    return list(discover([str(folder)])) if folder.is_dir() else []


@needs_shared
@pytest.mark.parametrize("path", _shared_files(), ids=lambda p: Path(p).name[:60])
def test_every_shared_corpus_file_is_checked_without_a_traceback(path: str) -> None:
    result = run(path)
    assert result.files == 1
    for finding in result.findings:
        assert finding.line >= 1 and finding.message


@needs_shared
def test_the_shared_corpus_as_one_run_yields_every_notebook() -> None:
    result = run(*_shared_files())
    notebooks = [p for p in result.pods if p.dialect == "kubeflow"]
    # 29 files hold a Notebook; 2 are not YAML until rendered, 1 is a partial patch, and 3 are
    # Jupyter web app templates whose image is the empty placeholder (their pods are refused).
    # Two (a fork and its origin) write one Notebook, parasol-insurance/custom-workbench: as one
    # run, the one given last is the one checked, and the other says so. One more (pandeybk's
    # sudo-access-v7, an OpenShift AI workbench with a privileged container) is refused by the
    # restricted-v2 SCC: no pod, only openshift-scc-refused.
    assert len(notebooks) == 21
    twice = [f for f in result.findings if f.rule == "cluster-object-written-twice"]
    assert [(Path(f.file).name.split("__")[0], f.line) for f in twice] == [("FatherOfF2", 13)]
    assert "PodDefault" not in result.skipped and "Notebook" not in result.skipped
