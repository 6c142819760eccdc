"""z2jh values → KubeSpawner traits: what the chart's ``jupyterhub_config.py`` does.

Per chart family (3.x, 4.0-4.2, 4.3+), from the merged values, followed by the
``hub.config.KubeSpawner`` / ``hub.config.Spawner`` pass-through that replaces traits wholesale
(facts: ``z2jh-kubespawner.md`` section 2). Every trait remembers the values path that set it.
"""

from __future__ import annotations

from nblint.dialects.z2jh.extra_config import ExtraConfig
from nblint.dialects.z2jh.helm import CHART_NAME, hub_items, resource_names
from nblint.dialects.z2jh.traits import (
    KUBESPAWNER,
    SPAWNER,
    Source,
    SpawnerConfig,
    Trait,
    ValuesPath,
    copy_tree,
    lookup,
    normalise_types,
)
from nblint.dialects.z2jh.values import Release, deprecated_aliases, unconfigurable_traits
from nblint.model.names import invalid_reference
from nblint.model.pod import Path, format_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: ``singleuser.<key>`` → trait, assigned only when the value is not null (all chart versions).
PASSTHROUGH: tuple[tuple[str, ValuesPath], ...] = (
    ("pod_name_template", ("podNameTemplate",)),
    ("start_timeout", ("startTimeout",)),
    ("image_pull_policy", ("image", "pullPolicy")),
    ("events_enabled", ("events",)),
    ("extra_labels", ("extraLabels",)),
    ("extra_annotations", ("extraAnnotations",)),
    ("uid", ("uid",)),
    ("fs_gid", ("fsGid",)),
    ("service_account", ("serviceAccountName",)),
    ("storage_extra_labels", ("storage", "extraLabels")),
    ("node_selector", ("nodeSelector",)),
    ("node_affinity_required", ("extraNodeAffinity", "required")),
    ("node_affinity_preferred", ("extraNodeAffinity", "preferred")),
    ("pod_affinity_required", ("extraPodAffinity", "required")),
    ("pod_affinity_preferred", ("extraPodAffinity", "preferred")),
    ("pod_anti_affinity_required", ("extraPodAntiAffinity", "required")),
    ("pod_anti_affinity_preferred", ("extraPodAntiAffinity", "preferred")),
    ("lifecycle_hooks", ("lifecycleHooks",)),
    ("init_containers", ("initContainers",)),
    ("extra_containers", ("extraContainers",)),
    ("mem_limit", ("memory", "limit")),
    ("mem_guarantee", ("memory", "guarantee")),
    ("cpu_limit", ("cpu", "limit")),
    ("cpu_guarantee", ("cpu", "guarantee")),
    ("extra_resource_limits", ("extraResource", "limits")),
    ("extra_resource_guarantees", ("extraResource", "guarantees")),
    ("environment", ("extraEnv",)),
    ("profile_list", ("profileList",)),
    ("extra_pod_config", ("extraPodConfig",)),
)

#: ``PASSTHROUGH`` with each entry's source, made once (a source is never changed).
_PASSTHROUGH_SOURCES: tuple[tuple[str, ValuesPath, Source], ...] = tuple(
    (trait, key, Source(("singleuser", *key))) for trait, key in PASSTHROUGH
)

#: Traits the chart writes on ``Spawner`` rather than ``KubeSpawner``.
SPAWNER_LEVEL = ("cmd", "default_url", "debug")
_MISSING = object()

# ---------------------------------------------------------------------------------------------
# The chart's jupyterhub_config.py


def chart_traits(
    values: dict[str, Any],
    chart_version: str,
    release_name: str = "RELEASE",
    extra: ExtraConfig | None = None,
    copies: bool = True,
) -> SpawnerConfig:
    """The traits the hub configures from the merged values, ``hub.config`` included, then what
    nblint read of ``hub.extraConfig`` (``extra``; nothing when not given).

    ``copies=False``: traits share what they can with ``values`` (a config only compared, then
    dropped; the values are never changed either way)."""
    config = chart_written_traits(values, chart_version, release_name, copies)
    return with_hub_config(config, values, extra)


