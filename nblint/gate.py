"""What ``nblint check`` does around the pipeline to work as a CI gate.

Before the run: read the project configuration and fill the options the command line left at
their defaults (:func:`configure`). The run itself: the PATHs, and each z2jh release of the
configuration as its own stack of values files (:func:`run`). After the run: per-file ignores,
then the baseline (:func:`apply_baseline`). Suppression comments are applied by the pipeline
itself, so every caller sees them.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import click

from nblint.check.rules import Implementation, Rule
from nblint.check.rules import active_rules as select_rules
from nblint.config import (
    Config,
    apply_to_params,
    apply_to_rules,
    check_rule_names,
    drop_per_file_ignores,
)
from nblint.config import discover_config as _discover
from nblint.model import Finding
from nblint.pipeline import Options, Result, Runner

if TYPE_CHECKING:
    from nblint import baseline

_UNSET = (click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP, None)


def configure(ctx: click.Context, config_file: str | None) -> Config | None:
    """Load the config (``--config`` or discovered) into ``ctx.params`` where the CLI is silent.

    Raises :class:`nblint.config.ConfigError`.
    """
    config = _discover(config_file)
    if config is not None:
        given = {name for name in ctx.params if ctx.get_parameter_source(name) not in _UNSET}
        apply_to_params(config, ctx.params, given)
    return config


def prepare_rules(config: Config | None, rules: dict[str, Rule]) -> None:
    """Check the rule names the config uses, then apply its severities and options."""
    if config is not None:
        check_rule_names(config, rules)
        apply_to_rules(config, rules)


def run(
    options: Options, rules: dict[str, Rule], inputs: list[str], config: Config | None
) -> Result:
    """The PATHs (with any ``-f`` release), then every configured release on its own."""
    releases = config.releases if config is not None and not options.dialect.get("values") else []
    in_release = {os.path.realpath(v) for release in releases for v in release.values}
    paths = [p for p in inputs if os.path.realpath(p) not in in_release]
    results = []
    if paths or options.dialect.get("values") or not releases:
        results.append(Runner(options, rules).run(paths))
    for release in releases:
        dialect = {
            **options.dialect,
            "values": release.values,
            "chart_version": release.chart_version or options.dialect.get("chart_version"),
            "values_root": release.values_root or options.dialect.get("values_root"),
        }
        results.append(Runner(replace(options, dialect=dialect), rules).run([]))
    result = results[0] if len(results) == 1 else _merge(results)
    if config is not None:
        result.findings = drop_per_file_ignores(config, result.findings, rules)
    return result


def _merge(results: list[Result]) -> Result:
    """One result for several runs; a file shared by releases reports each finding once.

    A suppression in a shared file is unused only if it is unused in every run that read it.
    """
    merged = Result()
    seen: set[tuple[Any, ...]] = set()
    readers = {f: sum(f in r.texts for r in results) for r in results for f in r.texts}
    unused: dict[tuple[Any, ...], int] = {}
    for result in results:
        merged.pods.extend(result.pods)
        merged.documents += result.documents
        merged.skipped.update(result.skipped)
        merged.texts.update(result.texts)
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
            if pair[0].identity() not in {f.identity() for f, _ in merged.suppressed}:
                merged.suppressed.append(pair)
    merged.files = len(merged.texts)
    merged.findings.sort(key=Finding.sort_key)
    return merged


def active_rules(options: Options, rules: dict[str, Rule]) -> list[tuple[Rule, Implementation]]:
    """The rules a run with ``options`` evaluates (SARIF lists exactly these)."""
    return select_rules(rules, options.policy, options.select, options.ignore)


def apply_baseline(
    findings: list[Finding], baseline_file: str | None
) -> tuple[list[Finding], list[baseline.Entry]]:
    """Findings not in the baseline, and the baseline's stale entries (raises BaselineError)."""
    if not baseline_file:
        return findings, []
    from nblint import baseline  # hashing and git look-ups only when a baseline is used

    return baseline.apply(findings, baseline.read(baseline_file))
