"""End to end: the pods nblint draws from z2jh values are the pods the chart's own hub builds.

For a values file and a chart release, the oracle is what really happens (``z2jh_hub.py``,
``hub_oracle.py``): Helm merges and coalesces the values and validates them against the chart's
schema, writes the hub's secret with ``toYaml`` (go-yaml's key order, top-level nulls dropped)
and its config map of names; the chart's own ``jupyterhub_config.py`` of that release runs on
them as the hub pod runs it (of ``hub.extraConfig`` only the plain settings nblint reads, never
the input's code); and
the ``jupyterhub-kubespawner`` the release's hub image pins (6.0.0, 6.1.0, 6.2.0 or 7.0.0,
installed once per machine into pytest's cache) spawns every profile with its default choices
and each other choice. Each pod must equal ``nblint render``'s, metadata included, once
nblint's symbolic ``{username}``-style placeholders are filled in as KubeSpawner fills them for
the test's user. A spawn KubeSpawner refuses must be one nblint reports (``z2jh-spawn-failure``),
and values Helm refuses must be reported as Helm would.

Only the user's own identity in labels and annotations and the hub's JupyterHub version (the
tests run one JupyterHub for every release) are not compared.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
import z2jh_hub
from conftest import FIXTURES, SHARED, needs_shared, run
from test_z2jh_kubespawner import _cache_dir, install_kubespawner

from nblint.dialects.z2jh.values import chart_defaults, hub_image, values_schema
from nblint.load.yaml_tree import parse_documents, to_plain
from nblint.model.pod import EffectivePod

HUB_ORACLE = Path(__file__).parent / "hub_oracle.py"
UPSTREAM = SHARED / "upstream" / "z2jh"
HUB_COPIES = FIXTURES / "z2jh" / "hub"
E2E = FIXTURES / "z2jh" / "end-to-end"
PODS = FIXTURES / "z2jh" / "pods"
API_SERVER = FIXTURES / "z2jh" / "api-server"
CORPUS = SHARED / "corpus" / "z2jh"
#: The user every pod is spawned for: escaping and slugs tell ``{username}`` variants apart.
USER = "Jo.Doe@example.org"

#: One release per KubeSpawner version the chart's hub images pin, and the three generations of
#: the chart's hub configuration (lists, 4.0's ``{pvc_name}``, 4.3's maps).
RELEASES = ("3.0.3", "3.1.0", "3.3.8", "4.2.0", "4.4.0")


# ---------------------------------------------------------------------------------------------
# The hub of one release


def hub_folder(chart_version: str) -> Path:
    """The release's ``jupyterhub_config.py`` and ``z2jh.py``: its own, or the copy of them."""
    if (UPSTREAM / chart_version / "hub").is_dir():
        return UPSTREAM / chart_version / "hub"
    key = tuple(int(p) for p in chart_version.split("."))
    copies = sorted(
        (tuple(int(p) for p in folder.name.split(".")), folder)
        for folder in HUB_COPIES.iterdir()
        if folder.is_dir()
    )
    return [folder for version, folder in copies if version <= key][-1]


def chart_values(chart_version: str) -> dict[str, Any]:
    """The chart's ``values.yaml`` as published (its own when ``../shared`` is there; else
    nblint's bundled copy, which ``test_bundled_facts_are_the_release_s_own_...`` proves equal)."""
    folder = UPSTREAM / chart_version
    if not folder.is_dir():
        return copy.deepcopy(chart_defaults(chart_version))
    text = (folder / "values.yaml").read_text().replace("set-by-chartpress", chart_version)
    return yaml.safe_load(text)  # type: ignore[no-any-return]


def chart_schema(chart_version: str) -> dict[str, Any]:
    folder = UPSTREAM / chart_version
    if not folder.is_dir():
        return values_schema(chart_version)
    return yaml.safe_load((folder / "values.schema.yaml").read_text())  # type: ignore[no-any-return]


