"""The namespace a pod lands in, as admission reads it: plain data every layer may read.

A pod is admitted by its namespace: the ``pod-security.kubernetes.io/*`` labels of its Namespace
(or the API server's PodSecurity defaults and exemptions) say which PSA level and version apply,
its LimitRanges fill in and bound the pod's resources, its ResourceQuotas refuse pods that do not
say what they use or use more than the quota holds.

The ``cluster`` dialect reads Namespace, LimitRange, ResourceQuota, Kubeflow Profile and
AdmissionConfiguration manifests into the objects below and puts them in the run index under
:data:`CLUSTER_INDEX`; :meth:`ClusterContext.build` turns them into one
:class:`NamespaceContext` per namespace, once per run. The run admits each pod with it
(:class:`PodAdmission`), the checks read it through the pod, the reports name its objects. Every
value keeps the line it was written on, so that a finding can name the object that causes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from nblint.model.document import CLUSTER_INDEX as _CLUSTER_INDEX
from nblint.model.pod import EffectivePod, Origin, Path
from nblint.model.rule import NEWEST_PSA_VERSION, PsaPolicy, format_version
from nblint.model.unknowable import is_unknowable_name

if TYPE_CHECKING:
    from fractions import Fraction  # only the checks do arithmetic (a plain run never imports it)

    from nblint.model.pod import Provenance

#: The run-index key the cluster objects are filed under (the ``cluster`` dialect writes it).
CLUSTER_INDEX = _CLUSTER_INDEX

LABEL_PREFIX = "pod-security.kubernetes.io/"
#: PSA modes, in the order the API server applies them.
MODES = ("enforce", "audit", "warn")
LEVELS = ("privileged", "baseline", "restricted")
_STRICTNESS = {level: rank for rank, level in enumerate(LEVELS)}
_VERSION = re.compile(r"v1\.(0|[1-9][0-9]*)")
LATEST = "latest"


def level_label(mode: str) -> str:
    return f"{LABEL_PREFIX}{mode}"


def version_label(mode: str) -> str:
    return f"{LABEL_PREFIX}{mode}-version"


def parse_level(text: Any) -> str | None:
    """A PSA level exactly as the API server accepts it, else None."""
    return text if isinstance(text, str) and text in LEVELS else None


def parse_version(text: Any) -> tuple[int, int] | str | None:
    """``latest``, ``(1, minor)`` for ``v1.<minor>``, else None (an invalid version)."""
    if text == LATEST:
        return LATEST
    if isinstance(text, str):
        match = _VERSION.fullmatch(text)
        if match:
            return (1, int(match[1]))
    return None


class Located(NamedTuple):
    """A value as written, and where."""

    value: Any
    origin: Origin


class Amount(NamedTuple):
    """A quantity as written (``text``), read exactly (``amount``), and where it was written."""

    amount: Fraction
    text: str
    origin: Origin


#: OpenShift's namespace annotations that hold the ranges its restricted SCCs (restricted-v2)
#: take a pod's uid (``MustRunAsRange``) and fsGroup (``MustRunAs``) from.
SCC_UID_RANGE = "openshift.io/sa.scc.uid-range"
SCC_SUPPLEMENTAL_GROUPS = "openshift.io/sa.scc.supplemental-groups"
SCC_RANGE_ANNOTATIONS = (SCC_UID_RANGE, SCC_SUPPLEMENTAL_GROUPS)


def parse_scc_ranges(text: str) -> list[tuple[int, int]] | None:
    """The id ranges (first, last) an SCC range annotation writes: blocks ``start/size`` or
    ``start-end``, comma-separated (``1000680000/10000``); None when it is not that."""
    ranges = []
    for block in text.split(","):
        block = block.strip()
        start, slash, size = block.partition("/")
        first, dash, last = block.partition("-")
        try:
            if slash:
                low, count = int(start), int(size)
                if count < 1:
                    return None
                ranges.append((low, low + count - 1))
            elif dash:
                ranges.append((int(first), int(last)))
            else:
                return None
        except ValueError:
            return None
    return ranges or None


@dataclass(frozen=True)
class ClusterObject:
    """One object of the namespace (a Namespace, a LimitRange, a quota, a Profile)."""

    kind: str
    name: str
    #: None: the manifest names no namespace (it goes where ``kubectl -n`` / ``--namespace`` say).
    namespace: str | None
    #: Where the object is written (its ``metadata.name``).
    origin: Origin
    #: Read from ``--cluster-context`` (what is already in the cluster), not from an input.
    context: bool = False

    @property
    def label(self) -> str:
        return f"{self.kind}/{self.name}"


# ---------------------------------------------------------------------------------------------
# The objects, as the indexer reads them


@dataclass
class NamespaceManifest:
    """A Namespace, or the one a Kubeflow Profile stands for (``ref.kind`` says which)."""

    ref: ClusterObject
    labels: dict[str, Located] = field(default_factory=dict)
    #: Labels the Profile controller adds unless the Namespace already has them.
    added_by_profile: dict[str, Located] = field(default_factory=dict)
    #: A Namespace's ``owner`` annotation; a Profile's ``spec.owner.name``: the controller
    #: adopts an existing namespace only when the two are equal.
    owner: Located | None = None
    #: On a Namespace a Profile of the inputs stands for: that Profile (its owner is ``owner``).
    profile: NamespaceManifest | None = None
    #: OpenShift's ``openshift.io/sa.scc.uid-range`` / ``supplemental-groups`` annotations (the
    #: ranges its restricted SCCs hold a pod's uid and fsGroup to), by annotation key.
    scc_ranges: dict[str, Located] = field(default_factory=dict)
    #: Set when no Namespace manifest writes it but an Argo CD object's
    #: ``managedNamespaceMetadata`` (with ``CreateNamespace=true``): that object
    #: (``Application/hub``). ``ref`` is then the Namespace, placed at that field.
    written_by: str | None = None
    #: Set when what writes the labels is no manifest but a setting that makes a namespace
    #: (z2jh's ``hub.config.KubeSpawner.user_namespace_labels``): how messages name it.
    described_as: str | None = None

    @property
    def label(self) -> str:
        """How messages name what writes the namespace's labels: ``Namespace/team-a``, or
        ``Application/hub (managedNamespaceMetadata)``."""
        if self.described_as is not None:
            return self.described_as
        if self.written_by is not None:
            return f"{self.written_by} (managedNamespaceMetadata)"
        return self.ref.label

    def adopted(self) -> bool:
        """Whether the Profile that stands for this Namespace surely adopts it: the Namespace's
        owner annotation names the Profile's owner. Otherwise it depends on which is applied
        first (the controller creates a namespace the Profile finds absent, annotated; one that
        exists without the annotation it refuses, and reconciles nothing of the Profile)."""
        if self.profile is None:
            return True
        mine, theirs = self.owner, self.profile.owner
        return mine is not None and theirs is not None and mine.value == theirs.value


#: LimitRange constraint names, in the order the API server checks them.
CONSTRAINTS = ("min", "max", "default", "defaultRequest", "maxLimitRequestRatio")


@dataclass
class LimitRangeItem:
    """One ``spec.limits`` entry: its type and constraints after API-server defaulting."""

    type: str
    origin: Origin
    #: constraint → resource → amount; ``default``/``defaultRequest`` as the API server stores
    #: them (``max`` fills ``default``, ``default`` then ``min`` fill ``defaultRequest``), each
    #: keeping the line of the value it was copied from.
    constraints: dict[str, dict[str, Amount]] = field(default_factory=dict)
    #: ``(constraint, resource)`` pairs the API server filled in from another constraint.
    derived: set[tuple[str, str]] = field(default_factory=set)

    def get(self, constraint: str) -> dict[str, Amount]:
        return self.constraints.get(constraint, {})


@dataclass
class LimitRange:
    ref: ClusterObject
    items: list[LimitRangeItem] = field(default_factory=list)

    def item(self, type_: str) -> LimitRangeItem | None:
        return next((item for item in self.items if item.type == type_), None)


@dataclass(frozen=True)
class ScopeRequirement:
    """A ``scopeSelector.matchExpressions`` entry."""

    scope: str
    operator: str
    values: tuple[str, ...]
    origin: Origin


@dataclass
class ResourceQuota:
    ref: ClusterObject
    hard: dict[str, Amount] = field(default_factory=dict)
    scopes: list[Located] = field(default_factory=list)
    selector: list[ScopeRequirement] = field(default_factory=list)
    #: The ``kf-resource-quota`` a Kubeflow Profile's ``resourceQuotaSpec`` stands for.
    from_profile: bool = False


@dataclass
class PodSecurityConfiguration:
    """The PodSecurity plugin's part of the API server's AdmissionConfiguration."""

    origin: Origin
    #: ``enforce``, ``enforce-version``, … as written under ``defaults``.
    defaults: dict[str, Located] = field(default_factory=dict)
    exempt_namespaces: dict[str, Origin] = field(default_factory=dict)
    exempt_runtime_classes: dict[str, Origin] = field(default_factory=dict)
    exempt_usernames: dict[str, Origin] = field(default_factory=dict)


ClusterEntry = NamespaceManifest | LimitRange | ResourceQuota | PodSecurityConfiguration


# ---------------------------------------------------------------------------------------------
# Pod Security Admission of a namespace


@dataclass(frozen=True)
class ModePolicy:
    """The level and version one PSA mode of a namespace evaluates, and why."""

    mode: str
    level: str
    #: The version evaluated: ``latest`` and newer versions are the newest nblint knows.
    version: tuple[int, int]
    #: The version as written (``latest``, ``v1.25``, ``v1.99``).
    written: str
    #: Where the level was set: the label, the AdmissionConfiguration default; None: built in.
    origin: Origin | None
    #: How the level was set, for messages (``label pod-security.kubernetes.io/enforce``).
    source: str

    @property
    def policy(self) -> PsaPolicy:
        return PsaPolicy(self.level, self.version)

    def describe(self) -> str:
        """``PodSecurity "baseline:latest"``, as the API server's messages name a policy."""
        return f'PodSecurity "{self.level}:{self.written}"'


