"""The registry: every dialect nblint reads, in the order documents are offered to them."""

from __future__ import annotations

from typing import Any

from nblint.dialects.base import Dialect, Settings
from nblint.dialects.kubeflow import NOTEBOOK, POD_DEFAULT
from nblint.dialects.manifest import MANIFEST
from nblint.dialects.z2jh import Z2JH

#: Every dialect, in the order documents are offered to them (the first that claims one wins).
DIALECTS: tuple[Dialect, ...] = (MANIFEST, NOTEBOOK, POD_DEFAULT, Z2JH)
BY_NAME = {dialect.name: dialect for dialect in DIALECTS}


def recognise(root: Any, settings: Settings) -> Dialect | None:
    """The dialect that claims ``root``, or None when nblint has nothing to lint in it."""
    if not isinstance(root, dict):
        return None
    for dialect in DIALECTS:
        if dialect.claims(root, settings):
            return dialect
    return None


#: The fix key whose hints patch a pod template (see :attr:`Dialect.template_hints`).
TEMPLATE_HINT_KEY = next(
    (dialect.fix_labels[0][0] for dialect in DIALECTS if dialect.template_hints), None
)


def fix_labels() -> dict[str, str]:
    """Every fix-hint key a dialect declares → what it is written for."""
    return {key: label for dialect in DIALECTS for key, label in dialect.fix_labels}
