"""Run rules over an effective pod and turn what breaks them into findings."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from operator import itemgetter

from nblint.check import builtins
from nblint.check.podview import (
    DERIVED_VARIABLES,
    PLACEHOLDERS,
    bidirectional_kept,
    capability_work_kept,
    code_trait_kept,
    comment,
    derived_variables,
    edit_writes_any,
    metadata_reopened,
    overwritten_placeholders,
    placeholder_risk,
    privilege_kept,
    relied_on,
    root_code_kept,
    root_user_kept,
    root_work_kept,
    setuid_start_kept,
    start_sudo_kept,
    unread_values_risk,
)
from nblint.check.targets import (
    FACTS,
    VALUES,
    RawViolation,
    all_targets,
    configuration_values,
)
from nblint.model.edit import DISPLAY_ONLY, SAFE, UNSAFE, Edit, PlacedFix, parsed_hint, without_keys
from nblint.model.finding import KUSTOMIZE_IMAGES, Finding, PsaRef, choose_fix, chosen_fix
from nblint.model.pod import (
    CONTAINER_LISTS,
    DEFAULTS_GUESSED,
    HINTS_FOR_ANOTHER_VERSION,
    HINTS_MAY_NOT_REACH,
    EffectivePod,
    Path,
    format_path,
    get_path,
)
from nblint.model.rule import (
    TARGETS,
    Condition,
    FieldPath,
    Implementation,
    PsaPolicy,
    Rule,
    Violation,
    format_version,
)
from nblint.model.schema import compile as compile_schema
from nblint.model.schema import error_finder, judges_whole
from nblint.model.template import fills_every_hole, render_template, show_value
from nblint.model.unknowable import pod_unknowable, unknowable_on_path, unknowable_value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


# ---------------------------------------------------------------------------------------------
# Rules prepared for evaluation
#
# The active rules are read once per run, not once per pod:
#
# * every field a violation reads gets a slot in a table per target kind, and the fields are
#   arranged as a tree of keys that one walk over a target follows, testing each value it finds
#   on the spot: a prefix that many fields share (``securityContext``) is read once, and nothing
#   below an absent key is read at all;
# * each ``must`` schema becomes a predicate (:func:`nblint.model.schema.compile`); only a value
#   that fails is walked again, by :func:`nblint.model.schema.error_paths`, for the paths to
#   report;
# * each ``when``/``unless`` becomes a function of the pod.

if TYPE_CHECKING:
    #: One field of one violation, as a walk over a target tests it: ``(must validator, the
    #: violation's index in Plan.violations, the field's index among the violation's fields)``
    #: — a plain tuple, unpacked in the loop.
    _Check = tuple[Callable[[Any], bool], int, int]
    #: One field of a violation that fails when it is missing: ``(slot, violation, field)``.
    _MissingCheck = tuple[int, int, int]


class _FieldTable:
    """The fields that violations read from one kind of target, each at a fixed slot, and the
    checks of each: :meth:`slot` while the rules are prepared, :meth:`build` once, then
    :meth:`test` per target."""

    def __init__(self) -> None:
        self.slots: dict[Path, int] = {}
        #: Per slot, the checks of a value that is there; a field whose every value passes
        #: (``must`` omitted or true) has none.
        self.checks: list[list[_Check]] = []
        #: The fields that fail when a target lacks them.
        self.required: list[_MissingCheck] = []
        #: Keys as a tree of ``(key, checks, slot if a required check asks whether it is there
        #: else -1, children)``, walked per target; a key with nothing to test or to note and
        #: nothing below is left out.
        self._tree: tuple[Any, ...] = ()
        #: Fields the tree cannot walk (the target itself, list indexes): ``(path, checks, slot
        #: or -1)``.
        self._direct: list[tuple[Path, tuple[_Check, ...], int]] = []

    def slot(self, parts: Path) -> int:
        found = self.slots.setdefault(parts, len(self.slots))
        if found == len(self.checks):
            self.checks.append([])
        return found

    def build(self) -> None:
        """Arrange the registered fields for :meth:`test` (after every check is added)."""
        noted = {slot for slot, _, _ in self.required}
        root: dict[Any, Any] = {}
        for parts, slot in self.slots.items():
            checks = tuple(self.checks[slot])
            kept = slot if slot in noted else -1
            if not checks and kept < 0:
                continue
            if parts and all(isinstance(part, str) for part in parts):
                node = root
                for key in parts[:-1]:
                    node = node.setdefault(key, [(), -1, {}])[2]
                node.setdefault(parts[-1], [(), -1, {}])[:2] = checks, kept
            else:
                self._direct.append((parts, checks, kept))

        def frozen(node: dict[Any, Any]) -> tuple[Any, ...]:
            return tuple(
                (key, checks, kept, frozen(children))
                for key, (checks, kept, children) in node.items()
            )

        self._tree = frozen(root)

    @property
    def empty(self) -> bool:
        """Whether no target of this kind has anything to test."""
        return not self._tree and not self._direct and not self.required

    def test(self, obj: Any, failed: list[tuple[_Check, Any]], present: set[int]) -> None:
        """Test every field below ``obj`` that is present and not null: add each check it fails,
        with the value, to ``failed``, and the slots the required checks ask about to
        ``present``."""
        if isinstance(obj, dict):
            _test(obj, self._tree, failed, present)
        for parts, checks, kept in self._direct:
            value = get_path(obj, parts)[1]
            if value is not None:
                if kept >= 0:
                    present.add(kept)
                for check in checks:
                    if not check[0](value):
                        failed.append((check, value))


def _test(
    obj: dict[Any, Any],
    tree: tuple[Any, ...],
    failed: list[tuple[_Check, Any]],
    present: set[int],
) -> None:
    # The common case — a value that is present and valid, or absent and may be — must cost next
    # to nothing: this runs for every field of every target of every pod.
    for key, checks, kept, children in tree:
        value = obj.get(key)
        if value is not None:
            if kept >= 0:
                present.add(kept)
            for check in checks:
                if not check[0](value):
                    failed.append((check, value))
            if children and isinstance(value, dict):
                _test(value, children, failed, present)


#: Not evaluated yet (a condition's outcome may be None: unknown).
_UNSEEN = object()


def _condition(condition: Condition | None) -> Callable[[EffectivePod], bool | None] | None:
    """``holds(condition, ·)`` with each clause's path and schema prepared: True, False, or None
    when it does not hold as written but reads a placeholder that may stand for a value that
    makes it hold (``runAsUser: ${UID}`` for ``{type: integer}``). None is neither outcome: a
    ``when`` that reads one does not hold (as written), an ``unless`` may, and nblint then says
    nothing."""
    if condition is None:
        return None
    alternatives = []
    for clauses in condition.alternatives:
        prepared = []
        for path, schema in clauses:
            # What the path reads: the pod, the configuration's values or the pod's facts.
            head = path.parts[:1]
            source = VALUES if head == (VALUES,) else FACTS if head == (FACTS,) else None
            prepared.append(
                (
                    source,
                    path.parts[1:] if source else path.parts,
                    compile_schema(schema),
                )
            )
        alternatives.append(prepared)

    def all_hold(pod: EffectivePod, clauses: list[tuple[str | None, Path, Any]]) -> bool | None:
        unknown = False
        for source, parts, valid in clauses:
            tree = (
                pod.pod
                if source is None
                else configuration_values(pod)
                if source == VALUES
                else pod.facts
            )
            found, value = get_path(tree, parts)
            if not found or value is None:
                return False
            if not valid(value):
                if value.__class__ is str and unknowable_value(value, *pod_unknowable(pod.facts)):
                    # A placeholder (`runAsUser: ${{UID}}`) may stand for a value that holds.
                    unknown = True
                else:
                    return False
        return None if unknown else True

    if len(alternatives) == 1:
        only = alternatives[0]
        return lambda pod: all_hold(pod, only)

    def any_holds(pod: EffectivePod) -> bool | None:
        outcome: bool | None = False
        for clauses in alternatives:
            holds = all_hold(pod, clauses)
            if holds:
                return True
            if holds is None:
                outcome = None
        return outcome

    return any_holds


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
        self.valid = None if violation.must is True else compile_schema(violation.must)
        self.error_paths = error_finder(violation.must)
        self.judges_whole = judges_whole(violation.must)

    def unset(self, base: Path, fieldpath: FieldPath, variables: dict[str, str]) -> RawViolation:
        violation = self.violation
        return RawViolation(
            (*base, *fieldpath.parts),
            violation.message,
            variables.get("container"),
            violation.fix,
            {**variables, "field": fieldpath.text, "value": "unset"},
            fix_safety=violation.fix_safety,
            severity=violation.severity,
        )

    def broken(
        self, base: Path, obj: Any, variables: dict[str, str], fieldpath: FieldPath, value: Any
    ) -> list[RawViolation]:
        """One violation per place where ``value`` breaks ``must`` (its schema errors)."""
        if self.judges_whole:
            # Most schemas judge the value itself (a type, a constant): it is the one place.
            return [self._at((*base, *fieldpath.parts), base, obj, variables, fieldpath, value)]
        return [
            self._at(
                (*base, *fieldpath.parts, *sub),
                base,
                obj,
                variables,
                fieldpath,
                get_path(value, sub)[1],
            )
            for sub in self.error_paths(value)
        ]

    def _at(
        self,
        path: Path,
        base: Path,
        obj: Any,
        variables: dict[str, str],
        fieldpath: FieldPath,
        bad: Any,
    ) -> RawViolation:
        """The violation at ``path``, in the target ``obj`` at ``base``; ``bad`` is there."""
        violation = self.violation
        return RawViolation(
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
            severity=violation.severity,
        )


class _PreparedImplementation:
    def __init__(self, impl: Implementation, tables: dict[str, _FieldTable]) -> None:
        self.impl = impl
        self.when = _condition(impl.when)
        self.unless = _condition(impl.unless)
        self.violations = [_PreparedViolation(v, tables[v.target]) for v in impl.violations]
        self.unconditional = self.when is None and self.unless is None
        self.builtin: builtins.Builtin | None = None  # see load_builtin()
        #: Only documents findings the loader and normalisers report: nothing to evaluate.
        self.finds_nothing = not impl.violations and impl.builtin == builtins.REPORTED_BY_PIPELINE

    def applies(self, pod: EffectivePod) -> bool:
        """Whether the implementation's own ``when``/``unless`` let it look at ``pod``."""
        if self.when is not None and not self.when(pod):
            return False
        # A condition nblint cannot know (None: it reads a placeholder) lets nothing be said.
        return self.unless is None or self.unless(pod) is False

    def load_builtin(self) -> builtins.Builtin:
        """The ``check`` of the implementation's builtin, imported when it first runs."""
        assert self.impl.builtin is not None
        self.builtin = builtins.get(self.impl.builtin)
        return self.builtin


