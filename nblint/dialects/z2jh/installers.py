"""z2jh installed by a tool that runs Helm itself from a file of the repository: kustomize's Helm
chart inflation generator, or helmfile. Each chart entry is a :class:`~.gitops.Source`, as a Flux
HelmRelease's is, with every values layer the tool hands Helm in its order
(:attr:`Source.layers`); the normaliser layers them as it layers a HelmRelease's
(:mod:`.normalise`).

* kustomize (``api/types/helmchartargs.go``, ``api/internal/builtins/
  HelmChartInflationGenerator.go``): a kustomization's ``helmCharts`` entries (``kind`` and
  ``apiVersion`` are optional in a kustomization; the deprecated ``helmChartInflationGenerator``
  entries are converted to them, ``chartName``→``name``, ``values``→``valuesFile``,
  ``valuesLocal``→``valuesInline``), or a ``kind: HelmChartInflationGenerator`` generator file,
  whose fields are one entry's, at its top level (a ``helmCharts`` key there is not read by
  kustomize). ``valuesFile`` (default: the chart's own ``values.yaml``) is the one ``-f`` file;
  a non-empty ``valuesInline`` is merged with it first by ``valuesMerge``: ``override`` (the
  default) the inline values over the file's, ``merge`` the file's over the inline ones,
  ``replace`` the inline values instead of the file. ``additionalValuesFiles`` follow as further
  ``-f`` files, in order. Paths are relative to the kustomization. The release's namespace is
  the entry's ``namespace``, else the kustomization's ``namespace:`` (else an overlay's, which
  nblint does not know).
* helmfile (``pkg/state/state.go``): each of a state file's ``releases`` whose ``chart`` is
  ``<repository>/jupyterhub`` (the ``repositories`` entry of that name says its ``url``) or an
  ``oci://…/jupyterhub`` reference; its ``values`` list in order, each a file path (relative to
  the helmfile; a ``.gotmpl`` file is a template helmfile renders: read when it holds no
  template, else said unread; ``{{ .Environment.Name }}`` in a name is ``default`` when the
  state file declares that environment alone, :func:`_environment`) or an inline mapping; then
  its ``secrets`` files (helm-secrets
  decrypts them); then ``set`` and ``setString`` entries, as ``--set``/``--set-string`` (a
  literal ``name``/``value`` is read, ``file``/``values`` entries are not). Every ``{{ … }}`` is
  filled in by helmfile's templating: such a value is unknown, never a Helm template. A helmfile
  written as ``helmfile.yaml.gotmpl`` is read where each template is a value
  (:func:`nblint.load.yaml_tree.iter_documents`). Its ``environments``' values and its own
  ``values:`` are state values that only its templates read (:func:`state_values_files`): never
  a release's layer, nor z2jh values of their own.

* Rancher Fleet (``internal/bundlereader/resources.go``, ``internal/helmdeployer/install.go``,
  ``internal/namespaces``): a ``fleet.yaml``'s ``helm:`` whose ``chart`` is ``jupyterhub`` (a
  name in the ``repo``, an ``oci://…/jupyterhub`` reference, or, without ``chart``, an
  ``oci://…/jupyterhub`` ``repo``), at its ``version``; or a chart archive Helm takes as it is
  (``https://…/jupyterhub-3.3.7.tgz``; a helmfile release's ``chart`` too), at the version its
  file name says (:func:`chart_name`). ``fleet apply`` merges each of
  ``valuesFiles`` (relative to the fleet.yaml), in order, *over* ``helm.values``; the agent then
  merges each ``valuesFrom`` ConfigMap or Secret of the downstream cluster over those (not read,
  said), and ``templateValues`` (not read, said). ``targetCustomizations`` replace the helm
  options (values, values files, version) on the clusters they match, which nblint does not
  know: said, never applied; a file only they name is no release of its own
  (:func:`target_values_files`). The release's namespace is ``namespace``, else
  ``defaultNamespace`` (a GitRepo's ``targetNamespace`` may override both).

A wrapper chart (binderhub, daskhub: :mod:`.wrappers`) is read too: z2jh's values are under its
``jupyterhub`` key, over that chart's defaults for it; the z2jh release its version brings is
not read. Imported by :mod:`.gitops` only for a file of one of these kinds.
"""

