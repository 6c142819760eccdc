"""Whether a z2jh release is deployed on OpenShift, and how nblint knows.

On OpenShift, KubeSpawner creates each user pod with the hub's ServiceAccount on the pod's own
(``default`` unless ``singleuser.serviceAccountName``), and admission gives it the
``restricted-v2`` SCC unless an administrator grants either account another: the SCC assigns the
pod's ``fsGroup`` and the containers' ``runAsUser`` from the namespace's range, sets the
``RuntimeDefault`` seccomp profile, ``allowPrivilegeEscalation: false`` and drops ``ALL``, and
refuses what it does not allow (:mod:`nblint.dialects.openshift`). Values adapted for OpenShift
therefore null the ids the chart fixes (``singleuser.uid``/``fsGid``, the hub's and proxy's
``runAsUser``) on purpose.

nblint takes a release as OpenShift's only on a sign that says so (:func:`openshift`):

* ``--kubeflow-distribution openshift-ai`` (the one option that says the cluster is OpenShift);
* the release's namespace, among the inputs or ``--cluster-context``, carries OpenShift's
  ``openshift.io/sa.scc.uid-range`` annotation;
* a ``route.openshift.io`` Route among the inputs sends traffic to the chart's ``proxy-public``
  Service in the release's namespace, or, when either names none or a placeholder
  (``<NAMESPACE>``), written beside one of the release's values files or in a directory right
  below one's (an ``openshift/`` folder of the same repository)
  (:func:`nblint.dialects.openshift.route_serves`: a Route of another tree of the inputs serves
  another hub): z2jh claims Routes only to index them (:func:`nblint.dialects.openshift.is_route`,
  every Route, for the raw workloads' signs too), and declines them (skipped, as before);
* the values write what only OpenShift reads: a key of an ``openshift.io`` API domain (the
  ``service.beta.openshift.io/serving-cert-secret-name`` annotation, a
  ``serviceaccounts.openshift.io/oauth-redirectreference`` one), or an image of OpenShift's
  internal registry (``image-registry.openshift-image-registry.svc``);
* a chart id nulled (``singleuser.uid: null`` and the like) together with a value that names
  OpenShift (the ``OpenShiftOAuthenticator``, a name) or an image from ``registry.redhat.io``,
  or with a comment on its line that names it (``uid: # let openshift set the value``).

A null uid alone is no sign: on any cluster it runs the notebook as its image's user.
"""

from __future__ import annotations

from nblint.dialects.openshift import (
    INTERNAL_REGISTRY,
    OPENSHIFT_AI,
    ROUTES,
    is_route,
    namespace_sign,
    route_entry,
)
from nblint.model.pod import format_path, get_path

__all__ = ["INTERNAL_REGISTRY", "OPENSHIFT_AI", "ROUTES", "is_route", "openshift", "route_entry"]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.dialects.z2jh.values import Release
    from nblint.model.document import RunIndex
    from nblint.model.pod import Path

#: The Service of the chart that a Route to JupyterHub sends traffic to.
PROXY_SERVICE = "proxy-public"
#: The ids the chart fixes, which values for OpenShift null for restricted-v2 to assign.
CHART_IDS: tuple[Path, ...] = (
    ("singleuser", "uid"),
    ("singleuser", "fsGid"),
    ("hub", "containerSecurityContext", "runAsUser"),
    ("proxy", "chp", "containerSecurityContext", "runAsUser"),
)
#: Red Hat's registry: images built for OpenShift, though any cluster with its pull secret runs
#: them (corroboration only).
RED_HAT_REGISTRY = "registry.redhat.io/"
#: What a refusal by restricted-v2 takes for granted in a z2jh release.
SCC_ASSUMPTION = (
    "neither the hub's ServiceAccount nor the user pods' may use an SCC but restricted-v2 "
    "(OpenShift's default; an administrator may grant one another, such as anyuid or privileged)"
)
#: What restricted-v2's refusal does to a z2jh user pod.
REFUSED = (
    "KubeSpawner's request to create the pod is forbidden (unable to validate against any "
    "security context constraint) and the user's server fails to start"
)


