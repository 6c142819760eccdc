"""Where z2jh sits in a document, and whether a document is z2jh values at all.

Imported with the dialect registry to recognise every document: kept apart from the rest of the
dialect so that recognising a file imports nothing heavy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nblint.dialects.z2jh.umbrella import pins
from nblint.model.document import Neighbour
from nblint.model.pod import get_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Top-level z2jh sections that only a z2jh values file has, with a few keys each that say so.
SIGNATURE_KEYS: dict[str, frozenset[str]] = {
    section: frozenset(keys.split())
    for section, keys in {
        # Every key of the chart's `singleuser` (3.x and 4.x): an overlay may set only one.
        "singleuser": "image profileList storage memory cpu defaultUrl cmd extraEnv cloudMetadata "
        "uid fsGid extraPodConfig serviceAccountName networkPolicy lifecycleHooks initContainers "
        "extraContainers nodeSelector startTimeout extraFiles extraLabels extraAnnotations "
        "extraTolerations extraNodeAffinity extraPodAffinity extraPodAntiAffinity extraResource "
        "allowPrivilegeEscalation networkTools podNameTemplate events "
        # Keys that are not z2jh's but that people write meaning its settings (moved-keys.yaml;
        # Helm refuses them): a layer that sets only one is still z2jh values, whose release
        # Helm would refuse (z2jh-unknown-key), never a silent pass. Bitnami's chart spells its
        # own `containerSecurityContext`/`podSecurityContext`: those are left out.
        "securityContext schedulerStrategy imagePullPolicy imagePullSecret cull volumes "
        "volumeMounts",
        "hub": "config extraConfig image db services baseUrl cookieSecret networkPolicy extraEnv "
        "resources nodeSelector loadRoles allowNamedServers extraFiles templatePaths "
        "templateVars activeServerLimit concurrentSpawnLimit consecutiveFailureLimit "
        "namedServerLimitPerUser authenticatePrometheus redirectToServer shutdownOnLogout",
        "proxy": "secretToken chp traefik https service secretSync",
        "prePuller": "hook continuous extraImages pullProfileListImages",
        "scheduling": "userScheduler userPlaceholder userPods corePods",
        "cull": "enabled timeout every users maxAge",
    }.items()
}
#: The kinds of the GitOps objects that may install z2jh with its values inside, and of the Flux
#: sources that may hold its chart for a HelmRelease (:mod:`.gitops`).
GITOPS_KINDS = (
    "HelmRelease",
    "Application",
    "ApplicationSet",
    "OCIRepository",
    "HelmChart",
    "HelmRepository",
)
#: Keys only the files of :mod:`.installers` have (one of them, when they install a chart).
INSTALLER_KEYS = (
    "helmCharts",
    "helmChartInflationGenerator",
    "releases",
    "environments",
    "bases",
    "helm",  # a Fleet fleet.yaml
)
#: Keys under which umbrella charts (basehub, binderhub, daskhub, …) nest the z2jh chart.
SUBCHART_KEY = "jupyterhub"


class ValuesError(ValueError):
    """A z2jh setting nblint cannot work with (an unknown chart version, a bad root)."""


def parse_root(text: str) -> tuple[str, ...]:
    """``--values-root``: ``"basehub.jupyterhub"`` → ``("basehub", "jupyterhub")``; ``.`` = top."""
    text = text.strip()
    if text in ("", "."):
        return ()
    parts = tuple(part for part in text.split("."))
    if any(not part for part in parts):
        raise ValuesError(f"{text!r}: expected dotted keys, e.g. basehub.jupyterhub")
    return parts


def evidence(node: Any) -> int:
    """How many z2jh sections ``node`` has with keys only z2jh uses (0 = not z2jh)."""
    if not isinstance(node, dict):
        return 0
    score = 0
    for section, signature in SIGNATURE_KEYS.items():
        value = node.get(section)
        if isinstance(value, dict) and any(key in signature for key in value):
            score += 1
    return score


def find_root(document: Any) -> tuple[str, ...] | None:
    """Where z2jh sits in ``document``: ``()``, ``("jupyterhub",)``, ``("binderhub",
    "jupyterhub")``…, or ``None`` when it does not look like z2jh values at all."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return None
    candidates: list[tuple[str, ...]] = [(), (SUBCHART_KEY,)]
    candidates += [
        (str(key), SUBCHART_KEY)
        for key, value in document.items()
        if isinstance(value, dict) and SUBCHART_KEY in value
    ]
    best: tuple[str, ...] | None = None
    best_score = 0
    for candidate in candidates:
        found, node = get_path(document, candidate)
        score = evidence(node) if found else 0
        if score > best_score:  # ties keep the shallower candidate
            best, best_score = candidate, score
    if best is None:
        # A release of a chart that installs z2jh (binderhub), known by that chart's own keys,
        # whose values for z2jh have none of its signature keys (only the hub's ingress).
        from nblint.dialects.z2jh.wrappers import release_root

        wrapped = release_root(document)
        return None if wrapped is None else tuple(str(key) for key in wrapped)
    return best


