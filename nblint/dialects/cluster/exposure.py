"""Services, Ingresses and OpenShift Routes → what exposes pods outside the cluster
(:class:`nblint.model.exposure.Exposure`), for the run index. They yield no pod and nblint
reports nothing about them."""

from __future__ import annotations

from nblint.model.document import Recognised
from nblint.model.exposure import Exposure

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The kinds read here.
EXPOSURE_KINDS = ("Service", "Ingress", "Route")
#: The Service types that open a port on every node or on a load balancer.
OUTSIDE_TYPES = frozenset({"NodePort", "LoadBalancer"})


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def exposure(document: Recognised, settings: dict[str, Any]) -> list[Exposure]:
    root = document.root
    kind = root["kind"]
    metadata = _mapping(root.get("metadata"))
    name = _text(metadata.get("name")) or f"(document {document.index + 1})"
    namespace = _text(metadata.get("namespace")) or _text(settings.get("namespace"))
    spec = _mapping(root.get("spec"))
    label = f"{kind}/{name}"
    if kind == "Service":
        selector = spec.get("selector")
        if not isinstance(selector, dict) or not selector:
            return []  # selects no pod (its endpoints are written by hand)
        selector = {str(key): str(value) for key, value in selector.items()}
        kind_of = spec.get("type")
        outside = kind_of if kind_of in OUTSIDE_TYPES else ""
        if not outside and isinstance(spec.get("externalIPs"), list) and spec["externalIPs"]:
            outside = "externalIPs"
        return [Exposure(label, namespace, document.file, selector, outside)]
    services: list[str] = []
    if kind == "Ingress":
        backends = [spec.get("defaultBackend"), spec.get("backend")]
        rules = spec.get("rules")
        for rule in rules if isinstance(rules, list) else ():
            paths = _mapping(_mapping(rule).get("http")).get("paths")
            for path in paths if isinstance(paths, list) else ():
                backends.append(_mapping(path).get("backend"))
        for backend in backends:
            backend = _mapping(backend)
            service = _text(_mapping(backend.get("service")).get("name")) or _text(
                backend.get("serviceName")
            )
            if service:
                services.append(service)
    else:  # Route
        targets = [spec.get("to")]
        alternates = spec.get("alternateBackends")
        targets += alternates if isinstance(alternates, list) else []
        for target in targets:
            target = _mapping(target)
            service = _text(target.get("name"))
            if service and target.get("kind", "Service") == "Service":
                services.append(service)
    if not services:
        return []
    return [Exposure(label, namespace, document.file, services=tuple(services))]
