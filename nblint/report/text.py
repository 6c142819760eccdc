"""``--format text``: findings for people, grouped by file → object → profile.

Each finding reads like a compiler diagnostic: ``severity[rule]: message``, the place to edit,
a code frame with a caret, then the fix. Colour comes from rich only when the output is a colour
terminal; otherwise the same lines are written plain, without importing rich at all (it is the
slowest import nblint has, and pre-commit and CI never show colour).
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator, Sequence

from nblint.model.finding import Finding, PsaRef
from nblint.model.fold import (
    Folded,
    fix_files_label,
    fixable_counts,
    pod_count,
    pod_label,
    pods_summary,
    pods_text,
    subset_label,
    unfolded,
)
from nblint.model.fold import fold as folded
from nblint.model.result import Report, RunResult
from nblint.model.rule import Rule
from nblint.report import SourceLines, highlighted, printable, source_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any

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


#: Messages wrap at this width when the terminal's is not known (``COLUMNS`` sets it).
WIDTH = 100


def terminal_width(stream: IO[str]) -> int:
    """``COLUMNS``, else the width of the terminal ``stream`` writes to, else :data:`WIDTH`; at
    least 40. A report written to a pipe or a file is the same wherever it runs."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():
        return max(int(columns), 40)
    try:
        if stream.isatty():
            return max(os.get_terminal_size(stream.fileno()).columns, 40)
    except (OSError, ValueError):  # not a real file (a test's buffer), or closed
        pass
    return WIDTH


#: A code frame shows at most this much of a line: a window around the column, marked with "…".
FRAME_WIDTH = 120


def _code_frame(text_lines: SourceLines, line: int, column: int) -> Iterator[Line]:
    found = text_lines.line(line)
    if found is None:
        return
    source = found.rstrip("\n")
    width = len(str(line))
    start = max(column - 1, 0)
    body = highlighted(source, column)
    shown, start = _window(source, start)
    shown = shown.replace("\t", " ")  # one column each, as the parser counts them
    end = start + min(len(body), len(shown) - start)
    # The caret goes under the text as a terminal shows it (a CJK character or an emoji is two
    # columns wide), not under the character count the finding's column (and SARIF's) gives.
    indent = _columns(printable(shown[:start]))
    carets = "^" * max(_columns(printable(shown[start:end])), 1)
    yield [(" " * width + " |", "blue")]
    yield [(f"{line} | ", "blue"), (shown, "")]
    yield [(" " * width + " | ", "blue"), (" " * indent + carets, "bold red")]


def _columns(text: str) -> int:
    """How many terminal columns ``text`` takes: two for an East Asian wide or fullwidth
    character (CJK, most emoji), none for a combining mark or an invisible format character
    (a zero-width joiner), one for any other."""
    if text.isascii():
        return len(text)
    import unicodedata  # only for a line that is not ASCII

    columns = 0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            columns += 2
        elif unicodedata.category(char) not in ("Mn", "Me", "Cf"):
            columns += 1
    return columns


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


def _wrapped(head: Line, text: str, style: str, width: int, indent: int) -> Iterator[Line]:
    """``head`` then ``text``, wrapped to ``width``; continuation lines indented by ``indent``.
    Words are never broken (a path or an image name stays whole, even past the width)."""
    used = sum(len(part) for part, _ in head)
    room = max(width - used, 20)
    rows: list[str] = []
    row = ""
    for word in text.split(" "):
        if row and len(row) + 1 + len(word) > room:
            rows.append(row)
            row, room = word, max(width - indent, 20)
        else:
            row = f"{row} {word}" if row else word
    rows.append(row)
    yield [*head, (rows[0], style)]
    for rest in rows[1:]:
        yield [(" " * indent, ""), (rest, style)]


def _fix_lines(fix: str, label: str = "fix") -> Iterator[Line]:
    fix_lines = fix.splitlines()
    if len(fix_lines) == 1:
        yield [(f"{label}: ", "bold green"), (fix_lines[0], "")]
    else:
        yield [(f"{label}:", "bold green")]
        for fix_line in fix_lines:
            yield [("  " + fix_line, "green")]


def _headline(finding: Finding | Folded, width: int) -> Iterator[Line]:
    head: Line = [(finding.severity, _SEVERITY_STYLE[finding.severity])]
    head += [(f"[{finding.rule}]", "bold"), (": ", "")]
    yield from _wrapped(head, finding.message, "bold", width, 2)


