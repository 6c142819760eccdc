"""The options of ``nblint check`` and those it shares with ``fix`` and ``render``, as data.

Declared once, they become click options (:func:`as_click`: ``--help``, error messages and the
other commands) and feed :mod:`nblint.cli.argv`, which reads a plain ``nblint check`` command
line without importing click: click's import alone costs more than checking a small file.
This module imports nothing heavy for the same reason.
"""

from __future__ import annotations

from collections.abc import Callable

from nblint.report import FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Kinds of option: what its value is, as click's types make it.
FLAG, TEXT, CHOICE, COUNT, PATH = "flag", "text", "choice", "count", "path"


class PathKind:
    """What a path option accepts when the path exists (as ``click.Path`` checks it)."""

    __slots__ = ("dir_okay", "file_okay", "writable")

    def __init__(self, *, file_okay: bool = True, dir_okay: bool = True, writable: bool = False):
        self.file_okay = file_okay
        self.dir_okay = dir_okay
        self.writable = writable


class Option:
    """One command-line option: its flags, the parameter it fills, its kind and its help.

    ``off`` is the flag that turns a flag option off (``--no-respect-gitignore``); ``check``
    turns a given value into the parameter's, raising ``ValueError`` when it cannot.
    """

    __slots__ = (
        "check",
        "choices",
        "default",
        "dest",
        "flags",
        "help",
        "kind",
        "multiple",
        "off",
        "path",
        "show_default",
    )

    def __init__(
        self,
        flags: tuple[str, ...],
        dest: str,
        kind: str = TEXT,
        help: str = "",
        *,
        default: Any = None,
        choices: tuple[str, ...] = (),
        multiple: bool = False,
        show_default: bool = False,
        path: PathKind | None = None,
        off: str | None = None,
        check: Callable[[str], str] | None = None,
    ):
        self.flags = flags
        self.dest = dest
        self.kind = kind
        self.help = help
        self.default = default
        self.choices = choices
        self.multiple = multiple
        self.show_default = show_default
        self.path = path
        self.off = off
        self.check = check

    def initial(self) -> Any:
        """The parameter's value when the option is not given."""
        if self.multiple:
            return ()
        if self.kind == FLAG:
            return bool(self.default)
        return self.default


def _z2jh_check(name: str) -> Callable[[str], str]:
    """``--chart-version`` resolved to a bundled version; ``--values-root`` checked as given.
    Both raise ``ValuesError`` (a ``ValueError``) on a value nblint does not know."""

    def check(value: str) -> str:
        from nblint.dialects.z2jh.root import parse_root
        from nblint.dialects.z2jh.values import resolve_chart_version

        if name == "chart_version":
            return resolve_chart_version(value)
        parse_root(value)
        return value

    return check


#: Which files a directory walk lints (``check`` and ``fix``).
SELECTION_OPTIONS = (
    Option(
        ("--exclude",),
        "exclude",
        help="Comma-separated patterns (as in .gitignore) of files and directories not to lint; "
        "they replace the configured ones and the defaults (.*, node_modules, venv, __pycache__).",
    ),
    Option(
        ("--extend-exclude",),
        "extend_exclude",
        help="Comma-separated patterns to exclude on top of the configured and default ones.",
    ),
    Option(
        ("--force-exclude",),
        "force_exclude",
        FLAG,
        "Apply the exclude patterns to files named on the command line too (as pre-commit "
        "names them).",
    ),
    Option(
        ("--respect-gitignore",),
        "respect_gitignore",
        FLAG,
        "Skip the files .gitignore ignores when walking a directory.",
        default=True,
        show_default=True,
        off="--no-respect-gitignore",
    ),
)

