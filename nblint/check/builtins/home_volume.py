"""Where the user's work lives (``notebook-home-*`` rules).

Why Python: the home directory comes from the image table or the container's env, and the
answer joins the mount at that path with its volume and the pod's groups.

Aspects (``options: {aspect: …}``):

* ``persistent`` — no volume, or an emptyDir, at HOME: work is lost at every restart.
* ``writable`` — a PersistentVolumeClaim at HOME without ``fsGroup``: a fresh volume is owned
  by root and the user gets "permission denied" in their own home.
* ``shared`` — the claim (and sub-path) at HOME is the same for every user: users read and
  overwrite each other's files. Only z2jh pods say who "every user" is (name templates).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nblint.check import podview
from nblint.check.targets import RawViolation, notebook_of
from nblint.model.pod import EffectivePod


def _home_mount(pod: EffectivePod) -> tuple[Any, ...] | None:
    """What every aspect asks, worked out once per pod: the notebook container, its HOME and the
    mount serving it, ``(path, container, variables, home, (mount index, mount, volume) | None,
    volume index | None)``; None when there is no notebook or its HOME is unknown."""
    memo = pod.memo
    if "home_mount" not in memo:
        found = notebook_of(pod)
        home = podview.notebook_home(pod)
        if found is None or home is None:
            memo["home_mount"] = None
        else:
            base, container, variables = found
            volumes = podview.volumes_by_name(pod.spec)
            mount = podview.mount_at(pod.spec, container, home, volumes)
            volume_index = None if mount is None else volumes[mount[1]["name"]][0]
            memo["home_mount"] = (base, container, variables, home, mount, volume_index)
    return memo["home_mount"]


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:

    found = _home_mount(pod)
    if found is None:
        return
    base, _container, variables, home, mount, volume_index = found
    aspect = impl.builtin_options.get("aspect")
    info = {**variables, "home": home, "value": home}
    if mount is None:
        if aspect == "persistent":
            yield RawViolation((*base, "volumeMounts"), "", variables["container"], variables=info)
        return
    index, volume_mount, volume = mount
    source = podview.source_of(volume)
    info.update(volume=volume_mount["name"], source=source or "")
    if aspect == "persistent" and source not in podview.PERSISTENT_SOURCES:
        yield RawViolation(
            ("spec", "volumes", volume_index), "", variables["container"], variables=info
        )
    elif aspect == "writable" and source == "persistentVolumeClaim":
        if podview._dict(pod.spec.get("securityContext")).get("fsGroup") is None:
            yield RawViolation(
                ("spec", "securityContext"), "", variables["container"], variables=info
            )
    elif aspect == "shared" and source == "persistentVolumeClaim" and pod.facts.get("per_user"):
        claim = podview._dict(volume.get("persistentVolumeClaim")).get("claimName")
        if not podview.per_user(claim) and not podview.per_user(volume_mount.get("subPath")):
            yield RawViolation(
                (*base, "volumeMounts", index),
                "",
                variables["container"],
                variables={**info, "claim": claim},
            )
