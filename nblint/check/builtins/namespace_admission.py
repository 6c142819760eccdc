"""The ``namespace-admission`` builtin: a pod as its namespace's LimitRanges and ResourceQuotas
admit it (the ``limitrange-*`` and ``quota-*`` rules of group ``namespace``).

Why Python: the questions add quantities across containers, compare them with objects of other
files and count how many pods fit (:mod:`nblint.check.admission`). This module only asks whether
the run knows the pod's namespace, so that a plain check imports none of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import RawViolation
from nblint.model.pod import EffectivePod
from nblint.model.rule import Implementation, PsaPolicy, Rule


def check(
    pod: EffectivePod, rule: Rule, impl: Implementation, policy: PsaPolicy
) -> Iterator[RawViolation]:
    admission = pod.admission
    if admission is None or not admission.known:
        return
    from nblint.check.admission import findings

    yield from findings(pod, rule)
