"""``nblint fix``: apply the fixes in place (or show them as a diff), keeping every other byte."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from nblint.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    EXIT_USAGE,
    fail_usage,
    given_on_command_line,
    with_run_options,
)
from nblint.cli.options import SELECTION_OPTIONS, with_options
from nblint.report import printable

if TYPE_CHECKING:
    from nblint.model.finding import Finding
    from nblint.run.fixing import FixOutcome


def fix_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option(
                "--unsafe-fixes",
                is_flag=True,
                help="Also apply fixes that may change how the workload runs (another image, "
                "uid, read-only root filesystem, …).",
            ),
        ]
    ):
        func = option(func)
    return func


@click.command(name="fix")
@click.argument("paths", nargs=-1)
@click.option(
    "--diff",
    is_flag=True,
    help="Print the changes as a unified diff and write nothing (exit 1 when there is "
    "something to fix).",
)
@fix_options
@click.option("--select", help="Comma-separated rule ids or groups whose fixes to apply.")
@click.option("--ignore", help="Comma-separated rule ids or groups whose fixes to leave out.")
@with_run_options
@click.option(
    "--rules-dir", multiple=True, type=click.Path(file_okay=False), help="Extra rule files."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Configuration.")
@with_options(SELECTION_OPTIONS)
def fix(paths: tuple[str, ...], **params: Any) -> None:
    """Apply the fixes of the findings in PATHs, in place.

    Safe fixes only, unless --unsafe-fixes; each file keeps its comments, order, quoting and
    style outside the lines a fix changes, and a fix that would add a finding is left out.
    """
    from nblint.cli.check import prepare

    params.update(fail_on="error", baseline_file=None, jobs=1, quiet=False, stdin_filename=None)
    config, options, rules, inputs, empty_dirs = prepare(paths, params, given_on_command_line())
    outcome = run_fix(options, rules, inputs, config, params["unsafe_fixes"])
    if params["diff"]:
        _print_diff(outcome)
    else:
        write_fixed(outcome)
    _summarise(outcome, params["unsafe_fixes"], params["diff"])
    # An input nblint could not read is said in one line each, and fails the run.
    unread = [f for f in outcome.after.findings if f.rule in rules and rules[f.rule].always_on]
    for finding in unread:
        click.echo(
            printable(
                f"nblint: {finding.file}:{finding.line}:{finding.column}: {finding.rule}: "
                f"{finding.message} (not fixed)"
            ),
            err=True,
        )
    if empty_dirs:
        sys.exit(EXIT_USAGE)
    # --diff in CI: something to fix fails the step; so does a fix nblint could not make.
    to_fix = params["diff"] and outcome.texts
    sys.exit(EXIT_FINDINGS if to_fix or unread or outcome.failed else EXIT_CLEAN)


def run_fix(options: Any, rules: Any, inputs: list[str], config: Any, unsafe: bool) -> FixOutcome:
    """Fix ``inputs``. ``--select``/``--ignore`` choose the fixes to apply; every rule is still
    checked, so that a fix that adds a finding of another rule is left out too."""
    from nblint.model.rule import matches
    from nblint.run import fixing, gate

    if "-" in inputs:
        fail_usage("nblint fix edits files: it cannot fix standard input")
    select, ignore = options.select, options.ignore
    everything = options.replace(select=None, ignore=None)

    def chosen(finding: Finding) -> bool:
        rule = rules.get(finding.rule)
        if rule is None:
            return False
        if select is not None and not matches(rule, select):
            return False
        return not (ignore and matches(rule, ignore))

    return fixing.fix(
        lambda texts: gate.run(everything.replace(texts=texts), rules, inputs, config),
        unsafe,
        chosen,
    )


def write_fixed(outcome: FixOutcome) -> None:
    """Each fixed text, in the encoding its file was read in (its byte-order mark kept)."""
    from nblint.load.files import encode_like

    for path, text in outcome.texts.items():
        try:
            with open(path, "rb") as handle:
                head = handle.read(3)
            with open(path, "wb") as handle:
                handle.write(encode_like(text, head))
        except OSError as err:
            fail_usage(f"cannot write {path}: {err.strerror}")


def _print_diff(outcome: FixOutcome) -> None:
    import difflib

    for path, text in sorted(outcome.texts.items()):
        old = outcome.originals[path]
        shown = _diff_path(path)
        lines = difflib.unified_diff(
            old.splitlines(True), text.splitlines(True), f"a/{shown}", f"b/{shown}"
        )
        for line in lines:
            # A CRLF file's diff keeps its CRs (as git's does), so that it applies; any other
            # control character is shown escaped.
            body, end = _line_break(line)
            if not end:
                end = "\n\\ No newline at end of file\n"
            click.echo(printable(body) + end, nl=False)


def _line_break(line: str) -> tuple[str, str]:
    """``line`` and its line break apart."""
    for end in ("\r\n", "\n"):
        if line.endswith(end):
            return line[: -len(end)], end
    return line, ""


def _diff_path(path: str) -> str:
    """The file as git's diff headers name it after their ``a/`` and ``b/``: ``./`` dropped
    (``git apply`` refuses it), and an absolute path without its root, as ``git diff
    --no-index`` writes one, so that ``git apply`` or ``patch -p1`` applies the diff from the
    directory nblint ran in (from ``/`` for an absolute path)."""
    import posixpath

    return posixpath.normpath(path).lstrip("/")


def _summarise(outcome: FixOutcome, unsafe: bool, diff: bool) -> None:
    from nblint.run.fixing import applicable, fixed, placeable

    gone = {(f.rule, f.file, f.line, f.column, f.profile, f.container) for f in fixed(outcome)}
    # Said once per place: one edit serves every pod (profile, choice) found there, and a file
    # done again one edit at a time meets the same edit again.
    said: set[tuple[str, int, str, str]] = set()
    not_fixed = [
        *outcome.failed,
        *((finding, _would_add(outcome, finding)) for finding in outcome.rejected),
    ]
    for finding, why in not_fixed:
        place = (finding.file, finding.line, finding.rule, why)
        if place in said:
            continue
        said.add(place)
        click.echo(
            printable(f"nblint: {finding.file}:{finding.line}: {finding.rule}: not fixed: {why}"),
            err=True,
        )
    after = outcome.after
    hidden = sum(
        1
        for f in after.findings
        if applicable(f, True) and not applicable(f, False) and placeable(f, after.texts)
    )
    verb = "would fix" if diff else "fixed"
    files = len(outcome.texts)
    left = len(outcome.after.findings)
    message = (
        f"nblint: {verb} {len(gone)} finding{_s(len(gone))} in {files} file{_s(files)}; "
        f"{left} finding{_s(left)} {'remains' if left == 1 else 'remain'}"
    )
    if hidden and not unsafe:
        message += f" ({hidden} fixable with --unsafe-fixes)"
    click.echo(message, err=True)


def _would_add(outcome: FixOutcome, finding: Finding) -> str:
    rules = outcome.added.get(finding.edit) if finding.edit is not None else None
    return f"the fix would add {', '.join(rules)}" if rules else "the fix would add a finding"


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def fixable_counts(findings: list[Finding]) -> tuple[int, int]:
    """``(safe, unsafe)``: how many findings ``nblint fix`` would fix, and how many more with
    ``--unsafe-fixes``."""
    from nblint.model.edit import SAFE, UNSAFE

    safe = sum(1 for f in findings if f.edit is not None and f.applicability == SAFE)
    unsafe = sum(1 for f in findings if f.edit is not None and f.applicability == UNSAFE)
    return safe, unsafe
