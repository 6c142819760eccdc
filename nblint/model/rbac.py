"""The API rights the inputs give ServiceAccounts: each RoleBinding or ClusterRoleBinding subject
that is a ServiceAccount (the cluster dialect reads them into the run index), and which of them
binds the ServiceAccount of a pod.

A pod whose ServiceAccount is bound to a role among the inputs uses the API with its token: the
inputs say so. Its token is then not to be taken away by a fix (``automountServiceAccountToken:
false`` would break what it does), though the notebook checklist still says that code run in
the notebook holds those rights. It says nothing about what the pod is: a notebook that starts
Spark executors or reads its namespace's objects is bound as much as the hub is.
"""

from __future__ import annotations

from nblint.model.document import BINDINGS_INDEX
from nblint.model.pod import Origin
from nblint.model.record import Record
from nblint.model.unknowable import may_share_namespace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = [
    "BINDINGS_INDEX",
    "FACT",
    "SCC_GRANTS_INDEX",
    "SCC_ROLES_INDEX",
    "AccountBinding",
    "SccGrant",
    "SccRole",
    "binding_of",
    "service_account",
    "service_account_user",
]

#: The run index key of the roles among the inputs that grant ``use`` of OpenShift's
#: SecurityContextConstraints (:class:`SccRole`).
SCC_ROLES_INDEX = "cluster/scc-roles"

#: The run index key of the ServiceAccounts an OpenShift SecurityContextConstraints object among
#: the inputs lets use it by its own ``users:`` and ``groups:`` lists (:class:`SccGrant`).
SCC_GRANTS_INDEX = "cluster/scc-grants"

#: The pod fact that names the binding of its ServiceAccount (see :func:`binding_of`).
FACT = "service_account_binding"


class AccountBinding(Record):
    """One ServiceAccount a binding among the inputs gives a role's rights."""

    __slots__ = ("account", "binding", "namespace", "origin", "role")

    def __init__(
        self, account: str, namespace: str | None, binding: str, role: str, origin: Origin
    ) -> None:
        #: The ServiceAccount's name.
        self.account = account
        #: Its namespace (the subject's, else the RoleBinding's), or None when the inputs do not
        #: say (then it may be any pod's).
        self.namespace = namespace
        #: The binding, as ``RoleBinding/name``.
        self.binding = binding
        #: The role it binds, as ``ClusterRole/edit``.
        self.role = role
        #: Where the subject is written.
        self.origin = origin

    def text(self) -> str:
        """In words, for a finding: ``RoleBinding/spark binds ServiceAccount spark to
        Role/spark-driver``."""
        return f"{self.binding} binds ServiceAccount {self.account} to {self.role}"


class SccRole(Record):
    """A Role or ClusterRole among the inputs whose rules grant ``use`` of OpenShift's
    ``securitycontextconstraints`` (group ``security.openshift.io``): whoever it is bound to may
    have a pod admitted by those SCCs."""

    __slots__ = ("namespace", "origin", "role", "sccs")

    def __init__(
        self, role: str, namespace: str | None, sccs: tuple[str, ...], origin: Origin
    ) -> None:
        #: As a binding's roleRef says it: ``ClusterRole/name`` or ``Role/name``.
        self.role = role
        #: A Role's namespace (None: a ClusterRole, or a Role that names none).
        self.namespace = namespace
        #: The SCCs by name (``resourceNames``); empty: every SCC.
        self.sccs = sccs
        #: Where the rule is written.
        self.origin = origin


class SccGrant(Record):
    """One entry of an SCC's ``users:`` or ``groups:`` list that names ServiceAccounts: the
    SCC grants them its use itself, with no RBAC (what ``oc adm policy add-scc-to-user`` wrote
    before OpenShift 4). ``system:serviceaccount:NS:NAME`` is one ServiceAccount,
    ``system:serviceaccounts:NS`` every one of a namespace, ``system:serviceaccounts`` and
    ``system:authenticated`` every one of the cluster."""

    __slots__ = ("account", "everywhere", "field", "namespace", "origin", "scc", "subject")

    def __init__(
        self,
        scc: str,
        field: str,
        subject: str,
        account: str | None,
        namespace: str | None,
        everywhere: bool,
        origin: Origin,
    ) -> None:
        #: The SCC's name.
        self.scc = scc
        #: ``users`` or ``groups``.
        self.field = field
        #: The entry as written (``system:serviceaccount:jlab:jlab-sa``).
        self.subject = subject
        #: The ServiceAccount's name; None: every one (of ``namespace``, or ``everywhere``).
        self.account = account
        #: Its namespace as written (may be a placeholder); None with ``everywhere``.
        self.namespace = namespace
        #: Whether it names every ServiceAccount of the cluster.
        self.everywhere = everywhere
        #: Where the entry is written.
        self.origin = origin

    def text(self) -> str:
        """In words, for a finding: ``SecurityContextConstraints/jlab-scc lists
        system:serviceaccount:jlab:jlab-sa in its users``."""
        return f"SecurityContextConstraints/{self.scc} lists {self.subject} in its {self.field}"


def service_account_user(user: str) -> tuple[str, str] | None:
    """``(namespace, name)`` of the ServiceAccount whose user name ``user`` is
    (``system:serviceaccount:NS:NAME``, what its token authenticates as); None for another user
    or a malformed name."""
    parts = user.split(":")
    if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"] and all(parts[2:]):
        return parts[2], parts[3]
    return None


def scc_grant(scc: str, field: str, subject: str, origin: Origin) -> SccGrant | None:
    """The grant an SCC's ``users:``/``groups:`` entry makes to ServiceAccounts; None when it
    names none (a user, another group, a malformed name)."""
    if field == "users":
        named = service_account_user(subject)
        if named is not None:
            return SccGrant(scc, field, subject, named[1], named[0], False, origin)
        return None
    if subject in ("system:serviceaccounts", "system:authenticated"):
        return SccGrant(scc, field, subject, None, None, True, origin)
    prefix = "system:serviceaccounts:"
    if subject.startswith(prefix) and len(subject) > len(prefix):
        return SccGrant(scc, field, subject, None, subject[len(prefix) :], False, origin)
    return None


def service_account(spec: Any) -> str:
    """The ServiceAccount a pod runs as: ``serviceAccountName``, else the deprecated
    ``serviceAccount``, else ``default`` (what the ServiceAccount admission plugin sets)."""
    if isinstance(spec, dict):
        for key in ("serviceAccountName", "serviceAccount"):
            name = spec.get(key)
            if isinstance(name, str) and name:
                return name
    return "default"


def binding_of(
    spec: Any, namespace: str | None, bindings: Iterable[AccountBinding], file: str | None = None
) -> AccountBinding | None:
    """The first binding of ``bindings`` that gives the ServiceAccount of the pod ``spec`` (in
    ``namespace``, None when unknown; written in ``file``) a role. A namespace that is unknown
    or a placeholder on either side may be the other's: a fix is then held back rather than
    risked. A binding that names no namespace (nor does a kustomization or ``--namespace`` give
    it one) binds in the namespace it is applied to: a pod that names its namespace may share it
    only when the two are applied together (written in one directory). So with a placeholder
    on one side or both (``${STUDENT_NAME}`` of an OpenShift Template, filled in when it is
    processed): the pod of another tree is not taken to be in the binding's namespace."""
    account = service_account(spec)
    for binding in bindings:
        if binding.account != account:
            continue
        # A pod that names no namespace may be in any binding's (a fix is held back, not risked).
        if namespace is not None and not may_share_namespace(
            namespace, file, binding.namespace, binding.origin.file
        ):
            continue
        return binding
    return None
