"""A GPU requested without a limit is refused by the API server whatever runs it: a notebook
is told by its checklist (notebook-gpu-limit), a workload that is not a notebook (a model server)
by request-not-limit, with none of the checklist's findings."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

GPU = FIXTURES / "gpu"


def test_a_model_server_requesting_a_gpu_without_a_limit_is_refused_without_checklist_noise() -> (
    None
):
    findings = run(GPU / "model-server-gpu-request-no-limit.yaml").findings
    assert brief(findings) == [
        ("workload-not-a-notebook", 12, 11),  # its image: a model server
        ("request-not-limit", 16, 15),
    ]
    refusal = findings[1]
    assert refusal.severity == "error"
    assert refusal.message == (
        "container server requests 1 nvidia.com/gpu, but no limit of it (one it must set, equal "
        "to the request): the API server refuses the pod"
    )


def test_a_workload_annotated_not_a_notebook_gets_the_same_refusal() -> None:
    findings = run(GPU / "annotated-non-notebook-gpu-request-no-limit.yaml").findings
    assert [(f.rule, f.line) for f in findings] == [
        ("workload-not-a-notebook", 5),
        ("request-not-limit", 18),
    ]


def test_a_notebook_keeps_notebook_gpu_limit_and_no_second_refusal() -> None:
    findings = run(GPU / "notebook-deployment-gpu-request-no-limit.yaml").findings
    refusals = [f for f in findings if f.rule in ("notebook-gpu-limit", "request-not-limit")]
    assert brief(refusals) == [("notebook-gpu-limit", 16, 15)]
