"""GPUs beyond ``nvidia.com/gpu``, the node selections that pick GPU nodes, and GKE's own GPU
toleration (issue 16): the ``gpu-resources`` and ``gpu-nodes`` tables of ``rules/tables/``,
extensible with ``--rules-dir``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, RULES, run

# The session's hub oracles, shared with the end-to-end tests (fixtures by name).
from test_z2jh_end_to_end import assert_same_pods, hubs  # noqa: F401

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


def test_no_node_selection_is_said_as_no_gpu_pool_not_as_no_gpu_node() -> None:
    # A pod that asks for a GPU schedules only on nodes that advertise it: with no selection it
    # gets some GPU node, of any pool. The message must not say it picks none (field test 2, #6).
    result = run(GPU / "node-selection-none.yaml", select=GPU_RULES)
    assert [(f.rule, f.line) for f in result.findings] == [("notebook-gpu-node-selection", 13)]
    assert result.findings[0].message == (
        "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has no "
        "nodeSelector or required node affinity): nothing steers it to one"
    )


def test_the_user_node_selector_names_no_gpu_pool_and_is_named() -> None:
    result = run(GPU / "amd-gpu-user-node-selector.yaml", select=GPU_RULES)
    assert [(f.rule, f.line) for f in result.findings] == [("notebook-gpu-node-selection", 14)]
    assert result.findings[0].message == (
        "the pod asks for amd.com/gpu but its node selection names no GPU pool (it has "
        "nodeSelector hub.jupyter.org/node-purpose: user): nothing steers it to one"
    )


def test_an_intel_gpu_steered_by_required_affinity_passes() -> None:
    assert found("intel-gpu-required-affinity.yaml") == []


# A toleration whose key or value names a GPU tolerates a GPU taint, by the word test that makes
# a node label whose key or value names a GPU pick GPU nodes (field test 18b, D6).


def test_the_aks_gpu_taint_sku_gpu_is_tolerated() -> None:
    assert found("toleration-aks-sku-gpu.yaml") == []


def test_a_toleration_whose_value_names_a_gpu_pool_is_tolerated() -> None:
    assert found("toleration-value-names-a-gpu-pool.yaml") == []


def test_a_toleration_whose_key_and_value_name_no_gpu_is_none() -> None:
    assert found("toleration-sku-cpu-only.yaml") == [("notebook-gpu-toleration", 16, "warning")]


def test_the_rule_claims_extended_resource_toleration_for_gke_only() -> None:
    # Which AKS clusters run the plugin nblint cannot tell; the doc says only what the
    # behaviour does (GKE's labels soften the finding, no other platform's).
    why = RULES["notebook-gpu-toleration"].why
    assert "AKS enable" not in why
    assert "sku=gpu" in why


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


# ---------------------------------------------------------------------------------------------
# The toleration fix keeps the pod's tolerations (field test: it replaced them with the chart's
# defaults, stranding PurdueAF's GPU pods off their dedicated nodes)

USER_TOLERATIONS = [
    {
        "key": "hub.jupyter.org/dedicated",
        "operator": "Equal",
        "value": "cms-af",
        "effect": "NoSchedule",
    },
    {"key": "example.com/spot", "operator": "Exists", "effect": "NoSchedule"},
]
GPU_TOLERATION = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}


def fixed_by_nblint(fixture: Path, tmp_path: Path) -> Path:
    """``fixture`` after ``nblint fix --unsafe-fixes --select notebook-gpu-toleration``."""
    from nblint.run import fixing

    path = tmp_path / fixture.name
    path.write_text(fixture.read_text())
    options = Options(select={"notebook-gpu-toleration"})
    outcome = fixing.fix(
        lambda texts: Runner(options.replace(texts=texts), RULES).run([str(path)]), unsafe=True
    )
    assert [why for _, why in outcome.failed] == []
    path.write_text(outcome.texts[str(path)])
    return path


def test_the_z2jh_profile_fix_keeps_the_user_tolerations(tmp_path: Path) -> None:
    fixture = GPU / "toleration-keeps-user-tolerations-z2jh.yaml"
    (finding,) = run(fixture, select={"notebook-gpu-toleration"}).findings
    assert finding.fix == (
        "# in singleuser.profileList[0].kubespawner_override\n"
        "tolerations:\n"
        "- key: hub.jupyter.org/dedicated\n  operator: Equal\n  value: cms-af\n"
        "  effect: NoSchedule\n"
        "- key: example.com/spot\n  operator: Exists\n  effect: NoSchedule\n"
        "- key: nvidia.com/gpu\n  operator: Exists\n  effect: NoSchedule"
    )
    fixed = fixed_by_nblint(fixture, tmp_path)
    after = run(fixed)
    assert [f for f in after.findings if f.rule == "notebook-gpu-toleration"] == []
    (pod,) = after.pods
    assert pod.spec["tolerations"] == [*USER_TOLERATIONS, GPU_TOLERATION]


def test_without_a_profile_the_z2jh_fix_adds_to_extra_tolerations(tmp_path: Path) -> None:
    fixture = GPU / "toleration-no-profile-z2jh.yaml"
    (finding,) = run(fixture, select={"notebook-gpu-toleration"}).findings
    assert finding.fix == (
        "singleuser:\n"
        "  extraTolerations:\n"
        "  - key: example.com/spot\n    operator: Exists\n    effect: NoSchedule\n"
        "  - key: nvidia.com/gpu\n    operator: Exists\n    effect: NoSchedule"
    )
    fixed = fixed_by_nblint(fixture, tmp_path)
    assert "kubespawner_override" not in fixed.read_text()
    after = run(fixed)
    assert [f for f in after.findings if f.rule == "notebook-gpu-toleration"] == []
    (pod,) = after.pods
    assert pod.spec["tolerations"] == [*USER_TOLERATIONS, GPU_TOLERATION]


def test_the_manifest_fix_keeps_the_pod_tolerations(tmp_path: Path) -> None:
    fixture = GPU / "toleration-keeps-pod-tolerations.yaml"
    (finding,) = run(fixture, select={"notebook-gpu-toleration"}).findings
    assert "value: '{team}'" in (finding.fix or "")
    fixed = fixed_by_nblint(fixture, tmp_path)
    after = run(fixed)
    assert [f for f in after.findings if f.rule == "notebook-gpu-toleration"] == []
    (pod,) = after.pods
    assert pod.spec["tolerations"] == [
        {
            "key": "example.com/dedicated",
            "operator": "Equal",
            "value": "{team}",
            "effect": "NoSchedule",
        },
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
    ]


@pytest.mark.parametrize(
    "name", ["toleration-keeps-user-tolerations-z2jh.yaml", "toleration-no-profile-z2jh.yaml"]
)
def test_the_chart_s_hub_spawns_the_fixed_pod_with_every_toleration(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The oracle of test_z2jh_end_to_end.py (Helm, the chart's hub configuration, KubeSpawner)
    on the fixed values: it builds the pod nblint draws, user tolerations and GPU's included."""
    fixed = fixed_by_nblint(GPU / name, tmp_path)
    hub = assert_same_pods(request.getfixturevalue("hubs"), [fixed], "4.4.0", tmp_path / "m")
    (spawned,) = hub["spawns"]
    assert spawned["pod"]["spec"]["tolerations"] == [*USER_TOLERATIONS, GPU_TOLERATION]


