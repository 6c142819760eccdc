"""What the API server does to every pod spec before admission sees it.

Shared by the dialects whose pods go through the API server (manifests, a Notebook's
StatefulSet template, the bare Pod KubeSpawner creates for a z2jh user, …). Facts that PSA's own
conformance fixtures rely on:

* a volume with no source becomes ``emptyDir``;
* a container's (and init container's) limit with no request is copied into ``requests``
  (``SetDefaults_Pod``). A pod template is not defaulted, but every pod a controller (or
  KubeSpawner) makes from one is, and that pod is the one nblint checks;
* on a bare Pod with ``hostNetwork: true``, a port's ``hostPort`` defaults to its
  ``containerPort`` (since Kubernetes 1.28 no longer applied to pod templates).
"""

from __future__ import annotations

from nblint.load.yaml_tree import to_plain
from nblint.model.origin import REQUEST_FROM_LIMIT
from nblint.model.pod import Origin, Path, iter_containers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    # A Protocol is for the type checker only (see nblint/__init__.py).
    class Defaultable(Protocol):
        """A provenance that can be told where a defaulted field comes from."""

        def locate(self, path: Path) -> Origin: ...

        def inject(self, path: Path, origin: Origin) -> None: ...


#: Volume fields that are not a volume source.
_NOT_A_SOURCE = {"name"}


def apply_api_defaults(spec: dict[str, Any], kind: str, provenance: Defaultable) -> dict[str, Any]:
    """The spec after API-server defaulting; a copy only when something changes."""
    copied: dict[str, Any] | None = None

    def writable() -> dict[str, Any]:
        nonlocal copied
        if copied is None:
            copied = to_plain(spec)
        return copied

    volumes = spec.get("volumes")
    if isinstance(volumes, list):
        for index, volume in enumerate(volumes):
            if isinstance(volume, dict) and not (set(volume) - _NOT_A_SOURCE):
                writable()["volumes"][index]["emptyDir"] = {}
                where = provenance.locate(("spec", "volumes", index))
                provenance.inject(
                    ("spec", "volumes", index, "emptyDir"),
                    Origin(
                        where.file,
                        where.line,
                        where.column,
                        "API-server defaulting: a volume with no source becomes emptyDir",
                    ),
                )
    for base, container, _ in iter_containers(spec):
        if base[1] == "ephemeralContainers":
            continue  # they have no resources to default
        resources = container.get("resources")
        if not isinstance(resources, dict):
            continue
        limits, requests = resources.get("limits"), resources.get("requests") or {}
        if not isinstance(limits, dict) or not isinstance(requests, dict):
            continue
        for resource in limits:
            if resource in requests:
                continue
            list_name, position = str(base[1]), int(base[2])
            target = writable()[list_name][position]["resources"]
            if not isinstance(target.get("requests"), dict):
                target["requests"] = {}
            target["requests"][resource] = limits[resource]
            where = provenance.locate((*base, "resources", "limits", resource))
            provenance.inject(
                (*base, "resources", "requests", resource),
                Origin(
                    where.file,
                    where.line,
                    where.column,
                    REQUEST_FROM_LIMIT,
                ),
            )
    if kind == "Pod" and spec.get("hostNetwork") is True:
        host_network = provenance.locate(("spec", "hostNetwork"))
        for base, container, _ in iter_containers(spec):
            ports = container.get("ports")
            if not isinstance(ports, list):
                continue
            for index, port in enumerate(ports):
                if (
                    isinstance(port, dict)
                    and not port.get("hostPort")
                    and port.get("containerPort")
                ):
                    list_name, position = str(base[1]), int(base[2])
                    target = writable()[list_name][position]["ports"][index]
                    target["hostPort"] = port["containerPort"]
                    provenance.inject(
                        (*base, "ports", index, "hostPort"),
                        Origin(
                            host_network.file,
                            host_network.line,
                            host_network.column,
                            "API-server defaulting: on a Pod with hostNetwork: true, hostPort "
                            "defaults to containerPort",
                        ),
                    )
    return copied if copied is not None else spec
