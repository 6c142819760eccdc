"""z2jh values: recognising a values file, layering files into one release, chart defaults.

A Helm release's values are the user's files merged in order (maps merge deeply, lists and
scalars replace, the later file wins), then coalesced over the chart's own ``values.yaml`` (a
user ``null`` deletes the chart's value). :class:`Release` holds that result for one release,
at the z2jh root, and remembers which file and line set each value so that findings point at
the line to edit — or, for a value that only the chart's defaults supply, at the nearest key the
user wrote, naming the default.

The chart facts of every 3.x and 4.x release are bundled under ``schemas/z2jh/`` (derived from
the charts by ``schemas/z2jh/derive.py``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

from nblint.dialects.z2jh.extra_config import CodeLine, ExtraConfig
from nblint.dialects.z2jh.extra_config import read as read_extra_config
from nblint.dialects.z2jh.root import ValuesError
from nblint.dialects.z2jh.umbrella import CHARTPRESS_FILE
from nblint.dialects.z2jh.wrappers import Wrapper, wrapper_of
from nblint.load.provenance import tree_position
from nblint.model.data import data_dir
from nblint.model.document import Neighbour
from nblint.model.finding import Reported, clipped
from nblint.model.keys import json_key
from nblint.model.pod import Origin, Path, format_path, get_path, quoted_place
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable

#: The fix key of hints for a release on OpenShift (see :attr:`Release.fix_keys`).
OPENSHIFT_HINTS = "z2jh-openshift"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: How reports name a release's values (every finding on them is about the release as a whole).
VALUES_OBJECT = "values"

# ---------------------------------------------------------------------------------------------
# Bundled chart facts: the newest release in full, every other as changes to it (see derive.py).
# Only the release a run asks for is built, and its unchanged sections are the newest release's
# own objects: shared, never copied (copy a section before changing it: `owned_parent`).


@cache
def _read_json(name: str) -> Any:
    with open(os.path.join(data_dir("schemas"), "z2jh", name), encoding="utf-8") as handle:
        return json.load(handle)


def _index() -> dict[str, Any]:
    index: dict[str, Any] = _read_json("releases.json")
    return index


def chart_versions() -> tuple[str, ...]:
    """Every chart version whose facts are bundled, oldest first."""
    return tuple(_index()["releases"])


def newest_chart_version() -> str:
    newest: str = _index()["newest"]
    return newest


def hub_image(chart_version: str) -> dict[str, str]:
    """The exact ``jupyterhub`` and ``kubespawner`` versions the release's hub image pins."""
    entry: dict[str, str] = _index()["releases"][chart_version]
    return entry


@cache
def chart_defaults(version: str) -> dict[str, Any]:
    """The chart's own ``values.yaml`` of ``version`` (shared: copy before changing it)."""
    entry = hub_image(version)
    values: dict[str, Any] = _patched(_read_json("values.json"), "values", entry.get("values"))
    # What a published chart carries where git reads `set-by-chartpress`: its own version.
    tagged = entry.get("chart_tagged", _index()["chart_tagged"])
    return _patched(values, "", None, [[path, version] for path in tagged])


@cache
def values_schema(version: str) -> dict[str, Any]:
    """The chart's values schema of ``version``, without its prose."""
    entry = hub_image(version)
    base = _read_json("values.schema.json")
    schema: dict[str, Any] = _patched(base, "schema", entry.get("schema"))
    return schema


def _patched(
    base: Any, kind: str, patch_id: str | None, changes: list[list[Any]] | None = None
) -> Any:
    """``base`` with a release's changes: each container on a changed path is copied once, the
    rest is ``base``'s own."""
    if changes is None:
        if patch_id is None:
            return base
        changes = _read_json("patches.json")[kind][patch_id]
    root = _shallow(base)
    copied = {id(root)}
    for change in changes:
        path, rest = change[0], change[1:]
        node = root
        for part in path[:-1]:
            child = node[part]
            if id(child) not in copied:
                child = node[part] = _shallow(child)
                copied.add(id(child))
            node = child
        if rest:
            node[path[-1]] = rest[0]
        else:
            del node[path[-1]]
    return root


def _shallow(container: Any) -> Any:
    return dict(container) if isinstance(container, dict) else list(container)


def kubespawner_version(chart_version: str) -> str:
    """The KubeSpawner version the chart's hub image pins (3.0.x: 6.0.0 … 4.x: 7.0.0)."""
    return hub_image(chart_version)["kubespawner"]


@cache
def kubespawner_traits(chart_version: str) -> frozenset[str]:
    """Every configurable ``KubeSpawner`` trait name of the hub that ``chart_version`` ships:
    its KubeSpawner's, less the ``Spawner`` traits its JupyterHub does not have yet."""
    absent = _spawner_facts(chart_version).get("absent", ())
    return traits_of_kubespawner(kubespawner_version(chart_version)) - set(absent)


@cache
def unconfigurable_traits(chart_version: str) -> frozenset[str]:
    """The ``KubeSpawner`` traits of ``chart_version``'s hub that are not configurable
    (``Spawner.env``, ``user_options``…): the hub's configuration never sets them, but a
    profile's ``kubespawner_override`` does (``_apply_overrides`` sets any attribute)."""
    return frozenset(_spawner_facts(chart_version).get("other", ()))


