"""A container that requests more of a resource than its limit (``request-above-limit``).

Why Python: the request and the limit are quantities written in any unit (``24Gi`` against
``4G``, z2jh's byte counts, ``0.5`` against ``500m``), compared as the API server compares them
(``ValidateResourceRequirements``: a request "must be less than or equal to" its limit).
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.builtins.resources import sizes_text
from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod
from nblint.model.quantity import compare_quantities, format_quantity, parse_quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    # What a LimitRange filled in is the namespace rules' to say (limitrange-default-below-request).
    admission = pod.admission
    filled = {default.path for default in admission.defaults} if admission is not None else set()
    every_spawn = bool(pod.facts.get("per_user"))
    for base, container, variables in targets_of(pod, "container"):
        if base[1] == "ephemeralContainers":
            continue  # they have no resources (the API server refuses any)
        resources = podview._dict(container.get("resources"))
        requests = podview._dict(resources.get("requests"))
        limits = podview._dict(resources.get("limits"))
        for name, asked in requests.items():
            if name not in limits or not isinstance(name, str):
                continue
            if compare_quantities(asked, limits[name]) != 1:
                continue  # at most the limit, or not a quantity (wrong-field-type's, or unknown)
            path = (*base, "resources", "requests", name)
            if path in filled or (*base, "resources", "limits", name) in filled:
                continue
            outcome = (
                "every user's server fails to start: the API server refuses its pod"
                if every_spawn
                else "the API server refuses the pod"
            )
            yield RawViolation(
                path,
                f"{variables['container_type']} {variables['container']} requests "
                f"{_shown(asked, name)} {name}, more than its limit "
                f"{_shown(limits[name], name)}: {outcome}",
                variables["container"],
                variables={
                    **variables,
                    "resource": name,
                    "request": _written(asked),
                    **_sizes(name, asked),
                },
                distinct=name,
                # The fix goes where the request comes from (a profile's, for z2jh).
                anchor=path,
            )


def _shown(written: Any, name: str) -> str:
    """A quantity as the input wrote it, when it wrote text; else readably (z2jh's byte counts)."""
    if isinstance(written, str):
        return written.strip()
    amount = parse_quantity(written)
    return format_quantity(amount, name) if amount is not None else str(written)


def _sizes(name: str, request: Any) -> dict[str, str]:
    """The limit in KubeSpawner's sizes, under its section of them: ``cpu``/``memory`` take
    ``limit``, any other resource goes into ``extraResource.limits``."""
    if name in ("cpu", "memory"):
        return {
            "sizes_section": name,
            "sizes_key": "limit",
            "sizes_value": sizes_text(name, request),
        }
    return {
        "sizes_section": "extraResource",
        "sizes_key": "limits",
        "sizes_value": f"{{{name}: {_written(request)}}}",
    }


def _written(value: Any) -> str:
    """A quantity as a hint writes it: a plain scalar (a Kubernetes quantity may be a number)."""
    return value.strip() if isinstance(value, str) else str(value)
