"""Volumes and mounts the API server refuses (field test 7a: D6, D7).

- ``mount-without-volume``: a container mounts a volume the pod does not have
  (``volumeMounts[i].name: Not found``), in every dialect; KubeSpawner's ``{username}``-style
  names match what they may expand to, and where the pod may have volumes nblint does not see (an
  umbrella chart's own values.yaml, extraConfig code that sets volumes, PodDefaults it was not
  given) an info says where the volume may come from (field test 14a M1).
- ``volume-claim-name-missing``: a claim volume that names no claim (z2jh static storage without
  ``static.pvcName``: ``claimName: Required value``).
"""

from __future__ import annotations

from conftest import FIXTURES, brief, run

from nblint.model.finding import Finding

CASES = FIXTURES / "refused-volumes"
RULES = {"mount-without-volume", "volume-claim-name-missing"}


def _found(name: str) -> list:
    return [f for f in run(CASES / name, select=RULES).findings]


def test_a_mount_of_home_without_storage_is_refused() -> None:
    [finding] = _found("z2jh-mount-of-home-without-storage.yaml")
    assert brief([finding]) == [("mount-without-volume", 5, 9)]
    assert finding.message == (
        "container notebook mounts volume home at /home/jovyan/shared, which the pod does not "
        "have: the API server refuses the pod"
    )
    assert finding.applicability == "display-only"


def test_dynamic_storage_has_no_volume_named_home() -> None:
    # 4.4.0 jupyterhub_config.py: dynamic storage names it volume-{user_server}.
    assert brief(_found("z2jh-mount-of-home-under-dynamic-storage.yaml")) == [
        ("mount-without-volume", 5, 9)
    ]


def test_static_storage_has_the_volume_home() -> None:
    assert _found("z2jh-mount-of-home-under-static-storage.yaml") == []


def test_names_with_kubespawner_fields_match_what_they_expand_to() -> None:
    assert _found("z2jh-mount-with-template-names.yaml") == []


def _may_come_from(finding: Finding) -> tuple[str, int, int, str, str]:
    rule, line, column = brief([finding])[0]
    return rule, line, column, finding.severity, finding.message.partition("; ")[2]


def test_an_unseen_parent_chart_may_give_the_volume_an_info_says() -> None:
    [finding] = _found("z2jh-mount-under-an-unseen-parent.yaml")
    assert _may_come_from(finding) == (
        "mount-without-volume",
        7,
        11,
        "info",
        "it may come from the parent chart's own values.yaml, which nblint cannot see (if not, "
        "the API server refuses the pod)",
    )
    assert finding.message.startswith(
        "container notebook mounts volume home at /home/jovyan/shared, which no volume nblint "
        "sees gives the pod;"
    )


def test_extra_config_code_that_sets_volumes_may_give_it_an_info_says() -> None:
    [finding] = _found("z2jh-mount-beside-code-that-sets-volumes.yaml")
    assert _may_come_from(finding)[:4] == ("mount-without-volume", 9, 9, "info")
    assert "it may come from hub.extraConfig snippet volumes" in finding.message


def test_a_pod_hook_is_an_assumption_said() -> None:
    [finding] = _found("z2jh-mount-beside-a-pod-hook.yaml")
    assert brief([finding]) == [("mount-without-volume", 11, 9)]
    assert finding.assumption == (
        "hub.extraConfig's c.KubeSpawner.modify_pod_hook adds no volume named home"
    )


def test_a_workload_s_mounts_of_a_missing_volume_are_refused_in_each_container() -> None:
    found = _found("manifest-mount-of-missing-volume.yaml")
    assert brief(found) == [("mount-without-volume", 16, 15), ("mount-without-volume", 24, 15)]
    assert found[0].message.startswith("initContainer fix-perms mounts volume data at /data")


def test_a_notebook_s_mount_of_a_missing_volume_is_refused() -> None:
    assert brief(_found("kubeflow-mount-of-missing-volume.yaml")) == [
        ("mount-without-volume", 15, 15)
    ]


def test_static_storage_without_a_claim_name_is_refused_at_its_type() -> None:
    [finding] = _found("z2jh-static-storage-without-pvc-name.yaml")
    assert brief([finding]) == [("volume-claim-name-missing", 3, 5)]
    assert finding.message == (
        "volume home names no claim (persistentVolumeClaim.claimName): the API server refuses "
        "the pod"
    )


def test_a_claim_volume_without_a_claim_name_is_refused() -> None:
    assert brief(_found("manifest-claim-without-name.yaml")) == [
        ("volume-claim-name-missing", 14, 7)
    ]


def test_a_notebook_mount_a_poddefault_nblint_was_not_given_may_add_is_an_info() -> None:
    # Its labels may select PodDefaults of its namespace that the inputs do not hold.
    [finding] = _found("kubeflow-mount-a-poddefault-may-add.yaml")
    assert _may_come_from(finding) == (
        "mount-without-volume",
        17,
        15,
        "info",
        "it may come from PodDefaults of its namespace that nblint was not given (its labels "
        "access-shared-data may select them) (if not, the API server refuses the pod)",
    )


def test_a_notebook_mount_its_namespace_s_poddefaults_do_not_add_is_refused() -> None:
    assert brief(_found("kubeflow-mount-its-poddefaults-do-not-add.yaml")) == [
        ("mount-without-volume", 17, 15)
    ]


def test_static_storage_under_an_unseen_parent_may_name_its_claim_there() -> None:
    assert _found("z2jh-static-storage-under-an-unseen-parent.yaml") == []


def test_a_block_device_of_a_missing_volume_is_refused() -> None:
    [finding] = _found("manifest-device-of-missing-volume.yaml")
    assert brief([finding]) == [("mount-without-volume", 11, 24)]
    assert "volume raw at /dev/xvdb" in finding.message


def test_a_profile_s_volumes_that_leave_out_the_home_are_the_line_to_edit() -> None:
    # Field test 8a D3: the profile's `volumes` replace the list the chart builds from storage
    # and extraVolumes, so the home volume goes into that list, not into extraVolumes.
    [finding] = _found("z2jh-profile-volumes-replace-home.yaml")
    assert brief([finding]) == [("mount-without-volume", 14, 9)]
    assert (finding.profile, finding.note) == ("big", "")
    assert finding.fix == (
        "Add the volume volume-{user_server} to "
        "singleuser.profileList[1].kubespawner_override.volumes (`- name: volume-{user_server}` "
        "with `persistentVolumeClaim: {claimName: claim-{user_server}}`), or leave `volumes` out "
        "of it, or remove the mount of it at /home/jovyan: that list replaces the pod's volumes "
        "(the chart's home volume and singleuser.storage.extraVolumes with them), and the API "
        "server refuses a mount of a volume the pod does not have."
    )
    assert finding.applicability == "display-only"


def test_hub_config_s_volumes_that_leave_out_the_home_are_the_line_to_edit() -> None:
    [finding] = _found("z2jh-hub-config-volumes-replace-home.yaml")
    assert brief([finding]) == [("mount-without-volume", 5, 7)]
    assert (finding.fix or "").startswith(
        "Add the volume volume-{user_server} to hub.config.KubeSpawner.volumes (`- name: "
    )


def test_one_volume_nblint_does_not_see_is_said_once_however_often_it_is_mounted() -> None:
    found = _found("z2jh-two-mounts-under-an-unseen-parent.yaml")
    assert [(*brief([f])[0], f.severity) for f in found] == [
        ("mount-without-volume", 7, 11, "info"),
        ("mount-without-volume", 13, 11, "info"),
    ]
