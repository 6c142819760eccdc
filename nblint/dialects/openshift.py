"""What OpenShift's ``restricted-v2`` SCC does to a pod: what it sets, what it refuses.

Shared by the dialects whose pods may run on OpenShift (as :mod:`.apiserver` is): an OpenShift
AI workbench's pod (kubeflow), created by the StatefulSet controller on the Notebook's own
ServiceAccount, and a z2jh user pod, created by KubeSpawner with the hub's ServiceAccount on the
pod's own. Each may use ``restricted-v2`` (every authenticated user's SCC) and, unless an
administrator grants another, no other. The SCC mutates what the pod leaves unset
(:func:`admit`) but refuses what the pod asks for and it does not allow (OpenShift's
``restricted-v2`` definition):

* ``allowPrivilegedContainer: false`` — a privileged container;
* ``allowPrivilegeEscalation: false`` — a container that sets ``allowPrivilegeEscalation: true``;
* ``allowedCapabilities: [NET_BIND_SERVICE]`` — any other capability added;
* ``allowHostDirVolumePlugin: false`` and ``volumes: [configMap, csi, downwardAPI, emptyDir,
  ephemeral, persistentVolumeClaim, projected, secret]`` — a hostPath or any other volume type;
* ``allowHostNetwork``/``allowHostPID``/``allowHostIPC``/``allowHostPorts: false``;
* ``runAsUser: MustRunAsRange`` and ``fsGroup: MustRunAs`` (the namespace's range, from
  1000000000 up) — a container that runs as uid 0, a ``fsGroup: 0`` (other ids outside the range
  are ``openshift-scc-range``'s, which knows the namespace's range or says it does not);
* ``seccompProfiles: [runtime/default]`` — a seccomp profile of any other type (``Unconfined``,
  ``Localhost``), the pod's or a container's.

Such a pod is never created (the StatefulSet's ``FailedCreate``, KubeSpawner's 403: "unable to
validate against any security context constraint"), so a dialect yields no pod for it, only the
refusal, at each field to edit.
"""

from __future__ import annotations

import os

from nblint.model.pod import Origin
from nblint.model.unknowable import may_share_namespace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from nblint.dialects.apiserver import Defaultable
    from nblint.model.pod import Path

#: What stands for the first id of a namespace's range (OpenShift picks the real one per
#: namespace: ``openshift.io/sa.scc.uid-range``).
RANGE_START = 1000680000

#: The volume sources restricted-v2 allows (its ``volumes``).
ALLOWED_VOLUMES = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)
#: The only capability restricted-v2 lets a container add (``allowedCapabilities``).
ALLOWED_CAPABILITIES = frozenset({"NET_BIND_SERVICE", "CAP_NET_BIND_SERVICE"})
#: Pod fields that share the node's namespaces: restricted-v2 allows none.
HOST_FIELDS = ("hostNetwork", "hostPID", "hostIPC")


def route_serves(
    route_namespace: str | None,
    route_file: str,
    namespace: str | None,
    files: Sequence[str],
    below: bool = False,
) -> bool:
    """Whether a Route of the inputs (its ``metadata.namespace``, None when it names none, and
    its file) may send traffic to a workload in ``namespace`` (None: unknown) written in
    ``files`` (a release's layers): a sign that the workload runs on OpenShift. The rule
    :func:`~nblint.model.unknowable.may_share_namespace` says, as for a RoleBinding and a pod:
    the same namespace when both name one nblint can know; else (none, or a placeholder such as
    ``<NAMESPACE>``) only when the Route is written in the directory of one of ``files`` (or,
    ``below``, for a Route sure to be this workload's, in a directory right below it). A Route
    of another tree of the inputs says nothing about this workload's cluster."""
    places: Sequence[str | None] = files or (None,)
    if any(may_share_namespace(route_namespace, route_file, namespace, f) for f in places):
        return True
    # ``below``: a Route sure to be this workload's (to z2jh's proxy-public) counts one directory
    # below a file of ``files`` too, where no namespace says otherwise.
    if not below or not may_share_namespace(route_namespace, None, namespace, None):
        return False
    folder = os.path.dirname(os.path.dirname(route_file))
    return any(f is not None and os.path.dirname(f) == folder for f in files)