@cache
def null_refused_traits(chart_version: str) -> frozenset[str]:
    """The configurable ``KubeSpawner`` traits of ``chart_version``'s hub whose traitlets type
    does not allow None (``image``, ``start_timeout``…; derived with ``allow_none`` from the
    packages): a null set there, by the hub's section or an override, is refused."""
    return frozenset(_spawner_facts(chart_version).get("null_refused", ()))


def deprecated_unconfigurable_traits() -> dict[str, str]:
    """Of :func:`unconfigurable_traits`, the deprecated ones → the trait that replaces them
    (``env`` → ``environment``: JupyterHub's ``get_env`` still merges ``env``, warning)."""
    deprecated: dict[str, str] = _spawner_table()["deprecated"]
    return deprecated


def _spawner_facts(chart_version: str) -> dict[str, list[str]]:
    """``spawner-traits.json``'s entry for the JupyterHub and KubeSpawner that
    ``chart_version``'s hub image pins (derived from both by ``derive.py --spawner``)."""
    image = hub_image(chart_version)
    pairs: dict[str, dict[str, list[str]]] = _spawner_table()["pairs"]
    return pairs.get(f"{image['jupyterhub']} {image['kubespawner']}", {})


@cache
def _spawner_table() -> dict[str, Any]:
    table: dict[str, Any] = _read_json("spawner-traits.json")
    return table


@cache
def traits_of_kubespawner(version: str) -> frozenset[str]:
    """Every configurable ``KubeSpawner`` trait name of KubeSpawner ``version`` (``"6.2.0"``)."""
    table = _read_json("kubespawner.json")
    newest = frozenset(table[table["newest"]]["traits"])
    if version == table["newest"]:
        return newest
    entry = table[version]
    return (newest - set(entry["remove"])) | set(entry["add"])


@cache
def hub_classes(chart_version: str) -> dict[str, dict[str, Any]]:
    """The configurable classes of ``chart_version``'s hub image that a ``hub.config`` section
    may name — ``JupyterHub`` and every authenticator its packages ship — each as
    ``{"traits": frozenset of trait names, "bases": [known base class names]}`` (derived from the
    installed packages by ``schemas/z2jh/derive.py --hub``)."""
    table = _read_json("hub-traits.json")
    newest = table[table["newest"]]["classes"]
    shared = table["releases"].get(chart_version)
    entry = table[shared] if shared is not None else None
    classes: dict[str, dict[str, Any]] = {}
    for name, cls in newest.items():
        if entry is not None and name in entry["absent"]:
            continue
        traits = set(cls["traits"])
        bases = cls["bases"]
        change = entry["classes"].get(name) if entry is not None else None
        if change is not None and "traits" in change:
            traits, bases = set(change["traits"]), change["bases"]
        elif change is not None:
            traits = (traits - set(change["remove"])) | set(change["add"])
        classes[name] = {"traits": frozenset(traits), "bases": bases}
    for name, change in (entry["classes"] if entry is not None else {}).items():
        if name not in classes and "traits" in change:
            classes[name] = {"traits": frozenset(change["traits"]), "bases": change["bases"]}
    return classes


@cache
def hub_authenticator_names(chart_version: str) -> dict[str, str]:
    """The names ``JupyterHub.authenticator_class`` takes in ``chart_version``'s hub image
    (its ``jupyterhub.authenticators`` entry points, ``default`` included) → ``module:Class``."""
    table = _read_json("hub-traits.json")
    shared = table["releases"].get(chart_version)
    names: dict[str, str] = table[shared if shared is not None else table["newest"]][
        "authenticator_names"
    ]
    return names


@cache
def deprecated_aliases(version: str) -> dict[str, str]:
    """KubeSpawner ``version``'s deprecated names, old → new, in the order KubeSpawner goes
    through them (its ``_deprecated_traits``; a new name may itself be an old one)."""
    table = _read_json("kubespawner.json")
    entry = table[version] if version in table else table[table["newest"]]
    aliases: dict[str, str] = entry.get("deprecated") or table[table["newest"]]["deprecated"]
    return aliases


@cache
def defaults_of_kubespawner(version: str) -> dict[str, Any]:
    """KubeSpawner ``version``'s own defaults of the traits nblint reads (shared: copy first)."""
    table = _read_json("kubespawner.json")
    defaults = dict(table[table["newest"]]["defaults"])
    if version != table["newest"]:
        defaults.update(table[version]["defaults"])
    return defaults


def resolve_chart_version(text: str | None) -> str:
    """A bundled chart version from ``--chart-version`` (``4.4.0``, ``4.4``, ``4``, or unset:
    the newest). ``4.3`` is the newest 4.3 release."""
    versions = chart_versions()
    if not text:
        return newest_chart_version()
    wanted = text.strip().lstrip("v")
    if wanted in versions:
        return wanted
    matching = [v for v in versions if v.startswith(wanted + ".")]
    if matching:
        return matching[-1]
    raise ValuesError(
        f"z2jh chart version {text!r} is not one nblint knows "
        f"(it knows {versions[0]} … {versions[-1]}: {', '.join(versions)})"
    )