def _finding_lines(finding: Finding, text_lines: SourceLines, width: int) -> Iterator[Line]:
    yield from _headline(finding, width)
    yield [("  --> ", "blue"), (f"{finding.file}:{finding.line}:{finding.column}", "")]
    for frame in _code_frame(text_lines, finding.line, finding.column):
        yield [("  ", ""), *frame]
    if finding.note:
        yield from _wrapped([("  note: ", "bold cyan")], finding.note, "", width, 8)
    if finding.psa:
        yield [("  psa: ", "bold cyan"), (_psa_text(finding.psa), "")]
    if finding.cause:
        yield from _wrapped([("  cause: ", "bold cyan")], finding.cause.text(), "", width, 9)
    if finding.assumption:
        yield from _wrapped([("  assumes: ", "bold cyan")], finding.assumption, "", width, 11)
    if finding.fix:
        label = with_safety("fix", [finding]) + fix_files_label([finding])
        for line in _fix_lines(finding.fix, label):
            yield [("  ", ""), *line]


def _group_key(finding: Finding) -> tuple[str, str, str, str]:
    options = ", ".join(f"{k}={v}" for k, v in (finding.options or {}).items())
    return (finding.file, finding.object or "", finding.profile or "", options)


def lines(
    result: RunResult,
    findings: list[Finding],
    width: int = WIDTH,
    fold: bool = True,
    summary: bool = True,
    advice: frozenset[str] = frozenset(),
) -> Iterator[Line]:
    """The text report: folded problems grouped by place, or (``fold=False``) one finding per
    pod grouped by file, object and pod, then the summary. ``advice``: the rules whose every
    hint is advice (:func:`advice_rules`), never merged into another rule's fix."""
    problems = folded(findings) if fold else unfolded(findings)
    body = _places(result, problems, width, advice) if fold else _per_pod(result, findings, width)
    yield from body
    if summary:
        yield [(summary_line(result, problems), "bold")]


def _per_pod(result: RunResult, findings: list[Finding], width: int) -> Iterator[Line]:
    ordered = sorted(findings, key=lambda f: (*_group_key(f), f.line, f.column, f.rule))
    current_file = None
    current_pod: tuple[str, str, str, str] | None = None
    lines_of = source_lines(result.texts)
    for finding in ordered:
        if finding.file != current_file:
            current_file, current_pod = finding.file, None
            yield [(finding.file, "bold underline")]
        # The header names the pod exactly: two option choices of one profile are two pods.
        if _group_key(finding) != current_pod and finding.object:
            current_pod = _group_key(finding)
            yield [("  " + pod_label(finding), "bold magenta")]
        for line in _finding_lines(finding, lines_of(finding.file), width - 4):
            yield [("    ", ""), *line]
        yield []


def advice_rules(rules: dict[str, Rule]) -> frozenset[str]:
    """The rules whose fix is advice under every hint key (``fix-safety: display-only``): an
    example to adapt (``authenticator_class: github``), not an edit to paste beside another's."""
    return frozenset(
        rule.id
        for rule in rules.values()
        if rule.fix_safety == "display-only"
        and all(safety == "display-only" for safety in rule.fix_safety_by_key.values())
    )


def _places(
    result: RunResult, problems: list[Folded], width: int, advice: frozenset[str] = frozenset()
) -> Iterator[Line]:
    """Folded problems by file, then by the place to edit: the code frame once, every rule that
    fires there, which pods, and the fixes (merged where they are one edit)."""
    places: dict[tuple[str, int, int], list[Folded]] = {}
    for problem in problems:
        places.setdefault((problem.file, problem.line, problem.column), []).append(problem)
    current_file = None
    lines_of = source_lines(result.texts)
    for (file, line, column), here in places.items():
        if file != current_file:
            current_file = file
            yield [(file, "bold underline")]
        yield [("  --> ", "blue"), (f"{file}:{line}:{column}", "")]
        for frame in _code_frame(lines_of(file), line, column):
            yield [("  ", ""), *frame]
        for place_line in _place_lines(here, width - 2, advice):
            yield [("  ", ""), *place_line]
        yield []


