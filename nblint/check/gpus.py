"""What the GPU tables say (``rules/tables/gpu-resources.yaml``, ``gpu-nodes.yaml``, and each
``--rules-dir DIR/tables/``): which extended resources are GPUs, and which node labels pick GPU
nodes, one node pool, or mark a GKE cluster."""

from __future__ import annotations

import re
from functools import cache

from nblint.check import tables
from nblint.check.images import glob

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: ``(id of the table's entry list, field, name)`` → the entry that matched (or None): every
#: container of every pod asks about the same few resource names and node labels, and each
#: question tries every glob of the table. A new search path makes new lists (new ids); the
#: list is kept beside its answers so that its id is never reused for another.
_found: dict[tuple[int, str, str], tuple[list[dict[str, Any]], dict[str, Any] | None]] = {}


def _first(table: str, key: str, field: str, name: str) -> dict[str, Any] | None:
    entries = tables.entries(table, key)
    memo = (id(entries), field, name)
    known = _found.get(memo)
    if known is not None:
        return known[1]
    found = None
    for entry in entries:
        pattern = entry.get(field)
        if isinstance(pattern, str) and glob(pattern).match(name):
            found = entry
            break
    if len(_found) < 10_000:  # names come from the input: bounded
        _found[memo] = (entries, found)
    return found


def gpu_resource(name: object) -> dict[str, Any] | None:
    """The table's entry for extended resource ``name`` when it gives a GPU, else None (no
    entry, or a ``kind: not-gpu`` one: a NIC published under a GPU vendor's domain)."""
    if not isinstance(name, str):
        return None
    entry = _first("gpu-resources", "resources", "pattern", name)
    return None if entry is None or entry.get("kind") == "not-gpu" else entry


def is_gpu_resource(name: object) -> bool:
    return gpu_resource(name) is not None


def counts_gpus(name: object) -> bool:
    """Whether a quantity of GPU resource ``name`` is a number of GPUs (devices, shares or
    partitions), not an ``amount`` of one GPU in its own units (Intel's ``millicores``)."""
    entry = gpu_resource(name)
    return entry is not None and entry.get("kind") != "amount"


def node_label(key: object) -> dict[str, Any] | None:
    """The table's entry for node label ``key``, else None."""
    return _first("gpu-nodes", "labels", "key", key) if isinstance(key, str) else None


def picks(key: object, values: list[Any]) -> str | None:
    """What selecting nodes by label ``key`` (with one of ``values``) picks: ``"gpu"`` (only
    GPU nodes), ``"pool"`` (one pool, GPUs or not), or None (nodes of any kind)."""
    entry = node_label(key)
    known = entry.get("picks") if entry is not None else None
    if known == "gpu":
        return "gpu"
    texts = [str(text).lower() for text in (key, *values)]
    # Teams name GPU pools so: `nodepool: gpu-a100`, `gpu: "true"`.
    if any(names_gpu(text) for text in texts):
        return "gpu"
    if known in ("pool", "any"):
        return known if known == "pool" else None
    # ... and CPU pools so: `eks-node-group: jupyter-compute-cpu`.
    if any(_cpu_word().search(text) for text in texts):
        return None
    # A label of the cluster's own (`cms-af-prod: "true"`): the nodes that carry it may be the
    # GPU pool, which nblint cannot see. It picks a pool, as an instance type does.
    return "pool"


def names_gpu(text: object) -> bool:
    """Whether a label's or a taint's key or value names a GPU (``gpu`` in it: ``gpu-a100``,
    ``sku=gpu``): the one word test of node labels and tolerations."""
    return isinstance(text, str) and "gpu" in text.lower()


@cache
def _cpu_word() -> re.Pattern[str]:
    """ "cpu" as a word of a label key or value (``compute-cpu``, ``cpu_only``, not ``cpuset``)."""
    return re.compile(r"(?<![a-z])cpu(?![a-z])")


def platform_of(key: object) -> str | None:
    entry = node_label(key)
    platform = entry.get("platform") if entry is not None else None
    return platform if isinstance(platform, str) else None
