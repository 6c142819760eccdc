"""What a namespace's LimitRanges and ResourceQuotas do to one pod or PVC: pure functions over
the model, shared by the run (defaults), the checks (per pod) and the ``cluster`` dialect (PVC
manifests), so that each rule is worked out in one place.

The order is the API server's: the request a container leaves out is copied from its limit (API
defaulting), LimitRange defaults fill in what is still missing (mutating admission), then the
LimitRange bounds, then PodSecurity, then ResourceQuota (validating admission, in that order).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from nblint.model.finding import Cause
from nblint.model.namespace import (
    AdmittedProvenance,
    Amount,
    AppliedDefault,
    ClusterObject,
    LimitRange,
    ResourceQuota,
    consequence,
)
from nblint.model.origin import REQUEST_FROM_LIMIT
from nblint.model.pod import EffectivePod, Origin, Path
from nblint.model.quantity import format_quantity
from nblint.model.resources import (
    MUST_SPECIFY,
    admitted_containers,
    charged_by_pods,
    container_amounts,
    is_best_effort,
    pod_amounts,
    pod_charge,
)

#: What findings about a quota take for granted: nblint does not see ``status.used``.
NO_OTHER_USAGE = "no other usage in the namespace"
LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger"


def amount_cause(object_label: str, detail: str, amount: Amount) -> Cause:
    where = amount.origin
    return Cause(object_label, f"{detail}: {amount.text}", where.file, where.line, where.column)


class Problem(NamedTuple):
    """One thing admission refuses or notes, before it is placed: the pod path it is about."""

    rule: str
    message: str
    path: Path
    container: str | None
    cause: Cause | None
    assumption: str | None = None
    #: Tells apart two problems of one rule at one place (two quotas).
    distinct: str = ""
    #: What a fix would write: ``(resource, "requests" or "limits", amount or None when no
    #: amount is known to be right)``; None: nothing a fix writes.
    wanted: tuple[str, str, Fraction | None] | None = None
    #: Where to place it when that is not at ``path`` (a workload's ``replicas``), and the
    #: display-only hint written for the object there.
    origin: Origin | None = None
    hint: str | None = None


# ---------------------------------------------------------------------------------------------
# Mutation: LimitRange defaults


@dataclass
class _Default:
    limit_range: ClusterObject
    amount: Amount
    alternatives: list[tuple[ClusterObject, Amount]]


def _chosen_defaults(limit_ranges: list[LimitRange]) -> dict[tuple[str, str], _Default]:
    """``(bucket, resource)`` → the default the first LimitRange gives it, and the different
    ones the others give (their order is undefined upstream)."""
    chosen: dict[tuple[str, str], _Default] = {}
    for limit_range in limit_ranges:
        item = limit_range.item("Container")
        if item is None:
            continue
        for constraint, bucket in (("default", "limits"), ("defaultRequest", "requests")):
            for resource, amount in item.get(constraint).items():
                found = chosen.get((bucket, resource))
                if found is None:
                    chosen[(bucket, resource)] = _Default(limit_range.ref, amount, [])
                elif found.amount.amount != amount.amount:
                    found.alternatives.append((limit_range.ref, amount))
    return chosen


def apply_limit_range_defaults(
    pod: EffectivePod, limit_ranges: list[LimitRange]
) -> list[AppliedDefault]:
    """Fill the pod's resources as the API server does before validating it: a missing request
    from the container's limit, then each LimitRange default the container lacks (containers
    and init containers, never ephemeral ones). Changes ``pod`` (on copies of what it shares
    with the input) and places each filled field at the line that filled it."""
    spec, applied, copied = fill_defaults(pod.spec, limit_ranges)
    if not applied:
        return []
    provenance = AdmittedProvenance(pod.provenance)
    for request, limit in copied:
        where = pod.provenance.locate(limit)
        note = REQUEST_FROM_LIMIT
        provenance.inject(request, Origin(where.file, where.line, where.column, note))
    set_by: dict[tuple[str, str, str], list[str]] = {}
    for default in applied:
        assert default.limit_range is not None
        origin = default.amount.origin
        note = f"LimitRange default of {default.limit_range.label}"
        provenance.inject(default.path, Origin(origin.file, origin.line, origin.column, note))
        key = (default.container_type, default.container, default.bucket)
        set_by.setdefault(key, []).append(default.resource)
    metadata = dict(pod.metadata)
    annotations = metadata.get("annotations")
    annotations = dict(annotations) if isinstance(annotations, dict) else {}
    annotations[LIMIT_RANGER_ANNOTATION] = _annotation(
        [(kind, name, bucket, sorted(names)) for (kind, name, bucket), names in set_by.items()]
    )
    metadata["annotations"] = annotations
    provenance.inject(
        ("metadata", "annotations", LIMIT_RANGER_ANNOTATION), applied[0].amount.origin
    )
    pod.pod = {**pod.pod, "metadata": metadata, "spec": spec}
    pod.provenance = provenance
    return applied


def fill_defaults(
    spec: dict[str, Any], limit_ranges: list[LimitRange]
) -> tuple[dict[str, Any], list[AppliedDefault], list[tuple[Path, Path]]]:
    """``spec`` with its resources filled (a copy where it changes), the LimitRange defaults
    applied, and the ``(request, limit)`` paths of requests copied from limits."""
    chosen = _chosen_defaults(limit_ranges)
    if not chosen:
        return spec, [], []
    spec = dict(spec)
    applied: list[AppliedDefault] = []
    copied: list[tuple[Path, Path]] = []
    for path, container, name, container_type in list(admitted_containers(spec)):
        list_name, index = str(path[1]), int(path[2])
        items = spec[list_name] = list(spec[list_name])
        container = items[index] = dict(container)
        resources = container.get("resources")
        resources = dict(resources) if isinstance(resources, dict) else {}
        limits = resources.get("limits")
        requests = resources.get("requests")
        limits = dict(limits) if isinstance(limits, dict) else {}
        requests = dict(requests) if isinstance(requests, dict) else {}
        for resource, value in limits.items():
            if resource not in requests:
                requests[resource] = value
                copied.append(
                    (
                        (*path, "resources", "requests", resource),
                        (*path, "resources", "limits", resource),
                    )
                )
        for bucket, target in (("requests", requests), ("limits", limits)):
            for (wanted, resource), default in chosen.items():
                if wanted != bucket or resource in target:
                    continue
                target[resource] = default.amount.text
                applied.append(
                    AppliedDefault(
                        (*path, "resources", bucket, resource),
                        name,
                        container_type,
                        bucket,
                        resource,
                        default.amount,
                        default.limit_range,
                        tuple(default.alternatives),
                    )
                )
        if limits:
            resources["limits"] = limits
        if requests:
            resources["requests"] = requests
        if resources:
            container["resources"] = resources
    return spec, applied, copied


def _annotation(set_by: list[tuple[str, str, str, list[str]]]) -> str:
    """The annotation the LimitRanger writes: requests before limits per container,
    containers before init containers, resource names sorted."""
    order = {"container": 0, "init container": 1}
    entries = sorted(
        set_by,
        key=lambda entry: (order.get(entry[0], 2), entry[2] != "requests"),
    )
    parts = [
        f"{', '.join(resources)} {'request' if bucket == 'requests' else 'limit'} for "
        f"{container_type} {name}"
        for container_type, name, bucket, resources in entries
    ]
    return "LimitRanger plugin set: " + "; ".join(parts)


# ---------------------------------------------------------------------------------------------
# Validation: LimitRange bounds


def limit_range_problems(
    spec: Any, limit_ranges: list[LimitRange], applied: list[AppliedDefault]
) -> list[Problem]:
    """Every LimitRange bound the admitted pod breaks (``limitrange-min``, ``-max``,
    ``-ratio``), and explicit requests above a defaulted limit (``…-default-below-request``)."""
    out: list[Problem] = []
    defaulted = {(d.path[:3], d.bucket, d.resource): d for d in applied}
    for path, container, name, container_type in admitted_containers(spec):
        requests, limits = container_amounts(container)
        for resource, limit in limits.items():
            default = defaulted.get((path, "limits", resource))
            request = requests.get(resource)
            if default is None or request is None or request <= limit:
                continue
            if (path, "requests", resource) in defaulted:
                continue
            out.append(
                Problem(
                    "limitrange-default-below-request",
                    f"{container_type} {name} requests {resource} "
                    f"{format_quantity(request, resource)}, but its limit is the LimitRange "
                    f"default {default.amount.text}: a request above its limit makes the pod "
                    "invalid",
                    (*path, "resources", "requests", resource),
                    name,
                    amount_cause(
                        default.limit_range.label if default.limit_range else "",
                        f"default.{resource}",
                        default.amount,
                    ),
                    # The least limit the pod is valid with: its request (ratio 1).
                    wanted=(resource, "limits", request),
                )
            )
    for limit_range in limit_ranges:
        container_item = limit_range.item("Container")
        if container_item is not None:
            for path, container, name, container_type in admitted_containers(spec):
                requests, limits = container_amounts(container)
                out.extend(
                    _bounds(
                        limit_range,
                        container_item.constraints,
                        requests,
                        limits,
                        "Container",
                        f"{container_type} {name}",
                        (*path, "resources"),
                        name,
                    )
                )
        pod_item = limit_range.item("Pod")
        if pod_item is not None:
            out.extend(
                _bounds(
                    limit_range,
                    pod_item.constraints,
                    pod_amounts(spec, "requests"),
                    pod_amounts(spec, "limits"),
                    "Pod",
                    "the pod (all containers together)",
                    ("spec", "containers"),
                    None,
                )
            )
    return out


def _bounds(
    limit_range: LimitRange,
    constraints: dict[str, dict[str, Amount]],
    requests: dict[str, Fraction],
    limits: dict[str, Fraction],
    per: str,
    who: str,
    at: Path,
    container: str | None,
) -> list[Problem]:
    out = []
    label = limit_range.ref.label

    def problem(
        rule: str,
        constraint: str,
        resource: str,
        amount: Amount,
        text: str,
        bucket: str | None,
        wanted: Fraction | None = None,
        wanted_bucket: str | None = None,
    ) -> None:
        place = (*at, bucket, resource) if bucket and per == "Container" else at
        # A fix writes the bound itself (or, for a ratio, the least request it allows) into the
        # container's own resources; a pod-wide bound has no one container to write it in.
        fix: Fraction | None = amount.amount if wanted is None else wanted
        if per != "Container" or not fix or fix <= 0:
            fix = None  # no one container to write it in, or no amount known to be right
        out.append(
            Problem(
                rule,
                f"{who}: {text}",
                place,
                container,
                amount_cause(label, f"{constraint}.{resource}", amount),
                distinct=label,
                wanted=(
                    resource,
                    wanted_bucket or bucket,
                    None if fix is None else _rounded_up(fix, resource),
                )
                if bucket
                else None,
            )
        )

    for resource, amount in constraints.get("min", {}).items():
        bound, request, limit = amount.amount, requests.get(resource), limits.get(resource)
        head = f"minimum {resource} usage per {per} is {amount.text}"
        if request is None:
            problem(
                "limitrange-min",
                "min",
                resource,
                amount,
                f"{head}, but no request is specified",
                "requests",
            )
        elif request < bound:
            problem(
                "limitrange-min",
                "min",
                resource,
                amount,
                f"{head}, but request is {format_quantity(request, resource)}",
                "requests",
            )
        elif limit is not None and limit < bound:
            problem(
                "limitrange-min",
                "min",
                resource,
                amount,
                f"{head}, but limit is {format_quantity(limit, resource)}",
                "limits",
            )
    for resource, amount in constraints.get("max", {}).items():
        bound, request, limit = amount.amount, requests.get(resource), limits.get(resource)
        head = f"maximum {resource} usage per {per} is {amount.text}"
        if limit is None:
            problem(
                "limitrange-max",
                "max",
                resource,
                amount,
                f"{head}, but no limit is specified",
                "limits",
            )
        elif limit > bound:
            problem(
                "limitrange-max",
                "max",
                resource,
                amount,
                f"{head}, but limit is {format_quantity(limit, resource)}",
                "limits",
            )
        elif request is not None and request > bound:
            problem(
                "limitrange-max",
                "max",
                resource,
                amount,
                f"{head}, but request is {format_quantity(request, resource)}",
                "requests",
            )
    for resource, amount in constraints.get("maxLimitRequestRatio", {}).items():
        request, limit = requests.get(resource), limits.get(resource)
        head = f"{resource} max limit to request ratio per {per} is {amount.text}"
        # The least request the ratio allows beside the limit; a missing limit is the request
        # (a ratio of 1).
        least = limit / amount.amount if limit and amount.amount > 0 else Fraction(0)
        if not request:
            problem(
                "limitrange-ratio",
                "maxLimitRequestRatio",
                resource,
                amount,
                f"{head}, but no request is specified or request is 0",
                "requests",
                least,
            )
        elif not limit:
            problem(
                "limitrange-ratio",
                "maxLimitRequestRatio",
                resource,
                amount,
                f"{head}, but no limit is specified or limit is 0",
                "limits",
                request,
            )
        elif limit / request > amount.amount:
            ratio = float(limit / request)
            problem(
                "limitrange-ratio",
                "maxLimitRequestRatio",
                resource,
                amount,
                f"{head}, but provided ratio is {ratio:.6f}",
                "limits",
                least,
                "requests",
            )
    return out


def _rounded_up(amount: Fraction, resource: str) -> Fraction:
    """``amount`` as a quantity can be written: whole millicores of CPU, whole units (bytes)
    of anything else; rounded up, so that a least request is never written below it."""
    scale = 1000 if resource == "cpu" else 1
    return Fraction(math.ceil(amount * scale), scale)


# ---------------------------------------------------------------------------------------------
# Validation: ResourceQuota


def quota_applies(quota: ResourceQuota, spec: Any) -> tuple[bool, str | None]:
    """Whether ``quota`` charges a pod of ``spec`` (it tracks a resource pods are charged for
    and every scope matches), and the assumption that answer rests on, if any."""
    if not any(charged_by_pods(key) for key in quota.hard):
        return False, None
    spec = spec if isinstance(spec, dict) else {}
    assumption = None
    for scope in quota.scopes:
        matched, why = _scope_matches(str(scope.value), "Exists", (), spec)
        assumption = assumption or why
        if not matched:
            return False, assumption
    for requirement in quota.selector:
        matched, why = _scope_matches(
            requirement.scope, requirement.operator, requirement.values, spec
        )
        assumption = assumption or why
        if not matched:
            return False, assumption
    return True, assumption


def _scope_matches(
    scope: str, operator: str, values: tuple[str, ...], spec: dict[str, Any]
) -> tuple[bool, str | None]:
    if scope == "PriorityClass":
        name = spec.get("priorityClassName")
        why = None
        if not isinstance(name, str) or not name:
            name = None
            why = "no globalDefault PriorityClass (the pod names no priorityClassName)"
        if operator == "Exists":
            return name is not None, why
        if operator == "DoesNotExist":
            return name is None, why
        if operator == "In":
            return name in values, why
        if operator == "NotIn":
            return name is not None and name not in values, why
        return False, None
    holds = {
        "BestEffort": lambda: is_best_effort(spec),
        "NotBestEffort": lambda: not is_best_effort(spec),
        "Terminating": lambda: isinstance(spec.get("activeDeadlineSeconds"), int),
        "NotTerminating": lambda: not isinstance(spec.get("activeDeadlineSeconds"), int),
        "CrossNamespacePodAffinity": lambda: _cross_namespace_affinity(spec),
    }.get(scope)
    if holds is None:
        return False, None
    matched = holds()
    return (not matched if operator == "DoesNotExist" else matched), None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _cross_namespace_affinity(spec: dict[str, Any]) -> bool:
    affinity = _mapping(spec.get("affinity"))
    for kind in ("podAffinity", "podAntiAffinity"):
        for terms in _mapping(affinity.get(kind)).values():
            for term in terms if isinstance(terms, list) else []:
                term = term.get("podAffinityTerm", term) if isinstance(term, dict) else {}
                if isinstance(term, dict) and (
                    term.get("namespaces") or "namespaceSelector" in term
                ):
                    return True
    return False


def quota_problems(
    pod: EffectivePod,
    quotas: list[ResourceQuota],
    charged: dict[str, Any] | None = None,
    sidecars: str = "",
) -> list[Problem]:
    """What each matching quota refuses, on its own and with nothing else in the namespace:
    a container that does not say a resource the quota tracks (``quota-requires-…``), a pod
    larger than a quota (``quota-exceeds-hard``, ``quota-besteffort``). ``charged``: the pod the
    quota is charged for, with the sidecars a webhook injects whose resources are known (said
    in ``sidecars``, appended to the message)."""
    spec = pod.spec
    charged = spec if charged is None else charged
    out: list[Problem] = []
    outcome = consequence(pod)
    pod_level = isinstance(spec.get("resources"), dict) and bool(spec.get("resources"))
    for quota in quotas:
        applies, assumption = quota_applies(quota, spec)
        if not applies:
            continue
        tracked = sorted(key for key in quota.hard if key in MUST_SPECIFY)
        if tracked and not pod_level:
            out.extend(_must_specify(quota, tracked, spec, outcome, assumption))
        usage = {key: pod_charge(charged, key) for key in quota.hard if charged_by_pods(key)}
        over = {
            key: charge
            for key, charge in usage.items()
            if charge and charge > quota.hard[key].amount
        }
        if not over:
            continue
        best_effort_scoped = any(str(s.value) == "BestEffort" for s in quota.scopes) or any(
            r.scope == "BestEffort" and r.operator == "Exists" for r in quota.selector
        )
        if best_effort_scoped:
            amount = quota.hard.get("pods") or quota.hard.get("count/pods")
            assert amount is not None
            out.append(
                Problem(
                    "quota-besteffort",
                    f"the pod is BestEffort (no container or init container sets a cpu or memory "
                    f"request or limit) and {quota.ref.label} admits {amount.text} BestEffort "
                    f"pods: {outcome}",
                    _first_container(spec),
                    None,
                    amount_cause(quota.ref.label, "hard pods", amount),
                    NO_OTHER_USAGE,
                    quota.ref.label,
                )
            )
            continue
        requested = ",".join(f"{k}={format_quantity(v, k)}" for k, v in sorted(over.items()))
        used = ",".join(f"{k}=0" for k in sorted(over))
        limited = ",".join(f"{k}={quota.hard[k].text}" for k in sorted(over))
        key = sorted(over)[0]
        out.append(
            Problem(
                "quota-exceeds-hard",
                f"exceeded quota: {quota.ref.name}, requested: {requested}, used: {used}, "
                f"limited: {limited} — one such pod is more than the quota holds: {outcome}"
                f"{sidecars}",
                contributor(spec, key),
                None,
                amount_cause(quota.ref.label, f"hard {key}", quota.hard[key]),
                _joined(NO_OTHER_USAGE, assumption),
                quota.ref.label,
            )
        )
    return out


def replica_problems(
    pod: EffectivePod,
    quotas: list[ResourceQuota],
    replicas: int,
    where: Origin,
    charged: dict[str, Any] | None = None,
    sidecars: str = "",
) -> list[Problem]:
    """``quota-exceeds-hard`` for a workload whose one pod fits a quota but whose ``replicas``
    pods do not: each replica is a pod of its own, charged on its own, and the controller's
    creation of the first one beyond the quota is refused (``FailedCreate``). Placed at
    ``where`` (the ``replicas`` line); a quota one pod already exceeds is ``quota_problems``'."""
    spec = pod.spec
    charged = spec if charged is None else charged
    out: list[Problem] = []
    for quota in quotas:
        applies, assumption = quota_applies(quota, spec)
        if not applies:
            continue
        usage = {key: pod_charge(charged, key) for key in quota.hard if charged_by_pods(key)}
        if any(charge and charge > quota.hard[key].amount for key, charge in usage.items()):
            continue  # one pod is more than the quota: said once, by quota_problems
        fits = {
            key: int(quota.hard[key].amount // charge)
            for key, charge in usage.items()
            if charge and charge * replicas > quota.hard[key].amount
        }
        if not fits:
            continue
        running = min(fits.values())
        keys = sorted(key for key, count in fits.items() if count == running)
        requested = ",".join(f"{k}={format_quantity(usage[k], k)}" for k in keys)
        used = ",".join(f"{k}={format_quantity(usage[k] * running, k)}" for k in keys)
        limited = ",".join(f"{k}={quota.hard[k].text}" for k in keys)
        key = keys[0]
        each = format_quantity(usage[key], key)
        out.append(
            Problem(
                "quota-exceeds-hard",
                f"exceeded quota: {quota.ref.name}, requested: {requested}, used: {used}, "
                f"limited: {limited} — replicas: {replicas} is more than the quota holds "
                f"({each} {key} each): {_refused_replica(pod, running)}, "
                f"so only {running} of the {replicas} pods run{sidecars}",
                contributor(spec, key),
                None,
                amount_cause(quota.ref.label, f"hard {key}", quota.hard[key]),
                _joined(NO_OTHER_USAGE, assumption),
                f"{quota.ref.label} replicas",
                origin=where,
                hint=(
                    f"spec:\n  replicas: {running}   # as many as {quota.ref.label} holds; or ask "
                    f"for less {key} per pod, or raise its hard {key}"
                ),
            )
        )
    return out


def _refused_replica(pod: EffectivePod, index: int) -> str:
    """Which replica the quota refuses first: a StatefulSet's pods are created in ordinal order
    and named by it; a ReplicaSet's are not named in advance."""
    name = pod.object.partition("/")[2]
    if pod.kind == "StatefulSet" and name:
        return (
            f"the StatefulSet controller cannot create pod {name}-{index} (ordinal {index}) "
            "nor any later one (FailedCreate)"
        )
    creator = {
        "ReplicationController": "the ReplicationController",
        "DeploymentConfig": "its ReplicationController",
    }.get(pod.kind, "the ReplicaSet")
    return f"{creator} cannot create replica {index + 1} nor any later one (FailedCreate)"


def _joined(*assumptions: str | None) -> str | None:
    found = [a for a in assumptions if a]
    return "; ".join(dict.fromkeys(found)) or None


def _must_specify(
    quota: ResourceQuota,
    tracked: list[str],
    spec: Any,
    outcome: str,
    assumption: str | None,
) -> list[Problem]:
    missing: dict[str, list[str]] = {}  # "limits.cpu" → container names
    by_container: dict[tuple[Path, str, str, str], list[tuple[str, str]]] = {}
    for path, container, name, container_type in admitted_containers(spec):
        # A request the container leaves out is its limit (API defaulting runs first).
        requests, limits = container_amounts(container)
        for key in tracked:
            bucket, resource = MUST_SPECIFY[key]
            if resource in (limits if bucket == "limits" else requests):
                continue
            shown = f"{bucket}.{resource}"
            names = missing.setdefault(shown, [])
            if name not in names:
                names.append(name)
            entry = by_container.setdefault((path, name, container_type, bucket), [])
            if (key, shown) not in entry:
                entry.append((key, shown))
    if not missing:
        return []
    upstream = "; ".join(
        f"{shown} for: {','.join(sorted(names))}" for shown, names in sorted(missing.items())
    )
    out = []
    for (path, name, container_type, bucket), keys in by_container.items():
        fields = sorted({shown for _, shown in keys})
        also = ""
        if bucket == "requests" and _covered_by_limits(by_container, path, name, keys):
            continue  # the limits it sets no more are its requests too: one refusal, one finding
        if bucket == "limits":
            unset = [
                shown
                for key, shown in by_container.get((path, name, container_type, "requests"), [])
                if _covered_by_limits(by_container, path, name, [(key, shown)])
            ]
            if unset:
                also = f" (nor {', '.join(sorted(unset))}, which a limit also sets)"
        quota_key = keys[0][0]
        out.append(
            Problem(
                "quota-requires-limits" if bucket == "limits" else "quota-requires-requests",
                f"{container_type} {name} sets no {', '.join(fields)}{also}, which "
                f"{quota.ref.label} tracks: {outcome} (failed quota: {quota.ref.name}: must "
                f"specify {upstream})",
                (*path, "resources"),
                name,
                amount_cause(quota.ref.label, f"hard {quota_key}", quota.hard[quota_key]),
                assumption,
                quota.ref.label,
            )
        )
    return out


def _covered_by_limits(
    by_container: dict[tuple[Path, str, str, str], list[tuple[str, str]]],
    path: Path,
    name: str,
    keys: list[tuple[str, str]],
) -> bool:
    """Whether every request in ``keys`` that the container leaves out is a resource whose
    limit it leaves out too: the API server sets a missing request to its limit, so the
    limits the ``quota-requires-limits`` finding asks for are the requests as well."""
    limits = {
        shown.partition(".")[2]
        for (at, named, _, bucket), found in by_container.items()
        if at == path and named == name and bucket == "limits"
        for _, shown in found
    }
    return bool(limits) and all(shown.partition(".")[2] in limits for _, shown in keys)


def _first_container(spec: Any) -> Path:
    for path, _, _, _ in admitted_containers(spec):
        if path[1] == "containers":
            return (*path, "resources")
    return ("spec",)


def contributor(spec: Any, key: str) -> Path:
    """The field of the first container that adds to quota key ``key``."""
    if key in ("pods", "count/pods"):
        return ("spec",)
    bucket = "limits" if key.startswith("limits.") else "requests"
    resource = key.removeprefix("limits.").removeprefix("requests.")
    for path, container, _, _ in admitted_containers(spec):
        requests, limits = container_amounts(container)
        if resource in (limits if bucket == "limits" else requests):
            written = _mapping(_mapping(container.get("resources")).get(bucket))
            return (*path, "resources", bucket if resource in written else "limits", resource)
    return _first_container(spec)


# ---------------------------------------------------------------------------------------------
# Capacity


class Bound(NamedTuple):
    """How many of something fit, and the quota keys that bind."""

    fits: int
    binding: tuple[tuple[ResourceQuota, str], ...]


def servers_that_fit(
    quotas: list[ResourceQuota], spec: Any, used: dict[str, Fraction] | None = None
) -> Bound | None:
    """How many pods like ``spec`` the namespace's quotas admit at once beside ``used``, and
    the keys that bind (None: no quota charges the pod)."""
    charges = (
        (quota, key, pod_charge(spec, key))
        for quota in quotas
        if quota_applies(quota, spec)[0]
        for key in quota.hard
    )
    return _tightest(charges, used or {})


def _tightest(
    charges: Iterable[tuple[ResourceQuota, str, Fraction | None]], used: dict[str, Fraction]
) -> Bound | None:
    """How many fit under the quota keys that each thing charges ``(quota, key, charge)``
    beside ``used``, and the keys that bind (None: nothing charged)."""
    best: int | None = None
    binding: list[tuple[ResourceQuota, str]] = []
    for quota, key, charge in charges:
        if not charge:
            continue
        room = quota.hard[key].amount - used.get(key, Fraction(0))
        count = max(0, int(room // charge))
        if best is None or count < best:
            best, binding = count, [(quota, key)]
        elif count == best:
            binding.append((quota, key))
    return None if best is None else Bound(best, tuple(binding))


def claims_that_fit(
    quotas: list[ResourceQuota],
    storage: Fraction | None,
    storage_class: str | None,
    used: dict[str, Fraction] | None = None,
) -> Bound | None:
    """How many PVCs of ``storage`` bytes the quotas admit beside ``used`` (None: unbounded)."""
    used = used or {}
    charge: dict[str, Fraction] = {
        "persistentvolumeclaims": Fraction(1),
        "count/persistentvolumeclaims": Fraction(1),
    }
    if storage:
        charge["requests.storage"] = storage
    if storage_class:
        prefix = f"{storage_class}.storageclass.storage.k8s.io/"
        charge[f"{prefix}persistentvolumeclaims"] = Fraction(1)
        if storage:
            charge[f"{prefix}requests.storage"] = storage
    charges = (
        (quota, key, charge.get(key))
        for quota in quotas
        if not (quota.scopes or quota.selector)
        for key in quota.hard
    )
    return _tightest(charges, used)


def _claim_charge(request: Fraction | None, storage_class: str | None) -> dict[str, Fraction]:
    """What one PVC asking for ``request`` bytes of ``storage_class`` charges an unscoped quota."""
    charge: dict[str, Fraction] = {
        "persistentvolumeclaims": Fraction(1),
        "count/persistentvolumeclaims": Fraction(1),
    }
    if request is not None:
        charge["requests.storage"] = request
    if storage_class:
        prefix = f"{storage_class}.storageclass.storage.k8s.io/"
        charge[f"{prefix}persistentvolumeclaims"] = Fraction(1)
        if request is not None:
            charge[f"{prefix}requests.storage"] = request
    return charge


class ClaimSetBound(NamedTuple):
    """How many replicas of a StatefulSet get all their claims under one quota key."""

    quota: ResourceQuota
    key: str
    #: Replicas whose claims fit (the first refused is this ordinal).
    fits: int
    #: What one replica's claims charge the key.
    per_replica: Fraction


def claim_set_bounds(
    quotas: list[ResourceQuota],
    claims: list[tuple[Fraction | None, str | None]],
    replicas: int,
) -> list[ClaimSetBound]:
    """The quota keys under which a StatefulSet's ``replicas`` sets of claims (one PVC per
    template, ``(request, storage class)``) do not all fit, though each claim alone does (that
    is ``claim_problems``'): the controller creates a replica's claims before its pod, in
    ordinal order, so the ordinal ``fits`` never gets its claims nor its pod."""
    per_replica: dict[str, Fraction] = {}
    for request, storage_class in claims:
        for key, charged in _claim_charge(request, storage_class).items():
            per_replica[key] = per_replica.get(key, Fraction(0)) + charged
    out = []
    for quota in quotas:
        if quota.scopes or quota.selector:
            continue  # a scoped quota never matches a PVC
        for key, amount in quota.hard.items():
            charge = per_replica.get(key)
            if not charge or charge * replicas <= amount.amount:
                continue
            if any(_claim_charge(r, c).get(key, Fraction(0)) > amount.amount for r, c in claims):
                continue  # one claim alone is more than the quota: claim_problems says it
            out.append(ClaimSetBound(quota, key, int(amount.amount // charge), charge))
    return out


def claim_problems(
    limit_ranges: list[LimitRange],
    quotas: list[ResourceQuota],
    request: Fraction | None,
    storage_class: str | None,
    used: dict[str, Fraction] | None = None,
) -> list[tuple[str, str, Cause, str | None]]:
    """``(rule, message, cause, assumption)`` for one PVC asking for ``request`` bytes: the
    LimitRange ``PersistentVolumeClaim`` bounds it breaks, and a quota it alone exceeds (beside
    ``used``)."""
    out: list[tuple[str, str, Cause, str | None]] = []
    for limit_range in limit_ranges:
        item = limit_range.item("PersistentVolumeClaim")
        if item is None:
            continue
        for constraint, bound in (("min", "minimum"), ("max", "maximum")):
            amount = item.get(constraint).get("storage")
            if amount is None:
                continue
            head = f"{bound} storage usage per PersistentVolumeClaim is {amount.text}"
            if request is None:
                message = f"{head}, but no request is specified"
            elif (constraint == "min" and request < amount.amount) or (
                constraint == "max" and request > amount.amount
            ):
                message = f"{head}, but request is {format_quantity(request, 'storage')}"
            else:
                continue
            cause = amount_cause(limit_range.ref.label, f"{constraint}.storage", amount)
            out.append(("limitrange-pvc", message, cause, None))
    used = used or {}
    charge = _claim_charge(request, storage_class)
    for quota in quotas:
        if quota.scopes or quota.selector:
            continue  # a scoped quota never matches a PVC
        for key, amount in quota.hard.items():
            if key not in charge:
                continue
            taken = used.get(key, Fraction(0))
            if charge[key] <= amount.amount - taken:
                continue
            beside = (
                f", {format_quantity(taken, key)} of it used by the chart's own PVCs"
                if taken
                else ""
            )
            out.append(
                (
                    "quota-exceeds-hard",
                    f"needs {key}={format_quantity(charge[key], key)}, more than "
                    f"{quota.ref.label} leaves (hard {key}={amount.text}{beside}): its creation is "
                    "always refused",
                    amount_cause(quota.ref.label, f"hard {key}", amount),
                    NO_OTHER_USAGE,
                )
            )
    return out
