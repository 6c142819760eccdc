"""Regenerate the compact z2jh facts in this folder (run by hand; not used at runtime).

    python schemas/z2jh/derive.py ../shared/upstream/z2jh                  # chart facts
    python schemas/z2jh/derive.py --kubespawner 6.0.0=DIR 7.0.0=DIR ...     # trait facts
    python schemas/z2jh/derive.py --hub ../shared/upstream/z2jh INSTALL_DIR   # hub.config classes
    python schemas/z2jh/derive.py --spawner INSTALL_DIR                      # each hub's Spawner

Chart facts, for every release folder of the upstream copy (3.0.0 … 4.4.0):

* ``values.json`` / ``values.schema.json``: the newest release's ``values.yaml`` and
  ``values.schema.yaml`` as JSON (the schema without its prose: ``description``, ``$schema``…).
  Image tags that read ``set-by-chartpress`` in git stay so here: a published chart carries its
  own version there, filled in when a release is loaded (``releases.json`` lists where).
* ``patches.json``: every other release as a list of changes to the newest one, each distinct
  change list stored once (most releases share their values or schema with a neighbour). A
  change is ``[path, value]`` (set) or ``[path]`` (delete); lists are replaced whole.
* ``releases.json``: the index a run reads first: each release's hub image (the exact
  ``jupyterhub`` / ``jupyterhub-kubespawner`` versions it pins) and the patch ids of its values
  and schema; and the paths of the chart-version image tags.

Trait facts (``kubespawner.json``), from each KubeSpawner version installed in a directory of its
own (``pip install --no-deps --target DIR jupyterhub-kubespawner==V``): the configurable trait
names of ``KubeSpawner``, its deprecated aliases (``_deprecated_traits``: old name → trait) and
the defaults of the traits nblint reads, the newest version in full and every other as what it
adds and removes (its aliases only where they differ).

Spawner facts (``spawner-traits.json``), for each pair of JupyterHub and KubeSpawner versions a
release's hub image pins (``releases.json``), each installed alone into ``INSTALL_DIR``:
``KubeSpawner`` inherits JupyterHub's ``Spawner``, so its traits depend on both. ``absent``: the
configurable names of ``kubespawner.json`` (derived beside one JupyterHub) that this pair does
not have (a ``Spawner`` trait of a newer JupyterHub); ``other``: the traits that are not
configurable (``config=True`` is not set), which the hub's configuration never sets but a
profile's ``kubespawner_override`` does (KubeSpawner's ``_apply_overrides`` sets any attribute);
``deprecated``: those of them whose help says they are deprecated, with what replaces them;
``null_refused``: the configurable traits whose traitlets type does not ``allow_none`` (a null
set there is refused: the spawn fails).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
PROSE = {"description", "$schema", "title", "examples"}
CHART_TAG = "set-by-chartpress"


def strip(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: (
                {name: strip(sub) for name, sub in value.items()}
                if key in ("properties", "patternProperties")
                else strip(value)
            )
            for key, value in schema.items()
            if key not in PROSE
        }
    if isinstance(schema, list):
        return [strip(item) for item in schema]
    return schema


def chart_tagged(values: Any, path: tuple[str | int, ...] = ()) -> list[list[str | int]]:
    """Paths of the values that chartpress sets to the chart version on release."""
    if isinstance(values, dict):
        return [p for key, item in values.items() for p in chart_tagged(item, (*path, key))]
    if isinstance(values, list):
        return [p for i, item in enumerate(values) for p in chart_tagged(item, (*path, i))]
    return [list(path)] if values == CHART_TAG else []


def changes(base: Any, other: Any, path: tuple[Any, ...] = ()) -> list[list[Any]]:
    """What turns ``base`` into ``other``: ``[path, value]`` sets and ``[path]`` deletes."""
    if isinstance(base, dict) and isinstance(other, dict):
        out: list[list[Any]] = []
        for key in base:
            if key not in other:
                out.append([[*path, key]])
        for key, value in other.items():
            if key not in base:
                out.append([[*path, key], value])
            else:
                out.extend(changes(base[key], value, (*path, key)))
        # Key order matters to nobody but a reader: sets keep the other's order.
        return out
    if base == other and type(base) is type(other):
        return []
    return [[list(path), other]]


def dump(path: Path, data: Any, indent: int | None = None) -> None:
    text = json.dumps(data, indent=indent, separators=(",", ":") if indent is None else None)
    path.write_text(text + "\n")


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def derive_chart(upstream: Path) -> None:
    folders = sorted(
        (p for p in upstream.iterdir() if p.is_dir() and re.fullmatch(r"\d+\.\d+\.\d+", p.name)),
        key=lambda p: _version_key(p.name),
    )
    newest = folders[-1].name
    loaded = {
        folder.name: (
            yaml.safe_load((folder / "values.yaml").read_text()),
            strip(yaml.safe_load((folder / "values.schema.yaml").read_text())),
        )
        for folder in folders
    }
    base_values, base_schema = loaded[newest]
    dump(HERE / "values.json", base_values)
    dump(HERE / "values.schema.json", base_schema)

    tagged = chart_tagged(base_values)
    patches: dict[str, dict[str, Any]] = {"values": {}, "schema": {}}
    ids: dict[str, dict[str, str]] = {"values": {}, "schema": {}}
    releases: dict[str, Any] = {}
    for folder in folders:
        version = folder.name
        values, schema = loaded[version]
        pins = dict(
            line.split("==", 1)
            for line in (folder / "hub" / "requirements.txt").read_text().splitlines()
            if line.split("==", 1)[0] in ("jupyterhub", "jupyterhub-kubespawner")
        )
        entry: dict[str, Any] = {
            "jupyterhub": pins["jupyterhub"],
            "kubespawner": pins["jupyterhub-kubespawner"],
        }
        if chart_tagged(values) != tagged:
            entry["chart_tagged"] = chart_tagged(values)
        for kind, data, base in (("values", values, base_values), ("schema", schema, base_schema)):
            diff = changes(base, data)
            if not diff:
                continue
            text = json.dumps(diff, sort_keys=True)
            patch_id = ids[kind].setdefault(text, version)  # named for its oldest release
            patches[kind].setdefault(patch_id, diff)
            entry[kind] = patch_id
        releases[version] = entry
    dump(HERE / "patches.json", patches)
    # One line a release: the index is read on every run that needs chart facts.
    lines = ",\n".join(f"  {json.dumps(v)}: {json.dumps(e)}" for v, e in releases.items())
    (HERE / "releases.json").write_text(
        f'{{"newest": {json.dumps(newest)},\n "chart_tagged": {json.dumps(tagged)},\n'
        f' "releases": {{\n{lines}\n }}}}\n'
    )


#: The defaults nblint reads (see ``nblint/dialects/z2jh/traits.py``).
DEFAULTS_READ = [
    "uid",
    "gid",
    "fs_gid",
    "supplemental_gids",
    "privileged",
    "allow_privilege_escalation",
    "container_security_context",
    "pod_security_context",
    "volumes",
    "volume_mounts",
    "tolerations",
    "node_affinity_required",
    "node_affinity_preferred",
    "pod_affinity_required",
    "pod_affinity_preferred",
    "pod_anti_affinity_required",
    "pod_anti_affinity_preferred",
    "environment",
    "extra_resource_limits",
    "extra_resource_guarantees",
    "init_containers",
    "extra_containers",
    "lifecycle_hooks",
    "mem_guarantee",
    "mem_limit",
    "cpu_limit",
    "cpu_guarantee",
    "image",
    "image_pull_policy",
    "image_pull_secrets",
    "node_selector",
    "service_account",
    "automount_service_account_token",
    "cmd",
    "args",
    "debug",
    "default_url",
    "pvc_name_template",
    "pod_name_template",
    "scheduler_name",
    "priority_class_name",
    "working_dir",
    "port",
    "extra_pod_config",
    "extra_container_config",
    "extra_labels",
    "extra_annotations",
    "storage_pvc_ensure",
    "storage_capacity",
    "storage_class",
    "storage_access_modes",
    "profile_list",
]

_READ_TRAITS = """
import json, sys
sys.path.insert(0, sys.argv[1])
import kubespawner.spawner as ks
ks.load_config = lambda **kw: None  # no cluster: only the traits are read
ks.shared_client = lambda *a, **kw: None
from kubespawner import KubeSpawner
spawner = KubeSpawner(_mock=True)
names = sorted(KubeSpawner.class_trait_names(config=True))
# Old names KubeSpawner still moves to their new name, in its order (config and profile overrides
# alike); a new name may be an alias itself. One entry of 0.9's list names neither: left out.
aliases = KubeSpawner._deprecated_traits
deprecated = {old: new for old, (new, _) in aliases.items() if new in names or new in aliases}
print(json.dumps({"traits": names, "deprecated": deprecated,
                  "defaults": {n: getattr(spawner, n) for n in sys.argv[2].split()}}))
