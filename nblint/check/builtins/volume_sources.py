"""A volume that names more than one source.

Why Python: the sources are whichever of some thirty keys a volume holds; "at most one of them"
over a list of names is a count a rule's JSON Schema cannot take without listing every pair.
"""

from __future__ import annotations

from collections.abc import Iterator

from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The ``VolumeSource`` fields of a core/v1 Volume: a volume is its name and one of these.
SOURCES = frozenset(
    {
        *("awsElasticBlockStore", "azureDisk", "azureFile", "cephfs", "cinder", "configMap"),
        *("csi", "downwardAPI", "emptyDir", "ephemeral", "fc", "flexVolume", "flocker"),
        *("gcePersistentDisk", "gitRepo", "glusterfs", "hostPath", "image", "iscsi", "nfs"),
        *("persistentVolumeClaim", "photonPersistentDisk", "portworxVolume", "projected"),
        *("quobyte", "rbd", "scaleIO", "secret", "storageos", "vsphereVolume"),
    }
)


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    for path, volume, variables in targets_of(pod, "volume"):
        sources = [key for key in volume if key in SOURCES]
        if len(sources) < 2:
            continue
        yield RawViolation(
            (*path, sources[1]),
            "",
            variables=variables | {"sources": ", ".join(sources)},
        )
