"""Effective pods: the pod admission will see, and where each of its fields came from.

Each dialect's normaliser turns documents into :class:`EffectivePod` objects, each with a
:class:`Provenance` that answers "which line must the user edit to change this field?". Paths
into a pod (:data:`Path`) and the containers PSA walks are defined here too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from nblint.model.origin import Origin as Origin  # where it always lived
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    from nblint.model.edit import Placement
    from nblint.model.namespace import PodAdmission
    from nblint.model.storage import ClaimsOfNamespace

#: A path into a pod object, e.g. ``("spec", "containers", 0, "securityContext")``.
Path = tuple[str | int, ...]


#: The fact a z2jh pod carries when KubeSpawner creates its namespace (``enable_user_namespaces``)
#: with PodSecurity labels of the values (``user_namespace_labels``): that Namespace, as a
#: :class:`nblint.model.namespace.NamespaceManifest`.
USER_NAMESPACE_FACT = "user_namespace"
#: The fact a pod carries when the inputs say who creates it (the API server's user name of the
#: request: z2jh's hub ServiceAccount, ``system:serviceaccount:<namespace>:<name>``), with the
#: values path it is known from: ``(user name, how messages name it)``.
CREATOR_FACT = "created_by"
#: The fact that says a pod's hints are written for another version of its input's format
#: than the input's own (a z2jh release older than any nblint knows): its text says so, and every
#: hint of the pod is advice (``nblint fix`` applies none).
HINTS_FOR_ANOTHER_VERSION = "hints_for_another_version"
#: The fact that says some of a pod's settings may not reach it (z2jh: the hub spawns with a class
#: nblint does not know to be KubeSpawner, which reads `c.KubeSpawner` config only if it is one):
#: ``(text, keys)``, ``keys`` the settings' paths (key lists, found anywhere in a hint's edit).
#: A hint that writes one of them is advice, its text said in a comment (``nblint fix`` applies
#: none of them).
HINTS_MAY_NOT_REACH = "hints_may_not_reach"
#: The fact that says which defaults of a pod nblint guessed (the chart defaults of a z2jh
#: release older than any it knows): the text their origins' notes carry. A finding whose
#: origin carries it is an info: nblint does not know that it holds.
DEFAULTS_GUESSED = "defaults_guessed"


class CodeLine(int):
    """A line (1-based) of a piece of code in a configuration (a z2jh ``hub.extraConfig``
    snippet), as the last step of a path: ``("hub", "extraConfig", "00-auth", CodeLine(3))`` is
    the snippet's third line, named ``hub.extraConfig["00-auth"], line 3``."""


if TYPE_CHECKING:
    # Protocols are for the type checker only (see nblint/__init__.py).
    class Provenance(Protocol):
        """Answers where a pod field came from; every source implements this."""

        def locate(self, path: Path) -> Origin:
            """The origin of ``path``, or of its nearest ancestor that has one."""
            ...

    class Configuration(Protocol):
        """The configuration a pod was generated from, for rules that read it (target ``values``).

        z2jh: the release's merged Helm values. ``locate`` places a path into it, as
        :meth:`Provenance.locate` places a pod path.
        """

        values: Any

        def locate(self, path: Path) -> Origin: ...


