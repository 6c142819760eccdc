"""A container that mounts a volume the pod does not have: the API server refuses the pod
(``volumeMounts[i].name: Not found``).

Why Python: each mount's name is looked up among the names of the pod's volumes, a comparison
across two lists that a JSON Schema over one value cannot make.

KubeSpawner expands ``{username}``-style templates in volume and mount names alike (z2jh's
dynamic home is ``volume-{user_server}``): a name with a template stands for every text it may
become, and a mount is said only when no volume can be the one it names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nblint.check.targets import RawViolation, targets_of
from nblint.model.pod import EffectivePod, Origin
from nblint.model.unknowable import is_unknowable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: A KubeSpawner template field in a name (``{username}``, ``{user_server}``).
_FIELD = re.compile(r"\{[^{}]*\}")


def check(pod: EffectivePod, rule: Any, impl: Any, policy: Any) -> Iterator[Any]:
    # The pod may have volumes nblint does not see (an umbrella chart's own values, a pod hook,
    # PodDefaults it was not given): a mount it cannot match is no sign of one the pod lacks,
    # and nblint says so (info) instead.
    unseen = pod.facts.get("volumes_unseen")
    said: set[str] = set()
    volumes = pod.spec.get("volumes")
    if volumes is None:
        volumes = []
    if not isinstance(volumes, list):
        return  # a wrong type is said elsewhere (wrong-field-type)
    names: list[str] = []
    for volume in volumes:
        name = volume.get("name") if isinstance(volume, dict) else None
        if not isinstance(name, str) or is_unknowable(name):
            return  # a volume nblint cannot name (a placeholder) may be any: nothing to compare
        names.append(name)
    exact = set(names)
    hooks = pod.facts.get("pod_hooks")
    hook = hooks[0] if isinstance(hooks, list) and hooks else None
    templates = [_pattern(name) for name in names if _FIELD.search(name)]
    # A z2jh key that replaces the pod's volumes whole (a profile's `volumes`) is the line to
    # edit: the chart's home volume and extraVolumes are in the list it replaces.
    replaced_by = pod.facts.get("volumes_replaced_by")
    replacing = pod.provenance.locate(("spec", "volumes")) if replaced_by else None
    # Volumes a later values file's null deletes (`extraVolumes:` left empty): said there.
    deleted = pod.facts.get("volumes_deleted")
    if not isinstance(deleted, dict):
        deleted = {}
    for base, variables, field, at, mount_index, mount in _uses(pod):
        name = mount.get("name") if isinstance(mount, dict) else None
        if not isinstance(name, str) or not name or is_unknowable(name) or name in exact:
            continue
        if _FIELD.search(name):
            # Two templates may expand alike; a template against plain names is compared.
            if templates or any(_pattern(name).fullmatch(plain) for plain in exact):
                continue
        elif any(pattern.fullmatch(name) for pattern in templates):
            continue
        mount_path = str(mount.get(at) or "")
        if unseen:
            if name in said:
                continue  # one volume nblint does not see is one thing to say
            said.add(name)
            yield RawViolation(
                (*base, field, mount_index, "name"),
                f"{variables['container_type']} {variables['container']} mounts volume {name} "
                f"at {mount_path}, which no volume nblint sees gives the pod; it may come from "
                f"{unseen} (if not, the API server refuses the pod)",
                variables["container"],
                variables={**variables, "volume_name": name, "mount_path": mount_path},
                distinct=f"{field}{mount_index}",
                severity="info",
            )
            continue
        where = deleted.get(name)
        fix: dict[str, str] | None = None
        origin = replacing
        if isinstance(where, dict):
            # The later file's null is what to edit: the volume the earlier file writes is gone.
            origin = Origin(where["file"], where["line"], where["column"], where["note"])
            fix = {
                "any": f"Write the volume {name} in place of this null ({where['key']} of this "
                "file: the null deletes the earlier files' volumes), or remove the mount of it "
                f"at {mount_path}: the API server refuses a mount of a volume the pod does not "
                "have."
            }
        elif replacing is not None:
            fix = {"any": _REPLACED_HINT}
        yield RawViolation(
            (*base, field, mount_index, "name"),
            "",
            variables["container"],
            fix=fix,
            variables={
                **variables,
                "volume_name": name,
                "mount_path": mount_path,
                "volumes_replaced_by": replaced_by or "",
                "volume_entry": _volume_entry(pod, name, mount_path),
            },
            origin=origin,
            distinct=f"{field}{mount_index}",
            # A hook may change the pod, but one that adds the volume of a mount the values
            # write, and not the mount, would be an odd way to write it.
            assumption=f"hub.extraConfig's {hook} adds no volume named {name}" if hook else None,
            object_hint=isinstance(where, dict),
        )


#: The hint where a values key replaces the pod's volumes (see ``volumes_replaced_by``).
_REPLACED_HINT = (
    "Add the volume {volume_name} to {volumes_replaced_by}{volume_entry}, or leave `volumes` "
    "out of it, or remove the mount of it at {mount_path}: that list replaces the pod's volumes "
    "(the chart's home volume and singleuser.storage.extraVolumes with them), and the API "
    "server refuses a mount of a volume the pod does not have."
)


def _volume_entry(pod: EffectivePod, name: str, mount_path: str) -> str:
    """The volume entry that gives back the chart's home (``- name: volume-{user_server}``
    with its claim), for a mount of it; else nothing."""
    home = pod.facts.get("home_pvc")
    if pod.facts.get("chart_home_mount") != mount_path or not isinstance(home, dict):
        return ""
    claim = home.get("name_template")
    if not isinstance(claim, str) or not claim:
        return ""
    return f" (`- name: {name}` with `persistentVolumeClaim: {{claimName: {claim}}}`)"


#: What names a volume in a container, and where that entry puts it: a mount (a directory) and
#: a raw block device (a claim in block mode); the API server refuses either without its volume.
_USES = (("volumeMounts", "mountPath"), ("volumeDevices", "devicePath"))


def _uses(pod: EffectivePod) -> Iterator[tuple[Any, ...]]:
    """Every entry of every container that names a volume: ``(container path, variables,
    field, path key, index, entry)``."""
    for base, container, variables in targets_of(pod, "container"):
        for field, at in _USES:
            entries = container.get(field)
            if isinstance(entries, list):
                for index, entry in enumerate(entries):
                    yield base, variables, field, at, index, entry


def _pattern(name: str) -> re.Pattern[str]:
    """What a name with template fields may expand to: each field any text."""
    return re.compile(".*".join(re.escape(part) for part in _FIELD.split(name)), re.DOTALL)
