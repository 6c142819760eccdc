"""Raw Kubernetes manifests: Pod, PodTemplate and the workloads that hold a pod template.

The effective pod is the written pod spec after the API-server defaulting that happens before
admission and that PSA's own conformance fixtures rely on:

* a volume with no source becomes ``emptyDir``;
* on a bare Pod with ``hostNetwork: true``, a port's ``hostPort`` defaults to its
  ``containerPort`` (since Kubernetes 1.28 no longer applied to pod templates).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nblint.load.yaml_tree import to_plain
from nblint.model import EffectivePod, Origin, Path, iter_containers
from nblint.normalise import Normalised
from nblint.provenance import TreeProvenance

if TYPE_CHECKING:
    from nblint.pipeline import Recognised, RunContext

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

#: Volume fields that are not a volume source.
_NOT_A_SOURCE = {"name"}


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


def normalise(document: Recognised, context: RunContext) -> Normalised:
    file, root, index = document.file, document.root, document.index
    kind = str(root["kind"])
    prefix = TEMPLATE_PATHS[kind]
    template: Any = root
    for part in prefix:
        template = template.get(part) if isinstance(template, dict) else None
    if not isinstance(template, dict):
        template = {}
    metadata = template.get("metadata") if isinstance(template.get("metadata"), dict) else {}
    spec = template.get("spec") if isinstance(template.get("spec"), dict) else {}
    provenance = TreeProvenance(file, root, prefix)
    spec = apply_api_defaults(spec, kind, provenance)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    effective = EffectivePod(
        file=file,
        object=object_name(root, index),
        dialect="manifest",
        pod=pod,
        provenance=provenance,
        kind=kind,
    )
    return Normalised([effective])


def apply_api_defaults(
    spec: dict[str, Any], kind: str, provenance: TreeProvenance
) -> dict[str, Any]:
    """The spec after API-server defaulting; a copy only when something changes."""
    copied: dict[str, Any] | None = None

    def writable() -> dict[str, Any]:
        nonlocal copied
        if copied is None:
            copied = to_plain(spec)
        return copied

    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        for index, volume in enumerate(volumes):
            if isinstance(volume, dict) and not (set(volume) - _NOT_A_SOURCE):
                writable()["volumes"][index]["emptyDir"] = {}
                where = provenance.locate(("spec", "volumes", index))
                provenance.inject(
                    ("spec", "volumes", index, "emptyDir"),
                    Origin(
                        where.file,
                        where.line,
                        where.column,
                        "API-server defaulting: a volume with no source becomes emptyDir",
                    ),
                )
    if kind == "Pod" and spec.get("hostNetwork") is True:
        host_network = provenance.locate(("spec", "hostNetwork"))
        for base, container, _ in iter_containers(spec):
            ports = container.get("ports")
            if not isinstance(ports, list):
                continue
            for index, port in enumerate(ports):
                if (
                    isinstance(port, dict)
                    and not port.get("hostPort")
                    and port.get("containerPort")
                ):
                    list_name, position = str(base[1]), int(base[2])
                    target = writable()[list_name][position]["ports"][index]
                    target["hostPort"] = port["containerPort"]
                    provenance.inject(
                        (*base, "ports", index, "hostPort"),
                        Origin(
                            host_network.file,
                            host_network.line,
                            host_network.column,
                            "API-server defaulting: on a Pod with hostNetwork: true, hostPort "
                            "defaults to containerPort",
                        ),
                    )
    return copied if copied is not None else spec
