"""The registry: every dialect nblint reads, in the order documents are offered to them."""

from __future__ import annotations

from nblint.dialects.base import Dialect
from nblint.dialects.cluster import CLUSTER
from nblint.dialects.kubeflow import NOTEBOOK, POD_DEFAULT
from nblint.dialects.manifest import MANIFEST
from nblint.dialects.z2jh import Z2JH

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.dialects.base import Neighbours, Settings

#: Every dialect, in the order documents are offered to them (the first that claims one wins).
DIALECTS: tuple[Dialect, ...] = (MANIFEST, NOTEBOOK, POD_DEFAULT, CLUSTER, Z2JH)
BY_NAME = {dialect.name: dialect for dialect in DIALECTS}


#: Every file name some dialect reads beside an input (see ``Dialect.neighbours``).
NEIGHBOUR_NAMES: tuple[str, ...] = tuple(
    dict.fromkeys(name for dialect in DIALECTS for name in dialect.neighbours)
)


def recognise(root: Any, settings: Settings, neighbours: Neighbours = ()) -> Dialect | None:
    """The dialect that claims ``root``, or None when nblint has nothing to lint in it.

    ``neighbours``: the files found beside the document; each dialect sees those it declared."""
    if not isinstance(root, dict):
        return None
    for dialect in DIALECTS:
        if dialect.claim(root, settings, neighbours_for(dialect, neighbours)):
            return dialect
    return None


def neighbours_for(dialect: Dialect, found: Neighbours) -> Neighbours:
    """The files of ``found`` that ``dialect`` declared it reads, in its order."""
    if not found or not dialect.neighbours:
        return ()
    by_name = {neighbour.name: neighbour for neighbour in found}
    return tuple(by_name[name] for name in dialect.neighbours if name in by_name)


#: The fix key whose hints patch a pod template (see :attr:`Dialect.template_hints`).
TEMPLATE_HINT_KEY = next(
    (dialect.fix_labels[0][0] for dialect in DIALECTS if dialect.template_hints), None
)


def fix_labels() -> dict[str, str]:
    """Every fix-hint key a dialect declares, and those for inputs that are no text → what it
    is written for."""
    from nblint.model.finding import INPUT_FIX_LABELS

    return {
        **{key: label for dialect in DIALECTS for key, label in dialect.fix_labels},
        **INPUT_FIX_LABELS,
    }
