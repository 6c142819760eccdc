"""Text whose real value nblint cannot know: placeholders filled in before the file is applied.

A Helm/Jinja ``{{ }}`` template, a ``${...}`` placeholder (Terraform, envsubst) standing for the
whole value, or a sops-encrypted value: nblint checks such a value for its type at most, never
reads it as what it says. An object's name or namespace is unknowable in more ways, because no
Kubernetes name holds a ``$`` or a ``<``: a ``$(...)`` or ``${...}`` anywhere in it (kustomize
vars, envsubst) is a placeholder too, and so is a ``<NAMESPACE>`` (golden templates).
"""

from __future__ import annotations

import os
import re
from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


#: The pod fact (``EffectivePod.facts``) that says the pod is an object of an OpenShift
#: ``Template``: ``oc process`` fills in a ``${NAME}`` anywhere in its texts.
PARAMETERS_FACT = "template_parameters"
#: The pod fact that holds its OpenShift Template's parameter defaults (``{name: value}``): what
#: ``oc process`` fills in unless ``-p`` says otherwise. Read only to tell what a workload is,
#: never to judge a value.
PARAMETER_DEFAULTS_FACT = "template_parameter_defaults"


def pod_unknowable(facts: Any) -> tuple[bool, bool]:
    """``(templates_literal, parameters)`` of :func:`unknowable_value` for a pod of ``facts``."""
    return not facts.get("templates_are_placeholders"), bool(facts.get(PARAMETERS_FACT))


#: A Helm/Jinja ``{{ }}`` template anywhere, or a value that starts with a ``${...}``
#: placeholder (Terraform, envsubst) or with envsubst's bare ``$NAME`` in capitals (field test
#: 18a D1: ``http: $JUPYTERHUB_PORT``, filled in before ``helm install``); ``${HOME}`` inside a
#: longer command is left alone, and so are ``$(VAR)`` (Kubernetes' own expansion) and
#: ``$abc`` (a password's text).
@cache
def _template() -> re.Pattern[str]:
    return re.compile(r"\{\{.*?\}\}|^\$\{[^}]*\}|^\$[A-Z_][A-Z0-9_]*(?![a-z])", re.S)


@cache
def sops_pattern() -> re.Pattern[str]:
    return re.compile(r"^ENC\[[A-Z0-9_]+,data:")


def is_unknowable(value: Any) -> bool:
    """A template placeholder or a sops-encrypted value: text whose real value nblint cannot
    know."""
    return (
        isinstance(value, str)
        # What every match contains, cheaper than the regexes on the many plain texts.
        and ("{{" in value or value.startswith(("$", "ENC[")))
        and bool(_template().search(value) or sops_pattern().match(value))
    )


def unknowable_value(value: Any, templates_literal: bool = True, parameters: bool = False) -> bool:
    """Whether ``value`` is text nblint cannot know (:func:`is_unknowable`).
    ``templates_literal``: a Helm ``{{ }}`` template counts as its literal text (Helm passes a
    values file's templates on as written, and the loader says so: ``helm-template``), unless
    whoever fills it in is known (an Argo CD ApplicationSet's generators). ``parameters``: the
    value is an OpenShift Template's object, where ``oc process`` fills in a ``${NAME}`` (or
    ``${{NAME}}``) anywhere in a text (``quay.io/team/notebook:${TAG}``)."""
    if not isinstance(value, str):
        return False
    if parameters and "${" in value:
        return True
    if is_unknowable(value):
        return not (templates_literal and not value.startswith(("${", "ENC[")))
    return False


def image_placeholder(image: Any) -> bool:
    """An image reference that holds a placeholder anywhere in its name or tag
    (:func:`is_unknowable`, or a ``${...}`` inside it: ``quay.io/team/notebook:${TAG}``). No
    image reference can hold a ``$`` or a ``{``, so, unlike a ``${HOME}`` inside a command, it
    is provably text filled in before the pod is made: nblint cannot know which image it is."""
    if not isinstance(image, str):
        return False
    at = image.find("${")
    return (at >= 0 and image.find("}", at + 2) >= 0) or is_unknowable(image)


