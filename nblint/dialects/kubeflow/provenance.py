"""Provenance of a Notebook's pod, whose fields come from more than one written tree.

The pod spec comes from the Notebook's ``spec.template`` (a :class:`TreeProvenance` with that
prefix), but its labels and annotations come from the Notebook's own ``metadata``, and whatever a
PodDefault added comes from the PodDefault's file. A *graft* says "this pod subtree was written at
that place of that tree"; the deepest graft or injection that holds a path answers for it.
"""

from __future__ import annotations

from collections.abc import Callable

from nblint.dialects.base import TreePlacement
from nblint.load.provenance import TreeProvenance, tree_position
from nblint.model.edit import STRATEGIC, Edit, PlacedFix
from nblint.model.pod import Origin, Path, format_path, get_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Graft(Record):
    """A subtree of the pod that another document wrote (a PodDefault's), and where."""

    __slots__ = ("doc_path", "editable", "file", "note", "root")

    def __init__(
        self,
        file: str,
        root: Any,
        doc_path: Path,
        note: str = "",
        editable: tuple[int, Path] | None = None,
    ) -> None:
        self.file = file
        self.root = root
        #: Where the grafted subtree sits in ``root``.
        self.doc_path = doc_path
        self.note = note
        #: ``(document index, place in the document)`` of a tree a fix may edit (a PodDefault
        #: among the inputs); None: not to be edited.
        self.editable = editable


class NotebookProvenance(TreeProvenance):
    def __init__(self, file: str, root: Any) -> None:
        super().__init__(file, root, ("spec", "template"))
        self.grafts: dict[Path, Graft] = {}

    def graft(self, path: Path, graft: Graft) -> None:
        self.grafts[path] = graft

    def locate(self, path: Path) -> Origin:
        for length in range(len(path), -1, -1):
            prefix = path[:length]
            injected = self.injected.get(prefix)
            if injected is not None:
                return injected
            graft = self.grafts.get(prefix)
            if graft is not None:
                line, column = tree_position(graft.root, (*graft.doc_path, *path[length:]))
                return Origin(graft.file, line, column, graft.note)
        return super().locate(path)