class HubOracle:
    """A running ``hub_oracle.py`` worker for one KubeSpawner version."""

    def __init__(self, search_first: Path, log: Path) -> None:
        self.log = log
        self.stderr = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(HUB_ORACLE), str(search_first)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.version = self._reply()["version"]

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def _reply(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            pytest.fail(f"the hub oracle died:\n{self.log.read_text()[-3000:]}")
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.process.communicate(timeout=30)
        self.stderr.close()


@pytest.fixture(scope="session")
def hubs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, HubOracle]]:
    """KubeSpawner version → its hub oracle, started on first use."""
    started: dict[str, HubOracle] = {}
    cache = _cache_dir(request, tmp_path_factory)

    class Lazy(dict[str, HubOracle]):
        def __missing__(self, version: str) -> HubOracle:
            target = install_kubespawner(version, cache)
            oracle = started[version] = HubOracle(target, cache / f"hub-{version}.log")
            assert oracle.version == version, oracle.version
            self[version] = oracle
            return oracle

    yield Lazy()
    for oracle in started.values():
        oracle.close()


# ---------------------------------------------------------------------------------------------
# Both sides


def helm_read(text: str) -> Any:
    """A values file as Helm reads it: with ``sigs.k8s.io/yaml``, whose go-yaml v2 reads plain
    scalars otherwise than PyYAML (``y`` is true; ``test_plain_scalars`` holds nblint's reading
    to go-yaml's source)."""
    documents, _ = parse_documents(text)
    return to_plain(documents[0].root) if documents else None


def user_values(files: list[Path], root: tuple[str, ...]) -> dict[str, Any]:
    layers = []
    for file in files:
        node: Any = helm_read(file.read_text())
        for key in root:
            node = node.get(key) if isinstance(node, dict) else None
        layers.append(z2jh_hub.json_keys(node) if isinstance(node, dict) else {})
    merged = z2jh_hub.merge_files(layers)
    hub = merged.get("hub")
    if isinstance(hub, dict) and "extraConfig" in hub:
        merged["hub"] = {k: v for k, v in hub.items() if k != "extraConfig"}
        snippets = hub["extraConfig"]
        if isinstance(snippets, dict):
            merged["hub"]["extraConfig"] = {
                name: plain_settings(code) for name, code in snippets.items()
            }
    return merged


def plain_settings(code: Any) -> str:
    """Only the statements of a ``hub.extraConfig`` snippet that nblint reads: ``c.<Class>.<trait>
    = <literal>``. The hub runs those as it runs the whole snippet; the rest (code, whose effect
    nblint states it does not know) is left out, so the test never runs the input's code."""
    import ast

    if not isinstance(code, str):
        return ""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return ""
    kept = []
    for statement in tree.body:
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1):
            continue
        target = statement.targets[0]
        if not (
            isinstance(target, ast.Attribute)
            and isinstance(target.value, ast.Attribute)
            and isinstance(target.value.value, ast.Name)
            and target.value.value.id == "c"
        ):
            continue
        try:
            ast.literal_eval(statement.value)
        except (ValueError, TypeError, SyntaxError):
            continue
        kept.append(ast.unparse(statement))
    return "\n".join(kept)


def without_parent_nulls(user: dict[str, Any], chart: Any) -> dict[str, Any]:
    out = {}
    for key, value in user.items():
        if value is None and not (isinstance(chart, dict) and key in chart):
            continue
        sub = chart.get(key) if isinstance(chart, dict) else None
        out[key] = without_parent_nulls(value, sub) if isinstance(value, dict) else value
    return out


# ---------------------------------------------------------------------------------------------
# Charts that install z2jh as their subchart: their own values.yaml, as published

WRAPPER_COPIES = FIXTURES / "z2jh" / "wrappers"
#: The binderhub chart's values.yaml (copies, see ORIGIN.md) by the z2jh major it installs.
BINDERHUB_VALUES = {
    "3": WRAPPER_COPIES / "binderhub-values-58bb7dba.yaml",
    "4": WRAPPER_COPIES / "binderhub-values-b9fad995.yaml",
}
#: The daskhub chart's values.yaml (no licence stated: not copied), which installs z2jh 4.4.0.
DASKHUB_VALUES = CORPUS / "dask__helm-chart__daskhub.values.yaml"
DASKHUB_INSTALLS = "4.4.0"
#: Keys only the binderhub chart's own values have (values given to the chart itself).
BINDERHUB_SIGNS = ("imageBuilderType", "dind", "pink", "imageCleaner")


