"""A container that requests more of a resource than its limit (``request-above-limit``).

Why Python: the request and the limit are quantities written in any unit (``24Gi`` against
``4G``, z2jh's byte counts, ``0.5`` against ``500m``), compared as the API server compares them
(``ValidateResourceRequirements``: a request "must be less than or equal to" its limit).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from nblint.check import podview
from nblint.check.builtins.resources import sizes_text
from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod, Path
from nblint.model.quantity import compare_quantities, format_quantity, parse_quantity

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    RequestAndLimit = tuple[Path, dict[str, Any], str, Any, Any, int]


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for base, variables, name, asked, limit, order in requests_and_limits(pod):
        if order == 1:
            yield refusal(
                pod, base, variables, name, asked, f"more than its limit {shown(limit, name)}"
            )


def requests_and_limits(pod: EffectivePod) -> list[RequestAndLimit]:
    """``(container path, variables, resource, request, limit, order)`` of each resource a
    container requests other than at its limit, ``order`` -1 or 1 as the request is below or
    above it (pairs that are not quantities are wrong-field-type's, or unknown). What a
    LimitRange filled in is the namespace rules' to say (limitrange-default-below-request).
    Worked out once per pod: two rules ask."""
    found: list[RequestAndLimit] | None = pod.memo.get(_MEMO)
    if found is None:
        found = pod.memo[_MEMO] = list(_requests_and_limits(pod))
    return found


_MEMO = "requests_and_limits"


def _requests_and_limits(pod: EffectivePod) -> Iterator[RequestAndLimit]:
    admission = pod.admission
    filled = {default.path for default in admission.defaults} if admission is not None else set()
    for base, container, variables in targets_of(pod, "container"):
        if base[1] == "ephemeralContainers":
            continue  # they have no resources (the API server refuses any)
        resources = podview._dict(container.get("resources"))
        requests = podview._dict(resources.get("requests"))
        limits = podview._dict(resources.get("limits"))
        for name, asked in requests.items():
            if name not in limits or not isinstance(name, str):
                continue
            order = compare_quantities(asked, limits[name])
            if not order:  # equal, or not quantities
                continue
            if (*base, "resources", "requests", name) in filled:
                continue
            if (*base, "resources", "limits", name) in filled:
                continue
            yield base, variables, name, asked, limits[name], order


def refusal(
    pod: EffectivePod,
    base: Path,
    variables: dict[str, Any],
    name: str,
    asked: Any,
    relation: str,
) -> RawViolation:
    path = (*base, "resources", "requests", name)
    outcome = refused_spawns(pod, [path, (*base, "resources", "limits", name)])
    return RawViolation(
        path,
        f"{variables['container_type']} {variables['container']} requests "
        f"{shown(asked, name)} {name}, {relation}: {outcome}",
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


def refused_spawns(pod: EffectivePod, fields: list[Path]) -> str:
    """Which servers the API server's refusal of ``pod`` stops, as a message ends: for a hub's
    per-user pod, those of the profile or option choice that sets one of ``fields`` (the
    ``chosen_fields`` fact), else every user's; any other pod, the pod."""
    if not pod.facts.get("per_user"):
        return "the API server refuses the pod"
    chosen = pod.facts.get("chosen_fields") or {}
    by = [chosen[field] for field in fields if field in chosen]
    if not by:
        return "every user's server fails to start: the API server refuses its pod"
    # The profile is named beside the finding (its pods); the words stay the same for every
    # profile that shares the choice, so that they fold into one problem.
    choices = sorted({f"{c['option']}={c['choice']}" for c in by if c})
    if choices:
        picks = " and ".join(choices)
        return f"every spawn that picks {picks} fails: the API server refuses its pod"
    return "every spawn of this profile fails: the API server refuses its pod"


def shown(written: Any, name: str) -> str:
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
        "sizes_value": f"{{{_key(name)}: {_written(request)}}}",
    }


def _key(name: str) -> str:
    """A resource name as a key of a YAML flow mapping: plain when it is a well-formed name,
    quoted otherwise, so the hint never reads as more than one key (the engine does not check
    ``sizes_value``, see ``_OWN_WORDS``)."""
    plain = name[:1].isalnum() and all(c.isalnum() or c in "._/-" for c in name)
    return name if plain and name.isascii() else json.dumps(name)


def _written(value: Any) -> str:
    """A quantity as a hint writes it: a plain scalar (a Kubernetes quantity may be a number)."""
    return value.strip() if isinstance(value, str) else str(value)