class Plan:
    """The active rules of a run, prepared once (see above); :func:`check_pod` runs it.

    Declarative violations are flattened into checks per target kind and field slot, so that a
    target costs one pass over the fields it has (most of the fields rules read are absent from
    most targets) plus one over the few fields that must be there, not one call per rule:
    ``check_pod`` runs for every pod, and most rules find nothing in most of them.
    """

    def __init__(
        self, active: list[tuple[Rule, Implementation]], template_key: str | None = None
    ) -> None:
        #: The fix key of hints written as pod-template patches (a dialect declares it).
        self.template_key = template_key
        self.tables = {kind: _FieldTable() for kind in TARGETS}
        prepared = [(rule, _PreparedImplementation(impl, self.tables)) for rule, impl in active]
        self.rules = [(rule, p) for rule, p in prepared if not p.finds_nothing]
        #: Whether a rule yields to another one this plan runs (see :func:`_without_yielded`).
        running = {rule.id for rule, _ in self.rules}
        self.yielding = any(set(rule.yields_to) & running for rule, _ in self.rules)
        #: ``(rule index, rule, prepared implementation, prepared violation, its position)``.
        self.violations: list[tuple[int, Rule, _PreparedImplementation, _PreparedViolation, int]]
        self.violations = [
            (index, rule, impl, violation, position)
            for index, (rule, impl) in enumerate(self.rules)
            for position, violation in enumerate(impl.violations)
        ]
        for number, (_, _, _, violation, _) in enumerate(self.violations):
            table = self.tables[violation.target]
            for field_index, (_, slot) in enumerate(violation.fields):
                if violation.valid is not None:
                    table.checks[slot].append((violation.valid, number, field_index))
                if violation.fail_when_missing:
                    table.required.append((slot, number, field_index))
        for table in self.tables.values():
            table.build()
        #: The kinds of target some violation reads, with their tables.
        self.tested = [(kind, table) for kind, table in self.tables.items() if not table.empty]
        #: The distinct conditions of the violations' rules and their own, each evaluated at most
        #: once per pod (many rules share ``unless: spec.os.name: windows``), and for each
        #: conditional violation the outcome each of its conditions must have for it to apply.
        self.conditions: list[Callable[[EffectivePod], bool | None]] = []
        self.requirements: dict[int, tuple[tuple[int, bool], ...]] = {}
        numbered: dict[str, int] = {}

        def number_of(condition: Condition) -> int:
            key = repr(condition.alternatives)
            if key not in numbered:
                numbered[key] = len(self.conditions)
                holds = _condition(condition)
                assert holds is not None
                self.conditions.append(holds)
            return numbered[key]

        for number, (_, _, impl, violation, _) in enumerate(self.violations):
            own = violation.violation
            wanted = [
                (number_of(condition), outcome)
                for condition, outcome in (
                    (impl.impl.when, True),
                    (impl.impl.unless, False),
                    (own.when, True),
                    (own.unless, False),
                )
                if condition is not None
            ]
            if wanted:
                self.requirements[number] = tuple(wanted)
        self.with_builtin = [
            (index, rule, impl)
            for index, (rule, impl) in enumerate(self.rules)
            if impl.impl.builtin and impl.impl.builtin not in builtins.NEEDS_ADMISSION
        ]
        #: Builtins that read ``EffectivePod.admission``: only for pods the run admitted.
        self.with_admission = [
            (index, rule, impl)
            for index, (rule, impl) in enumerate(self.rules)
            if impl.impl.builtin in builtins.NEEDS_ADMISSION
        ]

    def switches(self, pod: EffectivePod) -> Callable[[int], bool]:
        """``switched_off(number)``: whether the conditions of violation ``number`` turn it off
        for ``pod``. Asked only of violations a pod breaks, so most conditions are never
        evaluated; each one that is, is evaluated once."""
        requirements = self.requirements
        conditions = self.conditions
        outcomes: dict[int, bool | None] = {}

        def switched_off(number: int) -> bool:
            for condition, outcome in requirements.get(number, ()):
                holds = outcomes.get(condition, _UNSEEN)
                if holds is _UNSEEN:
                    holds = outcomes[condition] = conditions[condition](pod)
                # None (a condition that may hold through a placeholder) is neither outcome:
                # nblint cannot know that the violation applies, so it says nothing.
                if holds is not outcome:
                    return True
            return False

        return switched_off


