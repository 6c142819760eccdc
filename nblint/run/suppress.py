"""Suppression comments, in any input file (manifests, Notebook CRs, z2jh values alike).

    privileged: true  # nblint: disable=privileged -- the GPU driver installer needs it
    # nblint: disable=run-as-non-root,run-as-user -- legacy image, tracked in OPS-123
    # nblint: disable-file=host-path-volumes -- node-local scratch, reviewed by security

``disable=`` covers findings on its own line and on the next line (so it can sit above the key);
``disable-file=`` covers the whole file. Each names rule ids or groups, comma-separated, and
should give a reason after `` -- ``. A suppression without a reason is reported
(``suppression-without-reason``), and so is one that suppresses nothing or names an unknown rule
(``unused-suppression``), so that stale suppressions do not hide future problems. A suppression
of a rule that is not running (``--ignore``d, or restricted-only under ``--psa-level
baseline``) is not called unused: nothing can be said about it in this run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from nblint.model.finding import Finding, Reported, Suppression
from nblint.model.pod import Origin
from nblint.model.record import Record
from nblint.model.result import RunResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    from nblint.run.pipeline import Runner


@cache
def _directive() -> re.Pattern[str]:
    return re.compile(r"(?:^|\s)(#\s*nblint\s*:\s*(.*))$")


@cache
def _form() -> re.Pattern[str]:
    return re.compile(r"(disable-file|disable)\s*=\s*([^\s].*)$")


@cache
def _name() -> re.Pattern[str]:
    return re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


_SYNTAX = "# nblint: disable=RULE[,RULE] -- reason (or disable-file=RULE)"


class Malformed(Record):
    """A comment that starts like a directive but cannot be read as one."""

    __slots__ = ("column", "file", "line", "text")

    def __init__(self, file: str, line: int, column: int, text: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.text = text


def parse(file: str, text: str) -> Iterator[Suppression | Malformed]:
    """Every ``# nblint:`` directive in ``text``, in line order."""
    if "nblint" not in text:
        return
    for number, line in enumerate(text.splitlines(), start=1):
        match = _directive().search(line)
        if not match:
            continue
        column = match.start(1) + 1
        form = _form().match(match[2].strip())
        if not form:
            yield Malformed(file, number, column, match[1].strip())
            continue
        names_text, _, reason = form[2].partition("--")
        names = tuple(name.strip() for name in names_text.split(",") if name.strip())
        if not names or not all(_name().fullmatch(name) for name in names):
            yield Malformed(file, number, column, match[1].strip())
            continue
        yield Suppression(file, number, column, form[1], names, reason.strip())


def _texts(result: RunResult) -> dict[str, str]:
    """Text of every input, plus files that findings point at but were not inputs."""
    texts = dict(result.texts)
    for finding in result.findings:
        if finding.file not in texts:
            try:
                with open(finding.file, encoding="utf-8") as handle:
                    texts[finding.file] = handle.read()
            except (OSError, UnicodeDecodeError, ValueError):
                texts[finding.file] = ""
    return texts


def apply(result: RunResult, runner: Runner) -> None:
    """Move suppressed findings to ``result.suppressed`` and report bad suppressions."""
    directives = [d for file, text in _texts(result).items() for d in parse(file, text)]
    if not directives:
        return
    suppressions = [d for d in directives if isinstance(d, Suppression)]
    kept: list[Finding] = []
    for finding in result.findings:
        rule = runner.rules.get(finding.rule)
        group = rule.group if rule else finding.group
        covering = None
        for suppression in suppressions:
            name = suppression.covers(finding, group)
            if name is not None:
                suppression.used.add(name)
                covering = covering or suppression
        if covering is None:
            kept.append(finding)
        else:
            result.suppressed.append((finding, covering))
    result.findings = kept
    for directive in directives:
        result.findings.extend(_problems(directive, runner))


def _problems(directive: Suppression | Malformed, runner: Runner) -> Iterator[Finding]:
    place = Origin(directive.file, directive.line, directive.column)
    if isinstance(directive, Malformed):
        finding = runner.finding(
            Reported(
                "unused-suppression",
                f"cannot read this nblint directive {directive.text!r}; expected {_SYNTAX}",
                place,
            )
        )
        if finding:
            yield finding
        return
    if not directive.reason:
        finding = runner.finding(
            Reported(
                "suppression-without-reason",
                f"suppression of {', '.join(directive.names)} gives no reason (add ` -- why`)",
                place,
            )
        )
        if finding:
            yield finding
    groups = {rule.group for rule in runner.rules.values()}
    active_groups = {rule.group for rule, _ in runner.active}
    scope = "in this file" if directive.kind == "disable-file" else "on this line or the next"
    for name in directive.names:
        if name in directive.used:
            continue
        if name not in runner.rules and name not in groups:
            message = f"suppression names unknown rule {name!r} (see `nblint rules`)"
        elif name in runner.active_ids or name in active_groups:
            message = f"suppression of {name} is unused: no {name} finding {scope}"
        else:
            continue  # the rule is not running: its suppression cannot be judged
        finding = runner.finding(Reported("unused-suppression", message, place))
        if finding:
            yield finding
