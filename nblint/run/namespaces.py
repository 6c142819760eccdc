"""Each pod judged by its namespace (used by the run when the inputs describe namespaces).

For one effective pod, in the API server's order:

1. its namespace: the one its object names, else ``--namespace`` (a z2jh release's), else none
   (then the namespace of the inputs that name none: both go where ``kubectl -n`` puts them);
2. LimitRange defaults fill in its resources (:func:`nblint.model.admission
   .apply_limit_range_defaults`), each placed at the LimitRange line that set it;
3. the checks run with the namespace's PodSecurity policy: the enforce level and version for the
   whole checklist, then the warn and audit levels for PSA checks the enforce level did not
   already fail. Exempt namespaces and runtime classes get no PSA check. A namespace no manifest
   describes is checked at ``--psa-level``/``--psa-version``, with one info finding saying so.

The LimitRange and quota rules are checks like any other: they read ``EffectivePod.admission``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nblint.check.engine import check_pod
from nblint.model.finding import SEVERITY_RANK, Cause, Finding, PsaRef, Reported
from nblint.model.namespace import (
    ClusterContext,
    ModePolicy,
    NamespaceContext,
    NamespaceManifest,
    PodAdmission,
    consequence,
    psa_labels,
    warned,
)
from nblint.model.pod import CREATOR_FACT, USER_NAMESPACE_FACT, EffectivePod, Origin
from nblint.model.rule import PsaPolicy, Rule
from nblint.model.unknowable import is_unknowable_name
from nblint.run.pipeline import ADMISSION_CONFIG

if TYPE_CHECKING:
    from nblint.run.pipeline import Runner

#: The object's own namespace, ``--namespace``, or neither (how a pod got its namespace).
NAMED_BY_OBJECT = "its object"
NAMED_BY_OPTION = "--namespace"
NAMED_BY_NOTHING = "nothing"
#: The object names its namespace by a placeholder (``${PROFILE_NAME}``): not known.
NAMED_BY_PLACEHOLDER = "a placeholder"


#: What a PSA finding in a namespace KubeSpawner creates assumes: it creates it only when it is
#: missing, and leaves one that exists as it is (a 409 is taken as success, nothing relabelled).
USER_NAMESPACE_ASSUMPTION = (
    "the user's namespace does not exist before KubeSpawner creates it: user_namespace_labels "
    "label only a namespace it creates, and one that already exists keeps its own labels"
)


def pod_namespace(pod: EffectivePod, settings: dict[str, Any]) -> tuple[str | None, str]:
    if pod.namespace:
        if is_unknowable_name(pod.namespace):
            return pod.namespace, NAMED_BY_PLACEHOLDER
        return pod.namespace, NAMED_BY_OBJECT
    given = settings.get("namespace")
    if isinstance(given, str) and given:
        return given, NAMED_BY_OPTION
    return None, NAMED_BY_NOTHING


def judge(
    runner: Runner, pod: EffectivePod, cluster: ClusterContext, notebook: bool = True
) -> list[Finding]:
    """The findings of ``pod`` as its namespace admits it (see the module docstring);
    ``notebook`` False: a workload that is not a notebook, checked without the checklist."""
    name, named_by = pod_namespace(pod, runner.settings)
    # A placeholder names no namespace the inputs describe (nor one exempt): nothing is known.
    namespace = (
        NamespaceContext(name) if named_by == NAMED_BY_PLACEHOLDER else cluster.namespace(name)
    )
    assumption = _users_exempt(cluster, pod)
    created = pod.facts.get(USER_NAMESPACE_FACT)
    if created is not None and namespace.manifest is None and named_by == NAMED_BY_OBJECT:
        # KubeSpawner creates each user's namespace with the values' labels: its PSA labels.
        namespace = cluster.created_with(created)
        assumption = "; ".join(filter(None, (USER_NAMESPACE_ASSUMPTION, assumption)))
    admission = pod.admission = PodAdmission(namespace, named_by)
    if namespace.limit_ranges:
        from nblint.model.admission import apply_limit_range_defaults

        admission.defaults = apply_limit_range_defaults(pod, namespace.limit_ranges)
    found: list[Finding | None] = []
    exemption = _exemption(pod, namespace, cluster)
    if exemption is not None:
        # No PSA check at all: the checklist runs as at the privileged level.
        policy = PsaPolicy("privileged", runner.options.policy.version)
        found.extend(check_pod(pod, runner.plan_for(policy, notebook=notebook), policy))
        found.append(runner.finding(exemption))
    elif namespace.psa is None or _defaults_unknown(runner, namespace, cluster):
        policy = runner.options.policy
        found.extend(check_pod(pod, runner.plan_for(policy, notebook=notebook), policy))
        if cluster.describes_namespaces() or named_by == NAMED_BY_PLACEHOLDER:
            found.append(runner.finding(_unknown(pod, namespace, named_by, policy)))
    else:
        found.extend(_by_psa_modes(runner, pod, namespace, assumption or None, notebook))
    return [finding for finding in found if finding is not None]


def _defaults_unknown(runner: Runner, namespace: NamespaceContext, cluster: ClusterContext) -> bool:
    """Whether the namespace's policy is the cluster's defaults, and nothing says them: its
    Namespace has no PodSecurity level label and no AdmissionConfiguration is given, with
    ``--admission-config`` or among the context files (a cluster without one admits every pod,
    as privileged; many set one)."""
    return (
        not namespace.level_labelled
        and cluster.admission is None
        and not any(option == ADMISSION_CONFIG for option, _ in runner.options.context)
    )


def _users_exempt(cluster: ClusterContext, pod: EffectivePod) -> str | None:
    """What a PSA finding assumes when the API server exempts users: who creates the pod (a
    controller's identity) is not exempt. None when the inputs say who does (z2jh's hub
    ServiceAccount in a known release namespace), as then it is known not to be."""
    configuration = cluster.admission
    if configuration is None or not configuration.exempt_usernames:
        return None
    if pod.facts.get(CREATOR_FACT) is not None:
        return None
    names = ", ".join(sorted(configuration.exempt_usernames))
    return f"the identity that creates the pod is not exempt (exemptions.usernames: {names})"


def _by_psa_modes(
    runner: Runner,
    pod: EffectivePod,
    namespace: NamespaceContext,
    assumption: str | None,
    notebook: bool = True,
) -> list[Finding]:
    psa = namespace.psa
    assert psa is not None
    out: list[Finding] = []
    # What each level already failed, by check (a restricted check and the baseline one it
    # replaces are one check) and container: the fields it failed at.
    failed: dict[tuple[str, str | None], list[str | None]] = {}
    family = _check_families(runner.rules)
    enforce = psa.enforce
    plan = runner.plan_for(enforce.policy, notebook=notebook)
    for finding in check_pod(pod, plan, enforce.policy):
        if finding.psa is not None:
            _as_mode(finding, enforce, namespace, pod)
            finding.assumption = assumption
            key = (family.get(finding.rule, finding.rule), finding.container)
            failed.setdefault(key, []).append(finding.field)
        out.append(finding)
    rejected = bool(failed)
    for mode in (psa.warn, psa.audit):
        if mode.level == "privileged":
            continue
        for finding in check_pod(pod, runner.plan_for(mode.policy, psa_only=True), mode.policy):
            # One problem, one finding: a stricter level failing the same check at the same
            # field (NET_RAW, at baseline and at restricted) says nothing more.
            key = (family.get(finding.rule, finding.rule), finding.container)
            fields = failed.setdefault(key, [])
            if any(_same_place(finding.field, field) for field in fields):
                continue
            fields.append(finding.field)
            _as_mode(finding, mode, namespace, pod, rejected)
            finding.assumption = assumption
            out.append(finding)
    return out


def _check_families(rules: dict[str, Rule]) -> dict[str, str]:
    """Each baseline rule a restricted rule replaces (at some version), mapped to that restricted
    rule: the same check of the pod, made stricter (``capabilities-baseline`` →
    ``capabilities-restricted``)."""
    return {
        entry["rule"]: rule.id
        for rule in rules.values()
        if rule.psa
        for entry in rule.psa.get("replaces", [])
    }


def _same_place(field: str | None, other: str | None) -> bool:
    """Whether two findings' fields are one place: equal, or one inside the other (the
    baseline check fails a volume at ``hostPath.path``, the restricted one at ``hostPath``)."""
    if field is None or other is None:
        return field == other
    short, long = sorted((field, other), key=len)
    return long == short or long.startswith((short + ".", short + "["))


_MODE_SEVERITY = {"enforce": "error", "warn": "warning", "audit": "info"}


def _as_mode(
    finding: Finding,
    mode: ModePolicy,
    namespace: NamespaceContext,
    pod: EffectivePod,
    rejected: bool = False,
) -> None:
    """A PSA finding as the namespace's ``mode`` reports it: an enforce failure keeps its rule's
    severity (the pod is rejected), a warn failure is at most a warning (saying who gets the
    warning, if anyone: ``rejected``, the enforce level rejects the pod), an audit one info."""
    assert finding.psa is not None
    where = f"namespace {namespace.display}"
    if mode.mode == "enforce":
        outcome = f"{where} enforces {mode.describe()}: {consequence(pod)}"
    elif mode.mode == "warn":
        outcome = f"{where} warns at {mode.describe()}: {warned(pod, rejected)}"
        finding.severity = _at_most(finding.severity, "warning")
    else:
        outcome = f"{where} audits at {mode.describe()} (an audit-log annotation only)"
        finding.severity = "info"
    finding.message = f"{finding.message} — {outcome}"
    psa = finding.psa
    finding.psa = PsaRef(psa.check, psa.level, psa.version, mode.mode)
    finding.cause = _mode_cause(mode, namespace)


def _at_most(severity: str, cap: str) -> str:
    return severity if SEVERITY_RANK[severity] <= SEVERITY_RANK[cap] else cap


def _mode_cause(mode: ModePolicy, namespace: NamespaceContext) -> Cause | None:
    if mode.origin is None:
        return None
    label = (
        namespace.manifest.label
        if namespace.manifest is not None and mode.source.startswith("label")
        else "AdmissionConfiguration"
    )
    origin = mode.origin
    return Cause(label, mode.source, origin.file, origin.line, origin.column)


def _place(pod: EffectivePod) -> Origin:
    return pod.provenance.locate(("metadata", "namespace"))


def _exemption(
    pod: EffectivePod, namespace: NamespaceContext, cluster: ClusterContext
) -> Reported | None:
    """The PodSecurity exemption that skips ``pod``, as an ``ns-psa-exempt`` finding."""
    configuration = cluster.admission
    if configuration is None:
        return None
    if namespace.exempt is not None:
        origin = namespace.exempt
        return Reported(
            "ns-psa-exempt",
            f"namespace {namespace.display} is exempt from PodSecurity in the API server's "
            "AdmissionConfiguration (exemptions.namespaces): no PSA level applies to this pod",
            _place(pod),
            pod.object,
            cause=Cause(
                "AdmissionConfiguration",
                f"exemptions.namespaces: {namespace.display}",
                origin.file,
                origin.line,
                origin.column,
            ),
        )
    creator = pod.facts.get(CREATOR_FACT)
    if creator is not None and creator[0] in configuration.exempt_usernames:
        username, described = creator
        origin = configuration.exempt_usernames[username]
        return Reported(
            "ns-psa-exempt",
            f"{described} ({username}) creates this pod and is exempt from PodSecurity in the "
            "API server's AdmissionConfiguration (exemptions.usernames): no PSA level applies "
            "to this pod",
            _place(pod),
            pod.object,
            cause=Cause(
                "AdmissionConfiguration",
                f"exemptions.usernames: {username}",
                origin.file,
                origin.line,
                origin.column,
            ),
        )
    runtime_class = pod.spec.get("runtimeClassName")
    if (
        namespace.psa is not None
        and not namespace.psa.fully_privileged
        and isinstance(runtime_class, str)
        and runtime_class in configuration.exempt_runtime_classes
    ):
        origin = configuration.exempt_runtime_classes[runtime_class]
        return Reported(
            "ns-psa-exempt",
            f"runtimeClassName {runtime_class} is exempt from PodSecurity in the API server's "
            "AdmissionConfiguration (exemptions.runtimeClasses): no PSA level applies to this pod",
            pod.provenance.locate(("spec", "runtimeClassName")),
            pod.object,
            cause=Cause(
                "AdmissionConfiguration",
                f"exemptions.runtimeClasses: {runtime_class}",
                origin.file,
                origin.line,
                origin.column,
            ),
        )
    return None


def _unknown(
    pod: EffectivePod, namespace: NamespaceContext, named_by: str, policy: PsaPolicy
) -> Reported:
    """``ns-unknown-namespace``: the inputs do not say the pod's namespace's PSA labels."""
    level = f"--psa-level/--psa-version ({policy.level}:{policy.version_text})"
    cause: Cause | None = None
    # Where the user edits: the pod's namespace line, unless the fix is to the Namespace
    # manifest itself (its label, the second manifest), which every pod in it shares: there, the
    # pods' findings fold into one (field test 9b N5: one per Notebook of an unlabelled namespace).
    place = _place(pod)
    if named_by == NAMED_BY_PLACEHOLDER:
        what = (
            f"{pod.object} names its namespace by a placeholder ({namespace.name}), filled in "
            "before it is applied: nblint cannot know the namespace, so PSA is checked at "
            f"{level} and no LimitRange or ResourceQuota is applied"
        )
        assumption = None
        fix = (
            "Lint the manifests with the placeholder filled in "
            "(e.g. envsubst < FILE | nblint check -)."
        )
    elif namespace.name is None:
        what = (
            f"{pod.object} names no namespace and no --namespace is given: PSA is checked at "
            f"{level}; objects that name no namespace are taken to be in the same one"
        )
        assumption = "the pod and the objects that name no namespace are applied to one namespace"
        fix = None  # the rule's: name the namespace, or give --namespace
    elif namespace.manifest is not None and namespace.conflicting is not None:
        first, second = namespace.manifest, namespace.conflicting
        what = (
            f"namespace {namespace.name} has two {_manifests(first, second)} among the inputs "
            "whose "
            f"PodSecurity labels differ ({_psa_text(first)} at {_at(first)}; "
            f"{_psa_text(second)} at {_at(second)}): which one the cluster holds depends on "
            "the order they are applied (a kustomize patch, a later kubectl apply), so PSA is "
            f"checked at "
            f"{level}; keep one Namespace manifest per namespace among the inputs"
        )
        assumption = None
        fix = f"Keep one Namespace manifest of {namespace.name} among the inputs (the one applied)."
        origin = second.ref.origin
        place = origin
        cause = Cause(second.label, _psa_text(second), origin.file, origin.line, origin.column)
    elif namespace.manifest is not None and namespace.manifest.ref.kind == "Namespace":
        # Its Namespace manifest sets no PodSecurity level label.
        what = (
            f"namespace {namespace.name} sets no pod-security.kubernetes.io level label: the "
            "cluster's PodSecurity defaults decide, which only the API server's "
            "AdmissionConfiguration says (give it with --admission-config; a cluster without one "
            f"admits every pod, as privileged). PSA is checked at {level} for the pods in it; "
            "label the namespace to say which level it enforces"
        )
        assumption = None
        place = namespace.manifest.ref.origin
        # The Namespace is given: what is missing is its label, not a manifest or a namespace.
        fix = (
            f"# Namespace {namespace.name}: the level it enforces"
            "\nmetadata:\n  labels:\n"
            f"    pod-security.kubernetes.io/enforce: {policy.level}"
        )
        if namespace.manifest.written_by is not None:
            fix = (
                f"# {namespace.manifest.written_by}: the level namespace {namespace.name} "
                "enforces\nspec:\n  syncPolicy:\n    managedNamespaceMetadata:\n      labels:\n"
                f"        pod-security.kubernetes.io/enforce: {policy.level}"
            )
    elif namespace.manifest is not None and namespace.manifest.ref.kind == "Profile":
        what = (
            f"namespace {namespace.name} belongs to Profile {namespace.name}, whose PodSecurity "
            "labels come from the profile controller's configuration, not from the Profile: PSA "
            f"is checked at {level}; give the Namespace manifest to check it at its labels"
        )
        assumption = None
        fix = (
            f"Give namespace {namespace.name}'s Namespace manifest with its "
            "pod-security.kubernetes.io labels (as the cluster has it: --cluster-context)."
        )
    else:
        what = (
            f"namespace {namespace.name} has no Namespace manifest among the inputs or "
            f"--cluster-context: PSA is checked at {level}"
        )
        assumption = None
        fix = (
            f"Give namespace {namespace.name}'s Namespace manifest with its "
            "pod-security.kubernetes.io labels (as an input or with --cluster-context)."
        )
        if "{" in namespace.name:
            what += " (each user gets a namespace of their own: enable_user_namespaces)"
    if namespace.limit_ranges or namespace.quotas:
        what += "; its LimitRanges and ResourceQuotas given are applied"
    return Reported(
        "ns-unknown-namespace",
        what,
        place,
        pod.object,
        fix=fix,
        assumption=assumption,
        cause=cause,
    )


def _manifests(*manifests: NamespaceManifest) -> str:
    """``Namespace manifests``, or what writes them when an Argo CD object writes one."""
    if all(m.written_by is None for m in manifests):
        return "Namespace manifests"
    return "writers of its labels (Namespace manifests, Argo CD managedNamespaceMetadata)"


def _at(manifest: NamespaceManifest) -> str:
    return f"{manifest.ref.origin.file}:{manifest.ref.origin.line}"


def _psa_text(manifest: NamespaceManifest) -> str:
    labels = psa_labels(manifest)
    if not labels:
        return "no pod-security.kubernetes.io labels"
    return ", ".join(f"{key}: {value}" for key, value in sorted(labels.items()))
