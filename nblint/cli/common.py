"""What the commands share: exit codes, usage errors, and the PSA and dialect options."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from nblint.model.rule import NEWEST_PSA_VERSION, PsaPolicy, Rule, parse_version
from nblint.report import printable

LATEST_PSA_VERSION = NEWEST_PSA_VERSION
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def fail_usage(message: str) -> NoReturn:
    click.echo(printable(f"nblint: error: {message}"), err=True)  # it may quote the input
    sys.exit(EXIT_USAGE)


def selectors(text: str | None) -> set[str] | None:
    if text is None:
        return None
    return {part.strip() for part in text.split(",") if part.strip()}


def resolve_psa_version(text: str) -> tuple[int, int]:
    """``latest`` or ``vX.Y``; a version newer than nblint knows is evaluated as the newest."""
    if text == "latest":
        return LATEST_PSA_VERSION
    try:
        version = parse_version(text)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None
    if version[0] != 1:
        raise click.BadParameter(f"{text}: only policy versions v1.x exist")
    return min(version, LATEST_PSA_VERSION)


def policy(level: str, version: str) -> PsaPolicy:
    return PsaPolicy(level, resolve_psa_version(version))


def check_selectors(rules: dict[str, Rule], chosen: set[str] | None, option: str) -> None:
    from nblint.model.rule import groups

    known = groups(rules)
    for name in sorted(chosen or ()):
        if name not in rules and name not in known and name != "ALL":
            import difflib  # only when something is misspelt

            hint = difflib.get_close_matches(name, [*rules, *known], n=1)
            suggestion = f"did you mean {hint[0]!r}? " if hint else ""
            fail_usage(f"{option}: unknown rule or group {name!r} ({suggestion}see `nblint rules`)")


_psa_options = [
    click.option(
        "--psa-level",
        type=click.Choice(["baseline", "restricted"]),
        default="restricted",
        show_default=True,
        help="Pod Security Admission level to check against.",
    ),
    click.option(
        "--psa-version",
        default="latest",
        show_default=True,
        help="PSA policy version, vX.Y (v1.0 … v1.37) or latest.",
    ),
]


def _checked_z2jh_option(name: str, value: str | None) -> str | None:
    """``--chart-version`` resolved to a bundled version; ``--values-root`` checked as given."""
    if value is None:
        return None
    from nblint.dialects.z2jh.root import ValuesError, parse_root
    from nblint.dialects.z2jh.values import resolve_chart_version

    try:
        if name == "chart_version":
            return resolve_chart_version(value)
        parse_root(value)
    except ValuesError as err:
        raise click.BadParameter(str(err)) from None
    return value


_dialect_options = [
    click.option(
        "--chart-version",
        default=None,
        callback=lambda _ctx, _param, value: _checked_z2jh_option("chart_version", value),
        help="z2jh chart version whose defaults, values schema and KubeSpawner apply: any "
        "release from 3.0.0 to 4.4.0, or 4.3 for the newest 4.3 (default: the version a "
        "Chart.yaml beside the values pins, else the newest).",
    ),
    click.option(
        "--values-root",
        default=None,
        callback=lambda _ctx, _param, value: _checked_z2jh_option("values_root", value),
        help="Dotted key under which z2jh sits in the values files (e.g. jupyterhub, "
        "basehub.jupyterhub); detected when not given.",
    ),
    click.option(
        "-f",
        "--values",
        "values_files",
        multiple=True,
        type=click.Path(dir_okay=False),
        help="A z2jh values file; repeat to layer several files as one release (later wins).",
    ),
    click.option(
        "--kubeflow-add-fsgroup",
        type=click.Choice(["true", "false"]),
        default=None,
        help="Whether the Kubeflow notebook controller adds fsGroup: 100 (its ADD_FSGROUP); "
        "default: the distribution's (true upstream, false on OpenShift AI).",
    ),
    click.option(
        "--kubeflow-distribution",
        type=click.Choice(["auto", "kubeflow", "openshift-ai"]),
        default="auto",
        show_default=True,
        help="Which notebook controller builds a Notebook's pod: kubeflow (upstream: fsGroup "
        "100, Istio) or openshift-ai (OpenShift AI / Open Data Hub: no fsGroup, no Istio, "
        "OpenShift's SCC assigns uid and fsGroup); auto: openshift-ai for a Notebook with "
        "opendatahub.io annotations or labels, else kubeflow.",
    ),
    click.option(
        "--poddefaults",
        multiple=True,
        type=click.Path(),
        help="Files or directories with the cluster's Kubeflow PodDefaults (repeatable).",
    ),
    click.option(
        "--cluster-context",
        multiple=True,
        type=click.Path(),
        help="Files or directories with the cluster's Namespaces, LimitRanges, ResourceQuotas "
        "and Kubeflow Profiles (repeatable): each pod is judged by its namespace.",
    ),
    click.option(
        "--admission-config",
        type=click.Path(dir_okay=False),
        help="The API server's admission configuration file (its PodSecurity defaults and "
        "exemptions); without it, the built-in defaults (privileged, no exemption).",
    ),
    click.option(
        "--namespace",
        default=None,
        help="The namespace of the inputs that name none (a z2jh release's namespace, as "
        "helm -n or kubectl -n gives it).",
    ),
]


def with_run_options(func: Any) -> Any:
    """The PSA and dialect options every command that runs the pipeline takes."""
    for option in reversed(_psa_options + _dialect_options):
        func = option(func)
    return func


def dialect_settings(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The dialect options of a command, as :attr:`nblint.run.pipeline.Options.dialect`."""
    return {
        "chart_version": kwargs.get("chart_version"),
        "values_root": kwargs.get("values_root"),
        "values": list(kwargs.get("values_files") or ()),
        "kubeflow_add_fsgroup": (
            None
            if kwargs.get("kubeflow_add_fsgroup") is None
            else kwargs["kubeflow_add_fsgroup"] == "true"
        ),
        "kubeflow_distribution": kwargs.get("kubeflow_distribution") or "auto",
        "namespace": kwargs.get("namespace") or None,
    }


#: Options that name context files (what is already in the cluster) → their parameter.
CONTEXT_OPTIONS = (
    ("--poddefaults", "poddefaults"),
    ("--cluster-context", "cluster_context"),
    ("--admission-config", "admission_config"),
)


def context_files(kwargs: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The context files a command names (``--poddefaults``, ``--cluster-context``,
    ``--admission-config``): ``(option, path)`` as given."""
    found: list[tuple[str, str]] = []
    for option, param in CONTEXT_OPTIONS:
        given = kwargs.get(param) or ()
        for path in [given] if isinstance(given, str) else given:
            found.append((option, str(path)))
    return tuple(found)


def expanded_context(kwargs: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """:func:`context_files` with directories expanded to their YAML files; a path that does
    not exist is a usage error naming its option."""
    import os

    from nblint.run.pipeline import context_files as expand

    found: list[tuple[str, str]] = []
    for option, path in context_files(kwargs):
        if not os.path.exists(path):
            fail_usage(f"{option} {path}: no such file or directory")
        found.extend(expand(option, [path]))
    return tuple(found)
