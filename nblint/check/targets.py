"""What rules look at in a pod: its targets (the pod, each container, the notebook container,
each volume, the configuration behind it), and what a check reports before it is placed.

Shared by the engine and the builtins, and worked out once per pod (``EffectivePod.memo``).
"""

from __future__ import annotations

from nblint.model.finding import Cause
from nblint.model.pod import EffectivePod, Origin, Path, iter_containers
from nblint.model.record import Record
from nblint.model.rule import TARGETS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: First element of a path into the configuration behind a pod (target ``values``: z2jh's
#: merged values).
VALUES = "values"
#: First element of a condition's path into what the dialect or the run found out about a pod
#: (``EffectivePod.facts``: ``facts.service_account_binding``); a message reads one as
#: ``{facts.NAME}``.
FACTS = "facts"


class RawViolation(Record):
    """What a check found, before it is placed in a file."""

    __slots__ = (
        "anchor",
        "assumption",
        "cause",
        "container",
        "distinct",
        "fix",
        "fix_safety",
        "message",
        "object_hint",
        "origin",
        "path",
        "severity",
        "variables",
    )

    def __init__(
        self,
        path: Path,
        message: str,
        container: str | None = None,
        fix: dict[str, str] | None = None,
        variables: dict[str, Any] | None = None,
        distinct: str = "",
        severity: str | None = None,
        anchor: Path | None = None,
        fix_safety: str | None = None,
        origin: Origin | None = None,
        cause: Cause | None = None,
        assumption: str | None = None,
        object_hint: bool = False,
    ) -> None:
        self.path = path
        self.message = message
        self.container = container
        self.fix = fix
        self.variables: dict[str, Any] = {} if variables is None else variables
        #: Tells apart two violations of one rule at one path (two missing mounts of one volume).
        self.distinct = distinct
        #: ``"info"``: this violation is only a note (the platform takes care of it), whatever the
        #: rule's severity; its fix is then only shown (nothing is to be done).
        self.severity = severity
        #: The pod path of what the fix is about, when it is not ``path`` (the GPU that needs a
        #: toleration: its fix goes where the GPU came from).
        self.anchor = anchor
        #: How safe this violation's fix is, when it differs from the rule's.
        self.fix_safety = fix_safety
        #: The place to report, when it is not where ``path`` is in the pod (a quota's key).
        self.origin = origin
        #: The namespace object that causes it, and what it takes for granted (see ``Finding``).
        self.cause = cause
        self.assumption = assumption
        #: Its own ``fix`` is written for the object itself (a StatefulSet's
        #: ``volumeClaimTemplates``), not for the pod: shown as written, never nested under the
        #: pod template nor applied.
        self.object_hint = object_hint


def configuration_values(pod: EffectivePod) -> Any:
    """The configuration tree behind ``pod`` (z2jh: the release's merged values), else None."""
    configuration = pod.configuration
    return configuration.values if configuration is not None else None


if TYPE_CHECKING:
    Target = tuple[Path, Any, dict[str, str]]


def targets_of(pod: EffectivePod, target: str) -> list[Target]:
    """The targets of one kind (:data:`TARGETS`) in ``pod``: ``(path, object, variables)`` each,
    listed once per pod and kind (rules ask many times)."""
    try:
        return pod.memo["targets"][target]
    except KeyError:
        found = pod.memo.setdefault("targets", {})[target] = _targets(pod, target)
        return found


def all_targets(pod: EffectivePod) -> dict[str, list[Target]]:
    """Every target kind of ``pod`` (see :func:`targets_of`): kind → targets."""
    cache: dict[str, list[Target]] = pod.memo.setdefault("targets", {})
    for kind in TARGETS:
        if kind not in cache:
            cache[kind] = _targets(pod, kind)
    return cache


def notebook_of(pod: EffectivePod) -> Target | None:
    """The notebook container of ``pod`` (:func:`nblint.model.pod.notebook_container`), cached."""
    found = targets_of(pod, "notebook")
    return found[0] if found else None


def _targets(pod: EffectivePod, target: str) -> list[Target]:
    # Lists, not a generator: every kind of every pod is listed (see all_targets).
    if target == "pod":
        return [((), pod.pod, {})]
    if target == "container":
        return list(iter_containers(pod.spec))
    if target == "notebook":
        # notebook_container(pod.spec), the first regular container, picked from the container
        # targets: the same tuple, without walking the container lists a second time.
        for found in targets_of(pod, "container"):
            if found[0][1] == "containers":
                return [found]
        return []
    if target == "values":
        values = configuration_values(pod)
        return [] if values is None else [((VALUES,), values, {})]
    if target == "volume":
        volumes = pod.spec.get("volumes")
        if isinstance(volumes, list):
            return [
                (
                    ("spec", "volumes", index),
                    volume,
                    {"volume": str(volume.get("name") or f"#{index}")},
                )
                for index, volume in enumerate(volumes)
                if isinstance(volume, dict)
            ]
    return []