#: The PSA and dialect options of every command that runs the pipeline.
RUN_OPTIONS = (
    Option(
        ("--psa-level",),
        "psa_level",
        CHOICE,
        "Pod Security Admission level to check against.",
        choices=("baseline", "restricted"),
        default="restricted",
        show_default=True,
    ),
    Option(
        ("--psa-version",),
        "psa_version",
        help="PSA policy version, vX.Y (v1.0 … v1.37) or latest.",
        default="latest",
        show_default=True,
    ),
    Option(
        ("--chart-version",),
        "chart_version",
        help="z2jh chart version whose defaults, values schema and KubeSpawner apply: any "
        "release from 3.0.0 to 4.4.0, or 4.3 for the newest 4.3 (default: the version a "
        "Chart.yaml beside the values pins, else the newest).",
        check=_z2jh_check("chart_version"),
    ),
    Option(
        ("--values-root",),
        "values_root",
        help="Dotted key under which z2jh sits in the values files (e.g. jupyterhub, "
        "basehub.jupyterhub); detected when not given.",
        check=_z2jh_check("values_root"),
    ),
    Option(
        ("-f", "--values"),
        "values_files",
        PATH,
        "A z2jh values file; repeat to layer several files as one release (later wins).",
        multiple=True,
        path=PathKind(dir_okay=False),
    ),
    Option(
        ("--kubeflow-add-fsgroup",),
        "kubeflow_add_fsgroup",
        CHOICE,
        "Whether the Kubeflow notebook controller adds fsGroup: 100 (its ADD_FSGROUP); "
        "default: the distribution's (true upstream, false on OpenShift AI).",
        choices=("true", "false"),
    ),
    Option(
        ("--kubeflow-distribution",),
        "kubeflow_distribution",
        CHOICE,
        "Which notebook controller builds a Notebook's pod: kubeflow (upstream: fsGroup "
        "100, Istio) or openshift-ai (OpenShift AI / Open Data Hub: no fsGroup, no Istio, "
        "OpenShift's SCC assigns uid and fsGroup); auto: openshift-ai for a Notebook with "
        "opendatahub.io annotations or labels, else kubeflow. openshift-ai also says the "
        "cluster is OpenShift: z2jh releases and raw workloads run under its restricted-v2 "
        "SCC (auto: when their values, images, Routes or namespace say so).",
        choices=("auto", "kubeflow", "openshift-ai"),
        default="auto",
        show_default=True,
    ),
    Option(
        ("--poddefaults",),
        "poddefaults",
        PATH,
        "Files or directories with the cluster's Kubeflow PodDefaults (repeatable); a "
        "PodDefault among the inputs replaces the one of its name and namespace.",
        multiple=True,
        path=PathKind(),
    ),
    Option(
        ("--cluster-context",),
        "cluster_context",
        PATH,
        "Files or directories with the cluster's Namespaces, LimitRanges, ResourceQuotas "
        "and Kubeflow Profiles (repeatable): each pod is judged by its namespace.",
        multiple=True,
        path=PathKind(),
    ),
    Option(
        ("--admission-config",),
        "admission_config",
        PATH,
        "The API server's admission configuration file (its PodSecurity defaults and "
        "exemptions); without it, the built-in defaults (privileged, no exemption).",
        path=PathKind(dir_okay=False),
    ),
    Option(
        ("--namespace",),
        "namespace",
        help="The namespace of the inputs that name none (a z2jh release's namespace, as "
        "helm -n or kubectl -n gives it).",
    ),
)

