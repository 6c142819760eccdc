"""z2jh installed through GitOps: a Flux ``HelmRelease`` or an Argo CD ``Application`` whose chart
is ``jupyterhub``, with the values written inside the object.

* Flux (``helm.toolkit.fluxcd.io/v2``, ``v2beta1``, ``v2beta2``): the chart at
  ``spec.chart.spec.chart``, its version (exact or a semver range; none means ``*``) at
  ``spec.chart.spec.version``, the values at ``spec.values``. ``spec.valuesFrom`` (ConfigMaps and
  Secrets) and ``spec.chart.spec.valuesFiles`` (files of the chart's source) are merged *below*
  ``spec.values``: nblint cannot read them. The repository is another object (a
  ``HelmRepository``), which nblint does not guess at.
* Argo CD (``argoproj.io/v1alpha1``): each source (``spec.source``, or each item of
  ``spec.sources``) whose ``chart`` is ``jupyterhub``, its ``repoURL`` and ``targetRevision``;
  the values at ``helm.valuesObject``, else ``helm.values`` (a YAML string; Argo CD ignores it
  when ``valuesObject`` is given). ``helm.valueFiles`` (multi-source ``$ref/...`` among them) lie
  below them, ``helm.parameters`` and ``helm.fileParameters`` above: neither is read.

Imported by :mod:`.root` only for a document of one of these kinds: recognising is a dict lookup.
"""

from __future__ import annotations

from typing import Any

from nblint.model.pod import Path, format_path, get_path
from nblint.model.record import Record

#: The z2jh chart's name, as a HelmRelease or an Application names it.
CHART = "jupyterhub"
FLUX = "HelmRelease"
ARGO = "Application"
#: The API groups of the two kinds (any version of each).
GROUPS = {FLUX: "helm.toolkit.fluxcd.io/", ARGO: "argoproj.io/"}


class Source(Record):
    """One ``jupyterhub`` chart a GitOps object installs, and where its values are."""

    __slots__ = (
        "kind",
        "name",
        "repository",
        "root",
        "string",
        "unread",
        "version",
        "version_path",
        "where",
    )

    def __init__(
        self,
        kind: str,
        name: str,
        where: Path,
        root: Path,
        version: str | None,
        version_path: Path,
        string: bool = False,
        unread: list[tuple[Path, str]] | None = None,
        repository: str | None = None,
    ) -> None:
        #: ``HelmRelease`` or ``Application``, and the object's ``metadata.name``.
        self.kind = kind
        self.name = name
        #: The chart's entry: ``("spec", "chart", "spec")``, ``("spec", "source")``,
        #: ``("spec", "sources", 1)``.
        self.where = where
        #: Where the values are (or would be written): ``("spec", "values")``, …
        self.root = root
        #: The version or range asked for, as written (None: not given), and its path.
        self.version = version
        self.version_path = version_path
        #: The values are a YAML string at :attr:`root` (Argo CD's ``helm.values``).
        self.string = string
        #: Values nblint does not read: ``(path, what)``, in the order the tool merges them.
        self.unread: list[tuple[Path, str]] = [] if unread is None else unread
        #: Where the chart comes from, when the object says it (Argo CD's ``repoURL``).
        self.repository = repository

    def describe(self) -> str:
        """``the HelmRelease `jhub```, for messages."""
        return f"the {self.kind} `{self.name}`" if self.name else f"the {self.kind}"


def kind_of(document: Any) -> str | None:
    """``HelmRelease`` or ``Application`` when ``document`` is one of them (cheap: no walk)."""
    kind = document.get("kind")
    if kind not in GROUPS:
        return None
    api = document.get("apiVersion")
    return kind if isinstance(api, str) and api.startswith(GROUPS[kind]) else None


