"""The PersistentVolumes and PersistentVolumeClaims of the inputs: which claim, if any, gives a
pod the storage one of its volumes reaches directly (an ``nfs`` export, a node's directory, a
cloud disk).

A fix that swaps such a volume for a ``persistentVolumeClaim`` may name a claim only when one
exists: a claim nothing creates leaves the pod Pending (FailedScheduling: persistentvolumeclaim
not found). A claim provides a volume's source when the inputs bind it to a PersistentVolume of
that same source (the claim's ``spec.volumeName``, or the volume's ``spec.claimRef``), in the
pod's namespace. Plain data: the cluster dialect files it under :data:`STORAGE_INDEX`, the run
hands each pod the claims of its namespace (:attr:`EffectivePod.claims`).
"""

from __future__ import annotations

from nblint.model.document import STORAGE_INDEX as _STORAGE_INDEX
from nblint.model.record import Record
from nblint.model.unknowable import is_unknowable_name

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The run index key of the PersistentVolumes and claims of the inputs.
STORAGE_INDEX = _STORAGE_INDEX

#: Fields of a volume source that say nothing of which storage it is (how it is mounted, the
#: credentials: a PersistentVolume's source names its secrets otherwise).
_NOT_IDENTITY = frozenset(
    ("readOnly", "secretRef", "secretName", "secretFile", "secretNamespace", "user", "keyring")
)


class StoredVolume(Record):
    """A PersistentVolume: its source (the one volume-source key it has), and the claim it is
    reserved for (``spec.claimRef``: namespace, name), if any."""

    __slots__ = ("claim_ref", "name", "source", "source_key")

    def __init__(
        self,
        name: str,
        source_key: str,
        source: dict[str, Any],
        claim_ref: tuple[str | None, str] | None = None,
    ) -> None:
        self.name = name
        self.source_key = source_key
        self.source = source
        self.claim_ref = claim_ref


class StoredClaim(Record):
    """A PersistentVolumeClaim: its name, namespace (None: where ``kubectl -n`` puts it), the
    volume it binds (``spec.volumeName``), if it names one, its ``accessModes`` when written as
    a list of words (else None), and where (file, line) they are written."""

    __slots__ = ("access_modes", "modes_at", "name", "namespace", "volume_name")

    def __init__(
        self,
        name: str,
        namespace: str | None,
        volume_name: str | None,
        access_modes: tuple[str, ...] | None = None,
        modes_at: tuple[str, int] | None = None,
    ) -> None:
        self.name = name
        self.namespace = namespace
        self.volume_name = volume_name
        self.access_modes = access_modes
        self.modes_at = modes_at


def _same_path(a: Any, b: Any) -> bool:
    """Equal values; strings equal but for a trailing slash (``/exports/`` is ``/exports``)."""
    if isinstance(a, str) and isinstance(b, str):
        return (a.rstrip("/") or "/") == (b.rstrip("/") or "/")
    return bool(a == b)


def serves(volume: StoredVolume, key: str, source: Any) -> bool:
    """Whether PersistentVolume ``volume`` is the storage of the pod volume source ``key:
    source``: the same kind of source, every identifying field the pod's source writes equal
    (``nfs``: server and path; ``hostPath``: path; a disk: its id)."""
    if volume.source_key != key or not isinstance(source, dict):
        return False
    fields = [field for field in source if field not in _NOT_IDENTITY]
    if not fields:
        return False
    return all(
        field in volume.source and _same_path(volume.source[field], source[field])
        for field in fields
    )


class ClaimsOfNamespace:
    """The claims of one namespace that the inputs bind to a PersistentVolume, and the claims of
    the namespace the inputs write (``written``: by name)."""

    __slots__ = ("_bound", "written")

    def __init__(
        self, bound: list[tuple[str, StoredVolume]], written: dict[str, StoredClaim] | None = None
    ) -> None:
        self._bound = bound
        self.written = {} if written is None else written

    def provider(self, key: str, source: Any) -> tuple[str, StoredVolume] | None:
        """The claim (its name, and its PersistentVolume) that provides pod volume source
        ``key: source``, or None."""
        for claim, volume in self._bound:
            if serves(volume, key, source):
                return claim, volume
        return None

    def volume_of(self, claim: Any) -> StoredVolume | None:
        """The PersistentVolume the inputs bind claim ``claim`` to, or None."""
        return next((volume for name, volume in self._bound if name == claim), None)

    def __bool__(self) -> bool:
        return bool(self._bound)


NO_CLAIMS = ClaimsOfNamespace([])


class Storage:
    """The PersistentVolumes and claims of the run's inputs (:data:`STORAGE_INDEX` entries)."""

    __slots__ = ("_by_namespace", "claims", "volumes")

    def __init__(self, claims: list[StoredClaim], volumes: list[StoredVolume]) -> None:
        self.claims = claims
        self.volumes = volumes
        self._by_namespace: dict[str | None, ClaimsOfNamespace] = {}

    @classmethod
    def build(cls, entries: tuple[Any, ...]) -> Storage:
        claims = [e for e in entries if isinstance(e, StoredClaim)]
        volumes = [e for e in entries if isinstance(e, StoredVolume)]
        return cls(claims, volumes)

    def in_namespace(self, namespace: str | None) -> ClaimsOfNamespace:
        """The bound claims of ``namespace`` (None: the namespace of the inputs that name none);
        none for a namespace that is a placeholder."""
        found = self._by_namespace.get(namespace)
        if found is None:
            written = {
                claim.name: claim
                for claim in self.claims
                if claim.namespace == namespace and not is_unknowable_name(namespace)
            }
            found = ClaimsOfNamespace(self._bound(namespace), written)
            self._by_namespace[namespace] = found
        return found

    def _bound(self, namespace: str | None) -> list[tuple[str, StoredVolume]]:
        if is_unknowable_name(namespace):
            return []
        volumes = {volume.name: volume for volume in self.volumes}
        out: list[tuple[str, StoredVolume]] = []
        for claim in self.claims:
            if claim.namespace != namespace or is_unknowable_name(claim.name):
                continue
            bound = volumes.get(claim.volume_name) if claim.volume_name else None
            if bound is None:
                # A volume reserved for this claim binds it (static binding by claimRef).
                bound = next(
                    (
                        volume
                        for volume in self.volumes
                        if volume.claim_ref == (claim.namespace, claim.name)
                    ),
                    None,
                )
            # A volume reserved for another claim does not bind this one.
            if bound is not None and bound.claim_ref in (None, (claim.namespace, claim.name)):
                out.append((claim.name, bound))
        return out
