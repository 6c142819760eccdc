"""``--format json``: one document, shaped by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from typing import Any

from nblint import __version__
from nblint.model import Finding
from nblint.pipeline import Result

REPORT_VERSION = 1


def summary(result: Result, findings: list[Finding]) -> dict[str, Any]:
    by_severity = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        by_severity[finding.severity] += 1
    return {
        "files": result.files,
        "documents": result.documents,
        "pods": len(result.pods),
        "findings": len(findings),
        "by_severity": by_severity,
        "skipped": dict(sorted(result.skipped.items())),
    }


def render(
    result: Result, findings: list[Finding], suppressed: list[tuple[Finding, str]] | None = None
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
