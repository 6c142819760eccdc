"""Data tables that rules read, from ``rules/tables/`` and each ``--rules-dir DIR/tables/``.

A table is a YAML file holding one list under a top-level key (``images:`` in
``notebook-images.yaml``). Entries from a team's rules directory come before the shipped ones,
so a team can add or override an image without touching nblint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_search_path: list[Path] = []
_cache: dict[tuple[str, str], list[dict[str, Any]]] = {}


def set_search_path(directories: list[Path]) -> None:
    _search_path[:] = directories
    _cache.clear()


def entries(name: str, key: str) -> list[dict[str, Any]]:
    """Every entry of table ``name`` (file ``<name>.yaml``) under ``key``, team tables first."""
    known = _cache.get((name, key))
    if known is not None:
        return known
    from nblint.cache import cached

    found: list[dict[str, Any]] = []
    for directory in _search_path:
        path = directory / f"{name}.yaml"
        if path.is_file():
            data = cached(f"table-{name}", [path], lambda: _read(path))  # noqa: B023
            found.extend(e for e in data.get(key) or [] if isinstance(e, dict))
    _cache[(name, key)] = found
    return found


def _read(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    return data if isinstance(data, dict) else {}


def problems_in(directory: Path) -> list[str]:
    """What is wrong with a team's tables directory (empty when every table reads)."""
    out = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
            out.append(f"{path}: cannot read table: {err}")
            continue
        if not isinstance(data, dict) or not all(
            isinstance(v, list) and all(isinstance(e, dict) for e in v) for v in data.values()
        ):
            out.append(f"{path}: a table maps a key (e.g. images) to a list of mappings")
    return out
