"""A z2jh release → its problems (as Helm and the hub would see them) and its user pods."""

from __future__ import annotations

import itertools

from nblint.dialects.z2jh.gitops import (
    ARGO_SET,
    FLEET_TARGET_FILES,
    FLUX_CHARTS,
    HELMFILE,
    HELMFILE_STATE_FILES,
    INSTALLER_FILES,
    ChartSource,
    Source,
    chart_source,
    flux_source,
    ignored_source,
    kind_of,
    referenced,
    repository_of,
)
from nblint.dialects.z2jh.gitops import sources as gitops_sources
from nblint.dialects.z2jh.platform import is_route
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
    Elsewhere,
    Pin,
    chart_itself,
    exact,
    handed_elsewhere,
    later_patches_only,
    nesting,
    nesting_locked,
    newest_matching,
    newest_patch_before,
    pins,
    unreadable,
)
from nblint.dialects.z2jh.values import (
    VALUES_OBJECT,
    Release,
    build_release,
    chart_versions,
    is_sops_metadata,
    newest_chart_version,
    placeholder_values,
    resolve_chart_version,
)
from nblint.dialects.z2jh.values_from import is_values_source
from nblint.load.provenance import tree_position
from nblint.model.document import Neighbour, Normalised, Recognised, RunIndex
from nblint.model.finding import NO_FIX, Reported
from nblint.model.pod import (
    CREATOR_FACT,
    EffectivePod,
    Origin,
    Path,
    format_path,
    get_path,
    quoted_place,
)
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable, placeholder_syntax, unknowable_on_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.load.yaml_tree import LoadProblem

#: The rule that says which chart version values were linted as, and why (info).
CHOSEN = "z2jh-chart-version"
#: The rule for a chart version nblint does not know, pinned beside the values (error).
UNKNOWN = "z2jh-unknown-chart-version"
#: What an UNKNOWN message says of a pinned release known to be older than any nblint knows:
#: its values are linted as the newest, but not by that one's values schema (:func:`older_pin`).
NOT_ITS_SCHEMA = "without its values schema, which is not the pinned release's"


def older_pin_advice() -> str:
    """What works for a pin older than every release nblint knows: ``--chart-version`` takes
    only a release nblint knows, so the pinned one cannot be given."""
    return (
        "no release nblint knows matches it: `--chart-version` takes only one it knows, such as "
        f"the oldest, {chart_versions()[0]}, whose keys and defaults are not the pinned "
        "release's (at your own risk)"
    )


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
        release, problems = build_release(
            layers, root, chart_version, indexes, neighbours=document.neighbours, version_known=True
        )
        _filled_by_jinja(release, layers)
        _unread_layers(release, document)
        return release, problems
    chart_version, said, known = _chosen_release(pin, document, format_path(root))
    if pin is None and said is None:
        nested = _nested_release(document, root, chart_version)
        if nested is not None:
            chart_version, said, known = nested
    release, problems = build_release(
        layers, root, chart_version, indexes, neighbours=document.neighbours, version_known=known
    )
    _filled_by_jinja(release, layers)
    _unread_layers(release, document)
    unreached = _unreached(document, settings, root, pin)
    if unreached:
        # Each file said to hold its values elsewhere is not also said to hold none.
        files = {reported.origin.file for reported in unreached}
        problems = [
            *unreached,
            *(p for p in problems if p.rule != "z2jh-values-root" or p.origin.file not in files),
        ]
    if said is not None:
        rule, message, origin = said
        problems.insert(0, Reported(rule, message, origin or release.locate(()), VALUES_OBJECT))
        release.older_pin = older_pin(said)
    return release, problems


#: The names of a Jinja template (an Ansible role's ``values.yaml.j2``): Jinja renders the file
#: before Helm reads it.
JINJA_SUFFIXES = (".j2", ".jinja", ".jinja2")


def _unread_layers(release: Release, document: Recognised) -> None:
    """The ``-f`` layers nblint could not read (encrypted with git-crypt; their own finding says
    so): values of the release it did not see, so a finding on a chart default names them and a
    fix whose effect they may undo is not safe (as a GitOps object's unread values)."""
    if not document.unread_layers:
        return
    named = ", ".join(f"`{file}`" for file in document.unread_layers)
    what = f"the values file(s) {named} (encrypted with git-crypt)"
    release.unread = f"{release.unread}; {what}" if release.unread else what
    unseen = f"{what}, which nblint did not read,"
    release.unseen = f"{release.unseen.removesuffix(',')} or {unseen}" if release.unseen else unseen


def _filled_by_jinja(release: Release, layers: list[tuple[str, Any]]) -> None:
    """Values whose file is named as a Jinja template: every ``{{ … }}`` that still parses as
    YAML (quoted) is a placeholder Jinja fills in, an unknown value (its checks skipped, said once
    per file: ``z2jh-unrendered-template``), never Helm's literal text. (A template YAML cannot
    read refuses the file: the loader's ``helm-template``, at that line.)"""
    if release.placeholders is None and any(file.endswith(JINJA_SUFFIXES) for file, _ in layers):
        release.placeholders = "Jinja (a `.j2` template)"


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
    elif found:
        # Helm hands the dependency only what sits under its key (and `global`): values written
        # elsewhere never reach z2jh (said by :func:`_unreached`), whose release is then its
        # chart's defaults.
        root = found[0].root
    else:
        root = _detected_root(layers)
    return root, pin or (found[0] if found else None)


def _detected_root(layers: list[tuple[str, Any]]) -> tuple[str, ...]:
    """Where z2jh's values sit in ``layers`` by their keys alone (the first layer that says)."""
    detected = (find_root(doc) for _, doc in layers)
    return next((found for found in detected if found is not None), ())


