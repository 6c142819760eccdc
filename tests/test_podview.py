"""nblint.check.podview: the questions builtins ask about a pod."""

from __future__ import annotations

import posixpath

import pytest

from nblint.check import podview


@pytest.mark.parametrize(
    "path",
    [
        "/home/jovyan",
        "/",
        "//home",
        "///home",
        "/home/",
        "/home//jovyan",
        "/home/./jovyan",
        "/home/../srv",
        "/home/..",
        "/home/.",
        "/home/.cache",
        "/..",
        "home/jovyan",
        "./home",
        "",
        ".",
    ],
)
def test_normal_path_is_normpath(path: str) -> None:
    assert podview.normal_path(path) == posixpath.normpath(path)


def test_mount_at_picks_the_deepest_mount_whatever_its_spelling() -> None:
    spec = {"volumes": [{"name": "home", "emptyDir": {}}, {"name": "work", "emptyDir": {}}]}
    container = {
        "volumeMounts": [
            {"name": "work", "mountPath": "/home/jovyan//work/"},
            {"name": "home", "mountPath": "/home/jovyan"},
        ]
    }
    found = podview.mount_at(spec, container, "/home/jovyan/work/./notes")
    assert found is not None and found[1]["name"] == "work"
    found = podview.mount_at(spec, container, "/home/jovyan/other")
    assert found is not None and found[1]["name"] == "home"