# ---------------------------------------------------------------------------------------------
# Where the node-selection fix goes, and how the message names the selection


def test_without_a_profile_the_node_selection_fix_is_singleuser_node_selector() -> None:
    (finding,) = run(
        GPU / "node-selection-no-profile-z2jh.yaml", select={"notebook-gpu-node-selection"}
    ).findings
    assert (finding.rule, finding.line) == ("notebook-gpu-node-selection", 6)
    assert finding.fix == (
        "singleuser:\n  nodeSelector:\n    cloud.google.com/gke-accelerator: nvidia-tesla-t4"
        "   # your GPU pool's label"
    )


def test_a_required_affinity_is_named_with_its_values() -> None:
    (finding,) = run(
        GPU / "node-selection-user-affinity-z2jh.yaml", select={"notebook-gpu-node-selection"}
    ).findings
    assert finding.message == (
        "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has "
        "required affinity hub.jupyter.org/node-purpose In [user]): nothing steers it to one"
    )


def test_a_label_of_the_cluster_s_own_may_be_the_gpu_pool_but_a_cpu_pool_is_not() -> None:
    result = run(GPU / "gpu-on-a-site-label.yaml", select={"notebook-gpu-node-selection"})
    assert [(f.line, f.object, f.message) for f in result.findings] == [
        (
            21,
            "Pod/cpu-pool",
            "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has "
            "nodeSelector eks-node-group: jupyter-compute-cpu): nothing steers it to one",
        ),
        (
            31,
            "Pod/user-nodes",
            "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has "
            "nodeSelector hub.jupyter.org/node-purpose: user; nodeSelector kubernetes.io/arch: "
            "amd64): nothing steers it to one",
        ),
    ]


