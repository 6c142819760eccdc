"""``--format json``: one document, shaped by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO, Any, TypeVar

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
    """The report as one compact JSON document, written a batch of findings at a time: the
    report of a large input is never built whole in memory."""
    result, findings, suppressed = report.result, report.findings, report.suppressed
    head = {"version": REPORT_VERSION, "tool": {"name": "nblint", "version": __version__}}
    stream.write(_ENCODER.encode(head)[:-1] + ',"findings":[')
    _write_list(stream, ([finding.as_dict() for finding in batch] for batch in _batches(findings)))
    stream.write('],"summary":' + _ENCODER.encode(summary(result, findings)))
    if suppressed:  # only with --show-suppressed
        stream.write(',"suppressed":[')
        _write_list(
            stream,
            (
                [{**finding.as_dict(), "reason": reason} for finding, reason in batch]
                for batch in _batches(suppressed)
            ),
        )
        stream.write("]")
    stream.write("}\n")


# Compact: the C encoder is several times faster than indent=2 on large reports. Values are
# fresh trees of plain data: no cycles to look for. One encoder for the whole report.
_ENCODER = json.JSONEncoder(default=str, separators=(",", ":"), check_circular=False)
#: Findings encoded in one call: few calls, and a bounded piece of the report in memory.
_BATCH = 512

T = TypeVar("T")


def _batches(items: list[T]) -> Iterator[list[T]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _write_list(stream: IO[str], batches: Iterable[list[dict[str, Any]]]) -> None:
    """The items of every batch, as the inside of one JSON list."""
    first = True
    for batch in batches:
        if batch:
            stream.write(("" if first else ",") + _ENCODER.encode(batch)[1:-1])
            first = False
