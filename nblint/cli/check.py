"""``nblint check``: lint files, directories or stdin, and report as a CI gate needs."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from nblint.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    check_selectors,
    context_files,
    dialect_settings,
    fail_usage,
    policy,
    selectors,
    with_run_options,
)
from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.report import FORMATS

if TYPE_CHECKING:
    from nblint.model.result import Report, RunResult
    from nblint.model.rule import Rule
    from nblint.run.config import Config
    from nblint.run.pipeline import Options

#: Parameters of ``check`` a configuration file may fill (its other settings are read apart).
_CONFIGURABLE = (
    "select",
    "ignore",
    "psa_level",
    "psa_version",
    "fail_on",
    "rules_dir",
    "baseline_file",
)


@click.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="Output format: text, json, sarif (code scanning) or github (workflow annotations).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here."
)
@click.option("--select", help="Comma-separated rule ids or groups to run (default: all).")
@click.option("--ignore", help="Comma-separated rule ids or groups to skip.")
@with_run_options
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding has this severity or a higher one.",
)
@click.option(
    "--rules-dir",
    multiple=True,
    type=click.Path(file_okay=False),
    help="Extra rule files (repeatable).",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    help="Colour in text output.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Processes for large trees (0: one per CPU); the report is the same for any N.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    help="Configuration file (default: .nblint.yaml or [tool.nblint] in pyproject.toml, "
    "searched from the working directory up to the repository root).",
)
@click.option(
    "--show-suppressed",
    is_flag=True,
    help="Also list the findings that # nblint: disable comments suppress.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(dir_okay=False),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False),
    help="Record the current findings in this baseline file and exit 0.",
)
@click.option("--fix", is_flag=True, help="Apply the safe fixes first (as `nblint fix`).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: also apply the unsafe fixes.")
def check(paths: tuple[str, ...], **params: Any) -> None:
    """Check PATHs (files, directories, or - for stdin) and report every finding.

    z2jh values files given with -f/--values are layered into one release; PATHs are each
    checked on their own.
    """
    from nblint.run import gate

    config, options, rules, inputs, empty_dirs = prepare(paths, params)
    if params["fix"] or params["unsafe_fixes"]:
        from nblint.cli.fix import run_fix, write_fixed

        write_fixed(run_fix(options, rules, inputs, config, params["unsafe_fixes"]))
    result = gate.run(options, rules, inputs, config)
    if params["output_format"] == "sarif":
        from nblint.run.fixing import describe_changes

        describe_changes(result)
    if params["write_baseline"]:
        _write_baseline(params["write_baseline"], result.findings)
        sys.exit(EXIT_CLEAN)
    findings = _apply_baseline(result.findings, params["baseline_file"])
    report = _report(result, findings, rules, options, params)
    _write_report(params["output_format"], params["output"], params["color"], report)
    sys.exit(EXIT_USAGE if empty_dirs else exit_code(findings, params["fail_on"]))


def prepare(
    paths: tuple[str, ...], params: dict[str, Any]
) -> tuple[Config | None, Options, dict[str, Rule], list[str], list[str]]:
    """What a command that runs the pipeline needs: configuration, options, rules, inputs, and
    the directories given that hold no YAML file."""
    config = _configure(params)
    options, rules = _options(paths, params, config)
    empty_dirs: list[str] = []
    inputs = _inputs(paths, empty_dirs)
    return config, options, rules, inputs, empty_dirs


def _configure(params: dict[str, Any]) -> Config | None:
    """The project configuration (``--config`` or discovered), filling every option the command
    line left at its default (the command line wins)."""
    from nblint.run.config import ConfigError, apply_to_params, discover_config

    ctx = click.get_current_context()
    try:
        config = discover_config(params["config_file"])
    except ConfigError as err:
        fail_usage(str(err))
    if config is not None:
        unset = (click.core.ParameterSource.DEFAULT, click.core.ParameterSource.DEFAULT_MAP, None)
        given = {name for name in ctx.params if ctx.get_parameter_source(name) not in unset}
        apply_to_params(config, params, given)
    return config


def _options(
    paths: tuple[str, ...], params: dict[str, Any], config: Config | None
) -> tuple[Options, dict[str, Rule]]:
    """The run's options and rules, from the command line and the configuration."""
    from nblint.check.rules import load_rules
    from nblint.model.rule import RuleError
    from nblint.run import gate
    from nblint.run.config import ConfigError
    from nblint.run.pipeline import Options
    from nblint.run.pipeline import context_files as expand

    if not paths and not params["values_files"] and not (config and config.releases):
        raise click.UsageError("give at least one PATH or -f/--values FILE")
    for _, path in context_files(params):
        if not os.path.exists(path):
            fail_usage(f"--poddefaults {path}: no such file or directory")
    context = expand("--poddefaults", [path for _, path in context_files(params)])
    try:
        rules = load_rules(tuple(params["rules_dir"]))
        gate.prepare_rules(config, rules)
    except (RuleError, ConfigError) as err:
        fail_usage(str(err))
    options = Options(
        policy(params["psa_level"], params["psa_version"]),
        selectors(params["select"]),
        selectors(params["ignore"]),
        tuple(params["rules_dir"]),
        dialect_settings(params),
        context=context,
        jobs=params.get("jobs", 1),
    )
    check_selectors(rules, options.select, "--select")
    check_selectors(rules, options.ignore, "--ignore")
    return options, rules


