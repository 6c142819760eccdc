"""GPU notebooks that schedule, and only where they should (``notebook-gpu-*`` rules).

Why Python: "is this a GPU pod" is a question over resource names matched by pattern (the
``gpu-resources`` table: ``nvidia.com/mig-*``, ``gpu.intel.com/*``…), and the toleration and
node-selection questions look at several pod fields together, against the ``gpu-nodes`` table.

Aspects (``options: {aspect: …}``): ``limit`` (a GPU requested but not limited: extended
resources must be limits), ``toleration`` (no toleration for the GPU nodes' taint; on GKE, whose
labels the pod's node selection shows, the API server adds it: said as info), ``node-selection``
(no nodeSelector or required node affinity that names a GPU pool), ``privileged`` (a GPU
container running privileged), ``count`` (more GPUs than ``max_gpus``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

from nblint.check import gpus, podview
from nblint.check.targets import RawViolation, targets_of
from nblint.model.origin import REQUEST_FROM_LIMIT
from nblint.model.pod import EffectivePod
from nblint.model.quantity import is_zero_quantity
from nblint.model.runtime_class import FACT as RUNTIME_CLASS_FACT

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def gpu_resources(bucket: Any) -> dict[str, Any]:
    """The GPUs ``bucket`` (a container's limits or requests) asks for: a quantity of 0 asks
    for none (the scheduler fits the pod anywhere, the device plugin gives it nothing)."""
    return {
        k: v
        for k, v in podview._dict(bucket).items()
        if gpus.is_gpu_resource(k) and not is_zero_quantity(v)
    }


def _count(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


#: The count fix where the count is what a profile or an option choice offers (its label says
#: "4 GPUs"): lowering it would leave the label promising what the pod no longer gets, and two
#: choices that spawn the same pod. Advice, never an edit.
CHOSEN_COUNT = (
    "A profile or an option choice offers these {value} GPUs (users pick it by its label), so "
    "nblint does not lower the count: remove that profile or choice if a notebook may not have "
    "more than {most}, or raise `max_gpus` for this rule "
    "(`[tool.nblint.options.notebook-gpu-count]`) if it may."
)


def _limit_only(fix: dict[str, str]) -> dict[str, str]:
    """The rule's count hints without the request (``requests:``/``guarantees:`` and what is
    under it), for a container that writes only the limit: the API server copies a limit into
    a missing request, so a request beside the new limit would only repeat it."""
    out = {}
    for key, hint in fix.items():
        kept: list[str] = []
        dropping: int | None = None
        for line in hint.splitlines():
            indent = len(line) - len(line.lstrip(" "))
            if dropping is not None and indent > dropping:
                continue
            dropping = indent if line.strip() in ("requests:", "guarantees:") else None
            if dropping is None:
                kept.append(line)
        out[key] = "\n".join(kept) + "\n"
    return out


def _chosen(pod: EffectivePod, path: Any) -> bool:
    """Whether ``path`` (or a field above it) is one a profile or an option choice sets (the
    dialect's ``chosen_fields`` fact): what a user picks by that entry's label."""
    chosen = pod.facts.get("chosen_fields") or {}
    return any(tuple(path[:length]) in chosen for length in range(len(path) + 1))


def _request_from_limit(pod: EffectivePod, base: Any, name: str) -> bool:
    """Whether the container's request for ``name`` is the API server's copy of its limit."""
    return pod.provenance.locate((*base, "resources", "requests", name)).note == REQUEST_FROM_LIMIT


def _tolerates_gpu(spec: dict[str, Any], resources: dict[str, Any]) -> bool:
    for toleration in podview.items(spec.get("tolerations")):
        if not isinstance(toleration, dict):
            continue
        key = toleration.get("key")
        if key is None and toleration.get("operator") == "Exists":
            return True  # tolerates every taint
        if isinstance(key, str) and key in resources:
            return True
        # A taint whose key or value names a GPU, as the GPU nodes' labels do (the gpu-nodes
        # table's word test): `nvidia.com/gpu`, `gpu=true`, AKS's documented `sku=gpu`.
        if isinstance(key, str) and (
            gpus.names_gpu(key) or gpus.names_gpu(toleration.get("value"))
        ):
            return True
    return False


def _toleration_fixes(
    spec: dict[str, Any], resource: str, options: dict[str, Any], own: int | None = None
) -> dict[str, str] | None:
    """The hints that add the GPU's toleration to the pod's own, per hint key: a tolerations
    list replaces the pod's in every dialect (a strategic merge has no merge key for it, Helm
    and ``kubespawner_override`` replace lists), so each lists the tolerations the pod has now.
    Where each key's hint puts the list, and the comment above it, are the rule's data
    (``tolerations-at``, ``tolerations-note``); None without them (the rule's own hints).
    ``own``: how many of the pod's tolerations are its own, the rest added by its RuntimeClass."""
    import json

    at = options.get("tolerations-at")
    if not isinstance(at, dict) or not at:
        return None
    wanted = [t for t in podview.items(spec.get("tolerations")) if isinstance(t, dict)]
    if own is not None:
        wanted = wanted[:own]  # those its RuntimeClass adds at admission are not written again
    gpu = {"key": resource, "operator": "Exists", "effect": "NoSchedule"}
    if gpu not in wanted:
        wanted.append(gpu)
    where = json.dumps([at, options.get("tolerations-note") or {}], sort_keys=True)
    return _toleration_hints(json.dumps(wanted, default=str), where)


@functools.lru_cache(maxsize=256)
def _toleration_hints(wanted_json: str, where_json: str) -> dict[str, str]:
    """The hints for tolerations ``wanted_json`` (every profile's pod of a hub asks again)."""
    import json

    wanted = json.loads(wanted_json)
    at, notes = json.loads(where_json)
    hints = {}
    for key, path in at.items():
        patch: Any = wanted
        for step in reversed(path):
            patch = {str(step): patch}
        note = notes.get(key)
        hints[key] = (f"{note.rstrip()}\n" if isinstance(note, str) else "") + _hint(patch)
    return hints


def _hint(patch: dict[str, Any]) -> str:
    """``patch`` as block YAML, its braces doubled: the hint is a template, and what the input
    wrote (a toleration's value) must come out as written."""
    import yaml

    text = yaml.safe_dump(patch, sort_keys=False, default_flow_style=False).rstrip()
    return text.replace("{", "{{").replace("}", "}}")


def _selection(spec: dict[str, Any]) -> tuple[str | None, list[str], list[str]]:
    """What the pod's node selection picks: ``"gpu"``, ``"pool"`` or None (see
    :func:`nblint.check.gpus.picks`); the selectors it saw, as text; and every label key it
    names (preferred affinity included), for the platform they show."""
    seen: list[str] = []
    keys: list[str] = []
    verdicts: list[str | None] = []
    selector = podview._dict(spec.get("nodeSelector"))
    for key, value in selector.items():
        seen.append(f"nodeSelector {key}: {value}")
        keys.append(str(key))
    if selector:
        verdicts.append(_best([gpus.picks(k, [v]) for k, v in selector.items()]))
    node_affinity = podview._dict(podview._dict(spec.get("affinity")).get("nodeAffinity"))
    required = podview._dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    terms = [t for t in podview.items(required.get("nodeSelectorTerms")) if isinstance(t, dict)]
    if terms:
        # Terms are alternatives: the pod picks GPU nodes only when every term does.
        term_verdicts = []
        for term in terms:
            found = []
            for expression in podview.items(term.get("matchExpressions")):
                if not isinstance(expression, dict):
                    continue
                label, operator = expression.get("key"), expression.get("operator")
                values = podview.items(expression.get("values"))
                keys.append(str(label))
                listed = f" [{', '.join(map(str, values))}]" if values else ""
                seen.append(f"required affinity {label} {operator}{listed}")
                if operator in ("In", "Exists", "Gt", "Lt"):
                    found.append(gpus.picks(label, values))
            term_verdicts.append(_best(found))
        verdicts.append(_worst(term_verdicts))
    for preference in podview.items(
        node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution")
    ):
        term = podview._dict(podview._dict(preference).get("preference"))
        for expression in podview.items(term.get("matchExpressions")):
            if isinstance(expression, dict):
                keys.append(str(expression.get("key")))
    # A node selector and a required affinity both hold: the stricter of the two decides.
    return _best(verdicts), seen, keys


_RANK = {None: 0, "pool": 1, "gpu": 2}


#: The hint's node label where the GPU table names none for the resource's vendor.
_ANY_POOL = {"gpu_pool_label": "<your-gpu-node-label>", "gpu_pool_value": '"<value>"'}


def _pool_label(resource: str) -> dict[str, str]:
    """The example node label of the node-selection hint: one of the GPU's own vendor (the
    table's ``pool_label``), else a placeholder, never another vendor's."""
    entry = gpus.gpu_resource(resource)
    label = entry.get("pool_label") if entry is not None else None
    if not isinstance(label, dict) or not isinstance(label.get("key"), str):
        return _ANY_POOL
    value = label.get("value")
    shown = json.dumps(value) if value in ("true", "false") or not isinstance(value, str) else value
    return {"gpu_pool_label": label["key"], "gpu_pool_value": shown}


def _best(verdicts: list[str | None]) -> str | None:
    return max(verdicts, key=lambda v: _RANK[v], default=None)


def _worst(verdicts: list[str | None]) -> str | None:
    return min(verdicts, key=lambda v: _RANK[v], default=None)


if TYPE_CHECKING:
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
        asked_gpus = {**requests, **limits}
        pod_gpus.update(asked_gpus)
        first_gpu_container = first_gpu_container or (base, variables)
        info = {
            **variables,
            "resource": next(iter(asked_gpus)),
            "value": next(iter(asked_gpus.values())),
        }
        if aspect == "limit":
            # A GPU limit of 0 beside a request is a limit all the same (not this rule's case).
            written_limits = podview._dict(podview._dict(container.get("resources")).get("limits"))
            for name in requests:
                if name not in written_limits:
                    path = (*base, "resources", "requests", name)
                    # The limit the fix writes equals the request: the API server wants both.
                    limit = {**info, "resource": name, "value": requests[name]}
                    yield RawViolation(path, "", variables["container"], variables=limit)
        elif (
            aspect == "privileged"
            and podview._dict(container.get("securityContext")).get("privileged") is True
        ):
            yield RawViolation(
                (*base, "securityContext", "privileged"), "", variables["container"], variables=info
            )
        elif aspect == "count":
            most = impl.builtin_options.get("max_gpus", rule.options.get("max_gpus", 1))
            for name, value in asked_gpus.items():
                # 200 gpu.intel.com/millicores is a fifth of one GPU, not 200 GPUs.
                if gpus.counts_gpus(name) and _count(value) > most:
                    bucket = "limits" if name in limits else "requests"
                    path = (*base, "resources", bucket, name)
                    raw = RawViolation(
                        path,
                        "",
                        variables["container"],
                        variables={**info, "resource": name, "value": value},
                    )
                    if _chosen(pod, path):
                        raw.fix = {"any": CHOSEN_COUNT.format(value=value, most=most)}
                        raw.fix_safety = "display-only"
                    elif bucket == "limits" and _request_from_limit(pod, base, name):
                        raw.fix = _limit_only(rule.fix)
                    yield raw
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
    # A RuntimeClass the pod names, applied by the run when it is among the inputs
    # (runtime_class.FACT: how many tolerations are the pod's own); else it may add a
    # nodeSelector and tolerations nblint cannot see, which the message says.
    applied = pod.facts.get(RUNTIME_CLASS_FACT)
    own = applied[1] if isinstance(applied, tuple) else None
    unseen = spec.get("runtimeClassName") if applied is None else None
    unseen_note = (
        f"; its RuntimeClass {unseen} is not among the inputs: if it has scheduling, "
        "admission adds its nodeSelector and tolerations"
        if isinstance(unseen, str) and unseen
        else ""
    )
    if aspect == "toleration" and not automatic and not _tolerates_gpu(spec, pod_gpus):
        _, _, keys = _selection(spec)
        gke = next((key for key in keys if gpus.platform_of(key) == "gke"), None)
        if gke is None:
            raw = RawViolation(
                asked,
                "",
                variables["container"],
                fix=_toleration_fixes(spec, resource, impl.builtin_options, own),
                variables=info,
                anchor=asked,
            )
            if unseen_note:
                raw.message = impl.message + unseen_note.replace("{", "{{").replace("}", "}}")
            yield raw
        else:
            yield RawViolation(
                asked,
                f"the pod asks for {resource} and tolerates no GPU taint, but it selects GKE "
                f"nodes ({gke}): GKE's ExtendedResourceToleration admission plugin adds the "
                "toleration for each extended resource a pod asks for, so it schedules",
                variables["container"],
                fix=_toleration_fixes(spec, resource, impl.builtin_options),
                variables=info,
                severity="info",
                anchor=asked,
            )
    elif aspect == "node-selection":
        verdict, seen, _ = _selection(spec)
        if verdict is None:
            saw = "; ".join(seen) if seen else "no nodeSelector or required node affinity"
            yield RawViolation(
                asked,
                impl.message + unseen_note.replace("{", "{{").replace("}", "}}")
                if unseen_note
                else "",
                variables["container"],
                variables={**info, "selection": saw, **_pool_label(resource)},
                anchor=asked,
            )