@dataclass(frozen=True)
class NamespacePsa:
    enforce: ModePolicy
    audit: ModePolicy
    warn: ModePolicy
    #: Invalid label values (the policy then fails closed for enforce, open for audit/warn).
    label_errors: tuple[str, ...] = ()

    def modes(self) -> tuple[ModePolicy, ModePolicy, ModePolicy]:
        """Enforce first, then warn, then audit: the order findings are reported in."""
        return (self.enforce, self.warn, self.audit)

    @property
    def fully_privileged(self) -> bool:
        return not self.label_errors and all(m.level == "privileged" for m in self.modes())


def _clamped(version: tuple[int, int] | str) -> tuple[int, int]:
    """The version the API server evaluates: ``latest`` and newer ones are the newest."""
    if isinstance(version, str):
        return NEWEST_PSA_VERSION
    return min(version, NEWEST_PSA_VERSION)


def resolve_psa(
    labels: dict[str, Located], configuration: PodSecurityConfiguration | None
) -> NamespacePsa:
    """The policy a namespace's labels select over the cluster's defaults (the API server's
    own resolution: a label that is present replaces the default, an invalid enforce level
    fails closed to restricted, invalid audit/warn levels fail open to privileged, an invalid
    version is ``latest``; and warn follows a stricter enforce label unless warn is labelled)."""
    resolved: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    for mode in MODES:
        level: str = "privileged"
        written: str = LATEST
        origin: Origin | None = None
        source = "the built-in default (no AdmissionConfiguration given)"
        default_level = configuration.defaults.get(mode) if configuration else None
        default_version = configuration.defaults.get(f"{mode}-version") if configuration else None
        if default_level is not None and parse_level(default_level.value):
            level, origin = default_level.value, default_level.origin
            source = f"the AdmissionConfiguration default {mode}: {level}"
        elif configuration is not None:
            source = f"the AdmissionConfiguration default for {mode} (privileged)"
        if default_version is not None and parse_version(default_version.value) is not None:
            written = str(default_version.value)
        label = labels.get(level_label(mode))
        if label is not None:
            parsed = parse_level(label.value)
            if parsed is None:
                errors.append(f"{level_label(mode)}: {label.value}")
                parsed = "restricted" if mode == "enforce" else "privileged"
            level, origin = parsed, label.origin
            source = f"label {level_label(mode)}: {label.value}"
        version = labels.get(version_label(mode))
        if version is not None:
            parsed_version = parse_version(version.value)
            if parsed_version is None:
                errors.append(f"{version_label(mode)}: {version.value}")
                written = LATEST
            else:
                written = str(version.value)
        resolved[mode] = {"level": level, "written": written, "origin": origin, "source": source}
    enforce_label = labels.get(level_label("enforce"))
    if (
        labels.get(level_label("warn")) is None
        and enforce_label is not None
        and parse_level(enforce_label.value) is not None
        and _STRICTNESS[resolved["enforce"]["level"]] > _STRICTNESS[resolved["warn"]["level"]]
    ):
        warn = resolved["warn"]
        warn["level"] = resolved["enforce"]["level"]
        warn["origin"] = enforce_label.origin
        warn["source"] = f"label {level_label('enforce')}: {enforce_label.value} (warn follows it)"
        if labels.get(version_label("warn")) is None:
            warn["written"] = resolved["enforce"]["written"]

    def mode_policy(mode: str) -> ModePolicy:
        entry = resolved[mode]
        written = entry["written"]
        parsed = parse_version(written)
        version = _clamped(parsed if parsed is not None else LATEST)
        return ModePolicy(mode, entry["level"], version, written, entry["origin"], entry["source"])

    return NamespacePsa(
        mode_policy("enforce"), mode_policy("audit"), mode_policy("warn"), tuple(errors)
    )


