"""``istio-init-restricted``: Istio's injected init container under PSA baseline or restricted.

Both levels refuse it: ``NET_ADMIN`` and ``NET_RAW`` are outside baseline's allowed capabilities
(Istio's own guide to Pod Security Admission says so, and asks for its CNI plugin).

Why Python: the finding depends on the policy level being checked and on where the pod runs (a
dialect says so in the fact ``istio_injection_default``: Kubeflow profile namespaces have sidecar
injection on, and a namespace the inputs describe says it with its labels, named in the fact
``istio_injection_by``), which a rule's conditions over the pod cannot see.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import RawViolation
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

INJECT_KEY = "sidecar.istio.io/inject"


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    if not pod.facts.get("istio_injection_default") or policy.level == "privileged":
        return
    for where in ("annotations", "labels"):
        marks = pod.metadata.get(where)
        if isinstance(marks, dict) and str(marks.get(INJECT_KEY)).lower() == "false":
            return
    injected_by = pod.facts.get("istio_injection_by")
    if isinstance(injected_by, str):
        # The inputs describe the namespace: its labels say Istio injects there.
        message = f"{injected_by}: without the Istio CNI plugin, the injected istio-init container "
    else:
        message = (
            "if the profile namespace has Istio sidecar injection (the Kubeflow default) without "
            "the Istio CNI plugin, the injected istio-init container "
        )
    yield RawViolation(
        ("metadata", "annotations"),
        f"{message}(NET_ADMIN, NET_RAW) gets this pod rejected under PSA {policy.level}",
    )
