"""What a profile's ``volumes``/``volume_mounts`` override leaves unmounted of the chart's.

The chart turns ``singleuser.storage`` (the home claim), ``singleuser.storage.extraVolumes`` /
``extraVolumeMounts`` and ``singleuser.extraFiles`` into KubeSpawner's ``volumes`` and
``volume_mounts`` (z2jh's ``jupyterhub_config.py``). A ``kubespawner_override`` that sets either
as a list replaces the chart's whole list (KubeSpawner's ``_apply_overrides`` merges only a
mapping into a mapping, which z2jh 4.3+ with KubeSpawner 7 builds): whatever the chart mounted
and the override does not is gone from that profile's spawns, whatever the image. The check
compares the spawn without the profile with the spawn with it, so it names only what the
override takes away.
"""

from __future__ import annotations

from nblint.dialects.z2jh.traits import SpawnerConfig
from nblint.model.pod import format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from nblint.dialects.z2jh.profiles import Selection
    from nblint.dialects.z2jh.sources import ValuesPath

RULE = "z2jh-override-drops-volumes"
HOME = ("singleuser", "storage", "type")
EXTRA_FILES = ("singleuser", "extraFiles")
EXTRA_VOLUMES = ("singleuser", "storage", "extraVolumes")


def report_dropped_volumes(
    base: SpawnerConfig, applied: SpawnerConfig, selection: Selection
) -> None:
    """Report on ``applied`` (``base`` with ``selection``'s overrides) each volume of ``base``
    that ``base`` mounts and no mount of ``applied`` mounts any more, at the override key that
    took it away. A volume whose mounts stay while the volume goes is not this finding: the API
    server refuses that pod (``mount-without-volume``)."""
    volumes_at = _last_override(selection, "volumes")
    mounts_at = _last_override(selection, "volume_mounts")
    if volumes_at is None and mounts_at is None:
        return
    if any(problem.path in (volumes_at, mounts_at) for problem in applied.problems):
        return  # an override KubeSpawner refuses fails the spawn: that is the finding
    if any(
        item is None
        for trait in ("volumes", "volume_mounts")
        for _, item in _items(applied.get(trait))
    ):
        return  # a null item fails the spawn too (z2jh-spawn-failure says so, at the item)
    base_volumes = _items(base.get("volumes"))
    base_mounts = _items(base.get("volume_mounts"))
    kept_volumes = {_name(item) for _, item in _items(applied.get("volumes"))}
    mounted_now = {_name(item) for _, item in _items(applied.get("volume_mounts"))}
    lost: list[str] = []
    volume_gone = False
    for key, volume in base_volumes:
        name = _name(volume)
        paths = [
            str(mount.get("mountPath"))
            for _, mount in base_mounts
            if _name(mount) == name and mount.get("mountPath")
        ]
        if name is None or not paths or name in mounted_now:
            continue
        found = base.source("volumes", (key,))
        source = found[0].path if found else ()
        lost.append(_describe(source, name, paths))
        volume_gone = volume_gone or name not in kept_volumes
    if not lost:
        return
    at = volumes_at if volume_gone and volumes_at is not None else mounts_at or volumes_at
    assert at is not None
    key = at[-1]
    whom = _whom(at)
    maps = isinstance(base.get("volumes"), dict)
    message = (
        f"this override's `{key}` replaces the chart's list: {_join(lost)} "
        f"{'is' if len(lost) == 1 else 'are'} not mounted in spawns of {whom}"
    )
    if maps:
        fix = (
            f"Write `{key}` (and `volume_mounts`) as mappings keyed by name: KubeSpawner merges a "
            "mapping override into the chart's, keeping its volumes; or list the chart's "
            "volumes and mounts here too."
        )
    else:
        fix = (
            "List the chart's volumes and mounts that it drops in this override's `volumes` and "
            "`volume_mounts` too, or mount the extra volume for every profile with "
            "`singleuser.storage.extraVolumes`/`extraVolumeMounts`."
        )
    applied.report(at, message, fix, rule=RULE)


def _last_override(selection: Selection, trait: str) -> ValuesPath | None:
    """The values path of the last override of ``selection`` that sets ``trait`` (the one that
    wins), None when none does."""
    found = None
    for override, path in selection.overrides:
        if trait in override:
            found = (*path, trait)
    return found


def _items(value: Any) -> list[tuple[Any, Any]]:
    """``(key, item)`` of a list (by index) or a mapping (z2jh 4.3+: by key) of volumes."""
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, dict):
        return list(value.items())
    return []


def _name(item: Any) -> str | None:
    name = item.get("name") if isinstance(item, dict) else None
    return str(name) if name is not None else None


def _describe(source: ValuesPath, name: str, paths: list[str]) -> str:
    """How a message names a dropped volume, by the chart key that added it."""
    at = f"({', '.join(paths)})"
    if source == HOME:
        return f"the home claim {at}"
    if source == EXTRA_FILES:
        return f"the `singleuser.extraFiles` {at}"
    if source[: len(EXTRA_VOLUMES)] == EXTRA_VOLUMES:
        return f"`singleuser.storage.extraVolumes` `{name}` {at}"
    where = f" of `{format_path(source)}`" if source else ""
    return f"volume `{name}`{where} {at}"


def _whom(path: ValuesPath) -> str:
    """The spawns an override applies to, in words: its profile's, or its choice's."""
    if "choices" in path:
        at = path.index("choices")
        return f"choice `{path[at - 1]}={path[at + 1]}`"
    return "this profile"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
