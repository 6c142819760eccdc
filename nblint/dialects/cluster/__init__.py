"""The cluster around the pods: Namespace, LimitRange, ResourceQuota, Kubeflow Profile,
PersistentVolumeClaim, PersistentVolume, the API server's PodSecurity configuration
(AdmissionConfiguration), RuntimeClass (applied to the pods that name it), the RoleBindings and
ClusterRoleBindings that give ServiceAccounts API rights, OpenShift's SecurityContextConstraints
(for the ServiceAccounts their own ``users:`` and ``groups:`` let use them), and the Services and
Ingresses that expose pods outside the cluster.

These documents yield no pod. Their indexer files them in the run index for the namespace
context every pod is admitted by (:mod:`nblint.model.namespace`) and, for the bindings, for the
pods whose ServiceAccount they bind (:mod:`nblint.model.rbac`); their normaliser reports what
is wrong with the objects themselves (an invalid PSA label, a quota key nothing is charged for, a
PVC its namespace refuses). Read from the inputs, or from ``--cluster-context`` and
``--admission-config`` (what is already in the cluster).
"""

from __future__ import annotations

from nblint.dialects.base import Dialect
from nblint.model.exposure import EXPOSURE_MARKERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The bindings, read for the ServiceAccounts they give a role (:mod:`.bindings`).
BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
_RBAC_API_VERSIONS = frozenset(
    {
        "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1",
        "rbac.authorization.k8s.io/v1alpha1",
    }
)
#: OpenShift's own forms of the same objects, which it still serves with the same meaning:
#: ``authorization.openshift.io/v1`` and OpenShift 3's group-less ``v1`` (with the legacy
#: ``userNames``/``groupNames`` and a ``roleRef`` without ``kind`` or ``apiGroup``).
OPENSHIFT_RBAC_API_VERSIONS = frozenset({"authorization.openshift.io/v1", "v1"})

#: The roles, read only when they grant ``use`` of OpenShift's SCCs (:mod:`.bindings`).
SCC_ROLE_KINDS = ("Role", "ClusterRole")

#: OpenShift's SCC, read for the ServiceAccounts its ``users:``/``groups:`` name (:mod:`.bindings`).
SCC_KIND = "SecurityContextConstraints"

#: kind → the apiVersions it is read from.
KINDS: dict[str, frozenset[str]] = {
    "Namespace": frozenset({"v1"}),
    "LimitRange": frozenset({"v1"}),
    "ResourceQuota": frozenset({"v1"}),
    "PersistentVolumeClaim": frozenset({"v1"}),
    "PersistentVolume": frozenset({"v1"}),
    "Profile": frozenset({"kubeflow.org/v1", "kubeflow.org/v1beta1"}),
    "AdmissionConfiguration": frozenset(
        {
            "apiserver.config.k8s.io/v1",
            "apiserver.config.k8s.io/v1alpha1",
            "apiserver.k8s.io/v1alpha1",
        }
    ),
    "PodSecurityConfiguration": frozenset(
        {
            "pod-security.admission.config.k8s.io/v1",
            "pod-security.admission.config.k8s.io/v1beta1",
            "pod-security.admission.config.k8s.io/v1alpha1",
        }
    ),
    # Read for the scheduling and overhead the RuntimeClass admission plugin gives the pods
    # that name it (:mod:`.runtime_class`).
    "RuntimeClass": frozenset({"node.k8s.io/v1", "node.k8s.io/v1beta1"}),
    **dict.fromkeys(BINDING_KINDS, _RBAC_API_VERSIONS | OPENSHIFT_RBAC_API_VERSIONS),
    **dict.fromkeys(SCC_ROLE_KINDS, _RBAC_API_VERSIONS | OPENSHIFT_RBAC_API_VERSIONS),
    # What exposes pods outside the cluster (nblint.model.exposure; the z2jh dialect, which
    # claims OpenShift Routes, indexes those).
    "Service": frozenset({"v1"}),
    "Ingress": frozenset(
        {"networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1"}
    ),
    SCC_KIND: frozenset({"security.openshift.io/v1"}),
}
#: The kinds read only for the pods they expose outside the cluster.
EXPOSURE_KINDS = ("Service", "Ingress")


def is_cluster_object(root: Any) -> bool:
    if not isinstance(root, dict):
        return False
    kind, api = root.get("kind"), root.get("apiVersion")
    if not (
        isinstance(kind, str) and kind in KINDS and isinstance(api, str) and api in KINDS[kind]
    ):
        return False
    return kind not in SCC_ROLE_KINDS or grants_scc_use(root)


def grants_scc_use(root: dict[str, Any]) -> bool:
    """A role with a rule on ``securitycontextconstraints`` (cheap: its rules' resources only;
    any other role stays a document nblint skips)."""
    rules = root.get("rules")
    for rule in rules if isinstance(rules, list) else ():
        resources = rule.get("resources") if isinstance(rule, dict) else None
        if isinstance(resources, list) and "securitycontextconstraints" in resources:
            return True
    return False


CLUSTER = Dialect(
    name="cluster",
    claims=lambda root, settings: is_cluster_object(root),
    normaliser="nblint.dialects.cluster.entry:normalise",
    fix_labels=(
        (
            "cluster",
            "Namespace, LimitRange, ResourceQuota, Profile or AdmissionConfiguration manifest",
        ),
    ),
    indexer="nblint.dialects.cluster.entry:index",
    # The kind names as a document writes them (`kind: Profile`, `"Profile"`): a bare
    # "Profile" would match every seccompProfile and read those files whole in the first phase.
    index_markers=(
        *("Namespace", "LimitRange", "ResourceQuota", "PodSecurityConfiguration"),
        "AdmissionConfiguration",
        *("kind: Profile", "kind:Profile", '"Profile"', "'Profile'"),
        # The claims and volumes a fix may name (nblint.model.storage): both kinds.
        *("kind: PersistentVolume", "kind:PersistentVolume", '"PersistentVolume'),
        # RoleBinding and ClusterRoleBinding.
        "RoleBinding",
        # A Role or ClusterRole that grants use of OpenShift's SCCs.
        "securitycontextconstraints",
        # Services and Ingresses (kind: ServiceAccount matches too, harmlessly).
        *EXPOSURE_MARKERS,
        # An SCC itself, whose users/groups may name ServiceAccounts: the kind only (one word,
        # looked for once per file).
        *("kind: SecurityContextConstraints", "kind:SecurityContextConstraints"),
        *('"SecurityContextConstraints"', "'SecurityContextConstraints'"),
        # A RuntimeClass (a pod's `runtimeClassName` starts with a small r).
        "RuntimeClass",
    ),
    cluster_wide=True,
)
