"""fsGroup is applied by the kubelet only to volumes it manages: a home whose claim the inputs
bind to a hostPath or nfs PersistentVolume cannot be made writable by it. The finding is then a
note with advice that is never applied, not an error whose fsGroup fix changes nothing (field
test 7b, defect 4)."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

from nblint.model.edit import DISPLAY_ONLY

D = FIXTURES / "home-ownership"
RULE = "notebook-home-writable"


def findings(name: str):
    return run(D / name, select={RULE}).findings


def test_a_home_on_a_hostpath_persistent_volume_gets_a_note_and_no_fsgroup_fix() -> None:
    [found] = findings("claim-bound-to-hostpath-pv.yaml")
    assert (found.rule, found.line, found.column, found.severity) == (RULE, 34, 5, "info")
    assert found.message == (
        "volume home at /home/jovyan is claim jupyter-notebook, bound to PersistentVolume "
        "jupyter-notebook (hostPath /opt/k8s/jupyter-notebook/home): the kubelet applies the "
        "pod's fsGroup to no hostPath volume, so fsGroup cannot make it writable; whether the "
        "user can write there depends on who owns that directory, which nblint cannot see"
    )
    assert found.applicability == DISPLAY_ONLY and found.edit is None
    assert "fsGroup: 100" not in (found.fix or "")
    assert "CHOWN_HOME=yes" in (found.fix or "")


def test_a_home_on_an_nfs_persistent_volume_bound_by_claim_ref_gets_the_note() -> None:
    [found] = findings("claim-bound-to-nfs-pv.yaml")
    assert (found.line, found.column, found.severity) == (38, 11, "info")
    assert "(nfs nfs.example.org:/exports/homes)" in found.message
    assert found.edit is None


def test_a_home_on_a_csi_persistent_volume_keeps_the_fsgroup_fix() -> None:
    found = findings("claim-bound-to-csi-pv.yaml")
    assert brief(found) == [(RULE, 25, 1)]
    assert found[0].severity == "error" and found[0].edit is not None


def test_a_home_an_init_container_chowns_first_is_writable() -> None:
    assert findings("chowned-by-an-init-container.yaml") == []


def test_a_home_an_init_container_only_reads_is_not_made_writable() -> None:
    assert brief(findings("init-container-that-changes-no-owner.yaml")) == [(RULE, 6, 1)]


def test_the_note_stays_when_the_pod_sets_an_fsgroup_the_kubelet_ignores_there() -> None:
    # Field test 8b D8: fsGroup set or not, the kubelet does not regroup an nfs volume.
    [found] = findings("claim-bound-to-nfs-pv-with-fsgroup.yaml")
    assert (found.line, found.column, found.severity) == (31, 7, "info")
    assert found.message == (
        "volume home at /home/jovyan is claim home-alice, bound to PersistentVolume "
        "home-alice-pv (nfs nfs.example.com:/exports/alice): the kubelet applies the pod's "
        "fsGroup to no nfs volume, so the pod's fsGroup: 100 has no effect on it; whether the "
        "user can write there depends on who owns that directory, which nblint cannot see"
    )
    assert found.applicability == DISPLAY_ONLY and found.edit is None


def test_a_kubeflow_notebook_s_injected_fsgroup_does_not_silence_the_note() -> None:
    [found] = findings("notebook-claim-bound-to-nfs-pv.yaml")
    assert (found.line, found.column, found.severity) == (31, 11, "info")
    assert "the pod's fsGroup: 100 has no effect on it" in found.message


BELOW = (
    "volume work at /home/jovyan/work is a claim mounted in the home /home/jovyan of container "
    "jupyter, but the pod sets no fsGroup: a fresh claim's directory is root's, and the user, who "
    'is not root, gets "permission denied" there'
)


def test_a_claim_below_home_of_a_non_root_user_without_fsgroup_is_not_writable() -> None:
    """Field test 9b D3: docker-stacks' ~/work on a claim, uid 1000, no fsGroup."""
    [found] = findings("claim-below-home-no-fsgroup.yaml")
    assert (found.rule, found.line, found.column, found.severity) == (RULE, 14, 7, "error")
    assert found.message == BELOW
    assert found.edit is not None and "fsGroup: 100" in (found.fix or "")


