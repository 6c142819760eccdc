"""What ``nblint fix --unsafe-fixes`` does to the corpora: the README's numbers.

    python bench/fix_corpus.py [PATH ...]

Each file (default: ``../shared/corpus`` and ``examples/``) is fixed on its own, in memory, as
``nblint fix --unsafe-fixes FILE`` would: findings before, how many had a fix nblint applies,
how many were fixed, what is left and why, findings that were not there before, and whether a
second fix changes anything. ``tests/test_fix_corpus.py`` asserts the same per file.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nblint.check.rules import load_rules  # noqa: E402
from nblint.model.result import RunResult  # noqa: E402
from nblint.run import fixing  # noqa: E402
from nblint.run.pipeline import Options, Runner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    paths = [Path(p) for p in args.paths] or [
        *sorted((ROOT.parent / "shared" / "corpus").glob("*/*.yaml")),
        *sorted((ROOT / "examples").rglob("*.yaml")),
    ]
    rules = load_rules()
    totals: collections.Counter[str] = collections.Counter()
    why_left: collections.Counter[str] = collections.Counter()
    started = time.perf_counter()
    for path in paths:

        def check(texts: dict[str, str], path: Path = path) -> RunResult:
            return Runner(Options(texts=texts), rules).run([str(path)])

        outcome = fixing.fix(check, unsafe=True)
        before = outcome.before.findings
        known = {fixing.finding_key(f) for f in before}
        totals["files"] += 1
        totals["files changed"] += bool(outcome.texts)
        totals["findings before"] += len(before)
        totals["with a fix nblint applies (safe)"] += sum(f.applicability == "safe" for f in before)
        totals["with a fix nblint applies (unsafe)"] += sum(
            f.applicability == "unsafe" for f in before
        )
        after = outcome.after.findings
        totals["findings after"] += len(after)
        left = [f for f in after if f.applicability in ("safe", "unsafe")]
        totals["fixable findings left"] += len(left)
        reasons = {(f.rule, f.container): why for f, why in outcome.failed}
        reasons.update({(f.rule, f.container): "it would add a finding" for f in outcome.rejected})
        for finding in left:
            why = reasons.get((finding.rule, finding.container), "unexplained")
            why_left[why.split(":")[1].strip() if why.startswith("line ") else why[:60]] += 1
        totals["new findings"] += sum(fixing.finding_key(f) not in known for f in after)
        if outcome.texts:
            again = fixing.fix(
                lambda texts, done=outcome.texts: check({**done, **texts}), unsafe=True
            )
            totals["files a second fix changes"] += bool(again.texts)
    width = max(len(k) for k in totals)
    for key, value in totals.items():
        print(f"{key:<{width}}  {value}")
    print("left, because:")
    for why, count in why_left.most_common():
        print(f"  {count:5}  {why}")
    print(f"({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
