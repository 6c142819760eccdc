"""What exposes a pod's ports outside the cluster among the inputs: a NodePort or LoadBalancer
Service (or one with ``externalIPs``) that selects the pod, an Ingress or OpenShift Route to a
Service that selects it. The cluster dialect indexes Services and Ingresses, and the z2jh dialect
(which claims Routes) the Routes, each with :func:`read`; the run gives a pod they reach the fact
``exposed_by`` (the objects, in words), which ``notebook-authentication`` reads for a notebook
server started with authentication off.
"""

from __future__ import annotations

import os

from nblint.model.document import EXPOSURE_INDEX
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

__all__ = ["EXPOSURE_INDEX", "FACT", "Exposure", "exposed_by", "read", "worth_asking"]

#: The pod fact: what exposes the pod outside the cluster, a list of words.
FACT = "exposed_by"


class Exposure(Record):
    """A Service (its selector, and whether it reaches outside the cluster itself) or an Ingress
    or Route (the Services it sends traffic to)."""

    __slots__ = ("directory", "file", "label", "namespace", "outside", "selector", "services")

    def __init__(
        self,
        label: str,
        namespace: str | None,
        file: str,
        selector: dict[str, str] | None = None,
        outside: str = "",
        services: tuple[str, ...] = (),
    ) -> None:
        #: ``Service/nb``, ``Ingress/nb``.
        self.label = label
        #: Its namespace, None when the inputs do not say.
        self.namespace = namespace
        #: The file it is written in, and its directory.
        self.file = file
        self.directory = os.path.dirname(file)
        #: A Service's selector (None: selects no pod, or not a Service).
        self.selector = selector
        #: How a Service reaches outside the cluster in words (``NodePort``), else empty.
        self.outside = outside
        #: The Services an Ingress or Route sends traffic to.
        self.services = services

    @property
    def known(self) -> bool:
        """Whether its namespace is one nblint knows (not unset, not a placeholder)."""
        return _known(self.namespace)


#: How a file that holds a Service or an Ingress is told (the cluster dialect's index markers).
EXPOSURE_MARKERS = ("kind: Service", "kind:Service", '"Service"', "'Service'", "Ingress")
#: What the container of a pod that asks what exposes it holds (:func:`worth_asking`): a run none
#: of whose files holds one needs no Service of another file. A switch that turns a server's
#: login off names one: Jupyter's ``--….token``, code-server's ``--auth`` and openvscode-server's
#: ``--without-connection-token``, rocker's ``DISABLE_AUTH``, the image whose start turns it
#: off without a password, and Kubeflow's notebook-server images, whose own start turns it off
#: (the images table's ``auth_off_start``; see ``notebook-authentication``).
EXPOSURE_ASKED_BY = (
    ".token",
    "--auth",
    "connection-token",
    "DISABLE_AUTH",
    "linuxserver/code-server",
    "kubeflownotebookswg/",
    "notebooks/notebook-servers/",
    "kubeflow/notebook-servers/",
)


def worth_asking(spec: Any) -> bool:
    """Whether a pod's fact is worth working out: only ``notebook-authentication`` reads it, for
    a server whose container names a switch of its login (:data:`EXPOSURE_ASKED_BY`); a cheap
    look at the containers' texts, so that the many pods that name none never pay for the
    matching."""
    containers = spec.get("containers") if isinstance(spec, dict) else None
    for container in containers if isinstance(containers, list) else ():
        if not isinstance(container, dict):
            continue
        if _mentions_switch(container.get("image")):
            return True
        for key in ("command", "args", "env"):
            value = container.get(key)
            if isinstance(value, list) and any(_mentions_switch(item) for item in value):
                return True
    return False


def _mentions_switch(item: Any) -> bool:
    """Whether a command-line word, an env entry's name or value, or an image names a switch."""
    if isinstance(item, dict):
        item = f"{item.get('name')} {item.get('value')}"
    return isinstance(item, str) and any(marker in item for marker in EXPOSURE_ASKED_BY)


