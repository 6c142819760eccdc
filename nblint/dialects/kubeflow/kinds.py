"""Which documents are Kubeflow's: cheap checks that recognition runs on every document.

Kept apart from the normalisers so that recognising a file imports nothing heavy.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NOTEBOOK_API_VERSIONS = frozenset(
    {"kubeflow.org/v1", "kubeflow.org/v1beta1", "kubeflow.org/v1alpha1"}
)
API_GROUP = "kubeflow.org/"


def is_notebook(root: Any) -> bool:
    return (
        isinstance(root, dict)
        and root.get("kind") == "Notebook"
        and isinstance(root.get("apiVersion"), str)
        and root["apiVersion"] in NOTEBOOK_API_VERSIONS
    )


def is_poddefault(root: Any) -> bool:
    return (
        isinstance(root, dict)
        and root.get("kind") == "PodDefault"
        and str(root.get("apiVersion", "")).startswith(API_GROUP)
    )