def chart_written_traits(
    values: dict[str, Any], chart_version: str, release_name: str = "RELEASE", copies: bool = True
) -> SpawnerConfig:
    """What the chart's ``jupyterhub_config.py`` writes itself, before ``hub.config``: read from
    every values key but ``hub.config`` (a test holds it so), so that configs whose values differ
    only there can share it (see :func:`with_hub_config`)."""
    config = SpawnerConfig(chart_version, copies)
    su = ("singleuser",)

    singleuser = lookup(values, su)
    for trait, key, source in _PASSTHROUGH_SOURCES:
        # `lookup(singleuser, key)` inlined (the keys are names): a missing step gives None.
        value = singleuser
        for part in key:
            value = value.get(part) if isinstance(value, dict) else None
        if value is not None:
            config.set(trait, value, source)

    set_image(config, values)

    config.set(
        "allow_privilege_escalation",
        lookup(values, (*su, "allowPrivilegeEscalation")),
        Source((*su, "allowPrivilegeEscalation")),
    )

    _common_labels(config, values, release_name)
    _image_pull_secrets(config, values, release_name)
    _scheduling(config, values, release_name)
    _storage(config, values, release_name)

    cmd = lookup(values, (*su, "cmd"), _MISSING)
    if cmd is not _MISSING:
        config.set("cmd", cmd, Source((*su, "cmd")))
    default_url = lookup(values, (*su, "defaultUrl"))
    if default_url is not None:
        config.set("default_url", default_url, Source((*su, "defaultUrl")))

    _cloud_metadata(config, values)
    if lookup(values, ("debug", "enabled"), False):
        config.set("debug", True, Source(("debug", "enabled")))

    return config


#: The release's :func:`chart_written_traits` among its ``fix_memo`` keys.
_CHART_WRITTEN = "chart-written traits"
#: The release name the traits of a release's pods are written for (a label value).
RELEASE_NAME = "<release>"


def release_chart_written(release: Release) -> SpawnerConfig:
    """:func:`chart_written_traits` of the release's values, made once per release and shared:
    its pods start from a copy, and so does each side of a fix hint's comparison (never change
    it)."""
    found: SpawnerConfig | None = release.fix_memo.get(_CHART_WRITTEN)
    if found is None:
        found = release.fix_memo[_CHART_WRITTEN] = chart_written_traits(
            release.values, release.chart_version, RELEASE_NAME
        )
    return found


#: The only values keys :func:`set_image` reads, and the one trait it writes: a hint that sets
#: only these changes only that trait of what the chart writes (a test holds it so).
IMAGE_KEYS = (("singleuser", "image", "name"), ("singleuser", "image", "tag"))


def set_image(config: SpawnerConfig, values: dict[str, Any]) -> None:
    """The ``image`` trait, from ``singleuser.image.name`` and ``.tag``."""
    image = lookup(values, IMAGE_KEYS[0])
    if image:
        tag = lookup(values, IMAGE_KEYS[1])
        joined = f"{image}:{tag}" if tag else image
        # An image the kubelet cannot read (`name:0.1` joined with a tag: `name:0.1:latest`) is
        # said at the name, the key to edit (invalid-image-reference).
        at = (
            ("singleuser", "image", "name")
            if invalid_reference(joined)
            else ("singleuser", "image")
        )
        config.set("image", joined, Source(at, extends=False))


def with_hub_config(
    config: SpawnerConfig, values: dict[str, Any], extra: ExtraConfig | None = None
) -> SpawnerConfig:
    """``config`` (:func:`chart_written_traits`) finished: ``hub.config``, then what nblint read
    of ``hub.extraConfig`` (``extra``), then the types traitlets coerces."""
    _hub_config(config, values, extra or ExtraConfig())
    normalise_types(config)
    return config


def _common_labels(config: SpawnerConfig, values: dict[str, Any], release: str) -> None:
    """The chart's labels on every user pod (its ``jupyterhub.commonLabels``, for KubeSpawner).

    ``app`` is ``nameOverride`` when set: the hub's copy of the values drops a top-level null,
    so the chart's own ``nameOverride: null`` leaves the chart's name."""
    name = lookup(values, ("nameOverride",))
    app = name if name is not None else CHART_NAME
    chart = f"{CHART_NAME}-{config.chart_version.replace('+', '_')}"
    if config.family == "3":
        labels = {"app": app, "heritage": "jupyterhub", "chart": chart, "release": release}
    else:
        labels = {
            "app.kubernetes.io/name": app,
            "app": app,
            "app.kubernetes.io/instance": release,
            "release": release,
            "helm.sh/chart": chart,
            "chart": chart,
            "app.kubernetes.io/managed-by": "kubespawner",
        }
    note = f"the z2jh {config.chart_version} hub labels every user pod"
    config.set("common_labels", labels, Source(("nameOverride",), note=note, extends=False))