def refusals(spec: dict[str, Any]) -> list[tuple[Path, str]]:
    """``(pod path of the field to edit, what restricted-v2 does not allow)`` for each thing of
    ``spec`` (the pod as the Notebook and its PodDefaults write it, before the SCC) it refuses."""
    out: list[tuple[Path, str]] = []
    for field in HOST_FIELDS:
        if spec.get(field) is True:
            out.append(((field,), f"the pod sets {field}: true (the SCC allows no {field})"))
    for list_name, kind in (
        ("initContainers", "init container"),
        ("containers", "container"),
        ("ephemeralContainers", "ephemeral container"),
    ):
        containers = spec.get(list_name)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if not isinstance(container, dict):
                continue
            at: Path = (list_name, index)
            who = f"{kind} {container.get('name')}"
            out.extend(_container_refusals(container, at, who))
    out.extend(_root_refusals(spec))
    out.extend(_seccomp_refusals(spec))
    volumes = spec.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else ()):
        if not isinstance(volume, dict):
            continue
        for source in volume:
            if source == "name" or source in ALLOWED_VOLUMES:
                continue
            out.append(
                (
                    ("volumes", index, source),
                    f"volume {volume.get('name')} is a {source} volume (the SCC allows only "
                    f"{', '.join(sorted(ALLOWED_VOLUMES))})",
                )
            )
    return [(("spec", *path), text) for path, text in out]


def _root_refusals(spec: dict[str, Any]) -> list[tuple[Path, str]]:
    """uid 0, which is in no namespace's range: at the field that sets it, once — the pod's
    ``runAsUser`` that a container inherits, or the container's own (the SCC validates each
    container's effective uid, not the pod's alone) — and a ``fsGroup: 0``."""
    out: list[tuple[Path, str]] = []
    pod_context = spec.get("securityContext")
    pod_context = pod_context if isinstance(pod_context, dict) else {}
    range_note = "the SCC allows only ids of the namespace's range, from 1000000000 up"
    if _is_zero(pod_context.get("fsGroup")):
        out.append((("securityContext", "fsGroup"), f"the pod sets fsGroup: 0 ({range_note})"))
    pod_root_inherited = False
    for list_name, kind in (("initContainers", "init container"), ("containers", "container")):
        containers = spec.get(list_name)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if not isinstance(container, dict):
                continue
            own = container.get("securityContext")
            own_uid = own.get("runAsUser") if isinstance(own, dict) else None
            if _is_zero(own_uid):
                out.append(
                    (
                        (list_name, index, "securityContext", "runAsUser"),
                        f"{kind} {container.get('name')} runs as root (runAsUser: 0; {range_note})",
                    )
                )
            elif own_uid is None and _is_zero(pod_context.get("runAsUser")):
                pod_root_inherited = True
    if pod_root_inherited:
        out.append(
            (
                ("securityContext", "runAsUser"),
                f"the pod's containers run as root (runAsUser: 0; {range_note})",
            )
        )
    return out


def _seccomp_refusals(spec: dict[str, Any]) -> list[tuple[Path, str]]:
    """A seccomp profile other than ``RuntimeDefault``, at each securityContext that sets it."""
    places: list[tuple[Path, Any, str]] = [
        (("securityContext",), spec.get("securityContext"), "the pod")
    ]
    for list_name, kind in (("initContainers", "init container"), ("containers", "container")):
        containers = spec.get(list_name)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if isinstance(container, dict):
                who = f"{kind} {container.get('name')}"
                places.append(
                    ((list_name, index, "securityContext"), container.get("securityContext"), who)
                )
    out: list[tuple[Path, str]] = []
    for at, context, who in places:
        profile = context.get("seccompProfile") if isinstance(context, dict) else None
        kind_of = profile.get("type") if isinstance(profile, dict) else None
        if isinstance(kind_of, str) and kind_of != "RuntimeDefault":
            out.append(
                (
                    (*at, "seccompProfile", "type"),
                    f"{who} asks for the seccomp profile {kind_of} (the SCC allows only "
                    "runtime/default)",
                )
            )
    return out


def _is_zero(value: Any) -> bool:
    return type(value) is int and value == 0


