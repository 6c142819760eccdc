"""A z2jh release → its problems (as Helm and the hub would see them) and its user pods."""

from __future__ import annotations

from typing import Any

from nblint.dialects.z2jh.root import (
    SUBCHART_KEY,
    ValuesError,
    find_deep_root,
    find_root,
    holds_values,
    parse_root,
)
from nblint.dialects.z2jh.umbrella import (
    DEPENDENCY,
    ConstraintError,
    Pin,
    exact,
    newest_matching,
    pins,
    unreadable,
)
from nblint.dialects.z2jh.values import (
    VALUES_OBJECT,
    Release,
    build_release,
    chart_versions,
    newest_chart_version,
    resolve_chart_version,
)
from nblint.load.provenance import tree_position
from nblint.model.document import Normalised, Recognised, RunIndex
from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod, Origin, Path, format_path, get_path

#: The rule that says which chart version values were linted as, and why (info).
CHOSEN = "z2jh-chart-version"
#: The rule for a chart version nblint does not know, pinned beside the values (error).
UNKNOWN = "z2jh-unknown-chart-version"
#: The rule for values written for another JupyterHub chart (info).
OTHER_CHART = "z2jh-other-chart"


def release_of(document: Recognised, settings: dict[str, Any]) -> tuple[Release, list[Reported]]:
    """The release a recognised document stands for (itself, or the ``-f`` layers), and what
    nblint must say about how it chose the chart version."""
    layers: list[tuple[str, Any]] = list(document.layers) or [(document.file, document.root)]
    indexes = list(document.layer_documents) if document.layers else [document.index]
    root, pin = _values_root(document, settings)
    if settings.get("chart_version"):  # --chart-version wins over any chart beside the values
        try:
            chart_version = resolve_chart_version(settings.get("chart_version"))
        except ValuesError:
            # The CLI refuses an unknown version; a programmatic caller gets the newest.
            chart_version = resolve_chart_version(None)
        return build_release(layers, root, chart_version, indexes)
    chart_version, said = _chosen_release(pin, document, format_path(root) or "the top level")
    release, problems = build_release(layers, root, chart_version, indexes)
    if said is not None:
        rule, message, origin = said
        problems.insert(0, Reported(rule, message, origin or release.locate(()), VALUES_OBJECT))
    return release, problems


def _values_root(
    document: Recognised, settings: dict[str, Any]
) -> tuple[tuple[str, ...], Pin | None]:
    """Where z2jh's values sit in the document's layers (``--values-root``, the key an umbrella
    chart beside them names, or the key found by looking), and the umbrella chart's pin."""
    layers: list[tuple[str, Any]] = list(document.layers) or [(document.file, document.root)]
    given = settings.get("values_root")
    found = pins(document.neighbours)
    pin = next((p for p in found if any(holds_values(doc, p.root) for _, doc in layers)), None)
    if given is not None:
        root = parse_root(given)
    elif pin is not None:
        root = pin.root
    else:
        detected = (find_root(doc) for _, doc in layers)
        root = next((found for found in detected if found is not None), ())
    return root, pin or (found[0] if found else None)


#: Values the chart itself runs through Helm's ``tpl`` (every 3.x and 4.x release: the hub's and
#: the proxy's command-line items): a template there is rendered at install.
RENDERED_BY_CHART: tuple[tuple[str, ...], ...] = (
    ("hub", "command"),
    ("hub", "args"),
    ("proxy", "chp", "extraCommandLineFlags"),
)


def keeps_template(document: Recognised, settings: dict[str, Any], path: Path) -> bool:
    """A Helm template in z2jh values is a problem (passed on as literal text) unless the chart
    renders that value itself, or it sits outside z2jh's values (another subchart of an umbrella
    chart, which nblint does not read: that chart may render it)."""
    try:
        root, _ = _values_root(document, settings)
    except ValuesError:
        return True
    if path[: len(root)] != root:
        return False
    inside = path[len(root) :]
    return not any(
        inside[: len(key)] == key and len(inside) == len(key) + 1 and isinstance(inside[-1], int)
        for key in RENDERED_BY_CHART
    )