"""


def derive_kubespawner(installs: dict[str, str]) -> None:
    facts = {
        version: json.loads(
            subprocess.check_output(
                [sys.executable, "-c", _READ_TRAITS, folder, " ".join(DEFAULTS_READ)], text=True
            )
        )
        for version, folder in installs.items()
    }
    newest = max(facts, key=_version_key)
    base = facts[newest]
    out: dict[str, Any] = {"newest": newest, newest: base}
    for version, fact in facts.items():
        if version == newest:
            continue
        out[version] = {
            "add": sorted(set(fact["traits"]) - set(base["traits"])),
            "remove": sorted(set(base["traits"]) - set(fact["traits"])),
            **(
                {"deprecated": fact["deprecated"]}
                if fact["deprecated"] != base["deprecated"]
                else {}
            ),
            "defaults": {
                name: value
                for name, value in fact["defaults"].items()
                if base["defaults"].get(name) != value
            },
        }
    dump(HERE / "kubespawner.json", out, indent=1)


#: The hub image's packages whose configurable classes ``hub.config`` sections may name.
HUB_PACKAGES = (
    "jupyterhub",
    "oauthenticator",
    "jupyterhub-firstuseauthenticator",
    "jupyterhub-hmacauthenticator",
    "jupyterhub-ldapauthenticator",
    "jupyterhub-ltiauthenticator",
    "jupyterhub-nativeauthenticator",
    "jupyterhub-tmpauthenticator",
)

_READ_HUB = """
import importlib, inspect, json, pkgutil, sys
sys.path[:0] = sys.argv[1].split(":")
from jupyterhub.app import JupyterHub
from jupyterhub.auth import Authenticator
classes = {"JupyterHub": JupyterHub}
broken = []
for package in ("jupyterhub.auth", "jupyterhub.authenticators", "oauthenticator",
                "firstuseauthenticator", "hmacauthenticator", "ldapauthenticator",
                "ltiauthenticator", "nativeauthenticator", "tmpauthenticator"):
    try:
        root = importlib.import_module(package)
    except Exception as err:
        broken.append(f"{package}: {err!r}")
        continue
    names = [package]
    if hasattr(root, "__path__"):
        names += [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")
                  if ".tests" not in m.name and "test_" not in m.name]
    for name in names:
        try:
            module = importlib.import_module(name)
        except Exception as err:
            broken.append(f"{name}: {err!r}")
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Authenticator) and cls.__module__.startswith(package.split(".")[0]):
                classes.setdefault(cls.__name__, cls)
