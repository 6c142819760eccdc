"""The same values rendered under several z2jh releases: the pods differ where the releases
really differ — the chart's defaults and hub configuration, and the KubeSpawner its hub image pins
(6.0.0 in 3.0.x, 6.1.0 in 3.1.0, 6.2.0 in 3.2.0 to 3.3.8, 7.0.0 in 4.x).

The fixtures are end-to-end fixtures too: ``tests/test_z2jh_end_to_end.py`` proves each of these
pods against the release's own hub configuration and KubeSpawner.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import FIXTURES, run

from nblint.model.pod import EffectivePod
from nblint.model.result import RunResult

E2E = FIXTURES / "z2jh" / "end-to-end"
SAME_VALUES = E2E / "one-file-many-releases.yaml"
#: One release of each KubeSpawner, and each generation of the chart's hub configuration.
RELEASES = ("3.0.3", "3.1.0", "3.2.1", "3.3.8", "4.0.0", "4.2.0", "4.3.0", "4.4.0")


def render(chart_version: str, path: Any = SAME_VALUES) -> RunResult:
    return run(path, chart_version=chart_version, select={"z2jh"})


def default_pod(result: RunResult) -> EffectivePod:
    """The pod of the profile's default choices (drawn first)."""
    return result.pods[0]


def per_release(read: Any) -> dict[str, Any]:
    return {version: read(default_pod(render(version))) for version in RELEASES}


def test_kubespawner_7_names_pods_by_the_user_s_server() -> None:
    assert per_release(lambda pod: pod.pod["metadata"]["name"]) == {
        **dict.fromkeys(RELEASES[:4], "jupyter-{username}--{servername}"),
        **dict.fromkeys(RELEASES[4:], "jupyter-{user_server}"),
    }


def test_the_home_volume_and_its_claim_follow_the_chart_s_name_templates() -> None:
    def home(pod: EffectivePod) -> tuple[str, str]:
        claim = next(v for v in pod.pod["spec"]["volumes"] if "persistentVolumeClaim" in v)
        return claim["name"], claim["persistentVolumeClaim"]["claimName"]

    assert per_release(home) == {
        # 3.x: the chart's own templates, as KubeSpawner 6 reads them.
        **dict.fromkeys(
            RELEASES[:4], ("volume-{username}{servername}", "claim-{username}{servername}")
        ),
        # 4.x: no pvcNameTemplate of the chart's, so KubeSpawner 7's own; `{pvc_name}` filled in.
        **dict.fromkeys(RELEASES[4:], ("volume-{user_server}", "claim-{user_server}")),
    }


def test_4_3_keeps_volumes_in_maps_and_kubespawner_7_sorts_them_by_key() -> None:
    def order(pod: EffectivePod) -> tuple[list[str], list[str]]:
        spec = pod.pod["spec"]
        mounts = spec["containers"][0]["volumeMounts"]
        return [v["name"] for v in spec["volumes"]], [m["mountPath"] for m in mounts]

    found = per_release(order)
    # Lists, in the order the chart's configuration builds them: home, files, then the user's.
    for version in RELEASES[:6]:
        home = "volume-{username}{servername}" if version < "4" else "volume-{user_server}"
        assert found[version] == (
            [home, "files", "scratch"],
            ["/home/jovyan", "/etc/motd", "/scratch"],
        ), version
    # Maps from 4.3 on: `files`, `scratch`, `volume-…` and mounts `0-files`, `0-scratch`, `home`.
    for version in RELEASES[6:]:
        assert found[version] == (
            ["files", "scratch", "volume-{user_server}"],
            ["/etc/motd", "/scratch", "/home/jovyan"],
        ), version


def test_kubespawner_6_0_and_6_1_pull_if_not_present_and_later_ones_leave_it_to_kubernetes() -> (
    None
):
    def policy(pod: EffectivePod) -> Any:
        return pod.pod["spec"]["containers"][0].get("imagePullPolicy")

    assert per_release(policy) == {
        "3.0.3": "IfNotPresent",
        "3.1.0": "IfNotPresent",
        **dict.fromkeys(RELEASES[2:], None),
    }


def test_the_chart_labels_its_pods_by_release_family_and_kubespawner_7_adds_its_own() -> None:
    def metadata(pod: EffectivePod) -> tuple[list[str], dict[str, str]]:
        meta = pod.pod["metadata"]
        return sorted(meta["labels"]), dict(meta["annotations"])

    found = per_release(metadata)
    three = [
        *("app", "chart", "component", "heritage", "hub.jupyter.org/network-access-hub"),
        *("hub.jupyter.org/servername", "hub.jupyter.org/username", "release", "team"),
    ]
    for version in RELEASES[:4]:
        assert found[version] == (three, {"hub.jupyter.org/username": "{unescaped_username}"})
    four = sorted(
        [
            *three,
            *("app.kubernetes.io/component", "app.kubernetes.io/instance"),
            *("app.kubernetes.io/managed-by", "app.kubernetes.io/name", "helm.sh/chart"),
        ]
    )
    four.remove("heritage")
    hub = {"4.0.0": "5.2.1", "4.2.0": "5.3.0", "4.3.0": "5.4.0", "4.4.0": "5.5.0"}
    for version in RELEASES[4:]:
        assert found[version] == (
            four,
            {
                "hub.jupyter.org/username": "{unescaped_username}",
                "hub.jupyter.org/kubespawner-version": "7.0.0",
                "hub.jupyter.org/jupyterhub-version": hub[version],
            },
        ), version


def test_each_release_s_defaults_name_its_own_images() -> None:
    def init_image(pod: EffectivePod) -> str:
        return str(pod.pod["spec"]["initContainers"][0]["image"])

    found = per_release(init_image)
    for version in RELEASES:
        # The chart's images moved to quay.io in 3.2.0; each release tags them with itself.
        registry = "quay.io/jupyterhub" if version >= "3.2" else "jupyterhub"
        assert found[version] == f"{registry}/k8s-network-tools:{version}"


def test_a_trait_kubespawner_6_0_and_6_1_lack_is_reported_for_those_releases_only() -> None:
    for version in RELEASES:
        found = [
            (f.rule, f.line, f.column, f.profile)
            for f in render(version).findings
            if f.rule == "z2jh-unknown-trait"
        ]
        expected = [("z2jh-unknown-trait", 7, 7, None)] if version in ("3.0.3", "3.1.0") else []
        assert found == expected, version


def test_the_default_choice_is_the_first_in_the_hub_s_key_order_in_every_release() -> None:
    # Not a difference: `base` sorts before `scipy`, whatever the file's order, in all releases.
    assert per_release(lambda pod: pod.options) == {v: {"image": "base"} for v in RELEASES}


@pytest.mark.parametrize("version", RELEASES)
def test_maps_of_extra_volumes_are_for_4_3_and_later(version: str) -> None:
    result = render(version, FIXTURES / "z2jh" / "pods" / "storage-extra-volumes-map.yaml")
    wrong = [(f.rule, f.line, f.column) for f in result.findings if f.rule == "z2jh-wrong-type"]
    volumes = [v["name"] for v in default_pod(result).pod["spec"]["volumes"]]
    if version < "4.3":
        # Helm refuses a map where the release's schema wants a list.
        assert wrong == [("z2jh-wrong-type", 4, 5), ("z2jh-wrong-type", 8, 5)]
        assert "tmp" not in volumes
    else:
        assert wrong == []
        assert "tmp" in volumes
