"""A container required to run as non-root and told to run as root
(``notebook-run-as-root-refused``).

Why Python: the kubelet reads ``runAsNonRoot`` and ``runAsUser`` each from the container's
securityContext, else the pod's, and refuses the container when the two meet at uid 0
("container's runAsUser breaks non-root policy"). Admission has let the pod in by then: under
PSA ``baseline`` nothing else reports it.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    from nblint.check.targets import RawViolation, targets_of

    spec = pod.spec
    for base, container, variables in targets_of(pod, "container"):
        if podview.security(spec, container, "runAsNonRoot") is not True:
            continue
        if podview.security(spec, container, "runAsUser") != 0:
            continue
        own = podview._dict(container.get("securityContext")).get("runAsUser") is not None
        path = (
            (*base, "securityContext", "runAsUser")
            if own
            else ("spec", "securityContext", "runAsUser")
        )
        yield RawViolation(path, "", variables["container"], variables=dict(variables))
