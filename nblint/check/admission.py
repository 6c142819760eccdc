"""A pod as its namespace's LimitRanges and ResourceQuotas admit it: what the
``namespace-admission`` builtin finds (the ``limitrange-*`` and ``quota-*`` rules).

Imported only for a pod whose namespace the inputs describe (the builtin checks first), so that a
plain check never pays for quantities and fractions.

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

from nblint.check.gpus import counts_gpus
from nblint.check.targets import VALUES, RawViolation
from nblint.model.admission import (
    NO_OTHER_USAGE,
    Bound,
    Problem,
    amount_cause,
    claim_problems,
    claim_set_bounds,
    claims_that_fit,
    contributor,
    fill_defaults,
    limit_range_problems,
    quota_applies,
    quota_problems,
    replica_problems,
    servers_that_fit,
)
from nblint.model.finding import Cause
from nblint.model.namespace import NamespaceContext, consequence
from nblint.model.pod import EffectivePod, Origin
from nblint.model.quantity import format_quantity, parse_quantity
from nblint.model.resources import MUST_SPECIFY, container_amounts, pod_amounts, pod_charge
from nblint.model.rule import Rule

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
INJECTED_OTHER = "no other mutating webhook adds containers"
NOT_COUNTED = "image-puller DaemonSet pods (one per node) not counted"


def findings(pod: EffectivePod, rule: Rule) -> Iterator[RawViolation]:
    """What the pod's namespace refuses or notes under ``rule``, all its rules worked out once."""
    admission = pod.admission
    assert admission is not None
    found = pod.memo.get(_MEMO)
    if found is None:
        found = pod.memo[_MEMO] = list(_everything(pod, admission.namespace))
    for rule_id, raw in found:
        if rule_id == rule.id:
            yield raw


#: Every rule is worked out in one pass per pod, kept in ``EffectivePod.memo``.
_MEMO = "namespace_admission"
Found = Iterator[tuple[str, RawViolation]]


def _everything(pod: EffectivePod, namespace: NamespaceContext) -> Found:
    assert pod.admission is not None
    yield from (("limitrange-default-applied", raw) for raw in _defaults(pod))
    problems = limit_range_problems(pod.spec, namespace.limit_ranges, pod.admission.defaults)
    # The quota charges the pod the webhooks make: the sidecars whose resources are known count.
    counted, _ = _sidecars(pod, namespace)
    # A container the webhook replaces is judged as its sidecar (at the annotation), once.
    replaced = _replaced(pod.spec, counted)
    problems = [p for p in problems if p.container not in replaced or p.container is None]
    charged = _with_sidecars(pod.spec, counted, namespace)
    # ... and the LimitRanger bounds it: the sidecars are containers like any other.
    problems += _sidecar_limit_problems(pod, counted, charged, namespace, problems)
    problems += quota_problems(pod, namespace.quotas, charged, _sidecars_counted(counted))
    replicas, where = _replicas(pod)
    # A pod refused outright (a bound or a quota it breaks on its own) runs in no replica:
    # how many replicas the quota holds is a question once it is admissible.
    if replicas > 1 and where is not None and not problems:
        # Every replica is a pod the quota charges: all of them must fit.
        problems += replica_problems(
            pod, namespace.quotas, replicas, where, charged, _sidecars_counted(counted)
        )
    yield from _placed(pod, problems)
    yield from _claims(pod, namespace)
    # A server the API server refuses (invalid, or charged what the quota refuses) never runs:
    # how many fit is no question then (its errors say why none starts).
    yield from _capacity(pod, namespace, refused=bool(problems))
    yield from (("quota-chart-pods-unadmittable", raw) for raw in _chart_pods(pod, namespace))


def _replicas(pod: EffectivePod) -> tuple[int, Origin | None]:
    """How many pods of the template run at once (the dialect's fact ``replicas``, written
    above 1), and the line that says so."""
    replicas = pod.facts.get("replicas")
    where = pod.facts.get("replicas_origin")
    if not isinstance(replicas, int) or not isinstance(where, (list, tuple)) or len(where) != 3:
        return 1, None
    return replicas, Origin(*where)


def _variables(path: tuple[object, ...], container: str | None) -> dict[str, str]:
    """The template variables of a finding at ``path`` (a fix names the container's list)."""
    if container is None or len(path) < 3 or path[1] not in ("containers", "initContainers"):
        return {}
    kind = "container" if path[1] == "containers" else "initContainer"
    return {"container": container, "container_list": str(path[1]), "container_type": kind}