from __future__ import annotations

import re
from functools import cache

from nblint.dialects.z2jh.gitops import (
    CHART,
    FLEET,
    GENERATOR,
    HELMFILE,
    KUSTOMIZE,
    Source,
    is_placeholder,
)
from nblint.model.pod import Path, format_path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The kinds of :class:`Layer`.
INLINE, FILE, SET = "inline", "file", "set"
#: The key z2jh's values sit under in a wrapper chart's values.
SUBCHART = "jupyterhub"
#: kustomize's ``valuesMerge`` options (``override`` when not given).
MERGES = ("override", "merge", "replace")
#: The deprecated ``helmChartInflationGenerator`` entries' keys, as ``helmCharts`` names them.
DEPRECATED_KEYS = {
    "chartName": "name",
    "chartVersion": "version",
    "chartRepoUrl": "repo",
    "values": "valuesFile",
    "valuesLocal": "valuesInline",
    "valuesMerge": "valuesMerge",
    "releaseName": "releaseName",
}


class Layer(Record):
    """One values layer a tool hands Helm for a release: inline values of the file (at
    :attr:`path`), a values file it names (:attr:`file`, written at :attr:`path`), or one
    ``--set`` value (:attr:`name` set to :attr:`text`, written at :attr:`path`)."""

    __slots__ = ("file", "kind", "name", "path", "string", "text")

    def __init__(
        self,
        kind: str,
        path: Path,
        file: str | None = None,
        name: str | None = None,
        text: str | None = None,
        string: bool = False,
    ) -> None:
        self.kind = kind
        self.path = path
        self.file = file
        self.name = name
        self.text = text
        #: ``setString``: the value stays text.
        self.string = string


def installer_sources(document: Any, kind: str) -> list[Source]:
    """Every chart entry of ``document`` (a file of ``kind``) that installs z2jh."""
    if kind == HELMFILE:
        return _helmfile(document)
    if kind == FLEET:
        return _fleet(document)
    if kind == GENERATOR:
        metadata = document.get("metadata")
        name = _text(metadata.get("name")) if isinstance(metadata, dict) else None
        found = _kustomize_entry(document, (), None)
        for source in found:
            source.kind, source.name = GENERATOR, name or ""
            source.title = None
        return found
    namespace = _text(document.get("namespace"))
    found = []
    charts = document.get("helmCharts")
    for i, entry in enumerate(charts if isinstance(charts, list) else []):
        found.extend(_kustomize_entry(entry, ("helmCharts", i), namespace))
    old = document.get("helmChartInflationGenerator")
    for i, entry in enumerate(old if isinstance(old, list) else []):
        if isinstance(entry, dict):
            # As kustomize converts it: the same fields under their `helmCharts` names (no
            # namespace of its own: `releaseNamespace` is dropped by the conversion).
            renamed = {new: entry[key] for key, new in DEPRECATED_KEYS.items() if key in entry}
            where: Path = ("helmChartInflationGenerator", i)
            found.extend(_kustomize_entry(renamed, where, namespace, DEPRECATED_KEYS))
    return found


