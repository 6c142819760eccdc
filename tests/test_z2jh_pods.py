"""The z2jh pod builder's findings: rule, line and profile, and the chart defaults they name."""

from __future__ import annotations

from conftest import FIXTURES, ROOT, run

from nblint.dialects.z2jh.chart_config import chart_traits
from nblint.dialects.z2jh.pods import build_pods
from nblint.dialects.z2jh.values import build_release
from nblint.load import files

PODS = FIXTURES / "z2jh" / "pods"
CLOUD_NOTE = (
    "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh {} adds a "
    "privileged root init container"
)


def placed(result, rules=None):
    """``(rule, line, profile, container)`` of each finding, optionally of some rules only."""
    return sorted(
        (f.rule, f.line, f.profile or "", f.container or "")
        for f in result.findings
        if rules is None or f.rule in rules
    )


def release(name: str, version: str = "4.4.0"):
    path = str(PODS / name)
    built, _ = build_release([(path, files.load(path).documents[0].root)], (), version)
    return built


def test_chart_defaults_fail_baseline_on_the_cloud_metadata_init_container() -> None:
    for version in ("4.4.0", "3.3.8"):
        result = run(PODS / "defaults.yaml", level="baseline", chart_version=version)
        psa = [f for f in result.findings if f.group == "psa-baseline"]
        assert [(f.rule, f.line, f.container) for f in psa] == [
            ("capabilities-baseline", 2, "block-cloud-metadata"),
            ("privileged", 2, "block-cloud-metadata"),
        ]
        assert {f.note for f in psa} == {CLOUD_NOTE.format(version)}


def test_chart_defaults_fail_restricted_on_the_notebook_container() -> None:
    result = run(PODS / "defaults.yaml", chart_version="4.4.0", select={"psa-restricted"})
    notebook = [(f.rule, f.line, f.note) for f in result.findings if f.container == "notebook"]
    not_set = "not set: add it under hub.config.KubeSpawner.container_security_context"
    assert notebook == [
        ("capabilities-restricted", 2, not_set),
        ("run-as-non-root", 2, not_set),
        ("seccomp-profile-restricted", 2, not_set),
    ]


def test_chart_default_uid_is_named_at_the_nearest_written_key() -> None:
    pod = build_pods(release("defaults.yaml"))[0]
    origin = pod.provenance.locate(("spec", "containers", 0, "securityContext", "runAsUser"))
    assert (origin.line, origin.note) == (2, "chart default `singleuser.uid: 1000` of z2jh 4.4.0")


def test_hub_config_security_context_points_at_its_own_lines() -> None:
    pod = build_pods(release("security-contexts.yaml"))[0]
    locate = pod.provenance.locate
    sc = ("spec", "containers", 0, "securityContext")
    assert locate((*sc, "runAsUser")).line == 2  # singleuser.uid
    assert locate((*sc, "readOnlyRootFilesystem")).line == 18
    assert locate(("spec", "securityContext", "fsGroup")).line == 15  # pod_security_context wins
    assert locate(("spec", "securityContext", "runAsNonRoot")).line == 13


def test_extra_pod_config_security_context_drops_fs_group() -> None:
    pod = build_pods(release("extra-pod-config.yaml"))[0]
    assert pod.spec["securityContext"] == {"runAsNonRoot": True}
    assert pod.provenance.locate(("spec", "securityContext", "fsGroup")).line == 5


def test_profile_findings_point_at_the_profile_override() -> None:
    result = run(PODS / "profiles.yaml", select={"privileged"})
    assert placed(result) == [("privileged", 34, "GPU notebook", "gpu-check")]


def test_profile_tolerations_replace_the_chart_ones() -> None:
    pods = {p.profile: p for p in build_pods(release("profiles.yaml")) if not p.options}
    assert [t["key"] for t in pods["GPU notebook"].spec["tolerations"]] == ["nvidia.com/gpu"]
    assert [t["key"] for t in pods["CPU notebook"].spec["tolerations"]] == [
        "hub.jupyter.org/dedicated",
        "hub.jupyter.org_dedicated",
    ]
    origin = pods["GPU notebook"].provenance.locate(("spec", "tolerations", 0))
    assert origin.line == 27


def test_profile_dict_override_merges_and_null_deletes() -> None:
    cpu = build_pods(release("profiles.yaml"))[0]
    notebook = cpu.spec["containers"][0]
    assert notebook["securityContext"] == {
        "runAsUser": 1000,
        "allowPrivilegeEscalation": False,
        "runAsNonRoot": True,
    }
    assert [e["name"] for e in notebook["env"]] == ["ADDED"]
    assert (
        cpu.provenance.locate(("spec", "containers", 0, "securityContext", "runAsNonRoot")).line
        == 16
    )


