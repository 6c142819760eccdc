"""Rule files: finding, reading and selecting them.

A rule is a YAML file in ``rules/<group>/<id>.yaml`` (shape: ``schemas/rule.schema.json``; see
``nblint explain`` for any shipped one). Its check is a list of *implementations*, each valid from
a Pod Security Admission policy version (``since``), holding either declarative ``violations``
(a target, a field, and the JSON Schema the field must satisfy) or the name of a ``builtin``
written in Python where data cannot say it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from nblint.check import jsonschema_subset
from nblint.data import data_dir
from nblint.load.files import tidy
from nblint.model import SEVERITIES, Path

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

GROUPS = ("psa-baseline", "psa-restricted", "notebook", "z2jh", "kubeflow", "nblint")
TARGETS = ("pod", "container", "notebook", "volume", "values")


class RuleError(Exception):
    """A rule file is malformed (a configuration problem: exit 2)."""


# ---------------------------------------------------------------------------------------------
# Policy versions


def parse_version(text: str) -> tuple[int, int]:
    """``"v1.25"`` → ``(1, 25)``."""
    match = re.fullmatch(r"v?(\d+)\.(\d+)", str(text).strip())
    if not match:
        raise ValueError(f"not a policy version: {text!r} (expected vX.Y, e.g. v1.30)")
    return int(match[1]), int(match[2])


def format_version(version: tuple[int, int]) -> str:
    return f"v{version[0]}.{version[1]}"


# ---------------------------------------------------------------------------------------------
# Field paths: ``securityContext.capabilities.add`` or ``metadata.annotations["a.b/c"]``

_SEGMENT = re.compile(r'\[(\d+)\]|\["([^"]*)"\]|([^.\[\]]+)')


@dataclass(frozen=True)
class FieldPath:
    """A field path of a rule (``securityContext.capabilities.add``), as written and split."""

    text: str
    parts: Path

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        parts: list[str | int] = []
        pos = 0
        while pos < len(text):
            if text[pos] == "." and parts:
                pos += 1
            match = _SEGMENT.match(text, pos)
            if not match:
                raise RuleError(f"cannot read field path {text!r}")
            index, quoted, plain = match.groups()
            parts.append(
                int(index) if index is not None else quoted if quoted is not None else plain
            )
            pos = match.end()
        return cls(text, tuple(parts))


@dataclass(frozen=True)
class Condition:
    """``{path: schema, ...}`` over the pod: holds when every path exists and matches."""

    clauses: tuple[tuple[FieldPath, Any], ...]

    @classmethod
    def parse(cls, raw: Any, where: str) -> Condition | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            raise RuleError(f"{where}: a condition maps field paths to schemas")
        clauses = []
        for path, schema in raw.items():
            jsonschema_subset.check_supported(schema, f"{where}.{path}")
            clauses.append((FieldPath.parse(path), schema))
        return cls(tuple(clauses))


@dataclass(frozen=True)
class Violation:
    """One declarative way to break a rule."""

    target: str
    fields: tuple[FieldPath, ...]
    must: Any
    missing: str
    message: str
    when: Condition | None
    unless: Condition | None
    fix: dict[str, str] | None


@dataclass(frozen=True)
class Implementation:
    """How a rule is checked from one PSA policy version on: conditions, violations, a builtin."""

    since: tuple[int, int] | None
    when: Condition | None
    unless: Condition | None
    violations: tuple[Violation, ...] = ()
    builtin: str | None = None
    builtin_options: dict[str, Any] = field(default_factory=dict)
    #: Message template for what a builtin finds (a builtin may also word its own).
    message: str = ""


@dataclass
class Rule:
    """A rule as its file under ``rules/`` declares it (see ``schemas/rule.schema.json``)."""

    id: str
    group: str
    severity: str
    title: str
    why: str
    fix: dict[str, str]
    implementations: list[Implementation]
    examples: dict[str, list[dict[str, Any]]]
    psa: dict[str, Any] | None
    options: dict[str, Any]
    path: str
    #: Reports an input that was not (fully) checked: not turned off by --select.
    always_on: bool = False

    @property
    def psa_check(self) -> str | None:
        return self.psa["check"] if self.psa else None

    @property
    def psa_level(self) -> str | None:
        return self.psa["level"] if self.psa else None

    def implementation_for(self, version: tuple[int, int]) -> Implementation | None:
        """The implementation with the highest ``since`` ≤ ``version`` (PSA's own rule)."""
        best: Implementation | None = None
        for impl in self.implementations:
            since = impl.since or (0, 0)
            if since <= version and (best is None or since >= (best.since or (0, 0))):
                best = impl
        return best

    def replaces(self, version: tuple[int, int]) -> list[str]:
        """Ids of the baseline rules this restricted rule supersedes at ``version``."""
        out = []
        for entry in (self.psa or {}).get("replaces", []):
            if parse_version(entry.get("since", "v1.0")) <= version:
                out.append(entry["rule"])
        return out


# ---------------------------------------------------------------------------------------------
# Reading rule files


def _parse_violation(raw: dict[str, Any], where: str) -> Violation:
    target = raw.get("target", "pod")
    if target not in TARGETS:
        raise RuleError(f"{where}: unknown target {target!r} (one of {', '.join(TARGETS)})")
    if "field" in raw and "fields" in raw:
        raise RuleError(f"{where}: give either field or fields")
    texts = raw.get("fields") or ([raw["field"]] if "field" in raw else [""])
    fields = tuple(FieldPath.parse(t) if t else FieldPath("", ()) for t in texts)
    must = raw.get("must", True)
    jsonschema_subset.check_supported(must, f"{where}.must")
    missing = raw.get("missing", "pass")
    if missing not in ("pass", "fail"):
        raise RuleError(f"{where}: missing must be pass or fail")
    return Violation(
        target=target,
        fields=fields,
        must=must,
        missing=missing,
        message=str(raw.get("message", "")),
        when=Condition.parse(raw.get("when"), f"{where}.when"),
        unless=Condition.parse(raw.get("unless"), f"{where}.unless"),
        fix=raw.get("fix"),
    )


def _parse_implementation(raw: dict[str, Any], where: str) -> Implementation:
    since = parse_version(raw["since"]) if "since" in raw else None
    violations = tuple(
        _parse_violation(v, f"{where}.violations[{i}]")
        for i, v in enumerate(raw.get("violations", []))
    )
    builtin = raw.get("builtin")
    if builtin is not None:
        from nblint.check import builtins

        if not builtins.known(builtin):
            raise RuleError(f"{where}: unknown builtin {builtin!r}")
    if not violations and builtin is None:
        raise RuleError(f"{where}: an implementation needs violations or a builtin")
    return Implementation(
        since=since,
        when=Condition.parse(raw.get("when"), f"{where}.when"),
        unless=Condition.parse(raw.get("unless"), f"{where}.unless"),
        violations=violations,
        builtin=builtin,
        builtin_options=dict(raw.get("options") or {}),
        message=str(raw.get("message", "")),
    )


def _normalise_examples(raw: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"pass": [], "fail": []}
    for kind in out:
        for example in (raw or {}).get(kind, []):
            out[kind].append({"yaml": example} if isinstance(example, str) else dict(example))
    return out


def parse_rule(raw: Any, path: str) -> Rule:
    if not isinstance(raw, dict):
        raise RuleError(f"{path}: a rule file holds one mapping")
    for key in ("id", "group", "severity", "title", "check"):
        if key not in raw:
            raise RuleError(f"{path}: missing required key {key!r}")
    if raw["severity"] not in SEVERITIES:
        raise RuleError(f"{path}: severity must be one of {', '.join(SEVERITIES)}")
    try:
        implementations = [
            _parse_implementation(impl, f"{path}: check[{i}]")
            for i, impl in enumerate(raw["check"])
        ]
        psa = raw.get("psa")
        if psa is not None:
            for entry in psa.get("replaces", []):
                parse_version(entry.get("since", "v1.0"))
    except (jsonschema_subset.SchemaError, ValueError, TypeError, KeyError, AttributeError) as err:
        raise RuleError(f"{path}: {err}") from None
    return Rule(
        id=str(raw["id"]),
        group=str(raw["group"]),
        severity=raw["severity"],
        title=str(raw["title"]),
        why=str(raw.get("why", "")).strip(),
        fix=dict(raw.get("fix") or {}),
        implementations=implementations,
        examples=_normalise_examples(raw.get("examples")),
        psa=psa,
        options=dict(raw.get("options") or {}),
        path=path,
        always_on=raw.get("always-on") is True,
    )


#: Sub-directory of a rules directory holding data tables that rules read (not rules).
TABLES = "tables"


def table_dirs(extra_dirs: tuple[str, ...] = ()) -> list[str]:
    """Where tables are looked up: a team's rules directories first, then the shipped one."""
    directories = [*(tidy(d) for d in extra_dirs), data_dir("rules")]
    return [os.path.join(d, TABLES) for d in directories]


def rule_files(directory: str | os.PathLike[str]) -> list[str]:
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if d != TABLES)
        files.extend(
            os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith((".yaml", ".yml"))
        )
    return files