def _kustomize_entry(
    entry: Any, where: Path, namespace: str | None, renamed: dict[str, str] | None = None
) -> list[Source]:
    """A kustomize chart entry at ``where`` (``entry``, its keys as ``helmCharts`` names them;
    ``renamed``: a deprecated entry's keys, as its file writes them), when it installs z2jh."""
    if not isinstance(entry, dict):
        return []
    keys = {new: old for old, new in (renamed or {}).items()}

    def at(key: str) -> Path:
        return (*where, keys.get(key, key))

    chart = _text(entry.get("name"))
    wrapper = _wrapper(chart)
    if chart != CHART and wrapper is None:
        return []
    inline = at("valuesInline")
    merge = _text(entry.get("valuesMerge")) or "override"
    values_file = _text(entry.get("valuesFile"))
    has_inline = isinstance(entry.get("valuesInline"), dict) and bool(entry.get("valuesInline"))
    own = [Layer(INLINE, inline)]
    below: list[Layer] = []
    if values_file is not None and not (has_inline and merge == "replace"):
        below = [Layer(FILE, at("valuesFile"), file=values_file)]
    layers = [*own, *below] if has_inline and merge == "merge" else [*below, *own]
    extra = entry.get("additionalValuesFiles")
    for j, name in enumerate(extra if isinstance(extra, list) else []):
        text = _text(name)
        if text is not None:
            layers.append(Layer(FILE, (*at("additionalValuesFiles"), j), file=text))
    release = _text(entry.get("releaseName"))
    source = Source(
        KUSTOMIZE,
        release or "",
        where,
        (*inline, SUBCHART) if wrapper else inline,
        None if wrapper else _text(entry.get("version")),
        at("version"),
        repository=_text(entry.get("repo")),
        release_namespace=_text(entry.get("namespace")) or namespace,
    )
    source.tool = "kustomize"
    source.chart_key, source.repo_key = keys.get("name", "name"), keys.get("repo", "repo")
    source.layers = layers
    named = f" `{release}`" if release else ""
    source.title = f"the kustomize chart entry{named} (`{format_path(where)}`)"
    if merge not in MERGES:
        refused = f"`valuesMerge: {merge}`, which kustomize refuses"
        source.unread.append((at("valuesMerge"), refused))
    if wrapper is not None:
        # Without a `repo`, kustomize takes the chart in its chart home, whatever `version` says.
        version = _text(entry.get("version"))
        _wrapped(source, wrapper, version, version if source.repository is not None else None)
    elif source.repository is None:
        # No repo to pull from: kustomize takes the chart found in its chart home as it is,
        # without checking `version`.
        source.version = None
        source.version_path = at("name")
        source.unversioned = (
            f"names no `repo`: kustomize takes the chart `{CHART}` from its chart home "
            "(`charts/jupyterhub`, `helmGlobals.chartHome`) as found there, whose Chart.yaml "
            "says the version (nblint does not read it)"
        )
    return [source]


def _helmfile(document: Any) -> list[Source]:
    """The releases of a helmfile state file that install z2jh."""
    repositories = {
        str(entry.get("name")): entry
        for entry in document.get("repositories") or []
        if isinstance(entry, dict) and entry.get("name") is not None
    }
    found: list[Source] = []
    for i, release in enumerate(document.get("releases") or []):
        if not isinstance(release, dict):
            continue
        chart = _text(release.get("chart"))
        if chart is None or release.get("installed") is False:
            continue  # (`installed: false`: helmfile deletes the release, if anything)
        name, pinned = chart_name(chart)
        wrapper = _wrapper(name)
        if name != CHART and wrapper is None:
            continue
        found.append(
            _helmfile_release(
                release,
                ("releases", i),
                chart,
                repositories,
                wrapper,
                _environment(document),
                pinned,
            )
        )
    return found


#: helmfile's environment when none is given (``helmfile`` without ``-e``).
DEFAULT_ENVIRONMENT = "default"


def _environment(document: dict[Any, Any]) -> str | None:
    """The environment a helmfile is applied in when nblint can know it: ``default``, when its
    ``environments`` declare that one alone (helmfile refuses an ``-e`` it does not declare) and
    no ``bases`` may bring more; else None (which one is the command line's). A state file that
    declares none may be one part of several (``---``), whose others may declare them: unknown."""
    environments = document.get("environments")
    if document.get("bases") or not isinstance(environments, dict):
        return None
    return DEFAULT_ENVIRONMENT if set(environments) == {DEFAULT_ENVIRONMENT} else None


@cache
def _environment_name() -> re.Pattern[str]:
    return re.compile(r"\{\{-?\s*\$?\.Environment\.Name\s*-?\}\}")


