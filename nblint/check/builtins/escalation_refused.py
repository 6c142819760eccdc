"""A container that sets ``allowPrivilegeEscalation: false`` beside ``privileged: true`` or an
added ``CAP_SYS_ADMIN``: the API server refuses the pod (``privileged-without-escalation``).

Why Python: the three fields are one container's, and the finding goes at the line to edit —
``allowPrivilegeEscalation`` where the input writes it, else (a chart's default, a platform's
injection) the privilege beside it — which a rule's field cannot choose.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import podview
from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for base, container, variables in targets_of(pod, "container"):
        context = container.get("securityContext")
        if not isinstance(context, dict) or context.get("allowPrivilegeEscalation") is not False:
            continue
        privilege = podview.escalating(context)
        if privilege is None:
            continue
        at = (*base, "securityContext")
        escalation = (*at, "allowPrivilegeEscalation")
        # The false the input writes is the line to edit; one it does not write (z2jh's default
        # singleuser.allowPrivilegeEscalation) is changed where the privilege is.
        written = not pod.provenance.locate(escalation).note
        yield RawViolation(
            escalation if written else (*at, *privilege),
            "",
            variables["container"],
            variables={
                **variables,
                "privilege": "privileged: true"
                if privilege == ("privileged",)
                else f"capabilities.add {podview.SYS_ADMIN}",
            },
        )