def _place_lines(
    here: list[Folded], width: int, advice: frozenset[str] = frozenset()
) -> Iterator[Line]:
    shared_notes = _shared(here, lambda p: [n for n, _ in p.notes()])
    pods = [pods_summary(problem.findings) for problem in here]
    shared_pods = pods[0] if len(set(pods)) == 1 else None
    for problem, problem_pods in zip(here, pods, strict=True):
        yield from _headline(problem, width)
        if problem.psa:
            yield [("  psa: ", "bold cyan"), (_psa_text(problem.psa), "")]
        yield from _context_lines(problem, width)
        if shared_notes is None:
            yield from _note_lines(problem.notes(), problem.findings, width, "  ")
        if shared_pods is None and problem_pods:
            yield from _in_lines(problem.findings, problem_pods, width, "  ")
    if shared_notes is not None:
        yield from _note_lines(here[0].notes(), here[0].findings, width, "")
    if shared_pods:
        yield from _in_lines(here[0].findings, shared_pods, width, "")
    yield from _place_fixes(here, advice)


def _psa_text(psa: PsaRef) -> str:
    mode = f", {psa.mode} mode of the namespace" if psa.mode else ""
    return f"{psa.check} ({psa.level}, {psa.version}{mode})"


def _context_lines(problem: Folded, width: int) -> Iterator[Line]:
    """What in the namespace causes the problem, and what it assumes (each distinct one, named
    with its pods when they differ)."""
    for label, part in (
        ("cause", lambda f: f.cause.text() if f.cause else ""),
        (
            "assumes",
            lambda f: f.assumption or "",
        ),
    ):
        groups: dict[str, list[Finding]] = {}
        for finding in problem.findings:
            groups.setdefault(part(finding), []).append(finding)
        for text, findings in groups.items():
            if not text:
                continue
            every = len(findings) == len(problem.findings)
            head = (
                f"  {label}: "
                if every
                else f"  {label} ({subset_label(findings, problem.findings)}): "
            )
            yield from _wrapped([(head, "bold cyan")], text, "", width, len(label) + 4)


def _shared(here: list[Folded], part: Any) -> Any:
    """``part`` of the problems at a place when it is the same for all of them, else None."""
    first = part(here[0])
    return first if all(part(problem) == first for problem in here[1:]) else None


def _in_lines(findings: list[Finding], pods: str, width: int, indent: str) -> Iterator[Line]:
    label = f"in ({pods_text(findings)}): " if pod_count(findings) > 1 else "in: "
    yield from _wrapped([(indent + label, "bold magenta")], pods, "", width, len(indent) + 4)


def _note_lines(
    notes: list[tuple[str, list[Finding]]], whole: list[Finding], width: int, indent: str
) -> Iterator[Line]:
    for note, findings in notes:
        if not note:
            continue
        every = len(findings) == len(whole)
        label = "note: " if every else f"note ({subset_label(findings, whole)}): "
        yield from _wrapped([(indent + label, "bold cyan")], note, "", width, len(indent) + 6)


def _place_fixes(here: list[Folded], advice: frozenset[str] = frozenset()) -> Iterator[Line]:
    """One fix per edit: the hints every pod of a problem shares, merged across the rules of
    the place where they are one edit; a hint that differs between pods, named with its pods.
    Each label says what ``nblint fix`` does with it (see :func:`with_safety`). A hint of a
    rule in ``advice`` (an example to adapt) is merged with no other rule's."""
    uniform: list[tuple[str, str, list[Finding]]] = []  # (fix, rule, its findings)
    for problem in here:
        # The same snippet nblint fix applies to one pod (safe) and to another only with
        # --unsafe-fixes is shown once for each, named with its pods: one label would be false.
        fixes = [
            (fix, [f for f in findings if _safety([f]) == word])
            for fix, findings in problem.fixes()
            for word in dict.fromkeys(_safety([f]) for f in findings)
        ]
        if len(fixes) == 1:
            if fixes[0][0]:
                uniform.append((fixes[0][0], problem.rule, problem.findings))
            continue
        for fix, findings in fixes:
            if fix:
                label = f"fix ({problem.rule}) for {subset_label(findings, problem.findings)}"
                yield from _fix_lines(fix, with_safety(label, findings) + fix_files_label(findings))

    # Advice nblint never applies is merged only with advice: inside a block labelled unsafe it
    # would read as part of what `nblint fix --unsafe-fixes` does. Hints for another file (the
    # workload a LimitRange's finding is fixed in) are merged only with hints for that file.
    # A hint that is advice by its rule (its example authenticator) stays apart: pasted with
    # a security-context fix it would change what the user never meant to. Hints nblint fix
    # applies differently (safe, unsafe) are merged only with their own kind: one label for both
    # would be false for one part (a safe seccomp profile shown inside an unsafe snippet).
    def kind(entry: tuple[str, str, list[Finding]]) -> tuple[bool, str, str, str]:
        _, rule, found = entry
        return (
            _advice_only(found),
            _safety(found),
            fix_files_label(found),
            rule if rule in advice else "",
        )

    kinds = dict.fromkeys(kind(entry) for entry in uniform)
    for shown in sorted(kinds, key=lambda kind: (kind[0], kind[1] == "unsafe")):
        group = [entry for entry in uniform if kind(entry) == shown]
        where = shown[2]
        texts = list(dict.fromkeys(fix for fix, _, _ in group))
        for text, indices in _merge_fixes(texts):
            merged = {texts[i] for i in indices}
            covered = [rule for fix, rule, _ in group if fix in merged]
            findings = [f for fix, _, found in group if fix in merged for f in found]
            rules = list(dict.fromkeys(covered))
            label = "fix" if len(covered) == len(here) else f"fix ({', '.join(rules)})"
            yield from _fix_lines(text, with_safety(label, findings) + where)


