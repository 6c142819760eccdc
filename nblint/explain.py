"""``nblint explain RULE``: a rule's documentation, in the shape ruff uses.

What it does, why it matters, examples that fail and pass, and the fix for each dialect.
"""

from __future__ import annotations

from nblint.check.rules import Rule

DIALECT_NAMES = {
    "manifest": "Kubernetes manifest (PodSpec)",
    "z2jh": "z2jh Helm values",
    "kubeflow": "Kubeflow Notebook / PodDefault",
    "any": "Any input",
}


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.rstrip().splitlines())


def explain_rule(rule: Rule) -> str:
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
    out += [meta, "", "## Why it matters", "", rule.why or rule.title, ""]
    if rule.options:
        out += ["## Options", ""]
        out += [f"    {name}: {value}" for name, value in rule.options.items()]
        out.append("")
    for kind, heading in (("fail", "Example that fails"), ("pass", "Example that passes")):
        for example in rule.examples[kind][:2]:
            out += [f"## {heading}", ""]
            settings = [f"{k}={example[k]}" for k in ("psa-level", "psa-version") if k in example]
            if settings:
                out += [f"(checked with {' '.join(settings)})", ""]
            out += [_indent(example["yaml"]), ""]
    if rule.fix:
        out += ["## Fix", ""]
        for dialect, text in rule.fix.items():
            out += [f"{DIALECT_NAMES.get(dialect, dialect)}:", "", _indent(text), ""]
    return "\n".join(out).rstrip() + "\n"
