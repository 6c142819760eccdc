"""GPUs beyond ``nvidia.com/gpu``, the node selections that pick GPU nodes, and GKE's own GPU
toleration (issue 16): the ``gpu-resources`` and ``gpu-nodes`` tables of ``rules/tables/``,
extensible with ``--rules-dir``."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, RULES, run

from nblint.model.rule import PsaPolicy
from nblint.run.pipeline import Options, Runner

GPU = FIXTURES / "gpu"
GPU_RULES = {
    "notebook-gpu-limit",
    "notebook-gpu-toleration",
    "notebook-gpu-node-selection",
    "notebook-gpu-count",
}


def found(name: str) -> list[tuple[str, int, str]]:
    return sorted((f.rule, f.line, f.severity) for f in run(GPU / name, select=GPU_RULES).findings)


def test_a_mig_slice_is_a_gpu() -> None:
    assert found("mig-slice-no-toleration.yaml") == [("notebook-gpu-toleration", 13, "warning")]


def test_a_shared_gpu_in_requests_only_is_not_scheduled() -> None:
    assert found("shared-gpu-requests-only.yaml") == [("notebook-gpu-limit", 13, "error")]


def test_the_user_node_selector_picks_no_gpu_nodes_and_is_named() -> None:
    result = run(GPU / "amd-gpu-user-node-selector.yaml", select=GPU_RULES)
    assert [(f.rule, f.line) for f in result.findings] == [("notebook-gpu-node-selection", 14)]
    assert result.findings[0].message == (
        "the pod asks for amd.com/gpu but its node selection picks no GPU nodes (it has "
        "nodeSelector hub.jupyter.org/node-purpose: user)"
    )


def test_an_intel_gpu_steered_by_required_affinity_passes() -> None:
    assert found("intel-gpu-required-affinity.yaml") == []


def test_on_gke_the_missing_toleration_is_a_note_that_gke_adds_it() -> None:
    result = run(GPU / "gke-accelerator-no-toleration.yaml", select=GPU_RULES)
    assert [(f.rule, f.line, f.severity) for f in result.findings] == [
        ("notebook-gpu-toleration", 13, "info")
    ]
    assert "GKE's ExtendedResourceToleration admission plugin adds" in result.findings[0].message


def test_a_team_table_makes_its_own_resource_a_gpu(tmp_path: Path) -> None:
    assert found("team-vgpu.yaml") == []
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "gpu-resources.yaml").write_text(
        "resources:\n  - {pattern: example.com/vgpu, vendor: example, kind: shared}\n"
    )
    options = Options(PsaPolicy("restricted", (1, 37)), GPU_RULES, rules_dirs=(str(tmp_path),))
    result = Runner(options, RULES).run([str(GPU / "team-vgpu.yaml")])
    assert sorted((f.rule, f.line) for f in result.findings) == [
        ("notebook-gpu-node-selection", 11),
        ("notebook-gpu-toleration", 11),
    ]


# ---------------------------------------------------------------------------------------------
# A quantity of 0 asks for no GPU (field test: PurdueAF's "GPUs: 0" choice)

GPU_AND_CULLING = GPU_RULES | {"notebook-idle-culling"}


def test_a_gpu_limit_of_zero_asks_for_no_gpu() -> None:
    assert found("zero-gpu-limit-pod.yaml") == []


def test_z2jh_choices_of_zero_gpus_ask_for_none_and_make_no_gpu_profile() -> None:
    result = run(GPU / "zero-gpu-choice-z2jh.yaml", select=GPU_AND_CULLING)
    assert len(result.pods) == 2
    assert result.findings == []
    assert [p.facts["extended_resources"] for p in result.pods] == [[], []]


def test_beside_a_choice_of_zero_gpus_the_choice_of_one_is_a_gpu() -> None:
    result = run(GPU / "zero-and-one-gpu-choices-z2jh.yaml", select=GPU_AND_CULLING)
    assert sorted((f.rule, f.line, f.options) for f in result.findings) == [
        ("notebook-gpu-node-selection", 24, {"gpus": "one"}),
        ("notebook-gpu-toleration", 24, {"gpus": "one"}),
        ("notebook-idle-culling", 6, None),
    ]
    culling = next(f for f in result.findings if f.rule == "notebook-idle-culling")
    assert culling.message.endswith("at most 1800 s while GPU profiles exist")
