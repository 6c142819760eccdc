"""Code that decides the user pods and that no values file shows: a spawner class other than
KubeSpawner, and Python files mounted into the hub's ``jupyterhub_config.d`` (both run by the
chart's ``jupyterhub_config.py``). nblint draws KubeSpawner's pods and says what it assumed."""

from __future__ import annotations

from conftest import FIXTURES, run

HUB_CODE = FIXTURES / "z2jh" / "hub-code"
RULES = {"z2jh-hub-code", "z2jh-extra-config"}


def found(name: str) -> list[tuple[str, int, int, str | None]]:
    result = run(HUB_CODE / name, select=RULES)
    return [(f.rule, f.line, f.column, f.profile) for f in result.findings]


def test_a_spawner_class_of_its_own_is_said_to_be_assumed_to_build_kubespawners_pod() -> None:
    result = run(HUB_CODE / "custom-spawner-class.yaml", select=RULES)
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        ("z2jh-hub-code", 10, 7, "info")
    ]
    assert "`coursespawner.CourseKubeSpawner`, not KubeSpawner" in result.findings[0].message
    assert len(result.pods) == 1  # still linted, as KubeSpawner would build it


def test_a_plain_spawner_setting_in_extra_config_is_read_at_its_line() -> None:
    assert found("spawner-class-in-extra-config.yaml") == [("z2jh-hub-code", 10, 7, None)]


def test_naming_kubespawner_is_no_finding() -> None:
    assert found("spawner-class-kubespawner.yaml") == []


def test_config_files_are_one_finding_at_the_first_the_hub_runs() -> None:
    result = run(HUB_CODE / "config-d-files.yaml", select=RULES)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-hub-code", 26, 7)]
    message = result.findings[0].message
    assert "`10-site.py`, `20-site.py`, `50-limits.py` (the first here)" in message
    assert "banner" not in message and "readme" not in message


def test_a_volume_mounted_as_the_config_directory() -> None:
    result = run(HUB_CODE / "config-d-directory.yaml", select=RULES)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-hub-code", 14, 7)]
    assert "a volume is mounted as `/usr/local/etc/jupyterhub/jupyterhub_config.d`" in (
        result.findings[0].message
    )
