"""Raw Kubernetes manifests: Pod, PodTemplate and the workloads that hold a pod template
(OpenShift's DeploymentConfig among them).

The effective pod is the written pod template after the API server's defaulting
(:mod:`nblint.dialects.apiserver`).
"""

from __future__ import annotations

from nblint.dialects.base import Dialect
from nblint.model.pod import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Where each kind keeps its pod template (metadata + spec), as a path in the document.
TEMPLATE_PATHS: dict[str, Path] = {
    "Pod": (),
    "PodTemplate": ("template",),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    # OpenShift: a PodTemplateSpec at spec.template, a plain label selector, as an RC's.
    "DeploymentConfig": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
}

#: API groups whose kinds above are the real Kubernetes ones (a CRD may reuse a kind name).
CORE_API_VERSIONS = {
    "v1",
    "apps/v1",
    "apps/v1beta1",
    "apps/v1beta2",
    "extensions/v1beta1",
    "batch/v1",
    "batch/v1beta1",
    "batch/v2alpha1",
}


#: Kinds served by another API group than Kubernetes' own, with the versions that serve them:
#: OpenShift's DeploymentConfig (``apps.openshift.io/v1``, and the legacy ``v1`` its older
#: templates write).
OTHER_API_VERSIONS = {"DeploymentConfig": {"apps.openshift.io/v1", "v1"}}


def is_pod_source(root: Any) -> bool:
    if not isinstance(root, dict):
        return False
    kind, api = root.get("kind"), root.get("apiVersion")
    if not isinstance(kind, str) or not (api is None or isinstance(api, str)):
        return False
    if kind not in TEMPLATE_PATHS:
        return False
    return api is None or api in OTHER_API_VERSIONS.get(kind, CORE_API_VERSIONS)


def object_name(root: dict[str, Any], index: int) -> str:
    meta = root.get("metadata")
    name = None
    if isinstance(meta, dict):
        name = meta.get("name") or (meta.get("generateName") and f"{meta['generateName']}*")
    return f"{root.get('kind')}/{name if name else f'(document {index + 1})'}"


MANIFEST = Dialect(
    name="manifest",
    claims=lambda root, settings: is_pod_source(root),
    normaliser="nblint.dialects.manifest.normalise:normalise",
    requires_api_version=True,
    fix_labels=(
        ("manifest", "Kubernetes manifest (a strategic-merge patch of the object)"),
        (
            "manifest-openshift",
            "Kubernetes manifest, on OpenShift (restricted-v2 assigns the ids)",
        ),
    ),
    template_hints=True,
)
