"""What the kustomizations near the inputs do to them: patches, and the namespace they set.

An overlay's ``patch.yaml`` holds only the fields it changes (a Notebook with resources and no
image, a Deployment with one env var). Checked as a whole object it would be a page of untrue
findings (no image, no securityContext). A file is taken as a patch when a ``kustomization.yaml``
in its directory, or in one of the two above it, names it under ``patches``,
``patchesStrategicMerge`` or ``patchesJson6902``; the run then says so once, at the file's first
line, and checks none of its documents. What kustomize builds is checked by linting the build
(``kustomize build overlay | nblint check -``).

A kustomization's ``namespace:`` is set on every namespaced object of its resources, over what the
object says, and is the name of every Namespace object among them (kustomize's namespace
transformer, checked with kustomize v5.5.0). A file is built by the kustomization in its
directory that names it under ``resources``, and that directory by every kustomization nblint reads
that names it under ``resources``, ``bases`` (deprecated, still built as resources) or
``components``: the one in the directory above, and those among the run's inputs (the overlays
beside a base, ``../../base``). Along each chain the outermost namespace wins, as the build of the
top applies it last; a Component's transformers (its ``namespace:`` and ``images:``) run on what
the kustomization including it has gathered before it, before that kustomization's own (kustomize's
``accumulateTarget``). When every chain gives one namespace, the file's objects are in it; when
overlays put the base in different namespaces, each build is another pod and the objects keep their
own (lint each build); a Namespace among them is then also each build's, renamed. A kustomization
among the inputs whose local resources are not among them is
said once: nblint checked none of what it deploys from there. So is, once per kustomization among
the inputs, what else it changes in what it builds and nblint does not apply (its patches,
``namePrefix``, ``images``, ``commonLabels``, …): the files nblint checks are not the objects
kustomize builds from them. Its ``generators`` that are local Helm generator files of a chart
nblint reads as a z2jh release are read with it (the run adds them to its inputs), so are not among
those. kustomize inflates a Helm chart only with ``--enable-helm``: the build command nblint gives
says it when the build does (:func:`build_command`).
"""

from __future__ import annotations

import os
import re

