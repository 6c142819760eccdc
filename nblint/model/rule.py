"""Rules as data: what a rule file declares (read by :mod:`nblint.check.rules`), and the Pod
Security Admission policy a run checks against.

A rule is a YAML file in ``rules/<group>/<id>.yaml`` (shape: ``schemas/rule.schema.json``). Its
check is a list of *implementations*, each valid from a PSA policy version (``since``), holding
declarative ``violations`` or the name of a ``builtin`` written in Python. Reporters read rules
too (titles, help, fixes), which is why they live down here with the other shared objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from nblint.model.pod import Path

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


@dataclass(frozen=True)
class PsaPolicy:
    """The Pod Security Admission level and policy version a run checks against."""

    level: str  # privileged (no PSA check) | baseline | restricted
    version: tuple[int, int]

    @property
    def version_text(self) -> str:
        return format_version(self.version)


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
    #: How safe this violation's fix is, when it differs from the rule's (see ``fix-safety``).
    fix_safety: str | None = None


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


@dataclass(frozen=True)
class RuleOption:
    """A setting a team may change in its configuration (``options.<rule>.<name>``)."""

    name: str
    default: Any
    #: JSON Schema every value must satisfy (the default included).
    schema: Any
    description: str = ""


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
    #: The option values in force: the declared defaults, then the configuration's.
    options: dict[str, Any]
    path: str
    #: Reports an input that was not (fully) checked: not turned off by --select.
    always_on: bool = False
    #: What each option may be (see :class:`RuleOption`), by name.
    option_specs: dict[str, RuleOption] = field(default_factory=dict)
    #: How safe the rule's fix is to apply: ``safe``, ``unsafe`` or ``display-only`` (advice
    #: that ``nblint fix`` never applies); see :mod:`nblint.model.edit`.
    fix_safety: str = "display-only"
    #: Hint key → its safety where it differs from :attr:`fix_safety`
    #: (``z2jh:block-cloud-metadata: unsafe``: it turns the metadata block off).
    fix_safety_by_key: dict[str, str] = field(default_factory=dict)
    #: The fix only adds what is missing (``fix-adds-only``): ``nblint fix`` never changes a
    #: value the file already sets.
    fix_adds_only: bool = False
    #: ``nblint fix`` applies this fix in a round of its own (``fix-alone``): the other findings
    #: of the file depend on it.
    fix_alone: bool = False

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