def wrapper_of(files: list[Path], root: tuple[str, ...]) -> str | None:
    """The chart that installs z2jh for these values: named by the key above ``jupyterhub``, or
    binderhub when its own keys sit beside ``jupyterhub``."""
    if root[-1:] != ("jupyterhub",):
        return None
    if root[-2:-1] in (("binderhub",), ("daskhub",)):
        return root[-2]
    for file in files:
        node: Any = helm_read(file.read_text())
        for key in root[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and (
            any(key in node for key in BINDERHUB_SIGNS)
            or (isinstance(node.get("config"), dict) and "BinderHub" in node["config"])
        ):
            return "binderhub"
    return None


def wrapper_values(chart: str, chart_version: str) -> dict[str, Any]:
    """What ``chart``'s values.yaml gives z2jh (its ``jupyterhub`` section), its
    ``hub.extraConfig`` cut to plain settings as the user's is (the test never runs its code)."""
    if chart == "binderhub":
        path = BINDERHUB_VALUES[chart_version.split(".")[0]]
    else:
        if not DASKHUB_VALUES.is_file():
            pytest.skip("the daskhub chart's values are in ../shared only")
        path = DASKHUB_VALUES
    section = z2jh_hub.json_keys(helm_read(path.read_text())["jupyterhub"])
    hub = section.get("hub")
    if isinstance(hub, dict) and isinstance(hub.get("extraConfig"), dict):
        hub["extraConfig"] = {k: plain_settings(v) for k, v in hub["extraConfig"].items()}
    return section  # type: ignore[no-any-return]


def release_defaults(chart_version: str, wrapper: str | None) -> dict[str, Any]:
    """What the user's values are coalesced over: z2jh's values.yaml, under the wrapper chart's
    values for it (Helm: the parent chart's values for a subchart over the subchart's own)."""
    chart = chart_values(chart_version)
    if wrapper is None:
        return chart
    return z2jh_hub.coalesce(wrapper_values(wrapper, chart_version), chart)


def hub_spawns(
    hubs: dict[str, HubOracle],
    files: list[Path],
    root: tuple[str, ...],
    chart_version: str,
    mount: Path,
    templates: list[str],
) -> dict[str, Any]:
    """What the release's hub makes of ``files``: ``{"helm_refuses": [...]}`` or the oracle's
    reply."""
    user = user_values(files, root)
    defaults = release_defaults(chart_version, wrapper_of(files, root))
    if root:
        # z2jh as a subchart: the parent chart's values.yaml is not here; like nblint, assume it
        # defines every key a null deletes (Helm would otherwise keep the null).
        user = without_parent_nulls(user, defaults)
    values = z2jh_hub.coalesce(user, defaults)
    errors = z2jh_hub.schema_errors(values, chart_schema(chart_version))
    if errors:
        return {"helm_refuses": errors}
    image = hub_image(chart_version)
    env = z2jh_hub.write_mount(mount, values, chart_version, image["jupyterhub"])
    request = {
        "hub": str(hub_folder(chart_version)),
        "mount": str(mount),
        "env": env,
        "jupyterhub": image["jupyterhub"],
        "user": USER,
        "spawns": "each",
        "expand": templates,
    }
    return hubs[image["kubespawner"]].ask(request)


def nblint_pods(
    files: list[Path], root: tuple[str, ...], chart_version: str
) -> tuple[list[EffectivePod], list[Any]]:
    settings: dict[str, Any] = {"chart_version": chart_version}
    if root:
        settings["values_root"] = ".".join(root)
    if len(files) > 1:
        result = run(values=[str(f) for f in files], **settings)
    else:
        result = run(files[0], **settings)
    return [p for p in result.pods if p.dialect == "z2jh"], result.findings


#: Labels and annotations that carry the user's own identity (nblint draws no particular user).
IDENTITY = {"hub.jupyter.org/username", "hub.jupyter.org/servername"}
#: The tests run one JupyterHub for every release; nblint names the release's own.
RUNTIME = {"hub.jupyter.org/jupyterhub-version"}


def expandable(pod: dict[str, Any], extra_pod_config: list[str]) -> list[Any]:
    """The parts of a pod KubeSpawner expands templates in, as ``(container, key)`` pairs."""
    meta, spec = pod["metadata"], pod["spec"]
    parts: list[Any] = [(meta, key) for key in ("name", "labels", "annotations") if key in meta]
    for key in ("volumes", "initContainers", "serviceAccountName", *extra_pod_config):
        if key in spec:
            parts.append((spec, key))
    containers = spec.get("containers") or []
    for index, container in enumerate(containers):
        if index:
            parts.append((containers, index))
        else:
            parts += [(container, key) for key in ("env", "volumeMounts") if key in container]
    return parts


def texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)