from nblint.load import files
from nblint.load.yaml_tree import Document, YMap
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The names kustomize reads a kustomization from, in its order.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: How many directories above a file a kustomization that patches it may sit (``patches/x.yaml``
#: beside ``kustomization.yaml`` is one, ``overlays/prod/patches/x.yaml`` two).
LEVELS_UP = 2
#: The kustomization fields whose entries kustomize builds as resources: ``bases`` is the
#: deprecated alias of ``resources`` (kustomize v5 still builds it, with a warning), and a
#: component's own resources are built into the kustomization that names it.
RESOURCE_FIELDS = ("resources", "bases", "components")
#: The fields that change the objects kustomize builds and that nblint does not apply to the
#: files it checks (it applies ``namespace`` and reads the patch lists only to tell a patch file
#: from whole objects): said once, so that a clean result does not vouch for the build.
UNAPPLIED_FIELDS = (
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "namePrefix",
    "nameSuffix",
    "commonLabels",
    "labels",
    "commonAnnotations",
    "images",
    "replacements",
    "vars",
    "transformers",
    "generators",
    "helmCharts",
)


#: The charts of a kustomization's ``helmCharts`` that nblint reads as z2jh releases (the z2jh
#: dialect's kustomize installer: z2jh, and the charts that install it as a subchart).
READ_CHARTS = frozenset({"jupyterhub", "binderhub", "daskhub"})


#: kustomize's builtin Helm generator: a ``generators`` file of this kind (``apiVersion:
#: builtin``) inflates a chart, as a ``helmCharts`` entry does.
HELM_GENERATOR = "HelmChartInflationGenerator"


def _charts_read(entries: object) -> bool:
    """Whether nblint reads every chart of ``helmCharts`` (then the field is not unapplied)."""
    return isinstance(entries, list) and all(
        isinstance(entry, dict) and entry.get("name") in READ_CHARTS for entry in entries
    )


def build_command(directory: str, helm: bool) -> str:
    """The command that builds the kustomization in ``directory`` for nblint: kustomize refuses
    to inflate a Helm chart (``helmCharts``, a Helm generator, in it or in a base it builds)
    unless ``--enable-helm`` is given."""
    flag = " --enable-helm" if helm else ""
    return f"kustomize build{flag} {directory or '.'} | nblint check -"


class PatchedBy(Record):
    """The kustomization that names a file as a patch, and the line that names it; ``helm``:
    its build inflates a Helm chart (kustomize then needs ``--enable-helm``)."""

    __slots__ = ("directory", "helm", "kustomization", "line", "merged", "target")

    def __init__(
        self,
        kustomization: str,
        line: int,
        helm: bool = False,
        merged: bool = False,
        directory: str = "",
        target: dict[str, Any] | None = None,
    ) -> None:
        self.kustomization = kustomization
        self.line = line
        self.helm = helm
        #: A strategic merge patch (not a JSON patch): its own kind and name pick its target,
        #: or the entry's ``target:`` selector does.
        self.merged = merged
        #: The kustomization's directory (real).
        self.directory = directory
        #: The entry's ``target:`` selector: every object it selects is patched, whatever the
        #: patch's own name.
        self.target = target


class SetNamespace(Record):
    """The namespace a kustomization sets on the objects of a file, and where it says so."""

    __slots__ = ("kustomization", "line", "namespace")

    def __init__(self, namespace: str, kustomization: str, line: int) -> None:
        self.namespace = namespace
        self.kustomization = kustomization
        self.line = line


class Resource(Record):
    """One local entry of a kustomization's ``resources``: as written, its real path, and where
    it is written (line, column)."""

    __slots__ = ("pos", "real", "written")

    def __init__(self, written: str, real: str, pos: tuple[int, int]) -> None:
        self.written = written
        self.real = real
        self.pos = pos


class ImageEntry(Record):
    """One entry of a kustomization's ``images:`` (kustomize's image transformer): its ``name``
    matches an image that is that name, then an optional ``:tag``, then an optional
    ``@algorithm:digest`` (kustomize compiles the name into that pattern, so an entry name that
    carries a tag matches that very image, and the name is a pattern: ``.`` is any character);
    ``new_name`` replaces the image's name, ``new_tag`` its tag, ``digest`` sets ``@digest`` (a
    tag or a digest given replaces both of the image's: kustomize ``api/filters/imagetag``).
    ``origin``: the entry, the line to edit."""

    __slots__ = ("digest", "name", "new_name", "new_tag", "origin", "pattern")

    def __init__(
        self, name: str, new_name: str, new_tag: str, digest: str, origin: tuple[str, int, int]
    ) -> None:
        self.name = name
        self.new_name = new_name
        self.new_tag = new_tag
        self.digest = digest
        self.origin = origin
        try:
            pattern: re.Pattern[str] | None = re.compile(self.name + _IMAGE_REST)
        except re.error:
            pattern = None  # kustomize fails the build: nothing nblint applies
        self.pattern = pattern

    def matches(self, image: str) -> bool:
        """Whether this entry rewrites ``image`` (kustomize's ``IsImageMatched``)."""
        return self.pattern is not None and self.pattern.fullmatch(image) is not None

    def apply(self, image: str) -> str:
        """``image`` as this entry rewrites it (unchanged when it does not match)."""
        if not self.matches(image):
            return image
        name, tag, digest = split_image(image)
        name = self.new_name or name
        if self.new_tag or self.digest:
            tag, digest = self.new_tag, self.digest
        return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


#: The keys of an ``images:`` entry nblint applies (others, ``tagSuffix`` of newer kustomize,
#: leave the field unapplied).
_IMAGE_KEYS = frozenset({"name", "newName", "newTag", "digest"})


#: What may follow an ``images:`` entry's name in an image it matches: a tag, then a digest
#: (kustomize ``api/internal/image``: tag characters as Bazel's rules_k8s allow them).
_IMAGE_REST = r"(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z][a-zA-Z0-9]*:[a-zA-Z0-9_.{}-]*)?"


def split_image(image: str) -> tuple[str, str, str]:
    """``(name, tag, digest)`` of an image reference, as kustomize splits it: after the first
    ``/`` (a registry port is no tag), the first ``@`` or ``:`` ends the name."""
    slash = max(image.find("/"), 0)
    at, colon = image.find("@", slash), image.find(":", slash)
    if at < 0 and colon < 0:
        return image, "", ""
    if at >= 0 and (colon < 0 or at < colon):
        return image[:at], "", image[at + 1 :]
    if at >= 0:
        return image[:colon], image[colon + 1 : at], image[at + 1 :]
    return image[:colon], image[colon + 1 :], ""


def _images(entries: object, path: str) -> list[ImageEntry]:
    """The ``images:`` entries of the kustomization at ``path``: all of them, or none when one
    is not a plain entry nblint applies (then ``images`` stays among the fields not applied)."""
    if not isinstance(entries, list) or not entries:
        return []
    found = []
    positions = getattr(entries, "item_pos", [])
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not set(entry) <= _IMAGE_KEYS:
            return []
        values = {key: entry.get(key, "") for key in _IMAGE_KEYS}
        if not all(isinstance(value, str) for value in values.values()) or not values["name"]:
            return []
        digest = values["digest"]
        line, column = positions[index] if index < len(positions) else (1, 1)
        found.append(
            ImageEntry(
                values["name"],
                values["newName"],
                values["newTag"],
                digest,
                (path, line, column),
            )
        )
    return found


class ImageRewrites:
    """The ``images:`` of each chain of kustomizations that builds one file."""

    __slots__ = ("chains",)

    def __init__(self, chains: list[list[_Kustomization]]) -> None:
        self.chains = chains

    def built(self, image: str) -> tuple[str, ImageEntry | None] | None:
        """``image`` as written, as kustomize builds it: None when no entry matches it;
        ``(built image, the entry that set it last)`` when every chain builds it alike;
        ``(image, None)`` when chains build it differently (overlays that pin one base image
        apart: nblint cannot say which is meant)."""
        built = set()
        last: ImageEntry | None = None
        for chain in self.chains:
            current = image
            for kustomization in chain:  # the base's transformer first, the overlay's last
                for entry in kustomization.images:
                    if entry.matches(current):
                        last = entry
                        current = entry.apply(current)
            built.add(current)
        if last is None:
            return None
        return (built.pop(), last) if len(built) == 1 else (image, None)


class AddedContainer(Record):
    """A patch's container that strategic merge adds to its target, without an image."""

    __slots__ = (
        "column",
        "existing",
        "field",
        "line",
        "name",
        "other",
        "patch",
        "target",
        "target_object",
    )

    def __init__(
        self,
        patch: Any,
        name: str,
        target: str,
        line: int,
        column: int,
        existing: list[str],
        field: str = "containers",
        target_object: Any = None,
        other: bool = False,
    ) -> None:
        self.patch = patch
        self.name = name
        #: The names of the target's containers in that list.
        self.existing = existing
        #: The file of the object it patches (real path).
        self.target = target
        self.line = line
        self.column = column
        #: The list the patch names it in: ``containers`` or ``initContainers``.
        self.field = field
        #: The object it patches (its kind and name are the finding's object).
        self.target_object = target_object if target_object is not None else patch
        #: The target has a container of that name in the other list (strategic merge matches
        #: each list apart: it is no match).
        self.other = other


#: How far up from a kustomization a Fleet ``fleet.yaml`` that names it as its ``kustomize.dir``
#: is looked for (in the directory itself, then its parents).
FLEET_LEVELS = 3


def fleet_bundle(directory: str) -> tuple[str, bool] | None:
    """The Fleet ``fleet.yaml`` whose ``kustomize.dir`` is ``directory`` (in it or up to
    :data:`FLEET_LEVELS` parents up), and whether that bundle installs a Helm chart (``helm:``
    with a ``chart`` or ``repo``): Fleet runs the kustomization over the chart's output, so
    ``kustomize build`` of it alone builds none of the chart. None when no bundle names it."""
    real = os.path.realpath(directory or ".")
    here = real
    for _ in range(FLEET_LEVELS + 1):
        path = os.path.join(here, "fleet.yaml")
        for root in _roots(path):
            kustomize = root.get("kustomize")
            named = kustomize.get("dir") if isinstance(kustomize, dict) else None
            # Without `kustomize.dir`, Fleet builds the kustomization beside the fleet.yaml.
            named = named if isinstance(named, str) and named else "."
            if os.path.realpath(os.path.join(here, named)) == real:
                helm = root.get("helm")
                charted = isinstance(helm, dict) and bool(helm.get("chart") or helm.get("repo"))
                shown = os.path.relpath(path, os.path.realpath(directory or "."))
                return os.path.normpath(os.path.join(directory or ".", shown)), charted
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    return None


def _roots(real: str) -> list[Any]:
    """The parsed documents of the file ``real`` (none when it is not one nblint reads)."""
    if not os.path.isfile(real) or not real.endswith((".yaml", ".yml", ".json")):
        return []
    return [
        entry.root
        for entry in files.documents(files.read(real))
        if isinstance(entry, Document) and isinstance(entry.root, dict)
    ]


def _named(root: dict[str, Any]) -> bool:
    metadata = root.get("metadata")
    return (
        isinstance(root.get("kind"), str)
        and isinstance(metadata, dict)
        and isinstance(metadata.get("name"), str)
    )


def _same_object(one: Any, other: dict[str, Any]) -> bool:
    """Whether ``one`` is the object of ``other``'s kind and name (and namespace, when both
    give one)."""
    if not isinstance(one, dict) or not _named(one) or one.get("kind") != other.get("kind"):
        return False
    mine, theirs = one["metadata"], other["metadata"]
    if mine.get("name") != theirs.get("name"):
        return False
    spaces = mine.get("namespace"), theirs.get("namespace")
    return None in spaces or spaces[0] == spaces[1]


#: The lists of a pod spec strategic merge matches by ``name``, each apart from the other.
CONTAINER_FIELDS = ("containers", "initContainers")


def _container_lists(
    node: Any, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], str, list[Any]]]:
    """Every ``containers`` and ``initContainers`` list of ``node``, with the path of the
    mapping that holds it and its field."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in CONTAINER_FIELDS and isinstance(value, list):
                found.append((path, key, value))
            elif isinstance(value, dict) and isinstance(key, str):
                found.extend(_container_lists(value, (*path, key)))
    return found


def _pod_spec(root: Any, where: tuple[str, ...]) -> dict[str, Any] | None:
    """The pod spec at ``where`` in ``root``: None when there is none with a ``containers``
    list (nblint cannot tell what it holds)."""
    node = root
    for key in where:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, dict) or not isinstance(node.get("containers"), list):
        return None
    return node


def _names(root: Any, where: tuple[str, ...], field: str = "containers") -> list[str]:
    """The names of the containers of list ``field`` of the pod spec at ``where`` in ``root``."""
    node = _pod_spec(root, where)
    items = node.get(field) if node is not None else None
    if not isinstance(items, list):
        return []
    return [
        item["name"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]


def _has_container(
    root: Any, where: tuple[str, ...], field: str, name: str, imaged: bool
) -> bool | None:
    """Whether list ``field`` of the pod spec at ``where`` in ``root`` has a container named
    ``name`` (``imaged``: one with an image); None when ``root`` has no pod spec there with a
    container list (nblint cannot tell what it holds)."""
    node = _pod_spec(root, where)
    if node is None:
        return None
    items = node.get(field)
    return any(
        isinstance(item, dict) and item.get("name") == name and (not imaged or item.get("image"))
        for item in (items if isinstance(items, list) else ())
    )


#: The keys of a patch's ``target:`` selector nblint follows (kustomize's ``Selector``).
_SELECTOR_KEYS = frozenset(
    {"group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"}
)


def _selects(selector: dict[str, Any], root: Any) -> bool | None:
    """Whether a patch's ``target:`` selector selects the object ``root``, as kustomize matches
    one (group, version, kind, name and namespace are patterns of the whole value; label and
    annotation selectors); None when nblint cannot tell (a key or a selector it does not
    follow, a pattern it cannot compile)."""
    if not set(selector) <= _SELECTOR_KEYS or not all(
        isinstance(value, str) for value in selector.values()
    ):
        return None
    if not isinstance(root, dict) or not isinstance(root.get("metadata"), dict):
        return False
    metadata = root["metadata"]
    api = root.get("apiVersion")
    group, _, version = api.rpartition("/") if isinstance(api, str) else ("", "", "")
    values = {
        "group": group,
        "version": version,
        "kind": root.get("kind"),
        "name": metadata.get("name"),
        "namespace": metadata.get("namespace"),
    }
    verdict: bool | None = True
    for key, wanted in selector.items():
        if not wanted:
            continue
        if key in values:
            value = values[key]
            if key == "namespace" and value is None:
                # Set or not by a kustomization nblint does not follow here: cannot tell.
                verdict = None
                continue
            try:
                if not isinstance(value, str) or not re.fullmatch(wanted, value):
                    return False
            except re.error:
                return None
            continue
        field = "labels" if key == "labelSelector" else "annotations"
        found = _matches_labels(wanted, metadata.get(field))
        if found is None:
            verdict = None
        elif not found:
            return False
    return verdict


def _matches_labels(selector: str, labels: Any) -> bool | None:
    """Whether ``labels`` meet an equality-based selector (``k=v``, ``k==v``, ``k!=v``, ``k``,
    ``!k``, comma-separated); None for a set-based one (``in``, ``notin``), not followed."""
    if "(" in selector:
        return None
    labels = labels if isinstance(labels, dict) else {}
    for term in selector.split(","):
        term = term.strip()
        if not term:
            continue
        if "!=" in term:
            key, _, value = term.partition("!=")
            if str(labels.get(key.strip(), "")) == value.strip() and key.strip() in labels:
                return False
        elif "=" in term:
            key, _, value = term.replace("==", "=").partition("=")
            if key.strip() not in labels or str(labels[key.strip()]) != value.strip():
                return False
        elif term.startswith("!"):
            if term[1:].strip() in labels:
                return False
        elif " " in term:
            return None
        elif term not in labels:
            return False
    return True


class _Kustomization(Record):
    """What nblint reads of one ``kustomization.yaml``."""

    __slots__ = (
        "components",
        "generators",
        "helm",
        "images",
        "namespace",
        "patches",
        "path",
        "resources",
        "unapplied",
    )

    def __init__(
        self,
        path: str,
        patches: dict[str, PatchedBy],
        resources: list[Resource],
        namespace: SetNamespace | None,
        unapplied: list[tuple[str, tuple[int, int]]] | None = None,
        generators: list[Resource] | None = None,
        helm: bool = False,
        images: list[ImageEntry] | None = None,
        components: list[str] | None = None,
    ) -> None:
        self.path = path
        #: Its local ``components`` (real paths), in its order: each one's transformers run on
        #: all it has gathered so far, before its own.
        self.components = components or []
        #: Its ``images:`` entries, when nblint applies them (every entry one it understands).
        self.images = images or []
        #: Real path of a patch file → who names it.
        self.patches = patches
        #: Its local ``resources``, ``bases`` and ``components`` (files and directories).
        self.resources = resources
        self.namespace = namespace
        #: The fields of :data:`UNAPPLIED_FIELDS` it sets, in its order, with their positions.
        self.unapplied = unapplied or []
        #: Its local ``generators`` files that nblint reads as z2jh releases (Helm generators
        #: of a chart of :data:`READ_CHARTS`): the run reads them with it.
        self.generators = generators or []
        #: It inflates a Helm chart itself (``helmCharts``, a Helm generator).
        self.helm = helm


class Kustomizations:
    """The kustomizations near the run's inputs, each directory read once."""

    def __init__(self) -> None:
        #: Directory (absolute) → its kustomization, None when it has none.
        self._read: dict[str, _Kustomization | None] = {}
        #: Directories (as the inputs name them) with no kustomization near them: most runs.
        self._none_near: set[str] = set()
        #: Real path of a file or directory → the directories of the kustomizations read so far
        #: that name it under ``resources``.
        self._built_by: dict[str, list[str]] = {}

    def read_inputs(self, paths: list[str]) -> list[tuple[str, _Kustomization]]:
        """Read the kustomizations among the run's inputs before any other file: an overlay
        that names a base elsewhere puts the base's objects in its namespace. Returns them, by
        the path the inputs give."""
        found = []
        for path in paths:
            if os.path.basename(path) in KUSTOMIZATION_NAMES:
                kustomization = self._in(os.path.dirname(os.path.realpath(path)))
                if kustomization is not None:
                    found.append((path, kustomization))
        return found

    def patched_by(self, path: str) -> PatchedBy | None:
        """Who patches ``path`` in, when a kustomization near it names it as a patch."""
        if path == files.STDIN:
            return None
        given = os.path.dirname(path)
        if given in self._none_near:
            return None
        found = self._patched_by(path)
        if found is None and not self._near(given):
            self._none_near.add(given)
        return found

    def may_patch(self, path: str) -> bool:
        """Whether ``path`` may be a patch of a kustomization: one sits in its directory or one
        of those above it that :meth:`patched_by` looks in, or one read so far (an input
        overlay) names it under its patches from elsewhere (``../patches/env.yaml``). Asked
        only of a workload with no apiVersion (rare): it reads every kustomization's patches."""
        if path == files.STDIN:
            return False
        given = os.path.dirname(path)
        if given not in self._none_near and self._near(given):
            return True
        real = os.path.realpath(path)
        return any(k is not None and real in k.patches for k in self._read.values())

    def namespace_of(self, path: str) -> SetNamespace | None:
        """The namespace the kustomizations that build ``path`` put its objects in: None when
        none sets one, or when they put it in different ones."""
        if path == files.STDIN:
            return None
        if os.path.dirname(path) in self._none_near and not self._built_by:
            return None
        outcomes = self._namespaces(os.path.realpath(path))
        names = {outcome.namespace if outcome else None for outcome in outcomes}
        if len(names) != 1 or None in names:
            return None
        return next(iter(outcomes))

    def builds_any(self) -> bool:
        """Whether a kustomization read so far builds any file (most runs: none)."""
        return bool(self._built_by)

    def namespaces_of(self, path: str) -> list[SetNamespace]:
        """The namespaces the builds of ``path`` put its objects in, when they differ (overlays
        that put one base in different namespaces): each one set, once. Empty when every build
        gives one namespace (:meth:`namespace_of`) or none sets one."""
        if path == files.STDIN or not self._built_by:
            return []
        outcomes = self._namespaces(os.path.realpath(path))
        names = {outcome.namespace if outcome else None for outcome in outcomes}
        if len(names) < 2:
            return []
        found: dict[str, SetNamespace] = {}
        for outcome in outcomes:
            if outcome is not None:
                found.setdefault(outcome.namespace, outcome)
        return list(found.values())

    def _namespaces(self, member: str) -> list[SetNamespace | None]:
        """The namespace each chain of kustomizations that builds ``member`` puts it in (None:
        no kustomization of that chain sets one)."""
        outcomes: list[SetNamespace | None] = []
        for chain in self._chains(member, frozenset()):
            # The outer kustomization's transformer runs last: its namespace wins.
            found = [k.namespace for k in chain if k.namespace is not None]
            outcomes.append(found[-1] if found else None)
        return outcomes

    def images_of(self, path: str) -> ImageRewrites | None:
        """How the kustomizations that build ``path`` rewrite its images (their ``images:``);
        None when none of them has ``images:`` (most runs: checked first, cheaply)."""
        if path == files.STDIN or not self._built_by:
            return None
        chains = self._chains(os.path.realpath(path), frozenset())
        if not any(k.images for chain in chains for k in chain):
            return None
        return ImageRewrites(chains)

    def _chains(self, member: str, seen: frozenset[str]) -> list[list[_Kustomization]]:
        """Each chain of kustomizations whose transformers (``images:``, ``namespace:``) run on
        ``member``, in the order they run: a kustomization's components after what it gathers
        before them (each component's own components first), then the kustomization itself."""
        self._in(os.path.dirname(member))
        builders = [d for d in self._built_by.get(member, ()) if d not in seen]
        if not builders:
            return [[]]
        chains = []
        for directory in builders:
            kustomization = self._read[directory]
            assert kustomization is not None
            components = kustomization.components
            if member in components:  # the components named after it run on its objects
                components = components[components.index(member) + 1 :]
            steps: list[_Kustomization] = []
            for component in components:
                self._component(component, steps, seen | {directory})
            steps.append(kustomization)
            for above in self._chains(directory, seen | {directory}):
                chains.append([*steps, *above])
        return chains

    def _component(self, directory: str, steps: list[_Kustomization], seen: frozenset[str]) -> None:
        """The transformers a component runs on what its includer has gathered: its own
        components', then its own."""
        if directory in seen:
            return
        component = self._in(directory)
        if component is None:
            return
        for inner in component.components:
            self._component(inner, steps, seen | {directory})
        steps.append(component)

    def added_containers(self, patch: PatchedBy, documents: list[Any]) -> list[AddedContainer]:
        """The containers of the strategic merge patch ``documents`` (named in by ``patch``)
        that match no container of the same list (``containers``, ``initContainers``: merged
        apart) of an object they patch, and have no image: strategic merge adds each as a new
        container without one, which the API server refuses. Only when nblint reads the target
        (among what the kustomization builds, in the files nblint can read: the object of the
        patch's kind and name, or each object its entry's ``target:`` selects) and no other
        patch there gives that container an image."""
        if not patch.merged or not patch.directory:
            return []
        kustomization = self._in(patch.directory)
        if kustomization is None:
            return []
        # What the patch applies to: the kustomization's resources, or, for a component, those
        # of the kustomizations that name it.
        tops = [patch.directory]
        if not kustomization.resources:
            tops = [d for d in self._built_by.get(patch.directory, ()) if d in self._read]
        objects: list[tuple[str, Any]] = []
        patches: list[Any] = []
        seen: set[str] = set()
        for top in tops:
            self._gather(top, objects, patches, seen)
        if patch.target is not None and patch.target.get("name"):
            # A selector matches the name an object has when the patch runs: after the
            # `namePrefix`/`nameSuffix` of what it builds, which nblint does not apply.
            renamed = (self._read.get(d) for d in seen if d not in tops)
            if any(
                key in ("namePrefix", "nameSuffix")
                for k in renamed
                if k is not None
                for key, _ in k.unapplied
            ):
                return []
        out: list[AddedContainer] = []
        for root in documents:
            if not isinstance(root, dict):
                continue
            if patch.target is not None:
                # What the selector selects, whatever the patch's own name; nothing said when
                # nblint cannot tell whether one object is selected.
                verdicts = [_selects(patch.target, o) for _, o in objects]
                if None in verdicts:
                    continue
                chosen = [[t] for t, v in zip(objects, verdicts, strict=True) if v]
            elif _named(root):
                # Its kind and name (objects of that name in several namespaces: one merge).
                same = [(f, o) for f, o in objects if _same_object(o, root)]
                chosen = [same] if same else []
            else:
                continue
            others = [p for p in patches if p is not root]
            for targets in chosen:
                out.extend(self._added(root, targets, others))
        return out

    @staticmethod
    def _added(
        root: dict[str, Any], targets: list[tuple[str, Any]], others: list[Any]
    ) -> list[AddedContainer]:
        """The containers of the patch ``root`` that strategic merge adds to the object of
        ``targets`` (one object, or the same one written in several places), without an image:
        one that matches no container of the same list of any of them, and that no other patch
        there (``others``) gives an image."""
        out = []
        for where, field, lists in _container_lists(root, ()):
            for container in lists:
                if not isinstance(container, dict) or "image" in container:
                    continue
                name = container.get("name")
                if (
                    not isinstance(name, str)
                    or not name
                    or any(isinstance(key, str) and key.startswith("$") for key in container)
                ):
                    continue
                if any(
                    _has_container(o, where, field, name, False) is not False for _, o in targets
                ):
                    continue
                if any(_has_container(p, where, field, name, True) for p in others):
                    continue
                line, column = getattr(container, "key_pos", {}).get(
                    "name", getattr(container, "pos", (1, 1))
                )
                file, target = targets[0]
                other = "initContainers" if field == "containers" else "containers"
                out.append(
                    AddedContainer(
                        root,
                        name,
                        file,
                        line,
                        column,
                        _names(target, where, field),
                        field,
                        target,
                        name in _names(target, where, other),
                    )
                )
        return out

    def _gather(
        self, directory: str, objects: list[tuple[str, Any]], patches: list[Any], seen: set[str]
    ) -> None:
        """The objects of the files ``directory``'s kustomization builds (through its resource
        and component directories), and the documents of their patches."""
        if directory in seen:
            return
        seen.add(directory)
        kustomization = self._in(directory)
        if kustomization is None:
            return
        for real in kustomization.patches:
            patches.extend(_roots(real))
        for resource in kustomization.resources:
            if os.path.isdir(resource.real):
                self._gather(resource.real, objects, patches, seen)
            elif resource.real not in seen:
                seen.add(resource.real)
                objects.extend((resource.real, root) for root in _roots(resource.real))

    def inflates_helm(self, kustomization: _Kustomization) -> bool:
        """Whether building ``kustomization`` inflates a Helm chart: its own, or one of a
        kustomization it builds (``resources: [../../base]``)."""
        return self._inflates(kustomization, frozenset())

    def _inflates(self, kustomization: _Kustomization, seen: frozenset[str]) -> bool:
        if kustomization.helm:
            return True
        for resource in kustomization.resources:
            if resource.real in seen or not os.path.isdir(resource.real):
                continue
            built = self._in(resource.real)
            if built is not None and self._inflates(built, seen | {resource.real}):
                return True
        return False

    def _near(self, given: str) -> bool:
        """Whether a kustomization sits in ``given`` or the directories above it that
        :meth:`patched_by` looks in."""
        directory = os.path.abspath(given or ".")
        for _ in range(LEVELS_UP + 1):
            if self._in(directory) is not None:
                return True
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return False

    def _patched_by(self, path: str) -> PatchedBy | None:
        directory = os.path.dirname(os.path.abspath(path))
        real = None
        for _ in range(LEVELS_UP + 1):
            kustomization = self._in(directory)
            if kustomization is not None and kustomization.patches:
                real = real or os.path.realpath(path)
                found = kustomization.patches.get(real)
                if found is not None:
                    # Named as the input is (relative or absolute): ``overlay/kustomization.yaml``.
                    here = os.path.dirname(path)
                    beside = os.path.relpath(found.kustomization, os.path.dirname(real))
                    shown = os.path.normpath(os.path.join(here, beside)) if here else beside
                    return PatchedBy(
                        shown,
                        found.line,
                        self.inflates_helm(kustomization),
                        found.merged,
                        directory,
                        found.target,
                    )
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return None

    def _in(self, directory: str) -> _Kustomization | None:
        if directory in self._read:
            return self._read[directory]
        found = self._read[directory] = _read_kustomization(directory)
        for resource in found.resources if found is not None else ():
            self._built_by.setdefault(resource.real, []).append(directory)
        return found