def _image_pull_secrets(config: SpawnerConfig, values: dict[str, Any], release: str) -> None:
    secrets: list[Any] = []
    sources: dict[Path, Source] = {}
    if lookup(values, ("imagePullSecret", "automaticReferenceInjection")) and lookup(
        values, ("imagePullSecret", "create")
    ):
        sources[(len(secrets),)] = Source(("imagePullSecret", "create"), extends=False)
        secrets.append(resource_names(values, release)["image-pull-secret"])
    for key in (("imagePullSecrets",), ("singleuser", "image", "pullSecrets")):
        extra = lookup(values, key)
        if isinstance(extra, list):
            for index, item in enumerate(extra):
                sources[(len(secrets),)] = Source((*key, index))
                secrets.append(item)
    if secrets:
        config.traits["image_pull_secrets"] = Trait(copy_tree(secrets), sources)


def _scheduling(config: SpawnerConfig, values: dict[str, Any], release: str) -> None:
    if lookup(values, ("scheduling", "userScheduler", "enabled")):
        config.set(
            "scheduler_name",
            resource_names(values, release)["user-scheduler"],
            Source(("scheduling", "userScheduler", "enabled"), extends=False),
        )
    if lookup(values, ("scheduling", "podPriority", "enabled")):
        config.set(
            "priority_class_name",
            resource_names(values, release)["priority"],
            Source(("scheduling", "podPriority", "enabled"), extends=False),
        )

    purpose_key = ("scheduling", "userPods", "nodeAffinity", "matchNodePurpose")
    purpose = lookup(values, purpose_key)
    term = {
        "matchExpressions": [
            {"key": "hub.jupyter.org/node-purpose", "operator": "In", "values": ["user"]}
        ]
    }
    if purpose in ("prefer", "require"):
        name = "node_affinity_preferred" if purpose == "prefer" else "node_affinity_required"
        trait = config.own(name) or config.traits.setdefault(name, Trait(config.get(name)))
        if not isinstance(trait.value, list):  # a map (or junk) cannot be appended to
            config.report(purpose_key, f"cannot add the node-purpose term to {name}")
            return
        trait.sources[(len(trait.value),)] = Source(purpose_key, extends=False)
        trait.value.append({"weight": 100, "preference": term} if purpose == "prefer" else term)

    tolerations: list[Any] = []
    sources: dict[Path, Source] = {}
    for key in (("scheduling", "userPods", "tolerations"), ("singleuser", "extraTolerations")):
        items = lookup(values, key, [])
        if isinstance(items, list):
            for index, item in enumerate(items):
                sources[(len(tolerations),)] = Source((*key, index))
                tolerations.append(item)
    if tolerations:
        config.traits["tolerations"] = Trait(copy_tree(tolerations), sources)