def _one_place(pod: EffectivePod, unset: list[RawViolation]) -> None:
    """Place the fields one violation misses in one target at one line when they are one edit.

    A container with ``resources: {limits: {nvidia.com/gpu: 1}}`` misses four fields of
    notebook-resources: the requests (nearest written: ``resources:``) and the CPU and memory
    limits (nearest written: ``limits:``). Where one of them is missing from the fields' deepest
    common ancestor itself, the edit adds them all there, under that line: one problem, at one
    line (where no field is, e.g. z2jh's separate cpu and memory keys, each stays at its own)."""
    paths = [raw.path for raw in unset]
    common = 0
    while all(len(path) > common for path in paths) and len({p[common] for p in paths}) == 1:
        common += 1
    provenance = pod.provenance
    origins = [raw.origin or provenance.locate(raw.path) for raw in unset]
    if len(set(origins)) == 1:
        return
    there = provenance.locate(paths[0][:common])
    if there in origins:
        for raw in unset:
            raw.origin = there


def _enclosing_item(obj: Any, path: Path) -> Any:
    """The list item the offending field sits in (a port, a volume, a sysctl), if any."""
    for end in range(len(path) - 1, -1, -1):
        if isinstance(path[end], int):
            return get_path(obj, path[: end + 1])[1]
    return None


