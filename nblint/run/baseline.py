"""Baselines: adopt nblint on a large repository and ratchet.

``nblint check --write-baseline FILE`` records today's findings; ``--baseline FILE`` then reports
only findings whose fingerprint is not in the file. Fingerprints are those of SARIF's
``partialFingerprints`` (:mod:`nblint.fingerprint`): rule, repository path, object, profile,
container and field, never line numbers, so edits elsewhere in a file keep old findings matched.
Entries that match nothing any more are *stale* (the problem was fixed): they are reported so the
baseline can be refreshed and cannot re-admit the problem later.

A run may check only some of the files (pre-commit passes the staged ones): an entry is stale
only when its file was checked, and writing a baseline keeps the entries of the files the run
did not check, so that a run on a subset neither cries wolf nor silently forgets the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nblint.model.finding import Finding, context
from nblint.model.fingerprint import (
    FINGERPRINT_KEY,
    fingerprints,
    repo_path,
    repo_paths,
    repo_root,
)

BASELINE_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read (a usage problem: exit 2)."""


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule: str
    file: str
    object: str | None = None
    profile: str | None = None
    container: str | None = None
    field: str | None = None

    def describe(self) -> str:
        found = context(self.object, self.profile, self.container, self.field)
        where = ", ".join(f"{name} {value}" for name, value in found.items())
        return f"{self.file}: {self.rule}" + (f" ({where})" if where else "")


def entries(findings: list[Finding], root: Path | None = None) -> list[Entry]:
    root = root if root is not None else repo_root()
    paths = repo_paths(findings, root)
    return [
        Entry(
            fingerprint,
            finding.rule,
            paths[finding.file],
            finding.object,
            finding.profile,
            finding.container,
            finding.field,
        )
        for finding, fingerprint in zip(findings, fingerprints(findings, root), strict=True)
    ]


def write(path: str, findings: list[Finding], checked: list[str] | None = None) -> tuple[int, int]:
    """Write the baseline of ``findings``, keeping the entries an existing baseline at ``path``
    holds for files not among ``checked`` (None: the run checked everything there is). Returns
    ``(entries written, of them kept from the old baseline)``."""
    root = repo_root()
    recorded = entries(findings, root)
    kept: list[Entry] = []
    if checked is not None and Path(path).exists():
        checked_paths = set(repo_paths_of(checked, root))
        kept = [entry for entry in read(path) if entry.file not in checked_paths]
    everything = sorted([*recorded, *kept], key=lambda e: (e.file, e.rule, e.fingerprint))
    document = {
        "version": BASELINE_VERSION,
        "tool": "nblint",
        "fingerprint": FINGERPRINT_KEY,
        "findings": [
            {key: value for key, value in entry.__dict__.items() if value is not None}
            for entry in everything
        ],
    }
    try:
        Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as err:
        raise BaselineError(f"cannot write baseline {path}: {err.strerror}") from None
    return len(everything), len(kept)


def repo_paths_of(files: list[str], root: Path | None) -> list[str]:
    """The repository paths of ``files``, as baseline entries name them."""
    return [repo_path(file, root) for file in files]


def read(path: str) -> list[Entry]:
    try:
        document: Any = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        # A baseline named (by the configuration, or --baseline) before one was written.
        raise BaselineError(
            f"cannot read baseline {path}: {err.strerror} (record the current findings in it "
            f"first: nblint check --write-baseline {path})"
        ) from None
    except OSError as err:
        raise BaselineError(f"cannot read baseline {path}: {err.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise BaselineError(f"{path}: not a baseline file (invalid JSON: {err})") from None
    if not isinstance(document, dict) or document.get("tool") != "nblint":
        raise BaselineError(f"{path}: not an nblint baseline (write one with --write-baseline)")
    if document.get("fingerprint") != FINGERPRINT_KEY:
        raise BaselineError(
            f"{path}: written with fingerprint {document.get('fingerprint')!r}, this nblint uses "
            f"{FINGERPRINT_KEY!r}; write it again with --write-baseline"
        )
    out = []
    for index, raw in enumerate(document.get("findings") or []):
        try:
            out.append(Entry(**raw))
        except TypeError:
            raise BaselineError(f"{path}: findings[{index}] is not a baseline entry") from None
    return out


def apply(
    findings: list[Finding], baseline: list[Entry], checked: list[str] | None = None
) -> tuple[list[Finding], list[Entry]]:
    """``(new findings, stale entries)``: findings not in the baseline, and the entries that
    match none, among those of the files in ``checked`` (None: every entry)."""
    root = repo_root()
    known = {entry.fingerprint for entry in baseline}
    current = entries(findings, root)
    new = [f for f, entry in zip(findings, current, strict=True) if entry.fingerprint not in known]
    seen = {entry.fingerprint for entry in current}
    stale = [entry for entry in baseline if entry.fingerprint not in seen]
    if checked is not None:
        checked_paths = set(repo_paths_of(checked, root))
        stale = [entry for entry in stale if entry.file in checked_paths]
    return new, stale