def _inputs(paths: tuple[str, ...], empty_dirs: list[str]) -> list[str]:
    """The files to check; a directory with no YAML file is reported, and the others checked."""
    from nblint.load.files import InputError, discover

    try:
        inputs = list(discover(list(paths), empty_dirs))
    except InputError as err:
        fail_usage(str(err))
    for directory in empty_dirs:
        click.echo(f"nblint: error: {directory}: no YAML files (*.yaml, *.yml) found", err=True)
    return inputs


def _write_baseline(path: str, findings: list[Finding]) -> None:
    from nblint.run import baseline

    try:
        count = baseline.write(path, findings)
    except baseline.BaselineError as err:
        fail_usage(str(err))
    click.echo(f"nblint: wrote {count} finding(s) to baseline {path}", err=True)


def _apply_baseline(findings: list[Finding], baseline_file: str | None) -> list[Finding]:
    """The findings the baseline does not hold; its stale entries are listed on stderr."""
    if not baseline_file:
        return findings
    from nblint.run import baseline, gate  # hashing and git look-ups only when a baseline is used

    try:
        findings, stale = gate.apply_baseline(findings, baseline_file)
    except baseline.BaselineError as err:
        fail_usage(str(err))
    for entry in stale:
        click.echo(f"nblint: stale baseline entry (no longer found): {entry.describe()}", err=True)
    if stale:
        click.echo(
            f"nblint: {len(stale)} baseline entr{'ies' if len(stale) != 1 else 'y'} no longer "
            f"match; refresh with --write-baseline {baseline_file}",
            err=True,
        )
    return findings


def _report(
    result: RunResult,
    findings: list[Finding],
    rules: dict[str, Rule],
    options: Options,
    params: dict[str, Any],
) -> Report:
    from nblint.dialects.registry import fix_labels
    from nblint.model.result import Report
    from nblint.run import gate

    return Report(
        result,
        findings,
        rules,
        active=[rule for rule, _ in gate.active_rules(options, rules)],
        suppressed=[(f, s.reason) for f, s in result.suppressed]
        if params["show_suppressed"]
        else [],
        fix_labels=fix_labels(),
    )


def exit_code(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on]
    return (
        EXIT_FINDINGS
        if any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
        else EXIT_CLEAN
    )


def _write_report(output_format: str, output: str | None, color: str, report: Report) -> None:
    from nblint.report import formatter, text

    write = formatter(output_format)
    if output:
        report.colour = color == "always"
        try:
            with open(output, "w", encoding="utf-8") as stream:
                write(report, stream)
        except OSError as err:
            fail_usage(f"cannot write {output}: {err.strerror}")
    else:
        report.colour = output_format == "text" and text.use_colour(sys.stdout, color)
        write(report, sys.stdout)