def _helmfile_release(
    release: dict[Any, Any],
    where: Path,
    chart: str,
    repositories: dict[str, Any],
    wrapper: str | None,
    environment: str | None = None,
    pinned: str | None = None,
) -> Source:
    layers: list[Layer] = []
    unread: list[tuple[Path, str]] = []
    values = release.get("values")
    for j, entry in enumerate(values if isinstance(values, list) else []):
        path: Path = (*where, "values", j)
        if isinstance(entry, dict):
            layers.append(Layer(INLINE, path))
            continue
        text = _text(entry)
        if text is None:
            continue
        if environment is not None and ".Environment.Name" in text:
            # `./config-{{ .Environment.Name }}.yaml` of a helmfile with one environment.
            text = _environment_name().sub(environment, text)
        if is_placeholder(text):
            unread.append((path, f"the values template `{text}`, which helmfile renders"))
        elif any(c in text for c in "*?["):
            unread.append((path, f"the values files matching `{text}`"))
        else:
            layers.append(Layer(FILE, path, file=text))
    secrets = release.get("secrets")
    for j, entry in enumerate(secrets if isinstance(secrets, list) else []):
        named = f"`{_text(entry)}`" if _text(entry) else "inline"
        unread.append(((*where, "secrets", j), f"the secrets {named}, which helm-secrets decrypts"))
    for key, string in (("set", False), ("setString", True)):
        entries = release.get(key)
        for j, entry in enumerate(entries if isinstance(entries, list) else []):
            layer = _set_layer(entry, (*where, key, j), string)
            if layer is not None:
                layers.append(layer)
            elif isinstance(entry, dict):
                unread.append(((*where, key, j), f"the `{key}` entry `{entry.get('name')}`"))
    installed = _text(release.get("installed"))
    if installed is not None and is_placeholder(installed):
        # Whether helmfile installs it at all is the template's to say: linted as installed.
        unread.append(
            ((*where, "installed"), f"`installed: {installed}`, which says if it is installed")
        )
    for key, what in (
        ("inherit", "the values of the release templates it inherits"),
        ("valuesTemplate", "the values templates it renders"),
    ):
        if release.get(key):
            unread.append(((*where, key), what))
    inline = [layer.path for layer in layers if layer.kind == INLINE]
    if inline:
        root = inline[-1]
    else:
        # No mapping of its own: where one would be added (a hint there is shown, not written).
        count = len(values) if isinstance(values, list) else 0
        root = (*where, "values", count)
    name = _text(release.get("name")) or ""
    repository, local = _helmfile_repository(chart, repositories)
    # A chart archive (`…/jupyterhub-3.3.7.tgz`) is the version its file name says.
    local = local and pinned is None
    version = pinned or _text(release.get("version"))
    source = Source(
        HELMFILE,
        name,
        where,
        (*root, SUBCHART) if wrapper else root,
        None if wrapper or local else version,
        (*where, "chart") if pinned else (*where, "version"),
        unread=unread,
        repository=repository,
        release_namespace=_known(_text(release.get("namespace"))),
    )
    source.tool = "helmfile"
    source.repo_key = "chart"
    source.layers = layers
    source.title = f"the helmfile release `{name}`" if name else "the helmfile release"
    source.placeholders = "helmfile's templating"
    if wrapper is not None:
        # A local directory is installed as found there; helmfile's templating fills in a `{{ }}`.
        installs = None if local or version is None or is_placeholder(version) else version
        _wrapped(source, wrapper, version, installs)
    elif local:
        source.unversioned = (
            f"installs the chart at `{chart}`, a directory whose Chart.yaml says its version "
            "(nblint does not read it)"
        )
    # A `version` helmfile's templating fills in pins nothing: judged with every other version
    # written as a placeholder (normalise._pinned).
    return source


