"""A Flux HelmRelease's ``spec.valuesFrom``: the ConfigMaps and Secrets of the inputs it takes
values from, found through the run index.

helm-controller (``internal/chartutil/values.go``, ``ChartValuesFromReferences``) reads each entry
in order from the HelmRelease's own namespace (an entry names no namespace): a ConfigMap's
``data``, a Secret's ``data`` (a manifest's ``stringData`` is merged over it by the API server), at
``valuesKey`` (default ``values.yaml``). Without ``targetPath`` that text is a values document,
merged over what came before; with it, the text is one value set at that dotted path as
``helm --set`` sets it (``strvals``: ``true``, ``false``, ``null`` and integers typed, a quoted
value kept as text). ``spec.values`` is merged last. A missing object or key fails the release
unless the entry is ``optional``.

A ConfigMap or Secret is claimed by the z2jh dialect (outside ``-f``) only to be indexed here:
its string data, with the positions that place a finding inside a literal block (``values.yaml:
|``) at the file's own line. Which HelmReleases name one is indexed too, so that one no release
reads is counted as skipped, as before. The normaliser layers what it finds
(:mod:`.normalise`); this module never reads a file.
"""

from __future__ import annotations

import re

from nblint.model.pod import Path, get_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.document import Recognised, RunIndex

#: The kinds a ``valuesFrom`` entry may name (``v1`` objects).
KINDS = ("ConfigMap", "Secret")
#: The run-index key of the ConfigMaps and Secrets of the inputs (:class:`ValuesSource`).
SOURCES = "v1/valuesFrom-sources"
#: The run-index key of what the HelmReleases of the inputs name in ``spec.valuesFrom``:
#: ``(kind, name, namespace, key)``.
READERS = "helm.toolkit.fluxcd.io/valuesFrom"
#: The run-index key of the files a kustomization's generators pack (:mod:`.generators`):
#: ``(absolute path, kind, name, namespace, key)``. Such a file that a HelmRelease of the inputs
#: reads is linted as that release's layer only, not as a release of its own.
PACKED = "kustomize/generated-values-files"
#: Flux's default ``valuesKey``.
DEFAULT_KEY = "values.yaml"
#: Texts a file holds when it may contribute to the index (see ``Dialect.index_markers``): a
#: kustomization's generators build ConfigMaps and Secrets too (:mod:`.generators`).
MARKERS = ("ConfigMap", "kind: Secret", "valuesFrom", "configMapGenerator", "secretGenerator")
#: Texts a kustomization or a helmfile that installs the chart holds (:mod:`.installers`); a
#: Fleet fleet.yaml that names values files (``helm.valuesFiles``).
INSTALLER_MARKERS = (
    "helmCharts",
    "HelmChartInflationGenerator",
    "helmChartInflationGenerator",
    "valuesFiles",
)
#: A helmfile's releases (which hold a chart: ``chart:``), and its environments (whose values
#: files are helmfile's state values, not a chart's).
HELMFILE_MARKERS = ("releases", "environments:")


def is_values_source(document: Any) -> bool:
    """A ``v1`` ConfigMap or Secret (cheap: no walk)."""
    return (
        isinstance(document, dict)
        and document.get("kind") in KINDS
        and document.get("apiVersion") == "v1"
    )


