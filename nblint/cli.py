"""The command line: ``nblint check``, ``render``, ``rules`` and ``explain``.

Option names are a public contract (scripts and CI gates call them). Exit codes: 0 nothing at or
above ``--fail-on``, 1 findings at or above it, 2 a usage or configuration problem.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import IO, Any, NoReturn

import click

from nblint import __version__
from nblint.check.rules import PsaPolicy, RuleError, load_rules, parse_version
from nblint.load.files import InputError, discover
from nblint.model import SEVERITY_RANK, Finding
from nblint.report import FORMATS as REPORT_FORMATS
from nblint.report import printable

LATEST_PSA_VERSION = (1, 37)
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _fail_usage(message: str) -> NoReturn:
    click.echo(printable(f"nblint: error: {message}"), err=True)  # it may quote the input
    sys.exit(EXIT_USAGE)


def _selectors(text: str | None) -> set[str] | None:
    if text is None:
        return None
    return {part.strip() for part in text.split(",") if part.strip()}


def resolve_psa_version(text: str) -> tuple[int, int]:
    """``latest`` or ``vX.Y``; a version newer than nblint knows is evaluated as the newest."""
    if text == "latest":
        return LATEST_PSA_VERSION
    try:
        version = parse_version(text)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    if version[0] != 1:
        raise click.BadParameter(f"{text}: only policy versions v1.x exist")
    return min(version, LATEST_PSA_VERSION)


def _check_selectors(rules: dict[str, Any], selectors: set[str] | None, option: str) -> None:
    from nblint.check.rules import GROUPS

    groups = set(GROUPS) | {rule.group for rule in rules.values()}
    for name in selectors or ():
        if name not in rules and name not in groups and name != "ALL":
            _fail_usage(f"{option}: unknown rule or group {name!r} (see `nblint rules`)")


_common_psa = [
    click.option(
        "--psa-level",
        type=click.Choice(["baseline", "restricted"]),
        default="restricted",
        show_default=True,
        help="Pod Security Admission level to check against.",
    ),
    click.option(
        "--psa-version",
        default="latest",
        show_default=True,
        help="PSA policy version, vX.Y (v1.0 … v1.37) or latest.",
    ),
]


def _checked_z2jh_option(name: str, value: str | None) -> str | None:
    """``--chart-version`` resolved to a bundled version; ``--values-root`` checked as given."""
    if value is None:
        return None
    from nblint.normalise.z2jh import values

    try:
        if name == "chart_version":
            return values.resolve_chart_version(value)
        values.parse_root(value)
    except values.ValuesError as err:
        raise click.BadParameter(str(err)) from None
    return value


_dialect_options = [
    click.option(
        "--chart-version",
        default=None,
        callback=lambda _ctx, _param, value: _checked_z2jh_option("chart_version", value),
        help="z2jh chart version whose defaults, values schema and KubeSpawner traits apply: "
        "4.4.0 or 3.3.8 (default: newest bundled).",
    ),
    click.option(
        "--values-root",
        default=None,
        callback=lambda _ctx, _param, value: _checked_z2jh_option("values_root", value),
        help="Dotted key under which z2jh sits in the values files (e.g. jupyterhub, "
        "basehub.jupyterhub); detected when not given.",
    ),
    click.option(
        "-f",
        "--values",
        "values_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="A z2jh values file; repeat to layer several files as one release (later wins).",
    ),
    click.option(
        "--kubeflow-add-fsgroup",
        type=click.Choice(["true", "false"]),
        default="true",
        show_default=True,
        help="Whether the Kubeflow notebook controller adds fsGroup: 100 (its ADD_FSGROUP).",
    ),
    click.option(
        "--poddefaults",
        multiple=True,
        type=click.Path(),
        help="Files or directories with the cluster's Kubeflow PodDefaults (repeatable).",
    ),
]


def _with_psa(func: Any) -> Any:
    for option in reversed(_common_psa + _dialect_options):
        func = option(func)
    return func


def dialect_settings(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The dialect options of a command, as :attr:`nblint.pipeline.Options.dialect`."""
    return {
        "chart_version": kwargs.get("chart_version"),
        "values_root": kwargs.get("values_root"),
        "values": list(kwargs.get("values_files") or ()),
        "kubeflow_add_fsgroup": kwargs.get("kubeflow_add_fsgroup", "true") == "true",
        "poddefaults": list(kwargs.get("poddefaults") or ()),
    }


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nblint")
def main() -> None:
    """Lint the notebook pods your platform will really create."""


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(REPORT_FORMATS)),
    default="text",
    show_default=True,
    help="Output format: text, json, sarif (code scanning) or github (workflow annotations).",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write the report here."
)
@click.option("--select", help="Comma-separated rule ids or groups to run (default: all).")
@click.option("--ignore", help="Comma-separated rule ids or groups to skip.")
@_with_psa
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
def check(
    paths: tuple[str, ...],
    output_format: str,
    output: str | None,
    select: str | None,
    ignore: str | None,
    psa_level: str,
    psa_version: str,
    fail_on: str,
    rules_dir: tuple[str, ...],
    color: str,
    jobs: int,
    config_file: str | None,
    show_suppressed: bool,
    baseline_file: str | None,
    write_baseline: str | None,
    **dialect: Any,
) -> None:
    """Check PATHs (files, directories, or - for stdin) and report every finding.

    z2jh values files given with -f/--values are layered into one release; PATHs are each
    checked on their own.
    """
    from nblint import gate
    from nblint.config import ConfigError
    from nblint.pipeline import Options

    # The config file fills every option the command line left at its default.
    params = click.get_current_context().params
    try:
        config = gate.configure(click.get_current_context(), config_file)
    except ConfigError as err:
        _fail_usage(str(err))
    select, ignore, psa_level, psa_version, fail_on, rules_dir, baseline_file = (
        params[name]
        for name in (
            "select",
            "ignore",
            "psa_level",
            "psa_version",
            "fail_on",
            "rules_dir",
            "baseline_file",
        )
    )
    dialect = {name: params[name] for name in dialect}
    if not paths and not dialect.get("values_files") and not (config and config.releases):
        raise click.UsageError("give at least one PATH or -f/--values FILE")
    for path in dialect.get("poddefaults") or ():
        if not os.path.exists(path):
            _fail_usage(f"--poddefaults {path}: no such file or directory")
    policy = PsaPolicy(psa_level, resolve_psa_version(psa_version))
    try:
        rules = load_rules(tuple(rules_dir))
        gate.prepare_rules(config, rules)
    except (RuleError, ConfigError) as err:
        _fail_usage(str(err))
    options = Options(
        policy, _selectors(select), _selectors(ignore), tuple(rules_dir), dialect_settings(dialect)
    )
    options.jobs = jobs
    _check_selectors(rules, options.select, "--select")
    _check_selectors(rules, options.ignore, "--ignore")
    empty_dirs: list[str] = []
    try:
        inputs = list(discover(list(paths), empty_dirs))
    except InputError as err:
        _fail_usage(str(err))
    for directory in empty_dirs:  # reported, and the other paths still checked
        click.echo(f"nblint: error: {directory}: no YAML files (*.yaml, *.yml) found", err=True)
    result = gate.run(options, rules, inputs, config)
    if write_baseline:
        from nblint import baseline

        try:
            count = baseline.write(write_baseline, result.findings)
        except baseline.BaselineError as err:
            _fail_usage(str(err))
        click.echo(f"nblint: wrote {count} finding(s) to baseline {write_baseline}", err=True)
        sys.exit(EXIT_CLEAN)
    findings, stale = result.findings, list[Any]()
    if baseline_file:  # hashing and git look-ups only when a baseline is used
        from nblint import baseline

        try:
            findings, stale = gate.apply_baseline(result.findings, baseline_file)
        except baseline.BaselineError as err:
            _fail_usage(str(err))
    for entry in stale:
        click.echo(f"nblint: stale baseline entry (no longer found): {entry.describe()}", err=True)
    if stale:
        click.echo(
            f"nblint: {len(stale)} baseline entr{'ies' if len(stale) != 1 else 'y'} no longer "
            f"match; refresh with --write-baseline {baseline_file}",
            err=True,
        )
    suppressed = [(f, s.reason) for f, s in result.suppressed] if show_suppressed else []
    active = [rule for rule, _ in gate.active_rules(options, rules)]
    _write_report(
        output_format,
        output,
        color,
        lambda stream, colour: _render(
            output_format, result, findings, stream, colour, rules, active, suppressed
        ),
    )
    sys.exit(EXIT_USAGE if empty_dirs else exit_code(findings, fail_on))


