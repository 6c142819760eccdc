"""Kubeflow Notebooks: the pod the notebook controller and the PodDefault webhook will create.

Two dialects live here:

* ``kubeflow`` — a ``Notebook`` (kubeflow.org v1, v1beta1, v1alpha1) → its effective pod
  (:mod:`.notebook`); Notebooks are indexed too, so that of two manifests of one Notebook only
  the one given last is checked;
* ``kubeflow-poddefault`` — a ``PodDefault`` yields no pod: it is indexed for the Notebooks of
  its namespace (:mod:`.poddefaults`, the webhook), and checked for its own problems (fields its
  CRD drops, a spec the API server refuses).

:mod:`.crd` says what the CRDs' schemas prune; :mod:`.provenance` traces a pod field to the
Notebook or the PodDefault that wrote it.
"""

from __future__ import annotations

from nblint.dialects.base import Dialect
from nblint.dialects.kubeflow.kinds import is_notebook, is_poddefault

#: Documents of both dialects are checked in one process (``--jobs``): PodDefaults change the
#: Notebooks of other files, and some findings are made once per run.
_TOGETHER = b"kubeflow.org"

NOTEBOOK = Dialect(
    name="kubeflow",
    claims=lambda root, settings: is_notebook(root),
    normaliser="nblint.dialects.kubeflow.notebook:normalise",
    fix_labels=(
        ("kubeflow", "Kubeflow Notebook / PodDefault"),
        # Its restricted-v2 SCC assigns the uid and fsGroup from the namespace's range and refuses
        # others: hints that would write a uid or a group are written without them.
        ("kubeflow-openshift-ai", "Kubeflow Notebook on OpenShift AI / Open Data Hub"),
        # Kubeflow's own images from v1.11 run s6-overlay, which writes /run and needs its
        # variable to start with a read-only root (the images table's read_only_root).
        ("kubeflow-s6", "Kubeflow Notebook on a Kubeflow image with s6-overlay (v1.11+)"),
    ),
    once="nblint.dialects.kubeflow.notebook:once_per_run",
    together_marker=_TOGETHER,
    # Indexed to find a Notebook written twice (the last one given is the one checked): the
    # kind as a document writes it (a bare "Notebook" is in many a z2jh values file's text).
    indexer="nblint.dialects.kubeflow.notebook:index",
    index_markers=("kind: Notebook", "kind:Notebook", '"Notebook"', "'Notebook'"),
    in_context=False,
)

POD_DEFAULT = Dialect(
    name="kubeflow-poddefault",
    claims=lambda root, settings: is_poddefault(root),
    normaliser="nblint.dialects.kubeflow.poddefaults:normalise",
    fix_labels=(
        ("kubeflow-poddefault", "Kubeflow PodDefault (a finding about the PodDefault itself)"),
    ),
    indexer="nblint.dialects.kubeflow.poddefaults:index",
    index_markers=("PodDefault",),
    together_marker=_TOGETHER,
)
