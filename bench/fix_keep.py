"""Which way of editing keeps a file better: ruamel.yaml's round trip, or nblint's position-guided
edits (``nblint/fix/apply.py``)?

    pip install ruamel.yaml && python bench/fix_keep.py [PATH ...]

For every file (default: ``../shared/corpus`` and ``examples/``) and each of its first edits
(``--per-file``, default 5; each applied alone to the file as it is):

* position-guided: the edit's own replacements, and the bytes a line diff finds changed outside
  them (:func:`nblint.run.fixing.bytes_outside`);
* ruamel.yaml: the file loaded in round-trip mode (``preserve_quotes``), its tree changed to
  hold exactly what the position-guided result holds (same data, so only the writing differs),
  and dumped; the bytes changed outside the same edited regions. Also the file loaded and dumped
  with no change at all: what a round trip alone costs.

Prints a table and writes ``bench/out/fix_keep.json``. Not part of the test run (ruamel.yaml is
not a dependency of nblint).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nblint.check.rules import load_rules  # noqa: E402
from nblint.fix.apply import FixError, apply_edit  # noqa: E402
from nblint.run.fixing import bytes_outside  # noqa: E402
from nblint.run.pipeline import Options, Runner  # noqa: E402


def ruamel_dump(text: str, change: Any = None) -> str:
    """``text`` through ruamel.yaml's round trip; ``change(documents)`` edits the trees."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    documents = list(yaml.load_all(text))
    if change is not None:
        change(documents)
    out = io.StringIO()
    yaml.dump_all(documents, out)
    return out.getvalue()


def sync(target: Any, wanted: Any) -> Any:
    """Make the ruamel tree ``target`` hold ``wanted`` (plain data), changing as little as it can;
    returns what to store in the parent when ``target`` must be replaced."""
    if isinstance(target, dict) and isinstance(wanted, dict):
        for key in [k for k in target if k not in wanted]:
            del target[key]
        for key, value in wanted.items():
            if key in target:
                replaced = sync(target[key], value)
                if replaced is not target[key]:
                    target[key] = replaced
            else:
                target[key] = value
        return target
    if isinstance(target, list) and isinstance(wanted, list):
        del target[len(wanted) :]
        for index, value in enumerate(wanted):
            if index < len(target):
                replaced = sync(target[index], value)
                if replaced is not target[index]:
                    target[index] = replaced
            else:
                target.append(value)
        return target
    return target if target == wanted else wanted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--per-file", type=int, default=5)
    args = parser.parse_args()
    import yaml as pyyaml

    paths = [Path(p) for p in args.paths] or [
        *sorted((ROOT.parent / "shared" / "corpus").glob("*/*.yaml")),
        *sorted((ROOT / "examples").rglob("*.yaml")),
    ]
    rules = load_rules()
    totals = {
        "files": 0,
        "edits": 0,
        "bytes_in_files": 0,
        "position_guided_bytes_outside": 0,
        "position_guided_files_changed_outside": 0,
        "ruamel_bytes_outside": 0,
        "ruamel_files_changed_outside": 0,
        "ruamel_roundtrip_bytes_changed": 0,
        "ruamel_roundtrip_files_changed": 0,
        "ruamel_failures": 0,
    }
    for path in paths:
        result = Runner(Options(), rules).run([str(path)])
        text = result.texts.get(str(path), "")
        edits = []
        for finding in result.findings:
            if finding.edit is not None and finding.edit not in edits:
                edits.append(finding.edit)
        totals["files"] += 1
        totals["bytes_in_files"] += len(text)
        try:
            noop = ruamel_dump(text)
        except Exception:
            totals["ruamel_failures"] += 1
            continue
        changed = bytes_outside(text, noop, [])
        totals["ruamel_roundtrip_bytes_changed"] += changed
        totals["ruamel_roundtrip_files_changed"] += changed > 0
        guided_outside = ruamel_outside = 0
        for edit in edits[: args.per_file]:
            try:
                new, replacements = apply_edit(text, edit)
            except FixError:
                continue
            if not replacements:
                continue
            totals["edits"] += 1
            guided_outside += bytes_outside(text, new, replacements)
            wanted = list(pyyaml.safe_load_all(new))

            def change(documents: list[Any], wanted: list[Any] = wanted) -> None:
                for index, document in enumerate(documents):
                    documents[index] = sync(document, wanted[index])

            try:
                ruamel_new = ruamel_dump(text, change)
            except Exception:
                totals["ruamel_failures"] += 1
                continue
            ruamel_outside += bytes_outside(text, ruamel_new, replacements)
        totals["position_guided_bytes_outside"] += guided_outside
        totals["position_guided_files_changed_outside"] += guided_outside > 0
        totals["ruamel_bytes_outside"] += ruamel_outside
        totals["ruamel_files_changed_outside"] += ruamel_outside > 0
    width = max(len(k) for k in totals)
    for key, value in totals.items():
        print(f"{key:<{width}}  {value}")
    out = ROOT / "bench" / "out"
    os.makedirs(out, exist_ok=True)
    (out / "fix_keep.json").write_text(json.dumps(totals, indent=2) + "\n")


if __name__ == "__main__":
    main()