def _unreached(
    document: Recognised, settings: dict[str, Any], root: Path, pin: Pin | None
) -> list[Reported]:
    """Values beside an umbrella chart that depends on ``jupyterhub`` whose z2jh-looking
    sections sit outside the dependency's key (at the top level: ``singleuser:`` rather than
    ``jupyterhub.singleuser``): Helm hands a subchart only ``.Values.<alias or name>`` and
    ``global``, so they never reach z2jh. Said once per file, at its first such key; the release
    is linted as Helm builds it (what sits under the key, else the chart's defaults)."""
    if pin is None or settings.get("values_root") is not None or root != pin.root:
        return []
    from nblint.dialects.z2jh.umbrella import dependency_keys, unreached

    layers: list[tuple[str, Any]] = list(document.layers) or [(document.file, document.root)]
    others = dependency_keys(document.neighbours)
    said: list[Reported] = []
    for file, doc in layers:
        keys = unreached(doc, pin, others)
        if not keys:
            continue
        shown = ", ".join(f"`{key}`" for key in keys)
        key = pin.key
        alias = f" (alias `{key}`)" if key != DEPENDENCY else ""
        under = get_path(doc, pin.root)[0]
        linted = (
            f"only the values under `{key}` were linted as z2jh's"
            if under
            else f"nothing sits under `{key}`, so the release was linted as z2jh's chart defaults"
        )
        line, column = tree_position(doc, (keys[0],))
        said.append(
            Reported(
                "z2jh-values-root",
                f"{shown} at the top level of values for the chart beside them "
                f"({pin.chart.file}), which installs z2jh as its dependency `{DEPENDENCY}`"
                f"{alias}: Helm hands that dependency only `.Values.{key}` and `global`, so "
                f"{'they are' if len(keys) > 1 else 'it is'} the umbrella chart's own values "
                f"and never {'reach' if len(keys) > 1 else 'reaches'} z2jh; {linted}",
                Origin(file, line, column),
                VALUES_OBJECT,
                fix=(
                    f"If {shown} {'are' if len(keys) > 1 else 'is'} meant for z2jh, move "
                    f"{'them' if len(keys) > 1 else 'it'} under `{key}:` (indented one level)."
                ),
            )
        )
    return said


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
    chart, or values written for another JupyterHub chart, such as Bitnami's: nblint reads
    neither, and that chart may render it).

    A values string the normaliser parses in place (a literal block: an Argo CD ``helm.values``,
    a ConfigMap's or Secret's text a HelmRelease reads) has each of its templates said by
    :func:`_string_values`, at its own line: the loader's finding for the whole string would say
    the same problem a second time, at the ``|``."""
    if not document.layers and kind_of(document.root) in (ARGO_SET, HELMFILE):
        # Its generators (helmfile's templating) fill in every `{{ }}` of it, values included.
        return False
    if any(file.endswith(JINJA_SUFFIXES) for file, _ in document.layers or [(document.file, 0)]):
        return False  # Jinja fills in every `{{ }}` of it (:func:`_filled_by_jinja`)
    if not document.layers and is_values_source(document.root):
        # Said (or not) by the HelmRelease that reads the text; a ConfigMap no release reads
        # is skipped. A string that is not a literal block is not parsed: the loader says it.
        return not (len(path) == 2 and _parsed_in_place(document.root, path))
    found = [] if document.layers else gitops_sources(document.root)
    if any(not source.values_say_z2jh for source in found):
        # A `spec.chartRef` whose values do not say z2jh: only the run index says whose chart it
        # is, and templates are judged before it is built. Judged as a document no dialect
        # claims: every template is the input's.
        return True
    root: Path
    try:
        root, _ = _values_root(document, settings)
    except ValuesError:
        return True
    if found and settings.get("values_root") is None:
        # A GitOps object: the values of the jupyterhub chart it installs (the rest of it is
        # the object's, which its tool reads as written).
        source = next((s for s in found if path[: len(s.root)] == s.root), None)
        if source is None:
            return False
        if source.string and path == source.root and _parsed_in_place(document.root, path):
            return False
        root = source.root
        values = get_path(document.root, root)[1]
        if _gitops_other_chart(document, source, root, values) is not None:
            return False  # another chart's values (Bitnami's): read by nothing of nblint's
    if path[: len(root)] != root:
        return False
    if not found and _other_chart(document, settings) is not None:
        # Another chart's values (Bitnami's, said as z2jh-other-chart): nblint reads none of
        # them, and that chart renders some with `tpl` (Bitnami's `hub.configuration`).
        return False
    return not _rendered_by_chart(path[len(root) :])


def _rendered_by_chart(inside: Path) -> bool:
    """Whether the chart runs the value at ``inside`` (a path in z2jh's values) through
    ``tpl``: an item of one of :data:`RENDERED_BY_CHART`."""
    return any(
        inside[: len(key)] == key and len(inside) == len(key) + 1 and isinstance(inside[-1], int)
        for key in RENDERED_BY_CHART
    )


def _parsed_in_place(root: Any, path: Path) -> bool:
    """Whether the string at ``path`` of a loaded tree is a literal block (``key: |``): values
    written so are parsed with the file's own lines (:func:`_string_values`)."""
    _, parent = get_path(root, path[:-1])
    starts = getattr(parent, "block_start", None) or {}
    return path[-1] in starts


def _nested_release(
    document: Recognised, root: Path, chart_version: str
) -> tuple[str, tuple[str, str, Origin | None], bool] | None:
    """The release of values that sit under a chart beside them that nests z2jh itself (a
    daskhub or binderhub dependency): the one that chart's version brings when nblint's table
    knows it (:func:`_wrapper_release`), else ``chart_version`` (the newest), said so. With
    what to say of it and whether the release is known (see :func:`_chosen_release`)."""
    found = nesting(document.neighbours)
    if found is None:
        return None
    name, version, key, origin = found
    if root[:1] != (key,):
        return None
    pinned = f"{name} {version}" if version else name
    # What Helm installed, as the lock records it (a range's release), else the pin.
    locked = nesting_locked(document.neighbours, name)
    asked: str | None
    if locked is not None:
        asked, source = locked[0], f"{locked[1]} locks the dependency `{name}` at {locked[0]}"
    else:
        asked, source = version, f"{origin.file} pins the dependency `{name}` at {version}"
    if asked is not None:
        mapped = _wrapper_release(
            name,
            asked,
            source,
            origin,
            _values_at(format_path(root)),
            "the values beside it were linted as",
        )
        if mapped is not None:
            return mapped
    return (
        chart_version,
        (
            CHOSEN,
            f"linted as z2jh {chart_version}, the newest release nblint knows: {origin.file} "
            f"asks for {pinned}, which installs z2jh as a dependency of its own at the release "
            "that chart names, which nblint does not read; give --chart-version to lint them as "
            "that one",
            origin,
        ),
        False,
    )


def _wrapper_release(
    chart: str, version: str, source: str, origin: Origin, where: str, linted: str
) -> tuple[str, tuple[str, str, Origin | None], bool] | None:
    """The z2jh release that ``chart`` (daskhub, binderhub) at ``version`` installs, from
    ``schemas/z2jh/wrapper-versions.yaml``, judged as a pin of that release is
    (:func:`_pinned`: a release nblint does not know, 2.x, is an error); ``source`` says who
    asks for the chart at that version (``Chart.yaml pins the dependency `daskhub` at
    2024.1.1``). None when the table does not say (a range, a version it does not list)."""
    from nblint.dialects.z2jh.wrappers import installed

    plain = exact(version)
    found = installed(chart, plain, chart_versions()[0]) if plain is not None else None
    if found is None:
        return None
    brings = f"{source}, which installs z2jh as its own dependency `{DEPENDENCY}` at"
    if found.release is not None:
        return _pinned(found.release, brings, brings, origin, where, linted, "")
    newest = newest_chart_version()
    return (
        newest,
        (
            UNKNOWN,
            f"{brings} a release older than {found.older_than}, which nblint does not know "
            f"(it knows {', '.join(chart_versions())}); {linted} {newest}, the newest, "
            f"{NOT_ITS_SCHEMA}; {older_pin_advice()}",
            origin,
        ),
        False,
    )


def _older_than_known(version: str, known: tuple[str, ...]) -> bool:
    """Whether ``version`` (a plain version) sorts before the oldest release nblint knows."""
    from nblint.dialects.z2jh.wrappers import semver_key

    wanted, oldest = semver_key(version), semver_key(known[0]) if known else None
    return wanted is not None and oldest is not None and wanted < oldest


def older_pin(said: tuple[str, str, Origin | None] | None) -> bool:
    """Whether what nblint says of the chart version (``said``) is that the inputs pin a release
    older than any it knows: the values schema of the release linted is then not theirs, and
    what it refuses is no reason Helm would refuse theirs (:attr:`Release.older_pin`)."""
    return said is not None and said[0] == UNKNOWN and NOT_ITS_SCHEMA in said[1]


def _values_at(where: str) -> str:
    """How a chart-version message names the values it linted: at ``where`` (a path in them)."""
    return f"values at {quoted_place(where)}"


def _chosen_release(
    pin: Pin | None, document: Recognised, where: str
) -> tuple[str, tuple[str, str, Origin | None] | None, bool]:
    """The chart version for values with no ``--chart-version``: the one the umbrella chart
    beside them pins (``pin``), else the newest. And what to say about it, as ``(rule, message,
    origin)`` (origin None: the values' own z2jh root, ``where``), and whether the pin says the
    release is that one (or newer), rather than nblint taking its newest."""
    newest = newest_chart_version()
    if pin is None and (itself := chart_itself(document.neighbours)) is not None:
        return _chart_itself_release(*itself, where)
    if pin is None:
        broken = unreadable(document.neighbours)
        if broken is None:
            return newest, None, False
        return (
            newest,
            (
                CHOSEN,
                f"linted as z2jh {newest}, the newest release nblint knows: {broken.file} beside "
                f"these values, which may pin another, could not be read ({broken.problem})",
                None,
            ),
            False,
        )
    alias = f" (alias `{pin.key}`)" if pin.key != DEPENDENCY else ""
    dependency = f"the dependency `{DEPENDENCY}`{alias}"
    if pin.locked is not None and pin.lock is not None:
        wanted, source = pin.locked, f"{pin.lock.file} locks {dependency} at"
    elif pin.asked is not None:
        wanted, source = pin.asked, f"{pin.chart.file} pins {dependency} at"
    else:
        return (
            newest,
            (
                CHOSEN,
                f"linted as z2jh {newest}, the newest release nblint knows, {_values_at(where)}: "
                f"{pin.chart.file} names {dependency} without a version",
                None,
            ),
            False,
        )
    lock = "Chart.lock" if pin.chart.name == "Chart.yaml" else "requirements.lock"
    return _pinned(
        wanted,
        source,
        f"{pin.chart.file} asks for {dependency}",
        pin.origin(),
        _values_at(where),
        "the values beside it were linted as",
        f"no {lock} beside it says which release Helm installed",
    )


#: What chartpress writes as the version of z2jh's chart in git (a release carries its own).
CHARTPRESS = "set.by.chartpress"


def _chart_itself_release(
    chart: Neighbour, version: str, where: str
) -> tuple[str, tuple[str, str, Origin | None], bool]:
    """The release of values beside z2jh's chart itself (a vendored copy, the directory an Argo
    CD Application's ``path`` names): the version its ``Chart.yaml`` says, judged as a pin of it
    is (an unknown release is ``z2jh-unknown-chart-version``). A copy from z2jh's git says no
    release (chartpress fills the version in when it publishes one): linted as the newest."""
    line, column = tree_position(chart.root, ("version",))
    origin = Origin(chart.file, line, column)
    source = f"{chart.file} is z2jh's chart `{DEPENDENCY}` itself, at version"
    if CHARTPRESS in version.replace("-", "."):
        newest = newest_chart_version()
        return (
            newest,
            (
                CHOSEN,
                f"linted as z2jh {newest}, the newest release nblint knows, {_values_at(where)}: "
                f"{source} `{version}`, which chartpress replaces when it publishes a release "
                "(a copy of z2jh's git, not of a release); give the release it matches with "
                "--chart-version",
                origin,
            ),
            False,
        )
    return _pinned(
        version,
        source,
        f"{chart.file} is z2jh's chart `{DEPENDENCY}` itself",
        origin,
        _values_at(where),
        "the values beside it were linted as",
        "a chart's own version is no range",
    )


def _pinned(
    wanted: str,
    source: str,
    asks: str,
    origin: Origin,
    where: str,
    linted: str,
    range_note: str,
    filler: str | None = None,
) -> tuple[str, tuple[str, str, Origin | None], bool]:
    """The release of ``wanted`` (a version or a range), pinned by ``source`` (``Chart.yaml pins
    the dependency `jupyterhub` at``; ``asks``: the same for a range) at ``origin`` for the values
    ``where`` says (``values at `jupyterhub```: :func:`_values_at`), what to say about it, and
    whether it is known (see :func:`_chosen_release`: a range's newest match is a floor, Helm
    installing the newest release in it). A ``wanted`` that holds a placeholder
    (:func:`placeholder_syntax`: ``${var}`` of a Flux ``postBuild`` substitution, a template)
    pins nothing: said as an info, linted as the newest, wherever the version is written
    (``filler``: who fills a ``{{ }}`` in, when that is known)."""
    newest = newest_chart_version()
    syntax = placeholder_syntax(wanted)
    if syntax is not None:
        by = filler if filler is not None and syntax.startswith("a `{{") else None
        return (
            newest,
            (
                CHOSEN,
                f"linted as z2jh {newest}, the newest release nblint knows, {where}: {asks} at "
                f"`{wanted}`, {syntax} filled in {f'by {by} ' if by else ''}before the chart is "
                "installed, which pins no version; give the release it installs with "
                "--chart-version",
                origin,
            ),
            False,
        )
    known = chart_versions()
    knows = f"it knows {', '.join(known)}"
    fallback = (
        f"{linted} {newest}, the newest; --chart-version takes one of the releases it knows instead"
    )
    plain = exact(wanted)
    if plain is not None:
        if plain in known:
            return (
                plain,
                (CHOSEN, f"linted as z2jh {plain}, {where}: {source} {wanted}", None),
                True,
            )
        # A patch release (or a development build) newer than the newest of its minor release
        # nblint knows: the same series, judged by its nearest known release. Said as a note, not
        # an error: every patch release z2jh publishes would otherwise fail clean values in CI.
        nearest = newest_patch_before(plain, known)
        if nearest is not None:
            return (
                nearest,
                (
                    CHOSEN,
                    f"linted as z2jh {nearest}, {where}: {source} {wanted}, a later release of "
                    f"the {'.'.join(nearest.split('.')[:2])} series than nblint knows, so it is "
                    f"judged by {nearest}'s defaults, schema and hub image (an nblint that knows "
                    f"{plain} judges it exactly; --chart-version chooses another)",
                    None,
                ),
                True,
            )
        if _older_than_known(plain, known):
            fallback = f"{linted} {newest}, the newest, {NOT_ITS_SCHEMA}; {older_pin_advice()}"
        return (
            newest,
            (
                UNKNOWN,
                f"{source} {wanted}, a z2jh release nblint does not know ({knows}); {fallback}",
                origin,
            ),
            False,
        )
    try:
        matching = newest_matching(wanted, known)
    except ConstraintError:
        return (
            newest,
            (
                UNKNOWN,
                f"{asks} at `{wanted}`, which is neither a version nor a range Helm reads; "
                f"{fallback}",
                origin,
            ),
            False,
        )
    series = later_patches_only(wanted, known) if matching is None else None
    if series is not None:
        # `~4.4.1` when nblint knows 4.4.0: Helm installs a later patch of a series nblint knows.
        return (
            series,
            (
                CHOSEN,
                f"linted as z2jh {series}, {where}: {asks} in the range `{wanted}`, whose "
                f"releases are later patches of the {'.'.join(series.split('.')[:2])} series "
                f"than nblint knows, so it is judged by {series}'s defaults, schema and hub "
                "image (--chart-version chooses another)",
                None,
            ),
            True,
        )
    if matching is None:
        return (
            newest,
            (
                UNKNOWN,
                f"{asks} in the range `{wanted}`, where nblint knows no release ({knows}); "
                f"{fallback}",
                origin,
            ),
            False,
        )
    return (
        matching,
        (
            CHOSEN,
            f"linted as z2jh {matching}, {where}: {asks} in the range `{wanted}`, and "
            f"{matching} is the newest release nblint knows in it ({range_note})",
            None,
        ),
        True,
    )


def normalise(document: Recognised, index: RunIndex, settings: dict[str, Any]) -> Normalised:
    out = Normalised()
    if document.context:
        return out  # read from a context file for the index (a Flux source of the chart) only
    if is_route(document.root):
        out.declined.append(document.root)  # indexed only: a sign of OpenShift (.platform)
        return out
    if is_values_source(document.root) and not document.layers:
        _values_source(out, document, index)
        return out
    if not document.layers and _layered_by_an_installer(document, index):
        return out  # linted as a layer of the release that reads it (one finding, there)
    if not document.layers and _helmfile_state(document, index):
        out.declined.append(document.root)  # helmfile's own state: no chart's values
        return out
    if not document.layers and _a_file_named_in(document, index, FLEET_TARGET_FILES):
        # A layer of a Fleet bundle's release on the clusters a targetCustomization matches
        # only: said unread at the bundle, never a release of its own.
        out.declined.append(document.root)
        return out
    if not document.layers and _packed_only(document, index, out):
        return out
    if document.layers:
        # Another chart's Flux source given with -f (claimed for the index) is no layer.
        layered = _without_other_sources(document, out, index)
        if layered is None:
            return out
        document = layered
    if document.layers and any(_is_gitops(doc) for _, doc in document.layers):
        from nblint.dialects.z2jh.argo_namespace import problems as namespace_problems

        out.reported.extend(namespace_problems(document))
        _gitops_layers(out, document, settings, index)
        return out
    found = [] if document.layers else gitops_sources(document.root)
    ignored = None if document.layers else _ignored_source(document.file, document.root)
    if not document.layers and isinstance(document.root, dict) and "spec" in document.root:
        from nblint.dialects.z2jh.argo_namespace import managed_metadata
        from nblint.dialects.z2jh.argo_namespace import problems as namespace_problems

        out.reported.extend(namespace_problems(document))
        if not found and ignored is None and managed_metadata(document.root) is not None:
            # Claimed for the namespace it labels (indexed) only: it installs no z2jh chart.
            out.declined.append(document.root)
            return out
    if ignored is not None:
        out.reported.append(ignored)
        if not found:
            return out  # only the `spec.source` Argo CD ignores names the chart
    if found:
        # `--values-root` names one root: the object's first jupyterhub chart is read there.
        given = found[:1] if settings.get("values_root") is not None else found
        for chart in given:
            _argo_ref_layers(chart, document)
        belows = [_values_from(document, source, index) for source in given]
        resolved = [_z2jh_source(document, source, index) for source in given]
        said = [r for r in resolved if isinstance(r, Reported)]
        out.reported.extend(said)
        if not any(resolved):
            out.declined.append(document.root)
        for source, below in zip(resolved, belows, strict=True):
            if isinstance(source, Source):
                built = _gitops_release(document, source, settings, below)
                _lint(out, *built, index, settings, document.file)
        return out
    if not document.layers and (flux := flux_source(document.root)) is not None:
        # A Flux chart source: read for the HelmRelease that names it; another chart's is
        # claimed for the index only (so that such a HelmRelease is known not to be z2jh's).
        if flux.chart != DEPENDENCY:
            out.declined.append(document.root)
        return out
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
    if release is not None and release.namespace is None:
        # A chart directory an Argo CD Application of the inputs installs from git (its
        # `path`): the release lands in the Application's destination namespace.
        from nblint.dialects.z2jh.argo_namespace import path_source_namespace

        files = [file for file, _ in document.layers] if document.layers else [document.file]
        release.namespace = path_source_namespace(files, index)
    _lint(out, release, problems, index, settings, document.file)
    return out


def _lint(
    out: Normalised,
    release: Release | None,
    problems: list[Reported],
    index: RunIndex,
    settings: dict[str, Any],
    written_in: str,
) -> None:
    """``release`` checked as Helm and the hub would, and its pods built, into ``out``;
    ``written_in``: the file of the document that is the release (a kustomization or helmfile
    that names its values files, a GitOps object), beside its values files."""
    from nblint.dialects.z2jh.validate import validate

    out.reported.extend(problems)
    if release is None:
        return
    from nblint.dialects.z2jh.platform import openshift

    release.openshift = openshift(release, index, settings, written_in)
    out.reported.extend(validate(release))
    from nblint.dialects.z2jh.pods import build_pods

    other_scc = None
    if release.openshift is not None:
        from nblint.dialects.openshift import other_scc as granted_by

        file = release.files[0] if release.files else ""
        hub = _hub_service_account(release)

        def other_scc(spec: dict[str, Any], namespace: str | None) -> tuple[str, str | None] | None:
            granted = granted_by(spec, namespace, file, index, settings)
            if granted is not None:
                return granted, None
            if hub is None:
                return None
            # KubeSpawner creates the pod with the hub's ServiceAccount: admission tries the
            # SCCs its creator may use too.
            hub_spec = {"serviceAccountName": hub}
            granted = granted_by(hub_spec, release.namespace, file, index, settings)
            return None if granted is None else (granted, hub)

    pods = build_pods(release, other_scc)
    creator = _hub_user_name(release, settings)
    if creator is not None:
        for pod in pods:
            pod.facts[CREATOR_FACT] = creator
    refused = [pod for pod in pods if pod.facts.get("scc_refused")]
    out.pods.extend(pod for pod in pods if not pod.facts.get("scc_refused"))
    out.refused.extend(refused)  # the hub's settings are still checked on them
    out.reported.extend(_spawn_failures(release, pods))
    out.reported.extend(_scc_others(release, pods))
    out.reported.extend(_scc_refusals(release, refused))


def _hub_user_name(release: Release, settings: dict[str, Any]) -> tuple[str, str] | None:
    """Who creates the user pods, as the API server names the requester: the hub's
    ServiceAccount in the release's namespace (KubeSpawner calls the API with the hub pod's
    token), and how messages name it; None when the namespace or the account is not known."""
    namespace = release.namespace or settings.get("namespace")
    if not isinstance(namespace, str) or not namespace or is_unknowable(namespace):
        return None
    account = _hub_service_account(release)
    if account is None:
        return None
    return (
        f"system:serviceaccount:{namespace}:{account}",
        f"the hub's ServiceAccount {account} in namespace {namespace}",
    )


def _hub_service_account(release: Release) -> str | None:
    """The hub's ServiceAccount as the chart names it: ``hub.serviceAccount.name``, else (the
    chart creating it) the hub's full name, ``hub`` or ``FULLNAMEOVERRIDE-hub``, else
    ``default``; None when the values do not say (a chart without ``hub.serviceAccount``, a
    name the release's own name makes: ``fullnameOverride`` unset)."""
    account = get_path(release.values, ("hub", "serviceAccount"))[1]
    if not isinstance(account, dict):
        return None
    name = account.get("name")
    if isinstance(name, str) and name:
        return None if is_unknowable(name) else name
    if account.get("create") is False:
        return "default"
    if account.get("create") is not True:
        return None
    full = release.values.get("fullnameOverride")
    if full == "":
        return "hub"
    if isinstance(full, str) and not is_unknowable(full):
        return f"{full}-hub"
    return None


def _scc_others(release: Release, pods: list[EffectivePod]) -> list[Reported]:
    """``openshift-scc-other`` for each user pod of a release on OpenShift whose ServiceAccount
    the inputs let use another SCC (a binding, an SCC's own ``users:``/``groups:``), once per
    profile, at the line that names the ServiceAccount (else the nearest written): the pod is
    judged as written, not by restricted-v2."""
    from nblint.dialects.openshift import OTHER_SCC_FACT, other_scc_message
    from nblint.dialects.z2jh.pods import OTHER_SCC_CREATOR

    reported: list[Reported] = []
    for pod in pods:
        granted = pod.facts.get(OTHER_SCC_FACT)
        if not isinstance(granted, str) or release.openshift is None:
            continue
        where = pod.provenance.locate(("spec", "serviceAccountName"))
        reported.append(
            Reported(
                "openshift-scc-other",
                other_scc_message(
                    None,
                    release.openshift,
                    pod.spec,
                    granted,
                    creator=pod.facts.get(OTHER_SCC_CREATOR),
                ),
                Origin(where.file, where.line, where.column),
                VALUES_OBJECT,
                fix_keys=("z2jh",),
                profile=pod.profile,
            )
        )
    return reported


def _scc_refusals(release: Release, pods: list[EffectivePod]) -> list[Reported]:
    """What OpenShift's restricted-v2 SCC refuses in each user pod of a release on OpenShift, at
    the values line to edit, once per place and profile: such a pod is never created, so nothing
    else of it is checked (see :mod:`.platform`)."""
    from nblint.dialects.z2jh.platform import REFUSED, SCC_ASSUMPTION

    reported: list[Reported] = []
    seen: set[tuple[Any, ...]] = set()
    for pod in pods:
        for path, what in pod.facts["scc_refused"]:
            where = pod.provenance.locate(path)
            key = (where.file, where.line, what, pod.profile)
            if key in seen:
                continue
            seen.add(key)
            name = None
            if path[1] in ("initContainers", "containers", "ephemeralContainers"):
                name = pod.spec[path[1]][path[2]].get("name")
            reported.append(
                Reported(
                    "openshift-scc-refused",
                    f"OpenShift's restricted-v2 SCC refuses the user pod: {what}; {REFUSED}, so "
                    f"nothing else of the pod is checked ({release.openshift})",
                    where,
                    VALUES_OBJECT,
                    # The chart's own init container has a hint of its own (turn it off).
                    fix_keys=(*((f"z2jh:{name}",) if isinstance(name, str) else ()), "z2jh"),
                    profile=pod.profile,
                    assumption=SCC_ASSUMPTION,
                )
            )
    return reported


# ---------------------------------------------------------------------------------------------
# z2jh installed by a Flux HelmRelease or an Argo CD Application (see .gitops)

#: The rule for values a GitOps object layers that nblint did not read (info).
UNREAD = "z2jh-unread-values"
#: Marks the ``z2jh-unread-values`` at its origin as about a values file that is an input of the
#: run too (``Neighbour.given``), whose own finding says why it could not be read (a template):
#: said when the release is linted without it, dropped when nothing of the release is linted
#: (the template's finding is then all there is to say). Never reported.
_SAID_THERE = ""


def _gitops_release(
    document: Recognised,
    source: Source,
    settings: dict[str, Any],
    below: tuple[list[_FromLayer], list[Reported]] = ([], []),
) -> tuple[Release | None, list[Reported]]:
    """The release a GitOps object's ``jupyterhub`` chart stands for: its inline values over the
    chart's defaults (and over ``below``: the values of a HelmRelease's ``spec.valuesFrom`` of
    the inputs, with what reading them found), as the release the object pins; and what nblint
    must say about it (the version, what it did not read, values for another chart)."""
    layers, found = below
    unreadable = bool(found)
    there = {(r.origin.line, r.origin.column) for r in found if r.rule == _SAID_THERE}
    found = [r for r in found if r.rule != _SAID_THERE]
    # What to say when no release is linted: not what the inputs' own findings say.
    unlinted = [
        r for r in found if r.rule != UNREAD or (r.origin.line, r.origin.column) not in there
    ]
    under = [f for f in layers if not f.above]
    over = [f for f in layers if f.above]
    labels = ", ".join(f.label for f in layers)
    via = " (`spec.valuesFrom`)" if source.layers is None else ""
    order = None
    if source.layers is not None and layers:
        mine = f"`{format_path(source.root)}`"
        order = ", ".join([*(f.label for f in under), mine, *(f.label for f in over)])
    prepared, stop = _prepare(
        document, source, settings, read=[labels + via] if layers else [], order=order
    )
    if prepared is None:
        return None, [*unlinted, *stop]
    own = get_path(prepared.layer, prepared.root)[0]
    if unreadable and not layers and not own:
        # Its values are all in `valuesFrom` objects of the inputs that Flux cannot read (a key
        # they lack, text that is no values): the chart's defaults alone are no release.
        return None, [*unlinted, *prepared.problems]
    pinned: tuple[str, str, Origin | None] | None = None
    known = True
    if settings.get("chart_version"):
        chart_version = _given_version(settings)
    else:
        # The values the object writes itself, else those its `spec.valuesFrom` names.
        where = _values_at(prepared.where) if own or not layers else f"values from {labels}{via}"
        chart_version, pinned, known = _gitops_version(document, source, where)
    # Flux's order: each `valuesFrom` entry, then `spec.values` on top. A HelmRelease that writes
    # none keeps its values in those objects: no layer of its own, so that a hint goes where the
    # values are (shown there) rather than into a `spec.values` it never had.
    own = own or not layers
    read_only = prepared.read_only
    if own and source.kind == HELMFILE and not get_path(prepared.layer, prepared.root)[0]:
        read_only = "the release's `values` list, where they would be one more mapping"
    own_layer = [(document.file, prepared.layer, document.index)] if own else []
    release, built = build_release(
        [*((f.file, f.tree) for f in under), *((f, t) for f, t, _ in own_layer)]
        + [(f.file, f.tree) for f in over],
        prepared.root,
        chart_version,
        [*(f.index for f in under), *(i for _, _, i in own_layer), *(f.index for f in over)],
        subchart=False,
        unseen=prepared.unseen,
        views=[
            *((f.root, f.shown, f.read_only) for f in under),
            *([(prepared.root, prepared.shown, read_only)] if own else []),
            *((f.root, f.shown, f.read_only) for f in over),
        ],
        version_known=known,
        wrapper_chart=source.wrapper,
        dotted=frozenset(
            i
            for i, f in enumerate([*under, *own_layer, *over])
            if isinstance(f, _FromLayer) and f.dotted
        ),
    )
    release.namespace = source.release_namespace
    release.unread = prepared.unread
    if source.placeholders is not None:
        release.placeholders = source.placeholders
    if pinned is not None:
        rule, message, origin = pinned
        built.insert(0, Reported(rule, message, origin or release.locate(()), VALUES_OBJECT))
        release.older_pin = older_pin(pinned)
    return release, [*built, *found, *prepared.problems]


def _given_version(settings: dict[str, Any]) -> str:
    try:
        return resolve_chart_version(settings.get("chart_version"))
    except ValuesError:
        # The CLI refuses an unknown version; a programmatic caller gets the newest.
        return resolve_chart_version(None)


class _Prepared(Record):
    """A GitOps object's values, ready to be a layer of a release: the document they are read
    from (the object, or its values string parsed), where in it, how its hints are shown, and
    what to say about it."""

    __slots__ = ("layer", "problems", "read_only", "root", "shown", "unread", "unseen", "where")

    def __init__(
        self,
        layer: Any,
        root: Path,
        shown: Path,
        read_only: str | None,
        where: str,
        unseen: str | None,
        problems: list[Reported],
    ) -> None:
        self.layer = layer
        self.root = root
        self.shown = shown
        self.read_only = read_only
        self.where = where
        self.unseen = unseen
        self.problems = problems
        #: The layers of the object that nblint did not read, named (None: every one was read).
        self.unread: str | None = None


def _prepare(
    document: Recognised,
    source: Source,
    settings: dict[str, Any],
    before: list[str] | None = None,
    read: list[str] | None = None,
    order: str | None = None,
) -> tuple[_Prepared | None, list[Reported]]:
    """The values of ``source`` in the GitOps object ``document`` as a layer, or None and why
    there is nothing to lint (values for another chart, a string nblint cannot place, no values
    of its own). ``before``: the files of the ``-f`` layers below it, when it is one; ``read``:
    the ``spec.valuesFrom`` values of the inputs below it, named; ``order``: every layer read,
    its own among them, named in order (a kustomize chart entry's, a helmfile release's)."""
    file = document.file
    given = settings.get("values_root")
    try:
        root = parse_root(given) if given is not None else source.root
    except ValuesError as err:
        return None, [Reported("z2jh-values-root", str(err), Origin(file, 1, 1), VALUES_OBJECT)]
    where = format_path(root)
    shown_at = quoted_place(where)
    problems: list[Reported] = []
    written, values = get_path(document.root, root)
    if given is not None and not written:
        line, column = tree_position(document.root, root)
        problems.append(
            Reported(
                "z2jh-values-root",
                f"no z2jh values at {shown_at} in this file; it adds nothing to the release",
                Origin(file, line, column),
                VALUES_OBJECT,
            )
        )
    layer: Any = document.root
    layer_root = root
    read_only = None
    other = _gitops_other_chart(document, source, root, None)
    if other is None and source.string and given is None and written:
        parsed, said = _string_values(document, root, source.kind == ARGO_SET)
        problems.extend(said)
        if parsed is None:
            return None, problems
        layer, layer_root, values = parsed, (), parsed
        read_only = f"the values string at {shown_at}"
    other = other or _gitops_other_chart(document, source, root, values if written else None)
    if other is not None:
        return None, [other]
    if written and is_unknowable(values):
        # `spec.values: ${values}`: whatever is filled in may change every default, so no pod
        # built from the defaults alone would be the release's.
        line, column = tree_position(layer, layer_root)
        return None, [*problems, placeholder_values(where, values, Origin(file, line, column))]
    unseen = what = None
    if source.unread:
        first = source.unread[0][0]
        what = "; ".join(f"{text} (`{format_path(path)}`)" for path, text in source.unread)
        line, column = tree_position(document.root, first)
        below = f"{', '.join(before)} (the -f layers before it) and " if before else ""
        if read:
            below += f"{', '.join(read)} and "
        if order:
            below = f"{order}, over "
        advice = _values_from_advice(document, source)
        if not written or values is None or values == {}:
            if before or read:
                unread = "nblint was not given" if advice is not None else "nblint does not read"
                message = (
                    f"{source.describe()} writes no values of its own at {shown_at}: they come "
                    f"from {what}, which {unread}; linted: {below}the chart's "
                    "defaults, as the release it pins"
                )
            elif advice is not None:
                message = (
                    f"{source.describe()} writes no values of its own at {shown_at}: they come "
                    f"from {what}, which nblint was not given; nothing was checked ({advice[0]})"
                )
                if source.nesting is not None:
                    # A git path chart: z2jh's or not, the values were to say (`_unread_chart`).
                    message += f"; {source.describe()} {source.unversioned}"
                origin = Origin(file, line, column)
                return None, [Reported(UNREAD, message, origin, VALUES_OBJECT, fix=advice[1])]
            else:
                message = (
                    f"{source.describe()} writes no values of its own at {shown_at}: they come "
                    f"from {what}, which nblint does not read; nothing was checked (lint those "
                    "values with the release it pins, e.g. `nblint check --chart-version X FILE`)"
                )
                return None, [Reported(UNREAD, message, Origin(file, line, column), VALUES_OBJECT)]
        else:
            message = (
                f"{source.describe()} layers values that nblint did not read: {what}; the "
                f"values at {shown_at} were linted over {below}the chart's defaults, and the pods "
                "may differ"
            )
            if order:
                message = (
                    f"{source.describe()} layers values that nblint did not read: {what}; "
                    f"linted: {below}the chart's defaults, and the pods may differ"
                )
        fix = advice[1] if advice is not None else None
        problems.append(Reported(UNREAD, message, Origin(file, line, column), VALUES_OBJECT, fix))
    if source.unread or source.unreadable:
        unseen = f"{_unread_names(source)}, which nblint did not read,"
    shown = () if read_only else root
    prepared = _Prepared(layer, layer_root, shown, read_only, where, unseen, problems)
    if what is not None:
        from nblint.dialects.z2jh.installers import unread_sets

        sets = unread_sets(document.root, source)
        prepared.unread = f"{what}; {sets}" if sets else what
    if source.unreadable:
        prepared.unread = "; ".join(
            [
                *([prepared.unread] if prepared.unread else []),
                *(
                    f"{name} (`{format_path(path)}`), which could not be read"
                    for path, name in source.unreadable
                ),
            ]
        )
    return prepared, []


def _without_other_sources(
    document: Recognised, out: Normalised, index: RunIndex
) -> Recognised | None:
    """The ``-f`` release without the Flux chart sources of other charts among its layers
    (declined: skipped, as in any input), nor its ConfigMaps and Secrets (indexed for the
    ``spec.valuesFrom`` of a HelmRelease, which reads them; declined when none does); None when
    nothing else is left."""
    from nblint.dialects.z2jh.values_from import read_by_a_release

    layers = list(zip(document.layers, document.layer_documents, strict=False))
    other: set[int] = set()
    for i, ((file, doc), position) in enumerate(layers):
        if is_values_source(doc):
            other.add(i)
            if not read_by_a_release(Recognised(document.dialect, file, doc, position), index):
                out.declined.append(doc)
        elif (found := flux_source(doc)) is not None and found.chart != DEPENDENCY:
            other.add(i)
            out.declined.append(doc)
    if not other:
        return document
    kept = [entry for i, entry in enumerate(layers) if i not in other]
    if not kept:
        return None
    (file, root), position = kept[0]
    return Recognised(
        document.dialect,
        file,
        root,
        position,
        [layer for layer, _ in kept],
        layer_documents=[p for _, p in kept],
        neighbours=document.neighbours,
    )


def _is_gitops(document: Any) -> bool:
    """A GitOps object (or a Flux source of the chart) given as a ``-f`` layer (cheap)."""
    return kind_of(document) is not None or chart_source(document) is not None


def _gitops_layers(
    out: Normalised, document: Recognised, settings: dict[str, Any], index: RunIndex
) -> None:
    """A ``-f`` release one of whose layers is a GitOps object, linted into ``out``: one release
    (:func:`_gitops_release_of_layers`) for each ``jupyterhub`` chart of an object that installs
    several (an Argo CD Application with several such ``spec.sources``: each is a release of its
    own, with its own version and values), and for each combination when several objects do. A
    problem several of them find (in a layer they share) is said once. A Flux source of the
    chart is read for a ``spec.chartRef`` only; a HelmRelease whose ``spec.chartRef`` is not
    z2jh's (:func:`_z2jh_source`) is no layer: declined."""
    try:
        root, pin = _values_root(document, settings)
    except ValuesError as err:
        origin = Origin(document.file, 1, 1)
        out.reported.append(Reported("z2jh-values-root", str(err), origin, VALUES_OBJECT))
        return
    layers: list[tuple[Recognised, list[Source] | None]] = []
    #: By the id of each z2jh chart source: the layers of its HelmRelease's `spec.valuesFrom`.
    belows: dict[int, tuple[list[_FromLayer], list[Reported]]] = {}
    for (file, doc), position in zip(document.layers, document.layer_documents, strict=False):
        layer = Recognised(document.dialect, file, doc, position)
        if not _is_gitops(doc):
            layers.append((layer, None))
            continue
        ignored = _ignored_source(file, doc)
        if ignored is not None and ignored not in out.reported:
            out.reported.append(ignored)
        found = gitops_sources(doc)
        if not found:
            continue  # a Flux source of the chart (read for the index), or an ignored source
        if any(source.layers is not None for source in found):
            # A kustomization or a helmfile names its values files, its inline values and its
            # `set` values itself, in its tool's order: no values layer. Said once; the -f
            # release is not linted (its inline values alone, in the -f order, are not what
            # the tool hands Helm).
            out.reported.append(_installer_given_with_f(layer, found[0]))
            return
        # `--values-root` names one root: the object's first jupyterhub chart is read there.
        given = found[:1] if settings.get("values_root") is not None else found
        # A HelmRelease's `spec.valuesFrom` first: values of the inputs that say z2jh make a
        # `spec.chartRef` not among them z2jh's (as in a PATH).
        read = [_values_from(layer, s, index) if s.layers is None else ([], []) for s in given]
        resolved = [_z2jh_source(layer, s, index) for s in given]
        charts = [chart for chart in resolved if isinstance(chart, Source)]
        belows.update(
            (id(chart), below)
            for chart, below in zip(resolved, read, strict=True)
            if isinstance(chart, Source)
        )
        said = [r for r in resolved if isinstance(r, Reported)]
        out.reported.extend(said)
        if not charts:
            if not said:  # another chart's values that look like z2jh's are said, not skipped
                out.declined.append(doc)
            continue
        layers.append((layer, charts))
    choices = [charts for _, charts in layers if charts is not None]
    each = Normalised()
    for picked in itertools.product(*choices):
        _lint(
            each,
            *_gitops_release_of_layers(document, settings, root, pin, layers, picked, belows),
            index,
            settings,
            document.file,
        )
    out.pods.extend(each.pods)
    out.refused.extend(each.refused)
    for reported in each.reported:
        if reported not in out.reported:
            out.reported.append(reported)


def _gitops_release_of_layers(
    document: Recognised,
    settings: dict[str, Any],
    root: Path,
    pin: Pin | None,
    layers: list[tuple[Recognised, list[Source] | None]],
    picked: tuple[Source, ...],
    belows: dict[int, tuple[list[_FromLayer], list[Reported]]],
) -> tuple[Release | None, list[Reported]]:
    """The ``-f`` release of ``layers`` (values files, and GitOps objects with their z2jh
    charts), the objects installing the charts ``picked`` (one each, in order): each object adds
    the values of its chart where it stands in the ``-f`` order (the later layer wins, as Helm
    layers files) — a HelmRelease those of its ``spec.valuesFrom`` of the inputs, then its
    ``spec.values``, in Flux's order (``belows``) — and the last one says which release it is
    (unless ``--chart-version``)."""
    problems: list[Reported] = []
    files: list[tuple[str, Any]] = []
    views: list[tuple[Path, Path, str | None]] = []
    positions: list[int] = []
    last: tuple[Recognised, Source, _Prepared] | None = None
    sets = False
    unread: list[str] = []
    unseen: list[str] = []  # (what each GitOps layer did not read, for notes on chart defaults)
    charts = iter(picked)
    for layer, installs in layers:
        if installs is None:
            files.append((layer.file, layer.root))
            views.append((root, root, None))  # (shown under the umbrella's key, if any)
            positions.append(layer.index)
            continue
        source = next(charts)
        froms, found = belows.get(id(source), ([], []))
        problems.extend(found)
        read = [f.label for f in froms]
        prepared, stop = _prepare(layer, source, settings, [f for f, _ in files], read)
        if prepared is None:
            if any(p.rule == OTHER_CHART for p in stop):
                return None, stop  # the release is another chart's: none of it is z2jh's
            problems.extend(stop)
            continue
        for entry in froms:
            files.append((entry.file, entry.tree))
            views.append(((), (), entry.read_only))
            positions.append(entry.index)
        # One that writes no values of its own keeps them in those objects: no layer of its
        # own, so that a hint goes where the values are (as in a PATH).
        if get_path(prepared.layer, prepared.root)[0] or not froms:
            files.append((layer.file, prepared.layer))
            views.append((prepared.root, prepared.shown, prepared.read_only))
            positions.append(layer.index)
        problems.extend(prepared.problems)
        if prepared.unread is not None:
            unread.append(prepared.unread)
        if prepared.unseen is not None:
            unseen.append(prepared.unseen.removesuffix(", which nblint did not read,"))
        last = (layer, source, prepared)
        sets = sets or source.kind == ARGO_SET
    if not files:
        return None, problems
    said: tuple[str, str, Origin | None] | None = None
    known = True
    if settings.get("chart_version"):
        chart_version = _given_version(settings)
    elif last is not None:
        layer, source, prepared = last
        froms = belows.get(id(source), ([], []))[0]
        below = [f for f, _ in files if f != layer.file and f not in {b.file for b in froms}]
        # Its own values, else (none written) those of its `spec.valuesFrom`, else the -f
        # layers below it, which hold them.
        if get_path(prepared.layer, prepared.root)[0] or not (below or froms):
            where = _values_at(prepared.where)
        elif froms:
            where = f"values from {', '.join(f.label for f in froms)} (`spec.valuesFrom`)"
        else:
            where = f"values from the -f layers {', '.join(below)}"
        chart_version, said, known = _gitops_version(layer, source, where)
    else:
        where = format_path(root)
        chart_version, said, known = _chosen_release(pin, document, where)
    release, built = build_release(
        files,
        root,
        chart_version,
        positions,
        subchart=False if last is not None else None,
        unseen=f"{' or '.join(unseen)}, which nblint did not read," if unseen else None,
        views=views,
        version_known=known,
    )
    if sets:
        release.placeholders = "the ApplicationSet's generators"
    if unread:
        release.unread = "; ".join(unread)
    if last is not None:
        release.namespace = last[1].release_namespace
    if said is not None:
        rule, message, at = said
        built.insert(0, Reported(rule, message, at or release.locate(()), VALUES_OBJECT))
        release.older_pin = older_pin(said)
    return release, [*built, *problems]


#: The rule for a kustomization or a helmfile given as a ``-f`` values layer (info).
INSTALLER_LAYER = "z2jh-installer-as-layer"


def _installer_given_with_f(layer: Recognised, source: Source) -> Reported:
    """A kustomization or a helmfile given with ``-f``: it is no values file (it names its
    values layers and their order itself, which nblint reads from it given as a PATH)."""
    import os.path

    what = {"helmfile": "helmfile", "Fleet": "Fleet fleet.yaml"}.get(source.tool, "kustomization")
    line, column = tree_position(layer.root, source.where)
    name = os.path.basename(layer.file)
    return Reported(
        INSTALLER_LAYER,
        f"`-f {name}`: a {what} is not a values file: it names the values files, inline "
        f"values{' and `set` values' if what == 'helmfile' else ''} of {source.describe()} "
        "itself, in its own order, which nblint reads when it is given as a PATH; the -f "
        "release was not linted",
        Origin(layer.file, line, column),
        VALUES_OBJECT,
    )


#: The rule for an Argo CD `spec.source` written beside `spec.sources`, which Argo CD ignores.
IGNORED_SOURCE = "z2jh-ignored-source"


def _ignored_source(file: str, root: Any) -> Reported | None:
    """An Argo CD Application's ``spec.source`` that Argo CD ignores beside ``spec.sources``:
    said once, at it (nblint ignores it as Argo CD does, and an edit there changes nothing)."""
    found = ignored_source(root)
    if found is None:
        return None
    path, many, names_chart = found
    chart = f" (its chart `{DEPENDENCY}` included)" if names_chart else ""
    line, column = tree_position(root, path)
    return Reported(
        IGNORED_SOURCE,
        f"Argo CD ignores `{format_path(path)}` when `{format_path(many)}` lists any source: "
        f"nothing written under it{chart} is installed, and nblint linted none of it",
        Origin(file, line, column),
        VALUES_OBJECT,
    )


def _z2jh_source(document: Recognised, source: Source, index: RunIndex) -> Source | Reported | None:
    """``source`` as z2jh's chart, with a HelmRelease's ``spec.chartRef`` resolved through the
    run index; None when it is not z2jh's: the object it names is another chart's source of the
    inputs, or it is not among the inputs (or holds a chart nblint cannot name) and the values
    do not say z2jh. Values that say z2jh for another chart of the inputs: said, not linted."""
    if source.nesting is not None:
        return _unread_chart(document, source)
    if source.ref is None:
        if source.repository is None and source.repository_ref is not None:
            # A HelmRepository of the inputs whose url is another chart's repository
            # (Bitnami's): its `jupyterhub` is that chart (said by _gitops_other_chart).
            found = repository_of(source, index.get(FLUX_CHARTS))
            if found is not None:
                source.repository = found.repository
        return source
    found = referenced(source, index.get(FLUX_CHARTS))
    if found is not None and found.chart == DEPENDENCY:
        return _with_chart_of(document, source, found)
    if not source.values_say_z2jh:
        return None
    if found is None:
        # Not among the inputs: nblint cannot know the chart, so it lints only values that say
        # z2jh themselves (then its `unversioned` says the object is not among the inputs).
        return source
    if found.chart is not None:
        return _flux_other_chart(document, source, found)
    # Among the inputs, but its chart is a path of a git source: whose chart it is is unknown.
    resolved = _with_chart_of(document, source, found)
    resolved.unversioned = (
        f"takes its chart from the {found.kind} `{found.name}` (`spec.chartRef`, line "
        f"{found.line} of {_here(document, found)}), which {found.unnamed}: the chart and its "
        "version are unknown"
    )
    return resolved


def _unread_chart(document: Recognised, source: Source) -> Source | None:
    """An Argo CD git path source whose chart nblint cannot read (:func:`.gitops._git_path`): its
    release when its values (a ``$ref`` value file the run read, its inline values) say z2jh;
    when no ``$ref`` file was found among the inputs and the Application labels the namespace
    it creates, the release too, so that what it did not read is said (nothing is checked: no
    pod of that namespace is the release's); else None (another chart's, declined)."""
    if source.values_say_z2jh:
        return source
    from nblint.dialects.z2jh.argo_namespace import managed_metadata

    unread = {path for path, _ in source.unread}
    files = source.ref_files[0] if source.ref_files is not None else []
    _, inline = get_path(document.root, source.root)
    if inline or not files or any(path not in unread for path, _, _ in files):
        return None  # values nblint read that are not z2jh's
    return source if managed_metadata(document.root) is not None else None


def _here(document: Recognised, found: ChartSource) -> str:
    return "this file" if found.file == document.file else found.file


def _flux_other_chart(document: Recognised, source: Source, found: ChartSource) -> Reported:
    """A HelmRelease whose values look like z2jh's but whose ``spec.chartRef`` names a chart
    source of the inputs that holds another chart: said once, at the values, not linted."""
    line, column = tree_position(document.root, source.root)
    return Reported(
        OTHER_CHART,
        f"{source.describe()} takes its chart from the {found.kind} `{found.name}` "
        f"(`spec.chartRef`, line {found.line} of {_here(document, found)}), which holds the "
        f"chart `{found.chart}`, not z2jh's `{DEPENDENCY}`: the values at "
        f"`{format_path(source.root)}` look like z2jh values but are that chart's, which nblint "
        "does not model; none of them was checked",
        Origin(document.file, line, column),
        VALUES_OBJECT,
        fix=(
            f"If the {found.kind} is not the one meant, point `spec.chartRef` at the jupyterhub "
            "chart's source; to lint these values as z2jh's, save them to a file and run "
            "`nblint check FILE`."
        ),
    )


def _with_chart_of(document: Recognised, source: Source, found: ChartSource) -> Source:
    """A HelmRelease's ``spec.chartRef`` resolved to the chart source of the inputs it names
    (``found``): its version (and repository, and the values files nblint does not read)."""
    here = _here(document, found)
    named = f"the {found.kind} `{found.name}`"
    field = f"`{format_path(('spec', *found.version_key))}`"
    resolved = Source(
        source.kind,
        source.name,
        source.where,
        source.root,
        found.version,
        source.version_path,
        unread=list(source.unread),
        repository=found.repository,
        ref=source.ref,
        namespace=source.namespace,
        values_say_z2jh=source.values_say_z2jh,
        release_namespace=source.release_namespace,
    )
    resolved.field = f"`spec.chartRef` → {field} of {named}, line {found.line} of {here}"
    if found.unversioned is not None:
        resolved.unversioned = (
            f"takes its chart from {named} (`spec.chartRef`), which {found.unversioned}"
        )
    if found.unread is not None:
        resolved.unread.insert(0, (source.where, f"{found.unread} of {named}"))
    return resolved


def _unread_names(source: Source) -> str:
    """What the note of a finding on a chart default names as what may override it: the layers
    nblint did not read (by their place) and the values files it could not read (by name too)."""
    return " or ".join(
        [
            *(f"`{format_path(path)}`" for path, _ in source.unread),
            *(f"{name} (`{format_path(path)}`)" for path, name in source.unreadable),
        ]
    )


def _gitops_version(
    document: Recognised, source: Source, where: str
) -> tuple[str, tuple[str, str, Origin | None], bool]:
    """The release a GitOps object pins for its ``jupyterhub`` chart, what to say of it (``where``:
    which values, :func:`_values_at` or where they come from), and whether the pin says which
    release it is (see :func:`_pinned`)."""
    line, column = tree_position(document.root, source.version_path)
    origin = Origin(document.file, line, column)
    field = source.field
    chart = f"{source.describe()} asks for the chart `{DEPENDENCY}`"
    if source.wrapper is not None and source.wrapper_version is not None:
        mapped = _wrapper_release(
            source.wrapper,
            source.wrapper_version,
            f"{source.describe()} installs the chart `{source.wrapper}` ({field}) at "
            f"{source.wrapper_version}",
            origin,
            where,
            "its values were linted as",
        )
        if mapped is not None:
            chosen, (rule, message, at), known = mapped
            return chosen, (rule, message, at or origin), known
    if source.version is None:
        newest = newest_chart_version()
        plain = source.unversioned == f"names the chart `{DEPENDENCY}` without a version"
        # At the chart's name, else at what says why no version is known (a digest).
        place = (*source.where, source.chart_key) if plain else source.version_path
        line, column = tree_position(document.root, place)
        why = (
            f"{source.unversioned} ({field})"
            if plain
            else f"{source.unversioned}; give the release it installs with --chart-version"
        )
        return (
            newest,
            (
                CHOSEN,
                f"linted as z2jh {newest}, the newest release nblint knows, {where}: "
                f"{source.describe()} {why}",
                Origin(document.file, line, column),
            ),
            False,
        )
    installs = source.tool
    chosen, (rule, message, at), known = _pinned(
        source.version,
        f"{source.describe()} pins the chart `{DEPENDENCY}` ({field}) at",
        f"{chart} ({field})",
        origin,
        where,
        "its values were linted as",
        f"{installs} installs the newest release of the repository in it, which may be newer",
        source.placeholders,
    )
    # Said at the line that pins it: the object's own, in the file linted.
    return chosen, (rule, message, at or origin), known


def _gitops_other_chart(
    document: Recognised, source: Source, root: Path, values: Any
) -> Reported | None:
    """A GitOps object that installs another chart named ``jupyterhub`` (Bitnami's): by the
    repository the object names, or by the keys of its values. Said once, at the values (else at
    the repository), and not read as z2jh's."""
    from nblint.dialects.z2jh.other_charts import (
        from_other_repository,
        other_chart_keys,
        other_chart_message,
    )

    at = root
    if from_other_repository(source.repository):
        message = other_chart_message([], root, source.describe())
        if get_path(document.root, root)[1] is None:
            at = (*source.where, source.repo_key)
    else:
        keys = other_chart_keys(values)
        if not keys:
            return None
        message = other_chart_message(keys, root)
    line, column = tree_position(document.root, at)
    return Reported(OTHER_CHART, message, Origin(document.file, line, column), VALUES_OBJECT)


#: The rules of the problems the loader finds in a values string (as the run's own map).
_STRING_PROBLEMS = {
    "duplicate-key": "duplicate-key",
    "unsafe-tag": "unsafe-yaml-tag",
    "too-large": "input-too-large",
    "helm-template": "helm-template",
    "sops-partly-encrypted": "sops-partly-encrypted",
}


def _string_values(
    document: Recognised,
    root: Path,
    placeholders: bool = False,
    instead: str = ", or as `valuesObject`",
) -> tuple[Any, list[Reported]]:
    """The values an object gives as a YAML string (Argo CD's ``helm.values``), parsed by the
    loader and placed in the file: a literal block (``values: |``) holds the file's own lines,
    so every position inside it is the file's. Any other string (folded, quoted) is said not to
    be checked rather than placed roughly. ``(tree or None, problems)``."""
    from nblint.load.yaml_tree import parse_documents

    file = document.file
    _, parent = get_path(document.root, root[:-1])
    key = root[-1]
    text = parent.get(key)
    key_line, key_column = tree_position(document.root, root)
    if not _parsed_in_place(document.root, root):
        return None, [
            Reported(
                UNREAD,
                f"values given as a string are not checked: `{format_path(root)}` is not a "
                f"literal block (`{root[-1]}: |`), whose lines nblint could point at; write it "
                f"as one{instead}",
                Origin(file, key_line, key_column),
                VALUES_OBJECT,
            )
        ]
    start_line, start_column = parent.block_start[key]
    lines, columns = start_line - 1, start_column - 1
    documents, problems = parse_documents(text)
    tree = documents[0].root if documents else None
    if placeholders and any(p.kind == "helm-template" for p in problems):
        # An ApplicationSet's generators fill in its `{{ }}`: text that is YAML only then.
        return None, [
            Reported(
                UNREAD,
                f"the values string at `{format_path(root)}` is YAML only once the "
                "ApplicationSet's generators fill in its `{{ }}` placeholders: not checked "
                "(quote each placeholder, or lint a generated Application)",
                Origin(file, key_line, key_column),
                VALUES_OBJECT,
            )
        ]
    said = [
        Reported(
            _STRING_PROBLEMS.get(problem.kind, "parse-error"),
            problem.message,
            Origin(file, problem.line + lines, problem.column + columns),
            VALUES_OBJECT,
        )
        for problem in [*problems, *(p for d in documents[:1] for p in d.problems)]
        if problem.kind != "not-a-mapping"  # said below, as for values in the file
        and not (placeholders and problem.kind == "helm-template")
        and not _rendered_template(tree, problem)
    ]
    if tree is None and not problems:
        tree = _empty(key_line, key_column)
    if isinstance(tree, str) and is_unknowable(tree):
        # `values: |` holding only `${user_values_yaml}`: Terraform (or envsubst) writes the
        # YAML in before Argo CD reads it.
        origin = Origin(file, key_line, key_column)
        return None, [*said, placeholder_values(format_path(root), tree, origin)]
    if not isinstance(tree, dict):
        if tree is not None or not said:
            said.append(
                _not_a_mapping(format_path(root), "helm", Origin(file, key_line, key_column))
            )
        return None, said
    _shift(tree, lines, columns, (key_line, key_column))
    return tree, said


def _rendered_template(tree: Any, problem: LoadProblem) -> bool:
    """Whether ``problem`` is a Helm template in a value of ``tree`` (parsed values) that the
    chart renders itself (as :func:`keeps_template` judges one in a values file)."""
    from nblint.load.provenance import path_at

    return (
        problem.kind == "helm-template"
        and isinstance(tree, dict)
        and _rendered_by_chart(path_at(tree, problem.line, problem.column))
    )


def _empty(line: int, column: int) -> Any:
    from nblint.load.yaml_tree import YMap

    return YMap((line, column))


def _shift(node: Any, lines: int, columns: int, top: tuple[int, int]) -> None:
    """Move every position of a tree parsed from a block's text to the file's coordinates; the
    tree itself (what no key of it holds) to ``top``, the key of the string."""
    from nblint.load.yaml_tree import YList, YMap

    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, YMap):
            here.pos = (here.pos[0] + lines, here.pos[1] + columns)
            here.key_pos = {k: (p[0] + lines, p[1] + columns) for k, p in here.key_pos.items()}
            if here.block_start:
                here.block_start = {
                    k: (line + lines, column + columns)
                    for k, (line, column) in here.block_start.items()
                }
            stack.extend(here.values())
        elif isinstance(here, YList):
            here.pos = (here.pos[0] + lines, here.pos[1] + columns)
            here.item_pos = [(p[0] + lines, p[1] + columns) for p in here.item_pos]
            stack.extend(here)
    if isinstance(node, YMap):
        node.pos = top


