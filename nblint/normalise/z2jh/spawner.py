"""z2jh values → KubeSpawner traits → the singleuser pod, as the hub and KubeSpawner build it.

Two steps, each mirroring one upstream program (facts: ``z2jh-kubespawner.md`` sections 2 and 6):

* :func:`chart_traits` is what the chart's ``jupyterhub_config.py`` does with the merged values
  (per chart family: 3.x, 4.0-4.2, 4.3+), followed by the ``hub.config.KubeSpawner`` /
  ``hub.config.Spawner`` pass-through that replaces traits wholesale;
* :func:`make_pod` is what KubeSpawner's ``get_pod_manifest`` + ``objects.make_pod`` do with the
  traits.

Every trait remembers which values path produced it (and each part of it, once profile overrides
have merged into it), so that each field of the built pod can be traced back to the line to edit.
Templates such as ``{username}`` are left unexpanded, except ``{pvc_name}``, which becomes the
PVC name template: the pod is drawn for a symbolic user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, cast

import yaml

# Trait values are trees of dicts, lists and scalars, so this plain copy is a deep copy without
# copy.deepcopy's bookkeeping (a subtree a YAML alias shares is copied once per place it sits).
from nblint.load.yaml_tree import to_plain as copy_tree
from nblint.model import Path, get_path

#: A path into the z2jh values (relative to the z2jh root).
ValuesPath = tuple[str | int, ...]

KUBESPAWNER = ("hub", "config", "KubeSpawner")
SPAWNER = ("hub", "config", "Spawner")

#: KubeSpawner's own defaults (7.x, which chart 4.x ships) for the traits the pod depends on;
#: a test checks them against the real KubeSpawner.
KUBESPAWNER_DEFAULTS: dict[str, Any] = {
    "uid": None,
    "gid": None,
    "fs_gid": None,
    "supplemental_gids": [],
    "privileged": False,
    "allow_privilege_escalation": False,
    "container_security_context": {},
    "pod_security_context": {},
    "volumes": [],
    "volume_mounts": [],
    "tolerations": [],
    "node_affinity_required": [],
    "node_affinity_preferred": [],
    "pod_affinity_required": [],
    "pod_affinity_preferred": [],
    "pod_anti_affinity_required": [],
    "pod_anti_affinity_preferred": [],
    "environment": {},
    "extra_resource_limits": {},
    "extra_resource_guarantees": {},
    "init_containers": [],
    "extra_containers": [],
    "lifecycle_hooks": {},
    "mem_guarantee": None,
    "mem_limit": None,
    "cpu_limit": None,
    "cpu_guarantee": None,
    "image": "quay.io/jupyterhub/singleuser:latest",
    "image_pull_policy": None,
    "image_pull_secrets": [],
    "node_selector": {},
    "service_account": None,
    "automount_service_account_token": None,
    "cmd": None,
    "args": [],
    "debug": False,
    "default_url": "",
    "pvc_name_template": "claim-{user_server}",
    "pod_name_template": "jupyter-{user_server}",
    "scheduler_name": None,
    "priority_class_name": "",
    "working_dir": None,
    "port": 8888,
    "extra_pod_config": {},
    "extra_container_config": {},
    "extra_labels": {},
    "extra_annotations": {},
    "storage_pvc_ensure": False,
    "storage_capacity": None,
    "storage_class": None,
    "storage_access_modes": ["ReadWriteOnce"],
    "profile_list": [],
}

#: KubeSpawner 6.2.0 (which chart 3.x ships) differs in its name templates only.
KUBESPAWNER_6_DEFAULTS: dict[str, Any] = {
    **KUBESPAWNER_DEFAULTS,
    "pvc_name_template": "claim-{username}--{servername}",
    "pod_name_template": "jupyter-{username}--{servername}",
}

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

#: Traits the chart writes on ``Spawner`` rather than ``KubeSpawner``.
SPAWNER_LEVEL = ("cmd", "default_url", "debug")

#: Traits KubeSpawner 6.2.0 (chart 3.x) takes as a list only; 7.x also takes a map, whose values
#: it uses in key order.
LIST_ONLY_IN_KUBESPAWNER_6 = (
    "volumes",
    "volume_mounts",
    "init_containers",
    "extra_containers",
    "tolerations",
    "node_affinity_required",
    "node_affinity_preferred",
    "pod_affinity_required",
    "pod_affinity_preferred",
    "pod_anti_affinity_required",
    "pod_anti_affinity_preferred",
    "profile_list",
)

_MEMORY_UNITS = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_MISSING = object()


@cache
def chart_family(chart_version: str) -> str:
    """``"3"`` (3.x), ``"4.0"`` (4.0-4.2) or ``"4.3"`` (4.3 and later)."""
    match = re.match(r"v?(\d+)\.(\d+)", chart_version)
    major, minor = (int(match[1]), int(match[2])) if match else (4, 4)
    if major < 4:
        return "3"
    if major == 4 and minor < 3:
        return "4.0"
    return "4.3"


def kubespawner_defaults(chart_version: str) -> dict[str, Any]:
    """The trait defaults of the KubeSpawner that ``chart_version``'s hub image ships."""
    return KUBESPAWNER_6_DEFAULTS if chart_family(chart_version) == "3" else KUBESPAWNER_DEFAULTS


