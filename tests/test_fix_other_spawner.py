"""Fixes into KubeSpawner's settings when the hub spawns with another class (field test 20a D6).

``hub.config.JupyterHub.spawner_class`` (or a plain ``c.JupyterHub.spawner_class`` statement of
``hub.extraConfig``) naming a class nblint does not know to be KubeSpawner: traitlets gives a
class the ``KubeSpawner`` section (and z2jh's ``singleuser`` keys, which become ``c.KubeSpawner``
traits) only if it subclasses KubeSpawner, which nblint cannot see. A hint that writes them is
advice: shown with a comment that says so, never applied, not counted as fixed. KubeSpawner named
by its import path keeps its safe fixes.

Fixtures are in ``tests/fixtures/fix/other-spawner/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, RULES, fix_note

from nblint.model.finding import Finding
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

HERE = FIXTURES / "fix" / "other-spawner"
POD_RULES = {"capabilities-restricted", "seccomp-profile-restricted"}


def check(path: Path) -> list[Finding]:
    found = Runner(Options(PsaPolicy("restricted", (1, 37))), RULES).run([str(path)]).findings
    return [f for f in found if f.rule in POD_RULES]


def fix_file(path: Path) -> fixing.FixOutcome:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def run(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(run, False)


@pytest.mark.parametrize(
    ("name", "line", "spawner"),
    [
        ("spawner-class-by-name.yaml", 4, "`kubetemplate`"),
        ("spawner-class-in-extra-config.yaml", 2, "`myteam.spawner.LabSpawner`"),
    ],
)
def test_hints_into_kubespawner_settings_are_advice_under_another_spawner(
    name: str, line: int, spawner: str
) -> None:
    path = HERE / name
    findings = check(path)
    assert sorted((f.rule, f.line, f.profile) for f in findings if f.container == "notebook") == [
        ("capabilities-restricted", line, None),
        ("seccomp-profile-restricted", line, None),
    ]
    for found in findings:
        assert found.applicability == "display-only" and found.edit is None
        assert fix_note(found).startswith(
            f"advice: the hub spawns with {spawner}, which reads these KubeSpawner settings "
            "only if it is a KubeSpawner (a subclass of it); nblint cannot see which"
        )
    outcome = fix_file(path)
    assert outcome.applied == [] and outcome.texts == {}


def test_kubespawner_named_by_its_import_path_keeps_its_safe_fixes() -> None:
    path = HERE / "spawner-class-kubespawner.yaml"
    findings = check(path)
    assert {f.applicability for f in findings if f.container == "notebook"} == {"safe"}
    assert all("advice" not in f.fix for f in findings)
    outcome = fix_file(path)
    assert {f.rule for f in outcome.applied} >= POD_RULES
