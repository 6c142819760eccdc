"""A z2jh release → its problems (as Helm and the hub would see them) and its user pods."""

from __future__ import annotations

from typing import Any

from nblint.dialects.z2jh.root import ValuesError, find_deep_root, find_root, parse_root
from nblint.dialects.z2jh.values import (
    VALUES_OBJECT,
    Release,
    build_release,
    resolve_chart_version,
)
from nblint.load.provenance import tree_position
from nblint.model.document import Normalised, Recognised, RunIndex
from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod, Origin


def release_of(document: Recognised, settings: dict[str, Any]) -> tuple[Release, list[Reported]]:
    """The release a recognised document stands for (itself, or the ``-f`` layers)."""
    layers: list[tuple[str, Any]] = list(document.layers) or [(document.file, document.root)]
    indexes = list(document.layer_documents) if document.layers else [document.index]
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
    return build_release(layers, root, chart_version, indexes)


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    from nblint.dialects.z2jh.validate import validate

    out = Normalised()
    deeper = _deeper_root(document, settings)
    if deeper is not None:
        out.reported.append(deeper)
        return out
    release: Release | None
    try:
        release, problems = release_of(document, settings)
    except ValuesError as err:
        problems = [
            Reported("z2jh-values-root", str(err), Origin(document.file, 1, 1), VALUES_OBJECT)
        ]
        release = None
    out.reported.extend(problems)
    if release is None:
        return out
    out.reported.extend(validate(release))
    from nblint.dialects.z2jh.pods import build_pods

    out.pods.extend(build_pods(release))
    out.reported.extend(_spawn_failures(release, out.pods))
    return out


def _deeper_root(document: Recognised, settings: dict[str, Any]) -> Reported | None:
    """A document that looks like z2jh values nested deeper than detection looks: no pod can be
    built until the root is given, and that is said rather than passing silently."""
    if settings.get("values_root") is not None or document.layers:
        return None
    if find_root(document.root) is not None:
        return None
    root = find_deep_root(document.root)
    if root is None:
        return None
    where = ".".join(root)
    line, column = tree_position(document.root, root)
    return Reported(
        "z2jh-values-root",
        f"`{where}` looks like z2jh values, nested deeper than nblint looks for them: no pod "
        f"was built and nothing under it was checked; give `--values-root {where}` (or "
        f'`values-root = "{where}"` in the configuration) to lint them',
        Origin(document.file, line, column),
        VALUES_OBJECT,
        fix=f"nblint check --values-root {where} {document.file}",
    )


def _spawn_failures(release: Release, pods: list[EffectivePod]) -> list[Reported]:
    """Values KubeSpawner would refuse when a user spawns (e.g. memory ``4Gi``), once each."""
    reported: list[Reported] = []
    seen: set[tuple[Any, str]] = set()
    for pod in pods:
        for problem in pod.facts.get("spawn_problems") or []:
            if (tuple(problem.path), problem.message) in seen:
                continue
            seen.add((tuple(problem.path), problem.message))
            reported.append(
                Reported(
                    problem.rule,
                    problem.message,
                    release.locate(tuple(problem.path)),
                    VALUES_OBJECT,
                    fix=problem.fix,
                    fix_keys=release.fix_keys,
                )
            )
    return reported