def exit_code(findings: list[Finding], fail_on: str) -> int:
    if fail_on == "never":
        return EXIT_CLEAN
    threshold = SEVERITY_RANK[fail_on]
    return (
        EXIT_FINDINGS
        if any(SEVERITY_RANK[f.severity] >= threshold for f in findings)
        else EXIT_CLEAN
    )


def _render(
    output_format: str,
    result: Any,
    findings: list[Finding],
    stream: IO[str],
    colour: bool,
    rules: dict[str, Any] | None = None,
    active: list[Any] | None = None,
    suppressed: list[tuple[Finding, str]] | None = None,
) -> None:
    suppressed = suppressed or []
    if output_format == "json":
        from nblint.report import json_report

        stream.write(json_report.render(result, findings, suppressed))
    elif output_format == "sarif":
        from nblint.report import sarif

        stream.write(sarif.render(result, findings, active or [], suppressed))
    elif output_format == "github":
        from nblint.report import github

        stream.write(github.render(result, findings, rules or {}))
    else:
        from nblint.report import text

        text.write(result, findings, stream, colour)
        if suppressed:
            stream.write(f"Suppressed ({len(suppressed)}):\n")
            for finding, reason in suppressed:
                stream.write(
                    f"  {finding.file}:{finding.line}:{finding.column}: {finding.rule}: "
                    f"{finding.message} -- {reason or '(no reason given)'}\n"
                )


