"""Rules as data: what a rule file declares (read by :mod:`nblint.check.rules`), and the Pod
Security Admission policy a run checks against.

A rule is a YAML file in ``rules/<group>/<id>.yaml`` (shape: ``schemas/rule.schema.json``). Its
check is a list of *implementations*, each valid from a PSA policy version (``since``), holding
declarative ``violations`` or the name of a ``builtin`` written in Python. Reporters read rules
too (titles, help, fixes), which is why they live down here with the other shared objects.
"""

from __future__ import annotations

import re
from functools import cache

from nblint.model.pod import Path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TARGETS = ("pod", "container", "notebook", "volume", "values")
#: The newest PSA policy version nblint knows; ``latest`` and newer versions are evaluated as it.
NEWEST_PSA_VERSION = (1, 37)


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


class PsaPolicy(Record):
    """The Pod Security Admission level and policy version a run checks against."""

    __slots__ = ("level", "version")

    def __init__(self, level: str, version: tuple[int, int]) -> None:
        self.level = level  # privileged (no PSA check) | baseline | restricted
        self.version = version

    @property
    def version_text(self) -> str:
        return format_version(self.version)


# ---------------------------------------------------------------------------------------------
# Field paths: ``securityContext.capabilities.add`` or ``metadata.annotations["a.b/c"]``


@cache
def _segment() -> re.Pattern[str]:
    return re.compile(r'\[(\d+)\]|\["([^"]*)"\]|([^.\[\]]+)')


class FieldPath(Record):
    """A field path of a rule (``securityContext.capabilities.add``), as written and split."""

    __slots__ = ("parts", "text")

    def __init__(self, text: str, parts: Path) -> None:
        self.text = text
        self.parts = parts

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        parts: list[str | int] = []
        pos = 0
        while pos < len(text):
            if text[pos] == "." and parts:
                pos += 1
            match = _segment().match(text, pos)
            if not match:
                raise RuleError(f"cannot read field path {text!r}")
            index, quoted, plain = match.groups()
            parts.append(
                int(index) if index is not None else quoted if quoted is not None else plain
            )
            pos = match.end()
        return cls(text, tuple(parts))


if TYPE_CHECKING:
    #: One ``{path: schema, ...}`` of a condition: holds when every path exists and matches.
    Clauses = tuple[tuple[FieldPath, Any], ...]


class Condition(Record):
    """A ``when``/``unless`` over the pod: one ``{path: schema, ...}`` (every path exists and
    matches), or a list of them, which holds when any of them does (facts of different roots,
    a value and the pod, that no one schema can join)."""

    __slots__ = ("alternatives",)

    def __init__(self, alternatives: tuple[Clauses, ...]) -> None:
        self.alternatives = alternatives


class Violation(Record):
    """One declarative way to break a rule."""

    __slots__ = (
        "fields",
        "fix",
        "fix_safety",
        "message",
        "missing",
        "must",
        "severity",
        "target",
        "unless",
        "when",
    )

    def __init__(
        self,
        target: str,
        fields: tuple[FieldPath, ...],
        must: Any,
        missing: str,
        message: str,
        when: Condition | None,
        unless: Condition | None,
        fix: dict[str, str] | None,
        fix_safety: str | None = None,
        severity: str | None = None,
    ) -> None:
        self.target = target
        self.fields = fields
        self.must = must
        self.missing = missing
        self.message = message
        self.when = when
        self.unless = unless
        self.fix = fix
        #: How safe this violation's fix is, when it differs from the rule's (``fix-safety``).
        self.fix_safety = fix_safety
        #: ``"info"``: this violation is only a note, whatever the rule's severity.
        self.severity = severity


class Implementation(Record):
    """How a rule is checked from one PSA policy version on: conditions, violations, a builtin."""

    __slots__ = ("builtin", "builtin_options", "message", "since", "unless", "violations", "when")

    def __init__(
        self,
        since: tuple[int, int] | None,
        when: Condition | None,
        unless: Condition | None,
        violations: tuple[Violation, ...] = (),
        builtin: str | None = None,
        builtin_options: dict[str, Any] | None = None,
        message: str = "",
    ) -> None:
        self.since = since
        self.when = when
        self.unless = unless
        self.violations = violations
        self.builtin = builtin
        self.builtin_options: dict[str, Any] = {} if builtin_options is None else builtin_options
        #: Message template for what a builtin finds (a builtin may also word its own).
        self.message = message


