"""``--format github``: GitHub Actions workflow commands that annotate a pull request.

``::error file=F,line=L,col=C,endColumn=E,title=T::MESSAGE`` per finding, most severe first.
GitHub shows only 10 annotations per level and step, so the first 10 of each level become
annotations and the rest are printed as plain log lines, followed by one notice saying how many
were left out: nothing is lost from the log.
"""

from __future__ import annotations

from collections import Counter
from typing import IO

from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.model.fingerprint import repo_paths, repo_root
from nblint.model.result import Report, RunResult
from nblint.model.rule import Rule
from nblint.report import highlighted, printable

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


def _end_column(finding: Finding, result: RunResult) -> int | None:
    lines = result.texts.get(finding.file, "").splitlines()
    if not 1 <= finding.line <= len(lines) or finding.column < 1:
        return None
    body = highlighted(lines[finding.line - 1], finding.column)
    return finding.column + len(body) if body else None


def annotation(finding: Finding, path: str, title: str, end_column: int | None) -> str:
    props = [f"file={escape_property(path)}", f"line={max(finding.line, 1)}"]
    props.append(f"col={max(finding.column, 1)}")
    if end_column is not None:
        props += [f"endLine={max(finding.line, 1)}", f"endColumn={end_column}"]
    props.append(f"title={escape_property(title)}")
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{escape_data(_message(finding))}"


def write(report: Report, stream: IO[str]) -> None:
    stream.write(render(report.result, report.findings, report.rules))


def render(result: RunResult, findings: list[Finding], rules: dict[str, Rule]) -> str:
    root = repo_root()
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK[f.severity], *f.sort_key()))
    shown: Counter[str] = Counter()
    out = []
    left_out = 0
    paths = repo_paths(findings, root)
    for finding in ordered:
        path = paths[finding.file]
        rule = rules.get(finding.rule)
        title = f"nblint {finding.rule}" + (f": {rule.title}" if rule else "")
        if shown[finding.severity] < ANNOTATIONS_PER_LEVEL:
            shown[finding.severity] += 1
            out.append(annotation(finding, path, title, _end_column(finding, result)))
        else:
            left_out += 1
            out.append(
                f"{path}:{finding.line}:{finding.column}: "
                f"{finding.severity}[{finding.rule}]: {finding.message}"
            )
    if left_out:
        out.append(
            f"::notice title=nblint::{left_out} more finding{'s' * (left_out != 1)} "
            "not annotated (GitHub shows 10 per level); see the log above."
        )
    return "".join(line + "\n" for line in out)