from importlib.metadata import entry_points
aliases = {e.name: e.value for e in entry_points(group="jupyterhub.authenticators")}
print(json.dumps({
    "classes": {name: {"traits": sorted(cls.class_trait_names(config=True)),
                       "bases": [b.__name__ for b in cls.__mro__[1:] if b.__name__ in classes]}
                for name, cls in sorted(classes.items())},
    "authenticator_names": dict(sorted(aliases.items())),
    "broken": broken,
}))
"""


def derive_hub(upstream: Path, installs: Path) -> None:
    """``hub-traits.json``: for each release, the configurable classes of its hub image that a
    ``hub.config`` section may name (``JupyterHub`` and every authenticator of the image's
    packages), each with its trait names; and the image's authenticator short names
    (``github`` → ``oauthenticator.github:GitHubOAuthenticator``). Each package is installed
    alone (``pip install --no-deps --target``) into ``installs``; their own dependencies, at the
    newest release's pins, into ``installs/deps``."""
    folders = sorted(
        (p for p in upstream.iterdir() if p.is_dir() and re.fullmatch(r"\d+\.\d+\.\d+", p.name)),
        key=lambda p: _version_key(p.name),
    )

    def pins(folder: Path) -> dict[str, str]:
        lines = (folder / "hub" / "requirements.txt").read_text().splitlines()
        found = (line.split("==", 1) for line in lines if "==" in line and line[0] != " ")
        # `pyjwt[crypto]==…`: the package's own name, as pip resolves it.
        return {name.split("[")[0].lower(): version.strip() for name, version in found}

    deps = installs / "deps"
    if not deps.is_dir():
        # Every other package of the images, at its newest pin (what an older JupyterHub needs
        # and a newer one dropped, such as jupyter-telemetry, at its last one). The database and
        # HTTP drivers are compiled and no class reads them at import.
        wanted: dict[str, str] = {}
        for folder in reversed(folders):
            for name, version in pins(folder).items():
                if name in HUB_PACKAGES or name.startswith("jupyterhub") or name in wanted:
                    continue
                if name not in ("psycopg2", "pycurl", "pymysql", "sqlalchemy-cockroachdb"):
                    wanted[name] = version
        _pip_target(deps, [f"{name}=={version}" for name, version in wanted.items()])
    facts: dict[str, Any] = {}
    for folder in folders:
        mine = pins(folder)
        wanted = [f"{name}=={mine[name]}" for name in HUB_PACKAGES if name in mine]
        target = installs / hashlib.sha1(" ".join(wanted).encode()).hexdigest()[:16]
        if not target.is_dir():
            _pip_target(target, wanted)
        out = subprocess.check_output(
            [sys.executable, "-c", _READ_HUB, f"{target}:{deps}"], text=True
        )
        facts[folder.name] = json.loads(out)
    newest_version = folders[-1].name
    base = facts[newest_version]
    table: dict[str, Any] = {"newest": newest_version, newest_version: base, "releases": {}}
    seen: dict[str, str] = {}
    for version, fact in facts.items():
        if version == newest_version:
            continue
        classes: dict[str, Any] = {}
        for name, cls in fact["classes"].items():
            theirs = base["classes"].get(name)
            if theirs is None or theirs["bases"] != cls["bases"]:
                classes[name] = cls
                continue
            added = sorted(set(cls["traits"]) - set(theirs["traits"]))
            removed = sorted(set(theirs["traits"]) - set(cls["traits"]))
            if added or removed:
                classes[name] = {"add": added, "remove": removed}
        entry = {
            "classes": classes,
            "absent": sorted(set(base["classes"]) - set(fact["classes"])),
            "authenticator_names": fact["authenticator_names"],
            "broken": fact["broken"],
        }
        # Releases that share their hub image's packages share one entry, named for the oldest.
        text = json.dumps(entry, sort_keys=True)
        if text not in seen:
            seen[text] = version
            table[version] = entry
        table["releases"][version] = seen[text]
    dump(HERE / "hub-traits.json", table)