class ValuesSource(Record):
    """A ConfigMap or Secret of the inputs, as the index keeps it: its string data only, in a
    small tree that keeps the positions of the object's ``data`` and ``stringData`` keys; or
    one a kustomization's generator builds (:attr:`packed`, :mod:`.generators`)."""

    __slots__ = (
        "behavior",
        "envs",
        "file",
        "index",
        "kind",
        "name",
        "namespace",
        "packed",
        "texts",
    )

    def __init__(
        self, kind: str, name: str, namespace: str | None, file: str, index: int, texts: Any
    ) -> None:
        self.kind = kind
        self.name = name
        self.namespace = namespace
        #: The object's file (a generator's: the kustomization).
        self.file = file
        #: The document's position in its file.
        self.index = index
        #: ``{"data": {key: text}, "stringData": {key: text}}`` as loaded trees (``YMap``s with
        #: the positions and literal-block starts of the object's own keys).
        self.texts = texts
        #: A generator's ``files``: by key, the file the run read beside the kustomization
        #: (a ``Neighbour``), or the path as written when it is not there or not a YAML file
        #: (:func:`.generators.is_read`). None: an object.
        self.packed: dict[str, Any] | None = None
        #: A generator's ``behavior`` (``create``, ``merge``, ``replace``); an object's: create.
        self.behavior = "create"
        #: A generator that also reads env files (keys nblint does not know).
        self.envs = False

    def describe(self) -> str:
        return f"{self.kind} `{self.name}`"

    def has(self, key: str) -> bool:
        """Whether the object holds ``key`` (a packed file, as written, counts)."""
        return (self.packed is not None and key in self.packed) or self.text(key) is not None

    def text(self, key: str) -> tuple[Path, str] | None:
        """Where the text at ``key`` is written, and the text: ``stringData`` over ``data``."""
        for section in ("stringData", "data"):
            _, entries = get_path(self.texts, (section,))
            if isinstance(entries, dict) and isinstance(entries.get(key), str):
                return (section, key), entries[key]
        return None

    def encoded(self, where: Path) -> bool:
        """Whether the text at ``where`` is base64 (a Secret's ``data``)."""
        return self.kind == "Secret" and where[0] == "data"


def _source(file: str, position: int, root: Any) -> ValuesSource | None:
    from nblint.load.yaml_tree import YMap

    metadata = root.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    name, namespace = _text(metadata.get("name")), _text(metadata.get("namespace"))
    if name is None:
        return None
    sections = ("data",) if root.get("kind") == "ConfigMap" else ("data", "stringData")
    texts = YMap(getattr(root, "pos", (1, 1)))
    for section in sections:
        entries = root.get(section)
        if not isinstance(entries, dict):
            continue
        # A copy that holds the strings only: the index keeps plain data, not the object's tree.
        kept = YMap(getattr(entries, "pos", texts.pos))
        positions = getattr(entries, "key_pos", {})
        starts = getattr(entries, "block_start", None) or {}
        for key, value in entries.items():
            if isinstance(key, str) and isinstance(value, str):
                kept[key] = value
                kept.key_pos[key] = positions.get(key, kept.pos)
                if key in starts:
                    kept.block_start = {**(kept.block_start or {}), key: starts[key]}
        texts[section] = kept
        texts.key_pos[section] = getattr(root, "key_pos", {}).get(section, texts.pos)
    return ValuesSource(str(root["kind"]), name, namespace, file, position, texts)