def _container_refusals(container: dict[str, Any], at: Path, who: str) -> list[tuple[Path, str]]:
    out: list[tuple[Path, str]] = []
    context = container.get("securityContext")
    context = context if isinstance(context, dict) else {}
    if context.get("privileged") is True:
        out.append(
            (
                (*at, "securityContext", "privileged"),
                f"{who} is privileged (the SCC allows no privileged container)",
            )
        )
    if context.get("allowPrivilegeEscalation") is True:
        out.append(
            (
                (*at, "securityContext", "allowPrivilegeEscalation"),
                f"{who} allows privilege escalation (the SCC allows none)",
            )
        )
    capabilities = context.get("capabilities")
    added = capabilities.get("add") if isinstance(capabilities, dict) else None
    for position, name in enumerate(added if isinstance(added, list) else ()):
        if isinstance(name, str) and name not in ALLOWED_CAPABILITIES:
            out.append(
                (
                    (*at, "securityContext", "capabilities", "add", position),
                    f"{who} adds capability {name} (the SCC allows only NET_BIND_SERVICE)",
                )
            )
    ports = container.get("ports")
    for position, port in enumerate(ports if isinstance(ports, list) else ()):
        if isinstance(port, dict) and port.get("hostPort"):
            out.append(
                (
                    (*at, "ports", position, "hostPort"),
                    f"{who} asks for host port {port.get('hostPort')} (the SCC allows none)",
                )
            )
    return out


def admit(spec: dict[str, Any], provenance: Defaultable, assumed: str) -> None:
    """What OpenShift's ``restricted-v2`` SCC admission sets that the pod leaves unset: the
    pod's ``fsGroup`` and each container's ``runAsUser``, from the namespace's range, and
    ``runAsNonRoot: true`` where that uid is not root; the pod's
    seccomp profile (``runtime/default``, the SCC's only one); and in each container
    ``allowPrivilegeEscalation: false`` (the SCC allows none) and ``ALL`` among the dropped
    capabilities (its ``requiredDropCapabilities``). What the SCC forbids and the pod asks for
    (a capability added, escalation allowed) it does not change: it refuses the pod."""
    where = provenance.locate(("spec",))
    note = (
        f"assigned by OpenShift's restricted-v2 SCC from the namespace's range "
        f"({RANGE_START} stands for its first id; {assumed})"
    )
    origin = Origin(where.file, where.line, where.column, note)
    set_by_scc = Origin(
        where.file, where.line, where.column, f"set by OpenShift's restricted-v2 SCC ({assumed})"
    )
    pod_sc = spec.get("securityContext")
    if pod_sc is None:
        pod_sc = spec["securityContext"] = {}
    if not isinstance(pod_sc, dict):
        return  # the wrong type is wrong-field-type's finding
    if pod_sc.get("fsGroup") is None:
        pod_sc["fsGroup"] = RANGE_START
        provenance.inject(("spec", "securityContext", "fsGroup"), origin)
    if pod_sc.get("seccompProfile") is None:
        pod_sc["seccompProfile"] = {"type": "RuntimeDefault"}
        provenance.inject(("spec", "securityContext", "seccompProfile"), set_by_scc)
    pod_uid = pod_sc.get("runAsUser") is not None
    for list_name in ("initContainers", "containers"):
        containers = spec.get(list_name)
        for index, container in enumerate(containers if isinstance(containers, list) else ()):
            if not isinstance(container, dict):
                continue
            own = container.get("securityContext")
            if own is None:
                own = container["securityContext"] = {}
            if not isinstance(own, dict):
                continue
            at = ("spec", list_name, index, "securityContext")
            if not pod_uid and own.get("runAsUser") is None:
                own["runAsUser"] = RANGE_START
                provenance.inject((*at, "runAsUser"), origin)
            # After the uid, the SCC marks a container whose effective uid is not root as
            # non-root (to satisfy PodSecurity restricted): apiserver-library-go sccmatching
            # provider.go mutateContainer, when neither the container nor the pod says.
            uid = own.get("runAsUser", pod_sc.get("runAsUser"))
            if (
                own.get("runAsNonRoot") is None
                and pod_sc.get("runAsNonRoot") is None
                and isinstance(uid, int)
                and not isinstance(uid, bool)
                and uid > 0
            ):
                own["runAsNonRoot"] = True
                provenance.inject((*at, "runAsNonRoot"), set_by_scc)
            if own.get("allowPrivilegeEscalation") is None and not _escalates(own):
                own["allowPrivilegeEscalation"] = False
                provenance.inject((*at, "allowPrivilegeEscalation"), set_by_scc)
            capabilities = own.get("capabilities")
            if capabilities is None:
                capabilities = own["capabilities"] = {}
            if not isinstance(capabilities, dict):
                continue
            drop = capabilities.get("drop")
            if drop is None:
                capabilities["drop"] = ["ALL"]
                provenance.inject((*at, "capabilities", "drop"), set_by_scc)
            elif isinstance(drop, list) and "ALL" not in drop:
                capabilities["drop"] = [*drop, "ALL"]


