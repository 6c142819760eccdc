"""The tables' image, command and variable globs (``nblint.check.images.glob``): names without a
wildcard are looked up, the others matched by one regular expression; either way the whole text
must match."""

from __future__ import annotations

import pytest

from nblint.check.images import glob


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        ("docker.io/{library,bitnami}/{postgres,redis}", "docker.io/bitnami/redis", True),
        ("docker.io/{library,bitnami}/{postgres,redis}", "docker.io/bitnami/redis-x", False),
        ("docker.io/{library,bitnami}/{postgres,redis}", "docker.io/bitnami", False),
        ("ghcr.io/kubeflow/kubeflow/*", "ghcr.io/kubeflow/kubeflow/notebook-controller", True),
        # `*` stays within a path segment, `**` does not.
        (
            "ghcr.io/kubeflow/kubeflow/*",
            "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter",
            False,
        ),
        ("**/*jupyterhub", "quay.io/team/my-jupyterhub", True),
        ("{quay.io/x/a,**/b?}", "quay.io/x/a", True),
        ("{quay.io/x/a,**/b?}", "reg/bc", True),
        ("{quay.io/x/a,**/b?}", "reg/bcd", False),
        ("JUPYTER_*", "JUPYTER_IMAGE", True),
        ("JUPYTER_*", "XJUPYTER_IMAGE", False),
        ("a.b", "aXb", False),  # a dot is a dot
    ],
)
def test_a_glob_matches_the_whole_text(pattern: str, text: str, matches: bool) -> None:
    assert glob(pattern).match(text) is matches