def check_pod(pod: EffectivePod, plan: Plan, policy: PsaPolicy) -> list[Finding]:
    targets_by_kind = all_targets(pod)
    switched_off = plan.switches(pod)
    # (order, rule, raw): the order is the rule's, then its violations', targets', fields' —
    # what a reader expects, whatever order the walks found them in.
    found: list[tuple[tuple[int, ...], Rule, RawViolation]] = []
    # The fields one violation misses in one target, by (rule, violation, target).
    missing: dict[tuple[int, int, int], list[RawViolation]] = {}
    violations = plan.violations
    for kind, table in plan.tested:
        required = table.required
        for number, (base, obj, variables) in enumerate(targets_by_kind[kind]):
            failed: list[tuple[_Check, Any]] = []
            present: set[int] = set()
            table.test(obj, failed, present)
            # Whether the violation is switched off is asked only of what breaks it.
            for (_, check, field), value in failed:
                if switched_off(check):
                    continue
                index, rule, _, violation, position = violations[check]
                order = (index, 0, position, number, field)
                broken = violation.broken(base, obj, variables, violation.fields[field][0], value)
                for seq, raw in enumerate(broken):
                    found.append(((*order, seq), rule, raw))
            for slot, check, field in required:
                if slot in present or switched_off(check):
                    continue
                index, rule, _, violation, position = violations[check]
                order = (index, 0, position, number, field)
                unset = violation.unset(base, violation.fields[field][0], variables)
                found.append((order, rule, unset))
                missing.setdefault((index, position, number), []).append(unset)
    for fields in missing.values():
        if len(fields) > 1:
            _one_place(pod, fields)
    with_builtin = plan.with_builtin
    if pod.admission is not None and plan.with_admission:
        with_builtin = [*with_builtin, *plan.with_admission]
    for index, rule, impl in with_builtin:
        if impl.unconditional or impl.applies(pod):
            builtin = impl.builtin or impl.load_builtin()
            for seq, raw in enumerate(builtin(pod, rule, impl.impl, policy)):
                raw.message = raw.message or impl.impl.message
                found.append(((index, 1, seq), rule, raw))
    found.sort(key=itemgetter(0))
    if plan.yielding:
        found = _without_yielded(found)
    findings: list[Finding] = []
    # Two violations of one rule at one place are one finding (e.g. an explicit false that
    # also leaves a field unset), unless they name different values (two missing mounts).
    seen: set[tuple[str, Path, str]] = set()
    templates_literal, parameters = pod_unknowable(pod.facts)
    for _, rule, raw in found:
        key = (rule.id, raw.path, raw.distinct)
        if key in seen:
            continue
        seen.add(key)
        # A placeholder (`${image}`, an encrypted value) stands for a value nblint cannot know:
        # nothing found there is about the real one (the dialect says so once per file).
        if unknowable_on_path(pod.pod, raw.path, templates_literal, parameters):
            continue
        findings.append(make_finding(pod, rule, raw, policy, plan.template_key))
    # What the rules worked out about the pod is done with. Kept for the rest of the run, it
    # would be objects the garbage collector scans again and again over a large tree.
    pod.memo.clear()
    return findings


def _without_yielded(
    found: list[tuple[tuple[int, ...], Rule, RawViolation]],
) -> list[tuple[tuple[int, ...], Rule, RawViolation]]:
    """``found`` less the violations of a rule at a field where a rule it yields to (one that
    says the same problem more precisely) found too: one problem, one finding."""
    yielding = [rule for _, rule, _ in found if rule.yields_to]
    if not yielding:
        return found
    at = {(rule.id, raw.path) for _, rule, raw in found}
    return [
        entry
        for entry in found
        if not any((other, entry[2].path) in at for other in entry[1].yields_to)
    ]


