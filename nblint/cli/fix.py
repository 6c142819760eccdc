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
    config, options, rules, inputs, empty_dirs, named = prepare(
        paths, params, given_on_command_line()
    )
    outcome = run_fix(options, rules, inputs, config, params["unsafe_fixes"], named)
    if params["diff"]:
        _print_diff(outcome)
    else:
        write_fixed(outcome)
    _summarise(outcome, params["unsafe_fixes"], params["diff"], inputs if named else None)
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


def run_fix(
    options: Any, rules: Any, inputs: list[str], config: Any, unsafe: bool, named: bool = True
) -> FixOutcome:
    """Fix ``inputs``. ``--select``/``--ignore`` choose the fixes to apply; every rule is still
    checked, so that a fix that adds a finding of another rule is left out too.

    With PATHs (``named``), only the files they name are edited: the other layers of a release
    a PATH belongs to are read to judge it, and a fix that goes into one of them is left for a
    run that names it (pre-commit's ``nblint-fix`` edits the staged files, nothing else)."""
    import os

    from nblint.model.rule import matches
    from nblint.run import fixing, gate

    if "-" in inputs:
        fail_usage("nblint fix edits files: it cannot fix standard input")
    select, ignore = options.select, options.ignore
    everything = options.replace(select=None, ignore=None)
    editable = {os.path.realpath(path) for path in inputs} if named else None

    def chosen(finding: Finding) -> bool:
        rule = rules.get(finding.rule)
        if rule is None:
            return False
        if editable is not None and not (
            finding.edit is not None and os.path.realpath(finding.edit.file) in editable
        ):
            return False
        if select is not None and not matches(rule, select):
            return False
        return not (ignore and matches(rule, ignore))

    return fixing.fix(
        lambda texts: gate.run(everything.replace(texts=texts), rules, inputs, config, named),
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


def _summarise(
    outcome: FixOutcome, unsafe: bool, diff: bool, named: list[str] | None = None
) -> None:
    """What was fixed and what remains, in problems as ``check`` counts them (one per rule and
    place, however many pods: :func:`~nblint.model.fold.fold`), so that ``fix``, ``fix --diff``
    and ``check`` give the same numbers for the same files. ``named``: the files a run with
    PATHs may edit (a fix that goes into another layer of their release is said, not made)."""
    import os

    from nblint.model.fold import fix_applicability, fold
    from nblint.run.fixing import placeable

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
    editable = None if named is None else {os.path.realpath(path) for path in named}
    after = outcome.after
    remaining = fold(after.findings)
    hidden = 0
    elsewhere: dict[str, None] = {}
    outside = 0
    for problem in remaining:
        kind = fix_applicability(problem.findings)
        edits = [f for f in problem.findings if f.edit is not None and f.applicability == kind]
        if kind is None or not any(placeable(f, after.texts) for f in edits):
            continue
        targets = [f.edit.file for f in edits if f.edit is not None]
        if editable is not None and not any(os.path.realpath(t) in editable for t in targets):
            outside += 1
            elsewhere.update(dict.fromkeys(targets))
        elif kind == "unsafe":
            hidden += 1
    gone = _fixed_problems(outcome)
    verb = "would fix" if diff else "fixed"
    files = len(outcome.texts)
    left = len(remaining)
    message = (
        f"nblint: {verb} {gone} finding{_s(gone)} in {files} file{_s(files)}; "
        f"{left} finding{_s(left)} {'remains' if left == 1 else 'remain'}"
    )
    if hidden and not unsafe:
        message += f" ({hidden} fixable with --unsafe-fixes)"
    click.echo(message, err=True)
    if outside:
        # A run on named files (pre-commit's staged ones) edits only them.
        click.echo(
            printable(
                f"nblint: {outside} of them {'has its' if outside == 1 else 'have their'} fix in "
                f"a file not named ({', '.join(elsewhere)}), another layer of a named file's "
                "release: name it too to fix it"
            ),
            err=True,
        )


def _fixed_problems(outcome: FixOutcome) -> int:
    """How many problems the fixes cleared: those ``check`` showed before that are gone, and
    those an earlier round brought in (a new image's) that a later one fixed. A finding is
    matched by its pod and field, not its line, which the edits move; a problem another fix
    cleared too (the init container a values key removes) is gone, and one whose place moved
    into a file the fix wrote (z2jh's chart default, once the last layer has the section)
    remains."""
    from nblint.model.fold import fold, fold_key
    from nblint.run.fixing import finding_key, fixed

    layers = outcome.before.layers_of

    def where(finding: Finding) -> tuple[Any, ...]:
        return (*finding_key(finding, layers), finding.field)

    def what(finding: Finding) -> tuple[Any, ...]:
        return (finding.rule, finding.object, finding.profile, finding.container, finding.field)

    before = {where(f) for f in outcome.before.findings}
    remaining = {where(f) for f in outcome.after.findings}
    # Found after at a file where it was not found before: moved there, or new.
    moved = {what(f) for f in outcome.after.findings if where(f) not in before}
    gone = sum(
        1
        for problem in fold(outcome.before.findings)
        if not any(where(f) in remaining or what(f) in moved for f in problem.findings)
    )
    known = {what(f) for f in outcome.before.findings}
    brought = {fold_key(f) for f in fixed(outcome) if what(f) not in known}
    return gone + len(brought)


def _would_add(outcome: FixOutcome, finding: Finding) -> str:
    rules = outcome.added.get(finding.edit) if finding.edit is not None else None
    return f"the fix would add {', '.join(rules)}" if rules else "the fix would add a finding"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
