"""Shared test helpers.

``SHARED`` is the ``../shared`` folder beside a checkout (reference corpora). Tests over it are
marked ``needs_shared`` and skip with a clear reason on a fresh clone, where it does not exist.
Tests that must always run use copies under ``tests/fixtures/`` (see ``tests/fixtures/ORIGIN.md``).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

# The suite's cache entries stay out of the developer's ~/.cache/nblint; the nblint processes
# the tests start inherit the setting.
if "NBLINT_CACHE_DIR" not in os.environ:
    os.environ["NBLINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="nblint-test-cache-")
    atexit.register(shutil.rmtree, os.environ["NBLINT_CACHE_DIR"], True)
from pathlib import Path
from typing import Any

import pytest

from nblint.check.rules import load_rules
from nblint.model.finding import Finding
from nblint.model.pod import EffectivePod, get_path
from nblint.model.result import RunResult as Result
from nblint.model.rule import PsaPolicy, parse_version
from nblint.run.pipeline import Options, Runner, context_files

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(),
    reason="../shared (reference corpora beside the checkout) is not present",
)

RULES = load_rules()


def run(
    *paths: str | Path,
    level: str = "restricted",
    version: str = "v1.37",
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    poddefaults: list[str | Path] | None = None,
    cluster: list[str | Path] | None = None,
    admission: str | Path | None = None,
    **dialect: Any,
) -> Result:
    """Run the whole pipeline in-process, as ``nblint check`` would, keeping the pods.

    ``cluster``/``admission``: ``--cluster-context`` and ``--admission-config`` files."""
    context = context_files("--poddefaults", [str(p) for p in poddefaults or ()])
    context += context_files("--cluster-context", [str(p) for p in cluster or ()])
    if admission is not None:
        context += context_files("--admission-config", [str(admission)])
    options = Options(
        PsaPolicy(level, parse_version(version)),
        select,
        ignore,
        dialect=dialect,
        context=context,
        keep_pods=True,
    )
    return Runner(options, RULES).run([str(p) for p in paths])


def report_across_jobs(directory: Path, pods: int = 60) -> dict[str, Any]:
    """The JSON report of ``directory`` beside ``pods`` Pod files (so that ``--jobs 2`` splits
    the run into chunks), asserted to be the same serially and with ``--jobs 2``."""
    import json

    from click.testing import CliRunner

    from nblint.cli import main

    for i in range(pods):
        (directory / f"{i:03d}-pod.yaml").write_text(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  hostPID: true\n"
        )

    def report(*args: str) -> str:
        done = CliRunner().invoke(main, ["check", "--format", "json", *args, str(directory)])
        assert done.exit_code == 1, done.output
        return done.stdout

    serial = report()
    assert report("--jobs", "2") == serial
    found: dict[str, Any] = json.loads(serial)
    return found


def brief(findings: list[Finding]) -> list[tuple[str, int, int]]:
    """``(rule, line, column)`` of each finding: what most tests assert exactly."""
    return [(f.rule, f.line, f.column) for f in findings]


def fix_note(found: Finding) -> str:
    """The comment lines before a finding's fix hint, joined as one line."""
    lines = []
    for line in (found.fix or "").splitlines():
        if not line.startswith("# "):
            break
        lines.append(line[2:])
    return " ".join(lines)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def only_pod(result: Result) -> EffectivePod:
    """The one pod a run yields (fails the test when there are more or none)."""
    assert len(result.pods) == 1, [p.object for p in result.pods]
    return result.pods[0]


def field(pod: EffectivePod, *path: str | int) -> Any:
    """The value at ``path`` in the effective pod (fails the test when it is absent)."""
    found, value = get_path(pod.pod, path)
    assert found, path
    return value


#: A fresh `nblint check FILE`, as the installed command runs it, that prints every file it
#: opened (`opened PATH`), then whatever `after` prints: a cold run's reads cannot be counted in
#: the test's own process, which has read everything already.
_SPY_ON_OPEN = (
    "import builtins, sys\n"
    "opened = []\n"
    "real = builtins.open\n"
    "def spy(file, *a, **k):\n"
    "    opened.append(str(file))\n"
    "    return real(file, *a, **k)\n"
    "builtins.open = spy\n"
    "from nblint.cli import entry\n"
    "sys.argv = ['nblint', 'check', sys.argv[1]]\n"
    "try:\n"
    "    entry()\n"
    "except SystemExit:\n"
    "    pass\n"
    "print('\\n'.join('opened ' + p for p in opened))\n"
)


def cold_check_output(path: Path, after: str = "") -> list[str]:
    """The lines a cold ``nblint check path`` in its own interpreter prints with the files it
    opened (``opened PATH``), followed by what the Python code ``after`` prints."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, "-c", _SPY_ON_OPEN + after, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
