"""One result for several runs: the one place run results are merged.

Used for the chunks of a parallel run (disjoint files) and for the z2jh releases of a
configuration (which may share files): a file read by several runs counts once, a finding that
several runs report is reported once, and a suppression in a shared file is unused only if it is
unused in every run that read it.
"""

from __future__ import annotations

from nblint.model.finding import Finding
from nblint.model.result import RunResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def merge(results: list[RunResult]) -> RunResult:
    if len(results) == 1:
        return results[0]
    merged = RunResult()
    seen: set[tuple[Any, ...]] = set()
    readers: dict[str, int] = {}
    for result in results:
        for path in result.texts:
            readers[path] = readers.get(path, 0) + 1
    unused: dict[tuple[Any, ...], int] = {}
    inputs: dict[str, None] = {}
    suppressed: set[tuple[Any, ...]] = set()
    for result in results:
        merged.pods.extend(result.pods)
        merged.pod_count += result.pod_count
        merged.documents += result.documents
        merged.skipped.update(result.skipped)
        merged.texts.update(result.texts)
        merged.layers_of.update(result.layers_of)
        inputs.update(dict.fromkeys(result.inputs))
        for notice in result.notices:
            if notice not in merged.notices:
                merged.notices.append(notice)
        for finding in result.findings:
            key = finding.identity()
            if finding.rule == "unused-suppression":
                unused[key] = unused.get(key, 0) + 1
                if unused[key] < readers.get(finding.file, 1):
                    continue
            if key not in seen:
                seen.add(key)
                merged.findings.append(finding)
        for pair in result.suppressed:
            if pair[0].identity() not in suppressed:
                suppressed.add(pair[0].identity())
                merged.suppressed.append(pair)
    merged.inputs = list(inputs)
    merged.findings.sort(key=Finding.sort_key)
    return merged
