"""Files a kustomization beside them patches in: patches, not objects.

An overlay's ``patch.yaml`` holds only the fields it changes (a Notebook with resources and no
image, a Deployment with one env var). Checked as a whole object it would be a page of untrue
findings (no image, no securityContext). A file is taken as a patch when a ``kustomization.yaml``
in its directory, or in one of the two above it, names it under ``patches``,
``patchesStrategicMerge`` or ``patchesJson6902``; the run then says so once, at the file's first
line, and checks none of its documents. What kustomize builds is checked by linting the build
(``kustomize build overlay | nblint check -``).
"""

from __future__ import annotations

import os

from nblint.load import files
from nblint.load.yaml_tree import Document
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


class Kustomizations:
    """The patches of the kustomizations near the run's inputs, each directory read once."""

    def __init__(self) -> None:
        #: Directory → {real path of a patch file: who names it}.
        self._patches: dict[str, dict[str, PatchedBy]] = {}
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

    def _near(self, given: str) -> bool:
        """Whether a kustomization with patches sits in ``given`` or the directories above it
        that :meth:`patched_by` looks in."""
        directory = os.path.abspath(given or ".")
        for _ in range(LEVELS_UP + 1):
            if self._in(directory):
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
            patches = self._in(directory)
            if patches:
                real = real or os.path.realpath(path)
                found = patches.get(real)
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

    def _in(self, directory: str) -> dict[str, PatchedBy]:
        found = self._patches.get(directory)
        if found is None:
            found = self._patches[directory] = _read_patches(directory)
        return found


def _read_patches(directory: str) -> dict[str, PatchedBy]:
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            break
    else:
        return {}
    loaded = files.read(path)
    root = next(
        (entry.root for entry in files.documents(loaded) if isinstance(entry, Document)),
        None,
    )
    if not isinstance(root, dict):
        return {}
    out: dict[str, PatchedBy] = {}
    for entry, line in _patch_entries(root):
        target = entry if isinstance(entry, str) else None
        if isinstance(entry, dict):
            target = entry.get("path") if isinstance(entry.get("path"), str) else None
        if target and "\n" not in target:
            real = os.path.realpath(os.path.join(directory, target))
            out.setdefault(real, PatchedBy(path, line))
    return out


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