def newest_version_text() -> str:
    return format_version(NEWEST_PSA_VERSION)


def _quoted(value: Any) -> str:
    """A label value as the API server's messages quote it."""
    return '"' + str(value).replace('"', '\\"') + '"'


def label_problems(labels: dict[str, Located]) -> list[tuple[str, str, Origin]]:
    """``(rule, message, origin)`` of each PodSecurity label of a namespace that the API server
    refuses (``ns-psa-invalid-label``) or evaluates at its own newest version
    (``ns-psa-version-future``): one reading for a Namespace manifest and for the labels an
    Argo CD object's ``managedNamespaceMetadata`` writes."""
    out: list[tuple[str, str, Origin]] = []
    for mode in MODES:
        level = labels.get(level_label(mode))
        if level is not None and parse_level(level.value) is None:
            fallback = (
                "enforces restricted" if mode == "enforce" else f"evaluates {mode} as privileged"
            )
            out.append(
                (
                    "ns-psa-invalid-label",
                    f"Namespace create is rejected: {level_label(mode)}: "
                    f"{_quoted(level.value)} must be one of {', '.join(LEVELS)} (an existing "
                    f"namespace with this label {fallback})",
                    level.origin,
                )
            )
        version = labels.get(version_label(mode))
        if version is None:
            continue
        parsed = parse_version(version.value)
        if parsed is None:
            out.append(
                (
                    "ns-psa-invalid-label",
                    f"Namespace create is rejected: {version_label(mode)}: "
                    f"{_quoted(version.value)} "
                    'must be "latest" or "v1.<minor>" such as v1.30 (an existing namespace with '
                    "this label evaluates latest)",
                    version.origin,
                )
            )
        elif isinstance(parsed, tuple) and parsed > NEWEST_PSA_VERSION:
            out.append(
                (
                    "ns-psa-version-future",
                    f"{version_label(mode)}: {version.value} is evaluated as "
                    f"{newest_version_text()}, the newest policy version nblint knows (the API "
                    "server evaluates it at its own newest version)",
                    version.origin,
                )
            )
    return out


