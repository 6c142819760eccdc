"""Stage 3: turn a recognised document into the effective pod(s) the cluster will admit.

One module per dialect: :mod:`manifest` (Pods, PodTemplates and workloads), later z2jh values and
Kubeflow Notebooks. Each exposes ``normalise(...) -> Normalised``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nblint.model import EffectivePod, Finding


@dataclass
class Normalised:
    """What a dialect's normaliser makes of one document: effective pods and findings."""

    pods: list[EffectivePod] = field(default_factory=list)
    #: Findings about the input itself (wrong types, unknown keys, …), already placed.
    findings: list[Finding] = field(default_factory=list)
