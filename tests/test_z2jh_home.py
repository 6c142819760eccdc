"""Where the user's home is in a z2jh pod: ``singleuser.storage.homeMountPath`` says where
KubeSpawner mounts the home volume, not where HOME is (KubeSpawner sets no HOME; the image's
stands, or docker-stacks' /home/$NB_USER when started as root). The pod gets the verdict the same
pod written as a manifest gets (field test 5a, D4); the pods themselves are KubeSpawner's
(``tests/test_z2jh_kubespawner.py`` and the end-to-end tests build these fixtures)."""

from __future__ import annotations

from conftest import FIXTURES, run

PODS = FIXTURES / "z2jh" / "pods"
HOME = {"notebook-home-persistent", "notebook-home-writable", "notebook-home-shared"}


def verdict(path: object) -> list[tuple[str, str]]:
    return [(f.rule, f.message) for f in run(path, select=HOME).findings]  # type: ignore[arg-type]


def test_a_home_volume_below_home_gets_the_verdict_of_the_same_manifest() -> None:
    values = run(PODS / "home-mount-below-home.yaml", select=HOME).findings
    assert [(f.rule, f.line, f.column) for f in values] == [("notebook-home-persistent", 10, 5)]
    manifest = FIXTURES / "manifests" / "home" / "home-mount-below-home-pod.yaml"
    assert verdict(PODS / "home-mount-below-home.yaml") == verdict(manifest)
    assert values[0].message.startswith(
        "nothing persistent is mounted at /home/jovyan, only at /home/jovyan/work: what is saved "
        "there persists"
    )


def test_a_home_volume_per_username_beside_the_image_home_keeps_nothing() -> None:
    (finding,) = run(PODS / "home-mount-per-username.yaml", select=HOME).findings
    assert (finding.rule, finding.line, finding.message) == (
        "notebook-home-persistent",
        8,
        "nothing persistent is mounted at /home/jovyan: work in container notebook is lost at "
        "every restart",
    )


def test_docker_stacks_started_as_root_with_nb_user_has_its_home_there() -> None:
    assert verdict(PODS / "home-mount-nb-user-as-root.yaml") == []


def _home_finding(name: str) -> object:
    (finding,) = run(PODS / name, select={"notebook-home-persistent"}).findings
    return finding


def test_a_static_claim_below_home_is_kept_and_the_hint_only_moves_its_mount() -> None:
    # Field test 6a, D1: the fix turned `type: static` into `dynamic`, a new empty claim for
    # every user in place of the shared one holding their files.
    finding = _home_finding("home-static-claim-below-home.yaml")
    assert (finding.line, finding.column) == (11, 5)  # homeMountPath
    assert finding.applicability == "display-only"
    assert finding.fix == (
        "singleuser:\n  storage:\n    homeMountPath: /home/jovyan   # same volume, moved from "
        "/home/jovyan/work: files there now appear in /home/jovyan"
    )


def test_a_static_claim_beside_home_is_kept_and_the_hint_only_moves_its_mount() -> None:
    finding = _home_finding("home-static-claim-beside-home.yaml")
    assert (finding.line, finding.column) == (10, 5)
    assert finding.message == (
        "nothing persistent is mounted at /home/jovyan: work in container notebook is lost at "
        "every restart"
    )
    assert finding.applicability == "display-only"
    assert "type" not in finding.fix and "moved from /home/aircadm" in finding.fix


def test_a_dynamic_claim_below_home_moves_the_users_files_so_its_hint_is_advice() -> None:
    finding = _home_finding("home-mount-below-home.yaml")
    assert finding.applicability == "display-only"
    assert "homeMountPath: /home/jovyan " in finding.fix and "type" not in finding.fix


def test_a_node_directory_at_home_is_not_replaced_by_an_empty_claim() -> None:
    finding = _home_finding("home-hostpath-extra-volume.yaml")
    assert finding.message.startswith("/home/jovyan of container notebook is hostPath /data/home")
    assert finding.applicability == "display-only"


def test_a_home_mount_dropped_by_extra_container_config_is_reported_at_the_replacing_key() -> None:
    """``extra_container_config.volumeMounts`` replaces the mounts KubeSpawner builds, the home
    volume's with them (field test 10a D9): the finding sits at that key (not at ``hub:``, the
    nearest key to the chart's homeMountPath), says so, and its hint is not the chart's storage
    settings, which are already what it says."""
    path = FIXTURES / "z2jh" / "end-to-end" / "extra-container-config-volumemounts.yaml"
    (finding,) = run(path, select={"notebook-home-persistent"}).findings
    assert (finding.line, finding.column) == (7, 9)
    assert finding.note is not None and finding.note.startswith(
        "`hub.config.KubeSpawner.extra_container_config.volumeMounts` replaces the volumeMounts "
        "KubeSpawner builds for the notebook, without the home volume's mount at /home/jovyan"
    )
    assert finding.applicability == "display-only"
    assert finding.fix is not None and "extraVolumeMounts" in finding.fix