# ---------------------------------------------------------------------------------------------
# A namespace, and the cluster


@dataclass
class NamespaceContext:
    """Everything the inputs say about one namespace."""

    #: None: objects and pods that name no namespace (they land in the same one, whichever
    #: ``kubectl -n`` or ``helm -n`` picks).
    name: str | None
    manifest: NamespaceManifest | None = None
    limit_ranges: list[LimitRange] = field(default_factory=list)
    quotas: list[ResourceQuota] = field(default_factory=list)
    #: The ``exemptions.namespaces`` entry that exempts it from PodSecurity.
    exempt: Origin | None = None
    #: Its PodSecurity policy: None when no Namespace manifest says (and it is not exempt).
    psa: NamespacePsa | None = None
    #: Whether its Namespace manifest has a PodSecurity level label. Without one, ``psa`` is
    #: the cluster's defaults, known only from the API server's AdmissionConfiguration.
    level_labelled: bool = False
    #: Another Namespace manifest of this name whose PodSecurity labels differ from
    #: ``manifest``'s: which of them the cluster holds depends on the order they are applied (a
    #: kustomize patch, a later ``kubectl apply``), so the namespace's policy is not known.
    conflicting: NamespaceManifest | None = None
    #: LimitRanges and quotas written twice among the inputs with different specs: ``(kept,
    #: other)``, the last one given kept. The cluster holds the one applied last, which the
    #: inputs do not say.
    written_twice: list[tuple[ClusterObject, ClusterObject]] = field(default_factory=list)
    #: ``kf-resource-quota`` manifests with another spec than the quota a Profile of the inputs
    #: stands for: ``(the Profile's quota, the manifest)``. The profile controller writes the
    #: Profile's spec over the manifest at every reconcile.
    copied_over: list[tuple[ClusterObject, ClusterObject]] = field(default_factory=list)
    #: Label keys that two Namespace manifests among the inputs (or two context files) give
    #: different values: which one the cluster holds is not known (what a webhook's
    #: namespaceSelector sees there is not either).
    disputed: set[str] = field(default_factory=set)

    @property
    def display(self) -> str:
        return self.name if self.name is not None else "(the namespace the inputs are applied to)"

    def __bool__(self) -> bool:
        return bool(self.manifest or self.limit_ranges or self.quotas or self.exempt)


