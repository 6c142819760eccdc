"""Which claim of the inputs provides a volume's storage (``nblint.model.storage``): the only
claim a fix that swaps a volume for a PersistentVolumeClaim may name."""

from __future__ import annotations

from nblint.model.storage import Storage, StoredClaim, StoredVolume

NFS = {"server": "nfs.example.com", "path": "/exports/data"}


def provider(entries: list, namespace: str | None, key: str, source: dict) -> str | None:
    found = Storage.build(tuple(entries)).in_namespace(namespace).provider(key, source)
    return found[0] if found else None


def test_a_claim_binds_a_volume_by_its_volume_name_or_the_volume_s_claim_ref() -> None:
    by_name = [StoredVolume("pv", "nfs", dict(NFS)), StoredClaim("data", "team", "pv")]
    assert provider(by_name, "team", "nfs", NFS) == "data"
    by_ref = [
        StoredVolume("pv", "nfs", dict(NFS), ("team", "data")),
        StoredClaim("data", "team", None),
    ]
    assert provider(by_ref, "team", "nfs", NFS) == "data"


def test_no_claim_outside_the_namespace_or_for_other_storage() -> None:
    entries = [StoredVolume("pv", "nfs", dict(NFS)), StoredClaim("data", "team", "pv")]
    assert provider(entries, "other", "nfs", NFS) is None
    assert provider(entries, None, "nfs", NFS) is None
    assert provider(entries, "team", "nfs", {**NFS, "path": "/exports/other"}) is None
    assert (
        provider(entries, "team", "nfs", {"server": "other.example.com", "path": "/exports/data"})
        is None
    )
    assert provider(entries, "team", "hostPath", {"path": "/exports/data"}) is None


def test_a_trailing_slash_and_read_only_do_not_change_the_storage() -> None:
    entries = [
        StoredVolume("pv", "nfs", {**NFS, "path": "/exports/data/"}),
        StoredClaim("d", "t", "pv"),
    ]
    assert provider(entries, "t", "nfs", {**NFS, "readOnly": True}) == "d"


def test_a_volume_reserved_for_another_claim_or_a_claim_with_no_volume_binds_nothing() -> None:
    reserved = [
        StoredVolume("pv", "nfs", dict(NFS), ("t", "mine")),
        StoredClaim("yours", "t", "pv"),
    ]
    assert provider(reserved, "t", "nfs", NFS) is None
    unbound = [StoredVolume("pv", "nfs", dict(NFS)), StoredClaim("data", "t", None)]
    assert provider(unbound, "t", "nfs", NFS) is None  # a dynamic claim: its storage is not known


def test_a_placeholder_claim_or_namespace_is_no_claim() -> None:
    entries = [StoredVolume("pv", "nfs", dict(NFS)), StoredClaim("${CLAIM}", "t", "pv")]
    assert provider(entries, "t", "nfs", NFS) is None
    entries = [StoredVolume("pv", "nfs", dict(NFS)), StoredClaim("d", "${NS}", "pv")]
    assert provider(entries, "${NS}", "nfs", NFS) is None
