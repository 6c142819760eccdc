"""``nblint check --jobs N``: check a large tree in several processes, with the same output.

The sorted input paths are cut into contiguous chunks of similar size; each worker process runs
the whole pipeline on its chunks and sends back what the reports need (findings, counts, texts).
The parent merges the results in chunk order and sorts the findings as a serial run does, so the
report is byte-for-byte the same whatever N is.

Kubeflow inputs are checked together, in one chunk: a PodDefault in one file changes the
Notebooks of another, and findings about the whole Kubeflow deployment are reported once per run.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING

from nblint.load import files
from nblint.model import EffectivePod, Finding, Origin, Path

if TYPE_CHECKING:
    from nblint.pipeline import Result, Runner

#: Below this many files per process, starting the processes costs more than it saves.
MIN_FILES_PER_JOB = 16
#: Chunks per process, so that one slow chunk does not leave the other processes idle.
CHUNKS_PER_JOB = 4
#: Inputs whose text holds this are kept in one chunk (see the module docstring).
_CROSS_DOCUMENT = b"kubeflow.org"
#: The runner of the parallel run, set before the worker processes fork from the parent.
_RUNNER: Runner | None = None


def jobs_for(requested: int) -> int:
    """``--jobs 0`` means one process per CPU."""
    return requested if requested > 0 else os.cpu_count() or 1


def should_split(paths: Sequence[str], jobs: int) -> bool:
    if jobs < 2 or len(paths) < 2 * MIN_FILES_PER_JOB or "-" in paths:
        return False
    # Workers inherit the runner by fork; where there is none the run stays serial.
    return "fork" in multiprocessing.get_all_start_methods()


def chunks(paths: Sequence[str], count: int) -> list[list[str]]:
    """Kubeflow inputs in one chunk, then the others cut in order into runs of similar size."""
    mentions = [_mentions_cross_document(p) for p in paths]
    together = [p for p, joined in zip(paths, mentions, strict=True) if joined]
    apart = [p for p, joined in zip(paths, mentions, strict=True) if not joined]
    sizes = [_size(p) for p in apart]
    target = max(1, sum(sizes) // count + 1)
    out: list[list[str]] = [together, []]
    filled = 0
    for path, size in zip(apart, sizes, strict=True):
        if filled >= target:
            out.append([])
            filled = 0
        out[-1].append(path)
        filled += size
    return [chunk for chunk in out if chunk]


def _mentions_cross_document(path: str) -> bool:
    try:
        return _CROSS_DOCUMENT in files.read_bytes(path)
    except OSError:
        return False  # reported as unreadable by whichever worker loads it


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) + 1
    except OSError:
        return 1


def run(runner: Runner, paths: Sequence[str], jobs: int) -> Result:
    from nblint.pipeline import Result

    work = chunks(paths, jobs * CHUNKS_PER_JOB)
    global _RUNNER
    _RUNNER = runner
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_run_chunk, work))
    finally:
        _RUNNER = None
    merged = Result()
    for part in parts:
        merged.findings.extend(part.findings)
        merged.pods.extend(part.pods)
        merged.files += part.files
        merged.documents += part.documents
        merged.skipped.update(part.skipped)
        merged.texts.update(part.texts)
        merged.suppressed.extend(part.suppressed)
    merged.findings.sort(key=Finding.sort_key)
    return merged


def _run_chunk(paths: list[str]) -> Result:
    from nblint.pipeline import Runner

    runner = _RUNNER  # inherited from the parent by fork
    assert runner is not None
    serial = Runner(replace(runner.options, jobs=1), runner.rules)
    result = serial.run(paths)
    # The reports only count pods; their trees would cost more to send back than to build.
    result.pods = [_summary(pod) for pod in result.pods]
    # Texts serve the code frames of findings: those of clean files need not travel (the keys
    # do: they say which files a run read).
    cited = {finding.file for finding in result.findings}
    cited.update(finding.file for finding, _ in result.suppressed)
    result.texts = {path: text if path in cited else "" for path, text in result.texts.items()}
    return result


class _Sent:
    """Provenance of a pod sent back from a worker: findings are already placed."""

    def __init__(self, file: str) -> None:
        self.file = file

    def locate(self, path: Path) -> Origin:
        return Origin(self.file, 1, 1)


def _summary(pod: EffectivePod) -> EffectivePod:
    return replace(pod, pod={}, provenance=_Sent(pod.file), facts={}, memo={})