def exposed_by(
    labels: Any, namespace: str | None, file: str | None, entries: Iterable[Exposure]
) -> list[str]:
    """What among ``entries`` exposes a pod with ``labels`` (in ``namespace``, written in
    ``file``) outside the cluster, in words. Two known namespaces must be one; with one unknown
    (or a placeholder), the two are taken to be applied together only when written in one
    directory. The entries are looked up by the pod's labels in an index built once per run:
    every pod that asks would otherwise compare itself with every Service of the run."""
    if not isinstance(labels, dict):
        labels = {}
    groups = _groups(entries)
    known = _known(namespace)
    directory = None if file is None else os.path.dirname(file)

    def near(entry: Exposure) -> bool:
        if known and entry.known:
            return namespace == entry.namespace
        return directory is None or entry.directory == directory

    selecting: set[str] = set()
    for key, value in labels.items():
        if not isinstance(key, str) or not isinstance(value, str):
            continue  # (a selector's pairs are text: nothing else matches them)
        for entry in groups.by_label.get((key, value), ()):
            selector = entry.selector
            assert selector is not None
            if near(entry) and all(labels.get(key) == value for key, value in selector.items()):
                selecting.add(entry.label.partition("/")[2])
    if not selecting:
        return []
    found: list[tuple[int, str]] = []
    for name in selecting:
        for index, entry in groups.by_name.get(name, ()):
            if entry.outside and near(entry):
                found.append((index, f"{entry.label} ({entry.outside})"))
    for index, entry in groups.routes:
        to = [name for name in entry.services if name in selecting]
        if to and near(entry):
            found.append((index, f"{entry.label} (to Service/{to[0]})"))
    found.sort()
    return list(dict.fromkeys(text for _, text in found))


class _Groups:
    """The entries of a run as :func:`exposed_by` looks them up: the Services by each label
    pair of their selectors and by name (with their places in the run's order), and the
    Ingresses and Routes."""

    __slots__ = ("by_label", "by_name", "routes")

    def __init__(self, entries: tuple[Exposure, ...]) -> None:
        self.by_label: dict[tuple[str, str], list[Exposure]] = {}
        self.by_name: dict[str, list[tuple[int, Exposure]]] = {}
        self.routes: list[tuple[int, Exposure]] = []
        for index, entry in enumerate(entries):
            if entry.selector is None:
                self.routes.append((index, entry))
                continue
            for pair in entry.selector.items():
                self.by_label.setdefault(pair, []).append(entry)
            self.by_name.setdefault(entry.label.partition("/")[2], []).append((index, entry))


def _groups(entries: Iterable[Exposure]) -> _Groups:
    """:class:`_Groups` of ``entries``, built once for the run's tuple of them."""
    entries = tuple(entries)
    if _GROUPED and _GROUPED[0][0] is entries:
        return _GROUPED[0][1]
    groups = _Groups(entries)
    _GROUPED[:] = [(entries, groups)]
    return groups


#: The last run's entries and their groups (one run at a time asks; the pair keeps the entries
#: alive, so their identity holds).
_GROUPED: list[tuple[tuple[Exposure, ...], _Groups]] = []


def _known(namespace: str | None) -> bool:
    return namespace is not None and not is_unknowable_name(namespace)


#: The Service types that open a port on every node or on a load balancer.
OUTSIDE_TYPES = frozenset({"NodePort", "LoadBalancer"})


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def read(root: dict[str, Any], file: str, index: int, namespace: str | None) -> list[Exposure]:
    """The entry of a Service, Ingress or Route (document ``index`` of ``file``; ``namespace``:
    the run's ``--namespace``, for an object that names none), if it exposes anything."""
    kind = root["kind"]
    metadata = _mapping(root.get("metadata"))
    name = _text(metadata.get("name")) or f"(document {index + 1})"
    namespace = _text(metadata.get("namespace")) or _text(namespace)
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
        return [Exposure(label, namespace, file, selector, outside)]
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
    return [Exposure(label, namespace, file, services=tuple(services))]
