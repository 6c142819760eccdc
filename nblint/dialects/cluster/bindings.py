"""RoleBindings and ClusterRoleBindings → the ServiceAccounts they give a role's rights
(:class:`nblint.model.rbac.AccountBinding`), for the run index. They yield no pod and nblint
reports nothing about them: they say which pods use the API with their token."""

from __future__ import annotations

from nblint.dialects.cluster import BINDING_KINDS
from nblint.load.provenance import tree_position
from nblint.model.document import Recognised
from nblint.model.pod import Origin
from nblint.model.rbac import AccountBinding

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BINDING_KINDS", "account_bindings"]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def account_bindings(document: Recognised, settings: dict[str, Any]) -> list[AccountBinding]:
    """The ServiceAccount subjects of one binding, each with its namespace: the subject's, else
    (a RoleBinding's) the binding's own, as the API server's authorizer reads it."""
    root = document.root
    kind = root["kind"]
    metadata = _mapping(root.get("metadata"))
    name = _text(metadata.get("name")) or f"(document {document.index + 1})"
    own_namespace = None
    if kind == "RoleBinding":
        own_namespace = _text(metadata.get("namespace")) or _text(settings.get("namespace"))
    role_ref = _mapping(root.get("roleRef"))
    role = f"{_text(role_ref.get('kind')) or 'Role'}/{_text(role_ref.get('name')) or '?'}"
    subjects = root.get("subjects")
    out = []
    for index, subject in enumerate(subjects if isinstance(subjects, list) else ()):
        subject = _mapping(subject)
        account = _text(subject.get("name"))
        if subject.get("kind") != "ServiceAccount" or account is None:
            continue
        line, column = tree_position(root, ("subjects", index, "name"))
        out.append(
            AccountBinding(
                account,
                _text(subject.get("namespace")) or own_namespace,
                f"{kind}/{name}",
                role,
                Origin(document.file, line, column),
            )
        )
    return out