def expanded(value: Any, done: dict[str, str | None]) -> Any:
    if isinstance(value, str):
        return done.get(value, value)
    if isinstance(value, dict):
        return {k: expanded(v, done) for k, v in value.items()}
    if isinstance(value, list):
        return [expanded(v, done) for v in value]
    return value


def concrete(pod: dict[str, Any], extra_pod_config: list[str], done: dict[str, Any]) -> Any:
    """nblint's pod for the test's user: its templates expanded by KubeSpawner where KubeSpawner
    expands them."""
    pod = copy.deepcopy(pod)
    for parent, key in expandable(pod, extra_pod_config):
        parent[key] = expanded(parent[key], done)
    return pod


def admitted(pod: dict[str, Any]) -> dict[str, Any]:
    """The pod KubeSpawner sends, as the API server stores it before admission: a volume that
    names no source is an ``emptyDir``; on a Pod with ``hostNetwork``, a port's ``hostPort``
    defaults to its ``containerPort``; a container's limit with no request is copied into its
    requests (SetDefaults_Pod). (nblint draws the admitted pod.)"""
    pod = copy.deepcopy(pod)
    spec = pod["spec"]
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            resources = container.get("resources")
            if (
                isinstance(resources, dict)
                and isinstance(resources.get("limits"), dict)
                and resources["limits"]
            ):
                requests = resources.get("requests") or {}
                resources["requests"] = {**resources["limits"], **requests}
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict) and set(volume) <= {"name"}:
            volume["emptyDir"] = {}
    if spec.get("hostNetwork") is True:
        for key in ("initContainers", "containers", "ephemeralContainers"):
            for container in spec.get(key) or []:
                for port in container.get("ports") or []:
                    if not port.get("hostPort") and port.get("containerPort"):
                        port["hostPort"] = port["containerPort"]
    return pod


def comparable(pod: dict[str, Any], env_names: list[str] | None = None) -> Any:
    pod = copy.deepcopy(pod)
    meta = pod.get("metadata") or {}
    for key in ("labels", "annotations"):
        for name in list(meta.get(key) or {}):
            if name in IDENTITY or name in RUNTIME:
                meta[key][name] = "…"
    meta.pop("namespace", None)
    if env_names is not None:
        for container in pod["spec"].get("containers", []):
            if container.get("name") == "notebook" and "env" in container:
                container["env"] = [e for e in container["env"] if e["name"] in env_names]
    return _prune({"metadata": meta, "spec": pod["spec"]})


def untagged(pod: Any) -> Any:
    """``pod`` with the notebook container's image tag left out."""
    pod = copy.deepcopy(pod)
    for container in pod["spec"].get("containers", []):
        if container.get("name") == "notebook" and isinstance(container.get("image"), str):
            container["image"] = container["image"].rsplit(":", 1)[0]
    return pod


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def difference(ours: Any, theirs: Any) -> str:
    """The lines where nblint's pod (-) and KubeSpawner's (+) differ."""
    import difflib

    def lines(value: Any) -> list[str]:
        return json.dumps(value, indent=1, sort_keys=True).splitlines()

    return "\n".join(difflib.unified_diff(lines(ours), lines(theirs), "nblint", "hub", n=2))


