"""Data tables that rules read, from ``rules/tables/`` and each ``--rules-dir DIR/tables/``.

A table is a YAML file holding one list under a top-level key (``images:`` in
``notebook-images.yaml``). Entries from a team's rules directory come before the shipped ones,
so a team can add or override an image without touching nblint.
"""

from __future__ import annotations

import os

import yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_search_path: list[str] = []
_cache: dict[tuple[str, str], list[dict[str, Any]]] = {}


def set_search_path(directories: list[str]) -> None:
    _search_path[:] = directories
    _cache.clear()


def entries(name: str, key: str) -> list[dict[str, Any]]:
    """Every entry of table ``name`` (file ``<name>.yaml``) under ``key``, team tables first."""
    known = _cache.get((name, key))
    if known is not None:
        return known
    from nblint.model.cache import cached, kind_for

    found: list[dict[str, Any]] = []
    for directory in _search_path:
        path = os.path.join(directory, f"{name}.yaml")
        if os.path.isfile(path):
            # A kind per file: a team's table and the shipped one of the same name (and two
            # installs) keep an entry each rather than replacing each other's.
            kind = kind_for(f"table-{name}", path)
            data = cached(kind, [path], lambda: _read(path))  # noqa: B023
            found.extend(e for e in data.get(key) or [] if isinstance(e, dict))
    _cache[(name, key)] = found
    return found


def _read(path: str) -> dict[str, Any]:
    data = yaml.load(_text(path), Loader=_Loader)
    return data if isinstance(data, dict) else {}


def _text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def problems_in(directory: str) -> list[str]:
    """What is wrong with a team's tables directory (empty when every table reads)."""
    out = []
    names = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    for path in (os.path.join(directory, n) for n in names if n.endswith(".yaml")):
        try:
            data = yaml.load(_text(path), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            out.append(f"{path}: cannot read table: {err}")
            continue
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and all(isinstance(e, dict) for e in v) for v in data.values()
        ):
            out.append(f"{path}: a table maps a key (e.g. images) to a list of mappings")
    return out