def test_the_node_selection_hint_names_a_label_of_the_gpu_s_own_vendor() -> None:
    # Field test 7a M2: an Intel GPU was told to select NVIDIA's GKE label.
    (finding,) = run(
        GPU / "intel-gpu-no-node-selection-z2jh.yaml", select={"notebook-gpu-node-selection"}
    ).findings
    assert finding.fix is not None
    assert 'intel.feature.node.kubernetes.io/gpu: "true"   # your GPU pool\'s label' in finding.fix
    assert "nvidia" not in finding.fix


def test_a_gpu_whose_vendor_has_no_pool_label_gets_a_placeholder() -> None:
    (finding,) = run(
        GPU / "amd-gpu-no-node-selection.yaml", select={"notebook-gpu-node-selection"}
    ).findings
    assert finding.fix is not None
    assert '<your-gpu-node-label>: "<value>"   # your GPU pool\'s label' in finding.fix
    assert "nvidia" not in finding.fix


def by_env(name: str) -> list[tuple[int, str | None]]:
    return [
        (f.line, f.profile)
        for f in run(GPU / name, select={"notebook-gpu-by-env"}).findings
        if f.rule == "notebook-gpu-by-env"
    ]


def test_a_gpu_chosen_by_nvidia_visible_devices_is_said_at_the_variable() -> None:
    # Each profile at its own line; `void` (no GPU at all) is not a choice of GPU.
    assert by_env("gpu-chosen-by-env-z2jh.yaml") == [(15, "GPU 3"), (19, "All GPUs")]
    assert by_env("gpu-chosen-by-env-pod.yaml") == [(12, None)]


# ---------------------------------------------------------------------------------------------
# A GPU published under a vendor's own name (field test 8b: nvidia.com/rtxa6000), and the API
# server's rule that an extended resource is requested only with an equal limit


def test_gpus_named_by_their_vendor_are_gpus_and_a_nic_of_the_domain_is_not() -> None:
    result = run(GPU / "vendor-named-gpus.yaml", select=GPU_RULES | {"request-not-limit"})
    assert sorted((f.rule, f.line, f.column, f.object) for f in result.findings) == [
        ("notebook-gpu-count", 21, 20, "Pod/requests-only"),
        ("notebook-gpu-limit", 21, 20, "Pod/requests-only"),
        ("notebook-gpu-limit", 21, 36, "Pod/requests-only"),
        ("notebook-gpu-limit", 21, 59, "Pod/requests-only"),
        ("notebook-gpu-node-selection", 11, 18, "Pod/renamed"),
        ("notebook-gpu-node-selection", 21, 20, "Pod/requests-only"),
        ("notebook-gpu-toleration", 11, 18, "Pod/renamed"),
        ("notebook-gpu-toleration", 21, 20, "Pod/requests-only"),
        # The NIC is no GPU; a request of any extended resource without a limit is refused.
        ("request-not-limit", 32, 47, "Pod/nic"),
    ]
    refused = next(f for f in result.findings if f.rule == "request-not-limit")
    assert refused.message == (
        "container nb requests 1 example.com/dongle, but no limit of it (one it must set, equal "
        "to the request): the API server refuses the pod"
    )
    limit = next(f for f in result.findings if f.rule == "notebook-gpu-limit")
    assert "the API server refuses the pod" in limit.message


