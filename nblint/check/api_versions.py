"""Objects written with an API version the Kubernetes API server no longer serves.

The table ``tables/removed-apis.yaml`` lists each removed group/version, the kinds it served
and the release that removed it. The run asks :func:`refused` of every object a dialect reads,
before indexing or normalising it: an object the API server refuses creates nothing (no pod, no
binding, no namespace), so it gets one ``api-version-removed`` finding at its ``apiVersion`` and
nothing else of it is checked. A workload written with no ``apiVersion`` at all is refused as
well (:func:`missing`: ``api-version-missing``, at its ``kind``).
"""

from __future__ import annotations

from nblint.check import tables
from nblint.model.finding import Reported
from nblint.model.pod import Origin
from nblint.model.rule import format_version, parse_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The rule that says an object is refused for its API version.
RULE = "api-version-removed"
#: The rule that says an object is refused for having none.
MISSING_RULE = "api-version-missing"
#: The API version that serves each kind nblint builds a pod from (the hint of a missing one).
SERVED = {
    "Pod": "v1",
    "PodTemplate": "v1",
    "ReplicationController": "v1",
    "Deployment": "apps/v1",
    "StatefulSet": "apps/v1",
    "DaemonSet": "apps/v1",
    "ReplicaSet": "apps/v1",
    "Job": "batch/v1",
    "CronJob": "batch/v1",
    "DeploymentConfig": "apps.openshift.io/v1",
}
TABLE, KEY = "removed-apis", "removed"


def _removal(api: str, kind: str) -> dict[str, Any] | None:
    """The table's entry that removes ``kind`` of ``api``, or None."""
    entries = tables.entries(TABLE, KEY)
    by_api = _by_api.get(id(entries))
    if by_api is None:
        # Asked of every object of a run: the table by API version, once per table.
        _by_api.clear()
        grouped: dict[Any, list[dict[str, Any]]] = {}
        for entry in entries:
            grouped.setdefault(entry.get("api"), []).append(entry)
        by_api = _by_api[id(entries)] = (grouped, entries)
    for entry in by_api[0].get(api, ()):
        kinds = entry.get("kinds")
        if kinds is None or (isinstance(kinds, list) and kind in kinds):
            return entry
    return None


#: id(table entries) → (entries by API version, the entries, kept alive so the id stays theirs).
_by_api: dict[int, tuple[dict[Any, list[dict[str, Any]]], list[dict[str, Any]]]] = {}


def refused(root: Any, file: str, version: tuple[int, int]) -> Reported | None:
    """The finding for an object (``root``, a document or a ``kind: List`` item of ``file``)
    that an API server of Kubernetes ``version`` refuses for its ``apiVersion``; None when it
    serves it."""
    if not isinstance(root, dict):
        return None
    api, kind = root.get("apiVersion"), root.get("kind")
    if not isinstance(api, str) or not isinstance(kind, str):
        return None
    entry = _removal(api, kind)
    if entry is None:
        return None
    try:
        removed = parse_version(str(entry.get("removed")))
    except ValueError:
        return None  # a team's table entry that names no release: no claim
    if version < removed:
        return None
    line, column = getattr(root, "key_pos", {}).get("apiVersion", getattr(root, "pos", (1, 1)))
    use = entry.get("use") if isinstance(entry.get("use"), str) else None
    note = entry.get("note") if isinstance(entry.get("note"), str) else None
    message = (
        f"{kind} in {api} was removed in Kubernetes {format_version(removed)}: the API server "
        f"(nblint checks for {format_version(version)}, --psa-version) refuses the object "
        f'(no matches for kind "{kind}" in version "{api}"), which creates nothing; nothing '
        "else of it is checked"
    )
    if use:
        hint = f"apiVersion: {use}" + (f"   # {note}" if note else "")
    else:
        hint = f"# {note}" if note else f"# no API version serves {kind} any more: remove it"
    metadata = root.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    shown = f"{kind}/{name}" if isinstance(name, str) and name else None
    return Reported(RULE, message, Origin(file, line, column), object=shown, fix=hint)


def missing(root: Any, file: str) -> Reported | None:
    """The finding for a workload (``root``) written with ``kind`` and no ``apiVersion`` (or a
    null one), which the API server refuses; None when it has one."""
    if not isinstance(root, dict) or root.get("apiVersion") is not None:
        return None
    kind = root.get("kind")
    if not isinstance(kind, str):
        return None
    line, column = getattr(root, "key_pos", {}).get("kind", getattr(root, "pos", (1, 1)))
    message = (
        f"the {kind} has no apiVersion: the API server refuses the object (Object 'apiVersion' "
        "is missing), which creates nothing; nothing else of it is checked"
    )
    use = SERVED.get(kind)
    hint = f"apiVersion: {use}" if use else "# the apiVersion that serves the kind"
    metadata = root.get("metadata")
    name = metadata.get("name") if isinstance(metadata, dict) else None
    shown = f"{kind}/{name}" if isinstance(name, str) and name else None
    return Reported(MISSING_RULE, message, Origin(file, line, column), object=shown, fix=hint)


__all__ = ["MISSING_RULE", "RULE", "missing", "refused"]
