"""The first z2jh port: values → KubeSpawner traits, as the chart's ``jupyterhub_config.py``
maps them (``nblint/dialects/z2jh/chart_config.py``).

Each case is one values setting and the trait it must become, with the values path the trait
remembers (where a finding on the pod field points). A mapping wired to the wrong key — the CPU
limit read from the guarantee, the required node affinity from the preferred one — fails here,
whatever the pod builder does with the traits.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import FIXTURES

from nblint.dialects.z2jh.chart_config import (
    RELEASE_NAME,
    chart_traits,
    chart_written_traits,
    release_chart_written,
)
from nblint.dialects.z2jh.placement import _helm_merge, _unset, configs_around
from nblint.dialects.z2jh.pods import build_pods
from nblint.dialects.z2jh.values import build_release, newest_chart_version

AFFINITY_TERM = {"matchExpressions": [{"key": "gpu", "operator": "In", "values": ["a100"]}]}
PREFERRED_TERM = {"weight": 10, "preference": AFFINITY_TERM}
#: What the chart's default ``scheduling.userPods.nodeAffinity.matchNodePurpose: prefer`` adds.
NODE_PURPOSE_PREFERRED = {
    "weight": 100,
    "preference": {
        "matchExpressions": [
            {"key": "hub.jupyter.org/node-purpose", "operator": "In", "values": ["user"]}
        ]
    },
}

#: (values under singleuser, trait, value it must take, values path it must name)
SINGLEUSER_CASES: list[tuple[dict[str, Any], str, Any, tuple[Any, ...]]] = [
    ({"cpu": {"limit": 2}}, "cpu_limit", 2.0, ("singleuser", "cpu", "limit")),
    ({"cpu": {"guarantee": 0.5}}, "cpu_guarantee", 0.5, ("singleuser", "cpu", "guarantee")),
    ({"memory": {"limit": "4G"}}, "mem_limit", 4 * 1024**3, ("singleuser", "memory", "limit")),
    (
        {"memory": {"guarantee": "1G"}},
        "mem_guarantee",
        1024**3,
        ("singleuser", "memory", "guarantee"),
    ),
    (
        {"extraNodeAffinity": {"required": [AFFINITY_TERM]}},
        "node_affinity_required",
        [AFFINITY_TERM],
        ("singleuser", "extraNodeAffinity", "required"),
    ),
    (
        {"extraNodeAffinity": {"preferred": [PREFERRED_TERM]}},
        "node_affinity_preferred",
        [PREFERRED_TERM, NODE_PURPOSE_PREFERRED],
        ("singleuser", "extraNodeAffinity", "preferred"),
    ),
    (
        {"extraAnnotations": {"a.example/b": "c"}},
        "extra_annotations",
        {"a.example/b": "c"},
        ("singleuser", "extraAnnotations"),
    ),
    (
        {"extraLabels": {"team": "data"}},
        "extra_labels",
        # Helm merges the user's map into the chart's default labels.
        {"hub.jupyter.org/network-access-hub": "true", "team": "data"},
        ("singleuser", "extraLabels"),
    ),
    ({"uid": 1001}, "uid", 1001, ("singleuser", "uid")),
    ({"fsGid": 100}, "fs_gid", 100, ("singleuser", "fsGid")),
    (
        {"serviceAccountName": "notebooks"},
        "service_account",
        "notebooks",
        ("singleuser", "serviceAccountName"),
    ),
    (
        {"extraEnv": {"EDITOR": "vim"}},
        "environment",
        {"EDITOR": "vim"},
        ("singleuser", "extraEnv"),
    ),
    (
        {"extraResource": {"limits": {"nvidia.com/gpu": "1"}}},
        "extra_resource_limits",
        {"nvidia.com/gpu": "1"},
        ("singleuser", "extraResource", "limits"),
    ),
    (
        {"image": {"name": "quay.io/jupyter/scipy-notebook", "tag": "2024-10-07"}},
        "image",
        "quay.io/jupyter/scipy-notebook:2024-10-07",
        ("singleuser", "image"),
    ),
    ({"cmd": "start-notebook.py"}, "cmd", ["start-notebook.py"], ("singleuser", "cmd")),
    (
        {"allowPrivilegeEscalation": True},
        "allow_privilege_escalation",
        True,
        ("singleuser", "allowPrivilegeEscalation"),
    ),
]


def traits(values: dict[str, Any], chart_version: str = "") -> Any:
    chart_version = chart_version or newest_chart_version()
    release, problems = build_release([("values.yaml", values)], (), chart_version)
    assert problems == []
    return chart_traits(release.values, chart_version, "RELEASE")


@pytest.mark.parametrize(
    ("singleuser", "trait", "value", "path"),
    SINGLEUSER_CASES,
    ids=[case[1] + "-" + ".".join(map(str, case[3][1:])) for case in SINGLEUSER_CASES],
)
def test_a_singleuser_setting_becomes_its_trait_with_its_values_path(
    singleuser: dict[str, Any], trait: str, value: Any, path: tuple[Any, ...]
) -> None:
    config = traits({"singleuser": singleuser})
    assert config.get(trait) == value
    found = config.source(trait)
    assert found is not None and found[0].path == path


def test_hub_config_kubespawner_replaces_the_chart_s_trait_and_names_its_own_line() -> None:
    config = traits(
        {
            "singleuser": {"cpu": {"limit": 2}},
            "hub": {"config": {"KubeSpawner": {"cpu_limit": 4}}},
        }
    )
    assert config.get("cpu_limit") == 4.0
    found = config.source("cpu_limit")
    assert found is not None and found[0].path == ("hub", "config", "KubeSpawner", "cpu_limit")


def test_hub_config_spawner_does_not_beat_the_chart_s_own_kubespawner_setting() -> None:
    config = traits(
        {
            "singleuser": {"cpu": {"limit": 2}},
            "hub": {"config": {"Spawner": {"cpu_limit": 8}}},
        }
    )
    assert config.get("cpu_limit") == 2.0


def test_the_chart_default_blocks_cloud_metadata_with_a_root_init_container() -> None:
    config = traits({})
    (container,) = config.get("init_containers")
    assert container["name"] == "block-cloud-metadata"
    assert container["securityContext"]["runAsUser"] == 0
    found = config.source("init_containers", (0,))
    assert found is not None
    assert found[0].path == ("singleuser", "cloudMetadata", "blockWithIptables")
    assert "chart default" in found[0].note


def test_dynamic_storage_makes_the_home_volume_and_its_mount() -> None:
    config = traits({"singleuser": {"storage": {"homeMountPath": "/home/rstudio"}}})
    volumes = config.get("volumes")
    mounts = config.get("volume_mounts")
    # Chart 4.3 and later keep both as maps keyed by name.
    assert volumes["volume-{user_server}"]["persistentVolumeClaim"] == {"claimName": "{pvc_name}"}
    (mount,) = [m for m in mounts.values() if m["name"] == "volume-{user_server}"]
    assert mount["mountPath"] == "/home/rstudio"
    assert config.get("storage_pvc_ensure") is True


def test_node_purpose_require_adds_a_required_term_not_a_preferred_one() -> None:
    config = traits({"scheduling": {"userPods": {"nodeAffinity": {"matchNodePurpose": "require"}}}})
    (term,) = config.get("node_affinity_required")
    assert term["matchExpressions"][0]["key"] == "hub.jupyter.org/node-purpose"
    assert config.get("node_affinity_preferred") == []


def test_chart_3_keeps_extra_volumes_as_a_list() -> None:
    volume = {"name": "data", "emptyDir": {}}
    config = traits({"singleuser": {"storage": {"extraVolumes": [volume]}}}, "3.3.8")
    assert isinstance(config.get("volumes"), list)
    assert volume in config.get("volumes")


# -- hints under hub.config share what the chart writes itself --------------------------------

HUB_CONFIG_HINTS = [
    {"hub": {"config": {"KubeSpawner": {"privileged": False}}}},
    {"hub": {"config": {"KubeSpawner": {"uid": 1000, "cpu_limit": 2, "mem_limit": "4G"}}}},
    {"hub": {"config": {"KubeSpawner": {"extra_pod_config": {"hostNetwork": False}}}}},
    {"hub": {"config": {"KubeSpawner": {"volumes": [], "image": "quay.io/jupyter/base:x"}}}},
    {"hub": {"config": {"Spawner": {"cmd": "jupyterhub-singleuser", "default_url": "/lab"}}}},
    {"hub": {"config": {"Spawner": {"volumes": [], "environment": {"A": 1}}}}},
]


def _z2jh_fixture_values() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted((FIXTURES / "z2jh").rglob("*.yaml")):
        try:
            documents = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError:
            continue
        document = documents[0] if documents else None
        if isinstance(document, dict) and ("singleuser" in document or "hub" in document):
            found.append((str(path.relative_to(FIXTURES)), document))
    return found


def _same_config(one: Any, other: Any) -> None:
    assert {name: trait.value for name, trait in one.traits.items()} == {
        name: trait.value for name, trait in other.traits.items()
    }
    assert {name: trait.sources for name, trait in one.traits.items()} == {
        name: trait.sources for name, trait in other.traits.items()
    }
    assert one.problems == other.problems


def test_the_chart_written_traits_read_nothing_under_hub_config() -> None:
    version = newest_chart_version()
    checked = 0
    for name, values in _z2jh_fixture_values():
        release, _ = build_release([(name, values)], (), version)
        hub = release.values.get("hub")
        without = {
            **release.values,
            "hub": {**(hub if isinstance(hub, dict) else {}), "config": {}},
        }
        _same_config(
            chart_written_traits(release.values, version), chart_written_traits(without, version)
        )
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("hint", HUB_CONFIG_HINTS, ids=lambda hint: ",".join(hint["hub"]["config"]))
def test_a_hub_config_hint_is_judged_as_on_the_whole_values(hint: dict[str, Any]) -> None:
    """:func:`configs_around` finishes both sides from one chart-written config: the same traits
    as building each side from its whole values."""
    version = newest_chart_version()
    for name, values in _z2jh_fixture_values():
        release, _ = build_release([(name, values)], (), version)
        before, after = configs_around(release, hint)
        unset = _helm_merge(release.values, _unset(hint))
        _same_config(before, chart_traits(unset, version, RELEASE_NAME, copies=False))
        merged = _helm_merge(release.values, hint)
        _same_config(after, chart_traits(merged, version, RELEASE_NAME, copies=False))


IMAGE_HINTS = [
    {"singleuser": {"image": {"name": "quay.io/jupyter/base-notebook", "tag": "2024-10-07"}}},
    {"singleuser": {"image": {"tag": "2024-10-07"}}},
    {"singleuser": {"image": {"name": "quay.io/jupyter/scipy-notebook"}}},
]


@pytest.mark.parametrize(
    "hint", IMAGE_HINTS, ids=lambda hint: ",".join(hint["singleuser"]["image"])
)
def test_an_image_hint_is_judged_as_on_the_whole_values(hint: dict[str, Any]) -> None:
    """:func:`configs_around` changes only the image trait of what the chart writes for an image
    hint: the same traits as building each side from its whole values (``hub.config`` and
    ``hub.extraConfig`` that set the image included)."""
    version = newest_chart_version()
    checked = 0
    for name, values in _z2jh_fixture_values():
        release, _ = build_release([(name, values)], (), version)
        before, after = configs_around(release, hint)
        unset = _helm_merge(release.values, _unset(hint))
        merged = _helm_merge(release.values, hint)
        _same_config(before, chart_traits(unset, version, RELEASE_NAME, copies=False))
        _same_config(after, chart_traits(merged, version, RELEASE_NAME, copies=False))
        checked += 1
    assert checked > 50


def test_building_a_release_s_pods_leaves_its_shared_chart_written_traits_as_they_were() -> None:
    """The pods start from a copy of :func:`release_chart_written`, which fix hints compare
    against afterwards: building every profile's pod must not change it."""
    version = newest_chart_version()
    checked = 0
    for name, values in _z2jh_fixture_values():
        release, _ = build_release([(name, values)], (), version)
        try:
            build_pods(release)
        except (ValueError, TypeError):  # a value the run refuses before it builds pods
            continue
        checked += 1
        _same_config(
            release_chart_written(release),
            chart_written_traits(release.values, version, RELEASE_NAME),
        )
    assert checked > 50