def _advice_only(findings: Sequence[Finding]) -> bool:
    """Whether ``nblint fix`` applies none of the fixes of ``findings``."""
    return not any(f.edit is not None and f.applicability in ("safe", "unsafe") for f in findings)


def with_safety(label: str, findings: Sequence[Finding]) -> str:
    """``label`` saying what ``nblint fix`` does with the fix of ``findings``: ``safe`` (it
    applies it), ``unsafe`` (only with ``--unsafe-fixes``); nothing for advice it never
    applies."""
    word = _safety(findings)
    if not word:
        return label
    return f"{label[:-1]}; {word})" if label.endswith(")") else f"{label} ({word})"


def _safety(findings: Sequence[Finding]) -> str:
    """``unsafe`` if ``nblint fix`` applies a fix of ``findings`` only with ``--unsafe-fixes``,
    else ``safe`` if it applies one, else (advice it never applies) ``""``."""
    kinds = {f.applicability for f in findings if f.edit is not None} - {"display-only"}
    if not kinds:
        return ""
    return "unsafe" if "unsafe" in kinds else "safe"


def _merge_fixes(texts: list[str]) -> list[tuple[str, list[int]]]:
    if len(texts) < 2:
        return [(text, [index]) for index, text in enumerate(texts)]
    from nblint.report.fixes import merge  # PyYAML's dumper: only when there is a merge to do

    return merge(texts)


def summary_line(result: RunResult, findings: Sequence[Finding | Folded]) -> str:
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
    return f"Found {', '.join(parts)} ({checked}).{fixable(findings, result.editable)}"


def fixable(findings: Sequence[Finding | Folded], editable: Container[str] | None = None) -> str:
    """What ``nblint fix`` would do about ``findings`` (or folded problems), as a sentence: in
    problems, as ``nblint fix`` counts them (:func:`~nblint.model.fold.fixable_counts`), with
    the same PATHs (``editable``: the files it edits, not another layer of their release)."""
    safe, unsafe, elsewhere = fixable_counts(
        (item if isinstance(item, Folded) else Folded([item]) for item in findings), editable
    )
    text = ""
    if not safe and unsafe:
        text = f" {unsafe} fixable with `nblint fix --unsafe-fixes`."
    elif safe:
        text = f" {safe} fixable with `nblint fix`"
        if unsafe:
            text += f" ({unsafe} more with `nblint fix --unsafe-fixes`)"
        text += "."
    if elsewhere:
        text += (
            f" {elsewhere} more {'has its' if elsewhere == 1 else 'have their'} fix in a file "
            "not named (another layer of its release): name it too to fix it."
        )
    return text


def write(report: Report, stream: IO[str]) -> None:
    """The findings, the summary, then the suppressed findings asked for."""
    found = lines(
        report.result,
        report.findings,
        terminal_width(stream),
        report.fold,
        not report.quiet,
        advice_rules(report.rules),
    )
    _write_lines(found, stream, report.colour)
    suppressed = report.suppressed_problems()
    if suppressed:
        stream.write(f"Suppressed ({len(suppressed)}):\n")
        for problem, reason in suppressed:
            stream.write(
                printable(
                    f"  {problem.file}:{problem.line}:{problem.column}: {problem.rule}: "
                    f"{problem.message} -- {reason or '(no reason given)'}\n"
                )
            )


def _write_lines(found: Iterator[Line], stream: IO[str], colour: bool) -> None:
    if not colour:
        # Line by line: the report of a large input must not be built whole in memory.
        for line in found:
            stream.write(printable("".join([text for text, _ in line]) + "\n"))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
    for line in found:
        console.print(Text.assemble(*((printable(text), style) for text, style in line)))
