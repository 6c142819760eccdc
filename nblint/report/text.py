"""``--format text``: findings for people, grouped by file → object → profile.

Each finding reads like a compiler diagnostic: ``severity[rule]: message``, the place to edit,
a code frame with a caret, then the fix. Colour comes from rich only when the output is a colour
terminal; otherwise the same lines are written plain, without importing rich at all (it is the
slowest import nblint has, and pre-commit and CI never show colour).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

from nblint.model.finding import Finding
from nblint.model.result import Report, RunResult
from nblint.report import highlighted, printable

Line = list[tuple[str, str]]  # (text, rich style) segments

_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold cyan"}


def use_colour(stream: IO[str], colour: str | None = None) -> bool:
    """``--color`` wins, then ``NO_COLOR``, ``FORCE_COLOR``, ``TERM=dumb``, then isatty."""
    if colour in ("always", "never"):
        return colour == "always"
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force is not None:
        return bool(force)
    if os.environ.get("TERM") == "dumb":
        return False
    return stream.isatty()


#: A code frame shows at most this much of a line: a window around the column, marked with "…".
FRAME_WIDTH = 120


def _code_frame(text_lines: list[str], line: int, column: int) -> Iterator[Line]:
    if not 1 <= line <= len(text_lines):
        return
    source = text_lines[line - 1].rstrip("\n")
    width = len(str(line))
    start = max(column - 1, 0)
    body = highlighted(source, column)
    shown, start = _window(source, start)
    shown = shown.replace("\t", " ")  # one column each, as the parser counts them
    carets = "^" * max(min(len(body), len(shown) - start), 1)
    yield [(" " * width + " |", "blue")]
    yield [(f"{line} | ", "blue"), (shown, "")]
    yield [(" " * width + " | ", "blue"), (" " * start + carets, "bold red")]


def _window(source: str, start: int) -> tuple[str, int]:
    """At most :data:`FRAME_WIDTH` characters of ``source`` around index ``start`` (a one-line
    JSON document can be megabytes long), and where ``start`` falls in them."""
    if len(source) <= FRAME_WIDTH:
        return source, start
    left = max(0, min(start - FRAME_WIDTH // 3, len(source) - FRAME_WIDTH))
    shown = source[left : left + FRAME_WIDTH]
    if left > 0:
        shown, start = "…" + shown[1:], start - left
    else:
        start = start - left
    if left + FRAME_WIDTH < len(source):
        shown = shown[:-1] + "…"
    return shown, start


def _finding_lines(finding: Finding, text_lines: list[str]) -> Iterator[Line]:
    yield [
        (finding.severity, _SEVERITY_STYLE[finding.severity]),
        (f"[{finding.rule}]", "bold"),
        (": ", ""),
        (finding.message, "bold"),
    ]
    yield [("  --> ", "blue"), (f"{finding.file}:{finding.line}:{finding.column}", "")]
    for frame in _code_frame(text_lines, finding.line, finding.column):
        yield [("  ", ""), *frame]
    if finding.note:
        yield [("  note: ", "bold cyan"), (finding.note, "")]
    if finding.psa:
        psa = finding.psa
        yield [("  psa: ", "bold cyan"), (f"{psa.check} ({psa.level}, {psa.version})", "")]
    if finding.fix:
        fix_lines = finding.fix.splitlines()
        # What `nblint fix` does with it: applies a safe fix, an unsafe one only when asked.
        label = {"safe": "fix (safe)", "unsafe": "fix (unsafe)"}.get(
            finding.applicability or "", "fix"
        )
        if len(fix_lines) == 1:
            yield [(f"  {label}: ", "bold green"), (fix_lines[0], "")]
        else:
            yield [(f"  {label}:", "bold green")]
            for fix_line in fix_lines:
                yield [("    " + fix_line, "green")]


def _group_key(finding: Finding) -> tuple[str, str, str]:
    return (finding.file, finding.object or "", finding.profile or "")


def lines(result: RunResult, findings: list[Finding]) -> Iterator[Line]:
    ordered = sorted(findings, key=lambda f: (*_group_key(f), f.line, f.column, f.rule))
    current_file = current_object = None
    text_cache: dict[str, list[str]] = {}
    for finding in ordered:
        if finding.file != current_file:
            current_file, current_object = finding.file, None
            yield [(finding.file, "bold underline")]
        group = (finding.object or "", finding.profile or "")
        if group != current_object and finding.object:
            current_object = group
            label = finding.object
            if finding.profile:
                label += f"  profile: {finding.profile}"
            if finding.options:
                label += "  " + ", ".join(f"{k}={v}" for k, v in finding.options.items())
            yield [("  " + label, "bold magenta")]
        if finding.file not in text_cache:
            text_cache[finding.file] = result.texts.get(finding.file, "").splitlines()
        for line in _finding_lines(finding, text_cache[finding.file]):
            yield [("    ", ""), *line]
        yield []
    yield [(summary_line(result, findings), "bold")]


def summary_line(result: RunResult, findings: list[Finding]) -> str:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity] += 1
    pods = result.pod_count
    checked = f"{result.files} file{'s' * (result.files != 1)}, {pods} pod{'s' * (pods != 1)}"
    skipped = sum(result.skipped.values())
    if skipped:
        checked += f", {skipped} other document{'s' * (skipped != 1)} skipped"
    if not findings:
        return f"All checks passed ({checked})."
    parts = [f"{n} {sev}{'s' * (n != 1)}" for sev, n in counts.items() if n]
    return f"Found {', '.join(parts)} ({checked}).{fixable(findings)}"


def fixable(findings: list[Finding]) -> str:
    """What ``nblint fix`` would do about ``findings``, as a sentence (or nothing)."""
    safe = sum(1 for f in findings if f.edit is not None and f.applicability == "safe")
    unsafe = sum(1 for f in findings if f.edit is not None and f.applicability == "unsafe")
    if not safe and not unsafe:
        return ""
    if not safe:
        return f" {unsafe} fixable with `nblint fix --unsafe-fixes`."
    text = f" {safe} fixable with `nblint fix`"
    if unsafe:
        text += f" ({unsafe} more with `nblint fix --unsafe-fixes`)"
    return text + "."


def write(report: Report, stream: IO[str]) -> None:
    """The findings, the summary, then the suppressed findings asked for."""
    _write_lines(lines(report.result, report.findings), stream, report.colour)
    if report.suppressed:
        stream.write(f"Suppressed ({len(report.suppressed)}):\n")
        for finding, reason in report.suppressed:
            stream.write(
                printable(
                    f"  {finding.file}:{finding.line}:{finding.column}: {finding.rule}: "
                    f"{finding.message} -- {reason or '(no reason given)'}\n"
                )
            )


def _write_lines(found: Iterator[Line], stream: IO[str], colour: bool) -> None:
    if not colour:
        stream.write(printable("".join(["".join([t for t, _ in line]) + "\n" for line in found])))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
    for line in found:
        console.print(Text.assemble(*((printable(text), style) for text, style in line)))
