"""z2jh installed through GitOps: a Flux ``HelmRelease`` or an Argo CD ``Application`` (or
``ApplicationSet``) whose chart is ``jupyterhub``, with the values written inside the object.

* Flux (``helm.toolkit.fluxcd.io/v2``, ``v2beta1``, ``v2beta2``): the chart at
  ``spec.chart.spec.chart``, its version (exact or a semver range; none means ``*``) at
  ``spec.chart.spec.version`` (or, with ``spec.chart.kind: OCIRepository``, the chart at the
  end of ``spec.chart.spec.url`` and its version at ``spec.chart.spec.ref``), the values at
  ``spec.values``. A HelmRelease with ``spec.chartRef`` names another object for its chart (an
  ``OCIRepository`` or a ``HelmChart`` of ``source.toolkit.fluxcd.io``): it is z2jh's when that
  object is among the inputs and holds the jupyterhub chart (:func:`chart_source`, indexed by
  :func:`index`; the normaliser decides, with the run index), and then the chart's version is
  read from it; when it holds another chart (:func:`flux_source`: the index holds every chart
  source), the HelmRelease is that chart's. When the object is not among the inputs, or holds a
  chart whose name nblint cannot read (a path in a git source), nblint cannot know the chart: the
  HelmRelease is z2jh's only when its values look like z2jh values (keys only z2jh uses, as for
  a values file), and the version is unknown, and said. ``spec.valuesFrom`` (ConfigMaps and
  Secrets) and ``spec.chart.spec.valuesFiles`` (files of the chart's source) are merged *below*
  ``spec.values``: nblint cannot read them. The repository is another object (a
  ``HelmRepository``), which nblint does not guess at.
* Argo CD (``argoproj.io/v1alpha1``): each source (``spec.source``, or each item of
  ``spec.sources``, which Argo CD reads instead when it lists any) whose ``chart`` is
  ``jupyterhub`` (a ``ref:`` source of value files names none), each a release of its own, its
  ``repoURL`` and ``targetRevision``;
  the values at ``helm.valuesObject``, else ``helm.values`` (a YAML string; Argo CD ignores it
  when ``valuesObject`` is given). ``helm.valueFiles`` (multi-source ``$ref/...`` among them) lie
  below them, ``helm.parameters`` and ``helm.fileParameters`` above: neither is read (a
  ``$ref/...`` file the run holds is: see :func:`ref_suffixes`). A git ``path`` source (no
  ``chart``) with ``$ref/...`` value files installs a chart nblint cannot read (its Chart.yaml
  names it): z2jh's only when those values say so, its version unknown (:func:`_git_path`).
* Argo CD ``ApplicationSet``: the same, in its ``spec.template.spec``. Its generators fill in
  every ``{{ … }}`` of the template (Go template with ``goTemplate: true``, else fasttemplate)
  for each Application: such a value is unknown (never a wrong value, never a Helm template), a
  ``targetRevision`` that holds one pins no version, and a generator's own ``template`` or
  ``spec.templatePatch``, which change the template, are said unread.

Imported by :mod:`.root` only for a document of one of these kinds: recognising is a dict lookup.
"""

from __future__ import annotations

from nblint.model.document import INPUT_SUFFIX
from nblint.model.pod import Path, format_path, get_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The z2jh chart's name, as a HelmRelease or an Application names it.
CHART = "jupyterhub"
FLUX = "HelmRelease"
ARGO = "Application"
ARGO_SET = "ApplicationSet"
#: The API groups of the kinds (any version of each).
GROUPS = {FLUX: "helm.toolkit.fluxcd.io/", ARGO: "argoproj.io/", ARGO_SET: "argoproj.io/"}
#: The files that install the chart with a tool that runs Helm itself (:mod:`.installers`): a
#: kustomization's ``helmCharts``, kustomize's generator file, a helmfile's ``releases``, a
#: Rancher Fleet bundle's ``fleet.yaml`` (its ``helm:``).
KUSTOMIZE = "Kustomization"
GENERATOR = "HelmChartInflationGenerator"
HELMFILE = "helmfile"
FLEET = "fleet.yaml"
#: A kustomization's group (``kind`` and ``apiVersion`` are optional in one).
KUSTOMIZE_GROUP = "kustomize.config.k8s.io/"
#: The Flux sources a HelmRelease's ``spec.chartRef`` may name for its chart, and their group.
CHART_SOURCES = ("OCIRepository", "HelmChart")
#: The Flux source a HelmRelease's ``spec.chart.spec.sourceRef`` names for the repository its
#: chart comes from: indexed (:data:`FLUX_CHARTS`) only when its ``url`` is another JupyterHub
#: chart's repository (Bitnami's), whose ``jupyterhub`` chart is not z2jh's.
REPOSITORY = "HelmRepository"
SOURCE_GROUP = "source.toolkit.fluxcd.io/"
#: The run-index key of the Flux chart sources of the inputs (of any chart: a HelmRelease whose
#: `spec.chartRef` names one of another chart is then known not to be z2jh's).
FLUX_CHARTS = "source.toolkit.fluxcd.io/charts"
#: The run-index key of the values files that the kustomizations and helmfiles of the inputs
#: layer into a z2jh release (:func:`beside`), and the Argo CD ``$ref/path`` value files the run
#: found among the inputs: such a file given as an input too is linted as that layer only, not as
#: a release of its own.
INSTALLER_FILES = "z2jh/installer-values-files"
#: The run-index key of the files a helmfile of the inputs names as its environments' values:
#: helmfile's state values, which only its templates read (``.Values``, ``.StateValues``), never
#: Helm; such a file given as an input too is not z2jh values of its own (declined, skipped).
HELMFILE_STATE_FILES = "z2jh/helmfile-state-values-files"
#: The run-index key of the files only a Fleet bundle's ``targetCustomizations`` name (their
#: ``helm.valuesFiles``): layers of the bundle's release on the clusters those match, which
#: nblint does not apply (said at the bundle); such a file given as an input too is no release
#: of its own (declined, skipped).
FLEET_TARGET_FILES = "z2jh/fleet-target-values-files"