def read_rule_file(path: str | os.PathLike[str]) -> Rule:
    return parse_rule(_read_raw(path), os.fspath(path))


def _read_raw(path: str | os.PathLike[str]) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle.read(), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        raise RuleError(f"{path}: cannot read rule file: {err}") from None


def validate_rule_file(raw: Any, path: str) -> None:
    """Validate against ``schemas/rule.schema.json`` (done for user rules, not shipped ones)."""
    import json

    import jsonschema

    with open(os.path.join(data_dir("schemas"), "rule.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(raw)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise RuleError(f"{path}: {where}: {error.message}")


def load_rules(extra_dirs: tuple[str, ...] = ()) -> dict[str, Rule]:
    """Every shipped rule, plus the rules in ``extra_dirs`` (validated against the schema)."""
    from nblint.check import tables

    rules = dict(_shipped_rules())
    for directory in (tidy(d) for d in extra_dirs):
        if not os.path.isdir(directory):
            raise RuleError(f"{directory}: rules directory not found")
        for problem in tables.problems_in(os.path.join(directory, TABLES)):
            raise RuleError(problem)
        for rule in _team_rules(directory).values():
            if rule.id in rules:
                raise RuleError(
                    f"{rule.path}: rule id {rule.id!r} already defined in {rules[rule.id].path}"
                )
            rules[rule.id] = rule
    return rules


def _team_rules(directory: str) -> dict[str, Rule]:
    """A team's rules directory, validated against the rule schema, from the cache while no
    file in it has changed (importing jsonschema costs more than a pre-commit run's check)."""
    from nblint.cache import cached, kind_for

    files = rule_files(directory)
    schema = os.path.join(data_dir("schemas"), "rule.schema.json")
    return cached(
        kind_for("team-rules", directory),
        [__file__, schema, *files],
        lambda: _read_directory(directory, validate=True),
    )


def _read_directory(directory: str, validate: bool = False) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for path in rule_files(directory):
        raw = _read_raw(path)
        if validate:
            validate_rule_file(raw, path)  # first: its messages are the clearest
        rule = parse_rule(raw, path)
        if rule.id in rules:
            raise RuleError(f"{path}: rule id {rule.id!r} already defined in {rules[rule.id].path}")
        rules[rule.id] = rule
    return rules


def _shipped_rules() -> dict[str, Rule]:
    """The shipped rules, from the cache while no rule file (nor this module) has changed."""
    from nblint.cache import cached

    directory = data_dir("rules")
    files = rule_files(directory)
    return cached("rules", [__file__, *files], lambda: _read_directory(directory))


# ---------------------------------------------------------------------------------------------
# Selecting rules


@dataclass(frozen=True)
class PsaPolicy:
    """The Pod Security Admission level and policy version a run checks against."""

    level: str  # baseline | restricted
    version: tuple[int, int]

    @property
    def version_text(self) -> str:
        return format_version(self.version)


def _matches(rule: Rule, selectors: set[str]) -> bool:
    return rule.id in selectors or rule.group in selectors or "ALL" in selectors


def active_rules(
    rules: dict[str, Rule],
    policy: PsaPolicy,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
) -> list[tuple[Rule, Implementation]]:
    """The rules to run for ``policy``, each with the implementation its version picks."""
    replaced: set[str] = set()
    for rule in rules.values():
        in_force = rule.psa_level == "restricted" == policy.level
        if in_force and rule.implementation_for(policy.version) is not None:
            replaced.update(rule.replaces(policy.version))
    out = []
    for rule in rules.values():
        if rule.psa:
            if rule.psa_level == "restricted" and policy.level != "restricted":
                continue
            if rule.id in replaced:
                continue
        # An input nblint could not check is reported whatever --select says: a gate must not
        # pass a file it never read. Only an --ignore that names the rule itself silences it.
        if rule.always_on:
            if ignore and rule.id in ignore:
                continue
        else:
            if select is not None and not _matches(rule, select):
                continue
            if ignore and _matches(rule, ignore):
                continue
        impl = rule.implementation_for(policy.version)
        if impl is not None:
            out.append((rule, impl))
    return out
