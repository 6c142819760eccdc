"""Stage 2: decide which dialect a loaded document is written in.

Each dialect has one normaliser in :mod:`nblint.normalise`. A document that no dialect claims
(a Service, a ConfigMap, …) is skipped and counted under its kind, never reported.
"""

from __future__ import annotations

from typing import Any

from nblint.normalise import manifest

MANIFEST = "manifest"
LIST = "list"


def recognise(root: Any) -> str | None:
    """The dialect of ``root``, or ``None`` when nblint has nothing to lint in it."""
    if not isinstance(root, dict):
        return None
    if root.get("kind") == "List" and isinstance(root.get("items"), list):
        return LIST
    if manifest.is_pod_source(root):
        return MANIFEST
    return None


def skip_label(root: Any) -> str:
    """How a skipped document is counted in the summary."""
    if isinstance(root, dict) and isinstance(root.get("kind"), str):
        return root["kind"]
    if root is None:
        return "(empty document)"
    if isinstance(root, dict):
        return "(no kind)"
    return f"({type(root).__name__} document)"
