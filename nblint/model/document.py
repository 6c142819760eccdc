"""What the run hands a dialect, and what the dialect hands back.

* :class:`Recognised` — a document a dialect claimed (or a z2jh release made of several layers);
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
