"""The z2jh release an umbrella chart beside a values file pins, and the key z2jh sits under.

Most deployments install z2jh as a dependency of a chart of their own (an "umbrella": basehub,
daskhub, binderhub, …). Its ``Chart.yaml`` (``requirements.yaml`` for a Helm 2 chart) names the
``jupyterhub`` chart with a version, and maybe an ``alias``: the values beside it hand z2jh what
sits under that alias (or ``jupyterhub``). ``helm dependency build`` installs the release that
``Chart.lock`` (``requirements.lock``) records, so a lock wins over the version the chart asks
for; a range without a lock is taken as the newest release nblint knows in it.

Kept apart from the rest of the dialect: recognising a document beside a chart imports only this.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from nblint.load.provenance import tree_position
from nblint.model.document import Neighbour
from nblint.model.pod import Origin
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The files beside a values file that say which release it is for (``Dialect.neighbours``).
#: chartpress's configuration, one directory up: chartpress keeps each chart it builds in a
#: directory named for it beside its ``chartpress.yaml``, and fills in the images that file
#: names (``valuesPath``) when it builds; in git, they are empty placeholders
#: (:attr:`Release.chartpress`).
CHARTPRESS_FILE = "../chartpress.yaml"
NEIGHBOURS = (
    "Chart.yaml",
    "Chart.lock",
    "requirements.yaml",
    "requirements.lock",
    CHARTPRESS_FILE,
)
#: Each chart file and the lock ``helm dependency build`` writes beside it.
_LOCKS = {"Chart.yaml": "Chart.lock", "requirements.yaml": "requirements.lock"}
#: The z2jh chart's name, as a dependency names it.
DEPENDENCY = "jupyterhub"


class Pin(Record):
    """One ``jupyterhub`` dependency of the umbrella chart beside the values."""

    __slots__ = (
        "asked",
        "chart",
        "key",
        "lock",
        "lock_position",
        "locked",
        "position",
        "repository",
    )

    def __init__(
        self,
        chart: Neighbour,
        position: int,
        asked: str | None,
        key: str,
        locked: str | None = None,
        lock: Neighbour | None = None,
        lock_position: int = 0,
        repository: str | None = None,
    ) -> None:
        #: The chart file that declares it (``Chart.yaml``).
        self.chart = chart
        #: Its position among the chart's dependencies.
        self.position = position
        #: The version (or range) the chart asks for, as written; None when it gives none.
        self.asked = asked
        #: The key the umbrella chart's values hand z2jh: the dependency's alias, or its name.
        self.key = key
        #: The exact version the lock beside the chart records, the lock, and where in its list.
        self.locked = locked
        self.lock = lock
        self.lock_position = lock_position
        #: Where the chart comes from (``https://hub.jupyter.org/helm-chart/``), as written.
        self.repository = repository

    @property
    def root(self) -> tuple[str, ...]:
        return (self.key,)

    def origin(self) -> Origin:
        """The line that says which release: the lock's entry, else the chart's."""
        if self.lock is not None and self.locked is not None:
            path = ("dependencies", self.lock_position, "version")
            line, column = tree_position(self.lock.root, path)
            return Origin(self.lock.file, line, column)
        path = ("dependencies", self.position, "version")
        line, column = tree_position(self.chart.root, path)
        return Origin(self.chart.file, line, column)


def pins(neighbours: Sequence[Neighbour]) -> list[Pin]:
    """Every ``jupyterhub`` dependency the chart beside the values declares (usually one)."""
    by_name = {neighbour.name: neighbour for neighbour in neighbours}
    for chart_name, lock_name in _LOCKS.items():
        chart = by_name.get(chart_name)
        if chart is None or not _dependencies(chart.root):
            continue
        lock = by_name.get(lock_name)
        # The lock lists the chart's dependencies in the chart's order.
        locked = [
            (position, _text(entry.get("version")))
            for position, entry in enumerate(_dependencies(lock.root if lock else None))
            if _named(entry)
        ]
        found: list[Pin] = []
        for position, entry in enumerate(_dependencies(chart.root)):
            if not _named(entry):
                continue
            alias = entry.get("alias")
            at, version = locked[len(found)] if len(found) < len(locked) else (0, None)
            found.append(
                Pin(
                    chart,
                    position,
                    _text(entry.get("version")),
                    alias if isinstance(alias, str) and alias else DEPENDENCY,
                    version,
                    lock if version is not None else None,
                    at,
                    _text(entry.get("repository")),
                )
            )
        if found:
            return found
    return []


#: Charts that install z2jh as a dependency of their own (its values under their `jupyterhub`):
#: which z2jh release one of their versions brings is in their own chart, not beside the values.
NESTING_CHARTS = ("daskhub", "binderhub")


def nesting(neighbours: Sequence[Neighbour]) -> tuple[str, str | None, str, Origin] | None:
    """A dependency of the chart beside the values on a chart that nests z2jh (daskhub,
    binderhub): ``(name, version as written, the key its values sit under, the line)``."""
    by_name = {neighbour.name: neighbour for neighbour in neighbours}
    for chart_name in _LOCKS:
        chart = by_name.get(chart_name)
        if chart is None:
            continue
        for position, entry in enumerate(_dependencies(chart.root)):
            name = entry.get("name") if isinstance(entry, dict) else None
            if name not in NESTING_CHARTS:
                continue
            alias = entry.get("alias")
            key = alias if isinstance(alias, str) and alias else str(name)
            field = "version" if "version" in entry else "name"
            line, column = tree_position(chart.root, ("dependencies", position, field))
            return str(name), _text(entry.get("version")), key, Origin(chart.file, line, column)
    return None


def nesting_locked(neighbours: Sequence[Neighbour], name: str) -> tuple[str, str] | None:
    """The version the lock beside the chart (``Chart.lock``, ``requirements.lock``) records for
    its first dependency named ``name`` (a chart that nests z2jh: :func:`nesting`), and the
    lock's file; None when there is no lock or it names no such dependency."""
    by_name = {neighbour.name: neighbour for neighbour in neighbours}
    for chart_name, lock_name in _LOCKS.items():
        if by_name.get(chart_name) is None:
            continue
        lock = by_name.get(lock_name)
        if lock is None:
            return None
        for entry in _dependencies(lock.root):
            if isinstance(entry, dict) and entry.get("name") == name:
                version = _text(entry.get("version"))
                return (version, lock.file) if version is not None else None
        return None
    return None


