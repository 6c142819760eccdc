"""Findings on z2jh values are at the key the user wrote (issue 16, "wrong lines").

One fixture per case under ``tests/fixtures/z2jh/places/``; each test asserts the exact finding
(rule, line, profile). ``tests/test_finding_lines.py`` checks the same over whole corpora.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, RULES, run

from nblint.model.finding import Finding
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

PLACES = FIXTURES / "z2jh" / "places"


def placed(name: str, rule: str) -> list[tuple[str, int, str | None]]:
    result = run(PLACES / name, select={rule})
    return sorted({(f.rule, f.line, f.profile) for f in result.findings}, key=lambda f: f[:2])


def messages(name: str, rule: str) -> list[str]:
    findings: list[Finding] = run(PLACES / name, select={rule}).findings
    return sorted({f.message for f in findings})


def test_singleuser_extra_container_findings_are_at_the_container() -> None:
    assert placed("extra-containers.yaml", "privileged") == [
        ("privileged", 2, None),  # the chart's block-cloud-metadata init container: `singleuser`
        ("privileged", 7, None),
    ]


def test_profile_extra_container_findings_are_at_its_key() -> None:
    assert placed("profile-extra-containers.yaml", "privileged") == [
        ("privileged", 2, "With a proxy"),
        ("privileged", 11, "With a proxy"),
    ]


def test_notebook_resources_is_at_the_limit_written_as_null() -> None:
    assert placed("cpu-limit-null.yaml", "notebook-resources") == [
        ("notebook-resources", 7, None),
    ]


def test_home_is_where_home_mount_path_puts_it_and_the_finding_is_there() -> None:
    assert placed("home-mount-path.yaml", "notebook-home-persistent") == [
        ("notebook-home-persistent", 9, None),
    ]
    assert messages("home-mount-path.yaml", "notebook-home-persistent") == [
        "nothing persistent is mounted at /home/rstudio: work in container notebook is lost at "
        "every restart"
    ]


def test_gpu_node_selection_is_where_the_gpu_is_asked_for_and_names_the_selector() -> None:
    assert placed("gpu-profile-node-purpose.yaml", "notebook-gpu-node-selection") == [
        ("notebook-gpu-node-selection", 12, "GPU"),
    ]
    assert messages("gpu-profile-node-purpose.yaml", "notebook-gpu-node-selection") == [
        "the pod asks for nvidia.com/gpu but its node selection names no GPU pool (it has "
        "nodeSelector hub.jupyter.org/node-purpose: user): nothing steers it to one"
    ]


def test_with_the_default_home_mount_path_the_image_s_home_counts() -> None:
    # The chart's homeMountPath (/home/jovyan) misses a Rocker image's /home/rstudio: reported at
    # the nearest key written above storage.homeMountPath (`singleuser`), naming that home.
    assert placed("rocker-default-home-mount.yaml", "notebook-home-persistent") == [
        ("notebook-home-persistent", 3, None),
    ]
    assert messages("rocker-default-home-mount.yaml", "notebook-home-persistent") == [
        "nothing persistent is mounted at /home/rstudio: work in container notebook is lost at "
        "every restart"
    ]


def test_no_home_volume_but_the_notebook_dir_on_a_claim_keeps_the_notebooks() -> None:
    """KubeSpawner's `notebook_dir` is the server's root directory (JupyterHub hands it over as
    JUPYTERHUB_ROOT_DIR, `~` expanded): on a claim, the notebooks persist and HOME does not."""
    assert placed("notebook-dir-on-a-claim.yaml", "notebook-home-persistent") == [
        ("notebook-home-persistent", 8, None),  # singleuser.storage: the home volume goes there
    ]
    assert messages("notebook-dir-on-a-claim.yaml", "notebook-home-persistent") == [
        "nothing persistent is mounted at /home/jovyan: the notebooks persist in "
        "/home/jovyan/work (the server's root directory, on volume work), but the rest of "
        "/home/jovyan — dotfiles, `pip install --user` packages, Jupyter settings — is lost at "
        "every restart of container notebook"
    ]


def noted(name: str, rules: set[str]) -> list[tuple[str, int, int, str | None, str]]:
    findings: list[Finding] = run(PLACES / name, select=rules).findings
    return sorted({(f.rule, f.line, f.column, f.profile, f.note or "") for f in findings})


REPLACES_POD = (
    "`singleuser.extraPodConfig.securityContext` replaces the pod `securityContext` KubeSpawner "
    "builds"
)


def test_a_field_extra_pod_config_drops_is_said_lost_at_the_key_that_replaces_it() -> None:
    """runAsNonRoot was set in pod_security_context: not "not set" at a third key, but at the
    extraPodConfig securityContext (where the fix goes), which replaces it without it."""
    assert noted(
        "extra-pod-config-replaces-pod-security-context.yaml",
        {"run-as-non-root", "seccomp-profile-restricted"},
    ) == [
        (
            "run-as-non-root",
            8,
            5,
            None,
            f"{REPLACES_POD}, without the runAsNonRoot that "
            "`hub.config.KubeSpawner.pod_security_context.runAsNonRoot` sets",
        ),
        # Set nowhere: added where the fix goes, not under container_security_context.
        (
            "seccomp-profile-restricted",
            8,
            5,
            None,
            "not set: add it under `singleuser.extraPodConfig.securityContext`, which replaces "
            "the pod `securityContext` KubeSpawner builds",
        ),
    ]


def test_a_field_extra_container_config_drops_is_said_lost_at_the_key_that_replaces_it() -> None:
    replaces = (
        "`hub.config.KubeSpawner.extra_container_config.securityContext` replaces the "
        "`securityContext` KubeSpawner builds for the notebook, without the "
    )
    assert noted(
        "extra-container-config-replaces-container-security-context.yaml",
        {"allow-privilege-escalation", "notebook-run-as-user"},
    ) == [
        (
            "allow-privilege-escalation",
            19,
            9,
            None,
            replaces + "allowPrivilegeEscalation that `singleuser.allowPrivilegeEscalation` sets",
        ),
        ("notebook-run-as-user", 19, 9, None, replaces + "runAsUser that `singleuser.uid` sets"),
    ]


def test_a_profile_s_extra_pod_config_loses_the_hub_s_pod_security_context_for_its_pods() -> None:
    replaces = (
        "`singleuser.profileList[1].kubespawner_override.extra_pod_config.securityContext` "
        "replaces the pod `securityContext` KubeSpawner builds, without the "
    )
    assert noted(
        "profile-extra-pod-config-replaces-pod-security-context.yaml",
        {"run-as-non-root", "seccomp-profile-restricted"},
    ) == [
        (
            "run-as-non-root",
            15,
            11,
            "Shared volume",
            replaces
            + "runAsNonRoot that `hub.config.KubeSpawner.pod_security_context.runAsNonRoot` sets",
        ),
        (
            "seccomp-profile-restricted",
            15,
            11,
            "Shared volume",
            replaces + "seccompProfile that "
            "`hub.config.KubeSpawner.pod_security_context.seccompProfile` sets",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "rules"),
    [
        (
            "extra-pod-config-replaces-pod-security-context.yaml",
            {"run-as-non-root", "seccomp-profile-restricted"},
        ),
        (
            "extra-container-config-replaces-container-security-context.yaml",
            {"allow-privilege-escalation", "notebook-run-as-user"},
        ),
        (
            "profile-extra-pod-config-replaces-pod-security-context.yaml",
            {"run-as-non-root", "seccomp-profile-restricted"},
        ),
    ],
)
def test_the_fix_goes_to_the_key_the_finding_is_at_and_clears_it(
    name: str, rules: set[str]
) -> None:
    path = PLACES / name
    before = run(path, select=rules).findings
    options = Options(PsaPolicy("restricted", (1, 37)))
    outcome = fixing.fix(
        lambda texts: Runner(options.replace(texts=texts), RULES).run([str(path)]), True
    )
    assert {f.line for f in outcome.applied if f.rule in rules} == {f.line for f in before}
    assert [f for f in outcome.after.findings if f.rule in rules] == []


def test_a_null_that_deletes_a_chart_default_is_where_the_missing_field_is_reported() -> None:
    # Field test 9a, D6: both were at `hub.config` (line 5) with "not set: add it under
    # hub.config.KubeSpawner…", while the fix edited the nulls.
    result = run(
        PLACES / "uid-and-fsgid-null-delete-the-chart-defaults.yaml",
        select={"notebook-run-as-user", "notebook-home-writable"},
    )
    assert sorted((f.rule, f.line, f.column, f.note) for f in result.findings) == [
        (
            "notebook-home-writable",
            13,
            3,
            "`singleuser.fsGid: null` deletes the chart default `singleuser.fsGid: 100`: the pod "
            "gets no fsGroup",
        ),
        (
            "notebook-run-as-user",
            12,
            3,
            "`singleuser.uid: null` deletes the chart default `singleuser.uid: 1000`: the pod gets "
            "no runAsUser",
        ),
    ]


def test_a_field_both_replacements_drop_is_at_the_key_its_fix_goes_to() -> None:
    name = "profile-replaces-pod-and-container-security-context.yaml"
    assert placed(name, "notebook-run-as-user") == [("notebook-run-as-user", 15, "ROCm")]
    assert placed(name, "run-as-non-root") == [
        ("run-as-non-root", 4, "ROCm"),  # the chart's block-cloud-metadata init container
        ("run-as-non-root", 10, "ROCm"),
    ]


# -- Values under a wrapper's key (field test 18a, D4) ------------------------------------------
# BinderHub's values hold z2jh's under `jupyterhub`: a note names a values path as the file holds
# it, the path the fix beside it is nested under (README: a hint is shown under such a key).


def test_a_not_set_note_names_the_path_under_the_wrapper_key() -> None:
    assert noted(
        "binderhub-jupyterhub-not-set.yaml",
        {"capabilities-restricted", "notebook-read-only-root-filesystem"},
    ) == [
        (
            "capabilities-restricted",
            6,
            3,
            None,
            "not set: add it under jupyterhub.hub.config.KubeSpawner.container_security_context",
        ),
        (
            "capabilities-restricted",
            8,
            3,
            None,
            "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh 4.4.0 adds "
            "a privileged root init container",
        ),
        (
            "notebook-read-only-root-filesystem",
            6,
            3,
            None,
            "not set: add it under jupyterhub.hub.config.KubeSpawner.container_security_context",
        ),
    ]


def test_a_replacing_key_note_names_both_paths_under_the_wrapper_key() -> None:
    replaces = (
        "`jupyterhub.singleuser.extraPodConfig.securityContext` replaces the pod "
        "`securityContext` KubeSpawner builds"
    )
    assert noted(
        "binderhub-extra-pod-config-replaces-pod-security-context.yaml",
        {"run-as-non-root", "seccomp-profile-restricted"},
    ) == [
        (
            "run-as-non-root",
            9,
            7,
            None,
            f"{replaces}, without the runAsNonRoot that "
            "`jupyterhub.hub.config.KubeSpawner.pod_security_context.runAsNonRoot` sets",
        ),
        (
            "seccomp-profile-restricted",
            9,
            7,
            None,
            "not set: add it under `jupyterhub.singleuser.extraPodConfig.securityContext`, which "
            "replaces the pod `securityContext` KubeSpawner builds",
        ),
    ]
