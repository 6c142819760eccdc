"""Run rules over an effective pod and turn what breaks them into findings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from nblint.check import builtins, jsonschema_subset
from nblint.check.rules import Condition, Implementation, PsaPolicy, Rule, Violation
from nblint.model import (
    EffectivePod,
    Finding,
    Path,
    PsaRef,
    format_path,
    get_path,
    iter_containers,
    notebook_container,
)

#: First element of a path into the z2jh values of a pod's release (target ``values``).
VALUES = "values"


@dataclass
class RawViolation:
    """What a check found, before it is placed in a file."""

    path: Path
    message: str
    container: str | None = None
    fix: dict[str, str] | None = None
    variables: dict[str, Any] = field(default_factory=dict)


def release_values(pod: EffectivePod) -> Any:
    """The merged z2jh values behind a z2jh pod, else None."""
    release = pod.facts.get("release")
    return getattr(release, "values", None)


Target = tuple[Path, Any, dict[str, str]]


def targets_of(pod: EffectivePod, target: str) -> list[Target]:
    """:func:`iter_targets`, computed once per pod and target kind (rules ask many times)."""
    cache: dict[str, list[Target]] = pod.memo.setdefault("targets", {})
    found = cache.get(target)
    if found is None:
        found = cache[target] = list(iter_targets(pod, target))
    return found


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
        values = release_values(pod)
        if values is not None:
            yield (VALUES,), values, {}
    elif target == "volume":
        volumes = pod.spec.get("volumes")
        if isinstance(volumes, list):
            for index, volume in enumerate(volumes):
                if isinstance(volume, dict):
                    name = volume.get("name")
                    yield ("spec", "volumes", index), volume, {"volume": str(name or f"#{index}")}


def holds(condition: Condition | None, pod: EffectivePod) -> bool:
    """True when every clause's path exists (and is not null) and matches its schema.

    Paths are read from the pod (``spec…``, ``metadata…``), or from the z2jh values of its
    release when they start with ``values``.
    """
    if condition is None:
        return False
    for path, schema in condition.clauses:
        if path.parts[:1] == (VALUES,):
            found, value = get_path(release_values(pod), path.parts[1:])
        else:
            found, value = get_path(pod.pod, path.parts)
        if not found or value is None or not jsonschema_subset.is_valid(schema, value):
            return False
    return True


def show_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        import json  # only for values that are not text

        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return str(value)


def _evaluate(pod: EffectivePod, violation: Violation) -> Iterator[RawViolation]:
    # The common case — field absent, or present and valid — must cost next to nothing: this
    # runs for every violation of every rule on every target of every pod.
    if violation.when is not None and not holds(violation.when, pod):
        return
    if violation.unless is not None and holds(violation.unless, pod):
        return
    must, fail_when_missing = violation.must, violation.missing == "fail"
    for base, obj, variables in targets_of(pod, violation.target):
        for fieldpath in violation.fields:
            found, value = get_path(obj, fieldpath.parts)
            if not found or value is None:
                if fail_when_missing:
                    yield RawViolation(
                        (*base, *fieldpath.parts),
                        violation.message,
                        variables.get("container"),
                        violation.fix,
                        {**variables, "field": fieldpath.text, "value": "unset"},
                    )
                continue
            if must is True:
                continue
            for sub in jsonschema_subset.errors(must, value):
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
                )


def _enclosing_item(obj: Any, path: Path) -> Any:
    """The list item the offending field sits in (a port, a volume, a sysctl), if any."""
    for end in range(len(path) - 1, -1, -1):
        if isinstance(path[end], int):
            return get_path(obj, path[: end + 1])[1]
    return None


def run_implementation(
    pod: EffectivePod, rule: Rule, impl: Implementation, policy: PsaPolicy
) -> Iterator[RawViolation]:
    if impl.when is not None and not holds(impl.when, pod):
        return
    if impl.unless is not None and holds(impl.unless, pod):
        return
    for violation in impl.violations:
        yield from _evaluate(pod, violation)
    if impl.builtin:
        for raw in builtins.get(impl.builtin)(pod, rule, impl, policy):
            raw.message = raw.message or impl.message
            yield raw


_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}")


_MISSING = object()


def render_template(text: str, variables: dict[str, Any]) -> str:
    """Fill ``{name}`` placeholders; ``{{``/``}}`` are literal braces.

    Anything else in braces stays as written, so a fix hint may use YAML flow mappings
    (``{type: RuntimeDefault}``) and an unknown name is left visible rather than failing.
    """

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        if name is None:
            return match[0][0]
        head, _, field = name.partition(".")
        value = variables.get(head, _MISSING)
        if field:  # {item.containerPort}: a field of a mapping variable
            value = value.get(field, _MISSING) if isinstance(value, dict) else _MISSING
        return match[0] if value is _MISSING else str(value)

    return _PLACEHOLDER.sub(fill, text)


def choose_fix(
    fixes: dict[str, str] | None, pod: EffectivePod, container: str | None = None
) -> str | None:
    """The fix written for the pod's dialect, and for its chart version or container.

    ``z2jh<4.3`` is the z2jh fix for charts before 4.3; ``<dialect>:<container>`` is the fix for
    one container by name (the chart's ``block-cloud-metadata`` init container is fixed in quite
    another place than the notebook).
    """
    if not fixes:
        return None
    if container and f"{pod.dialect}:{container}" in fixes:
        return fixes[f"{pod.dialect}:{container}"]
    if pod.dialect == "z2jh" and "z2jh<4.3" in fixes:
        chart = str(pod.facts.get("chart_version", ""))
        if chart and _chart_before(chart, (4, 3)):
            return fixes["z2jh<4.3"]
    return fixes.get(pod.dialect) or fixes.get("any")


def _chart_before(version: str, limit: tuple[int, int]) -> bool:
    parts = version.split(".")
    try:
        return (int(parts[0]), int(parts[1])) < limit
    except (IndexError, ValueError):
        return False


def check_pod(
    pod: EffectivePod, active: list[tuple[Rule, Implementation]], policy: PsaPolicy
) -> list[Finding]:
    findings: list[Finding] = []
    # Two violations of one rule at one place are one finding (e.g. an explicit false that
    # also leaves a field unset), unless they name different values (two missing mounts).
    seen: set[tuple[str, Path, str]] = set()
    for rule, impl in active:
        for raw in run_implementation(pod, rule, impl, policy):
            key = (rule.id, raw.path, str(raw.variables.get("mount_path", "")))
            if key in seen:
                continue
            seen.add(key)
            findings.append(make_finding(pod, rule, raw, policy))
    return findings


def make_finding(pod: EffectivePod, rule: Rule, raw: RawViolation, policy: PsaPolicy) -> Finding:
    release_level = raw.path[:1] == (VALUES,)
    if release_level:
        origin = pod.facts["release"].locate(raw.path[1:])
    else:
        origin = pod.provenance.locate(raw.path)
    variables = {
        **rule.options,
        **raw.variables,
        "object": pod.object,
        "profile": pod.profile or "",
        "path": format_path(raw.path),
        "psa_version": policy.version_text,
    }
    fix = choose_fix(raw.fix, pod, raw.container) or choose_fix(rule.fix, pod, raw.container)
    psa = None
    if rule.psa:
        psa = PsaRef(rule.psa["check"], rule.psa["level"], policy.version_text)
    return Finding(
        rule=rule.id,
        group=rule.group,
        severity=rule.severity,
        message=render_template(raw.message or rule.title, variables),
        file=origin.file,
        line=origin.line,
        column=origin.column,
        object=pod.object,
        # A finding about the release's values holds for every profile: report it once.
        profile=None if release_level else pod.profile,
        options=None if release_level else pod.options,
        container=raw.container,
        psa=psa,
        fix=render_template(fix, variables).rstrip() if fix else None,
        note=origin.note,
        field=format_path(raw.path) or None,
    )