def index(document: Recognised, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    """The z2jh dialect's indexer: the Flux chart sources (:func:`.gitops.index`), and the
    ConfigMaps and Secrets of the inputs with what HelmReleases name in ``spec.valuesFrom``."""
    from nblint.dialects.z2jh.gitops import FLUX, kind_of
    from nblint.dialects.z2jh.gitops import index as chart_sources
    from nblint.dialects.z2jh.platform import ROUTES, is_route, route_entry
    from nblint.model.exposure import EXPOSURE_INDEX
    from nblint.model.exposure import read as exposure

    entries = chart_sources(document, settings)
    if any(isinstance(root, dict) and "spec" in root for _, root in document.layers) or (
        isinstance(document.root, dict) and "spec" in document.root
    ):
        # Cheap: an Argo CD object's managed namespace, given as a path or as a -f layer.
        from nblint.dialects.z2jh.argo_namespace import index as managed_namespace

        entries.extend(managed_namespace(document))
    layers = document.layers or [(document.file, document.root)]
    positions = document.layer_documents or [document.index]
    for (file, root), position in zip(layers, positions, strict=False):
        if is_values_source(root):
            found = _source(file, position, root)
            if found is not None:
                entries.append((SOURCES, found))
        elif is_route(root):
            entries.append((ROUTES, route_entry(file, root)))
            # Read for the pods it exposes outside the cluster too (notebook-authentication).
            namespace = settings.get("namespace")
            entries.extend(
                (EXPOSURE_INDEX, entry)
                for entry in exposure(
                    root, file, position, namespace if isinstance(namespace, str) else None
                )
            )
        elif isinstance(root, dict) and kind_of(root) == FLUX:
            namespace = _namespace(root)
            for ref in refs(root):
                entries.append((READERS, (ref.kind, ref.name, namespace, ref.key)))
        elif (
            not document.layers
            and isinstance(root, dict)
            and ("configMapGenerator" in root or "secretGenerator" in root)
        ):
            entries.extend(_generated(document))
    return entries


def _generated(document: Recognised) -> list[tuple[str, Any]]:
    """The ConfigMaps and Secrets the kustomization ``document`` generates, as sources of the
    index, with the files their generators pack (read by the run beside it: its neighbours)."""
    from nblint.dialects.z2jh.generators import generated, is_read
    from nblint.load.provenance import tree_position
    from nblint.load.yaml_tree import YMap

    entries: list[tuple[str, Any]] = []
    beside = {n.name: n for n in document.neighbours}
    for entry in generated(document.root):
        texts = YMap(tree_position(document.root, entry.path))
        if entry.literals:
            # Text as written: a Secret's literal in `stringData`, never decoded.
            section = "stringData" if entry.kind == "Secret" else "data"
            kept = YMap(texts.pos)
            for key, value, path in entry.literals:
                kept[key] = value
                kept.key_pos[key] = tree_position(document.root, path)
            texts[section], texts.key_pos[section] = kept, texts.pos
        source = ValuesSource(
            entry.kind, entry.name, entry.namespace, document.file, document.index, texts
        )
        source.behavior, source.envs = entry.behavior, entry.envs
        source.packed = {}
        for packed in entry.files:
            found = beside.get(packed.written) if is_read(packed.written) else None
            # The file read, else the path as written (not there, or not a YAML file).
            source.packed[packed.key] = found if found is not None else packed.written
            if found is not None:
                where = (_absolute(found.file), entry.kind, entry.name, entry.namespace, packed.key)
                entries.append((PACKED, where))
        entries.append((SOURCES, source))
    return entries


def read_by_a_release(document: Recognised, index: RunIndex) -> bool:
    """Whether a HelmRelease of the inputs names the ConfigMap or Secret ``document``."""
    found = _source(document.file, document.index, document.root)
    if found is None:
        return False
    return any(
        kind == found.kind and name == found.name and _same_namespace(namespace, found.namespace)
        for kind, name, namespace, _ in index.get(READERS)
    )


def packed_for_a_release(document: Recognised, index: RunIndex) -> bool:
    """Whether ``document`` is a values file that a kustomization's generator of the inputs
    packs into a ConfigMap or Secret, at a key a HelmRelease of the inputs reads: the release
    reads it as a layer of its own values (each finding there once), so it is no release."""
    packed = index.get(PACKED)
    if not packed or document.index != 0:
        return False
    here = _absolute(document.file)
    readers = index.get(READERS)
    return any(
        file == here
        and any(
            (k, n, wanted) == (kind, name, key) and _same_namespace(ns, namespace)
            for k, n, ns, wanted in readers
        )
        for file, kind, name, namespace, key in packed
    )


def _absolute(file: str) -> str:
    import os.path

    return os.path.abspath(file)


class Ref(Record):
    """One entry of ``spec.valuesFrom``."""

    __slots__ = ("key", "kind", "name", "optional", "path", "target")

    def __init__(
        self,
        path: Path,
        kind: str,
        name: str,
        key: str = DEFAULT_KEY,
        target: str | None = None,
        optional: bool = False,
    ) -> None:
        #: The entry's path in the HelmRelease (``spec.valuesFrom.0``).
        self.path = path
        self.kind = kind
        self.name = name
        self.key = key
        #: ``targetPath``: the dotted path the one value is set at.
        self.target = target
        self.optional = optional

    def describe(self) -> str:
        return f"`{self.key}` key of {self.kind} `{self.name}`"


def refs(document: Any) -> list[Ref]:
    """The entries of a HelmRelease's ``spec.valuesFrom``, in order (malformed ones left out:
    the API server refuses the HelmRelease)."""
    _, entries = get_path(document, ("spec", "valuesFrom"))
    found: list[Ref] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict):
            continue
        kind, name = _text(entry.get("kind")), _text(entry.get("name"))
        if kind is None or name is None:
            continue
        found.append(
            Ref(
                ("spec", "valuesFrom", i),
                kind,
                name,
                _text(entry.get("valuesKey")) or DEFAULT_KEY,
                _text(entry.get("targetPath")),
                entry.get("optional") is True,
            )
        )
    return found


