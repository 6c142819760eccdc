"""What the run hands a dialect, and what the dialect hands back.

* :class:`Recognised` — a document a dialect claimed (or a z2jh release made of several layers),
  with the :class:`Neighbour` files beside it that its dialect declared it reads;
* :class:`RunIndex` — the read-only index of what dialects need from each other, built from
  every input (and every context file, such as ``--poddefaults``) before anything is normalised;
* :class:`Normalised` — the effective pods a normaliser built and the problems it found.

A normaliser is a function ``(Recognised, RunIndex, settings) -> Normalised``: it keeps no state
between calls and never calls back into the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod

T = TypeVar("T")


@dataclass(frozen=True)
class Neighbour:
    """A file beside an input that a dialect declared it reads (``Dialect.neighbours``: an
    umbrella chart's ``Chart.yaml`` beside its values), read and parsed by the run: dialects
    never read files."""

    #: The name the dialect declared (``Chart.yaml``).
    name: str
    #: Its path, as findings name it.
    file: str
    #: Its first document, or None when it could not be read (then :attr:`problem` says why).
    root: Any
    problem: str | None = None


@dataclass
class Recognised:
    """A document a dialect claimed, waiting to be normalised."""

    dialect: str
    file: str
    root: Any
    #: The document's position in its file (0-based).
    index: int
    #: For a z2jh release given with ``-f/--values``: every ``(file, document)`` layer, in order.
    layers: list[tuple[str, Any]] = field(default_factory=list)
    #: Each layer's position in its file (0-based), beside :attr:`layers`.
    layer_documents: list[int] = field(default_factory=list)
    #: Read from a context file (``--poddefaults``): indexed and checked for its own problems,
    #: but it stands for what is already in the cluster.
    context: bool = False
    #: The files beside the document (beside the first ``-f`` layer that has any) that its
    #: dialect declared it reads, in the order it declared their names.
    neighbours: tuple[Neighbour, ...] = ()
    #: Where ``root`` sits in its document: ``()``, or ``("items", 3)`` for an item of a
    #: ``kind: List`` (fix edits are placed in document coordinates).
    path: tuple[str | int, ...] = ()


@dataclass
class Normalised:
    """What a dialect's normaliser makes of one document: effective pods and problems."""

    pods: list[EffectivePod] = field(default_factory=list)
    #: Problems with the input itself (wrong types, unknown keys, …), already placed.
    reported: list[Reported] = field(default_factory=list)


class RunIndex:
    """What the documents of one run contribute for others to read, by key.

    Keys belong to the dialect that writes them (``kubeflow.org/PodDefault``). Entries keep the
    order the inputs were given in (context files last). A dialect that needs a derived form of
    its entries (the PodDefaults by namespace, deduplicated) asks :meth:`view`, which builds it
    once per run.
    """

    def __init__(self, entries: Mapping[str, Iterable[Any]] | None = None) -> None:
        self._entries: dict[str, tuple[Any, ...]] = {
            key: tuple(values) for key, values in (entries or {}).items()
        }
        self._views: dict[tuple[str, Callable[..., Any]], Any] = {}

    def get(self, key: str) -> tuple[Any, ...]:
        return self._entries.get(key, ())

    def view(self, key: str, build: Callable[[tuple[Any, ...]], T]) -> T:
        """``build(self.get(key))``, built on first use and shared by the rest of the run."""
        memo = (key, build)
        if memo not in self._views:
            self._views[memo] = build(self.get(key))
        value: T = self._views[memo]
        return value

    def __bool__(self) -> bool:
        return any(self._entries.values())
