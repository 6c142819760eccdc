"""``docs/rules/<id>.md``: one page per shipped rule, generated from its rule file.

What it checks, why, examples that fail and pass, the fix for each dialect and where to read
more upstream. The pages are written by ``python -m nblint.cli.docs`` and a test fails when one
is stale (``tests/test_rule_docs.py``), so they never drift from the rules.
"""

from __future__ import annotations

import os
import sys

from nblint.cli.explain import _checks, _dialect_name, _fixes, fix_heading
from nblint.model.rule import Rule
from nblint.model.template import documented

#: Where each group's checks are explained upstream.
REFERENCES: dict[str, list[tuple[str, str]]] = {
    "psa-baseline": [
        (
            "Pod Security Standards: Baseline",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
        ),
        (
            "Pod Security Admission",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        ),
        (
            "The admission's policy checks (kubernetes/pod-security-admission)",
            "https://github.com/kubernetes/pod-security-admission/tree/master/policy",
        ),
    ],
    "psa-restricted": [
        (
            "Pod Security Standards: Restricted",
            "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
        ),
        (
            "Pod Security Admission",
            "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
        ),
        (
            "The admission's policy checks (kubernetes/pod-security-admission)",
            "https://github.com/kubernetes/pod-security-admission/tree/master/policy",
        ),
    ],
    "notebook": [
        (
            "Zero to JupyterHub: security",
            "https://z2jh.jupyter.org/en/stable/administrator/security.html",
        ),
        (
            "Kubernetes: configure a security context",
            "https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ),
    ],
    "z2jh": [
        (
            "Zero to JupyterHub: configuration reference",
            "https://z2jh.jupyter.org/en/stable/resources/reference.html",
        ),
        (
            "KubeSpawner configuration",
            "https://jupyterhub-kubespawner.readthedocs.io/en/latest/spawner.html",
        ),
    ],
    "kubeflow": [
        ("Kubeflow Notebooks", "https://www.kubeflow.org/docs/components/notebooks/"),
    ],
    "namespace": [
        ("Limit Ranges", "https://kubernetes.io/docs/concepts/policy/limit-range/"),
        ("Resource Quotas", "https://kubernetes.io/docs/concepts/policy/resource-quotas/"),
        (
            "Pod Security Admission: configure the admission controller",
            "https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-admission-controller/",
        ),
    ],
}

DOCS_DIR = os.path.join("docs", "rules")


def _fence(text: str, language: str = "") -> list[str]:
    return [f"```{language}", text.rstrip("\n"), "```"]


def rule_page(rule: Rule) -> str:
    """The Markdown page of one rule."""
    out = [f"# {rule.id}", "", f"**{rule.title}**", ""]
    facts = [f"Group: `{rule.group}`", f"default severity: {rule.severity}"]
    if rule.psa:
        facts.append(f"Pod Security Admission check `{rule.psa['check']}` ({rule.psa['level']})")
    if rule.always_on:
        facts.append("always on (an input nblint could not check)")
    if rule.release_scope:
        facts.append("judges the release's settings (checked where the platform refuses the pod)")
    out += ["; ".join(facts) + ".", ""]
    for entry in (rule.psa or {}).get("replaces", []):
        since = entry.get("since", "v1.0")
        out += [f"Under `restricted` it replaces `{entry['rule']}` from policy {since}.", ""]
    out += ["## What it checks", "", *_fence("\n".join(_checks(rule)), "text"), ""]
    out += ["## Why it matters", "", (rule.why or rule.title).strip(), ""]
    if rule.option_specs:
        out += ["## Options", "", "| option | default | meaning |", "|---|---|---|"]
        for name, spec in sorted(rule.option_specs.items()):
            out.append(f"| `{name}` | `{spec.default}` | {spec.description.strip()} |")
        out += ["", f"Set them under `[tool.nblint.options.{rule.id}]`.", ""]
    for kind, heading in (("fail", "Fails"), ("pass", "Passes")):
        for example in rule.examples.get(kind, []):
            out += [f"## Example: {heading}", ""]
            settings = [
                f"`--{k} {example[k]}`" for k in ("psa-level", "psa-version") if k in example
            ]
            if settings:
                out += [f"Checked with {' '.join(settings)}.", ""]
            if "file" in example:
                out += [f"As `{example['file']}`:", ""]
            out += [*_fence(example["yaml"], "yaml"), ""]
            for name, text in sorted(example.get("beside", {}).items()):
                out += [f"Beside it, `{name}`:", "", *_fence(text, "yaml"), ""]
    fixes = _fixes(rule)
    if fixes:
        out += fix_heading(rule)
        for key, text in fixes:
            out += [f"{_dialect_name(key)}:", "", *_fence(documented(text, rule.options), "yaml")]
            out.append("")
    out += ["## References", ""]
    for title, url in REFERENCES.get(rule.group, []):
        out.append(f"- [{title}]({url})")
    out += [f"- `nblint explain {rule.id}`", ""]
    return "\n".join(out)


def pages(rules: dict[str, Rule]) -> dict[str, str]:
    """File name → page, for every rule."""
    return {f"{rule.id}.md": rule_page(rule) for rule in rules.values()}


def write(directory: str = DOCS_DIR) -> int:
    """Write every shipped rule's page into ``directory`` (removing pages of rules that are
    gone); returns how many were written."""
    from nblint.check.rules import load_rules

    written = pages(load_rules())
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".md") and name not in written:
            os.remove(os.path.join(directory, name))
    for name, text in written.items():
        with open(os.path.join(directory, name), "w", encoding="utf-8") as handle:
            handle.write(text)
    return len(written)


if __name__ == "__main__":
    count = write(sys.argv[1] if len(sys.argv) > 1 else DOCS_DIR)
    print(f"wrote {count} rule pages")
