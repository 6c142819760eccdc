"""What a run produced, and what a report is written from.

:class:`RunResult` is the run's output (findings, counts, the input texts for code frames);
:class:`Report` adds what the command line decided around it (the baseline's filtering, which
suppressed findings to show, colour) and what reporters need to know about rules. Every output
format is a function ``write(report, stream)`` over a :class:`Report` (see :mod:`nblint.report`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from nblint.model.finding import Finding, Suppression
from nblint.model.fold import Folded, fold, fold_key, unfolded
from nblint.model.pod import EffectivePod
from nblint.model.record import Record
from nblint.model.rule import Rule


class RunResult(Record):
    """Everything a run found."""

    __slots__ = (
        "documents",
        "editable",
        "findings",
        "inputs",
        "layers_of",
        "notices",
        "pod_count",
        "pods",
        "skipped",
        "suppressed",
        "texts",
    )

    def __init__(
        self,
        findings: list[Finding] | None = None,
        pods: list[EffectivePod] | None = None,
        pod_count: int = 0,
        inputs: list[str] | None = None,
        documents: int = 0,
        skipped: Counter[str] | None = None,
        texts: dict[str, str] | None = None,
        suppressed: list[tuple[Finding, Suppression]] | None = None,
        notices: list[str] | None = None,
    ) -> None:
        self.findings: list[Finding] = [] if findings is None else findings
        #: The effective pods, when the run was asked to keep them (``nblint render``); a check only
        #: counts them, so that a large input's trees are dropped as soon as they are checked.
        self.pods: list[EffectivePod] = [] if pods is None else pods
        self.pod_count = pod_count
        #: The files this run checked (context files such as ``--poddefaults`` are not among them).
        self.inputs: list[str] = [] if inputs is None else inputs
        self.documents = documents
        self.skipped: Counter[str] = Counter() if skipped is None else skipped
        #: Each file of a release given in layers (``-f``), by the release's first layer file:
        #: a finding of the release may be placed in any of them (see ``nblint fix``).
        self.layers_of: dict[str, str] = {}
        #: Text of every input, for code frames and suppressions.
        self.texts: dict[str, str] = {} if texts is None else texts
        #: Findings silenced by ``# nblint: disable=…`` comments, with the comment that did it.
        self.suppressed: list[tuple[Finding, Suppression]] = (
            [] if suppressed is None else suppressed
        )
        #: What the run wants its reader to know about how it ran (one line each).
        self.notices: list[str] = [] if notices is None else notices
        #: The files ``nblint fix`` with the same PATHs would edit: only those named, not the
        #: other layers of a configured release they belong to; None: any file.
        self.editable: EditableFiles | None = None

    @property
    def files(self) -> int:
        return len(self.inputs)


class EditableFiles:
    """The files ``nblint fix`` edits (those its PATHs name, by real path), asked ``file in
    editable`` of a finding's edit. Real paths cost system calls: the named files' are resolved
    only when first asked (most runs never ask), each file asked about once."""

    __slots__ = ("_answers", "_named", "_real", "_resolved")

    def __init__(self, named: Iterable[str], resolved: Iterable[str] = ()) -> None:
        self._named = tuple(named)
        #: Real paths already known (the release layers a PATH names).
        self._resolved = frozenset(resolved)
        self._real: frozenset[str] | None = None
        self._answers: dict[str, bool] = {}

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        answer = self._answers.get(path)
        if answer is None:
            import os

            if self._real is None:
                self._real = frozenset(map(os.path.realpath, self._named)) | self._resolved
            answer = self._answers[path] = os.path.realpath(path) in self._real
        return answer


class Report(Record):
    """A finished run as a report is written from it."""

    __slots__ = (
        "active",
        "colour",
        "findings",
        "fix_labels",
        "fold",
        "help_uris",
        "quiet",
        "result",
        "rules",
        "suppressed",
    )

    def __init__(
        self,
        result: RunResult,
        findings: list[Finding],
        rules: dict[str, Rule],
        active: list[Rule] | None = None,
        suppressed: list[tuple[Finding, str]] | None = None,
        colour: bool = False,
        fix_labels: dict[str, str] | None = None,
        fold: bool = True,
        quiet: bool = False,
        help_uris: dict[str, str] | None = None,
    ) -> None:
        self.result = result
        #: The findings to report (the baseline may have taken some out).
        self.findings = findings
        #: Every rule known to the run, by id (titles, help, fixes).
        self.rules = rules
        #: The rules that ran (SARIF lists exactly these).
        self.active: list[Rule] = [] if active is None else active
        #: Suppressed findings to show with their reasons (``--show-suppressed``), else empty.
        self.suppressed: list[tuple[Finding, str]] = [] if suppressed is None else suppressed
        self.colour = colour
        #: Fix-hint key → the input it is written for (``z2jh`` → ``z2jh Helm values``).
        self.fix_labels: dict[str, str] = {} if fix_labels is None else fix_labels
        #: One finding per problem and place, listing its pods (False: ``--no-fold``, one per pod).
        self.fold = fold
        #: ``--quiet``: the findings only, no summary.
        self.quiet = quiet
        #: Rule id → the address of its documentation page (shipped rules; SARIF ``helpUri``).
        self.help_uris: dict[str, str] = {} if help_uris is None else help_uris

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