#: How deep :func:`find_deep_root` looks for z2jh nested in umbrella charts' values.
DEEPEST_ROOT = 6


def find_deep_root(document: Any) -> tuple[str, ...] | None:
    """Where z2jh sits deeper than :func:`find_root` looks (``a.b.jupyterhub``), or None.

    Not linted there unasked (a guess from a few keys): the run says which ``--values-root`` to
    give. A mapping counts when it is under a ``jupyterhub`` key and has one z2jh section, or has
    two; keys with dots cannot be named in a ``--values-root`` and are not followed."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return None
    best: tuple[int, tuple[str, ...]] | None = None
    stack: list[tuple[tuple[str, ...], Any]] = [((), document)]
    while stack:
        path, node = stack.pop()
        for key, value in node.items():
            if not isinstance(value, dict) or not isinstance(key, str) or not key or "." in key:
                continue
            here = (*path, key)
            score = evidence(value)
            if score >= (1 if key == SUBCHART_KEY else 2) and (best is None or score > best[0]):
                best = (score, here)
            if len(here) < DEEPEST_ROOT:
                stack.append((here, value))
    return best[1] if best else None


def root_of(document: Any, values_root: str | None) -> tuple[str, ...] | None:
    """The z2jh root of ``document``: ``values_root`` when given, else detected."""
    if values_root is not None:
        try:
            root = parse_root(values_root)
        except ValuesError:
            return None
        return root if isinstance(get_path(document, root)[1], Mapping) else None
    return find_root(document)


def looks_like_values(document: Any, values_root: str | None) -> bool:
    """Whether ``document`` is z2jh values: at ``values_root`` when given, or detected (a wrong
    ``--values-root`` is then reported on the file rather than skipping it silently)."""
    if values_root is not None and root_of(document, values_root) is not None:
        return True
    if isinstance(document, dict) and (
        any(key in document for key in INSTALLER_KEYS)
        or document.get("kind") == "HelmChartInflationGenerator"
    ):
        # A kustomization, kustomize's generator file, a helmfile or a Fleet fleet.yaml that
        # installs the chart.
        from nblint.dialects.z2jh.gitops import installer_kind, sources

        kind = installer_kind(document)
        if kind is not None:
            if sources(document):
                return True
            # A helmfile's environments: claimed to be indexed (their values files are state
            # values, not z2jh's), then declined.
            from nblint.dialects.z2jh.installers import state_values_files

            return kind == "helmfile" and bool(state_values_files(document))
    if isinstance(document, dict) and document.get("kind") in GITOPS_KINDS:
        # A Flux HelmRelease or an Argo CD Application that installs the jupyterhub chart, or
        # the Flux source that holds the chart for a HelmRelease (read for its version). A
        # HelmRelease whose `spec.chartRef` names the chart elsewhere is claimed whatever its
        # values: only the run index says whose chart it is (the normaliser declines it when
        # that names no jupyterhub chart and the values do not say z2jh either).
        # An Application whose ignored `spec.source` names the chart is claimed too: to say that
        # Argo CD installs none of it (the user may be editing it).
        # Every Flux chart source is claimed, another chart's too: the run index must hold it so
        # that a HelmRelease naming it is known not to be z2jh's (the normaliser declines it).
        from nblint.dialects.z2jh.gitops import flux_source, ignored_source, sources

        if sources(document) or flux_source(document) is not None:
            return True
        ignored = ignored_source(document)
        if ignored is not None and ignored[2]:
            return True
        # An Argo CD object that labels the namespace it creates, whatever it installs: claimed
        # to be indexed (the pods of that namespace are admitted by its labels), then declined.
        from nblint.dialects.z2jh.argo_namespace import managed_metadata

        return managed_metadata(document) is not None
    return find_root(document) is not None or (
        values_root is None
        and (find_deep_root(document) is not None or _other_charts_values(document))
    )


def _other_charts_values(document: Any) -> bool:
    """Values for another JupyterHub chart (Bitnami's), at the top or under ``jupyterhub``:
    claimed, so that the run says they were not checked rather than skipping them."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return False
    from nblint.dialects.z2jh.other_charts import other_chart_keys

    return any(other_chart_keys(get_path(document, root)[1]) for root in ((), (SUBCHART_KEY,)))


def looks_like_values_beside(
    document: Any, values_root: str | None, neighbours: Sequence[Neighbour]
) -> bool:
    """:func:`looks_like_values` for a document beside an umbrella chart: the z2jh values of the
    umbrella chart sit under its dependency's alias, which no content detection would guess."""
    if values_root is None and any(holds_values(document, pin.root) for pin in pins(neighbours)):
        return True
    return looks_like_values(document, values_root)


def holds_values(document: Any, root: tuple[str, ...]) -> bool:
    """Whether ``document`` holds z2jh values at ``root``: a mapping with keys only z2jh uses."""
    if not isinstance(document, dict) or "apiVersion" in document or "kind" in document:
        return False
    found, node = get_path(document, root)
    return found and evidence(node) > 0
