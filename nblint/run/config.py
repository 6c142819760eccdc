"""Project configuration: ``[tool.nblint]`` in ``pyproject.toml`` or a ``.nblint.yaml``.

Discovery walks from the working directory upwards and takes the first directory holding
``.nblint.yaml`` (or ``.nblint.yml``) or a ``pyproject.toml`` with a ``[tool.nblint]`` table; it
stops at the directory that holds ``.git`` (the repository root), so a config outside the
repository never leaks in. ``--config FILE`` skips discovery.

The file is validated against ``schemas/config.schema.json``; any unknown key or wrong value is a
:class:`ConfigError` naming the key (exit 2), never silently ignored. Command-line options win
over the file: :func:`apply_to_params` only fills the options the user did not give.
"""

from __future__ import annotations

import fnmatch
import os
import sys

from nblint.model.data import data_dir
from nblint.model.finding import Finding
from nblint.model.record import Record
from nblint.model.rule import Rule, groups

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CONFIG_FILES = (".nblint.yaml", ".nblint.yml")
PYPROJECT = "pyproject.toml"

#: config key → parameter of ``nblint check`` it fills when the option is not given.
PARAMS = {
    "select": "select",
    "ignore": "ignore",
    "psa-level": "psa_level",
    "psa-version": "psa_version",
    "fail-on": "fail_on",
    "rules-dirs": "rules_dir",
    "chart-version": "chart_version",
    "values-root": "values_root",
    "values": "values_files",
    "kubeflow-add-fsgroup": "kubeflow_add_fsgroup",
    "kubeflow-distribution": "kubeflow_distribution",
    "poddefaults": "poddefaults",
    "cluster-context": "cluster_context",
    "admission-config": "admission_config",
    "namespace": "namespace",
    "baseline": "baseline_file",
}
#: keys whose values are paths, resolved against the config file's directory.
PATH_KEYS = (
    "rules-dirs",
    "values",
    "poddefaults",
    "cluster-context",
    "admission-config",
    "baseline",
)


class ConfigError(Exception):
    """The configuration is wrong (a usage problem: exit 2)."""


class Release(Record):
    """A z2jh release: its values files, layered in order, and its own dialect settings."""

    __slots__ = ("chart_version", "name", "namespace", "values", "values_root")

    def __init__(
        self,
        name: str,
        values: list[str],
        chart_version: str | None = None,
        values_root: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self.name = name
        self.values = values
        self.chart_version = chart_version
        self.values_root = values_root
        #: The namespace it is installed in (``helm -n``), for the namespace objects to apply.
        self.namespace = namespace


class Config(Record):
    """A project's settings (``.nblint.yaml`` or ``[tool.nblint]``), validated."""

    __slots__ = ("label", "path", "raw", "releases")

    def __init__(
        self, path: str, label: str, raw: dict[str, Any], releases: list[Release] | None = None
    ) -> None:
        #: The file the settings came from, and how to name it in messages.
        self.path = path
        self.label = label
        self.raw = raw
        self.releases: list[Release] = [] if releases is None else releases

    @property
    def base(self) -> str:
        return os.path.dirname(self.path)

    def resolve(self, path: str) -> str:
        """A path from the config, as a path usable from the working directory."""
        full = os.path.join(self.base, path)
        try:
            return os.path.relpath(full)
        except ValueError:  # another drive on Windows
            return full

    # -- settings that only the config file can give ------------------------------------------

    @property
    def severity(self) -> dict[str, str]:
        return dict(self.raw.get("severity", {}))

    @property
    def options(self) -> dict[str, dict[str, Any]]:
        return {rule: dict(values) for rule, values in self.raw.get("options", {}).items()}

    @property
    def per_file_ignores(self) -> list[tuple[str, set[str]]]:
        return [(glob, set(names)) for glob, names in self.raw.get("per-file-ignores", {}).items()]


# ---------------------------------------------------------------------------------------------
# Finding and reading the file


def find_config(start: str | os.PathLike[str] | None = None) -> str | None:
    """The nearest config file from ``start`` (default: the cwd) up to the repository root."""
    directory = os.path.realpath(start or os.getcwd())
    while True:
        for name in CONFIG_FILES:
            if os.path.isfile(os.path.join(directory, name)):
                return os.path.join(directory, name)
        pyproject = os.path.join(directory, PYPROJECT)
        if os.path.isfile(pyproject) and _has_nblint_table(pyproject):
            return pyproject
        parent = os.path.dirname(directory)
        if os.path.exists(os.path.join(directory, ".git")) or parent == directory:
            return None
        directory = parent


def _read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _has_nblint_table(pyproject: str) -> bool:
    try:
        text = _read_text(pyproject)
    except (OSError, UnicodeDecodeError):
        return False
    # Cheap pre-check so that most pyproject files are never parsed.
    return "tool.nblint" in text and _read_pyproject(pyproject, text) is not None


def _read_pyproject(path: str, text: str) -> dict[str, Any] | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML: {err}") from None
    table = data.get("tool", {}).get("nblint")
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.nblint] must be a table")
    return table