# ---------------------------------------------------------------------------------------------
# Layering


class _Layer(Record):
    """One values file of a release, in the order Helm layers them."""

    __slots__ = (
        "document",
        "dotted",
        "file",
        "index",
        "read_only",
        "root",
        "shown_under",
        "values",
    )

    def __init__(
        self,
        file: str,
        document: Any,
        values: Mapping[str, Any],
        index: int = 0,
        root: Path = (),
        shown_under: Path = (),
        read_only: str | None = None,
    ) -> None:
        self.file = file
        #: The whole document, for positions of the root key itself.
        self.document = document
        #: The z2jh values this file sets (at the root), or ``{}``.
        self.values = values
        #: The document's position in its file (fix edits name it).
        self.index = index
        #: Where the values sit in :attr:`document`: the release's root, or a GitOps object's
        #: (``spec.values``) when one is a layer of a ``-f`` release.
        self.root = root
        #: The keys a fix hint for this layer is shown nested under (``spec.values``), so that it
        #: pastes where it goes.
        self.shown_under = shown_under
        #: Why fixes in this layer are shown and never applied (values in a string).
        self.read_only = read_only
        #: One value set by its dotted name (a helmfile ``set`` entry): no key is added there.
        self.dotted = False


def is_sops_metadata(key: Any, value: Any) -> bool:
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
        if not path and is_sops_metadata(key, value):
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
    # Leaves are most of a tree: each is owned here, without a call of its own.
    if isinstance(value, dict):
        mapping: dict[Any, Any] = {}
        for key, item in value.items():
            here = (*path, key)
            if isinstance(item, (dict, list)):
                mapping[key] = _owned_copy(item, here, layer, owners)
            else:
                owners[here] = layer
                mapping[key] = item
        return mapping
    if isinstance(value, list):
        items: list[Any] = []
        for index, item in enumerate(value):
            here = (*path, index)
            if isinstance(item, (dict, list)):
                items.append(_owned_copy(item, here, layer, owners))
            else:
                owners[here] = layer
                items.append(item)
        return items
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


def _assume_parent_defaults(user: dict[str, Any], chart: Any) -> dict[str, Any]:
    """The user's values without the nulls for keys z2jh's own defaults lack.

    Helm keeps such a null (it deletes only a key some chart's values define), and KubeSpawner
    trips over it. But where z2jh is a subchart, the parent chart's own values.yaml, which nblint
    cannot see, usually defines the key the null deletes (basehub's default volume mounts): so
    nblint assumes it does."""
    out: dict[str, Any] = {}
    for key, value in user.items():
        default = chart.get(key) if isinstance(chart, dict) else None
        has_default = isinstance(chart, dict) and key in chart
        if value is None and not has_default:
            continue
        out[key] = _assume_parent_defaults(value, default) if isinstance(value, dict) else value
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


