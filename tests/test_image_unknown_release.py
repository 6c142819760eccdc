"""An image of a family the notebook-images table tells apart by release (Kubeflow's notebook
servers, by ``tag_version``) whose tag names no release: the table knows the image, not which
release it is. The message says so instead of "not in the table" (field test 7b, item 12)."""

from __future__ import annotations

from conftest import FIXTURES, run

from nblint.check import images

RULE = "notebook-image-unknown"


def test_a_kubeflow_image_by_latest_is_said_to_lack_a_release_tag() -> None:
    [found] = run(FIXTURES / "images" / "kubeflow-image-latest-tag.yaml", select={RULE}).findings
    assert (found.rule, found.line, found.column) == (RULE, 11, 11)
    assert found.message == (
        "nblint cannot tell which user image kubeflownotebookswg/jupyter:latest runs as: the "
        "notebook-images table knows kubeflow-notebook-servers images by the release their tag "
        "names, and tag latest names none"
    )
    assert found.fix is not None and "release tag" in found.fix


def test_only_a_family_told_apart_by_release_is_named() -> None:
    assert images.versioned_family("kubeflownotebookswg/jupyter-scipy") == (
        "kubeflow-notebook-servers"
    )
    assert images.versioned_family("kubeflownotebookswg/jupyter-scipy:v1.8.0") is None  # known
    assert images.versioned_family("registry.example.com/team/notebook:1.0") is None


def test_a_kubeflow_image_by_latest_gets_its_family_s_user_not_docker_stacks() -> None:
    # What every Kubeflow release agrees on (jovyan, 1000) is said as the family's; the group,
    # where the releases differ (100 up to v1.8, 0 from v1.9), is said as such.
    found = run(FIXTURES / "images" / "kubeflow-image-latest-tag.yaml").findings
    fixes = " ".join(f.fix or "" for f in found)
    assert "docker-stacks user" not in fixes and "docker-stacks group" not in fixes
    [non_root] = [f for f in found if f.rule == "run-as-non-root"]
    assert (
        "runAsUser: 1000   # jovyan, the user of every kubeflow-notebook-servers release nblint "
        "knows" in (non_root.fix or "")
    )
    from nblint.check.podview import user_identity

    [pod] = run(FIXTURES / "images" / "kubeflow-image-latest-tag.yaml").pods
    identity = user_identity(pod)
    assert (identity["notebook_gid"], identity["fs_gid"]) == ("100", "100")
    assert identity["gid_note"].startswith("assumed: kubeflow-notebook-servers releases differ")
