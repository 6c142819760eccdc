"""A non-root uid the input sets (``singleuser.uid: 1001``, a profile's, ``runAsUser: 1001``)
was chosen (it may own the users' homes): no hint puts another over it, in any dialect; a hint
adds a uid only where none is set, or replaces root.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run
from test_fix import fix_file

EXPLICIT_UID = FIXTURES / "fix" / "explicit-uid"


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("z2jh-singleuser-uid.yaml", "  uid: 1001   # our NFS homes are owned by 1001\n"),
        ("z2jh-profile-override-uid.yaml", "        uid: 1001   # owner of the NFS export\n"),
        (
            "z2jh-container-security-context-run-as-user.yaml",
            "        runAsUser: 1001   # owner of the NFS export\n",
        ),
        ("manifest-pod-run-as-user.yaml", "        runAsUser: 1001   # matches our NFS export\n"),
        (
            "manifest-container-run-as-user.yaml",
            "        runAsUser: 1001   # matches our NFS export\n",
        ),
        (
            "kubeflow-notebook-run-as-user.yaml",
            "        runAsUser: 1001   # matches our NFS export\n",
        ),
    ],
)
def test_unsafe_fixes_keep_an_explicit_non_root_uid(name: str, line: str) -> None:
    path = EXPLICIT_UID / name
    assert line in path.read_text()
    text = fix_file(path).texts[str(path)]
    assert line in text
    # No other uid is written anywhere (z2jh: not at the root for the other profiles either).
    assert "1000\n" not in text.replace("sizeLimit", "")
    assert "uid: 1000" not in text and "runAsUser: 1000" not in text


def test_a_root_container_gets_the_pods_own_uid_not_an_assumed_one() -> None:
    path = EXPLICIT_UID / "manifest-container-root-pod-uid.yaml"
    text = fix_file(path).texts[str(path)]
    assert "    runAsUser: 1001   # matches our NFS export\n" in text
    assert "        runAsUser: 1001\n" in text and "runAsUser: 0" not in text


def test_the_run_as_non_root_hint_keeps_the_uid_it_finds() -> None:
    (finding,) = [
        f
        for f in run(EXPLICIT_UID / "z2jh-singleuser-uid.yaml").findings
        if f.rule == "run-as-non-root"
    ]
    assert "uid: 1001   # the non-root uid it runs as already, kept" in (finding.fix or "")


def test_a_profiles_own_uid_is_kept_in_the_profile() -> None:
    (finding,) = [
        f
        for f in run(EXPLICIT_UID / "z2jh-profile-override-uid.yaml").findings
        if f.rule == "run-as-non-root"
    ]
    assert (finding.fix or "").startswith("# in singleuser.profileList[0].kubespawner_override\n")


def test_a_uid_other_than_the_images_is_only_advised_to_change() -> None:
    (finding,) = [
        f
        for f in run(EXPLICIT_UID / "manifest-container-run-as-user.yaml").findings
        if f.rule == "notebook-uid-mismatch"
    ]
    assert finding.applicability == "display-only"
    assert finding.edit is None


def test_an_openshift_ai_workbench_the_scc_refuses_keeps_its_uid() -> None:
    # allowPrivilegeEscalation: true: restricted-v2 refuses the pod, so no pod is modelled and
    # no fix of its checklist runs; the refusal is advice (the user chose escalation).
    path = EXPLICIT_UID / "openshift-ai-no-sudo-run-as-user.yaml"
    outcome = fix_file(path)
    assert str(path) not in outcome.texts
    assert [f.rule for f in outcome.after.findings if f.severity == "error"] == [
        "openshift-scc-refused"
    ]
