"""The PodDefault admission webhook: which PodDefaults reach a pod, and what they change.

Facts (``kubeflow/dashboard`` ``components/poddefaults-webhooks``, same logic as the older
``kubeflow/kubeflow`` admission-webhook):

* candidates are the PodDefaults of the pod's namespace, in ascending ``metadata.name`` order;
  one applies when its label selector matches the pod's labels (``{}`` matches every pod); the
  pod annotation ``poddefault.admission.kubeflow.org/exclude: "true"`` opts out;
* every merge is tried first; a single conflict makes the webhook deny the pod (it is never
  created), otherwise all merges are applied;
* keyed lists append an entry whose key is new and conflict when the key is taken by a different
  entry; ``envFrom`` is appended as is; ``serviceAccountName`` and
  ``automountServiceAccountToken`` are overwritten (the last PodDefault wins); ``command`` and
  ``args`` fill containers that have none (the first PodDefault wins, ``istio-proxy`` excepted);
  sidecars are appended after env and mounts were injected, so they receive neither.

"Same namespace" when a document does not name one: documents without a namespace are taken to
share one (``kubectl apply -n X`` puts them together); a document without a namespace shares the
namespace of any document of the same file, and a Notebook without one is reached by every
PodDefault given with ``--poddefaults`` (the cluster's PodDefaults, by the user's own choice).

One name and namespace is one PodDefault (:func:`in_force`): a PodDefault among the inputs
replaces the ``--poddefaults`` one of its name and namespace (the input is what is applied), as
the inputs' Namespaces, LimitRanges and quotas replace ``--cluster-context``'s; two among the
inputs are the one given last (``cluster-object-written-twice`` at the other).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from nblint.dialects.kubeflow import crd, selector
from nblint.dialects.kubeflow.provenance import Graft
from nblint.load.provenance import tree_position
from nblint.load.yaml_tree import to_plain
from nblint.model import names
from nblint.model.document import Normalised, Recognised, RunIndex
from nblint.model.finding import Cause, Reported, clipped
from nblint.model.pod import Origin, Path, format_path
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable_name, placeholder_message

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ANNOTATION_PREFIX = "poddefault.admission.kubeflow.org"
EXCLUDE_ANNOTATION = f"{ANNOTATION_PREFIX}/exclude"
#: The Istio proxy keeps its own command and args.
NO_COMMAND_INJECTION = "istio-proxy"


#: The PodDefault CRD's types for ``spec`` (k8s.io/api types): a PodDefault whose spec breaks
#: them is refused by the API server, so it exists in no cluster and changes no pod.
_LISTS_OF_MAPPINGS = (
    *("env", "envFrom", "volumeMounts", "volumes", "tolerations", "imagePullSecrets"),
    *("initContainers", "sidecars"),
)
_SPEC_TYPES: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "selector": ("a label selector mapping", lambda v: isinstance(v, dict)),
    "desc": ("text", lambda v: isinstance(v, str)),
    "serviceAccountName": ("text", lambda v: isinstance(v, str)),
    "automountServiceAccountToken": ("true or false", lambda v: isinstance(v, bool)),
    **dict.fromkeys(
        ("annotations", "labels"),
        (
            "a mapping of text to text",
            lambda v: isinstance(v, dict) and all(isinstance(x, str) for x in v.values()),
        ),
    ),
    **dict.fromkeys(
        ("command", "args"),
        ("a list of text", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)),
    ),
    **dict.fromkeys(
        _LISTS_OF_MAPPINGS,
        (
            "a list of mappings",
            lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
        ),
    ),
}


def spec_problems(spec: Any) -> list[tuple[Path, str]]:
    """Why the API server refuses a PodDefault with this (pruned) ``spec``: (path, reason).

    The CRD requires a selector inside ``spec`` but not ``spec`` itself: a PodDefault without
    one is stored (and injects nothing).
    """
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return [(("spec",), f"spec must be a mapping, not {_show(spec)}")]
    problems: list[tuple[Path, str]] = []
    if spec.get("selector") is None:
        problems.append((("spec",), "spec.selector is required"))
    for key, value in spec.items():
        wanted, holds = _SPEC_TYPES.get(key, ("", None))
        if holds is not None and value is not None and not holds(value):
            problems.append((("spec", key), f"spec.{key} must be {wanted}, not {_show(value)}"))
    return problems


def _show(value: Any, limit: int = 80) -> str:
    """``value`` as a message shows it, clipped: a message is one line, whatever the input."""
    import json

    return clipped(
        json.dumps(value, default=str) if not isinstance(value, str) else repr(value), limit
    )


class PodDefault(Record):
    """A PodDefault as the API server stores it, and where it is written."""

    __slots__ = (
        "at",
        "document",
        "dropped",
        "file",
        "from_context",
        "name",
        "namespace",
        "refused",
        "root",
        "spec",
    )

    def __init__(
        self,
        name: str,
        namespace: str | None,
        file: str,
        root: Any,
        spec: dict[str, Any],
        dropped: list[Path],
        from_context: bool = False,
        refused: list[tuple[Path, str]] | None = None,
        document: int = 0,
        at: Path = (),
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.file = file
        #: The document as written (for positions).
        self.root = root
        #: ``spec`` as the API server stores it: plain data, unknown keys pruned.
        self.spec = spec
        self.dropped = dropped
        #: Read from a context file (``--poddefaults``: the cluster's) rather than the inputs.
        self.from_context = from_context
        #: Why the API server refuses it (then it changes no pod): ``(document path, reason)``.
        self.refused: list[tuple[Path, str]] = [] if refused is None else refused
        #: Where it is written: its document's position in its file, and its place in the
        #: document (an item of a ``kind: List``) — a fix of what it adds goes there.
        self.document = document
        self.at = at

    @classmethod
    def read(
        cls, root: Any, file: str, from_context: bool = False, document: int = 0, at: Path = ()
    ) -> PodDefault:
        pruned = crd.prune(root, crd.POD_DEFAULT)
        metadata = root.get("metadata") if isinstance(root.get("metadata"), dict) else {}
        spec = pruned.value.get("spec")
        namespace = metadata.get("namespace")
        name = metadata.get("name")
        return cls(
            name=name if isinstance(name, str) and name else "(unnamed)",
            namespace=namespace if isinstance(namespace, str) and namespace else None,
            file=file,
            root=root,
            spec=spec if isinstance(spec, dict) else {},
            dropped=pruned.dropped,
            from_context=from_context,
            refused=spec_problems(spec),
            document=document,
            at=at,
        )

    @property
    def label(self) -> str:
        return f"PodDefault {self.name}"

    def graft(self, *spec_path: str | int) -> Graft:
        # The cluster's own PodDefaults (--poddefaults) are context: nblint fix leaves them be.
        return Graft(
            self.file,
            self.root,
            ("spec", *spec_path),
            f"added by {self.label}",
            None if self.from_context else (self.document, self.at),
        )

    def origin(self, *spec_path: str | int) -> Origin:
        line, column = tree_position(self.root, ("spec", *spec_path))
        return Origin(self.file, line, column, f"set by {self.label}")

    def entries(self, name: str) -> list[Any]:
        value = self.spec.get(name)
        return value if isinstance(value, list) else []


def same_namespace(notebook_ns: str | None, notebook_file: str, pd: PodDefault) -> bool:
    if notebook_ns is not None and pd.namespace is not None:
        return notebook_ns == pd.namespace
    if notebook_ns is None and pd.namespace is None:
        return True
    return notebook_file == pd.file or (notebook_ns is None and pd.from_context)


def selected(
    poddefaults: list[PodDefault],
    namespace: str | None,
    file: str,
    labels: dict[str, str],
    annotations: dict[str, Any],
) -> list[PodDefault]:
    """The PodDefaults the webhook applies to a pod, in the order it applies them."""
    if str(annotations.get(EXCLUDE_ANNOTATION)) == "true":
        return []
    chosen = [
        pd
        for pd in poddefaults
        if same_namespace(namespace, file, pd) and selector.matches(pd.spec.get("selector"), labels)
    ]
    return sorted(chosen, key=lambda pd: pd.name)


#: The run index key under which PodDefaults are kept for the Notebooks.
INDEX_KEY = "kubeflow.org/PodDefault"


def index(document: Recognised, settings: dict[str, Any]) -> list[tuple[str, Any]]:
    """A PodDefault the API server accepts, for the Notebooks of its namespace (one it refuses
    exists in no cluster, so it reaches no pod; one whose namespace is a placeholder is in no
    namespace nblint can know, so it reaches none either)."""
    pd = PodDefault.read(
        document.root, document.file, document.context, document.index, document.path
    )
    return [] if pd.refused or is_unknowable_name(pd.namespace) else [(INDEX_KEY, pd)]


def in_force(entries: tuple[Any, ...]) -> list[PodDefault]:
    """The run's PodDefaults as the cluster holds them once the inputs are applied: one per name
    and namespace. An input replaces a context file's PodDefault of its name and namespace (the
    cluster's, ``--poddefaults``: the input is what is applied to it, as a Namespace or a
    LimitRange among the inputs replaces the one ``--cluster-context`` gives); among the inputs,
    and among the context files, the one given last wins."""
    given = {(pd.namespace, pd.name) for pd in entries if not pd.from_context}
    by_key: dict[tuple[Any, ...], PodDefault] = {}
    for pd in entries:
        if pd.from_context and (pd.namespace, pd.name) in given and not _placeholder(pd):
            continue
        by_key[_key(pd)] = pd
    return list(by_key.values())


def normalise(document: Recognised, run_index: RunIndex, settings: dict[str, Any]) -> Normalised:
    """A PodDefault yields no pod: only what is wrong with it (what its CRD drops, a spec the
    API server refuses), each at its own line."""
    pd = PodDefault.read(
        document.root, document.file, document.context, document.index, document.path
    )
    out = Normalised()
    for path in pd.dropped:
        rule = (
            "kubeflow-pruned-security-field"
            if crd.is_security_relevant(path)
            else "kubeflow-pruned-field"
        )
        out.reported.append(
            Reported(
                rule,
                f"{format_path(path)} is dropped by the PodDefault CRD: the webhook never "
                "applies it",
                _position(pd, path),
                f"PodDefault/{pd.name}",
                fix_keys=("kubeflow",),
            )
        )
    if is_unknowable_name(pd.namespace):
        out.reported.append(
            Reported(
                "cluster-object-placeholder",
                placeholder_message(
                    f"PodDefault/{pd.name}",
                    "its namespace",
                    str(pd.namespace),
                    "which Notebooks it reaches",
                    "it is applied to none",
                ),
                _position(pd, ("metadata", "namespace")),
                f"PodDefault/{pd.name}",
            )
        )
    later = _written_again(pd, run_index.get(INDEX_KEY))
    if later is not None:
        from nblint.model.namespace import written_twice_message

        at = Origin(later.file, *tree_position(later.root, ("metadata", "name")))
        out.reported.append(
            Reported(
                "cluster-object-written-twice",
                written_twice_message(f"PodDefault/{pd.name}", pd.namespace, at),
                _position(pd, ("metadata", "name")),
                f"PodDefault/{pd.name}",
                cause=Cause(f"PodDefault/{pd.name}", "the manifest applied", at.file, at.line),
            )
        )
    out.reported.extend(_names_refused(pd, document.root))
    for path, reason in pd.refused:
        out.reported.append(
            Reported(
                "kubeflow-invalid-object",
                f"{pd.label}: {reason}: the API server refuses the PodDefault, so it changes no "
                "pod",
                _position(pd, path),
                f"PodDefault/{pd.name}",
                fix_keys=("kubeflow-poddefault",),
            )
        )
    return out


def _names_refused(pd: PodDefault, root: dict[str, Any]) -> list[Reported]:
    """``invalid-name`` for a name the API server refuses (a custom resource's is a DNS-1123
    subdomain); ``wrong-field-type`` for a label, annotation or selector value that is not
    text (the API server cannot decode the PodDefault)."""
    found: list[tuple[str, Path, str]] = []
    name = names.judged_name(names.at(root, ("metadata", "name")))
    problem = names.name_problem(name, "PodDefault") if name is not None else None
    if problem is not None:
        found.append(
            (
                "invalid-name",
                ("metadata", "name"),
                f"metadata.name {name} {problem}: the API server refuses the PodDefault",
            )
        )
    for where in (
        ("metadata", "labels"),
        ("metadata", "annotations"),
        ("spec", "selector", "matchLabels"),
    ):
        found.extend(
            ("wrong-field-type", path, f"{what}: the API server cannot decode the PodDefault")
            for path, what in names.not_text(where, names.at(root, where))
        )
    # The env it adds to every container: each value is text (field test 21b D3).
    env = names.at(root, ("spec", "env"))
    for index, entry in enumerate(env if isinstance(env, list) else ()):
        if not isinstance(entry, dict) or "value" not in entry:
            continue
        for path, what in names.not_text(("spec", "env", index), {"value": entry["value"]}):
            found.append(
                ("wrong-field-type", path, f"{what}: the API server cannot decode the PodDefault")
            )
    return [
        Reported(
            rule, message, _position(pd, path), f"PodDefault/{pd.name}", fix_keys=("kubeflow",)
        )
        for rule, path, message in found
    ]


def _written_again(pd: PodDefault, entries: tuple[Any, ...]) -> PodDefault | None:
    """The PodDefault of ``pd``'s name and namespace given after it among the inputs with
    another spec (the one :func:`in_force` keeps), if any."""
    if pd.from_context:
        return None
    key = _key(pd)
    same = [other for other in entries if not other.from_context and _key(other) == key]
    if not same:
        return None
    last = same[-1]
    if (last.file, last.document, last.at) == (pd.file, pd.document, pd.at) or last.spec == pd.spec:
        return None
    return last


def _key(pd: PodDefault) -> tuple[Any, ...]:
    """Which PodDefault ``pd`` is: one name in one namespace. One named by a placeholder is
    taken to be no other (its own manifest is its key)."""
    if _placeholder(pd):
        return (pd.file, pd.document, pd.at)
    return (pd.namespace, pd.name, pd.file if pd.namespace is None else "")


def _placeholder(pd: PodDefault) -> bool:
    return is_unknowable_name(pd.name) or is_unknowable_name(pd.namespace)


def _position(pd: PodDefault, path: Path) -> Origin:
    line, column = tree_position(pd.root, path)
    return Origin(pd.file, line, column)


# ---------------------------------------------------------------------------------------------
# Merging


class Owner(Record):
    """Who wrote an entry of a merged list: the Notebook or a PodDefault, and where."""

    __slots__ = ("label", "origin")

    def __init__(self, label: str, origin: Origin) -> None:
        self.label = label
        self.origin = origin


class Conflict(Record):
    """Two entries with the same key that differ: the webhook denies the pod."""

    __slots__ = ("origin", "other", "poddefault", "what")

    def __init__(self, what: str, poddefault: PodDefault, origin: Origin, other: Owner) -> None:
        self.what = what  # "env FOO", "volume data", …
        self.poddefault = poddefault
        self.origin = origin
        self.other = other


class Merge(Record):
    """The pod after the webhook, or the conflicts that make it deny the pod."""

    __slots__ = ("conflicts", "grafts", "pod")

    def __init__(self, pod: dict[str, Any]) -> None:
        self.pod = pod
        self.grafts: dict[Path, Graft] = {}
        self.conflicts: list[Conflict] = []


def comparable(value: Any) -> Any:
    """A value with Go zero values dropped: the webhook compares decoded structs."""
    if isinstance(value, dict):
        out = {k: comparable(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, False, "", [], {})}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return value


class _Merger:
    """Applies the selected PodDefaults to a pod, one field at a time, noting conflicts."""

    def __init__(
        self,
        pod: dict[str, Any],
        poddefaults: list[PodDefault],
        locate: Callable[[Path], Origin],
        notebook: str,
    ) -> None:
        self.result = Merge(pod)
        self.poddefaults = poddefaults
        self.locate = locate
        self.notebook = notebook
        self._reported: set[tuple[str, str, str]] = set()
        #: Lists and maps merging had to create; dropped again if nothing was added to them.
        self._created: list[tuple[dict[str, Any], str]] = []

    def _conflict(self, what: str, pd: PodDefault, origin: Origin, other: Owner) -> None:
        key = (what, pd.name, other.label)
        if key not in self._reported:
            self._reported.add(key)
            self.result.conflicts.append(Conflict(what, pd, origin, other))

    def _at(self, holder: dict[str, Any], name: str, kind: type) -> Any:
        value = holder.get(name)
        if not isinstance(value, kind):
            value = holder[name] = kind()
            self._created.append((holder, name))
        return value

    def added(self, path: Path, graft: Graft) -> None:
        self.result.grafts[path] = graft

    def drop_unused(self) -> None:
        for holder, name in self._created:
            if holder.get(name) in ([], {}):
                del holder[name]

    def keyed_list(
        self,
        holder: dict[str, Any],
        holder_path: Path,
        name: str,
        keys: Callable[[Any], list[tuple[str, Any]]],
        source: str | None = None,
    ) -> None:
        """Append each PodDefault entry of ``source`` (default: ``name``) whose keys are new.

        ``keys(entry)`` gives ``(label, key)`` pairs; an entry conflicts when any of its keys is
        already held by an entry that is not identical to it.
        """
        target: list[Any] = self._at(holder, name, list)
        target_path = (*holder_path, name)
        source = source or name
        held: dict[tuple[str, Any], tuple[Any, Owner]] = {}
        for index, entry in enumerate(target):
            owner = Owner(self.notebook, self.locate((*target_path, index)))
            for key in keys(entry):
                held.setdefault(key, (entry, owner))
        for pd in self.poddefaults:
            for index, entry in enumerate(pd.entries(source)):
                clashes = [
                    (key, held[key][1])
                    for key in keys(entry)
                    if key in held and comparable(held[key][0]) != comparable(entry)
                ]
                for (label, key), other in clashes:
                    self._conflict(f"{label} {key}", pd, pd.origin(source, index), other)
                if clashes or any(key in held for key in keys(entry)):
                    continue
                owner = Owner(pd.label, pd.origin(source, index))
                for key in keys(entry):
                    held[key] = (entry, owner)
                self.added((*target_path, len(target)), pd.graft(source, index))
                target.append(entry)

    def appended_list(self, holder: dict[str, Any], holder_path: Path, name: str) -> None:
        target: list[Any] = self._at(holder, name, list)
        for pd in self.poddefaults:
            for index, entry in enumerate(pd.entries(name)):
                self.added((*holder_path, name, len(target)), pd.graft(name, index))
                target.append(entry)

    def mapping(self, holder: dict[str, Any], holder_path: Path, name: str) -> None:
        target: dict[str, Any] = self._at(holder, name, dict)
        target_path = (*holder_path, name)
        owners = {key: Owner(self.notebook, self.locate((*target_path, key))) for key in target}
        for pd in self.poddefaults:
            entries = pd.spec.get(name)
            if not isinstance(entries, dict):
                continue
            for key, value in entries.items():
                if key not in target:
                    target[key] = value
                    owners[key] = Owner(pd.label, pd.origin(name, key))
                    self.added((*target_path, key), pd.graft(name, key))
                elif target[key] != value:
                    label = name[:-1]  # annotation / label
                    self._conflict(f"{label} {key}", pd, pd.origin(name, key), owners[key])

    def first_wins(self, container: dict[str, Any], container_path: Path, name: str) -> None:
        if container.get(name):
            return
        for pd in self.poddefaults:
            if pd.spec.get(name):
                container[name] = pd.spec[name]
                self.added((*container_path, name), pd.graft(name))
                return

    def last_wins(self, holder: dict[str, Any], holder_path: Path, name: str) -> None:
        for pd in self.poddefaults:
            value = pd.spec.get(name)
            if value is not None and value != "":
                holder[name] = value
                self.added((*holder_path, name), pd.graft(name))

    def record_applied(self, metadata: dict[str, Any]) -> None:
        """The webhook annotates the pod with each PodDefault it applied."""
        annotations: dict[str, Any] = self._at(metadata, "annotations", dict)
        for pd in self.poddefaults:
            key = f"{ANNOTATION_PREFIX}/poddefault-{pd.name}"
            pd_metadata = pd.root.get("metadata")
            version = pd_metadata.get("resourceVersion") if isinstance(pd_metadata, dict) else None
            annotations[key] = str(version or "")
            self.result.grafts[("metadata", "annotations", key)] = Graft(
                pd.file, pd.root, ("metadata", "name"), f"records that {pd.label} was applied"
            )


def _key_text(value: Any) -> str:
    """A merge key as the webhook compares it; a name that is a mapping or list (the API would
    refuse it) still gives a key instead of breaking the merge."""
    return value if isinstance(value, str) else repr(value)


def _named(label: str) -> Callable[[Any], list[tuple[str, Any]]]:
    def keys(entry: Any) -> list[tuple[str, Any]]:
        return [(label, _key_text(entry.get("name")))] if isinstance(entry, dict) else []

    return keys


def _mount_keys(entry: Any) -> list[tuple[str, Any]]:
    if not isinstance(entry, dict):
        return []
    return [
        ("volumeMount", _key_text(entry.get("name"))),
        ("mountPath", _key_text(entry.get("mountPath"))),
    ]


def _toleration_key(entry: Any) -> list[tuple[str, Any]]:
    if not isinstance(entry, dict):
        return []
    return [("toleration key", _key_text(entry.get("key") or ""))]


def _containers(spec: dict[str, Any]) -> Iterator[tuple[int, dict[str, Any]]]:
    containers = spec.get("containers")
    if isinstance(containers, list):
        for index, container in enumerate(containers):
            if isinstance(container, dict):
                yield index, container


def merge(
    pod: dict[str, Any],
    poddefaults: list[PodDefault],
    locate: Callable[[Path], Origin],
    notebook: str,
) -> Merge:
    """Apply ``poddefaults`` (already selected and ordered) to a copy of ``pod`` (``pod``
    itself when there are none: the copy only keeps it whole when the webhook denies the pod).

    ``locate`` places the pod's own fields (for conflicts with what the Notebook wrote).
    """
    if not poddefaults:
        return Merge(pod)
    merger = _Merger(to_plain(pod), poddefaults, locate, notebook)
    pod = merger.result.pod
    spec: dict[str, Any] = merger._at(pod, "spec", dict)
    metadata: dict[str, Any] = merger._at(pod, "metadata", dict)
    merger.keyed_list(spec, ("spec",), "volumes", _named("volume"))
    for index, container in list(_containers(spec)):
        base: Path = ("spec", "containers", index)
        merger.keyed_list(container, base, "env", _named("env"))
        merger.keyed_list(container, base, "volumeMounts", _mount_keys)
        merger.appended_list(container, base, "envFrom")
        if container.get("name") != NO_COMMAND_INJECTION:
            merger.first_wins(container, base, "command")
            merger.first_wins(container, base, "args")
    merger.keyed_list(spec, ("spec",), "tolerations", _toleration_key)
    merger.keyed_list(spec, ("spec",), "imagePullSecrets", _named("imagePullSecret"))
    merger.mapping(metadata, ("metadata",), "annotations")
    merger.mapping(metadata, ("metadata",), "labels")
    merger.keyed_list(spec, ("spec",), "initContainers", _named("initContainer"))
    # Sidecars last: they receive none of the env, mounts or command injected above.
    merger.keyed_list(spec, ("spec",), "containers", _named("container"), source="sidecars")
    merger.last_wins(spec, ("spec",), "serviceAccountName")
    merger.last_wins(spec, ("spec",), "automountServiceAccountToken")
    merger.record_applied(metadata)
    merger.drop_unused()
    return merger.result