def sources(document: Any) -> list[Source]:
    """Every ``jupyterhub`` chart the GitOps object ``document`` installs (usually one)."""
    if not isinstance(document, dict):
        return []
    kind = kind_of(document)
    if kind is None:
        return []
    _, metadata = get_path(document, ("metadata",))
    name = _text(metadata.get("name")) if isinstance(metadata, dict) else None
    if kind == FLUX:
        return _flux(document, name or "")
    return _argo(document, name or "")


def _flux(document: Any, name: str) -> list[Source]:
    where: Path = ("spec", "chart", "spec")
    _, chart = get_path(document, where)
    if not isinstance(chart, dict) or chart.get("chart") != CHART:
        return []
    unread: list[tuple[Path, str]] = []
    for key, what in (("valuesFiles", "files"), ("valuesFile", "file")):
        if chart.get(key):
            unread.append(((*where, key), f"the values {what} of the chart's source"))
    _, values_from = get_path(document, ("spec", "valuesFrom"))
    if values_from:
        unread.append((("spec", "valuesFrom"), _values_from(values_from)))
    return [
        Source(
            FLUX,
            name,
            where,
            ("spec", "values"),
            _text(chart.get("version")),
            (*where, "version"),
            unread=unread,
        )
    ]


def _values_from(entries: Any) -> str:
    """``spec.valuesFrom``'s ConfigMaps and Secrets, named: ``ConfigMap `a`, Secret `b```."""
    named = [
        f"{entry.get('kind')} `{entry.get('name')}`"
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("kind"), str)
    ]
    return f"the values of {', '.join(named)}" if named else "the values it names"


def _argo(document: Any, name: str) -> list[Source]:
    found: list[Source] = []
    _, one = get_path(document, ("spec", "source"))
    _, many = get_path(document, ("spec", "sources"))
    candidates: list[tuple[Path, Any]] = [(("spec", "source"), one)]
    if isinstance(many, list):
        candidates += [(("spec", "sources", i), item) for i, item in enumerate(many)]
    refs = {
        item.get("ref"): i
        for i, item in enumerate(many if isinstance(many, list) else [])
        if isinstance(item, dict) and isinstance(item.get("ref"), str)
    }
    for where, source in candidates:
        if not isinstance(source, dict) or source.get("chart") != CHART:
            continue
        helm = source.get("helm")
        helm = helm if isinstance(helm, dict) else {}
        base: Path = (*where, "helm")
        unread: list[tuple[Path, str]] = []
        files = helm.get("valueFiles")
        if files:
            unread.append(((*base, "valueFiles"), _value_files(files, refs)))
        values_object = helm.get("valuesObject")
        string = False
        if values_object is not None:
            root: Path = (*base, "valuesObject")
            if helm.get("values") is not None:
                unread.append(
                    (
                        (*base, "values"),
                        "`helm.values`, which Argo CD ignores beside `valuesObject`",
                    )
                )
        elif helm.get("values") is not None:
            root = (*base, "values")
            string = isinstance(helm.get("values"), str)
        else:
            root = (*base, "valuesObject")
        for key, what in (
            ("parameters", "the parameters set on top of them"),
            ("fileParameters", "the file parameters set on top of them"),
        ):
            if helm.get(key):
                unread.append(((*base, key), what))
        found.append(
            Source(
                ARGO,
                name,
                where,
                root,
                _text(source.get("targetRevision")),
                (*where, "targetRevision"),
                string=string,
                unread=unread,
                repository=_text(source.get("repoURL")),
            )
        )
    return found


def _value_files(files: Any, refs: dict[Any, int]) -> str:
    """``helm.valueFiles``, named; a multi-source ``$ref/path`` with the source it refers to."""
    names: list[str] = []
    for entry in files if isinstance(files, list) else []:
        text = _text(entry)
        if text is None:
            continue
        ref = text[1:].split("/", 1)[0] if text.startswith("$") else None
        if ref is not None and ref in refs:
            names.append(f"`{text}` (from `{format_path(('spec', 'sources', refs[ref]))}`)")
        else:
            names.append(f"`{text}`")
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"the value files {shown}" if names else "the value files it names"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None