def _fleet(document: Any) -> list[Source]:
    """The ``helm:`` of a Fleet ``fleet.yaml``, when it installs z2jh (or a wrapper chart)."""
    helm = document["helm"]
    where: Path = ("helm",)
    chart = _text(helm.get("chart"))
    repository = _text(helm.get("repo"))
    reference = chart or (repository if repository and repository.startswith("oci://") else None)
    if reference is None:
        return []
    name, pinned = chart_name(reference)
    wrapper = _wrapper(name)
    if name != CHART and wrapper is None:
        return []
    layers = [Layer(INLINE, (*where, "values"))]
    files = helm.get("valuesFiles")
    for j, entry in enumerate(files if isinstance(files, list) else []):
        text = _text(entry)
        if text is not None:
            # `fleet apply` merges each file over `helm.values`, in order.
            layers.append(Layer(FILE, (*where, "valuesFiles", j), file=text))
    unread: list[tuple[Path, str]] = []
    if helm.get("templateValues"):
        unread.append(((*where, "templateValues"), "the template values Fleet renders"))
    values_from = helm.get("valuesFrom")
    if values_from:
        unread.append(((*where, "valuesFrom"), _fleet_values_from(values_from)))
    targets = _fleet_targets(document.get("targetCustomizations"))
    if targets:
        unread.append((("targetCustomizations",), targets))
    release = _text(helm.get("releaseName"))
    # A chart archive (`…/jupyterhub-3.3.7.tgz`, downloaded or in the bundle) is the version its
    # file name says, whatever `helm.version` says.
    local = pinned is None and chart is not None and repository is None and not _remote(chart)
    version = pinned or _text(helm.get("version"))
    namespace = _text(document.get("namespace")) or _text(document.get("defaultNamespace"))
    source = Source(
        FLEET,
        release or "",
        where,
        (*where, "values", SUBCHART) if wrapper else (*where, "values"),
        None if wrapper or local else version,
        (*where, "chart") if pinned else (*where, "version"),
        unread=unread,
        repository=repository or (chart if chart and (pinned or _remote(chart)) else None),
        release_namespace=_known(namespace),
    )
    source.tool = "Fleet"
    source.repo_key = "repo"
    source.layers = layers
    named = f" `{release}`" if release else ""
    source.title = f"the Fleet bundle{named} (`helm`)"
    if wrapper is not None:
        _wrapped(source, wrapper, version, None if local else version)
    elif local:
        source.unversioned = (
            f"installs the chart at `{chart}`, a directory of the bundle whose Chart.yaml says "
            "its version (nblint does not read it)"
        )
    return [source]


#: A chart archive's file name, as ``helm package`` writes it: ``<chart>-<version>.tgz``.
_ARCHIVE = (
    r"(?P<name>[a-z0-9][a-z0-9-]*?)-(?P<version>v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\.tgz"
)
#: An OCI reference that pins its tag: ``oci://…/<chart>:<version>``.
_OCI_TAG = r"(?P<name>[a-z0-9][a-z0-9-]*):(?P<version>v?\d+\.\d+\.\d+[0-9A-Za-z.+-]*)"


@cache
def _archive() -> re.Pattern[str]:
    return re.compile(_ARCHIVE)


@cache
def _oci_tag() -> re.Pattern[str]:
    return re.compile(_OCI_TAG)


def chart_name(reference: str) -> tuple[str, str | None]:
    """The chart a tool's chart reference names, and the version the reference itself pins:
    ``jupyterhub`` (a name in a repository, a directory, ``oci://…/jupyterhub``), a chart
    archive Helm takes as it is (``https://…/jupyterhub-3.3.7.tgz``, a ``.tgz`` beside: the
    version its file name says), or an OCI reference with a tag (``oci://…/jupyterhub:3.3.7``).
    """
    last = reference.rstrip("/").rsplit("/", 1)[-1]
    if last.endswith(".tgz") or ("?" in last and ".tgz?" in last):
        match = _archive().fullmatch(last.split("?", 1)[0])
        if match is not None:
            return match["name"], match["version"]
    if reference.startswith("oci://") and ":" in last:
        match = _oci_tag().fullmatch(last)
        if match is not None:
            return match["name"], match["version"]
    return last, None


def _remote(chart: str) -> bool:
    """A chart Fleet downloads (an OCI reference, a go-getter URL), not a directory beside."""
    return "://" in chart or chart.startswith(("git::", "github.com/", "s3::", "gcs::"))


