"""``nblint check --jobs N``: check a large tree in several processes, with the same output.

The sorted input paths are cut into contiguous chunks of similar size; each worker process runs
the whole pipeline on its chunks and sends back what the reports need (findings, counts, texts).
The parent merges the results in chunk order and sorts the findings as a serial run does, so the
report is byte-for-byte the same whatever N is.

Files of a dialect that must be checked together (its ``together_marker``: Kubeflow, where a
PodDefault in one file changes the Notebooks of another, and some findings are made once per run)
go into one chunk. Files of a dialect whose documents change every pod (``cluster_wide``: a
namespace's LimitRanges and quotas) are indexed by every worker and checked by one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING

from nblint.dialects.registry import DIALECTS
from nblint.load import files
from nblint.model.exposure import EXPOSURE_ASKED_BY, EXPOSURE_MARKERS
from nblint.model.result import RunResult
from nblint.run.kustomize import FLUX_KUSTOMIZATION_MARKERS, KUSTOMIZATION_NAMES
from nblint.run.results import merge

if TYPE_CHECKING:
    from nblint.run.pipeline import Runner

#: Below this many files per process, starting the processes costs more than it saves.
MIN_FILES_PER_JOB = 16
#: Chunks per process, so that one slow chunk does not leave the other processes idle.
CHUNKS_PER_JOB = 4
#: Inputs whose text holds one of these are kept in one chunk (see the module docstring).
_TOGETHER = tuple(sorted({d.together_marker for d in DIALECTS if d.together_marker is not None}))
#: Inputs whose text holds one of these may change the pods of any file (a namespace's
#: LimitRange): every process indexes them, the process whose chunk holds them checks them.
_EVERYWHERE = tuple(
    sorted({marker.encode() for d in DIALECTS if d.cluster_wide for marker in d.index_markers})
)
#: The same, but for the Services and Ingresses, which only a pod whose command line names a
#: token option asks about: a run none of whose files holds one does not share them (most runs,
#: where every Deployment file has its Service beside it).
_EVERYWHERE_UNLESS_ASKED = tuple(
    marker for marker in _EVERYWHERE if marker.decode() not in EXPOSURE_MARKERS
)
#: Inputs whose text holds this may be a Flux Kustomization that puts the files of other chunks
#: in its `spec.targetNamespace`: every worker reads it.
_FLUX_KUSTOMIZATIONS = (FLUX_KUSTOMIZATION_MARKERS[0].encode(),)
#: The runner of the parallel run, set before the worker processes fork from the parent.
_RUNNER: Runner | None = None
#: The inputs every worker indexes (see ``_EVERYWHERE``), set with ``_RUNNER``.
_SHARED: list[str] = []
#: Every input of the run, set with ``_RUNNER``.
_ALL: tuple[str, ...] = ()


def jobs_for(requested: int) -> int:
    """``--jobs 0`` means one process per CPU."""
    return requested if requested > 0 else os.cpu_count() or 1


def should_split(paths: Sequence[str], jobs: int) -> bool:
    if jobs < 2 or len(paths) < 2 * MIN_FILES_PER_JOB or "-" in paths:
        return False
    # Workers inherit the runner by fork; where there is none the run stays serial.
    return "fork" in multiprocessing.get_all_start_methods()


def chunks(paths: Sequence[str], count: int) -> list[list[str]]:
    """Inputs checked together in one chunk, then the others cut in order into runs of similar
    size."""
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
    return _holds(path, _TOGETHER)


def _holds(path: str, markers: tuple[bytes, ...]) -> bool:
    try:
        data = files.read_bytes(path)
        return any(marker in data for marker in markers)
    except OSError:
        return False  # reported as unreadable by whichever worker loads it


def _size(path: str) -> int:
    try:
        return os.path.getsize(path) + 1
    except OSError:
        return 1


def run(runner: Runner, paths: Sequence[str], jobs: int) -> RunResult:
    work = chunks(paths, jobs * CHUNKS_PER_JOB)
    global _RUNNER, _SHARED, _ALL
    _RUNNER, _ALL = runner, tuple(paths)
    # A kustomization may put the files of other chunks in its namespace: every worker reads it.
    asked = tuple(marker.encode() for marker in EXPOSURE_ASKED_BY)
    everywhere = (
        _EVERYWHERE if any(_holds(path, asked) for path in paths) else _EVERYWHERE_UNLESS_ASKED
    )
    _SHARED = [
        path
        for path in paths
        if os.path.basename(path) in KUSTOMIZATION_NAMES
        or _holds(path, (*everywhere, *_FLUX_KUSTOMIZATIONS))
    ]
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_run_chunk, work))
    finally:
        _RUNNER, _SHARED, _ALL = None, [], ()
    return merge(parts)


def _run_chunk(paths: list[str]) -> RunResult:
    from nblint.run.pipeline import Runner

    runner = _RUNNER  # inherited from the parent by fork
    assert runner is not None
    mine = set(paths)
    shared = tuple(path for path in _SHARED if path not in mine)
    serial = Runner(
        runner.options.replace(jobs=1, shared_inputs=shared, run_inputs=_ALL), runner.rules
    )
    result = serial.run(paths)
    # Texts serve the code frames of findings: those of clean files need not travel (the keys
    # do: they say which files a run read).
    cited = {finding.file for finding in result.findings}
    cited.update(finding.file for finding, _ in result.suppressed)
    result.texts = {path: text if path in cited else "" for path, text in result.texts.items()}
    return result
