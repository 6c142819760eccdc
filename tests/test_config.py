"""Project configuration: discovery, validation, and how it feeds ``nblint check``.

Each test builds a small project in ``tmp_path`` (with a ``.git`` directory as its root) from the
fixtures in ``tests/fixtures/config/`` and runs the real command line there.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, RULES

from nblint.check.rules import describe_schema
from nblint.cli import main
from nblint.run.config import find_config

CONFIG = FIXTURES / "config"
POD = "host-network-pod.yaml"  # one finding: host-namespaces at 8:3


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    for name in (POD, "values-base.yaml", "values-prod.yaml"):
        shutil.copy(CONFIG / name, tmp_path / name)
    shutil.copytree(CONFIG / "team-rules", tmp_path / "team-rules")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def nblint(*args: str) -> Result:
    return CliRunner().invoke(main, ["check", *args], catch_exceptions=False)


def findings(*args: str) -> list[tuple[str, str, int, int]]:
    """``(rule, severity, line, column)``, without the notebook checklist (not at issue here)."""
    result = nblint("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return [
        (f["rule"], f["severity"], f["line"], f["column"])
        for f in report["findings"]
        if f["group"] != "notebook"
    ]


def pyproject(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text(f'[project]\nname = "hub"\n\n[tool.nblint]\n{body}\n')


# ---------------------------------------------------------------------------------------------
# Discovery


def test_nblint_yaml_in_the_working_directory_is_used(project: Path) -> None:
    (project / ".nblint.yaml").write_text("severity:\n  host-namespaces: warning\n")
    assert findings(POD) == [("host-namespaces", "warning", 8, 3)]


def test_pyproject_tool_nblint_in_a_parent_directory_is_used(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pyproject(project, 'ignore = ["host-namespaces"]')
    (project / "deploy").mkdir()
    shutil.move(project / POD, project / "deploy" / POD)
    monkeypatch.chdir(project / "deploy")
    assert findings(POD) == []


def test_pyproject_without_tool_nblint_is_passed_over(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".nblint.yaml").write_text("ignore: [host-namespaces]\n")
    (project / "deploy").mkdir()
    (project / "deploy" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    assert find_config(project / "deploy") == str(project / ".nblint.yaml")


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".nblint.yaml").write_text("ignore: [host-namespaces]\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "charts").mkdir()
    assert find_config(repo / "charts") is None


def test_explicit_config_file_wins_over_discovery(project: Path) -> None:
    (project / ".nblint.yaml").write_text("severity:\n  host-namespaces: warning\n")
    (project / "strict.yaml").write_text("severity:\n  host-namespaces: info\n")
    assert findings("--config", "strict.yaml", POD) == [("host-namespaces", "info", 8, 3)]


# ---------------------------------------------------------------------------------------------
# Mistakes: exit 2, naming the key


def test_unknown_key_is_an_error_naming_it_with_a_suggestion(project: Path) -> None:
    (project / ".nblint.yaml").write_text("selct: [psa-baseline]\n")
    result = nblint(POD)
    assert result.exit_code == 2
    assert result.stderr == (
        "nblint: error: .nblint.yaml: unknown key 'selct' (did you mean 'select'?)\n"
    ).replace(".nblint.yaml", str((project / ".nblint.yaml").resolve()))


def test_unknown_key_in_pyproject_names_the_table_and_key(project: Path) -> None:
    pyproject(project, 'psa_level = "baseline"')
    result = nblint(POD)
    assert result.exit_code == 2
    assert "[tool.nblint]: unknown key 'psa_level' (did you mean 'psa-level'?)" in result.stderr


def test_nested_unknown_key_is_named_by_its_path(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "releases:\n  prod:\n    values: [values-base.yaml]\n    chart_version: 4.4.0\n"
    )
    result = nblint(POD)
    assert result.exit_code == 2
    assert "unknown key 'releases.prod.chart_version'" in result.stderr


def test_wrong_value_is_an_error_naming_the_key(project: Path) -> None:
    (project / ".nblint.yaml").write_text("psa-level: strict\n")
    result = nblint(POD)
    assert result.exit_code == 2
    assert ".nblint.yaml: psa-level: 'strict' is not one of ['baseline', 'restricted']" in (
        result.stderr
    )


def test_unknown_rule_in_severity_is_an_error(project: Path) -> None:
    (project / ".nblint.yaml").write_text("severity:\n  host-namespace: warning\n")
    result = nblint(POD)
    assert result.exit_code == 2
    assert (
        "severity.host-namespace: unknown rule 'host-namespace' (did you mean 'host-namespaces'?)"
        in result.stderr
    )


def test_unknown_rule_or_group_in_ignore_and_select_gets_a_did_you_mean(project: Path) -> None:
    for key, name, meant in (
        ("ignore", "notebok", "notebook"),
        ("select", "host-namespace", "host-namespaces"),
    ):
        (project / ".nblint.yaml").write_text(f"{key}: [{name}]\n")
        result = nblint(POD)
        assert result.exit_code == 2
        assert f"{key}: unknown rule or group {name!r} (did you mean {meant!r}?)" in result.stderr
    (project / ".nblint.yaml").write_text("per-file-ignores:\n  '*.yaml': [psa-restricte]\n")
    assert (
        "per-file-ignores.*.yaml: unknown rule or group 'psa-restricte' "
        "(did you mean 'psa-restricted'?)" in nblint(POD).stderr
    )


def test_unknown_option_of_a_rule_is_an_error(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "rules-dirs: [team-rules]\noptions:\n  company-registry:\n    registy: r.example.org\n"
    )
    result = nblint(POD)
    assert result.exit_code == 2
    assert (
        "options.company-registry.registy: rule 'company-registry' has no option 'registy' "
        "(its options: registry)" in result.stderr
    )


def config_path(project: Path) -> str:
    return os.path.realpath(project / ".nblint.yaml")


#: Every option a shipped rule declares, with a value of the wrong type for it.
CONFIGURABLE = sorted(
    (rule.id, name, "an hour" if spec.schema.get("type") != "string" else 5)
    for rule in RULES.values()
    for name, spec in rule.option_specs.items()
)


def test_every_shipped_option_declares_a_typed_default() -> None:
    assert [(rule, option) for rule, option, _ in CONFIGURABLE] == [
        ("notebook-gpu-count", "max_gpus"),
        ("notebook-gpu-toleration", "extended_resource_toleration"),
        ("notebook-idle-culling", "max_idle_seconds"),
        ("notebook-idle-culling", "max_idle_seconds_gpu"),
        ("notebook-uid-mismatch", "note"),
    ]


@pytest.mark.parametrize(("rule", "option", "wrong"), CONFIGURABLE)
def test_an_option_value_of_the_wrong_type_is_a_configuration_error(
    project: Path, rule: str, option: str, wrong: Any
) -> None:
    (project / ".nblint.yaml").write_text(
        f"options:\n  {rule}:\n    {option}: {json.dumps(wrong)}\n"
    )
    result = nblint(POD)
    assert result.exit_code == 2
    expected = describe_schema(RULES[rule].option_specs[option].schema)
    assert result.stderr == (
        f"nblint: error: {config_path(project)}: options.{rule}.{option}: {json.dumps(wrong)} "
        f"is not valid for rule {rule!r}: expected {expected}\n"
    )
    assert result.stdout == ""


def test_an_option_below_its_minimum_names_the_bound(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "options:\n  notebook-idle-culling:\n    max_idle_seconds: 0\n"
    )
    result = nblint(POD)
    assert (result.exit_code, result.stderr) == (
        2,
        f"nblint: error: {config_path(project)}: options.notebook-idle-culling.max_idle_seconds: "
        "0 is not valid for rule 'notebook-idle-culling': expected an integer ≥ 1\n",
    )


def test_a_team_rule_whose_default_does_not_fit_its_schema_is_refused(project: Path) -> None:
    rule = project / "team-rules" / "company-registry.yaml"
    rule.write_text(rule.read_text().replace("default: registry.example.com", "default: 5"))
    result = nblint("--rules-dir", "team-rules", POD)
    assert result.exit_code == 2
    assert "options.registry: default 5 does not fit a string" in result.stderr


def test_invalid_yaml_config_is_an_error_with_its_line(project: Path) -> None:
    (project / ".nblint.yaml").write_text("select: [a\nignore: b\n")
    result = nblint(POD)
    assert result.exit_code == 2
    assert ".nblint.yaml:1:" in result.stderr or ".nblint.yaml:3:" in result.stderr
    assert "Traceback" not in result.output


def test_missing_explicit_config_file_is_an_error(project: Path) -> None:
    result = nblint("--config", "nope.toml", POD)
    assert result.exit_code == 2
    assert "nope.toml: config file not found" in result.stderr


# ---------------------------------------------------------------------------------------------
# Settings


def test_psa_level_from_config_and_the_command_line_wins(project: Path) -> None:
    (project / POD).write_text((project / POD).read_text().replace("hostNetwork: true", "a: 1"))
    (project / POD).write_text(
        (project / POD).read_text().replace("        runAsNonRoot: true\n", "")
    )
    (project / ".nblint.yaml").write_text("psa-level: baseline\n")
    assert findings(POD) == []
    assert [rule for rule, *_ in findings("--psa-level", "restricted", POD)] == ["run-as-non-root"]


def test_select_from_config_and_the_command_line_wins(project: Path) -> None:
    (project / ".nblint.yaml").write_text("select: [psa-restricted]\n")
    assert findings(POD) == []
    assert findings("--select", "host-namespaces", POD) == [("host-namespaces", "error", 8, 3)]


def test_per_rule_severity_changes_findings_and_the_exit_code(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "ignore: [notebook]\nseverity:\n  host-namespaces: warning\n"
    )
    assert nblint(POD).exit_code == 0
    assert nblint("--fail-on", "warning", POD).exit_code == 1


def test_fail_on_from_config(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "ignore: [notebook]\nseverity: {host-namespaces: warning}\nfail-on: warning\n"
    )
    assert nblint(POD).exit_code == 1


def test_per_file_ignores_by_file_name_and_by_path(project: Path) -> None:
    (project / "exporters").mkdir()
    shutil.copy(project / POD, project / "exporters" / POD)
    (project / ".nblint.yaml").write_text(
        "per-file-ignores:\n  'exporters/*.yaml': [host-namespaces]\n"
    )
    assert findings(POD, "exporters") == [("host-namespaces", "error", 8, 3)]
    (project / ".nblint.yaml").write_text(f"per-file-ignores:\n  '{POD}': [psa-baseline]\n")
    assert findings(POD, "exporters") == []


def test_rules_dirs_and_rule_options_from_config(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "rules-dirs: [team-rules]\nselect: [team]\n"
        "options:\n  company-registry:\n    registry: registry.corp.example\n"
    )
    result = nblint("--format", "json", POD)
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["rule"] == "company-registry"
    assert finding["message"].endswith("not one from registry.corp.example")


def test_values_layers_from_config_are_checked_as_one_release(project: Path) -> None:
    (project / ".nblint.yaml").write_text("values: [values-base.yaml, values-prod.yaml]\n")
    # One release: base's allowPrivilegeEscalation: false beside prod's privileged: true is a
    # pod the API server refuses, at the base line that writes it.
    assert [(r, line) for r, _, line, _ in findings()] == [
        ("privileged-without-escalation", 13),
        ("privileged", 5),
    ]
    # The command line's -f wins over the configured layers.
    assert findings("-f", "values-base.yaml") == []


def test_releases_are_each_checked_without_any_path(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "releases:\n"
        "  staging:\n    values: [values-base.yaml]\n"
        "  prod:\n    values: [values-base.yaml, values-prod.yaml]\n    chart-version: 4.4.0\n"
    )
    result = nblint("--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert [
        (f["rule"], f["file"], f["line"]) for f in report["findings"] if f["group"] != "notebook"
    ] == [
        ("privileged-without-escalation", "values-base.yaml", 13),
        ("privileged", "values-prod.yaml", 5),
    ]
    assert report["summary"]["pods"] == 2


def test_a_path_that_belongs_to_a_release_is_checked_in_its_release(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "releases:\n  prod:\n    values: [values-base.yaml, values-prod.yaml]\n"
    )
    # values-prod.yaml alone would miss base's settings; in its release it has its finding, and
    # the refused pair it makes with base's allowPrivilegeEscalation: false.
    assert [(r, line) for r, _, line, _ in findings("values-prod.yaml")] == [
        ("privileged-without-escalation", 13),
        ("privileged", 5),
    ]


TWO_RELEASES = (
    "releases:\n"
    "  staging:\n    values: [values-base.yaml]\n"
    "  prod:\n    values: [values-base.yaml, values-prod.yaml]\n"
)


def test_a_path_in_no_release_is_checked_alone(project: Path) -> None:
    """PATHs replace the releases: a run on one file (pre-commit's on a staged pod) does not
    check every release too."""
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    result = nblint("--format", "json", POD)
    report = json.loads(result.stdout)
    assert {f["file"] for f in report["findings"]} == {POD}
    assert (report["summary"]["files"], report["summary"]["pods"]) == (1, 1)
    # The one file named, excluded: nothing is checked, not the releases instead.
    result = nblint("--force-exclude", "--extend-exclude", POD, POD)
    assert (result.exit_code, result.stdout.strip()) == (0, "All checks passed (0 files, 0 pods).")


def test_only_the_releases_a_path_belongs_to_are_checked(project: Path) -> None:
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    assert json.loads(nblint("--format", "json").stdout)["summary"]["pods"] == 2
    report = json.loads(nblint("--format", "json", "values-prod.yaml").stdout)
    assert report["summary"]["pods"] == 1  # prod; staging does not hold the file
    assert [(f["rule"], f["file"]) for f in report["findings"] if f["group"] != "notebook"] == [
        ("privileged-without-escalation", "values-base.yaml"),
        ("privileged", "values-prod.yaml"),
    ]
    # A file of both: both.
    assert json.loads(nblint("--format", "json", "values-base.yaml").stdout)["summary"]["pods"] == 2


SELECTED = "privileged,privileged-without-escalation,host-namespaces"


def test_stdin_named_as_a_layer_is_checked_as_that_layer_of_its_release(project: Path) -> None:
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    edited = (
        (project / "values-prod.yaml").read_text().replace("privileged: true", "privileged: false")
    )

    def rules(text: str, name: str) -> list[tuple[str, str]]:
        result = CliRunner().invoke(
            main,
            ["check", "--format", "json", "--stdin-filename", name, "--select", SELECTED],
            input=text,
            catch_exceptions=False,
        )
        return [(f["rule"], f["file"]) for f in json.loads(result.stdout)["findings"]]

    # The text on stdin stands for the file in its release (base's settings are read with it).
    assert rules((project / "values-prod.yaml").read_text(), "values-prod.yaml") == [
        ("privileged-without-escalation", "values-base.yaml"),
        ("privileged", "values-prod.yaml"),
    ]
    assert rules(edited, "values-prod.yaml") == []
    # Stdin named as a file of no release: alone, no release's finding with it.
    assert rules((project / POD).read_text(), "other.yaml") == [("host-namespaces", "other.yaml")]


def test_stale_baseline_entries_are_only_those_of_the_files_checked(project: Path) -> None:
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    assert nblint("--write-baseline", "baseline.json").exit_code == 0
    (project / "values-prod.yaml").write_text("hub: {}\n")  # prod's findings are fixed
    result = nblint("--baseline", "baseline.json", POD)
    assert (result.exit_code, result.stderr) == (1, "")  # the pod's finding is new; no stale
    result = nblint("--baseline", "baseline.json", "values-prod.yaml")
    assert "stale baseline entry (no longer found): values-prod.yaml" in result.stderr


def test_fix_of_a_path_edits_that_file_only(project: Path) -> None:
    """A layer's release is read to judge it, but the fix goes into the files named (pre-commit's
    `nblint-fix` edits the staged files); a fix for another layer is said, not made."""
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    before = {name: (project / name).read_bytes() for name in ("values-base.yaml", POD)}
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", "values-prod.yaml"])
    assert result.exit_code == 0, result.output
    assert {name: (project / name).read_bytes() for name in before} == before
    assert "privileged: false" in (project / "values-prod.yaml").read_text()
    assert (
        "nblint: 1 of them has its fix in a file not named (values-base.yaml), another layer of "
        "a named file's release: name it too to fix it"
    ) in result.stderr
    # A file of no release: the releases are neither checked nor edited.
    prod = (project / "values-prod.yaml").read_bytes()
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", POD])
    assert (project / "values-prod.yaml").read_bytes() == prod
    assert (project / "values-base.yaml").read_bytes() == before["values-base.yaml"]
    assert "has its fix in a file not named" not in result.stderr


# ---------------------------------------------------------------------------------------------
# Validated without jsonschema: nblint's own evaluator checks config and team rule files


def _modules_after_check(project: Path, *args: str) -> tuple[int, str, bool]:
    """Run ``nblint check`` in a fresh process: exit code, stderr, whether jsonschema loaded."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\nfrom nblint.cli import entry\n"
        f"sys.argv = ['nblint', 'check', *{list(args)!r}]\n"
        "try:\n    entry()\nexcept SystemExit as done:\n    code = done.code\n"
        "print(code, 'jsonschema' in sys.modules)"
    )
    env = {**os.environ, "NBLINT_CACHE_DIR": str(project / ".cache")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True
    )
    code, imported = done.stdout.split()[-2:]
    return int(code), done.stderr, imported == "True"


