"""KubeSpawner's traits for one spawn, each remembering the values path that set it.

The shared model of the two z2jh ports: :mod:`.chart_config` fills a :class:`SpawnerConfig` from
the values (what the chart's ``jupyterhub_config.py`` does), a profile's overrides change a copy of
it (:mod:`.profiles`), and :mod:`.pod_builder` builds the pod from it (what KubeSpawner does).
Here too: KubeSpawner's own trait defaults per major version, and what traitlets coerces or refuses
when the hub loads the configuration (:func:`normalise_types`).
"""

from __future__ import annotations

import json
import re
from functools import cache

import yaml

from nblint.dialects.z2jh.sources import Source as Source  # re-exported: where they lived
from nblint.dialects.z2jh.sources import SpawnProblem as SpawnProblem
from nblint.dialects.z2jh.sources import ValuesPath as ValuesPath
from nblint.dialects.z2jh.values import (
    defaults_of_kubespawner,
    deprecated_aliases,
    hub_image,
    kubespawner_version,
    null_refused_traits,
)

# Trait values are trees of dicts, lists and scalars, so this plain copy is a deep copy without
# copy.deepcopy's bookkeeping (a subtree a YAML alias shares is copied once per place it sits).
from nblint.load.yaml_tree import to_plain as copy_tree
from nblint.model.pod import Path, get_path
from nblint.model.record import Record
from nblint.model.shown import shown

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KUBESPAWNER = ("hub", "config", "KubeSpawner")
SPAWNER = ("hub", "config", "Spawner")

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
    """The trait defaults of the KubeSpawner that ``chart_version``'s hub image pins (derived
    from each KubeSpawner release; a test checks them against the real one)."""
    return defaults_of_kubespawner(kubespawner_version(chart_version))


def lookup(values: Any, path: ValuesPath, default: Any = None) -> Any:
    """The hub's ``get_config``: a missing step gives ``default``, a present null gives None."""
    found, value = get_path(values, path)
    return value if found else default


# ---------------------------------------------------------------------------------------------
# Traits with sources


class Trait(Record):
    """A KubeSpawner trait's value, and the values path behind each part of it."""

    __slots__ = ("sources", "value")

    def __init__(self, value: Any, sources: dict[Path, Source] | None = None) -> None:
        self.value = value
        #: trait-relative path → source; the longest matching prefix wins.
        self.sources: dict[Path, Source] = {} if sources is None else sources

    def source(self, sub: Path) -> tuple[Source, Path] | None:
        for length in range(len(sub), -1, -1):
            found = self.sources.get(sub[:length])
            if found is not None:
                return found, sub[length:]
        return None


class SpawnerConfig:
    """KubeSpawner's traits for one spawn, each with the values path that set it."""

    def __init__(self, chart_version: str, copies: bool = True) -> None:
        self.chart_version = chart_version
        #: Whether ``set`` copies the value; when not, the trait stays shared with the values
        #: (copied by ``own`` before a change): for a config only read, then dropped.
        self.copies = copies
        self.family = chart_family(chart_version)
        #: The KubeSpawner version the release's hub image pins (``"6.2.0"``, ``"7.0.0"``).
        self.kubespawner = kubespawner_version(chart_version)
        #: The JupyterHub version of the same image.
        self.jupyterhub = hub_image(chart_version)["jupyterhub"]
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
        other = SpawnerConfig(self.chart_version, self.copies)
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

    def current_name(self, name: str) -> str:
        """The trait a (possibly deprecated) name sets, as KubeSpawner's alias properties do."""
        aliases = deprecated_aliases(self.kubespawner)
        seen = {name}
        while name in aliases and aliases[name] not in seen:
            name = aliases[name]
            seen.add(name)
        return name

    def report(
        self,
        path: ValuesPath,
        message: str,
        fix: str | None = None,
        rule: str = "z2jh-spawn-failure",
    ) -> None:
        problem = SpawnProblem(path, message, fix, rule)
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
        if isinstance(default, (dict, list)):
            return copy_tree(default) if default else default.copy()  # (mostly empty ones)
        return default

    def set(self, name: str, value: Any, source: Source) -> None:
        if self.copies:
            if isinstance(value, (dict, list)):
                # (Many are the chart's empty defaults: those are copied without a walk.)
                value = copy_tree(value) if value else value.copy()
            self.traits[name] = Trait(value, {(): source})
            self._shared.discard(name)
        else:
            self.traits[name] = Trait(value, {(): source})
            self._shared.add(name)

    def source(self, name: str, sub: Path = ()) -> tuple[Source, Path] | None:
        trait = self.traits.get(name)
        return trait.source(sub) if trait else None

    def override(self, name: str, value: Any, path: ValuesPath) -> None:
        """One ``kubespawner_override`` entry, by KubeSpawner's ``_apply_overrides`` rules.

        A dict merges into a dict trait (recursively; a null value deletes the key; lists inside
        are replaced); anything else replaces the trait. A deprecated name is its trait's (the
        old name is a property that sets the new one), the override's line its source.
        """
        name = self.current_name(name)
        current = self.get(name)
        if current is None and name == "env":
            current = {}  # JupyterHub's Spawner.env, a Dict trait nblint keeps no default of
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
# Trait validation (what traitlets does on assignment)


