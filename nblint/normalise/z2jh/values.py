"""z2jh values: recognising a values file, layering files into one release, chart defaults.

A Helm release's values are the user's files merged in order (maps merge deeply, lists and
scalars replace, the later file wins), then coalesced over the chart's own ``values.yaml`` (a
user ``null`` deletes the chart's value). :class:`Release` holds that result for one release,
at the z2jh root, and remembers which file and line set each value so that findings point at
the line to edit — or, for a value that only the chart's defaults supply, at the nearest key the
user wrote, naming the default.

The chart facts are bundled under ``schemas/z2jh/<version>/`` (derived from the chart by
``schemas/z2jh/derive.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from nblint.data import data_dir
from nblint.model import Origin, Path, format_path, get_path
from nblint.provenance import tree_position

#: Chart versions whose defaults and schema are bundled, oldest first.
CHART_VERSIONS = ("3.3.8", "4.4.0")
NEWEST_CHART_VERSION = CHART_VERSIONS[-1]

#: Top-level z2jh sections that only a z2jh values file has, with a few keys each that say so.
SIGNATURE_KEYS: dict[str, frozenset[str]] = {
    section: frozenset(keys.split())
    for section, keys in {
        "singleuser": "image profileList storage memory cpu defaultUrl cmd extraEnv cloudMetadata "
        "uid fsGid extraPodConfig serviceAccountName networkPolicy lifecycleHooks initContainers "
        "extraContainers nodeSelector startTimeout",
        "hub": "config extraConfig image db services baseUrl cookieSecret networkPolicy extraEnv "
        "resources nodeSelector loadRoles allowNamedServers",
        "proxy": "secretToken chp traefik https service secretSync",
        "prePuller": "hook continuous extraImages pullProfileListImages",
        "scheduling": "userScheduler userPlaceholder userPods corePods",
        "cull": "enabled timeout every users maxAge",
    }.items()
}
#: Keys under which umbrella charts (basehub, binderhub, daskhub, …) nest the z2jh chart.
SUBCHART_KEY = "jupyterhub"


class ValuesError(ValueError):
    """A z2jh setting nblint cannot work with (an unknown chart version, a bad root)."""


@dataclass
class ValuesProblem:
    """Something wrong with the values themselves, for the normaliser to report as a finding."""

    rule: str
    message: str
    file: str
    line: int
    column: int
    fix: str | None = None
    #: How the value got there when the line does not show it (a chart default).
    note: str = ""


# ---------------------------------------------------------------------------------------------
# Bundled chart facts


@cache
def _read_json(*parts: str) -> Any:
    with open(os.path.join(data_dir("schemas"), "z2jh", *parts), encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _chart_json(version: str, name: str) -> Any:
    # Cached by name, not by file path: finding the data directory is itself a few stats.
    return _read_json(version, name)


def chart_defaults(version: str) -> dict[str, Any]:
    """The chart's own ``values.yaml`` of ``version`` (shared: copy before changing it)."""
    data: dict[str, Any] = _chart_json(version, "values.json")
    return data


def values_schema(version: str) -> dict[str, Any]:
    """The chart's values schema of ``version``, without its prose."""
    data: dict[str, Any] = _chart_json(version, "values.schema.json")
    return data


def kubespawner_major(chart_version: str) -> str:
    """The KubeSpawner major version the chart's hub image ships (3.x: 6, 4.x: 7)."""
    return "6" if chart_version.startswith("3.") else "7"


def kubespawner_traits(chart_version: str) -> frozenset[str]:
    """Every configurable ``KubeSpawner`` trait name of the hub that ``chart_version`` ships."""
    return traits_of_kubespawner(kubespawner_major(chart_version))


@cache
def traits_of_kubespawner(major: str) -> frozenset[str]:
    """Every configurable ``KubeSpawner`` trait name of KubeSpawner ``major`` (``"6"``, ``"7"``)."""
    table = _read_json("kubespawner-traits.json")
    return frozenset(table[major])


def resolve_chart_version(text: str | None) -> str:
    """A bundled chart version from ``--chart-version`` (``4.4.0``, ``4.4``, ``4``, or unset)."""
    if not text:
        return NEWEST_CHART_VERSION
    wanted = text.strip().lstrip("v")
    if wanted in CHART_VERSIONS:
        return wanted
    matching = [v for v in CHART_VERSIONS if v.startswith(wanted + ".")]
    if matching:
        return matching[-1]
    raise ValuesError(
        f"z2jh chart version {text!r} is not bundled (bundled: {', '.join(CHART_VERSIONS)})"
    )


# ---------------------------------------------------------------------------------------------
# Recognition: where z2jh sits in a document


