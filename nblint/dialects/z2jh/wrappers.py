"""Charts that install z2jh as a subchart of their own (binderhub, daskhub), and the values their
own ``values.yaml`` gives it.

Helm layers a subchart's values as the subchart's ``values.yaml`` (z2jh's defaults), then the
parent chart's ``values.yaml`` under the subchart's key, then the user's values. The binderhub
chart turns the home volume off and sets its own launcher; daskhub sets its own image. Those
defaults come from one table, ``schemas/z2jh/wrapper-charts.yaml``, each release's copied from
the commit it cites: never special cases in code.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import cache

from nblint.dialects.z2jh.umbrella import nesting
from nblint.model.data import data_dir
from nblint.model.document import Neighbour
from nblint.model.pod import Path, get_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The key a wrapper chart installs z2jh under (its dependency's name, no alias in either chart).
SUBCHART = "jupyterhub"


class Wrapper(Record):
    """One wrapper chart's values for z2jh at one z2jh release."""

    __slots__ = ("chart", "commit", "facts", "repository", "source_path", "values")

    def __init__(
        self,
        chart: str,
        values: dict[str, Any],
        repository: str,
        source_path: str,
        commit: str,
        facts: dict[str, Any],
    ) -> None:
        #: The chart's name (``binderhub``).
        self.chart = chart
        #: What its ``values.yaml`` sets under ``jupyterhub`` (a fresh copy: the caller's).
        self.values = values
        self.repository = repository
        self.source_path = source_path
        #: The commit the values are copied from.
        self.commit = commit
        #: Facts about the release's pods (``home_in_image``), for the checks.
        self.facts = facts

    def describe(self) -> str:
        """How a note names where a value comes from."""
        return (
            f"the {self.chart} chart's values.yaml ({self.repository} {self.source_path} at "
            f"{self.commit[:8]})"
        )


@cache
def _table() -> dict[str, Any]:
    """``schemas/z2jh/wrapper-charts.yaml``, read on the first release under a wrapper chart."""
    import yaml

    with open(
        os.path.join(data_dir("schemas"), "z2jh", "wrapper-charts.yaml"), encoding="utf-8"
    ) as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        charts: dict[str, Any] = yaml.load(handle, Loader=loader)["charts"]
    return charts


def chart_names() -> tuple[str, ...]:
    """Every wrapper chart the table knows."""
    return tuple(_table())


def wrapper_of(
    root: Path, documents: Sequence[Any], neighbours: Sequence[Neighbour] = ()
) -> str | None:
    """The wrapper chart whose subchart the z2jh values at ``root`` are, or None.

    Values at ``<chart>.jupyterhub`` (an umbrella chart that installs the wrapper chart under its
    name), at ``<key>.jupyterhub`` where the ``Chart.yaml`` beside them installs the wrapper chart
    under ``key``, or at ``jupyterhub`` beside keys only that chart's own values have
    (``config.BinderHub``: values given to the chart itself)."""
    if len(root) < 1 or root[-1] != SUBCHART:
        return None
    table = _table()
    parent = root[:-1]
    if parent and parent[-1] in table:
        return str(parent[-1])
    if len(parent) == 1:
        nested = nesting(neighbours)
        if nested is not None and nested[2] == parent[0] and nested[0] in table:
            return nested[0]
    for name, entry in table.items():
        signs = [tuple(str(key).split(".")) for key in entry.get("beside") or ()]
        for document in documents:
            _, node = get_path(document, parent)
            if isinstance(node, dict) and any(get_path(node, sign)[0] for sign in signs):
                return str(name)
    return None


def release_root(document: Any) -> Path | None:
    """Where z2jh's values sit in the values of a wrapper chart's release, known by keys only
    that chart's values have, whatever (if anything) they set for z2jh: ``<under>.jupyterhub``
    under the chart's name when that holds a ``jupyterhub`` section or one of the chart's own
    keys (``binderhub.config.BinderHub``), ``jupyterhub`` when the values are the chart's own
    (``config.BinderHub`` beside a ``jupyterhub`` section, or with none: :func:`chart_s_own`).
    None when no chart's keys are there.

    Such values are a release of z2jh whose user pods the chart's defaults give: a per-cluster
    file that sets only the hub's ingress is linted, never skipped."""
    if not isinstance(document, dict):
        return None
    for name, entry in _table().items():
        under = str(entry.get("under") or name)
        signs = [tuple(str(key).split(".")) for key in entry.get("beside") or ()]
        node = document.get(under)
        if isinstance(node, dict) and (
            SUBCHART in node or any(get_path(node, sign)[0] for sign in signs)
        ):
            return (under, SUBCHART)
        if SUBCHART in document and any(get_path(document, sign)[0] for sign in signs):
            return (SUBCHART,)
        if SUBCHART not in document and chart_s_own(document, entry):
            return (SUBCHART,)
    return None


