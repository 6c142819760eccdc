"""The namespace an Argo CD ``Application`` (or an ``ApplicationSet``'s template) creates and
labels: ``spec.syncPolicy.managedNamespaceMetadata`` with the sync option
``CreateNamespace=true``.

Facts (Argo CD's sync-options documentation, "Create Namespace" and "Namespace Metadata", and its
controller's ``syncNamespace``):

* with ``CreateNamespace=true`` among ``spec.syncPolicy.syncOptions``, Argo CD creates the
  namespace of ``spec.destination.namespace`` when it is missing, and sets the labels and
  annotations of ``managedNamespaceMetadata`` on it, on one it created and on one that already
  exists alike (server-side apply: the namespace's other labels stay);
* without that option, ``managedNamespaceMetadata`` does nothing at all;
* a Namespace manifest of that name among the Application's own manifests takes precedence: its
  labels and annotations replace what ``managedNamespaceMetadata`` sets.

So the Application stands, for the run index, for a Namespace manifest of
``spec.destination.namespace`` with those labels (:class:`~nblint.model.namespace.
NamespaceManifest` with ``written_by``): every pod the inputs place in that namespace (the z2jh
release the Application installs, a raw workload whose ``metadata.namespace`` names it) is
admitted by them. :meth:`~nblint.model.namespace.ClusterContext.build` decides against a Namespace
manifest of the same name (the manifest wins, as Argo CD's documentation says).

The z2jh dialect claims every Argo CD object with ``managedNamespaceMetadata`` (cheap: dict
lookups) so that it is indexed, whatever it installs; its normaliser declines one that installs
no z2jh chart (counted as skipped, as before).
"""

from __future__ import annotations

from nblint.load.provenance import tree_position
from nblint.model.document import CLUSTER_INDEX
from nblint.model.finding import Reported
from nblint.model.namespace import (
    LABEL_PREFIX,
    SCC_RANGE_ANNOTATIONS,
    ClusterObject,
    Located,
    NamespaceManifest,
)
from nblint.model.pod import Origin, Path
from nblint.model.unknowable import is_unknowable, is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.document import Recognised

#: Text a file holds when one of its documents may label a namespace (``Dialect.index_markers``).
MARKER = "managedNamespaceMetadata"
#: The sync option that makes Argo CD create (and label) the destination namespace.
CREATE_NAMESPACE = "CreateNamespace=true"
#: The rule said when ``managedNamespaceMetadata`` is written without that option (info).
UNAPPLIED = "argocd-namespace-metadata-unapplied"
_KINDS = ("Application", "ApplicationSet")
_GROUP = "argoproj.io/"


def _spec(root: Any) -> Path | None:
    """Where the Application spec is: ``("spec",)``, or an ApplicationSet's template's."""
    if not isinstance(root, dict) or root.get("kind") not in _KINDS:
        return None
    api = root.get("apiVersion")
    if not isinstance(api, str) or not api.startswith(_GROUP):
        return None
    return ("spec",) if root["kind"] == "Application" else ("spec", "template", "spec")


def _at(root: Any, path: Path) -> Any:
    node = root
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def managed_metadata(root: Any) -> tuple[Path, dict[str, Any]] | None:
    """``(path of spec, managedNamespaceMetadata)`` of an Argo CD object that writes it (cheap:
    dict lookups only); None for any other document."""
    spec = _spec(root)
    if spec is None:
        return None
    metadata = _at(root, (*spec, "syncPolicy", MARKER))
    return (spec, metadata) if isinstance(metadata, dict) else None


def creates_namespace(root: Any, spec: Path) -> bool:
    options = _at(root, (*spec, "syncPolicy", "syncOptions"))
    return isinstance(options, list) and CREATE_NAMESPACE in options


def _name(root: Any) -> str:
    metadata = root.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return f"{root['kind']}/{name if isinstance(name, str) and name else '(unnamed)'}"


def index(document: Recognised) -> list[tuple[str, Any]]:
    """The Namespace the object stands for, filed as a Namespace manifest would be; none when
    the object does not create its namespace, or nblint cannot know the namespace or one of its
    PodSecurity labels (a placeholder an ApplicationSet's generators fill in)."""
    root = document.root
    found = managed_metadata(root)
    if found is None or document.layers:
        return []
    spec, metadata = found
    if not creates_namespace(root, spec):
        return []
    namespace = _at(root, (*spec, "destination", "namespace"))
    if not isinstance(namespace, str) or not namespace or is_unknowable_name(namespace):
        return []
    at: Path = (*spec, "syncPolicy", MARKER)

    def origin(path: Path) -> Origin:
        line, column = tree_position(root, path)
        return Origin(document.file, line, column)

    labels_written = metadata.get("labels")
    labels: dict[str, Located] = {}
    for key, value in (labels_written if isinstance(labels_written, dict) else {}).items():
        if str(key).startswith(LABEL_PREFIX) and is_unknowable(value):
            return []  # its PodSecurity level is not known: the namespace is not either
        labels[str(key)] = Located(value, origin((*at, "labels", key)))
    annotations = metadata.get("annotations")
    annotations = annotations if isinstance(annotations, dict) else {}
    scc_ranges = {
        key: Located(annotations[key], origin((*at, "annotations", key)))
        for key in SCC_RANGE_ANNOTATIONS
        if isinstance(annotations.get(key), str)
    }
    ref = ClusterObject("Namespace", namespace, None, origin(at), document.context)
    manifest = NamespaceManifest(ref, labels, scc_ranges=scc_ranges, written_by=_name(root))
    return [(CLUSTER_INDEX, manifest)]


def problems(document: Recognised) -> list[Reported]:
    """``argocd-namespace-metadata-unapplied`` when ``managedNamespaceMetadata`` is written
    without ``CreateNamespace=true``: Argo CD then sets none of it."""
    root = document.root
    found = managed_metadata(root)
    if found is None or document.layers or document.context:
        return []
    spec, metadata = found
    if creates_namespace(root, spec) or not (metadata.get("labels") or metadata.get("annotations")):
        return []
    at: Path = (*spec, "syncPolicy", MARKER)
    line, column = tree_position(root, at)
    target = _at(root, (*spec, "destination", "namespace"))
    where = f"namespace {target}" if isinstance(target, str) and target else "its namespace"
    return [
        Reported(
            UNAPPLIED,
            f"`{'.'.join(map(str, at))}` is not applied: Argo CD sets these labels and "
            f"annotations only with the sync option {CREATE_NAMESPACE}, which "
            f"{_name(root)} does not give; nblint does not take {where} to have them",
            Origin(document.file, line, column),
            _name(root),
        )
    ]