# ---------------------------------------------------------------------------------------------
# A Flux HelmRelease's `spec.valuesFrom`: the ConfigMaps and Secrets of the inputs (.values_from)


class _FromLayer(Record):
    """The values one ``spec.valuesFrom`` entry adds, read from a ConfigMap or Secret of the
    inputs: a layer below ``spec.values``, whose hints are shown, never applied (a string)."""

    __slots__ = ("above", "dotted", "file", "index", "label", "read_only", "root", "shown", "tree")

    def __init__(
        self,
        file: str,
        index: int,
        tree: Any,
        label: str,
        read_only: str | None,
        root: Path = (),
        shown: Path = (),
        above: bool = False,
    ) -> None:
        self.file = file
        #: The object's position in its file.
        self.index = index
        #: The values, every position the file's (inside a literal block) or the key's.
        self.tree = tree
        #: How messages name it: ``the `values.yaml` of ConfigMap `hub` (hub.yaml)``.
        self.label = label
        #: Why its hints are shown and never applied (see ``values._Layer.read_only``); None:
        #: a values file of its own, where they are written.
        self.read_only = read_only
        #: Where z2jh's values sit in :attr:`tree`, and the keys its hints are shown under.
        self.root = root
        self.shown = shown
        #: Layered over the object's own values (a helmfile's later values file), not below.
        self.above = above
        #: One value set by its dotted name (a helmfile ``set`` entry).
        self.dotted = False


