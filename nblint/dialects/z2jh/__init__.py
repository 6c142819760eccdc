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
from nblint.dialects.z2jh.platform import is_route
from nblint.dialects.z2jh.root import looks_like_values, looks_like_values_beside
from nblint.dialects.z2jh.umbrella import CHARTPRESS_FILE, NEIGHBOURS
from nblint.dialects.z2jh.values_from import HELMFILE_MARKERS, INSTALLER_MARKERS, is_values_source
from nblint.dialects.z2jh.values_from import MARKERS as VALUES_FROM_MARKERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.dialects.base import Neighbours


def references(root: Any) -> tuple[str, ...]:
    """The values files a kustomization's, a helmfile's or a fleet.yaml's z2jh releases read (see
    :func:`.installers.references`), and those a kustomization's ConfigMap and Secret generators
    pack (:func:`.generators.references`): asked of every z2jh document, so those modules are
    imported only for a document that can be one (the keys ``gitops.installer_kind`` reads).
    For an Argo CD object, its ``$ref/path`` value files (:func:`.gitops.ref_suffixes`)."""
    if not isinstance(root, dict):
        return ()
    if root.get("kind") in ("Application", "ApplicationSet"):
        # An Argo CD object's `$ref/path` value files: the inputs whose paths end with them.
        from nblint.dialects.z2jh.gitops import ref_suffixes

        return ref_suffixes(root)
    packed: tuple[str, ...] = ()
    if "configMapGenerator" in root or "secretGenerator" in root:
        from nblint.dialects.z2jh.generators import references as generated

        packed = generated(root)
    if not (
        "helmCharts" in root
        or "helmChartInflationGenerator" in root
        or "releases" in root
        or "helm" in root  # a Fleet fleet.yaml
        or root.get("kind") == "HelmChartInflationGenerator"
    ):
        return packed
    from nblint.dialects.z2jh.installers import references as named

    return tuple(dict.fromkeys((*named(root), *packed)))


def _claims(root: Any, settings: dict[str, Any]) -> bool:
    """z2jh values, a GitOps object that installs the chart, or a ConfigMap or Secret a Flux
    HelmRelease may take values from: claimed to be indexed (:mod:`.values_from`); among ``-f``
    layers it is indexed and then set aside, never a layer of values itself. An OpenShift Route
    is claimed to be indexed too (:mod:`.platform`), then declined; so is a kustomization that
    generates ConfigMaps or Secrets (:mod:`.generators`)."""
    if is_values_source(root) or is_route(root) or _generates(root):
        return True
    return looks_like_values(root, settings.get("values_root"))


def _claims_beside(root: Any, settings: dict[str, Any], neighbours: Neighbours) -> bool:
    """:func:`_claims` for a document beside an umbrella chart's files (its values are under
    the dependency's key); a ``chartpress.yaml`` up the tree alone is no chart beside it."""
    if all(neighbour.name == CHARTPRESS_FILE for neighbour in neighbours):
        return _claims(root, settings)
    return _generates(root) or looks_like_values_beside(
        root, settings.get("values_root"), neighbours
    )


def _generates(root: Any) -> bool:
    """A kustomization with ConfigMap or Secret generators (cheap: two key lookups first)."""
    if not isinstance(root, dict) or not (
        "configMapGenerator" in root or "secretGenerator" in root
    ):
        return False
    from nblint.dialects.z2jh.generators import has_generators

    return has_generators(root)


Z2JH = Dialect(
    name="z2jh",
    claims=_claims,
    normaliser="nblint.dialects.z2jh.normalise:normalise",
    templates="nblint.dialects.z2jh.normalise:keeps_template",
    fix_labels=(
        ("z2jh", "z2jh Helm values"),
        ("z2jh<4.3", "z2jh Helm values, chart before 4.3"),
        ("z2jh-openshift", "z2jh Helm values, on OpenShift (restricted-v2 assigns the ids)"),
    ),
    layered="values",
    neighbours=NEIGHBOURS,
    # The Flux sources that hold the jupyterhub chart for a HelmRelease's `spec.chartRef`, and
    # the ConfigMaps and Secrets of its `spec.valuesFrom`: read before any HelmRelease, and by
    # every process with --jobs (the HelmRelease may be in any).
    indexer="nblint.dialects.z2jh.values_from:index",
    # Kustomizations and helmfiles too: the values files their releases read, when given as
    # inputs as well, are read as layers of the release only (:mod:`.installers`).
    index_markers=(
        "OCIRepository",
        "HelmChart",
        # A Flux HelmRepository of another JupyterHub chart (Bitnami's, by its url).
        "charts.bitnami.com",
        "bitnamicharts",
        *VALUES_FROM_MARKERS,
        *INSTALLER_MARKERS,
        *HELMFILE_MARKERS,
        # An OpenShift Route to the chart's proxy: a sign the release runs on OpenShift (OpenShift
        # 3's legacy `apiVersion: v1` Routes name no group).
        "route.openshift.io",
        "kind: Route",
        # An Argo CD Application that creates and labels its destination namespace.
        "managedNamespaceMetadata",
        # One whose `$ref/path` value files may be inputs: linted as its release's layers only.
        "valueFiles",
    ),
    references="nblint.dialects.z2jh:references",
    cluster_wide=True,
    claims_beside=_claims_beside,
)