class Source(Record):
    """One ``jupyterhub`` chart a GitOps object installs, and where its values are."""

    __slots__ = (
        "chart_key",
        "field",
        "kind",
        "layers",
        "name",
        "namespace",
        "nesting",
        "placeholders",
        "ref",
        "ref_files",
        "release_namespace",
        "repo_key",
        "repository",
        "repository_ref",
        "root",
        "string",
        "title",
        "tool",
        "unread",
        "unreadable",
        "unversioned",
        "values_say_z2jh",
        "version",
        "version_path",
        "where",
        "wrapper",
        "wrapper_version",
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
        ref: tuple[str, str, str | None] | None = None,
        namespace: str | None = None,
        values_say_z2jh: bool = True,
        release_namespace: str | None = None,
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
        #: Flux's ``spec.chart.spec.sourceRef`` when it names a ``HelmRepository``: ``(name,
        #: namespace)`` (the namespace defaults to the HelmRelease's); the run index says its
        #: ``url`` (:data:`FLUX_CHARTS`) when it is another chart's repository (Bitnami's).
        self.repository_ref: tuple[str, str | None] | None = None
        #: Flux's ``spec.chartRef``: ``(kind, name, namespace)`` of the object that holds the
        #: chart (the namespace defaults to the HelmRelease's); None when the object names it.
        self.ref = ref
        #: The object's ``metadata.namespace``.
        self.namespace = namespace
        #: The namespace the release installs into (its user pods' too), as the object says:
        #: Flux's ``spec.targetNamespace``, else the HelmRelease's own; Argo CD's
        #: ``destination.namespace``. None: the object does not say.
        self.release_namespace = release_namespace
        #: Whether the values alone say z2jh (keys only z2jh uses). False only for a
        #: ``spec.chartRef``: then the chart is z2jh's only if the run finds the object the
        #: reference names among the inputs, holding the jupyterhub chart (:func:`referenced`).
        self.values_say_z2jh = values_say_z2jh
        #: How messages name the field that pins the version (```spec.chart.spec.version```).
        self.field = f"`{format_path(version_path)}`"
        #: Why no version is known, when :attr:`version` is None (``names the chart `jupyterhub`
        #: without a version``).
        self.unversioned = f"names the chart `{CHART}` without a version"
        #: The tool that installs the release, for messages (``Flux installs the newest…``).
        self.tool = "Flux" if kind == FLUX else "Argo CD"
        #: The keys of the chart's entry (:attr:`where`) that name the chart and its repository.
        self.chart_key = "chart"
        self.repo_key = "repoURL"
        #: For a kustomize ``helmCharts`` entry or a helmfile release (:mod:`.installers`): every
        #: values layer the tool gives Helm, in its order (the inline values at :attr:`root`
        #: among them); None: the object's values at :attr:`root` are the only layer.
        self.layers: list[Any] | None = None
        #: Values files of :attr:`layers` that were found but could not be read (a template),
        #: as ``(where, name)``: said where they are, and, like :attr:`unread`, layers nblint
        #: did not read (named in the notes of findings on chart defaults they may override).
        self.unreadable: list[tuple[Path, str]] = []
        #: How messages name the object when ``the {kind} `{name}``` would not say it.
        self.title: str | None = None
        #: The wrapper chart (binderhub, daskhub) whose release this is, when not z2jh's own.
        self.wrapper: str | None = None
        #: The version of :attr:`wrapper` the object asks for, when the tool installs that one
        #: (a plain version or a range, as written; None: not given, or not what is installed).
        self.wrapper_version: str | None = None
        #: Who fills in every ``{{ … }}`` of the object (an ApplicationSet's generators,
        #: helmfile's templating): such a value is unknown, never a Helm template.
        self.placeholders: str | None = (
            "the ApplicationSet's generators" if kind == ARGO_SET else None
        )
        #: An Argo CD source's multi-source value files (``$ref/path``, the ref a source of the
        #: object): ``(files, other)``, each file ``(its path in the object, how messages name
        #: it, the path after the ref)``, in ``helm.valueFiles`` order; ``other`` names its
        #: other value files (None: there are none). A run that holds the file a path ends
        #: with reads it as the layer below the inline values (:func:`ref_suffixes`).
        self.ref_files: tuple[list[tuple[Path, str, str]], str | None] | None = None
        #: For an Argo CD git path source (a chart nblint cannot read) whose values its ``$ref``
        #: value files hold: where z2jh's values sit in each layer, as the values show it
        #: (``()``, ``("jupyterhub",)`` for a daskhub-like chart), worked out by the normaliser
        #: from the files the run read; None for a chart nblint knows.
        self.nesting: Path | None = None

    def describe(self) -> str:
        """``the HelmRelease `jhub```, for messages."""
        if self.title is not None:
            return self.title
        return f"the {self.kind} `{self.name}`" if self.name else f"the {self.kind}"


def kind_of(document: Any) -> str | None:
    """``HelmRelease`` or ``Application`` when ``document`` is one of them, or one of the files
    of :mod:`.installers` (cheap: no walk)."""
    kind = document.get("kind")
    api = document.get("apiVersion")
    if kind not in GROUPS:
        return installer_kind(document)
    return kind if isinstance(api, str) and api.startswith(GROUPS[kind]) else None


def installer_kind(document: Any) -> str | None:
    """:data:`KUSTOMIZE`, :data:`GENERATOR`, :data:`HELMFILE` or :data:`FLEET` when ``document``
    is such a file that lists a chart at all (cheap: no walk)."""
    kind = document.get("kind")
    api = document.get("apiVersion")
    if kind == GENERATOR:
        # kustomize's builtin generator: `apiVersion: builtin` (another is a plugin of its own).
        return GENERATOR if api in (None, "builtin") else None
    if kind not in (None, KUSTOMIZE) or not (
        api is None or (isinstance(api, str) and api.startswith(KUSTOMIZE_GROUP))
    ):
        return None
    if isinstance(document.get("helmCharts"), list) or isinstance(
        document.get("helmChartInflationGenerator"), list
    ):
        return KUSTOMIZE
    if kind is None and api is None and is_fleet(document):
        return FLEET
    if (
        kind is None
        and api is None
        and (isinstance(document.get("releases"), list) or is_helmfile_state(document))
    ):
        return HELMFILE
    return None


def is_fleet(document: Any) -> bool:
    """A Rancher Fleet ``fleet.yaml`` that installs a Helm chart: a top-level ``helm:`` mapping
    that names a ``chart`` or a ``repo`` (cheap; a chart's values never have a top-level
    ``helm.chart``)."""
    helm = document.get("helm")
    return isinstance(helm, dict) and ("chart" in helm or "repo" in helm)


def is_helmfile_state(document: Any) -> bool:
    """A helmfile document that holds helmfile's own state and no ``releases``: its
    ``environments`` (whose ``values`` are state values for its templates, ``.Values`` /
    ``.StateValues``, not a chart's) or its ``bases`` (helmfiles merged under it); the first
    document of a helmfile that keeps them apart from its releases with ``---`` (cheap)."""
    return "releases" not in document and (
        isinstance(document.get("environments"), dict) or isinstance(document.get("bases"), list)
    )


def sources(document: Any) -> list[Source]:
    """Every ``jupyterhub`` chart the GitOps object ``document`` installs (usually one)."""
    if not isinstance(document, dict):
        return []
    kind = kind_of(document)
    if kind is None:
        return []
    if kind in (KUSTOMIZE, GENERATOR, HELMFILE, FLEET):
        from nblint.dialects.z2jh.installers import installer_sources

        return installer_sources(document, kind)
    name, namespace = _name(document)
    if kind == FLUX:
        found = _flux(document, name or "")
    elif kind == ARGO_SET:
        found = _argo(document, name or "", ("spec", "template", "spec"), kind)
        _application_set(document, found)
    else:
        found = _argo(document, name or "")
    target = _release_namespace(document, kind, namespace)
    for source in found:
        source.namespace = namespace
        source.release_namespace = target
    return found


def _release_namespace(document: Any, kind: str, namespace: str | None) -> str | None:
    """Where the object installs the chart: Flux's ``spec.targetNamespace``, defaulting to the
    HelmRelease's namespace; Argo CD's ``spec.destination.namespace`` (an ApplicationSet's in its
    template)."""
    if kind == FLUX:
        return _text(get_path(document, ("spec", "targetNamespace"))[1]) or namespace
    spec = ("spec", "template", "spec") if kind == ARGO_SET else ("spec",)
    return _text(get_path(document, (*spec, "destination", "namespace"))[1])


def _name(document: Any) -> tuple[str | None, str | None]:
    """The object's ``metadata.name`` and ``metadata.namespace``."""
    _, metadata = get_path(document, ("metadata",))
    if not isinstance(metadata, dict):
        return None, None
    return _text(metadata.get("name")), _text(metadata.get("namespace"))


def _flux(document: Any, name: str) -> list[Source]:
    where: Path = ("spec", "chart", "spec")
    _, template = get_path(document, ("spec", "chart"))
    _, chart = get_path(document, where)
    unread: list[tuple[Path, str]] = []
    _, values_from = get_path(document, ("spec", "valuesFrom"))
    if not isinstance(chart, dict):
        return _chart_ref(document, name, values_from)
    if isinstance(template, dict) and template.get("kind") == "OCIRepository":
        # The chart template of an OCIRepository (helm-controller v1.4): the chart is the
        # artifact at `url`, its version the `ref`.
        oci = _oci(chart)
        if oci is None:
            return []
        version, version_key = oci
        if values_from:
            unread.append((("spec", "valuesFrom"), _values_from(values_from)))
        source = Source(
            FLUX,
            name,
            where,
            ("spec", "values"),
            version,
            (*where, *version_key),
            unread=unread,
            repository=_text(chart.get("url")),
        )
        if version is None:
            source.unversioned = _oci_unversioned(version_key)
        return [source]
    wrapper = _wrapper(chart.get("chart"))
    if chart.get("chart") != CHART and wrapper is None:
        return []
    for key, what in (("valuesFiles", "files"), ("valuesFile", "file")):
        if chart.get(key):
            unread.append(((*where, key), f"the values {what} of the chart's source"))
    if values_from:
        unread.append((("spec", "valuesFrom"), _values_from(values_from)))
    source = Source(
        FLUX,
        name,
        where,
        ("spec", "values"),
        _text(chart.get("version")),
        (*where, "version"),
        unread=unread,
    )
    source_ref = chart.get("sourceRef")
    if isinstance(source_ref, dict) and source_ref.get("kind") == REPOSITORY:
        source.repository_ref = (
            _text(source_ref.get("name")) or "",
            _text(source_ref.get("namespace")),
        )
        source.repo_key = "sourceRef"
    if wrapper is not None:
        _wrapped(source, wrapper, source.version)
    return [source]


def _wrapper(chart: Any) -> str | None:
    """``chart`` when it is a chart that installs z2jh as its subchart (daskhub, binderhub)."""
    if not isinstance(chart, str):
        return None
    from nblint.dialects.z2jh.wrappers import chart_names

    return chart if chart in chart_names() else None


def _wrapped(source: Source, wrapper: str, version: str | None) -> None:
    """A Flux or Argo CD release of a wrapper chart at ``version`` (as written): z2jh's values
    are under its ``jupyterhub`` key, at the release that version brings (see
    :func:`.installers._wrapped`)."""
    from nblint.dialects.z2jh.installers import _wrapped as wrapped

    source.root = (*source.root, "jupyterhub")
    source.version = None
    wrapped(
        source, wrapper, version, None if version is None or is_placeholder(version) else version
    )


def _chart_ref(document: Any, name: str, values_from: Any) -> list[Source]:
    """A HelmRelease whose ``spec.chartRef`` names the object that holds its chart. The
    HelmRelease itself names no chart: whether it is z2jh's is the run's to say, from that
    object (among the inputs or not); :attr:`Source.values_say_z2jh` tells whether its values
    alone would (keys only z2jh uses)."""
    where: Path = ("spec", "chartRef")
    _, ref = get_path(document, where)
    if not isinstance(ref, dict) or ref.get("kind") not in CHART_SOURCES:
        return []
    _, values = get_path(document, ("spec", "values"))
    from nblint.dialects.z2jh.root import evidence

    unread: list[tuple[Path, str]] = []
    if values_from:
        unread.append((("spec", "valuesFrom"), _values_from(values_from)))
    namespace = _text(ref.get("namespace"))
    source = Source(
        FLUX,
        name,
        where,
        ("spec", "values"),
        None,
        where,
        unread=unread,
        ref=(str(ref["kind"]), _text(ref.get("name")) or "", namespace),
        values_say_z2jh=evidence(values) > 0,
    )
    source.unversioned = (
        f"takes its chart from the {ref['kind']} `{source.ref[1] if source.ref else ''}` "
        "(`spec.chartRef`), which is not among the inputs: the chart and its version are unknown"
    )
    return [source]


def _oci(spec: Any) -> tuple[str | None, Path] | None:
    """The version an OCIRepository spec asks for of the jupyterhub chart, and the key of
    ``spec`` that says it: ``ref.digest`` wins over ``ref.semver``, which wins over ``ref.tag``
    (the ``latest`` tag when none is given; a digest names no version). None when its ``url``
    is not a ``jupyterhub`` chart."""
    url = _text(spec.get("url"))
    if url is None or url.rstrip("/").rsplit("/", 1)[-1] != CHART:
        return None
    ref = spec.get("ref")
    ref = ref if isinstance(ref, dict) else {}
    if _text(ref.get("digest")):
        return None, ("ref", "digest")
    for key in ("semver", "tag"):
        if _text(ref.get(key)):
            return _text(ref.get(key)), ("ref", key)
    return None, ("url",)


def _oci_unversioned(version_key: Path) -> str:
    if version_key[-1] == "digest":
        return f"pins the chart `{CHART}` by digest (`{format_path(version_key)}`), not a version"
    return f"names the chart `{CHART}` without a tag or range (Flux pulls `latest`)"


class ChartSource(Record):
    """A Flux ``OCIRepository`` or ``HelmChart`` of the inputs, as the run index keeps it for the
    HelmRelease whose ``spec.chartRef`` names it: the chart it holds (the jupyterhub chart's with
    where it pins the version)."""

    __slots__ = (
        "chart",
        "file",
        "kind",
        "line",
        "name",
        "namespace",
        "repository",
        "unnamed",
        "unread",
        "unversioned",
        "version",
        "version_key",
    )

    def __init__(
        self,
        kind: str,
        name: str,
        namespace: str | None,
        version: str | None,
        version_key: Path,
        file: str = "",
        line: int = 1,
        repository: str | None = None,
        unread: str | None = None,
        unversioned: str | None = None,
        chart: str | None = CHART,
        unnamed: str | None = None,
    ) -> None:
        #: The chart it holds (``jupyterhub``, another's name), None when nblint cannot know it
        #: (a path in a git source, whose Chart.yaml names it), :attr:`unnamed` saying why.
        self.chart = chart
        self.unnamed = unnamed
        self.kind = kind
        self.name = name
        self.namespace = namespace
        #: The version or range asked for (None: none known), and its key under ``spec``.
        self.version = version
        self.version_key = version_key
        #: Where that key is (the object's file and line), for messages.
        self.file = file
        self.line = line
        #: The OCIRepository's ``url``.
        self.repository = repository
        #: A HelmChart's ``spec.valuesFiles``, named, which nblint does not read.
        self.unread = unread
        #: Why no version is known, when :attr:`version` is None.
        self.unversioned = unversioned


def chart_source(document: Any) -> ChartSource | None:
    """``document`` as a Flux chart source of the jupyterhub chart: an ``OCIRepository`` whose
    ``spec.url`` ends in ``/jupyterhub``, or a ``HelmChart`` whose ``spec.chart`` is
    ``jupyterhub`` (a name, or a path in a git source); else None (cheap: no walk)."""
    found = flux_source(document)
    return found if found is not None and found.chart == CHART else None


def flux_source(document: Any) -> ChartSource | None:
    """``document`` as a Flux chart source (an ``OCIRepository`` or a ``HelmChart``) of any chart,
    :attr:`ChartSource.chart` saying which, as far as the object says: an OCI artifact's
    repository is named for its chart (``helm push`` names it so), a HelmChart from a
    HelmRepository names it; a path in a git source does not. None for any other object."""
    if not isinstance(document, dict):
        return None
    kind = document.get("kind")
    api = document.get("apiVersion")
    if kind == REPOSITORY:
        return _other_repository(document, api)
    if kind not in CHART_SOURCES or not isinstance(api, str) or not api.startswith(SOURCE_GROUP):
        return None
    spec = document.get("spec")
    if not isinstance(spec, dict):
        return None
    name, namespace = _name(document)
    if kind == "OCIRepository":
        oci = _oci(spec)
        if oci is None:
            url = _text(spec.get("url"))
            chart = url.rstrip("/").rsplit("/", 1)[-1] if url else None
            return ChartSource(
                kind,
                name or "",
                namespace,
                None,
                ("url",),
                repository=url,
                chart=chart or None,
                unnamed=None if chart else "names no `spec.url`",
            )
        version, key = oci
        found = ChartSource(
            kind, name or "", namespace, version, key, repository=_text(spec.get("url"))
        )
        if version is None:
            found.unversioned = _oci_unversioned(key)
        return found
    chart = _text(spec.get("chart"))
    source_ref = spec.get("sourceRef")
    source_kind = source_ref.get("kind") if isinstance(source_ref, dict) else None
    if chart is None or chart.rstrip("/").rsplit("/", 1)[-1] != CHART:
        other = ChartSource(kind, name or "", namespace, None, ("chart",), chart=chart)
        if chart is None:
            other.unnamed = "names no `spec.chart`"
        elif source_kind in ("GitRepository", "Bucket"):
            # The directory's name is not the chart's: its Chart.yaml there says which.
            other.chart = None
            other.unnamed = (
                f"takes the chart at `{chart}` of a {source_kind}, whose Chart.yaml there names "
                "it (nblint does not read it)"
            )
        return other
    # No version means `*`: the newest release of the repository. From a GitRepository or a
    # Bucket, the version is ignored: the chart is whatever the path holds.
    found = ChartSource(kind, name or "", namespace, _text(spec.get("version")), ("version",))
    if source_kind in ("GitRepository", "Bucket"):
        found.version, found.version_key = None, ("chart",)
        found.unversioned = (
            f"takes the chart `{chart}` from a {source_kind}, whose Chart.yaml there "
            "says the version (Flux ignores `spec.version` for it)"
        )
    elif found.version is None:
        found.unversioned = f"names the chart `{CHART}` without a version (`spec.version`)"
    files = spec.get("valuesFiles")
    if files:
        found.unread = _value_files(files, {}).replace("the value files", "the values files", 1)
    return found


def _other_repository(document: dict[Any, Any], api: Any) -> ChartSource | None:
    """A Flux ``HelmRepository`` whose ``spec.url`` is another JupyterHub chart's repository
    (Bitnami's): a :class:`ChartSource` of no chart, its :attr:`ChartSource.repository` the url,
    for the HelmRelease whose ``sourceRef`` names it. None for any other (cheap: no walk)."""
    if not isinstance(api, str) or not api.startswith(SOURCE_GROUP):
        return None
    spec = document.get("spec")
    url = _text(spec.get("url")) if isinstance(spec, dict) else None
    from nblint.dialects.z2jh.other_charts import from_other_repository

    if from_other_repository(url) is None:
        return None
    name, namespace = _name(document)
    return ChartSource(
        REPOSITORY, name or "", namespace, None, ("url",), repository=url, chart=None
    )


def repository_of(source: Source, entries: tuple[Any, ...]) -> ChartSource | None:
    """The ``HelmRepository`` of the inputs (another chart's repository, as indexed) that
    ``source``'s ``sourceRef`` names: same name, in the namespace the reference gives (else the
    HelmRelease's); an object or a reference that gives no namespace matches any."""
    if source.repository_ref is None:
        return None
    name, namespace = source.repository_ref
    namespace = namespace or source.namespace
    matching = [e for e in entries if e.kind == REPOSITORY and e.name == name]
    exact = [e for e in matching if e.namespace == namespace]
    loose = [e for e in matching if e.namespace is None or namespace is None]
    return (exact or loose or [None])[0]


def index(document: Any, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    """What a z2jh document (or each layer of a ``-f`` release) adds to the run index: a Flux
    chart source, with the chart it holds and where it pins the version (:data:`FLUX_CHARTS`)."""
    entries: list[tuple[str, Any]] = []
    for neighbour in () if document.layers else document.neighbours:
        # An Argo CD `$ref/path` value file the run found among the inputs: linted as a layer
        # of the Application's release only (never one input several inputs may be).
        if neighbour.name.startswith(INPUT_SUFFIX) and neighbour.file:
            import os.path

            entries.append((INSTALLER_FILES, os.path.abspath(neighbour.file)))
    for file, root in document.layers or [(document.file, document.root)]:
        if isinstance(root, dict) and installer_kind(root) is not None:
            from nblint.dialects.z2jh.installers import (
                references,
                state_values_files,
                target_values_files,
            )

            entries.extend((INSTALLER_FILES, beside(file, name)) for name in references(root))
            entries.extend(
                (HELMFILE_STATE_FILES, beside(file, name)) for name in state_values_files(root)
            )
            entries.extend(
                (FLEET_TARGET_FILES, beside(file, name)) for name in target_values_files(root)
            )
            continue
        found = flux_source(root)
        if found is None:
            continue
        from nblint.load.provenance import tree_position

        found.file = file
        found.line = tree_position(root, ("spec", *found.version_key))[0]
        entries.append((FLUX_CHARTS, found))
    return entries


def beside(file: str, name: str) -> str:
    """The file ``name`` (as a kustomization or a helmfile names it) beside ``file``, as an
    absolute path: how :data:`INSTALLER_FILES` compares files (no file is read)."""
    import os.path

    return os.path.abspath(os.path.join(os.path.dirname(file), name))


def referenced(source: Source, entries: tuple[Any, ...]) -> ChartSource | None:
    """The chart source of the inputs that ``source``'s ``spec.chartRef`` names: same kind and
    name, in the namespace the reference gives (else the HelmRelease's); an object or a
    reference that gives no namespace matches any (kustomize often sets it for the both)."""
    if source.ref is None:
        return None
    kind, name, namespace = source.ref
    namespace = namespace or source.namespace
    matching = [e for e in entries if e.kind == kind and e.name == name]
    exact = [e for e in matching if e.namespace == namespace]
    loose = [e for e in matching if e.namespace is None or namespace is None]
    return (exact or loose or [None])[0]


def _values_from(entries: Any) -> str:
    """``spec.valuesFrom``'s ConfigMaps and Secrets, named: ``ConfigMap `a`, Secret `b```."""
    named = [
        f"{entry.get('kind')} `{entry.get('name')}`"
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("kind"), str)
    ]
    return f"the values of {', '.join(named)}" if named else "the values it names"


def ignored_source(document: Any) -> tuple[Path, Path, bool] | None:
    """An Argo CD ``spec.source`` (an ApplicationSet's ``spec.template.spec.source``) written
    beside a ``spec.sources`` that lists any: Argo CD reads ``sources`` only (the Application's
    ``HasMultipleSources``; its docs: "When you specify the sources field, Argo CD will ignore
    the source (singular) field"), so nothing of ``source`` is installed. ``(its path, the path
    of sources, whether it names the jupyterhub chart)``, or None (cheap: no walk)."""
    kind = kind_of(document) if isinstance(document, dict) else None
    if kind not in (ARGO, ARGO_SET):
        return None
    spec: Path = ("spec",) if kind == ARGO else ("spec", "template", "spec")
    _, one = get_path(document, (*spec, "source"))
    _, many = get_path(document, (*spec, "sources"))
    if not isinstance(one, dict) or not one or not isinstance(many, list) or not many:
        return None
    return (*spec, "source"), (*spec, "sources"), one.get("chart") == CHART


def _argo(document: Any, name: str, spec: Path = ("spec",), kind: str = ARGO) -> list[Source]:
    """The jupyterhub sources of an Application's ``spec`` (or an ApplicationSet's template's)."""
    found: list[Source] = []
    _, one = get_path(document, (*spec, "source"))
    _, many = get_path(document, (*spec, "sources"))
    # Argo CD ignores `source` when `sources` lists any (the Application's HasMultipleSources).
    candidates: list[tuple[Path, Any]] = [((*spec, "source"), one)]
    if isinstance(many, list) and many:
        candidates = [((*spec, "sources", i), item) for i, item in enumerate(many)]
    refs = {
        item.get("ref"): i
        for i, item in enumerate(many if isinstance(many, list) else [])
        if isinstance(item, dict) and isinstance(item.get("ref"), str)
    }
    for where, source in candidates:
        if not isinstance(source, dict):
            continue
        helm = source.get("helm")
        helm = helm if isinstance(helm, dict) else {}
        wrapper = _wrapper(source.get("chart"))
        path = _git_path(source, helm, refs)
        if source.get("chart") != CHART and wrapper is None and path is None:
            continue
        if (wrapper is not None or path is not None) and isinstance(helm.get("values"), str):
            # A wrapper chart's (or a git path chart's) values as a string: not read (z2jh's sit
            # inside it, where nblint does not look).
            continue
        base: Path = (*where, "helm")
        unread: list[tuple[Path, str]] = []
        files = helm.get("valueFiles")
        ref_files = None
        if files:
            unread.append(((*base, "valueFiles"), _value_files(files, refs, spec)))
            ref_files = _ref_files(files, refs, (*base, "valueFiles"), spec)
        if path is not None and ref_files is None:
            continue  # its `$ref` files are placeholders: nothing the run can find
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
                kind,
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
        found[-1].ref_files = ref_files
        if wrapper is not None:
            _wrapped(found[-1], wrapper, found[-1].version)
        if path is not None:
            _unread_chart(found[-1], path, where)
    return found


def _git_path(source: dict[Any, Any], helm: dict[Any, Any], refs: dict[Any, int]) -> str | None:
    """The ``path`` of an Argo CD git path source (no ``chart``: a directory whose Chart.yaml,
    which nblint does not read, names the chart) whose ``helm.valueFiles`` name a ``$ref/path``
    file of another source: its chart is z2jh's when those values are (the normaliser decides,
    with the files the run read). None for any other source (cheap: no walk)."""
    path = _text(source.get("path"))
    if "chart" in source or path is None or not refs:
        return None
    files = helm.get("valueFiles")
    for entry in files if isinstance(files, list) else ():
        if isinstance(entry, str) and entry.startswith("$") and entry[1:].split("/")[0] in refs:
            return path
    return None


def _unread_chart(source: Source, path: str, where: Path) -> None:
    """A git path source whose chart nblint cannot read: z2jh's only when its values say so
    (:attr:`Source.values_say_z2jh`, as a Flux ``spec.chartRef`` it cannot resolve), its
    version unknown and said at the ``path``."""
    source.values_say_z2jh = False
    source.nesting = ()
    source.version = None  # its `targetRevision` is a git revision, not the chart's version
    source.version_path = (*where, "path")
    source.field = f"`{format_path(source.version_path)}`"
    repository = f" of {source.repository}" if source.repository else ""
    source.unversioned = (
        f"takes its chart from the git path `{path}`{repository} ({source.field}), "
        "whose Chart.yaml there names it (nblint does not read it): the chart and its version "
        "are unknown"
    )


def _ref_files(
    files: Any, refs: dict[Any, int], at: Path, spec: Path
) -> tuple[list[tuple[Path, str, str]], str | None] | None:
    """:attr:`Source.ref_files` of ``helm.valueFiles`` (at ``at``); None when none is a
    ``$ref/path`` whose ref names a source of the object (or the path is a placeholder)."""
    found: list[tuple[Path, str, str]] = []
    other: list[Any] = []
    for i, entry in enumerate(files if isinstance(files, list) else []):
        text = _text(entry)
        ref, _, rest = text[1:].partition("/") if text and text.startswith("$") else ("", "", "")
        if ref in refs and rest.strip("/") and not is_placeholder(text or ""):
            label = f"`{text}` (from `{format_path((*spec, 'sources', refs[ref]))}`)"
            found.append(((*at, i), label, rest))
        else:
            other.append(entry)
    if not found:
        return None
    return found, _value_files(other, refs, spec) if other else None


def ref_suffixes(document: Any) -> tuple[str, ...]:
    """The ``$ref/path`` value files of the jupyterhub sources of an Argo CD object, each named
    for the run as the input whose path ends with the path (``INPUT_SUFFIX``): the repository
    of the ref source may be the one nblint walks (asked of every z2jh document of the kind)."""
    return tuple(
        dict.fromkeys(
            INPUT_SUFFIX + rest
            for source in sources(document)
            if source.ref_files is not None
            for _, _, rest in source.ref_files[0]
        )
    )


def _application_set(document: Any, found: list[Source]) -> None:
    """What an ApplicationSet changes in its template that nblint does not read: a generator's
    own ``template`` (merged over ``spec.template`` for its Applications) and
    ``spec.templatePatch``."""
    unread: list[tuple[Path, str]] = []
    _, generators = get_path(document, ("spec", "generators"))
    for i, generator in enumerate(generators if isinstance(generators, list) else []):
        for key, body in generator.items() if isinstance(generator, dict) else ():
            if isinstance(body, dict) and body.get("template"):
                unread.append(
                    (
                        ("spec", "generators", i, key, "template"),
                        f"the template of its `{key}` generator, merged over `spec.template`",
                    )
                )
    _, patch = get_path(document, ("spec", "templatePatch"))
    if patch:
        unread.append((("spec", "templatePatch"), "the patch of its template"))
    for source in found:
        # A `targetRevision` the generators fill in pins nothing: judged with every other
        # version written as a placeholder (normalise._pinned).
        source.unread = [*source.unread, *unread]


def is_placeholder(text: str) -> bool:
    """A ``{{ … }}`` that an ApplicationSet's generators fill in (Go template or fasttemplate)."""
    return "{{" in text and "}}" in text


def _value_files(files: Any, refs: dict[Any, int], spec: Path = ("spec",)) -> str:
    """``helm.valueFiles``, named; a multi-source ``$ref/path`` with the source it refers to."""
    names: list[str] = []
    for entry in files if isinstance(files, list) else []:
        text = _text(entry)
        if text is None:
            continue
        ref = text[1:].split("/", 1)[0] if text.startswith("$") else None
        if ref is not None and ref in refs:
            names.append(f"`{text}` (from `{format_path((*spec, 'sources', refs[ref]))}`)")
        else:
            names.append(f"`{text}`")
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return f"the value files {shown}" if names else "the value files it names"


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None