def _values_source(out: Normalised, document: Recognised, index: RunIndex) -> None:
    """A ConfigMap or Secret, claimed for the index only: read by the HelmRelease that names
    it; one that no HelmRelease of the inputs names is counted as skipped, as before."""
    from nblint.dialects.z2jh.values_from import read_by_a_release

    if not read_by_a_release(document, index):
        out.declined.append(document.root)


def _values_from(
    document: Recognised, source: Source, index: RunIndex
) -> tuple[list[_FromLayer], list[Reported]]:
    """The layers of a HelmRelease's ``spec.valuesFrom`` that the inputs hold, in Flux's order,
    and what reading them found. Each entry read leaves ``source.unread``; each one not among
    the inputs stays there, named on its own (``spec.valuesFrom[1]``)."""
    from nblint.dialects.z2jh.root import evidence
    from nblint.dialects.z2jh.values_from import find, refs, release_namespace

    if source.layers is not None:
        return _installer_layers(document, source)
    if source.kind != "HelmRelease" or not any(
        path == ("spec", "valuesFrom") for path, _ in source.unread
    ):
        return [], []
    namespace = release_namespace(document.root)
    layers: list[_FromLayer] = []
    problems: list[Reported] = []
    unread: list[tuple[Path, str]] = []
    for ref in refs(document.root):
        found = find(ref, namespace, index)
        if found is None:
            optional = " (optional)" if ref.optional else ""
            elsewhere = find(ref, None, index)
            if elsewhere is not None and elsewhere.namespace is not None:
                # Flux reads the HelmRelease's namespace only.
                optional += (
                    f" (the inputs hold one in namespace `{elsewhere.namespace}`, not in the "
                    f"HelmRelease's `{namespace}`)"
                )
            unread.append((ref.path, f"the {ref.describe()}{optional}"))
            continue
        if ref.optional and found.text(ref.key) is None:
            continue  # Flux skips it
        layer, said, why = _from_layer(document, ref, found)
        problems.extend(said)
        if layer is not None:
            layers.append(layer)
            # Values of the inputs that say z2jh make a `spec.chartRef` not among them z2jh's,
            # as the HelmRelease's own would (see `_z2jh_source`).
            source.values_say_z2jh = source.values_say_z2jh or evidence(layer.tree) > 0
        elif why is not None:  # values Flux reads that nblint cannot: named with the others
            # (at the entry's `valuesKey` or `targetPath`: found among the inputs, not missing)
            key = "targetPath" if ref.target is not None else "valuesKey"
            unread.append(((*ref.path, key), f"the {ref.describe()} ({why})"))
    at = next(i for i, (path, _) in enumerate(source.unread) if path == ("spec", "valuesFrom"))
    source.unread[at : at + 1] = unread
    return layers, problems