def parse_root(text: str) -> tuple[str, ...]:
    """``--values-root``: ``"basehub.jupyterhub"`` → ``("basehub", "jupyterhub")``; ``.`` = top."""
    text = text.strip()
    if text in ("", "."):
        return ()
    parts = tuple(part for part in text.split("."))
    if any(not part for part in parts):
        raise ValuesError(f"{text!r}: expected dotted keys, e.g. basehub.jupyterhub")
    return parts


def _evidence(node: Any) -> int:
    """How many z2jh sections ``node`` has with keys only z2jh uses (0 = not z2jh)."""
    if not isinstance(node, dict):
        return 0
    score = 0
    for section, signature in SIGNATURE_KEYS.items():
        value = node.get(section)
        if isinstance(value, dict) and any(key in signature for key in value):
            score += 1
    return score


def find_root(document: Any) -> tuple[str, ...] | None:
    """Where z2jh sits in ``document``: ``()``, ``("jupyterhub",)``, ``("binderhub",
    "jupyterhub")``…, or ``None`` when it does not look like z2jh values at all."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return None
    candidates: list[tuple[str, ...]] = [(), (SUBCHART_KEY,)]
    candidates += [
        (str(key), SUBCHART_KEY)
        for key, value in document.items()
        if isinstance(value, dict) and SUBCHART_KEY in value
    ]
    best: tuple[str, ...] | None = None
    best_score = 0
    for candidate in candidates:
        found, node = get_path(document, candidate)
        score = _evidence(node) if found else 0
        if score > best_score:  # ties keep the shallower candidate
            best, best_score = candidate, score
    return best


def root_of(document: Any, values_root: str | None) -> tuple[str, ...] | None:
    """The z2jh root of ``document``: ``values_root`` when given, else detected."""
    if values_root is not None:
        try:
            root = parse_root(values_root)
        except ValuesError:
            return None
        return root if isinstance(get_path(document, root)[1], Mapping) else None
    return find_root(document)


def looks_like_values(document: Any, values_root: str | None) -> bool:
    """Whether ``document`` is z2jh values: at ``values_root`` when given, or detected (a wrong
    ``--values-root`` is then reported on the file rather than skipping it silently)."""
    if values_root is not None and root_of(document, values_root) is not None:
        return True
    return find_root(document) is not None


# ---------------------------------------------------------------------------------------------
# Layering


@dataclass
class _Layer:
    """One values file of a release, in the order Helm layers them."""

    file: str
    #: The whole document, for positions of the root key itself.
    document: Any
    #: The z2jh values this file sets (at the root), or ``{}``.
    values: Mapping[str, Any]


def _is_sops_metadata(key: Any, value: Any) -> bool:
    """The ``sops:`` block that sops adds to an encrypted file (removed on decryption)."""
    return key == "sops" and isinstance(value, dict) and ("mac" in value or "version" in value)


def merge_user_layers(layers: list[_Layer]) -> tuple[dict[str, Any], dict[Path, int]]:
    """The user's files merged as ``helm -f a -f b`` does, and which layer set each path."""
    merged: dict[str, Any] = {}
    owners: dict[Path, int] = {}
    for index, layer in enumerate(layers):
        _merge_into(merged, layer.values, (), index, owners)
    return merged, owners


def _merge_into(
    target: dict[str, Any],
    source: Mapping[str, Any],
    path: Path,
    layer: int,
    owners: dict[Path, int],
) -> None:
    for key, value in source.items():
        if not path and _is_sops_metadata(key, value):
            continue
        here = (*path, key)
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            owners[here] = layer
            _merge_into(target[key], value, here, layer, owners)
            continue
        if isinstance(target.get(key), (dict, list)):
            # The earlier layer's subtree is replaced: it no longer owns anything below.
            for owned in [p for p in owners if p[: len(here)] == here and len(p) > len(here)]:
                del owners[owned]
        target[key] = _owned_copy(value, here, layer, owners)


def _owned_copy(value: Any, path: Path, layer: int, owners: dict[Path, int]) -> Any:
    """A plain copy of ``value``, the subtree at ``path`` of ``layer``, which now owns every path
    in it."""
    owners[path] = layer
    if isinstance(value, dict):
        return {key: _owned_copy(item, (*path, key), layer, owners) for key, item in value.items()}
    if isinstance(value, list):
        return [_owned_copy(item, (*path, i), layer, owners) for i, item in enumerate(value)]
    return value