_READ_SPAWNER = """
import json, sys
sys.path[:0] = sys.argv[1].split(":")
import jupyterhub, kubespawner
from kubespawner import KubeSpawner
traits = KubeSpawner.class_traits()
print(json.dumps({
    "versions": [jupyterhub.__version__, kubespawner.__version__],
    "config": sorted(KubeSpawner.class_trait_names(config=True)),
    "other": {name: (trait.help or "").strip() for name, trait in sorted(traits.items())
              if not trait.metadata.get("config")},
    "null_refused": sorted(name for name, trait in traits.items()
                           if trait.metadata.get("config") and not trait.allow_none),
}))
"""

#: What replaces a deprecated trait that is not configurable, as its help says
#: (JupyterHub's ``Spawner.env``: "Deprecated: use Spawner.get_env or Spawner.environment").
REPLACED_BY = {"env": "environment"}


def derive_spawner(installs: Path) -> None:
    releases = json.loads((HERE / "releases.json").read_text())["releases"]
    kubespawner = json.loads((HERE / "kubespawner.json").read_text())
    newest = set(kubespawner[kubespawner["newest"]]["traits"])
    deps = installs / "deps"
    if not deps.is_dir():
        _pip_target(deps, ["async_generator==1.10"])  # JupyterHub 4 imports it
    pairs: dict[str, Any] = {}
    deprecated: dict[str, str] = {}
    for entry in releases.values():
        hub, spawner = entry["jupyterhub"], entry["kubespawner"]
        key = f"{hub} {spawner}"
        if key in pairs:
            continue
        folders = []
        for package, version in (("jupyterhub", hub), ("jupyterhub-kubespawner", spawner)):
            folder = installs / f"{package}-{version}"
            if not folder.is_dir():
                _pip_target(folder, [f"{package}=={version}"])
            folders.append(str(folder))
        out = subprocess.check_output(
            [sys.executable, "-c", _READ_SPAWNER, ":".join([*folders, str(deps)])], text=True
        )
        fact = json.loads(out)
        assert fact["versions"] == [hub, spawner], fact["versions"]
        configurable = (
            newest
            if spawner == kubespawner["newest"]
            else ((newest - set(kubespawner[spawner]["remove"])) | set(kubespawner[spawner]["add"]))
        )
        pairs[key] = {
            "absent": sorted(configurable - set(fact["config"])),
            "other": sorted(fact["other"]),
            # traitlets refuses None for them (``allow_none`` is not set): a null the hub's
            # configuration or a ``kubespawner_override`` gives one fails the spawn.
            "null_refused": fact["null_refused"],
        }
        for name, text in fact["other"].items():
            if text.startswith("Deprecated"):
                deprecated[name] = REPLACED_BY[name]  # a new one: say what replaces it
    # One line a pair.
    lines = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in pairs.items())
    (HERE / "spawner-traits.json").write_text(
        f'{{"deprecated": {json.dumps(deprecated)},\n "pairs": {{\n{lines}\n }}}}\n'
    )


def _pip_target(target: Path, requirements: list[str]) -> None:
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target)]
    subprocess.check_call([*pip, *requirements])


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--kubespawner"]:
        derive_kubespawner(dict(arg.split("=", 1) for arg in args[1:]))
    elif args[:1] == ["--spawner"]:
        derive_spawner(Path(args[1]))
    elif args[:1] == ["--hub"]:
        derive_hub(Path(args[1]), Path(args[2]))
    else:
        derive_chart(Path(args[0]))