class Elsewhere(Record):
    """Values beside a chart that hands them to dependencies that are not z2jh's chart (see
    :func:`handed_elsewhere`): the chart file, the keys, the charts they go to, the first line."""

    __slots__ = ("chart", "charts", "file", "keys", "origin")

    def __init__(
        self, chart: str, file: str, keys: list[str], charts: list[str], origin: Origin
    ) -> None:
        #: The umbrella chart's name, and the file that lists the dependencies.
        self.chart = chart
        self.file = file
        self.keys = keys
        self.charts = charts
        self.origin = origin


def handed_elsewhere(
    neighbours: Sequence[Neighbour], documents: Sequence[Any], root: tuple[str, ...]
) -> Elsewhere | None:
    """Whether the chart beside the values provably hands the z2jh-looking values of
    ``documents`` at ``root`` to charts that are not z2jh's: the chart is not ``jupyterhub``
    itself, and the key they sit under (``root``'s one key, or at the top every z2jh section
    they write) is a dependency's key (its alias, else its name) whose chart is not
    ``jupyterhub`` nor one that nests it under that key (a baloise-style umbrella of a generic
    chart aliased ``hub``, ``singleuser``, …). None when nblint cannot tell: no chart, one it
    cannot read, a key no dependency names (a chart vendored in ``charts/`` unlisted may take
    it), or z2jh deeper under a dependency (which may nest it: basehub)."""
    if len(root) > 1:
        return None
    by_name = {neighbour.name: neighbour for neighbour in neighbours}
    chart = by_name.get("Chart.yaml")
    if chart is None or not isinstance(chart.root, dict) or chart.root.get("name") == DEPENDENCY:
        return None
    # Helm 2 charts list them in requirements.yaml: a key is handed to a chart either file names.
    owners: dict[str, list[tuple[str, Neighbour, int]]] = {}
    for name in _LOCKS:
        listed = by_name.get(name)
        for position, entry in enumerate(_dependencies(listed.root if listed else None)):
            named = entry.get("name") if isinstance(entry, dict) else None
            if not isinstance(named, str) or not named or listed is None:
                continue
            alias = entry.get("alias")
            key = alias if isinstance(alias, str) and alias else named
            owners.setdefault(key, []).append((named, listed, position))
    if root:
        keys = [root[0]]
    else:
        from nblint.dialects.z2jh.root import SIGNATURE_KEYS

        # The sections that make them look like z2jh values, in the order they are written.
        keys = list(
            dict.fromkeys(
                section
                for document in documents
                if isinstance(document, dict)
                for section, node in document.items()
                if section in SIGNATURE_KEYS
                and isinstance(node, dict)
                and any(key in SIGNATURE_KEYS[section] for key in node)
            )
        )
    if not keys or any(key not in owners for key in keys):
        return None
    charts = [named for key in keys for named, _, _ in owners[key]]
    if DEPENDENCY in charts or any(named in NESTING_CHARTS for named in charts):
        return None
    _, listed, position = owners[keys[0]][0]
    line, column = tree_position(listed.root, ("dependencies", position))
    return Elsewhere(
        str(chart.root.get("name")),
        listed.file,
        keys,
        list(dict.fromkeys(charts)),
        Origin(listed.file, line, column),
    )


