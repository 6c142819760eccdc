"""``nblint explain RULE``: a rule's documentation, in the shape ruff uses.

What it does, why it matters, examples that fail and pass, and the fix for each dialect.
"""

from __future__ import annotations

from nblint.dialects.registry import fix_labels
from nblint.model.finding import ANY
from nblint.model.rule import Condition, Rule
from nblint.model.template import documented

#: What each fix safety means to a reader of ``explain`` (and of the rule docs).
SAFETY_WORDS = {
    "safe": "safe: `nblint fix` applies it (it changes nothing a compliant workload relies on)",
    "unsafe": "unsafe: applied only with `nblint fix --unsafe-fixes` (it may change how the "
    "workload runs)",
    "display-only": "display only: advice for a person, never applied by `nblint fix`",
}


def _dialect_name(key: str) -> str:
    dialect, _, container = key.partition(":")
    name = {**fix_labels(), ANY: "Any input"}.get(dialect, dialect)
    return f"{name}, for container {container}" if container else name


def condition_text(condition: Condition) -> str:
    """``a matches {…}, b matches {…}``; alternatives joined by ``or``."""
    import json

    return " or ".join(
        ", ".join(f"{path.text} matches {json.dumps(schema)}" for path, schema in clauses)
        for clauses in condition.alternatives
    )


def _checks(rule: Rule) -> list[str]:
    """The rule's check, as data: per implementation, each violation's target, field and schema."""
    import json

    lines = []
    for impl in rule.implementations:
        since = f"From policy v{impl.since[0]}.{impl.since[1]}" if impl.since else "Always"
        if impl.unless is not None:
            since += ", unless " + condition_text(impl.unless)
        lines.append(since + ":")
        if impl.builtin == "reported-by-pipeline":
            return [
                "Reported while the input is read (by the loader or its dialect's normaliser),"
                " not evaluated on the effective pod."
            ]
        if impl.builtin:
            options = json.dumps(impl.builtin_options) if impl.builtin_options else ""
            lines.append(f"    builtin `{impl.builtin}` (Python) {options}".rstrip())
        for violation in impl.violations:
            fields = ", ".join(f.text or "(the target itself)" for f in violation.fields)
            if violation.must is True:
                text = "must be set"
            else:
                text = f"must match {json.dumps(violation.must)}"
                text += "; unset fails" if violation.missing == "fail" else "; unset passes"
            for word, condition in (("when", violation.when), ("unless", violation.unless)):
                if condition is not None:
                    text += f" ({word} {condition_text(condition)})"
            lines.append(f"    {violation.target} {fields} {text}")
    return lines


def fix_heading(rule: Rule) -> list[str]:
    """The lines that open a rule's fix section: its fix safety (the default), each dialect's
    own, and the findings whose fix is unsafe although the rule's is safe, and why."""
    out = ["## Fix", "", f"Fix safety: {SAFETY_WORDS[rule.fix_safety]}."]
    for key, safety in sorted(rule.fix_safety_by_key.items()):
        out.append(f"For {_dialect_name(key)}: {SAFETY_WORDS[safety]}.")
    cases = _unsafe_cases(rule)
    if cases:
        out += [
            "",
            "That is the rule's default: a finding's own fix is unsafe (applied only with "
            "`--unsafe-fixes`, and its hint says why) where the workload may rely on what it "
            "changes:",
        ]
        out += [f"- {case}." for case in cases]
    return [*out, ""]


def _unsafe_cases(rule: Rule) -> list[str]:
    """Why a finding's fix, safe by its rule, may be unsafe (``podview.relied_on``), for the
    rule's safe hints."""
    from nblint.check.podview import relied_on_cases

    fields = {
        field.text.rpartition(".")[2]
        for impl in rule.implementations
        for violation in impl.violations
        for field in violation.fields
        if field.text
    }
    cases: list[str] = []
    for key, text in _fixes(rule):
        if rule.safety_of(key) != "safe":
            continue
        for case in relied_on_cases(text, fields):
            if case not in cases:
                cases.append(case)
    return cases


def _fixes(rule: Rule) -> list[tuple[str, str]]:
    """The rule's hints and, after them, those of single violations, without repeats."""
    found = list(rule.fix.items())
    for impl in rule.implementations:
        for violation in impl.violations:
            for item in (violation.fix or {}).items():
                if item not in found:
                    found.append(item)
    return found


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.rstrip().splitlines())


def explain_rule(rule: Rule, help_uri: str = "") -> str:
    out = [f"# {rule.id}: {rule.title}", ""]
    meta = f"Group: {rule.group}    Default severity: {rule.severity}"
    if rule.psa:
        versions = sorted(
            f"v{i.since[0]}.{i.since[1]}" for i in rule.implementations if i.since is not None
        )
        meta += f"\nPod Security Admission check: {rule.psa['check']} ({rule.psa['level']})"
        if versions:
            meta += f", implementations since {', '.join(versions)}"
        for entry in rule.psa.get("replaces", []):
            meta += f"\nReplaces {entry['rule']} under restricted from {entry.get('since', 'v1.0')}"
    out += [meta, "", "## What it checks", "", *_checks(rule), "", "## Why it matters", ""]
    out += [rule.why or rule.title, ""]
    if rule.options:
        import yaml

        options = yaml.safe_dump(rule.options, default_flow_style=False, sort_keys=False)
        out += ["## Options", "", _indent(options), ""]
    for kind, heading in (("fail", "Example that fails"), ("pass", "Example that passes")):
        for example in rule.examples[kind][:2]:
            out += [f"## {heading}", ""]
            settings = [f"{k}={example[k]}" for k in ("psa-level", "psa-version") if k in example]
            if settings:
                out += [f"(checked with {' '.join(settings)})", ""]
            if "file" in example:
                out += [f"(as {example['file']})", ""]
            out += [_indent(example["yaml"]), ""]
    fixes = _fixes(rule)
    if fixes:
        out += fix_heading(rule)
        for key, text in fixes:
            out += [f"{_dialect_name(key)}:", "", _indent(documented(text, rule.options)), ""]
    if help_uri:
        out += ["## More", "", help_uri, ""]
    return "\n".join(out).rstrip() + "\n"