def _escalates(context: dict[str, Any]) -> bool:
    """Whether a container's securityContext is privileged or adds ``CAP_SYS_ADMIN``: the SCC
    refuses it (not the escalation it would set: the API server refuses that pair)."""
    capabilities = context.get("capabilities")
    added = capabilities.get("add") if isinstance(capabilities, dict) else None
    return context.get("privileged") is True or (
        isinstance(added, list) and "CAP_SYS_ADMIN" in added
    )


# ---------------------------------------------------------------------------------------------
# Whether a pod runs on OpenShift, and under restricted-v2: the signs every dialect shares

#: The value of ``--kubeflow-distribution`` that says the cluster is OpenShift.
OPENSHIFT_AI = "openshift-ai"
#: OpenShift's internal image registry: an image there runs on that cluster only.
INTERNAL_REGISTRY = "image-registry.openshift-image-registry.svc"
#: Workload kinds only OpenShift serves: a pod of one runs on OpenShift.
OPENSHIFT_KINDS = ("DeploymentConfig",)
#: The run index key of the inputs' Routes: ``(namespace, file, line, Service)`` (see
#: :func:`route_entry`).
ROUTES = "openshift/routes"
#: The cluster roles OpenShift gives each SCC's ``use`` (``system:openshift:scc:anyuid``).
SCC_CLUSTER_ROLE = "ClusterRole/system:openshift:scc:"
#: The SCC every authenticated user may use: a grant of it is no other SCC.
DEFAULT_SCC = "restricted-v2"
#: What a refusal by restricted-v2 takes for granted for a workload of raw manifests.
WORKLOAD_SCC_ASSUMPTION = (
    "the pod's ServiceAccount may use no SCC but restricted-v2 (OpenShift's default; an "
    "administrator may grant it another, such as anyuid or nonroot-v2, which no binding or "
    "SCC among the inputs does)"
)


def is_route(root: Any) -> bool:
    """An OpenShift Route (cheap: no walk): ``route.openshift.io/v1``, or OpenShift 3's legacy
    ``v1`` (no Kubernetes API has a kind Route; old Templates still write it so)."""
    if not isinstance(root, dict) or root.get("kind") != "Route":
        return False
    api = root.get("apiVersion")
    return isinstance(api, str) and (api.startswith("route.openshift.io/") or api == "v1")


def route_entry(file: str, root: Any) -> tuple[str | None, str, int, str | None]:
    """``(namespace, file, line, Service)`` of a Route, for the index: the Service it sends
    traffic to (None: another kind, or none named), placed at ``spec.to.name``."""
    spec = root.get("spec")
    target = spec.get("to") if isinstance(spec, dict) else None
    target = target if isinstance(target, dict) else {}
    service = target.get("name")
    if target.get("kind", "Service") != "Service" or not isinstance(service, str) or not service:
        service = None
    metadata = root.get("metadata")
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    from nblint.load.provenance import tree_position

    line, _ = tree_position(root, ("spec", "to", "name") if service else ("kind",))
    return (namespace if isinstance(namespace, str) and namespace else None), file, line, service


