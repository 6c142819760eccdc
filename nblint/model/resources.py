"""What a pod asks for and is charged, as LimitRange and ResourceQuota count it.

Shared by the run (LimitRange defaults) and the checks (LimitRange bounds, quota), so that both
read a container's resources the same way:

* a container's request of a resource is its ``requests`` entry, else its ``limits`` entry (the
  API server copies a missing request from the limit before admission runs);
* a pod's usage of a resource is ``max(Σ containers + Σ sidecars, max over init containers i of
  (init_i + Σ sidecars declared before i))``, plus ``overhead`` (to a non-zero limit only), a
  key present when any container has it;
* a pod is BestEffort when no container or init container has a cpu or memory request or limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from nblint.model.pod import Path
from nblint.model.quantity import parse_quantity

#: Resources the ResourceQuota "must specify" rule covers (upstream will not extend it).
MUST_SPECIFY = {
    "cpu": ("requests", "cpu"),
    "requests.cpu": ("requests", "cpu"),
    "memory": ("requests", "memory"),
    "requests.memory": ("requests", "memory"),
    "limits.cpu": ("limits", "cpu"),
    "limits.memory": ("limits", "memory"),
}
_STANDARD = ("cpu", "memory", "ephemeral-storage")


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def amounts(bucket: Any) -> dict[str, Fraction]:
    """The readable quantities of a ``limits`` or ``requests`` mapping."""
    out: dict[str, Fraction] = {}
    for name, value in _mapping(bucket).items():
        amount = parse_quantity(value)
        if isinstance(name, str) and amount is not None:
            out[name] = amount
    return out


def container_amounts(container: Any) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """``(requests, limits)`` of a container, a missing request taken from its limit."""
    resources = _mapping(_mapping(container).get("resources"))
    limits = amounts(resources.get("limits"))
    requests = {**limits, **amounts(resources.get("requests"))}
    return requests, limits


#: ``(path, container, name, type)`` of each container and init container LimitRange and
#: ResourceQuota look at (never ephemeral containers).
AdmittedContainer = tuple[Path, dict[str, Any], str, str]


def admitted_containers(spec: Any) -> Iterator[AdmittedContainer]:
    """Containers first, then init containers: the order the API server's messages use."""
    for list_name, container_type in (
        ("containers", "container"),
        ("initContainers", "init container"),
    ):
        items = _mapping(spec).get(list_name)
        if not isinstance(items, list):
            continue
        for index, container in enumerate(items):
            if isinstance(container, dict):
                name = container.get("name")
                shown = name if isinstance(name, str) and name else f"#{index}"
                yield ("spec", list_name, index), container, shown, container_type


def is_sidecar(container: Any) -> bool:
    return _mapping(container).get("restartPolicy") == "Always"


def pod_amounts(spec: Any, bucket: str) -> dict[str, Fraction]:
    """The pod's aggregate ``requests`` or ``limits`` (see the module docstring)."""
    spec = _mapping(spec)
    pick = 0 if bucket == "requests" else 1
    total: dict[str, Fraction] = {}
    for container in _list(spec.get("containers")):
        for name, amount in container_amounts(container)[pick].items():
            total[name] = total.get(name, Fraction(0)) + amount
    sidecars: dict[str, Fraction] = {}
    init_peak: dict[str, Fraction] = {}
    for container in _list(spec.get("initContainers")):
        own = container_amounts(container)[pick]
        if is_sidecar(container):
            for name, amount in own.items():
                sidecars[name] = sidecars.get(name, Fraction(0)) + amount
            continue
        for name in set(own) | set(sidecars):
            during = own.get(name, Fraction(0)) + sidecars.get(name, Fraction(0))
            init_peak[name] = max(init_peak.get(name, Fraction(0)), during)
    for name, amount in sidecars.items():
        total[name] = total.get(name, Fraction(0)) + amount
    for name, peak in init_peak.items():
        total[name] = max(total.get(name, Fraction(0)), peak)
    overhead = amounts(spec.get("overhead"))
    for name, amount in overhead.items():
        if bucket == "requests" or total.get(name):
            total[name] = total.get(name, Fraction(0)) + amount
    return total


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def is_best_effort(spec: Any) -> bool:
    """No cpu or memory request or limit on any container or init container."""
    for _, container, _, _ in admitted_containers(spec):
        requests, limits = container_amounts(container)
        if any(name in requests or name in limits for name in ("cpu", "memory")):
            return False
    return True


def charged_by_pods(key: str) -> bool:
    """Whether the quota's pod evaluator charges a pod for ``hard`` key ``key``."""
    if key in ("pods", "count/pods"):
        return True
    bare = key.removeprefix("requests.").removeprefix("limits.")
    if bare in _STANDARD:
        return True
    if bare.startswith("hugepages-"):
        return not key.startswith("limits.")
    # An extended resource (a qualified name) is charged only as requests.<name>.
    return key.startswith("requests.") and "/" in key


def never_charged(key: str) -> bool:
    """A ``hard`` key the API server accepts but nothing ever charges: an extended resource
    written bare (``nvidia.com/gpu``) or as a limit (``limits.nvidia.com/gpu``)."""
    if "/" not in key or key.startswith(("count/", "requests.")):
        return False
    return ".storageclass.storage.k8s.io/" not in key


def pod_charge(spec: Any, key: str) -> Fraction:
    """What one pod is charged for quota key ``key`` (0 when it is not charged)."""
    if key in ("pods", "count/pods"):
        return Fraction(1)
    if not charged_by_pods(key):
        return Fraction(0)
    if key.startswith("limits."):
        return pod_amounts(spec, "limits").get(key.removeprefix("limits."), Fraction(0))
    return pod_amounts(spec, "requests").get(key.removeprefix("requests."), Fraction(0))
