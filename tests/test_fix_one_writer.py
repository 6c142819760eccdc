"""A z2jh fix writes a KubeSpawner trait only where the user's values write it (field test 18a
D3): the chart key the user wrote (``singleuser.allowPrivilegeEscalation``), and their
``hub.config.KubeSpawner`` trait when they wrote one (it is loaded after the chart's keys and
wins). Never a new ``hub.config`` copy or ``container_security_context`` field beside the user's
key: either would shadow it, and a later edit of the user's key would silently do nothing.
The fixed values are spawned by the real KubeSpawner (the chart's hub), as the z2jh tests do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

# The hub oracle: the chart's jupyterhub_config.py and the KubeSpawner of its hub image.
from test_z2jh_end_to_end import assert_same_pods, hubs  # noqa: F401

from nblint.cli import main

ONE_WRITER = FIXTURES / "fixes" / "one-writer"
RULES = "allow-privilege-escalation,notebook-no-sudo"


def fixed(name: str, tmp_path: Path, select: str = RULES) -> Path:
    copy = tmp_path / name
    copy.write_text((ONE_WRITER / name).read_text())
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "--select", select, str(copy)])
    assert result.exit_code in (0, 1), result.output
    assert "not fixed" not in result.output, result.output
    return copy


def body(path: Path) -> str:
    """The file without its leading comment (what the fixture is for)."""
    return "".join(line for line in path.read_text().splitlines(True) if not line.startswith("#"))


#: What the fixes of the chart's block-cloud-metadata init container add (not about this).
CLOUD_METADATA = (
    "  cloudMetadata:\n"
    "    blockWithIptables: false\n"
    "  networkPolicy:\n"
    "    enabled: true\n"
    "    egressAllowRules:\n"
    "      cloudMetadataServer: false\n"
)
USERS_KEYS = '  extraEnv:\n    GRANT_SUDO: "no"\n  uid: 1000\n  allowPrivilegeEscalation: false\n'
WRITABLE_PATHS = (
    "  storage:\n"
    "    extraVolumes:\n"
    "      - name: tmp\n"
    "        emptyDir:\n"
    "          sizeLimit: 1Gi\n"
    "      - name: cache\n"
    "        emptyDir:\n"
    "          sizeLimit: 2Gi\n"
    "    extraVolumeMounts:\n"
    "      - name: tmp\n"
    "        mountPath: /tmp\n"
    "      - name: cache\n"
    "        mountPath: /home/jovyan/.cache\n"
)
# notebook-read-only-root-filesystem's hint gives the whole container_security_context it
# recommends: its allowPrivilegeEscalation goes to the user's own key(s) instead.
READ_ONLY_CONTEXT = (
    "      container_security_context:\n"
    "        readOnlyRootFilesystem: true\n"
    "        capabilities:\n"
    "          drop:\n"
    "            - ALL\n"
)
HUB_CONFIG = "hub:\n  config:\n    KubeSpawner:\n"


def test_the_fix_edits_the_user_s_chart_key_and_adds_no_hub_config_copy(tmp_path: Path) -> None:
    path = fixed("z2jh-escalation-in-the-chart-key.yaml", tmp_path)
    assert body(path) == "singleuser:\n" + USERS_KEYS + CLOUD_METADATA


def test_a_later_hub_config_writer_is_overridden_and_no_third_writer_added(
    tmp_path: Path,
) -> None:
    path = fixed("z2jh-escalation-in-the-chart-key-and-hub-config.yaml", tmp_path)
    assert body(path) == (
        "singleuser:\n"
        + USERS_KEYS
        + CLOUD_METADATA
        + HUB_CONFIG
        + "      allow_privilege_escalation: false\n"
    )


def test_another_rule_s_security_context_leaves_the_field_to_the_user_s_key(
    tmp_path: Path,
) -> None:
    with_read_only = RULES + ",notebook-read-only-root-filesystem"
    path = fixed("z2jh-escalation-in-the-chart-key.yaml", tmp_path, with_read_only)
    assert body(path) == (
        "singleuser:\n"
        + USERS_KEYS
        + CLOUD_METADATA
        + WRITABLE_PATHS
        + HUB_CONFIG
        + READ_ONLY_CONTEXT
    )
    path = fixed("z2jh-escalation-in-the-chart-key-and-hub-config.yaml", tmp_path, with_read_only)
    assert body(path) == (
        "singleuser:\n"
        + USERS_KEYS
        + CLOUD_METADATA
        + WRITABLE_PATHS
        + HUB_CONFIG
        + "      allow_privilege_escalation: false\n"
        + READ_ONLY_CONTEXT
    )


@pytest.mark.parametrize(
    "name",
    [
        "z2jh-escalation-in-the-chart-key.yaml",
        "z2jh-escalation-in-the-chart-key-and-hub-config.yaml",
    ],
)
def test_kubespawner_builds_the_fixed_pod_without_escalation(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = fixed(name, tmp_path, RULES + ",notebook-read-only-root-filesystem")
    hub = assert_same_pods(request.getfixturevalue("hubs"), [path], "4.4.0", tmp_path / "m")
    assert hub.get("spawns"), hub
    for spawned in hub["spawns"]:
        [notebook] = [c for c in spawned["pod"]["spec"]["containers"] if c["name"] == "notebook"]
        context = notebook["securityContext"]
        assert context["allowPrivilegeEscalation"] is False
        assert context["runAsUser"] == 1000
        assert context["readOnlyRootFilesystem"] is True


def test_a_hint_for_the_chart_key_goes_to_the_later_hub_config_writer_too(tmp_path: Path) -> None:
    # allow-privilege-escalation's hint is the chart key; hub.config's trait, loaded after it,
    # would keep the pod escalating: the hint alone now fixes it, in the user's two keys.
    name = "z2jh-escalation-in-the-chart-key-and-hub-config.yaml"
    path = fixed(name, tmp_path, "allow-privilege-escalation")
    assert "  allowPrivilegeEscalation: false\n" in body(path)
    assert body(path).endswith(HUB_CONFIG + "      allow_privilege_escalation: false\n")