def _read_yaml(path: str, text: str) -> dict[str, Any]:
    from nblint.load.yaml_tree import parse_documents, to_plain

    documents, problems = parse_documents(text)
    if problems:
        problem = problems[0]
        raise ConfigError(f"{path}:{problem.line}: {problem.message}")
    for document in documents:
        for problem in document.problems:
            raise ConfigError(f"{path}:{problem.line}: {problem.message}")
    if not documents or documents[0].root is None:
        return {}
    if len(documents) > 1:
        raise ConfigError(f"{path}: expected one YAML document, found {len(documents)}")
    root = to_plain(documents[0].root)
    if not isinstance(root, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping of settings")
    return root


def load_config(path: str | os.PathLike[str]) -> Config:
    """Read and validate one config file."""
    path = os.fspath(path)
    try:
        text = _read_text(path)
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"{path}: cannot read config file: {err}") from None
    if os.path.basename(path) == PYPROJECT or path.endswith(".toml"):
        raw = _read_pyproject(path, text)
        if raw is None:
            raise ConfigError(f"{path}: no [tool.nblint] table")
        label = f"{path}: [tool.nblint]"
    else:
        raw = _read_yaml(path, text)
        label = str(path)
    validate(raw, label)
    config = Config(os.path.realpath(path), label, raw)
    for name, release in raw.get("releases", {}).items():
        config.releases.append(
            Release(
                name,
                [config.resolve(v) for v in release["values"]],
                release.get("chart-version"),
                release.get("values-root"),
                release.get("namespace"),
            )
        )
    return config


def discover_config(explicit: str | None) -> Config | None:
    """``--config FILE`` when given, else the discovered file, else None."""
    if explicit:
        if not os.path.isfile(explicit):
            raise ConfigError(f"{explicit}: config file not found")
        return load_config(explicit)
    found = find_config()
    return load_config(found) if found else None


# ---------------------------------------------------------------------------------------------
# Validation


def _schema() -> dict[str, Any]:
    import json

    schema: dict[str, Any] = json.loads(
        _read_text(os.path.join(data_dir("schemas"), "config.schema.json"))
    )
    return schema


def _key_path(parts: Any) -> str:
    return ".".join(str(p) for p in parts)