def memory_bytes(value: Any) -> int | None:
    """KubeSpawner's ByteSpecification: an int, or a number with K/M/G/T (binary) suffix
    (``int(value)`` of any number, a bool too: traitlets counts it as an int)."""
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value[-1:] in _MEMORY_UNITS:
        try:
            return int(float(value[:-1]) * _MEMORY_UNITS[value[-1]])
        except ValueError:
            return None
    return None


def group_id(item: Any) -> int | None:
    """The group KubeSpawner's pod builder makes of a ``supplemental_gids`` item with
    ``int(gid)`` (``"110"`` → 110, ``110.0`` → 110); None where ``int()`` raises."""
    try:
        return int(item)
    except (TypeError, ValueError, OverflowError):
        return None


#: Bool traits: traitlets' ``Bool`` takes 0 and 1 too, as False and True.
_BOOL_TRAITS = ("privileged", "allow_privilege_escalation", "automount_service_account_token")


def normalise_types(config: SpawnerConfig) -> None:
    """Coerce what traitlets coerces; record what it would refuse (the spawn would fail)."""
    # A profile's copy of an already coerced config changes only what its overrides set.
    for name in ("mem_limit", "mem_guarantee"):
        trait = config.traits.get(name)
        if trait is None or trait.value is None:
            continue
        converted = memory_bytes(trait.value)
        if converted is None:
            path = trait.sources[()].path
            config.report(
                path,
                f"{name} {shown(trait.value)} is not a KubeSpawner memory size "
                "(an integer, or a number with K, M, G or T: binary units, no 'i')",
                _memory_fix(path, trait.value),
            )
        elif type(converted) is not type(trait.value) or converted != trait.value:
            config.replace_value(name, converted)
    for name in ("cpu_limit", "cpu_guarantee"):
        trait = config.traits.get(name)
        # traitlets' Float makes any int a float, a bool included (True → 1.0).
        if trait is not None and isinstance(trait.value, int):
            config.replace_value(name, float(trait.value))
    for name in _BOOL_TRAITS:
        trait = config.traits.get(name)
        if trait is not None and type(trait.value) in (int, float) and trait.value in (0, 1):
            config.replace_value(name, bool(trait.value))
    _supplemental_groups(config)
    _container_env_replaced(config)
    _environment_texts(config)
    _nulls_refused(config)
    _null_items(config)
    cmd = config.traits.get("cmd")
    if cmd is not None and isinstance(cmd.value, str):
        config.replace_value("cmd", [cmd.value])
    if config.family == "3":
        _maps_refused_by_kubespawner_6(config)


def _nulls_refused(config: SpawnerConfig) -> None:
    """A null where the trait's traitlets type does not allow None (``image``,
    ``start_timeout``): traitlets refuses it when the hub loads its section or an override sets
    it, and the spawn fails. A null the chart would write it skips (``set_config_if_not_none``),
    so only the hub's section, extraConfig and overrides set one."""
    refused = None
    for name, trait in config.traits.items():
        if trait.value is not None:
            continue  # (almost every trait)
        if refused is None:
            refused = null_refused_traits(config.chart_version)
        source = trait.sources.get(())
        if name in refused and source is not None:
            config.report(
                source.path,
                f"`{name}` is null, which KubeSpawner {config.kubespawner} refuses (its trait "
                "does not allow None): the spawn fails",
                f"Remove `{name}: null` (what it replaced then applies: the hub's value or "
                f"KubeSpawner's default), or give `{name}` a value.",
            )


