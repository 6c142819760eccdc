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

import os

from nblint.load.provenance import tree_position
from nblint.model.document import CLUSTER_INDEX
from nblint.model.finding import Reported
from nblint.model.pod import Origin, Path, get_path
from nblint.model.unknowable import is_unknowable, is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.document import Recognised, RunIndex

#: Text a file holds when one of its documents may label a namespace (``Dialect.index_markers``).
MARKER = "managedNamespaceMetadata"
#: The sync option that makes Argo CD create (and label) the destination namespace.
CREATE_NAMESPACE = "CreateNamespace=true"
#: The rule said when ``managedNamespaceMetadata`` is written without that option (info).
UNAPPLIED = "argocd-namespace-metadata-unapplied"
#: The run-index key of the git path sources of the inputs' Argo CD objects with
#: managedNamespaceMetadata: ``(files, namespace)``, each file as path components from the
#: repository's root (``("jupyterhub", "values.yaml")``).
PATH_SOURCES = "argoproj.io/path-sources"
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
    return get_path(root, path)[1]


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
    PodSecurity labels (a placeholder an ApplicationSet's generators fill in). And the files of
    its git path sources (:data:`PATH_SOURCES`). For a release given with ``-f``, each layer
    that is such an object is indexed the same way, at its own file: the namespace the release
    is installed into is the one it labels (field test 13a D1)."""
    if not document.layers:
        return _object(document.file, document.root, document.context)
    entries: list[tuple[str, Any]] = []
    for file, root in document.layers:
        entries.extend(_object(file, root, document.context))
    return entries


def _object(file: str, root: Any, context: bool) -> list[tuple[str, Any]]:
    """:func:`index` of one Argo CD object ``root`` read from ``file``."""
    found = managed_metadata(root)
    if found is None:
        return []
    spec, metadata = found
    namespace = _at(root, (*spec, "destination", "namespace"))
    if not isinstance(namespace, str) or not namespace or is_unknowable_name(namespace):
        return []
    entries: list[tuple[str, Any]] = [
        (PATH_SOURCES, (files, namespace)) for files in _path_files(root, spec)
    ]
    if not creates_namespace(root, spec):
        return entries
    # The namespace model, only for a run that has such an object (a plain check never loads it).
    from nblint.model.namespace import (
        LABEL_PREFIX,
        SCC_RANGE_ANNOTATIONS,
        ClusterObject,
        Located,
        NamespaceManifest,
    )

    at: Path = (*spec, "syncPolicy", MARKER)

    def origin(path: Path) -> Origin:
        line, column = tree_position(root, path)
        return Origin(file, line, column)

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
    ref = ClusterObject("Namespace", namespace, None, origin(at), context)
    manifest = NamespaceManifest(ref, labels, scc_ranges=scc_ranges, written_by=_name(root))
    return [*entries, (CLUSTER_INDEX, manifest)]


def _path_files(root: Any, spec: Path) -> list[tuple[tuple[str, ...], ...]]:
    """For each git path source of the object (``path``, no ``chart``): the files of the chart
    in that directory that Helm reads as values (its ``values.yaml``, and each of
    ``helm.valueFiles`` that is a plain relative path), each as path components from the
    repository's root; none when a placeholder or a path out of the directory is written."""
    listed = _at(root, (*spec, "sources"))
    written = listed if isinstance(listed, list) and listed else [_at(root, (*spec, "source"))]
    out = []
    for source in written:
        if not isinstance(source, dict) or "chart" in source:
            continue
        directory = source.get("path")
        if not isinstance(directory, str) or is_unknowable_name(directory):
            continue
        base = _components(directory)
        if base is None:
            continue
        names = ["values.yaml"]
        value_files = _at(source, ("helm", "valueFiles"))
        for name in value_files if isinstance(value_files, list) else ():
            if isinstance(name, str) and not name.startswith("$") and "{{" not in name:
                names.append(name)
        files = []
        for name in dict.fromkeys(names):
            parts = _components(f"{directory}/{name}")
            if parts is not None and parts[: len(base)] == base and len(parts) > len(base):
                files.append(parts)
        out.append(tuple(files))
    return out


def _components(path: str) -> tuple[str, ...] | None:
    """``a/./b/`` → ``("a", "b")``; None for one that leaves the repository (``..``) or is
    empty (the repository's root names no directory to find among the inputs)."""
    parts: list[str] = []
    for part in path.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
    return tuple(parts) or None


def path_source_namespace(files: list[str], index: RunIndex) -> str | None:
    """The namespace an Argo CD object of the inputs installs a chart directory into, when one
    of ``files`` (a release's values files, as given) is a values file of that directory: the
    file's path ends with the source's ``path`` and the file's name there. None when no object
    says, or two say different namespaces. The repository's root is not known: the directory is
    matched by its trailing components only."""
    entries = index.get(PATH_SOURCES)
    if not entries:
        return None
    found: set[str] = set()
    for file in files:
        parts = _components(os.path.abspath(file))
        if parts is None:
            continue
        for written, namespace in entries:
            if any(len(f) <= len(parts) and parts[-len(f) :] == f for f in written):
                found.add(namespace)
    return found.pop() if len(found) == 1 else None


def problems(document: Recognised) -> list[Reported]:
    """``argocd-namespace-metadata-unapplied`` when ``managedNamespaceMetadata`` is written
    without ``CreateNamespace=true``: Argo CD then sets none of it. For a release given with
    ``-f``, of each layer that is such an object."""
    if document.context:
        return []
    if not document.layers:
        return _problems(document.file, document.root)
    return [found for file, root in document.layers for found in _problems(file, root)]


def _problems(file: str, root: Any) -> list[Reported]:
    found = managed_metadata(root)
    if found is None:
        return []
    spec, metadata = found
    at: Path = (*spec, "syncPolicy", MARKER)
    if creates_namespace(root, spec):
        # Its PodSecurity labels, read as a Namespace manifest's are (the namespace model only
        # for an object that writes any).
        written = metadata.get("labels")
        if not isinstance(written, dict) or not any(
            str(key).startswith("pod-security.kubernetes.io/") for key in written
        ):
            return []
        from nblint.model.namespace import Located, label_problems

        labels = {}
        for key, value in written.items():
            if not is_unknowable(value):
                line, column = tree_position(root, (*at, "labels", key))
                labels[str(key)] = Located(value, Origin(file, line, column))
        return [
            Reported(rule, message, origin, _name(root))
            for rule, message, origin in label_problems(labels)
        ]
    if not (metadata.get("labels") or metadata.get("annotations")):
        return []
    line, column = tree_position(root, at)
    target = _at(root, (*spec, "destination", "namespace"))
    where = f"namespace {target}" if isinstance(target, str) and target else "its namespace"
    return [
        Reported(
            UNAPPLIED,
            f"`{'.'.join(map(str, at))}` is not applied: Argo CD sets these labels and "
            f"annotations only with the sync option {CREATE_NAMESPACE}, which "
            f"{_name(root)} does not give; nblint does not take {where} to have them",
            Origin(file, line, column),
            _name(root),
        )
    ]