def find(ref: Ref, namespace: str | None, index: RunIndex) -> ValuesSource | None:
    """The object of the inputs that ``ref`` names in the HelmRelease's ``namespace``: same kind
    and name; an object or a release that gives no namespace matches any (kustomize often sets
    it for both). Written twice, the one given last (applied last) wins."""
    from nblint.model.unknowable import is_unknowable_name

    if ref.kind not in KINDS or is_unknowable_name(ref.name):
        return None
    matching = [e for e in index.get(SOURCES) if e.kind == ref.kind and e.name == ref.name]
    exact = [e for e in matching if e.namespace == namespace]
    loose = [e for e in matching if _same_namespace(e.namespace, namespace)]
    return _in_force(exact or loose, ref.key)


def _in_force(matching: list[ValuesSource], key: str) -> ValuesSource | None:
    """Of the objects of one name, the one whose ``key`` the cluster holds: an overlay's
    generator (``behavior: merge`` or ``replace``) changes the object of its base, so it comes
    after every other; ``merge`` keeps the base's keys it does not write. Otherwise the one
    given last (applied last)."""
    if not matching:
        return None
    ordered = [e for e in matching if e.behavior == "create"]
    ordered += [e for e in matching if e.behavior != "create"]
    for i in range(len(ordered) - 1, -1, -1):
        if ordered[i].behavior != "merge" or ordered[i].has(key) or i == 0:
            return ordered[i]
    return None


def release_namespace(document: Any) -> str | None:
    return _namespace(document)


def decoded(text: str) -> str | None:
    """A Secret's ``data`` value decoded (base64, line breaks ignored as the API server's
    decoder does), or None when it is not base64 of UTF-8 text."""
    import base64
    import binascii

    try:
        return base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None


def at_one_place(tree: Any, pos: tuple[int, int]) -> Any:
    """Every position of ``tree`` (values decoded from base64, whose lines are not the file's)
    set to ``pos``: the key of the Secret that holds them."""
    from nblint.load.yaml_tree import YList, YMap

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, YMap):
            node.pos = pos
            node.key_pos = dict.fromkeys(node.key_pos, pos)
            node.block_start = None
            stack.extend(node.values())
        elif isinstance(node, YList):
            node.pos = pos
            node.item_pos = [pos] * len(node.item_pos)
            stack.extend(node)
    return tree


def target_values(target: str, text: str, pos: tuple[int, int]) -> Any | None:
    """The values ``targetPath: target`` with the value ``text`` sets, as ``helm --set`` does
    (``strvals.ParseInto``; ``ParseIntoString`` for a value in quotes), every key at ``pos``;
    None for what nblint does not parse as Helm would (a list index, a list value, several
    values, escapes)."""
    from nblint.load.yaml_tree import YMap

    value: Any
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        value = text.strip("'\"")  # strings.Trim: every quote at both ends
    else:
        value = _typed(text)
    if any(c in target for c in "[]\\=") or not all(target.split(".")):
        return None
    if isinstance(value, str) and (any(c in value for c in ",\\") or value.startswith("{")):
        return None
    root = node = YMap(pos)
    parts = target.split(".")
    for part in parts[:-1]:
        child = YMap(pos)
        node[part], node.key_pos[part] = child, pos
        node = child
    node[parts[-1]], node.key_pos[parts[-1]] = value, pos
    return root


def _typed(text: str) -> Any:
    """strvals' ``typedVal``: true/false/null in any case, ``0``, an integer that does not start
    with 0; anything else stays text."""
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    if text == "0":
        return 0
    if text[:1] != "0" and re.fullmatch(r"[+-]?[0-9]+", text):
        number = int(text)
        if -(2**63) <= number < 2**63:
            return number
    return text


def _namespace(document: Any) -> str | None:
    _, metadata = get_path(document, ("metadata",))
    return _text(metadata.get("namespace")) if isinstance(metadata, dict) else None


def _same_namespace(one: str | None, other: str | None) -> bool:
    return one is None or other is None or one == other


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None
