"""A request below its limit of a resource that cannot be overcommitted (``request-not-limit``).

Why Python: the API server's rule is by resource name (``IsOvercommitAllowed``: only native
resources other than hugepages may be requested below their limit; a GPU, any other extended
resource and hugepages must be requested exactly at their limit), and the two quantities are
compared whatever their units. A request of such a resource without any limit is refused too
("Limit must be set for non overcommitable resources"); for a GPU that is ``notebook-gpu-limit``'s
finding (with its safe fix), so this rule says it of the other names.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.builtins.request_above_limit import refusal, requests_and_limits, shown
from nblint.check.gpus import is_gpu_resource
from nblint.check.targets import targets_of
from nblint.model.pod import EffectivePod
from nblint.model.quantity import is_zero_quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
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
            if is_gpu_resource(name) and not is_zero_quantity(asked):
                continue  # notebook-gpu-limit's (a GPU asked for only in requests)
            yield refusal(
                pod,
                base,
                variables,
                name,
                asked,
                "but no limit of it (one it must set, equal to the request)",
            )


def overcommit_allowed(name: str) -> bool:
    """Whether a container may request less of resource ``name`` than its limit: a native
    resource (no domain, or a ``kubernetes.io`` one) that is not hugepages."""
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith("hugepages-")