def lookup(values: Any, path: ValuesPath, default: Any = None) -> Any:
    """The hub's ``get_config``: a missing step gives ``default``, a present null gives None."""
    found, value = get_path(values, path)
    return value if found else default


# ---------------------------------------------------------------------------------------------
# Traits with sources


class Source(NamedTuple):
    """Where a value came from: a values path, and why when the path does not say it.

    ``extends``: deeper pod fields map to deeper values paths (the value was copied verbatim).
    (A named tuple: a few thousand are made per run, and a frozen dataclass is slow to make.)
    """

    path: ValuesPath
    note: str = ""
    extends: bool = True


class SpawnProblem(NamedTuple):
    """A value the hub or KubeSpawner would refuse when a user spawns (``4Gi`` memory, …)."""

    path: ValuesPath
    message: str
    #: A values snippet that works, when the rule's general fix does not fit.
    fix: str | None = None


@dataclass(slots=True)
class Trait:
    """A KubeSpawner trait's value, and the values path behind each part of it."""

    value: Any
    #: trait-relative path → source; the longest matching prefix wins.
    sources: dict[Path, Source] = field(default_factory=dict)

    def source(self, sub: Path) -> tuple[Source, Path] | None:
        for length in range(len(sub), -1, -1):
            found = self.sources.get(sub[:length])
            if found is not None:
                return found, sub[length:]
        return None


class SpawnerConfig:
    """KubeSpawner's traits for one spawn, each with the values path that set it."""

    def __init__(self, chart_version: str) -> None:
        self.chart_version = chart_version
        self.family = chart_family(chart_version)
        self._defaults = kubespawner_defaults(chart_version)
        self.traits: dict[str, Trait] = {}
        #: Problems the hub or KubeSpawner would hit at spawn, each once.
        self.problems: list[SpawnProblem] = []
        #: Traits still shared with the config this one was copied from (copy on write).
        self._shared: set[str] = set()

    def copy(self) -> SpawnerConfig:
        """A config that starts as this one; a profile's overrides change only the copy.

        Traits are copied when first changed, not up front: a profile overrides a handful of
        the ~60 traits, and copying them all for every profile was most of a values file's time.
        """
        other = SpawnerConfig(self.chart_version)
        other.traits = dict(self.traits)
        other.problems = list(self.problems)
        other._shared = set(self.traits)
        return other

    def own(self, name: str) -> Trait | None:
        """Trait ``name``, copied first if it is still shared: safe to change in place."""
        trait = self.traits.get(name)
        if trait is not None and name in self._shared:
            trait = self.traits[name] = Trait(copy_tree(trait.value), dict(trait.sources))
            self._shared.discard(name)
        return trait

    def replace_value(self, name: str, value: Any) -> None:
        """A new value for trait ``name``, from the same sources (the shared trait is left)."""
        self.traits[name] = Trait(value, dict(self.traits[name].sources))
        self._shared.discard(name)

    def report(self, path: ValuesPath, message: str, fix: str | None = None) -> None:
        problem = SpawnProblem(path, message, fix)
        if problem not in self.problems:
            self.problems.append(problem)

    def __contains__(self, name: str) -> bool:
        return name in self.traits

    def get(self, name: str) -> Any:
        """Trait ``name``'s value (not a copy), or a fresh copy of KubeSpawner's default."""
        trait = self.traits.get(name)
        if trait is not None:
            return trait.value
        default = self._defaults.get(name)
        return copy_tree(default) if isinstance(default, (dict, list)) else default

    def set(self, name: str, value: Any, source: Source) -> None:
        self.traits[name] = Trait(copy_tree(value), {(): source})
        self._shared.discard(name)

    def source(self, name: str, sub: Path = ()) -> tuple[Source, Path] | None:
        trait = self.traits.get(name)
        return trait.source(sub) if trait else None

    def override(self, name: str, value: Any, path: ValuesPath) -> None:
        """One ``kubespawner_override`` entry, by KubeSpawner's ``_apply_overrides`` rules.

        A dict merges into a dict trait (recursively; a null value deletes the key; lists inside
        are replaced); anything else replaces the trait.
        """
        current = self.get(name)
        if isinstance(value, dict) and isinstance(current, dict):
            trait = self.own(name) or self.traits.setdefault(name, Trait(current))
            _merge(trait, (), trait.value, value, path)
        else:
            self.set(name, value, Source(path))


