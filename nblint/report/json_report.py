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
    stream.write(render(report.result, report.findings, report.suppressed))


def render(
    result: RunResult,
    findings: list[Finding],
    suppressed: list[tuple[Finding, str]] | None = None,
) -> str:
    document: dict[str, Any] = {
        "version": REPORT_VERSION,
        "tool": {"name": "nblint", "version": __version__},
        "findings": [f.as_dict() for f in findings],
        "summary": summary(result, findings),
    }
    if suppressed:  # only with --show-suppressed
        document["suppressed"] = [
            {**finding.as_dict(), "reason": reason} for finding, reason in suppressed
        ]
    # Compact: the C encoder is several times faster than indent=2 on large reports. The
    # document is a fresh tree of plain values: no cycles to look for.
    return json.dumps(document, default=str, separators=(",", ":"), check_circular=False) + "\n"
