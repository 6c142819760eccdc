"""What the run hands a dialect, and what the dialect hands back.

* :class:`Recognised` — a document a dialect claimed (or a z2jh release made of several layers),
  with the :class:`Neighbour` files beside it that its dialect declared it reads;
* :class:`RunIndex` — the read-only index of what dialects need from each other, built from
  every input (and every context file, such as ``--poddefaults``) before anything is normalised;
* :class:`Normalised` — the effective pods a normaliser built and the problems it found.

A normaliser is a function ``(Recognised, RunIndex, settings) -> Normalised``: it keeps no state
between calls and never calls back into the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from nblint.model.finding import Reported
from nblint.model.pod import EffectivePod
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

#: The run-index key the cluster objects are filed under (the ``cluster`` dialect writes it,
#: :mod:`nblint.model.namespace` reads it); here so that the run can ask whether there are any
#: without importing the namespace model.
CLUSTER_INDEX = "cluster/objects"
#: The run index key of the PersistentVolumes and claims of the inputs (see
#: :mod:`nblint.model.storage`): apart from :data:`CLUSTER_INDEX`, whose entries make the run
#: judge every pod by its namespace.
STORAGE_INDEX = "cluster/storage"
#: The run-index key of the ServiceAccounts that RoleBindings and ClusterRoleBindings give a role
#: (:mod:`nblint.model.rbac`; the ``cluster`` dialect writes it), here for the same reason.
BINDINGS_INDEX = "cluster/service-account-bindings"
#: The Services, Ingresses and Routes among the inputs (:mod:`nblint.model.exposure`).
EXPOSURE_INDEX = "cluster/exposure"
#: The run-index key of the RuntimeClasses among the inputs (:mod:`nblint.model.runtime_class`;
#: the ``cluster`` dialect writes it), here for the same reason.
RUNTIME_CLASS_INDEX = "cluster/runtime-classes"
#: The key of an OpenShift ``Template`` whose objects the run reads (as a ``kind: List``'s
#: ``items``): in :attr:`Recognised.path`, it says the document is one of them.
TEMPLATE_OBJECTS = "objects"
#: A name a dialect's ``references`` gives that starts with this names no file beside the
#: document but an input of the run whose path ends with the rest (``.../jupyterhub/values.yaml``:
#: an Argo CD ``$ref/path`` value file, whose repository's root nblint does not know): the run
#: reads it when exactly one input does (:attr:`Neighbour.candidates` lists them when several do,
#: and then reads none).
INPUT_SUFFIX = ".../"


class Neighbour(Record):
    """A file beside an input that a dialect declared it reads (``Dialect.neighbours``: an
    umbrella chart's ``Chart.yaml`` beside its values), read and parsed by the run: dialects
    never read files."""

    __slots__ = ("candidates", "file", "given", "name", "problem", "root")

    def __init__(
        self,
        name: str,
        file: str,
        root: Any,
        problem: str | None = None,
        given: bool = False,
        candidates: tuple[str, ...] = (),
    ) -> None:
        #: The name the dialect declared (``Chart.yaml``).
        self.name = name
        #: Its path, as findings name it.
        self.file = file
        #: Its first document, or None when it could not be read (then :attr:`problem` says why).
        self.root = root
        self.problem = problem
        #: A file a document names (``Dialect.references``) that is an input of the run too:
        #: a problem reading it is said there, as that input's.
        self.given = given
        #: For an :data:`INPUT_SUFFIX` name that several inputs end with: those inputs (then
        #: nothing was read: :attr:`root` is None and :attr:`file` empty).
        self.candidates = candidates


class Recognised(Record):
    """A document a dialect claimed, waiting to be normalised."""

    __slots__ = (
        "context",
        "dialect",
        "file",
        "index",
        "kept",
        "layer_documents",
        "layers",
        "neighbours",
        "parameter_defaults",
        "path",
        "root",
        "unread_layers",
    )

    def __init__(
        self,
        dialect: str,
        file: str,
        root: Any,
        index: int,
        layers: list[tuple[str, Any]] | None = None,
        layer_documents: list[int] | None = None,
        context: bool = False,
        neighbours: tuple[Neighbour, ...] = (),
        path: tuple[str | int, ...] = (),
        unread_layers: list[str] | None = None,
        parameter_defaults: dict[str, str] | None = None,
    ) -> None:
        self.dialect = dialect
        #: For an object of an OpenShift ``Template``: each parameter's ``value:`` default, what
        #: ``oc process`` fills in unless ``-p`` gives another.
        self.parameter_defaults = parameter_defaults
        #: The ``-f`` layers that could not be read at all (encrypted with git-crypt): values
        #: of the release nblint did not see.
        self.unread_layers: list[str] = [] if unread_layers is None else unread_layers
        self.file = file
        self.root = root
        #: The document's position in its file (0-based).
        self.index = index
        #: For a z2jh release given with ``-f/--values``: every ``(file, document)`` layer, in
        #: order.
        self.layers: list[tuple[str, Any]] = [] if layers is None else layers
        #: Each layer's position in its file (0-based), beside :attr:`layers`.
        self.layer_documents: list[int] = [] if layer_documents is None else layer_documents
        #: Read from a context file (``--poddefaults``): indexed and checked for its own problems,
        #: but it stands for what is already in the cluster.
        self.context = context
        #: The files beside the document (beside the first ``-f`` layer that has any) that its
        #: dialect declared it reads, in the order it declared their names.
        self.neighbours = neighbours
        #: Where ``root`` sits in its document: ``()``, or ``("items", 3)`` for an item of a
        #: ``kind: List``, ``("objects", 3)`` for an object of an OpenShift ``Template`` (fix
        #: edits are placed in document coordinates).
        self.path = path
        #: Parsed in the run's first phase and kept until it is normalised (see the run's
        #: ``KEEP_BUDGET``): an indexer may hold on to :attr:`root` at no cost in memory rather
        #: than derive now what only a rare case needs.
        self.kept = False


class Normalised(Record):
    """What a dialect's normaliser makes of one document: effective pods and problems."""

    __slots__ = ("declined", "pods", "refused", "reported")

    def __init__(
        self, pods: list[EffectivePod] | None = None, reported: list[Reported] | None = None
    ) -> None:
        self.pods: list[EffectivePod] = [] if pods is None else pods
        #: Problems with the input itself (wrong types, unknown keys, …), already placed.
        self.reported: list[Reported] = [] if reported is None else reported
        #: The documents (the document, or ``-f`` layers of it) that the dialect claimed on what
        #: they say alone but that the run index shows are not its own (a Flux HelmRelease whose
        #: ``spec.chartRef`` names no chart of the inputs that the dialect reads): the run counts
        #: them as skipped, as if no dialect had claimed them.
        self.declined: list[Any] = []
        #: Pods the platform refuses, so never created (OpenShift's restricted-v2 SCC), whose
        #: refusal is among :attr:`reported`: the run checks them only with the rules that judge
        #: the release's settings (``scope: release``: who logs in to the hub), not as pods.
        self.refused: list[EffectivePod] = []


class RunIndex:
    """What the documents of one run contribute for others to read, by key.

    Keys belong to the dialect that writes them (``kubeflow.org/PodDefault``). Entries keep the
    order the inputs were given in (context files last). A dialect that needs a derived form of
    its entries (the PodDefaults by namespace, deduplicated) asks :meth:`view`, which builds it
    once per run.
    """

    def __init__(self, entries: Mapping[str, Iterable[Any]] | None = None) -> None:
        self._entries: dict[str, tuple[Any, ...]] = {
            key: tuple(values) for key, values in (entries or {}).items()
        }
        self._views: dict[tuple[str, Callable[..., Any]], Any] = {}

    def get(self, key: str) -> tuple[Any, ...]:
        return self._entries.get(key, ())

    def view(self, key: str, build: Callable[[tuple[Any, ...]], T]) -> T:
        """``build(self.get(key))``, built on first use and shared by the rest of the run."""
        memo = (key, build)
        if memo not in self._views:
            self._views[memo] = build(self.get(key))
        value: T = self._views[memo]
        return value

    def __bool__(self) -> bool:
        return any(self._entries.values())