def test_unlisted_choice_is_recorded_for_rules() -> None:
    pods = [p for p in build_pods(release("profiles.yaml")) if p.profile == "Pick an image"]
    assert pods[0].facts["unlisted_choices"] == [
        {
            "option": "image",
            "values_path": (
                "singleuser",
                "profileList",
                2,
                "profile_options",
                "image",
                "unlisted_choice",
            ),
            "validation_regex": None,
            "traits": ["image"],
        }
    ]


def test_deployment_facts() -> None:
    pod = build_pods(release("profiles.yaml"))[0]
    facts = pod.facts
    assert facts["extended_resources"] == ["nvidia.com/gpu"]
    assert facts["cull"]["enabled"] is True and facts["cull"]["timeout"] == 3600
    assert facts["authenticator_class"] == "dummy"
    assert facts["hub_extra_config_present"] is False
    assert facts["cloud_metadata_blocked"] is False
    assert facts["home_pvc"] == {
        "name_template": "claim-{user_server}",
        "capacity": "10Gi",
        "capacity_path": ("singleuser", "storage", "capacity"),
        "storage_class": None,
        "access_modes": ["ReadWriteOnce"],
    }


def test_trait_mapping_per_chart_family() -> None:
    """The 3.x hub assigns lists and the PVC template as claim name; 4.3+ assigns maps."""
    old = chart_traits(release("storage-dynamic-extra-volumes.yaml", "3.3.8").values, "3.3.8")
    new = chart_traits(release("storage-dynamic-extra-volumes.yaml").values, "4.4.0")
    assert old.get("volumes")[0]["persistentVolumeClaim"] == {"claimName": "home-{username}"}
    assert sorted(new.get("volumes")) == ["data", "files", "home-volume", "tmp"]
    assert new.get("volumes")["home-volume"]["persistentVolumeClaim"] == {"claimName": "{pvc_name}"}
    assert sorted(new.get("volume_mounts")) == ["0-files", "0-tmp", "1-data", "home-volume"]
    assert new.get("mem_guarantee") == 1024**3


def test_example_values_are_restricted_clean_for_cpu_and_gpu() -> None:
    example = ROOT / "examples" / "z2jh-values.yaml"
    for version in ("4.4.0", "3.3.8"):
        result = run(example, chart_version=version)
        assert [p.profile for p in result.pods] == ["CPU notebook (default)", "GPU notebook"]
        assert [f for f in result.findings if f.group.startswith("psa-")] == []


def test_memory_in_kubernetes_units_is_a_spawn_failure_at_its_line(tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("singleuser:\n  memory:\n    limit: 4Gi\n    guarantee: 1G\n")
    result = run(values, select={"z2jh-spawn-failure"})
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-spawn-failure", 3, 5)]
    assert result.findings[0].message.startswith("mem_limit '4Gi' is not a KubeSpawner memory size")
    assert result.findings[0].fix is not None and "limit: 4G" in result.findings[0].fix


def test_a_profiles_volumes_override_names_the_chart_volumes_it_drops_whatever_the_image() -> None:
    # The image is in no table (notebook-home-persistent cannot speak): the values alone say
    # that the chart mounts the home claim, an extra volume and extraFiles for every spawn, and
    # a list override replaces them (a map override merges into the 4.3+ chart's maps).
    result = run(
        PODS / "profile-volumes-drop-chart-volumes.yaml",
        select={"z2jh-override-drops-volumes"},
        chart_version="4.4.0",
    )
    assert [(f.line, f.column, f.profile) for f in result.findings] == [
        (29, 9, "Instructor"),
        (46, 17, "Exchange only"),
    ]
    instructor, shared = (f.message for f in result.findings)
    assert instructor == (
        "this override's `volumes` replaces the chart's list: the home claim (/home/jovyan), "
        "the `singleuser.extraFiles` (/etc/jupyter/nbgrader_config.py) and "
        "`singleuser.storage.extraVolumes` `exchange` (/srv/nbgrader) are not mounted in spawns "
        "of this profile"
    )
    # Only what the choice's override takes away: it mounts the exchange itself.
    assert shared == (
        "this override's `volume_mounts` replaces the chart's list: the home claim "
        "(/home/jovyan) and the `singleuser.extraFiles` (/etc/jupyter/nbgrader_config.py) are "
        "not mounted in spawns of choice `size=shared`"
    )
    # Under 3.x the map override is itself a spawn failure, said once as such.
    old = run(
        PODS / "profile-volumes-drop-chart-volumes.yaml",
        select={"z2jh-override-drops-volumes"},
        chart_version="3.3.8",
    )
    assert [(f.line, f.profile) for f in old.findings] == [
        (29, "Instructor"),
        (46, "Exchange only"),
    ]