def test_a_claim_below_home_of_docker_stacks_started_as_root_is_the_users() -> None:
    """start.sh started as root hands the work to jovyan: the field test's file, whose
    root→non-root fix added no fsGroup. Its --unsafe-fixes now add one."""
    [found] = findings("claim-below-home-root-start.yaml")
    assert (found.line, found.column) == (45, 5)
    assert "volume jupyter-volume at /home/jovyan/work" in found.message


def test_claims_below_home_are_one_finding() -> None:
    [found] = findings("claim-below-home-rstudio.yaml")
    assert found.message.startswith(
        "volume project at /home/rstudio/project and volume data at /home/rstudio/data are "
        "claims mounted in the home /home/rstudio of container rstudio"
    )


def test_claims_below_home_that_need_no_fsgroup_or_cannot_take_one_are_silent() -> None:
    assert findings("claim-below-home-cases.yaml") == []


def test_docker_stacks_started_as_root_with_chown_home_gives_the_claim_to_the_user() -> None:
    """Field test 19b D1: start.sh, started as uid 0, chowns /home/$NB_USER when CHOWN_HOME is
    1 or yes (below it too with CHOWN_HOME_OPTS=-R), and the paths CHOWN_EXTRA lists: the
    advice of the rule's own note, followed, leaves nothing to say. quay.io's images run start.sh
    as their ENTRYPOINT, so z2jh's args (jupyterhub-singleuser) go through it too."""
    assert findings("chown-home-at-root-start.yaml") == []


def test_chown_home_that_start_sh_does_not_do_leaves_the_finding() -> None:
    """Not root, not 1/yes, CAP_CHOWN dropped, a claim below HOME without -R. Where start.sh
    is replaced (a command; args where an older Docker Hub tag's ENTRYPOINT is tini alone),
    root itself works in the claim and writes it (field test 20b D1): nothing is said."""
    found = findings("chown-home-that-does-not-happen.yaml")
    assert brief(found) == [
        (RULE, 6, 1),
        (RULE, 20, 1),
        (RULE, 34, 1),
        (RULE, 64, 1),
    ]
    assert all(f.severity == "error" for f in found)


def test_claims_of_a_non_root_container_whose_image_nblint_does_not_know() -> None:
    """Field test 19b D4: a fresh claim's directory is root's whatever the image. At the
    working directory: the finding; elsewhere (HOME unknown): a note whose hint is not applied;
    uid unknown, emptyDir, read-only, fsGroup: nothing."""
    found = findings("claims-of-an-unknown-image.yaml")
    assert [(f.rule, f.line, f.column, f.severity) for f in found] == [
        (RULE, 7, 1, "error"),
        (RULE, 21, 3, "info"),
    ]
    assert found[0].message.startswith("volume work is mounted at /work, the working directory")
    assert found[1].message.startswith(
        "nblint does not know the HOME of image example.org/team/notebook:1: if the user works "
        "in volume home at /home/jovyan"
    )
    assert found[1].applicability == DISPLAY_ONLY and found[1].edit is None


def test_the_fs_group_hint_for_an_unknown_image_is_the_pod_s_own_group() -> None:
    """Field test 20b D5: fsGroup joins every container's groups, so no image need run as it:
    the pod's runAsGroup, said so; with none, any group, without a check on the image."""
    [found] = findings("claim-of-an-unknown-image-run-as-a-group.yaml")
    assert (found.rule, found.line) == (RULE, 7)
    assert "fsGroup: 2100   # the group the pod runs as (runAsGroup)" in (found.fix or "")
    [unknown] = [f for f in findings("claims-of-an-unknown-image.yaml") if f.line == 7]
    assert "fsGroup: 100   # any group: the kubelet adds it to every container's groups" in (
        unknown.fix or ""
    )