class RuleOption(Record):
    """A setting a team may change in its configuration (``options.<rule>.<name>``)."""

    __slots__ = ("default", "description", "name", "schema")

    def __init__(self, name: str, default: Any, schema: Any, description: str = "") -> None:
        self.name = name
        self.default = default
        #: JSON Schema every value must satisfy (the default included).
        self.schema = schema
        self.description = description


class Rule(Record):
    """A rule as its file under ``rules/`` declares it (see ``schemas/rule.schema.json``)."""

    __slots__ = (
        "always_on",
        "examples",
        "fix",
        "fix_adds_only",
        "fix_alone",
        "fix_safety",
        "fix_safety_by_key",
        "group",
        "id",
        "implementations",
        "option_specs",
        "options",
        "path",
        "psa",
        "release_scope",
        "severity",
        "title",
        "why",
        "yields_to",
    )

    def __init__(
        self,
        id: str,
        group: str,
        severity: str,
        title: str,
        why: str,
        fix: dict[str, str],
        implementations: list[Implementation],
        examples: dict[str, list[dict[str, Any]]],
        psa: dict[str, Any] | None,
        options: dict[str, Any],
        path: str,
        always_on: bool = False,
        option_specs: dict[str, RuleOption] | None = None,
        fix_safety: str = "display-only",
        fix_safety_by_key: dict[str, str] | None = None,
        fix_adds_only: bool = False,
        fix_alone: bool = False,
        release_scope: bool = False,
        yields_to: tuple[str, ...] = (),
    ) -> None:
        self.id = id
        self.group = group
        self.severity = severity
        self.title = title
        self.why = why
        self.fix = fix
        self.implementations = implementations
        self.examples = examples
        self.psa = psa
        #: The option values in force: the declared defaults, then the configuration's.
        self.options = options
        self.path = path
        #: Reports an input that was not (fully) checked: not turned off by --select.
        self.always_on = always_on
        #: What each option may be (see :class:`RuleOption`), by name.
        self.option_specs: dict[str, RuleOption] = {} if option_specs is None else option_specs
        #: How safe the rule's fix is to apply: ``safe``, ``unsafe`` or ``display-only`` (advice
        #: that ``nblint fix`` never applies); see :mod:`nblint.model.edit`.
        self.fix_safety = fix_safety
        #: Hint key → its safety where it differs from :attr:`fix_safety`
        #: (``z2jh:block-cloud-metadata: unsafe``: it turns the metadata block off).
        self.fix_safety_by_key: dict[str, str] = (
            {} if fix_safety_by_key is None else fix_safety_by_key
        )
        #: The fix only adds what is missing (``fix-adds-only``): ``nblint fix`` never changes a
        #: value the file already sets.
        self.fix_adds_only = fix_adds_only
        #: ``nblint fix`` applies this fix in a round of its own (``fix-alone``): the other
        #: findings of the file depend on it.
        self.fix_alone = fix_alone
        #: The rule judges the settings of the release that spawns the pod (``scope: release``:
        #: the hub's), not the pod: checked on a pod the platform refuses too.
        self.release_scope = release_scope
        #: Rules that say this rule's problem more precisely (``yields-to``): where one of them
        #: finds at the same field of the same pod, this rule's finding there is left out.
        self.yields_to = yields_to

    def safety_of(self, hint_key: str | None) -> str:
        """How safe the hint chosen under ``hint_key`` is to apply."""
        if hint_key is not None and hint_key in self.fix_safety_by_key:
            return self.fix_safety_by_key[hint_key]
        return self.fix_safety

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


def groups(rules: dict[str, Rule]) -> set[str]:
    """Every group a rule of ``rules`` belongs to (what ``--select`` may name besides ids)."""
    return {rule.group for rule in rules.values()}


def matches(rule: Rule, selectors: set[str]) -> bool:
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
            if policy.level == "privileged":
                continue
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
            if select is not None and not matches(rule, select):
                continue
            if ignore and matches(rule, ignore):
                continue
        impl = rule.implementation_for(policy.version)
        if impl is not None:
            out.append((rule, impl))
    return out
