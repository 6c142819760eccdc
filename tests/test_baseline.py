"""Baselines: record today's findings, then report only new ones; stale entries are reported.

The fixture ``two-problems.yaml`` has two findings: ``host-namespaces`` (line 9) and
``privileged`` (line 14). Tests copy it into a throwaway repository and edit it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES

from nblint.cli import main

POD = "pod.yaml"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "baseline" / "two-problems.yaml", tmp_path / POD)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def nblint(*args: str) -> Result:
    # The notebook checklist is not what these fixtures are about, nor that the API server
    # refuses their privileged container's allowPrivilegeEscalation: false.
    return CliRunner().invoke(
        main, ["check", "--ignore", "notebook,privileged-without-escalation", *args]
    )


def rules(result: Result) -> list[tuple[str, int]]:
    return [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_write_baseline_says_one_finding_in_the_singular(repo: Path) -> None:
    result = nblint("--write-baseline", "baseline.json", "--select", "privileged", POD)
    assert result.stderr == "nblint: wrote 1 finding to baseline baseline.json\n"


def test_write_baseline_records_every_finding_without_line_numbers(repo: Path) -> None:
    result = nblint("--write-baseline", "baseline.json", POD)
    assert result.exit_code == 0
    assert result.stderr == "nblint: wrote 2 findings to baseline baseline.json\n"
    document = json.loads((repo / "baseline.json").read_text())
    assert document["fingerprint"] == "nblint/v1"
    entries = document["findings"]
    assert [(e["rule"], e["file"], e["object"], e.get("field")) for e in entries] == [
        ("host-namespaces", POD, "Pod/legacy-notebook", "spec.hostNetwork"),
        ("privileged", POD, "Pod/legacy-notebook", "spec.containers[0].securityContext.privileged"),
    ]
    assert not any("line" in entry for entry in entries)


def test_baseline_hides_known_findings_even_after_lines_move(repo: Path) -> None:
    nblint("--write-baseline", "baseline.json", POD)
    text = (repo / POD).read_text()
    (repo / POD).write_text(text.replace("metadata:\n", "metadata:\n  labels: {team: ds}\n"))
    result = nblint("--baseline", "baseline.json", "--format", "json", POD)
    assert result.exit_code == 0
    assert rules(result) == []
    assert result.stderr == ""


def test_only_new_findings_are_reported(repo: Path) -> None:
    nblint("--write-baseline", "baseline.json", POD)
    text = (repo / POD).read_text()
    (repo / POD).write_text(
        text.replace("  hostNetwork: true\n", "  hostNetwork: true\n  hostPID: true\n")
    )
    result = nblint("--baseline", "baseline.json", "--format", "json", POD)
    assert result.exit_code == 1
    assert rules(result) == [("host-namespaces", 10)]


def test_stale_baseline_entry_is_reported(repo: Path) -> None:
    nblint("--write-baseline", "baseline.json", POD)
    text = (repo / POD).read_text()
    (repo / POD).write_text(text.replace("privileged: true", "privileged: false"))
    result = nblint("--baseline", "baseline.json", "--format", "json", POD)
    assert result.exit_code == 0
    assert rules(result) == []
    assert result.stderr.splitlines() == [
        "nblint: stale baseline entry (no longer found): pod.yaml: privileged (object "
        "Pod/legacy-notebook, container notebook, field "
        "spec.containers[0].securityContext.privileged)",
        "nblint: 1 baseline entry no longer match; refresh with --write-baseline baseline.json",
    ]


def test_baseline_from_config(repo: Path) -> None:
    nblint("--write-baseline", "baseline.json", POD)
    (repo / ".nblint.yaml").write_text("baseline: baseline.json\n")
    assert nblint(POD).exit_code == 0


def test_baseline_matches_from_another_working_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nblint("--write-baseline", "baseline.json", POD)
    (repo / "sub").mkdir()
    monkeypatch.chdir(repo / "sub")
    result = nblint("--baseline", "../baseline.json", "--format", "json", "../pod.yaml")
    assert (result.exit_code, rules(result)) == (0, [])


def test_missing_or_foreign_baseline_is_a_usage_error(repo: Path) -> None:
    missing = nblint("--baseline", "nope.json", POD)
    assert missing.exit_code == 2
    assert "cannot read baseline nope.json" in missing.stderr
    # Named before it was written (a configured `baseline:`, on the first run): say how to.
    assert "(record the current findings in it first: nblint check --write-baseline nope.json)" in (
        missing.stderr
    )
    (repo / "other.json").write_text('{"failed_checks": []}')
    foreign = nblint("--baseline", "other.json", POD)
    assert foreign.exit_code == 2
    assert "other.json: not an nblint baseline" in foreign.stderr


# -- runs on part of the repository (pre-commit passes only the staged files) -------------------


@pytest.fixture
def two_files(repo: Path) -> Path:
    shutil.copy(FIXTURES / "baseline" / "two-problems.yaml", repo / "other.yaml")
    assert nblint("--write-baseline", "baseline.json", POD, "other.yaml").exit_code == 0
    return repo


def test_stale_entries_are_reported_only_for_the_files_the_run_checked(two_files: Path) -> None:
    result = nblint("--baseline", "baseline.json", "--format", "json", POD)
    assert (result.exit_code, rules(result), result.stderr) == (0, [], "")
    (two_files / "other.yaml").write_text(
        (two_files / "other.yaml").read_text().replace("privileged: true", "privileged: false")
    )
    unchecked = nblint("--baseline", "baseline.json", "--format", "json", POD)
    assert unchecked.stderr == ""
    checked = nblint("--baseline", "baseline.json", "--format", "json", "other.yaml")
    assert checked.stderr.splitlines() == [
        "nblint: stale baseline entry (no longer found): other.yaml: privileged "
        "(object Pod/legacy-notebook, container notebook, "
        "field spec.containers[0].securityContext.privileged)",
        "nblint: 1 baseline entry no longer match; refresh with --write-baseline baseline.json",
    ]


def test_write_baseline_on_a_subset_keeps_the_entries_of_the_other_files(two_files: Path) -> None:
    (two_files / POD).write_text(
        (two_files / POD).read_text().replace("privileged: true", "privileged: false")
    )
    result = nblint("--write-baseline", "baseline.json", POD)
    assert result.stderr == (
        "nblint: wrote 3 findings to baseline baseline.json (2 kept for files this run did "
        "not check)\n"
    )
    entries = json.loads((two_files / "baseline.json").read_text())["findings"]
    assert [(e["file"], e["rule"]) for e in entries] == [
        ("other.yaml", "host-namespaces"),
        ("other.yaml", "privileged"),
        (POD, "host-namespaces"),
    ]
    assert nblint("--baseline", "baseline.json", POD, "other.yaml").exit_code == 0
