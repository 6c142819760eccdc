"""Resource names the API server does not know (``invalid-name``).

Why Python: the finding is about one key of ``resources.requests``/``limits``, and it belongs at
that key's own line (for z2jh, the values key that named it), which a schema over the whole
mapping cannot point at.

A name without a domain must be one of the standard container resources (``cpu``, ``memory``,
``ephemeral-storage``, ``hugepages-<size>``): the API server refuses any other ("must be a
standard resource for containers"). Names with a domain (``nvidia.com/gpu``) are extended
resources; placeholders and sops-encrypted text are not known and not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.targets import RawViolation, targets_of
from nblint.model.origin import REQUEST_FROM_LIMIT
from nblint.model.pod import EffectivePod
from nblint.model.unknowable import is_unknowable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_STANDARD = frozenset(("cpu", "memory", "ephemeral-storage"))


def known_resource_name(name: str) -> bool:
    return name in _STANDARD or name.startswith("hugepages-") or "/" in name


def _copied_from_limit(pod: EffectivePod, path: tuple[Any, ...]) -> bool:
    return pod.provenance.locate(path).note == REQUEST_FROM_LIMIT


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for base, container, variables in targets_of(pod, "container"):
        resources = podview._dict(container.get("resources"))
        for bucket in ("requests", "limits"):
            for name in podview._dict(resources.get(bucket)):
                if not isinstance(name, str) or known_resource_name(name):
                    continue
                if is_unknowable(name) or "{" in name:
                    continue
                if bucket == "requests" and _copied_from_limit(
                    pod, (*base, "resources", bucket, name)
                ):
                    continue  # the API server's copy of a limit: that limit's finding says it
                yield RawViolation(
                    (*base, "resources", bucket, name),
                    "",
                    variables["container"],
                    variables={**variables, "value": name, "bucket": bucket},
                    distinct=f"{bucket}/{name}",
                )
