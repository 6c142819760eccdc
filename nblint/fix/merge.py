"""The merges that put a fix hint into its input, the way the user (or ``kubectl``, or Helm)
would apply it.

* :func:`strategic_merge` — ``kubectl patch --type strategic`` on a pod template or a Notebook:
  mappings merge, a ``null`` deletes a key, and the lists Kubernetes merges by key merge entry by
  entry (containers, volumes and env by ``name``, volume mounts by ``mountPath``, ports by
  ``containerPort``); any other list is replaced.
* :func:`helm_merge` — a values snippet over a values file, as ``helm -f a -f b`` layers them:
  mappings merge, a ``null`` deletes, every list is replaced.

Both return a new tree and leave their arguments as they were.
"""

from __future__ import annotations

from typing import Any

#: Lists a strategic merge merges entry by entry, and the key that identifies an entry.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "volumeMounts": "mountPath",
    "env": "name",
    "ports": "containerPort",
}


def strategic_merge(base: Any, patch: Any) -> Any:
    """``patch`` merged into ``base`` as a strategic-merge patch (see the module docstring)."""
    return _merge(base, patch, None, merge_lists=True)


def helm_merge(base: Any, patch: Any) -> Any:
    """``patch`` merged into ``base`` as Helm layers values files (every list replaced)."""
    return _merge(base, patch, None, merge_lists=False)


def _merge(base: Any, patch: Any, key: str | None, merge_lists: bool) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for name, value in patch.items():
            if value is None:
                merged.pop(name, None)
            elif name in merged:
                merged[name] = _merge(merged[name], value, name, merge_lists)
            else:
                merged[name] = value
        return merged
    if merge_lists and isinstance(base, list) and isinstance(patch, list) and key in MERGE_KEYS:
        return _merge_keyed(base, patch, MERGE_KEYS[key])
    return patch


def _merge_keyed(base: list[Any], patch: list[Any], merge_key: str) -> list[Any]:
    merged = list(base)
    for item in patch:
        wanted = item.get(merge_key) if isinstance(item, dict) else None
        index = next(
            (
                i
                for i, old in enumerate(merged)
                if isinstance(old, dict) and wanted is not None and old.get(merge_key) == wanted
            ),
            None,
        )
        if index is None:
            merged.append(item)
        else:
            merged[index] = _merge(merged[index], item, None, merge_lists=True)
    return merged
