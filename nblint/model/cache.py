"""A small on-disk cache for what nblint rebuilds from its own data files on every run.

A pre-commit hook starts cold on every commit; parsing ~70 rule files and the image table each
time was most of a single-file run's own work (so is reading and validating a team's rules
directory). Entries are keyed by the files they were built from (path, size, mtime) and nblint's
version, so an edited file is simply read (and validated) again; what fails is never cached. Any
failure to read or write the cache costs only the rebuild.
"""

from __future__ import annotations

import os
import zlib

# The C unpickler itself (what ``pickle.load`` is): importing ``pickle`` builds its Python
# pickler too, ~5 M instructions a cold run never uses. Writing imports ``pickle``.
from _pickle import PickleError
from _pickle import load as _unpickle
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")


def cache_dir() -> str:
    """``$NBLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/nblint``, else ``~/.cache/nblint``."""
    explicit = os.environ.get("NBLINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nblint")


def _key(kind: str, sources: list[str]) -> str:
    from nblint import __version__

    stamps: list[Any] = [kind, __version__]
    for path in sources:
        stat = os.stat(path)
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    text = repr(stamps).encode()
    return f"{kind}-{zlib.crc32(text):08x}{zlib.adler32(text):08x}"


#: Entries kept per family of :func:`kind_for` kinds (one per config file, say): the newest.
KEEP_PER_FAMILY = 32


def kind_for(what: str, path: str) -> str:
    """A kind of its own for each file or directory of family ``what`` (``config@1a2b…``)."""
    return f"{what}@{zlib.crc32(os.path.realpath(path).encode()):08x}"


def cached(kind: str, sources: list[str], build: Callable[[], T]) -> T:
    """``build()``, or what it returned last time ``sources`` were exactly as they are now."""
    try:
        name = f"{_key(kind, sources)}.pickle"
    except OSError:
        return build()
    folder = cache_dir()
    path = os.path.join(folder, name)
    try:
        with open(path, "rb") as handle:
            value: T = _unpickle(handle)
        return value
    except (OSError, PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    import pickle

    try:
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        _remove_stale(folder, kind, name)
    except OSError:
        pass  # a read-only home only costs the rebuild
    return value


def _remove_stale(folder: str, kind: str, kept: str) -> None:
    """Drop what older files built for ``kind``, and the oldest kinds of its family past
    :data:`KEEP_PER_FAMILY` (a config file that is gone never asks for its entry again)."""
    import contextlib  # like pickle, only writing needs it

    family = f"{kind.split('@', 1)[0]}@" if "@" in kind else None
    same_family: list[tuple[float, str]] = []
    for other in os.listdir(folder):
        if other == kept or not other.endswith(".pickle"):
            continue
        full = os.path.join(folder, other)
        # (``family-…``: what an older nblint built for the whole family under one kind.)
        if other.startswith(f"{kind}-") or (family and other.startswith(f"{family[:-1]}-")):
            with contextlib.suppress(FileNotFoundError):
                os.remove(full)
        elif family and other.startswith(family):
            with contextlib.suppress(FileNotFoundError):
                same_family.append((os.stat(full).st_mtime, full))
    same_family.sort(reverse=True)
    for _, full in same_family[KEEP_PER_FAMILY - 1 :]:
        with contextlib.suppress(FileNotFoundError):
            os.remove(full)
