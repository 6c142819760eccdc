"""Provenance implementations: how a pod field is traced back to the line to edit."""

from __future__ import annotations

from nblint.load.yaml_tree import YList, YMap
from nblint.model.pod import Origin, Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def tree_position(root: Any, path: Path) -> tuple[int, int]:
    """Position of ``path`` in a loaded tree, or of the deepest part of it that exists.

    A mapping entry is placed at its key (the line holding ``key: value``), a list item at its
    first character.
    """
    return _descend(root, getattr(root, "pos", (1, 1)), path)[0]


def path_at(root: Any, line: int, column: int) -> Path:
    """The path of the deepest entry of a loaded tree that starts at or before ``line:column``
    and holds it: the inverse of :func:`tree_position`, for what the loader reports by position
    (a template in a value)."""
    at = (line, column)
    path: list[str | int] = []
    node = root
    while True:
        kind = node.__class__
        if kind is YMap:
            starts = [(pos, key) for key, pos in node.key_pos.items() if pos <= at]
        elif kind is YList:
            starts = [(pos, index) for index, pos in enumerate(node.item_pos) if pos <= at]
        else:
            return tuple(path)
        if not starts:
            return tuple(path)
        part = max(starts, key=lambda start: start[0])[1]
        path.append(part)
        node = node[part]


def _descend(node: Any, pos: tuple[int, int], path: Path) -> tuple[tuple[int, int], Any, bool]:
    """From ``node`` (placed at ``pos``) down ``path``: the position and node reached, and
    whether all of ``path`` exists."""
    for part in path:
        kind = node.__class__
        if kind is YMap:
            found = node.key_pos.get(part)
            if found is None:
                return pos, node, False
            pos, node = found, node[part]
        elif (
            kind is YList
            and part.__class__ is int
            and 0 <= part < min(len(node), len(node.item_pos))
        ):
            # (Positions are those the loader gave: an item a merge added has none.)
            pos, node = node.item_pos[part], node[part]
        else:
            return pos, node, False
    return pos, node, True


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
        #: Where ``prefix`` leads in ``root``, found by the first :meth:`locate` (a pod is asked
        #: for several fields, each below its template).
        self._template: tuple[tuple[int, int], Any, bool] | None = None

    def inject(self, path: Path, origin: Origin) -> None:
        self.injected[path] = origin

    def locate(self, path: Path) -> Origin:
        if self.injected:
            for length in range(len(path), -1, -1):
                origin = self.injected.get(path[:length])
                if origin is not None:
                    return origin
        if path[:1] in (("apiVersion",), ("kind",)):
            line, column = tree_position(self.root, path)
            return Origin(self.file, line, column)
        template = self._template
        if template is None:
            root = self.root
            template = self._template = _descend(root, getattr(root, "pos", (1, 1)), self.prefix)
        pos, node, whole = template
        line, column = _descend(node, pos, path)[0] if whole else pos
        return Origin(self.file, line, column)

    def position_of(self, doc_path: Path) -> Origin:
        """Origin of a path given in document coordinates (not pod coordinates)."""
        line, column = tree_position(self.root, doc_path)
        return Origin(self.file, line, column)
