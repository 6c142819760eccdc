"""``nblint rules`` and ``nblint explain``: what the rules are, and what one checks."""

from __future__ import annotations

import click

from nblint.cli.common import fail_usage, help_uri


@click.command("rules")
@click.option("--rules-dir", multiple=True, type=click.Path(file_okay=False))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: one line per rule; json: an array of {id, group, severity, title, psa, "
    "options, always_on, help_uri}.",
)
def list_rules(rules_dir: tuple[str, ...], output_format: str) -> None:
    """List every rule: id, group, default severity and title."""
    from nblint.check.rules import load_rules
    from nblint.model.rule import RuleError

    try:
        rules = load_rules(rules_dir)
    except RuleError as err:
        fail_usage(str(err))
    ordered = sorted(rules.values(), key=lambda r: (r.group, r.id))
    if output_format == "json":
        import json

        entries = [
            {
                "id": rule.id,
                "group": rule.group,
                "severity": rule.severity,
                "title": rule.title,
                "psa": rule.psa_check and {"check": rule.psa_check, "level": rule.psa_level},
                "options": rule.options,
                "always_on": rule.always_on,
                "help_uri": help_uri(rule) or None,
            }
            for rule in ordered
        ]
        click.echo(json.dumps(entries, indent=2, default=str))
        return
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
    click.echo(explain_rule(rules[rule_id], help_uri(rules[rule_id])))