class NotebookPlacement:
    """Kubeflow hints are Notebook patches (``spec.template.spec…``), merged into the Notebook
    itself — except for what a PodDefault added, which the webhook would merge back in: that
    fix goes into the PodDefault's own entry (a sidecar, an init container, a volume, a pod
    setting), and is only shown when the PodDefault is the cluster's (``--poddefaults``) or
    the hint has nothing for that entry."""

    def __init__(
        self, tree: TreePlacement, provenance: NotebookProvenance, pod: dict[str, Any]
    ) -> None:
        self.tree = tree
        self.provenance = provenance
        self.pod = pod

    def place(
        self,
        hint: str,
        path: Path,
        anchor: Path | None,
        template_hint: Callable[[], str | None] = lambda: None,
    ) -> PlacedFix:
        for length in range(len(path), -1, -1):
            graft = self.provenance.grafts.get(path[:length])
            if graft is not None:
                if graft.root is not self.provenance.root:
                    return self._in_poddefault(hint, path[:length], graft)
                break
        return self.tree.place(self._without_poddefault_entries(hint), path, anchor)

    def shown(self, hint: str) -> str:
        return self.tree.shown(hint)

    def _without_poddefault_entries(self, hint: str) -> str:
        """``hint`` without the list entries a PodDefault added to the pod.

        A hint written from the effective pod (the GPU's toleration added to the pod's
        tolerations) lists what the PodDefaults merged in at admission too. Written into the
        Notebook, those would pin a PodDefault's choice into the CR (unticking it in the JWA no
        longer removes it) and the webhook merges them once more: the Notebook keeps its own
        entries and what the hint adds, and the PodDefault goes on adding its own."""
        if not any(
            graft.root is not self.provenance.root for graft in self.provenance.grafts.values()
        ):
            return hint
        parsed = _hint_pod_spec(hint)
        if parsed is None:
            return hint
        patch, spec = parsed
        dropped = self._drop_added(spec, ("spec",))
        for name in ("containers", "initContainers"):
            listed = spec.get(name)
            for container in listed if isinstance(listed, list) else ():
                index = self._container_index(name, container)
                if index is not None:
                    dropped |= self._drop_added(container, ("spec", name, index))
        if not dropped:
            return hint
        import yaml

        return yaml.safe_dump(patch, sort_keys=False, default_flow_style=False).rstrip()

    def _drop_added(self, holder: dict[str, Any], pod_path: Path) -> bool:
        """Drop from each list of ``holder`` (a hint's entry for the pod at ``pod_path``) the
        entries equal to one a PodDefault added there; whether any was dropped."""
        from nblint.dialects.kubeflow.poddefaults import comparable

        dropped = False
        for key, entries in holder.items():
            if not isinstance(entries, list):
                continue
            list_path = (*pod_path, key)
            _, in_pod = get_path(self.pod, list_path)
            added = [
                comparable(entry)
                for index, entry in enumerate(in_pod if isinstance(in_pod, list) else ())
                if self._added_by_poddefault((*list_path, index))
            ]
            if not added:
                continue
            kept = [entry for entry in entries if comparable(entry) not in added]
            if len(kept) != len(entries):
                holder[key] = kept
                dropped = True
        return dropped

    def _added_by_poddefault(self, path: Path) -> bool:
        graft = self.provenance.grafts.get(path)
        return graft is not None and graft.root is not self.provenance.root

    def _container_index(self, name: str, container: Any) -> int | None:
        """The index in the pod's ``name`` list of the container a hint names."""
        if not isinstance(container, dict) or "name" not in container:
            return None
        _, listed = get_path(self.pod, ("spec", name))
        for index, entry in enumerate(listed if isinstance(listed, list) else ()):
            if isinstance(entry, dict) and entry.get("name") == container["name"]:
                return index
        return None

    def _in_poddefault(self, hint: str, pod_path: Path, graft: Graft) -> PlacedFix:
        patch = _poddefault_patch(hint, pod_path, self.pod)
        if patch is None:
            return PlacedFix(hint, None)
        import yaml

        text = yaml.safe_dump(patch, sort_keys=False, default_flow_style=False).rstrip()
        where = format_path(graft.doc_path)
        shown = f"# in {graft.note.removeprefix('added by ')} ({graft.file}), at {where}\n"
        if graft.editable is None:
            # The cluster's own PodDefault (--poddefaults): the change is shown in its shape,
            # at its entry, never applied.
            return PlacedFix(shown + text, None)
        document, at = graft.editable
        target = (*at, *graft.doc_path)
        return PlacedFix(shown + text, Edit(graft.file, document, target, STRATEGIC, text))


def _hint_pod_spec(hint: str) -> tuple[Any, dict[str, Any]] | None:
    """A Notebook ``hint`` parsed afresh (the caller may change it), and the pod spec
    (``spec.template.spec``) it writes; None when it is not YAML or writes none."""
    import yaml

    try:
        notebook = yaml.safe_load(hint)
    except yaml.YAMLError:
        return None
    found, spec = get_path(notebook, ("spec", "template", "spec"))
    return (notebook, spec) if found and isinstance(spec, dict) else None


def _poddefault_patch(hint: str, pod_path: Path, pod: dict[str, Any]) -> Any:
    """What the Notebook ``hint`` asks of the pod entry at ``pod_path`` that a PodDefault added
    (a container or volume by name, or one pod setting), as a patch of that entry; None when it
    asks nothing of it."""
    parsed = _hint_pod_spec(hint)
    if parsed is None:
        return None
    spec = parsed[1]
    if len(pod_path) == 3 and isinstance(pod_path[2], int):
        _, entry = get_path(pod, pod_path)
        name = entry.get("name") if isinstance(entry, dict) else None
        entries = spec.get(str(pod_path[1]))
        for item in entries if isinstance(entries, list) else ():
            if isinstance(item, dict) and name is not None and item.get("name") == name:
                rest = {k: v for k, v in item.items() if k != "name"}
                return rest or None
        return None
    if len(pod_path) == 2 and pod_path[1] in spec:
        return {pod_path[1]: spec[pod_path[1]]}
    return None