def _read_kustomization(directory: str) -> _Kustomization | None:
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            break
    else:
        return None
    loaded = files.read(path)
    root = next(
        (entry.root for entry in files.documents(loaded) if isinstance(entry, Document)),
        None,
    )
    if not isinstance(root, dict):
        return None
    patches: dict[str, PatchedBy] = {}
    for entry, line, key in _patch_entries(root):
        target = entry if isinstance(entry, str) else None
        if isinstance(entry, dict):
            target = entry.get("path") if isinstance(entry.get("path"), str) else None
        if target and "\n" not in target:
            real = os.path.realpath(os.path.join(directory, target))
            # A strategic merge patch, not a JSON patch (a patch file of `patches` that is a
            # list of operations is none of the documents read as a merge patch); with a
            # `target:` selector, what it selects is patched.
            selector = entry.get("target") if isinstance(entry, dict) else None
            merged = key != "patchesJson6902" and (selector is None or isinstance(selector, dict))
            patches.setdefault(
                real,
                PatchedBy(
                    path,
                    line,
                    merged=merged,
                    target=selector if isinstance(selector, dict) else None,
                ),
            )
    resources: list[Resource] = []
    components: list[str] = []
    for field in RESOURCE_FIELDS:
        entries = root.get(field)
        if not isinstance(entries, list):
            continue
        positions = getattr(entries, "item_pos", [])
        for index, entry in enumerate(entries):
            # A remote base (``github.com/…``, ``https://…``) is no file here.
            if isinstance(entry, str) and entry and "\n" not in entry and "://" not in entry:
                pos = positions[index] if index < len(positions) else (1, 1)
                real = os.path.realpath(os.path.join(directory, entry))
                resources.append(Resource(entry, real, pos))
                if field == "components":
                    components.append(real)
    generators, helm_generators, other_generators = _generators(root.get("generators"), directory)
    key_pos = getattr(root, "key_pos", {})
    unapplied = [
        (key, key_pos.get(key, (1, 1)))
        for key in root
        if key in UNAPPLIED_FIELDS
        and root[key] not in (None, "", [], {})
        and not (key == "helmCharts" and _charts_read(root[key]))
        # Helm generators nblint reads as z2jh releases are applied, as `helmCharts` are.
        and not (key == "generators" and not other_generators)
    ]
    namespace = root.get("namespace")
    sets = None
    if isinstance(namespace, str) and namespace.strip():
        line = getattr(root, "key_pos", {}).get("namespace", (1, 1))[0]
        sets = SetNamespace(namespace.strip(), path, line)
    helm = helm_generators or any(
        isinstance(root.get(key), list) and root[key]
        for key in ("helmCharts", "helmChartInflationGenerator")
    )
    images = _images(root.get("images"), path)
    if images:
        unapplied = [(key, pos) for key, pos in unapplied if key != "images"]
    return _Kustomization(
        path, patches, resources, sets, unapplied, generators, helm, images, components
    )


