"""A small on-disk cache for what nblint rebuilds from its own data files on every run.

A pre-commit hook starts cold on every commit; parsing ~70 rule files and the image table each
time was most of a single-file run's own work, and validating a team's config file or rules
directory imports jsonschema, which costs more than the whole check. Entries are keyed by the
files they were built from (path, size, mtime) and nblint's version, so an edited file is simply
read (and validated) again; what fails is never cached. Any failure to read or write the cache
costs only the rebuild.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import zlib
from collections.abc import Callable
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


def kind_for(what: str, path: str) -> str:
    """A cache kind of its own for each file or directory (one entry each, kept apart)."""
    return f"{what}-{zlib.crc32(os.path.realpath(path).encode()):08x}"


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
            value: T = pickle.load(handle)
        return value
    except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = build()
    try:
        os.makedirs(folder, exist_ok=True)
        partial = f"{path}.{os.getpid()}.tmp"
        with open(partial, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        for other in os.listdir(folder):  # what older files built
            if other != name and other.startswith(f"{kind}-") and other.endswith(".pickle"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, other))
    except OSError:
        pass  # a read-only home only costs the rebuild
    return value