def _layered_by_an_installer(document: Recognised, index: RunIndex) -> bool:
    """Whether ``document`` is a values file that a kustomization or a helmfile of the inputs
    layers into its z2jh release (:data:`INSTALLER_FILES`): the run reads it there, as that
    release's layer, where each finding in it is said once."""
    return _a_file_named_in(document, index, INSTALLER_FILES)


def _a_file_named_in(document: Recognised, index: RunIndex, key: str) -> bool:
    """Whether ``document`` is the plain values file (no object) that a file of the inputs names
    under run-index ``key``."""
    import os.path

    named = index.get(key)
    return (
        bool(named)
        and document.index == 0
        and kind_of(document.root) is None
        and os.path.abspath(document.file) in named
    )


def _helmfile_state(document: Recognised, index: RunIndex) -> bool:
    """Whether ``document`` is helmfile's own state, not z2jh values: a helmfile document that
    holds only its ``environments`` or ``bases`` (claimed to be indexed), or a file a helmfile of
    the inputs names as an environment's values (:data:`HELMFILE_STATE_FILES`), which helmfile
    reads for its templates (``.Values``, ``.StateValues``) and never hands Helm."""
    from nblint.dialects.z2jh.gitops import is_helmfile_state

    if isinstance(document.root, dict) and kind_of(document.root) == HELMFILE:
        return is_helmfile_state(document.root)
    return _a_file_named_in(document, index, HELMFILE_STATE_FILES)


