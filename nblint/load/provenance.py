"""Provenance implementations: how a pod field is traced back to the line to edit."""

from __future__ import annotations

from typing import Any

from nblint.load.yaml_tree import YList, YMap
from nblint.model.pod import Origin, Path


def tree_position(root: Any, path: Path) -> tuple[int, int]:
    """Position of ``path`` in a loaded tree, or of the deepest part of it that exists.

    A mapping entry is placed at its key (the line holding ``key: value``), a list item at its
    first character.
    """
    pos: tuple[int, int] = getattr(root, "pos", (1, 1))
    node = root
    for part in path:
        kind = type(node)
        if kind is YMap:
            found = node.key_pos.get(part)
            if found is None:
                break
            pos, node = found, node[part]
        elif kind is YList and type(part) is int and 0 <= part < len(node):
            pos, node = node.item_pos[part], node[part]
        else:
            break
    return pos


class TreeProvenance:
    """Fields that come straight from one written tree (a manifest, a Notebook).

    ``prefix`` is where the pod template sits in the document (``spec.template`` of a
    Deployment). ``injected`` holds fields that the tree does not show (API-server defaulting,
    controller injections), keyed by pod path; the longest matching prefix wins.
    """

    def __init__(self, file: str, root: Any, prefix: Path = ()) -> None:
        self.file = file
        self.root = root
        self.prefix = prefix
        self.injected: dict[Path, Origin] = {}

    def inject(self, path: Path, origin: Origin) -> None:
        self.injected[path] = origin

    def locate(self, path: Path) -> Origin:
        if self.injected:
            for length in range(len(path), -1, -1):
                origin = self.injected.get(path[:length])
                if origin is not None:
                    return origin
        doc_path = path if path[:1] in (("apiVersion",), ("kind",)) else (*self.prefix, *path)
        line, column = tree_position(self.root, doc_path)
        return Origin(self.file, line, column)

    def position_of(self, doc_path: Path) -> Origin:
        """Origin of a path given in document coordinates (not pod coordinates)."""
        line, column = tree_position(self.root, doc_path)
        return Origin(self.file, line, column)
