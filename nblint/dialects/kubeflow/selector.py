"""Kubernetes label selectors (``matchLabels`` + ``matchExpressions``), as PodDefaults use them."""

from __future__ import annotations

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
    return all(_expression_holds(term, labels) for term in expressions)


def _expression_holds(term: Any, labels: dict[str, str]) -> bool:
    if not isinstance(term, dict):
        return False
    key, operator = term.get("key"), term.get("operator")
    raw_values = term.get("values") or []
    if not isinstance(key, str) or not isinstance(raw_values, list):
        return False  # the API server refuses such a term
    values = [label_text(v) for v in raw_values]
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return False


def label_text(value: Any) -> str:
    """Label values are strings; YAML may have read ``true`` or ``1`` as another type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