def _storage(config: SpawnerConfig, values: dict[str, Any], release: str) -> None:
    storage = ("singleuser", "storage")
    home_mount = lookup(values, (*storage, "homeMountPath"))
    volumes: dict[str, Any] = {}
    mounts: dict[str, Any] = {}
    volume_sources: dict[str, Source] = {}
    mount_sources: dict[str, Source] = {}
    kind = lookup(values, (*storage, "type"))
    type_source = Source((*storage, "type"), extends=False)

    if kind == "dynamic":
        dynamic = (*storage, "dynamic")
        pvc_template = lookup(values, (*dynamic, "pvcNameTemplate"))
        if config.family == "3" or pvc_template:
            config.set("pvc_name_template", pvc_template, Source((*dynamic, "pvcNameTemplate")))
        volume_name = lookup(values, (*dynamic, "volumeNameTemplate"))
        config.set("storage_pvc_ensure", True, type_source)
        for trait, setting in (
            ("storage_class", (*dynamic, "storageClass")),
            ("storage_access_modes", (*dynamic, "storageAccessModes")),
            ("storage_capacity", (*storage, "capacity")),
        ):
            value = lookup(values, setting)
            if value is not None:
                config.set(trait, value, Source(setting))
        claim = pvc_template if config.family == "3" else "{pvc_name}"
        volumes[volume_name] = {"name": volume_name, "persistentVolumeClaim": {"claimName": claim}}
        mounts[volume_name] = {"mountPath": home_mount, "name": volume_name}
        if config.family != "3":
            mounts[volume_name]["subPath"] = lookup(values, (*dynamic, "subPath"))
        volume_sources[volume_name] = mount_sources[volume_name] = type_source
    elif kind == "static":
        static = (*storage, "static")
        volumes["home"] = {
            "name": "home",
            "persistentVolumeClaim": {"claimName": lookup(values, (*static, "pvcName"))},
        }
        mounts["home"] = {
            "mountPath": home_mount,
            "name": "home",
            "subPath": lookup(values, (*static, "subPath")),
        }
        volume_sources["home"] = mount_sources["home"] = type_source

    extra_files = lookup(values, ("singleuser", "extraFiles"), {})
    if isinstance(extra_files, dict) and extra_files:
        items = []
        for file_key, details in hub_items(extra_files):
            item: dict[str, Any] = {"key": file_key, "path": file_key}
            if isinstance(details, dict) and "mode" in details:
                item["mode"] = details["mode"]
            items.append(item)
        volumes["files"] = {
            "name": "files",
            "secret": {"secretName": resource_names(values, release)["singleuser"], "items": items},
        }
        volume_sources["files"] = Source(("singleuser", "extraFiles"), extends=False)
        for index, (file_key, details) in enumerate(hub_items(extra_files)):
            mount_path = details.get("mountPath") if isinstance(details, dict) else None
            key = f"{index}-files" if config.family == "4.3" else f"files-{index}"
            mounts[key] = {"mountPath": mount_path, "subPath": file_key, "name": "files"}
            mount_sources[key] = Source(("singleuser", "extraFiles", file_key), extends=False)

    for extra_key, target, target_sources, is_mount in (
        ("extraVolumes", volumes, volume_sources, False),
        ("extraVolumeMounts", mounts, mount_sources, True),
    ):
        path = (*storage, extra_key)
        extra = lookup(values, path, {} if config.family == "4.3" else [])
        if isinstance(extra, dict) and config.family == "4.3":
            for key, item in extra.items():
                target[key] = item
                target_sources[key] = Source((*path, key))
        elif isinstance(extra, list):
            for index, item in enumerate(extra):
                name = item.get("name") if isinstance(item, dict) else None
                if config.family == "4.3":
                    key = f"{index}-{name}" if is_mount else str(name)
                else:
                    key = f"extra-{index}"
                target[key] = item
                target_sources[key] = Source((*path, index))

    if config.family == "4.3":
        config.traits["volumes"] = _keyed_trait(volumes, volume_sources)
        config.traits["volume_mounts"] = _keyed_trait(mounts, mount_sources)
    else:  # lists, in insertion order
        config.traits["volumes"] = _listed_trait(volumes, volume_sources)
        config.traits["volume_mounts"] = _listed_trait(mounts, mount_sources)


def _keyed_trait(items: dict[str, Any], sources: dict[str, Source]) -> Trait:
    return Trait(copy_tree(items), {(key,): src for key, src in sources.items()})


def _listed_trait(items: dict[str, Any], sources: dict[str, Source]) -> Trait:
    keys = list(items)
    return Trait(
        [copy_tree(items[key]) for key in keys],
        {(index,): sources[key] for index, key in enumerate(keys)},
    )


def block_cloud_metadata_container(values: dict[str, Any]) -> dict[str, Any]:
    """The chart's ``block-cloud-metadata`` init container."""
    tools = ("singleuser", "networkTools")
    image = (
        f"{lookup(values, (*tools, 'image', 'name'))}:{lookup(values, (*tools, 'image', 'tag'))}"
    )
    container: dict[str, Any] = {
        "name": "block-cloud-metadata",
        "image": image,
        "command": [
            "iptables",
            "--append",
            "OUTPUT",
            "--protocol",
            "tcp",
            "--destination",
            lookup(values, ("singleuser", "cloudMetadata", "ip")),
            "--destination-port",
            "80",
            "--jump",
            "DROP",
        ],
        "securityContext": {
            "privileged": True,
            "runAsUser": 0,
            "capabilities": {"add": ["NET_ADMIN"]},
        },
    }
    resources = lookup(values, (*tools, "resources"))
    if resources:
        container["resources"] = resources
    return container