class Release(Record):
    """One Helm release of z2jh: the merged values and where each value came from."""

    __slots__ = (
        "_extra_config",
        "_layers",
        "_located",
        "_owners",
        "chart_version",
        "chartpress",
        "defaults",
        "files",
        "fix_memo",
        "namespace",
        "older_pin",
        "openshift",
        "placeholders",
        "root",
        "unread",
        "unseen",
        "values",
        "version_known",
        "wrapper",
    )

    def __init__(
        self,
        chart_version: str,
        values: dict[str, Any],
        files: list[str],
        root: Path,
        _layers: list[_Layer] | None = None,
        _owners: dict[Path, int] | None = None,
        fix_memo: dict[Any, Any] | None = None,
        _located: dict[Path, Origin] | None = None,
        _extra_config: ExtraConfig | None = None,
        unseen: str | None = None,
        placeholders: str | None = None,
        wrapper: Wrapper | None = None,
        defaults: dict[str, Any] | None = None,
        version_known: bool = False,
    ) -> None:
        self.chart_version = chart_version
        #: Whether the inputs (or --chart-version) say which release this is, or at least that
        #: it is no older than :attr:`chart_version` (a range's newest match): otherwise
        #: :attr:`chart_version` is only the newest release nblint knows, and the release may be
        #: any (a pre-4.3 one refuses map-form volumes: :attr:`fix_keys`).
        self.version_known = version_known
        #: Merged z2jh values at the z2jh root, chart defaults included (plain dicts and lists).
        self.values = values
        #: The user's files, in layer order.
        self.files = files
        #: Where z2jh sits inside the user's files, e.g. ``("basehub", "jupyterhub")``.
        self.root = root
        self._layers: list[_Layer] = [] if _layers is None else _layers
        self._owners: dict[Path, int] = {} if _owners is None else _owners
        #: What placing fixes works out once per release (the traits a hint sets, by hint).
        self.fix_memo: dict[Any, Any] = {} if fix_memo is None else fix_memo
        #: What :meth:`locate` found, by values path: every profile's pod asks again.
        self._located: dict[Path, Origin] = {} if _located is None else _located
        self._extra_config = _extra_config
        #: What may override a chart default that nblint cannot see, said in the note of a
        #: finding on one (``the parent chart's own values.yaml, which nblint cannot see,``).
        self.unseen = unseen
        #: Who fills in the ``{{ … }}`` of these values before Helm sees them, when someone does
        #: (``the ApplicationSet's generators``): unknown values, said once, never a problem.
        self.placeholders = placeholders
        #: The namespace the release installs into, when a GitOps object of the inputs says it
        #: (the chart's hub spawns user pods there); None: ``--namespace``, or unknown.
        self.namespace: str | None = None
        #: The values layers of the release that nblint did not read (a GitOps object's
        #: ``valuesFrom``, a helmfile values template, Fleet's ``targetCustomizations``), named;
        #: None: it read them all. They may set what a fix's safety rests on (a root user).
        self.unread: str | None = None
        #: ``assumed: OpenShift, from …`` when the release is deployed on OpenShift, whose
        #: restricted-v2 SCC assigns the ids its values null (:mod:`.platform`); None: not known.
        self.openshift: str | None = None
        #: Whether the inputs pin a release older than any nblint knows (said as
        #: ``z2jh-unknown-chart-version``): linted as :attr:`chart_version`, but its values schema
        #: is not theirs, so what that schema refuses is not reported (Helm checks theirs).
        self.older_pin = False
        #: The ``chartpress.yaml`` of the chart these values are the ``values.yaml`` of, as
        #: ``(file, document)``, when there is one: chartpress fills in the images it names.
        self.chartpress: tuple[str, Any] | None = None
        #: The chart that installs z2jh as its subchart (binderhub), whose own values for it lie
        #: between z2jh's defaults and the user's, when nblint knows them.
        self.wrapper = wrapper
        #: What the user's values were coalesced over: z2jh's defaults, under the wrapper's values
        #: (shared: copy a section before changing it, see :func:`owned_parent`).
        self.defaults = chart_defaults(chart_version) if defaults is None else defaults

    @property
    def extra_config(self) -> ExtraConfig:
        """What ``hub.extraConfig`` sets that nblint can read without running it."""
        if self._extra_config is None:
            self._extra_config = read_extra_config(get_path(self.values, ("hub", "extraConfig"))[1])
        return self._extra_config

    @property
    def fix_keys(self) -> tuple[str, ...]:
        """Fix-hint keys for this release's chart: ``z2jh<4.3`` first where it may apply.

        The ``z2jh<4.3`` hints write ``singleuser.storage.extraVolumes``/``extraVolumeMounts``
        as lists, which every release takes; 4.3+ also takes maps, which an older release's
        schema refuses (``type: array``): the list form unless the release is known to be 4.3+,
        or the user's own values already write one of those keys as a map (a release that took
        them is 4.3+)."""
        # On OpenShift a hint never sets a uid restricted-v2 would refuse: its own hints first.
        first = (OPENSHIFT_HINTS,) if self.openshift is not None else ()
        if not _before(self.chart_version, (4, 3)) and (self.version_known or self._maps_written()):
            return (*first, "z2jh")
        return (*first, "z2jh<4.3", "z2jh")

    def _maps_written(self) -> bool:
        """Whether a user file writes ``singleuser.storage.extraVolumes`` or
        ``extraVolumeMounts`` as a map."""
        return any(
            isinstance(get_path(layer.values, ("singleuser", "storage", key))[1], dict)
            for layer in self._layers
            for key in ("extraVolumes", "extraVolumeMounts")
        )

    def written(self, values_path: Path) -> bool:
        """Whether a user file wrote ``values_path`` itself (a ``null`` that deletes counts)."""
        return values_path in self._owners

    def written_paths(self) -> list[Path]:
        """Every values path a user file wrote, in order (the chart's defaults left out).

        Every path above a written one is written too: merging owns each map it merges into.
        """
        return list(self._owners)

    def sops_files(self) -> set[str]:
        """The user's files that sops encrypted, in whole or in part (the loader names their
        encrypted keys, rule ``sops-partly-encrypted``, or says the file, ``sops-encrypted``)."""
        return {
            layer.file
            for layer in self._layers
            if isinstance(layer.document, dict)
            and is_sops_metadata("sops", layer.document.get("sops"))
        }

    def null_comment(self, values_path: Path) -> tuple[str, str] | None:
        """``(file, comment)``: the comment on the line where the last user file that writes
        ``values_path`` writes it ``null`` (``uid: # let openshift set the value``), if any."""
        parent_path, key = values_path[:-1], values_path[-1]
        for layer in reversed(self._layers):
            found, parent = get_path(layer.values, parent_path)
            if not found or not isinstance(parent, dict) or key not in parent:
                continue
            if parent[key] is not None:
                return None
            comments = getattr(parent, "null_comments", None)
            comment = comments.get(key) if comments else None
            return (layer.file, comment) if comment else None
        return None

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
        found = self._located.get(values_path)
        if found is None:
            found = self._located[values_path] = self._locate(values_path)
        return found

    def changed(self) -> None:
        """Say that :attr:`values` changed (a rejected value was taken out): the notes of
        :meth:`locate`, which quote values, are worked out again."""
        self._located.clear()

    def _locate(self, values_path: Path) -> Origin:
        if values_path and isinstance(values_path[-1], CodeLine):
            return self._code_line(values_path[:-1], values_path[-1])
        for index, part in enumerate(values_path):
            if isinstance(part, CodeLine):
                # Inside the value a statement assigns (a profile of `c.KubeSpawner.profile_list
                # = [...]`): the statement's line, which is what to edit.
                return self._locate(values_path[: index + 1])
        if values_path in self._owners:
            return self._with_deleting_null(
                self._position(self._owners[values_path], values_path), values_path
            )
        origin = self._position(0, ())
        for length in range(len(values_path) - 1, 0, -1):
            layer = self._owners.get(values_path[:length])
            if layer is not None:
                layer = self._writable_owner(layer, values_path[:length])
                origin = self._position(layer, values_path[:length])
                break
        found, value = get_path(self.values, values_path)
        if not found or not values_path:
            return self._with_deleting_null(origin, values_path)
        if self.wrapper is not None and get_path(self.wrapper.values, values_path)[0]:
            note = (
                f"{self.wrapper.chart} chart default `{format_path(values_path)}: "
                f"{_brief(value)}`, from {self.wrapper.describe()}"
            )
        else:
            note = (
                f"chart default `{format_path(values_path)}: {_brief(value)}` "
                f"of z2jh {self.chart_version}"
            )
        if self.older_pin:
            note += OLDER_PIN_DEFAULT
        return Origin(origin.file, origin.line, origin.column, note + self.unless_unseen())

    def unless_unseen(self) -> str:
        """What the note of a finding on a chart default adds when values nblint cannot see may
        override it: z2jh is a subchart (what nblint knows is z2jh's default, not the parent's),
        or the release layers values nblint did not read (a helmfile values template, a
        ``valuesFrom`` not given, Fleet's ``targetCustomizations``). Empty otherwise."""
        return f" (unless {self.unseen} overrides it)" if self.unseen else ""

    @property
    def layered(self) -> bool:
        """Whether the release has more than one user file (``-f`` layers): only then can one
        file's key delete or replace another's."""
        return len(self._layers) > 1

    def deleted_by_null(self, values_path: Path) -> tuple[Path, int, list[str]] | None:
        """``(null, layer, files)`` when the last layer that writes ``values_path`` or a key
        above it writes ``null`` there (``pvcName:`` left empty) and so deletes what the earlier
        ``files`` set at ``values_path``; else None."""
        if len(self._layers) < 2:
            return None  # (one file: nothing of an earlier one to delete)
        for length in range(len(values_path), 0, -1):
            prefix = values_path[:length]
            owner = self._owners.get(prefix)
            if owner is None:
                continue
            found, value = get_path(self._layers[owner].values, prefix)
            if not found or value is not None:
                return None
            files = [
                layer.file
                for layer in self._layers[:owner]
                if get_path(layer.values, values_path)[1] is not None
            ]
            return (prefix, owner, files) if files else None
        return None

    def _with_deleting_null(self, origin: Origin, values_path: Path) -> Origin:
        """``origin`` with a note naming the later layer's ``null`` that deletes what an earlier
        layer set at ``values_path`` (the finding is there: it is what to edit)."""
        deleted = self.deleted_by_null(values_path)
        if deleted is None:
            return origin
        null, owner, files = deleted
        value = None
        for layer in self._layers[:owner]:
            written = get_path(layer.values, values_path)[1]
            if written is not None:
                value = written  # (the last earlier layer's, which the null deletes)
        # (``origin`` is the null's line: the last layer that writes the path or above it.)
        return Origin(
            origin.file, origin.line, origin.column, null_note(null, values_path, value, files)
        )

    def _code_line(self, snippet: Path, line: int) -> Origin:
        """Line ``line`` of the ``hub.extraConfig`` snippet at ``snippet``: in a literal block
        (``name: |``) the file's own line, else the snippet's key."""
        origin = self._locate(snippet)
        layer = self._owners.get(snippet)
        if layer is None:
            return origin
        found = self._layers[layer]
        _, parent = get_path(found.document, (*found.root, *snippet[:-1]))
        starts = getattr(parent, "block_start", None)
        if not starts or snippet[-1] not in starts:
            return origin
        start_line, column = starts[snippet[-1]]
        return Origin(origin.file, start_line + line - 1, column)

    def layer_for(self, values_path: Path) -> tuple[str, int] | None:
        """``(file, document)`` of the layer a fix of ``values_path`` goes into (see
        :meth:`placing`)."""
        layer = self.placing(values_path)
        return None if layer is None else (layer.file, layer.index)

    def placing(self, values_path: Path) -> _Layer | None:
        """The layer a fix of ``values_path`` goes into: the layer that set it (or the nearest
        key above it), else the last layer, which wins in Helm's merge."""
        if not self._layers:
            return None
        for length in range(len(values_path), 0, -1):
            owner = self._owners.get(values_path[:length])
            if owner is not None:
                # A key below a list item lives in the layer that wrote the list.
                if length < len(values_path) and not isinstance(values_path[length], int):
                    owner = self._writable_owner(owner, values_path[:length])
                return self._layers[owner]
        last = len(self._layers) - 1
        keyed = [i for i, layer in enumerate(self._layers) if not layer.dotted]
        return self._layers[keyed[-1] if keyed else last]

    def replaced_later(self, layer: _Layer, paths: Iterable[Path]) -> _Layer | None:
        """The last layer after ``layer`` that writes one of ``paths`` (or a key above one) as
        something other than a mapping (``hub.config:`` left empty, a scalar, a list), if any:
        Helm's merge then throws away what ``layer`` writes there, so a fix of those paths goes
        into that later layer (where a null is in the way, it says why it is not applied)."""
        start = next((i for i, each in enumerate(self._layers) if each is layer), None)
        if start is None:
            return None
        found = start
        for path in paths:
            for length in range(1, len(path) + 1):
                owner = self._owners.get(path[:length])
                if owner is None:
                    break
                if owner > found and not isinstance(
                    get_path(self._layers[owner].values, path[:length])[1], dict
                ):
                    found = owner
        return self._layers[found] if found != start else None

    def beneath(self, layer: _Layer, values_path: Path) -> Any:
        """What the layers before ``layer`` and the chart's defaults put at ``values_path``
        (None if nothing): what a ``null`` that ``layer`` writes there deletes."""
        index = next((i for i, each in enumerate(self._layers) if each is layer), 0)
        user, _ = merge_user_layers(self._layers[:index])
        return get_path(coalesce(user, self.defaults), values_path)[1]

    def from_earlier_layers(self, layer: _Layer, values_path: Path) -> list[str]:
        """The files before ``layer`` that write ``values_path``."""
        files: list[str] = []
        for each in self._layers:
            if each is layer:
                break
            if get_path(each.values, values_path)[0] and each.file not in files:
                files.append(each.file)
        return files

    def deleting_null(self, values_path: Path) -> Path | None:
        """The key at or above ``values_path`` whose value a user file wrote as ``null`` over a
        chart default (Helm deletes the default: ``hub.config:`` left empty), if any."""
        for length in range(1, len(values_path) + 1):
            prefix = values_path[:length]
            owner = self._owners.get(prefix)
            if owner is None:
                return None
            found, value = get_path(self._layers[owner].values, prefix)
            if found and value is None:
                return prefix if get_path(self.defaults, prefix)[0] else None
        return None

    def show(self, shown_under: Path, read_only: str | None) -> None:
        """Show every layer's hints nested under ``shown_under`` (or, with ``read_only``, never
        apply them): a GitOps object's values (:class:`_Layer`)."""
        for layer in self._layers:
            layer.shown_under, layer.read_only = shown_under, read_only

    def _writable_owner(self, layer: int, above: Path) -> int:
        """Where to add a key under the map ``above``: the last layer that writes it and may hold
        more keys there (a helmfile release's inline values), rather than a later value set by
        its dotted name (a ``set`` entry); ``layer`` when there is none."""
        if not self._layers[layer].dotted:
            return layer
        for index in range(layer - 1, -1, -1):
            candidate = self._layers[index]
            if not candidate.dotted and get_path(candidate.values, above)[0]:
                return index
        return layer

    def _position(self, layer_index: int, values_path: Path) -> Origin:
        if not self._layers:
            return Origin("", 1, 1)
        layer = self._layers[layer_index]
        line, column = tree_position(layer.document, (*layer.root, *values_path))
        return Origin(layer.file, line, column)


