"""What a run produced, and what a report is written from.

:class:`RunResult` is the run's output (findings, counts, the input texts for code frames);
:class:`Report` adds what the command line decided around it (the baseline's filtering, which
suppressed findings to show, colour) and what reporters need to know about rules. Every output
format is a function ``write(report, stream)`` over a :class:`Report` (see :mod:`nblint.report`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from nblint.model.finding import Finding, Suppression
from nblint.model.fold import Folded, fold, fold_key, unfolded
from nblint.model.pod import EffectivePod
from nblint.model.rule import Rule


@dataclass
class RunResult:
    """Everything a run found."""

    findings: list[Finding] = field(default_factory=list)
    #: The effective pods, when the run was asked to keep them (``nblint render``); a check only
    #: counts them, so that a large input's trees are dropped as soon as they are checked.
    pods: list[EffectivePod] = field(default_factory=list)
    pod_count: int = 0
    #: The files this run checked (context files such as ``--poddefaults`` are not among them).
    inputs: list[str] = field(default_factory=list)
    documents: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: Text of every input, for code frames and suppressions.
    texts: dict[str, str] = field(default_factory=dict)
    #: Findings silenced by ``# nblint: disable=…`` comments, with the comment that did it.
    suppressed: list[tuple[Finding, Suppression]] = field(default_factory=list)
    #: What the run wants its reader to know about how it ran (one line each).
    notices: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return len(self.inputs)


@dataclass
class Report:
    """A finished run as a report is written from it."""

    result: RunResult
    #: The findings to report (the baseline may have taken some out).
    findings: list[Finding]
    #: Every rule known to the run, by id (titles, help, fixes).
    rules: dict[str, Rule]
    #: The rules that ran (SARIF lists exactly these).
    active: list[Rule] = field(default_factory=list)
    #: Suppressed findings to show with their reasons (``--show-suppressed``), else empty.
    suppressed: list[tuple[Finding, str]] = field(default_factory=list)
    colour: bool = False
    #: Fix-hint key → the input it is written for (``z2jh`` → ``z2jh Helm values``).
    fix_labels: dict[str, str] = field(default_factory=dict)
    #: One finding per problem and place, listing its pods (False: ``--no-fold``, one per pod).
    fold: bool = True
    #: ``--quiet``: the findings only, no summary.
    quiet: bool = False
    #: Rule id → the address of its documentation page (shipped rules; SARIF ``helpUri``).
    help_uris: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[Folded]:
        """The findings to report, folded unless ``--no-fold``."""
        return fold(self.findings) if self.fold else unfolded(self.findings)

    def suppressed_problems(self) -> list[tuple[Folded, str]]:
        """The suppressed findings to show, folded like :meth:`problems`, with their reason."""
        if not self.fold:
            return [(Folded([finding]), reason) for finding, reason in self.suppressed]
        groups: dict[tuple[object, ...], list[Finding]] = {}
        for finding, reason in self.suppressed:
            groups.setdefault((*fold_key(finding), reason), []).append(finding)
        return [(Folded(group), str(key[-1])) for key, group in groups.items()]