def dependency_keys(neighbours: Sequence[Neighbour]) -> set[str]:
    """The keys the chart beside the values hands its dependencies (each one's alias, else its
    name), in ``Chart.yaml`` and a Helm 2 ``requirements.yaml``."""
    by_name = {neighbour.name: neighbour for neighbour in neighbours}
    keys: set[str] = set()
    for name in _LOCKS:
        listed = by_name.get(name)
        for entry in _dependencies(listed.root if listed else None):
            if not isinstance(entry, dict):
                continue
            alias, named = entry.get("alias"), entry.get("name")
            key = alias if isinstance(alias, str) and alias else named
            if isinstance(key, str) and key:
                keys.add(key)
    return keys


def unreached(document: Any, pin: Pin, others: set[str]) -> list[str]:
    """The top-level keys of ``document`` that look like z2jh's but that Helm never hands the
    ``jupyterhub`` dependency ``pin`` (it passes a subchart only ``.Values.<alias or name>`` and
    ``global``): a z2jh section (``singleuser``, ``hub``, …) or a key with z2jh values under it,
    that is neither the dependency's key nor another dependency's (``others``: that chart's)."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return []
    from nblint.dialects.z2jh.root import SIGNATURE_KEYS, holds_values

    found = []
    for key, node in document.items():
        if not isinstance(key, str) or key in (pin.key, "global") or key in others:
            continue
        signature = SIGNATURE_KEYS.get(key)
        if isinstance(node, dict) and (
            (signature is not None and any(inner in signature for inner in node))
            or holds_values(document, (key,))
        ):
            found.append(key)
    return found


def chart_itself(neighbours: Sequence[Neighbour]) -> tuple[Neighbour, str] | None:
    """The ``Chart.yaml`` beside the values when it is z2jh's chart itself (a vendored copy:
    ``name: jupyterhub``, not Bitnami's chart of that name), and its version as written; None
    otherwise, or when it writes no version."""
    chart = next((n for n in neighbours if n.name == "Chart.yaml"), None)
    root = chart.root if chart is not None else None
    if chart is None or not isinstance(root, dict) or root.get("name") != DEPENDENCY:
        return None
    from nblint.dialects.z2jh.other_charts import from_other_repository

    # Bitnami's chart is named `jupyterhub` too: its home, sources and dependencies say whose.
    where = [root.get("home"), *_texts(root.get("sources"))]
    where += [entry.get("repository") for entry in _dependencies(root) if isinstance(entry, dict)]
    if any(from_other_repository(_text(text)) for text in where):
        return None
    version = _text(root.get("version"))
    return (chart, version) if version is not None else None


def _texts(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def unreadable(neighbours: Sequence[Neighbour]) -> Neighbour | None:
    """A chart file beside the values that could not be read (it may pin the release)."""
    return next((n for n in neighbours if n.name in _LOCKS and n.problem is not None), None)


def _dependencies(root: Any) -> list[Any]:
    dependencies = root.get("dependencies") if isinstance(root, dict) else None
    return dependencies if isinstance(dependencies, list) else []


def _named(entry: Any) -> bool:
    return isinstance(entry, dict) and entry.get("name") == DEPENDENCY


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


# ---------------------------------------------------------------------------------------------
# Which known release a version or range means (Helm's semver constraints, as far as releases
# of the form MAJOR.MINOR.PATCH need them)


@cache
def _exact() -> re.Pattern[str]:
    return re.compile(
        r"^[v=]?\s*(\d+)\.(\d+)(?:\.(\d+)|(?=-))(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
    )


@cache
def _term() -> re.Pattern[str]:
    return re.compile(
        r"^(!=|>=|=>|<=|=<|>|<|=|~>|~|\^)?\s*v?"
        r"(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"
    )


@cache
def _hyphen() -> re.Pattern[str]:
    return re.compile(r"(\S+)\s+-\s+(\S+)")


Version = tuple[int, int, int, int]  # the last part: 0 for a pre-release, 1 for a release


class ConstraintError(ValueError):
    """A version text that is neither a version nor a range Helm would read."""


def exact(text: str) -> str | None:
    """``text`` as a plain version (``4.1.0``, ``v4.1.0``), or None when it is a range.

    A chartpress development build of the 0.x era, ``v0.8-3bdff5d`` (``MAJOR.MINOR-PRE``, no
    patch), is one version too: Helm 2's semver reads it as ``0.8.0-3bdff5d`` exactly (a missing
    patch is no wildcard there), and the version returned is that one. (Helm 3's reads a missing
    patch as ``~``: every release it allows is then of the same minor series, just as old.)"""
    match = _exact().match(text.strip())
    if match is None:
        return None
    major, minor, patch, pre, build = match.groups()
    return f"{major}.{minor}.{patch or 0}{pre or ''}{build or ''}"


def newest_matching(text: str, known: Sequence[str]) -> str | None:
    """The newest of ``known`` (``MAJOR.MINOR.PATCH`` each) that the range ``text`` allows.

    Raises :class:`ConstraintError` for text that is no range."""
    groups = [_group(part) for part in text.split("||")]
    matching = [
        version
        for version in known
        if any(all(test(_version(version)) for test in group) for group in groups)
    ]
    return max(matching, key=_version) if matching else None


def newest_patch_before(version: str, known: Sequence[str]) -> str | None:
    """The newest of ``known`` in the minor series of ``version`` (a plain version, perhaps a
    development build: ``4.4.1``, ``4.4.1-0.dev.git.7.habc``) that is older than it, or None
    when nblint knows no release of that series before it."""
    try:
        wanted = _version(version)
    except ValueError:
        return None
    same = [
        release
        for release in known
        if _version(release)[:2] == wanted[:2] and _version(release) < wanted
    ]
    return max(same, key=_version) if same else None


def later_patches_only(text: str, known: Sequence[str]) -> str | None:
    """For a range ``text`` that no release of ``known`` is in: the newest known release of the
    one series whose later patches alone it allows (``~4.4.1``, ``>=4.4.1 <4.5`` when 4.4.0 is
    known), or None (it allows a release of a series nblint does not know, or none at all: an
    open ``>=4.4.1`` lets Helm install 5.0.0). Raises :class:`ConstraintError` as
    :func:`newest_matching` does."""
    found = None
    for release in known:
        major, minor, patch, _ = _version(release)
        later = [f"{major}.{minor}.{patch + step}" for step in range(1, 100)]
        beyond = [f"{major}.{minor + 1}.0", f"{major + 1}.0.0"]
        newer = found is None or _version(release) > _version(found)
        if newer and newest_matching(text, later) and newest_matching(text, beyond) is None:
            found = release
    return found


def _version(text: str) -> Version:
    major, minor, patch = (int(part) for part in text.split("-")[0].split("+")[0].split("."))
    return (major, minor, patch, 0 if "-" in text else 1)


def _group(text: str) -> list[Any]:
    text = _hyphen().sub(r">=\1 <=\2", text.strip())
    # Operators may stand apart from their versions (`>= 4.0`): join them before splitting.
    text = re.sub(r"(!=|>=|=>|<=|=<|~>|[<>=~^])\s+", r"\1", text)
    terms = [term for term in re.split(r"[\s,]+", text) if term]
    if not terms:
        raise ConstraintError(text)
    return [test for term in terms for test in _tests(term)]


def _tests(term: str) -> list[Any]:
    match = _term().match(term)
    if match is None:
        raise ConstraintError(term)
    operator = match[1] or "="
    parts = [match[2], match[3], match[4]]
    # How many parts are given (`4.1` and `4.1.x` give two): the others match anything.
    given = next((i for i, part in enumerate(parts) if part is None or part in "xX*"), 3)
    numbers = [int(part) for part in parts[:given]] + [0] * (3 - given)
    low: Version = (numbers[0], numbers[1], numbers[2], 0 if match[5] else 1)
    if operator in ("=", "!="):
        if given == 0:
            inside = _anything
        elif given == 3:
            inside = _between(low, low, closed=True)
        else:
            inside = _between(low, _bump(numbers, given - 1), closed=False)
        return [inside] if operator == "=" else [lambda v, inside=inside: not inside(v)]
    if operator in ("~", "~>"):  # patch releases (minor ones when only the major is given)
        return [_anything if given == 0 else _between(low, _bump(numbers, min(given, 2) - 1))]
    if operator == "^":  # releases that keep the first non-zero part given
        if given == 0:
            return [_anything]
        first = next((i for i in range(given) if numbers[i]), given - 1)
        return [_between(low, _bump(numbers, first))]
    if operator in ("<=", "=<") and 0 < given < 3:
        high = _bump(numbers, given - 1)
        return [lambda v: v < high]
    compare = {
        ">": lambda v: v > low,
        ">=": lambda v: v >= low,
        "=>": lambda v: v >= low,
        "<": lambda v: v < low,
        "<=": lambda v: v <= low,
        "=<": lambda v: v <= low,
    }
    return [compare[operator]]


def _bump(numbers: list[int], position: int) -> Version:
    """The first pre-release of the version after ``numbers`` at ``position``."""
    bumped = [*numbers[:position], numbers[position] + 1, 0, 0][:3]
    return (bumped[0], bumped[1], bumped[2], 0)


def _between(low: Version, high: Version, closed: bool = False) -> Any:
    if closed:
        return lambda v: low <= v <= high
    return lambda v: low <= v < high


def _anything(version: Version) -> bool:
    return True
