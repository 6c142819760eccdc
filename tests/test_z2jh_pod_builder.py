"""The second z2jh port: KubeSpawner traits → the singleuser pod, as KubeSpawner's pod builder
makes it (``nblint/dialects/z2jh/pod_builder.py``).

Each case sets one trait on an otherwise default configuration and checks the pod field it
becomes and the values path that field is traced to. The whole pod is proven against the real
KubeSpawner in ``test_z2jh_kubespawner.py``; these say which trait lands where.
"""

from __future__ import annotations

from typing import Any

import pytest

from nblint.dialects.z2jh.pod_builder import make_pod
from nblint.dialects.z2jh.traits import Source, SpawnerConfig, normalise_types
from nblint.model.pod import get_path

NOTEBOOK = ("spec", "containers", 0)
TERM = {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["a100"]}]}

#: (trait, value, pod path of the field it becomes, the field's value)
CASES: list[tuple[str, Any, tuple[Any, ...], Any]] = [
    ("cpu_limit", 2.0, (*NOTEBOOK, "resources", "limits", "cpu"), 2.0),
    ("cpu_guarantee", 0.5, (*NOTEBOOK, "resources", "requests", "cpu"), 0.5),
    ("mem_limit", 4096, (*NOTEBOOK, "resources", "limits", "memory"), 4096),
    ("mem_guarantee", 1024, (*NOTEBOOK, "resources", "requests", "memory"), 1024),
    (
        "extra_resource_limits",
        {"nvidia.com/gpu": "1"},
        (*NOTEBOOK, "resources", "limits", "nvidia.com/gpu"),
        "1",
    ),
    (
        "node_affinity_required",
        [TERM],
        (
            "spec",
            "affinity",
            "nodeAffinity",
            "requiredDuringSchedulingIgnoredDuringExecution",
            "nodeSelectorTerms",
        ),
        [TERM],
    ),
    (
        "node_affinity_preferred",
        [{"weight": 1, "preference": TERM}],
        ("spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution"),
        [{"weight": 1, "preference": TERM}],
    ),
    ("extra_annotations", {"a.example/b": "c"}, ("metadata", "annotations", "a.example/b"), "c"),
    ("extra_labels", {"team": "data"}, ("metadata", "labels", "team"), "data"),
    ("uid", 1001, (*NOTEBOOK, "securityContext", "runAsUser"), 1001),
    ("gid", 100, (*NOTEBOOK, "securityContext", "runAsGroup"), 100),
    ("fs_gid", 100, ("spec", "securityContext", "fsGroup"), 100),
    ("privileged", True, (*NOTEBOOK, "securityContext", "privileged"), True),
    ("image", "jupyter/scipy-notebook:2024-10-07", (*NOTEBOOK, "image"), None),
    ("image_pull_policy", "Always", (*NOTEBOOK, "imagePullPolicy"), "Always"),
    ("service_account", "notebooks", ("spec", "serviceAccountName"), "notebooks"),
    ("node_selector", {"pool": "gpu"}, ("spec", "nodeSelector"), {"pool": "gpu"}),
    (
        "tolerations",
        [{"key": "gpu", "operator": "Exists"}],
        ("spec", "tolerations"),
        [{"key": "gpu", "operator": "Exists"}],
    ),
    ("extra_pod_config", {"host_network": True}, ("spec", "hostNetwork"), True),
    (
        "extra_container_config",
        {"security_context": {"readOnlyRootFilesystem": True}},
        (*NOTEBOOK, "securityContext"),
        {"readOnlyRootFilesystem": True},
    ),
    ("scheduler_name", "custom", ("spec", "schedulerName"), "custom"),
    ("priority_class_name", "notebooks", ("spec", "priorityClassName"), "notebooks"),
]


def built(trait: str, value: Any) -> tuple[dict[str, Any], Any]:
    config = SpawnerConfig("4.4.0")
    config.set(trait, value, Source(("hub", "config", "KubeSpawner", trait)))
    normalise_types(config)
    return make_pod(config)


@pytest.mark.parametrize(("trait", "value", "path", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_trait_lands_in_its_pod_field_traced_to_its_values_key(
    trait: str, value: Any, path: tuple[Any, ...], expected: Any
) -> None:
    pod, sources = built(trait, value)
    found, field = get_path(pod, path)
    assert found, path
    assert field == (value if expected is None else expected)
    traced = [
        source.path
        for at, source in sources.entries.items()
        if path[: len(at)] == at and source.path[:4] == ("hub", "config", "KubeSpawner", trait)
    ]
    assert traced, f"{path} is not traced to hub.config.KubeSpawner.{trait}"


def test_no_service_account_means_no_token_mounted() -> None:
    pod, _ = make_pod(SpawnerConfig("4.4.0"))
    assert pod["spec"]["automountServiceAccountToken"] is False


def test_a_container_security_context_trait_is_laid_over_uid_and_escalation() -> None:
    config = SpawnerConfig("4.4.0")
    config.set("uid", 1000, Source(("singleuser", "uid")))
    config.set(
        "container_security_context",
        {"runAsUser": 1001, "capabilities": {"drop": ["ALL"]}},
        Source(("hub", "config", "KubeSpawner", "container_security_context")),
    )
    pod, _ = make_pod(config)
    assert pod["spec"]["containers"][0]["securityContext"] == {
        "runAsUser": 1001,
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    }


def test_environment_is_sorted_by_name_with_references_resolved_first() -> None:
    config = SpawnerConfig("4.4.0")
    config.set(
        "environment",
        {"B": "$(A)/x", "A": "1", "C": "3"},
        Source(("singleuser", "extraEnv")),
    )
    pod, _ = make_pod(config)
    assert [e["name"] for e in pod["spec"]["containers"][0]["env"]] == ["A", "C", "B"]


def test_volumes_given_as_a_map_are_used_in_key_order() -> None:
    config = SpawnerConfig("4.4.0")
    config.set(
        "volumes",
        {"b": {"name": "second", "emptyDir": {}}, "a": {"name": "first", "emptyDir": {}}},
        Source(("singleuser", "storage", "extraVolumes")),
    )
    pod, _ = make_pod(config)
    assert [v["name"] for v in pod["spec"]["volumes"]] == ["first", "second"]
