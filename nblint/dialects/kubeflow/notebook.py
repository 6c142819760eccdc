"""A Kubeflow ``Notebook`` → the pod its StatefulSet creates, as admission sees it.

The model (facts from kubeflow/notebooks v1.11 ``notebook_controller.go``, same logic as
kubeflow/kubeflow v1.10):

1. the API server prunes what the CRD's Kubernetes 1.23 schema lacks (:mod:`.crd`);
2. pod labels are ``statefulset`` and ``notebook-name`` overlaid with the Notebook's labels, then
   the StatefulSet controller's own; pod annotations are the Notebook's, minus every key that
   contains ``kubectl`` or ``notebook``;
3. the pod spec is the template's, with ``containers[0]`` completed: ``workingDir`` when empty,
   the notebook port when ``ports`` is nil, ``NB_PREFIX`` when no env var has that name;
4. ``securityContext: {fsGroup: 100}`` when the pod has no ``securityContext`` at all and the
   controller's ``ADD_FSGROUP`` is on (``--kubeflow-add-fsgroup``; upstream Kubeflow's default);
   OpenShift AI / Open Data Hub workbenches (their ``opendatahub.io`` annotations or labels, or
   ``--kubeflow-distribution openshift-ai``) come from a controller that runs with
   ``ADD_FSGROUP=false`` and no Istio, on OpenShift, whose ``restricted-v2`` SCC assigns the
   pod's ``fsGroup`` and each container's ``runAsUser`` from the namespace's range, and sets
   what it requires where the pod leaves it unset (seccomp ``RuntimeDefault``, no privilege
   escalation, ``ALL`` capabilities dropped);
5. a stopped Notebook (``kubeflow-resource-stopped``) has no pod, but its template is linted;
   a Notebook written again later among the inputs (same name and namespace) is one object,
   the manifest given last (as ``kubectl apply`` of both leaves it): only that one is linted;
6. the PodDefault webhook applies the PodDefaults that select the pod (:mod:`.poddefaults`); a
   conflict makes it deny the pod, which is then reported and linted without any PodDefault. A
   namespace the inputs describe without the profile label is one it never serves, and Istio
   injects where that namespace's labels say (:mod:`.namespace_labels`);
7. API-server defaulting of pod templates, as for any StatefulSet.
"""

from __future__ import annotations

import json
from functools import cache

