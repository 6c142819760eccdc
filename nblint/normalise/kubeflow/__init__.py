"""Kubeflow Notebooks: the pod the notebook controller and the PodDefault webhook will create.

* :mod:`.notebook` — a ``Notebook`` (kubeflow.org v1, v1beta1, v1alpha1) → its effective pod;
* :mod:`.poddefaults` — which PodDefaults reach that pod, and how the webhook merges them;
* :mod:`.crd` — what the CRDs' schemas prune;
* :mod:`.state` — what one run shares (PodDefaults of every input and of ``--poddefaults``).

A ``PodDefault`` is not a pod: its normaliser yields no pod, only findings about the PodDefault
itself (fields its CRD drops). What it changes is linted in the pod of every Notebook it reaches,
at the PodDefault's own lines.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nblint.normalise.kubeflow.kinds import (
    NOTEBOOK_DIALECT,
    POD_DEFAULT_DIALECT,
    is_notebook,
    is_poddefault,
)

if TYPE_CHECKING:
    from nblint.normalise import Normalised
    from nblint.pipeline import Recognised, RunContext

__all__ = [
    "NOTEBOOK_DIALECT",
    "POD_DEFAULT_DIALECT",
    "is_notebook",
    "is_poddefault",
    "normalise_notebook",
    "normalise_poddefault",
]


# The normalisers are imported on first use: most runs see no Kubeflow document.
def normalise_notebook(document: Recognised, context: RunContext) -> Normalised:
    from nblint.normalise.kubeflow.notebook import normalise

    return normalise(document, context)


def normalise_poddefault(document: Recognised, context: RunContext) -> Normalised:
    from nblint.normalise import Normalised
    from nblint.normalise.kubeflow.poddefaults import PodDefault
    from nblint.normalise.kubeflow.state import pruned_findings, refusal_findings, run_state

    state = run_state(context)
    pd = PodDefault.read(document.root, document.file)
    return Normalised(
        findings=[
            *state.take_pending(),
            *pruned_findings(context, pd),
            *refusal_findings(context, pd),
        ]
    )