def options_of(
    user_options: dict[str, Any], listed: list[dict[str, Any]], pods: list[EffectivePod]
) -> Any:
    """The (profile, options) nblint labels the same spawn with. A spawn that names no choice
    gets the profile's defaults, which are nblint's first pod of that profile: the default
    KubeSpawner picks must be nblint's."""
    if not user_options:
        return (None, None)
    profile = next(p for p in listed if p["slug"] == user_options["profile"])
    name = profile["display_name"] or profile["slug"]
    first = next((p for p in pods if p.profile == name), None)
    chosen = dict(first.options or {}) if first is not None else {}
    chosen.update({k: v for k, v in user_options.items() if k != "profile"})
    return (name, chosen or None)


def assert_same_pods(
    hubs: dict[str, HubOracle],
    files: list[Path],
    chart_version: str,
    mount: Path,
    root: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The whole comparison for one release of ``files``; returns the hub's reply."""
    pods, findings = nblint_pods(files, root, chart_version)
    # Every text KubeSpawner might expand (whichever keys extraPodConfig turns out to set).
    templates = sorted(
        {t for p in pods for t in texts({"metadata": p.pod["metadata"], "spec": p.pod["spec"]})}
    )
    hub = hub_spawns(hubs, files, root, chart_version, mount, templates)
    where = f"{[f.name for f in files]} @ z2jh {chart_version}"
    # The daskhub values at hand are those of the release that installs z2jh 4.4.0; another
    # release of daskhub sets another tag of the same image (and nothing else: see
    # test_z2jh_wrappers.py), which is not compared.
    tag_unknown = wrapper_of(files, root) == "daskhub" and chart_version != DASKHUB_INSTALLS
    # Text nblint says it cannot know: placeholders, and what sops encrypted.
    unknowable = any(
        f.rule in ("z2jh-unrendered-template", "sops-partly-encrypted") for f in findings
    )
    if "helm_refuses" in hub:
        # An extraFiles entry with no content is refused unless `helm --set-file` gives it (the
        # chart's documented recipe), which nblint cannot see and says so.
        refused = {"z2jh-unknown-key", "z2jh-wrong-type", "z2jh-content-at-install"}
        said = any(f.rule in refused for f in findings)
        assert said or unknowable, (where, hub["helm_refuses"])
        return hub
    if "hub_error" in hub:
        assert any(f.severity == "error" for f in findings if f.rule.startswith("z2jh")), (
            where,
            hub["hub_error"],
        )
        return hub
    failures = {f.message for f in findings if f.rule == "z2jh-spawn-failure"}
    if "profiles_error" in hub:  # KubeSpawner refuses the configuration: no spawn at all
        assert failures, (where, hub["profiles_error"])
        return hub
    listed = hub["profiles"]
    # Keyed as reports name a pod; two profiles may share a display name (their pods come in
    # profile order on both sides).
    drawn: dict[Any, list[EffectivePod]] = {}
    for pod in pods:
        drawn.setdefault((pod.profile, json.dumps(pod.options, sort_keys=True)), []).append(pod)
    compared = 0
    for user_options, spawned in zip(hub["user_options"], hub["spawns"], strict=True):
        profile, options = options_of(user_options, listed, pods)
        key = (profile, json.dumps(options, sort_keys=True))
        label = f"{where}, spawn {user_options}"
        if "error" in spawned:
            # Text a deployment tool fills in before Helm (`${var}`) is not what the hub sees;
            # nblint says it cannot know it.
            assert failures or unknowable, (
                f"{label}: KubeSpawner fails ({spawned['error']}), nblint says not"
            )
            if drawn.get(key):
                drawn[key].pop(0)  # nblint draws the pod it says fails
            continue
        assert drawn.get(key), f"{label}: nblint drew no such pod (it drew {sorted(drawn)})"
        ours = concrete(drawn[key].pop(0).pod, spawned["extra_pod_config"], hub["expanded"])
        theirs = comparable(admitted(spawned["pod"]), spawned["environment"])
        if tag_unknown:
            ours, theirs = untagged(comparable(ours)), untagged(theirs)
        assert comparable(ours) == theirs, f"{label}:\n{difference(comparable(ours), theirs)}"
        compared += 1
    assert compared or failures or unknowable, where
    left = [key for key, pods_left in drawn.items() for _ in pods_left]
    assert not left, f"{where}: nblint drew pods no spawn makes: {left}"
    return hub


# ---------------------------------------------------------------------------------------------
# The tests

FIXTURE_FOLDERS = (E2E, PODS, API_SERVER)
FIXTURE_FILES = [p.name for folder in FIXTURE_FOLDERS for p in sorted(folder.glob("*.yaml"))]


def fixture(name: str) -> Path:
    return next(folder / name for folder in FIXTURE_FOLDERS if (folder / name).is_file())


@pytest.mark.parametrize("chart_version", RELEASES)
@pytest.mark.parametrize("name", FIXTURE_FILES)
def test_the_hub_of_the_release_builds_the_pods_nblint_draws(
    name: str, chart_version: str, hubs: dict[str, HubOracle], tmp_path: Path
) -> None:
    assert_same_pods(hubs, [fixture(name)], chart_version, tmp_path)


def _rewired(trait: str, key: tuple[str, ...] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The chart's values → traits mapping with ``trait`` read from ``key`` (None: dropped)."""
    from nblint.dialects.z2jh import chart_config

    return tuple(
        (name, key if name == trait else path)
        for name, path in chart_config.PASSTHROUGH
        if not (name == trait and key is None)
    )


#: Mistakes in the values → traits mapping that the harness must catch (issue 15).
MAPPING_MUTATIONS = {
    "cpu limit read from the guarantee": ("cpu_limit", ("cpu", "guarantee")),
    "required node affinity read from the preferred terms": (
        "node_affinity_required",
        ("extraNodeAffinity", "preferred"),
    ),
    "pod annotations dropped": ("extra_annotations", None),
}


@pytest.mark.parametrize("mutation", sorted(MAPPING_MUTATIONS))
def test_a_wrong_values_to_traits_mapping_fails_the_comparison(
    mutation: str,
    hubs: dict[str, HubOracle],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from nblint.dialects.z2jh import chart_config

    trait, key = MAPPING_MUTATIONS[mutation]
    rewired = _rewired(trait, key)
    monkeypatch.setattr(chart_config, "PASSTHROUGH", rewired)
    # The mapping as the port reads it, each entry with the values key it says it came from.
    sources = tuple(
        (name, path, chart_config.Source(("singleuser", *path))) for name, path in rewired
    )
    monkeypatch.setattr(chart_config, "_PASSTHROUGH_SOURCES", sources)
    with pytest.raises(AssertionError):
        assert_same_pods(hubs, [E2E / "values-to-traits-mapping.yaml"], "4.4.0", tmp_path)


def corpus_cases() -> list[tuple[str, tuple[str, ...]]]:
    if not CORPUS.is_dir():
        return []
    with (CORPUS / "SOURCES.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [(row["file"], tuple(p for p in row["values_root"].split(".") if p)) for row in rows]


@needs_shared
@pytest.mark.parametrize("chart_version", ["3.3.8", "4.4.0"])
@pytest.mark.parametrize(("name", "root"), corpus_cases() or [("(no corpus)", ())])
def test_the_hub_builds_the_pods_nblint_draws_for_the_corpus(
    name: str,
    root: tuple[str, ...],
    chart_version: str,
    hubs: dict[str, HubOracle],
    tmp_path: Path,
) -> None:
    assert_same_pods(hubs, [CORPUS / name], chart_version, tmp_path, root)


WRAPPED = FIXTURES / "z2jh" / "wrapped"
#: Where z2jh sits in each of them.
WRAPPED_ROOTS = {
    "binderhub-chart-values-no-home-volume.yaml": ("jupyterhub",),
    "binderhub-chart-values-without-jupyterhub.yaml": ("jupyterhub",),
    "binderhub-chart-values-builder-type-only.yaml": ("jupyterhub",),
    "binderhub-chart-values-hub-ingress-only.yaml": ("jupyterhub",),
    "binderhub-under-umbrella-no-home-volume.yaml": ("binderhub", "jupyterhub"),
    "binderhub-user-storage-wins.yaml": ("binderhub", "jupyterhub"),
    "binderhub-values-ingress-only.yaml": ("binderhub", "jupyterhub"),
    "binderhub-section-without-jupyterhub.yaml": ("binderhub", "jupyterhub"),
    "daskhub-under-umbrella-pangeo-image.yaml": ("daskhub", "jupyterhub"),
}


def test_every_wrapped_fixture_names_its_root() -> None:
    assert sorted(WRAPPED_ROOTS) == sorted(p.name for p in WRAPPED.glob("*.yaml"))


@pytest.mark.parametrize("chart_version", ["3.3.8", "4.4.0"])
@pytest.mark.parametrize("name", sorted(WRAPPED_ROOTS))
def test_the_hub_builds_the_pods_nblint_draws_under_a_chart_that_installs_z2jh(
    name: str, chart_version: str, hubs: dict[str, HubOracle], tmp_path: Path
) -> None:
    # The wrapper chart's own values.yaml (a copy of the release's) lies between z2jh's and the
    # user's, as Helm layers a subchart's values.
    assert_same_pods(hubs, [WRAPPED / name], chart_version, tmp_path, WRAPPED_ROOTS[name])


@needs_shared
@pytest.mark.parametrize("chart_version", sorted({p.name for p in UPSTREAM.glob("[34].*")}))
def test_the_copied_hub_configuration_is_the_release_s_own(chart_version: str) -> None:
    key = tuple(int(p) for p in chart_version.split("."))
    copies = sorted(f for f in HUB_COPIES.iterdir() if f.is_dir())
    own = [f for f in copies if tuple(int(p) for p in f.name.split(".")) <= key][-1]
    for name in ("jupyterhub_config.py", "z2jh.py"):
        assert (own / name).read_text() == (UPSTREAM / chart_version / "hub" / name).read_text()


def test_go_yaml_orders_keys_with_numbers_by_value_and_letters_first() -> None:
    keys = ["b", "a10", "a9", "A", "_x", "10", "2", "Zebra"]
    ordered = list(yaml.safe_load(z2jh_hub.to_yaml(dict.fromkeys(keys, 1))))
    assert ordered == ["_x", "2", "10", "A", "Zebra", "a9", "a10", "b"]


def test_helm_keeps_a_null_the_chart_lacks_and_drops_top_level_nulls_from_the_secret() -> None:
    values = z2jh_hub.coalesce(
        {"singleuser": {"extraEnv": {"A": None}, "uid": None}, "custom": None},
        {"singleuser": {"extraEnv": {}, "uid": 1000}, "custom": {}, "nameOverride": None},
    )
    assert values == {"singleuser": {"extraEnv": {"A": None}}, "nameOverride": None}
    secret = yaml.safe_load(z2jh_hub.secret_values(values, "4.4.0", "5.5.0"))
    assert "nameOverride" not in secret
    assert secret["singleuser"] == {"extraEnv": {"A": None}}


@pytest.mark.parametrize("chart_version", ["3.0.3", "4.4.0"])
def test_the_hub_sends_no_api_token_when_extra_container_config_sets_env(
    chart_version: str, hubs: dict[str, HubOracle], tmp_path: Path
) -> None:
    """What z2jh-spawn-failure says of ``extra_container_config.env`` (field test 10a D9): the
    pod KubeSpawner builds has only that list, no JUPYTERHUB_API_TOKEN and no extraEnv."""
    files = [fixture("extra-container-config-env-replaces.yaml")]
    hub = hub_spawns(hubs, files, (), chart_version, tmp_path, [])
    for spawned in hub["spawns"]:
        [notebook] = [c for c in spawned["pod"]["spec"]["containers"] if c["name"] == "notebook"]
        names = [e["name"] for e in notebook.get("env") or []]
        assert "JUPYTERHUB_API_TOKEN" not in names and "FOO" not in names, names
        assert len(names) == 1, names