def _merge(
    trait: Trait, at: Path, target: dict[str, Any], changes: dict[str, Any], path: Any
) -> None:
    for key, value in changes.items():
        sub = (*at, key)
        if value is None:
            target.pop(key, None)
            trait.sources[sub] = Source((*path, key), extends=False)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(trait, sub, target[key], value, (*path, key))
        else:
            target[key] = copy_tree(value)
            for known in [p for p in trait.sources if p[: len(sub)] == sub]:
                del trait.sources[known]
            trait.sources[sub] = Source((*path, key))


# ---------------------------------------------------------------------------------------------
# The chart's jupyterhub_config.py


def chart_traits(
    values: dict[str, Any], chart_version: str, release_name: str = "RELEASE"
) -> SpawnerConfig:
    """The traits the hub configures from the merged values, ``hub.config`` included."""
    config = SpawnerConfig(chart_version)
    su = ("singleuser",)

    singleuser = lookup(values, su)
    for trait, key in PASSTHROUGH:
        value = lookup(singleuser, key)
        if value is not None:
            config.set(trait, value, Source((*su, *key)))

    image = lookup(values, (*su, "image", "name"))
    if image:
        tag = lookup(values, (*su, "image", "tag"))
        config.set(
            "image", f"{image}:{tag}" if tag else image, Source((*su, "image"), extends=False)
        )

    config.set(
        "allow_privilege_escalation",
        lookup(values, (*su, "allowPrivilegeEscalation")),
        Source((*su, "allowPrivilegeEscalation")),
    )

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

    _hub_config(config, values)
    normalise_types(config)
    return config