def chart_s_own(document: dict[Any, Any], entry: dict[str, Any]) -> bool:
    """Whether ``document``, with no ``jupyterhub`` section, is the values of the table's chart
    ``entry`` all the same: one of its ``alone`` keys has the shape only that chart gives it
    (``config.BinderHub``, a mapping), and every key at the root is one the chart's values
    schema allows (another chart's values that share the key, binderhub-service's, have keys of
    their own beside it)."""
    alone: dict[str, Any] = entry.get("alone") or {}
    if not alone or not any(str(key).split(".", 1)[0] in document for key in alone):
        return False  # the cheap test first: most documents have none of these keys
    allowed = entry.get("keys") or ()
    if any(key not in allowed for key in document):
        return False
    for key, shape in alone.items():
        found, value = get_path(document, tuple(str(key).split(".")))
        if not found:
            continue
        if shape == "mapping" and isinstance(value, dict):
            return True
        if isinstance(shape, list) and isinstance(value, str) and value in shape:
            return True
    return False


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def defaults(chart: str, chart_version: str) -> Wrapper:
    """What ``chart``'s values.yaml sets for z2jh ``chart_version`` (see the table's ``since``)."""
    import copy

    entry = _table()[chart]
    releases = entry["releases"]
    wanted = _version(chart_version)
    chosen = releases[0]
    for release in releases:
        if _version(str(release["since"])) <= wanted:
            chosen = release
    values = copy.deepcopy(entry.get("values") or {})
    _merge(values, copy.deepcopy(chosen.get("values") or {}))
    return Wrapper(
        chart,
        values,
        entry["repository"],
        entry["path"],
        str(chosen["commit"]),
        dict(entry.get("pod-facts") or {}),
    )


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    """A release's own values over what every release sets (maps merge, the rest replaces)."""
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = value


class Installed(Record):
    """The z2jh release one version of a wrapper chart installs (``schemas/z2jh/
    wrapper-versions.yaml``): ``release`` as its chart pins it, or None with ``older_than`` set
    when only that bound is known (an early development build)."""

    __slots__ = ("older_than", "release")

    def __init__(self, release: str | None, older_than: str | None = None) -> None:
        self.release = release
        self.older_than = older_than


@cache
def _versions() -> dict[str, Any]:
    """``schemas/z2jh/wrapper-versions.yaml``, read on the first wrapper version looked up."""
    import yaml

    with open(
        os.path.join(data_dir("schemas"), "z2jh", "wrapper-versions.yaml"), encoding="utf-8"
    ) as handle:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        charts: dict[str, Any] = yaml.load(handle, Loader=loader)["charts"]
    return charts


@cache
def _commits(chart: str) -> dict[str, tuple[int, str]]:
    """A wrapper chart's listed commits: their first 12 hex digits → (count, z2jh release)."""
    found: dict[str, tuple[int, str]] = {}
    for line in str(_versions()[chart].get("commits") or "").splitlines():
        count, commit, release = line.split()
        found[commit] = (int(count), release)
    return found


def installed(chart: str, version: str, oldest: str | None = None) -> Installed | None:
    """The z2jh release that ``chart`` (a wrapper chart) at ``version`` (a plain version, as
    written) installs, or None when the table does not say (a range, a version it does not
    list, a development build it cannot place exactly). ``oldest``: the oldest z2jh release
    nblint knows, the bound of "older" for a chart whose table gives no ``older-than``."""
    entry = _versions().get(chart)
    if entry is None:
        return None
    text = version.strip().lstrip("v=").strip()
    releases = entry.get("releases") or {}
    if text in releases:
        return Installed(str(releases[text]))
    for form in entry.get("development") or ():
        prefix = str(form["prefix"])
        if not text.startswith(prefix):
            continue
        number, _, commit = text[len(prefix) :].partition(".h")
        if not number.isdigit() or not 7 <= len(commit) <= 40:
            break
        if any(c not in "0123456789abcdef" for c in commit):
            break
        count = int(number) + int(form.get("add") or 0)
        below = entry.get("older-below")
        if below is not None and count < int(below):
            return Installed(None, str(entry["older-than"]))
        for listed, (at, release) in _commits(chart).items():
            if at == count and (listed.startswith(commit) or commit.startswith(listed)):
                return Installed(release)
        break
    return _placed_by_order(entry, text, oldest)


def _placed_by_order(entry: dict[str, Any], text: str, oldest: str | None) -> Installed | None:
    """A version of a wrapper chart the table does not place exactly (a development build in a
    form it has no count for: ``0.2.0-068.0b5080a``; a commit not listed; a version never
    tagged), placed among its releases: known older than any release nblint knows when that
    follows, else None.

    First the table's ``older-prefixes``: the versions a chart's history only ever gave to
    builds older than ``older-than``. Then semver order, as far as it proves anything: a build
    is named after the last release before it (chartpress: ``<tag>-0.dev.git.N``, which sorts
    *below* that tag although built after it) or a version not yet released, so it comes before
    the first release whose version is above its own ``MAJOR.MINOR.PATCH``; a chart's pins only
    move forward, so it brings no newer z2jh than that release does. When that one is older than
    ``older-than`` (else ``oldest``), so is the build's."""
    older = entry.get("older-than") or oldest
    if older is None:
        return None
    if any(text.startswith(str(prefix)) for prefix in entry.get("older-prefixes") or ()):
        return Installed(None, str(older))
    core = semver_key(text.partition("+")[0].partition("-")[0])
    if core is None or semver_key(text) is None:
        return None
    above = [
        (key, str(release))
        for version, release in (entry.get("releases") or {}).items()
        if (key := semver_key(str(version))) is not None and key > core
    ]
    if not above:
        return None
    _, brings = min(above)
    pinned, bound = semver_key(brings), semver_key(str(older))
    if pinned is None or bound is None or not pinned < bound:
        return None
    return Installed(None, str(older))


def semver_key(text: str) -> tuple[Any, ...] | None:
    """A key that sorts versions as semver does (``0.2.0-068.0b5080a`` < ``0.2.0``: a
    pre-release sorts before its release, numeric identifiers by number, below alphanumeric
    ones; build metadata ignored), or None for text that is no ``MAJOR.MINOR.PATCH`` version."""
    core, dash, pre = text.partition("+")[0].partition("-")
    parts = core.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    if dash and not pre:
        return None
    identifiers = tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split(".")
    )
    # A release (no pre-release part) sorts after every pre-release of it.
    return (*(int(part) for part in parts), 1 if not dash else 0, identifiers if dash else ())
