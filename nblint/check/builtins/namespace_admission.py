"""A pod as its namespace's LimitRanges and ResourceQuotas admit it (the ``limitrange-*`` and
``quota-*`` rules).

Why Python: the questions add quantities across containers (a pod's aggregate is the sum of its
containers or its largest init container), compare them with objects in other files, and count
how many pods fit. The work itself is :mod:`nblint.model.admission`; this module reads the pod's
:attr:`~nblint.model.pod.EffectivePod.admission` (set by the run) and words what it finds, once
per pod for all its rules:

* each resource a LimitRange default filled in (``limitrange-default-applied``);
* LimitRange bounds, and requests above a defaulted limit (``limitrange-*``);
* what a matching quota refuses: must specify, a pod larger than the quota (``quota-*``);
* the z2jh home PVC and the hub's own PVC against LimitRange and quota;
* how many servers fit (``quota-capacity``), and which never start;
* the z2jh chart's own pods a quota refuses (the hub never starts).
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from nblint.check.targets import VALUES, RawViolation
from nblint.model.admission import (
    NO_OTHER_USAGE,
    Bound,
    Problem,
    amount_cause,
    claim_problems,
    claims_that_fit,
    fill_defaults,
    limit_range_problems,
    quota_applies,
    quota_problems,
    servers_that_fit,
)
from nblint.model.namespace import NamespaceContext
from nblint.model.pod import EffectivePod
from nblint.model.quantity import format_quantity, parse_quantity
from nblint.model.resources import MUST_SPECIFY, container_amounts, pod_charge
from nblint.model.rule import Implementation, PsaPolicy, Rule

#: What a chart pod's rejection does to the deployment.
CHART_POD_OUTCOME = {
    "hub": "the hub never starts",
    "proxy": "the proxy never starts (the hub is unreachable)",
    "autohttps": "HTTPS is never served",
    "user-scheduler": "user pods stay Pending",
    "user-placeholder": "no placeholder runs",
    "continuous-image-puller": "images are not pre-pulled",
    "hook-image-puller": "helm install waits for its pre-install hook forever",
    "hook-image-awaiter": "helm install waits for its pre-install hook forever",
}
INJECTED = "no mutating webhook adds containers"
NOT_COUNTED = "image-puller DaemonSet pods (one per node) not counted"


def check(
    pod: EffectivePod, rule: Rule, impl: Implementation, policy: PsaPolicy
) -> Iterator[RawViolation]:
    admission = pod.admission
    if admission is None or not admission.known:
        return
    found = pod.memo.get(_MEMO)
    if found is None:
        found = pod.memo[_MEMO] = list(_everything(pod, admission.namespace))
    for rule_id, raw in found:
        if rule_id == rule.id:
            yield raw


#: Every rule of this module is worked out in one pass per pod, kept in ``EffectivePod.memo``.
_MEMO = "namespace_admission"
Found = Iterator[tuple[str, RawViolation]]


def _everything(pod: EffectivePod, namespace: NamespaceContext) -> Found:
    assert pod.admission is not None
    yield from (("limitrange-default-applied", raw) for raw in _defaults(pod))
    problems = limit_range_problems(pod.spec, namespace.limit_ranges, pod.admission.defaults)
    problems += quota_problems(pod, namespace.quotas)
    yield from _placed(pod, problems)
    yield from _claims(pod, namespace)
    yield from _capacity(pod, namespace)
    yield from (("quota-chart-pods-unadmittable", raw) for raw in _chart_pods(pod, namespace))


def _placed(pod: EffectivePod, problems: list[Problem]) -> Found:
    for problem in problems:
        yield (
            problem.rule,
            RawViolation(
                problem.path,
                problem.message,
                problem.container,
                variables={},
                distinct=problem.distinct,
                cause=problem.cause,
                assumption=problem.assumption,
            ),
        )


def _defaults(pod: EffectivePod) -> Iterator[RawViolation]:
    assert pod.admission is not None
    for default in pod.admission.defaults:
        assert default.limit_range is not None
        message = (
            f"{default.bucket}.{default.resource} {default.amount.text} of "
            f"{default.container_type} {default.container} comes from {default.limit_range.label}"
            f"'s {'default' if default.bucket == 'limits' else 'defaultRequest'}"
        )
        if default.alternatives:
            others = ", ".join(
                f"{amount.text} if {ref.label} is read first"
                for ref, amount in default.alternatives
            )
            message += f" ({others}: the order is undefined)"
        yield RawViolation(
            default.path,
            message,
            default.container,
            variables={},
            distinct=default.resource,
            cause=amount_cause(
                default.limit_range.label,
                "default" if default.bucket == "limits" else "defaultRequest",
                default.amount,
            ),
        )


# ---------------------------------------------------------------------------------------------
# PVCs of a z2jh release


def _claim_usage(pod: EffectivePod) -> dict[str, Fraction]:
    """What the chart's own PVC (``hub-db-dir``) takes of the namespace's quota."""
    hub = pod.facts.get("hub_db_pvc")
    if not isinstance(hub, dict):
        return {}
    used: dict[str, Fraction] = {
        "persistentvolumeclaims": Fraction(1),
        "count/persistentvolumeclaims": Fraction(1),
    }
    storage = parse_quantity(hub.get("storage"))
    if storage is not None:
        used["requests.storage"] = storage
    storage_class = hub.get("storage_class")
    if isinstance(storage_class, str) and storage_class:
        prefix = f"{storage_class}.storageclass.storage.k8s.io/"
        used[f"{prefix}persistentvolumeclaims"] = Fraction(1)
        if storage is not None:
            used[f"{prefix}requests.storage"] = storage
    return used


def _home(pod: EffectivePod) -> tuple[Fraction | None, str | None, tuple[Any, ...]] | None:
    home = pod.facts.get("home_pvc")
    if not isinstance(home, dict):
        return None
    storage_class = home.get("storage_class")
    return (
        parse_quantity(home.get("capacity")),
        storage_class if isinstance(storage_class, str) and storage_class else None,
        tuple(home.get("capacity_path") or ("singleuser", "storage", "capacity")),
    )


def _claims(pod: EffectivePod, namespace: NamespaceContext) -> Found:
    home = _home(pod)
    hub = pod.facts.get("hub_db_pvc")
    if isinstance(hub, dict):
        storage_class = hub.get("storage_class")
        for rule, message, cause, assumption in claim_problems(
            namespace.limit_ranges,
            namespace.quotas,
            parse_quantity(hub.get("storage")),
            storage_class if isinstance(storage_class, str) and storage_class else None,
        ):
            yield (
                rule,
                RawViolation(
                    (VALUES, *hub["path"]),
                    f"the hub's PVC hub-db-dir {message}: the hub never starts",
                    cause=cause,
                    assumption=assumption,
                    distinct="hub-db-dir",
                ),
            )
    if home is None:
        return
    storage, storage_class, path = home
    # One PVC larger than the quota on its own; beside the chart's PVC: never-starts says it.
    for rule, message, cause, assumption in claim_problems(
        namespace.limit_ranges, namespace.quotas, storage, storage_class
    ):
        yield (
            rule,
            RawViolation(
                (VALUES, *path),
                f"a user's home PVC {message}: KubeSpawner creates it before the pod, so the "
                "first spawn of every new user (and of every new named server) fails",
                cause=cause,
                assumption=assumption,
                distinct="home",
            ),
        )


# ---------------------------------------------------------------------------------------------
# Capacity


def _chart_usage(pod: EffectivePod, namespace: NamespaceContext) -> dict[str, Fraction]:
    """What the chart's own pods that always run take of each quota key (after LimitRange
    defaults); a user placeholder without resources of its own counts as one more of ``pod``."""
    used: dict[str, Fraction] = {}
    keys = {key for quota in namespace.quotas for key in quota.hard}
    for chart_pod in _chart_pods_of(pod):
        if not chart_pod.get("counted"):
            continue
        replicas = chart_pod.get("replicas") or 0
        spec = pod.spec if chart_pod.get("like_user_server") else _chart_spec(chart_pod, namespace)
        for key in keys:
            charge = pod_charge(spec, key)
            if charge:
                used[key] = used.get(key, Fraction(0)) + charge * replicas
    return used


def _chart_pods_of(pod: EffectivePod) -> list[dict[str, Any]]:
    found = pod.facts.get("chart_pods")
    return [entry for entry in found if isinstance(entry, dict)] if isinstance(found, list) else []


def _chart_spec(chart_pod: dict[str, Any], namespace: NamespaceContext) -> dict[str, Any]:
    spec = {
        "containers": [
            {"name": container["name"], "resources": container.get("resources") or {}}
            for container in chart_pod.get("containers", [])
        ]
    }
    return fill_defaults(spec, namespace.limit_ranges)[0]


def _binding(bound: Bound, per: dict[str, Fraction], used: dict[str, Fraction]) -> str:
    parts = []
    for quota, key in bound.binding:
        charge = per.get(key)
        each = f", {format_quantity(charge, key)} each" if charge is not None else ""
        taken = f", {format_quantity(used[key], key)} taken by the chart" if used.get(key) else ""
        parts.append(f"{quota.ref.label} {key}: {quota.hard[key].text}{each}{taken}")
    return "; ".join(parts)


def _capacity(pod: EffectivePod, namespace: NamespaceContext) -> Found:
    per_user = bool(pod.facts.get("per_user"))
    if not namespace.quotas or not (per_user or pod.facts.get("notebook_server")):
        return  # capacity is a question about notebook servers, not any workload
    if per_user:
        yield from (("quota-profile-never-starts", raw) for raw in _no_home(pod, namespace))
    used = _chart_usage(pod, namespace) if per_user else {}
    alone = servers_that_fit(namespace.quotas, pod.spec)
    bound = servers_that_fit(namespace.quotas, pod.spec, used)
    if bound is None or alone is None:
        return
    if alone.fits == 0:
        return  # one pod is more than the quota: quota-exceeds-hard says it
    per = {key: pod_charge(pod.spec, key) for _, key in bound.binding}
    what = (
        f'servers of profile "{pod.profile}"'
        if pod.profile
        else ("user servers" if per_user else f"notebooks like {pod.object}")
    )
    quota, key = bound.binding[0]
    origin = quota.hard[key].origin
    cause = amount_cause(quota.ref.label, f"hard {key}", quota.hard[key])
    assumption = (
        f"{NO_OTHER_USAGE} beside the chart's own pods; {NOT_COUNTED}; {INJECTED}"
        if per_user
        else f"{NO_OTHER_USAGE}; {INJECTED}"
    )
    if bound.fits == 0:
        yield (
            "quota-profile-never-starts",
            RawViolation(
                ("spec",),
                f"no {what} can start: the chart's own pods leave no room "
                f"({_binding(bound, per, used)})",
                origin=origin,
                cause=cause,
                assumption=assumption,
                distinct=key,
            ),
        )
        return
    message = (
        f"at most {bound.fits} {what} run at once in namespace {namespace.display} "
        f"(binding: {_binding(bound, per, used)})"
    )
    if per_user:
        message += _per_user(pod, namespace, bound.fits)
    yield (
        "quota-capacity",
        RawViolation(
            ("spec",),
            message,
            origin=origin,
            cause=cause,
            assumption=assumption,
            distinct=key,
        ),
    )


def _servers_per_user(pod: EffectivePod) -> tuple[int | None, str]:
    """How many servers one user may have (None: unlimited), and the values that say it."""
    named = pod.facts.get("named_servers")
    if not isinstance(named, dict) or not named.get("allowed"):
        return 1, "named servers off"
    limit = named.get("limit") or 0
    if not limit:
        return None, "hub.allowNamedServers with no namedServerLimitPerUser: unlimited"
    return 1 + int(limit), f"the default server and hub.namedServerLimitPerUser: {limit}"


def _home_bound(
    pod: EffectivePod, namespace: NamespaceContext
) -> tuple[Bound, Fraction | None] | None:
    home = _home(pod)
    if home is None:
        return None
    storage, storage_class, _ = home
    bound = claims_that_fit(namespace.quotas, storage, storage_class, _claim_usage(pod))
    return (bound, storage) if bound is not None else None


def _per_user(pod: EffectivePod, namespace: NamespaceContext, servers: int) -> str:
    per_user, why = _servers_per_user(pod)
    text = ""
    home = _home_bound(pod, namespace)
    if home is not None:
        bound, storage = home
        used = _claim_usage(pod)
        per = {"persistentvolumeclaims": Fraction(1), "count/persistentvolumeclaims": Fraction(1)}
        if storage is not None:
            per["requests.storage"] = storage
        text += (
            f"; at most {bound.fits} servers can keep a home PVC "
            f"(binding: {_binding(bound, per, used)})"
        )
    if per_user is None:
        text += f"; {why}, so one user's servers can take the whole namespace"
    elif per_user > 1:
        users = servers // per_user
        text += (
            f"; a user may have {per_user} servers ({why}), so {users} "
            f"user{'s' * (users != 1)} can run all of theirs at once"
        )
        if home is not None:
            keep = home[0].fits // per_user
            text += f" and {keep} can keep a home PVC for each"
        if per_user >= servers:
            text += ": one user's servers can take the whole namespace"
    return text


def _no_home(pod: EffectivePod, namespace: NamespaceContext) -> Iterator[RawViolation]:
    home = _home_bound(pod, namespace)
    if home is None or home[0].fits > 0:
        return
    bound, storage = home
    if storage is not None and any(
        key == "requests.storage" and storage > quota.hard[key].amount
        for quota, key in bound.binding
    ):
        return  # the PVC alone is more than the quota: quota-exceeds-hard says it
    home_path = _home(pod)
    assert home_path is not None
    quota, key = bound.binding[0]
    per = {"persistentvolumeclaims": Fraction(1), "count/persistentvolumeclaims": Fraction(1)}
    if storage is not None:
        per["requests.storage"] = storage
    yield RawViolation(
        (VALUES, *home_path[2]),
        "no user can get a home PVC: the chart's own PVC leaves no room "
        f"({_binding(bound, per, _claim_usage(pod))}); KubeSpawner creates the PVC before the "
        "pod, so the first spawn of every user fails",
        cause=amount_cause(quota.ref.label, f"hard {key}", quota.hard[key]),
        assumption=NO_OTHER_USAGE,
        distinct="home",
    )


# ---------------------------------------------------------------------------------------------
# The chart's own pods


def _chart_pods(pod: EffectivePod, namespace: NamespaceContext) -> Iterator[RawViolation]:
    for chart_pod in _chart_pods_of(pod):
        spec = _chart_spec(chart_pod, namespace)
        for quota in namespace.quotas:
            if not quota_applies(quota, spec)[0]:
                continue
            tracked = sorted(key for key in quota.hard if key in MUST_SPECIFY)
            for container, filled in zip(
                chart_pod.get("containers", []), spec["containers"], strict=True
            ):
                requests, limits = container_amounts(filled)
                missing = sorted(
                    {
                        f"{bucket}.{resource}"
                        for key in tracked
                        for bucket, resource in [MUST_SPECIFY[key]]
                        if resource not in (limits if bucket == "limits" else requests)
                    }
                )
                if not missing:
                    continue
                name = chart_pod["name"]
                key = next(k for k in tracked if "{}.{}".format(*MUST_SPECIFY[k]) in missing)
                yield RawViolation(
                    (VALUES, *container["path"]),
                    f"the chart's {name} pod sets no {', '.join(missing)}, which "
                    f"{quota.ref.label} tracks: {CHART_POD_OUTCOME.get(name, 'it never runs')}",
                    container["name"],
                    variables={"chart_pod": name},
                    distinct=f"{name}/{container['name']}/{quota.ref.label}",
                    cause=amount_cause(quota.ref.label, f"hard {key}", quota.hard[key]),
                )