def unknowable_on_path(
    tree: Any, path: tuple[Any, ...], templates_literal: bool = True, parameters: bool = False
) -> bool:
    """Whether the value at ``path`` of ``tree``, or one on the way to it, is unknowable
    (:func:`unknowable_value`; a container's ``image`` also with a placeholder inside it,
    :func:`image_placeholder`): a check that found something there judged a placeholder, not
    the value it stands for."""
    if path and path[-1] == "image":
        image = get_at(tree, path)
        if isinstance(image, str) and "${" in image and image_placeholder(image):
            return True
    node = tree
    for step in path:
        if isinstance(node, dict):
            if step not in node:
                return False
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return False
        if isinstance(node, str) and unknowable_value(node, templates_literal, parameters):
            return True
    return False


def get_at(tree: Any, path: tuple[Any, ...]) -> Any:
    """The value at ``path`` of ``tree``, or None when there is none."""
    node = tree
    for step in path:
        if isinstance(node, dict):
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            node = node[step]
        else:
            return None
    return node


def is_unknowable_name(value: Any) -> bool:
    """An object name or namespace that is a placeholder (:func:`is_unknowable`, or a ``$(...)``
    or ``${...}`` anywhere in it: ``team-$(PROFILE)``, or an ``<...>`` one: ``<NAMESPACE>`` of a
    golden template, which no Kubernetes name can hold either): nblint cannot know which object
    or namespace it will be."""
    return isinstance(value, str) and (
        is_unknowable(value)
        or "$(" in value
        or "${" in value
        or ("<" in value and bool(_angle().search(value)))
    )


@cache
def _angle() -> re.Pattern[str]:
    return re.compile(r"<[^<>]+>")


def placeholder_message(label: str, what: str, value: str, knows: str, effect: str) -> str:
    """``cluster-object-placeholder``: ``what`` of the object ``label`` (its name, its namespace)
    is the placeholder ``value``, so nblint cannot know ``knows``: ``effect``."""
    shown = "" if label.endswith(f"/{value}") else f" ({value})"
    return (
        f"{label}: {what} is a placeholder{shown}, filled in before it is applied, so nblint "
        f"cannot know {knows}: {effect}"
    )


#: The placeholder syntaxes a tool fills in before Helm reads a text, each with how it is named:
#: Helm/Go/Jinja templates, ``${…}`` (Flux ``postBuild.substitute``, envsubst, Terraform),
#: Terraform's ``%{…}`` directives, ``$(…)`` (kustomize vars, a shell).
_SYNTAXES = (
    ("{{", "}}", "a `{{ … }}` template"),
    ("${", "}", "a `${…}` substitution"),
    ("%{", "}", "a `%{…}` directive"),
    ("$(", ")", "a `$(…)` variable"),
)


def placeholder_syntax(text: str) -> str | None:
    """How to name the placeholder in ``text`` (a chart version, a name): ``a `${…}`
    substitution``; None when it holds none. The one judgement of a version written so: it pins
    nothing (the tool that fills it in decides), whichever file or field holds it."""
    for opening, closing, named in _SYNTAXES:
        at = text.find(opening)
        if at >= 0 and text.find(closing, at + len(opening)) >= 0:
            return named
    return None


def may_share_namespace(
    namespace: str | None, file: str | None, other_namespace: str | None, other_file: str | None
) -> bool:
    """Whether two objects of the inputs (written in ``file`` and ``other_file``) may be in one
    namespace. When both name one nblint can know, only the same. Otherwise (one names none,
    which is the namespace it is applied to, or a placeholder, filled in when it is applied)
    only when the two are applied together: written in one directory (``kubectl apply -f
    DIR``; a kustomization, a helmfile or an umbrella chart is one too). A file not known (None)
    may be anywhere. The one rule for every pairing of this kind (a RoleBinding and a pod, a
    Route and the release or workload it serves)."""
    if _known_name(namespace) and _known_name(other_namespace):
        return namespace == other_namespace
    if file is None or other_file is None:
        return True
    return os.path.dirname(file) == os.path.dirname(other_file)


def _known_name(namespace: str | None) -> bool:
    return isinstance(namespace, str) and bool(namespace) and not is_unknowable_name(namespace)
