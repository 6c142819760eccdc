"""``nblint check``: lint files, directories or stdin, and report as a CI gate needs."""

from __future__ import annotations

import os
import sys

from nblint.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    check_selectors,
    dialect_settings,
    expanded_context,
    fail_usage,
    help_uris,
    policy,
    say,
    selectors,
)
from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.report import printable

STDIN = "-"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

    from nblint.load.selection import Selection
    from nblint.model.result import Report, RunResult
    from nblint.model.rule import Rule
    from nblint.run.config import Config
    from nblint.run.pipeline import Options

EXIT_CODES = """\b
Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on (a file that cannot be read or parsed is one)
  2  a usage or configuration problem (an unknown option or rule, a path that does
     not exist, a directory with no YAML file, a baseline that cannot be read)
"""


def run_check(paths: tuple[str, ...], params: dict[str, Any], given: set[str]) -> NoReturn:
    """``nblint check`` with its parameters read (by click, or by :mod:`nblint.cli.argv`):
    ``given`` names the ones the command line set, which a configuration file does not
    override. Leaves with the exit code."""
    from nblint.run import gate

    config, options, rules, inputs, empty_dirs, named = prepare(paths, params, given)
    if params["fix"]:
        from nblint.cli.fix import run_fix, write_fixed

        write_fixed(run_fix(options, rules, inputs, config, params["unsafe_fixes"], named))
    result = gate.run(options, rules, inputs, config, named)
    _tell(result.notices + _psa_notice(params["psa_version"]), params["quiet"])
    if params["output_format"] == "sarif":
        from nblint.run.fixing import describe_changes

        describe_changes(result)
    if params["write_baseline"]:
        _write_baseline(params["write_baseline"], result)
        sys.exit(EXIT_CLEAN)
    findings = _apply_baseline(result, params["baseline_file"])
    report = _report(result, findings, rules, options, params)
    if params["statistics"]:
        _write_statistics(params["output_format"], params["output"], report)
    else:
        _write_report(params["output_format"], params["output"], params["color"], report)
    sys.exit(EXIT_USAGE if empty_dirs else exit_code(findings, params["fail_on"]))


def prepare(
    paths: tuple[str, ...], params: dict[str, Any], given: set[str]
) -> tuple[Config | None, Options, dict[str, Rule], list[str], list[str], bool]:
    """What a command that runs the pipeline needs: configuration, options, rules, the files to
    lint, the directories given that hold no YAML file (exit 2 when nothing is left), and
    whether PATHs were given (else the configured releases are what is checked)."""
    config = _configure(params, given)
    if not paths and params.get("stdin_filename"):
        paths = (STDIN,)
    elif not paths and not params["values_files"] and not (config and config.releases):
        paths = (".",)  # like ruff: the project the command runs in
    options, rules = _options(paths, params, config)
    empty_dirs: list[str] = []
    selection = _selection(params, config, given)
    inputs = _inputs(paths, empty_dirs, selection, params.get("quiet", False))
    if empty_dirs and not inputs and not (config and config.releases):
        sys.exit(EXIT_USAGE)  # nothing was checked: the error said why, no report to give
    return config, options, rules, inputs, empty_dirs, bool(paths)


def _configure(params: dict[str, Any], given: set[str]) -> Config | None:
    """The project configuration (``--config`` or discovered), filling every option the command
    line left at its default (the command line wins)."""
    from nblint.run.config import ConfigError, apply_to_params, discover_config

    try:
        config = discover_config(params["config_file"])
    except ConfigError as err:
        fail_usage(str(err))
    if config is not None:
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

    context = expanded_context(params)
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
        stdin_filename=params.get("stdin_filename"),
    )
    check_selectors(rules, options.select, "--select")
    check_selectors(rules, options.ignore, "--ignore")
    return options, rules


def _selection(params: dict[str, Any], config: Config | None, given: set[str]) -> Selection:
    """What a walk skips: the command line's patterns, else the configuration's, else the
    defaults; then both ``extend-exclude`` lists; and ``.gitignore`` unless turned off."""
    from nblint.load.selection import DEFAULT_EXCLUDE, Selection

    raw = config.raw if config is not None else {}
    base = config.base if config is not None else "."
    if params["exclude"] is not None:
        exclude = [(".", p) for p in selectors(params["exclude"]) or ()]
    elif "exclude" in raw:
        exclude = [(base, p) for p in raw["exclude"]]
    else:
        exclude = [(".", p) for p in DEFAULT_EXCLUDE]
    exclude += [(base, p) for p in raw.get("extend-exclude", [])]
    exclude += [(".", p) for p in selectors(params["extend_exclude"]) or ()]
    respect = params["respect_gitignore"]
    if "respect_gitignore" not in given:
        respect = raw.get("respect-gitignore", True)
    force = params["force_exclude"] or raw.get("force-exclude", False)
    return Selection(exclude, respect_gitignore=respect, force_exclude=force)


