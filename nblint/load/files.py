"""Find the input files and read them as text, reporting what cannot be read."""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator

from nblint.load.selection import CHART, TEMPLATES, Selection, top_for
from nblint.load.yaml_tree import Document, LoadProblem, iter_documents
from nblint.model.finding import BINARY_FILE, NOT_UTF8, TERRAFORM
from nblint.model.record import Record

YAML_SUFFIXES = (".yaml", ".yml")
#: What a directory walk lints: YAML, and helmfile's values templates (``values.yaml.gotmpl``),
#: which helmfile renders into the values Helm reads — said to be templates when they are.
WALKED_SUFFIXES = (*YAML_SUFFIXES, ".gotmpl")
STDIN = "-"
#: Terraform's own files (HCL, not YAML): a walk skips them (not :data:`WALKED_SUFFIXES`); one
#: named on the command line is said to be one, once, never parsed as YAML.
TERRAFORM_SUFFIXES = (".tf", ".tfvars")
TERRAFORM_FILE = (
    "a Terraform file (HCL) is not YAML: lint the values it gives Helm, rendered, not the file "
    "(nothing in it was checked)"
)
#: Inputs larger than this are refused rather than parsed (a linter must not eat the machine).
MAX_FILE_BYTES = 64 * 1024 * 1024


class LoadedFile(Record):
    """One input file: its text (for code frames and suppressions) and its documents."""

    __slots__ = ("documents", "path", "problems", "readable", "text")

    def __init__(
        self,
        path: str,
        text: str = "",
        documents: list[Document] | None = None,
        problems: list[LoadProblem] | None = None,
        readable: bool = True,
    ) -> None:
        self.path = path
        self.text = text
        self.documents: list[Document] = [] if documents is None else documents
        self.problems: list[LoadProblem] = [] if problems is None else problems
        #: False when the file could not be read as text (its documents are then not parsed).
        self.readable = readable


class InputError(Exception):
    """A path given on the command line does not exist (a usage problem, exit 2)."""


def tidy(path: str) -> str:
    """``path`` written as pathlib writes it: without ``.`` parts and doubled or trailing
    separators. Unlike ``os.path.normpath`` it keeps ``..``, which may climb out of a symlink."""
    parts = [part for part in path.split(os.sep) if part not in ("", ".")]
    if path.startswith(os.sep):
        return os.sep + os.sep.join(parts)
    return os.sep.join(parts) or "."


def discover(
    paths: list[str], empty_dirs: list[str] | None = None, selection: Selection | None = None
) -> Iterator[str]:
    """Expand the command-line paths: directories recursively, in a stable order, skipping
    what ``selection`` excludes (by default: hidden directories, ``node_modules``, files that
    ``.gitignore`` ignores, and Helm charts' ``templates/``).

    A directory that holds no YAML file to check is appended to ``empty_dirs`` (when given): the
    caller says so instead of passing in silence.
    """
    selection = selection if selection is not None else Selection()
    for raw in paths:
        if raw == STDIN:
            yield STDIN
            continue
        if os.path.isdir(raw):
            found = _walk(tidy(raw), selection)
            if not found and empty_dirs is not None:
                empty_dirs.append(raw)
            yield from found
        elif os.path.lexists(raw):  # a broken symlink too: reported when it is read
            chart = selection.chart_templates(raw)
            if chart is not None:
                selection.skip_chart(chart)
            elif not (selection.force_exclude and selection.excludes_named(raw)):
                yield raw
        else:
            raise InputError(f"{raw}: no such file or directory")


def _walk(root: str, selection: Selection) -> list[str]:
    found: list[str] = []
    chart = selection.chart_templates(root)
    if chart is not None:
        selection.skip_chart(chart)
        return found
    top = top_for(root) if selection.respect_gitignore else root

    def onerror(err: OSError) -> None:
        found.append(str(err.filename))  # unreadable directory: reported when loaded

    for walked, dirnames, filenames in os.walk(root, onerror=onerror):
        # `x.yaml` and `deploy/x.yaml` for `nblint check .`, as ruff and yamllint name them,
        # never `./x.yaml` beside `deploy/x.yaml`.
        dirpath = tidy(walked)
        inside = "" if dirpath == "." else dirpath
        kept = []
        for name in sorted(dirnames):
            path = os.path.join(inside, name)
            if name == TEMPLATES and CHART in filenames:
                selection.skip_chart(dirpath)
            elif not selection.skips(path, True, top):
                kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            path = os.path.join(inside, name)
            if name.endswith(WALKED_SUFFIXES) and not selection.skips(path, False, top):
                found.append(path)
    return sorted(found)


def read(path: str) -> LoadedFile:
    """Read one input as text, not yet parsed (see :func:`documents`); what stops it from
    being read is a problem on the returned file."""
    loaded = LoadedFile(path)
    try:
        data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1) if path == STDIN else read_bytes(path)
    except OSError as err:
        loaded.problems.append(LoadProblem("unreadable", _why_unreadable(path, err), 1, 1))
        loaded.readable = False
        return loaded
    if len(data) > MAX_FILE_BYTES:
        loaded.problems.append(
            LoadProblem("too-large", f"file larger than {MAX_FILE_BYTES // 2**20} MiB", 1, 1)
        )
        loaded.readable = False
        return loaded
    text, problem = decode(data)
    if problem:
        loaded.problems.append(problem)
        loaded.readable = False
        return loaded
    loaded.text = text
    return loaded


