"""Say each problem once, measured: nblint's default output against ``--no-fold`` (one finding
per pod, as before folding) on a corpus of values files.

    python bench/fold.py [DIR]      # default: ../shared/corpus/z2jh

Prints, and returns from :func:`measure`:

* findings per distinct (rule, file, line, column, message) in the default JSON report (1.0 =
  each problem once) and in the ``--no-fold`` one;
* the number of lines of the default text report and of the ``--no-fold`` one, and their ratio;
* whether both text reports name the same (rule, file, line) places.

``tests/test_fold_corpus.py`` asserts the same numbers (when ``../shared`` is there).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CORPUS = os.path.join(HERE, "..", "..", "shared", "corpus", "z2jh")
HEADLINE = re.compile(r"^\s*(?:error|warning|info)\[([^\]]+)\]")
PLACE = re.compile(r"^\s*--> (.*):(\d+):(\d+)$")


def nblint(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nblint", "check", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "100"},
        check=False,
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"nblint exited {done.returncode}: {done.stderr[:500]}")
    return done.stdout


def text_places(text: str, folded: bool) -> set[tuple[str, str, int]]:
    """(rule, file, line) of every finding a text report shows: in the folded report the place
    comes first and its rules follow; in the per-pod one each rule comes first, then its place."""
    places: set[tuple[str, str, int]] = set()
    place: tuple[str, int] | None = None
    pending: str | None = None
    for line in text.splitlines():
        located = PLACE.match(line)
        headline = HEADLINE.match(line)
        if located:
            place = (located[1], int(located[2]))
            if not folded and pending is not None:
                places.add((pending, *place))
                pending = None
        elif headline:
            if folded:
                assert place is not None
                places.add((headline[1], *place))
            else:
                pending = headline[1]
    return places


def roots(findings: list[dict[str, Any]]) -> int:
    return len({(f["rule"], f["file"], f["line"], f["column"], f["message"]) for f in findings})


def measure(corpus: str) -> dict[str, Any]:
    folded = json.loads(nblint("--format", "json", corpus))["findings"]
    per_pod = json.loads(nblint("--format", "json", "--no-fold", corpus))["findings"]
    text = nblint(corpus)
    old_text = nblint("--no-fold", corpus)
    lines, old_lines = len(text.splitlines()), len(old_text.splitlines())
    return {
        "findings": len(folded),
        "per_pod_findings": len(per_pod),
        "distinct_roots": roots(folded),
        "per_root": len(folded) / max(roots(folded), 1),
        "per_root_without_folding": len(per_pod) / max(roots(per_pod), 1),
        "text_lines": lines,
        "text_lines_without_folding": old_lines,
        "shorter_by": old_lines / max(lines, 1),
        "same_places": text_places(text, True) == text_places(old_text, False),
        "places": len(text_places(text, True)),
    }


if __name__ == "__main__":
    corpus = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_CORPUS
    numbers = measure(corpus)
    print(
        f"{numbers['findings']} findings for {numbers['distinct_roots']} distinct (rule, file, "
        f"line, column, message): {numbers['per_root']:.2f} per problem "
        f"(without folding: {numbers['per_pod_findings']} findings, "
        f"{numbers['per_root_without_folding']:.2f} per problem)"
    )
    print(
        f"text: {numbers['text_lines']} lines, {numbers['text_lines_without_folding']} without "
        f"folding: {numbers['shorter_by']:.1f}x shorter; same (rule, file, line) places: "
        f"{numbers['same_places']} ({numbers['places']})"
    )
