"""Run rules over an effective pod and turn what breaks them into findings."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from nblint.check import builtins
from nblint.model import jsonschema_subset
from nblint.model.edit import DISPLAY_ONLY
from nblint.model.finding import Finding, PsaRef, choose_fix, chosen_fix
from nblint.model.pod import (
    EffectivePod,
    Path,
    format_path,
    get_path,
    iter_containers,
    notebook_container,
)
from nblint.model.rule import (
    TARGETS,
    Condition,
    FieldPath,
    Implementation,
    PsaPolicy,
    Rule,
    Violation,
)
from nblint.model.template import render_template

#: First element of a path into the configuration behind a pod (target ``values``: z2jh's
#: merged values).
VALUES = "values"


@dataclass
class RawViolation:
    """What a check found, before it is placed in a file."""

    path: Path
    message: str
    container: str | None = None
    fix: dict[str, str] | None = None
    variables: dict[str, Any] = field(default_factory=dict)
    #: Tells apart two violations of one rule at one path (two missing mounts of one volume).
    distinct: str = ""
    #: The pod path of what the fix is about, when it is not ``path`` (the GPU that needs a
    #: toleration: its fix goes where the GPU came from).
    anchor: Path | None = None
    #: How safe this violation's fix is, when it differs from the rule's.
    fix_safety: str | None = None


def configuration_values(pod: EffectivePod) -> Any:
    """The configuration tree behind ``pod`` (z2jh: the release's merged values), else None."""
    configuration = pod.configuration
    return configuration.values if configuration is not None else None


Target = tuple[Path, Any, dict[str, str]]


def targets_of(pod: EffectivePod, target: str) -> list[Target]:
    """:func:`iter_targets`, computed once per pod and target kind (rules ask many times)."""
    try:
        return pod.memo["targets"][target]
    except KeyError:
        found = pod.memo.setdefault("targets", {})[target] = list(iter_targets(pod, target))
        return found


def all_targets(pod: EffectivePod) -> dict[str, list[Target]]:
    """Every target kind of ``pod`` (see :func:`targets_of`): kind → targets."""
    cache: dict[str, list[Target]] = pod.memo.setdefault("targets", {})
    for kind in TARGETS:
        if kind not in cache:
            cache[kind] = list(iter_targets(pod, kind))
    return cache


def notebook_of(pod: EffectivePod) -> Target | None:
    """The notebook container of ``pod`` (see :func:`nblint.model.notebook_container`), cached."""
    found = targets_of(pod, "notebook")
    return found[0] if found else None


def iter_targets(pod: EffectivePod, target: str) -> Iterator[Target]:
    if target == "pod":
        yield (), pod.pod, {}
    elif target == "container":
        yield from iter_containers(pod.spec)
    elif target == "notebook":
        found = notebook_container(pod.spec)
        if found is not None:
            yield found
    elif target == "values":
        values = configuration_values(pod)
        if values is not None:
            yield (VALUES,), values, {}
    elif target == "volume":
        volumes = pod.spec.get("volumes")
        if isinstance(volumes, list):
            for index, volume in enumerate(volumes):
                if isinstance(volume, dict):
                    name = volume.get("name")
                    yield ("spec", "volumes", index), volume, {"volume": str(name or f"#{index}")}


def show_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        import json  # only for values that are not text

        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return str(value)


# ---------------------------------------------------------------------------------------------
# Rules prepared for evaluation
#
# The active rules are read once per run, not once per pod:
#
# * every field a violation reads gets a slot in a table per target kind, and one walk over a
#   target fills its table: a prefix that many fields share (``securityContext``) is read once,
#   and nothing below an absent key is read at all;
# * each ``must`` schema becomes a validator (:func:`jsonschema_subset.validator`); only a value
#   that fails is walked again, by :func:`jsonschema_subset.errors`, for the paths to report;
# * each ``when``/``unless`` becomes a function of the pod.


class _FieldTable:
    """The fields that violations read from one kind of target, each at a fixed slot."""

    def __init__(self) -> None:
        self.slots: dict[Path, int] = {}
        #: Paths of keys as a tree of ``(key, slot or -1, children)``, walked per target.
        self._tree: tuple[Any, ...] = ()
        #: Paths the tree cannot walk (the target itself, list indexes): ``(slot, path)``.
        self._direct: list[tuple[int, Path]] = []

    def slot(self, parts: Path) -> int:
        return self.slots.setdefault(parts, len(self.slots))

    def build(self) -> None:
        """Arrange the registered paths for :meth:`read` (after every :meth:`slot` call)."""
        root: dict[Any, Any] = {}
        for parts, slot in self.slots.items():
            if parts and all(isinstance(part, str) for part in parts):
                node = root
                for key in parts[:-1]:
                    node = node.setdefault(key, [-1, {}])[1]
                node.setdefault(parts[-1], [-1, {}])[0] = slot
            else:
                self._direct.append((slot, parts))

        def frozen(node: dict[Any, Any]) -> tuple[Any, ...]:
            return tuple((key, slot, frozen(children)) for key, (slot, children) in node.items())

        self._tree = frozen(root)

    def read(self, obj: Any) -> list[Any]:
        """The value of every field below ``obj`` by slot; None where absent or null."""
        values: list[Any] = [None] * len(self.slots)
        if isinstance(obj, dict):
            _walk(obj, self._tree, values)
        for slot, parts in self._direct:
            values[slot] = get_path(obj, parts)[1]
        return values


def _walk(obj: dict[Any, Any], tree: tuple[Any, ...], values: list[Any]) -> None:
    for key, slot, children in tree:
        value = obj.get(key)
        if value is not None:
            if slot >= 0:
                values[slot] = value
            if children and isinstance(value, dict):
                _walk(value, children, values)


def _condition(condition: Condition | None) -> Callable[[EffectivePod], bool] | None:
    """``holds(condition, ·)`` with each clause's path and schema prepared."""
    if condition is None:
        return None
    clauses = []
    for path, schema in condition.clauses:
        on_values = path.parts[:1] == (VALUES,)
        clauses.append(
            (
                on_values,
                path.parts[1:] if on_values else path.parts,
                jsonschema_subset.validator(schema),
            )
        )

    def condition_holds(pod: EffectivePod) -> bool:
        for on_values, parts, valid in clauses:
            found, value = get_path(configuration_values(pod) if on_values else pod.pod, parts)
            if not found or value is None or not valid(value):
                return False
        return True

    return condition_holds


class _PreparedViolation:
    """A :class:`Violation` with its fields' slots and its ``must`` validator."""

    def __init__(self, violation: Violation, table: _FieldTable) -> None:
        self.violation = violation
        self.target = violation.target
        self.when = _condition(violation.when)
        self.unless = _condition(violation.unless)
        self.fields = [(path, table.slot(path.parts)) for path in violation.fields]
        self.fail_when_missing = violation.missing == "fail"
        # None: every present value passes (``must`` omitted or true).
        self.valid = None if violation.must is True else jsonschema_subset.validator(violation.must)

    def collect(
        self, targets: list[Target], values: list[list[Any]], found: list[RawViolation]
    ) -> None:
        """Append to ``found`` what breaks the violation on ``targets`` (one pod's objects of
        its target kind), whose field values are ``values`` (:meth:`_FieldTable.read`)."""
        valid, fail_when_missing = self.valid, self.fail_when_missing
        for (base, obj, variables), target_values in zip(targets, values, strict=True):
            for fieldpath, slot in self.fields:
                value = target_values[slot]
                if value is None:
                    if fail_when_missing:
                        found.append(self._unset(base, fieldpath, variables))
                elif valid is not None and not valid(value):
                    found.extend(self._broken(base, obj, variables, fieldpath, value))

    def _unset(self, base: Path, fieldpath: FieldPath, variables: dict[str, str]) -> RawViolation:
        violation = self.violation
        return RawViolation(
            (*base, *fieldpath.parts),
            violation.message,
            variables.get("container"),
            violation.fix,
            {**variables, "field": fieldpath.text, "value": "unset"},
            fix_safety=violation.fix_safety,
        )

    def _broken(
        self, base: Path, obj: Any, variables: dict[str, str], fieldpath: FieldPath, value: Any
    ) -> Iterator[RawViolation]:
        """One violation per place where ``value`` breaks ``must`` (its schema errors)."""
        violation = self.violation
        for sub in jsonschema_subset.errors(violation.must, value):
            _, bad = get_path(value, sub)
            path = (*base, *fieldpath.parts, *sub)
            yield RawViolation(
                path,
                violation.message,
                variables.get("container"),
                violation.fix,
                {
                    **variables,
                    "field": fieldpath.text,
                    "value": show_value(bad),
                    "key": path[-1] if path else "",
                    "parent": path[-2] if len(path) > 1 else "",
                    "item": _enclosing_item(obj, path[len(base) :]),
                },
                fix_safety=violation.fix_safety,
            )


class _PreparedImplementation:
    def __init__(self, impl: Implementation, tables: dict[str, _FieldTable]) -> None:
        self.impl = impl
        self.when = _condition(impl.when)
        self.unless = _condition(impl.unless)
        self.violations = [_PreparedViolation(v, tables[v.target]) for v in impl.violations]
        self._builtin: builtins.Builtin | None = None  # imported when it first runs
        #: Only documents findings the loader and normalisers report: nothing to evaluate.
        self.finds_nothing = not impl.violations and impl.builtin == builtins.REPORTED_BY_PIPELINE

    def raw_violations(
        self, pod: EffectivePod, rule: Rule, policy: PsaPolicy, view: _PodView
    ) -> list[RawViolation]:
        """What breaks the implementation in ``pod`` (whose targets and fields are ``view``)."""
        found: list[RawViolation] = []
        if self.when is not None and not self.when(pod):
            return found
        if self.unless is not None and self.unless(pod):
            return found
        for violation in self.violations:
            # The common case — nothing to look at, a condition that does not hold, every
            # value valid — must cost next to nothing: this runs for every violation of every
            # rule on every pod.
            targets = view.targets[violation.target]
            if not targets:
                continue
            if violation.when is not None and not violation.when(pod):
                continue
            if violation.unless is not None and violation.unless(pod):
                continue
            violation.collect(targets, view.values[violation.target], found)
        impl = self.impl
        if impl.builtin:
            if self._builtin is None:
                self._builtin = builtins.get(impl.builtin)
            for raw in self._builtin(pod, rule, impl, policy):
                raw.message = raw.message or impl.message
                found.append(raw)
        return found


class _PodView:
    """One pod as the prepared rules read it: its targets by kind, and their field values."""

    def __init__(self, pod: EffectivePod, tables: dict[str, _FieldTable]) -> None:
        self.targets = all_targets(pod)
        self.values = {
            kind: [table.read(obj) for _, obj, _ in self.targets[kind]]
            for kind, table in tables.items()
        }


class Plan:
    """The active rules of a run, prepared once (see above); :func:`check_pod` runs it."""

    def __init__(
        self, active: list[tuple[Rule, Implementation]], template_key: str | None = None
    ) -> None:
        #: The fix key of hints written as pod-template patches (a dialect declares it).
        self.template_key = template_key
        self.tables = {kind: _FieldTable() for kind in TARGETS}
        prepared = [(rule, _PreparedImplementation(impl, self.tables)) for rule, impl in active]
        self.rules = [(rule, p) for rule, p in prepared if not p.finds_nothing]
        for table in self.tables.values():
            table.build()


def _enclosing_item(obj: Any, path: Path) -> Any:
    """The list item the offending field sits in (a port, a volume, a sysctl), if any."""
    for end in range(len(path) - 1, -1, -1):
        if isinstance(path[end], int):
            return get_path(obj, path[: end + 1])[1]
    return None


def check_pod(pod: EffectivePod, plan: Plan, policy: PsaPolicy) -> list[Finding]:
    findings: list[Finding] = []
    # Two violations of one rule at one place are one finding (e.g. an explicit false that
    # also leaves a field unset), unless they name different values (two missing mounts).
    seen: set[tuple[str, Path, str]] = set()
    view = _PodView(pod, plan.tables)
    for rule, prepared in plan.rules:
        for raw in prepared.raw_violations(pod, rule, policy, view):
            key = (rule.id, raw.path, raw.distinct)
            if key in seen:
                continue
            seen.add(key)
            findings.append(make_finding(pod, rule, raw, policy, plan.template_key))
    # What the rules worked out about the pod is done with. Kept for the rest of the run, it
    # would be objects the garbage collector scans again and again over a large tree.
    pod.memo.clear()
    return findings


def make_finding(
    pod: EffectivePod,
    rule: Rule,
    raw: RawViolation,
    policy: PsaPolicy,
    template_key: str | None = None,
) -> Finding:
    release_level = raw.path[:1] == (VALUES,) and pod.configuration is not None
    if release_level:
        assert pod.configuration is not None
        origin = pod.configuration.locate(raw.path[1:])
    else:
        origin = pod.provenance.locate(raw.path)
    version = policy.version_text
    where = format_path(raw.path)
    variables = {
        **rule.options,
        **raw.variables,
        "object": pod.object,
        "profile": pod.profile or "",
        "path": where,
        "psa_version": version,
    }
    keys = pod.hint_keys()
    own = chosen_fix(raw.fix, keys, raw.container)
    chosen = own or chosen_fix(rule.fix, keys, raw.container)
    fix = edit = applicability = None
    if chosen is not None:
        fix = render_template(chosen[1], variables).rstrip()
        safety = (own and raw.fix_safety) or raw.fix_safety or rule.safety_of(chosen[0])
        # A container without a name cannot be patched by name: such a hint is only shown.
        nameless = bool(raw.container and raw.container.startswith("#"))
        if pod.placement is not None and not nameless:

            def template_hint() -> str | None:
                if template_key is None:
                    return None
                keys = (template_key,)
                hint = choose_fix(raw.fix, keys, raw.container) or choose_fix(
                    rule.fix, keys, raw.container
                )
                return render_template(hint, variables) if hint else None

            placed = pod.placement.place(fix, raw.path, raw.anchor, template_hint)
            # Advice is placed too (the text says where it goes), but never applied.
            fix, edit = placed.text, placed.edit if safety != DISPLAY_ONLY else None
            if edit is not None and (rule.fix_adds_only or rule.fix_alone):
                edit = dataclasses.replace(edit, adds_only=rule.fix_adds_only, alone=rule.fix_alone)
        applicability = safety if edit is not None else DISPLAY_ONLY
    return Finding(
        rule=rule.id,
        group=rule.group,
        severity=rule.severity,
        message=render_template(raw.message or rule.title, variables),
        file=origin.file,
        line=origin.line,
        column=origin.column,
        object=pod.object,
        # A finding about the configuration holds for every profile: report it once.
        profile=None if release_level else pod.profile,
        options=None if release_level else pod.options,
        container=raw.container,
        psa=_psa_ref(rule.psa["check"], rule.psa["level"], version) if rule.psa else None,
        fix=fix,
        note=origin.note,
        field=where or None,
        applicability=applicability,
        edit=edit,
    )


@lru_cache(maxsize=256)
def _psa_ref(check: str, level: str, version: str) -> PsaRef:
    return PsaRef(check, level, version)  # immutable: one per PSA check and version is enough