def make_finding(
    pod: EffectivePod,
    rule: Rule,
    raw: RawViolation,
    policy: PsaPolicy,
    template_key: str | None = None,
) -> Finding:
    path = raw.path
    configuration = pod.configuration
    release_level = configuration is not None and path[:1] == _VALUES_PATH
    if raw.origin is not None:
        origin = raw.origin
    elif release_level:
        assert configuration is not None
        origin = configuration.locate(path[1:])
    else:
        origin = pod.provenance.locate(path)
    version = _version_text(policy.version)
    where = _field_text(path, tuple(map(type, path)))
    # The violation's variables are its own (a fresh mapping): filled in place.
    variables = {**rule.options, **raw.variables} if rule.options else raw.variables
    variables["object"] = pod.object
    variables["profile"] = pod.profile or ""
    variables["path"] = where
    variables["psa_version"] = version
    variables[FACTS] = pod.facts  # {facts.NAME}
    keys = pod.fix_keys or (pod.dialect,)
    if KUSTOMIZE_IMAGES in keys and variables.get("value") not in pod.facts.get(
        "kustomize_images", ()
    ):
        keys = tuple(key for key in keys if key != KUSTOMIZE_IMAGES)
    container = raw.container
    own = chosen_fix(raw.fix, keys, container) if raw.fix else None
    named = chosen_fix(rule.fix, keys, container)
    if own is None or (
        named is not None and _for_container(named[0]) and not _for_container(own[0])
    ):
        # A hint for the container by name (the chart's block-cloud-metadata, fixed elsewhere
        # than the notebook) wins over a violation's hint for any container.
        own = named
    chosen = own
    fix = edit = applicability = fix_file = None
    if chosen is not None:
        holes, derives, quoted = _hint_holes(chosen[1])
        placeholder = False
        if derives:
            derived = derived_variables(pod, path, holes, variables.get("value"))
            # A hint that names what nblint cannot know (a claim no input makes) is advice.
            placeholder = any(
                value in PLACEHOLDERS for name, value in derived.items() if name not in variables
            )
            variables = {**derived, **variables}
        fix = render_template(chosen[1], variables).rstrip()
        # A placeholder left unfilled (a field the input lacks) is no value to write.
        placeholder = placeholder or not fills_every_hole(chosen[1], variables)
        # A violation lowered to a note (the platform takes care of it, "so it schedules") says
        # there is nothing to do: its hint is advice, never an edit `nblint fix` applies.
        note_only = raw.severity == "info"
        safety = (
            DISPLAY_ONLY
            if placeholder or note_only
            else raw.fix_safety or rule.safety_of(chosen[0])
        )
        # A hint never writes over a placeholder of the input (`runAsUser: ${{UID}}`): its
        # parameter or variable would silently stop doing anything. The key is left out when the
        # rest still fixes the finding, else the hint is advice to set the placeholder's value.
        if safety != DISPLAY_ONLY and pod.placement is not None and not rule.fix_adds_only:
            overwritten = overwritten_placeholders(pod, chosen[0], fix, template_key)
            if overwritten:
                fix, left_out = _placeholders_kept(pod, fix, path, overwritten)
                if not left_out:
                    safety = DISPLAY_ONLY
        # A container without a name cannot be patched by name, and a hint that quotes input
        # which is not a plain name (a newline, a `:` or `{` in a container name) could say more
        # than the rule means once parsed: such hints are only shown.
        nameless = bool(container and container.startswith("#"))
        plain = not quoted or _plain_holes(quoted, variables)
        placed: PlacedFix | None = None
        if (
            pod.placement is not None
            and (nameless or not plain)
            and not raw.object_hint
            and chosen[0] != KUSTOMIZE_IMAGES
        ):
            # Only shown, but where it goes all the same: a workload's hint nested under its pod
            # template, as a placed one is (field test 17b D2: a Template's `name: ${NAME}`).
            placed = PlacedFix(pod.placement.shown(fix), None)
        elif pod.placement is not None and not raw.object_hint and chosen[0] != KUSTOMIZE_IMAGES:

            def template_hint() -> str | None:
                if template_key is None:
                    return None
                keys = (template_key,)
                hint = choose_fix(raw.fix, keys, container) or choose_fix(rule.fix, keys, container)
                if not hint:
                    return None
                holes, derives, quoted = _hint_holes(hint)
                # It quotes input too (a volume's name as its claim's), and is as plain or not.
                if not _plain_holes(quoted, variables):
                    raise _NotPlain
                if not derives:
                    return render_template(hint, variables)
                # Its own holes may ask what the chosen hint's did not (the notebook's uid).
                derived = derived_variables(pod, path, holes, variables.get("value"))
                if any(
                    value in PLACEHOLDERS
                    for name, value in derived.items()
                    if name not in variables
                ):
                    return None
                return render_template(hint, {**derived, **variables})

            try:
                placed = pod.placement.place(fix, path, raw.anchor, template_hint)
            except _NotPlain:
                placed = PlacedFix(pod.placement.shown(fix), None)
        # A hint that sets allowPrivilegeEscalation: false beside a privilege it leaves, or that
        # makes a container with a Bidirectional mount unprivileged, would make an object the API
        # server refuses: advice for after that privilege (or that mount) is changed.
        # (Asked of the hint as placed: the placement may leave out its escalation key, which
        # another rule's hint sets where the input writes it.)
        shown = placed.text if placed is not None else fix
        # (Asked once per hint text, hint as placed and container of the pod: a pod's findings
        # share hints.)
        if safety != DISPLAY_ONLY:
            guards = pod.memo.get(_GUARDS)
            if guards is None:
                guards = pod.memo[_GUARDS] = {}
            key = (fix, shown, path[:3])
            found = guards.get(key)
            if found is None:
                found = guards[key] = _guarded(pod, path, fix, shown)
            kept, shared, setuid, sudo, rooted, capable, root_code = found
        else:
            kept = shared = setuid = sudo = rooted = capable = root_code = None
        # Nor one that requires non-root of the whole pod beside a container that stays root
        # (its own runAsUser: 0, a PodDefault's init container): the kubelet refuses it. One
        # whose image's root user it replaces is unsafe, said below.
        # (A hint placed in a list entry, a container written whole — a z2jh sidecar's, a
        # PodDefault's —, is that container's securityContext, whatever the hint chosen.)
        entry = placed.edit.path if placed is not None and placed.edit is not None else ()
        root_user = (
            _root_user(pod, path, fix, key)
            if safety != DISPLAY_ONLY
            and rooted is None
            and root_code is None
            and not (entry and type(entry[-1]) is int)
            else None
        )
        refused = root_user[0] if root_user is not None and root_user[1] else None
        # Nor one that drops the metadata server's iptables block where a user egress rule lets
        # notebooks reach it past the NetworkPolicy the hint leans on.
        reopened = safety != DISPLAY_ONLY and metadata_reopened(pod, fix)
        if (
            kept is not None
            or shared is not None
            or setuid is not None
            or sudo is not None
            or rooted is not None
            or root_code is not None
            or refused is not None
            or capable is not None
            or reopened
        ):
            safety = DISPLAY_ONLY
        # Nor is a hint safe that takes away what the input asked for (an explicit
        # allowPrivilegeEscalation: true) or what a root container's work needs (capabilities).
        relied = relied_on(pod, path, fix, variables.get("value")) if safety == SAFE else None
        if relied is None and safety == SAFE:
            # Nor one whose guards read a placeholder: judged by its riskiest value.
            relied = placeholder_risk(pod, path, fix)
        if relied is None and safety == SAFE and placed is not None and placed.edit is not None:
            # Nor one that writes a value code nblint did not apply may set after it (a trait
            # hub.extraConfig sets under a condition): it holds only while that code does not run.
            relied = code_trait_kept(pod, placed.edit)
        if relied is None and safety == SAFE and pod.facts.get("unread_values"):
            # Nor one whose guards read values a layer nblint did not read may set (a Fleet
            # targetCustomizations' uid 0, a valuesFrom not given): judged by their riskiest.
            relied = unread_values_risk(pod, fix)
        if relied is None and root_user is not None and safety != DISPLAY_ONLY:
            # (An unsafe rule's hint says it too: the container is another than its finding's.)
            relied = root_user[0]
        if relied is not None:
            safety = UNSAFE
        another_version = pod.facts.get(HINTS_FOR_ANOTHER_VERSION)
        unreached = pod.facts.get(HINTS_MAY_NOT_REACH)
        if (
            unreached
            and not another_version
            and safety != DISPLAY_ONLY
            and placed is not None
            and placed.edit is not None
            and edit_writes_any(placed.edit, unreached[1])
        ):
            # A hint into settings the pod's maker may not read (a spawner that may not be a
            # KubeSpawner): shown, never applied.
            another_version = unreached[0]
        if another_version and safety != DISPLAY_ONLY:
            safety = DISPLAY_ONLY
            fix = f"{comment(another_version)}\n{fix}"
            if placed is not None:
                placed = PlacedFix(f"{comment(another_version)}\n{placed.text}", placed.edit)
        if placed is not None:
            # Advice is placed too (the text says where it goes, the report which file), but
            # never applied.
            fix, edit = placed.text, placed.edit if safety != DISPLAY_ONLY else None
            if edit is None and placed.edit is not None:
                fix_file = placed.edit.file
            if edit is not None and (rule.fix_adds_only or rule.fix_alone):
                edit = Edit(
                    edit.file,
                    edit.document,
                    edit.path,
                    edit.merge,
                    edit.patch,
                    adds_only=rule.fix_adds_only,
                    alone=rule.fix_alone,
                    narrow=edit.narrow,
                )
        if kept is not None:
            fix = (
                f"# first drop {kept} (the API server refuses allowPrivilegeEscalation: false "
                "beside it;\n# see privileged-without-escalation), then:\n" + fix
            )
        if shared is not None:
            fix = (
                f"# first change mountPropagation: Bidirectional of mount {shared} (the API "
                "server allows it only\n# in a privileged container; see "
                "bidirectional-mount-unprivileged), then:\n" + fix
            )
        if relied is not None and edit is not None:
            fix = f"{comment('unsafe: ' + relied)}\n{fix}"
        switched_off = pod.facts.get("network_policy_off")
        if switched_off and "networkPolicy" in fix:
            # A hint that turns the NetworkPolicy the input switched off back on says so.
            said = (
                f"the input switches NetworkPolicy off ({switched_off}: "
                "singleuser.networkPolicy.enabled: false); this turns it back on, and a cluster "
                "without a NetworkPolicy controller enforces nothing (the metadata server stays "
                "reachable once blockWithIptables is false)"
            )
            fix = f"{comment(said)}\n{fix}"
        if setuid is not None:
            first = (
                "first change the image, which starts through a setuid-root helper that "
                "allowPrivilegeEscalation: false disables and drop ALL leaves without root's "
                f"capabilities: {setuid}; then:"
            )
            fix = f"{comment(first)}\n{fix}"
        if sudo is not None:
            fix = f"{comment(sudo + '; then:')}\n{fix}"
        if rooted is not None:
            first = (
                f"first make the pod need no root work: {rooted}, which fails as another user "
                "(give the volume to the user with fsGroup instead, and drop that work); then:"
            )
            fix = f"{comment(first)}\n{fix}"
        if capable is not None:
            fix = f"{comment('first: ' + capable)}\n{fix}"
        if root_code is not None:
            first = (
                f"first change the code that runs a container of the pod as uid 0: {root_code}; "
                "runAsNonRoot: true beside it makes the kubelet refuse to start that container "
                "(CreateContainerConfigError), so the spawn fails; then:"
            )
            fix = f"{comment(first)}\n{fix}"
        if refused is not None:
            first = (
                f"first change the container that runs as root: {refused}; runAsNonRoot: true for "
                "the pod reaches it and the kubelet refuses to start it "
                "(CreateContainerConfigError), so the pod never starts; then:"
            )
            fix = f"{comment(first)}\n{fix}"
        applicability = safety if edit is not None else DISPLAY_ONLY
    psa = rule.psa
    severity = _severity(raw.severity, rule.severity)
    guessed = pod.facts.get(DEFAULTS_GUESSED)
    if guessed and guessed in origin.note:
        # Found on a default nblint guessed (an unknown release's chart default): not known to
        # hold, so said as an info whose note says why.
        severity = "info"
    return Finding(
        rule.id,
        rule.group,
        severity,
        render_template(raw.message or rule.title, variables),
        origin.file,
        origin.line,
        origin.column,
        pod.object,
        # A finding about the configuration holds for every profile: report it once.
        None if release_level else pod.profile,
        container,
        _psa_ref(psa["check"], psa["level"], version) if psa else None,
        fix,
        origin.note,
        where or None,
        None if release_level else pod.options,
        applicability,
        edit,
        cause=raw.cause,
        assumption=raw.assumption,
        fix_file=fix_file,
    )


