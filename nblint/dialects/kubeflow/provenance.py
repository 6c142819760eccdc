"""Provenance of a Notebook's pod, whose fields come from more than one written tree.

The pod spec comes from the Notebook's ``spec.template`` (a :class:`TreeProvenance` with that
prefix), but its labels and annotations come from the Notebook's own ``metadata``, and whatever a
PodDefault added comes from the PodDefault's file. A *graft* says "this pod subtree was written at
that place of that tree"; the deepest graft or injection that holds a path answers for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nblint.dialects.base import TreePlacement
from nblint.load.provenance import TreeProvenance, tree_position
from nblint.model.edit import PlacedFix
from nblint.model.pod import Origin, Path


@dataclass(frozen=True)
class Graft:
    file: str
    root: Any
    #: Where the grafted subtree sits in ``root``.
    doc_path: Path
    note: str = ""


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
    itself — except for a field a PodDefault added: the Notebook cannot undo what the webhook
    merges in after it, so that hint is shown, not applied."""

    def __init__(self, tree: TreePlacement, provenance: NotebookProvenance) -> None:
        self.tree = tree
        self.provenance = provenance

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
                    return PlacedFix(hint, None)
                break
        return self.tree.place(hint, path, anchor)
