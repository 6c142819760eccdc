"""``--format json``: one document, shaped by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import IO, Any

from nblint import __version__
from nblint.model.finding import Finding
from nblint.model.result import Report, RunResult

REPORT_VERSION = 1


def summary(result: RunResult, findings: list[Finding]) -> dict[str, Any]:
    by_severity = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        by_severity[finding.severity] += 1
    return {
        "files": result.files,
        "documents": result.documents,
        "pods": result.pod_count,
        "findings": len(findings),
        "by_severity": by_severity,
        "skipped": dict(sorted(result.skipped.items())),
    }


def write(report: Report, stream: IO[str]) -> None:
    """The report as one compact JSON document, written a finding at a time: the report of a
    large input is never built whole in memory."""
    result, findings, suppressed = report.result, report.findings, report.suppressed
    head = {"version": REPORT_VERSION, "tool": {"name": "nblint", "version": __version__}}
    stream.write(_dumps(head)[:-1] + ',"findings":[')
    for index, finding in enumerate(findings):
        stream.write(("," if index else "") + _dumps(finding.as_dict()))
    stream.write('],"summary":' + _dumps(summary(result, findings)))
    if suppressed:  # only with --show-suppressed
        stream.write(',"suppressed":[')
        for index, (finding, reason) in enumerate(suppressed):
            entry = {**finding.as_dict(), "reason": reason}
            stream.write(("," if index else "") + _dumps(entry))
        stream.write("]")
    stream.write("}\n")


def _dumps(value: Any) -> str:
    # Compact: the C encoder is several times faster than indent=2 on large reports. Values are
    # fresh trees of plain data: no cycles to look for.
    return json.dumps(value, default=str, separators=(",", ":"), check_circular=False)
