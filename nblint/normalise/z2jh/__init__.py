"""Zero to JupyterHub (z2jh) Helm values → the user pods KubeSpawner will build.

One release is either one values document given as a PATH, or every ``-f/--values`` file layered
in order. :mod:`.values` builds the :class:`~.values.Release` (layers + chart defaults, with the
origin of every value), :mod:`.validate` checks it as Helm and the hub would, and
:mod:`.pods` builds one effective pod per profile and option.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from nblint.model import EffectivePod, Finding
from nblint.normalise import Normalised
from nblint.normalise.z2jh.values import (
    Release,
    ValuesError,
    ValuesProblem,
    build_release,
    find_root,
    parse_root,
    resolve_chart_version,
)

if TYPE_CHECKING:
    from nblint.pipeline import Recognised, RunContext

__all__ = ["Release", "normalise", "release_of"]


def release_of(
    document: Recognised, settings: dict[str, Any]
) -> tuple[Release, list[ValuesProblem]]:
    """The release a recognised document stands for (itself, or the ``-f`` layers)."""
    layers: list[tuple[str, Any]] = list(getattr(document, "layers", None) or ()) or [
        (document.file, document.root)
    ]
    try:
        chart_version = resolve_chart_version(settings.get("chart_version"))
    except ValuesError:
        # The CLI refuses an unknown version; a programmatic caller gets the newest.
        chart_version = resolve_chart_version(None)
    given = settings.get("values_root")
    if given is not None:
        root = parse_root(given)
    else:
        detected = (find_root(doc) for _, doc in layers)
        root = next((found for found in detected if found is not None), ())
    return build_release(layers, root, chart_version)


def normalise(document: Recognised, context: RunContext) -> Normalised:
    from nblint.normalise.z2jh.validate import validate

    runner = context.runner
    out = Normalised()
    try:
        release, problems = release_of(document, context.options.dialect)
    except ValuesError as err:
        problems = [ValuesProblem("z2jh-values-root", str(err), document.file, 1, 1)]
        release = None
    problems = problems + (validate(release) if release is not None else [])
    for problem in problems:
        extra: dict[str, Any] = {"object": "values"}
        if problem.fix is not None:
            extra["fix"] = problem.fix
        if problem.note:
            extra["note"] = problem.note
        finding = runner.pipeline_finding(
            problem.rule, problem.message, problem.file, problem.line, problem.column, **extra
        )
        if finding is not None:
            out.findings.append(finding)
    if release is not None:
        from nblint.normalise.z2jh.pods import build_pods

        out.pods.extend(build_pods(release, context))
        out.findings.extend(_spawn_failures(release, out.pods, runner))
    return out


def _spawn_failures(release: Release, pods: list[EffectivePod], runner: Any) -> list[Finding]:
    """Values KubeSpawner would refuse when a user spawns (e.g. memory ``4Gi``), once each."""
    findings: list[Finding] = []
    seen: set[tuple[Any, str]] = set()
    for pod in pods:
        for problem in pod.facts.get("spawn_problems") or []:
            if (tuple(problem.path), problem.message) in seen:
                continue
            seen.add((tuple(problem.path), problem.message))
            origin = release.locate(tuple(problem.path))
            finding = runner.pipeline_finding(
                "z2jh-spawn-failure",
                problem.message,
                origin.file,
                origin.line,
                origin.column,
                object="values",
                note=origin.note,
                fix=problem.fix or runner.rules["z2jh-spawn-failure"].fix.get("z2jh"),
            )
            if finding is not None:
                findings.append(finding)
    return findings