def _cloud_metadata(config: SpawnerConfig, values: dict[str, Any]) -> None:
    block = ("singleuser", "cloudMetadata", "blockWithIptables")
    if lookup(values, block) is not True:
        return
    trait = config.own("init_containers") or config.traits.setdefault(
        "init_containers", Trait(config.get("init_containers"))
    )
    if not isinstance(trait.value, list):
        config.report(("singleuser", "initContainers"), "initContainers is not a list")
        return
    note = (
        f"chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh "
        f"{config.chart_version} adds a privileged root init container"
    )
    trait.sources[(len(trait.value),)] = Source(block, note=note, extends=False)
    trait.value.append(block_cloud_metadata_container(values))


def _hub_config(config: SpawnerConfig, values: dict[str, Any], extra: ExtraConfig) -> None:
    """``hub.config.KubeSpawner`` / ``hub.config.Spawner``, then the literal assignments to
    ``c.KubeSpawner`` / ``c.Spawner`` read from ``hub.extraConfig`` (which runs later): each
    trait replaced wholesale.

    A ``KubeSpawner`` setting beats a ``Spawner`` one for the same trait (traitlets picks the
    most specific class), so the chart's own ``KubeSpawner`` settings also beat
    ``hub.config.Spawner``.
    """
    # What the chart itself wrote to `c.KubeSpawner` (the rest of its settings go on Spawner).
    chart_written = {name for name in config.traits if name not in SPAWNER_LEVEL}
    sections: dict[str, dict[str, tuple[Any, Source]]] = {"Spawner": {}, "KubeSpawner": {}}
    # traitlets sets only configurable traits from a section: `env` (JupyterHub's deprecated
    # Spawner.env, which a profile's override does set) never reaches the spawner from here.
    ignored = unconfigurable_traits(config.chart_version)
    for section, path in (("Spawner", SPAWNER), ("KubeSpawner", KUBESPAWNER)):
        written = lookup(values, path)
        if isinstance(written, dict):
            for name, value in written.items():
                if str(name) not in ignored:
                    sections[section][str(name)] = (value, Source((*path, name)))
        for assignment in extra.of(section):
            if assignment.trait in ignored:
                continue
            # A later assignment replaces the value (the entry keeps its place, as a dict's).
            source = Source(assignment.path, extends=False)
            sections[section][assignment.trait] = (assignment.value, source)
    in_kubespawner = chart_written | set(sections["KubeSpawner"])
    for name, (value, source) in sections["Spawner"].items():
        if name not in in_kubespawner:
            config.set(name, value, source)
    apply_kubespawner_section(config, sections["KubeSpawner"], chart_written)


#: The rule for a name KubeSpawner still applies but that should not be written (deprecated).
DEPRECATED_TRAIT = "z2jh-deprecated-trait"


def apply_kubespawner_section(
    config: SpawnerConfig, settings: dict[str, tuple[Any, Source]], already: set[str]
) -> None:
    """Entries of the hub's ``c.KubeSpawner`` section, each replacing its trait, and its
    deprecated names as KubeSpawner handles them when it reads that section: in its own order,
    an old name moves to its new one, unless the section already sets that (``already``: what
    the chart wrote there); then the old one is ignored, and nblint says so."""
    section = dict(settings)
    present = already | set(section)
    for old in deprecated_aliases(config.kubespawner):
        if old not in section:
            continue
        value, source = section.pop(old)
        present.discard(old)
        # The trait it ends at: an old name moved to another old one (`singleuser_image_spec` →
        # `image_spec`) moves on to that one's trait (checked against the real hub).
        new = config.current_name(old)
        if new in present:
            found = config.source(new)
            by = (
                "this section"
                if new in section or found is None
                else f"`{format_path(found[0].path)}` (through the chart)"
            )
            config.report(
                source.path,
                f"`{old}` is a deprecated name of `{new}`, which {by} already sets: KubeSpawner "
                f"{config.kubespawner} ignores `{old}`, so its value never applies",
                f"Set `{new}` instead of `{old}` (one of them, where the other is set).",
                rule="z2jh-unknown-trait",
            )
            continue
        section[new] = (value, source)
        present.add(new)
        where = format_path(source.path[:-1]) if len(source.path) > 1 else "the hub's configuration"
        config.report(
            source.path,
            f"`{old}` in {where} is a deprecated name of `{new}`: KubeSpawner "
            f"{config.kubespawner} moves its value there, warning in the hub's log, and a later "
            "release may drop the name",
            f"Rename `{old}` to `{new}`.",
            rule=DEPRECATED_TRAIT,
        )
    for name, (value, source) in section.items():
        if config.current_name(name) == name:  # an old name left over sets nothing
            config.set(name, value, source)