def documents(loaded: LoadedFile, layer: bool = False) -> Iterator[Document | LoadProblem]:
    """The documents of a file read by :func:`read`, parsed one at a time, and the problems
    that stop any of them from being read, in file order; an empty file is a problem too.
    ``layer``: the file is a layer of a release (see
    :func:`~nblint.load.yaml_tree.iter_documents`)."""
    if not loaded.readable:
        return
    if loaded.path.endswith(TERRAFORM_SUFFIXES):
        yield LoadProblem("parse-error", TERRAFORM_FILE, 1, 1, fix_key=TERRAFORM)
        return
    content = False
    problems = False
    # helmfile renders a `*.gotmpl` values file as a Go template before Helm reads it.
    helmfile = loaded.path.endswith(".gotmpl")
    for entry in iter_documents(loaded.text, helmfile=helmfile, layer=layer):
        if isinstance(entry, LoadProblem):
            problems = True
        elif entry.root is not None:
            content = True
        yield entry
    if not content and not problems and not _chart_values(loaded.path):
        what = "empty file" if not loaded.text.strip() else "no YAML content (only comments)"
        yield LoadProblem("empty-file", f"{what}: nothing to check", 1, 1)


def _chart_values(path: str) -> bool:
    """Whether ``path`` is a Helm chart's own ``values.yaml`` (a ``Chart.yaml`` beside it): a
    chart with no defaults leaves it empty, and Helm reads it so (field test 17a D2)."""
    if os.path.basename(path) not in ("values.yaml", "values.yml"):
        return False
    directory = os.path.dirname(path)
    return any(
        os.path.isfile(os.path.join(directory, name)) for name in ("Chart.yaml", "Chart.yml")
    )


def load(path: str) -> LoadedFile:
    """Read and parse one input whole: its documents and problems on the returned file."""
    loaded = read(path)
    for entry in documents(loaded):
        if isinstance(entry, LoadProblem):
            loaded.problems.append(entry)
        else:
            loaded.documents.append(entry)
    return loaded


def read_bytes(path: str) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes of a regular file (never blocks on a FIFO)."""
    status = os.stat(path)
    if stat.S_ISDIR(status.st_mode):
        os.listdir(path)  # an unreadable directory says so here
        raise IsADirectoryError(21, "is a directory", path)
    if not stat.S_ISREG(status.st_mode):
        raise OSError(0, "not a regular file (a device, pipe or socket)", path)
    with open(path, "rb") as handle:
        # Asked for the file's own size (a read of the bound allocates 64 MiB each time); a file
        # that has grown since the stat is read on, up to the bound.
        data = handle.read(min(status.st_size, MAX_FILE_BYTES) + 1)
        if len(data) > status.st_size:
            data += handle.read(MAX_FILE_BYTES + 1 - len(data))
        return data


def _why_unreadable(path: str, err: OSError) -> str:
    if err.errno == errno.ELOOP:
        return "symbolic link loop (the link points back at itself)"
    if err.errno == errno.ENOENT and os.path.islink(path):
        return f"broken symbolic link (points to {os.readlink(path)})"
    if os.path.isdir(path) and not isinstance(err, IsADirectoryError):
        return f"cannot read directory: {err.strerror}"
    return f"cannot read: {err.strerror}"


def encode_like(text: str, head: bytes) -> bytes:
    """``text`` in the encoding :func:`decode` read a file starting with ``head`` in: UTF-16 in
    its byte order, or UTF-8, each with the byte-order mark it had (a fix keeps every byte it
    does not edit, the mark too)."""
    for mark, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(mark):
            return mark + text.encode(codec)
    mark = b"\xef\xbb\xbf" if head.startswith(b"\xef\xbb\xbf") else b""
    return mark + text.encode("utf-8")


#: The problem of a file encrypted with git-crypt (its rule's id too).
GIT_CRYPT = "git-crypt-encrypted"
#: The 10 bytes git-crypt writes at the start of every file it encrypts.
GIT_CRYPT_MAGIC = b"\x00GITCRYPT\x00"


def decode(data: bytes) -> tuple[str, LoadProblem | None]:
    """Text of a YAML file (UTF-8, or UTF-16/32 with a BOM), or why it is not text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            pass
    if data.startswith(GIT_CRYPT_MAGIC):
        return "", LoadProblem(
            GIT_CRYPT,
            "encrypted with git-crypt: nothing of it was read; run `git-crypt unlock` to check it",
            1,
            1,
        )
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        return "", LoadProblem(
            "parse-error", "binary file (contains NUL bytes)", line, 1, fix_key=BINARY_FILE
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        return "", LoadProblem("parse-error", "not UTF-8 text", line, column, fix_key=NOT_UTF8)
