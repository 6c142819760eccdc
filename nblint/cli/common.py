"""What the commands share: exit codes, usage errors, and the PSA and dialect options."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from nblint.cli.options import RUN_OPTIONS, with_options
from nblint.model.rule import NEWEST_PSA_VERSION, PsaPolicy, Rule, parse_version
from nblint.report import printable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

LATEST_PSA_VERSION = NEWEST_PSA_VERSION
EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def say(message: str) -> None:
    """One line on stderr, where nblint tells how a run went (the report has stdout)."""
    sys.stderr.write(f"{message}\n")
    sys.stderr.flush()


def fail_usage(message: str) -> NoReturn:
    say(printable(f"nblint: error: {message}"))  # it may quote the input
    sys.exit(EXIT_USAGE)


def selectors(text: str | None) -> set[str] | None:
    if text is None:
        return None
    return {part.strip() for part in text.split(",") if part.strip()}


def resolve_psa_version(text: str) -> tuple[int, int]:
    """``latest`` or ``vX.Y``; a version newer than nblint knows is evaluated as the newest.
    Another text is a usage error (it may come from a configuration file)."""
    if text == "latest":
        return LATEST_PSA_VERSION
    try:
        version = parse_version(text)
    except ValueError as err:
        fail_usage(f"--psa-version: {err}")
    if version[0] != 1:
        fail_usage(f"--psa-version: {text}: only policy versions v1.x exist")
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


def with_run_options(func: Any) -> Any:
    """The PSA and dialect options every command that runs the pipeline takes."""
    return with_options(RUN_OPTIONS)(func)


def given_on_command_line() -> set[str]:
    """The parameters of the running click command that its command line set (a
    configuration file fills the others)."""
    import click
    from click.core import ParameterSource

    ctx = click.get_current_context()
    unset = (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP, None)
    return {name for name in ctx.params if ctx.get_parameter_source(name) not in unset}


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
    from nblint.run.pipeline import context_files as expand

    found: list[tuple[str, str]] = []
    for option, path in context_files(kwargs):
        if not os.path.exists(path):
            fail_usage(f"{option} {path}: no such file or directory")
        found.extend(expand(option, [path]))
    return tuple(found)


def help_uri(rule: Rule) -> str:
    """The address of a shipped rule's documentation page; "" for a team's own rule."""
    return help_uris([rule]).get(rule.id, "")


def help_uris(rules: Iterable[Rule]) -> dict[str, str]:
    """:func:`help_uri` of each shipped rule, by id (the shipped folder is looked up once)."""
    from nblint import RULE_DOCS_URL
    from nblint.model.data import data_dir

    shipped = os.path.join(data_dir("rules"), "")
    return {r.id: RULE_DOCS_URL.format(rule=r.id) for r in rules if r.path.startswith(shipped)}