def _fleet_values_from(entries: Any) -> str:
    """``helm.valuesFrom``'s ConfigMaps and Secrets, named."""
    named: list[str] = []
    for entry in entries if isinstance(entries, list) else []:
        for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            ref = entry.get(key) if isinstance(entry, dict) else None
            if isinstance(ref, dict):
                named.append(f"{kind} `{_text(ref.get('name')) or ''}`")
    shown = ", ".join(named) if named else "the objects it names"
    return f"the values of {shown}, which the Fleet agent reads from the downstream cluster"


def _fleet_targets(entries: Any) -> str | None:
    """The ``targetCustomizations`` that change the helm options on the clusters they match,
    named (with what each changes); None when none does."""
    named: list[str] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        helm = entry.get("helm") if isinstance(entry, dict) else None
        if not isinstance(helm, dict) or not helm:
            continue
        keys = ", ".join(f"`{key}`" for key in helm if isinstance(key, str))
        files = helm.get("valuesFiles")
        named_files = [_text(name) for name in (files if isinstance(files, list) else [])]
        if any(named_files):
            # The files it layers, named: each is a layer of this release there, never one alone.
            keys += ": " + ", ".join(f"`{name}`" for name in named_files if name)
        label = _text(entry.get("name")) or f"#{i + 1}"
        named.append(f"`{label}` ({keys})")
    if not named:
        return None
    return (
        f"the helm options of targetCustomizations {', '.join(named)}, which change them on "
        "the clusters they match"
    )


#: The values keys a customization may set that decide whether a fix that drops capabilities,
#: refuses escalation or requires non-root breaks the pod (a root user, sudo, a privilege).
_SAFETY_KEYS = frozenset(
    (
        "uid",
        "GRANT_SUDO",
        "allowPrivilegeEscalation",
        "privileged",
        "runAsUser",
        "runAsNonRoot",
        "capabilities",
    )
)


def unread_sets(document: Any, source: Source) -> str | None:
    """What the Fleet ``targetCustomizations`` of ``document`` that nblint did not read set that
    the safety of a fix rests on (``singleuser.uid: 0``), as ```gpu-lab` sets …``; None when
    none sets any (or ``source`` is no Fleet bundle's). Said in the note of such a fix."""
    if source.kind != FLEET:
        return None
    entries = document.get("targetCustomizations") if isinstance(document, dict) else None
    # The z2jh values sit where they sit under `helm.values` (under the wrapper chart's key).
    below = source.root[len(source.where) + 1 :]
    said: list[str] = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        helm = entry.get("helm") if isinstance(entry, dict) else None
        values = helm.get("values") if isinstance(helm, dict) else None
        for key in below:
            values = values.get(key) if isinstance(values, dict) else None
        found: list[str] = []
        _safety_values(values, (), found)
        if found:
            label = _text(entry.get("name")) or f"#{i + 1}"
            said.append(f"`{label}` sets {', '.join(found[:4])}")
    return "; ".join(said) or None