_VALUES_PATH = (VALUES,)


def _field_named(pod: EffectivePod, path: Path) -> str:
    """Pod field ``path`` as a hint's comment names it: ``the pod's securityContext.runAsUser``,
    ``notebook's securityContext.runAsUser``."""
    if len(path) > 3 and path[0] == "spec" and path[1] in CONTAINER_LISTS:
        listed = pod.spec.get(str(path[1]))
        entry = listed[path[2]] if isinstance(listed, list) and type(path[2]) is int else None
        name = entry.get("name") if isinstance(entry, dict) else None
        return f"{name}'s {format_path(path[3:])}"
    if len(path) > 1 and path[0] == "spec":
        return f"the pod's {format_path(path[1:])}"
    return format_path(path)


#: Keys whose value a hint sets to a non-root user: said so when left to a placeholder.
_USER_KEYS = frozenset(("runAsUser", "uid"))


def _placeholders_kept(
    pod: EffectivePod,
    hint: str,
    path: Path,
    overwritten: list[tuple[Path, Path, str]],
) -> tuple[str, bool]:
    """``hint`` without the keys it would write over a placeholder of the input
    (``overwritten``: see :func:`overwritten_placeholders`), with a comment that says which and
    what to give them; and whether it still fixes the finding at ``path`` (some of it is left,
    and none of what is left out is that field or holds it). When it does not, the whole hint is
    returned, as advice."""
    patch = parsed_hint(hint)
    notes = []
    for hint_path, pod_path, placeholder in overwritten:
        value: Any = patch
        for step in hint_path:
            value = value[step]
        field = _field_named(pod, pod_path)
        if hint_path[-1] in _USER_KEYS and type(value) is int and value > 0:
            wanted = f"a non-root uid (such as {value})"
        else:
            wanted = f"the value this fix writes there ({show_value(value)})"
        notes.append(
            f"{field} is the placeholder {placeholder}: set its parameter or variable to {wanted}"
        )
    said = "; ".join(notes)
    reaches = any(
        path[: len(pod_path)] == pod_path or pod_path[: len(path)] == path
        for _, pod_path, _ in overwritten
    )
    cut = [hint_path for hint_path, _, _ in overwritten]
    reduced = None if reaches else without_keys(hint, cut)
    if reduced is None:
        advice = f"nblint does not write over a placeholder: {said}; the fix it would make:"
        return comment(advice) + "\n" + hint, False
    return comment(f"left as written: {said}") + "\n" + reduced.rstrip(), True


