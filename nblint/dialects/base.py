"""The declaration every dialect makes (see :mod:`nblint.dialects`)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nblint.model.document import Neighbour, Normalised, Recognised, RunIndex
from nblint.model.edit import STRATEGIC, Edit, PlacedFix, indent_under
from nblint.model.finding import Reported
from nblint.model.pod import Path

Settings = dict[str, Any]
Neighbours = tuple[Neighbour, ...]
Normaliser = Callable[[Recognised, RunIndex, Settings], Normalised]
#: ``(document, settings) -> [(index key, entry)]``: what a document adds to the run index.
Indexer = Callable[[Recognised, Settings], list[tuple[str, Any]]]
#: ``(first document of the dialect, index, settings) -> problems``, once per run.
OncePerRun = Callable[[Recognised, RunIndex, Settings], list[Reported]]


@dataclass(frozen=True)
class Dialect:
    """What nblint needs to know about one dialect (see the module docstring)."""

    name: str
    #: ``(parsed document, settings) -> bool``: cheap, and wrong only towards "no".
    claims: Callable[[Any, Settings], bool]
    #: ``"module:function"`` of the :data:`Normaliser`, imported when first needed.
    normaliser: str
    #: Fix-hint keys this dialect's findings use → what each is written for (``explain``, SARIF).
    fix_labels: tuple[tuple[str, str], ...]
    #: ``"module:function"`` of the :data:`Indexer`, for dialects others read from.
    indexer: str | None = None
    #: Texts a file must hold to contribute to the index (its documents are then read before
    #: any is normalised); the others are read one document at a time.
    index_markers: tuple[str, ...] = ()
    #: ``"module:function"`` of a :data:`OncePerRun` (findings about the deployment as a whole).
    once: str | None = None
    #: Bytes a file holds when its documents must be checked in one process with every other
    #: such file (``--jobs``): findings once per run, documents that change each other.
    together_marker: bytes | None = None
    #: The setting that lists files layered into one document of this dialect, the later file
    #: winning (z2jh's ``-f/--values``: one release from several values files).
    layered: str | None = None
    #: Whether this dialect's hints are strategic-merge patches of a pod template: a dialect
    #: that writes a container's own spec elsewhere (z2jh ``extraContainers``) reuses them.
    template_hints: bool = False
    #: Whether its documents change the pods of every other file (a namespace's LimitRange):
    #: with ``--jobs``, every process reads the files that hold its index markers.
    cluster_wide: bool = False
    #: Names of files beside an input that this dialect reads (z2jh: the ``Chart.yaml`` of an
    #: umbrella chart, which pins the z2jh release and the key its values sit under). The run
    #: reads and parses those that exist, and hands them over on ``Recognised.neighbours``.
    neighbours: tuple[str, ...] = ()
    #: ``(parsed document, settings, neighbours) -> bool``: what :attr:`claims` says when the
    #: dialect's neighbours were found beside the document (they may say where its content sits).
    claims_beside: Callable[[Any, Settings, Neighbours], bool] | None = None

    def claim(self, root: Any, settings: Settings, neighbours: Neighbours = ()) -> bool:
        """Whether this dialect claims ``root``, with the neighbours it declared found beside it."""
        if neighbours and self.claims_beside is not None:
            return self.claims_beside(root, settings, neighbours)
        return self.claims(root, settings)

    def normalise(self, document: Recognised, index: RunIndex, settings: Settings) -> Normalised:
        normaliser: Normaliser = _function(self.normaliser)
        return normaliser(document, index, settings)

    def index(self, document: Recognised, settings: Settings) -> list[tuple[str, Any]]:
        if self.indexer is None:
            return []
        indexer: Indexer = _function(self.indexer)
        return indexer(document, settings)

    def once_per_run(
        self, document: Recognised, index: RunIndex, settings: Settings
    ) -> list[Reported]:
        if self.once is None:
            return []
        once: OncePerRun = _function(self.once)
        return once(document, index, settings)


@dataclass(frozen=True)
class TreePlacement:
    """Hints written as strategic-merge patches, merged at ``at`` of one written document: a
    manifest's hints are written for the pod template and shown nested under ``template`` (the
    kind's path to it), so that they paste at the object's own level and ``kubectl patch`` as
    shown; a Notebook's are written for the Notebook already (``template`` empty)."""

    file: str
    document: int
    #: Where the object sits in its document (an item of a ``kind: List``).
    at: Path
    template: Path = ()

    def place(
        self,
        hint: str,
        path: Path,
        anchor: Path | None,
        template_hint: Callable[[], str | None] = lambda: None,
    ) -> PlacedFix:
        text = indent_under(hint, self.template)
        return PlacedFix(text, Edit(self.file, self.document, self.at, STRATEGIC, text))


def _function(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)
