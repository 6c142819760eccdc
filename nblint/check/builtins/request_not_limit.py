"""A request below its limit of a resource that cannot be overcommitted (``request-not-limit``).

Why Python: the API server's rule is by resource name (``IsOvercommitAllowed``: only native
resources other than hugepages may be requested below their limit; a GPU, any other extended
resource and hugepages must be requested exactly at their limit), and the two quantities are
compared whatever their units. A request of such a resource without any limit is refused too
("Limit must be set for non overcommitable resources"); for a GPU in a notebook that is
``notebook-gpu-limit``'s finding (with its safe fix), so this rule says it of the other names, and
of a GPU in a workload that is not a notebook (fact ``not_a_notebook``), which that checklist rule
does not judge.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.builtins.request_above_limit import (
    refusal,
    refused_spawns,
    requests_and_limits,
    shown,
)
from nblint.check.gpus import is_gpu_resource
from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod
from nblint.model.quantity import is_zero_quantity, quantity_ratio

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    yield from _fractional(pod)
    for base, variables, name, asked, limit, order in requests_and_limits(pod):
        if order == -1 and not overcommit_allowed(name):
            relation = f"less than its limit {shown(limit, name)}, which it must equal"
            yield refusal(pod, base, variables, name, asked, relation)
    for base, container, variables in targets_of(pod, "container"):
        if base[1] == "ephemeralContainers":
            continue  # they have no resources (the API server refuses any)
        resources = podview._dict(container.get("resources"))
        limits = podview._dict(resources.get("limits"))
        for name, asked in podview._dict(resources.get("requests")).items():
            if not isinstance(name, str) or name in limits or overcommit_allowed(name):
                continue
            if (
                is_gpu_resource(name)
                and not is_zero_quantity(asked)
                and not pod.facts.get("not_a_notebook")
            ):
                # notebook-gpu-limit's (a GPU asked for only in requests); a workload that is
                # not a notebook is not given that checklist rule: said here.
                continue
            yield refusal(
                pod,
                base,
                variables,
                name,
                asked,
                "but no limit of it (one it must set, equal to the request)",
            )


def _fractional(pod: EffectivePod) -> Iterator[Any]:
    """An extended resource asked for in a quantity that is not whole (``nvidia.com/gpu: 500m``):
    the API server counts them in whole units and refuses the pod ("must be an integer",
    ``ValidateResourceQuantityValue``). Said once per container and resource, at the limit (the
    request follows it); at the request only where the limit is whole or missing and no
    request-below-limit finding already stands there."""
    for base, container, variables in targets_of(pod, "container"):
        if base[1] == "ephemeralContainers":
            continue
        resources = podview._dict(container.get("resources"))
        limits = podview._dict(resources.get("limits"))
        requests = podview._dict(resources.get("requests"))
        for name in dict.fromkeys([*limits, *requests]):
            if not isinstance(name, str) or not _whole_units(name):
                continue
            bucket = "limits" if _not_whole(limits.get(name)) else "requests"
            asked = (limits if bucket == "limits" else requests).get(name)
            if not _not_whole(asked):
                continue
            if bucket == "requests" and name in limits:
                continue  # request-not-limit's (the request below its whole limit)
            path = (*base, "resources", bucket, name)
            raw = RawViolation(
                path,
                f"{variables['container_type']} {variables['container']} asks for "
                f"{shown(asked, name)} {name} in {bucket}, but an extended resource is counted in "
                f'whole units ("must be an integer"): {refused_spawns(pod, [path])}',
                variables["container"],
                variables={**variables, "resource": name, "request": shown(asked, name)},
                distinct=f"{name} whole",
                anchor=path,
            )
            hint = _WHOLE_HINT if is_gpu_resource(name) else _WHOLE_OTHER
            raw.fix = {"any": hint.format(resource=name)}
            raw.fix_safety = "display-only"
            yield raw


#: The hint for a fractional GPU: a whole one, or a part of one the device plugin publishes.
_WHOLE_HINT = (
    "Ask for whole GPUs ({resource}: 1). For part of a GPU, ask for what the cluster's device "
    "plugin publishes as a resource of its own: a MIG slice (nvidia.com/mig-1g.5gb) or a "
    "time-sliced share (nvidia.com/gpu.shared)."
)
_WHOLE_OTHER = "Ask for a whole number of {resource}."


def _whole_units(name: str) -> bool:
    """Whether the API server counts resource ``name`` in whole units: an extended resource
    (a name with a domain other than kubernetes.io's; ``IsExtendedResourceName``)."""
    return not overcommit_allowed(name) and not name.startswith("hugepages-")


def _not_whole(written: Any) -> bool:
    ratio = quantity_ratio(written) if written is not None else None
    return ratio is not None and ratio[0] % ratio[1] != 0


def overcommit_allowed(name: str) -> bool:
    """Whether a container may request less of resource ``name`` than its limit: a native
    resource (no domain, or a ``kubernetes.io`` one) that is not hugepages."""
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith("hugepages-")