#: Severities from the lowest: a builtin may lower a finding below its rule's (a note; a warning
#: where the outcome is only near-certain), never raise it.
_SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}


def _severity(violation: str | None, rule: str) -> str:
    lower = _SEVERITY_RANK.get(violation or "", 3) < _SEVERITY_RANK.get(rule, 2)
    return violation if lower and violation is not None else rule


@lru_cache(maxsize=4096)
def _field_text(path: Path, types: tuple[type, ...]) -> str:
    """:func:`format_path`, once per field: the findings of many rules and pods are at a few
    fields. Keyed by the parts' ``types`` too: ``True == 1``, but is shown otherwise."""
    return format_path(path)


#: Hint variables that are nblint's own words (a comment), or values a builtin writes safely
#: itself (``sizes_value``: a quantity, under a resource name it quotes when it must), not input,
#: so never refuse a hint :func:`_plain_holes` checks.
_OWN_WORDS = frozenset(
    (
        *("uid_note", "gid_note", "scc_uid_note", "home_note", "sizes_value", "volume_claim_note"),
        "fs_gid_note",
    )
)

#: What a value from the input may look like to be written into a fix that nblint applies: a
#: name, a path, an image reference — nothing YAML would read as structure.
_PLAIN = re.compile(r"[A-Za-z0-9_/][A-Za-z0-9_./@+=-]*(?::[A-Za-z0-9_./@+=-]+)*")
_HOLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


class _NotPlain(Exception):
    """The pod template's hint a placement asked for quotes input that is not plain: the
    finding's hint is only shown (see :func:`_plain_holes`)."""


