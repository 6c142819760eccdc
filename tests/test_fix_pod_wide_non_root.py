"""A fix that sets the pod's ``runAsNonRoot: true`` reaches every container of the pod, also
those the input does not write: a Kubeflow PodDefault's init container or sidecar. Where one
of them stays root, the fix must not be applied as if the pod were only its own containers:

* a container that runs as uid 0 whatever the fix writes (its own ``runAsUser: 0``): the kubelet
  refuses to start it (CreateContainerConfigError) and the notebook never starts — the fix is
  advice (display-only), naming that container and the PodDefault that adds it;
* a container left to an image whose user is root: the fix's pod ``runAsUser`` makes it run as
  another user, and its root work fails — unsafe, saying so;
* a container with a non-root user of its own: the fix is judged as without it.

``nblint fix`` applies none of the first two without ``--unsafe-fixes`` (nor the first with it).
"""

from __future__ import annotations

from conftest import FIXTURES, run
from test_fix import fix_file

P = FIXTURES / "fix" / "pod-wide-non-root"
NON_ROOT = "run-as-non-root"

NOTEBOOK_HINT = (
    "spec:\n  template:\n    spec:\n      securityContext:\n        runAsNonRoot: true\n"
    "        runAsUser: 1000   # jovyan, the image's notebook user\n"
    "        fsGroup: 100   # the controller adds it only when securityContext is absent"
)


def non_root(name: str) -> dict[tuple[int, str | None], tuple[str | None, str | None]]:
    """(line, container) → (applicability, fix) of the run-as-non-root findings."""
    return {
        (f.line, f.container): (f.applicability, f.fix)
        for f in run(P / name).findings
        if f.rule == NON_ROOT
    }


def applied_rules(name: str, unsafe: bool) -> set[tuple[str, str | None]]:
    return {(f.rule, f.container) for f in fix_file(P / name, unsafe).applied}


def test_a_poddefault_init_container_run_as_uid_0_makes_the_pod_fix_advice() -> None:
    found = non_root("poddefault-init-container-uid-0.yaml")
    assert set(found) == {(17, "perms"), (30, "nb")}
    assert found[(30, "nb")] == (
        "display-only",
        "# first change the container that runs as root: perms (added by PodDefault fix-perms) "
        "runs\n# as uid 0 (its own runAsUser: 0); runAsNonRoot: true for the pod reaches it and "
        "the kubelet\n# refuses to start it (CreateContainerConfigError), so the pod never "
        "starts; then:\n" + NOTEBOOK_HINT,
    )
    assert found[(17, "perms")][0] == "display-only"
    assert (NON_ROOT, "nb") not in applied_rules("poddefault-init-container-uid-0.yaml", False)
    # With --unsafe-fixes, only once an earlier round gave perms a non-root user (run-as-user's
    # fix, in the PodDefault's entry): no pod the kubelet refuses, at any round.
    outcome = fix_file(P / "poddefault-init-container-uid-0.yaml", True)
    assert "runAsUser: 0" not in outcome.texts[str(P / "poddefault-init-container-uid-0.yaml")]
    assert not [f for f in outcome.after.findings if f.rule == "notebook-run-as-root-refused"]


def test_the_notebook_s_own_init_container_run_as_uid_0_alike() -> None:
    found = non_root("notebook-own-init-container-uid-0.yaml")
    applicability, text = found[(15, "nb")]
    assert applicability == "display-only"
    assert (text or "").startswith(
        "# first change the container that runs as root: perms runs as uid 0 (its own "
        "runAsUser: 0);\n"
    )


def test_a_poddefault_sidecar_whose_image_runs_as_root_makes_the_pod_fix_unsafe() -> None:
    found = non_root("poddefault-sidecar-root-image.yaml")
    assert found[(28, "nb")] == (
        "unsafe",
        "# unsafe: trainer (added by PodDefault trainer) runs its image's user, root\n"
        "# (nvcr.io/nvidia/pytorch:24.05-py3): the pod's runAsUser 1000 makes it run as 1000, "
        "and\n# root work it does (chown, switching users) fails as that user\n" + NOTEBOOK_HINT,
    )
    assert (NON_ROOT, "nb") not in applied_rules("poddefault-sidecar-root-image.yaml", False)


def test_a_poddefault_init_container_with_a_non_root_user_of_its_own_changes_nothing() -> None:
    found = non_root("poddefault-init-container-non-root.yaml")
    # Unsafe by its rule (the notebook's image may need root), as without the PodDefault.
    assert found == {(29, "nb"): ("unsafe", NOTEBOOK_HINT)}
    assert (NON_ROOT, "nb") not in applied_rules("poddefault-init-container-non-root.yaml", False)
    assert (NON_ROOT, "nb") in applied_rules("poddefault-init-container-non-root.yaml", True)
