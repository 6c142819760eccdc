"""Which files ``nblint check`` lints, as ruff chooses them: ``exclude`` and ``extend-exclude``,
``.gitignore``, ``--force-exclude``, Helm charts' ``templates/``, no PATH, ``--stdin-filename``;
and the edges: an empty directory, a misspelt ``--select``, a ``--psa-version`` from the future,
``render`` of a file with no pod."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, ROOT

from nblint.cli import main

PRIVILEGED = FIXTURES / "sarif" / "privileged-pod.yaml"  # one privileged finding, line 13


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding one privileged pod at ``deploy/pod.yaml``."""
    (tmp_path / ".git").mkdir()
    place(tmp_path, "deploy/pod.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def place(root: Path, relative: str, source: Path = PRIVILEGED) -> Path:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return target


def nblint(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(
        main, ["check", "--select", "privileged", *args], input=stdin, catch_exceptions=False
    )


def checked(*args: str) -> list[str]:
    """The files with a finding, as the JSON report names them."""
    result = nblint("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return sorted({finding["file"] for finding in report["findings"]})


# -- walking a directory ------------------------------------------------------------------------


def test_gitignored_files_are_not_linted_when_walking(repo: Path) -> None:
    place(repo, "generated/pod.yaml")
    (repo / ".gitignore").write_text("generated/\n")
    assert checked(".") == ["deploy/pod.yaml"]
    assert checked("--no-respect-gitignore", ".") == ["deploy/pod.yaml", "generated/pod.yaml"]


def test_a_walk_of_dot_names_top_level_and_deeper_files_alike(repo: Path) -> None:
    """`top.yaml` beside `deploy/pod.yaml`, as ruff and yamllint name them (not `./top.yaml`),
    in every format; and a baseline written with the files named `./…` still matches."""
    place(repo, "top.yaml")
    assert checked(".") == ["deploy/pod.yaml", "top.yaml"]
    assert checked("./") == ["deploy/pod.yaml", "top.yaml"]
    for output in ("concise", "text", "github"):
        shown = nblint("--format", output, "--color", "never", ".").output
        assert "top.yaml" in shown and "./top.yaml" not in shown, output
    sarif = json.loads(nblint("--format", "sarif", ".").stdout)
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris == {"deploy/pod.yaml", "top.yaml"}
    nblint("--write-baseline", "baseline.json", "./top.yaml", "./deploy/pod.yaml")
    assert checked("--baseline", "baseline.json", ".") == []


def test_a_deeper_gitignore_can_take_a_file_back(repo: Path) -> None:
    place(repo, "deploy/keep.yaml")
    (repo / ".gitignore").write_text("*.yaml\n")
    (repo / "deploy" / ".gitignore").write_text("!keep.yaml\n")
    assert checked(".") == ["deploy/keep.yaml"]


def test_the_repository_gitignore_counts_when_walking_a_subdirectory(repo: Path) -> None:
    place(repo, "deploy/tmp/pod.yaml")
    (repo / ".gitignore").write_text("deploy/tmp/\n")
    assert checked("deploy") == ["deploy/pod.yaml"]


def test_node_modules_and_hidden_directories_are_skipped_by_default(repo: Path) -> None:
    place(repo, "node_modules/chart/pod.yaml")
    place(repo, ".cache/pod.yaml")
    assert checked(".") == ["deploy/pod.yaml"]


def test_exclude_in_the_config_replaces_the_defaults_relative_to_its_directory(
    repo: Path,
) -> None:
    place(repo, "node_modules/chart/pod.yaml")
    place(repo, "deploy/legacy/pod.yaml")
    (repo / ".nblint.yaml").write_text("exclude: [deploy/legacy]\n")
    assert checked(".") == ["deploy/pod.yaml", "node_modules/chart/pod.yaml"]


def test_extend_exclude_adds_to_the_defaults(repo: Path) -> None:
    place(repo, "node_modules/chart/pod.yaml")
    place(repo, "deploy/pod.rendered.yaml")
    (repo / ".nblint.yaml").write_text("extend-exclude: ['*.rendered.yaml']\n")
    assert checked(".") == ["deploy/pod.yaml"]


def test_exclude_on_the_command_line_wins_over_the_config(repo: Path) -> None:
    place(repo, "deploy/legacy/pod.yaml")
    (repo / ".nblint.yaml").write_text("exclude: [deploy/legacy]\n")
    assert checked("--exclude", "deploy/pod.yaml", ".") == ["deploy/legacy/pod.yaml"]
    assert checked("--extend-exclude", "deploy/pod.yaml", ".") == []


def test_a_named_file_is_linted_unless_force_exclude(repo: Path) -> None:
    (repo / ".nblint.yaml").write_text("exclude: [deploy]\n")
    assert checked("deploy/pod.yaml") == ["deploy/pod.yaml"]
    assert checked("--force-exclude", "deploy/pod.yaml") == []


def test_a_chart_s_templates_are_skipped_with_one_line_saying_how_to_lint_them(
    repo: Path,
) -> None:
    (repo / "chart" / "templates").mkdir(parents=True)
    (repo / "chart" / "Chart.yaml").write_text("apiVersion: v2\nname: hub\nversion: 1.0.0\n")
    for name in ("deployment.yaml", "service.yaml"):
        (repo / "chart" / "templates" / name).write_text("metadata:\n  name: {{ .Release.Name }}\n")
    walked = nblint("--format", "json", ".")
    assert [f["rule"] for f in json.loads(walked.stdout)["findings"]] == ["privileged"]
    assert walked.stderr == (
        "nblint: chart/templates/: skipped, Helm templates are not YAML until rendered: lint the "
        "chart as Helm renders it, `helm template chart | nblint check -`\n"
    )
    named = nblint("chart/templates/deployment.yaml", "chart/templates/service.yaml")
    assert named.stderr.count("skipped, Helm templates") == 1
    assert named.exit_code == 0


def test_templates_without_a_chart_beside_them_are_linted(repo: Path) -> None:
    place(repo, "templates/pod.yaml")
    assert checked(".") == ["deploy/pod.yaml", "templates/pod.yaml"]


# -- no PATH, stdin ----------------------------------------------------------------------------


def test_check_without_a_path_lints_the_working_directory(repo: Path) -> None:
    result = nblint("--format", "json")
    assert result.exit_code == 1
    assert [f["file"] for f in json.loads(result.stdout)["findings"]] == ["deploy/pod.yaml"]


def test_stdin_filename_names_stdin_for_findings_per_file_ignores_and_sarif(repo: Path) -> None:
    text = PRIVILEGED.read_text()
    named = json.loads(
        nblint("--format", "json", "--stdin-filename", "hub/pod.yaml", stdin=text).stdout
    )
    assert [(f["file"], f["line"]) for f in named["findings"]] == [("hub/pod.yaml", 13)]
    (repo / ".nblint.yaml").write_text("per-file-ignores:\n  'hub/*.yaml': [privileged]\n")
    ignored = nblint("--stdin-filename", "hub/pod.yaml", "-", stdin=text)
    assert ignored.exit_code == 0
    (repo / ".nblint.yaml").unlink()
    log = json.loads(
        nblint("--format", "sarif", "--stdin-filename", "hub/pod.yaml", stdin=text).stdout
    )
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "hub/pod.yaml"


# -- clear edges --------------------------------------------------------------------------------


def test_an_empty_directory_is_one_error_and_no_report(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = nblint(str(tmp_path / "empty"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"nblint: error: {tmp_path / 'empty'}: no YAML files (*.yaml, *.yml) to check\n"
    )


def test_a_directory_whose_files_are_all_excluded_says_so(repo: Path) -> None:
    result = nblint("--extend-exclude", "pod.yaml", "deploy")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "nblint: error: deploy: no YAML files (*.yaml, *.yml) to check (1 excluded)\n"
    )


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_a_misspelt_rule_gets_a_did_you_mean(option: str) -> None:
    result = CliRunner().invoke(main, ["check", option, "privilegd", str(PRIVILEGED)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"nblint: error: {option}: unknown rule or group 'privilegd' (did you mean "
        "'privileged'? see `nblint rules`)\n"
    )


def test_a_psa_version_newer_than_nblint_knows_says_which_it_used() -> None:
    result = nblint("--psa-version", "v1.99", str(PRIVILEGED))
    assert result.exit_code == 1
    assert result.stderr == (
        "nblint: --psa-version v1.99 is newer than the newest policy nblint knows; evaluated as "
        "v1.37, as the API server does\n"
    )
    assert nblint("--psa-version", "v1.37", str(PRIVILEGED)).stderr == ""
    assert nblint("-q", "--psa-version", "v1.99", str(PRIVILEGED)).stderr == ""


def test_render_says_when_a_file_holds_no_pod(tmp_path: Path) -> None:
    poddefault = tmp_path / "poddefault.yaml"
    poddefault.write_text(
        "apiVersion: kubeflow.org/v1alpha1\nkind: PodDefault\nmetadata: {name: gpu, namespace: u}\n"
        "spec:\n  selector: {matchLabels: {gpu: 'true'}}\n"
    )
    result = CliRunner().invoke(main, ["render", str(poddefault)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == f"nblint: no pod in {poddefault}\n"


def test_the_pre_commit_hook_applies_the_configured_excludes() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "entry: nblint check --force-exclude\n" in hooks
