"""The real pre-commit framework runs the ``nblint`` hook of ``.pre-commit-hooks.yaml``.

``pre-commit try-repo`` clones this checkout (tracked files, committed or not), builds a
virtualenv, pip-installs nblint into it from source and runs the hook on the files given, from a
throwaway git repository, as a user's commit would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("user-repo")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "deploy").mkdir()
    shutil.copy(FIXTURES / "precommit" / "bad-values.yaml", repo / "deploy" / "values.yaml")
    shutil.copy(FIXTURES / "precommit" / "good-pod.yaml", repo / "deploy" / "pod.yaml")
    shutil.copy(FIXTURES / "precommit" / "fixable-pod.yaml", repo / "deploy" / "fixable.yaml")
    shutil.copy(FIXTURES / "precommit" / "fixable-pod-crlf.yaml", repo / "deploy" / "crlf.yaml")
    # The hook finds the project's config from its working directory (the repository root).
    # These fixtures are about PSA; the notebook checklist is checked elsewhere.
    (repo / ".nblint.yaml").write_text("select: [psa-baseline, psa-restricted, z2jh, nblint]\n")
    subprocess.run(["git", "add", "deploy", ".nblint.yaml"], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One hook environment for the module: the second run reuses the first's install."""
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(
    repo: Path, home: Path, *files: str, hook: str = "nblint"
) -> subprocess.CompletedProcess[str]:
    """The hook on ``files``; with none, on the staged files, as a commit runs it."""
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PRE_COMMIT_COLOR": "never",
        "GIT_AUTHOR_NAME": "nblint tests",
        "GIT_AUTHOR_EMAIL": "tests@nblint.invalid",
        "GIT_COMMITTER_NAME": "nblint tests",
        "GIT_COMMITTER_EMAIL": "tests@nblint.invalid",
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(ROOT),
            hook,
            *(["--files", *files] if files else []),
        ],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_hook_fails_on_a_values_file_with_a_privileged_notebook(
    user_repo: Path, pre_commit_home: Path
) -> None:
    run = try_repo(user_repo, pre_commit_home, "deploy/values.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Failed" in run.stdout
    assert "error[privileged]: container notebook is privileged" in run.stdout
    assert "--> deploy/values.yaml:13:9" in run.stdout


def test_hook_passes_on_a_compliant_pod(user_repo: Path, pre_commit_home: Path) -> None:
    run = try_repo(user_repo, pre_commit_home, "deploy/pod.yaml")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


def test_fix_hook_applies_the_safe_fixes_and_fails_the_commit_so_they_are_reviewed(
    user_repo: Path, pre_commit_home: Path
) -> None:
    fixable = user_repo / "deploy" / "fixable.yaml"
    before = fixable.read_text()
    run = try_repo(user_repo, pre_commit_home, "deploy/fixable.yaml", hook="nblint-fix")
    # pre-commit fails a hook that changed files: the user reviews and stages the fixes.
    assert run.returncode == 1, run.stdout + run.stderr
    assert "files were modified by this hook" in run.stdout
    after = fixable.read_text()
    assert after.startswith(before.split("  containers:")[0].rstrip("\n"))  # comment kept
    assert "seccompProfile:\n      type: RuntimeDefault" in after
    assert "allowPrivilegeEscalation: false" in after
    again = try_repo(user_repo, pre_commit_home, "deploy/fixable.yaml", hook="nblint-fix")
    assert again.returncode == 0, again.stdout + again.stderr  # nothing left to fix


def test_fix_hook_keeps_crlf_and_the_byte_order_mark(
    user_repo: Path, pre_commit_home: Path
) -> None:
    fixable = user_repo / "deploy" / "crlf.yaml"
    run = try_repo(user_repo, pre_commit_home, "deploy/crlf.yaml", hook="nblint-fix")
    assert run.returncode == 1, run.stdout + run.stderr
    after = fixable.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf# Windows line endings")
    assert b"seccompProfile:\r\n      type: RuntimeDefault\r\n" in after
    assert after.count(b"\n") == after.count(b"\r\n")


def test_a_commit_of_a_clean_pod_neither_checks_nor_fixes_the_configured_releases(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    """With `releases:` configured, a commit staging only a clean pod passes, and `nblint-fix`
    leaves the committed release values alone (they have safe fixes of their own)."""
    repo = tmp_path / "hub-repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".nblint.yaml").write_text("releases:\n  prod:\n    values: [values.yaml]\n")
    shutil.copy(
        FIXTURES / "precommit" / "release-values-with-safe-fixes.yaml", repo / "values.yaml"
    )
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t.invalid"}
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "hub"], cwd=repo, check=True, env=env)
    shutil.copy(ROOT / "examples" / "notebook-pod.yaml", repo / "pod.yaml")
    subprocess.run(["git", "add", "pod.yaml"], cwd=repo, check=True)
    values = (repo / "values.yaml").read_bytes()
    for hook in ("nblint-fix", "nblint"):
        run = try_repo(repo, pre_commit_home, hook=hook)  # the staged files: pod.yaml
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Passed" in run.stdout
        assert "values.yaml" not in run.stdout
        assert (repo / "values.yaml").read_bytes() == values
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
    )
    assert status.stdout == "A  pod.yaml\n"


def test_hook_lints_a_helmfile_gotmpl_values_file_as_a_directory_walk_does(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    """A walk lints `*.gotmpl` (helmfile's values files and helmfiles): so does the hook.
    identify gives such a file no `yaml` type, so `types: [yaml]` never passed it to nblint
    (the hook was skipped and the commit passed)."""
    repo = tmp_path / "helmfile-repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / ".nblint.yaml").write_text("select: [psa-baseline, psa-restricted, z2jh, nblint]\n")
    shutil.copy(
        FIXTURES / "precommit" / "privileged-values.yaml.gotmpl", repo / "values.yaml.gotmpl"
    )
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    run = try_repo(repo, pre_commit_home)  # the staged files, as a commit runs the hook
    assert run.returncode == 1, run.stdout + run.stderr
    assert "error[privileged]: container sidecar is privileged" in run.stdout
    assert "--> values.yaml.gotmpl:8:9" in run.stdout
