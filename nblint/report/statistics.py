"""``--statistics``: how many problems each rule found, most first (as ruff's)."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any

from nblint.model.finding import SEVERITY_RANK, Finding
from nblint.model.fold import pod_count
from nblint.model.result import Report


def counts(report: Report) -> list[dict[str, Any]]:
    """Per rule: its severity, how many problems and in how many distinct pods (a problem's
    findings are one per pod and field: capabilities' drop and add of one container are one
    pod; one pod's findings in two layers of its release are one pod), most problems first."""
    problems: Counter[str] = Counter()
    found: dict[str, list[Finding]] = {}
    severity: dict[str, str] = {}
    for problem in report.problems():
        problems[problem.rule] += 1
        found.setdefault(problem.rule, []).extend(problem.findings)
        severity[problem.rule] = problem.severity
    ordered = sorted(problems, key=lambda r: (-problems[r], -SEVERITY_RANK[severity[r]], r))
    return [
        {
            "rule": rule,
            "severity": severity[rule],
            "count": problems[rule],
            "pods": pod_count(found[rule], report.result.layers_of),
        }
        for rule in ordered
    ]


def write(report: Report, stream: IO[str], as_json: bool = False) -> None:
    rows = counts(report)
    if as_json:
        stream.write(json.dumps(rows, indent=2) + "\n")
        return
    if not rows:
        return
    width = max(len(str(row["count"])) for row in rows)
    rule_width = max(len(row["rule"]) for row in rows)
    for row in rows:
        rule = report.rules.get(row["rule"])
        title = rule.title if rule else ""
        # Said where the pods are not the problems one for one (one key, three profiles; two
        # containers of one pod).
        pods = row["pods"]
        in_pods = f" (in {pods} pod{'s' * (pods != 1)})" if pods != row["count"] else ""
        stream.write(
            f"{row['count']:>{width}}  {row['rule']:<{rule_width}}  {row['severity']:<7}  "
            f"{title}{in_pods}\n"
        )
