"""Stage 2: decide which dialect a loaded document is written in.

Each dialect has one normaliser in :mod:`nblint.normalise`, registered in :data:`NORMALISERS`.
A document that no dialect claims (a Service, a ConfigMap, …) is skipped and counted under its
kind, never reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from nblint.normalise import kubeflow, manifest, z2jh
from nblint.normalise.z2jh import values as z2jh_values

if TYPE_CHECKING:
    from nblint.normalise import Normalised
    from nblint.pipeline import Options, Recognised, RunContext

MANIFEST = "manifest"
Z2JH = "z2jh"
KUBEFLOW = kubeflow.NOTEBOOK_DIALECT
#: PodDefaults yield no pod; they are collected so that they reach the Notebooks of the run.
KUBEFLOW_POD_DEFAULT = kubeflow.POD_DEFAULT_DIALECT
LIST = "list"

#: dialect → ``normalise(document, context) -> Normalised``. The z2jh and Kubeflow entries
#: import their (larger) modules on first use, so a run only pays for the dialects it meets.
NORMALISERS: dict[str, Callable[[Recognised, RunContext], Normalised]] = {
    MANIFEST: manifest.normalise,
    Z2JH: z2jh.normalise,
    KUBEFLOW: kubeflow.normalise_notebook,
    KUBEFLOW_POD_DEFAULT: kubeflow.normalise_poddefault,
}


def recognise(root: Any, options: Options | None = None) -> str | None:
    """The dialect of ``root``, or ``None`` when nblint has nothing to lint in it."""
    if not isinstance(root, dict):
        return None
    if root.get("kind") == "List" and isinstance(root.get("items"), list):
        return LIST
    if manifest.is_pod_source(root):
        return MANIFEST
    if kubeflow.is_notebook(root):
        return KUBEFLOW
    if kubeflow.is_poddefault(root):
        return KUBEFLOW_POD_DEFAULT
    values_root = options.dialect.get("values_root") if options is not None else None
    if z2jh_values.looks_like_values(root, values_root):
        return Z2JH
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
