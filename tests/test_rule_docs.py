"""Rule documentation a link away: ``docs/rules/<id>.md`` generated from the rule files and never
stale, ``helpUri`` in SARIF and ``explain``, and no help text with an unfilled placeholder."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import ROOT, RULES

from nblint import RULE_DOCS_URL
from nblint.cli import main
from nblint.cli.docs import DOCS_DIR, pages
from nblint.model.rule import Rule
from nblint.model.template import unfilled

DOCS = ROOT / DOCS_DIR


def test_every_rule_has_a_page_and_no_page_is_stale() -> None:
    expected = pages(RULES)
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    stale = sorted(name for name in expected if on_disk.get(name) != expected[name])
    orphans = sorted(set(on_disk) - set(expected))
    assert (stale, orphans) == ([], []), "regenerate with: python -m nblint.cli.docs"


def test_a_page_says_what_why_examples_fix_and_references() -> None:
    page = (DOCS / "privileged.md").read_text()
    for heading in (
        "## What it checks",
        "## Why it matters",
        "## Example: Fails",
        "## Example: Passes",
        "## Fix",
        "## References",
    ):
        assert heading in page
    assert "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline" in page
    assert "    - name: <container>\n" in page


def hints(rule: Rule) -> list[str]:
    texts = list(rule.fix.values())
    for impl in rule.implementations:
        for violation in impl.violations:
            texts += list((violation.fix or {}).values())
    return texts


@pytest.mark.parametrize("rule", sorted(RULES.values(), key=lambda r: r.id), ids=lambda r: r.id)
def test_no_fix_hint_leaves_a_placeholder_unfilled_in_help_text(rule: Rule) -> None:
    assert [gap for text in hints(rule) for gap in unfilled(text, rule.options)] == []


def test_sarif_help_shows_no_raw_placeholder_and_links_the_page() -> None:
    path = str(ROOT / "tests" / "fixtures" / "sarif" / "privileged-pod.yaml")
    result = CliRunner().invoke(main, ["check", "--format", "sarif", path])
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    (privileged,) = [rule for rule in rules if rule["id"] == "privileged"]
    assert "{container_list}" not in privileged["help"]["text"]
    assert "- name: {container}" not in privileged["help"]["text"]
    assert "- name: <container>" in privileged["help"]["text"]
    assert privileged["helpUri"] == RULE_DOCS_URL.format(rule="privileged")
    assert all(rule["helpUri"].endswith(f"/docs/rules/{rule['id']}.md") for rule in rules)


def test_explain_ends_with_the_page_address() -> None:
    text = CliRunner().invoke(main, ["explain", "privileged"]).stdout
    assert text.rstrip().endswith(RULE_DOCS_URL.format(rule="privileged"))


def test_a_team_rule_has_no_page_to_link(tmp_path) -> None:
    team = ROOT / "examples" / "team-rules"
    rows = json.loads(
        CliRunner().invoke(main, ["rules", "--format", "json", "--rules-dir", str(team)]).stdout
    )
    by_id = {row["id"]: row for row in rows}
    assert by_id["allowed-registry"]["help_uri"] is None
    assert by_id["privileged"] == {
        "id": "privileged",
        "group": "psa-baseline",
        "severity": "error",
        "title": "Privileged containers are forbidden",
        "psa": {"check": "privileged", "level": "baseline"},
        "options": {},
        "always_on": False,
        "help_uri": RULE_DOCS_URL.format(rule="privileged"),
    }