#: The list traits whose items KubeSpawner turns into Kubernetes models (``get_k8s_model``),
#: which refuses a null item ("Expected object of type 'dict' … but got 'NoneType'").
MODEL_LISTS = (
    "extra_containers",
    "init_containers",
    "volumes",
    "volume_mounts",
    "tolerations",
    "image_pull_secrets",
)


def _null_items(config: SpawnerConfig) -> None:
    """A null item of a list KubeSpawner turns into Kubernetes objects (``- null``, or a ``-``
    with nothing after it): the spawn fails, checked against the real hub. Said at the item. (A
    null value of 4.3's map form is left alone: it may delete an entry of a parent chart's
    values that nblint does not see.)"""
    for name in MODEL_LISTS:
        trait = config.traits.get(name)
        if trait is None or not isinstance(trait.value, list):
            continue
        for index, item in enumerate(trait.value):
            found = trait.source((index,)) if item is None else None
            if found is None:
                continue
            source, rest = found
            path = (*source.path, *rest)
            if path and isinstance(path[-1], str):
                continue  # a map's null value (see above)
            config.report(
                path,
                f"`{name}` holds a null item: KubeSpawner {config.kubespawner} cannot make a "
                "Kubernetes object of it and the spawn fails",
                "Remove the empty item (a `-` with nothing after it), or write the entry under it.",
            )


@cache
def _memory_in_other_units() -> re.Pattern[str]:
    """A size in Kubernetes' or another common spelling: ``4Gi``, ``4GiB``, ``4GB``, ``4g``."""
    return re.compile(r"\s*(\d+(?:\.\d+)?)\s*([KMGTkmgt])(?:i|iB|B|b)?\s*")


def _memory_fix(path: ValuesPath, value: Any) -> str | None:
    """The same size in KubeSpawner's units (``4Gi`` → ``4G``: its units are binary), at the
    key that wrote it; None when the value says no size nblint can read."""
    found = _memory_in_other_units().fullmatch(value) if isinstance(value, str) else None
    if found is None or not path or not isinstance(path[-1], str):
        return None
    size = f"{found[1]}{found[2].upper()}"
    return (
        f"{shown(path[-1], plain_text=True)}: {size}   # KubeSpawner's units: K, M, G, T "
        '(binary), no "i"'
    )


def _environment_texts(config: SpawnerConfig) -> None:
    """An env value that is not text (``DB_PORT: 5432``): KubeSpawner orders the variables by
    the ``$(VAR)`` references in their values, a regular expression that takes only text, and
    every spawn fails with a TypeError (6.x and 7.x alike); a value that is false (0, false)
    skips that search, and the API server refuses the pod. Null is left out of the search.
    The same holds for JupyterHub's deprecated ``env``, which reaches the same list."""
    environment = config.traits.get("environment")
    named = set(environment.value) if environment and isinstance(environment.value, dict) else set()
    for trait_name in ("environment", "env"):
        trait = config.traits.get(trait_name)
        if trait is not None and isinstance(trait.value, dict):
            # An `env` variable that `environment` names too is replaced before the pod is built.
            _environment_texts_of(config, trait, named if trait_name == "env" else set())


def _environment_texts_of(config: SpawnerConfig, trait: Trait, replaced: set[Any]) -> None:
    for name, entry in trait.value.items():
        if name in replaced:
            continue
        value = entry.get("value") if isinstance(entry, dict) else entry
        if value is None or isinstance(value, str):
            continue
        found = trait.source((name,))
        if found is None:
            continue
        source, rest = found
        path = (*source.path, *rest) if source.extends else source.path
        if isinstance(entry, dict):
            path = (*path, "value")
        written = json.dumps(value)
        quoted = yaml.safe_dump({name: {"value": written} if isinstance(entry, dict) else written})
        # KubeSpawner looks for `$(VAR)` references only in a value that is true (objects.py
        # `_get_env_var_deps`): 0 and false pass it, and the API server refuses the pod instead.
        fails = (
            f"KubeSpawner {config.kubespawner} fails on it (TypeError)"
            if value
            else "the API server refuses the pod (an env value is text)"
        )
        config.report(
            path,
            f"environment variable {name} is {_kind(value)} ({written}), not text: {fails} and "
            "every spawn with it fails; quote it",
            f"# quoted, as text\n{quoted.rstrip()}",
        )


