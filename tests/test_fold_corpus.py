"""The "done when" of folding, on the whole z2jh corpus of ``../shared``: each problem once, and
text output at least five times shorter than one finding per pod, naming the same places.
``bench/fold.py`` prints the same numbers."""

from __future__ import annotations

import importlib.util

from conftest import ROOT, SHARED, needs_shared

CORPUS = SHARED / "corpus" / "z2jh"


def bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_fold", ROOT / "bench" / "fold.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@needs_shared
def test_each_problem_once_and_text_five_times_shorter_on_the_z2jh_corpus() -> None:
    numbers = bench().measure(str(CORPUS))
    print(numbers)
    assert numbers["findings"] == numbers["distinct_roots"]
    assert numbers["per_pod_findings"] > 3 * numbers["findings"]
    assert numbers["shorter_by"] >= 5
    assert numbers["same_places"]