def _generators(entries: object, directory: str) -> tuple[list[Resource], bool, bool]:
    """A kustomization's ``generators``: the files beside it nblint reads as z2jh releases (each
    a ``HelmChartInflationGenerator`` of a chart of :data:`READ_CHARTS`, every document of it),
    whether any entry inflates a Helm chart, and whether any is something else (a generator
    nblint does not apply: another kind, an inline config, a directory, a remote one)."""
    read: list[Resource] = []
    helm = other = False
    positions = getattr(entries, "item_pos", [])
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, str) or not entry or "\n" in entry or "://" in entry:
            other = True
            # An inline generator config may be a Helm generator too.
            helm = helm or (isinstance(entry, str) and HELM_GENERATOR in entry)
            continue
        real = os.path.realpath(os.path.join(directory, entry))
        kinds = _generator_kinds(real)
        helm = helm or HELM_GENERATOR in {kind for kind, _ in kinds}
        # kustomize reads the generator's `valuesFile` from the kustomization's directory; the
        # z2jh dialect reads it from beside the generator file: the same place only when the
        # generator file is in that directory (one elsewhere is not followed).
        beside = os.path.dirname(real) == os.path.realpath(directory)
        if (
            beside
            and kinds
            and all(kind == HELM_GENERATOR and chart in READ_CHARTS for kind, chart in kinds)
        ):
            pos = positions[index] if index < len(positions) else (1, 1)
            read.append(Resource(entry, real, pos))
        else:
            other = True
    return read, helm, other


