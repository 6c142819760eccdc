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
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from nblint import __version__
from nblint.model.finding import Finding
from nblint.model.fingerprint import FINGERPRINT_KEY, fingerprints, repo_paths, repo_root
from nblint.model.result import Report, RunResult
from nblint.model.rule import Rule
from nblint.report import highlighted

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"

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
    return [(key, str(rule.fix[key]).rstrip()) for key in keys]


def rule_descriptor(rule: Rule, labels: dict[str, str] | None = None) -> dict[str, Any]:
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
    return {
        "id": rule.id,
        "name": rule_name(rule.id),
        "shortDescription": {"text": _clip(rule.title)},
        "fullDescription": {"text": _clip(why)},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": tags,
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "precision": "high",
        },
    }


def _uri(path: str) -> dict[str, Any]:
    if Path(path).is_absolute():
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(path, safe="/"), "uriBaseId": SRCROOT}


def _region(finding: Finding, text_lines: list[str]) -> dict[str, int]:
    line, column = max(finding.line, 1), max(finding.column, 1)
    region = {"startLine": line, "startColumn": column}
    if line <= len(text_lines):
        # Cover the key and its value, not a trailing comment: the span a PR diff must touch.
        body = highlighted(text_lines[line - 1], column)
        if body:
            region["endLine"] = line
            region["endColumn"] = column + len(body)
    return region


def _message(finding: Finding) -> str:
    context = [finding.object] if finding.object else []
    if finding.profile:
        context.append(f"profile {finding.profile!r}")
    if finding.options:
        context.append(", ".join(f"{k}={v}" for k, v in finding.options.items()))
    if finding.container:
        context.append(f"container {finding.container!r}")
    text = finding.message
    if context:
        text += f" ({'; '.join(context)})"
    text += "."
    if finding.note:
        text += f"\nNote: {finding.note}"
    if finding.fix:
        text += f"\nFix:\n{finding.fix}"
    return text


def _fix(finding: Finding, uri: dict[str, Any]) -> dict[str, Any]:
    """The finding's edit as SARIF ``fixes``: text replacements in the file as it is."""
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
    return {
        "description": {"text": f"{finding.applicability} fix for {finding.rule} (nblint fix)"},
        "artifactChanges": [{"artifactLocation": dict(uri), "replacements": replacements}],
    }


def _location(uri: dict[str, Any], region: dict[str, int] | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": dict(uri)}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def build(
    result: RunResult,
    findings: list[Finding],
    rules: list[Rule],
    suppressed: Sequence[tuple[Finding, str]] = (),
    root: Path | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dict. ``suppressed`` pairs a finding with its reason."""
    root = root if root is not None else repo_root()
    ordered_rules = sorted({rule.id: rule for rule in rules}.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(ordered_rules)}
    everything = [(f, None) for f in findings] + [(f, reason) for f, reason in suppressed]
    prints = fingerprints([f for f, _ in everything], root)
    # Per input file, not per finding: its lines, and its path and URI (resolving a path
    # touches the file system).
    paths = repo_paths([f for f, _ in everything], root)
    text_cache: dict[str, list[str]] = {}
    uri_cache: dict[str, dict[str, Any]] = {}
    results = []
    notifications = []
    for (finding, reason), fingerprint in zip(everything, prints, strict=True):
        if finding.file not in text_cache:
            text_cache[finding.file] = result.texts.get(finding.file, "").splitlines()
        path = paths[finding.file]
        if path not in uri_cache:
            uri_cache[path] = _uri(path)
        entry: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in index:
            entry["ruleIndex"] = index[finding.rule]
        entry["level"] = LEVELS[finding.severity]
        entry["message"] = {"text": _message(finding)}
        location = _location(uri_cache[path], _region(finding, text_cache[finding.file]))
        entry["locations"] = [location]
        entry["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint}
        properties: dict[str, Any] = dict(finding.context())
        if finding.applicability:
            properties["applicability"] = finding.applicability
        if properties:
            entry["properties"] = properties
        if finding.changes:
            entry["fixes"] = [_fix(finding, uri_cache[path])]
        if reason is not None:
            entry["suppressions"] = [{"kind": "inSource", "justification": reason or ""}]
        results.append(entry)
        if reason is None and finding.rule in INCOMPLETE_INPUT_RULES:
            notifications.append(
                {
                    "level": "error",
                    "message": {"text": f"{path}: not checked: {finding.message}"},
                    "locations": [_location(uri_cache[path], _region(finding, []))],
                    "associatedRule": {"id": finding.rule},
                }
            )
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "nblint",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule, labels) for rule in ordered_rules],
            }
        },
        "invocations": [invocation],
        "originalUriBaseIds": {
            SRCROOT: {"description": {"text": "The root of the repository that was checked."}}
        },
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(report: Report, stream: IO[str]) -> None:
    log = build(
        report.result, report.findings, report.active, report.suppressed, labels=report.fix_labels
    )
    stream.write(indented_json(log) + "\n")


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
