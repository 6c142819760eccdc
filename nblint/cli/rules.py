"""``nblint rules`` and ``nblint explain``: what the rules are, and what one checks."""

from __future__ import annotations

import click

from nblint.cli.common import fail_usage


@click.command("rules")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def list_rules(rules_dir: tuple[str, ...]) -> None:
    """List every rule: id, group, default severity and title."""
    from nblint.check.rules import load_rules
    from nblint.model.rule import RuleError

    try:
        rules = load_rules(rules_dir)
    except RuleError as err:
        fail_usage(str(err))
    ordered = sorted(rules.values(), key=lambda r: (r.group, r.id))
    width = max(len(r.id) for r in ordered)
    group_width = max(len(r.group) for r in ordered)
    for rule in ordered:
        click.echo(
            f"{rule.id:<{width}}  {rule.group:<{group_width}}  {rule.severity:<7}  {rule.title}"
        )


@click.command()
@click.argument("rule_id")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
def explain(rule_id: str, rules_dir: tuple[str, ...]) -> None:
    """Show what RULE checks, why it matters, an example and the fix."""
    from nblint.check.rules import load_rules
    from nblint.cli.explain import explain_rule
    from nblint.model.rule import RuleError

    try:
        rules = load_rules(rules_dir)
    except RuleError as err:
        fail_usage(str(err))
    if rule_id not in rules:
        fail_usage(f"unknown rule {rule_id!r} (see `nblint rules`)")
    click.echo(explain_rule(rules[rule_id]))
