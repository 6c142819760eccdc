"""What exposes a pod's ports outside the cluster among the inputs: a NodePort or LoadBalancer
Service (or one with ``externalIPs``) that selects the pod, an Ingress or OpenShift Route to a
Service that selects it. The cluster dialect reads them into the run index; the run gives a pod
they reach the fact ``exposed_by`` (the objects, in words), which ``notebook-authentication``
reads for a notebook server started with authentication off.
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

__all__ = ["EXPOSURE_INDEX", "FACT", "Exposure", "exposed_by"]

#: The pod fact: what exposes the pod outside the cluster, a list of words.
FACT = "exposed_by"


class Exposure(Record):
    """A Service (its selector, and whether it reaches outside the cluster itself) or an Ingress
    or Route (the Services it sends traffic to)."""

    __slots__ = ("file", "label", "namespace", "outside", "selector", "services")

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
        #: The file it is written in.
        self.file = file
        #: A Service's selector (None: selects no pod, or not a Service).
        self.selector = selector
        #: How a Service reaches outside the cluster in words (``NodePort``), else empty.
        self.outside = outside
        #: The Services an Ingress or Route sends traffic to.
        self.services = services


def exposed_by(
    labels: Any, namespace: str | None, file: str | None, entries: Iterable[Exposure]
) -> list[str]:
    """What among ``entries`` exposes a pod with ``labels`` (in ``namespace``, written in
    ``file``) outside the cluster, in words."""
    if not isinstance(labels, dict):
        labels = {}
    near = [entry for entry in entries if _same_namespace(namespace, file, entry)]
    selecting = {
        entry.label.partition("/")[2]: entry
        for entry in near
        if entry.selector and all(labels.get(key) == value for key, value in entry.selector.items())
    }
    out: list[str] = []
    for entry in near:
        if entry.selector is not None:
            if entry.label.partition("/")[2] in selecting and entry.outside:
                out.append(f"{entry.label} ({entry.outside})")
        else:
            to = [name for name in entry.services if name in selecting]
            if to:
                out.append(f"{entry.label} (to Service/{to[0]})")
    return list(dict.fromkeys(out))


def _same_namespace(namespace: str | None, file: str | None, entry: Exposure) -> bool:
    """Two known namespaces must be one; with one unknown (or a placeholder), the two are taken
    to be applied together only when written in one directory."""
    if _known(namespace) and _known(entry.namespace):
        return namespace == entry.namespace
    return file is None or os.path.dirname(file) == os.path.dirname(entry.file)


def _known(namespace: str | None) -> bool:
    return namespace is not None and not is_unknowable_name(namespace)
