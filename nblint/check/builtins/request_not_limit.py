"""A request below its limit of a resource that cannot be overcommitted (``request-not-limit``).

Why Python: the API server's rule is by resource name (``IsOvercommitAllowed``: only native
resources other than hugepages may be requested below their limit; a GPU, any other extended
resource and hugepages must be requested exactly at their limit), and the two quantities are
compared whatever their units.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.builtins.request_above_limit import refusal, requests_and_limits, shown
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for base, variables, name, asked, limit, order in requests_and_limits(pod):
        if order == -1 and not overcommit_allowed(name):
            relation = f"less than its limit {shown(limit, name)}, which it must equal"
            yield refusal(pod, base, variables, name, asked, relation)


def overcommit_allowed(name: str) -> bool:
    """Whether a container may request less of resource ``name`` than its limit: a native
    resource (no domain, or a ``kubernetes.io`` one) that is not hugepages."""
    native = "/" not in name or "kubernetes.io/" in name
    return native and not name.startswith("hugepages-")
