"""A securityContext field at the level that lacks it is one finding at that key
(``security-field-misplaced``), in a manifest and in z2jh values alike."""

from __future__ import annotations

from conftest import FIXTURES, run

RULE = "security-field-misplaced"


def found(path) -> list[tuple[str, int, int, str | None, str]]:
    return [
        (f.rule, f.line, f.column, f.profile, f.message) for f in run(path, select={RULE}).findings
    ]


def test_a_pod_capabilities_and_a_container_fsgroup_are_each_said_at_their_key() -> None:
    path = FIXTURES / "manifests" / "misplaced" / "pod-capabilities-and-container-fsgroup.yaml"
    assert found(path) == [
        (
            RULE,
            8,
            5,
            None,
            "capabilities is a container securityContext field; the pod's securityContext has "
            "none: the API server drops it (kubectl apply refuses it), so it does nothing",
        ),
        (
            RULE,
            14,
            9,
            None,
            "container notebook: fsGroup is a pod securityContext field; a container's "
            "securityContext has none: the API server drops it (kubectl apply refuses it), so it "
            "does nothing",
        ),
    ]


def test_a_profile_s_extra_pod_config_capabilities_is_said_for_that_profile_only() -> None:
    path = FIXTURES / "z2jh" / "misplaced" / "extra-pod-config-capabilities.yaml"
    assert [f[:4] for f in found(path)] == [(RULE, 9, 13, "ROCm")]