def test_the_gpu_limit_fix_equals_the_request() -> None:
    result = run(GPU / "vendor-named-gpus.yaml", select={"notebook-gpu-limit"})
    amd = next(f for f in result.findings if "amd.com/gpu" in f.message)
    assert amd.fix is not None and "amd.com/gpu: 2" in amd.fix


def test_a_gpu_count_a_choice_offers_gets_advice_and_a_written_once_count_no_guarantee() -> None:
    # Field test 9a, D2: the fix rewrote the choice labelled "4" to 1 GPU (five labels, two
    # pods) and added a guarantee equal to the limit, which the API server fills in anyway.
    result = run(GPU / "gpu-count-offered-by-a-choice-z2jh.yaml", select={"notebook-gpu-count"})
    by_line = {f.line: f for f in result.findings}
    assert sorted(by_line) == [15, 29]
    offered = by_line[29]
    assert (offered.applicability, offered.edit) == ("display-only", None)
    assert offered.fix == (
        "A profile or an option choice offers these 4 GPUs (users pick it by its label), so "
        "nblint does not lower the count: remove that profile or choice if a notebook may not "
        "have more than 1, or raise `max_gpus` for this rule "
        "(`[tool.nblint.options.notebook-gpu-count]`) if it may."
    )
    everyone = by_line[15]
    assert everyone.applicability == "unsafe" and everyone.edit is not None
    assert everyone.fix == 'singleuser:\n  extraResource:\n    limits:\n      nvidia.com/gpu: "1"'


def test_amounts_of_one_gpu_are_not_counted_as_gpus() -> None:
    # Intel's GPU Aware Scheduling: 200 millicores and 2G of one i915 GPU (a fifth of it), not
    # 200 GPUs; lowering it to 1 would leave the notebook 0.1 % of the GPU.
    assert found("intel-gpu-fractional-shares.yaml") == [("notebook-gpu-toleration", 26, "warning")]
    result = run(GPU / "intel-gpu-fractional-shares.yaml", select={"notebook-gpu-count"})
    assert result.findings == []


def test_hami_amounts_are_not_counted_as_gpus(tmp_path: Path) -> None:
    text = (GPU / "intel-gpu-fractional-shares.yaml").read_text()
    text = text.replace("gpu.intel.com/i915: 1", "nvidia.com/gpu: 1")
    text = text.replace("gpu.intel.com/millicores: 200", "nvidia.com/gpucores: 30")
    text = text.replace("gpu.intel.com/memory.max: 2G", "nvidia.com/gpumem: 3000")
    path = tmp_path / "hami.yaml"
    path.write_text(text)
    assert run(path, select={"notebook-gpu-count"}).findings == []


def test_a_gpu_every_user_gets_from_extra_resource_holds_culling_to_the_gpu_limit() -> None:
    # Field test 22a D5: the GPU facts came from profiles only; the default pod's resources
    # (`singleuser.extraResource`) give every user a GPU, the stronger case for the GPU limit.
    result = run(
        GPU / "gpu-for-every-user-extra-resource-z2jh.yaml", select={"notebook-idle-culling"}
    )
    assert [(f.rule, f.line) for f in result.findings] == [("notebook-idle-culling", 5)]
    assert result.findings[0].message.endswith("at most 1800 s while notebooks get GPUs")
    assert result.pods[0].facts["extended_resources"] == ["nvidia.com/gpu"]
