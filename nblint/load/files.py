"""Find the input files and read them as text, reporting what cannot be read."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from nblint.load.yaml_tree import Document, LoadProblem, parse_documents

YAML_SUFFIXES = (".yaml", ".yml")
STDIN = "-"
#: Inputs larger than this are refused rather than parsed (a linter must not eat the machine).
MAX_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class LoadedFile:
    """One input file: its text (for code frames and suppressions) and its documents."""

    path: str
    text: str = ""
    documents: list[Document] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


class InputError(Exception):
    """A path given on the command line does not exist (a usage problem, exit 2)."""


def discover(paths: list[str]) -> Iterator[str]:
    """Expand the command-line paths: directories recursively, in a stable order."""
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists() or path.is_symlink():
            yield raw
        else:
            raise InputError(f"{raw}: no such file or directory")


def _walk(root: Path) -> Iterator[str]:
    found: list[str] = []

    def onerror(err: OSError) -> None:
        found.append(str(err.filename))  # unreadable directory: reported when loaded

    for dirpath, dirnames, filenames in os.walk(root, onerror=onerror):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(os.path.join(dirpath, f) for f in filenames if f.endswith(YAML_SUFFIXES))
    yield from sorted(found)


def load(path: str) -> LoadedFile:
    """Read and parse one input; every failure becomes a problem on the returned file."""
    loaded = LoadedFile(path)
    try:
        data = sys.stdin.buffer.read() if path == STDIN else _read_bytes(path)
    except OSError as err:
        loaded.problems.append(LoadProblem("unreadable", f"cannot read: {err.strerror}", 1, 1))
        return loaded
    if data is None:
        loaded.problems.append(
            LoadProblem("too-large", f"file larger than {MAX_FILE_BYTES // 2**20} MiB", 1, 1)
        )
        return loaded
    text, problem = decode(data)
    if problem:
        loaded.problems.append(problem)
        return loaded
    loaded.text = text
    loaded.documents, loaded.problems = parse_documents(text)
    return loaded


def _read_bytes(path: str) -> bytes | None:
    if os.path.isdir(path):
        raise IsADirectoryError(21, "is a directory", path)
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def decode(data: bytes) -> tuple[str, LoadProblem | None]:
    """Text of a YAML file (UTF-8, or UTF-16/32 with a BOM), or why it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return "", LoadProblem("parse-error", "binary file (contains NUL bytes)", line, 1)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return "", LoadProblem("parse-error", "not UTF-8 text", line, column)