def _inputs(
    paths: tuple[str, ...], empty_dirs: list[str], selection: Selection, quiet: bool
) -> list[str]:
    """The files to check; a directory with no YAML file is reported, and the others checked.
    A Helm chart's ``templates/`` is skipped with one line saying how to lint it rendered."""
    from nblint.load.files import InputError, discover

    try:
        inputs = list(discover(list(paths), empty_dirs, selection))
    except InputError as err:
        fail_usage(str(err))
    charts = [
        f"{os.path.join(chart, 'templates')}/: skipped, Helm templates are not YAML until "
        f"rendered: lint the chart as Helm renders it, `helm template {chart} | nblint check -`"
        for chart in selection.charts
    ]
    _tell(charts, quiet)
    for directory in empty_dirs:
        why = f" ({selection.excluded} excluded)" if selection.excluded else ""
        say(printable(f"nblint: error: {directory}: no YAML files (*.yaml, *.yml) to check{why}"))
    return inputs


def _tell(notices: list[str], quiet: bool) -> None:
    """Say how the run went where the findings do not (stderr), unless ``--quiet``."""
    if quiet:
        return
    for notice in notices:
        say(printable(f"nblint: {notice}"))


def _psa_notice(version: str) -> list[str]:
    """A version newer than nblint knows is evaluated as the newest, as the API server does:
    say so, or a reader thinks it was checked against the version asked for."""
    from nblint.cli.common import LATEST_PSA_VERSION
    from nblint.model.rule import parse_version

    if version == "latest" or parse_version(version) <= LATEST_PSA_VERSION:
        return []
    newest = "v{}.{}".format(*LATEST_PSA_VERSION)
    return [
        f"--psa-version {version} is newer than the newest policy nblint knows; "
        f"evaluated as {newest}, as the API server does"
    ]


def _write_baseline(path: str, result: RunResult) -> None:
    from nblint.run import baseline

    try:
        count, kept = baseline.write(path, result.findings, result.inputs)
    except baseline.BaselineError as err:
        fail_usage(str(err))
    findings = f"{count} finding{'s' * (count != 1)}"
    if kept:
        say(
            f"nblint: wrote {findings} to baseline {path} ({kept} kept for files this "
            "run did not check)"
        )
    else:
        say(f"nblint: wrote {findings} to baseline {path}")


def _apply_baseline(result: RunResult, baseline_file: str | None) -> list[Finding]:
    """The findings the baseline does not hold; its stale entries for the files this run
    checked are listed on stderr (an entry for a file the run did not check is not stale)."""
    if not baseline_file:
        return result.findings
    from nblint.run import baseline, gate  # hashing and git look-ups only when a baseline is used

    try:
        findings, stale = gate.apply_baseline(result.findings, baseline_file, result.inputs)
    except baseline.BaselineError as err:
        fail_usage(str(err))
    for entry in stale:
        say(f"nblint: stale baseline entry (no longer found): {entry.describe()}")
    if stale:
        say(
            f"nblint: {len(stale)} baseline entr{'ies' if len(stale) != 1 else 'y'} no longer "
            f"match; refresh with --write-baseline {baseline_file}"
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
        fold=not params["no_fold"],
        quiet=params["quiet"],
        help_uris=help_uris(rules.values()),
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


def _write_statistics(output_format: str, output: str | None, report: Report) -> None:
    from nblint.report import statistics

    as_json = output_format == "json"
    if not output:
        statistics.write(report, sys.stdout, as_json)
        return
    try:
        with open(output, "w", encoding="utf-8") as stream:
            statistics.write(report, stream, as_json)
    except OSError as err:
        fail_usage(f"cannot write {output}: {err.strerror}")


def _write_report(output_format: str, output: str | None, color: str, report: Report) -> None:
    from nblint.report import formatter

    write = formatter(output_format)
    if output:
        report.colour = color == "always"
        try:
            with open(output, "w", encoding="utf-8") as stream:
                write(report, stream)
        except OSError as err:
            fail_usage(f"cannot write {output}: {err.strerror}")
    else:
        report.colour = output_format == "text" and _use_colour(color)
        write(report, sys.stdout)


def _use_colour(color: str) -> bool:
    from nblint.report.text import use_colour  # only the text format colours

    return use_colour(sys.stdout, color)
