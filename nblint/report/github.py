"""``--format github``: GitHub Actions workflow commands that annotate a pull request.

``::error file=F,line=L,col=C,endColumn=E,title=T::MESSAGE`` per finding, most severe first.
GitHub shows only 10 annotations per level and step, so the first 10 of each level become
annotations and the rest are printed as plain log lines, followed by one notice saying how many
were left out: nothing is lost from the log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import IO

from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.model.fingerprint import repo_paths, repo_root
from nblint.model.result import Report, RunResult
from nblint.model.rule import Rule
from nblint.report import SourceLines, highlighted, printable, source_lines

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}
#: GitHub's per-step cap for each annotation level.
ANNOTATIONS_PER_LEVEL = 10


def escape_data(text: str) -> str:
    """Escape a command's message (``%`` first, as the runner decodes it last)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a command property value (``file``, ``title``, …)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(finding: Finding) -> str:
    text = finding.message
    if finding.profile:
        text += f" (profile {finding.profile})"
    if finding.note:
        text += f"\nnote: {finding.note}"
    if finding.fix:
        text += f"\nhelp: {finding.fix}"
    return text


def _end_column(finding: Finding, lines: SourceLines) -> int | None:
    line = lines.line(finding.line)
    if line is None or finding.column < 1:
        return None
    body = highlighted(line, finding.column)
    return finding.column + len(body) if body else None


def annotation(finding: Finding, path: str, title: str, end_column: int | None) -> str:
    props = [f"file={escape_property(path)}", f"line={max(finding.line, 1)}"]
    props.append(f"col={max(finding.column, 1)}")
    if end_column is not None:
        props += [f"endLine={max(finding.line, 1)}", f"endColumn={end_column}"]
    props.append(f"title={escape_property(title)}")
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(_message(finding))}"


def write(report: Report, stream: IO[str]) -> None:
    for line in lines(report.result, report.findings, report.rules):
        stream.write(line + "\n")


def render(result: RunResult, findings: list[Finding], rules: dict[str, Rule]) -> str:
    return "".join(line + "\n" for line in lines(result, findings, rules))


def lines(result: RunResult, findings: list[Finding], rules: dict[str, Rule]) -> Iterator[str]:
    """The workflow commands and log lines, most severe first."""
    root = repo_root()
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], *f.sort_key()))
    shown: Counter[str] = Counter()
    left_out = 0
    paths = repo_paths(findings, root)
    lines_of = source_lines(result.texts)
    for finding in ordered:
        path = paths[finding.file]
        rule = rules.get(finding.rule)
        title = f"nblint {finding.rule}" + (f": {rule.title}" if rule else "")
        if shown[finding.severity] < ANNOTATIONS_PER_LEVEL:
            shown[finding.severity] += 1
            end = _end_column(finding, lines_of(finding.file))
            yield annotation(finding, path, title, end)
        else:
            left_out += 1
            yield (
                f"{path}:{finding.line}:{finding.column}: "
                f"{finding.severity}[{finding.rule}]: {finding.message}"
            )
    if left_out:
        yield (
            f"::notice title=nblint::{left_out} more finding{'s' * (left_out != 1)} "
            "not annotated (GitHub shows 10 per level); see the log above."
        )