def test_a_config_is_validated_on_every_run_without_jsonschema(project: Path) -> None:
    (project / ".nblint.yaml").write_text("severity:\n  host-namespaces: warning\n")
    assert _modules_after_check(project, POD)[1:] == ("", False)
    (project / ".nblint.yaml").write_text("severty:\n  host-namespaces: warning\n")
    code, stderr, imported = _modules_after_check(project, POD)
    assert (code, imported) == (2, False)
    assert "unknown key 'severty' (did you mean 'severity'?)" in stderr


def test_an_unchanged_team_rules_directory_is_validated_once(project: Path) -> None:
    assert _modules_after_check(project, POD, "--rules-dir", "team-rules")[1:] == ("", False)
    cached = sorted(p.name for p in (project / ".cache").glob("team-rules@*"))
    assert len(cached) == 1  # read and validated once, then taken from the cache
    assert _modules_after_check(project, POD, "--rules-dir", "team-rules")[1:] == ("", False)
    assert sorted(p.name for p in (project / ".cache").glob("team-rules@*")) == cached
    rule = next((project / "team-rules").rglob("*.yaml"))
    rule.write_text(rule.read_text() + "unexpected-key: 1\n")
    code, stderr, imported = _modules_after_check(project, POD, "--rules-dir", "team-rules")
    assert (code, imported) == (2, False)
    assert "unexpected-key" in stderr