def _write_report(output_format: str, output: str | None, color: str, write: Any) -> None:
    from nblint.report import text

    if output:
        try:
            with open(output, "w", encoding="utf-8") as stream:
                write(stream, color == "always")
        except OSError as err:
            _fail_usage(f"cannot write {output}: {err.strerror}")
    else:
        write(sys.stdout, output_format == "text" and text.use_colour(sys.stdout, color))


@main.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
)
@_with_psa
def render(
    paths: tuple[str, ...],
    output_format: str,
    psa_level: str,
    psa_version: str,
    **dialect: Any,
) -> None:
    """Print each effective pod as the v1 Pod the cluster will admit."""
    import yaml

    from nblint.load.yaml_tree import to_plain
    from nblint.pipeline import Options, Runner

    policy = PsaPolicy(psa_level, resolve_psa_version(psa_version))
    try:
        inputs = list(discover(list(paths)))
    except InputError as err:
        _fail_usage(str(err))
    if not paths and not dialect.get("values_files"):
        raise click.UsageError("give at least one PATH or -f/--values FILE")
    runner = Runner(Options(policy, select={"nblint"}, dialect=dialect_settings(dialect)))
    result = runner.run(inputs)
    entries = [
        {
            "source": pod.file,
            "object": pod.object,
            "profile": pod.profile,
            "options": pod.options,
            "pod": to_plain(pod.pod),
        }
        for pod in result.pods
    ]
    if output_format == "json":
        import json

        sys.stdout.write(json.dumps(entries, indent=2, default=str) + "\n")
    else:
        for entry in entries:
            header = f"# {entry['source']}: {entry['object']}"
            if entry["profile"]:
                header += f", profile {entry['profile']}"
            if entry["options"]:
                header += ", " + ", ".join(f"{k}={v}" for k, v in entry["options"].items())
            sys.stdout.write("---\n" + printable(header) + "\n")
            sys.stdout.write(
                yaml.safe_dump(entry["pod"], sort_keys=False, default_flow_style=False)
            )
    for finding in result.findings:
        click.echo(
            printable(f"{finding.file}:{finding.line}:{finding.column}: {finding.message}"),
            err=True,
        )
    sys.exit(EXIT_FINDINGS if result.findings else EXIT_CLEAN)


@main.command("rules")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def list_rules(rules_dir: tuple[str, ...]) -> None:
    """List every rule: id, group, default severity and title."""
    try:
        rules = load_rules(rules_dir)
    except RuleError as err:
        _fail_usage(str(err))
    ordered = sorted(rules.values(), key=lambda r: (r.group, r.id))
    width = max(len(r.id) for r in ordered)
    group_width = max(len(r.group) for r in ordered)
    for rule in ordered:
        click.echo(
            f"{rule.id:<{width}}  {rule.group:<{group_width}}  {rule.severity:<7}  {rule.title}"
        )


@main.command()
@click.argument("rule_id")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def explain(rule_id: str, rules_dir: tuple[str, ...]) -> None:
    """Show what RULE checks, why it matters, an example and the fix."""
    from nblint.explain import explain_rule

    try:
        rules = load_rules(rules_dir)
    except RuleError as err:
        _fail_usage(str(err))
    if rule_id not in rules:
        _fail_usage(f"unknown rule {rule_id!r} (see `nblint rules`)")
    click.echo(explain_rule(rules[rule_id]))


def entry() -> None:
    """The ``nblint`` command: :func:`main`, with any bug reported in one line, never a traceback.

    Per-document failures are already findings (``internal-error``); this catches what escapes
    them. Exit 2, like other problems that are not findings.
    """
    # A run builds large trees that live until it ends and hold no reference cycles, so the
    # cycle collector only rescans them, again and again as they grow: a third of the time on
    # an 8 MB input. Reference counting still frees what a run drops.
    collecting = gc.isenabled()
    gc.disable()
    try:
        main()
    except KeyboardInterrupt:
        click.echo("nblint: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:  # the reader left (`nblint check … | head`): nobody to tell
        sys.exit(EXIT_USAGE)
    except OSError as err:  # writing failed (a full disk); inputs are read, and fail, apart
        where = f"{err.filename}: " if err.filename else ""
        click.echo(f"nblint: error: {where}{err.strerror or err}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as err:
        click.echo(f"nblint: internal error: {type(err).__name__}: {err} (please report)", err=True)
        sys.exit(EXIT_USAGE)
    finally:
        if collecting:
            gc.enable()


def console() -> NoReturn:
    """The installed ``nblint`` command: :func:`entry`, then leave without tearing down.

    Freeing a finished run's objects one by one costs more than a small check does (≈10 ms of a
    ≈95 ms pre-commit run; seconds after a large input), and nothing needs it: the report is
    written, output files are closed and worker processes joined. mypy leaves the same way.
    """
    code: Any = 0
    try:
        entry()
    except SystemExit as leaving:
        code = leaving.code
    if isinstance(code, str):  # sys.exit("message"): say it and fail, as Python would
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):  # the reader left (`nblint … | head`), or closed
            pass
        except OSError as err:  # a full disk: the report is cut short, so the run fails
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"nblint: error: {err.strerror or err}\n")
                sys.stderr.flush()
            code = EXIT_USAGE
    os._exit(code or 0)