def _packed_only(document: Recognised, index: RunIndex, out: Normalised) -> bool:
    """A kustomization that generates ConfigMaps or Secrets and installs no z2jh chart itself
    (claimed for the index only: declined, counted as skipped); or a values file one of its
    generators packs for a HelmRelease of the inputs (:mod:`.generators`), linted as that
    release's layer only (each finding there once): nothing to lint of its own."""
    from nblint.dialects.z2jh.values_from import PACKED, packed_for_a_release

    root = document.root
    if isinstance(root, dict) and ("configMapGenerator" in root or "secretGenerator" in root):
        from nblint.dialects.z2jh.generators import has_generators

        if has_generators(root) and not gitops_sources(root):
            out.declined.append(root)
            return True
    packed = bool(index.get(PACKED)) and kind_of(root) is None
    return packed and packed_for_a_release(document, index)


def _installer_layers(
    document: Recognised, source: Source
) -> tuple[list[_FromLayer], list[Reported]]:
    """The layers of a kustomize chart entry or a helmfile release (:attr:`Source.layers`) other
    than its inline values at ``source.root``, in the tool's order, each marked below or above
    those: the values files the run read beside the file (``Dialect.references``), its other
    inline mappings, its literal ``set`` values. A file that is not there is named unread, as a
    HelmRelease's ``valuesFrom`` object that is not among the inputs."""
    from nblint.dialects.z2jh.installers import FILE, INLINE
    from nblint.dialects.z2jh.values_from import target_values

    wrapped = _wrapped_key(source)
    own = source.root[: len(source.root) - len(wrapped)]
    beside = {n.name: n for n in document.neighbours}
    layers: list[_FromLayer] = []
    problems: list[Reported] = []
    unread: list[tuple[Path, str]] = []
    above = False
    for layer in source.layers or ():
        line, column = tree_position(document.root, layer.path)
        made: _FromLayer | None = None
        if layer.kind == INLINE:
            if layer.path == own:
                above = True  # the object's own values: what follows is layered over them
                continue
            root = (*layer.path, *wrapped)
            label = f"`{format_path(layer.path)}`"
            made = _FromLayer(document.file, document.index, document.root, label, None, root, root)
        elif layer.kind == FILE:
            found = beside.get(layer.file)
            argo = layer.name is not None  # an Argo CD `$ref/path` file, named so
            if found is None and argo:
                rest = layer.file.split("/", 1)[1]
                unread.append(
                    (
                        layer.path,
                        f"the value file {layer.name}, not among the inputs (no input's path "
                        f"ends with `{rest}`)",
                    )
                )
            elif found is None:
                unread.append((layer.path, f"the values file `{layer.file}`, not found beside it"))
            elif found.candidates:
                unread.append(
                    (
                        layer.path,
                        f"the value file {layer.name}, which {len(found.candidates)} inputs may "
                        f"be ({', '.join(found.candidates)}: nblint does not guess which)",
                    )
                )
            elif found.problem is not None:
                # An input too, its own finding says why, at the template's line; this one says,
                # once, that the release was linted without it: checked alone or in a walk.
                source.unreadable.append((layer.path, f"the values file `{layer.file}`"))
                if found.given:
                    problems.append(Reported(_SAID_THERE, "", Origin(document.file, line, column)))
                message = (
                    f"the values file `{layer.file}` ({found.file}) that {source.describe()} "
                    f"layers could not be read ({found.problem}); nothing of it was read"
                )
                origin = Origin(document.file, line, column)
                problems.append(Reported(UNREAD, message, origin, VALUES_OBJECT))
            elif isinstance(found.root, dict):
                if not found.given and is_sops_metadata("sops", found.root.get("sops")):
                    message = (
                        f"the values file `{layer.file}` ({found.file}) that "
                        f"{source.describe()} layers is sops-encrypted: its keys and plaintext "
                        "were read, not its encrypted values (`ENC[…]`), which nblint cannot know"
                    )
                    origin = Origin(document.file, line, column)
                    problems.append(Reported(UNREAD, message, origin, VALUES_OBJECT))
                label = f"`{found.file}`"
                made = _FromLayer(found.file, 0, found.root, label, None, wrapped, wrapped)
            elif found.root is not None:
                problems.append(_not_a_mapping(layer.file, source.tool, Origin(found.file, 1, 1)))
        else:
            made = _set_layer(document, layer, (line, column), target_values)
            if made is None:
                unread.append((layer.path, f"the `{layer.path[-2]}` entry `{layer.name}`"))
        if made is not None:
            made.above = above
            layers.append(made)
    # Named in the file's order, the first where the finding is said.
    source.unread = sorted(
        [*unread, *source.unread], key=lambda entry: tree_position(document.root, entry[0])
    )
    return layers, problems