def coalesce(user: dict[str, Any], chart: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's coalescing of user values over chart defaults: the user wins, a user ``null``
    deletes the chart's key, maps merge (a non-map on either side keeps the user's value).

    A subtree that only the chart supplies is ``chart``'s own object, not a copy: every release
    shares it (see :func:`owned_parent` for changing a release's values in place)."""
    out = dict(user)
    for key, default in chart.items():
        if key not in out:
            out[key] = default
            continue
        mine = out[key]
        if mine is None:
            del out[key]
        elif isinstance(mine, dict) and isinstance(default, dict):
            out[key] = coalesce(mine, default)
    return out


def owned_parent(values: Any, chart: Any, path: Path) -> Any:
    """The container at ``path[:-1]`` in ``values``, safe to change in place.

    Subtrees of ``values`` that only the chart supplies are shared with ``chart`` (and so with
    every other release): each one on the way down is replaced by a shallow copy first.
    """
    node = values
    default = chart
    for part in path[:-1]:
        found, child = get_path(node, (part,))
        if not found:
            return None
        _, default = get_path(default, (part,))
        if child is default and isinstance(child, dict):
            child = node[part] = dict(child)
        elif child is default and isinstance(child, list):
            child = node[part] = list(child)
        node = child
    return node


def _brief(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass
class Release:
    """One Helm release of z2jh: the merged values and where each value came from."""

    chart_version: str
    #: Merged z2jh values at the z2jh root, chart defaults included (plain dicts and lists).
    values: dict[str, Any]
    #: The user's files, in layer order.
    files: list[str]
    #: Where z2jh sits inside the user's files, e.g. ``("basehub", "jupyterhub")``.
    root: tuple[str, ...]
    _layers: list[_Layer] = field(default_factory=list, repr=False)
    _owners: dict[Path, int] = field(default_factory=dict, repr=False)

    def written(self, values_path: Path) -> bool:
        """Whether a user file wrote ``values_path`` itself (a ``null`` that deletes counts)."""
        return values_path in self._owners

    def written_paths(self) -> list[Path]:
        """Every values path a user file wrote, in order (the chart's defaults left out).

        Every path above a written one is written too: merging owns each map it merges into.
        """
        return list(self._owners)

    def user_values(self) -> list[Mapping[str, Any]]:
        """The values each user file sets (at the z2jh root), in layer order, as written."""
        return [layer.values for layer in self._layers]

    def is_default(self, values_path: Path) -> bool:
        """Whether ``values_path`` holds a value that only the chart's defaults supply."""
        return values_path not in self._owners and get_path(self.values, values_path)[0]

    def locate(self, values_path: Path) -> Origin:
        """The file and line that set ``values_path`` (the last layer that set it).

        For a value that comes from the chart defaults, the nearest key the user wrote above it
        (or the z2jh root of the first file), with a note naming the default. For a path that
        does not exist at all, the nearest key the user wrote above it: where to add it.
        """
        if values_path in self._owners:
            return self._position(self._owners[values_path], values_path)
        origin = self._position(0, ())
        for length in range(len(values_path) - 1, 0, -1):
            layer = self._owners.get(values_path[:length])
            if layer is not None:
                origin = self._position(layer, values_path[:length])
                break
        found, value = get_path(self.values, values_path)
        if not found or not values_path:
            return origin
        note = (
            f"chart default `{format_path(values_path)}: {_brief(value)}` "
            f"of z2jh {self.chart_version}"
        )
        if self.root:
            # z2jh is a subchart here: what nblint knows is z2jh's default, not the parent's.
            parent = format_path(self.root[:-1]) or "the parent chart"
            note += f" (unless {parent}'s own values.yaml, which nblint cannot see, overrides it)"
        return Origin(origin.file, origin.line, origin.column, note)

    def _position(self, layer_index: int, values_path: Path) -> Origin:
        if not self._layers:
            return Origin("", 1, 1)
        layer = self._layers[layer_index]
        line, column = tree_position(layer.document, (*self.root, *values_path))
        return Origin(layer.file, line, column)


def build_release(
    files: list[tuple[str, Any]], root: tuple[str, ...], chart_version: str
) -> tuple[Release, list[ValuesProblem]]:
    """Layer ``files`` (``(path, document)`` in ``-f`` order) over the chart defaults."""
    problems: list[ValuesProblem] = []
    layers: list[_Layer] = []
    for path, document in files:
        found, values = get_path(document, root)
        where = format_path(root) or "the top level"
        if not found:
            line, column = tree_position(document, root)
            problems.append(
                ValuesProblem(
                    "z2jh-values-root",
                    f"no z2jh values at `{where}` in this file; it adds nothing to the release",
                    path,
                    line,
                    column,
                )
            )
            values = {}
        elif values is None:
            values = {}
        elif not isinstance(values, dict):
            line, column = tree_position(document, root)
            problems.append(
                ValuesProblem(
                    "z2jh-wrong-type",
                    f"z2jh values at `{where}` must be a mapping, not {type(values).__name__}; "
                    "helm would refuse the release",
                    path,
                    line,
                    column,
                )
            )
            values = {}
        layers.append(_Layer(path, document, values))
    user, owners = merge_user_layers(layers)
    merged = coalesce(user, chart_defaults(chart_version))
    release = Release(chart_version, merged, [f for f, _ in files], root, layers, owners)
    return release, problems
