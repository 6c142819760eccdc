"""Zero to JupyterHub (z2jh) Helm values → the user pods KubeSpawner will build.

One release is either one values document given as a PATH, or every ``-f/--values`` file layered
in order; an umbrella chart beside it (:mod:`.umbrella`) says which z2jh release it is for.
:mod:`.values` builds the :class:`~.values.Release` (layers + chart defaults, with the origin of
every value), :mod:`.validate` checks it as Helm and the hub would, and :mod:`.pods`
builds one effective pod per profile and option, through the two ports of the hub's own programs:
:mod:`.chart_config` (values → KubeSpawner traits, the chart's ``jupyterhub_config.py``) and
:mod:`.pod_builder` (traits → pod, KubeSpawner's pod builder).
"""

from __future__ import annotations

from nblint.dialects.base import Dialect
from nblint.dialects.z2jh.root import looks_like_values, looks_like_values_beside
from nblint.dialects.z2jh.umbrella import NEIGHBOURS

Z2JH = Dialect(
    name="z2jh",
    claims=lambda root, settings: looks_like_values(root, settings.get("values_root")),
    normaliser="nblint.dialects.z2jh.normalise:normalise",
    templates="nblint.dialects.z2jh.normalise:keeps_template",
    fix_labels=(
        ("z2jh", "z2jh Helm values"),
        ("z2jh<4.3", "z2jh Helm values, chart before 4.3"),
    ),
    layered="values",
    neighbours=NEIGHBOURS,
    # The Flux sources that hold the jupyterhub chart for a HelmRelease's `spec.chartRef`: read
    # before any HelmRelease, and by every process with --jobs (the HelmRelease may be in any).
    indexer="nblint.dialects.z2jh.gitops:index",
    index_markers=("OCIRepository", "HelmChart"),
    cluster_wide=True,
    claims_beside=lambda root, settings, neighbours: looks_like_values_beside(
        root, settings.get("values_root"), neighbours
    ),
)