def namespace_sign(index: Any, namespace: Any) -> str | None:
    """The namespace's ``openshift.io/sa.scc.uid-range`` annotation, said, when the inputs (or
    ``--cluster-context``) give the namespace with it."""
    from nblint.model.document import CLUSTER_INDEX
    from nblint.model.unknowable import is_unknowable_name

    if not index.get(CLUSTER_INDEX):
        return None  # no namespace objects: nothing of the namespace model is imported
    if not isinstance(namespace, str) or not namespace or is_unknowable_name(namespace):
        return None
    from nblint.model.namespace import SCC_UID_RANGE, ClusterContext

    manifest = index.view(CLUSTER_INDEX, ClusterContext.build).namespace(namespace).manifest
    located = manifest.scc_ranges.get(SCC_UID_RANGE) if manifest is not None else None
    if located is None:
        return None
    origin = located.origin
    return f"namespace {namespace}'s {SCC_UID_RANGE} ({origin.file}:{origin.line})"


def workload_sign(
    spec: dict[str, Any],
    namespace: str | None,
    file: str,
    names: tuple[str, ...],
    index: Any,
    settings: dict[str, Any],
    kind: str | None = None,
) -> str | None:
    """``assumed: OpenShift, …`` when a pod of raw manifests (``spec``, in ``namespace`` —
    None: the object names none —, written in ``file``; ``names``: the object's name and the
    values of its pod labels, a Service named after it being its own) runs on OpenShift by a
    strong sign; None when nothing says so. The signs, strongest first:

    * ``--kubeflow-distribution openshift-ai`` (the one option that says the cluster is
      OpenShift), or a workload ``kind`` only OpenShift serves (a DeploymentConfig);
    * the pod's namespace, among the inputs or ``--cluster-context``, carries OpenShift's
      ``openshift.io/sa.scc.uid-range`` annotation;
    * a container's image is from OpenShift's internal registry, which no other cluster serves;
    * a ``route.openshift.io`` Route among the inputs tied to the workload: in its file and
      namespace (a file is applied as a whole), in the same namespace named on both sides, or —
      neither naming one — in its directory and sending traffic to a Service named after the
      workload or one of its pod labels' values. A Route elsewhere in a tree says only that
      some namespace is OpenShift's, not that this pod's is."""
    if settings.get("kubeflow_distribution") == OPENSHIFT_AI:
        return "assumed: OpenShift, as --kubeflow-distribution openshift-ai says"
    if kind in OPENSHIFT_KINDS:
        return f"assumed: OpenShift, the one platform that serves a {kind}"
    given = settings.get("namespace")
    namespace = namespace or (given if isinstance(given, str) and given else None)
    from_namespace = namespace_sign(index, namespace)
    if from_namespace is not None:
        return f"assumed: OpenShift, from {from_namespace}"
    for list_name in ("initContainers", "containers", "ephemeralContainers"):
        containers = spec.get(list_name)
        for container in containers if isinstance(containers, list) else ():
            image = container.get("image") if isinstance(container, dict) else None
            if isinstance(image, str) and INTERNAL_REGISTRY in image:
                return (
                    f"assumed: OpenShift, from container {container.get('name')}'s image, in "
                    "OpenShift's internal registry"
                )
    routes = index.get(ROUTES)
    if not routes:
        return None
    import os

    from nblint.model.unknowable import is_unknowable_name

    def known(value: str | None) -> bool:
        return value is not None and not is_unknowable_name(value)

    for route_namespace, route_file, line, service in routes:
        if route_namespace is None and isinstance(given, str) and given:
            route_namespace = given
        if known(namespace) and known(route_namespace):
            tied = namespace == route_namespace
        elif route_file == file:
            tied = True
        else:
            tied = (
                namespace is None
                and route_namespace is None
                and os.path.dirname(route_file) == os.path.dirname(file)
                and service is not None
                and service in names
            )
        if tied:
            return f"assumed: OpenShift, from the Route at {route_file}:{line}"
    return None