class ClusterContext:
    """The namespaces of one run, built once from the run index (see the module docstring)."""

    def __init__(
        self,
        namespaces: dict[str | None, NamespaceContext],
        admission: PodSecurityConfiguration | None,
    ) -> None:
        self.namespaces = namespaces
        self.admission = admission

    @classmethod
    def build(cls, entries: Iterable[Any]) -> ClusterContext:
        namespaces: dict[str | None, NamespaceContext] = {}
        admission: PodSecurityConfiguration | None = None

        def context(name: str | None) -> NamespaceContext:
            found = namespaces.get(name)
            if found is None:
                found = namespaces[name] = NamespaceContext(name)
            return found

        for entry in entries:
            if isinstance(entry, PodSecurityConfiguration):
                admission = admission or entry  # the first one given is the API server's
            elif isinstance(entry, NamespaceManifest):
                here = context(entry.ref.name)
                here.disputed |= _disputed_labels(here.manifest, entry)
                here.manifest, conflicting = _merged_manifest(here.manifest, entry)
                here.conflicting = here.conflicting or conflicting
            elif isinstance(entry, LimitRange):
                here = context(entry.ref.namespace)
                _add_object(here, here.limit_ranges, entry)
            elif isinstance(entry, ResourceQuota):
                here = context(entry.ref.namespace)
                _add_object(here, here.quotas, entry)
            # A bare ClusterObject: one whose namespace is a placeholder, in no namespace.
        if admission is not None:
            for name, origin in admission.exempt_namespaces.items():
                context(name).exempt = origin
        for namespace in namespaces.values():
            # A Profile does not say its namespace's PodSecurity labels (the profile
            # controller's configuration does): only a Namespace manifest decides PSA, and
            # two that disagree decide nothing.
            if (
                namespace.manifest is not None
                and namespace.manifest.ref.kind != "Profile"
                and namespace.conflicting is None
            ):
                labels = {**namespace.manifest.added_by_profile, **namespace.manifest.labels}
                namespace.psa = resolve_psa(labels, admission)
                namespace.level_labelled = any(level_label(m) in labels for m in MODES)
        return cls(namespaces, admission)

    def namespace(self, name: str | None) -> NamespaceContext:
        """The context of namespace ``name`` (empty when the inputs say nothing about it)."""
        found = self.namespaces.get(name)
        if found is None:
            found = NamespaceContext(name)
            if self.admission is not None and name in self.admission.exempt_namespaces:
                found.exempt = self.admission.exempt_namespaces[name]
        return found

    def created_with(self, manifest: NamespaceManifest) -> NamespaceContext:
        """The namespace ``manifest`` stands for when no manifest of the inputs describes it: one
        a spawner creates with the labels the configuration gives (its PodSecurity policy is
        theirs over the cluster's defaults)."""
        found = self.namespace(manifest.ref.name)
        labels = manifest.labels
        return NamespaceContext(
            manifest.ref.name,
            manifest,
            found.limit_ranges,
            found.quotas,
            found.exempt,
            resolve_psa(labels, self.admission),
            any(level_label(m) in labels for m in MODES),
        )

    def __bool__(self) -> bool:
        return bool(self.admission) or self.describes_namespaces()

    def describes_namespaces(self) -> bool:
        """Whether the inputs say anything of some namespace (a manifest, a LimitRange or
        quota, an exemption): only then is a pod of a namespace they do not describe worth a
        word. An admission configuration alone (runtime-class exemptions, defaults) names none."""
        return any(self.namespaces.values())