def _wanted(problem: Problem) -> dict[str, str]:
    """The variables of a fix that writes what ``problem`` wants: the resource, its bucket and
    amount in a manifest (``requests``, ``cpu``, ``500m``), and in KubeSpawner's sizes for z2jh
    (``cpu.guarantee: 0.5``, ``extraResource.limits: {nvidia.com/gpu: 1}``); ``<amount>`` where
    no one amount is right (a pod-wide bound, a ratio without a limit)."""
    if problem.wanted is None:
        return {}
    from nblint.check.builtins.resources import sizes_text
    from nblint.model.quantity import format_quantity

    resource, bucket, amount = problem.wanted
    text = "<amount>" if amount is None else format_quantity(amount, resource)
    if resource in ("cpu", "memory"):
        section, key = resource, ("guarantee" if bucket == "requests" else "limit")
        value = text if amount is None else sizes_text(resource, text)
    else:
        section, key = "extraResource", ("guarantees" if bucket == "requests" else "limits")
        value = f"{{{resource}: {text}}}"
    return {
        "resource": resource,
        "bucket": bucket,
        "wanted": text,
        "sizes_section": section,
        "sizes_key": key,
        "sizes_value": value,
    }


def _placed(pod: EffectivePod, problems: list[Problem]) -> Found:
    for problem in problems:
        yield (
            problem.rule,
            RawViolation(
                problem.path,
                problem.message,
                problem.container,
                variables={**_variables(problem.path, problem.container), **_wanted(problem)},
                distinct=problem.distinct,
                cause=problem.cause,
                assumption=problem.assumption,
                origin=problem.origin,
                # A hint of its own (a workload's replicas): for the object, advice only.
                fix=None if problem.hint is None else {"any": problem.hint},
                fix_safety=None if problem.hint is None else "display-only",
                object_hint=problem.hint is not None,
            ),
        )


def _defaults(pod: EffectivePod) -> Iterator[RawViolation]:
    assert pod.admission is not None
    for default in pod.admission.defaults:
        assert default.limit_range is not None
        constraint = "default" if default.bucket == "limits" else "defaultRequest"
        message = (
            f"{default.bucket}.{default.resource} {default.amount.text} of "
            f"{default.container_type} {default.container} is the {constraint} of "
            f"{default.limit_range.label}"
        )
        if default.alternatives:
            others = ", ".join(
                f"{amount.text} if {ref.label} is read first"
                for ref, amount in default.alternatives
            )
            message += f" ({others}: the order is undefined)"
        where = default.amount.origin
        yield RawViolation(
            default.path,
            message,
            default.container,
            variables=_variables(default.path, default.container),
            distinct=default.resource,
            # At the LimitRange's line, which the cause names: no note repeats it.
            origin=Origin(where.file, where.line, where.column),
            cause=amount_cause(default.limit_range.label, constraint, default.amount),
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
    yield from _claim_templates(pod, namespace)
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
                    f"the hub's PVC hub-db-dir: {message}; the hub never starts",
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
                f"a user's home PVC: {message}; KubeSpawner creates it before the pod, so the "
                "first spawn of every new user (and of every new named server) fails",
                cause=cause,
                assumption=assumption,
                distinct="home",
            ),
        )


def _claim_templates(pod: EffectivePod, namespace: NamespaceContext) -> Found:
    """A StatefulSet's ``volumeClaimTemplates``: the controller creates each PVC before the
    pod, and the namespace's LimitRange and quota judge it as a PVC manifest."""
    found = pod.facts.get("claim_templates")
    for claim in found if isinstance(found, list) else []:
        file, line, column = claim["origin"]
        for rule, message, cause, assumption in claim_problems(
            namespace.limit_ranges,
            namespace.quotas,
            parse_quantity(claim.get("storage")),
            claim.get("storage_class"),
        ):
            yield (
                rule,
                RawViolation(
                    (),
                    f"PVC {claim['claim']} (volumeClaimTemplates {claim['template']}): {message}; "
                    "the StatefulSet controller creates it before the pod, which never starts",
                    fix={"any": _claim_template_hint(claim["template"], cause)},
                    fix_safety="display-only",
                    object_hint=True,
                    origin=Origin(file, line, column),
                    cause=cause,
                    assumption=assumption,
                    distinct=f"claim {claim['template']}",
                ),
            )
    if isinstance(found, list) and found:
        yield from _claim_set(pod, namespace, found)


