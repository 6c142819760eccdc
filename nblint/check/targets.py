"""What rules look at in a pod: its targets (the pod, each container, the notebook container,
each volume, the configuration behind it), and what a check reports before it is placed.

Shared by the engine and the builtins, and worked out once per pod (``EffectivePod.memo``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from nblint.model.finding import Cause
from nblint.model.pod import EffectivePod, Origin, Path, iter_containers, notebook_container
from nblint.model.rule import TARGETS

#: First element of a path into the configuration behind a pod (target ``values``: z2jh's
#: merged values).
VALUES = "values"


@dataclass
class RawViolation:
    """What a check found, before it is placed in a file."""

    path: Path
    message: str
    container: str | None = None
    fix: dict[str, str] | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    #: Tells apart two violations of one rule at one path (two missing mounts of one volume).
    distinct: str = ""
    #: ``"info"``: this violation is only a note (the platform takes care of it), whatever the
    #: rule's severity.
    severity: str | None = None
    #: The pod path of what the fix is about, when it is not ``path`` (the GPU that needs a
    #: toleration: its fix goes where the GPU came from).
    anchor: Path | None = None
    #: How safe this violation's fix is, when it differs from the rule's.
    fix_safety: str | None = None
    #: The place to report, when it is not where ``path`` is in the pod (a quota's key).
    origin: Origin | None = None
    #: The namespace object that causes it, and what it takes for granted (see ``Finding``).
    cause: Cause | None = None
    assumption: str | None = None


def configuration_values(pod: EffectivePod) -> Any:
    """The configuration tree behind ``pod`` (z2jh: the release's merged values), else None."""
    configuration = pod.configuration
    return configuration.values if configuration is not None else None


Target = tuple[Path, Any, dict[str, str]]


def targets_of(pod: EffectivePod, target: str) -> list[Target]:
    """:func:`iter_targets`, computed once per pod and target kind (rules ask many times)."""
    try:
        return pod.memo["targets"][target]
    except KeyError:
        found = pod.memo.setdefault("targets", {})[target] = list(iter_targets(pod, target))
        return found


def all_targets(pod: EffectivePod) -> dict[str, list[Target]]:
    """Every target kind of ``pod`` (see :func:`targets_of`): kind → targets."""
    cache: dict[str, list[Target]] = pod.memo.setdefault("targets", {})
    for kind in TARGETS:
        if kind not in cache:
            cache[kind] = list(iter_targets(pod, kind))
    return cache


def notebook_of(pod: EffectivePod) -> Target | None:
    """The notebook container of ``pod`` (:func:`nblint.model.pod.notebook_container`), cached."""
    found = targets_of(pod, "notebook")
    return found[0] if found else None


def iter_targets(pod: EffectivePod, target: str) -> Iterator[Target]:
    if target == "pod":
        yield (), pod.pod, {}
    elif target == "container":
        yield from iter_containers(pod.spec)
    elif target == "notebook":
        found = notebook_container(pod.spec)
        if found is not None:
            yield found
    elif target == "values":
        values = configuration_values(pod)
        if values is not None:
            yield (VALUES,), values, {}
    elif target == "volume":
        volumes = pod.spec.get("volumes")
        if isinstance(volumes, list):
            for index, volume in enumerate(volumes):
                if isinstance(volume, dict):
                    name = volume.get("name")
                    yield ("spec", "volumes", index), volume, {"volume": str(name or f"#{index}")}
