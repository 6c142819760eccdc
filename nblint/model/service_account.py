"""Whether the API server's ServiceAccount admission plugin gives a pod an API token at all.

The plugin (kubernetes ``plugin/pkg/admission/serviceaccount/admission.go``,
``mountServiceAccountToken``) adds the token volume's mount to every init and regular container
("Ensure every container mounts the APISecret volume"), except to a container that already
mounts something at exactly ``/var/run/secrets/kubernetes.io/serviceaccount`` ("Existing mounts
at the default mount path prevent mounting of the API token": the comparison is of the strings,
so ``/run/secrets/...`` or a trailing slash do not count). It adds the token volume only when
some container got the mount. So a pod whose every container mounts, say, an emptyDir there (old
z2jh charts' ``no-api-access-please``, hardening guides) holds no token, whatever
``automountServiceAccountToken`` says. Ephemeral containers never get the mount.

A mount there of a volume that itself carries credentials (a ``secret``, or a ``projected``
volume with a ``secret`` or ``serviceAccountToken`` source: a pod dumped from a cluster shows
the token volume the plugin added, mounted at that very path) masks nothing: the token is there.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The pod fact set (True) when no container of the pod gets the API token (see the module).
FACT = "api_token_masked"

#: ``DefaultAPITokenMountPath`` of the admission plugin.
TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"

#: Projected sources that put credentials in the volume.
_CREDENTIAL_SOURCES = ("secret", "serviceAccountToken")


def token_masked(spec: Any) -> bool:
    """Whether every init and regular container of ``spec`` mounts a volume without credentials
    at the token path, so that the plugin mounts the token nowhere."""
    if not isinstance(spec, dict):
        return False
    volumes: dict[str, Any] = {
        volume["name"]: volume
        for volume in _list(spec.get("volumes"))
        if isinstance(volume, dict) and isinstance(volume.get("name"), str)
    }
    containers = [
        container
        for list_name in ("initContainers", "containers")
        for container in _list(spec.get(list_name))
    ]
    if not containers:
        return False
    return all(_masks(container, volumes) for container in containers)


def _masks(container: Any, volumes: dict[str, Any]) -> bool:
    if not isinstance(container, dict):
        return False
    for mount in _list(container.get("volumeMounts")):
        if isinstance(mount, dict) and mount.get("mountPath") == TOKEN_MOUNT_PATH:
            # The plugin stops at the first mount at the path; the kubelet mounts this one.
            name = mount.get("name")
            volume = volumes.get(name) if isinstance(name, str) else None
            return volume is not None and not _carries_credentials(volume)
    return False


def _carries_credentials(volume: dict[str, Any]) -> bool:
    if "secret" in volume:
        return True
    projected = volume.get("projected")
    if projected is None:
        return False
    if not isinstance(projected, dict):
        return True  # cannot tell: not a mask
    return any(
        not isinstance(source, dict) or any(key in source for key in _CREDENTIAL_SOURCES)
        for source in _list(projected.get("sources"))
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
