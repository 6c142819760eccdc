"""``--format github``: GitHub Actions workflow commands that annotate a pull request.

``::error file=F,line=L,col=C,endColumn=E,title=T::MESSAGE`` per problem, most severe first.
GitHub shows only 10 annotations per level and step, so the first 10 of each level become
annotations and the rest are printed as plain log lines, followed by one notice saying how many
were left out: nothing is lost from the log. Within a level the annotations go round the files
and, in each file, round its places before a second one lands on a file or a place, so that a
privileged pod in one file is not crowded out by ten findings in another.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import IO

from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.model.fingerprint import repo_path, repo_paths, repo_root
from nblint.model.fold import Folded, pods_summary, pods_text
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


def _message(problem: Folded, path_of: Callable[[str], str] = str) -> str:
    text = problem.message
    if len(problem.findings) == 1:
        finding = problem.first
        pod = [f"profile {finding.profile}"] if finding.profile else []
        pod += [f"{key}={value}" for key, value in (finding.options or {}).items()]
        if pod:
            text += f" ({'; '.join(pod)})"
    else:
        text += f" (in {pods_text(problem.findings)}: {pods_summary(problem.findings)})"
    for label, note in problem.labelled("note", "note"):
        text += f"\n{label}: {note}"
    for label, fix in problem.labelled("help", "fix", path_of):
        text += f"\n{label}: {fix}"
    return text


def _end_column(finding: Finding, lines: SourceLines) -> int | None:
    line = lines.line(finding.line)
    if line is None or finding.column < 1:
        return None
    body = highlighted(line, finding.column)
    return finding.column + len(body) if body else None


def annotation(
    problem: Folded,
    path: str,
    title: str,
    end_column: int | None,
    path_of: Callable[[str], str] = str,
) -> str:
    finding = problem.first
    props = [f"file={escape_property(path)}", f"line={max(finding.line, 1)}"]
    props.append(f"col={max(finding.column, 1)}")
    if end_column is not None:
        props += [f"endLine={max(finding.line, 1)}", f"endColumn={end_column}"]
    props.append(f"title={escape_property(title)}")
    message = escape_data(_message(problem, path_of))
    return f"::{COMMANDS[finding.severity]} {','.join(props)}::{message}"


def write(report: Report, stream: IO[str]) -> None:
    for line in lines(report.result, report.problems(), report.rules):
        stream.write(line + "\n")


def spread(problems: list[Folded]) -> list[Folded]:
    """Most severe first; within a level, round the files, and within each file round its
    places, before any file or place gets a second annotation."""
    by_level_and_file: dict[tuple[str, str], list[Folded]] = {}
    for problem in sorted(problems, key=Folded.sort_key):
        by_level_and_file.setdefault((problem.severity, problem.file), []).append(problem)
    ranked: list[tuple[int, int, str, Folded]] = []
    for (severity, file), in_file in by_level_and_file.items():
        seen_at: Counter[tuple[int, int]] = Counter()
        rounds = []
        for problem in in_file:
            place = (problem.line, problem.column)
            rounds.append((seen_at[place], problem))
            seen_at[place] += 1
        ordered = [p for _, p in sorted(rounds, key=lambda r: (r[0], *r[1].sort_key()))]
        for turn, problem in enumerate(ordered):
            ranked.append((-SEVERITY_RANK[severity], turn, file, problem))
    ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].sort_key()))
    return [problem for *_, problem in ranked]


def render(result: RunResult, problems: list[Folded], rules: dict[str, Rule]) -> str:
    return "".join(line + "\n" for line in lines(result, problems, rules))


def lines(result: RunResult, problems: list[Folded], rules: dict[str, Rule]) -> Iterator[str]:
    """The workflow commands and log lines, most severe first, spread (see :func:`spread`)."""
    root = repo_root()
    shown: Counter[str] = Counter()
    left_out = 0
    paths = repo_paths([problem.first for problem in problems], root)
    lines_of = source_lines(result.texts)

    def path_of(file: str) -> str:
        # A fix may go into a file with no finding of its own (see Folded.labelled).
        return paths[file] if file in paths else paths.setdefault(file, repo_path(file, root))

    for problem in spread(problems):
        finding = problem.first
        path = paths[finding.file]
        rule = rules.get(finding.rule)
        title = f"nblint {finding.rule}" + (f": {rule.title}" if rule else "")
        if shown[finding.severity] < ANNOTATIONS_PER_LEVEL:
            shown[finding.severity] += 1
            end = _end_column(finding, lines_of(finding.file))
            yield annotation(problem, path, title, end, path_of)
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