def _safety_values(tree: Any, path: Path, found: list[str]) -> None:
    """``key.path: value`` of each value under ``tree`` whose path holds one of
    :data:`_SAFETY_KEYS` (a list entry by its ``name``: ``extraEnv`` as a list)."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            _safety_values(value, (*path, key), found)
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            name = value.get("name") if isinstance(value, dict) else None
            if isinstance(name, str) and "value" in value:
                _safety_values(value["value"], (*path, name), found)
            else:
                _safety_values(value, (*path, i), found)
    elif any(key in _SAFETY_KEYS for key in path):
        shown = "null" if tree is None else str(tree).lower() if isinstance(tree, bool) else tree
        found.append(f"{format_path(path)}: {shown}")


def _set_layer(entry: Any, path: Path, string: bool) -> Layer | None:
    """A ``set``/``setString`` entry that gives one literal value, as a layer; None for one that
    nblint does not read (``file``, ``values``, a template)."""
    if not isinstance(entry, dict) or entry.get("file") or entry.get("values"):
        return None
    name, value = _text(entry.get("name")), entry.get("value")
    if name is None or value is None or isinstance(value, (dict, list)):
        return None
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if text == "" or is_placeholder(text) or is_placeholder(name):
        return None
    return Layer(SET, path, name=name, text=text, string=string)


def _helmfile_repository(chart: str, repositories: dict[str, Any]) -> tuple[str | None, bool]:
    """Where a helmfile release's chart comes from (the url of the repository it names), and
    whether it is a local directory."""
    if chart.startswith("oci://") or "://" in chart:
        return chart, False
    if chart.startswith((".", "/")) or "/" not in chart:
        return None, chart.startswith((".", "/"))
    prefix = chart.rsplit("/", 1)[0]
    entry = repositories.get(prefix)
    return (_text(entry.get("url")) if entry is not None else None), False


def _wrapper(chart: str | None) -> str | None:
    from nblint.dialects.z2jh.wrappers import chart_names

    return chart if chart is not None and chart in chart_names() else None


def _wrapped(source: Source, wrapper: str, version: str | None, installs: str | None) -> None:
    """A release of a wrapper chart (``version`` as written; ``installs``: the version the tool
    installs, when that is the one written): the z2jh release it brings is the one its version
    pins (:func:`.wrappers.installed`), when the table knows it."""
    source.wrapper = wrapper
    source.wrapper_version = installs
    pinned = f"{wrapper} {version}" if version else wrapper
    source.unversioned = (
        f"installs {pinned}, which installs z2jh as a dependency of its own at the release that "
        "chart names, which nblint does not read"
    )


def references(document: Any) -> tuple[str, ...]:
    """The values files (relative to the file) that the z2jh releases of ``document`` read: the
    run reads those beside it (``Dialect.references``)."""
    from nblint.dialects.z2jh.gitops import installer_kind

    if not isinstance(document, dict):
        return ()
    kind = installer_kind(document)
    if kind is None:
        return ()
    return tuple(
        dict.fromkeys(
            layer.file
            for source in installer_sources(document, kind)
            for layer in source.layers or ()
            if layer.kind == FILE and layer.file
        )
    )


def state_values_files(document: Any) -> tuple[str, ...]:
    """The files a helmfile names as its state values (relative to the helmfile): its own
    ``values`` and its ``environments``' values, which its templates read (``.Values``,
    ``.StateValues``), never Helm. A template in a name is not a file."""
    if not isinstance(document, dict):
        return ()
    environments = document.get("environments")
    lists = [document.get("values")]  # the helmfile's own `values:`, the state values' defaults
    for environment in environments.values() if isinstance(environments, dict) else ():
        lists.append(environment.get("values") if isinstance(environment, dict) else None)
    found: list[str] = []
    for values in lists:
        for entry in values if isinstance(values, list) else ():
            text = _text(entry)
            if text is not None and not is_placeholder(text):
                found.append(text)
    return tuple(dict.fromkeys(found))


def target_values_files(document: Any) -> tuple[str, ...]:
    """The values files (relative to the fleet.yaml) that only the ``targetCustomizations`` of a
    Fleet bundle that installs z2jh name (``helm.valuesFiles``): layers of its release on the
    clusters they match, not read (:func:`_fleet_targets` says so), never a release of their
    own. Empty for any other document."""
    if not isinstance(document, dict) or not isinstance(document.get("targetCustomizations"), list):
        return ()
    from nblint.dialects.z2jh.gitops import installer_kind

    if installer_kind(document) != FLEET or not _fleet(document):
        return ()
    found: list[str] = []
    for entry in document["targetCustomizations"]:
        helm = entry.get("helm") if isinstance(entry, dict) else None
        files = helm.get("valuesFiles") if isinstance(helm, dict) else None
        for name in files if isinstance(files, list) else ():
            text = _text(name)
            if text is not None:
                found.append(text)
    return tuple(dict.fromkeys(found))


def _known(text: str | None) -> str | None:
    """``text``, unless helmfile's templating fills it in (then it is unknown)."""
    return None if text is None or is_placeholder(text) else text


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None