def _supplemental_groups(config: SpawnerConfig) -> None:
    """``supplemental_gids`` as KubeSpawner's pod builder reads it: traitlets takes a list of
    anything, then ``int(gid)`` makes each item a group (``"110"`` → 110). An item ``int()``
    cannot read (``"render"``, null) raises, and every spawn with it fails: reported at that item,
    and the pod is drawn without the trait."""
    trait = config.traits.get("supplemental_gids")
    if trait is None or not isinstance(trait.value, list):
        return
    groups = [group_id(item) for item in trait.value]
    if None not in groups:
        if groups != trait.value or any(type(item) is not int for item in trait.value):
            config.replace_value("supplemental_gids", groups)
        return
    index = groups.index(None)
    item = trait.value[index]
    found = trait.source((index,))
    path: ValuesPath = ()
    if found is not None:
        source, rest = found
        path = (*source.path, *rest) if source.extends else source.path
    config.report(
        path,
        f"KubeSpawner {config.kubespawner} makes each item of `supplemental_gids` a group id "
        f"with int(), which fails on {shown(item)}: every spawn with it fails; write the "
        "group's number",
    )
    del config.traits["supplemental_gids"]
    config._shared.discard("supplemental_gids")


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "an integer", float: "a number"}
    return names.get(type(value), "a " + type(value).__name__)


_ENV_REPLACED = (
    "`env` in extra_container_config replaces the whole env list KubeSpawner builds for the "
    "notebook, JupyterHub's JUPYTERHUB_API_TOKEN and `environment` with it: "
    "jupyterhub-singleuser stops without the token, so every spawn with it fails"
)


def _container_env_replaced(config: SpawnerConfig) -> None:
    """``env`` in ``extra_container_config``: KubeSpawner's ``update_k8s_model`` sets the
    notebook container's ``env`` to it whole (``setattr``, no merge), so the list it built is
    gone, JupyterHub's ``JUPYTERHUB_API_TOKEN`` (a new one per spawn, which no values file can
    write) and ``environment`` with it; ``jupyterhub-singleuser`` stops without the token, so the
    server never starts. The pod is still drawn as KubeSpawner sends it."""
    trait = config.traits.get("extra_container_config")
    if trait is None or not isinstance(trait.value, dict) or trait.value.get("env") is None:
        return
    found = trait.source(("env",))
    if found is None:
        return
    source, rest = found
    path = (*source.path, *rest)
    override = "kubespawner_override" in path
    where = (
        "the profile's `kubespawner_override.environment`"
        if override
        else ("`singleuser.extraEnv`")
    )
    fix = f"# drop `env` from extra_container_config and set the variables in {where}"
    variables = env_as_mapping(trait.value["env"])
    if variables is not None:
        shown_fix = (
            {"environment": variables} if override else {"singleuser": {"extraEnv": variables}}
        )
        fix += " (merged\n# with the variables KubeSpawner sets)\n" + yaml.safe_dump(
            shown_fix, sort_keys=False, default_flow_style=False
        )
    # A profile's own list replaced the hub-wide one its config was copied with: only its own
    # is the one to change for its spawns.
    config.problems = [p for p in config.problems if p.message != _ENV_REPLACED or p.path == path]
    config.report(path, _ENV_REPLACED, fix.rstrip())


def env_as_mapping(env: Any) -> dict[str, Any] | None:
    """A list of EnvVar objects as the ``environment`` map KubeSpawner takes (``NAME: value`` or
    ``NAME: {valueFrom: …}``); None when it is not such a list."""
    if not isinstance(env, list):
        return None
    mapping: dict[str, Any] = {}
    for item in env:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            return None
        rest = {key: value for key, value in item.items() if key != "name"}
        mapping[item["name"]] = rest["value"] if set(rest) == {"value"} else rest
    return mapping


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
        fix = f"# a list, as KubeSpawner {config.kubespawner} (z2jh {config.chart_version}) needs\n"
        if "kubespawner_override" in path:
            fix += "# (in a kubespawner_override a list replaces the whole trait: keep what the\n"
            fix += "# profile still needs from it, such as the home volume)\n"
        fix += yaml.safe_dump({name: as_list}, sort_keys=False, default_flow_style=False)
        config.report(
            path,
            f"`{name}` is a map, but the KubeSpawner of z2jh {config.chart_version} "
            f"({config.kubespawner}) "
            "takes only a list here: every spawn with it fails (maps need KubeSpawner 7, z2jh 4.x)",
            fix.rstrip(),
        )
