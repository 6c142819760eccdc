"""No fix makes an object the API server refuses: ``allowPrivilegeEscalation: false`` beside
``privileged: true`` or an added ``CAP_SYS_ADMIN`` (``ValidateSecurityContext``), in every
dialect. No hint sets it while the privilege stays, and ``check`` reports an input that has both
(``privileged-without-escalation``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, brief, run
from test_fix import fix_file

ESCALATION = FIXTURES / "fix" / "escalation"
REFUSED = "privileged-without-escalation"


def refused(path: Path, text: str | None = None) -> list[tuple[str, int, int]]:
    if text is not None:
        path.write_text(text)
    return [b for b in brief(run(path).findings) if b[0] == REFUSED]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Both written: at the allowPrivilegeEscalation the input writes.
        ("manifest-both-written.yaml", [(REFUSED, 10, 9)]),
        # z2jh's default singleuser.allowPrivilegeEscalation: false: at the privilege.
        ("z2jh-profile-cap-sys-admin.yaml", [(REFUSED, 12, 19)]),
        ("z2jh-container-security-context-privileged.yaml", [(REFUSED, 7, 9)]),
    ],
)
def test_an_input_with_both_is_reported_where_it_is_edited(name: str, expected: list) -> None:
    assert refused(ESCALATION / name) == expected


def test_the_message_names_the_privilege_and_the_refusal() -> None:
    (finding,) = [
        f for f in run(ESCALATION / "manifest-both-written.yaml").findings if f.rule == REFUSED
    ]
    assert finding.message == (
        "container notebook sets allowPrivilegeEscalation: false beside privileged: true: "
        "the API server refuses the pod"
    )
    assert finding.applicability == "display-only"


def test_hub_config_privileged_beside_the_charts_default_is_refused_at_every_spawn(
    tmp_path: Path,
) -> None:
    path = tmp_path / "values.yaml"
    text = "hub:\n  config:\n    KubeSpawner:\n      privileged: true\n"
    assert refused(path, text) == [(REFUSED, 4, 7)]


def test_sys_admin_without_the_cap_prefix_is_not_refused(tmp_path: Path) -> None:
    """``ValidateSecurityContext`` matches the string ``CAP_SYS_ADMIN`` exactly."""
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: c\n      image: i\n      securityContext:\n"
        "        allowPrivilegeEscalation: false\n        capabilities: {add: [SYS_ADMIN]}\n"
    )
    assert refused(tmp_path / "pod.yaml", text) == []


def test_openshift_ai_sets_no_escalation_beside_a_privilege_its_scc_refuses() -> None:
    assert refused(ESCALATION / "openshift-ai-privileged.yaml") == []


ESCALATION_FIXTURES = sorted(p.name for p in ESCALATION.glob("*.yaml"))


@pytest.mark.parametrize("name", ESCALATION_FIXTURES)
@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
def test_no_fix_makes_an_object_the_api_server_refuses(name: str, unsafe: bool) -> None:
    path = ESCALATION / name
    before = refused(path)
    outcome = fix_file(path, unsafe=unsafe)
    after = [f for f in outcome.after.findings if f.rule == REFUSED]
    # What the input had may stay (its fix is the author's call); nothing new, and the unsafe
    # fixes, which drop the privilege, leave none.
    assert len(after) <= len(before)
    if unsafe:
        assert after == [], name


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("manifest-pod-privileged.yaml", "allow-privilege-escalation"),
        ("manifest-deployment-cap-sys-admin.yaml", "allow-privilege-escalation"),
        ("notebook-privileged.yaml", "allow-privilege-escalation"),
        ("notebook-cap-sys-admin-sidecar.yaml", "allow-privilege-escalation"),
        ("poddefault-privileged-sidecar.yaml", "allow-privilege-escalation"),
        ("z2jh-extra-container-privileged.yaml", "allow-privilege-escalation"),
    ],
)
def test_the_escalation_hint_of_a_privileged_container_is_advice(name: str, rule: str) -> None:
    hints = [
        f
        for f in run(ESCALATION / name).findings
        if f.rule == rule and f.container in ("notebook", "t3", "mounter", "docker")
    ]
    assert hints, name
    for finding in hints:
        assert finding.applicability == "display-only", name
        assert finding.edit is None
        assert (finding.fix or "").startswith("# first drop "), finding.fix


def test_the_safe_fix_of_the_repro_adds_no_escalation_beside_privileged() -> None:
    path = ESCALATION / "manifest-pod-privileged.yaml"
    text = fix_file(path, unsafe=False).texts[str(path)]
    assert "allowPrivilegeEscalation" not in text
    assert "privileged: true" in text


def test_the_privileged_fix_goes_where_container_security_context_writes_it() -> None:
    (finding,) = [
        f
        for f in run(ESCALATION / "z2jh-container-security-context-privileged.yaml").findings
        if f.rule == "privileged" and f.container == "notebook"
    ]
    assert "      container_security_context:\n        privileged: false" in (finding.fix or "")


def test_a_placed_hint_without_escalation_has_nothing_to_drop_first() -> None:
    """The z2jh hint for a read-only root filesystem also sets allowPrivilegeEscalation hub-wide,
    but placed into the profile's own securityContext it sets readOnlyRootFilesystem alone, which
    the API server takes beside privileged: true: no "first drop privileged", an edit to apply."""
    path = ESCALATION / "z2jh-privileged-override-read-only-root.yaml"
    (finding,) = [f for f in run(path).findings if f.rule == "notebook-read-only-root-filesystem"]
    assert finding.fix == (
        "# in singleuser.profileList[0].kubespawner_override.extra_container_config."
        "securityContext (it replaces the securityContext KubeSpawner builds)\n"
        "readOnlyRootFilesystem: true"
    )
    assert finding.applicability == "unsafe"
    (escalation,) = [
        f
        for f in run(path).findings
        if f.rule == "allow-privilege-escalation" and f.container == "notebook"
    ]
    assert escalation.fix.startswith("# first drop privileged: true")