def _chosen_release(
    pin: Pin | None, document: Recognised, where: str
) -> tuple[str, tuple[str, str, Origin | None] | None]:
    """The chart version for values with no ``--chart-version``: the one the umbrella chart
    beside them pins (``pin``), else the newest. And what to say about it, as ``(rule, message,
    origin)`` (origin None: the values' own z2jh root, ``where``)."""
    newest = newest_chart_version()
    if pin is None:
        broken = unreadable(document.neighbours)
        if broken is None:
            return newest, None
        return newest, (
            CHOSEN,
            f"linted as z2jh {newest}, the newest release nblint knows: {broken.file} beside "
            f"these values, which may pin another, could not be read ({broken.problem})",
            None,
        )
    alias = f" (alias `{pin.key}`)" if pin.key != DEPENDENCY else ""
    dependency = f"the dependency `{DEPENDENCY}`{alias}"
    if pin.locked is not None and pin.lock is not None:
        wanted, source = pin.locked, f"{pin.lock.file} locks {dependency} at"
    elif pin.asked is not None:
        wanted, source = pin.asked, f"{pin.chart.file} pins {dependency} at"
    else:
        return newest, (
            CHOSEN,
            f"linted as z2jh {newest}, the newest release nblint knows, values at `{where}`: "
            f"{pin.chart.file} names {dependency} without a version",
            None,
        )
    known = chart_versions()
    knows = f"it knows {', '.join(known)}"
    fallback = (
        f"the values beside it were linted as {newest}, the newest; give the release with "
        "--chart-version"
    )
    plain = exact(wanted)
    if plain is not None:
        if plain in known:
            return plain, (
                CHOSEN,
                f"linted as z2jh {plain}, values at `{where}`: {source} {wanted}",
                None,
            )
        return newest, (
            UNKNOWN,
            f"{source} {wanted}, a z2jh release nblint does not know ({knows}); {fallback}",
            pin.origin(),
        )
    try:
        matching = newest_matching(wanted, known)
    except ConstraintError:
        return newest, (
            UNKNOWN,
            f"{pin.chart.file} asks for {dependency} at `{wanted}`, which is neither a version "
            f"nor a range Helm reads; {fallback}",
            pin.origin(),
        )
    if matching is None:
        return newest, (
            UNKNOWN,
            f"{pin.chart.file} asks for {dependency} in the range `{wanted}`, where nblint "
            f"knows no release ({knows}); {fallback}",
            pin.origin(),
        )
    lock = "Chart.lock" if pin.chart.name == "Chart.yaml" else "requirements.lock"
    return matching, (
        CHOSEN,
        f"linted as z2jh {matching}, values at `{where}`: {pin.chart.file} asks for "
        f"{dependency} in the range `{wanted}`, and {matching} is the newest release nblint "
        f"knows in it (no {lock} beside it says which release Helm installed)",
        None,
    )


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    from nblint.dialects.z2jh.validate import validate

    out = Normalised()
    unchecked = _deeper_root(document, settings) or _other_chart(document, settings)
    if unchecked is not None:
        out.reported.append(unchecked)
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


def _other_chart(document: Recognised, settings: dict[str, Any]) -> Reported | None:
    """Values for another JupyterHub chart (Bitnami's), by the chart beside them or their keys:
    said once, at their root, and not read as z2jh's."""
    from nblint.dialects.z2jh.other_charts import (
        from_other_repository,
        other_chart_keys,
        other_chart_message,
    )

    try:
        root, pin = _values_root(document, settings)
    except ValuesError:
        return None
    layers: list[tuple[str, Any]] = list(document.layers) or [(document.file, document.root)]
    if pin is not None and from_other_repository(pin.repository):
        message = other_chart_message([], root, pin.chart.file)
        file, values = next(
            ((f, d) for f, d in layers if get_path(d, root)[0]), (document.file, document.root)
        )
    else:
        # Values nothing else marks as z2jh's may sit under the chart's usual key.
        roots = [root, (SUBCHART_KEY,)] if not root else [root]
        found = [
            (f, d, r, k)
            for r in roots
            for f, d in layers
            if (k := other_chart_keys(get_path(d, r)[1]))
        ]
        if not found:
            return None
        file, values, root, keys = found[0]
        message = other_chart_message(keys, root)
    line, column = tree_position(values, root)
    return Reported(OTHER_CHART, message, Origin(file, line, column), VALUES_OBJECT)


def _spawn_failures(release: Release, pods: list[EffectivePod]) -> list[Reported]:
    """Values KubeSpawner would refuse when a user spawns (e.g. memory ``4Gi``), once for each
    profile whose spawns fail."""
    reported: list[Reported] = []
    seen: set[tuple[Any, str, str | None]] = set()
    for pod in pods:
        for problem in pod.facts.get("spawn_problems") or []:
            key = (tuple(problem.path), problem.message, pod.profile)
            if key in seen:
                continue
            seen.add(key)
            reported.append(
                Reported(
                    problem.rule,
                    problem.message,
                    release.locate(tuple(problem.path)),
                    VALUES_OBJECT,
                    fix=problem.fix,
                    fix_keys=release.fix_keys,
                    profile=pod.profile,
                )
            )
    return reported