#: ``nblint check``'s options, in the order ``--help`` lists them.
CHECK_OPTIONS = (
    Option(
        ("--format",),
        "output_format",
        CHOICE,
        "Output format: text, concise (one line each), json, sarif (code scanning) or github "
        "(workflow annotations).",
        choices=tuple(FORMATS),
        default="text",
        show_default=True,
    ),
    Option(
        ("--no-fold",),
        "no_fold",
        FLAG,
        "One finding per pod (each profile and option choice apart) instead of one per "
        "problem and place listing its pods.",
    ),
    Option(
        ("--statistics",),
        "statistics",
        FLAG,
        "Print how many problems each rule found instead of the findings (JSON with "
        "--format json).",
    ),
    Option(("-q", "--quiet"), "quiet", FLAG, "Print the findings only: no summary line."),
    Option(
        ("-o", "--output"),
        "output",
        PATH,
        "Write the report here.",
        path=PathKind(dir_okay=False, writable=True),
    ),
    Option(
        ("--select",), "select", help="Comma-separated rule ids or groups to run (default: all)."
    ),
    Option(("--ignore",), "ignore", help="Comma-separated rule ids or groups to skip."),
    *RUN_OPTIONS,
    Option(
        ("--fail-on",),
        "fail_on",
        CHOICE,
        "Exit 1 when a finding has this severity or a higher one.",
        choices=("error", "warning", "info", "never"),
        default="error",
        show_default=True,
    ),
    Option(
        ("--rules-dir",),
        "rules_dir",
        PATH,
        "Extra rule files (repeatable).",
        multiple=True,
        path=PathKind(file_okay=False),
    ),
    Option(
        ("--color",),
        "color",
        CHOICE,
        "Colour in text output.",
        choices=("auto", "always", "never"),
        default="auto",
    ),
    Option(
        ("-j", "--jobs"),
        "jobs",
        COUNT,
        "Processes for large trees (0: one per CPU); the report is the same for any N.",
        default=1,
        show_default=True,
    ),
    Option(
        ("--config",),
        "config_file",
        PATH,
        "Configuration file (default: .nblint.yaml or [tool.nblint] in pyproject.toml, "
        "searched from the working directory up to the repository root).",
        path=PathKind(dir_okay=False),
    ),
    Option(
        ("--show-suppressed",),
        "show_suppressed",
        FLAG,
        "Also list the findings that # nblint: disable comments suppress.",
    ),
    *SELECTION_OPTIONS,
    Option(
        ("--stdin-filename",),
        "stdin_filename",
        help="The name of the file read from stdin (-), for messages, per-file ignores and SARIF.",
    ),
    Option(
        ("--baseline",),
        "baseline_file",
        PATH,
        "Report only findings not recorded in this baseline file.",
        path=PathKind(dir_okay=False),
    ),
    Option(
        ("--write-baseline",),
        "write_baseline",
        PATH,
        "Record the current findings in this baseline file and exit 0.",
        path=PathKind(dir_okay=False),
    ),
    Option(("--fix",), "fix", FLAG, "Apply the safe fixes first (as `nblint fix`)."),
    Option(
        ("--unsafe-fixes",),
        "unsafe_fixes",
        FLAG,
        "With --fix: also apply the unsafe fixes (else no effect).",
    ),
)


def as_click(option: Option) -> Callable[[Any], Any]:
    """The click decorator that declares ``option`` on a command."""
    import click

    kwargs: dict[str, Any] = {"help": option.help or None}
    if option.show_default:
        kwargs["show_default"] = True
    if option.multiple:
        kwargs["multiple"] = True
    if option.default is not None:
        kwargs["default"] = option.default
    if option.kind == FLAG:
        kwargs["is_flag"] = True
    elif option.kind == CHOICE:
        kwargs["type"] = click.Choice(list(option.choices))
    elif option.kind == COUNT:
        kwargs["type"] = click.IntRange(min=0)
    elif option.kind == PATH and option.path is not None:
        kwargs["type"] = click.Path(
            file_okay=option.path.file_okay,
            dir_okay=option.path.dir_okay,
            writable=option.path.writable,
        )
    if option.check is not None:
        kwargs["callback"] = _click_callback(option.check)
    flags = list(option.flags)
    if option.off is not None:
        flags = [f"{flags[0]}/{option.off}"]
    return click.option(*flags, option.dest, **kwargs)


def _click_callback(check: Callable[[str], str]) -> Callable[[Any, Any, str | None], str | None]:
    import click

    def callback(_ctx: Any, _param: Any, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return check(value)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None

    return callback


def with_options(options: tuple[Option, ...]) -> Callable[[Any], Any]:
    """A decorator that declares ``options`` on a click command, in their order."""

    def declare(func: Any) -> Any:
        for option in reversed(options):
            func = as_click(option)(func)
        return func

    return declare
