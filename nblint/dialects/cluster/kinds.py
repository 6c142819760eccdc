"""Which documents describe the cluster a pod is admitted by: cheap checks recognition runs on
every document (kept apart so that recognising a file imports nothing heavy)."""

from __future__ import annotations

from typing import Any

#: kind → the apiVersions it is read from.
KINDS: dict[str, frozenset[str]] = {
    "Namespace": frozenset({"v1"}),
    "LimitRange": frozenset({"v1"}),
    "ResourceQuota": frozenset({"v1"}),
    "PersistentVolumeClaim": frozenset({"v1"}),
    "Profile": frozenset({"kubeflow.org/v1", "kubeflow.org/v1beta1"}),
    "AdmissionConfiguration": frozenset(
        {
            "apiserver.config.k8s.io/v1",
            "apiserver.config.k8s.io/v1alpha1",
            "apiserver.k8s.io/v1alpha1",
        }
    ),
    "PodSecurityConfiguration": frozenset(
        {
            "pod-security.admission.config.k8s.io/v1",
            "pod-security.admission.config.k8s.io/v1beta1",
            "pod-security.admission.config.k8s.io/v1alpha1",
        }
    ),
}


def is_cluster_object(root: Any) -> bool:
    if not isinstance(root, dict):
        return False
    kind, api = root.get("kind"), root.get("apiVersion")
    return isinstance(kind, str) and kind in KINDS and isinstance(api, str) and api in KINDS[kind]
