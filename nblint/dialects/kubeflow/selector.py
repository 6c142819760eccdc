"""Kubernetes label selectors (``matchLabels`` + ``matchExpressions``), as PodDefaults use them."""

from __future__ import annotations

from nblint.model.selectors import expression_holds, label_text

__all__ = ["label_text", "matches"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def matches(selector: Any, labels: dict[str, str]) -> bool:
    """Standard semantics: every term must hold; an empty selector matches every pod.

    A selector that is not a mapping, or a term nblint cannot read, matches nothing: the API
    server would have refused such a PodDefault.
    """
    if not isinstance(selector, dict):
        return False
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not isinstance(match_labels, dict) or not isinstance(expressions, list):
        return False
    for key, value in match_labels.items():
        if key not in labels or labels[key] != label_text(value):
            return False
    # A term nblint cannot read (None) matches nothing, as a false one.
    return all(expression_holds(term, labels) for term in expressions)