def _generator_kinds(real: str) -> list[tuple[object, object]]:
    """``(kind, chart name)`` of each document of a generator file (none: no file, or not one
    nblint parses); a Helm generator of another ``apiVersion`` than kustomize's ``builtin`` is
    a plugin of its own."""
    if not os.path.isfile(real):
        return []
    found: list[tuple[object, object]] = []
    for entry in files.documents(files.read(real)):
        root = entry.root if isinstance(entry, Document) else None
        if not isinstance(root, dict):
            return []
        builtin = root.get("apiVersion") in (None, "builtin")
        found.append((root.get("kind") if builtin else None, root.get("name")))
    return found


def _patch_entries(root: Any) -> list[tuple[Any, int, str]]:
    """Every entry of the kustomization's patch lists, with its line and its list."""
    out = []
    for key in ("patches", "patchesStrategicMerge", "patchesJson6902"):
        entries = root.get(key)
        if not isinstance(entries, list):
            continue
        positions = getattr(entries, "item_pos", [])
        for index, entry in enumerate(entries):
            line = positions[index][0] if index < len(positions) else 1
            out.append((entry, line, key))
    return out


#: Kinds kustomize leaves without a namespace (cluster-scoped), among those nblint reads.
#: Kubeflow's Profile is cluster-scoped too: its namespace is its name.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "Namespace",
        "Node",
        "PersistentVolume",
        "StorageClass",
        "ClusterRole",
        "ClusterRoleBinding",
        "CustomResourceDefinition",
        "PriorityClass",
        "RuntimeClass",
        "MutatingWebhookConfiguration",
        "ValidatingWebhookConfiguration",
        "Profile",
    }
)


