"""Rule files: finding and reading them into :class:`nblint.model.rule.Rule` objects.

A rule is a YAML file in ``rules/<group>/<id>.yaml`` (shape: ``schemas/rule.schema.json``; see
``nblint explain`` for any shipped one). Its check is a list of *implementations*, each valid from
a Pod Security Admission policy version (``since``), holding either declarative ``violations``
(a target, a field, and the JSON Schema the field must satisfy) or the name of a ``builtin``
written in Python where data cannot say it. Its ``options`` are typed: each declares a default
and the JSON Schema its values must satisfy.
"""

from __future__ import annotations

import os

import yaml

from nblint.load.files import tidy
from nblint.model import rule as rule_model
from nblint.model import schema as json_schema
from nblint.model.data import data_dir
from nblint.model.finding import SEVERITIES
from nblint.model.rule import (
    TARGETS,
    Condition,
    FieldPath,
    Implementation,
    Rule,
    RuleError,
    RuleOption,
    Violation,
    parse_version,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# ---------------------------------------------------------------------------------------------
# Reading rule files


def parse_condition(raw: Any, where: str) -> Condition | None:
    """``{path: schema, ...}`` of a ``when``/``unless``, or a list of them (any of), each schema
    checked."""
    if raw is None:
        return None
    alternatives = raw if isinstance(raw, list) and raw else [raw]
    parsed = []
    for number, alternative in enumerate(alternatives):
        at = where if alternatives is not raw else f"{where}[{number}]"
        if not isinstance(alternative, dict):
            raise RuleError(f"{at}: a condition maps field paths to schemas (or lists such maps)")
        clauses = []
        for path, schema in alternative.items():
            json_schema.check_supported(schema, f"{at}.{path}")
            clauses.append((FieldPath.parse(path), schema))
        parsed.append(tuple(clauses))
    return Condition(tuple(parsed))


def parse_options(raw: Any, where: str) -> dict[str, RuleOption]:
    """A rule's ``options``: name → ``{default, schema, description}``; the default must fit
    the schema, so that no option value reaches a check unchecked."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise RuleError(f"{where}: options map a name to {{default, schema, description}}")
    out = {}
    for name, spec in raw.items():
        if not isinstance(spec, dict) or "default" not in spec or "schema" not in spec:
            raise RuleError(
                f"{where}.{name}: an option declares its default and the JSON Schema of its "
                "values ({default: …, schema: {type: …}})"
            )
        json_schema.check_supported(spec["schema"], f"{where}.{name}.schema")
        problem = option_problem(spec["schema"], spec["default"])
        if problem:
            raise RuleError(f"{where}.{name}: default {spec['default']!r} {problem}")
        out[str(name)] = RuleOption(
            str(name), spec["default"], spec["schema"], str(spec.get("description", ""))
        )
    return out


def option_problem(schema: Any, value: Any) -> str | None:
    """Why ``value`` does not fit an option's ``schema`` (None when it does)."""
    if json_schema.is_valid(schema, value):
        return None
    return f"does not fit {describe_schema(schema)}"


def describe_schema(schema: Any) -> str:
    """An option's schema in words: ``an integer ≥ 1``, ``a boolean``."""
    import json

    if not isinstance(schema, dict):
        return json.dumps(schema)
    words = {
        "integer": "an integer",
        "number": "a number",
        "boolean": "a boolean",
        "string": "a string",
        "array": "a list",
        "object": "a mapping",
    }
    kinds = schema.get("type") or []
    kinds = [kinds] if isinstance(kinds, str) else kinds
    text = " or ".join(words.get(str(k), str(k)) for k in kinds) or "a value"
    for keyword, sign in (
        ("minimum", "≥"),
        ("maximum", "≤"),
        ("exclusiveMinimum", ">"),
        ("exclusiveMaximum", "<"),
    ):
        if keyword in schema:
            text += f" {sign} {schema[keyword]}"
    if "enum" in schema:
        text = "one of " + ", ".join(json.dumps(v) for v in schema["enum"])
    return text


def _parse_violation(raw: dict[str, Any], where: str) -> Violation:
    target = raw.get("target", "pod")
    if target not in TARGETS:
        raise RuleError(f"{where}: unknown target {target!r} (one of {', '.join(TARGETS)})")
    if "field" in raw and "fields" in raw:
        raise RuleError(f"{where}: give either field or fields")
    texts = raw.get("fields") or ([raw["field"]] if "field" in raw else [""])
    fields = tuple(FieldPath.parse(t) if t else FieldPath("", ()) for t in texts)
    must = raw.get("must", True)
    json_schema.check_supported(must, f"{where}.must")
    missing = raw.get("missing", "pass")
    if missing not in ("pass", "fail"):
        raise RuleError(f"{where}: missing must be pass or fail")
    return Violation(
        target=target,
        fields=fields,
        must=must,
        missing=missing,
        message=str(raw.get("message", "")),
        when=parse_condition(raw.get("when"), f"{where}.when"),
        unless=parse_condition(raw.get("unless"), f"{where}.unless"),
        fix=raw.get("fix"),
        fix_safety=_fix_safety(raw.get("fix-safety"), where, None),
        severity=_severity(raw.get("severity"), where),
    )


def _severity(raw: Any, where: str) -> str | None:
    """A violation may only lower its findings to info (what it finds is needed, or taken care
    of): the rule's severity is what a team configures."""
    if raw is None or raw == "info":
        return raw
    raise RuleError(f"{where}: a violation's severity can only be info")


def _fix_safety(raw: Any, where: str, default: str | None) -> str | None:
    from nblint.model.edit import APPLICABILITIES

    if raw is None:
        return default
    if raw not in APPLICABILITIES:
        raise RuleError(f"{where}: fix-safety must be one of {', '.join(APPLICABILITIES)}")
    return str(raw)


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
        when=parse_condition(raw.get("when"), f"{where}.when"),
        unless=parse_condition(raw.get("unless"), f"{where}.unless"),
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
        option_specs = parse_options(raw.get("options"), f"{path}: options")
        psa = raw.get("psa")
        if psa is not None:
            for entry in psa.get("replaces", []):
                parse_version(entry.get("since", "v1.0"))
    except (json_schema.SchemaError, ValueError, TypeError, KeyError, AttributeError) as err:
        raise RuleError(f"{path}: {err}") from None
    declared = raw.get("fix-safety")
    safety_by_key: dict[str, str] = {}
    if isinstance(declared, dict):
        for key, value in declared.items():
            safety_by_key[str(key)] = _fix_safety(value, f"{path}: fix-safety.{key}", None) or ""
        default_safety = safety_by_key.pop("default", "display-only")
    else:
        default_safety = _fix_safety(declared, f"{path}: fix-safety", "display-only") or ""
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
        options={name: spec.default for name, spec in option_specs.items()},
        path=path,
        always_on=raw.get("always-on") is True,
        release_scope=raw.get("scope") == "release",
        option_specs=option_specs,
        fix_safety=default_safety,
        fix_safety_by_key=safety_by_key,
        fix_adds_only=raw.get("fix-adds-only") is True,
        fix_alone=raw.get("fix-alone") is True,
        yields_to=tuple(str(rule) for rule in raw.get("yields-to") or ()),
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

    with open(os.path.join(data_dir("schemas"), "rule.schema.json"), encoding="utf-8") as handle:
        schema = json.load(handle)
    issue = next(json_schema.iter_issues(schema, raw), None)
    if issue is not None:
        # An unknown key is named by the mapping that holds it, the message names the key.
        parts = issue.path[:-1] if issue.key is not None else issue.path
        where = "/".join(str(p) for p in parts) or "(top)"
        message = issue.message
        if issue.keyword == "enum":  # the words config errors have too
            message = f"{issue.value!r} is not one of {issue.schema['enum']!r}"
        raise RuleError(f"{path}: {where}: {message}")


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
    file in it has changed."""
    from nblint.model.cache import cached, kind_for

    files = rule_files(directory)
    schema = os.path.join(data_dir("schemas"), "rule.schema.json")
    return cached(
        kind_for("team-rules", directory),
        [__file__, rule_model.__file__, schema, *files],
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
    from nblint.model.cache import cached, kind_for

    directory = data_dir("rules")
    files = rule_files(directory)
    # A kind per install: two installs sharing the cache (a checkout and pre-commit's own
    # environment) keep an entry each rather than rebuilding over each other on every run.
    kind = kind_for("rules", directory)
    # The module that defines what is pickled counts too: a new slot there is a new layout.
    return cached(kind, [__file__, rule_model.__file__, *files], lambda: _read_directory(directory))
