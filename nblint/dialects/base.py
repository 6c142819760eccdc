"""The declaration every dialect makes (see :mod:`nblint.dialects`)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from nblint.model.document import Neighbour, Normalised, Recognised, RunIndex
from nblint.model.edit import STRATEGIC, Edit, PlacedFix, indent_under
from nblint.model.finding import Reported
from nblint.model.pod import Path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Settings = dict[str, Any]
    Neighbours = tuple[Neighbour, ...]
    Normaliser = Callable[[Recognised, RunIndex, Settings], Normalised]
    #: ``(document, settings) -> [(index key, entry)]``: what a document adds to the run index.
    Indexer = Callable[[Recognised, Settings], list[tuple[str, Any]]]
    #: ``(first document of the dialect, index, settings) -> problems``, once per run.
    OncePerRun = Callable[[Recognised, RunIndex, Settings], list[Reported]]
    #: ``(document, settings, path) -> bool``: whether a Helm template the loader found at ``path``
    #: of the document (of any of its layers) is a problem of the input.
    TemplateJudge = Callable[[Recognised, Settings, Path], bool]


class Dialect(Record):
    """What nblint needs to know about one dialect (see the module docstring)."""

    __slots__ = (
        "claims",
        "claims_beside",
        "cluster_wide",
        "fix_labels",
        "in_context",
        "index_markers",
        "indexer",
        "layered",
        "name",
        "neighbours",
        "normaliser",
        "once",
        "references",
        "requires_api_version",
        "template_hints",
        "templates",
        "together_marker",
    )

    def __init__(
        self,
        name: str,
        claims: Callable[[Any, Settings], bool],
        normaliser: str,
        fix_labels: tuple[tuple[str, str], ...],
        indexer: str | None = None,
        index_markers: tuple[str, ...] = (),
        once: str | None = None,
        together_marker: bytes | None = None,
        layered: str | None = None,
        template_hints: bool = False,
        cluster_wide: bool = False,
        neighbours: tuple[str, ...] = (),
        claims_beside: Callable[[Any, Settings, Neighbours], bool] | None = None,
        templates: str | None = None,
        in_context: bool = True,
        references: str | None = None,
        requires_api_version: bool = False,
    ) -> None:
        self.name = name
        #: ``(parsed document, settings) -> bool``: cheap, and wrong only towards "no".
        self.claims = claims
        #: ``"module:function"`` of the :data:`Normaliser`, imported when first needed.
        self.normaliser = normaliser
        #: Fix-hint keys this dialect's findings use → what each is written for (``explain``,
        #: SARIF).
        self.fix_labels = fix_labels
        #: ``"module:function"`` of the :data:`Indexer`, for dialects others read from.
        self.indexer = indexer
        #: Texts a file must hold to contribute to the index (its documents are then read before
        #: any is normalised); the others are read one document at a time.
        self.index_markers = index_markers
        #: ``"module:function"`` of a :data:`OncePerRun` (findings about the deployment as a whole).
        self.once = once
        #: Bytes a file holds when its documents must be checked in one process with every other
        #: such file (``--jobs``): findings once per run, documents that change each other.
        self.together_marker = together_marker
        #: The setting that lists files layered into one document of this dialect, the later file
        #: winning (z2jh's ``-f/--values``: one release from several values files).
        self.layered = layered
        #: Whether this dialect's hints are strategic-merge patches of a pod template: a dialect
        #: that writes a container's own spec elsewhere (z2jh ``extraContainers``) reuses them.
        self.template_hints = template_hints
        #: Whether its documents change the pods of every other file (a namespace's LimitRange):
        #: with ``--jobs``, every process reads the files that hold its index markers.
        self.cluster_wide = cluster_wide
        #: Names of files beside an input that this dialect reads (z2jh: the ``Chart.yaml`` of an
        #: umbrella chart, which pins the z2jh release and the key its values sit under). The run
        #: reads and parses those that exist, and hands them over on ``Recognised.neighbours``.
        self.neighbours = neighbours
        #: ``(parsed document, settings, neighbours) -> bool``: what :attr:`claims` says when the
        #: dialect's neighbours were found beside the document (they may say where its content
        #: sits).
        self.claims_beside = claims_beside
        #: ``"module:function"`` of a :data:`TemplateJudge`, for a dialect whose documents hold
        #: values that a chart renders itself (``tpl``), or parts nblint does not read (another
        #: subchart's values beside z2jh's): a Helm template there is no problem. Without one,
        #: every template the loader finds is reported.
        self.templates = templates
        #: Whether its documents in a context file (``--poddefaults``, ``--cluster-context``) are
        #: read, as what the cluster already holds; a dialect whose documents yield pods (a
        #: Notebook indexed only to find it written twice) sets False: a context file yields none.
        self.in_context = in_context
        #: ``"module:function"`` of ``(parsed document) -> tuple[str, ...]``: the files (relative
        #: to the document's) that a document of this dialect names for the run to read beside
        #: it (a kustomization's ``valuesFile``); the run reads and parses those that exist, and
        #: hands them over on ``Recognised.neighbours``, named as the document writes them.
        self.references = references
        #: Whether a document of this dialect without an ``apiVersion`` is an object the API
        #: server refuses (``api-version-missing``): a workload's; not a values file's.
        self.requires_api_version = requires_api_version

    def claim(self, root: Any, settings: Settings, neighbours: Neighbours = ()) -> bool:
        """Whether this dialect claims ``root``, with the neighbours it declared found beside it."""
        if neighbours and self.claims_beside is not None:
            return self.claims_beside(root, settings, neighbours)
        return self.claims(root, settings)

    def referenced(self, root: Any) -> tuple[str, ...]:
        """The files ``root`` names for the run to read beside it (see :attr:`references`)."""
        if self.references is None:
            return ()
        named: Callable[[Any], tuple[str, ...]] = _function(self.references)
        return named(root)

    def normalise(self, document: Recognised, index: RunIndex, settings: Settings) -> Normalised:
        normaliser: Normaliser = _function(self.normaliser)
        return normaliser(document, index, settings)

    def index(self, document: Recognised, settings: Settings) -> list[tuple[str, Any]]:
        if self.indexer is None:
            return []
        indexer: Indexer = _function(self.indexer)
        return indexer(document, settings)

    def keeps_template(self, document: Recognised, settings: Settings, path: Path) -> bool:
        """Whether a Helm template at ``path`` of ``document`` is reported (rule helm-template)."""
        if self.templates is None:
            return True
        judge: TemplateJudge = _function(self.templates)
        return judge(document, settings, path)

    def once_per_run(
        self, document: Recognised, index: RunIndex, settings: Settings
    ) -> list[Reported]:
        if self.once is None:
            return []
        once: OncePerRun = _function(self.once)
        return once(document, index, settings)


class TreePlacement(Record):
    """Hints written as strategic-merge patches, merged at ``at`` of one written document: a
    manifest's hints are written for the pod template and shown nested under ``template`` (the
    kind's path to it), so that they paste at the object's own level and ``kubectl patch`` as
    shown; a Notebook's are written for the Notebook already (``template`` empty)."""

    __slots__ = ("at", "document", "file", "template")

    def __init__(self, file: str, document: int, at: Path, template: Path = ()) -> None:
        self.file = file
        self.document = document
        #: Where the object sits in its document (an item of a ``kind: List``).
        self.at = at
        self.template = template

    def place(
        self,
        hint: str,
        path: Path,
        anchor: Path | None,
        template_hint: Callable[[], str | None] = lambda: None,
    ) -> PlacedFix:
        text = indent_under(hint, self.template)
        return PlacedFix(text, Edit(self.file, self.document, self.at, STRATEGIC, text))

    def shown(self, hint: str) -> str:
        return indent_under(hint, self.template)


def _function(reference: str) -> Any:
    module, _, name = reference.partition(":")
    # Asked once per document: look in sys.modules first (``__import__`` runs the import
    # machinery even for a module already imported). Not importlib.import_module: see
    # nblint/__init__.py.
    if module not in sys.modules:
        __import__(module)
    return getattr(sys.modules[module], name)
