"""A cluster document → its entries in the run index, and the problems of the object itself.

An object's problems that need the rest of the cluster (another LimitRange of the namespace, the
API server's exemptions) read the namespace context the run index holds.
"""

from __future__ import annotations

from typing import Any

from nblint.dialects.cluster.bindings import (
    BINDING_KINDS,
    SCC_KIND,
    SCC_ROLE_KINDS,
    account_bindings,
    scc_grants,
    scc_roles,
)
from nblint.dialects.cluster.read import (
    FIX_KEYS,
    PROFILE_LABELS,
    PROFILE_QUOTA,
    read,
    storage_entry,
)
from nblint.dialects.cluster.runtime_class import KIND as RUNTIME_CLASS
from nblint.dialects.cluster.runtime_class import runtime_class
from nblint.model.admission import amount_cause, claim_problems
from nblint.model.document import RUNTIME_CLASS_INDEX, Normalised, Recognised, RunIndex
from nblint.model.finding import Cause, Reported
from nblint.model.namespace import (
    CLUSTER_INDEX,
    LABEL_PREFIX,
    Amount,
    ClusterContext,
    ClusterObject,
    LimitRange,
    NamespaceManifest,
    PodSecurityConfiguration,
    ResourceQuota,
    label_problems,
    level_label,
    written_twice_message,
)
from nblint.model.pod import Origin
from nblint.model.quantity import parse_quantity
from nblint.model.rbac import BINDINGS_INDEX, SCC_GRANTS_INDEX, SCC_ROLES_INDEX
from nblint.model.resources import never_charged
from nblint.model.storage import STORAGE_INDEX

#: Namespace labels that make a mutating webhook add containers to every pod.
INJECTION_LABELS = {"istio-injection": "enabled"}


