"""RoleBindings and ClusterRoleBindings → the ServiceAccounts they give a role's rights
(:class:`nblint.model.rbac.AccountBinding`), for the run index; the roles that grant ``use`` of
OpenShift's SCCs; and an SCC's own ``users:``/``groups:`` entries that name ServiceAccounts
(:class:`nblint.model.rbac.SccGrant`). They yield no pod and nblint reports nothing about them:
they say which pods use the API with their token, and which may use an SCC other than
restricted-v2."""

from __future__ import annotations

from nblint.dialects.cluster import (
    BINDING_KINDS,
    OPENSHIFT_RBAC_API_VERSIONS,
    SCC_KIND,
    SCC_ROLE_KINDS,
)
from nblint.load.provenance import tree_position
from nblint.model.document import Recognised
from nblint.model.pod import Origin
from nblint.model.rbac import (
    AccountBinding,
    SccGrant,
    SccRole,
    scc_grant,
    service_account_user,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "BINDING_KINDS",
    "SCC_KIND",
    "SCC_ROLE_KINDS",
    "account_bindings",
    "scc_grants",
    "scc_roles",
]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def account_bindings(document: Recognised, settings: dict[str, Any]) -> list[AccountBinding]:
    """The ServiceAccounts one binding gives a role, each with its namespace: the subject's, else
    (a RoleBinding's) the binding's own, as the API server's authorizer reads it. A subject is a
    ServiceAccount, or a user (``User``; OpenShift's ``SystemUser`` too) named as one
    (``system:serviceaccount:NS:NAME``, the user its token authenticates as). OpenShift's own
    forms (``authorization.openshift.io/v1``, OpenShift 3's ``v1``) mean the same; when their
    legacy ``userNames`` or ``groupNames`` are given, OpenShift reads those instead of
    ``subjects``. Groups are not read (a group of every ServiceAccount of a namespace binds no
    one pod's ServiceAccount by name)."""
    root = document.root
    kind = root["kind"]
    name, own_namespace = _named(document, settings, "RoleBinding")
    openshift = root.get("apiVersion") in OPENSHIFT_RBAC_API_VERSIONS
    role = _role(_mapping(root.get("roleRef")), openshift)
    binding = f"{kind}/{name}"

    def bound(account: str, namespace: str | None, at: tuple[Any, ...]) -> AccountBinding:
        line, column = tree_position(root, at)
        return AccountBinding(
            account, namespace, binding, role, Origin(document.file, line, column)
        )

    out = []
    users, groups = root.get("userNames"), root.get("groupNames")
    if openshift and ((isinstance(users, list) and users) or (isinstance(groups, list) and groups)):
        for index, user in enumerate(users if isinstance(users, list) else ()):
            named = service_account_user(user) if isinstance(user, str) else None
            if named is not None:
                out.append(bound(named[1], named[0], ("userNames", index)))
        return out
    subjects = root.get("subjects")
    for index, subject in enumerate(subjects if isinstance(subjects, list) else ()):
        subject = _mapping(subject)
        account = _text(subject.get("name"))
        if account is None:
            continue
        if subject.get("kind") == "ServiceAccount":
            namespace = _text(subject.get("namespace")) or own_namespace
            out.append(bound(account, namespace, ("subjects", index, "name")))
        elif subject.get("kind") in _USER_KINDS:
            named = service_account_user(account)
            if named is not None:
                out.append(bound(named[1], named[0], ("subjects", index, "name")))
    return out


#: The subject kinds that name a user: rbac's, and OpenShift's for a ``system:`` one.
_USER_KINDS = ("User", "SystemUser")


def _role(role_ref: dict[str, Any], openshift: bool) -> str:
    """The role a binding's ``roleRef`` names, as ``ClusterRole/edit``. OpenShift's form may
    give no ``kind``: a ``namespace`` then names a Role of it, none a ClusterRole."""
    kind = _text(role_ref.get("kind"))
    if kind is None:
        kind = "Role" if not openshift or _text(role_ref.get("namespace")) else "ClusterRole"
    return f"{kind}/{_text(role_ref.get('name')) or '?'}"


#: The API group of OpenShift's SecurityContextConstraints.
SCC_GROUP = "security.openshift.io"


def scc_roles(document: Recognised, settings: dict[str, Any]) -> list[SccRole]:
    """The role, when one of its rules grants ``use`` (or ``*``) of ``securitycontextconstraints``
    in ``security.openshift.io`` (or ``*``): with the SCCs it names (none: every SCC)."""
    root = document.root
    kind = root["kind"]
    name, namespace = _named(document, settings, "Role")
    openshift = root.get("apiVersion") in OPENSHIFT_RBAC_API_VERSIONS
    rules = root.get("rules")
    out = []
    for index, rule in enumerate(rules if isinstance(rules, list) else ()):
        rule = _mapping(rule)
        groups, resources, verbs = (rule.get(k) for k in ("apiGroups", "resources", "verbs"))
        if not (
            isinstance(resources, list)
            and "securitycontextconstraints" in resources
            and isinstance(verbs, list)
            and ("use" in verbs or "*" in verbs)
            and (
                (isinstance(groups, list) and (SCC_GROUP in groups or "*" in groups))
                # OpenShift's form: no apiGroups means Kubernetes' and OpenShift's groups.
                or (openshift and not groups)
            )
        ):
            continue
        names = rule.get("resourceNames")
        sccs = tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else ()
        line, column = tree_position(root, ("rules", index))
        origin = Origin(document.file, line, column)
        out.append(SccRole(f"{kind}/{name}", namespace, sccs, origin))
    return out


def scc_grants(document: Recognised) -> list[SccGrant]:
    """The ServiceAccounts an SCC's own ``users:`` and ``groups:`` let use it (see
    :func:`nblint.model.rbac.scc_grant`); none for an SCC without a name (the API server
    refuses it). Entries of another type are skipped: the SCC's schema is not checked here."""
    root = document.root
    name = _text(_mapping(root.get("metadata")).get("name"))
    if name is None:
        return []
    out = []
    for field in ("users", "groups"):
        entries = root.get(field)
        for index, subject in enumerate(entries if isinstance(entries, list) else ()):
            if not isinstance(subject, str):
                continue
            line, column = tree_position(root, (field, index))
            grant = scc_grant(name, field, subject, Origin(document.file, line, column))
            if grant is not None:
                out.append(grant)
    return out


def _named(
    document: Recognised, settings: dict[str, Any], namespaced: str
) -> tuple[str, str | None]:
    """An RBAC object's name (its document's number when it has none) and, for the namespaced
    kind (``RoleBinding``, ``Role``), its namespace: its own, else ``--namespace``."""
    root = document.root
    metadata = _mapping(root.get("metadata"))
    name = _text(metadata.get("name")) or f"(document {document.index + 1})"
    if root["kind"] != namespaced:
        return name, None
    return name, _text(metadata.get("namespace")) or _text(settings.get("namespace"))
