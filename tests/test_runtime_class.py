"""A RuntimeClass among the inputs is applied to the pods that name it, as the RuntimeClass
admission plugin does (field test 13b D5): its ``scheduling.nodeSelector`` merged into the
pod's (a key of both with two values: admission refuses the pod), its ``scheduling.tolerations``
appended, its ``overhead.podFixed`` the pod's overhead (which a quota charges). Each added field
is placed at the RuntimeClass line that adds it. A RuntimeClass not among the inputs leaves the
pod as written, and its GPU findings say the class may add what they miss."""

from __future__ import annotations

from conftest import FIXTURES, only_pod, run

RUNTIME = FIXTURES / "runtime-class"
GPU_RULES = {"notebook-gpu-node-selection", "notebook-gpu-toleration"}


def found(name: str, rules: set[str]) -> list[tuple[str, int, int, str]]:
    result = run(RUNTIME / name, select=rules)
    return [(f.rule, f.line, f.column, f.message) for f in result.findings]


def test_the_runtime_class_steers_and_tolerates_the_gpu_pod() -> None:
    assert found("gpu-scheduling-from-runtime-class.yaml", GPU_RULES) == []


def test_what_admission_adds_is_placed_at_the_runtime_class() -> None:
    pod = only_pod(run(RUNTIME / "gpu-scheduling-from-runtime-class.yaml"))
    assert pod.spec["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert pod.spec["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    selector = pod.provenance.locate(("spec", "nodeSelector", "nvidia.com/gpu.present"))
    toleration = pod.provenance.locate(("spec", "tolerations", 0))
    assert (selector.line, selector.note) == (8, "added by RuntimeClass/nvidia at admission")
    assert (toleration.line, toleration.note) == (10, "added by RuntimeClass/nvidia at admission")


def test_a_conflicting_node_selector_is_refused_by_admission() -> None:
    assert found("node-selector-conflict.yaml", {"runtime-class-conflict", *GPU_RULES}) == [
        (
            "runtime-class-conflict",
            13,
            3,
            "the RuntimeClass admission plugin refuses the pod of Pod/jupyter: its nodeSelector "
            'nvidia.com/gpu.present: "false" conflicts with RuntimeClass/nvidia\'s '
            'scheduling.nodeSelector nvidia.com/gpu.present: "true"; it is not created',
        )
    ]


def test_the_toleration_hint_lists_the_pods_own_not_what_admission_adds() -> None:
    result = run(RUNTIME / "other-toleration-kept-own.yaml", select=GPU_RULES)
    assert [(f.rule, f.line) for f in result.findings] == [("notebook-gpu-toleration", 23)]
    hint = result.findings[0].fix or ""
    assert "example.com/team" in hint
    assert "example.com/kata" not in hint
    assert "nvidia.com/gpu" in hint


def test_a_runtime_class_not_among_the_inputs_leaves_the_pod_as_written() -> None:
    note = (
        "; its RuntimeClass nvidia is not among the inputs: if it has scheduling, admission "
        "adds its nodeSelector and tolerations"
    )
    assert found("runtime-class-not-among-inputs.yaml", GPU_RULES) == [
        (
            "notebook-gpu-node-selection",
            12,
            18,
            "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has "
            "no nodeSelector or required node affinity): nothing steers it to one" + note,
        ),
        (
            "notebook-gpu-toleration",
            12,
            18,
            "the pod asks for nvidia.com/gpu but tolerates no GPU taint: unless the API server "
            "adds it (ExtendedResourceToleration), it stays Pending on GPU nodes tainted "
            "nvidia.com/gpu" + note,
        ),
    ]


def test_the_quota_charges_the_runtime_class_overhead() -> None:
    assert found("overhead-charged-by-quota.yaml", {"quota-exceeds-hard"}) == [
        (
            "quota-exceeds-hard",
            25,
            20,
            "exceeded quota: compute, requested: requests.cpu=1100m, used: requests.cpu=0, "
            "limited: requests.cpu=1 — one such pod is more than the quota holds: the pod is "
            "rejected",
        )
    ]


def test_wrong_types_are_left_as_written() -> None:
    result = run(RUNTIME / "wrong-types.yaml", select={"internal-error", "wrong-field-type"})
    assert [(f.rule, f.line) for f in result.findings] == [("wrong-field-type", 19)]