def renamed_namespace(root: Any, namespace: str) -> Any:
    """A copy of the Namespace object ``root``, as the build that puts it in ``namespace``
    makes it (only its name differs; the copy shares the rest), or None for another object."""
    if not isinstance(root, YMap) or root.get("kind") != "Namespace":
        return None
    metadata = root.get("metadata")
    if not isinstance(metadata, YMap) or not isinstance(metadata.get("name"), str):
        return None
    renamed = YMap(metadata.pos)
    renamed.update(metadata)
    renamed.key_pos = dict(metadata.key_pos)
    renamed.block_start = metadata.block_start
    renamed["name"] = namespace
    copy = YMap(root.pos)
    copy.update(root)
    copy.key_pos = dict(root.key_pos)
    copy.block_start = root.block_start
    copy["metadata"] = renamed
    return copy


def set_namespace(root: Any, namespace: str) -> None:
    """Put a namespaced object in ``namespace``, as kustomize's namespace transformer does.

    The key keeps the position of the namespace the object wrote, else takes its metadata's: a
    finding about the namespace points at the object, not at the kustomization. A Namespace is
    renamed to ``namespace`` (the transformer's field specs include a Namespace's
    ``metadata.name``): the Namespace a kustomization builds is the one its objects are in, with
    the labels it writes. Its name keeps the position of the name written.
    """
    if not isinstance(root, dict):
        return
    metadata = root.get("metadata")
    if not isinstance(metadata, dict):
        return
    if root.get("kind") == "Namespace":
        if isinstance(metadata.get("name"), str):
            metadata["name"] = namespace
        return
    if root.get("kind") in CLUSTER_SCOPED_KINDS:
        return
    metadata["namespace"] = namespace
    if isinstance(metadata, YMap) and "namespace" not in metadata.key_pos:
        metadata.key_pos["namespace"] = metadata.pos


