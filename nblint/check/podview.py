"""Questions rules ask about an effective pod that plain field lookups cannot answer.

The effective security settings of a container (its own, else the pod's), where its home is,
and which of its paths are writable through a volume mount.
"""

from __future__ import annotations

import posixpath
from typing import Any

from nblint.check import images
from nblint.check.targets import notebook_of
from nblint.model.pod import EffectivePod

#: Volume sources the kubelet always mounts read-only.
READ_ONLY_SOURCES = ("configMap", "secret", "downwardAPI", "projected", "image")
#: Volume sources whose data survives a pod restart.
PERSISTENT_SOURCES = (
    *("persistentVolumeClaim", "nfs", "csi", "cephfs", "glusterfs", "iscsi", "rbd"),
    # In-tree disks and shares a volume may name directly (deprecated, still read).
    *("awsElasticBlockStore", "gcePersistentDisk", "azureDisk", "azureFile", "cinder", "fc"),
    *("vsphereVolume", "portworxVolume", "photonPersistentDisk", "quobyte", "scaleIO"),
    *("storageos", "flocker"),
)
#: Placeholders KubeSpawner expands per user in claim names and sub-paths.
PER_USER_PLACEHOLDERS = (
    "{username}",
    "{escaped_username}",
    "{unescaped_username}",
    "{user_server}",
    "{userid}",
)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def items(value: Any) -> list[Any]:
    """``value`` when it is a list, else nothing: a field of the wrong type (`env: 5`) is the
    `wrong-field-type` rule's finding, and every other check reads it as absent."""
    return value if isinstance(value, list) else []


def security(spec: dict[str, Any], container: dict[str, Any], key: str) -> Any:
    """The container's ``securityContext.<key>``, else the pod's (the kubelet's precedence)."""
    own = _dict(container.get("securityContext")).get(key)
    return own if own is not None else _dict(spec.get("securityContext")).get(key)


def env_value(container: dict[str, Any], name: str) -> Any:
    for item in items(container.get("env")):
        if isinstance(item, dict) and item.get("name") == name:
            return item.get("value")
    return None


def home_directory(container: dict[str, Any], platform_home: Any = None) -> str | None:
    """HOME of the container: its env, else where the platform mounts the user's home
    (``platform_home``: z2jh's ``singleuser.storage.homeMountPath``), else what the image table
    knows, else None."""
    home = env_value(container, "HOME")
    if isinstance(home, str) and home.startswith("/"):
        return home
    if isinstance(platform_home, str) and platform_home.startswith("/"):
        return platform_home
    entry = images.lookup(container.get("image"))
    if entry and isinstance(entry.get("home"), str):
        return str(entry["home"])
    return None


def notebook_home(pod: EffectivePod) -> str | None:
    """:func:`home_directory` of the pod's notebook container, worked out once per pod."""
    memo = pod.memo
    if "notebook_home" not in memo:
        found = notebook_of(pod)
        memo["notebook_home"] = (
            None if found is None else home_directory(found[1], pod.facts.get("home_directory"))
        )
    home: str | None = memo["notebook_home"]
    return home


def volumes_by_name(spec: dict[str, Any]) -> dict[str, tuple[int, dict[str, Any]]]:
    out = {}
    for index, volume in enumerate(items(spec.get("volumes"))):
        if isinstance(volume, dict) and isinstance(volume.get("name"), str):
            out[volume["name"]] = (index, volume)
    return out


def mounts(container: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    return [
        (index, mount)
        for index, mount in enumerate(items(container.get("volumeMounts")))
        if isinstance(mount, dict) and isinstance(mount.get("mountPath"), str)
    ]


def source_of(volume: dict[str, Any]) -> str | None:
    return next((key for key in volume if key != "name"), None)


def normal_path(path: str) -> str:
    """``posixpath.normpath(path)``, without its cost for an absolute path that is already
    normal (most mount paths and homes): no empty, ``.`` or ``..`` part, no trailing slash."""
    if path[:1] == "/" and "//" not in path and "/." not in path and path[-1] != "/":
        return path
    return posixpath.normpath(path)


def mount_at(
    spec: dict[str, Any],
    container: dict[str, Any],
    path: str,
    volumes: dict[str, tuple[int, dict[str, Any]]] | None = None,
) -> tuple[int, dict[str, Any], dict[str, Any]] | None:
    """The mount serving ``path`` (the deepest mountPath at or above it), with its volume.

    ``volumes``: :func:`volumes_by_name` of ``spec``, when the caller has it already.
    """
    best = None
    best_length = -1
    target = normal_path(path)
    if volumes is None:
        volumes = volumes_by_name(spec)
    for index, mount in mounts(container):
        mount_path = normal_path(mount["mountPath"])
        inside = target == mount_path or target.startswith(mount_path.rstrip("/") + "/")
        deeper = len(mount_path) > best_length
        if inside and deeper and isinstance(mount.get("name"), str) and mount["name"] in volumes:
            best = (index, mount, volumes[mount["name"]][1])
            best_length = len(mount_path)
    return best


def writable(spec: dict[str, Any], container: dict[str, Any], path: str) -> bool:
    """Whether ``path`` lies on a writable volume mount."""
    found = mount_at(spec, container, path)
    if found is None:
        return False
    _, mount, volume = found
    return mount.get("readOnly") is not True and source_of(volume) not in READ_ONLY_SOURCES


def per_user(text: Any) -> bool:
    return isinstance(text, str) and any(p in text for p in PER_USER_PLACEHOLDERS)
