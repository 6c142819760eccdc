"""Kubernetes label selector terms (``matchExpressions``), read as the API server reads them: one
home for the PodDefault webhook's selection and a workload's selector of its own template."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def expression_holds(term: Any, labels: dict[str, str]) -> bool | None:
    """Whether a ``matchExpressions`` term (``{key, operator, values}``) holds for ``labels``;
    None for a term the API server would refuse (no text key, values not a list, an unknown
    operator)."""
    if not isinstance(term, dict):
        return None
    key, operator = term.get("key"), term.get("operator")
    raw_values = term.get("values") or []
    if not isinstance(key, str) or not isinstance(raw_values, list):
        return None
    values = [label_text(value) for value in raw_values]
    if operator == "In":
        return key in labels and labels[key] in values
    if operator == "NotIn":
        return key not in labels or labels[key] not in values
    if operator == "Exists":
        return key in labels
    if operator == "DoesNotExist":
        return key not in labels
    return None


def label_text(value: Any) -> str:
    """Label values are strings; YAML may have read ``true`` or ``1`` as another type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
