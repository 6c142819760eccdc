"""A cluster document → the model's namespace objects, and what the API server would refuse in it.

The objects are what the indexer files for the run (:mod:`nblint.model.namespace`); the problems
are reported by the normaliser. Facts (Kubernetes v1.28 to v1.37):

* LimitRange: API defaulting of a ``Container`` item fills ``default`` from ``max``, then
  ``defaultRequest`` from ``default``, then from ``min``; validation allows one item per type,
  no ``default``/``defaultRequest`` on ``Pod`` items, ``min ≤ defaultRequest ≤ default ≤ max``,
  a ratio of at least 1, and equal default and defaultRequest for extended resources;
* ResourceQuota: ``hard`` keys are standard names or qualified ones (any name with a ``/`` is
  accepted), extended and count keys are whole numbers, a quota names at most one of
  BestEffort/NotBestEffort and of Terminating/NotTerminating, and BestEffort tracks ``pods`` only;
* a Kubeflow Profile stands for a Namespace named after it (labelled ``istio-injection: enabled``
  and ``app.kubernetes.io/part-of: kubeflow-profile`` when the controller creates it) and, with a
  non-empty ``spec.resourceQuotaSpec.hard``, the ResourceQuota ``kf-resource-quota``;
* the PodSecurity configuration is decoded strictly: an unknown field, an invalid level or
  version, an invalid or repeated exemption stops the API server from starting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from nblint.load.provenance import tree_position
from nblint.load.yaml_tree import to_plain
from nblint.model import names
from nblint.model.document import Recognised
from nblint.model.finding import Reported
from nblint.model.namespace import (
    CONSTRAINTS,
    SCC_RANGE_ANNOTATIONS,
    Amount,
    ClusterEntry,
    ClusterObject,
    LimitRange,
    LimitRangeItem,
    Located,
    NamespaceManifest,
    PodSecurityConfiguration,
    ResourceQuota,
    ScopeRequirement,
    parse_level,
    parse_version,
)
from nblint.model.pod import Origin, Path
from nblint.model.quantity import parse_quantity
from nblint.model.storage import StoredClaim, StoredVolume
from nblint.model.unknowable import is_unknowable_name, placeholder_message

FIX_KEYS = ("cluster",)
#: Labels the Kubeflow profile controller puts on a namespace it creates (upstream defaults).
PROFILE_LABELS = {
    "istio-injection": "enabled",
    "app.kubernetes.io/part-of": "kubeflow-profile",
}
PROFILE_QUOTA = "kf-resource-quota"

#: The storage a PersistentVolume's spec may name (its ``PersistentVolumeSource``).
PERSISTENT_VOLUME_SOURCES = frozenset(
    {
        *("awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "csi", "fc"),
        *("flexVolume", "flocker", "gcePersistentDisk", "glusterfs", "hostPath", "iscsi"),
        *("local", "nfs", "photonPersistentDisk", "portworxVolume", "quobyte", "rbd"),
        *("scaleIO", "storageos", "vsphereVolume"),
    }
)
_LIMIT_TYPES = ("Container", "Pod", "PersistentVolumeClaim")
_STANDARD_QUOTA_KEYS = {
    *("cpu", "memory", "ephemeral-storage", "pods", "resourcequotas", "services", "secrets"),
    *("requests.cpu", "requests.memory", "requests.storage", "requests.ephemeral-storage"),
    *("limits.cpu", "limits.memory", "limits.ephemeral-storage", "replicationcontrollers"),
    *("persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers"),
}
_SCOPE_PAIRS = (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating"))
_KNOWN_SCOPES = {
    *("BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "PriorityClass"),
    *("CrossNamespacePodAffinity", "VolumeAttributesClass"),
}
_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")
_PSA_DEFAULT_KEYS = (
    *("enforce", "enforce-version", "audit", "audit-version", "warn", "warn-version"),
)
_PSA_EXEMPTION_KEYS = ("usernames", "runtimeClasses", "namespaces")


@dataclass
class Read:
    """What one document contributes and what is wrong with it."""

    entries: list[ClusterEntry] = field(default_factory=list)
    problems: list[Reported] = field(default_factory=list)
    #: Objects read but filed under no namespace: their name (a Namespace's) or namespace is a
    #: placeholder, so nblint cannot know which namespace they are or belong to. They are checked
    #: for their own problems and applied to no pod.
    unfiled: list[ClusterEntry] = field(default_factory=list)


#: What a Namespace, LimitRange or quota whose namespace nblint cannot know is applied to.
_UNKNOWN_EFFECT = {
    "Namespace": ("which namespace it is", "its PodSecurity labels are applied to no pod"),
    "LimitRange": ("which namespace it bounds", "its defaults and bounds are applied to no pod"),
    "ResourceQuota": ("which namespace it limits", "it is applied to no pod"),
}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _name(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


class _Document:
    """One document being read: positions and problems."""

    def __init__(self, file: str, root: Any, object_label: str) -> None:
        self.file = file
        self.root = root
        self.object = object_label
        self.read = Read()

    def origin(self, path: Path, root: Any = None) -> Origin:
        line, column = tree_position(self.root if root is None else root, path)
        return Origin(self.file, line, column)

    def problem(self, rule: str, message: str, path: Path, root: Any = None) -> None:
        self.read.problems.append(
            Reported(rule, message, self.origin(path, root), self.object, fix_keys=FIX_KEYS)
        )

    def amount(self, value: Any, path: Path, what: str) -> Amount | None:
        amount = parse_quantity(value)
        if amount is None:
            self.problem(
                "cluster-object-invalid",
                f'{what}: "{value}" is not a quantity (e.g. 500m, 2, 4Gi): the API server '
                "refuses the object",
                path,
            )
            return None
        return Amount(amount, str(value), self.origin(path))


def read(document: Recognised, settings: dict[str, Any]) -> Read:
    """The namespace objects of one cluster document (none for a PVC), and its problems."""
    root = document.root
    kind = root["kind"]
    metadata = _mapping(root.get("metadata"))
    name = _name(metadata.get("name"))
    namespace = _name(metadata.get("namespace")) or _name(settings.get("namespace"))
    label = f"{kind}/{name or f'(document {document.index + 1})'}"
    doc = _Document(document.file, root, label)
    ref = ClusterObject(
        kind, name or "", namespace, doc.origin(("metadata", "name")), document.context
    )
    if kind in ("Namespace", "LimitRange", "ResourceQuota", "Profile") and name is None:
        doc.problem(
            "cluster-object-invalid",
            f"a {kind} needs metadata.name: the API server refuses it",
            ("metadata",),
        )
        return doc.read
    if kind != "Profile":  # (a Profile's are said with its name: _profile_refused)
        for where in (("metadata", "labels"), ("metadata", "annotations")):
            for path, what in names.not_text(where, metadata.get(where[1])):
                # (Field test 21b D2: a Namespace's label `true`, as a Profile's.)
                doc.problem(
                    "wrong-field-type", f"{what}: the API server cannot decode the {kind}", path
                )
    for path, what in names.label_refusals(
        ("metadata", "labels"), _mapping(metadata.get("labels"))
    ):
        # (Field test 20b: a Namespace's label the API server refuses, as a workload's.)
        doc.read.problems.append(
            Reported(
                "invalid-name",
                f"{what}: the API server refuses the {kind}",
                doc.origin(path),
                doc.object,
                fix=names.LABEL_FIX,
                fix_keys=FIX_KEYS,
            )
        )
    if kind == "Namespace":
        _file(doc, _namespace(doc, ref, metadata), name, ("metadata", "name"), "its name")
    elif kind == "LimitRange":
        limit_range = _limit_range(doc, ref, _mapping(root.get("spec")))
        _file(doc, limit_range, namespace, ("metadata", "namespace"), "its namespace")
    elif kind == "ResourceQuota":
        quota = _quota(doc, ref, _mapping(root.get("spec")), ("spec",))
        _file(doc, quota, namespace, ("metadata", "namespace"), "its namespace")
    elif kind == "Profile":
        if is_unknowable_name(name):
            # Filled in before it is applied (a template, a kustomize or envsubst variable):
            # which namespace it stands for is not known, so it stands for none.
            doc.problem(
                "kubeflow-profile-namespace",
                f"Profile {name}: its name is a placeholder, filled in before it is applied, so "
                "nblint cannot know which namespace it stands for: its quota is applied to no "
                "Notebook, and no namespace is taken to be its",
                ("metadata", "name"),
            )
        elif not _profile_refused(doc, name, metadata):
            doc.read.entries.extend(_profile(doc, ref))
    elif kind == "AdmissionConfiguration":
        found = _admission_configuration(doc)
        if found is not None:
            doc.read.entries.append(found)
    elif kind == "PodSecurityConfiguration":
        doc.read.entries.append(_pod_security(doc, root, (), root))
    return doc.read


def _profile_refused(doc: _Document, name: str | None, metadata: dict[str, Any]) -> bool:
    """``invalid-name`` for a Profile whose name cannot be a Namespace's (a DNS-1123 label):
    the profile controller cannot create its namespace, so it stands for none. And
    ``wrong-field-type`` for a label or annotation value that is not text (the API server
    cannot decode the Profile). Whether the name is refused."""
    for where in (("metadata", "labels"), ("metadata", "annotations")):
        for path, what in names.not_text(where, metadata.get(where[1])):
            doc.problem(
                "wrong-field-type", f"{what}: the API server cannot decode the Profile", path
            )
    name = names.judged_name(name)
    if name is None:
        return False
    problem = names.dns_label_problem(name)
    if problem is None:
        return False
    doc.problem(
        "invalid-name",
        f"metadata.name {name} {problem}: a Profile's name is its Namespace's, which the API "
        "server refuses, so the profile controller never creates it",
        ("metadata", "name"),
    )
    return True


def storage_entry(
    document: Recognised, settings: dict[str, Any]
) -> StoredClaim | StoredVolume | None:
    """A PersistentVolumeClaim or PersistentVolume as the run index files it (see
    :mod:`nblint.model.storage`); None for another kind, or one without a name."""
    root = document.root
    kind = root.get("kind")
    metadata = _mapping(root.get("metadata"))
    name = _name(metadata.get("name"))
    spec = _mapping(root.get("spec"))
    if name is None or kind not in ("PersistentVolumeClaim", "PersistentVolume"):
        return None
    if kind == "PersistentVolumeClaim":
        namespace = _name(metadata.get("namespace")) or _name(settings.get("namespace"))
        written = spec.get("accessModes")
        modes: list[str] = written if isinstance(written, list) else []
        readable = bool(modes) and all(isinstance(m, str) for m in modes)
        line, _ = tree_position(root, ("spec", "accessModes"))
        return StoredClaim(
            name,
            namespace,
            _name(spec.get("volumeName")),
            tuple(modes) if readable else None,
            (document.file, line) if readable else None,
        )
    sources = [key for key in spec if key in PERSISTENT_VOLUME_SOURCES]
    if len(sources) != 1 or not isinstance(spec[sources[0]], dict):
        return None
    ref = _mapping(spec.get("claimRef"))
    claim = _name(ref.get("name"))
    claim_ref = (_name(ref.get("namespace")), claim) if claim else None
    return StoredVolume(name, sources[0], to_plain(spec[sources[0]]), claim_ref)


def _file(doc: _Document, entry: ClusterEntry, known: str | None, at: Path, what: str) -> None:
    """File ``entry`` for the run, unless ``known`` (the name that says its namespace) is a
    placeholder: then it is unfiled, and said (``cluster-object-placeholder``)."""
    if not is_unknowable_name(known):
        doc.read.entries.append(entry)
        return
    assert known is not None and not isinstance(entry, PodSecurityConfiguration)
    knows, effect = _UNKNOWN_EFFECT[entry.ref.kind]
    doc.read.unfiled.append(entry)
    doc.problem(
        "cluster-object-placeholder",
        placeholder_message(entry.ref.label, what, known, knows, effect),
        at,
    )


# ---------------------------------------------------------------------------------------------
# Namespaces and Profiles


def _namespace(doc: _Document, ref: ClusterObject, metadata: dict[str, Any]) -> NamespaceManifest:
    labels = {
        str(key): Located(value, doc.origin(("metadata", "labels", key)))
        for key, value in _mapping(metadata.get("labels")).items()
    }
    annotations = _mapping(metadata.get("annotations"))
    owner = annotations.get("owner")
    annotation = None
    if owner is not None:
        annotation = Located(owner, doc.origin(("metadata", "annotations", "owner")))
    # The ranges OpenShift allocates the namespace (its restricted SCCs hold pods to them).
    scc_ranges = {
        key: Located(annotations[key], doc.origin(("metadata", "annotations", key)))
        for key in SCC_RANGE_ANNOTATIONS
        if isinstance(annotations.get(key), str)
    }
    return NamespaceManifest(ref, labels, owner=annotation, scc_ranges=scc_ranges)


def _profile(doc: _Document, ref: ClusterObject) -> list[ClusterEntry]:
    # A Profile is cluster-scoped: its namespace is its name, whatever metadata.namespace says.
    ref = ClusterObject("Profile", ref.name, ref.name, ref.origin, ref.context)
    added = {key: Located(value, ref.origin) for key, value in PROFILE_LABELS.items()}
    spec = _mapping(doc.root.get("spec"))
    owner_name = _mapping(spec.get("owner")).get("name")
    owner = None
    if owner_name is not None:
        owner = Located(owner_name, doc.origin(("spec", "owner", "name")))
    entries: list[ClusterEntry] = [NamespaceManifest(ref, {}, added, owner=owner)]
    quota_spec = spec.get("resourceQuotaSpec")
    if isinstance(quota_spec, dict) and _mapping(quota_spec.get("hard")):
        quota_ref = ClusterObject(
            "ResourceQuota",
            PROFILE_QUOTA,
            ref.name,
            doc.origin(("spec", "resourceQuotaSpec")),
            ref.context,
        )
        quota = _quota(doc, quota_ref, quota_spec, ("spec", "resourceQuotaSpec"))
        quota.from_profile = True
        entries.append(quota)
    return entries


# ---------------------------------------------------------------------------------------------
# LimitRange


def _limit_range(doc: _Document, ref: ClusterObject, spec: dict[str, Any]) -> LimitRange:
    limit_range = LimitRange(ref)
    items = spec.get("limits")
    if not isinstance(items, list):
        doc.problem("cluster-object-invalid", "a LimitRange needs spec.limits (a list)", ("spec",))
        return limit_range
    seen: set[str] = set()
    for index, raw in enumerate(items):
        path: Path = ("spec", "limits", index)
        if not isinstance(raw, dict):
            doc.problem("cluster-object-invalid", f"spec.limits[{index}] is not a mapping", path)
            continue
        type_ = raw.get("type")
        if not isinstance(type_, str) or not (type_ in _LIMIT_TYPES or "/" in type_):
            doc.problem(
                "cluster-object-invalid",
                f"spec.limits[{index}].type must be Container, Pod or PersistentVolumeClaim",
                (*path, "type"),
            )
            continue
        if type_ in seen:
            doc.problem(
                "cluster-object-invalid",
                f"a second {type_} item: a LimitRange holds at most one item per type, the API "
                "server refuses it",
                (*path, "type"),
            )
            continue
        seen.add(type_)
        item = LimitRangeItem(type_, doc.origin(path))
        for constraint in CONSTRAINTS:
            values = raw.get(constraint)
            if values is None:
                continue
            found: dict[str, Amount] = {}
            for resource, value in _mapping(values).items():
                amount = doc.amount(
                    value, (*path, constraint, resource), f"{constraint}.{resource}"
                )
                if amount is not None:
                    found[str(resource)] = amount
            item.constraints[constraint] = found
        if type_ == "Container":
            _default_container_item(item)
        _validate_item(doc, item, path)
        limit_range.items.append(item)
    return limit_range


def _default_container_item(item: LimitRangeItem) -> None:
    """API defaulting of a Container item: ``max`` → ``default`` → ``defaultRequest`` ← ``min``."""
    for source, target in (
        ("max", "default"),
        ("default", "defaultRequest"),
        ("min", "defaultRequest"),
    ):
        for resource, amount in list(item.get(source).items()):
            bucket = item.constraints.setdefault(target, {})
            if resource not in bucket:
                bucket[resource] = amount
                item.derived.add((target, resource))


def _validate_item(doc: _Document, item: LimitRangeItem, path: Path) -> None:
    def refuse(message: str, at: Path) -> None:
        doc.problem(
            "cluster-object-invalid", f"{message}: the API server refuses the LimitRange", at
        )

    if item.type == "Pod":
        for constraint in ("default", "defaultRequest"):
            if item.get(constraint):
                refuse(f"a Pod item may not set {constraint}", (*path, constraint))
    storage_bounded = "storage" in item.get("min") or "storage" in item.get("max")
    if item.type == "PersistentVolumeClaim" and not storage_bounded:
        refuse("a PersistentVolumeClaim item needs min or max of storage", path)
    order = ("min", "defaultRequest", "default", "max")
    for resource in {r for c in CONSTRAINTS for r in item.get(c)}:
        # Values the API server copied from another constraint say nothing of their own.
        present = [
            (c, item.get(c)[resource])
            for c in order
            if resource in item.get(c) and (c, resource) not in item.derived
        ]
        for (low_name, low), (high_name, high) in pairwise(present):
            if low.amount > high.amount:
                refuse(
                    f"{low_name}.{resource} {low.text} is more than {high_name} {high.text}",
                    (*path, low_name, resource),
                )
        ratio = item.get("maxLimitRequestRatio").get(resource)
        if ratio is not None and ratio.amount < 1:
            refuse(
                f"maxLimitRequestRatio.{resource} {ratio.text} is less than 1",
                (*path, "maxLimitRequestRatio", resource),
            )
        default, request = (
            item.get("default").get(resource),
            item.get("defaultRequest").get(resource),
        )
        overcommittable = resource in ("cpu", "memory", "ephemeral-storage", "storage")
        if (
            not overcommittable
            and not resource.startswith("hugepages-")
            and default is not None
            and request is not None
            and default.amount != request.amount
            and (("defaultRequest", resource) not in item.derived)
        ):
            refuse(
                f"default {default.text} and defaultRequest {request.text} of {resource} differ "
                "(an extended resource's request must equal its limit)",
                (*path, "defaultRequest", resource),
            )


# ---------------------------------------------------------------------------------------------
# ResourceQuota


def _quota(doc: _Document, ref: ClusterObject, spec: dict[str, Any], at: Path) -> ResourceQuota:
    quota = ResourceQuota(ref)
    for key, value in _mapping(spec.get("hard")).items():
        key = str(key)
        path: Path = (*at, "hard", key)
        if (
            "/" not in key
            and key not in _STANDARD_QUOTA_KEYS
            and not key.startswith(("hugepages-", "requests.hugepages-"))
        ):
            doc.problem(
                "cluster-object-invalid",
                f'hard key "{key}" is not a resource a quota can track: the API server refuses '
                "the quota",
                path,
            )
            continue
        amount = doc.amount(value, path, f"hard.{key}")
        if amount is None:
            continue
        counted = key.startswith("count/") or "/" in key or key in _COUNT_KEYS
        if counted and amount.amount.denominator != 1:
            doc.problem(
                "cluster-object-invalid",
                f"hard.{key} {amount.text} must be a whole number: the API server refuses the "
                "quota",
                path,
            )
            continue
        quota.hard[key] = amount
    scopes = spec.get("scopes")
    for index, scope in enumerate(scopes if isinstance(scopes, list) else []):
        quota.scopes.append(Located(scope, doc.origin((*at, "scopes", index))))
    expressions = _mapping(spec.get("scopeSelector")).get("matchExpressions")
    for index, raw in enumerate(expressions if isinstance(expressions, list) else []):
        raw = _mapping(raw)
        values = raw.get("values")
        quota.selector.append(
            ScopeRequirement(
                str(raw.get("scopeName")),
                str(raw.get("operator")),
                tuple(str(v) for v in values) if isinstance(values, list) else (),
                doc.origin((*at, "scopeSelector", "matchExpressions", index)),
            )
        )
    names = {str(s.value) for s in quota.scopes} | {s.scope for s in quota.selector}
    for name in sorted(names - _KNOWN_SCOPES):
        doc.problem("cluster-object-invalid", f'unknown quota scope "{name}"', (*at, "scopes"))
    for one, other in _SCOPE_PAIRS:
        if one in names and other in names:
            doc.problem(
                "cluster-object-invalid",
                f"scopes {one} and {other} exclude each other: the API server refuses the quota",
                (*at, "scopes"),
            )
    if "BestEffort" in names:
        for key in quota.hard:
            if key not in ("pods", "count/pods"):
                doc.problem(
                    "cluster-object-invalid",
                    f"a BestEffort quota may only track pods, not {key}: the API server refuses "
                    "the quota",
                    (*at, "hard", key),
                )
    return quota


_COUNT_KEYS = {
    *("pods", "resourcequotas", "services", "secrets", "replicationcontrollers"),
    *("persistentvolumeclaims", "configmaps", "services.nodeports", "services.loadbalancers"),
}


# ---------------------------------------------------------------------------------------------
# The API server's PodSecurity configuration


def _admission_configuration(doc: _Document) -> PodSecurityConfiguration | None:
    root = doc.root
    _strict(doc, root, (), {"apiVersion", "kind", "plugins"}, root)
    plugins = root.get("plugins")
    found: PodSecurityConfiguration | None = None
    for index, plugin in enumerate(plugins if isinstance(plugins, list) else []):
        if not isinstance(plugin, dict) or plugin.get("name") != "PodSecurity":
            continue
        path: Path = ("plugins", index)
        _strict(doc, plugin, path, {"name", "path", "configuration"}, root)
        configuration = plugin.get("configuration")
        if isinstance(configuration, dict):
            found = _pod_security(doc, configuration, (*path, "configuration"), root)
        elif isinstance(plugin.get("path"), str):
            # The file it names is read as a context file of its own (--admission-config
            # follows it): its PodSecurityConfiguration document is indexed from there.
            continue
        else:
            doc.problem(
                "admission-config-invalid",
                "the PodSecurity plugin entry has neither configuration nor path",
                path,
            )
    return found


def _pod_security(
    doc: _Document, configuration: dict[str, Any], at: Path, root: Any
) -> PodSecurityConfiguration:
    _strict(doc, configuration, at, {"apiVersion", "kind", "defaults", "exemptions"}, root)
    result = PodSecurityConfiguration(doc.origin(at, root))
    defaults = _mapping(configuration.get("defaults"))
    _strict(doc, defaults, (*at, "defaults"), set(_PSA_DEFAULT_KEYS), root)
    for key in _PSA_DEFAULT_KEYS:
        if key not in defaults:
            continue
        value, path = defaults[key], (*at, "defaults", key)
        valid = parse_version(value) is not None if key.endswith("-version") else parse_level(value)
        if not valid:
            expected = (
                '"latest" or "v1.<minor>"'
                if key.endswith("-version")
                else ("privileged, baseline or restricted")
            )
            doc.problem(
                "admission-config-invalid",
                f'defaults.{key}: "{value}" must be {expected}: the API server does not start',
                path,
                root,
            )
            continue
        result.defaults[key] = Located(value, doc.origin(path, root))
    exemptions = _mapping(configuration.get("exemptions"))
    _strict(doc, exemptions, (*at, "exemptions"), set(_PSA_EXEMPTION_KEYS), root)
    for key, target, pattern in (
        ("namespaces", result.exempt_namespaces, _DNS_LABEL),
        ("runtimeClasses", result.exempt_runtime_classes, _DNS_SUBDOMAIN),
        ("usernames", result.exempt_usernames, None),
    ):
        listed = exemptions.get(key)
        for index, name in enumerate(listed if isinstance(listed, list) else []):
            path = (*at, "exemptions", key, index)
            bad = not isinstance(name, str) or not name
            bad = bad or (pattern is not None and not pattern.fullmatch(str(name)))
            if bad or name in target:
                why = "repeated" if not bad else "not a valid name"
                doc.problem(
                    "admission-config-invalid",
                    f'exemptions.{key}[{index}] "{name}" is {why}: the API server does not start',
                    path,
                    root,
                )
                continue
            target[str(name)] = doc.origin(path, root)
    return result


def _strict(doc: _Document, obj: Any, at: Path, known: set[str], root: Any) -> None:
    for key in _mapping(obj):
        if key not in known:
            doc.problem(
                "admission-config-invalid",
                f'unknown field "{key}": the configuration is decoded strictly, the API server '
                "does not start",
                (*at, key),
                root,
            )
