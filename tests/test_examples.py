"""Compliant examples (`examples/*.yaml`) stay clean; the non-compliant ones do not."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run

COMPLIANT = sorted((ROOT / "examples").glob("*.yaml"))
NONCOMPLIANT = sorted((ROOT / "examples" / "noncompliant").glob("*.yaml"))


def test_there_are_examples_of_both_kinds() -> None:
    assert COMPLIANT and NONCOMPLIANT


@pytest.mark.parametrize("path", COMPLIANT, ids=lambda p: p.name)
def test_compliant_example_has_no_finding(path: Path) -> None:
    result = run(path)
    assert result.pods, f"{path.name} yields no pod"
    assert [(f.rule, f.line, f.profile, f.message) for f in result.findings] == []


@pytest.mark.parametrize("path", NONCOMPLIANT, ids=lambda p: p.name)
def test_noncompliant_example_has_errors(path: Path) -> None:
    assert any(f.severity == "error" for f in run(path).findings)


def test_the_finding_the_readme_shows_is_what_nblint_prints() -> None:
    import os
    import re
    import subprocess
    import sys

    readme = (ROOT / "README.md").read_text()
    shown = re.search(r"What a finding looks like:\n\n```\n(.*?)```", readme, re.S)
    assert shown is not None
    first = shown[1].splitlines()[0]
    printed = subprocess.run(
        [sys.executable, "-m", "nblint", "check", first],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        check=False,
    ).stdout
    lines = shown[1].splitlines()
    assert printed.startswith(lines[0] + "\n")  # the file
    assert "\n".join(lines[1:]) in printed  # one place: frame, finding, pods and fix, as shown