def openshift(
    release: Release, index: RunIndex, settings: dict[str, Any], written_in: str | None = None
) -> str | None:
    """``assumed: OpenShift, …`` (the sign, for the notes of what the SCC sets and the messages
    of what it refuses) when the release is deployed on OpenShift; None when nothing says so.
    ``written_in``: the file of the document that is the release (a kustomization, a helmfile,
    a GitOps object), which a Route beside it serves as one beside its values files does."""
    if settings.get("kubeflow_distribution") == OPENSHIFT_AI:
        return "assumed: OpenShift, as --kubeflow-distribution openshift-ai says"
    namespace = release.namespace or settings.get("namespace")
    from_namespace = namespace_sign(index, namespace)
    if from_namespace is not None:
        return f"assumed: OpenShift, from {from_namespace}"
    files = release.files
    if written_in is not None and written_in not in files:
        files = [*files, written_in]
    route = _route_sign(index, namespace, files)
    if route is not None:
        return f"assumed: OpenShift, from {route}"
    strong, named = _value_signs(release)
    if strong is not None:
        return f"assumed: OpenShift, from {strong}"
    for path in CHART_IDS:
        if not release.written(path) or get_path(release.values, path)[1] is not None:
            continue
        if named is not None:
            return f"assumed: OpenShift, from `{format_path(path)}: null` with {named}"
        # The null's own comment may say whom it is for (`uid: # let openshift set the value`).
        noted = release.null_comment(path)
        if noted is not None and "openshift" in noted[1].lower():
            from nblint.model.finding import clipped

            return (
                f"assumed: OpenShift, from `{format_path(path)}: null` and its comment "
                f"`# {clipped(noted[1], 60)}`"
            )
    return None


def _route_sign(index: RunIndex, namespace: Any, files: list[str]) -> str | None:
    """A Route of the inputs to ``proxy-public`` that serves this release (written in
    ``files``), said: in the release's namespace, or beside its values when either names none
    or a placeholder (:func:`nblint.dialects.openshift.route_serves`)."""
    from nblint.dialects.openshift import route_serves

    namespace = namespace if isinstance(namespace, str) and namespace else None
    for route_namespace, file, line, service in index.get(ROUTES):
        # A Route to the chart's own Service may sit in a directory below the values too (an
        # `openshift/` overlay of the same repository): no other Service is as sure a sign.
        if service == PROXY_SERVICE and route_serves(
            route_namespace, file, namespace, files, below=True
        ):
            return f"the Route to {PROXY_SERVICE} at {file}:{line}"
    return None


def _value_signs(release: Release) -> tuple[str | None, str | None]:
    """``(a sign only OpenShift gives, a value that names OpenShift)`` in the user's values,
    each said with its path (None: none)."""
    from nblint.model.finding import clipped

    named: str | None = None
    stack: list[tuple[Path, Any]] = [((), values) for values in release.user_values()]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                text = str(key)
                at = (*path, text)
                if "hift" in text:
                    if "openshift.io/" in text:
                        return f"the key `{format_path(at)}`", named
                    if named is None and "openshift" in text.lower():
                        named = f"`{format_path(at)}`"
                stack.append((at, value))
        elif isinstance(node, list):
            stack.extend(((*path, i), item) for i, item in enumerate(node))
        elif isinstance(node, str):
            if INTERNAL_REGISTRY in node:
                return (
                    f"`{format_path(path)}: {clipped(node, 80)}`, OpenShift's internal registry",
                    named,
                )
            if named is None and (
                node.startswith(RED_HAT_REGISTRY)
                or ("hift" in node and "openshift" in node.lower())
            ):
                named = f"`{format_path(path)}: {clipped(node, 80)}`"
    return None, named