def written_twice_message(
    label: str, namespace: str | None, kept: Origin, checked: bool = False
) -> str:
    """``cluster-object-written-twice``: ``label`` is written again at ``kept``, which wins;
    ``checked``: an object that yields a pod (a Notebook), whose pod is checked, not applied."""
    where = f"namespace {namespace}" if namespace else "the namespace of the inputs"
    at = f"{kept.file}:{kept.line}"
    what = "checks the pod of" if checked else "applies"
    return (
        f"{label} of {where} is written again at {at} with another spec: one name is one "
        "object, and the cluster holds the manifest applied last, which the inputs do not say; "
        f"nblint {what} the one at {at}, given last, and not this one"
    )


def _add_object(
    here: NamespaceContext, known: list[Any], entry: LimitRange | ResourceQuota
) -> None:
    """Add a LimitRange or quota to its namespace, unless it is another manifest of one the
    namespace already has (one name, one object): then an input replaces one of
    ``--cluster-context`` (it is what is applied), a Profile's quota replaces the
    ``kf-resource-quota`` manifest (the profile controller copies it back), and two inputs with
    different specs are recorded in ``written_twice``, the last one given kept (as ``kubectl
    apply`` of both leaves it). One named by a placeholder is never taken to be another's."""
    if is_unknowable_name(entry.ref.name):
        # Named by a placeholder: nblint cannot know it is another manifest of any object.
        known.append(entry)
        return
    for at, other in enumerate(known):
        if other.ref.name != entry.ref.name:
            continue
        mine, theirs = _from_profile(entry), _from_profile(other)
        if mine != theirs:
            profile, manifest = (entry, other) if mine else (other, entry)
            if mine:
                known[at] = entry
            if not manifest.ref.context and _spec_of(manifest) != _spec_of(profile):
                here.copied_over.append((profile.ref, manifest.ref))
        elif other.ref.context != entry.ref.context:
            if other.ref.context:
                known[at] = entry
        elif _spec_of(other) != _spec_of(entry):
            # As `kubectl apply` of both leaves it: the last one given.
            known[at] = entry
            here.written_twice.append((entry.ref, other.ref))
        return
    known.append(entry)


def _from_profile(entry: LimitRange | ResourceQuota) -> bool:
    return isinstance(entry, ResourceQuota) and entry.from_profile


def _spec_of(entry: LimitRange | ResourceQuota) -> Any:
    """What a LimitRange or quota says, without where: two manifests of one object compare by it."""
    if isinstance(entry, LimitRange):
        return [
            (
                item.type,
                {c: {r: a.amount for r, a in v.items()} for c, v in item.constraints.items()},
            )
            for item in entry.items
        ]
    return (
        {key: amount.amount for key, amount in entry.hard.items()},
        [scope.value for scope in entry.scopes],
        [(r.scope, r.operator, r.values) for r in entry.selector],
    )


