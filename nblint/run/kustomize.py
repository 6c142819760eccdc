"""What the kustomizations near the inputs do to them: patches, and the namespace they set.

An overlay's ``patch.yaml`` holds only the fields it changes (a Notebook with resources and no
image, a Deployment with one env var). Checked as a whole object it would be a page of untrue
findings (no image, no securityContext). A file is taken as a patch when a ``kustomization.yaml``
in its directory, or in one of the two above it, names it under ``patches``,
``patchesStrategicMerge`` or ``patchesJson6902``; the run then says so once, at the file's first
line, and checks none of its documents. What kustomize builds is checked by linting the build
(``kustomize build overlay | nblint check -``).

A kustomization's ``namespace:`` is set on every namespaced object of its resources, over what the
object says (kustomize's namespace transformer). A file named under ``resources`` of the
kustomization in its directory, itself perhaps a resource of the kustomizations above, is in the
namespace of the outermost of them that sets one: the one ``kubectl apply -k`` of the top builds.
An overlay elsewhere that names the base directory cannot be seen from the base: the base is
checked as the base alone builds.
"""

from __future__ import annotations

import os

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


class PatchedBy(Record):
    """The kustomization that names a file as a patch, and the line that names it."""

    __slots__ = ("kustomization", "line")

    def __init__(self, kustomization: str, line: int) -> None:
        self.kustomization = kustomization
        self.line = line


class SetNamespace(Record):
    """The namespace a kustomization sets on the objects of a file, and where it says so."""

    __slots__ = ("kustomization", "line", "namespace")

    def __init__(self, namespace: str, kustomization: str, line: int) -> None:
        self.namespace = namespace
        self.kustomization = kustomization
        self.line = line


class _Kustomization(Record):
    """What nblint reads of one ``kustomization.yaml``."""

    __slots__ = ("namespace", "patches", "resources")

    def __init__(
        self,
        patches: dict[str, PatchedBy],
        resources: frozenset[str],
        namespace: SetNamespace | None,
    ) -> None:
        #: Real path of a patch file → who names it.
        self.patches = patches
        #: The real paths its ``resources`` name (files and directories).
        self.resources = resources
        self.namespace = namespace


class Kustomizations:
    """The kustomizations near the run's inputs, each directory read once."""

    def __init__(self) -> None:
        #: Directory (absolute) → its kustomization, None when it has none.
        self._read: dict[str, _Kustomization | None] = {}
        #: Directories (as the inputs name them) with no kustomization near them: most runs.
        self._none_near: set[str] = set()

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

    def namespace_of(self, path: str) -> SetNamespace | None:
        """The namespace the kustomizations that build ``path`` put its objects in, if any."""
        if path == files.STDIN or os.path.dirname(path) in self._none_near:
            return None
        member = os.path.realpath(path)
        directory = os.path.dirname(member)
        found = None
        while True:
            kustomization = self._in(directory)
            if kustomization is None or member not in kustomization.resources:
                return found
            # The outer kustomization's transformer runs last: its namespace wins.
            found = kustomization.namespace or found
            parent = os.path.dirname(directory)
            if parent == directory:
                return found
            member, directory = directory, parent

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
                    return PatchedBy(shown, found.line)
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
        return None

    def _in(self, directory: str) -> _Kustomization | None:
        if directory in self._read:
            return self._read[directory]
        found = self._read[directory] = _read_kustomization(directory)
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
    for entry, line in _patch_entries(root):
        target = entry if isinstance(entry, str) else None
        if isinstance(entry, dict):
            target = entry.get("path") if isinstance(entry.get("path"), str) else None
        if target and "\n" not in target:
            real = os.path.realpath(os.path.join(directory, target))
            patches.setdefault(real, PatchedBy(path, line))
    resources = root.get("resources")
    named = frozenset(
        os.path.realpath(os.path.join(directory, entry))
        for entry in (resources if isinstance(resources, list) else ())
        # A remote base (``github.com/…``, ``https://…``) is no file here.
        if isinstance(entry, str) and entry and "\n" not in entry and "://" not in entry
    )
    namespace = root.get("namespace")
    sets = None
    if isinstance(namespace, str) and namespace.strip():
        line = getattr(root, "key_pos", {}).get("namespace", (1, 1))[0]
        sets = SetNamespace(namespace.strip(), path, line)
    return _Kustomization(patches, named, sets)


def _patch_entries(root: Any) -> list[tuple[Any, int]]:
    """Every entry of the kustomization's patch lists, with its line."""
    out = []
    for key in ("patches", "patchesStrategicMerge", "patchesJson6902"):
        entries = root.get(key)
        if not isinstance(entries, list):
            continue
        positions = getattr(entries, "item_pos", [])
        for index, entry in enumerate(entries):
            line = positions[index][0] if index < len(positions) else 1
            out.append((entry, line))
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


def set_namespace(root: Any, namespace: str) -> None:
    """Put a namespaced object in ``namespace``, as kustomize's namespace transformer does.

    The key keeps the position of the namespace the object wrote, else takes its metadata's: a
    finding about the namespace points at the object, not at the kustomization.
    """
    if not isinstance(root, dict) or root.get("kind") in CLUSTER_SCOPED_KINDS:
        return
    metadata = root.get("metadata")
    if not isinstance(metadata, dict):
        return
    metadata["namespace"] = namespace
    if isinstance(metadata, YMap) and "namespace" not in metadata.key_pos:
        metadata.key_pos["namespace"] = metadata.pos