def null_note(null: Path, values_path: Path, value: Any, files: Sequence[str]) -> str:
    """What a later layer's ``null`` at ``null`` deletes: ``value`` at ``values_path`` of the
    earlier ``files`` (Helm merges the files: the later null wins and deletes it)."""
    names = ", ".join(f.replace("\\", "/").rsplit("/", 1)[-1] for f in files)
    which = "the null" if null == values_path else f"the null `{format_path(null)}`"
    return f"{which} here deletes `{format_path(values_path)}: {_brief(value)}` of {names}"


def volume_null_note(null: Path, key: Path, name: str, files: Sequence[str]) -> str:
    """What a later layer's ``null`` at ``null`` deletes: volume ``name`` that the earlier
    ``files`` write under ``key``."""
    names = ", ".join(f.replace("\\", "/").rsplit("/", 1)[-1] for f in files)
    which = "the null" if null == key else f"the null `{format_path(null)}`"
    return f"{which} here deletes the volume `{name}` of `{format_path(key)}` in {names}"


def _chart_values_layered(files: list[tuple[str, Any]], neighbours: Sequence[Neighbour]) -> bool:
    """Whether one of the layers is the ``values.yaml`` of the umbrella chart beside them (the
    chart file nblint read the pin from): the parent's own values are then seen, not unseen."""
    charts = {
        os.path.normpath(os.path.dirname(os.path.abspath(n.file)))
        for n in neighbours
        if n.name in ("Chart.yaml", "requirements.yaml") and n.root is not None
    }
    return any(
        os.path.basename(path) == "values.yaml"
        and os.path.normpath(os.path.dirname(os.path.abspath(path))) in charts
        for path, _ in files
    )


