"""``--format json``: one document, shaped by ``schemas/report.schema.json``.

Version 2: a finding is one problem at one place, with ``pods`` listing every pod it is found
in (``--no-fold``: one finding per pod, each with one entry in ``pods``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from nblint import __version__
from nblint.model.fold import Folded
from nblint.model.result import Report, RunResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

#: Version 2 (nblint 0.2): findings are folded, their pods in ``pods``.
REPORT_VERSION = 2


def summary(result: RunResult, problems: Sequence[Folded]) -> dict[str, Any]:
    by_severity = {"error": 0, "warning": 0, "info": 0}
    for problem in problems:
        by_severity[problem.severity] += 1
    return {
        "files": result.files,
        "documents": result.documents,
        "pods": result.pod_count,
        "findings": len(problems),
        "pod_findings": sum(len(problem.findings) for problem in problems),
        "by_severity": by_severity,
        "skipped": dict(sorted(result.skipped.items())),
    }


def as_dict(problem: Folded) -> dict[str, Any]:
    """One problem; a pod whose fix or note differs from the problem's carries its own."""
    fix, note, message = problem.fix, problem.note, problem.message
    # The first finding speaks for the problem, and says what `nblint fix` does (pods that
    # differ say their own); read directly, not through Folded's properties (a call each).
    first = problem.findings[0]
    applicability, edit, cause = first.applicability, first.edit, first.cause
    pods = []
    for finding in problem.findings:
        pod: dict[str, Any] = {
            "object": finding.object,
            "profile": finding.profile,
            "options": finding.options,
            "container": finding.container,
            "field": finding.field,
        }
        if finding.message != message:
            pod["message"] = finding.message
        if finding.fix != fix:
            pod["fix"] = finding.fix
        if finding.note != note:
            pod["note"] = finding.note or None
        if finding.applicability != applicability:
            pod["applicability"] = finding.applicability
        if finding.edit is not edit and finding.edit != edit:
            pod["edit"] = finding.edit.as_dict() if finding.edit else None
        if finding.cause is not cause and finding.cause != cause:
            pod["cause"] = finding.cause.as_dict() if finding.cause else None
        pods.append(pod)
    return {
        "rule": first.rule,
        "group": first.group,
        "severity": first.severity,
        "message": message,
        "file": first.file,
        "line": first.line,
        "column": first.column,
        "psa": first.psa.as_dict() if first.psa else None,
        "fix": fix,
        "applicability": applicability,
        "edit": edit.as_dict() if edit else None,
        "note": note or None,
        "cause": cause.as_dict() if cause else None,
        "assumption": first.assumption,
        "pods": pods,
    }


def write(report: Report, stream: IO[str]) -> None:
    """The report as one compact JSON document, written a finding at a time: the report of a
    large input is never built whole in memory."""
    for part in parts(report.result, report.problems(), report.suppressed_problems()):
        stream.write(part)


def render(
    result: RunResult,
    problems: Sequence[Folded],
    suppressed: Sequence[tuple[Folded, str]] = (),
) -> str:
    return "".join(parts(result, problems, suppressed))


def parts(
    result: RunResult,
    problems: Sequence[Folded],
    suppressed: Sequence[tuple[Folded, str]] = (),
) -> Iterator[str]:
    head = {"version": REPORT_VERSION, "tool": {"name": "nblint", "version": __version__}}
    yield _ENCODER.encode(head)[:-1] + ',"findings":['
    yield from _list_items(as_dict(problem) for problem in problems)
    yield '],"summary":' + _ENCODER.encode(summary(result, problems))
    if suppressed:  # only with --show-suppressed
        yield ',"suppressed":['
        yield from _list_items(
            {**as_dict(problem), "reason": reason} for problem, reason in suppressed
        )
        yield "]"
    yield "}\n"


# Compact: the C encoder is several times faster than indent=2 on large reports. Values are
# fresh trees of plain data: no cycles to look for. One encoder for the whole report.
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"), check_circular=False)
#: Items encoded in one call: few calls, and a bounded piece of the report in memory.
_BATCH = 512


def _list_items(items: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The inside of one JSON list of ``items``, encoded a batch at a time."""
    batch: list[dict[str, Any]] = []
    first = True
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            yield ("" if first else ",") + _ENCODER.encode(batch)[1:-1]
            batch, first = [], False
    if batch:
        yield ("" if first else ",") + _ENCODER.encode(batch)[1:-1]