def test_check_of_a_path_counts_as_fixable_only_what_fix_of_it_makes(project: Path) -> None:
    """`check values-prod.yaml` reads values-base.yaml with it (its release's layer) and counted
    the resources fix, which goes into values-base.yaml and which `fix values-prod.yaml` never
    makes (field test 8a): the count is `fix`'s, and the fix in the file not named is said, as
    `fix` says it."""
    (project / ".nblint.yaml").write_text(TWO_RELEASES)
    select = ("--select", "privileged,notebook-resources")
    result = nblint(*select, "values-prod.yaml")
    assert result.stdout.strip().splitlines()[-1] == (
        "Found 1 error, 1 warning (2 files, 1 pod). 1 fixable with `nblint fix --unsafe-fixes`. "
        "1 more has its fix in a file not named (another layer of its release): name it too to "
        "fix it."
    )
    # Both named: both fixable, as `nblint fix values-base.yaml values-prod.yaml` fixes both.
    both = nblint(*select, "values-base.yaml", "values-prod.yaml")
    assert both.stdout.strip().splitlines()[-1] == (
        "Found 1 error, 1 warning (2 files, 2 pods). 2 fixable with `nblint fix --unsafe-fixes`."
    )
    done = CliRunner().invoke(main, ["fix", "--unsafe-fixes", *select, "values-prod.yaml"])
    assert "fix in a file not named (values-base.yaml)" in done.stderr