from nblint.dialects import openshift as scc
from nblint.dialects.apiserver import apply_api_defaults
from nblint.dialects.base import TreePlacement
from nblint.dialects.kubeflow import crd, namespace_labels, poddefaults
from nblint.dialects.kubeflow.namespace_labels import KnownNamespace, known_namespace
from nblint.dialects.kubeflow.provenance import Graft, NotebookPlacement, NotebookProvenance
from nblint.load.provenance import tree_position
from nblint.load.yaml_tree import to_plain
from nblint.model import names
from nblint.model.document import Normalised, Recognised, RunIndex
from nblint.model.finding import Cause, Reported
from nblint.model.pod import EffectivePod, Origin, Path, format_path
from nblint.model.quantity import quantity_ratio
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STOPPED_ANNOTATION = "kubeflow-resource-stopped"
HOME = "/home/jovyan"
NOTEBOOK_PORT = {"name": "notebook-port", "containerPort": 8888, "protocol": "TCP"}
FS_GROUP = 100
CONTROLLER = "injected by the notebook controller"
#: The two notebook controllers nblint models.
UPSTREAM = "kubeflow"
OPENSHIFT_AI = "openshift-ai"
#: What a refusal by restricted-v2 takes for granted: no other SCC for the workbench's pod.
SCC_ASSUMPTION = (
    "the workbench's ServiceAccount may use no SCC but restricted-v2 (OpenShift's default; an "
    "administrator may grant it another, such as anyuid or privileged)"
)
#: The fix key of hints for a Notebook on OpenShift AI (see the dialect's ``fix_labels``).
OPENSHIFT_HINTS = "kubeflow-openshift-ai"
#: What stands for the first id of a namespace's range (see :mod:`nblint.dialects.openshift`).
OPENSHIFT_RANGE_START = scc.RANGE_START
STATEFULSET_CONTROLLER = "added by the StatefulSet controller"


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def once_per_run(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> list[Reported]:
    """What no Notebook shows, said once per run, at the first Notebook."""
    metadata = _mapping(document.root.get("metadata"))
    distribution, _ = _distribution(metadata, settings)
    if distribution == OPENSHIFT_AI:
        # OpenShift AI's controller reads the three settings from a ConfigMap its dashboard
        # writes (the operator reverts edits to the controller's Deployment).
        message = (
            "idle culling is a setting of the notebook controller, not of a Notebook: on OpenShift "
            "AI it is off unless the dashboard's Settings > Cluster settings > Stop idle "
            "workbenches is on (the ConfigMap notebook-controller-culler-config in "
            "redhat-ods-applications, opendatahub on Open Data Hub: ENABLE_CULLING, "
            "CULL_IDLE_TIME, IDLENESS_CHECK_PERIOD)"
        )
        keys: tuple[str, ...] = (OPENSHIFT_HINTS, "kubeflow")
    else:
        message = (
            "idle culling is a setting of the notebook controller, not of a Notebook: it is off "
            "unless the controller runs with ENABLE_CULLING=true (then CULL_IDLE_TIME, default "
            "1440 minutes, and IDLENESS_CHECK_PERIOD, default 1 minute)"
        )
        keys = ("kubeflow",)
    return [
        Reported(
            "culling-not-visible",
            message,
            _position(document.file, document.root, ("kind",)),
            f"Notebook/{_name(document)}",
            fix_keys=keys,
        )
    ]


def _name(document: Recognised) -> str:
    metadata = _mapping(document.root.get("metadata"))
    return _scalar(metadata.get("name")) or f"(document {document.index + 1})"


#: The run index key Notebooks are kept under (see :func:`index`).
INDEX_KEY = "kubeflow.org/Notebook"


class Written(Record):
    """A Notebook of the inputs as the run index keeps it: which object it is, where it is
    written, and what makes its pod — its tree when the run keeps that anyway (a file read
    whole in its first phase), else a digest of it: a Notebook's index entry never holds a
    tree the run would have dropped, and the digest, only needed when one Notebook is written
    twice, costs nothing in the common case."""

    __slots__ = ("_hash", "key", "origin", "place", "root")

    def __init__(
        self, key: tuple[Any, ...], place: tuple[Any, ...], origin: Origin, root: Any, kept: bool
    ) -> None:
        #: ``(namespace, name, file)``: one object (the file only when it names no namespace).
        self.key = key
        #: ``(file, document, path)``: this manifest.
        self.place = place
        #: Its ``metadata.name``.
        self.origin = origin
        self.root = root if kept else None
        self._hash = None if kept else _digest(root)

    @property
    def digest(self) -> int:
        if self._hash is None:
            assert self.root is not None  # kept until its digest is asked
            self._hash = _digest(self.root)
        return self._hash


def _identity(document: Recognised) -> tuple[Any, ...] | None:
    """Which Notebook ``document`` writes, or None when nblint cannot know: no name, or a name
    or namespace that is a placeholder (filled in before it is applied). A Notebook that names
    no namespace is one object with those of its own file only (like a PodDefault)."""
    metadata = _mapping(document.root.get("metadata"))
    name = _scalar(metadata.get("name"))
    written_namespace = metadata.get("namespace")
    namespace = _scalar(written_namespace)
    if name is None or is_unknowable_name(name) or is_unknowable_name(namespace):
        return None
    if namespace is None and written_namespace not in (None, ""):
        return None  # a templated namespace YAML read as a mapping
    return (namespace, name, document.file if namespace is None else "")


@cache
def _encoder() -> Any:
    import json

    return json.JSONEncoder(sort_keys=True, default=str, check_circular=False)


def _digest(root: dict[str, Any]) -> int:
    """What makes a Notebook's pod (its spec, labels and annotations), as one number: two
    manifests of one Notebook that differ only in layout, key order, comments, status or
    apiVersion are the same."""
    metadata = _mapping(root.get("metadata"))
    made_of = [root.get("spec"), metadata.get("labels"), metadata.get("annotations")]
    try:
        return hash(_encoder().encode(made_of))
    except (TypeError, ValueError):  # keys of mixed types cannot be sorted
        return hash(repr(made_of))


def index(document: Recognised, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    """A Notebook of the inputs, for :func:`normalise` to find which manifest of it is given
    last."""
    key = _identity(document)
    if key is None or document.context:
        return []
    origin = _position(document.file, document.root, ("metadata", "name"))
    place = (document.file, document.index, document.path)
    return [(INDEX_KEY, Written(key, place, origin, document.root, document.kept))]


def _given_last(entries: tuple[Any, ...]) -> dict[tuple[Any, ...], Written]:
    """Each Notebook's manifest given last (the one ``kubectl apply`` of them all leaves)."""
    return {written.key: written for written in entries}


def _replaced(document: Recognised, index: RunIndex) -> tuple[bool, list[Reported]]:
    """Whether a later manifest among the inputs writes the same Notebook (then ``document``
    yields no pod), and ``cluster-object-written-twice`` when their pods differ."""
    key = _identity(document)
    if key is None:
        return False, []
    last = index.view(INDEX_KEY, _given_last).get(key)
    if last is None or last.place == (document.file, document.index, document.path):
        return False, []
    if last.digest == _digest(document.root):
        return True, []
    from nblint.model.namespace import written_twice_message

    label = f"Notebook/{key[1]}"
    at = last.origin
    return True, [
        Reported(
            "cluster-object-written-twice",
            written_twice_message(label, key[0], at, checked=True),
            _position(document.file, document.root, ("metadata", "name")),
            label,
            fix_keys=("kubeflow",),
            cause=Cause(label, "the manifest applied", at.file, at.line),
        )
    ]


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    file, root = document.file, document.root
    out = Normalised()
    replaced, said = _replaced(document, index)
    if replaced:
        # Another manifest of this Notebook is given later: it is the one the cluster holds, and
        # the one checked. This one yields no pod (and is said when the two differ).
        out.reported.extend(said)
        return out
    metadata = _mapping(root.get("metadata"))
    name = _name(document)
    namespace = _scalar(metadata.get("namespace"))
    object_name = f"Notebook/{name}"

    def report(rule: str, message: str, origin: Origin) -> None:
        out.reported.append(Reported(rule, message, origin, object_name, fix_keys=("kubeflow",)))

    for path, message in _name_problems(root):
        rule = "wrong-field-type" if path[1] != "name" else "invalid-name"
        report(rule, message, _position(file, root, path))
    pruned = crd.prune(root, crd.NOTEBOOK)
    for path in pruned.dropped:
        report(*_pruned_message(path), _position(file, root, path))
    spec = _mapping(_mapping(_mapping(pruned.value.get("spec")).get("template")).get("spec"))
    problems = _validation_problems(spec)
    for path, message in problems:
        report("kubeflow-invalid-object", message, _position(file, root, path))
    if problems:
        return out  # the API server refuses the Notebook: there is no pod to lint

    provenance = NotebookProvenance(file, root)
    provenance.graft(("metadata",), Graft(file, root, ("metadata",)))
    pod_metadata = _pod_metadata(name, namespace, metadata, provenance)
    _complete_first_container(spec, name, namespace, provenance)
    distribution, assumed = _distribution(metadata, settings)
    auth_proxy = _auth_proxy(metadata) if distribution == OPENSHIFT_AI else None
    if auth_proxy is not None:
        _dedicated_service_account(spec, name, auth_proxy, provenance)
    add_fsgroup = settings.get("kubeflow_add_fsgroup")
    if add_fsgroup is None:
        add_fsgroup = distribution == UPSTREAM
    if add_fsgroup and spec.get("securityContext") is None:
        where = provenance.locate(("spec",))
        spec["securityContext"] = {"fsGroup": FS_GROUP}
        provenance.inject(
            ("spec", "securityContext", "fsGroup"),
            Origin(
                where.file,
                where.line,
                where.column,
                f"{CONTROLLER}: fsGroup {FS_GROUP}, because the pod has no securityContext "
                f"(ADD_FSGROUP; {assumed})",
            ),
        )
    pod: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": pod_metadata,
        "spec": spec,
    }

    chosen = poddefaults.selected(
        index.view(poddefaults.INDEX_KEY, poddefaults.in_force),
        namespace,
        file,
        {str(k): poddefaults.selector.label_text(v) for k, v in pod_metadata["labels"].items()},
        _mapping(pod_metadata.get("annotations")),
    )
    known = known_namespace(index, namespace, settings)
    if chosen and known is not None and known.poddefaults_served is False:
        # The webhook's namespaceSelector never matches this namespace: it never runs there.
        out.reported.append(_not_served(known, chosen, object_name, provenance))
        chosen = []
    merged = poddefaults.merge(pod, chosen, provenance.locate, object_name)
    for conflict in merged.conflicts:
        other = conflict.other
        report(
            "poddefault-conflict",
            f"{conflict.poddefault.label} and {other.label} both set {conflict.what}, "
            f"differently ({other.label} at {other.origin.file}:{other.origin.line}): the "
            f"PodDefault webhook denies the pod of {object_name}, which is never created",
            Origin(conflict.origin.file, conflict.origin.line, conflict.origin.column),
        )
    applied: list[str] = []
    if not merged.conflicts:
        pod = merged.pod
        applied = [pd.name for pd in chosen]
        for path, graft in merged.grafts.items():
            provenance.graft(path, graft)
    # A binding among the inputs that lets the pod's ServiceAccount use another SCC (anyuid):
    # which SCC admits the pod is the cluster's to decide, so restricted-v2 is not modelled.
    granted = (
        scc.other_scc(pod["spec"], namespace, file, index, settings)
        if distribution == OPENSHIFT_AI
        else None
    )
    if granted is not None:
        where = provenance.locate(("spec",))
        out.reported.append(
            Reported(
                "openshift-scc-other",
                scc.other_scc_message(object_name, assumed, pod["spec"], granted),
                Origin(where.file, where.line, where.column),
                object_name,
                fix_keys=("kubeflow",),
            )
        )
    elif distribution == OPENSHIFT_AI:
        refused = scc.refusals(pod["spec"])
        if refused:
            # The SCC refuses what it does not allow: no pod is created, so none is modelled
            # (its other checks would judge a pod that never runs); the refusal is said at
            # each field to edit.
            for path, what in refused:
                where = provenance.locate(path)
                hint = _scc_hint(pod["spec"], path, where, document.file)
                out.reported.append(
                    Reported(
                        "openshift-scc-refused",
                        f"OpenShift's restricted-v2 SCC refuses the pod of {object_name}: {what}; "
                        "its StatefulSet cannot create the pod (FailedCreate: unable to validate "
                        "against any security context constraint), so nothing else of it is "
                        f"checked ({assumed})",
                        Origin(where.file, where.line, where.column),
                        object_name,
                        fix=hint,
                        fix_keys=("kubeflow",),
                        assumption=SCC_ASSUMPTION,
                    )
                )
            return out
        scc.admit(pod["spec"], provenance, assumed)
    pod["spec"] = apply_api_defaults(pod["spec"], "StatefulSet", provenance)

    annotations = _mapping(metadata.get("annotations"))
    istio = None if known is None else known.istio
    out.pods.append(
        EffectivePod(
            file=file,
            object=object_name,
            dialect="kubeflow",
            pod=pod,
            provenance=provenance,
            kind="StatefulSet",
            # The OpenShift AI hints first: the SCC refuses a uid or fsGroup it did not assign.
            fix_keys=(OPENSHIFT_HINTS, "kubeflow")
            if distribution == OPENSHIFT_AI and granted is None
            else (),
            placement=NotebookPlacement(
                TreePlacement(file, document.index, document.path), provenance, pod
            ),
            namespace=namespace,
            facts={
                "namespace": namespace,
                # One of many notebook servers of its namespace (quota capacity is counted).
                "notebook_server": True,
                # Kubeflow profile namespaces have Istio sidecar injection on by default; the
                # OpenShift AI controller runs without Istio (USE_ISTIO=false). A namespace the
                # inputs describe says it with its labels.
                "istio_injection_default": distribution == UPSTREAM
                if istio is None
                else bool(istio),
                **({"istio_injection_by": istio} if istio else {}),
                "kubeflow_distribution": distribution,
                **({scc.OTHER_SCC_FACT: granted} if granted is not None else {}),
                "stopped": STOPPED_ANNOTATION in annotations,
                "poddefaults": applied,
                "poddefaults_denied": bool(merged.conflicts),
                **_volumes_unseen(index, namespace, file, known, metadata),
                **({"auth_proxy": auth_proxy.describe()} if auth_proxy else {}),
                **_sidecars(
                    auth_proxy,
                    istio,
                    distribution,
                    _mapping(pod.get("metadata")),
                    _annotation_origin(file, root, auth_proxy),
                    annotations,
                ),
            },
        )
    )
    return out


def _volumes_unseen(
    index: RunIndex, namespace: str | None, file: str, known: Any, metadata: dict[str, Any]
) -> dict[str, str]:
    """``{"volumes_unseen": why}`` when the pod may get volumes nblint does not see: PodDefaults
    of its namespace that nblint was not given, selected by labels the Notebook writes (JWA's
    configurations, ``access-ml-pipeline: "true"``), may add them; else nothing."""
    if known is not None and known.poddefaults_served is False:
        return {}  # the webhook never runs there
    labels = [str(key) for key in _mapping(metadata.get("labels")) if str(key) != "app"]
    if not labels:
        return {}
    given = index.view(poddefaults.INDEX_KEY, poddefaults.in_force)
    if any(poddefaults.same_namespace(namespace, file, pd) for pd in given):
        return {}  # its namespace's PodDefaults are among the inputs: applied above
    return {
        "volumes_unseen": "PodDefaults of its namespace that nblint was not given (its labels "
        f"{', '.join(labels)} may select them)"
    }


def _not_served(
    known: KnownNamespace,
    chosen: list[poddefaults.PodDefault],
    object_name: str,
    provenance: NotebookProvenance,
) -> Reported:
    """``poddefault-namespace-not-served``: the PodDefaults that select the pod, which the
    webhook never applies in a namespace without the profile label."""
    names = ", ".join(pd.name for pd in chosen)
    what = (
        f"PodDefault {names}, which selects this pod, changes"
        if len(chosen) == 1
        else f"PodDefaults {names}, which select this pod, change"
    )
    has = (
        f"its label {namespace_labels.PROFILE_LABEL} is {known.profile_label}, not "
        f"{namespace_labels.PROFILE_VALUE}"
        if known.profile_label is not None
        else f"it has no label {namespace_labels.PROFILE_LABEL}: {namespace_labels.PROFILE_VALUE}"
    )
    return Reported(
        "poddefault-namespace-not-served",
        f"namespace {known.name} is not a Kubeflow profile namespace ({has}), which the "
        f"PodDefault webhook's namespaceSelector requires: the webhook never runs there, so "
        f"{what} nothing in {object_name}",
        provenance.locate(("metadata", "namespace")),
        object_name,
        fix_keys=("kubeflow",),
        cause=known.unserved_cause(),
    )


#: Resources of the sidecars a webhook injects into a Notebook's pod, where the webhook writes
#: them itself: the ODH notebook webhook's oauth-proxy (``InjectOAuthProxy``) and kube-rbac-proxy
#: (``InjectKubeRbacProxy``), requests and limits alike (``DefaultAuthSidecar*``: 100m, 64Mi).
#: Istio's proxy takes its resources from the Istio installation (and the pod's
#: ``sidecar.istio.io/proxy*`` annotations): unknown.
SIDECAR_RESOURCES: dict[str, dict[str, dict[str, str]]] = {
    proxy: {
        "requests": {"cpu": "100m", "memory": "64Mi"},
        "limits": {"cpu": "100m", "memory": "64Mi"},
    }
    for proxy in ("oauth-proxy", "kube-rbac-proxy")
}
#: The Notebook annotations that override the auth sidecar's resources
#: (``parseAndValidateAuthSidecarResources``): ``(bucket, resource)`` by annotation.
SIDECAR_RESOURCE_ANNOTATIONS = {
    "notebooks.opendatahub.io/auth-sidecar-cpu-request": ("requests", "cpu"),
    "notebooks.opendatahub.io/auth-sidecar-memory-request": ("requests", "memory"),
    "notebooks.opendatahub.io/auth-sidecar-cpu-limit": ("limits", "cpu"),
    "notebooks.opendatahub.io/auth-sidecar-memory-limit": ("limits", "memory"),
}


def _proxy_resources(container: str, annotations: dict[str, Any]) -> dict[str, Any] | None:
    """The auth proxy's resources as the webhook writes them: its defaults, overridden by the
    Notebook's ``auth-sidecar-*`` annotations; None (unknown) where one is not a quantity (the
    webhook refuses the Notebook then, which nblint does not model)."""
    defaults = SIDECAR_RESOURCES.get(container)
    if defaults is None:
        return None
    resources = {bucket: dict(amounts) for bucket, amounts in defaults.items()}
    for key, (bucket, resource) in SIDECAR_RESOURCE_ANNOTATIONS.items():
        value = annotations.get(key)
        if value is None or str(value).strip() == "":
            continue
        if quantity_ratio(str(value).strip()) is None:
            return None
        resources[bucket][resource] = str(value).strip()
    return resources


def _annotation_origin(
    file: str, root: dict[str, Any], auth_proxy: AuthProxy | None
) -> tuple[str, int, int] | None:
    """Where the Notebook asks for the proxy: ``(file, line, column)`` of its annotation."""
    if auth_proxy is None:
        return None
    key = auth_proxy.annotation.partition(": ")[0]
    line, column = tree_position(root, ("metadata", "annotations", key))
    return (file, line, column)


def _sidecars(
    auth_proxy: AuthProxy | None,
    istio: str | None,
    distribution: str,
    metadata: dict[str, Any],
    asked_at: tuple[str, int, int] | None = None,
    annotations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The fact ``injected_sidecars``: each container a webhook adds to the pod after nblint's
    view of it, what injects it, and its resources when the webhook fixes them (None: unknown).
    Quota findings count the known ones and say the others are not counted. Istio is named when
    the namespace is known to inject it (``istio``), or, not known, as the Kubeflow default.
    ``by`` is worded to read "<by> injects <name>"; ``origin`` (the proxy's): the annotation
    that asks for it, where a finding about the sidecar goes (its resources are the webhook's)."""
    found: list[dict[str, Any]] = []
    if auth_proxy is not None:
        resources = _proxy_resources(auth_proxy.container, annotations or {})
        found.append(
            {
                "name": auth_proxy.container,
                # Counted: "each counts <by>"; not counted: "<by> injects <name>".
                "by": auth_proxy.describe()
                if resources
                else f"OpenShift AI's notebook webhook ({auth_proxy.annotation})",
                "resources": resources,
                **({"origin": asked_at} if asked_at else {}),
            }
        )
    opted_out = any(
        str(_mapping(metadata.get(where)).get("sidecar.istio.io/inject")).lower() == "false"
        for where in ("annotations", "labels")
    )
    if opted_out:
        pass  # the pod asks Istio not to inject it
    elif istio:
        found.append({"name": "istio-proxy", "by": f"{istio}: Istio", "resources": None})
    elif istio is None and distribution == UPSTREAM:
        found.append(
            {
                "name": "istio-proxy",
                "by": "if the profile namespace has Istio sidecar injection (the Kubeflow "
                "default), Istio",
                "resources": None,
            }
        )
    return {"injected_sidecars": found} if found else {}


class AuthProxy(Record):
    """The authenticating proxy OpenShift AI's notebook webhook adds to a workbench whose
    annotation asks for one (odh-notebook-controller ``notebook_webhook.go``:
    ``InjectOAuthProxy`` for ``inject-oauth``, RHOAI 2.x; ``InjectKubeRbacProxy`` for
    ``inject-auth``, 3.x)."""

    __slots__ = ("annotation", "container")

    def __init__(self, container: str, annotation: str) -> None:
        self.container = container
        self.annotation = annotation

    def describe(self) -> str:
        return (
            f"the {self.container} sidecar that OpenShift AI's notebook webhook injects "
            f"({self.annotation})"
        )


#: The annotations that make the ODH notebook webhook inject a proxy, newest first: both proxies
#: call the API server with the pod's service-account token and trust its ``ca.crt``
#: (oauth-proxy's ``--upstream-ca``, kube-rbac-proxy's in-cluster client for its TokenReviews
#: and SubjectAccessReviews), so the pod needs its token mounted.
AUTH_PROXY_ANNOTATIONS = (
    ("notebooks.opendatahub.io/inject-auth", "kube-rbac-proxy"),
    ("notebooks.opendatahub.io/inject-oauth", "oauth-proxy"),
)
#: What Go's ``strconv.ParseBool`` reads as true (the webhook parses the annotation with it).
_GO_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})


def _auth_proxy(metadata: dict[str, Any]) -> AuthProxy | None:
    annotations = _mapping(metadata.get("annotations"))
    for key, container in AUTH_PROXY_ANNOTATIONS:
        value = annotations.get(key)
        if value is True or str(value) in _GO_TRUE:
            return AuthProxy(container, f"{key}: {'true' if value is True else value}")
    return None


def _dedicated_service_account(
    spec: dict[str, Any], name: str, proxy: AuthProxy, provenance: NotebookProvenance
) -> None:
    """The webhook puts the pod on a ServiceAccount of the Notebook's name ("do not use
    default"), whatever the Notebook says: its proxy authenticates as that account."""
    where = provenance.locate(("spec", "serviceAccountName"))
    spec["serviceAccountName"] = name
    provenance.inject(
        ("spec", "serviceAccountName"),
        Origin(
            where.file,
            where.line,
            where.column,
            f"set by OpenShift AI's notebook webhook for its {proxy.container} "
            f"({proxy.annotation})",
        ),
    )


def _distribution(metadata: dict[str, Any], settings: dict[str, Any]) -> tuple[str, str]:
    """Which notebook controller builds the pod, and how the finding notes should say so."""
    given = settings.get("kubeflow_distribution")
    if given in (UPSTREAM, OPENSHIFT_AI):
        label = "upstream Kubeflow" if given == UPSTREAM else "OpenShift AI / Open Data Hub"
        return given, f"assumed: {label}, as --kubeflow-distribution says"
    marked = [
        str(key)
        for part in ("annotations", "labels")
        for key in _mapping(metadata.get(part))
        if str(key).split("/", 1)[0].endswith("opendatahub.io")
    ]
    if marked:
        return OPENSHIFT_AI, f"assumed: OpenShift AI / Open Data Hub, from its {marked[0]}"
    return UPSTREAM, "assumed: upstream Kubeflow (--kubeflow-distribution to say otherwise)"


#: The refused settings a fix turns off (the others have no one value to write: a volume to
#: replace, a capability to drop from a list).
_SCC_OFF = ("privileged", "allowPrivilegeEscalation")


def _scc_hint(spec: dict[str, Any], path: Path, where: Origin, file: str) -> str | None:
    """The Notebook YAML that turns off a refused ``privileged`` or ``allowPrivilegeEscalation``
    of a container the Notebook itself writes (one a PodDefault adds is edited there), shown
    as advice: nblint does not apply it, since the user asked for the setting (sudo, a device)
    and the pod it lets in is one nblint has not checked. None: the rule's hint."""
    if len(path) != 5 or path[1] not in ("containers", "initContainers") or path[4] not in _SCC_OFF:
        return None
    if where.file != file or where.note:
        return None
    container = spec[path[1]][path[2]]
    return (
        "spec:\n  template:\n    spec:\n"
        f"      {path[1]}:\n"
        f"        - name: {json.dumps(container.get('name'))}\n"
        "          securityContext:\n"
        f"            {path[4]}: false   # restricted-v2 refuses the pod while it is true\n"
    )


def _scalar(value: Any) -> str | None:
    """A name or namespace as text; a templated one that YAML read as a mapping counts as unset."""
    return str(value) if isinstance(value, (str, int)) and str(value) else None


def _position(file: str, root: Any, path: Path) -> Origin:
    line, column = tree_position(root, path)
    return Origin(file, line, column)


def _pruned_message(path: Path) -> tuple[str, str]:
    where = format_path(path)
    if path[-2:] == ("template", "metadata"):
        return (
            "kubeflow-pruned-security-field",
            f"{where} is dropped by the Notebook CRD: its labels and annotations never reach the "
            "pod (write them in the Notebook's own metadata)",
        )
    rule = (
        "kubeflow-pruned-security-field"
        if crd.is_security_relevant(path)
        else "kubeflow-pruned-field"
    )
    schema = (
        "Kubernetes 1.23 pod schema"
        if path[:3] == ("spec", "template", "spec")
        else "not a Notebook field"
    )
    return rule, f"{where} is dropped by the Notebook CRD ({schema}): the cluster never sees it"


def _name_problems(root: dict[str, Any]) -> list[tuple[Path, str]]:
    """``invalid-name`` for a name the API server refuses (a custom resource's is a DNS-1123
    subdomain), or one the controller cannot name the Notebook's Service after (a Service's is a
    DNS-1035 label); ``wrong-field-type`` for an annotation value that is not text and does not
    reach the pod (the pod's labels and annotations are judged on the pod). Said beside the
    other findings: one rename away from the Notebook the rest judges."""
    found: list[tuple[Path, str]] = []
    name = names.judged_name(names.at(root, ("metadata", "name")))
    if name is not None:
        problem = names.name_problem(name, "Notebook")
        if problem is not None:
            found.append(
                (
                    ("metadata", "name"),
                    f"metadata.name {name} {problem}: the API server refuses the Notebook",
                )
            )
        elif (problem := names.dns1035_problem(name)) is not None:
            found.append(
                (
                    ("metadata", "name"),
                    f"metadata.name {name} {problem}: the notebook controller names the "
                    "Notebook's Service after it, which the API server refuses, so the notebook "
                    "is never reachable",
                )
            )
    annotations = names.at(root, ("metadata", "annotations"))
    if isinstance(annotations, dict):
        dropped = {key: value for key, value in annotations.items() if not _to_pod(key)}
        found.extend(
            (path, f"{what}: the API server cannot decode the Notebook")
            for path, what in names.not_text(("metadata", "annotations"), dropped)
        )
    return found


def _to_pod(key: Any) -> bool:
    """Whether the controller copies the Notebook's annotation ``key`` to its pod."""
    return "kubectl" not in str(key) and "notebook" not in str(key)


def _validation_problems(spec: dict[str, Any]) -> list[tuple[Path, str]]:
    """What the CRD's validation refuses (containers ≥ 1, each with name and image)."""
    base: Path = ("spec", "template", "spec")
    containers = spec.get("containers")
    if not isinstance(containers, list) or not containers:
        return [(base, "the Notebook has no containers: the API server refuses it")]
    problems: list[tuple[Path, str]] = []
    for index, container in enumerate(containers):
        where = (*base, "containers", index)
        if not isinstance(container, dict):
            problems.append((where, f"containers[{index}] is not a mapping"))
            continue
        missing = [key for key in ("name", "image") if container.get(key) is None]
        image = container.get("image")
        if isinstance(image, str) and not image.strip():
            # A Jupyter web app template's placeholder: the Pod's validation needs an image.
            problems.append(
                (
                    (*where, "image"),
                    f"containers[{index}] has an empty image: the API server refuses the pod "
                    "the Notebook's StatefulSet makes, so it never starts",
                )
            )
        if missing:
            problems.append(
                (
                    where,
                    f"containers[{index}] has no {' and no '.join(missing)}: the API server "
                    "refuses the Notebook",
                )
            )
    return problems


def _pod_metadata(
    name: str, namespace: str | None, metadata: dict[str, Any], provenance: NotebookProvenance
) -> dict[str, Any]:
    here = provenance.locate(("metadata",))
    labels: dict[str, Any] = {"statefulset": name, "notebook-name": name}
    for key in labels:
        provenance.inject(
            ("metadata", "labels", key), Origin(here.file, here.line, here.column, CONTROLLER)
        )
    labels.update(to_plain(_mapping(metadata.get("labels"))))
    for key, value in (
        ("statefulset.kubernetes.io/pod-name", f"{name}-0"),
        ("apps.kubernetes.io/pod-index", "0"),
    ):
        labels[key] = value
        provenance.inject(
            ("metadata", "labels", key),
            Origin(here.file, here.line, here.column, STATEFULSET_CONTROLLER),
        )
    annotations = {
        key: to_plain(value)
        for key, value in _mapping(metadata.get("annotations")).items()
        if _to_pod(key)
    }
    pod_metadata: dict[str, Any] = {"name": f"{name}-0"}
    if namespace is not None:
        pod_metadata["namespace"] = namespace
    pod_metadata["labels"] = labels
    if annotations:
        pod_metadata["annotations"] = annotations
    return pod_metadata


def _complete_first_container(
    spec: dict[str, Any], name: str, namespace: str | None, provenance: NotebookProvenance
) -> None:
    first = spec["containers"][0]
    base: Path = ("spec", "containers", 0)
    here = provenance.locate(base)

    def injected(path: Path, what: str) -> None:
        provenance.inject(path, Origin(here.file, here.line, here.column, f"{CONTROLLER}: {what}"))

    if not first.get("workingDir"):
        first["workingDir"] = HOME
        injected((*base, "workingDir"), f"workingDir {HOME}")
    if first.get("ports") is None:
        first["ports"] = [dict(NOTEBOOK_PORT)]
        injected((*base, "ports"), "the notebook port 8888")
    env = first.get("env")
    if env is None:
        env = first["env"] = []
    if isinstance(env, list) and not any(
        isinstance(var, dict) and var.get("name") == "NB_PREFIX" for var in env
    ):
        prefix = f"/notebook/{namespace or '<namespace>'}/{name}"
        env.append({"name": "NB_PREFIX", "value": prefix})
        injected((*base, "env", len(env) - 1), f"NB_PREFIX={prefix}")
