"""``--format sarif``: a SARIF 2.1.0 log for GitHub code scanning and other SARIF consumers.

One run, one result per finding. Each result points at the key the user edits (1-based line and
column, exclusive end column), with a URI relative to the repository root under ``%SRCROOT%``, and
carries the line-free fingerprint of :mod:`nblint.model.fingerprint` under
``partialFingerprints``.
Files that could not be read or parsed are also listed as tool execution notifications, so that a
consumer knows the results for them are incomplete. The output is deterministic: no timestamps,
no absolute paths for files inside the repository.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from nblint import HOMEPAGE, __version__
from nblint.model.finding import Finding
from nblint.model.fingerprint import (
    FINGERPRINT_KEY,
    PROBLEM_FINGERPRINT_KEY,
    fingerprints,
    problem_fingerprints,
    repo_path,
    repo_paths,
    repo_root,
)
from nblint.model.fold import Folded, pods_summary, pods_text
from nblint.model.result import Report, RunResult
from nblint.model.rule import Rule
from nblint.model.template import documented
from nblint.report import SourceLines, highlighted, source_lines

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
INFORMATION_URI = HOMEPAGE

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: GitHub's bands: 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low (a string holding a number).
SECURITY_SEVERITY = {"error": "7.5", "warning": "5.0", "info": "2.0"}
#: Rules whose findings mean a file was not (fully) checked.
INCOMPLETE_INPUT_RULES = frozenset({"parse-error", "unreadable-file", "input-too-large"})
MAX_DESCRIPTION = 1024


def _clip(text: str) -> str:
    text = text.strip()
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def rule_name(rule_id: str) -> str:
    """``run-as-non-root`` → ``RunAsNonRoot`` (SARIF's human-readable rule name)."""
    return "".join(part[:1].upper() + part[1:] for part in rule_id.split("-"))


def _fix_texts(rule: Rule, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The rule's hints: the one for any input first, then in the order the dialects are
    registered (``labels``)."""
    order = ["any", *labels]
    keys = sorted(rule.fix, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(key, documented(str(rule.fix[key]), rule.options).rstrip()) for key in keys]


def rule_descriptor(
    rule: Rule, labels: dict[str, str] | None = None, help_uri: str = ""
) -> dict[str, Any]:
    why = rule.why or rule.title
    fixes = _fix_texts(rule, labels or {})
    text = why
    markdown = why
    for dialect, fix in fixes:
        label = "Fix" if dialect == "any" else f"Fix ({dialect})"
        text += f"\n\n{label}:\n{fix}"
        fence = "yaml" if "\n" in fix or ":" in fix else ""
        markdown += f"\n\n**{label}:**\n\n```{fence}\n{fix}\n```"
    markdown += f"\n\nMore: `nblint explain {rule.id}`"
    tags = ["security", rule.group]
    if rule.psa_check:
        tags.append("pod-security-admission")
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": _clip(rule.title)},
        "fullDescription": {"text": _clip(why)},
        "help": {"text": text, "markdown": markdown},
    }
    if help_uri:
        descriptor["helpUri"] = help_uri
    descriptor["defaultConfiguration"] = {"level": LEVELS[rule.severity]}
    descriptor["properties"] = {
        "tags": tags,
        "security-severity": SECURITY_SEVERITY[rule.severity],
        "precision": "high",
    }
    return descriptor


def _uri(path: str) -> dict[str, Any]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(finding: Finding, text_lines: SourceLines | None) -> dict[str, int]:
    line, column = max(finding.line, 1), max(finding.column, 1)
    region = {"startLine": line, "startColumn": column}
    source = text_lines.line(line) if text_lines is not None else None
    if source is not None:
        # Cover the key and its value, not a trailing comment: the span a PR diff must touch.
        body = highlighted(source, column)
        if body:
            region["endLine"] = line
            region["endColumn"] = column + len(body)
    return region


def _message(problem: Folded, path_of: Callable[[str], str]) -> str:
    finding = problem.first
    if len(problem.findings) == 1:
        context = [finding.object] if finding.object else []
        if finding.profile:
            context.append(f"profile {finding.profile!r}")
        if finding.options:
            context.append(", ".join(f"{k}={v}" for k, v in finding.options.items()))
        if finding.container:
            context.append(f"container {finding.container!r}")
    else:
        context = [f"{pods_text(problem.findings)}: {pods_summary(problem.findings)}"]
    text = problem.message
    if context:
        text += f" ({'; '.join(context)})"
    text += "."
    for label, note in problem.labelled("Note", "note"):
        text += f"\n{label}: {note}"
    if problem.first.cause:
        text += f"\nCause: {problem.first.cause.text()}"
    if problem.first.assumption:
        text += f"\nAssumes: {problem.first.assumption}"
    for label, fix in problem.labelled("Fix", "fix", path_of):
        text += f"\n{label}:\n{fix}"
    return text


def _properties(problem: Folded, fold: bool) -> dict[str, Any]:
    if not fold:
        return problem.first.context()
    pods = [finding.context() for finding in problem.findings]
    return {"pods": pods} if any(pods) else {}


def _fixes(problem: Folded, uri: Callable[[str], dict[str, Any]]) -> list[dict[str, Any]]:
    """The problem's edits as SARIF ``fixes`` (one per distinct edit of its pods): text
    replacements in the file as it is, where ``nblint fix`` knows them. Each names the file its
    edit is for, which need not be the result's (a chart default fixed in the last ``-f`` layer,
    a LimitRange's default in the workload): its regions are that file's."""
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for finding in problem.findings:
        edit = finding.edit
        if edit is None or not finding.changes or (edit.file, finding.changes) in seen:
            continue
        seen.add((edit.file, finding.changes))
        replacements = [
            {
                "deletedRegion": {
                    "startLine": start_line,
                    "startColumn": start_column,
                    "endLine": end_line,
                    "endColumn": end_column,
                },
                "insertedContent": {"text": new},
            }
            for start_line, start_column, end_line, end_column, new in finding.changes
        ]
        out.append(
            {
                "description": {
                    "text": f"{finding.applicability} fix for {finding.rule} (nblint fix)"
                },
                "artifactChanges": [
                    {"artifactLocation": dict(uri(edit.file)), "replacements": replacements}
                ],
            }
        )
    return out


def _location(uri: dict[str, Any], region: dict[str, int] | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": dict(uri)}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def build(
    result: RunResult,
    problems: Sequence[Folded],
    rules: list[Rule],
    suppressed: Sequence[tuple[Folded, str]] = (),
    root: Path | None = None,
    labels: dict[str, str] | None = None,
    fold: bool = True,
    help_uris: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict: one result per problem (``fold``: per place, with
    every pod it is in; else per pod). ``suppressed`` pairs a problem with its reason."""
    log, results = _log(result, problems, rules, suppressed, root, labels, fold, help_uris)
    log["runs"][0]["results"] = list(results)
    return log


def write(report: Report, stream: IO[str]) -> None:
    """The log as ``json.dumps(log, indent=2)`` writes it, one result at a time: the log of a
    large input is never built whole in memory."""
    log, results = _log(
        report.result,
        report.problems(),
        report.active,
        report.suppressed_problems(),
        None,
        report.fix_labels,
        report.fold,
        report.help_uris,
    )
    log["runs"][0]["results"] = _RESULTS_GO_HERE
    head, _, tail = indented_json(log).partition(json.dumps(_RESULTS_GO_HERE))
    stream.write(head)
    inner = "\n" + head[head.rindex("\n") + 1 :].replace('"results": ', "") + "  "
    written = False
    for entry in results:
        out: list[str] = ["," + inner if written else "[" + inner]
        _write_json(entry, inner, out)
        stream.write("".join(out))
        written = True
    stream.write((inner[:-2] + "]" if written else "[]") + tail + "\n")


#: Stands for the results while the rest of the log is written (see :func:`write`).
_RESULTS_GO_HERE = "\x00results\x00"


def _log(
    result: RunResult,
    problems: Sequence[Folded],
    rules: list[Rule],
    suppressed: Sequence[tuple[Folded, str]],
    root: Path | None,
    labels: dict[str, str] | None,
    fold: bool,
    help_uris: dict[str, str] | None,
) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The log without its results, and the results, made one at a time."""
    root = root if root is not None else repo_root()
    ordered_rules = sorted({rule.id: rule for rule in rules}.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(ordered_rules)}
    everything = [(p, None) for p in problems] + [(p, reason) for p, reason in suppressed]
    # Per input file, not per finding: its lines, and its path and URI (resolving a path
    # touches the file system).
    paths = repo_paths([p.first for p, _ in everything], root)
    uri_cache: dict[str, dict[str, Any]] = {}

    def path_of(file: str) -> str:
        # A cause (an AdmissionConfiguration's podsecurity file) or an edit (the workload a
        # LimitRange's finding is fixed in) may lie in a file with no finding of its own.
        return paths[file] if file in paths else paths.setdefault(file, repo_path(file, root))

    def uri(file: str) -> dict[str, Any]:
        path = path_of(file)
        if path not in uri_cache:
            uri_cache[path] = _uri(path)
        return uri_cache[path]

    notifications = [
        {
            "level": "error",
            "message": {"text": f"{paths[problem.file]}: not checked: {problem.message}"},
            "locations": [_location(uri(problem.file), _region(problem.first, None))],
            "associatedRule": {"id": problem.rule},
        }
        for problem in problems
        if problem.rule in INCOMPLETE_INPUT_RULES
    ]
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    uris = help_uris or {}
    descriptors = [rule_descriptor(rule, labels, uris.get(rule.id, "")) for rule in ordered_rules]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "nblint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository that was checked."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": [],
    }

    def results() -> Iterator[dict[str, Any]]:
        if fold:
            key = PROBLEM_FINGERPRINT_KEY
            prints = problem_fingerprints([p for p, _ in everything], root)
        else:
            key = FINGERPRINT_KEY
            prints = fingerprints([p.first for p, _ in everything], root)
        lines_of = source_lines(result.texts)
        for (problem, reason), fingerprint in zip(everything, prints, strict=True):
            finding = problem.first
            entry: dict[str, Any] = {"ruleId": finding.rule}
            if finding.rule in index:
                entry["ruleIndex"] = index[finding.rule]
            entry["level"] = LEVELS[finding.severity]
            entry["message"] = {"text": _message(problem, path_of)}
            region = _region(finding, lines_of(finding.file))
            entry["locations"] = [_location(uri(finding.file), region)]
            cause = finding.cause
            if cause is not None:
                # The namespace object that makes it true (a label, a quota key), as code
                # scanning shows a second place.
                entry["relatedLocations"] = [
                    {
                        "id": 1,
                        **_location(
                            uri(cause.file), {"startLine": cause.line, "startColumn": cause.column}
                        ),
                        "message": {"text": f"{cause.object} {cause.detail}"},
                    }
                ]
            entry["partialFingerprints"] = {key: fingerprint}
            properties = _properties(problem, fold)
            applicability = sorted({f.applicability for f in problem.findings if f.applicability})
            if applicability:
                properties = {**properties, "applicability": "/".join(applicability)}
            if properties:
                entry["properties"] = properties
            fixes = _fixes(problem, uri)
            if fixes:
                entry["fixes"] = fixes
            if reason is not None:
                entry["suppressions"] = [{"kind": "inSource", "justification": reason or ""}]
            yield entry

    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}, results()


def indented_json(value: Any) -> str:
    """``json.dumps(value, indent=2)``, character for character, several times faster.

    With ``indent`` the standard library falls back to its pure-Python encoder, whose nested
    generators dominated the time of writing a large log. This writes the same text into one
    list: strings through the same C escaper, numbers through the same ``repr``.
    """
    out: list[str] = []
    _write_json(value, "\n", out)
    return "".join(out)


_escape = json.encoder.encode_basestring_ascii


def _write_json(value: Any, newline: str, out: list[str]) -> None:
    """Append ``value`` as indented JSON; ``newline`` is a line break plus the current indent."""
    if isinstance(value, str):
        out.append(_escape(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(json.encoder.JSONEncoder().encode(value))  # NaN, Infinity as json writes them
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        out.append("[")
        for index, item in enumerate(value):
            out.append("," + inner if index else inner)
            _write_json(item, inner, out)
        out.append(newline + "]")
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            out.append("," + inner if index else inner)
            out.append(_escape(key if isinstance(key, str) else json.dumps(key).strip('"')))
            out.append(": ")
            _write_json(item, inner, out)
        out.append(newline + "}")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
