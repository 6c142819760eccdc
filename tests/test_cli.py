"""The command line contract: commands, options, exit codes and output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from nblint.cli import main

EXAMPLES = ROOT / "examples"
NONCOMPLIANT = str(EXAMPLES / "noncompliant" / "notebook-deployment.yaml")
COMPLIANT = str(EXAMPLES / "notebook-pod.yaml")
PSA = "psa-baseline,psa-restricted"


def invoke(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)


def test_noncompliant_example_exits_1_with_findings_at_their_lines() -> None:
    result = invoke("check", NONCOMPLIANT, "--format", "json", "--select", "psa-restricted")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"]] == [
        ("allow-privilege-escalation", 21, 11),
        ("run-as-non-root", 21, 11),
        ("seccomp-profile-restricted", 21, 11),
        ("capabilities-restricted", 22, 13),
        ("capabilities-restricted", 23, 21),
        ("restricted-volumes", 28, 11),
    ]


def test_json_report_matches_its_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    output = invoke("check", NONCOMPLIANT, COMPLIANT, "--format", "json").output
    report = json.loads(output)
    jsonschema.Draft202012Validator(schema).validate(report)
    # notebook-resources' four missing settings of one container are one problem at one line.
    assert report["summary"]["by_severity"] == {"error": 6, "warning": 4, "info": 0}
    report = json.loads(invoke("check", NONCOMPLIANT, "--format", "json", "--select", PSA).output)
    assert report["summary"]["files"] == 1 and report["summary"]["pods"] == 1
    assert report["findings"][0]["psa"] == {
        "check": "allowPrivilegeEscalation",
        "level": "restricted",
        "version": "v1.37",
    }


def test_compliant_example_exits_0() -> None:
    result = invoke("check", COMPLIANT)
    assert result.exit_code == 0
    assert result.output.strip() == "All checks passed (1 file, 1 pod)."


def test_fail_on_threshold_and_never() -> None:
    assert invoke("check", NONCOMPLIANT, "--fail-on", "never").exit_code == 0
    assert invoke("check", NONCOMPLIANT, "--fail-on", "warning").exit_code == 1


def test_select_and_ignore_take_rule_ids_and_groups() -> None:
    only = invoke("check", NONCOMPLIANT, "--format", "json", "--select", "restricted-volumes")
    assert [f["rule"] for f in json.loads(only.output)["findings"]] == ["restricted-volumes"]
    none = invoke("check", NONCOMPLIANT, "--ignore", "psa-restricted")
    assert none.exit_code == 0


def test_unknown_selector_is_a_usage_error() -> None:
    result = invoke("check", NONCOMPLIANT, "--select", "run-as-nonroot")
    assert result.exit_code == 2
    assert "unknown rule or group 'run-as-nonroot'" in result.output


def test_psa_level_baseline_and_version() -> None:
    baseline = invoke(
        "check", NONCOMPLIANT, "--psa-level", "baseline", "--format", "json", "--select", PSA
    )
    report = json.loads(baseline.output)
    assert [(f["rule"], f["psa"]["version"]) for f in report["findings"]] == [
        ("capabilities-baseline", "v1.37"),
        ("host-path-volumes", "v1.37"),
    ]
    old = json.loads(
        invoke("check", NONCOMPLIANT, "--psa-version", "v1.21", "--format", "json").output
    )
    assert "capabilities-baseline" in {f["rule"] for f in old["findings"]}


@pytest.mark.parametrize("version", ["1.x", "v2.0", "latest-ish"])
def test_bad_psa_version_is_a_usage_error(version: str) -> None:
    assert invoke("check", COMPLIANT, "--psa-version", version).exit_code == 2


def test_newer_psa_version_than_known_is_evaluated_as_newest() -> None:
    result = invoke(
        "check", NONCOMPLIANT, "--psa-version", "v1.99", "--format", "json", "--select", PSA
    )
    report = json.loads(result.stdout)
    assert {f["psa"]["version"] for f in report["findings"]} == {"v1.37"}
    assert "evaluated as v1.37" in result.stderr


def test_missing_path_is_a_usage_error() -> None:
    result = invoke("check", "no/such/file.yaml")
    assert result.exit_code == 2
    assert "no/such/file.yaml: no such file or directory" in result.output


def test_output_file(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = invoke("check", NONCOMPLIANT, "--format", "json", "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    assert len(json.loads(out.read_text())["findings"]) == 10


def test_stdin_is_read_with_dash() -> None:
    text = (FIXTURES / "manifests" / "cronjob-host-pid.yaml").read_text()
    report = json.loads(
        invoke("check", "-", "--format", "json", "--select", PSA, stdin=text).output
    )
    assert [(f["file"], f["rule"], f["line"]) for f in report["findings"]] == [
        ("-", "host-namespaces", 11)
    ]


def test_text_output_is_plain_and_grouped_by_place_when_not_a_terminal() -> None:
    result = invoke(
        "check", NONCOMPLIANT, "--select", "psa-restricted", env={"NO_COLOR": "1", "COLUMNS": "100"}
    )
    lines = result.output.splitlines()
    assert lines[:11] == [
        NONCOMPLIANT,
        f"  --> {NONCOMPLIANT}:21:11",
        "     |",
        "  21 |           securityContext:",
        "     |           ^^^^^^^^^^^^^^^^",
        "  error[allow-privilege-escalation]: container notebook does not set "
        "allowPrivilegeEscalation: false",
        "    (it is unset)",
        "    psa: allowPrivilegeEscalation (restricted, v1.37)",
        "  error[run-as-non-root]: container notebook is not required to run as non-root "
        "(set runAsNonRoot:",
        "    true on the pod or the container)",
        "    psa: runAsNonRoot (restricted, v1.37)",
    ]
    assert "\x1b[" not in result.output
    assert lines[-1] == (
        "Found 6 errors (1 file, 1 pod). 3 fixable with `nblint fix`"
        " (2 more with `nblint fix --unsafe-fixes`)."
    )


def test_no_fold_text_is_grouped_by_file_object_and_pod() -> None:
    result = invoke(
        "check",
        NONCOMPLIANT,
        "--select",
        "psa-restricted",
        "--no-fold",
        env={"NO_COLOR": "1", "COLUMNS": "200"},
    )
    lines = result.output.splitlines()
    assert lines[0] == NONCOMPLIANT
    assert lines[1] == "  Deployment/notebook-bob"
    assert lines[2] == (
        "    error[allow-privilege-escalation]: container notebook does not set "
        "allowPrivilegeEscalation: false (it is unset)"
    )
    assert lines[3] == f"      --> {NONCOMPLIANT}:21:11"
    assert "\x1b[" not in result.output
    assert lines[-1] == (
        "Found 6 errors (1 file, 1 pod). 3 fixable with `nblint fix`"
        " (2 more with `nblint fix --unsafe-fixes`)."
    )


def test_colour_when_forced() -> None:
    result = invoke("check", NONCOMPLIANT, "--color", "always")
    assert "\x1b[" in result.output


def test_render_prints_the_effective_pod_with_defaulting_applied() -> None:
    path = str(FIXTURES / "manifests" / "list-of-pods.yaml")
    result = invoke("render", path)
    pods = list(yaml.safe_load_all(result.output))
    assert [p["metadata"]["name"] for p in pods] == ["first", "second"]
    assert pods[0]["kind"] == "Pod" and pods[0]["apiVersion"] == "v1"
    assert pods[0]["spec"]["containers"][0]["ports"] == [{"containerPort": 8080, "hostPort": 8080}]


def test_render_json_shape() -> None:
    result = invoke("render", NONCOMPLIANT, "--format", "json")
    (entry,) = json.loads(result.output)
    assert set(entry) == {"source", "object", "profile", "options", "pod"}
    assert entry["object"] == "Deployment/notebook-bob"
    assert entry["pod"]["spec"]["volumes"][0]["hostPath"] == {"path": "/mnt/shared-data"}


def test_rules_lists_every_group() -> None:
    lines = invoke("rules").output.splitlines()
    groups = {line.split()[1] for line in lines}
    assert {"psa-baseline", "psa-restricted", "nblint"} <= groups
    assert any(line.startswith("run-as-non-root ") for line in lines)


def test_explain_shows_why_example_and_fix() -> None:
    output = invoke("explain", "run-as-non-root").output
    assert output.startswith("# run-as-non-root: Containers must be required to run as non-root")
    for heading in (
        "## Why it matters",
        "## Example that fails",
        "## Example that passes",
        "## Fix",
    ):
        assert heading in output
    assert "Pod Security Admission check: runAsNonRoot (restricted)" in output
    assert (
        "    container securityContext.runAsNonRoot must be set (unless spec.securityContext"
        in (output)
    )
    assert invoke("explain", "no-such-rule").exit_code == 2


def test_explain_shows_every_fix_with_its_placeholders_filled() -> None:
    import re

    from conftest import RULES

    for rule_id in RULES:
        fixes = invoke("explain", rule_id).output.split("## Fix", 1)[-1]
        # KubeSpawner's own per-user placeholders are part of what the user writes.
        kubespawner = {"{username}", "{servername}", "{user_server}"}
        assert set(re.findall(r"\{[a-z_.]+\}", fixes)) - kubespawner == set(), rule_id


def test_team_rule_from_rules_dir_needs_no_python() -> None:
    rules_dir = str(EXAMPLES / "team-rules")
    result = invoke("check", COMPLIANT, "--rules-dir", rules_dir, "--format", "json")
    assert result.exit_code == 1
    (finding,) = json.loads(result.output)["findings"]
    assert (finding["rule"], finding["group"], finding["line"]) == ("allowed-registry", "team", 21)
    assert finding["message"] == (
        "container notebook uses image quay.io/jupyter/scipy-notebook:2024-10-07, "
        "not from registry.example.com"
    )


def test_invalid_team_rule_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("id: Bad Id\ngroup: team\nseverity: fatal\ntitle: t\n")
    result = invoke("check", COMPLIANT, "--rules-dir", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith("nblint: error: ")
    assert "bad.yaml" in result.output


def test_installed_entry_point_runs_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nblint", "check", NONCOMPLIANT, str(FIXTURES / "manifests")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr + proc.stdout


def test_the_command_leaves_only_after_its_whole_report_is_out(tmp_path: Path) -> None:
    # The installed command skips interpreter teardown (os._exit): nothing may be lost by it.
    args = ["check", "--format", "json", str(FIXTURES / "manifests"), NONCOMPLIANT]
    expected = invoke(*args)
    piped = subprocess.run(
        [sys.executable, "-m", "nblint", *args], capture_output=True, text=True, check=False
    )
    assert (piped.returncode, piped.stdout) == (expected.exit_code, expected.stdout)
    assert len(json.loads(piped.stdout)["findings"]) > 20
    report = tmp_path / "report.json"
    written = subprocess.run(
        [sys.executable, "-m", "nblint", *args, "-o", str(report)], capture_output=True, check=False
    )
    assert written.returncode == expected.exit_code
    assert report.read_text() == expected.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_a_report_that_cannot_be_written_is_an_error_not_a_bug() -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "nblint", "check", "--format", "json", NONCOMPLIANT],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (done.returncode, done.stderr) == (2, "nblint: error: No space left on device\n")


def test_a_directory_named_through_a_symlink_and_dotdot_is_the_one_the_system_means(
    tmp_path: Path,
) -> None:
    # `link/..` is the parent of the link's target, not this directory: kept as written.
    (tmp_path / "a" / "real").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "link").symlink_to(tmp_path / "a" / "real")
    (tmp_path / "a" / "in-a.yaml").write_text(Path(NONCOMPLIANT).read_text())
    (tmp_path / "b" / "in-b.yaml").write_text(Path(COMPLIANT).read_text())
    done = subprocess.run(
        [sys.executable, "-m", "nblint", "check", "--format", "json", "link/.."],
        cwd=tmp_path / "b",
        capture_output=True,
        text=True,
        check=False,
    )
    files = {f["file"] for f in json.loads(done.stdout)["findings"]}
    assert files == {"link/../in-a.yaml"}


@pytest.mark.parametrize("format", ["text", "json"])
def test_a_plain_check_imports_nothing_it_does_not_need(tmp_path: Path, format: str) -> None:
    # A pre-commit hook pays every import on every commit: these only serve other commands,
    # formats or options (schema validation of team rules, SARIF, --jobs, pyproject configs).
    # The fixer too: `nblint check` only shows fixes (ruamel.yaml lost to position-guided edits,
    # see bench/fix_keep.py, and must never come back on this path). Nor does it import the
    # standard modules only the type checker needs (`typing`, see nblint/__init__.py) or that it
    # can do without.
    heavy = [
        *("pathlib", "jsonschema", "rich", "hashlib", "multiprocessing", "tomllib", "urllib"),
        *("pathspec", "difflib", "textwrap", "shutil", "typing", "string"),
        *("dataclasses", "inspect", "importlib", "warnings"),
        *("ruamel", "ruamel.yaml", "nblint.fix.apply", "nblint.run.fixing"),
    ]
    if format == "json":  # the first run (text) wrote the rule cache, which takes contextlib
        heavy.append("contextlib")
    examples = [str(p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    script = (
        "import sys\nfrom nblint.cli import entry\n"
        f"sys.argv = ['nblint', 'check', '--format', {format!r}, *{examples!r}]\n"
        "try:\n    entry()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


def test_select_does_not_hide_a_file_that_could_not_be_checked(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n")
    result = invoke("check", str(broken), "--select", "privileged", "--format", "json")
    assert result.exit_code == 1
    assert [f["rule"] for f in json.loads(result.output)["findings"]] == ["parse-error"]
    silenced = invoke("check", str(broken), "--select", "privileged", "--ignore", "parse-error")
    assert silenced.exit_code == 0


def test_kind_and_api_version_that_are_not_text_are_skipped_not_a_crash(tmp_path: Path) -> None:
    odd = tmp_path / "odd.yaml"
    odd.write_text("kind: [Pod]\napiVersion: {a: 1}\n---\nkind: List\nitems: [{kind: {a: b}}]\n")
    result = invoke("check", str(odd), "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["skipped"] == {"(no kind)": 2}


def test_a_bug_is_one_line_and_exit_2_never_a_traceback(monkeypatch, capsys) -> None:
    from nblint import cli
    from nblint.run.pipeline import Runner

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Runner, "run", broken)
    monkeypatch.setattr(sys, "argv", ["nblint", "check", COMPLIANT])
    with pytest.raises(SystemExit) as exited:
        cli.entry()
    assert exited.value.code == 2
    assert capsys.readouterr().err == "nblint: internal error: RuntimeError: boom (please report)\n"


def test_the_cycle_collector_is_off_during_a_run_and_on_again_after(monkeypatch) -> None:
    import gc

    from nblint import cli
    from nblint.run.pipeline import Runner

    seen = []
    real_run = Runner.run

    def spy(self, paths):
        seen.append(gc.isenabled())
        return real_run(self, paths)

    monkeypatch.setattr(Runner, "run", spy)
    monkeypatch.setattr(sys, "argv", ["nblint", "check", COMPLIANT])
    with pytest.raises(SystemExit) as exited:
        cli.entry()
    assert exited.value.code == 0
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()  # a caller that runs without the collector keeps it off
    try:
        with pytest.raises(SystemExit):
            cli.entry()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_team_table_that_is_not_a_table_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "notebook-images.yaml").write_text("- just\n- a list\n")
    result = invoke("check", COMPLIANT, "--rules-dir", str(tmp_path))
    assert result.exit_code == 2
    assert "notebook-images.yaml: a table maps a key (e.g. images) to a list of mappings" in (
        result.output
    )


def test_missing_poddefaults_path_is_a_usage_error() -> None:
    result = invoke("check", COMPLIANT, "--poddefaults", "no/such/poddefaults.yaml")
    assert result.exit_code == 2
    assert "--poddefaults no/such/poddefaults.yaml: no such file or directory" in result.output


def test_code_frame_caret_is_under_the_key_as_a_terminal_shows_wide_characters() -> None:
    # Before `privileged` the line holds two emoji and two CJK characters (two columns each in
    # a terminal) and an `e` with a combining accent (the accent takes none): the caret moves
    # 2 + 2 - 1 = 3 columns right of the character count. SARIF keeps code points.
    path = str(FIXTURES / "report" / "caret-wide-chars.yaml")
    source = (FIXTURES / "report" / "caret-wide-chars.yaml").read_text().splitlines()[5]
    characters_before = source.index("privileged")
    result = invoke("check", path, "--select", "privileged", env={"NO_COLOR": "1"})
    lines = result.output.splitlines()
    frame = lines.index("  6 | " + source)
    caret_line = lines[frame + 1]
    assert caret_line == "    | " + " " * (characters_before + 3) + "^" * len("privileged: true")
    sarif = json.loads(invoke("check", path, "--select", "privileged", "--format", "sarif").output)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == characters_before + 1
