"""Fix hints that must change the pod, and never make one the API server refuses (field test 5a:
D3, D5, D10, D13, D14, D15).

- A hint goes where the last writer of its trait for the pod is: an option choice's override over
  its profile's, either over the chart's keys (D13 tolerations, D14 volumes).
- A note that says nothing is to be done carries no edit (D5).
- What only hub.extraConfig's Python writes is advice, never an edit into the code (D15).
- A moved securityContext keeps each field at its level (D3).
- No fix makes a container with a Bidirectional mount unprivileged, and check reports such a
  container as refused (D10).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, brief, run
from test_fix import findings_of, fixed_text

from nblint.cli import main
from nblint.fix.apply import FixError, apply_edit
from nblint.model.edit import HELM, Edit

HINTS = FIXTURES / "fix" / "z2jh-hints"


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_text((HINTS / name).read_text())
    return target


# D13 --------------------------------------------------------------------------------------


def test_the_gpu_toleration_goes_into_the_choice_whose_tolerations_replace_the_profile_s() -> None:
    path = HINTS / "choice-tolerations-replace-the-profile-s.yaml"
    [finding] = findings_of("notebook-gpu-toleration", path)
    assert finding.applicability == "unsafe"
    assert finding.edit is not None
    assert finding.edit.path == (
        "singleuser", "profileList", 0, "profile_options", "zone", "choices", "a",
        "kubespawner_override",
    )  # fmt: skip
    assert (finding.fix or "").startswith(
        "# in singleuser.profileList[0].profile_options.zone.choices.a.kubespawner_override\n"
    )
    text = fixed_text(path)
    assert findings_of("notebook-gpu-toleration", path, text) == []
    values = yaml.safe_load(text)["singleuser"]["profileList"][0]
    # The profile is left alone: zone=a is not copied where every other zone would inherit it.
    assert values["kubespawner_override"]["tolerations"] == [
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    ]
    choice = values["profile_options"]["zone"]["choices"]["a"]["kubespawner_override"]
    assert choice["tolerations"] == [
        {"key": "zone", "operator": "Equal", "value": "a", "effect": "NoSchedule"},
        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"},
    ]


# D14 --------------------------------------------------------------------------------------


def test_the_home_fix_goes_into_the_profile_volumes_that_replace_the_chart_s() -> None:
    path = HINTS / "profile-volumes-replace-the-home.yaml"
    [finding] = findings_of("notebook-home-persistent", path)
    # At the profile's volume_mounts, which dropped the home mount (not at 1:1).
    assert (finding.line, finding.column) == (13, 9)
    assert finding.edit is not None
    assert finding.edit.path == ("singleuser", "profileList", 0, "kubespawner_override")
    text = fixed_text(path)
    assert findings_of("notebook-home-persistent", path, text) == []
    override = yaml.safe_load(text)["singleuser"]["profileList"][0]["kubespawner_override"]
    # (other fixes add the writable paths after them)
    assert override["volumes"][:2] == [
        {"name": "data", "persistentVolumeClaim": {"claimName": "shared-data"}},
        {"name": "volume-{user_server}", "persistentVolumeClaim": {"claimName": "{pvc_name}"}},
    ]
    assert override["volume_mounts"][:2] == [
        {"name": "data", "mountPath": "/data"},
        {"mountPath": "/home/jovyan", "name": "volume-{user_server}"},
    ]
    # The chart's own keys, which the profile's lists replace, are not written.
    assert "storage" not in yaml.safe_load(text)["singleuser"]


# D5 ---------------------------------------------------------------------------------------


def test_a_gke_toleration_note_shows_its_snippet_and_offers_no_fix() -> None:
    path = HINTS / "gke-gpu-note.yaml"
    found = findings_of("notebook-gpu-toleration", path)
    assert [(f.severity, f.applicability, f.edit) for f in found] == [
        ("info", "display-only", None)
    ]
    assert "tolerations:" in (found[0].fix or "")
    result = CliRunner().invoke(
        main,
        ["fix", "--diff", "--unsafe-fixes", "--select", "notebook-gpu-toleration", str(path)],
        catch_exceptions=False,
    )
    assert result.output.strip().startswith("nblint: would fix 0 findings in 0 files;")


# D15 --------------------------------------------------------------------------------------


def test_a_profile_list_in_extra_config_gets_advice_never_an_edit_into_its_code(
    tmp_path: Path,
) -> None:
    path = HINTS / "profile-list-in-extra-config.yaml"
    found = [
        f for f in findings_of("notebook-gpu-count", path) + findings_of("run-as-user", path)
        if f.line == 9  # the statement: where the profile list is written
    ]  # fmt: skip
    assert sorted((f.rule, f.applicability, f.edit) for f in found) == [
        ("notebook-gpu-count", "display-only", None),
        ("run-as-user", "display-only", None),
    ]
    gpu_count, run_as_user = sorted(found, key=lambda f: f.rule)
    assert (run_as_user.fix or "").startswith(
        '# in hub.extraConfig["profiles"], line 1 (line 9 of the file), at '
        "[0]['kubespawner_override']: code, which nblint does not edit (change it there)\n"
    )
    # The profile offers its GPU count by its label: advice to drop it, not a lower count
    # (field test 9a, D2), in code or in values alike.
    assert (gpu_count.fix or "").startswith("A profile or an option choice offers these 4 GPUs")
    copy = _copy("profile-list-in-extra-config.yaml", tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "fix",
            "--diff",
            "--unsafe-fixes",
            "--select",
            "notebook-gpu-count,run-as-user",
            str(copy),
        ],
        catch_exceptions=False,
    )
    assert "not fixed" not in result.output
    assert "hub.extraConfig.profiles" not in result.output
    assert "profiles: |" in copy.read_text() and copy.read_text() == path.read_text()


def test_an_edit_into_text_is_refused_in_words_not_with_a_path_into_it() -> None:
    text = (HINTS / "profile-list-in-extra-config.yaml").read_text()
    edit = Edit("x.yaml", 0, ("hub", "extraConfig", "profiles", 1, 0), HELM, "uid: 1000")
    with pytest.raises(FixError, match=r"^hub\.extraConfig\.profiles is text: nblint does not"):
        apply_edit(text, edit)


# D3 ---------------------------------------------------------------------------------------


def test_an_old_security_context_key_moves_fs_group_to_the_pod_security_context() -> None:
    path = HINTS / "old-security-context-with-fs-group.yaml"
    [finding] = findings_of("z2jh-unknown-key", path)
    assert finding.message.endswith(
        "the setting belongs at `hub.config.KubeSpawner.container_security_context`; `fsGroup` "
        "at `hub.config.KubeSpawner.pod_security_context`"
    )
    snippet = (finding.fix or "").split("set instead:\n", 1)[1]
    assert yaml.safe_load(snippet) == {
        "hub": {
            "config": {
                "KubeSpawner": {
                    "container_security_context": {
                        "allowPrivilegeEscalation": False,
                        "runAsUser": 1000,
                    },
                    "pod_security_context": {"fsGroup": 100},
                }
            }
        }
    }


# D10 --------------------------------------------------------------------------------------


def test_a_bidirectional_mount_in_a_container_that_is_not_privileged_is_refused() -> None:
    manifest = HINTS / "bidirectional-mount-unprivileged.yaml"
    values = HINTS / "z2jh-bidirectional-mount-unprivileged.yaml"
    [found] = findings_of("bidirectional-mount-unprivileged", manifest)
    assert brief([found]) == [("bidirectional-mount-unprivileged", 19, 15)]
    assert found.message == (
        "container mounter mounts shared with mountPropagation: Bidirectional but is not "
        "privileged: the API server refuses the pod"
    )
    assert found.applicability == "display-only"
    [found] = findings_of("bidirectional-mount-unprivileged", values)
    assert brief([found]) == [("bidirectional-mount-unprivileged", 9, 11)]


def test_no_fix_makes_a_container_with_a_bidirectional_mount_unprivileged() -> None:
    for name, container in (
        ("privileged-sidecar-bidirectional-mount.yaml", "mount-server-manager"),
        ("manifest-privileged-bidirectional-mount.yaml", "mounter"),
        ("notebook-privileged-bidirectional-mount.yaml", "mounter"),
    ):
        path = HINTS / name
        [finding] = [f for f in findings_of("privileged", path) if f.container == container]
        assert (finding.applicability, finding.edit) == ("display-only", None), name
        assert (finding.fix or "").startswith(
            "# first change mountPropagation: Bidirectional of mount "
        ), name
        text = fixed_text(path)
        assert findings_of("bidirectional-mount-unprivileged", path, text) == [], name
        mounter = [f for f in findings_of("privileged", path, text) if f.container == container]
        assert len(mounter) == 1, name  # still privileged: reported, not refused


# Field test 8a, D4: a hint for values under an umbrella chart's key is shown under that key ----


def _nested_under(path: list[Any], tree: Any) -> Any:
    for key in reversed(path):
        tree = {key: tree}
    return tree


@pytest.mark.parametrize(
    ("name", "root"),
    [
        ("umbrella-hint-under-jupyterhub.yaml", ["jupyterhub"]),
        ("umbrella-hint-under-binderhub-jupyterhub.yaml", ["binderhub", "jupyterhub"]),
    ],
)
def test_a_hint_under_an_umbrella_key_pastes_where_the_fix_writes_it(
    name: str, root: list[str]
) -> None:
    """Pasted as shown at the top of the file, each hint is the edit `nblint fix` makes: shown
    without `jupyterhub:` it put `singleuser` at the parent chart's top level, where z2jh never
    sees it."""
    findings = run(HINTS / name).findings
    placed = [f for f in findings if f.edit is not None and list(f.edit.path) == root]
    assert {f.rule for f in placed} >= {"notebook-resources", "seccomp-profile-restricted"}
    for finding in placed:
        assert finding.fix is not None
        shown = yaml.safe_load(finding.fix)
        assert shown == _nested_under(root, yaml.safe_load(finding.edit.patch)), finding.rule


def test_a_hint_into_a_profile_under_an_umbrella_key_names_the_whole_path() -> None:
    [notebook] = [
        f
        for f in run(HINTS / "umbrella-hint-under-jupyterhub.yaml", select={"privileged"}).findings
        if "container notebook" in f.message
    ]
    assert notebook.fix is not None and notebook.fix.startswith(
        "# in jupyterhub.singleuser.profileList[0].kubespawner_override\n"
    )
    assert notebook.edit is not None
    assert list(notebook.edit.path) == [
        "jupyterhub",
        "singleuser",
        "profileList",
        0,
        "kubespawner_override",
    ]