#: What stands for an image that the overlays building one base set apart (a placeholder, which
#: no check reads as an image).
IMAGE_SET_APART = "${image set apart by each overlay's kustomize images:}"


def set_images(root: Any, rewrites: ImageRewrites) -> dict[str, ImageEntry]:
    """Rewrite the image of every container and init container of ``root`` as kustomize's image
    transformer builds it (its ``containers``/``initContainers`` lists anywhere, as kustomize
    looks for them); an image the overlays build apart becomes a placeholder. Returns the built
    images an entry sets, each with that entry."""
    built: dict[str, ImageEntry] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in ("containers", "initContainers") and isinstance(value, list):
                for container in value:
                    image = container.get("image") if isinstance(container, dict) else None
                    found = rewrites.built(image) if isinstance(image, str) else None
                    if found is None:
                        continue
                    image, entry = found
                    container["image"] = image if entry is not None else IMAGE_SET_APART
                    if entry is not None:
                        built[image] = entry
            if isinstance(value, (dict, list)):
                stack.append(value)
    return built


#: Text a file holds when one of its documents may be a Flux Kustomization that sets the
#: namespace of what it applies (asked of every input: two substring tests).
FLUX_KUSTOMIZATION_MARKERS = ("kustomize.toolkit.fluxcd.io", "targetNamespace")
FLUX_KUSTOMIZE_GROUP = "kustomize.toolkit.fluxcd.io/"


