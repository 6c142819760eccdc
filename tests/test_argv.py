"""A plain ``nblint check`` command line is read without click, exactly as click reads it.

:mod:`nblint.cli.argv` reads the common command line from the same declarations click builds
``check`` from; whatever it does not vouch for is left to click. These tests hold the two
readers to the same parameters on every command line they are given, and prove the saving:
a plain check never imports click.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nblint.cli.argv import read_check
from nblint.cli.common import given_on_command_line
from nblint.cli.group import check as click_check
from nblint.cli.options import CHECK_OPTIONS

NOTEBOOK = ROOT / "examples" / "notebook-pod.yaml"
VALUES = ROOT / "examples" / "z2jh-values.yaml"


def read_by_click(args: list[str]) -> tuple[tuple[str, ...], dict[str, Any], set[str]] | None:
    """What click makes of ``args`` after ``check``: paths, parameters, the parameters given;
    None when click refuses the command line (or prints help)."""
    try:
        ctx = click_check.make_context("check", list(args))
    except (click.ClickException, click.exceptions.Exit):
        return None
    with ctx:
        params = dict(ctx.params)
        given = given_on_command_line() - {"paths"}
    return tuple(params.pop("paths")), params, given


def words(tmp: Path) -> list[str]:
    """Every word a command line may hold: each flag, values each kind of option takes and
    refuses, paths of each kind, and what only click reads."""
    folder = tmp / "folder"
    folder.mkdir(exist_ok=True)
    file = tmp / "file.yaml"
    file.write_text("{}\n")
    vocabulary = ["-", "--", "-h", "--help", "--version", "-qj", "-j2", "-ox", "--nope", ""]
    vocabulary += ["json", "sarif", "text", "JSON", "0", "2", "-1", "x", "v1.30", "latest"]
    vocabulary += ["4.3", "4.4.0", "9", "jupyterhub", "a..b", "true", "restricted", "never"]
    vocabulary += [str(folder), str(file), str(tmp / "missing.yaml"), str(VALUES)]
    for option in CHECK_OPTIONS:
        vocabulary += list(option.flags) + ([option.off] if option.off else [])
        vocabulary += [
            f"{option.flags[-1]}=json",
            f"{option.flags[-1]}=2",
            f"{option.flags[-1]}=-1",
        ]
        vocabulary += [f"{option.flags[-1]}={folder}", f"{option.flags[-1]}="]
    return vocabulary


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return words(tmp_path_factory.mktemp("argv"))


@settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_what_the_plain_reader_accepts_click_reads_the_same(
    vocabulary: list[str], data: st.DataObject
) -> None:
    args = data.draw(st.lists(st.sampled_from(vocabulary), max_size=8))
    ours = read_check(args)
    if ours is not None:
        assert read_by_click(args) == ours, args


@pytest.mark.parametrize(
    "args",
    [
        [str(NOTEBOOK)],
        ["--format", "json", "-o", "/dev/null", str(NOTEBOOK)],
        ["--format=sarif", "--no-respect-gitignore", "-j", "0", "-q", "."],
        ["-f", str(VALUES), "--values", str(VALUES), "--chart-version", "4.3", "--fix"],
        ["-", "--stdin-filename", "x.yaml", "--psa-level", "baseline", "--psa-version", "v9"],
        [str(NOTEBOOK), "--cluster-context", str(FIXTURES), "--namespace", "team", "--statistics"],
    ],
)
def test_a_plain_command_line_is_read_without_click(args: list[str]) -> None:
    ours = read_check(args)
    assert ours is not None
    assert ours == read_by_click(args)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h", str(NOTEBOOK)],
        ["--format", "yaml", str(NOTEBOOK)],  # not a format: click's error
        ["--jobs", "-1"],
        ["-qj", "2"],  # short options run together
        ["--", "-weird-name.yaml"],
        ["--chart-version", "9"],  # not a release nblint knows: click's error names them
        ["--output"],  # no value
        ["--quiet=yes"],
        ["--output", str(ROOT)],  # a directory
        ["--rules-dir", str(NOTEBOOK)],  # a file
    ],
)
def test_what_click_must_read_or_refuse_is_left_to_click(args: list[str]) -> None:
    assert read_check(args) is None


def test_a_given_option_is_named_so_the_configuration_does_not_override_it() -> None:
    parsed = read_check(["--no-respect-gitignore", "--psa-level", "restricted", "x.yaml"])
    assert parsed is not None
    paths, params, given_ = parsed
    assert paths == ("x.yaml",)
    assert given_ == {"respect_gitignore", "psa_level"}  # given, though equal to the default
    assert params["respect_gitignore"] is False
    assert params["chart_version"] is None and params["values_files"] == ()


def run_installed(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``nblint`` entry point in a fresh interpreter, which then prints whether
    click was imported."""
    code = (
        "import sys\n"
        "from nblint.cli import entry\n"
        f"sys.argv = ['nblint', *{list(args)!r}]\n"
        "try:\n"
        "    entry()\n"
        "except SystemExit as leaving:\n"
        "    print('exit', leaving.code)\n"
        "print('click imported:', 'click' in sys.modules)\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_a_plain_check_never_imports_click() -> None:
    done = run_installed("check", "--format", "json", str(NOTEBOOK))
    assert done.stdout.splitlines()[-2:] == ["exit 0", "click imported: False"]
    assert '"findings":[]' in done.stdout


def test_help_and_usage_errors_still_come_from_click() -> None:
    helped = run_installed("check", "--help")
    assert "Usage: nblint check [OPTIONS] [PATHS]..." in helped.stdout
    assert helped.stdout.splitlines()[-1] == "click imported: True"
    refused = run_installed("check", "--format", "yaml", str(NOTEBOOK))
    assert "Invalid value for '--format': 'yaml' is not one of" in refused.stderr
    assert refused.stdout.splitlines()[-2:] == ["exit 2", "click imported: True"]


def test_a_psa_version_nblint_cannot_read_is_one_line_naming_the_option() -> None:
    done = run_installed("check", "--psa-version", "v2.0", str(NOTEBOOK))
    assert done.stderr == "nblint: error: --psa-version: v2.0: only policy versions v1.x exist\n"
    assert done.stdout.splitlines()[-2] == "exit 2"
