"""A fix that requires a container to run as non-root gives that container a non-root user
(field test 8a D1): z2jh's ``singleuser.uid`` is the notebook container's user only
(KubeSpawner puts ``uid`` in the notebook's securityContext), so a sidecar or init container
the user wrote whole (``singleuser.extraContainers``, ``initContainers``) gets its user in its own
``securityContext``; and turning an explicit ``runAsNonRoot: false`` over sets a user too: a
container left to a root image (busybox) under ``runAsNonRoot: true`` is refused by the kubelet.
"""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES, run
from test_fix import fix_file

POD_USER = FIXTURES / "fix" / "pod-user"
RULE = "run-as-non-root"
OTHER_NOTE = "assumed: any non-root uid; check that this container's image runs as it"


def _finding(name: str, container: str):
    (found,) = [
        f for f in run(POD_USER / name).findings if f.rule == RULE and f.container == container
    ]
    return found


@pytest.mark.parametrize(
    ("name", "container", "line", "where"),
    [
        ("z2jh-sidecar-unknown-image.yaml", "side", 4, "singleuser.extraContainers[0]"),
        ("z2jh-init-container-unknown-image.yaml", "init-perms", 4, "singleuser.initContainers[0]"),
        ("z2jh-sidecar-run-as-non-root-false.yaml", "side", 8, "singleuser.extraContainers[0]"),
    ],
)
def test_a_z2jh_container_of_the_users_gets_its_own_user(
    name: str, container: str, line: int, where: str
) -> None:
    found = _finding(name, container)
    assert (found.line, found.applicability) == (line, "unsafe")
    assert found.fix == (
        f"# in {where}\nsecurityContext:\n  runAsNonRoot: true\n  runAsUser: 1000   # {OTHER_NOTE}"
    )
    assert "singleuser.uid" not in (found.fix or "") and "uid:" not in (found.fix or "")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("z2jh-sidecar-unknown-image.yaml", "extraContainers"),
        ("z2jh-init-container-unknown-image.yaml", "initContainers"),
        ("z2jh-sidecar-run-as-non-root-false.yaml", "extraContainers"),
    ],
)
def test_the_fix_gives_the_sidecar_a_user_the_kubelet_starts(name: str, key: str) -> None:
    path = POD_USER / name
    outcome = fix_file(path, unsafe=True)
    values = yaml.safe_load(outcome.texts[str(path)])
    (entry,) = values["singleuser"][key]
    assert entry["securityContext"]["runAsNonRoot"] is True
    assert entry["securityContext"]["runAsUser"] == 1000
    assert not [f for f in outcome.after.findings if f.rule == RULE and f.container != "notebook"]


def test_turning_run_as_non_root_over_sets_a_user_in_a_manifest() -> None:
    found = _finding("manifest-sidecar-run-as-non-root-false.yaml", "side")
    assert (found.line, found.column) == (13, 25)
    assert found.fix == (
        "spec:\n"
        "  containers:\n"
        "    - name: side\n"
        "      securityContext:\n"
        "        runAsNonRoot: true\n"
        f"        runAsUser: 1000   # {OTHER_NOTE}"
    )


def test_the_notebooks_own_hint_still_says_the_docker_stacks_user() -> None:
    found = _finding("z2jh-sidecar-unknown-image.yaml", "notebook")
    assert "singleuser:\n  uid: 1000   # jovyan, the image's notebook user" in (found.fix or "")


def test_a_user_for_a_container_that_chowns_as_root_is_advice() -> None:
    # Field test 8b: the "volume-permissions" init container chowns as root; another user, its
    # own or the pod's runAsNonRoot: true, makes it fail (or the kubelet refuse it).
    found = {
        (f.rule, f.container): f
        for f in run(POD_USER / "manifest-root-init-chowns.yaml").findings
        if f.rule in ("run-as-user", RULE)
    }
    for key in (
        ("run-as-user", "volume-permissions"),
        (RULE, "volume-permissions"),
        (RULE, "notebook"),
    ):
        assert found[key].applicability == "display-only", key
        assert (found[key].fix or "").startswith(
            "# first make the pod need no root work: volume-permissions runs chown as root"
        ), key
