"""Stable identities for findings: one home for SARIF ``partialFingerprints`` and the baseline.

A finding's identity is what the user would call "the same problem": the rule, the file (as a
path from the repository root), the object, the profile and its options, the container, and the
field path inside the effective pod. Line and column numbers are deliberately left out, so that
editing unrelated lines above a finding neither reopens a code-scanning alert nor breaks a
baseline. Findings that share every part (two parse errors in one file) are told apart by their
order of occurrence. A folded problem (one place, several pods) has a fingerprint of its own,
under another key (:data:`PROBLEM_FINGERPRINT_KEY`).
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

from nblint.model.finding import Finding
from nblint.model.fold import Folded

#: The SARIF ``partialFingerprints`` key of a finding in one pod (``--no-fold``, baselines); bump
#: the version when the inputs to the hash change.
FINGERPRINT_KEY = "nblint/v1"
#: The key of a folded problem's fingerprint (:func:`problem_fingerprints`).
PROBLEM_FINGERPRINT_KEY = "nblint/v2"


def repo_root(start: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest directory at or above ``start`` (default: the cwd) that holds ``.git``."""
    here = Path(start or os.getcwd()).resolve()
    for directory in (here, *here.parents):
        if (directory / ".git").exists():
            return directory
    return None


def repo_path(file: str, root: Path | None) -> str:
    """``file`` as a POSIX path from ``root`` (or from the cwd outside a repository).

    Files outside both keep their absolute path; stdin (``-``) and virtual sources such as chart
    defaults are returned unchanged.
    """
    if file == "-" or not file:
        return file
    path = Path(file)
    if not path.exists() and not path.is_absolute():
        return Path(file).as_posix()
    resolved = path.resolve()
    for base in (root, Path.cwd().resolve()):
        if base is None:
            continue
        try:
            return resolved.relative_to(base).as_posix()
        except ValueError:
            continue
    return resolved.as_posix()


def repo_paths(findings: list[Finding], root: Path | None) -> dict[str, str]:
    """:func:`repo_path` of each finding's file, asked of the file system once per file."""
    return {file: repo_path(file, root) for file in {finding.file for finding in findings}}


def identity(finding: Finding, path: str) -> str:
    """The parts of a finding that survive unrelated edits, joined into one string."""
    options = ",".join(f"{k}={v}" for k, v in sorted((finding.options or {}).items()))
    parts = (
        finding.rule,
        path,
        finding.object or "",
        finding.profile or "",
        options,
        finding.container or "",
        finding.field or "",
    )
    return "\x1f".join(parts)


def fingerprints(findings: list[Finding], root: Path | None) -> list[str]:
    """One fingerprint per finding, in the same order (hex SHA-256, 32 digits)."""
    paths = repo_paths(findings, root)
    return _hashed([identity(finding, paths[finding.file]) for finding in findings])


def problem_identity(problem: Folded, path: str) -> str:
    """The parts of a folded problem that survive unrelated edits: its rule, file and message,
    and the objects and fields it is found at, but not its profiles, so that adding a profile
    with the same problem does not reopen the alert."""
    objects = sorted({finding.object or "" for finding in problem.findings})
    fields = sorted({finding.field or "" for finding in problem.findings})
    parts = (problem.rule, path, problem.message, "\x1d".join(objects), "\x1d".join(fields))
    return "\x1f".join(parts)


def problem_fingerprints(problems: list[Folded], root: Path | None) -> list[str]:
    """One fingerprint per folded problem, in the same order."""
    paths = repo_paths([problem.first for problem in problems], root)
    return _hashed([problem_identity(problem, paths[problem.file]) for problem in problems])


def _hashed(keys: list[str]) -> list[str]:
    """Each key hashed with its occurrence among equal keys: two problems that share every
    part are told apart by their order."""
    seen: Counter[str] = Counter()
    out = []
    for key in keys:
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256(f"{key}\x1e{occurrence}".encode()).hexdigest()
        out.append(digest[:32])
    return out