def _argo_ref_layers(source: Source, document: Recognised) -> None:
    """An Argo CD source's ``$ref/path`` value files (:attr:`Source.ref_files`) as the layers of
    its release, as an installer's (:attr:`Source.layers`): each file below the inline values,
    in ``helm.valueFiles`` order (Argo CD's precedence: ``valuesObject`` > ``values`` >
    ``valueFiles``), read where the run found the one input whose path ends with its path; its
    other value files stay unread. Not for a ``-f`` layer: there the files given are the layers."""
    if source.ref_files is None or source.layers is not None:
        return
    from nblint.dialects.z2jh.installers import FILE, INLINE, Layer
    from nblint.model.document import INPUT_SUFFIX

    files, other = source.ref_files
    if source.nesting is not None:
        _nesting(source, document)
    wrapped = _wrapped_key(source)
    own = source.root[: len(source.root) - len(wrapped)]
    source.layers = [
        Layer(FILE, path, file=INPUT_SUFFIX + rest, name=label) for path, label, rest in files
    ]
    source.layers.append(Layer(INLINE, own))
    at = files[0][0][:-1]  # helm.valueFiles
    named = [(path, text) for path, text in source.unread if path == at]
    if named:
        i = source.unread.index(named[0])
        source.unread[i : i + 1] = [(at, other)] if other is not None else []


def _wrapped_key(source: Source) -> Path:
    """Where z2jh's values sit in each values layer of ``source``'s chart: under ``jupyterhub``
    for a wrapper chart (daskhub, binderhub), where its values show it for a chart nblint cannot
    read (:attr:`Source.nesting`), else at the top."""
    if source.nesting is not None:
        return source.nesting
    return (SUBCHART_KEY,) if source.wrapper else ()


def _nesting(source: Source, document: Recognised) -> None:
    """For a chart nblint cannot read: where z2jh sits in its values, as the ``$ref`` value
    files the run read (else the inline values) show it (as for a values file linted on its
    own: :func:`.root.find_root`), and whether they say z2jh at all."""
    assert source.ref_files is not None
    from nblint.model.document import INPUT_SUFFIX

    names = {INPUT_SUFFIX + rest for _, _, rest in source.ref_files[0]}
    layers = [n.root for n in document.neighbours if n.name in names and not n.candidates]
    layers.append(get_path(document.root, source.root)[1])
    found = next((r for r in map(find_root, layers) if r is not None), None)
    if found is not None:
        source.nesting = found
        source.root = (*source.root, *found)
        source.values_say_z2jh = True


def _set_layer(
    document: Recognised, layer: Any, pos: tuple[int, int], target_values: Any
) -> _FromLayer | None:
    """A helmfile ``set``/``setString`` entry's one value, as ``helm --set`` (``--set-string``)
    sets it, every key at the entry's line; None when nblint does not parse it as Helm would."""
    key = str(layer.path[-2])
    text = layer.text
    if layer.string:
        if '"' in text:
            return None
        text = f'"{text}"'  # kept as text, as `--set-string` keeps it
    tree = target_values(layer.name, text, pos)
    if tree is None:
        return None
    label = f"`{key}` `{layer.name}`"
    shown = f"the `{key}` entry `{layer.name}` (a dotted name and a text, not a mapping)"
    made = _FromLayer(document.file, document.index, tree, label, shown)
    made.dotted = True
    return made


