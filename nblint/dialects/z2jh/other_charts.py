"""Values written for another JupyterHub chart than z2jh, which nblint does not model.

Bitnami's ``jupyterhub`` chart has the same top sections as z2jh (``hub``, ``proxy``,
``singleuser``) but values of its own shape (``singleuser.containerSecurityContext``,
``singleuser.persistence``, ``hub.adminUser``…), which it renders into z2jh-style configuration
for the hub. Read as z2jh values they would give a page of untrue findings (unknown keys, pods
built from z2jh's defaults). They are recognised by the chart beside them (a ``jupyterhub``
dependency from Bitnami's repository) or by keys only Bitnami's chart takes, and said to be
unchecked instead.
"""

from __future__ import annotations

from nblint.model.pod import Path, format_path, get_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Whose chart the values below are for, in messages.
BITNAMI = "Bitnami's jupyterhub chart"
#: Where Bitnami publishes its charts (a dependency's ``repository``).
BITNAMI_REPOSITORIES = ("charts.bitnami.com", "bitnamicharts")
#: Keys only Bitnami's chart takes: none is a z2jh key in any 3.x or 4.x release (a test holds
#: this to the schemas), so a z2jh user writes one only by mistake.
BITNAMI_KEYS: tuple[Path, ...] = (
    ("hub", "adminUser"),
    ("hub", "password"),
    ("hub", "configuration"),
    ("hub", "existingConfigmap"),
    ("hub", "extraEnvVars"),
    # A z2jh user may write a securityContext here by mistake; the `enabled` switch is Bitnami's.
    ("proxy", "containerSecurityContext", "enabled"),
    ("proxy", "podSecurityContext", "enabled"),
    # Bitnami's proxy Services and Ingress (z2jh has `proxy.service.type` and a top `ingress`).
    ("proxy", "service", "public"),
    ("proxy", "ingress"),
    ("singleuser", "containerSecurityContext", "enabled"),
    ("singleuser", "podSecurityContext", "enabled"),
    ("singleuser", "persistence"),
    ("singleuser", "notebookDir"),
    ("singleuser", "extraEnvVars"),
    ("singleuser", "sidecars"),
    ("singleuser", "image", "registry"),
    ("singleuser", "image", "repository"),
    ("postgresql",),
    ("externalDatabase",),
    ("auxiliaryImage",),
)
#: How many such keys make values Bitnami's: one alone is more likely a z2jh user's mistake,
#: which z2jh-unknown-key reports.
MIN_KEYS = 2


def from_other_repository(repository: str | None) -> str | None:
    """Whose chart a ``jupyterhub`` dependency from ``repository`` is, when not z2jh's."""
    if repository and any(host in repository for host in BITNAMI_REPOSITORIES):
        return BITNAMI
    return None


def other_chart_keys(values: Any) -> list[Path]:
    """The keys of ``values`` (at the z2jh root) that only another chart takes, when there are
    enough of them to say the values are that chart's; else none."""
    found = [key for key in BITNAMI_KEYS if get_path(values, key)[0]]
    return found if len(found) >= MIN_KEYS else []


def other_chart_message(keys: list[Path], root: Path, chart_file: str | None = None) -> str:
    """Why the values were not checked: the chart file that names the other chart, or the keys."""
    where = f"the values under `{format_path(root)}`" if root else "these values"
    if chart_file is not None:
        reason = f"{chart_file} installs `jupyterhub` from Bitnami's repository, not z2jh's"
    else:
        shown = ", ".join(f"`{format_path((*root, *key))}`" for key in keys[:3])
        more = f" and {len(keys) - 3} more" if len(keys) > 3 else ""
        reason = f"{shown}{more} are keys of {BITNAMI}, not of z2jh"
    return (
        f"{reason}: nblint models the z2jh chart only and checked none of {where} (that chart "
        "takes values of its own shape and renders them into the hub's configuration)"
    )
