"""What a pod's RuntimeClass does to it at admission: the RuntimeClass admission plugin (on by
default since Kubernetes 1.20) reads the RuntimeClass a pod's ``runtimeClassName`` names and

* merges its ``scheduling.nodeSelector`` into the pod's ``nodeSelector``, refusing the pod when
  a key of both has two values;
* appends its ``scheduling.tolerations`` to the pod's, leaving out those the pod already has;
* sets the pod's ``overhead`` to its ``overhead.podFixed``, refusing a pod that writes another
  (a ResourceQuota then charges the overhead: :func:`nblint.model.resources.pod_amounts`).

The ``cluster`` dialect reads the RuntimeClasses among the inputs into the run index
(:data:`RUNTIME_CLASS_INDEX`); the run applies the one a pod names before checking it
(:func:`apply`), each field it adds placed at the RuntimeClass line that adds it. A
RuntimeClass that is not among the inputs leaves the pod as written.
"""

from __future__ import annotations

from nblint.model.document import RUNTIME_CLASS_INDEX
from nblint.model.pod import Origin
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.model.pod import EffectivePod

__all__ = ["FACT", "RUNTIME_CLASS_INDEX", "RuntimeClass", "apply"]

#: The pod fact the run sets when it applied the pod's RuntimeClass: ``(its label, how many of
#: the pod's tolerations are its own)`` (a fix lists the pod's own, not what admission adds).
FACT = "runtime_class"


class RuntimeClass(Record):
    """One RuntimeClass among the inputs: its scheduling and overhead, each part with the
    origin of the line that writes it."""

    __slots__ = ("label", "node_selector", "origin", "overhead", "tolerations")

    def __init__(
        self,
        label: str,
        origin: Origin,
        node_selector: tuple[tuple[str, Any, Origin], ...] = (),
        tolerations: tuple[tuple[dict[str, Any], Origin], ...] = (),
        overhead: tuple[dict[str, Any], Origin] | None = None,
    ) -> None:
        #: ``RuntimeClass/<name>``.
        self.label = label
        self.origin = origin
        #: ``(key, value, origin)`` of each ``scheduling.nodeSelector`` entry.
        self.node_selector = node_selector
        #: ``(toleration, origin)`` of each ``scheduling.tolerations`` item.
        self.tolerations = tolerations
        #: ``(podFixed, origin)``, when it sets ``overhead.podFixed``.
        self.overhead = overhead

    @property
    def name(self) -> str:
        return self.label.split("/", 1)[1]

    def changes_pods(self) -> bool:
        return bool(self.node_selector or self.tolerations or self.overhead)


def named(classes: tuple[Any, ...], name: Any) -> RuntimeClass | None:
    """The RuntimeClass of the inputs called ``name`` (the last one written: the one applied
    last), or None."""
    if not isinstance(name, str) or not name:
        return None
    found = None
    for entry in classes:
        if isinstance(entry, RuntimeClass) and entry.name == name:
            found = entry
    return found


def apply(pod: EffectivePod, runtime_class: RuntimeClass) -> str | None:
    """Change ``pod`` (on copies of what it shares with the input) as the RuntimeClass admission
    plugin does, each added field placed at the RuntimeClass line that adds it. Returns why
    admission refuses the pod instead (a nodeSelector key of both with two values, an overhead
    of its own that differs), leaving the pod as written; None when it admits it."""
    spec = pod.spec
    if not isinstance(spec.get("nodeSelector", {}), dict) or not isinstance(
        spec.get("tolerations", []), list
    ):
        return None  # a field of the wrong type (said by its own finding): left as written
    own_selector = spec.get("nodeSelector") or {}
    for key, value, _ in runtime_class.node_selector:
        if key in own_selector and own_selector[key] != value:
            return (
                f'its nodeSelector {key}: "{own_selector[key]}" conflicts with '
                f'{runtime_class.label}\'s scheduling.nodeSelector {key}: "{value}"'
            )
    if runtime_class.overhead is not None:
        own_overhead = spec.get("overhead")
        if own_overhead is not None and own_overhead != runtime_class.overhead[0]:
            return f"its overhead differs from {runtime_class.label}'s overhead.podFixed"
    from nblint.model.namespace import AdmittedProvenance

    provenance = (
        pod.provenance
        if isinstance(pod.provenance, AdmittedProvenance)
        else AdmittedProvenance(pod.provenance)
    )
    note = f"added by {runtime_class.label} at admission"
    new_spec = dict(spec)
    if runtime_class.node_selector:
        selector = dict(own_selector)
        for key, value, origin in runtime_class.node_selector:
            if key not in selector:
                selector[key] = value
                provenance.inject(("spec", "nodeSelector", key), _noted(origin, note))
        new_spec["nodeSelector"] = selector
    if runtime_class.tolerations:
        own = spec.get("tolerations")
        tolerations = list(own) if isinstance(own, list) else []
        for toleration, origin in runtime_class.tolerations:
            if toleration not in tolerations:
                provenance.inject(("spec", "tolerations", len(tolerations)), _noted(origin, note))
                tolerations.append(toleration)
        new_spec["tolerations"] = tolerations
    if runtime_class.overhead is not None and spec.get("overhead") is None:
        new_spec["overhead"] = dict(runtime_class.overhead[0])
        provenance.inject(("spec", "overhead"), _noted(runtime_class.overhead[1], note))
    pod.pod = {**pod.pod, "spec": new_spec}
    pod.provenance = provenance
    own = spec.get("tolerations")
    pod.facts[FACT] = (runtime_class.label, len(own) if isinstance(own, list) else 0)
    return None


def _noted(origin: Origin, note: str) -> Origin:
    return Origin(origin.file, origin.line, origin.column, note)