def index(document: Recognised, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    stored = storage_entry(document, settings)
    if stored is not None:
        return [(STORAGE_INDEX, stored)]
    if document.root["kind"] in BINDING_KINDS:
        return [(BINDINGS_INDEX, entry) for entry in account_bindings(document, settings)]
    if document.root["kind"] in SCC_ROLE_KINDS:
        return [(SCC_ROLES_INDEX, entry) for entry in scc_roles(document, settings)]
    if document.root["kind"] == SCC_KIND:
        return [(SCC_GRANTS_INDEX, entry) for entry in scc_grants(document)]
    if document.root["kind"] == RUNTIME_CLASS:
        read_class = runtime_class(document)
        return [(RUNTIME_CLASS_INDEX, read_class)] if read_class is not None else []
    found = read(document, settings)
    # An object in a namespace nblint cannot know is filed as its bare ClusterObject: it is in
    # no namespace, but the inputs describe namespaces, so each pod is judged by its own (and
    # one whose namespace is a placeholder is told that nothing is known of it).
    return [(CLUSTER_INDEX, entry) for entry in found.entries] + [
        (CLUSTER_INDEX, entry.ref)
        for entry in found.unfiled
        if not isinstance(entry, PodSecurityConfiguration)
    ]


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    if document.root["kind"] in (*BINDING_KINDS, *SCC_ROLE_KINDS, SCC_KIND, RUNTIME_CLASS):
        return Normalised()  # read for the pods it binds or changes (index); nothing to say
    found = read(document, settings)
    out = Normalised(reported=list(found.problems))
    cluster = index.view(CLUSTER_INDEX, ClusterContext.build)
    for entry in found.entries:
        if isinstance(entry, NamespaceManifest):
            if entry.ref.kind == "Profile":
                out.reported.append(_profile_namespace(entry, found.entries, cluster))
                out.reported.extend(_profile_injection(entry, cluster))
            else:
                out.reported.extend(_namespace_problems(entry, cluster))
        elif isinstance(entry, LimitRange):
            out.reported.extend(_written_twice(entry.ref, cluster))
            out.reported.extend(_limit_range_problems(entry, cluster))
        elif isinstance(entry, ResourceQuota):
            out.reported.extend(_written_twice(entry.ref, cluster))
            out.reported.extend(_quota_problems(entry))
    # Objects in a namespace nblint cannot know: only their own problems (no other object of
    # the inputs is taken to be in their namespace).
    alone = ClusterContext({}, cluster.admission)
    for entry in found.unfiled:
        if isinstance(entry, NamespaceManifest):
            out.reported.extend(_namespace_problems(entry, alone))
        elif isinstance(entry, LimitRange):
            out.reported.extend(_limit_range_problems(entry, alone))
        elif isinstance(entry, ResourceQuota):
            out.reported.extend(_quota_problems(entry))
    if document.root.get("kind") == "PersistentVolumeClaim":
        out.reported.extend(_claim_problems(document, settings, cluster))
    return out


def _quoted(value: Any) -> str:
    """A label value as the API server's messages quote it."""
    return '"' + str(value).replace('"', '\\"') + '"'


def _reported(rule: str, message: str, origin: Origin, object_label: str) -> Reported:
    return Reported(rule, message, origin, object_label, fix_keys=FIX_KEYS)


def _written_twice(ref: ClusterObject, cluster: ClusterContext) -> list[Reported]:
    """``cluster-object-written-twice`` at a manifest of a LimitRange or quota that another,
    given later, replaces."""
    out: list[Reported] = []
    for kept, other in cluster.namespace(ref.namespace).written_twice:
        if other == ref:
            problem = _reported(
                "cluster-object-written-twice",
                written_twice_message(ref.label, ref.namespace, kept.origin),
                ref.origin,
                ref.label,
            )
            problem.cause = Cause(
                kept.label, "the manifest applied", kept.origin.file, kept.origin.line
            )
            out.append(problem)
    for profile, manifest in cluster.namespace(ref.namespace).copied_over:
        if manifest == ref:
            at = f"{profile.origin.file}:{profile.origin.line}"
            problem = _reported(
                "cluster-object-written-twice",
                f"{ref.label} of namespace {ref.namespace} is the quota Profile {ref.namespace} "
                f"stands for: the profile controller writes the Profile's resourceQuotaSpec "
                f"({at}) over this manifest at every reconcile, so this spec never holds; "
                "nblint applies the Profile's",
                ref.origin,
                ref.label,
            )
            problem.cause = Cause(
                f"Profile/{ref.namespace}",
                "spec.resourceQuotaSpec",
                profile.origin.file,
                profile.origin.line,
            )
            out.append(problem)
    return out


# ---------------------------------------------------------------------------------------------
# Namespaces


def _namespace_problems(manifest: NamespaceManifest, cluster: ClusterContext) -> list[Reported]:
    out: list[Reported] = []
    name = manifest.ref.name
    label_of = manifest.ref.label
    merged = cluster.namespace(name).manifest
    if merged is not None and merged.ref == manifest.ref and not merged.adopted():
        out.append(_not_adopted(manifest, merged))
    for rule, message, origin in label_problems(manifest.labels):
        out.append(_reported(rule, message, origin, label_of))
    exempt = cluster.namespace(name).exempt
    if exempt is not None:
        defaults = cluster.admission.defaults if cluster.admission else {}
        for key, label in manifest.labels.items():
            if not key.startswith(LABEL_PREFIX):
                continue
            mode = key.removeprefix(LABEL_PREFIX).removesuffix("-version")
            default = defaults.get(key.removeprefix(LABEL_PREFIX))
            if key == level_label(mode) and label.value == "privileged":
                continue
            if default is not None and default.value == label.value:
                continue
            out.append(
                Reported(
                    "ns-psa-exempt-labels-ignored",
                    f"{key}: {label.value} is ignored: namespace {name} is exempt from "
                    "PodSecurity in the API server's AdmissionConfiguration, so no pod in it is "
                    "checked",
                    label.origin,
                    label_of,
                    fix_keys=FIX_KEYS,
                    cause=Cause(
                        "AdmissionConfiguration",
                        f"exemptions.namespaces: {name}",
                        exempt.file,
                        exempt.line,
                        exempt.column,
                    ),
                )
            )
    for key, value in INJECTION_LABELS.items():
        injection = manifest.labels.get(key)
        if injection is not None and injection.value == value:
            out.append(
                _reported(
                    "ns-injected-containers-unknown",
                    f"{key}: {value}: a mutating webhook adds istio-proxy (and, without the "
                    "Istio CNI plugin, istio-init) to every pod of this namespace; nblint does not "
                    "see their resources or security context, so LimitRange, quota and PSA "
                    "findings here assume no injected containers",
                    injection.origin,
                    label_of,
                )
            )
    return out


def _profile_injection(manifest: NamespaceManifest, cluster: ClusterContext) -> list[Reported]:
    """``ns-injected-containers-unknown`` for the namespace a Profile's controller creates with
    ``istio-injection: enabled``, as for a Namespace manifest that says so (at the Profile)."""
    namespace = cluster.namespace(manifest.ref.name)
    given = namespace.manifest
    if given is None or given.ref.kind != "Profile" or "istio-injection" in namespace.disputed:
        return []  # a Namespace manifest says it (or not) itself
    return [
        _reported(
            "ns-injected-containers-unknown",
            f"the profile controller labels namespace {manifest.ref.name} istio-injection: "
            "enabled when it creates it for this Profile: a mutating webhook adds istio-proxy "
            "(and, without the Istio CNI plugin, istio-init) to every pod of this namespace; "
            "nblint does not see their resources or security context, so LimitRange, quota and "
            "PSA findings here assume no injected containers",
            manifest.ref.origin,
            manifest.ref.label,
        )
    ]


def _not_adopted(manifest: NamespaceManifest, merged: NamespaceManifest) -> Reported:
    """``kubeflow-profile-namespace-owner``: the Namespace a Profile stands for, whose owner
    annotation does not name the Profile's owner, at the annotation (or the name)."""
    profile = merged.profile
    assert profile is not None
    owner = profile.owner.value if profile.owner is not None else None
    name = manifest.ref.name
    at = f"{profile.ref.origin.file}:{profile.ref.origin.line}"
    if manifest.owner is None:
        why = "has no owner annotation"
    else:
        why = f"has owner annotation {_quoted(manifest.owner.value)}"
    wanted = f"owner {owner}" if owner is not None else "the Profile's spec.owner.name"
    labels = ", ".join(f"{k}: {v}" for k, v in PROFILE_LABELS.items())
    problem = Reported(
        "kubeflow-profile-namespace-owner",
        f"Namespace {name} {why}, but Profile {name} ({at}) has {wanted}: the profile controller "
        "adopts an existing namespace only when its owner annotation names the Profile's owner. "
        "Applied before the Profile, this namespace is refused (the Profile gets an error "
        "condition; no labels, no kf-resource-quota); applied after it, the controller has "
        f"created it ({labels}). Which one the cluster holds the inputs do not say: its "
        "PodDefaults and Istio injection are not judged by those labels (the Profile's quota, if "
        "any, is applied as if the Profile came first)",
        manifest.owner.origin if manifest.owner is not None else manifest.ref.origin,
        manifest.ref.label,
        fix=(
            f"metadata:\n  annotations:\n    owner: {owner}"
            if owner is not None and manifest.owner is None
            else f"owner: {owner}"
            if owner is not None
            else None
        ),
        fix_keys=FIX_KEYS,
    )
    return problem


def _profile_namespace(
    manifest: NamespaceManifest, entries: list[Any], cluster: ClusterContext
) -> Reported:
    name = manifest.ref.name
    quota = next(
        (e for e in entries if isinstance(e, ResourceQuota) and e.ref.name == PROFILE_QUOTA), None
    )
    hard = (
        f" and ResourceQuota {PROFILE_QUOTA} (hard: "
        + ", ".join(f"{key} {amount.text}" for key, amount in quota.hard.items())
        + ")"
        if quota is not None and quota.hard
        else " and no ResourceQuota (spec.resourceQuotaSpec.hard is empty)"
    )
    namespace = cluster.namespace(name)
    given = namespace.manifest
    if given is not None and given.ref.kind != "Profile":
        # The controller adopts a namespace that exists, adding only the labels it lacks (never
        # istio-injection): the manifest's own PodSecurity labels decide.
        at = f"{given.ref.origin.file}:{given.ref.origin.line}"
        added = [f"{k}: {v}" for k, v in PROFILE_LABELS.items() if k != "istio-injection"]
        adoption = (
            "adopts it (its owner annotation names the Profile's owner) and adds only the "
            f"labels it lacks ({', '.join(added)})"
            if given.adopted()
            else "adopts it only when its owner annotation names the Profile's owner, which "
            "it does not (kubeflow-profile-namespace-owner); the Profile stands for"
            + hard.removeprefix(" and")
        )
        hard = hard if given.adopted() else ""
        return _reported(
            "kubeflow-profile-namespace",
            f"Profile {name} stands for Namespace {name}, whose manifest is given ({at}): the "
            f"profile controller {adoption}{hard}; "
            + (
                "two Namespace manifests of it disagree on its PodSecurity labels, so its "
                "Notebooks are checked at --psa-level"
                if namespace.conflicting is not None
                else "its Notebooks are checked at that manifest's PodSecurity labels"
            ),
            manifest.ref.origin,
            manifest.ref.label,
        )
    labels = ", ".join(f"{k}: {v}" for k, v in PROFILE_LABELS.items())
    return _reported(
        "kubeflow-profile-namespace",
        f"Profile {name} stands for Namespace {name} (labelled {labels} when the profile "
        f"controller creates it){hard}; its PodSecurity labels come from the controller's "
        "namespace-labels ConfigMap, not from the Profile (kubeflow/manifests' PSS overlay sets "
        "pod-security.kubernetes.io/enforce: baseline, the upstream default none), so its "
        "Notebooks are checked at --psa-level unless a Namespace manifest is given",
        manifest.ref.origin,
        manifest.ref.label,
    )


# ---------------------------------------------------------------------------------------------
# LimitRanges


def _size_default_hint(resource: str, most: Amount, least: Amount | None) -> str:
    """A ``type: Container`` default below ``most`` (and not below ``least``) for a native
    resource: half the max as the limit, a quarter as the request, a size to adjust."""
    from nblint.model.quantity import format_quantity

    floor = least.amount if least is not None else most.amount * 0
    limit = min(most.amount, max(most.amount / 2, floor))
    request = min(limit, max(most.amount / 4, floor))
    return (
        "spec:\n  limits:\n    - type: Container\n"
        f'      max: {{{resource}: "{most.text}"}}\n'
        f'      default: {{{resource}: "{format_quantity(limit, resource)}"}}          '
        "# pick your typical notebook's size\n"
        f'      defaultRequest: {{{resource}: "{format_quantity(request, resource)}"}}'
    )


def _limit_range_problems(limit_range: LimitRange, cluster: ClusterContext) -> list[Reported]:
    out: list[Reported] = []
    item = limit_range.item("Container")
    if item is None:
        return out
    for resource, amount in item.get("max").items():
        if ("default", resource) not in item.derived:
            continue
        gpu = "/" in resource
        whom = (
            "every container and init container (a sidecar, z2jh's block-cloud-metadata)"
            if gpu
            else "every container and init container"
        )
        reported = _reported(
            "limitrange-max-implies-default",
            f"max.{resource} {amount.text} with no default.{resource}: the API server stores "
            f"it as the default, so {whom} without a {resource} limit gets {resource}: "
            f"{amount.text} as its limit and request",
            amount.origin,
            limit_range.ref.label,
        )
        if not gpu:
            # The rule's hint is a GPU's (a default of 0); a cpu or memory default is a size.
            reported.fix = _size_default_hint(resource, amount, item.get("min").get(resource))
        out.append(reported)
    namespace = cluster.namespace(limit_range.ref.namespace)
    earlier = []
    for other in namespace.limit_ranges:
        if other is limit_range or other.ref == limit_range.ref:
            break
        earlier.append(other)
    else:
        # Another manifest of a LimitRange the namespace has (cluster-object-written-twice).
        earlier = []
    for other in earlier:
        other_item = other.item("Container")
        if other_item is None:
            continue
        for constraint, bucket in (("default", "limit"), ("defaultRequest", "request")):
            for resource, amount in item.get(constraint).items():
                theirs = other_item.get(constraint).get(resource)
                if theirs is None or theirs.amount == amount.amount:
                    continue
                copied = (constraint, resource)
                if copied in item.derived and copied in other_item.derived:
                    continue  # both requests are their defaults: the same conflict, said once
                out.append(
                    Reported(
                        "limitrange-default-conflict",
                        f"the default {resource} {bucket} of a container is {theirs.text} "
                        f"({other.ref.label}) or {amount.text} ({limit_range.ref.label}) "
                        "depending on which LimitRange the API server reads first, which is "
                        f"not defined; nblint applies {other.ref.label}'s",
                        amount.origin,
                        limit_range.ref.label,
                        fix_keys=FIX_KEYS,
                        cause=_cause(other.ref.label, f"{constraint}.{resource}", theirs),
                    )
                )
    return out


def _cause(object_label: str, detail: str, amount: Amount) -> Cause:
    return amount_cause(object_label, detail, amount)


# ---------------------------------------------------------------------------------------------
# ResourceQuotas


def _quota_problems(quota: ResourceQuota) -> list[Reported]:
    out = []
    for key, amount in quota.hard.items():
        if not never_charged(key):
            continue
        meant = f"requests.{_resource_meant(key)}"
        # The key meant, with the author's own amount, where this quota's keys are written.
        where = ("spec", "resourceQuotaSpec", "hard") if quota.from_profile else ("spec", "hard")
        fix = _shown_block({meant: amount.text}, where, f"instead of {key}")
        out.append(
            Reported(
                "quota-key-ineffective",
                f"{key} is never charged: a quota counts an extended resource only as "
                f"{meant} (its request, which equals its limit), so this key limits nothing",
                amount.origin,
                quota.ref.label,
                fix=fix,
                fix_keys=FIX_KEYS,
            )
        )
    return out


def _resource_meant(key: str) -> str:
    """The extended resource a never-charged quota key names: ``nvidia.com/gpu`` of
    ``nvidia.com/gpu``, ``limits.nvidia.com/gpu`` and a misspelt ``reqeusts.nvidia.com/gpu``."""
    head, dot, rest = key.partition(".")
    if dot and "/" in rest:
        from difflib import get_close_matches

        if get_close_matches(head, ("requests", "limits"), n=1, cutoff=0.75):
            return rest
    return key


def _shown_block(values: dict[str, str], under: tuple[str, ...], comment: str) -> str:
    """``values`` as block YAML nested under the keys ``under``, each value quoted, the first
    line ending in ``comment``."""
    lines = [f"{'  ' * depth}{key}:" for depth, key in enumerate(under)]
    indent = "  " * len(under)
    for number, (key, value) in enumerate(values.items()):
        note = f"   # {comment}" if number == 0 else ""
        lines.append(f'{indent}{key}: "{value}"{note}')
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# PersistentVolumeClaims


def _claim_problems(
    document: Recognised, settings: dict[str, Any], cluster: ClusterContext
) -> list[Reported]:
    from nblint.load.provenance import tree_position

    root = document.root
    metadata = root.get("metadata") if isinstance(root.get("metadata"), dict) else {}
    namespace_name = metadata.get("namespace") or settings.get("namespace")
    namespace = cluster.namespace(namespace_name if isinstance(namespace_name, str) else None)
    if not namespace.limit_ranges and not namespace.quotas:
        return []
    name = metadata.get("name") if isinstance(metadata.get("name"), str) else "(unnamed)"
    label = f"PersistentVolumeClaim/{name}"
    spec = root.get("spec") if isinstance(root.get("spec"), dict) else {}
    path = ("spec", "resources", "requests", "storage")
    found: Any = spec
    for part in path[1:]:
        found = found.get(part) if isinstance(found, dict) else None
    line, column = tree_position(root, path)
    origin = Origin(document.file, line, column)
    request = parse_quantity(found)
    storage_class = spec.get("storageClassName")
    problems = claim_problems(
        namespace.limit_ranges,
        namespace.quotas,
        request,
        storage_class if isinstance(storage_class, str) else None,
    )
    return [
        Reported(
            rule,
            f"PVC {name}: {message}",
            origin,
            label,
            fix_keys=FIX_KEYS,
            cause=cause,
            assumption=assumption,
        )
        for rule, message, cause, assumption in problems
    ]