def _for_container(key: str) -> bool:
    """Whether hint key ``key`` names a container (``z2jh:block-cloud-metadata``)."""
    return ":" in key


def _plain_holes(quoted: tuple[str, ...], variables: dict[str, Any]) -> bool:
    """Whether every value a hint quotes (``quoted``, see :func:`_hint_holes`) is plain (see
    :data:`_PLAIN`)."""
    for name in quoted:
        value = variables.get(name)
        if isinstance(value, str) and not _PLAIN.fullmatch(value) and value not in PLACEHOLDERS:
            return False
    return True


@lru_cache(maxsize=256)
def _hint_holes(template: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    """The names hint ``template`` quotes (see :data:`_HOLE`), each once; whether any is one of
    :data:`DERIVED_VARIABLES`; and those that come from the input (not :data:`_OWN_WORDS`).
    Hints come from the rule files, and are looked at for every finding."""
    holes = tuple(dict.fromkeys(_HOLE.findall(template)))
    quoted = tuple(name for name in holes if name not in _OWN_WORDS)
    return holes, not DERIVED_VARIABLES.isdisjoint(holes), quoted


def _guarded(pod: EffectivePod, path: Path, fix: str, shown: str) -> tuple[Any, ...]:
    """What the fix-safety guards of :mod:`nblint.check.podview` say of fix ``fix`` (placed as
    ``shown``) for the violation at pod path ``path`` (each asks of the container it is in, if
    any): ``(kept, shared, setuid, sudo, rooted, capable, root_code)``, as
    :func:`make_finding` names them."""
    # A hint that sets allowPrivilegeEscalation: false beside a privilege it leaves, or that
    # makes a container with a Bidirectional mount unprivileged, would make an object the API
    # server refuses (asked of the hint as placed).
    # (Each guard looks at the hint's text first and answers None for most: the words it
    # looks for are found once per text here, and a guard is asked only when they are.)
    words = _guard_words(fix)
    escalation, drop, user, adds, non_root, bidirectional = words
    if shown is not fix:
        escalation = _guard_words(shown)[0]  # (asked of the hint as placed)
    kept = privilege_kept(pod, path, shown) if escalation else None
    escalation = words[0]
    shared = bidirectional_kept(pod, path, fix) if bidirectional else None
    # Nor one that stops an image starting: its start needs privilege escalation.
    setuid = setuid_start_kept(pod, path, fix) if escalation or drop else None
    # Nor one that refuses the sudo a variable makes the image's start run (code-server's
    # DOCKER_USER): applied, it leaves a container that exits at start (field test 10b A5).
    sudo = start_sudo_kept(pod, path, fix) if escalation or drop else None
    # Nor one that gives a container doing root work (chown) another user.
    rooted = root_work_kept(pod, path, fix) if user else None
    # Nor one that drops a capability a root container's command needs (chown: CHOWN): its
    # command would fail for certain (field test 14a).
    capable = capability_work_kept(pod, path, fix) if drop or adds else None
    # Nor one that requires non-root of a pod that code nblint did not read runs as uid 0.
    root_code = root_code_kept(pod, fix) if non_root else None
    return kept, shared, setuid, sudo, rooted, capable, root_code


def _root_user(pod: EffectivePod, path: Path, fix: str, key: Any) -> tuple[str, bool] | None:
    """:func:`root_user_kept` of ``fix`` at ``path``, once per ``key`` (see :func:`_guarded`)."""
    if "runAsNonRoot" not in fix:
        return None  # (most hints)
    guards = pod.memo[_GUARDS]
    found = guards.get((_ROOT_USER, key), _UNSEEN)
    if found is _UNSEEN:
        found = guards[(_ROOT_USER, key)] = root_user_kept(pod, path, fix)
    result: tuple[str, bool] | None = found
    return result


#: The pod memo's key of the guards' answers (:func:`_guarded`), and :func:`_root_user`'s mark.
_GUARDS = "engine.guards"
_ROOT_USER = "root-user"


@lru_cache(maxsize=1024)
def _guard_words(hint: str) -> tuple[bool, bool, bool, bool, bool, bool]:
    """Whether fix ``hint`` holds the words the fix-safety guards of :mod:`nblint.check.podview`
    look for before they look at the pod (each guard answers None without them): an escalation
    key (``privilege_kept``, ``setuid_start_kept``, ``start_sudo_kept``), ``drop`` (those two
    and ``capability_work_kept``), a user (``root_work_kept``), ``add:``
    (``capability_work_kept``), ``runAsNonRoot`` (``root_code_kept``, ``root_user_kept``), and
    ``privileged`` without ``mountPropagation`` (``bidirectional_kept``). Once per text: many
    findings share a hint."""
    return (
        "scalation" in hint,
        "drop" in hint,
        "runAs" in hint or "uid:" in hint,
        "add:" in hint,
        "runAsNonRoot" in hint,
        "privileged" in hint and "mountPropagation" not in hint,
    )


#: :attr:`PsaPolicy.version_text`, worked out once per version rather than once per finding.
_version_text = lru_cache(maxsize=16)(format_version)


@lru_cache(maxsize=256)
def _psa_ref(check: str, level: str, version: str) -> PsaRef:
    return PsaRef(check, level, version)  # immutable: one per PSA check and version is enough