def validate(raw: Any, label: str) -> None:
    """Raise :class:`ConfigError` for the first problem, naming the key."""
    from nblint.model.schema import iter_issues

    def place(issue: Any) -> list[str]:  # an unknown key sorts with its mapping's other errors
        path = issue.path[:-1] if issue.keyword == "additionalProperties" else issue.path
        return [str(part) for part in path]

    for issue in sorted(iter_issues(_schema(), raw), key=place):
        if issue.keyword == "additionalProperties":
            key = _key_path(issue.path)
            import difflib  # only when something is misspelt

            hint = difflib.get_close_matches(str(issue.key), list(issue.known), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ConfigError(f"{label}: unknown key {key!r}{suggestion}")
        where = _key_path(issue.path) or "(top level)"
        message = issue.message
        if issue.keyword == "enum":  # the words these errors have always had
            message = f"{issue.value!r} is not one of {issue.schema['enum']!r}"
        raise ConfigError(f"{label}: {where}: {message}")


def check_rule_names(config: Config, rules: dict[str, Rule]) -> None:
    """Every rule id or group the config names must exist."""
    known_groups = groups(rules)

    def did_you_mean(name: str, known: list[str]) -> str:
        import difflib  # only when something is misspelt

        hint = difflib.get_close_matches(name, known, n=1)
        return f" (did you mean {hint[0]!r}?)" if hint else ""

    def need_rule(name: str, key: str) -> None:
        if name not in rules:
            suggestion = did_you_mean(name, list(rules))
            raise ConfigError(f"{config.label}: {key}: unknown rule {name!r}{suggestion}")

    def need_rule_or_group(name: str, key: str) -> None:
        if name not in rules and name not in known_groups:
            suggestion = did_you_mean(name, [*rules, *known_groups])
            raise ConfigError(f"{config.label}: {key}: unknown rule or group {name!r}{suggestion}")

    for key in ("select", "ignore"):
        for name in config.raw.get(key, []):
            if name != "ALL":
                need_rule_or_group(name, key)
    for glob, names in config.per_file_ignores:
        for name in names:
            need_rule_or_group(name, f"per-file-ignores.{glob}")
    for name in config.severity:
        need_rule(name, f"severity.{name}")
    for name, values in config.options.items():
        need_rule(name, f"options.{name}")
        for option in values:
            if option not in rules[name].options:
                offered = ", ".join(sorted(rules[name].options)) or "none"
                raise ConfigError(
                    f"{config.label}: options.{name}.{option}: rule {name!r} has no option "
                    f"{option!r} (its options: {offered})"
                )
            check_option_value(config, rules[name], option, values[option])


def check_option_value(config: Config, rule: Rule, option: str, value: Any) -> None:
    """A configured option value must fit the schema its rule declares (a threshold written as
    text would otherwise reach the check)."""
    from nblint.check.rules import describe_schema, option_problem

    spec = rule.option_specs.get(option)
    if spec is None or option_problem(spec.schema, value) is None:
        return
    import json

    raise ConfigError(
        f"{config.label}: options.{rule.id}.{option}: {json.dumps(value)} is not valid for "
        f"rule {rule.id!r}: expected {describe_schema(spec.schema)}"
    )


# ---------------------------------------------------------------------------------------------
# Applying the settings


def apply_to_params(config: Config, params: dict[str, Any], given: set[str]) -> None:
    """Fill ``nblint check``'s parameters from the config where the command line is silent."""
    for key, param in PARAMS.items():
        if key not in config.raw or param in given:
            continue
        value = config.raw[key]
        if key in PATH_KEYS:
            value = (
                config.resolve(value)
                if isinstance(value, str)
                else [config.resolve(v) for v in value]
            )
        if key in ("select", "ignore"):
            value = ",".join(value)
        elif key == "kubeflow-add-fsgroup":
            value = "true" if value else "false"
        elif isinstance(value, list):
            value = tuple(value)
        params[param] = value


def apply_to_rules(config: Config, rules: dict[str, Rule]) -> None:
    """Per-rule severities and option values (call after :func:`check_rule_names`)."""
    for name, severity in config.severity.items():
        rules[name].severity = severity
    for name, values in config.options.items():
        rules[name].options.update(values)


def _matches(glob: str, path: str, base: str) -> bool:
    if "/" not in glob:
        return fnmatch.fnmatch(os.path.basename(path), glob)
    try:
        relative = os.path.relpath(os.path.realpath(path), base)
    except ValueError:  # another drive on Windows
        return False
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return False  # not below the config's directory
    relative = relative.replace(os.sep, "/")
    return fnmatch.fnmatch(relative, glob[2:] if glob.startswith("./") else glob)


def drop_per_file_ignores(
    config: Config, findings: list[Finding], rules: dict[str, Rule]
) -> list[Finding]:
    """``findings`` without those that ``per-file-ignores`` switches off for their file."""
    ignores = config.per_file_ignores
    if not ignores:
        return findings
    kept = []
    for finding in findings:
        group = rules[finding.rule].group if finding.rule in rules else finding.group
        if not any(
            (finding.rule in names or group in names) and _matches(glob, finding.file, config.base)
            for glob, names in ignores
        ):
            kept.append(finding)
    return kept
