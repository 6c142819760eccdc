"""``notebook-no-sudo``: GRANT_SUDO only where the start script honours it (a container that
starts as uid 0), and root or privilege escalation asked of the notebook container itself."""

from __future__ import annotations

from conftest import FIXTURES, run

SUDO = FIXTURES / "sudo"
RULE = "notebook-no-sudo"


def found(name: str) -> list[tuple[int, int, str | None, str]]:
    result = run(SUDO / name, select={RULE})
    return [(f.line, f.column, f.profile or f.object, f.message) for f in result.findings]


def test_grant_sudo_is_said_only_of_containers_that_start_as_root() -> None:
    assert found("grant-sudo-by-start-uid.yaml") == [
        (
            40,
            13,
            "Pod/container-uid-0",
            "notebook container notebook sets GRANT_SUDO and starts as root: its user can "
            "become root",
        ),
        (41, 25, "Pod/container-uid-0", "notebook container notebook runs as root (runAsUser: 0)"),
        (
            50,
            13,
            "Pod/unknown-image",
            "notebook container notebook sets GRANT_SUDO and starts as root: its user can "
            "become root",
        ),
        # (Pod/own-command-as-root: its command replaces start.sh, which alone reads GRANT_SUDO;
        # root is the container's own user there, run-as-user's to say.)
        (
            73,
            13,
            "Pod/command-runs-start-sh",
            "notebook container notebook sets GRANT_SUDO and starts as root: its user can "
            "become root",
        ),
    ]


def test_z2jh_default_uid_makes_grant_sudo_moot_but_a_root_profile_does_not() -> None:
    assert [entry[:3] for entry in found("grant-sudo-z2jh-default-uid.yaml")] == [
        (6, 5, "Root"),
        (11, 9, "Root"),
    ]


def test_the_hint_turns_grant_sudo_off_only_where_the_pod_sets_it() -> None:
    findings = [f for f in run(SUDO / "root-without-grant-sudo.yaml").findings if f.rule == RULE]
    hints = {(f.object, f.line): f.fix or "" for f in findings}
    assert set(hints) == {
        ("Pod/root-notebook", 12),
        ("Pod/root-notebook", 13),
        ("Pod/sudo-notebook", 24),
        ("Pod/sudo-notebook", 27),
    }
    # Field test 19a, N2: two causes at two lines, each line's hint fixes its own cause.
    assert {key: _written(hint) for key, hint in hints.items()} == {
        ("Pod/root-notebook", 12): {"runAsUser"},
        ("Pod/root-notebook", 13): {"allowPrivilegeEscalation"},
        ("Pod/sudo-notebook", 24): {"GRANT_SUDO"},
        ("Pod/sudo-notebook", 27): {"runAsUser"},
    }


def _written(hint: str) -> set[str]:
    return {
        word for word in ("runAsUser", "allowPrivilegeEscalation", "GRANT_SUDO") if word in hint
    }


def test_z2jh_grant_sudo_and_uid_0_each_get_their_own_edit_once() -> None:
    """Field test 19a, N2: GRANT_SUDO=yes with `singleuser.uid: 0` is two causes; neither hint
    writes `allow_privilege_escalation`, which the chart already turns off."""
    findings = [f for f in run(SUDO / "grant-sudo-z2jh-uid-0.yaml").findings if f.rule == RULE]
    assert [(f.line, f.column, f.severity, f.fix) for f in findings] == [
        (6, 5, "error", 'singleuser:\n  extraEnv:\n    GRANT_SUDO: "no"'),
        (7, 3, "error", "singleuser:\n  uid: 1000   # jovyan, the image's notebook user"),
    ]


def test_an_images_own_sudo_switch_is_said_where_its_start_reads_it() -> None:
    """Field test 13b D2: rocker's ROOT=true (any case) and linuxserver's non-empty
    SUDO_PASSWORD, when the image's own start runs as root; not ROOT=false, an empty password,
    a start replaced or run as uid 1000, or an image that does not read the variable."""
    assert found("image-sudo-switches.yaml") == [
        (
            10,
            11,
            "Pod/rocker-root",
            "notebook container rstudio sets ROOT and starts as root: its user can become root",
        ),
        (
            43,
            11,
            "Pod/linuxserver-sudo",
            "notebook container code-server sets SUDO_PASSWORD and starts as root: its user can "
            "become root",
        ),
    ]


def test_the_hint_for_an_images_own_switch_removes_it() -> None:
    hints = {
        f.object: f.fix or ""
        for f in run(SUDO / "image-sudo-switches.yaml", select={RULE}).findings
    }
    assert (
        "# remove ROOT from env: with it, the image's start gives the user sudo"
        in hints["Pod/rocker-root"]
    )
    assert "remove SUDO_PASSWORD from env" in hints["Pod/linuxserver-sudo"]
    assert not any("GRANT_SUDO" in hint for hint in hints.values())


def test_a_sudo_password_read_from_a_file_turns_sudo_on_too() -> None:
    assert found("linuxserver-sudo-password-from-file.yaml") == [
        (
            11,
            11,
            "Pod/linuxserver-sudo-file",
            "notebook container code-server sets FILE__SUDO_PASSWORD and starts as root: its user "
            "can become root",
        )
    ]
