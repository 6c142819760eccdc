"""``--format json``: one document, shaped by ``schemas/report.schema.json``.

Version 2: a finding is one problem at one place, with ``pods`` listing every pod it is found
in (``--no-fold``: one finding per pod, each with one entry in ``pods``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from json.encoder import encode_basestring_ascii

from nblint import __version__
from nblint.model.edit import Edit
from nblint.model.finding import PsaRef
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
    yield from _joined(encoded(problem) for problem in problems)
    yield '],"summary":' + _ENCODER.encode(summary(result, problems))
    if suppressed:  # only with --show-suppressed
        yield ',"suppressed":['
        yield from _joined(
            encoded(problem)[:-1] + ',"reason":' + _string(reason) + "}"
            for problem, reason in suppressed
        )
        yield "]"
    yield "}\n"


# Compact: the C encoder is several times faster than indent=2 on large reports. Values are
# fresh trees of plain data: no cycles to look for.
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"), check_circular=False)
_string = encode_basestring_ascii
#: Problems joined into one piece of the report: few writes, and a bounded piece in memory.
_BATCH = 512


def _joined(items: Iterable[str]) -> Iterator[str]:
    """The inside of one JSON list of encoded ``items``, a batch at a time."""
    batch: list[str] = []
    first = True
    for item in items:
        batch.append(item)
        if len(batch) == _BATCH:
            yield ("" if first else ",") + ",".join(batch)
            batch, first = [], False
    if batch:
        yield ("" if first else ",") + ",".join(batch)


def _text(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _value(value: Any) -> str:
    return "null" if value is None else _ENCODER.encode(value)


def encoded(problem: Folded) -> str:
    """``as_dict(problem)`` as compact JSON, written directly: the same text as encoding the
    mapping (a test holds them equal), without building it. A report writes thousands of
    problems, and a fix's text is also its edit's patch: encoded once when they are equal."""
    fix, note, message = problem.fix, problem.note, problem.message
    first = problem.findings[0]
    applicability, edit, cause = first.applicability, first.edit, first.cause
    fix_text = _text(fix)
    pods = []
    for finding in problem.findings:
        pod = (
            f'{{"object":{_text(finding.object)},"profile":{_text(finding.profile)},'
            f'"options":{_value(finding.options)},"container":{_text(finding.container)},'
            f'"field":{_text(finding.field)}'
        )
        if finding.message != message:
            pod += ',"message":' + _string(finding.message)
        if finding.fix != fix:
            pod += ',"fix":' + _text(finding.fix)
        if finding.note != note:
            pod += ',"note":' + _text(finding.note or None)
        if finding.applicability != applicability:
            pod += ',"applicability":' + _text(finding.applicability)
        if finding.edit is not edit and finding.edit != edit:
            pod += ',"edit":' + _edit(finding.edit, None)
        if finding.cause is not cause and finding.cause != cause:
            pod += ',"cause":' + (
                _ENCODER.encode(finding.cause.as_dict()) if finding.cause else "null"
            )
        pods.append(pod + "}")
    psa = first.psa
    return (
        f'{{"rule":{_string(first.rule)},"group":{_string(first.group)},'
        f'"severity":{_string(first.severity)},"message":{_string(message)},'
        f'"file":{_string(first.file)},"line":{first.line},"column":{first.column},'
        f'"psa":{_psa(psa) if psa else "null"},"fix":{fix_text},'
        f'"applicability":{_text(applicability)},"edit":{_edit(edit, fix, fix_text)},'
        f'"note":{_text(note or None)},'
        f'"cause":{_ENCODER.encode(cause.as_dict()) if cause else "null"},'
        f'"assumption":{_text(first.assumption)},"pods":[{",".join(pods)}]}}'
    )


def _edit(edit: Edit | None, fix: str | None, fix_text: str = "") -> str:
    if edit is None:
        return "null"
    patch = fix_text if edit.patch == fix else _string(edit.patch)
    return (
        f'{{"file":{_string(edit.file)},"document":{edit.document},'
        f'"path":{_path(edit.path)},"merge":{_string(edit.merge)},'
        f'"patch":{patch},"adds_only":{_BOOL[edit.adds_only]},"alone":{_BOOL[edit.alone]}}}'
    )


_BOOL = {False: "false", True: "true"}


def _path(path: tuple[Any, ...]) -> str:
    """An edit's path: keys and list indexes."""
    parts = [
        _string(part)
        if part.__class__ is str
        else str(part)
        if part.__class__ is int
        else _value(part)
        for part in path
    ]
    return "[" + ",".join(parts) + "]"


@lru_cache(maxsize=256)
def _psa(psa: PsaRef) -> str:
    return _ENCODER.encode(psa.as_dict())  # one per PSA check, level and version
