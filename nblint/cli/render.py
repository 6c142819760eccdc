"""``nblint render``: each effective pod as the v1 Pod the cluster will admit."""

from __future__ import annotations

import sys
from typing import Any

import click

from nblint.cli.common import (
    EXIT_CLEAN,
    EXIT_FINDINGS,
    dialect_settings,
    expanded_context,
    fail_usage,
    policy,
    with_run_options,
)
from nblint.report import printable


@click.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["yaml", "json"]),
    default="yaml",
    show_default=True,
)
@with_run_options
def render(paths: tuple[str, ...], output_format: str, **params: Any) -> None:
    """Print each effective pod as the v1 Pod the cluster will admit."""
    import yaml

    from nblint.load.files import InputError, discover
    from nblint.load.yaml_tree import to_plain
    from nblint.run.pipeline import Options, Runner

    try:
        inputs = list(discover(list(paths)))
    except InputError as err:
        fail_usage(str(err))
    context = expanded_context(params)
    if not paths and not params.get("values_files"):
        raise click.UsageError("give at least one PATH or -f/--values FILE")
    options = Options(
        policy(params["psa_level"], params["psa_version"]),
        select={"nblint"},
        dialect=dialect_settings(params),
        context=context,
        keep_pods=True,
    )
    result = Runner(options).run(inputs)
    entries = [
        {
            "source": pod.file,
            "object": pod.object,
            "profile": pod.profile,
            "options": pod.options,
            "pod": to_plain(pod.pod),
            **_admission(pod),
        }
        for pod in result.pods
    ]
    if not entries:
        # Say it: an empty output reads as "nblint failed" or "nothing to see" alike.
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(result.skipped.items()))
        what = f" (skipped: {skipped})" if skipped else ""
        click.echo(
            printable(f"nblint: no pod in {', '.join(inputs) or 'the input'}{what}"), err=True
        )
    if output_format == "json":
        import json

        sys.stdout.write(json.dumps(entries, indent=2, default=str) + "\n")
    else:
        for entry in entries:
            header = f"# {entry['source']}: {entry['object']}"
            if entry["profile"]:
                header += f", profile {entry['profile']}"
            if entry["options"]:
                header += ", " + ", ".join(f"{k}={v}" for k, v in entry["options"].items())
            sys.stdout.write("---\n" + printable(header) + "\n")
            for line in _admission_comments(entry):
                sys.stdout.write(printable(line) + "\n")
            sys.stdout.write(
                yaml.safe_dump(entry["pod"], sort_keys=False, default_flow_style=False)
            )
    for finding in result.findings:
        click.echo(
            printable(f"{finding.file}:{finding.line}:{finding.column}: {finding.message}"),
            err=True,
        )
    sys.exit(EXIT_FINDINGS if result.findings else EXIT_CLEAN)


def _admission(pod: Any) -> dict[str, Any]:
    """How the pod's namespace changed it (LimitRange defaults), each change with the line it
    came from: only for pods whose namespace the inputs describe."""
    admission = pod.admission
    if admission is None or not admission.known:
        return {}
    from nblint.model.pod import format_path

    return {
        "namespace": admission.namespace.name,
        "admission": [
            {
                "field": format_path(default.path),
                "value": default.amount.text,
                "from": default.limit_range.label if default.limit_range else None,
                "file": default.amount.origin.file,
                "line": default.amount.origin.line,
                "alternatives": [
                    {"from": ref.label, "value": amount.text}
                    for ref, amount in default.alternatives
                ],
            }
            for default in admission.defaults
        ],
    }


def _admission_comments(entry: dict[str, Any]) -> list[str]:
    """The namespace and each LimitRange default, as comments above the pod."""
    if "admission" not in entry:
        return []
    lines = [f"# namespace: {entry['namespace'] or '(not named)'}"]
    for change in entry["admission"]:
        line = (
            f"# {change['field']}: {change['value']} from {change['from']} "
            f"({change['file']}:{change['line']})"
        )
        for other in change["alternatives"]:
            line += f"; {other['value']} if {other['from']} is read first"
        lines.append(line)
    return lines