def _merged_manifest(
    first: NamespaceManifest | None, other: NamespaceManifest
) -> tuple[NamespaceManifest, NamespaceManifest | None]:
    """The namespace two manifests of one name make, and the one that contradicts it.

    A Namespace and the Profile that owns it are one namespace: the Namespace's own labels win,
    the Profile controller adds the ones it lacks. Two Namespaces of one name: one given as an
    input replaces one of ``--cluster-context`` (it is what is applied); two inputs (a kustomize
    base and its patch, two overlays) whose PodSecurity labels differ contradict each other —
    the first is kept for its other labels and the second returned, so that nobody is told a
    policy the inputs do not decide."""
    if first is None:
        return other, None
    argo = _argo_and_manifest(first, other)
    if argo is not None:
        written, manifest = argo
        if manifest.ref.context and not written.ref.context:
            # Argo CD labels the namespace the cluster already holds: its other labels stay.
            merged = NamespaceManifest(
                written.ref,
                {**manifest.labels, **written.labels},
                owner=manifest.owner,
                scc_ranges={**manifest.scc_ranges, **written.scc_ranges},
                written_by=written.written_by,
            )
            return merged, None
        # A Namespace manifest of the name among the inputs replaces what
        # managedNamespaceMetadata sets (Argo CD's documentation); one of --cluster-context
        # beside an Argo CD object that is context too: the manifest is what the cluster holds.
        return manifest, None
    if first.ref.kind == "Profile" and other.ref.kind != "Profile":
        first, other = other, first
    if other.ref.kind == "Profile" and first.ref.kind != "Profile":
        merged = NamespaceManifest(
            first.ref,
            first.labels,
            owner=first.owner,
            profile=other,
            scc_ranges=first.scc_ranges,
            written_by=first.written_by,
        )
        if merged.adopted():
            # The controller labels istio-injection only on a namespace it creates itself.
            added = {k: v for k, v in other.added_by_profile.items() if k != "istio-injection"}
        else:
            # Created by the controller (Profile first) or refused (Namespace first): its
            # labels, istio-injection included, are disputed (see _disputed_labels).
            added = dict(other.added_by_profile)
        merged.added_by_profile = {**added, **first.added_by_profile}
        return merged, None
    if first.ref.kind == "Profile" or first.ref.context != other.ref.context:
        return (other if first.ref.context else first), None
    if psa_labels(first) != psa_labels(other):
        return first, other
    return first, None


def _disputed_labels(first: NamespaceManifest | None, other: NamespaceManifest) -> set[str]:
    """The label keys two Namespace manifests of one name, both inputs or both context files,
    write differently (or only one of them writes): the one applied last decides them."""
    if first is not None and _argo_and_manifest(first, other) is not None:
        return set()  # decided: see _merged_manifest
    if first is not None and "Profile" in (first.ref.kind, other.ref.kind):
        namespace, profile = (other, first) if first.ref.kind == "Profile" else (first, other)
        if profile.ref.kind == namespace.ref.kind:
            return set()
        merged = NamespaceManifest(namespace.ref, owner=namespace.owner, profile=profile)
        if merged.adopted():
            return set()
        # Which of created or refused the cluster holds depends on the order they are applied:
        # the labels only the controller would add are not known.
        return set(profile.added_by_profile) - set(namespace.labels)
    if first is None:
        return set()
    if first.ref.context != other.ref.context:
        return set()  # the input replaces the context file's: nothing is in doubt
    mine = {key: located.value for key, located in first.labels.items()}
    theirs = {key: located.value for key, located in other.labels.items()}
    return {key for key in mine.keys() | theirs.keys() if mine.get(key) != theirs.get(key)}


def _argo_and_manifest(
    first: NamespaceManifest, other: NamespaceManifest
) -> tuple[NamespaceManifest, NamespaceManifest] | None:
    """``(the one an Argo CD object writes, the Namespace manifest)`` when exactly one of two
    of one name is written by Argo CD and the other is a Namespace manifest (not a Profile)."""
    if "Profile" in (first.ref.kind, other.ref.kind):
        return None
    if first.written_by is not None and other.written_by is None:
        return first, other
    if other.written_by is not None and first.written_by is None:
        return other, first
    return None


def psa_labels(manifest: NamespaceManifest) -> dict[str, Any]:
    """The ``pod-security.kubernetes.io/*`` labels a Namespace manifest writes, as written."""
    return {
        key: located.value
        for key, located in manifest.labels.items()
        if key.startswith(LABEL_PREFIX)
    }


# ---------------------------------------------------------------------------------------------
# One pod, admitted