def _claim_set(pod: EffectivePod, namespace: NamespaceContext, claims: list[Any]) -> Found:
    """The claims of all the StatefulSet's replicas together (each claim alone fits): the
    quota admits the claims of only so many replicas, and the next ordinal never starts."""
    replicas, where = _replicas(pod)
    requests = [(parse_quantity(c.get("storage")), c.get("storage_class")) for c in claims]
    bounds = claim_set_bounds(namespace.quotas, requests, replicas)
    if not bounds:
        return
    tightest = min(bounds, key=lambda bound: bound.fits)
    quota, key, fits = tightest.quota, tightest.key, tightest.fits
    hard = quota.hard[key]
    cause = amount_cause(quota.ref.label, f"hard {key}", hard)
    each = format_quantity(tightest.per_replica, key)
    names = ", ".join(f"{c['template']}-{c.get('set')}-{fits}" for c in claims)
    templates = ", ".join(c["template"] for c in claims)
    if fits == 0 or where is None:
        # One pod's claims together: a smaller claim is the edit (at the first template).
        file, line, column = claims[0]["origin"]
        where = Origin(file, line, column)
        message = (
            f"PVCs {names} (volumeClaimTemplates {templates}) of one pod need {key}={each} "
            f"together, more than {quota.ref.label} holds (hard {key}={hard.text}): the "
            "StatefulSet controller creates them before the pod, which never starts"
        )
        hint = (
            f"# the claims of one pod need {key}={each} together, more than {quota.ref.label} "
            f"holds ({key}: {hard.text}): ask for less storage in volumeClaimTemplates, or "
            "raise the quota"
        )
    else:
        refused = f"{pod.object.partition('/')[2]}-{fits}"
        message = (
            f"PVCs {names} (volumeClaimTemplates {templates}) of pod {refused}: "
            f"replicas: {replicas} need {key}="
            f"{format_quantity(tightest.per_replica * replicas, key)} ({each} per pod), more than "
            f"{quota.ref.label} holds (hard {key}={hard.text}): the StatefulSet controller cannot "
            f"create the claims of ordinal {fits} nor of any later one, so only {fits} of the "
            f"{replicas} pods run"
        )
        hint = (
            f"spec:\n  replicas: {fits}   # as many as {quota.ref.label} holds claims for; or "
            f"ask for less storage per claim, or raise its hard {key}"
        )
    yield (
        "quota-exceeds-hard",
        RawViolation(
            (),
            message,
            fix={"any": hint},
            fix_safety="display-only",
            object_hint=True,
            origin=where,
            cause=cause,
            assumption=NO_OTHER_USAGE,
            distinct="claims of every replica",
        ),
    )


