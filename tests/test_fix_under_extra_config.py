"""Fixes of traits that ``hub.extraConfig``'s code sets (field test 5, D3).

The hub runs ``hub.extraConfig`` after the chart's settings and ``hub.config``
(``jupyterhub_config.py``), so a values key for a trait that a plain setting there assigns
(``hub.config.KubeSpawner.X``, or the chart's key for it: ``singleuser.uid`` → ``uid``) changes
nothing. Such a fix is shown at the code's line, never applied (nblint does not edit code), and
is not counted as fixable; a key whose trait the code already sets to the fix's value is left out
of the edit. What still wins over the code keeps its fix: a profile's ``kubespawner_override``
(KubeSpawner applies it at spawn), and a ``c.KubeSpawner`` key over a ``c.Spawner`` statement.
``tests/fixtures/z2jh/end-to-end/extra-config-precedence.yaml`` holds that order to the hub's.

Fixtures are in ``tests/fixtures/fix/``, named ``extra-config-*``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from click.testing import CliRunner
from conftest import FIXTURES, RULES

from nblint.cli import main
from nblint.model.finding import Finding
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

FIX = FIXTURES / "fix"
TOKEN = "notebook-service-account-token"
ESCALATION = "allow-privilege-escalation"


def check(path: Path, text: str | None = None) -> list[Finding]:
    options = Options(PsaPolicy("restricted", (1, 37)), texts={str(path): text} if text else {})
    return Runner(options, RULES).run([str(path)]).findings


def fix_file(path: Path, unsafe: bool) -> fixing.FixOutcome:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def run(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(run, unsafe)


def fixed_text(outcome: fixing.FixOutcome, path: Path) -> str:
    return outcome.texts.get(str(path), path.read_text())


def of_rule(findings: list[Finding], rule: str, container: str = "notebook") -> list[Finding]:
    return [f for f in findings if f.rule == rule and f.container == container]


def test_a_token_the_code_asks_for_is_fixed_at_the_code_s_line_shown_not_applied() -> None:
    path = FIX / "extra-config-sets-automount-token.yaml"
    findings = check(path)
    [token] = of_rule(findings, TOKEN, container=None)  # type: ignore[arg-type]
    assert (token.line, token.column, token.profile) == (10, 7, None)
    assert token.applicability == "display-only"
    assert token.edit is None
    assert token.fix == (
        '# hub.extraConfig["spark"], line 1 (line 10 of the file) sets '
        "automount_service_account_token after the values,\n"
        "# which cannot change it: change that line (nblint does not edit code):\n"
        "#   c.KubeSpawner.automount_service_account_token = False"
    )
    # A fix of another trait stays a fix.
    [seccomp] = of_rule(findings, "seccomp-profile-restricted")
    assert seccomp.applicability == "safe" and seccomp.edit is not None

    outcome = fix_file(path, unsafe=False)
    assert TOKEN not in {f.rule for f in outcome.applied}
    text = fixed_text(outcome, path)
    assert "automount_service_account_token: false" not in text
    assert "c.KubeSpawner.automount_service_account_token = True" in text
    [left] = [f for f in outcome.after.findings if f.rule == TOKEN]
    assert left.applicability == "display-only"


def test_the_counts_say_only_the_fixes_that_take_effect(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    shutil.copy(FIX / "extra-config-sets-automount-token.yaml", path)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(path)], catch_exceptions=False).output
    safe = [f for f in check(path) if f.applicability == "safe"]
    assert TOKEN not in {f.rule for f in safe}
    assert f"{len(safe)} fixable with `nblint fix`" in checked
    fixed = runner.invoke(main, ["fix", str(path)], catch_exceptions=False).output
    assert f"fixed {len(safe)} findings in 1 file" in fixed


def test_a_values_key_an_earlier_fix_wrote_under_the_code_is_still_sent_to_the_code() -> None:
    path = FIX / "extra-config-over-a-dead-values-key.yaml"
    [token] = of_rule(check(path), TOKEN, container=None)  # type: ignore[arg-type]
    assert (token.line, token.column, token.applicability) == (10, 7, "display-only")
    assert token.fix is not None
    assert "#   c.KubeSpawner.automount_service_account_token = False" in token.fix


def test_a_uid_the_code_sets_is_not_written_to_singleuser_uid() -> None:
    path = FIX / "extra-config-sets-uid.yaml"
    findings = check(path)
    [run_as_user] = of_rule(findings, "run-as-user")
    assert (run_as_user.line, run_as_user.column) == (8, 7)
    assert run_as_user.applicability == "display-only"
    assert run_as_user.fix is not None
    assert run_as_user.fix.startswith(
        '# hub.extraConfig["root"], line 1 (line 8 of the file) sets uid after the values,'
    )
    assert "#   c.KubeSpawner.uid = 1000" in run_as_user.fix
    # runAsNonRoot with the code's uid 0 would be refused by the kubelet: that fix is shown too,
    # with the code line and the rest of it.
    [non_root] = of_rule(findings, "run-as-non-root")
    assert (non_root.line, non_root.applicability) == (4, "display-only")
    assert non_root.fix is not None
    assert "#   c.KubeSpawner.uid = 1000" in non_root.fix
    assert "runAsNonRoot: true" in non_root.fix
    assert "uid: 1000" not in non_root.fix.replace("c.KubeSpawner.uid = 1000", "")

    outcome = fix_file(path, unsafe=True)
    assert not {"run-as-user", "run-as-non-root"} & {f.rule for f in outcome.applied}
    values = yaml.safe_load(fixed_text(outcome, path))
    assert "uid" not in values["singleuser"]
    assert values["hub"]["extraConfig"]["root"] == "c.KubeSpawner.uid = 0\n"
    left = of_rule(outcome.after.findings, "run-as-user")
    assert [f.applicability for f in left] == ["display-only"]


def test_the_snippet_that_runs_last_is_the_one_named() -> None:
    path = FIX / "extra-config-later-snippet-wins.yaml"
    [token] = of_rule(check(path), TOKEN, container=None)  # type: ignore[arg-type]
    assert (token.line, token.column, token.applicability) == (9, 7, "display-only")
    assert token.fix is not None
    assert token.fix.startswith('# hub.extraConfig["z-late"], line 2 (line 9 of the file) sets')


def test_a_spawner_statement_loses_to_the_values_kubespawner_key_so_the_fix_applies() -> None:
    path = FIX / "extra-config-spawner-section-loses.yaml"
    [token] = of_rule(check(path), TOKEN, container=None)  # type: ignore[arg-type]
    # Unsafe: it turns over the true the code asks for (Spark uses the token).
    assert (token.line, token.column, token.applicability) == (8, 7, "unsafe")
    assert token.edit is not None
    outcome = fix_file(path, unsafe=True)
    assert TOKEN in {f.rule for f in outcome.applied}
    values = yaml.safe_load(fixed_text(outcome, path))
    assert values["hub"]["config"]["KubeSpawner"]["automount_service_account_token"] is False
    assert [f for f in outcome.after.findings if f.rule == TOKEN] == []


def test_a_key_the_code_already_gives_the_fix_s_value_is_left_out_and_the_rest_applied() -> None:
    path = FIX / "extra-config-sets-what-the-fix-needs.yaml"
    [non_root] = of_rule(check(path), "run-as-non-root")
    assert (non_root.line, non_root.applicability) == (4, "unsafe")
    assert non_root.edit is not None
    assert "uid" not in non_root.edit.patch
    assert non_root.fix is not None
    assert non_root.fix.startswith(
        '# hub.extraConfig["uid"], line 1 (line 8 of the file) sets uid after the values,'
    )
    outcome = fix_file(path, unsafe=True)
    assert "run-as-non-root" in {f.rule for f in outcome.applied}
    assert "uid" not in yaml.safe_load(fixed_text(outcome, path))["singleuser"]
    assert of_rule(outcome.after.findings, "run-as-non-root") == []


def test_a_profile_s_override_wins_over_the_code_and_keeps_its_fix() -> None:
    path = FIX / "extra-config-profile-override-wins.yaml"
    tokens = sorted(
        (f.line, f.column, f.profile, f.applicability) for f in check(path) if f.rule == TOKEN
    )
    # Unsafe: it turns over the true the override asks for (Spark uses the token).
    assert tokens == [(9, 7, "Plain", "display-only"), (16, 9, "Spark", "unsafe")]
    outcome = fix_file(path, unsafe=True)
    values = yaml.safe_load(fixed_text(outcome, path))
    override = values["singleuser"]["profileList"][0]["kubespawner_override"]
    assert override["automount_service_account_token"] is False
    assert "automount_service_account_token" not in values["hub"]["config"]["KubeSpawner"]
    [left] = [f for f in outcome.after.findings if f.rule == TOKEN]
    assert (left.profile, left.applicability) == ("Plain", "display-only")
    line = fixed_text(outcome, path).splitlines()[left.line - 1]
    assert line.strip() == "c.KubeSpawner.automount_service_account_token = True"


def test_a_fix_inside_a_profile_list_the_code_sets_is_shown_at_the_statement() -> None:
    path = FIX / "extra-config-sets-the-profile-list.yaml"
    findings = check(path)
    [run_as_user] = of_rule(findings, "run-as-user")
    assert (run_as_user.line, run_as_user.column, run_as_user.profile) == (8, 7, "Root")
    assert run_as_user.applicability == "display-only"
    assert run_as_user.fix == (
        '# in hub.extraConfig["profiles"], line 1 (line 8 of the file), at '
        "[0]['kubespawner_override']: code, which nblint does not edit (change it there)\n"
        "uid: 1000   # jovyan, the image's notebook user"
    )
    outcome = fix_file(path, unsafe=True)
    assert outcome.failed == []
    assert "run-as-user" not in {f.rule for f in outcome.applied}


def test_a_trait_code_sets_is_not_written_beside_a_security_context_key() -> None:
    path = FIX / "extra-config-privileged-beside-container-security-context.yaml"
    [privileged] = [f for f in check(path) if f.rule == "privileged" and f.line == 6]
    assert (privileged.applicability, privileged.edit) == ("display-only", None)
    fixed = yaml.safe_load(fixed_text(fix_file(path, unsafe=True), path))
    assert "privileged" not in fixed["hub"]["config"]["KubeSpawner"]


def test_code_that_sets_a_security_trait_is_advice_that_says_the_values_could_override_it() -> None:
    # The trait cannot be changed by the values, but the pod's field can: through
    # container_security_context, which KubeSpawner applies over it. Said, and left to the admin.
    [escalation] = of_rule(check(FIX / "extra-config-sets-escalation.yaml"), ESCALATION)
    assert (escalation.line, escalation.column) == (10, 7)
    assert escalation.applicability == "display-only" and escalation.edit is None
    assert escalation.fix == (
        '# hub.extraConfig["00-escalation"], line 1 (line 10 of the file) sets '
        "allow_privilege_escalation after the values,\n"
        "# which cannot change that trait: change that line (nblint does not edit code):\n"
        "#   c.KubeSpawner.allow_privilege_escalation = False\n"
        "# (hub.config.KubeSpawner.container_security_context.allowPrivilegeEscalation in the "
        "values\n"
        "# would override it in the pod, against the code's choice)"
    )


# Field test 13a D2: code nblint does not read that runs the user as uid 0 (a modify_pod_hook's
# run_as_user=0, a trait set to 0 inside a condition) runs after the values a fix writes. A fix
# that adds runAsNonRoot: true there makes the kubelet refuse the container (the hook's
# runAsUser 0 under the pod's runAsNonRoot: true: CreateContainerConfigError), so it is advice
# that names the code, never applied.
NON_ROOT = "run-as-non-root"


def _non_root(path: Path) -> Finding:
    (found,) = [f for f in check(path) if f.rule == NON_ROOT]
    return found


def _written(outcome: fixing.FixOutcome, path: Path) -> str:
    """The fixed values, without their comments."""
    return yaml.safe_dump(yaml.safe_load(fixed_text(outcome, path)))


def _advice(fix: str) -> str:
    """The comment lines a display-only fix begins with, as one line."""
    return " ".join(line[2:] for line in fix.splitlines() if line.startswith("# "))


def test_a_hook_that_runs_the_container_as_uid_0_makes_the_non_root_fix_advice() -> None:
    path = FIX / "extra-config-hook-runs-as-root.yaml"
    found = _non_root(path)
    assert (found.line, found.severity, found.applicability) == (4, "error", "display-only")
    assert found.edit is None
    assert found.fix is not None
    assert _advice(found.fix) == (
        f"first change the code that runs a container of the pod as uid 0: {path}:12 "
        "(hub.extraConfig.rootHook: `run_as_user=0`); runAsNonRoot: true beside it makes the "
        "kubelet refuse to start that container (CreateContainerConfigError), so the spawn "
        "fails; then:"
    )
    assert "runAsNonRoot" not in _written(fix_file(path, unsafe=True), path)


def test_a_uid_0_set_inside_a_condition_makes_the_non_root_fix_advice() -> None:
    path = FIX / "extra-config-conditional-uid-0.yaml"
    found = _non_root(path)
    assert (found.line, found.applicability) == (4, "display-only")
    assert found.fix is not None
    assert _advice(found.fix).startswith(
        f"first change the code that runs a container of the pod as uid 0: {path}:11 "
        "(hub.extraConfig.sudo: `c.KubeSpawner.uid = 0`);"
    )
    assert "runAsNonRoot" not in _written(fix_file(path, unsafe=True), path)


def test_a_hook_that_sets_no_user_leaves_the_non_root_fix_applicable() -> None:
    path = FIX / "extra-config-hook-privileged-only.yaml"
    found = _non_root(path)
    assert (found.line, found.applicability) == (4, "unsafe")
    assert found.fix is not None and not found.fix.startswith("#")
    assert "runAsNonRoot: true" in _written(fix_file(path, unsafe=True), path)
