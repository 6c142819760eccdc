"""The objects every stage of the pipeline hands to the next.

load → recognise → normalise → check → report:

* the loader produces :class:`Document` trees whose mappings and lists remember where each key and
  item was written (:mod:`nblint.load.yaml_tree`);
* each dialect's normaliser turns documents into :class:`EffectivePod` objects — the pod the
  cluster will really admit — each with a :class:`Provenance` that answers "which line must the
  user edit to change this field?";
* rules produce :class:`Finding` objects, which the reporters print.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

#: A path into a pod object, e.g. ``("spec", "containers", 0, "securityContext")``.
Path = tuple[str | int, ...]

SEVERITIES = ("error", "warning", "info")

#: Extended resources that give a pod a GPU (or a GPU-like accelerator).
_GPU_RESOURCE = re.compile(r"^(nvidia\.com/gpu|amd\.com/gpu|habana\.ai/gaudi|gpu\.intel\.com/.+)$")


def is_gpu_resource(name: object) -> bool:
    return isinstance(name, str) and _GPU_RESOURCE.match(name) is not None


SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


@dataclass(frozen=True)
class Origin:
    """Where a field of an effective pod came from.

    ``file``/``line``/``column`` is the place the user edits (1-based). ``note`` says how the field
    got its value when that place does not show it literally, e.g. ``"chart default of z2jh 4.4.0"``
    or ``"API-server defaulting of hostPort from hostNetwork: true"``.
    """

    file: str
    line: int
    column: int
    note: str = ""


class Provenance(Protocol):
    """Answers where a pod field came from; every source implements this."""

    def locate(self, path: Path) -> Origin:
        """The origin of ``path``, or of its nearest ancestor that has one."""
        ...


@dataclass
class EffectivePod:
    """One pod as admission will see it, and where each of its fields came from.

    A single input may yield several pods: one per z2jh profile and option, one per Notebook.
    """

    file: str
    #: ``Kind/name`` of the object the user wrote (``Deployment/web``, ``values``, ``Notebook/x``).
    object: str
    #: ``manifest``, ``z2jh`` or ``kubeflow``: decides the language of fix hints.
    dialect: str
    #: ``{"apiVersion": "v1", "kind": "Pod", "metadata": {...}, "spec": {...}}``.
    pod: dict[str, Any]
    provenance: Provenance
    #: The kind the pod spec was written in (``Pod``, ``Deployment``, …) — API-server defaulting
    #: differs between bare Pods and pod templates.
    kind: str = "Pod"
    profile: str | None = None
    #: The profile options chosen for this pod, ``{option: choice}``.
    options: dict[str, str] | None = None
    #: Facts about the deployment around the pod that rules may need (z2jh ``cull``, …).
    facts: dict[str, Any] = field(default_factory=dict)
    #: What the check stage works out once per pod (its targets), not part of the pod.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def spec(self) -> dict[str, Any]:
        spec = self.pod.get("spec")
        return spec if isinstance(spec, dict) else {}

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.pod.get("metadata")
        return meta if isinstance(meta, dict) else {}


@dataclass(frozen=True)
class PsaRef:
    """The upstream Pod Security Admission check a finding corresponds to."""

    check: str
    level: str
    version: str

    def as_dict(self) -> dict[str, str]:
        return {"check": self.check, "level": self.level, "version": self.version}


@dataclass
class Finding:
    """One problem, placed at the line the user must edit, with its fix in the input's dialect."""

    rule: str
    group: str
    severity: str
    message: str
    file: str
    line: int
    column: int
    object: str | None = None
    profile: str | None = None
    container: str | None = None
    psa: PsaRef | None = None
    fix: str | None = None
    #: How the offending value got there, when the line alone does not say it.
    note: str = ""
    #: Path of the offending field within the effective pod (``spec.containers[0]...``).
    field: str | None = None
    options: dict[str, str] | None = None

    def identity(self) -> tuple[Any, ...]:
        """Equal for the same finding reported twice (by two profiles, by two releases)."""
        return (
            self.rule,
            self.file,
            self.line,
            self.column,
            self.message,
            self.object,
            self.profile,
            self.options and tuple(self.options.items()),
            self.container,
            self.field,
        )

    def context(self) -> dict[str, str]:
        """Where in the input's objects the finding is: see :func:`context`."""
        return context(self.object, self.profile, self.container, self.field)

    def sort_key(self) -> tuple[Any, ...]:
        return (self.file, self.line, self.column, self.object or "", self.profile or "", self.rule)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "group": self.group,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "object": self.object,
            "profile": self.profile,
            "options": self.options,
            "container": self.container,
            "field": self.field,
            "psa": self.psa.as_dict() if self.psa else None,
            "fix": self.fix,
            "note": self.note or None,
        }


def context(
    object: str | None, profile: str | None, container: str | None, field: str | None
) -> dict[str, str]:
    """Where a finding is, as far as it says: object, profile, container, field (set ones only)."""
    pairs = (("object", object), ("profile", profile), ("container", container), ("field", field))
    return {name: value for name, value in pairs if value}


def clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, marked with "…": input quoted in a message may be
    megabytes long, and a message is read on one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def format_path(path: Path) -> str:
    """``("spec", "containers", 0, "image")`` → ``spec.containers[0].image``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif out:
            out += f".{part}"
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
