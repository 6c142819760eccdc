"""``--format concise``: one line per problem, ``path:line:col: severity[rule] message [pods]``,
as ruff's concise output, then the summary (``--quiet`` leaves it out)."""

from __future__ import annotations

from typing import IO

from nblint.model.fold import Folded
from nblint.model.result import Report
from nblint.report import printable
from nblint.report.text import summary_line

#: How many profiles a line names before it says how many more.
PROFILES_SHOWN = 3


def where(problem: Folded) -> str:
    """The profiles a problem is in (``[GPU | CPU | +2 more]``), else its object, else ""."""
    profiles = list(dict.fromkeys(f.profile for f in problem.findings if f.profile))
    if profiles:
        shown = profiles[:PROFILES_SHOWN]
        if len(profiles) > PROFILES_SHOWN:
            shown.append(f"+{len(profiles) - PROFILES_SHOWN} more")
        return "[" + " | ".join(shown) + "]"
    objects = list(dict.fromkeys(f.object for f in problem.findings if f.object))
    return f"[{', '.join(objects)}]" if objects else ""


def line(problem: Folded) -> str:
    text = (
        f"{problem.file}:{problem.line}:{problem.column}: "
        f"{problem.severity}[{problem.rule}] {problem.message}"
    )
    pods = where(problem)
    return f"{text} {pods}" if pods else text


def write(report: Report, stream: IO[str]) -> None:
    problems = report.problems()
    out = [line(problem) for problem in problems]
    if not report.quiet:
        out.append(summary_line(report.result, problems))
    stream.write(printable("".join(text + "\n" for text in out)))