def _image_pull_secrets(config: SpawnerConfig, values: dict[str, Any], release: str) -> None:
    secrets: list[Any] = []
    sources: dict[Path, Source] = {}
    if lookup(values, ("imagePullSecret", "automaticReferenceInjection")) and lookup(
        values, ("imagePullSecret", "create")
    ):
        sources[(len(secrets),)] = Source(("imagePullSecret", "create"), extends=False)
        secrets.append(f"{release}-image-pull-secret")
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
            f"{release}-user-scheduler",
            Source(("scheduling", "userScheduler", "enabled"), extends=False),
        )
    if lookup(values, ("scheduling", "podPriority", "enabled")):
        config.set(
            "priority_class_name",
            f"{release}-default-priority",
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
        trait = config.traits.setdefault(name, Trait(config.get(name)))
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
        for file_key, details in extra_files.items():
            item: dict[str, Any] = {"key": file_key, "path": file_key}
            if isinstance(details, dict) and "mode" in details:
                item["mode"] = details["mode"]
            items.append(item)
        volumes["files"] = {
            "name": "files",
            "secret": {"secretName": f"{release}-singleuser", "items": items},
        }
        volume_sources["files"] = Source(("singleuser", "extraFiles"), extends=False)
        for index, (file_key, details) in enumerate(extra_files.items()):
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
    trait = config.traits.setdefault("init_containers", Trait(config.get("init_containers")))
    if not isinstance(trait.value, list):
        config.report(("singleuser", "initContainers"), "initContainers is not a list")
        return
    note = (
        f"chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh "
        f"{config.chart_version} adds a privileged root init container"
    )
    trait.sources[(len(trait.value),)] = Source(block, note=note, extends=False)
    trait.value.append(block_cloud_metadata_container(values))


def _hub_config(config: SpawnerConfig, values: dict[str, Any]) -> None:
    """``hub.config.KubeSpawner`` / ``hub.config.Spawner``: each trait replaced wholesale.

    A ``KubeSpawner`` setting beats a ``Spawner`` one for the same trait (traitlets picks the
    most specific class), so the chart's own ``KubeSpawner`` settings also beat
    ``hub.config.Spawner``.
    """
    spawner_section = lookup(values, SPAWNER)
    if isinstance(spawner_section, dict):
        for name, value in spawner_section.items():
            if name in SPAWNER_LEVEL or name not in config.traits:
                config.set(str(name), value, Source((*SPAWNER, name)))
    kube_section = lookup(values, KUBESPAWNER)
    if isinstance(kube_section, dict):
        for name, value in kube_section.items():
            config.set(str(name), value, Source((*KUBESPAWNER, name)))


# ---------------------------------------------------------------------------------------------
# Trait validation (what traitlets does on assignment)


def memory_bytes(value: Any) -> int | None:
    """KubeSpawner's ByteSpecification: an int, or a number with K/M/G/T (binary) suffix."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value[-1:] in _MEMORY_UNITS:
        try:
            return int(float(value[:-1]) * _MEMORY_UNITS[value[-1]])
        except ValueError:
            return None
    return None


def normalise_types(config: SpawnerConfig) -> None:
    """Coerce what traitlets coerces; record what it would refuse (the spawn would fail)."""
    # A profile's copy of an already coerced config changes only what its overrides set.
    for name in ("mem_limit", "mem_guarantee"):
        trait = config.traits.get(name)
        if trait is None or trait.value is None:
            continue
        converted = memory_bytes(trait.value)
        if converted is None:
            config.report(
                trait.sources[()].path,
                f"{name} {trait.value!r} is not a KubeSpawner memory size "
                "(an integer, or a number with K, M, G or T: binary units, no 'i')",
            )
        elif type(converted) is not type(trait.value) or converted != trait.value:
            config.replace_value(name, converted)
    for name in ("cpu_limit", "cpu_guarantee"):
        trait = config.traits.get(name)
        if (
            trait is not None
            and isinstance(trait.value, (int, float))
            and not isinstance(trait.value, bool)
            and type(trait.value) is not float
        ):
            config.replace_value(name, float(trait.value))
    cmd = config.traits.get("cmd")
    if cmd is not None and isinstance(cmd.value, str):
        config.replace_value("cmd", [cmd.value])
    if config.family == "3":
        _maps_refused_by_kubespawner_6(config)


def _maps_refused_by_kubespawner_6(config: SpawnerConfig) -> None:
    """A map where KubeSpawner 6.2.0 takes only a list: traitlets refuses it at every spawn.

    The pod is still drawn as KubeSpawner 7 would take the map (its values in key order), which
    is also what the fix writes as a list.
    """
    for name in LIST_ONLY_IN_KUBESPAWNER_6:
        trait = config.traits.get(name)
        found = trait.source(()) if trait is not None else None
        if trait is None or found is None or not isinstance(trait.value, dict):
            continue
        path = found[0].path
        as_list = [copy_tree(trait.value[key]) for key in sorted(trait.value)]
        fix = "# a list, as KubeSpawner 6.2.0 (z2jh 3.x) needs\n"
        if "kubespawner_override" in path:
            fix += "# (in a kubespawner_override a list replaces the whole trait: keep what the\n"
            fix += "# profile still needs from it, such as the home volume)\n"
        fix += yaml.safe_dump({name: as_list}, sort_keys=False, default_flow_style=False)
        config.report(
            path,
            f"`{name}` is a map, but the KubeSpawner of z2jh {config.chart_version} (6.2.0) "
            "takes only a list here: every spawn fails (maps need KubeSpawner 7, z2jh 4.x)",
            fix.rstrip(),
        )


# ---------------------------------------------------------------------------------------------
# KubeSpawner's get_pod_manifest + objects.make_pod


#: snake_case fields whose Kubernetes name is not plain camelCase.
_IRREGULAR_CAMEL = {"host_ipc": "hostIPC", "host_pid": "hostPID"}


def camel(key: str) -> str:
    """``security_context`` → ``securityContext`` (KubeSpawner accepts both spellings)."""
    if key in _IRREGULAR_CAMEL:
        return _IRREGULAR_CAMEL[key]
    return re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)


class PodSources:
    """Pod path → :class:`Source`, collected while the pod is built."""

    def __init__(self) -> None:
        self.entries: dict[Path, Source] = {}

    def add(self, pod_path: Path, source: Source | None) -> None:
        if source is not None:
            self.entries[pod_path] = source

    def copy_trait(
        self, pod_path: Path, config: SpawnerConfig, name: str, sub: Path = (), rekey: Any = None
    ) -> None:
        """Map ``pod_path`` and everything under it to the sources of ``trait[sub]``."""
        trait = config.traits.get(name)
        if trait is None:
            return
        if not sub and len(trait.sources) == 1 and () in trait.sources:
            # Most traits: set whole from one values path (what the general case below gives).
            self.entries[pod_path] = trait.sources[()]
            return
        found = trait.source(sub)
        if found is not None:
            source, rest = found
            if rest and source.extends:
                source = Source((*source.path, *rest), source.note)
            self.entries[pod_path] = source
        for trait_path, source in trait.sources.items():
            if len(trait_path) > len(sub) and trait_path[: len(sub)] == sub:
                tail = trait_path[len(sub) :]
                if rekey is not None:
                    tail = rekey(tail)
                    if tail is None:
                        continue
                full: Path = (*pod_path, *tail)
                self.entries[full] = source


def _sorted_values(config: SpawnerConfig, name: str) -> tuple[list[Any], dict[Any, int]]:
    """Trait ``name`` as a list: a dict becomes its values sorted by key (KubeSpawner 7)."""
    value = config.get(name)
    if isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:  # keys of different types (a null volume name): KubeSpawner fails too
            keys = list(value)
            odd = next((k for k in keys if not isinstance(k, str)), None)
            # Where the key that is not a name came from (sources are keyed as the values are).
            found = config.source(name, cast(Path, (odd,))) or config.source(name)
            kinds = " and ".join(sorted({"null" if k is None else type(k).__name__ for k in keys}))
            config.report(
                found[0].path if found else (*KUBESPAWNER, name),
                f"KubeSpawner sorts `{name}` by key and cannot compare its keys ({kinds}; a null "
                "key is an entry with no name): every spawn fails",
            )
        return [value[k] for k in keys], {k: i for i, k in enumerate(keys)}
    if isinstance(value, list):
        return list(value), {i: i for i in range(len(value))}
    return [], {}


def _drop_nulls(value: Any) -> Any:
    """Kubernetes client models drop unset (None) fields when serialised."""
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(v) for v in value]
    return value


def _expand_pvc_name(value: Any, pvc_name: str) -> Any:
    """A copy of ``value`` with ``{pvc_name}`` expanded in its text."""
    if isinstance(value, str):
        return value.replace("{pvc_name}", pvc_name)
    if isinstance(value, dict):
        return {k: _expand_pvc_name(v, pvc_name) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_pvc_name(v, pvc_name) for v in value]
    return value


def _pod_copy(value: Any, pvc_name: str) -> Any:
    """A copy of a trait's list item as it lands in the pod: ``{pvc_name}`` expanded in its
    text, unset (None) fields dropped (the two steps of :func:`_expand_pvc_name` and
    :func:`_drop_nulls` in one walk)."""
    if isinstance(value, str):
        return value.replace("{pvc_name}", pvc_name)
    if isinstance(value, dict):
        return {k: _pod_copy(v, pvc_name) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_pod_copy(v, pvc_name) for v in value]
    return value


def _camel_keys(value: Any) -> dict[str, Any]:
    return {camel(str(k)): v for k, v in value.items()} if isinstance(value, dict) else {}


def _list_field(
    spec: dict[str, Any],
    field_name: str,
    config: SpawnerConfig,
    trait_name: str,
    sources: PodSources,
    pvc_name: str,
    base: Path = ("spec",),
) -> None:
    items, positions = _sorted_values(config, trait_name)
    items = [_pod_copy(item, pvc_name) for item in items]
    if not items:
        return
    spec[field_name] = items
    sources.copy_trait((*base, field_name), config, trait_name, rekey=_rekey(positions))


def _rekey(positions: dict[Any, int]) -> Any:
    def rekey(tail: Path) -> Path | None:
        if tail[0] not in positions:
            return None
        return (positions[tail[0]], *tail[1:])

    return rekey


def make_pod(config: SpawnerConfig) -> tuple[dict[str, Any], PodSources]:
    """The pod KubeSpawner builds from ``config``, and where each field came from."""
    sources = PodSources()
    pvc_name = str(config.get("pvc_name_template"))
    spec: dict[str, Any] = {"restartPolicy": "OnFailure"}
    nb: Path = ("spec", "containers", 0)

    pull_secrets = config.get("image_pull_secrets") or []
    if isinstance(pull_secrets, list):
        spec["imagePullSecrets"] = [{"name": s} if isinstance(s, str) else s for s in pull_secrets]
        sources.copy_trait(("spec", "imagePullSecrets"), config, "image_pull_secrets")

    node_selector = config.get("node_selector")
    if node_selector:
        spec["nodeSelector"] = node_selector
        sources.copy_trait(("spec", "nodeSelector"), config, "node_selector")

    # Pod securityContext: fsGroup, supplementalGroups, then pod_security_context on top.
    psc: dict[str, Any] = {}
    fs_gid = config.get("fs_gid")
    if fs_gid is not None:
        psc["fsGroup"] = int(fs_gid)
        sources.copy_trait(("spec", "securityContext", "fsGroup"), config, "fs_gid")
    supplemental_gids = config.get("supplemental_gids")
    if supplemental_gids:
        psc["supplementalGroups"] = [int(g) for g in supplemental_gids]
        sources.copy_trait(
            ("spec", "securityContext", "supplementalGroups"), config, "supplemental_gids"
        )
    sources.add(("spec", "securityContext"), _unset(config, "pod_security_context"))
    pod_sc = config.get("pod_security_context")
    if isinstance(pod_sc, dict) and pod_sc:
        psc.update(pod_sc)
        for key in pod_sc:
            sources.copy_trait(
                ("spec", "securityContext", key), config, "pod_security_context", (key,)
            )
    if psc:
        spec["securityContext"] = psc

    # Notebook container securityContext: uid, gid, privileged, allowPrivilegeEscalation, then
    # container_security_context on top.
    csc: dict[str, Any] = {}
    sc_path = (*nb, "securityContext")
    sources.add(sc_path, _unset(config, "container_security_context"))
    for trait, key, value in (
        ("uid", "runAsUser", config.get("uid")),
        ("gid", "runAsGroup", config.get("gid")),
    ):
        if value is not None:
            csc[key] = int(value)
            sources.copy_trait((*sc_path, key), config, trait)
    if config.get("privileged"):
        csc["privileged"] = True
        sources.copy_trait((*sc_path, "privileged"), config, "privileged")
    allow_escalation = config.get("allow_privilege_escalation")
    if allow_escalation is not None:
        csc["allowPrivilegeEscalation"] = allow_escalation
        sources.copy_trait(
            (*sc_path, "allowPrivilegeEscalation"), config, "allow_privilege_escalation"
        )
    container_sc = config.get("container_security_context")
    if isinstance(container_sc, dict) and container_sc:
        csc.update(container_sc)
        for key in container_sc:
            sources.copy_trait((*sc_path, key), config, "container_security_context", (key,))

    notebook: dict[str, Any] = {
        "name": "notebook",
        "image": config.get("image"),
        "ports": [{"name": "notebook-port", "containerPort": config.get("port") or 8888}],
    }
    sources.copy_trait((*nb, "image"), config, "image")
    env = _environment(config.get("environment"))
    if env:
        notebook["env"] = env
        for index, item in enumerate(env):
            sources.copy_trait((*nb, "env", index), config, "environment", (item["name"],))
    args = _args(config)
    if args:
        notebook["args"] = args
        sources.copy_trait((*nb, "args"), config, "cmd")
    working_dir = config.get("working_dir")
    if working_dir:
        notebook["workingDir"] = working_dir
    pull_policy = config.get("image_pull_policy")
    if pull_policy:
        notebook["imagePullPolicy"] = pull_policy
        sources.copy_trait((*nb, "imagePullPolicy"), config, "image_pull_policy")
    lifecycle = config.get("lifecycle_hooks")
    if lifecycle:
        notebook["lifecycle"] = lifecycle
        sources.copy_trait((*nb, "lifecycle"), config, "lifecycle_hooks")
    notebook["resources"] = _resources(config, sources, (*nb, "resources"))
    mounts, positions = _sorted_values(config, "volume_mounts")
    if mounts:
        notebook["volumeMounts"] = [_pod_copy(mount, pvc_name) for mount in mounts]
        sources.copy_trait((*nb, "volumeMounts"), config, "volume_mounts", rekey=_rekey(positions))
    if csc:
        notebook["securityContext"] = csc

    service_account = config.get("service_account")
    if service_account is not None:
        spec["serviceAccountName"] = service_account
        sources.copy_trait(("spec", "serviceAccountName"), config, "service_account")
    automount = config.get("automount_service_account_token")
    if automount is None:
        if service_account is None:
            spec["automountServiceAccountToken"] = False
            sources.add(
                ("spec", "automountServiceAccountToken"),
                Source(
                    ("singleuser", "serviceAccountName"),
                    "KubeSpawner sets automountServiceAccountToken: false while no service "
                    "account is set",
                    extends=False,
                ),
            )
        else:
            sources.copy_trait(("spec", "automountServiceAccountToken"), config, "service_account")
    else:
        spec["automountServiceAccountToken"] = automount
        sources.copy_trait(
            ("spec", "automountServiceAccountToken"), config, "automount_service_account_token"
        )

    extra_container = _camel_keys(config.get("extra_container_config"))
    for key, value in extra_container.items():
        notebook[key] = value
        original = _original_key(config.get("extra_container_config"), key)
        sources.copy_trait((*nb, key), config, "extra_container_config", (original,))
    spec["containers"] = [_drop_nulls(notebook)]
    extra, positions = _sorted_values(config, "extra_containers")
    for item in extra:
        spec["containers"].append(_pod_copy(item, pvc_name))
    sources.copy_trait(
        ("spec", "containers"),
        config,
        "extra_containers",
        rekey=_rekey({k: v + 1 for k, v in positions.items()}),
    )
    sources.entries.pop(("spec", "containers"), None)

    _list_field(spec, "tolerations", config, "tolerations", sources, pvc_name)
    _list_field(spec, "initContainers", config, "init_containers", sources, pvc_name)
    volumes, positions = _sorted_values(config, "volumes")
    spec["volumes"] = [_pod_copy(volume, pvc_name) for volume in volumes]
    sources.copy_trait(("spec", "volumes"), config, "volumes", rekey=_rekey(positions))
    scheduler_name = config.get("scheduler_name")
    if scheduler_name:
        spec["schedulerName"] = scheduler_name
        sources.copy_trait(("spec", "schedulerName"), config, "scheduler_name")
    affinity = _affinity(config, sources)
    if affinity:
        spec["affinity"] = affinity
    priority_class_name = config.get("priority_class_name")
    if priority_class_name:
        spec["priorityClassName"] = priority_class_name
        sources.copy_trait(("spec", "priorityClassName"), config, "priority_class_name")

    extra_pod = _camel_keys(config.get("extra_pod_config"))
    for key, value in extra_pod.items():
        spec[key] = _expand_pvc_name(value, pvc_name)
        for known in [p for p in sources.entries if p[:2] == ("spec", key)]:
            del sources.entries[known]
        original = _original_key(config.get("extra_pod_config"), key)
        sources.copy_trait(("spec", key), config, "extra_pod_config", (original,))

    metadata: dict[str, Any] = {"name": config.get("pod_name_template")}
    labels = config.get("extra_labels")
    if isinstance(labels, dict) and labels:
        metadata["labels"] = dict(labels)
    annotations = config.get("extra_annotations")
    if isinstance(annotations, dict) and annotations:
        metadata["annotations"] = dict(annotations)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec}
    return pod, sources


def _unset(config: SpawnerConfig, trait: str) -> Source:
    """Where a field nobody set should be added: the trait's own values key."""
    found = config.source(trait)
    if found is not None:
        return found[0]
    return Source((*KUBESPAWNER, trait), f"not set: add it under hub.config.KubeSpawner.{trait}")


def _original_key(mapping: Any, camel_key: str) -> str:
    if isinstance(mapping, dict):
        for key in mapping:
            if camel(str(key)) == camel_key:
                return str(key)
    return camel_key


def _environment(environment: Any) -> list[dict[str, Any]]:
    """KubeSpawner's env ordering: by key, with ``$(VAR)`` references resolved first."""
    if not isinstance(environment, dict):
        return []
    entries = {}
    for key, value in environment.items():
        item = {"name": key, **value} if isinstance(value, dict) else {"name": key, "value": value}
        text = item["value"] if isinstance(item.get("value"), str) else ""
        deps = set(re.findall(r"\$\(([^\)]+)\)", text)) - {item["name"]}
        entries[item["name"]] = (key, deps, item)
    ordered: list[dict[str, Any]] = []
    while entries:
        done = {e["name"] for e in ordered}
        ready = [k for k, (_, deps, _) in entries.items() if deps <= done]
        if not ready:
            ready = list(entries)
        ordered.extend(entries[k][2] for k in sorted(ready, key=lambda k: str(entries[k][0])))
        for k in ready:
            del entries[k]
    return ordered


def _args(config: SpawnerConfig) -> list[Any]:
    cmd = config.get("cmd")
    if not isinstance(cmd, list) or not cmd:  # a cmd of another type is `z2jh-wrong-type`'s
        return []
    args = config.get("args")
    args = list(args) if isinstance(args, list) else []
    if config.get("debug"):
        args = ["--debug", *args]
    return [*cmd, *args]


def _resources(config: SpawnerConfig, sources: PodSources, at: Path) -> dict[str, Any]:
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for bucket, name, key, trait in (
        (requests, "requests", "cpu", "cpu_guarantee"),
        (requests, "requests", "memory", "mem_guarantee"),
        (limits, "limits", "cpu", "cpu_limit"),
        (limits, "limits", "memory", "mem_limit"),
    ):
        value = config.get(trait)
        if value:
            bucket[key] = value
            sources.copy_trait((*at, name, key), config, trait)
    for bucket, name, trait in (
        (requests, "requests", "extra_resource_guarantees"),
        (limits, "limits", "extra_resource_limits"),
    ):
        extra = config.get(trait)
        if isinstance(extra, dict) and extra:
            bucket.update(extra)
            for key in extra:
                sources.copy_trait((*at, name, key), config, trait, (key,))
    return {"limits": limits, "requests": requests}


def _affinity(config: SpawnerConfig, sources: PodSources) -> dict[str, Any]:
    affinity: dict[str, Any] = {}
    for kind, prefix in (
        ("nodeAffinity", "node_affinity"),
        ("podAffinity", "pod_affinity"),
        ("podAntiAffinity", "pod_anti_affinity"),
    ):
        required, req_pos = _sorted_values(config, f"{prefix}_required")
        preferred, pref_pos = _sorted_values(config, f"{prefix}_preferred")
        if not (required or preferred):
            continue
        block: dict[str, Any] = {}
        base: Path = ("spec", "affinity", kind)
        if preferred:
            block["preferredDuringSchedulingIgnoredDuringExecution"] = preferred
            sources.copy_trait(
                (*base, "preferredDuringSchedulingIgnoredDuringExecution"),
                config,
                f"{prefix}_preferred",
                rekey=_rekey(pref_pos),
            )
        if required:
            req_path: Path = (*base, "requiredDuringSchedulingIgnoredDuringExecution")
            if kind == "nodeAffinity":
                block["requiredDuringSchedulingIgnoredDuringExecution"] = {
                    "nodeSelectorTerms": required
                }
                req_path = (*req_path, "nodeSelectorTerms")
            else:
                block["requiredDuringSchedulingIgnoredDuringExecution"] = required
            sources.copy_trait(req_path, config, f"{prefix}_required", rekey=_rekey(req_pos))
        affinity[kind] = _drop_nulls(block)
    return affinity