def other_scc(
    spec: dict[str, Any], namespace: str | None, file: str, index: Any, settings: dict[str, Any]
) -> str | None:
    """How the inputs let the pod's ServiceAccount use an SCC other than restricted-v2, in words;
    None when nothing does. A binding (a RoleBinding to
    ``ClusterRole/system:openshift:scc:anyuid``, or to a role of the inputs that grants ``use``
    of ``securitycontextconstraints``), else an SCC's own ``users:`` entry naming the
    ServiceAccount or ``groups:`` entry naming every one of its namespace or of the cluster
    (:class:`nblint.model.rbac.SccGrant`). The pod may then be admitted by that SCC, which
    nblint does not model. The one place this is decided, for every dialect."""
    from nblint.model.rbac import BINDINGS_INDEX, SCC_GRANTS_INDEX, SCC_ROLES_INDEX

    bindings = index.get(BINDINGS_INDEX)
    scc_lists = index.get(SCC_GRANTS_INDEX)
    if not bindings and not scc_lists:
        return None
    granting = []
    grants: dict[int, str] = {}
    if bindings:
        roles: dict[str, list[Any]] = {}
        for role in index.get(SCC_ROLES_INDEX):
            roles.setdefault(role.role, []).append(role)
        for binding in bindings:
            said = _scc_of(binding, roles)
            if said is not None:
                granting.append(binding)
                grants[id(binding)] = said
    for grant in scc_lists:
        if grant.scc != DEFAULT_SCC:
            granting.append(grant)
            grants[id(grant)] = grant.scc
    if not granting:
        return None
    given = settings.get("namespace")
    namespace = namespace or (given if isinstance(given, str) and given else None)
    found = _bound(spec, namespace, granting, file)
    if found is None:
        return None
    where = f"{found.origin.file}:{found.origin.line}"
    return f"{found.text()} at {where}, which grants use of the SCC {grants[id(found)]}"


def other_scc_message(
    object_label: str | None,
    sign: str,
    spec: dict[str, Any],
    other: str,
    creator: str | None = None,
) -> str:
    """``openshift-scc-other``'s message, for a pod of any dialect (``object_label``: the
    object whose pod it is, ``Deployment/lab``; a z2jh release's user pod: ``None``;
    ``creator``: the ServiceAccount granted, when it is not the pod's but the one that creates
    the pod, whose SCCs admission tries too — the z2jh hub's)."""
    from nblint.model.rbac import service_account

    pod = f"the pod of {object_label}" if object_label else "the user pod"
    who = (
        f"its ServiceAccount {service_account(spec)}"
        if creator is None
        else f"the ServiceAccount {creator} that creates it (the hub's)"
    )
    return (
        f"{pod} runs on OpenShift ({sign}), but {who} may use an SCC other than restricted-v2 "
        f"({other}): nblint does not model which SCC admits the pod, so it judges the pod as "
        "written, without what restricted-v2 would assign or refuse"
    )


#: The pod fact that says a binding lets the pod's ServiceAccount use another SCC: nothing of
#: restricted-v2 is checked (``openshift-scc-range`` included).
OTHER_SCC_FACT = "openshift_other_scc"


def _bound(spec: dict[str, Any], namespace: str | None, grants: list[Any], file: str) -> Any:
    """The first of ``grants`` (bindings' ServiceAccount subjects, SCCs' list entries) that
    certainly names the pod's ServiceAccount: in the namespace both name, or — either naming
    none, or a placeholder — applied with it (one directory); an SCC's entry for every
    ServiceAccount of the cluster names it anywhere. Stricter than a token's binding
    (:func:`nblint.model.rbac.binding_of`), which holds a fix back on a maybe: saying that
    another SCC admits the pod must be true."""
    import os

    from nblint.model.rbac import service_account
    from nblint.model.unknowable import is_unknowable_name

    account = service_account(spec)
    for grant in grants:
        if getattr(grant, "everywhere", False):
            return grant
        if grant.account is not None and grant.account != account:
            continue
        theirs = grant.namespace
        if (
            namespace is not None
            and theirs is not None
            and not is_unknowable_name(namespace)
            and not is_unknowable_name(theirs)
        ):
            if namespace == theirs:
                return grant
        elif os.path.dirname(grant.origin.file) == os.path.dirname(file):
            return grant
    return None


def _scc_of(binding: Any, roles: dict[str, list[Any]]) -> str | None:
    """The SCC(s) other than restricted-v2 that ``binding``'s role lets its subjects use."""
    if binding.role.startswith(SCC_CLUSTER_ROLE):
        name = binding.role[len(SCC_CLUSTER_ROLE) :]
        return name if name and name != DEFAULT_SCC else None
    for role in roles.get(binding.role, ()):
        if role.namespace is not None and binding.namespace not in (None, role.namespace):
            continue
        others = [name for name in role.sccs if name != DEFAULT_SCC]
        if not role.sccs:
            return f"any ({role.role} grants use of every SCC)"
        if others:
            return ", ".join(others)
    return None