def _before(version: str, limit: tuple[int, int]) -> bool:
    parts = version.split(".")
    try:
        return (int(parts[0]), int(parts[1])) < limit
    except (IndexError, ValueError):
        return False


def _has_other_keys(node: Any) -> bool:
    """Whether a mapping in ``node`` has a key that is not text (most files have none)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.__class__ is not str:
                return True
            if isinstance(value, (dict, list)) and _has_other_keys(value):
                return True
    elif isinstance(node, list):
        return any(isinstance(item, (dict, list)) and _has_other_keys(item) for item in node)
    return False


def _helm_keyed(node: Any, file: str, path: Path, problems: list[Reported]) -> Any:
    """A copy of the loaded tree ``node`` whose mapping keys are what Helm makes of them
    (:func:`nblint.model.keys.json_key`), keeping every position. A key Helm refuses (null) is
    reported and left out; two keys that Helm reads as one (``1`` and ``"1"``) are reported at
    the later, which is kept (Helm keeps either)."""
    from nblint.load.yaml_tree import YList, YMap

    if isinstance(node, dict):
        out = YMap(getattr(node, "pos", (1, 1)))
        positions: dict[Any, Any] = getattr(node, "key_pos", {})
        starts = getattr(node, "block_start", None)
        comments = getattr(node, "null_comments", None)
        for key, value in node.items():
            line, column = positions.get(key, out.pos)
            text = key if key.__class__ is str else json_key(key)
            if text is None:
                problems.append(
                    Reported(
                        "z2jh-wrong-type",
                        f"{quoted_place(format_path(path))} has a key {_brief(key)}, "
                        "which Helm cannot read (values are read as JSON, whose keys are "
                        "text): helm would refuse the release",
                        Origin(file, line, column),
                        VALUES_OBJECT,
                        "Write the key as text (quote it), or remove the entry.",
                    )
                )
                continue
            if text in out:
                first = out.key_pos[text][0]
                problems.append(
                    Reported(
                        "duplicate-key",
                        f"this key and the key at line {first} are both {_brief(text)} to Helm "
                        "(it reads keys as text): it keeps one of them, which one is not "
                        "defined",
                        Origin(file, line, column),
                        VALUES_OBJECT,
                    )
                )
            out[text] = _helm_keyed(value, file, (*path, text), problems)
            out.key_pos[text] = (line, column)
            if starts and key in starts:
                if out.block_start is None:
                    out.block_start = {}
                out.block_start[text] = starts[key]
            if comments and key in comments:
                if out.null_comments is None:
                    out.null_comments = {}
                out.null_comments[text] = comments[key]
        return out
    if isinstance(node, list):
        items = YList(getattr(node, "pos", (1, 1)))
        items.item_pos = list(getattr(node, "item_pos", ()))
        items.extend(_helm_keyed(item, file, (*path, i), problems) for i, item in enumerate(node))
        return items
    return node


def _with_values(document: Any, root: Path, values: Any) -> Any:
    """``document`` with ``values`` at ``root`` in place of what it holds there: the mappings
    and lists on the way copied (positions kept), the document itself left as it was."""
    from nblint.load.yaml_tree import YList, YMap

    if not root:
        return values
    copy: Any
    if isinstance(document, YMap):
        copy = YMap(document.pos)
        copy.update(document)
        copy.key_pos = dict(document.key_pos)
        copy.block_start = document.block_start
        copy.null_comments = document.null_comments
    elif isinstance(document, YList):
        copy = YList(document.pos)
        copy.extend(document)
        copy.item_pos = document.item_pos
    else:
        return document
    copy[root[0]] = _with_values(document[root[0]], root[1:], values)
    return copy


#: What the note of a finding on a chart default adds when the inputs pin a release older than
#: any nblint knows: the default is the linted release's, the pinned one's may differ (its
#: findings are then infos: :data:`nblint.model.pod.DEFAULTS_GUESSED`).
OLDER_PIN_DEFAULT = (
    "; the inputs pin an older release nblint does not know, whose default may differ, so this "
    "is not known to hold"
)


def placeholder_values(where: str, text: str, origin: Origin) -> Reported:
    """Values that are one placeholder (``${user_values_yaml}`` of a Terraform ``templatefile``,
    a ``{{ }}``): text filled in before Helm sees it, so nblint cannot know them, and says so
    rather than call them the wrong type."""
    return Reported(
        "z2jh-unrendered-template",
        f"z2jh values at {quoted_place(where)} are the placeholder "
        f"{clipped(text.strip(), 60)!r}, filled in "
        "before Helm sees them: nblint cannot know the values and checks none of them",
        origin,
        VALUES_OBJECT,
    )


def build_release(
    files: list[tuple[str, Any]],
    root: Path,
    chart_version: str,
    documents: list[int] | None = None,
    subchart: bool | None = None,
    unseen: str | None = None,
    views: list[tuple[Path, Path, str | None]] | None = None,
    neighbours: Sequence[Neighbour] = (),
    version_known: bool = False,
    wrapper_chart: str | None = None,
    dotted: frozenset[int] = frozenset(),
) -> tuple[Release, list[Reported]]:
    """Layer ``files`` (``(path, document)`` in ``-f`` order) over the chart defaults;
    ``documents`` is each document's position in its file. ``views``: for each layer, where its
    values sit when not at ``root`` (a GitOps object's ``spec.values`` in a ``-f`` release), the
    keys its hints are shown under and why they are never applied (see :class:`_Layer`).

    ``subchart``: z2jh is a dependency of a parent chart whose own values nblint cannot see
    (default: whenever ``root`` is not the top); None for ``unseen`` then says so. Otherwise
    (a GitOps object's values) ``unseen`` names the values below the user's that nblint did not
    read, and a missing root is no problem: the object gives the chart's defaults.

    A subchart of a chart nblint knows the values of (binderhub, daskhub: :mod:`.wrappers`, found
    by ``root``, the files and the chart files beside them, ``neighbours``) is layered as Helm
    layers it: z2jh's defaults, then that chart's values for it, then the user's. A tool that
    names the wrapper chart it installs (a kustomization's ``helmCharts``) says so with
    ``wrapper_chart``. ``dotted``: the layers that are one value set by its dotted name (a
    helmfile ``set`` entry), where no hint adds a key."""
    problems: list[Reported] = []
    layers: list[_Layer] = []
    if subchart is None:
        subchart = bool(root)
    wrapper = None
    if wrapper_chart is not None:
        from nblint.dialects.z2jh.wrappers import defaults as wrapper_defaults

        wrapper = wrapper_defaults(wrapper_chart, chart_version)
    if subchart:
        name = wrapper_of(root, [document for _, document in files], neighbours)
        if name is not None:
            from nblint.dialects.z2jh.wrappers import defaults as wrapper_defaults

            wrapper = wrapper_defaults(name, chart_version)
    if subchart and unseen is None and not _chart_values_layered(files, neighbours):
        if wrapper is not None and len(root) > 1:
            # Values for an umbrella chart that installs the wrapper chart: its own values.yaml
            # may set more for z2jh (values given to the wrapper chart itself have none above).
            unseen = (
                f"the values.yaml of the chart that installs {wrapper.chart}, which nblint "
                "cannot see,"
            )
        elif wrapper is None:
            parent = format_path(root[:-1]) or "the parent chart"
            unseen = f"{parent}'s own values.yaml, which nblint cannot see,"
    for number, (path, document) in enumerate(files):
        # A hint is shown under the keys its values sit under (`jupyterhub:` of an umbrella
        # chart's values), so that it pastes where the fix writes it.
        layer_root, shown, read_only = views[number] if views else (root, root, None)
        found, values = get_path(document, layer_root)
        where = format_path(layer_root)
        shown_at = quoted_place(where)
        if not found and not subchart and layer_root:
            values = {}
        elif not found and wrapper is not None and get_path(document, layer_root[:-1])[1]:
            # Values for the chart that installs z2jh (binderhub's own section) that set nothing
            # for it: a layer of the release all the same, which its chart's defaults complete.
            values = {}
        elif not found:
            line, column = tree_position(document, layer_root)
            problems.append(
                Reported(
                    "z2jh-values-root",
                    f"no z2jh values at {shown_at} in this file; it adds nothing to the release",
                    Origin(path, line, column),
                    VALUES_OBJECT,
                )
            )
            values = {}
        elif values is None:
            values = {}
        elif is_unknowable(values):
            line, column = tree_position(document, layer_root)
            problems.append(placeholder_values(where, values, Origin(path, line, column)))
            values = {}
        elif not isinstance(values, dict):
            line, column = tree_position(document, layer_root)
            problems.append(
                Reported(
                    "z2jh-wrong-type",
                    f"z2jh values at {shown_at} must be a mapping, not {type(values).__name__}; "
                    "helm would refuse the release",
                    Origin(path, line, column),
                    VALUES_OBJECT,
                )
            )
            values = {}
        if _has_other_keys(values):
            # Keys as Helm reads them (`1:` is "1"), each still at the line that wrote it.
            values = _helm_keyed(values, path, (), problems)
            document = _with_values(document, layer_root, values)
        position = documents[number] if documents else 0
        layers.append(_Layer(path, document, values, position, layer_root, shown, read_only))
        layers[-1].dotted = number in dotted
    user, owners = merge_user_layers(layers)
    chart = chart_defaults(chart_version)
    if wrapper is not None:
        # Helm: the parent chart's values for its subchart over the subchart's own (a null there
        # deletes z2jh's default: binderhub's `memory.guarantee`).
        chart = coalesce(wrapper.values, chart)
    if subchart:
        user = _assume_parent_defaults(user, chart)
    merged = coalesce(user, chart)
    release = Release(
        chart_version,
        merged,
        [f for f, _ in files],
        root,
        layers,
        owners,
        unseen=unseen,
        wrapper=wrapper,
        defaults=chart,
        version_known=version_known,
    )
    release.chartpress = next(
        ((n.file, n.root) for n in neighbours if n.name == CHARTPRESS_FILE and n.root is not None),
        None,
    )
    return release, problems
