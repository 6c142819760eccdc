"""``--format json``: one document, shaped by ``schemas/report.schema.json``.

Version 2: a finding is one problem at one place, with ``pods`` listing every pod it is found
in (``--no-fold``: one finding per pod, each with one entry in ``pods``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from json.encoder import encode_basestring_ascii

from nblint import __version__
from nblint.model.edit import Edit
from nblint.model.finding import Cause, Finding, PsaRef
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


#: Long texts many problems share (a rule's fix for another container, a note), encoded once.
_ENCODED: dict[str, str] = {}
_ENCODED_MAX = 4096


def _shared_text(text: str) -> str:
    found = _ENCODED.get(text)
    if found is None:
        if len(_ENCODED) >= _ENCODED_MAX:
            _ENCODED.clear()
        found = _ENCODED[text] = _string(text)
    return found


def encoded(problem: Folded) -> str:
    """``as_dict(problem)`` as compact JSON, written directly: the same text as encoding the
    mapping (a test holds them equal), without building it. A report writes thousands of
    problems: a fix's text is also its edit's patch (encoded once when they are equal), fixes
    and notes repeat across problems (encoded once per text), and a problem in one pod (most)
    has no pod that differs from it."""
    findings = problem.findings
    first = findings[0]
    alone = len(findings) == 1
    if alone:  # what the problem's properties would answer, without the calls
        fix, note, message = first.fix, first.note, first.message
    else:
        fix, note, message = problem.fix, problem.note, problem.message
    applicability, edit, cause = first.applicability, first.edit, first.cause
    fix_text = "null" if fix is None else _shared_text(fix)
    pods = []
    for finding in findings:
        obj, profile, options = finding.object, finding.profile, finding.options
        container, field = finding.container, finding.field
        pod = (
            f'{{"object":{"null" if obj is None else _string(obj)},'
            f'"profile":{"null" if profile is None else _string(profile)},'
            f'"options":{"null" if options is None else _ENCODER.encode(options)},'
            f'"container":{"null" if container is None else _string(container)},'
            f'"field":{"null" if field is None else _string(field)}'
        )
        if not alone:
            pod += _differences(finding, message, fix, note, applicability, edit, cause)
        pods.append(pod + "}")
    psa, assumption = first.psa, first.assumption
    return (
        f'{{"rule":{_string(first.rule)},"group":{_string(first.group)},'
        f'"severity":{_string(first.severity)},"message":{_shared_text(message)},'
        f'"file":{_shared_text(first.file)},"line":{first.line},"column":{first.column},'
        f'"psa":{_psa(psa) if psa else "null"},"fix":{fix_text},'
        f'"applicability":{_text(applicability)},"edit":{_edit(edit, fix, fix_text)},'
        f'"note":{_shared_text(note) if note else "null"},'
        f'"cause":{_ENCODER.encode(cause.as_dict()) if cause else "null"},'
        f'"assumption":{_text(assumption)},"pods":[{",".join(pods)}]}}'
    )


def _differences(
    finding: Finding,
    message: str,
    fix: str | None,
    note: str | None,
    applicability: str | None,
    edit: Edit | None,
    cause: Cause | None,
) -> str:
    """What a pod of a folded problem says otherwise than the problem, as JSON members."""
    out = ""
    if finding.message != message:
        out += ',"message":' + _string(finding.message)
    if finding.fix != fix:
        out += ',"fix":' + _text(finding.fix)
    if finding.note != note:
        out += ',"note":' + _text(finding.note or None)
    if finding.applicability != applicability:
        out += ',"applicability":' + _text(finding.applicability)
    if finding.edit is not edit and finding.edit != edit:
        out += ',"edit":' + _edit(finding.edit, None)
    if finding.cause is not cause and finding.cause != cause:
        out += ',"cause":' + (_ENCODER.encode(finding.cause.as_dict()) if finding.cause else "null")
    return out


def _edit(edit: Edit | None, fix: str | None, fix_text: str = "") -> str:
    if edit is None:
        return "null"
    patch = fix_text if edit.patch == fix else _shared_text(edit.patch)
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


#: id(a PSA reference) → (that reference, kept so that its id stays its own; its JSON). The
#: check stage shares one reference per check, level and version: looked up by identity, not
#: hashed field by field for every finding.
_PSA: dict[int, tuple[PsaRef, str]] = {}


def _psa(psa: PsaRef) -> str:
    found = _PSA.get(id(psa))
    if found is None or found[0] is not psa:
        if len(_PSA) >= 256:
            _PSA.clear()
        found = _PSA[id(psa)] = (psa, _ENCODER.encode(psa.as_dict()))
    return found[1]
