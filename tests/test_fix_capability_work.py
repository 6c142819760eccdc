"""A fix that takes from a root container the capability its own command needs is advice,
never applied, in every dialect (field test 14a D3): ``chown`` as root needs CAP_CHOWN,
``mount`` CAP_SYS_ADMIN, ``iptables`` CAP_NET_ADMIN. ``drop: [ALL]`` takes it (an ``add`` of the
input does not keep it: the restricted level refuses that add, and its own hint takes it out),
the command fails, the container exits non-zero and, for an init container, no pod starts.
The hint says what to do instead: keep the capability (``add``, which the restricted level does
not allow) or, better, own the volume another way (fsGroup).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import yaml
from conftest import FIXTURES, run
from test_fix import fix_file
from test_fix_corpus import check_outcome

if TYPE_CHECKING:
    from collections.abc import Iterator

CAPABILITY_WORK = FIXTURES / "fix" / "capability-work"
CAPABILITIES = "capabilities-restricted"


def _capabilities(name: str) -> dict[tuple[int, str | None], str]:
    return {
        (f.line, f.container): f.applicability or ""
        for f in run(CAPABILITY_WORK / name).findings
        if f.rule == CAPABILITIES and f.container != "block-cloud-metadata"
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # The field test's repro: singleuser.initContainers, runAsUser: 0, chown.
        (
            "z2jh-init-container-chowns.yaml",
            {(3, "notebook"): "safe", (14, "chown-data"): "display-only"},
        ),
        # An init container of extraPodConfig that mounts (CAP_SYS_ADMIN).
        (
            "z2jh-extra-pod-config-init-mounts.yaml",
            {(2, "notebook"): "safe", (9, "mount-share"): "display-only"},
        ),
        # A Deployment's init container that runs /sbin/iptables (CAP_NET_ADMIN).
        (
            "manifest-init-iptables.yaml",
            {(15, "block-metadata"): "display-only", (20, "notebook"): "safe"},
        ),
        # A Kubeflow Notebook's init container that chowns the workspace.
        (
            "notebook-init-chowns.yaml",
            {(12, "chown-home"): "display-only", (15, "lab"): "safe"},
        ),
        (
            "manifest-chown-adds-chown.yaml",
            {
                # drop ALL beside the input's add: CHOWN: advice all the same
                (14, "fix-perms"): "display-only",
                # add: [] with no drop: the runtime's default set keeps CHOWN (root: unsafe)
                (15, "fix-perms"): "unsafe",
                # add: [] where the input drops ALL: chown fails
                (23, "fix-perms-dropped"): "display-only",
                # a path named mount is no mount command: root, unsafe as before
                (27, "copy"): "unsafe",
                (32, "notebook"): "safe",
            },
        ),
    ],
)
def test_taking_a_capability_a_root_command_needs_is_advice(
    name: str, expected: dict[tuple[int, str | None], str]
) -> None:
    assert _capabilities(name) == expected


@pytest.mark.parametrize(
    ("name", "container"),
    [
        ("manifest-init-iptables.yaml", "block-metadata"),
        ("z2jh-extra-pod-config-init-mounts.yaml", "mount-share"),
    ],
)
def test_another_user_for_a_root_mount_or_iptables_is_advice(name: str, container: str) -> None:
    # As another user, mount and iptables fail as chown does: its runAsUser hint is advice.
    found = {
        f.rule: f.applicability
        for f in run(CAPABILITY_WORK / name).findings
        if f.container == container and f.rule in ("run-as-non-root", "run-as-user")
    }
    assert found == {"run-as-non-root": "display-only", "run-as-user": "display-only"}


def test_the_hint_says_what_to_do_instead() -> None:
    (found,) = [
        f
        for f in run(CAPABILITY_WORK / "z2jh-init-container-chowns.yaml").findings
        if f.rule == CAPABILITIES and f.container == "chown-data"
    ]
    assert (found.applicability, found.edit) == ("display-only", None)
    assert found.fix == (
        "# first: chown-data runs chown as root, which needs"
        " CAP_CHOWN: without it (drop ALL), chown\n"
        "# fails and the container exits non-zero (an init container's pod never starts). Keep it\n"
        "# (drop: [ALL], add: [CHOWN]; the restricted level allows"
        " no add but NET_BIND_SERVICE), or\n"
        "# better give the volume to the user another way (the pod's"
        " fsGroup, or a volume made with\n"
        "# the right owner) and drop the chown; then:\n"
        "# in singleuser.initContainers[0]\n"
        "securityContext:\n"
        "  capabilities:\n"
        "    drop:\n"
        "    - ALL"
    )


ROOT_WORKERS = ("chown-data", "mount-share", "block-metadata", "chown-home", "fix-perms")


def _entries(tree: object) -> Iterator[dict[str, Any]]:
    if isinstance(tree, dict):
        if tree.get("name") in ROOT_WORKERS:
            yield tree
        for value in tree.values():
            yield from _entries(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _entries(item)


@pytest.mark.parametrize("name", sorted(p.name for p in CAPABILITY_WORK.glob("*.yaml")))
def test_the_unsafe_fixes_leave_the_capability_the_command_needs(name: str) -> None:
    path = CAPABILITY_WORK / name
    unsafe = fix_file(path, unsafe=True).texts.get(str(path), path.read_text())
    entries = list(_entries(yaml.safe_load(unsafe)))
    assert entries
    for entry in entries:
        capabilities = (entry.get("securityContext") or {}).get("capabilities") or {}
        assert "ALL" not in (capabilities.get("drop") or []), (name, entry["name"])


@pytest.mark.parametrize("name", sorted(p.name for p in CAPABILITY_WORK.glob("*.yaml")))
def test_the_unsafe_fixes_leave_nothing_fixable_and_add_nothing(name: str) -> None:
    check_outcome(CAPABILITY_WORK / name)