class EffectivePod(Record):
    """One pod as admission will see it, and where each of its fields came from.

    A single input may yield several pods: one per z2jh profile and option, one per Notebook.
    """

    __slots__ = (
        "admission",
        "claims",
        "configuration",
        "dialect",
        "facts",
        "file",
        "fix_keys",
        "kind",
        "memo",
        "namespace",
        "object",
        "options",
        "placement",
        "pod",
        "profile",
        "provenance",
    )

    def __init__(
        self,
        file: str,
        object: str,
        dialect: str,
        pod: dict[str, Any],
        provenance: Provenance,
        kind: str = "Pod",
        profile: str | None = None,
        options: dict[str, str] | None = None,
        fix_keys: tuple[str, ...] = (),
        configuration: Configuration | None = None,
        facts: dict[str, Any] | None = None,
        placement: Placement | None = None,
        namespace: str | None = None,
        admission: PodAdmission | None = None,
        memo: dict[str, Any] | None = None,
        claims: ClaimsOfNamespace | None = None,
    ) -> None:
        self.file = file
        #: ``Kind/name`` of the object the user wrote (``Deployment/web``, ``values``,
        #: ``Notebook/x``).
        self.object = object
        #: The dialect that built the pod (a name from the dialect registry).
        self.dialect = dialect
        #: ``{"apiVersion": "v1", "kind": "Pod", "metadata": {...}, "spec": {...}}``.
        self.pod = pod
        self.provenance = provenance
        #: The kind the pod spec was written in (``Pod``, ``Deployment``, …) — API-server defaulting
        #: differs between bare Pods and pod templates.
        self.kind = kind
        self.profile = profile
        #: The profile options chosen for this pod, ``{option: choice}``.
        self.options = options
        #: Keys of a rule's ``fix`` hints that fit this pod, most specific first (``z2jh<4.3``,
        #: ``z2jh``); empty: the dialect's name. ``any`` always comes last.
        self.fix_keys = fix_keys
        #: The configuration behind the pod, when rules may read it (see :class:`Configuration`).
        self.configuration = configuration
        #: Facts about the deployment around the pod that rules may need (z2jh ``cull``, …).
        self.facts: dict[str, Any] = {} if facts is None else facts
        #: Where the fix hints for this pod go in the files the user wrote (see
        #: :mod:`nblint.model.edit`); None: hints are shown, not applied.
        self.placement = placement
        #: The namespace the object names (a manifest's ``metadata.namespace``, a profile's
        #: ``namespace`` trait); None: whichever ``--namespace`` (or ``kubectl -n``) gives.
        self.namespace = namespace
        #: How the pod's namespace admits it, when the run knows the namespace (set by the run
        #: before the pod is checked; see :mod:`nblint.model.namespace`).
        self.admission = admission
        #: The claims of the pod's namespace that the inputs bind to a PersistentVolume, when the
        #: inputs hold any (set by the run before the pod is checked; see
        #: :mod:`nblint.model.storage`): the only claims a fix may name.
        self.claims = claims
        #: What the check stage works out once per pod (its targets), not part of the pod.
        self.memo: dict[str, Any] = {} if memo is None else memo

    def _values(self) -> tuple[Any, ...]:
        # Two pods are equal by what they are: where their hints go, how their namespace admits
        # them and what the check stage remembered about them are not compared.
        hidden = ("admission", "claims", "memo", "placement")
        return tuple([getattr(self, name) for name in self.__slots__ if name not in hidden])

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.pod.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.pod.get("metadata")
        return meta if isinstance(meta, dict) else {}

    def hint_keys(self) -> tuple[str, ...]:
        """:attr:`fix_keys`, or the dialect's own name."""
        return self.fix_keys or (self.dialect,)


def quoted_place(written: str) -> str:
    """A place in values as a message names it: a key path (``format_path``'s text) in
    backticks; the root, which is no key (an empty path), in words."""
    return f"`{written}`" if written else "the top level"


def format_path(path: Path) -> str:
    """``("spec", "containers", 0, "image")`` → ``spec.containers[0].image``; a line of code
    (:class:`CodeLine`, always last) → ``hub.extraConfig["01-auth.py"], line 4``: its piece of
    code is named in brackets, since such a name often holds a dot."""
    if path and path[-1].__class__ is CodeLine:
        return f"{format_path(path[:-2])}[{json.dumps(str(path[-2]))}], line {int(path[-1])}"
    out = ""
    for part in path:
        # One f-string per part, not a piece and a concatenation: a path is formatted for
        # every finding.
        if part.__class__ is int:  # a list index (a bool is a key)
            out = f"{out}[{part}]"
        elif out:
            out = f"{out}.{part}"
        else:
            out = str(part)
    return out


def get_path(obj: Any, path: Path) -> tuple[bool, Any]:
    """Follow ``path`` through nested mappings and lists: ``(found, value)``."""
    for part in path:
        if isinstance(part, int):
            if isinstance(obj, list) and -len(obj) <= part < len(obj):
                obj = obj[part]
            else:
                return False, None
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return False, None
    return True, obj


#: PSA walks init, regular and ephemeral containers, in that order.
CONTAINER_LISTS = (
    ("initContainers", "initContainer"),
    ("containers", "container"),
    ("ephemeralContainers", "ephemeralContainer"),
)


def iter_containers(spec: Any) -> Iterator[tuple[Path, dict[str, Any], dict[str, str]]]:
    """``(path, container, variables)`` for every container PSA looks at."""
    if not isinstance(spec, dict):
        return
    for list_name, container_type in CONTAINER_LISTS:
        items = spec.get(list_name)
        if not isinstance(items, list):
            continue
        for index, container in enumerate(items):
            if isinstance(container, dict):
                name = container.get("name")
                yield (
                    ("spec", list_name, index),
                    container,
                    {
                        "container": name if isinstance(name, str) and name else f"#{index}",
                        "container_type": container_type,
                        "container_list": list_name,
                    },
                )


def notebook_container(spec: Any) -> tuple[Path, dict[str, Any], dict[str, str]] | None:
    """The container the user's notebook runs in: the first regular container.

    That is where KubeSpawner puts the notebook and where the Kubeflow controller expects it;
    a raw manifest is read the same way.
    """
    for found in iter_containers(spec):
        if found[0][1] == "containers":
            return found
    return None
