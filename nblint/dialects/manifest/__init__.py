"""Raw Kubernetes manifests: Pod, PodTemplate and the workloads that hold a pod template.

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


def is_pod_source(root: Any) -> bool:
    if not isinstance(root, dict):
        return False
    kind, api = root.get("kind"), root.get("apiVersion")
    if not isinstance(kind, str) or not (api is None or isinstance(api, str)):
        return False
    return kind in TEMPLATE_PATHS and (api is None or api in CORE_API_VERSIONS)


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
    fix_labels=(
        ("manifest", "Kubernetes manifest (a strategic-merge patch of the object)"),
        (
            "manifest-openshift",
            "Kubernetes manifest, on OpenShift (restricted-v2 assigns the ids)",
        ),
    ),
    template_hints=True,
)
