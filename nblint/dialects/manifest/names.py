"""A workload's names and labels the API server refuses (``invalid-name``), and its label,
annotation and selector values that are not text (``wrong-field-type``): what is refused is in
:mod:`nblint.model.names`; this module knows where a workload keeps them."""

from __future__ import annotations

from nblint.dialects.manifest import TEMPLATE_PATHS
from nblint.dialects.manifest.selector import PLAIN
from nblint.model.names import (
    CRONJOB_NAME_MAX,
    at,
    judged_name,
    label_refusals,
    name_problem,
    not_text,
)

__all__ = ["CRONJOB_NAME_MAX", "mistyped", "refusals"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.pod import Path

_SELECTOR: Path = ("spec", "selector")


def _selector_at(kind: str) -> Path:
    # A ReplicationController's (and a DeploymentConfig's) selector is a plain map of labels.
    return _SELECTOR if kind in PLAIN else (*_SELECTOR, "matchLabels")


def refusals(root: dict[str, Any]) -> list[tuple[Path, str]]:
    """``(path to place it at, what is wrong)`` for each name or label of the object the API
    server refuses, in file order of the parts (name, labels, selector, template labels)."""
    kind = str(root.get("kind"))
    found: list[tuple[Path, str]] = []
    name = judged_name(at(root, ("metadata", "name")))
    if name is not None:
        problem = name_problem(name, kind)
        if problem is not None:
            found.append((("metadata", "name"), f"metadata.name {name} {problem}"))
    template = TEMPLATE_PATHS.get(kind, ())
    places: list[Path] = [("metadata", "labels")]
    if template:
        places.append(_selector_at(kind))
        places.append((*template, "metadata", "labels"))
    for where in places:
        labels = at(root, where)
        if isinstance(labels, dict):
            found.extend(label_refusals(where, labels))
    return found


def mistyped(root: dict[str, Any]) -> list[tuple[Path, str]]:
    """``(path, what is wrong)`` for each label, annotation or selector value of the workload
    that is not text, outside its pod template (the pod's own are the rule's, judged on the
    pod): none for a Pod, whose metadata is its pod's."""
    kind = str(root.get("kind"))
    if not TEMPLATE_PATHS.get(kind):
        return []
    found: list[tuple[Path, str]] = []
    for where in (("metadata", "labels"), ("metadata", "annotations"), _selector_at(kind)):
        found.extend(not_text(where, at(root, where)))
    return found