def _from_layer(
    document: Recognised, ref: Any, found: Any
) -> tuple[_FromLayer | None, list[Reported], str | None]:
    """The values ``ref`` takes from ``found`` (a ConfigMap or Secret of the inputs), placed in
    its file: a literal block's lines are the file's (as an Argo CD values string's), base64
    data and a ``targetPath`` value are placed at their key. And what is wrong with them; and
    when Flux reads values there that nblint cannot (sops, a ``targetPath`` nblint does not
    parse as Helm would), why, for the entry to be named unread."""
    from nblint.dialects.z2jh.values_from import at_one_place, decoded, target_values
    from nblint.load.yaml_tree import parse_documents
    from nblint.model.unknowable import sops_pattern

    label = f"the {ref.describe()} ({found.file})"
    read_only = f"the `{ref.key}` string of {found.describe()} ({found.file})"
    ref_line, ref_column = tree_position(document.root, ref.path)
    here = Origin(document.file, ref_line, ref_column)
    if found.packed is not None and ref.key in found.packed:
        return _packed_layer(ref, found, found.packed[ref.key], here)
    entry = found.text(ref.key)
    if entry is None and found.envs:
        return None, [], f"{found.file} generates it from env files too, which nblint does not read"
    if entry is None:
        section = "`data` or `stringData`" if found.kind == "Secret" else "`data`"
        message = (
            f"{found.describe()} of the inputs ({found.file}) has no key `{ref.key}` in its "
            f"{section}: Flux fails this release (key not found) unless the entry is "
            "`optional: true`; nothing of it was read"
        )
        if found.packed is not None:
            message = (
                f"the {found.describe()} that {found.file} generates has no key `{ref.key}` "
                "(its `files` and `literals`): Flux fails this release (key not found) unless "
                "the entry is `optional: true`; nothing of it was read"
            )
        return None, [Reported(UNREAD, message, here, VALUES_OBJECT)], None
    where, text = entry
    line, column = tree_position(found.texts, where)
    if found.encoded(where):
        plain = decoded(text)
        if plain is None:
            message = (
                f"`{where[0]}.{ref.key}` of {found.describe()} ({found.file}) is not base64 of "
                "text: the API server refuses the Secret; nothing of it was read"
            )
            origin = Origin(found.file, line, column)
            return None, [Reported(UNREAD, message, origin, VALUES_OBJECT)], None
        text = plain
    if sops_pattern().match(text.strip()):
        return None, [], "encrypted with sops"
    if ref.target is not None:
        tree = target_values(ref.target, text, (line, column))
        if tree is None:
            return None, [], "a `targetPath` value nblint does not parse as Helm would"
        return _FromLayer(found.file, found.index, tree, label, read_only), [], None
    if found.encoded(where):
        documents, problems = parse_documents(text)
        tree = documents[0].root if documents else None
        said = [
            Reported(
                _STRING_PROBLEMS.get(p.kind, "parse-error"),
                f"in the base64 `{where[0]}.{ref.key}`: {p.message}",
                Origin(found.file, line, column),
                VALUES_OBJECT,
            )
            for p in [*problems, *(p for d in documents[:1] for p in d.problems)]
            if p.kind != "not-a-mapping"
        ]
        if tree is None and not problems:
            tree = _empty(line, column)
        if not isinstance(tree, dict):
            if tree is not None or not said:
                said.append(
                    _not_a_mapping(
                        f"{where[0]}.{ref.key}", "Flux", Origin(found.file, line, column)
                    )
                )
            return None, said, None
        tree = at_one_place(tree, (line, column))
        return _FromLayer(found.file, found.index, tree, label, read_only), said, None
    holder = Recognised("z2jh", found.file, found.texts, found.index)
    tree, said = _string_values(holder, where, instead="")
    if tree is None:
        return None, said, None
    return _FromLayer(found.file, found.index, tree, label, read_only), said, None


def _packed_layer(
    ref: Any, found: Any, packed: Any, here: Origin
) -> tuple[_FromLayer | None, list[Reported], str | None]:
    """The values ``ref`` takes from a file a kustomization's generator packs into ``found``
    (``packed``: the file the run read beside the kustomization, or the path as written when
    it is not there): a values file of its own, where its hints are written."""
    from nblint.dialects.z2jh.generators import is_read
    from nblint.dialects.z2jh.values_from import target_values

    if isinstance(packed, str):
        if not is_read(packed):
            return None, [], f"packed from `{packed}`, which nblint reads only as a YAML file"
        return None, [], f"its file `{packed}` is not found beside {found.file}"
    if packed.problem is not None:
        message = (
            f"the values file `{packed.name}` ({packed.file}) that {found.file} packs into "
            f"{found.describe()} could not be read ({packed.problem}); nothing of it was read"
        )
        return None, [Reported(UNREAD, message, here, VALUES_OBJECT)], None
    label = f"the {ref.describe()} ({packed.file}, packed by {found.file})"
    root = packed.root
    if ref.target is not None:
        text = root if isinstance(root, str) else None
        if isinstance(root, int) and not isinstance(root, bool):
            text = str(root)
        tree = None if text is None else target_values(ref.target, text.strip(), (1, 1))
        if tree is None:
            return None, [], "a `targetPath` value nblint does not parse as Helm would"
        shown = f"the file `{packed.name}` that {found.file} packs (one value for `targetPath`)"
        return _FromLayer(packed.file, 0, tree, label, shown), [], None
    if root is None:
        root = _empty(1, 1)
    if not isinstance(root, dict):
        return None, [_not_a_mapping(packed.name, "Flux", Origin(packed.file, 1, 1))], None
    return _FromLayer(packed.file, 0, root, label, None), [], None


def _values_from_advice(document: Recognised, source: Source) -> tuple[str, str] | None:
    """What to say when entries of ``spec.valuesFrom`` are not among the inputs: the advice in
    the message, and the fix line. None when no such entry is unread."""
    from nblint.dialects.z2jh.values_from import refs

    if source.ref_files is not None and source.layers is not None:
        return _argo_ref_advice(document, source)
    # An entry whose object is not among the inputs (one nblint found but cannot read is named
    # at its `valuesKey` or `targetPath`).
    missing = {
        path for path, _ in source.unread if len(path) == 3 and path[:2] == ("spec", "valuesFrom")
    }
    named = [f"{r.kind} `{r.name}`" for r in refs(document.root) if r.path in missing]
    if not named:
        return None
    objects = ", ".join(dict.fromkeys(named))
    other = f"{named[0].split(' ', 1)[0].upper()}.yaml"
    message = (
        f"nblint reads a ConfigMap or Secret it is given: lint this file together with the one "
        f"that holds {objects}, e.g. `nblint check {document.file} {other}`"
    )
    fix = (
        f"Give nblint the file that holds {objects} too (`nblint check {document.file} "
        f"{other}`): it layers their values under `spec.values` as Flux does. Or write the "
        "values inline (`spec.values`)."
    )
    return message, fix


def _argo_ref_advice(document: Recognised, source: Source) -> tuple[str, str] | None:
    """What to say when an Argo CD ``$ref/path`` value file is not among the inputs (no input's
    path ends with its path): lint the Application with the repository that holds it."""
    assert source.ref_files is not None
    unread = {path for path, _ in source.unread}
    missing = [(path, label) for path, label, _ in source.ref_files[0] if path in unread]
    if not missing or any("does not guess which" in text for _, text in source.unread):
        return None
    label = missing[0][1]
    message = (
        f"nblint reads a `$ref` value file that is among its inputs: lint this file together "
        f"with the repository that holds {label}, e.g. `nblint check {document.file} REPO`"
    )
    fix = (
        f"Give nblint the repository that holds {label} too (`nblint check {document.file} "
        "REPO`): it layers that file under the Application's inline values as Argo CD does. "
        "Or write the values inline (`helm.valuesObject`)."
    )
    return message, fix


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
    elsewhere = None
    if settings.get("values_root") is None and document.neighbours:
        # Where the values are written (not the dependency's key they may lack).
        if pin is not None and not any(holds_values(d, root) for _, d in layers):
            root = _detected_root(layers)
        elsewhere = handed_elsewhere(document.neighbours, [d for _, d in layers], root)
    if elsewhere is not None:
        return _handed_elsewhere(elsewhere, layers, root)
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


def _handed_elsewhere(elsewhere: Elsewhere, layers: list[tuple[str, Any]], root: Path) -> Reported:
    """Values that look like z2jh's but that the chart beside them hands to other charts (see
    :func:`.umbrella.handed_elsewhere`): said once, at their root, and not read as z2jh's."""
    shown = ", ".join(f"`{key}`" for key in elsewhere.keys[:4])
    more = f" and {len(elsewhere.keys) - 4} more" if len(elsewhere.keys) > 4 else ""
    charts = " and ".join(f"`{name}`" for name in elsewhere.charts)
    plural = "s" if len(elsewhere.charts) > 1 else ""
    dependencies = "dependencies" if len(elsewhere.keys) > 1 else "dependency"
    where = f"the values under `{format_path(root)}`" if root else "these values"
    given = format_path(root) or "."
    file, values = next(((f, d) for f, d in layers if get_path(d, root)[0]), layers[0])
    line, column = tree_position(values, root)
    return Reported(
        OTHER_CHART,
        f"the chart `{elsewhere.chart}` beside them hands {shown}{more} to its {dependencies} "
        f"on the chart{plural} {charts} ({elsewhere.file}, line {elsewhere.origin.line}), not to "
        f"z2jh's chart `{DEPENDENCY}`, and is not z2jh's chart itself: {where} look like z2jh "
        "values but are that chart's, which nblint does not model; none of them was checked",
        Origin(file, line, column),
        VALUES_OBJECT,
        fix=(
            f"If they are z2jh values all the same (installed with the jupyterhub chart some "
            f"other way), lint them as such: `nblint check --values-root {given} {file}`."
        ),
    )


def _spawn_failures(release: Release, pods: list[EffectivePod]) -> list[Reported]:
    """Values KubeSpawner would refuse when a user spawns (e.g. memory ``4Gi``), once for each
    profile whose spawns fail."""
    reported: list[Reported] = []
    seen: set[tuple[Any, str, str | None]] = set()
    literal = release.placeholders is None
    for pod in pods:
        for problem in pod.facts.get("spawn_problems") or []:
            key = (tuple(problem.path), problem.message, pod.profile)
            if key in seen:
                continue
            seen.add(key)
            if unknowable_on_path(release.values, tuple(problem.path), literal):
                continue  # a placeholder's real value is unknown (z2jh-unrendered-template)
            reported.append(
                Reported(
                    problem.rule,
                    problem.message,
                    release.locate(tuple(problem.path)),
                    VALUES_OBJECT,
                    fix=NO_FIX if problem.fix is None else problem.fix,
                    fix_keys=release.fix_keys,
                    profile=pod.profile,
                )
            )
    return reported


def _not_a_mapping(where: str, tool: str, origin: Origin) -> Reported:
    """Values in a string (at ``where``) that are no mapping: ``tool`` refuses the release."""
    return Reported(
        "z2jh-wrong-type",
        f"z2jh values at {quoted_place(where)} must be a mapping; {tool} would refuse the release",
        origin,
        VALUES_OBJECT,
    )
