"""What the Kubeflow CRDs keep of an object: the API server prunes every field their schema lacks.

The ``Notebook`` CRD's pod template was generated from the Kubernetes 1.23 ``PodSpec`` (the
notebook controller pins ``k8s.io/api v0.23``) and is structural without
``x-kubernetes-preserve-unknown-fields``, so anything newer — ``appArmorProfile``, ``hostUsers``,
native-sidecar ``restartPolicy`` … — and ``spec.template.metadata`` are silently dropped before
the controller ever sees them. The schemas below list the keys at the levels where a dropped field
changes what the pod may do; deeper levels are kept whole.

A schema is a mapping ``key → child``: a child is another schema, :class:`Items` (a list whose
mapping items follow a schema) or ``None`` (kept as written).
"""

from __future__ import annotations

from nblint.load.yaml_tree import to_plain
from nblint.model.pod import Path
from nblint.model.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Items(Record):
    __slots__ = ("schema",)

    def __init__(self, schema: Schema) -> None:
        self.schema = schema


Schema = dict[str, "Schema | Items | None"]


def _keys(*names: str) -> Schema:
    return dict.fromkeys(names)


_SE_LINUX = _keys("user", "role", "type", "level")
_SECCOMP = _keys("type", "localhostProfile")
_WINDOWS = _keys("gmsaCredentialSpecName", "gmsaCredentialSpec", "runAsUserName", "hostProcess")

POD_SECURITY_CONTEXT: Schema = {
    **_keys("fsGroup", "fsGroupChangePolicy", "runAsGroup", "runAsNonRoot", "runAsUser"),
    **_keys("supplementalGroups", "sysctls"),
    "seLinuxOptions": _SE_LINUX,
    "seccompProfile": _SECCOMP,
    "windowsOptions": _WINDOWS,
}

CONTAINER_SECURITY_CONTEXT: Schema = {
    **_keys("allowPrivilegeEscalation", "privileged", "procMount", "readOnlyRootFilesystem"),
    **_keys("runAsGroup", "runAsNonRoot", "runAsUser"),
    "capabilities": _keys("add", "drop"),
    "seLinuxOptions": _SE_LINUX,
    "seccompProfile": _SECCOMP,
    "windowsOptions": _WINDOWS,
}

CONTAINER: Schema = {
    **_keys("name", "image", "command", "args", "workingDir", "ports", "envFrom", "env"),
    **_keys("volumeMounts", "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe"),
    **_keys("lifecycle", "terminationMessagePath", "terminationMessagePolicy"),
    **_keys("imagePullPolicy", "stdin", "stdinOnce", "tty"),
    "resources": _keys("limits", "requests"),
    "securityContext": CONTAINER_SECURITY_CONTEXT,
}

EPHEMERAL_CONTAINER: Schema = {**CONTAINER, "targetContainerName": None}

VOLUME: Schema = {
    **_keys("name", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs"),
    **_keys("iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder"),
    **_keys("cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume"),
    **_keys("quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume"),
    **_keys("scaleIO", "storageos", "csi", "ephemeral"),
    "hostPath": _keys("path", "type"),
    "emptyDir": _keys("medium", "sizeLimit"),
}

POD_SPEC: Schema = {
    **_keys("activeDeadlineSeconds", "affinity", "automountServiceAccountToken", "dnsConfig"),
    **_keys("dnsPolicy", "enableServiceLinks", "hostAliases", "hostIPC", "hostNetwork"),
    **_keys("hostPID", "hostname", "imagePullSecrets", "nodeName", "nodeSelector", "os"),
    **_keys("overhead", "preemptionPolicy", "priority", "priorityClassName", "readinessGates"),
    **_keys("restartPolicy", "runtimeClassName", "schedulerName", "serviceAccount"),
    **_keys("serviceAccountName", "setHostnameAsFQDN", "shareProcessNamespace", "subdomain"),
    **_keys("terminationGracePeriodSeconds", "tolerations", "topologySpreadConstraints"),
    "containers": Items(CONTAINER),
    "initContainers": Items(CONTAINER),
    "ephemeralContainers": Items(EPHEMERAL_CONTAINER),
    "securityContext": POD_SECURITY_CONTEXT,
    "volumes": Items(VOLUME),
}

#: The whole Notebook object: ``spec`` holds only ``template``, which holds only ``spec``.
NOTEBOOK: Schema = {
    **_keys("apiVersion", "kind", "metadata", "status"),
    "spec": {"template": {"spec": POD_SPEC}},
}

#: ``PodDefault.spec`` (``kubeflow.org/v1alpha1``; its container types are from k8s.io/api 0.28).
_POD_DEFAULT_CONTAINER: Schema = {**CONTAINER, "restartPolicy": None, "resizePolicy": None}
POD_DEFAULT: Schema = {
    **_keys("apiVersion", "kind", "metadata"),
    "spec": {
        **_keys("selector", "desc", "serviceAccountName", "automountServiceAccountToken"),
        **_keys("env", "envFrom", "volumeMounts", "tolerations", "imagePullSecrets"),
        **_keys("annotations", "labels", "command", "args"),
        "volumes": Items({**VOLUME, "image": None}),
        "initContainers": Items(_POD_DEFAULT_CONTAINER),
        "sidecars": Items(_POD_DEFAULT_CONTAINER),
    },
}

#: Pruned keys that make the pod less safe than the author believes.
SECURITY_KEYS = frozenset({"hostUsers", "appArmorProfile"})


class Pruned(Record):
    """The object as the API server stores it (plain data), and the paths it dropped."""

    __slots__ = ("dropped", "value")

    def __init__(self, value: Any, dropped: list[Path] | None = None) -> None:
        self.value = value
        self.dropped: list[Path] = [] if dropped is None else dropped


def prune(value: Any, schema: Schema) -> Pruned:
    result = Pruned(None)
    result.value = _prune(value, schema, (), result.dropped)
    return result


def _prune(value: Any, schema: Schema | Items | None, path: Path, dropped: list[Path]) -> Any:
    if schema is None:
        return to_plain(value)
    if isinstance(schema, Items):
        if not isinstance(value, list):
            return to_plain(value)
        return [_prune(item, schema.schema, (*path, i), dropped) for i, item in enumerate(value)]
    if not isinstance(value, dict):
        return to_plain(value)
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in schema:
            sub = schema[key]
            if sub is None:  # kept whole (most keys): no call, and no path, for a scalar
                out[key] = to_plain(item) if isinstance(item, (dict, list)) else item
            else:
                out[key] = _prune(item, sub, (*path, key), dropped)
        else:
            dropped.append((*path, key))
    return out


def is_security_relevant(path: Path) -> bool:
    """A dropped field the author most likely relies on for safety.

    Every field of a ``securityContext``, ``hostUsers``, and the template's ``metadata`` (its
    annotations could carry AppArmor or seccomp settings, its labels PodDefault selections).
    """
    if path[-2:] == ("template", "metadata"):
        return True
    return "securityContext" in path or bool(SECURITY_KEYS.intersection(map(str, path)))