class FluxTarget(Record):
    """A Flux ``Kustomization`` (``kustomize.toolkit.fluxcd.io``) that applies the objects under
    its ``spec.path`` in its ``spec.targetNamespace``: kustomize-controller builds the path with
    that namespace as the outermost kustomization's ``namespace:`` (every namespaced object is put
    in it, over what the object says; a Namespace among them is renamed to it)."""

    __slots__ = ("directory", "parts", "sets")

    def __init__(self, parts: tuple[str, ...], directory: str, sets: SetNamespace) -> None:
        #: ``spec.path``, relative to the root of its source (a repository): its parts.
        self.parts = parts
        #: The real directory of the file that holds the Kustomization.
        self.directory = directory
        self.sets = sets


def flux_targets(loaded: list[Any]) -> list[FluxTarget]:
    """The Flux Kustomizations with a ``spec.targetNamespace`` among ``loaded`` (the run's files,
    as read). A ``spec.path`` of the source's root (``./``) names no directory nblint can find
    (the root of the repository is unknown to it): not followed."""
    found: list[FluxTarget] = []
    for item in loaded:
        text = item.text
        if not all(marker in text for marker in FLUX_KUSTOMIZATION_MARKERS):
            continue
        for entry in files.documents(item):
            root = entry.root if isinstance(entry, Document) else None
            if not isinstance(root, dict) or root.get("kind") != "Kustomization":
                continue
            api = root.get("apiVersion")
            spec = root.get("spec")
            if not isinstance(api, str) or not api.startswith(FLUX_KUSTOMIZE_GROUP):
                continue
            if not isinstance(spec, dict):
                continue
            path, namespace = spec.get("path"), spec.get("targetNamespace")
            if not isinstance(path, str) or not isinstance(namespace, str) or not namespace.strip():
                continue
            parts = tuple(p for p in path.replace("\\", "/").split("/") if p not in ("", "."))
            if not parts or ".." in parts:
                continue
            line = getattr(spec, "key_pos", {}).get("targetNamespace", (1, 1))[0]
            directory = os.path.dirname(os.path.realpath(item.path))
            found.append(
                FluxTarget(parts, directory, SetNamespace(namespace.strip(), item.path, line))
            )
    return found


def flux_namespace_of(path: str, targets: list[FluxTarget]) -> SetNamespace | None:
    """The namespace a Flux Kustomization of ``targets`` applies the objects of ``path`` in: the
    one whose ``spec.path`` the file lies under (matched by its last parts, as the path is the
    repository's and the run's files may be anywhere in it), the longest such path first, then
    one beside the Kustomization's own file (the ``ks.yaml`` + ``app/`` layout); None when none
    matches, or matches equally well with another namespace."""
    if path == files.STDIN or not targets:
        return None
    real = os.path.realpath(path)
    parts = tuple(real.split(os.sep))[:-1]
    scored: list[tuple[tuple[int, bool], SetNamespace]] = []
    for target in targets:
        size = len(target.parts)
        best: tuple[int, bool] | None = None
        for end in range(len(parts), size - 1, -1):
            if parts[end - size : end] != target.parts:
                continue
            matched = os.sep.join(parts[:end]) or os.sep
            near = matched == target.directory or matched.startswith(target.directory + os.sep)
            score = (size, near)
            best = score if best is None or score > best else best
        if best is not None:
            scored.append((best, target.sets))
    if not scored:
        return None
    top = max(score for score, _ in scored)
    names = {sets.namespace for score, sets in scored if score == top}
    if len(names) != 1:
        return None
    return next(sets for score, sets in scored if score == top)
