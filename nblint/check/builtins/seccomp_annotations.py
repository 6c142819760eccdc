"""PSA ``seccompProfile_baseline`` before v1.19: the alpha seccomp annotations.

Why Python: the annotation key names a container (``container.seccomp.security.alpha.kubernetes.io/
<name>``) and only names of containers present in the spec count — a cross-reference a JSON
Schema over one object cannot express.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nblint.check.targets import RawViolation
from nblint.model.pod import EffectivePod

POD_KEY = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"


def allowed(value: Any) -> bool:
    return isinstance(value, str) and (
        value in ("runtime/default", "docker/default") or value.startswith("localhost/")
    )


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    from nblint.model.pod import iter_containers

    annotations = pod.metadata.get("annotations")
    if not isinstance(annotations, dict):
        return
    message = "seccomp annotation {key} is {value!r}; use runtime/default or localhost/<profile>"
    if POD_KEY in annotations and not allowed(annotations[POD_KEY]):
        yield RawViolation(
            ("metadata", "annotations", POD_KEY),
            message.format(key=POD_KEY, value=annotations[POD_KEY]),
        )
    for _, container, variables in iter_containers(pod.spec):
        key = CONTAINER_PREFIX + str(container.get("name", ""))
        if key in annotations and not allowed(annotations[key]):
            yield RawViolation(
                ("metadata", "annotations", key),
                message.format(key=key, value=annotations[key]),
                variables["container"],
            )
