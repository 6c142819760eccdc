"""A fix the rule calls safe is unsafe where the workload relies on what it changes (README:
*safe* changes nothing a compliant workload relies on), in every dialect:

* it turns over a boolean the input writes: ``allowPrivilegeEscalation: true`` (a sudo postStart
  hook fails without it, and with it the spawn), ``automountServiceAccountToken: true``;
* it drops ALL capabilities of a container that runs as root (``runAsUser: 0``, or an image whose
  user is root with nothing saying non-root), or may (an image nblint does not know, no user
  set), or that may escalate to root: chown, chmod of
  others' files and switching users need them. Where the container's own command visibly does
  such work as root (``chown``), the drop is advice, never applied (test_fix_capability_work.py).

``nblint fix`` leaves those alone; ``--unsafe-fixes`` still applies them.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run
from test_fix import fix_file
from test_fix_corpus import check_outcome

RELIED_ON = FIXTURES / "fix" / "relied-on"
ESCALATION = "allow-privilege-escalation"
CAPABILITIES = "capabilities-restricted"
TOKEN = "notebook-service-account-token"


def applicability(name: str) -> dict[tuple[str, int, str | None], str]:
    """(rule, line, container) → applicability of the fixes of those three rules, the chart's
    block-cloud-metadata (unsafe by its own hint) left out."""
    return {
        (f.rule, f.line, f.container): f.applicability or ""
        for f in run(RELIED_ON / name).findings
        if f.rule in (ESCALATION, CAPABILITIES, TOKEN) and f.container != "block-cloud-metadata"
    }


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # The field test's repro (boettiger-lab/nautilus): a sudo postStart hook beside an
        # explicit true; the notebook's drop ALL would take sudo's CAP_SETUID/CAP_SETGID too.
        (
            "z2jh-escalation-true-sudo-hook.yaml",
            {(ESCALATION, 2, "notebook"): "unsafe", (CAPABILITIES, 1, "notebook"): "unsafe"},
        ),
        (
            "z2jh-escalation-true-sudo-hook-in-extraconfig.yaml",
            {(ESCALATION, 8, "notebook"): "unsafe", (CAPABILITIES, 1, "notebook"): "unsafe"},
        ),
        (
            "z2jh-profile-escalation-true.yaml",
            {(ESCALATION, 5, "notebook"): "unsafe", (CAPABILITIES, 1, "notebook"): "unsafe"},
        ),
        # The user's own containers: each its own true; the helper already drops ALL.
        (
            "z2jh-extra-containers-escalation-true.yaml",
            {
                (CAPABILITIES, 1, "notebook"): "safe",
                (ESCALATION, 7, "helper"): "unsafe",
                (ESCALATION, 16, "setup"): "unsafe",
                (CAPABILITIES, 14, "setup"): "unsafe",
            },
        ),
        # dandi-hub: a root init container that chowns the share; escalation stays safe for it
        # (no_new_privs takes no capability from root), the notebook (uid 1000) drops ALL safely.
        (
            "z2jh-root-init-chowns.yaml",
            {
                (CAPABILITIES, 1, "notebook"): "safe",
                (ESCALATION, 5, "nfs-fixer"): "safe",
                # its chown needs CAP_CHOWN: drop ALL is advice (field test 14a)
                (CAPABILITIES, 5, "nfs-fixer"): "display-only",
            },
        ),
        # dandi-hub's notebook: uid 0, the image's start.sh chowns HOME and switches user.
        (
            "z2jh-uid-0-grant-sudo.yaml",
            {(ESCALATION, 9, "notebook"): "unsafe", (CAPABILITIES, 3, "notebook"): "unsafe"},
        ),
        # The uid 0 set by hub.extraConfig's code: root all the same.
        ("z2jh-extraconfig-uid-0.yaml", {(CAPABILITIES, 2, "notebook"): "unsafe"}),
        (
            "manifest-escalation-true.yaml",
            {
                (TOKEN, 9, None): "unsafe",
                (ESCALATION, 14, "notebook"): "unsafe",
                (CAPABILITIES, 13, "notebook"): "unsafe",
            },
        ),
        (
            "manifest-root-containers.yaml",
            {
                (TOKEN, 4, None): "safe",  # not written: nothing asked for the token
                (ESCALATION, 10, "fix-perms"): "safe",
                (CAPABILITIES, 10, "fix-perms"): "display-only",  # root's chown: advice
                (ESCALATION, 15, "notebook"): "safe",
                (CAPABILITIES, 15, "notebook"): "safe",  # runAsUser: 1000
                (ESCALATION, 18, "trainer"): "safe",
                (CAPABILITIES, 18, "trainer"): "unsafe",  # pytorch's user is root
                (ESCALATION, 23, "server"): "safe",
                (CAPABILITIES, 23, "server"): "safe",  # runAsNonRoot
                (ESCALATION, 27, "sidecar"): "safe",
                # An image nblint does not know, no user set: it may be root's (field test 8b).
                (CAPABILITIES, 27, "sidecar"): "unsafe",
            },
        ),
        (
            "notebook-root-and-escalation.yaml",
            {
                (TOKEN, 6, None): "safe",
                (ESCALATION, 12, "lab"): "unsafe",
                (CAPABILITIES, 10, "lab"): "unsafe",
            },
        ),
        # Field test 8b: root work an image nblint does not know may do as root (busybox chown).
        (
            "manifest-unknown-image-chowns.yaml",
            {
                (TOKEN, 6, None): "safe",
                (ESCALATION, 8, "volume-permissions"): "safe",
                (CAPABILITIES, 8, "volume-permissions"): "display-only",  # its chown
                (ESCALATION, 13, "notebook"): "safe",
                (CAPABILITIES, 13, "notebook"): "safe",
            },
        ),
        # Field test 8b: root images nblint does not know (busybox, alpine), doing no chown of
        # their own: their entrypoints, which nblint cannot see, may need root's capabilities.
        # A user set (its own, or the pod's) or runAsNonRoot keeps drop ALL safe.
        (
            "manifest-unknown-root-images.yaml",
            {
                (TOKEN, 5, None): "safe",
                (ESCALATION, 7, "wait"): "safe",
                (CAPABILITIES, 7, "wait"): "unsafe",
                (ESCALATION, 11, "notebook"): "safe",
                (CAPABILITIES, 11, "notebook"): "safe",
                (ESCALATION, 13, "sidecar"): "safe",
                (CAPABILITIES, 13, "sidecar"): "unsafe",
                (ESCALATION, 18, "proxy"): "safe",
                (CAPABILITIES, 18, "proxy"): "safe",
                (ESCALATION, 21, "exporter"): "safe",
                (CAPABILITIES, 21, "exporter"): "safe",
            },
        ),
        # GRANT_SUDO on a container that starts as root: its users' sudo needs escalation.
        (
            "manifest-grant-sudo.yaml",
            {
                (TOKEN, 10, None): "safe",
                (ESCALATION, 13, "lab"): "unsafe",
                (CAPABILITIES, 13, "lab"): "unsafe",
            },
        ),
        # Field test 13b D2: an image's own sudo switch, read by its start as root (rocker's
        # ROOT=true in any case, linuxserver's SUDO_PASSWORD_HASH): the same as GRANT_SUDO.
        (
            "manifest-rocker-root.yaml",
            {(ESCALATION, 14, "rstudio"): "unsafe", (CAPABILITIES, 14, "rstudio"): "unsafe"},
        ),
        (
            "manifest-linuxserver-sudo-password.yaml",
            {
                (ESCALATION, 13, "code-server"): "unsafe",
                (CAPABILITIES, 13, "code-server"): "unsafe",
                (ESCALATION, 29, "code-server-2"): "unsafe",
                (CAPABILITIES, 29, "code-server-2"): "unsafe",
            },
        ),
        # Field test 9b D1: code-server's entrypoint renames the user for DOCKER_USER through
        # sudo, which no_new_privs refuses and drop ALL leaves without CAP_SETUID/CAP_SETGID.
        # Advice, not an unsafe fix (field test 10b A5: `fix --unsafe-fixes` applied it and
        # left a container that exits at start).
        (
            "manifest-code-server-docker-user.yaml",
            {
                (ESCALATION, 21, "code-server"): "display-only",
                (CAPABILITIES, 21, "code-server"): "display-only",
            },
        ),
        # An image nblint does not know may keep that entrypoint; coder's own name, an empty
        # value or a command of the container's own renames nobody; a valueFrom may name anyone.
        (
            "manifest-docker-user-cases.yaml",
            {
                (ESCALATION, 11, "unknown"): "display-only",
                (CAPABILITIES, 11, "unknown"): "display-only",
                (ESCALATION, 14, "own-user"): "safe",
                (CAPABILITIES, 14, "own-user"): "safe",
                (ESCALATION, 17, "empty"): "safe",
                (CAPABILITIES, 17, "empty"): "safe",
                (ESCALATION, 20, "own-command"): "safe",
                (CAPABILITIES, 20, "own-command"): "safe",
                (ESCALATION, 24, "from-secret"): "display-only",
                (CAPABILITIES, 24, "from-secret"): "display-only",
            },
        ),
        # Kubeflow v1.8: s6's setuid-root preinit needs escalation and root's capabilities:
        # both hints are advice naming the image to move to (field test 9b N3: an unsafe drop
        # applied without that image change left a container that cannot start).
        (
            "notebook-kubeflow-v1.8-setuid-start.yaml",
            {
                (TOKEN, 8, None): "safe",
                (ESCALATION, 10, "nb"): "display-only",
                (CAPABILITIES, 10, "nb"): "display-only",
            },
        ),
    ],
)
def test_a_fix_that_takes_what_the_workload_relies_on_is_unsafe(name: str, expected: dict) -> None:
    assert applicability(name) == expected


def test_the_hint_says_why() -> None:
    (escalation,) = [
        f
        for f in run(RELIED_ON / "z2jh-escalation-true-sudo-hook.yaml").findings
        if f.rule == ESCALATION and f.container == "notebook"
    ]
    assert (escalation.fix or "").startswith(
        "# unsafe: the input sets allowPrivilegeEscalation: true, which the workload may rely on:\n"
        "# with false, sudo and other setuid programs stop working (a postStart hook that uses"
        " sudo\n"
        "# fails, and with it the spawn; GRANT_SUDO users lose sudo)\n"
    )
    (escalation,) = [
        f for f in run(RELIED_ON / "manifest-rocker-root.yaml").findings if f.rule == ESCALATION
    ]
    assert (escalation.fix or "").startswith(
        "# unsafe: rstudio sets ROOT, with which its image's start gives the user sudo: with\n"
        "# allowPrivilegeEscalation: false, sudo through ROOT stops working (setuid programs are\n"
        "# refused)\n"
    )
    (capabilities,) = [
        f
        for f in run(RELIED_ON / "z2jh-root-init-chowns.yaml").findings
        if f.rule == CAPABILITIES and f.container == "nfs-fixer"
    ]
    # Its chown fails for certain without CAP_CHOWN: advice that says what to do instead.
    assert capabilities.applicability == "display-only"
    assert (capabilities.fix or "").startswith(
        "# first: nfs-fixer runs chown as root, which needs"
        " CAP_CHOWN: without it (drop ALL), chown\n"
    )


SAFE_LEAVES = {
    "z2jh-escalation-true-sudo-hook.yaml": ["allowPrivilegeEscalation: true"],
    "z2jh-escalation-true-sudo-hook-in-extraconfig.yaml": ["allowPrivilegeEscalation: true"],
    "z2jh-profile-escalation-true.yaml": ["allow_privilege_escalation: true"],
    "z2jh-uid-0-grant-sudo.yaml": ["allowPrivilegeEscalation: true"],
    "manifest-escalation-true.yaml": [
        "allowPrivilegeEscalation: true",
        "automountServiceAccountToken: true",
    ],
    "notebook-root-and-escalation.yaml": ["allowPrivilegeEscalation: true"],
}


@pytest.mark.parametrize("name", sorted(SAFE_LEAVES))
def test_a_safe_fix_leaves_what_the_input_asked_for(name: str) -> None:
    path = RELIED_ON / name
    safe = fix_file(path, unsafe=False).texts.get(str(path), path.read_text())
    for kept in SAFE_LEAVES[name]:
        assert kept in safe, name
    assert "drop" not in safe.replace(path.read_text(), ""), name
    unsafe = fix_file(path, unsafe=True).texts[str(path)]
    for kept in SAFE_LEAVES[name]:
        assert kept not in unsafe, name


@pytest.mark.parametrize("name", ["z2jh-root-init-chowns.yaml", "manifest-root-containers.yaml"])
def test_a_safe_fix_drops_no_capability_of_a_root_container(name: str) -> None:
    path = RELIED_ON / name
    outcome = fix_file(path, unsafe=False)
    left = {(f.rule, f.container) for f in outcome.after.findings if f.rule == CAPABILITIES}
    root = {"z2jh-root-init-chowns.yaml": {"nfs-fixer"}}.get(name, {"fix-perms", "trainer"})
    assert {(CAPABILITIES, c) for c in root} <= left
    after = {(f.rule, f.container) for f in fix_file(path, unsafe=True).after.findings}
    # A root container whose chown needs CAP_CHOWN keeps it even then (field test 14a).
    chowning = {"nfs-fixer", "fix-perms"}
    assert not {(CAPABILITIES, c) for c in root - chowning} & after
    assert {(CAPABILITIES, c) for c in root & chowning} <= after


@pytest.mark.parametrize("name", sorted(p.name for p in RELIED_ON.glob("*.yaml")))
def test_the_unsafe_fixes_leave_nothing_fixable_and_add_nothing(name: str) -> None:
    check_outcome(RELIED_ON / name)


@pytest.mark.parametrize(
    ("rule", "cases"),
    [
        (
            ESCALATION,
            [
                "where the input itself writes allowPrivilegeEscalation: true, which the workload "
                "may rely on: with false, sudo",
                "where a container sets GRANT_SUDO (or its image's own sudo switch: rocker's ROOT, "
                "linuxserver's SUDO_PASSWORD) and starts as root",
            ],
        ),
        (CAPABILITIES, ["where a container runs as root, may escalate to root"]),
        (
            TOKEN,
            [
                "where the input itself writes automountServiceAccountToken: true, which the "
                "workload may rely on: with false, code in the pod that calls the Kubernetes API"
            ],
        ),
        ("run-as-non-root", []),  # unsafe by default: nothing to add
    ],
)
def test_explain_says_which_findings_of_a_safe_rule_get_an_unsafe_fix(
    rule: str, cases: list[str]
) -> None:
    # `nblint explain` said "Fix safety: safe" alone, while the findings above are unsafe.
    from test_fix import invoke

    text = invoke("explain", rule).output
    said = [line for line in text.splitlines() if line.startswith("- where ")]
    assert len(said) == len(cases)
    for line, case in zip(said, cases, strict=True):
        assert line.startswith(f"- {case}")
    if cases:
        assert "That is the rule's default: a finding's own fix is unsafe" in text


def test_a_code_server_docker_user_hint_says_to_remove_it_first() -> None:
    path = RELIED_ON / "manifest-code-server-docker-user.yaml"
    (escalation,) = [f for f in run(path).findings if f.rule == ESCALATION]
    assert (escalation.fix or "").startswith(
        "# code-server sets DOCKER_USER, with which its image's start renames the user through "
        "sudo,\n# which allowPrivilegeEscalation: false refuses and drop ALL leaves without the"
    )
    assert "remove DOCKER_USER" in (escalation.fix or "").replace("\n# ", " ")
    # `nblint fix` (what the pre-commit hook runs) leaves the file as it is.
    original = path.read_text()
    assert fix_file(path, unsafe=False).texts.get(str(path), original) == original


def test_unsafe_fixes_drop_no_capability_of_an_image_whose_start_needs_a_setuid_helper() -> None:
    """Field test 9b N3: Kubeflow v1.4's s6 preinit chowns /var/run/s6 as setuid root; drop ALL
    without the image change the hint names leaves a Notebook that cannot start."""
    path = RELIED_ON / "notebook-kubeflow-v1.4-unsafe-fixes.yaml"
    fixed = fix_file(path, unsafe=True).texts[str(path)]
    assert "jupyter-scipy:v1.4" in fixed
    assert "drop:" not in fixed
    assert "allowPrivilegeEscalation:" not in fixed


def test_a_code_server_that_keeps_docker_user_and_refuses_escalation_is_said_to_crash() -> None:
    # Field test 10b A5: nblint said only read-only-root of a pod that never starts.
    path = RELIED_ON / "manifest-code-server-docker-user-no-escalation.yaml"
    (found,) = [f for f in run(path).findings if f.rule == "notebook-image-needs-root"]
    assert (found.line, found.column, found.severity) == (23, 15, "error")
    assert found.message == (
        "container code-server sets DOCKER_USER, with which image "
        "docker.io/codercom/code-server:4.22.1-ubuntu's start renames the user through sudo, "
        "which allowPrivilegeEscalation: false and capabilities drop: [ALL] refuse: the start "
        "fails and the container exits (CrashLoopBackOff)"
    )
    assert "Remove DOCKER_USER" in (found.fix or "")
    assert found.applicability == "display-only"


def test_unsafe_fixes_do_not_turn_off_escalation_under_docker_user() -> None:
    # Field test 10b A5: `fix --unsafe-fixes` wrote allowPrivilegeEscalation: false and drop ALL
    # beside DOCKER_USER, a pod that never starts, which then checked nearly clean.
    path = RELIED_ON / "manifest-code-server-docker-user.yaml"
    fixed = fix_file(path, unsafe=True).texts.get(str(path), path.read_text())
    body = "\n".join(line for line in fixed.splitlines() if not line.startswith("#"))
    assert "DOCKER_USER" in body
    assert "allowPrivilegeEscalation" not in body
    assert "drop:" not in body


def test_one_edit_shared_by_pods_is_as_safe_as_for_the_least_safe_pod() -> None:
    """The hub-wide container_security_context reaches every profile: drop ALL is safe for the
    non-root ones and unsafe for the root sudo one, and it is one edit, so it is unsafe for all
    (``nblint fix`` used to write it without ``--unsafe-fixes``, field test 10a D1)."""
    path = RELIED_ON / "z2jh-shared-edit-root-profile.yaml"
    notebook = {
        f.profile: f.applicability
        for f in run(path).findings
        if f.rule == CAPABILITIES and f.container == "notebook"
    }
    assert notebook == {"default": "unsafe", "gpu": "unsafe", "sudo": "unsafe"}
    from test_fix import fixed_text

    assert "capabilities" not in fixed_text(path, unsafe=False)
    assert "capabilities" in fixed_text(path, unsafe=True)


def test_a_start_that_may_run_sudo_makes_escalation_and_drop_fixes_unsafe() -> None:
    """Field test 15b D6: sudo in the container's own command line, or an image nblint does not
    know named like a development environment (code-server's, a cloud shell), run as uid 1000:
    allowPrivilegeEscalation: false refuses sudo, drop ALL takes what it switches users with.
    A container with neither keeps its safe fixes."""
    assert applicability("manifest-dev-environment-sudo.yaml") == {
        (ESCALATION, 17, "persist-init"): "unsafe",
        (CAPABILITIES, 17, "persist-init"): "unsafe",
        (ESCALATION, 22, "code"): "unsafe",
        (CAPABILITIES, 22, "code"): "unsafe",
        (ESCALATION, 26, "sidecar"): "safe",
        (CAPABILITIES, 26, "sidecar"): "safe",
        (TOKEN, 13, None): "safe",
    }
    notes = {
        (f.rule, f.container): (f.fix or "").splitlines()[0]
        for f in run(RELIED_ON / "manifest-dev-environment-sudo.yaml").findings
        if f.rule == ESCALATION
    }
    assert notes[(ESCALATION, "persist-init")].startswith(
        "# unsafe: persist-init runs sudo in its command line: with allowPrivilegeEscalation: "
    )
    assert "an image nblint does not" in notes[(ESCALATION, "code")]