_CREATORS = {
    "Deployment": "its ReplicaSet",
    "ReplicaSet": "the ReplicaSet",
    "StatefulSet": "its StatefulSet",
    "DaemonSet": "the DaemonSet",
    "Job": "the Job",
    "CronJob": "its Jobs",
    "ReplicationController": "the ReplicationController",
    "DeploymentConfig": "its ReplicationController",
    "PodTemplate": "the controller that uses it",
}

#: Workload kinds of another API than Kubernetes' own, whose pod template PodSecurity admission
#: may not evaluate when the object is applied (it reads Kubernetes' own workloads): OpenShift's
#: DeploymentConfig, whose pods the ReplicationControllers its deployer makes create.
_TEMPLATE_NOT_EVALUATED = ("DeploymentConfig",)


def consequence(pod: EffectivePod) -> str:
    """What a rejection means for the object the user wrote."""
    if pod.facts.get("per_user"):
        return "every spawn of this server fails"
    if pod.kind == "Pod":
        return "the pod is rejected"
    creator = _CREATORS.get(pod.kind, f"its {pod.kind}")
    return f"{pod.object} is applied, but {creator} cannot create its pod (FailedCreate)"


def warned(pod: EffectivePod, rejected: bool) -> str:
    """Who sees a PodSecurity ``warn`` failure of ``pod``, as the API server sends it: a warning
    to whoever makes the request, and only for a request it admits (a pod that enforce rejects
    gets none). A workload's template is evaluated (warn and audit, never enforce) when the
    workload is applied; the pod itself when its creator creates it. ``rejected``: the
    namespace's enforce level rejects the pod."""
    written = pod.object.partition("/")[0]
    if pod.kind in _TEMPLATE_NOT_EVALUATED:
        return (
            f"the warnings go to its deployer, which creates the ReplicationController, and to "
            f"the controller that creates the pod, not necessarily to the client that applies "
            f"{pod.object} (PodSecurity evaluates the templates of Kubernetes' own workload "
            "kinds); nothing is rejected for it"
        )
    if pod.kind in _CREATORS and written == pod.kind:
        # The workload object the user applies: its own warning reaches the client (its pods'
        # go to its controller).
        return f"applying {pod.object} returns the warning; nothing is rejected for it"
    if pod.kind in _CREATORS:
        # A controller's workload (a Notebook's StatefulSet): the controller is the client.
        return (
            f"the warning goes to the controllers that create its {pod.kind} and pod, not to the "
            f"client that applies {pod.object}; nothing is rejected for it"
        )
    if rejected:
        return (
            "no warning is sent while enforce rejects the pod (the API server warns only about "
            "a pod it admits)"
        )
    if pod.facts.get("per_user"):
        return "the hub, which creates the pod, gets the warning; the spawn does not fail for it"
    return "the client that creates the pod gets the warning; the pod is not rejected for it"


@dataclass(frozen=True)
class AppliedDefault:
    """A resource of the effective pod that a LimitRange (or API defaulting) filled in."""

    path: Path
    container: str
    container_type: str
    #: ``limits`` or ``requests``.
    bucket: str
    resource: str
    amount: Amount
    #: The LimitRange it came from; None: the API server copied the container's own limit.
    limit_range: ClusterObject | None
    #: Other LimitRanges of the namespace that default the same key differently: which one the
    #: API server applies is not defined.
    alternatives: tuple[tuple[ClusterObject, Amount], ...] = ()


@dataclass
class PodAdmission:
    """How a pod's namespace admits it: the run works it out before the pod is checked."""

    namespace: NamespaceContext
    #: How the pod got its namespace (``metadata.namespace``, ``--namespace``, none).
    named_by: str
    defaults: list[AppliedDefault] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.namespace)


class AdmittedProvenance:
    """A pod's provenance, with the fields admission filled in placed at the object that
    filled them (a LimitRange's ``default``)."""

    def __init__(self, inner: Provenance) -> None:
        self.inner = inner
        self.injected: dict[Path, Origin] = {}

    def inject(self, path: Path, origin: Origin) -> None:
        self.injected[path] = origin

    def locate(self, path: Path) -> Origin:
        for length in range(len(path), 0, -1):
            found = self.injected.get(path[:length])
            if found is not None:
                return found
        return self.inner.locate(path)
