"""Idle notebooks are stopped (``notebook-idle-culling``, z2jh).

Why Python: the allowed timeout depends on the release as a whole — tighter when any profile
gets a GPU — and on thresholds a team configures (``max_idle_seconds``,
``max_idle_seconds_gpu``).
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check import gpus
from nblint.check.targets import VALUES, RawViolation, configuration_values
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    values = configuration_values(pod)
    if not isinstance(values, dict):
        return
    cull: dict[str, Any] = values["cull"] if isinstance(values.get("cull"), dict) else {}
    gpu = any(gpus.is_gpu_resource(name) for name in pod.facts.get("extended_resources") or ())
    limit = rule.options["max_idle_seconds_gpu" if gpu else "max_idle_seconds"]
    if cull.get("enabled") is not True:
        yield RawViolation(
            (VALUES, "cull", "enabled"),
            "culling is off: idle notebooks run (and cost) until someone stops them",
            variables={"value": cull.get("enabled"), "limit": limit},
        )
        return
    timeout = cull.get("timeout")
    if isinstance(timeout, (int, float)) and not isinstance(timeout, bool) and timeout > limit:
        reason = ""
        if gpu:
            profiles = pod.facts.get("profiles", True)
            reason = " while GPU profiles exist" if profiles else " while notebooks get GPUs"
        yield RawViolation(
            (VALUES, "cull", "timeout"),
            f"idle notebooks are culled after {timeout} s; at most {limit} s{reason}",
            variables={"value": timeout, "limit": limit},
        )
