"""What ``nblint check`` does around the pipeline to work as a CI gate.

The run itself: the PATHs, and each z2jh release of the configuration as its own stack of values
files (:func:`run`). After the run: per-file ignores, then the baseline (:func:`apply_baseline`).
Suppression comments are applied by the pipeline itself, so every caller sees them. Reading the
configuration into the command line's options is the command line's own business.
"""

from __future__ import annotations

import os

from nblint.load.files import STDIN
from nblint.model.finding import Finding
from nblint.model.result import EditableFiles, RunResult
from nblint.model.rule import Implementation, Rule
from nblint.model.rule import active_rules as select_rules
from nblint.run.config import Config, apply_to_rules, check_rule_names, drop_per_file_ignores
from nblint.run.pipeline import Options, Runner
from nblint.run.results import merge

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nblint.run import baseline


def prepare_rules(config: Config | None, rules: dict[str, Rule]) -> None:
    """Check the rule names the config uses, then apply its severities and options.

    Raises :class:`nblint.run.config.ConfigError`.
    """
    if config is not None:
        check_rule_names(config, rules)
        apply_to_rules(config, rules)


def run(
    options: Options,
    rules: dict[str, Rule],
    inputs: list[str],
    config: Config | None,
    paths_given: bool = True,
) -> RunResult:
    """The PATHs (with any ``-f`` release), and the configured releases on their own: every
    release when no PATH was given, else only those a PATH belongs to (a PATH is judged with the
    layers of its release; the other releases are nobody's business in a run on one file, as
    pre-commit's on the staged ones)."""
    releases = config.releases if config is not None and not options.dialect.get("values") else []
    in_release = {os.path.realpath(v) for release in releases for v in release.values}
    # (realpath costs a few system calls per input: none when no release names a file)
    named = {os.path.realpath(p) for p in inputs} if in_release else set()
    paths = [p for p in inputs if os.path.realpath(p) not in in_release] if in_release else inputs
    stdin_name = options.stdin_filename
    if STDIN in paths and stdin_name and os.path.realpath(stdin_name) in in_release:
        text = _stdin_text()
        if text is not None:  # what stdin holds stands for that layer in its release's run
            named.add(os.path.realpath(stdin_name))
            paths = [p for p in paths if p != STDIN]
            layers = {v: text for r in releases for v in r.values if _same(v, stdin_name)}
            options = options.replace(texts={**options.texts, **layers})
    if paths_given:
        releases = [r for r in releases if named.intersection(map(os.path.realpath, r.values))]
    results = []
    if paths or options.dialect.get("values") or not releases:
        results.append(Runner(options, rules).run(paths))
    for release in releases:
        dialect = {
            **options.dialect,
            "values": release.values,
            "chart_version": release.chart_version or options.dialect.get("chart_version"),
            "values_root": release.values_root or options.dialect.get("values_root"),
            "namespace": release.namespace or options.dialect.get("namespace"),
        }
        results.append(Runner(options.replace(dialect=dialect), rules).run([]))
    result = merge(results)
    if paths_given:
        # `nblint fix PATH…` edits only the files named (see cli/fix.run_fix): check's count of
        # what it would fix must not count a fix that goes into another layer of their release.
        result.editable = EditableFiles([p for p in inputs if p != STDIN], named)
    if config is not None:
        result.findings = drop_per_file_ignores(config, result.findings, rules)
    return result


def _same(path: str, other: str) -> bool:
    return os.path.realpath(path) == os.path.realpath(other)


def _stdin_text() -> str | None:
    """Standard input's text, for a ``--stdin-filename`` that is a release's layer; None when
    it cannot be read as text, and then it is given back for the plain run to report why."""
    import io
    import sys

    from nblint.load.files import MAX_FILE_BYTES, decode

    data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) <= MAX_FILE_BYTES:
        text, problem = decode(data)
        if problem is None:
            return text
    sys.stdin = io.TextIOWrapper(io.BytesIO(data))
    return None


def active_rules(options: Options, rules: dict[str, Rule]) -> list[tuple[Rule, Implementation]]:
    """The rules a run with ``options`` evaluates (SARIF lists exactly these)."""
    return select_rules(rules, options.policy, options.select, options.ignore)


def apply_baseline(
    findings: list[Finding], baseline_file: str | None, checked: list[str] | None = None
) -> tuple[list[Finding], list[baseline.Entry]]:
    """Findings not in the baseline, and the baseline's stale entries among the files this run
    ``checked`` (raises BaselineError)."""
    if not baseline_file:
        return findings, []
    from nblint.run import baseline  # hashing and git look-ups only when a baseline is used

    return baseline.apply(findings, baseline.read(baseline_file), checked)
