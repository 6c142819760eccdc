"""What the labels of a Notebook's namespace tell the webhooks that build its pod.

Two mutating webhooks choose namespaces by their labels:

* the PodDefault webhook (kubeflow/manifests ``applications/admission-webhook``
  ``MutatingWebhookConfiguration``): ``namespaceSelector.matchLabels``
  ``app.kubernetes.io/part-of: kubeflow-profile``, which the profile controller puts on every
  Profile's namespace (added when absent, never overwritten). In a namespace without it the
  webhook never runs: no PodDefault reaches a pod there;
* Istio's sidecar injector: a namespace labelled ``istio-injection: enabled`` (or, without that
  label, ``istio.io/rev``) gets the sidecar; ``istio-injection: disabled`` or no label, none. The
  profile controller labels ``istio-injection: enabled`` only a namespace it creates itself.

Only a namespace the inputs (or ``--cluster-context``) describe is known: a Namespace manifest,
or the namespace a Profile stands for (:mod:`nblint.model.namespace`). Of any other, nothing is
known, and the dialect keeps its defaults (every PodDefault applies; Istio as the distribution
has it).
"""

from __future__ import annotations

from nblint.model.document import CLUSTER_INDEX, RunIndex
from nblint.model.finding import Cause
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The label the PodDefault webhook's namespaceSelector requires, and its value.
PROFILE_LABEL = "app.kubernetes.io/part-of"
PROFILE_VALUE = "kubeflow-profile"
ISTIO_LABEL = "istio-injection"
ISTIO_REVISION_LABEL = "istio.io/rev"


class KnownNamespace(Record):
    """A Notebook's namespace as the inputs describe it; ``None`` in a field: not decided (two
    manifests among the inputs write that label differently)."""

    __slots__ = ("istio", "name", "object", "origin", "poddefaults_served", "profile_label")

    def __init__(
        self,
        name: str,
        object: str,
        origin: tuple[str, int, int],
        poddefaults_served: bool | None,
        profile_label: str | None,
        istio: str | None,
    ) -> None:
        self.name = name
        #: The object that describes it (``Namespace/team-a``, ``Profile/team-a``).
        self.object = object
        #: Where: file, line, column of its name (or of the label that decides).
        self.origin = origin
        #: Whether the PodDefault webhook serves it.
        self.poddefaults_served = poddefaults_served
        #: Its ``app.kubernetes.io/part-of`` value, when it has one.
        self.profile_label = profile_label
        #: That Istio injects its pods, and the label that says so; ``""`` when it does not.
        self.istio = istio

    def unserved_cause(self) -> Cause:
        """The Namespace that keeps the PodDefault webhook away, and why."""
        detail = (
            f"label {PROFILE_LABEL}: {self.profile_label}"
            if self.profile_label is not None
            else f"has no label {PROFILE_LABEL}"
        )
        return Cause(self.object, detail, *self.origin)


def _text(value: Any) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def known_namespace(
    index: RunIndex, namespace: str | None, settings: dict[str, Any]
) -> KnownNamespace | None:
    """The Notebook's namespace as the run's Namespace and Profile manifests describe it, or
    None when they do not (no namespace objects at all: nothing of the namespace model is
    imported)."""
    if not index.get(CLUSTER_INDEX):
        return None
    name = namespace or settings.get("namespace")
    if not isinstance(name, str) or not name or is_unknowable_name(name):
        return None
    from nblint.model.namespace import ClusterContext

    context = index.view(CLUSTER_INDEX, ClusterContext.build).namespace(name)
    manifest = context.manifest
    if manifest is None:
        return None
    # A Profile's namespace gets the labels its controller adds unless the Namespace has them.
    labels = {**manifest.added_by_profile, **manifest.labels}
    ref = manifest.ref
    origin = (ref.origin.file, ref.origin.line, ref.origin.column)
    part_of = labels.get(PROFILE_LABEL)
    profile_label = None if part_of is None else _text(part_of.value)
    served: bool | None = profile_label == PROFILE_VALUE
    if PROFILE_LABEL in context.disputed:
        served = None
    elif part_of is not None and not ref.context and part_of.origin.file == ref.origin.file:
        origin = (part_of.origin.file, part_of.origin.line, part_of.origin.column)
    istio = _istio(manifest, labels, context.disputed)
    if istio:
        istio = f"namespace {name} has Istio sidecar injection ({istio})"
    return KnownNamespace(name, ref.label, origin, served, profile_label, istio)


def _istio(manifest: Any, labels: dict[str, Any], disputed: set[str]) -> str | None:
    if disputed & {ISTIO_LABEL, ISTIO_REVISION_LABEL}:
        return None
    injection = labels.get(ISTIO_LABEL)
    if injection is not None:
        value = _text(injection.value)
        if value != "enabled":
            return ""
        if ISTIO_LABEL in manifest.labels:
            return f"its label {ISTIO_LABEL}: {value}"
        return (
            f"the profile controller labels it {ISTIO_LABEL}: {value} when it creates it for "
            f"{manifest.ref.label}"
        )
    revision = labels.get(ISTIO_REVISION_LABEL)
    if revision is not None:
        return f"its label {ISTIO_REVISION_LABEL}: {_text(revision.value)}"
    return ""
