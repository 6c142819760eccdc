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
