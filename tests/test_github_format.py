"""``--format github``: workflow commands that annotate a pull request."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT

from nblint.cli import main
from nblint.model.finding import Finding
from nblint.model.fold import fold
from nblint.model.result import RunResult as Result
from nblint.report import github


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def finding(**overrides: object) -> Finding:
    fields: dict[str, object] = {
        "rule": "privileged",
        "group": "psa-baseline",
        "severity": "error",
        "message": "container notebook is privileged",
        "file": "values.yaml",
        "line": 3,
        "column": 5,
    }
    fields.update(overrides)
    return Finding(**fields)  # type: ignore[arg-type]


def test_escaping_follows_the_runner_rules_percent_first() -> None:
    assert github.escape_data("a:b,c%d\n\r") == "a:b,c%25d%0A%0D"
    assert github.escape_property("a:b,c%d\n") == "a%3Ab%2Cc%25d%0A"


def test_privileged_pod_is_one_error_annotation_at_the_key() -> None:
    path = str((FIXTURES / "sarif" / "privileged-pod.yaml").relative_to(ROOT))
    # (The fixture's allowPrivilegeEscalation: false beside privileged is its own finding.)
    ignored = "notebook,privileged-without-escalation"
    result = CliRunner().invoke(main, ["check", "--format", "github", "--ignore", ignored, path])
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert line.startswith(
        "::error file=tests/fixtures/sarif/privileged-pod.yaml,line=13,col=9,endLine=13,"
        "endColumn=25,title=nblint privileged%3A "
    )
    assert "::container notebook is privileged%0Ahelp: " in line


def test_message_with_profile_note_and_multiline_fix_stays_on_one_line() -> None:
    out = github.render(
        Result(),
        fold([finding(profile="GPU, large", note="chart default", fix="a: 1\nb: 2")]),
        {},
    )
    assert out == (
        "::error file=values.yaml,line=3,col=5,title=nblint privileged::container notebook is "
        "privileged (profile GPU, large)%0Anote: chart default%0Ahelp: a: 1%0Ab: 2\n"
    )


def test_severities_map_to_error_warning_notice_most_severe_first() -> None:
    out = github.render(
        Result(),
        fold(
            [
                finding(severity="info", rule="a"),
                finding(severity="warning", rule="b"),
                finding(severity="error", rule="c"),
            ]
        ),
        {},
    )
    assert [line.split(" ", 1)[0] for line in out.splitlines()] == [
        "::error",
        "::warning",
        "::notice",
    ]


def test_more_than_ten_per_level_go_to_the_log_with_a_notice(tmp_path: Path) -> None:
    many = [finding(line=n) for n in range(1, 13)]
    lines = github.render(Result(), fold(many), {}).splitlines()
    assert sum(line.startswith("::error ") for line in lines) == 10
    assert lines[10:] == [
        "values.yaml:11:5: error[privileged]: container notebook is privileged",
        "values.yaml:12:5: error[privileged]: container notebook is privileged",
        "::notice title=nblint::2 more findings not annotated (GitHub shows 10 per level); "
        "see the log above.",
    ]


def test_clean_run_prints_nothing() -> None:
    path = str((FIXTURES / "sarif" / "compliant-pod.yaml").relative_to(ROOT))
    result = CliRunner().invoke(main, ["check", "--format", "github", "--ignore", "notebook", path])
    assert (result.exit_code, result.stdout) == (0, "")
