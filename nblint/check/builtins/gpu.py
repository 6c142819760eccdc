"""GPU notebooks that schedule, and only where they should (``notebook-gpu-*`` rules).

Why Python: "is this a GPU pod" is a question over resource names matched by prefix
(``gpu.intel.com/*``), and the toleration and node-selection questions look at several pod
fields together.

Aspects (``options: {aspect: …}``): ``limit`` (a GPU requested but not limited: extended
resources must be limits), ``toleration`` (no toleration for the GPU nodes' taint),
``node-selection`` (no nodeSelector or node affinity steering to GPU nodes), ``privileged``
(a GPU container running privileged), ``count`` (more GPUs than ``max_gpus``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nblint.check import podview
from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod, is_gpu_resource


def gpu_resources(bucket: Any) -> dict[str, Any]:
    return {k: v for k, v in podview._dict(bucket).items() if is_gpu_resource(k)}


def _count(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _tolerates_gpu(spec: dict[str, Any], resources: dict[str, Any]) -> bool:
    for toleration in podview.items(spec.get("tolerations")):
        if not isinstance(toleration, dict):
            continue
        key = toleration.get("key")
        if key is None and toleration.get("operator") == "Exists":
            return True  # tolerates every taint
        if isinstance(key, str) and (key in resources or "gpu" in key.lower()):
            return True
    return False


def _steered(spec: dict[str, Any]) -> bool:
    if podview._dict(spec.get("nodeSelector")):
        return True
    node_affinity = podview._dict(podview._dict(spec.get("affinity")).get("nodeAffinity"))
    required = podview._dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    return bool(required.get("nodeSelectorTerms"))


GpuContainer = tuple[Any, dict[str, Any], dict[str, str], dict[str, Any], dict[str, Any]]


def gpu_containers(pod: EffectivePod) -> list[GpuContainer]:
    """``(path, container, variables, GPU limits, GPU requests)`` of each container asking for
    a GPU; worked out once per pod, as five rules ask."""
    found: list[GpuContainer] | None = pod.memo.get("gpu_containers")
    if found is None:
        found = pod.memo["gpu_containers"] = []
        for base, container, variables in targets_of(pod, "container"):
            resources = podview._dict(container.get("resources"))
            limits = gpu_resources(resources.get("limits"))
            requests = gpu_resources(resources.get("requests"))
            if limits or requests:
                found.append((base, container, variables, limits, requests))
    return found


def gpu_limits(base: Any, containers: list[GpuContainer]) -> dict[str, Any]:
    """The GPU limits of the container at ``base``."""
    return next((limits for path, _, _, limits, _ in containers if path == base), {})


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    containers = gpu_containers(pod)
    if not containers:
        return
    aspect = impl.builtin_options.get("aspect")
    spec = pod.spec
    pod_gpus: dict[str, Any] = {}
    first_gpu_container = None
    for base, container, variables, limits, requests in containers:
        gpus = {**requests, **limits}
        pod_gpus.update(gpus)
        first_gpu_container = first_gpu_container or (base, variables)
        info = {**variables, "resource": next(iter(gpus)), "value": next(iter(gpus.values()))}
        if aspect == "limit":
            for name in requests:
                if name not in limits:
                    path = (*base, "resources", "requests", name)
                    yield RawViolation(
                        path, "", variables["container"], variables={**info, "resource": name}
                    )
        elif (
            aspect == "privileged"
            and podview._dict(container.get("securityContext")).get("privileged") is True
        ):
            yield RawViolation(
                (*base, "securityContext", "privileged"), "", variables["container"], variables=info
            )
        elif aspect == "count":
            for name, value in gpus.items():
                if _count(value) > impl.builtin_options.get(
                    "max_gpus", rule.options.get("max_gpus", 1)
                ):
                    bucket = "limits" if name in limits else "requests"
                    yield RawViolation(
                        (*base, "resources", bucket, name),
                        "",
                        variables["container"],
                        variables={**info, "resource": name, "value": value},
                    )
    if not pod_gpus or first_gpu_container is None:
        return
    base, variables = first_gpu_container
    resource = next(iter(pod_gpus))
    info = {**variables, "resource": resource}
    # Where the GPU is asked for: the line to look at when it is not steered or tolerated.
    bucket = "limits" if resource in gpu_limits(base, containers) else "requests"
    asked = (*base, "resources", bucket, resource)
    # With the ExtendedResourceToleration admission plugin the API server adds the toleration.
    automatic = rule.options.get("extended_resource_toleration") is True
    untolerated = aspect == "toleration" and not automatic and not _tolerates_gpu(spec, pod_gpus)
    if untolerated or (aspect == "node-selection" and not _steered(spec)):
        yield RawViolation(asked, "", variables["container"], variables=info)