def _claim_template_hint(template: str, cause: Cause) -> str:
    """The storage request of the claim template the bound (``max.storage: 50Gi``, ``hard
    requests.storage: 100Gi``) allows; for a PVC count, the quota to raise."""
    bound, _, amount = cause.detail.partition(": ")
    if bound.endswith("persistentvolumeclaims"):
        return f"# {cause.object} admits no more PVCs ({cause.detail}): raise it, or drop the claim"
    wanted = {
        "min.storage": "at least the LimitRange's min",
        "max.storage": "at most the LimitRange's max",
    }.get(bound, "at most what the quota holds, less what the namespace already uses")
    return (
        "spec:\n"
        "  volumeClaimTemplates:\n"
        f"    - metadata: {{name: {template}}}\n"
        "      spec:\n"
        "        resources:\n"
        "          requests:\n"
        f"            storage: {amount}   # {wanted}"
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
    """``requests.cpu 24 of ResourceQuota/compute, 1 per server, 200m to the chart's pods``."""
    parts = []
    for quota, key in bound.binding:
        text = f"{key} {quota.hard[key].text} of {quota.ref.label}"
        charge = per.get(key)
        if charge is not None:
            text += f", {format_quantity(charge, key)} each"
        if used.get(key):
            text += f", {format_quantity(used[key], key)} to the chart's own"
        parts.append(text)
    return "; ".join(parts)


def _capacity(pod: EffectivePod, namespace: NamespaceContext, refused: bool = False) -> Found:
    per_user = bool(pod.facts.get("per_user"))
    if not namespace.quotas or not (per_user or pod.facts.get("notebook_server")):
        return  # capacity is a question about notebook servers, not any workload
    if per_user:
        yield from (("quota-profile-never-starts", raw) for raw in _no_home(pod, namespace))
        yield from (("quota-capacity", raw) for raw in _home_capacity(pod, namespace))
    if refused:
        return
    used = _chart_usage(pod, namespace) if per_user else {}
    counted, uncounted = _sidecars(pod, namespace)
    # The quota charges the pod the webhooks make: the sidecars whose resources are known count.
    charged = _with_sidecars(pod.spec, counted, namespace)
    alone = servers_that_fit(namespace.quotas, charged)
    bound = servers_that_fit(namespace.quotas, charged, used)
    if bound is None or alone is None or alone.fits == 0:
        return  # no quota charges it, or one pod is more than the quota (quota-exceeds-hard)
    per = {key: pod_charge(charged, key) for _, key in bound.binding}
    if pod.profile:
        what = f'servers of profile "{pod.profile}"'
    else:
        what = "user servers" if per_user else f"notebooks like {pod.object}"
    quota, key = bound.binding[0]
    cause = amount_cause(quota.ref.label, f"hard {key}", quota.hard[key])
    assumption = _assumption(per_user, bool(counted or uncounted))
    binding = _binding(bound, per, used) + _sidecars_counted(counted)
    # At what the server asks for (the profile's line), the quota key in the cause.
    place = contributor(pod.spec, key)
    if bound.fits == 0:
        yield (
            "quota-profile-never-starts",
            RawViolation(
                place,
                f"no {what} can start: the chart's own pods leave no room ({binding})",
                cause=cause,
                assumption=assumption,
                distinct=key,
            ),
        )
        return
    message = f"at most {bound.fits} {what} run at once ({binding})"
    if per_user:
        message += _users(pod, bound.fits, "run all of theirs at once")
    message += _sidecars_uncounted(uncounted)
    for gpu, held in _untracked_gpus(pod, namespace, bound.fits):
        yield (
            "quota-capacity",
            RawViolation(
                contributor(pod.spec, f"requests.{gpu}"),
                f"no quota tracks requests.{gpu}: the {bound.fits} {what} that fit hold "
                f"{held} {gpu} at once, idle or not",
                cause=cause,
                assumption=assumption,
                distinct=gpu,
            ),
        )
    yield (
        "quota-capacity",
        RawViolation(
            place,
            message,
            cause=cause,
            assumption=assumption,
            distinct=key,
        ),
    )


def _untracked_gpus(
    pod: EffectivePod, namespace: NamespaceContext, servers: int
) -> list[tuple[str, str]]:
    """``(GPU resource, how many the servers hold)`` for GPUs no quota counts: an idle GPU
    server holds its GPU, and only the quota's other keys bound how many are held."""
    requests = pod_amounts(pod.spec, "requests")
    out = []
    for name in sorted(requests):
        if not counts_gpus(name) or not requests[name]:
            continue
        if any(
            f"requests.{name}" in quota.hard and quota_applies(quota, pod.spec)[0]
            for quota in namespace.quotas
        ):
            continue
        out.append((name, format_quantity(requests[name] * servers, name)))
    return out


def _assumption(per_user: bool, sidecars: bool = False) -> str:
    injected = INJECTED_OTHER if sidecars else INJECTED
    if per_user:
        return f"{NO_OTHER_USAGE} beside the chart's own pods; {NOT_COUNTED}; {injected}"
    return f"{NO_OTHER_USAGE}; {injected}"


def _sidecars(
    pod: EffectivePod, namespace: NamespaceContext
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The sidecars a webhook injects into the pod (the dialect's fact ``injected_sidecars``):
    those whose resources the webhook fixes, and those whose resources nblint does not know."""
    found = pod.facts.get("injected_sidecars")
    sidecars = [s for s in found if isinstance(s, dict)] if isinstance(found, list) else []
    if not any(s.get("name") == "istio-proxy" for s in sidecars):
        istio = _istio_label(pod, namespace)
        if istio is not None:
            sidecars.append({"name": "istio-proxy", "by": istio, "resources": None})
    counted = [s for s in sidecars if isinstance(s.get("resources"), dict)]
    # One of unknown resources that the pod already holds (an exported Notebook) is counted
    # with the resources written there, which are the webhook's.
    present = _replaced(pod.spec, sidecars)
    return counted, [s for s in sidecars if s not in counted and s["name"] not in present]


def _istio_label(pod: EffectivePod, namespace: NamespaceContext) -> str | None:
    """``namespace team-a's label istio-injection: enabled: Istio`` when the namespace's manifest
    turns Istio injection on for the pod (a dialect that knows more says it in its fact)."""
    manifest = namespace.manifest
    if manifest is None or "istio-injection" in namespace.disputed:
        return None
    labels = {**manifest.added_by_profile, **manifest.labels}
    injection = labels.get("istio-injection")
    if injection is None or injection.value != "enabled":
        return None
    for where in ("annotations", "labels"):
        marks = pod.metadata.get(where)
        if isinstance(marks, dict) and str(marks.get("sidecar.istio.io/inject")).lower() == "false":
            return None
    how = (
        "its label istio-injection: enabled"
        if "istio-injection" in manifest.labels
        else f"the profile controller labels it istio-injection: enabled when it creates it for "
        f"{manifest.ref.label}"
    )
    return f"namespace {namespace.name} has Istio sidecar injection ({how}): Istio"


def _with_sidecars(
    spec: dict[str, Any], sidecars: list[dict[str, Any]], namespace: NamespaceContext
) -> dict[str, Any]:
    """``spec`` with the sidecars of known resources added, after LimitRange defaults (which
    fill what the webhook leaves out, as for any container)."""
    if not sidecars:
        return spec
    containers = list(spec.get("containers") or [])
    for sidecar in sidecars:
        added = {"name": sidecar["name"], "resources": sidecar["resources"]}
        # The webhook replaces a container of the sidecar's name (a Notebook exported with
        # `oc get notebook` holds the proxy it injected) and appends one only where none is.
        at = _named_container(containers, sidecar["name"])
        if at is None:
            containers.append(added)
        else:
            containers[at] = {**containers[at], "resources": sidecar["resources"]}
    return fill_defaults({**spec, "containers": containers}, namespace.limit_ranges)[0]


def _named_container(containers: list[Any], name: str) -> int | None:
    """The index of the container called ``name`` (None: there is none)."""
    for index, container in enumerate(containers):
        if isinstance(container, dict) and container.get("name") == name:
            return index
    return None


def _replaced(spec: dict[str, Any], sidecars: list[dict[str, Any]]) -> set[str]:
    """The names of the pod's own containers a webhook replaces with its sidecar."""
    containers = list(spec.get("containers") or [])
    return {s["name"] for s in sidecars if _named_container(containers, s["name"]) is not None}


def _sidecar_limit_problems(
    pod: EffectivePod,
    sidecars: list[dict[str, Any]],
    charged: dict[str, Any],
    namespace: NamespaceContext,
    found: list[Problem],
) -> list[Problem]:
    """The LimitRange bounds an injected sidecar of known resources breaks (OpenShift AI's
    oauth-proxy: the webhook writes it into the Notebook's pod template, so the LimitRanger
    admits it like any container), and the pod-wide bounds only the pod with it breaks. Placed
    at what asks for the sidecar (the annotation): its resources are the webhook's, not the
    user's; the hint says what can change instead."""
    placed = {s["name"]: s for s in sidecars if isinstance(s.get("origin"), (list, tuple))}
    if not placed or not namespace.limit_ranges:
        return []
    seen = {(p.rule, p.cause.detail if p.cause else "", p.distinct) for p in found}
    out = []
    for problem in limit_range_problems(charged, namespace.limit_ranges, []):
        sidecar = placed.get(problem.container or "")
        if sidecar is None:
            if problem.container is not None:
                continue  # the pod's own container: said of the pod
            key = (problem.rule, problem.cause.detail if problem.cause else "", problem.distinct)
            if key in seen:
                continue  # the pod breaks it without the sidecar too
            sidecar = next(iter(placed.values()))
            what = f"{problem.message}, with {sidecar['name']}"
        else:
            what = problem.message
        bound = problem.cause.detail if problem.cause else "the bound"
        out.append(
            problem._replace(
                message=f"{what}: {consequence(pod)} ({sidecar['by']} with "
                f"{_sidecar_sizes(sidecar)}, which the webhook sets)",
                path=("metadata",),
                container=None,
                wanted=None,
                distinct=f"{problem.distinct} {sidecar['name']} {bound}",
                origin=Origin(*sidecar["origin"]),
                hint=(
                    f"# {sidecar['name']}'s resources are the webhook's: change {bound} of "
                    f"{problem.cause.object if problem.cause else 'the LimitRange'}, or drop "
                    "the annotation (no proxy)"
                ),
            )
        )
    return out


def _sidecars_counted(sidecars: list[dict[str, Any]]) -> str:
    """``; each counts the oauth-proxy … injects (requests and limits cpu 100m, memory 64Mi)``."""
    return "".join(f"; each counts {s['by']}: {_sidecar_sizes(s)}" for s in sidecars)


def _sidecar_sizes(sidecar: dict[str, Any]) -> str:
    """``requests and limits cpu 100m, memory 64Mi``: what the webhook gives the sidecar."""
    resources = sidecar["resources"]
    requests, limits = resources.get("requests") or {}, resources.get("limits") or {}

    def sized(amounts: dict[str, Any]) -> str:
        return ", ".join(f"{key} {value}" for key, value in amounts.items())

    if requests == limits:
        return f"requests and limits {sized(limits)}"
    return "; ".join(
        f"{bucket} {sized(amounts)}"
        for bucket, amounts in (("requests", requests), ("limits", limits))
        if amounts
    )


def _sidecars_uncounted(sidecars: list[dict[str, Any]]) -> str:
    """What the count leaves out: the sidecars whose resources nblint does not see."""
    return "".join(
        f"; fewer: {sidecar['by']} injects {sidecar['name']} into each pod, whose requests and "
        "limits are charged too but not counted here (nblint does not see them)"
        for sidecar in sidecars
    )


def _servers_per_user(pod: EffectivePod) -> tuple[int | None, str]:
    """How many servers one user may have (None: unlimited), and the values that say it."""
    named = pod.facts.get("named_servers")
    if not isinstance(named, dict) or not named.get("allowed"):
        return 1, "named servers off"
    limit = named.get("limit") or 0
    if not limit:
        return None, "hub.allowNamedServers with no namedServerLimitPerUser"
    return 1 + int(limit), f"hub.namedServerLimitPerUser: {limit} and the default server"


def _users(pod: EffectivePod, servers: int, doing: str) -> str:
    """What ``servers`` mean per user, given the named servers one user may have."""
    per_user, why = _servers_per_user(pod)
    if per_user is None:
        return f"; named servers are unlimited ({why}): one user can take them all"
    if per_user == 1:
        return ""
    users = servers // per_user
    text = f"; a user may have {per_user} servers ({why}), so {users} user"
    text += f"{'s' * (users != 1)} can {doing}"
    if per_user >= servers:
        text += ": one user's servers can take them all"
    return text


def _home_bound(
    pod: EffectivePod, namespace: NamespaceContext
) -> tuple[Bound, Fraction | None] | None:
    home = _home(pod)
    if home is None:
        return None
    storage, storage_class, _ = home
    bound = claims_that_fit(namespace.quotas, storage, storage_class, _claim_usage(pod))
    return (bound, storage) if bound is not None else None


def _claim_charge(storage: Fraction | None) -> dict[str, Fraction]:
    per = {"persistentvolumeclaims": Fraction(1), "count/persistentvolumeclaims": Fraction(1)}
    if storage is not None:
        per["requests.storage"] = storage
    return per


def _home_capacity(pod: EffectivePod, namespace: NamespaceContext) -> Iterator[RawViolation]:
    """How many user servers can keep a home PVC (they are charged whether or not they run)."""
    home = _home_bound(pod, namespace)
    path = _home(pod)
    if home is None or path is None or home[0].fits == 0:
        return
    bound, storage = home
    quota, key = bound.binding[0]
    binding = _binding(bound, _claim_charge(storage), _claim_usage(pod))
    yield RawViolation(
        (VALUES, *path[2]),
        f"at most {bound.fits} user servers can have a home PVC, running or not ({binding})"
        + _users(pod, bound.fits, "keep one for each of their servers"),
        origin=quota.hard[key].origin,
        cause=amount_cause(quota.ref.label, f"hard {key}", quota.hard[key]),
        assumption=f"{NO_OTHER_USAGE} beside the chart's own PVC",
        distinct="home",
    )


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
    yield RawViolation(
        (VALUES, *home_path[2]),
        "no user can get a home PVC: the chart's own PVC leaves no room "
        f"({_binding(bound, _claim_charge(storage), _claim_usage(pod))}); KubeSpawner creates "
        "the PVC before the "
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
