"""Differential tests: the pod nblint draws equals the pod the real KubeSpawner builds.

For each fixture under ``tests/fixtures/z2jh/pods/``, chart version and profile/option choice,
the oracle is the KubeSpawner that chart version ships, driven offline by
``tests/kubespawner_oracle.py`` in a worker process of its own:

* chart 4.4.0 → KubeSpawner 7.x, the test dependency installed in the venv;
* chart 3.3.8 → KubeSpawner 6.2.0, installed once per machine with
  ``pip install --no-deps --target`` into pytest's cache directory and put first on the worker's
  ``sys.path`` (so 6.2.0 and 7.x never meet in one interpreter). 6.2.0 needs only
  ``jupyterhub>=4`` and ``kubernetes_asyncio``, and runs on the venv's own.

The oracle is configured with the traits the chart's hub configuration sets (nblint's
:func:`chart_traits`, with each value passed as written in the values, so that KubeSpawner's own
trait validation — memory units, CPU floats, ``cmd`` strings — runs on it); the profile is
selected through KubeSpawner's own ``load_user_options`` and the pod comes from
``get_pod_manifest``. The JupyterHub-provided env variables, labels and annotations, which nblint
does not model, are left out of the comparison. The trait mapping itself (values → traits) is
pinned by ``tests/test_z2jh_pods.py``.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import brief, run

from nblint.dialects.z2jh.chart_config import RELEASE_NAME, chart_traits
from nblint.dialects.z2jh.pods import build_pods
from nblint.dialects.z2jh.profiles import selections
from nblint.dialects.z2jh.traits import kubespawner_defaults, lookup
from nblint.dialects.z2jh.values import Release, build_release
from nblint.load import files

PODS = Path(__file__).parent / "fixtures" / "z2jh" / "pods"
ORACLE = Path(__file__).parent / "kubespawner_oracle.py"
FIXTURES = sorted(p.name for p in PODS.glob("*.yaml"))
#: Map-form extraVolumes exist from chart 4.3 on; map-valued list traits from KubeSpawner 7; and
#: `{pvc_name}` is a placeholder only KubeSpawner 7 fills in (this oracle fills every placeholder
#: symbolically: test_z2jh_end_to_end.py runs the real expansion and shows those spawns fail).
ONLY_4X = {
    "storage-extra-volumes-map.yaml",
    "list-traits-as-maps.yaml",
    "storage-dynamic-extra-volumes.yaml",
    # Its last profile's map override is the 4.3+ form (KubeSpawner 6 refuses it).
    "profile-volumes-drop-chart-volumes.yaml",
}
CASES = [
    (name, version)
    for name in FIXTURES
    for version in ("4.4.0", "3.3.8")
    if not (version == "3.3.8" and name in ONLY_4X)
]
#: The KubeSpawner the hub image of each chart version pins.
KUBESPAWNER_OF_CHART = {"4.4.0": "7", "3.3.8": "6.2.0"}


# ---------------------------------------------------------------------------------------------
# The oracles: one worker process per KubeSpawner version, for the whole session


class Oracle:
    """A running ``kubespawner_oracle.py`` worker (see its docstring for the protocol)."""

    def __init__(self, search_first: Path | None, log: Path) -> None:
        self.log = log
        self.stderr = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, str(ORACLE), str(search_first or "")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
        )
        self.version = self._reply()["version"]

    def pod(self, config: dict[str, dict[str, Any]], user_options: dict[str, str]) -> Any:
        return self._ask({"config": config, "user_options": user_options})["pod"]

    def refusal(self, config: dict[str, dict[str, Any]], user_options: dict[str, str]) -> str:
        """Why KubeSpawner refuses to build this pod (the test fails if it builds it)."""
        reply = self._send({"config": config, "user_options": user_options})
        assert "error" in reply, f"KubeSpawner {self.version} built the pod"
        return reply["error"]  # type: ignore[no-any-return]

    def defaults(self, names: list[str]) -> dict[str, Any]:
        return self._ask({"defaults": names})["defaults"]  # type: ignore[no-any-return]

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        reply = self._send(request)
        assert "error" not in reply, f"KubeSpawner {self.version}: {reply['error']}"
        return reply

    def _send(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def _reply(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self.process.wait()
            pytest.fail(f"the KubeSpawner oracle died:\n{self.log.read_text()[-3000:]}")
        return json.loads(line)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.process.communicate(timeout=30)  # closes stdin: the worker ends
        self.stderr.close()


def _cache_dir(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    if cache is not None:
        return Path(cache.mkdir("kubespawner-oracles"))
    return tmp_path_factory.mktemp("kubespawner-oracles")


#: pip's words when it could not talk to the package index at all (no version of a package
#: that PyPI has: pip is offline, or told ``--no-index``).
_UNREACHABLE = (
    "(from versions: none)",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "Max retries exceeded",
    "ProxyError",
    "ConnectTimeout",
)


def install_kubespawner(version: str, cache: Path) -> Path:
    """``jupyterhub-kubespawner==version`` alone (no dependencies) in a directory of its own."""
    target = cache / f"jupyterhub-kubespawner-{version}"
    if (target / f"jupyterhub_kubespawner-{version}.dist-info").is_dir():
        return target
    partial = cache / f"jupyterhub-kubespawner-{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    pip = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--retries", "2", "--timeout", "30", "--target", str(partial)),
            f"jupyterhub-kubespawner=={version}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if pip.returncode != 0:
        said = [line for line in pip.stderr.splitlines() if any(w in line for w in _UNREACHABLE)]
        if said:
            pytest.skip(
                f"pip cannot reach the package index to install jupyterhub-kubespawner=="
                f"{version} (the oracle for chart 3.3.8): {said[-1].strip()[:200]}"
            )
        pytest.fail(f"pip install jupyterhub-kubespawner=={version} failed:\n{pip.stderr}")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target


@pytest.fixture(scope="session")
def kubespawner_7(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Oracle]:
    pytest.importorskip("kubespawner")
    oracle = Oracle(None, _cache_dir(request, tmp_path_factory) / "kubespawner-7.log")
    assert oracle.version.startswith("7."), oracle.version
    yield oracle
    oracle.close()


@pytest.fixture(scope="session")
def kubespawner_6_2(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Oracle]:
    cache = _cache_dir(request, tmp_path_factory)
    target = install_kubespawner("6.2.0", cache)
    oracle = Oracle(target, cache / "kubespawner-6.2.0.log")
    assert oracle.version == "6.2.0", oracle.version
    yield oracle
    oracle.close()


def oracle_for(request: pytest.FixtureRequest, chart_version: str) -> Oracle:
    fixture = {"7": "kubespawner_7", "6.2.0": "kubespawner_6_2"}
    return request.getfixturevalue(fixture[KUBESPAWNER_OF_CHART[chart_version]])  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------
# Building both pods


def release_for(name: str, version: str, folder: Path = PODS) -> Release:
    loaded = files.load(str(folder / name))
    release, problems = build_release([(str(folder / name), loaded.documents[0].root)], (), version)
    assert not problems
    return release


def oracle_config(release: Release) -> dict[str, dict[str, Any]]:
    """The traitlets config the hub would hand KubeSpawner, values as written."""
    traits = chart_traits(release.values, release.chart_version, RELEASE_NAME)
    config: dict[str, dict[str, Any]] = {"Spawner": {}, "KubeSpawner": {}}
    for name, trait in traits.traits.items():
        value = trait.value
        source = trait.sources.get(())
        if name in CONVERTED_BY_TRAITLETS and source is not None:
            found = lookup(release.values, source.path, _ABSENT)
            if found is not _ABSENT:
                value = found  # as written: KubeSpawner validates and converts it itself
        section = "Spawner" if name in ("cmd", "default_url", "debug") else "KubeSpawner"
        config[section][name] = copy.deepcopy(value)
    return config


_ABSENT = object()
#: Traits whose written value traitlets converts (``2G`` → bytes, ``2`` → 2.0, str → [str], 0 →
#: False) or KubeSpawner's pod builder does (``int(gid)`` of each supplemental group).
CONVERTED_BY_TRAITLETS = {
    *("mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee", "cmd", "supplemental_gids"),
    *("privileged", "allow_privilege_escalation", "automount_service_account_token"),
}


def comparable(pod: dict[str, Any], env_names: set[str]) -> dict[str, Any]:
    """The pod's name and spec, without empty and null fields, and with only the env nblint
    models."""
    spec = copy.deepcopy(pod["spec"])
    for container in spec.get("containers", []):
        if container.get("name") == "notebook" and "env" in container:
            container["env"] = [e for e in container["env"] if e["name"] in env_names]
    return _prune({"name": pod["metadata"]["name"], "spec": spec})


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# The tests


@pytest.mark.parametrize(("name", "version"), CASES)
def test_nblint_pod_equals_kubespawner_pod(
    name: str, version: str, request: pytest.FixtureRequest
) -> None:
    from test_z2jh_end_to_end import admitted  # it imports this module

    oracle = oracle_for(request, version)
    release = release_for(name, version)
    pods = build_pods(release)
    chosen = selections(chart_traits(release.values, version, RELEASE_NAME))
    assert len(pods) == max(len(chosen), 1)
    for pod, selection in zip(pods, chosen or [None], strict=True):
        options = {"profile": selection.slug, **selection.options} if selection else {}
        # nblint draws the pod as the API server stores it (a limit without a request is copied
        # into requests, SetDefaults_Pod); KubeSpawner's is the one it sends.
        expected = admitted(oracle.pod(oracle_config(release), options))
        notebook = pod.pod["spec"]["containers"][0]
        env_names = {e["name"] for e in notebook.get("env", [])}
        assert comparable(pod.pod, env_names) == comparable(expected, env_names), (
            f"{name} @ {version} (KubeSpawner {oracle.version}), "
            f"profile {pod.profile!r}, options {pod.options}"
        )


def test_profile_drawings_cover_every_choice() -> None:
    """`size` names no default: the hub reads its choices in go-yaml's order (large, small), so
    `large` is the default, though the file lists `small` first."""
    release = release_for("profiles.yaml", "4.4.0")
    drawn = [(p.profile, p.options) for p in build_pods(release)]
    assert drawn == [
        ("CPU notebook", None),
        ("GPU notebook", None),
        ("Pick an image", {"image": "r", "size": "large"}),
        ("Pick an image", {"image": "scipy", "size": "large"}),
        ("Pick an image", {"image": "r", "size": "small"}),
    ]


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_trait_defaults_are_those_of_the_kubespawner_each_chart_ships(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    ours = kubespawner_defaults(chart_version)
    assert oracle_for(request, chart_version).defaults(sorted(ours)) == ours


def test_kubespawner_6_refuses_map_valued_list_traits_as_nblint_reports(
    kubespawner_6_2: Oracle,
) -> None:
    """Chart 3.x: a map where KubeSpawner 6.2.0 takes a list fails every spawn (7.x takes it)."""
    fixture = PODS / "list-traits-as-maps.yaml"
    release = release_for(fixture.name, "3.3.8")
    for selection in selections(chart_traits(release.values, "3.3.8", RELEASE_NAME)):
        options = {"profile": selection.slug, **selection.options}
        refusal = kubespawner_6_2.refusal(oracle_config(release), options)
        assert refusal.startswith("TraitError: The 'tolerations' trait"), refusal
    result = run(fixture, chart_version="3.3.8", select={"z2jh-spawn-failure"})
    assert brief(result.findings) == [
        ("z2jh-spawn-failure", 5, 7),  # hub.config.KubeSpawner.tolerations
        ("z2jh-spawn-failure", 14, 9),  # the profile's volumes override
        ("z2jh-spawn-failure", 16, 9),  # the profile's volume_mounts override
    ]
    assert result.findings[0].fix is not None
    assert "tolerations:\n- key: kubernetes.io/arch" in result.findings[0].fix


def test_profile_override_with_a_map_is_refused_by_kubespawner_6_alone(
    kubespawner_6_2: Oracle,
) -> None:
    release = release_for("list-traits-as-maps.yaml", "3.3.8")
    config = oracle_config(release)
    del config["KubeSpawner"]["tolerations"]
    refusal = kubespawner_6_2.refusal(config, {"profile": "scratch-space"})
    assert refusal.startswith("TraitError: The 'volumes' trait"), refusal


def test_chart_3_pods_take_kubespawner_6_s_name_template() -> None:
    """KubeSpawner 6.2.0 names pods ``jupyter-{username}--{servername}``; 7.x
    ``jupyter-{user_server}``."""
    names = {
        version: [
            p.pod["metadata"]["name"] for p in build_pods(release_for("defaults.yaml", version))
        ]
        for version in ("3.3.8", "4.4.0")
    }
    assert names == {
        "3.3.8": ["jupyter-{username}--{servername}"],
        "4.4.0": ["jupyter-{user_server}"],
    }


# ---------------------------------------------------------------------------------------------
# Malformed profiles: Helm takes them, KubeSpawner does not

MALFORMED = PODS.parent / "malformed-profiles"
#: fixture → (line, column) of the finding, and whether every spawn fails (the profile list
#: cannot be prepared) or only the spawns of the broken profile or choice (user options).
MALFORMED_PROFILES = {
    "profile-not-a-mapping.yaml": ((5, 7), None),
    "profile-without-a-name.yaml": ((5, 7), None),
    "profile-options-as-a-list.yaml": ((6, 7), None),
    "option-not-a-mapping.yaml": ((7, 9), None),
    "choices-as-a-list.yaml": ((9, 11), None),
    "choice-not-a-mapping.yaml": ((10, 13), None),
    "unlisted-choice-not-a-mapping.yaml": ((9, 11), None),
    "override-not-a-mapping.yaml": ((6, 7), {"profile": "broken"}),
    "override-null.yaml": ((6, 7), {"profile": "broken"}),
    "profile-options-null.yaml": ((6, 7), None),
    "unlisted-choice-null.yaml": ((9, 11), None),
    "choice-not-a-mapping-after-the-default.yaml": (
        (14, 13),
        {"profile": "broken", "image": "scipy"},
    ),
}


@pytest.mark.parametrize("fixture", sorted(MALFORMED_PROFILES))
def test_malformed_profile_is_a_spawn_failure_at_its_line(fixture: str) -> None:
    (line, column), only = MALFORMED_PROFILES[fixture]
    result = run(MALFORMED / fixture, select={"z2jh"})
    assert brief(result.findings) == [("z2jh-spawn-failure", line, column)]
    says = "no user can spawn" if only is None else "fails"
    assert result.findings[0].message.endswith(says), result.findings[0].message


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
@pytest.mark.parametrize("fixture", sorted(MALFORMED_PROFILES))
def test_kubespawner_refuses_the_spawns_nblint_says_fail(
    fixture: str, chart_version: str, request: pytest.FixtureRequest
) -> None:
    oracle = oracle_for(request, chart_version)
    release = release_for(fixture, chart_version, MALFORMED)
    config = oracle_config(release)
    _, only = MALFORMED_PROFILES[fixture]
    if only is None:  # nothing spawns, not even the well-formed profile
        assert oracle.refusal(config, {"profile": "ok"})
    else:
        assert oracle.pod(config, {"profile": "ok"})["metadata"]["name"]
        assert oracle.refusal(config, only)


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_the_profile_shape_in_the_fix_hint_spawns(
    chart_version: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from nblint.dialects.z2jh.validate import PROFILE_SHAPE_FIX

    (tmp_path / "fixed.yaml").write_text(PROFILE_SHAPE_FIX + "\n")
    assert run(tmp_path / "fixed.yaml", select={"z2jh"}).findings == []
    release = release_for("fixed.yaml", chart_version, tmp_path)
    oracle = oracle_for(request, chart_version)
    for selection in selections(chart_traits(release.values, chart_version, RELEASE_NAME)):
        options = {"profile": selection.slug, **selection.options}
        assert oracle.pod(oracle_config(release), options)["spec"]["containers"]


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_kubespawner_refuses_a_profile_list_given_as_text(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """What `z2jh-wrong-type` says of `hub.config.KubeSpawner.profile_list: small`."""
    refusal = oracle_for(request, chart_version).refusal(
        {"KubeSpawner": {"profile_list": "small"}}, {}
    )
    assert refusal.startswith("TraitError: The 'profile_list' trait"), refusal


def test_a_home_volume_without_a_name_among_named_volumes_fails_every_spawn(
    request: pytest.FixtureRequest,
) -> None:
    folder = PODS.parent / "malformed-storage"
    fixture = folder / "dynamic-null-with-extra-mounts.yaml"
    result = run(fixture, chart_version="4.4.0", select={"z2jh"})
    assert brief(result.findings) == [("z2jh-spawn-failure", 4, 3), ("z2jh-spawn-failure", 4, 3)]
    assert "cannot compare its keys (null and str" in result.findings[0].message
    release = release_for(fixture.name, "4.4.0", folder)
    refusal = oracle_for(request, "4.4.0").refusal(oracle_config(release), {})
    # The oracle speaks JSON, which writes the null key as "null": KubeSpawner then sorts the
    # keys and stops one step later, at the volume with no name. Either way nothing spawns.
    assert refusal.startswith("ValueError: Invalid value for `name`, must not be `None`"), refusal


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_kubespawner_refuses_a_cmd_given_as_a_number(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """What `z2jh-wrong-type` says of `hub.config.Spawner.cmd: 5`."""
    refusal = oracle_for(request, chart_version).refusal({"Spawner": {"cmd": 5}}, {})
    assert refusal.startswith("TraitError: The 'cmd' trait"), refusal


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_a_supplemental_group_int_cannot_read_fails_the_spawns_of_its_profile(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """traitlets takes `supplemental_gids` as a list of anything; KubeSpawner's pod builder
    int()s each item, and "render" stops the spawn there (the quoted "110" is group 110)."""
    folder = PODS.parent / "trait-values"
    fixture = folder / "supplemental-gids-not-a-number.yaml"
    result = run(fixture, chart_version=chart_version, select={"z2jh", "internal-error"})
    assert brief(result.findings) == [("z2jh-spawn-failure", 9, 13)]
    kubespawner = "7.0.0" if chart_version.startswith("4.") else "6.2.0"
    assert result.findings[0].message == (
        f"KubeSpawner {kubespawner} makes each item of `supplemental_gids` a group id with int(), "
        "which fails on 'render': every spawn with it fails; write the group's number"
    )
    assert [f.profile for f in result.findings] == ["Intel GPU"]
    release = release_for(fixture.name, chart_version, folder)
    oracle = oracle_for(request, chart_version)
    refusal = oracle.refusal(oracle_config(release), {"profile": "intel-gpu"})
    assert refusal.startswith("ValueError: invalid literal for int()"), refusal
    pod = oracle.pod(oracle_config(release), {"profile": "small"})
    assert pod["spec"]["securityContext"]["supplementalGroups"] == [100]


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_values_traitlets_takes_are_checked_and_drawn_as_kubespawner_converts_them(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """Quoted group ids, 0/1 for booleans, an integer or true for a CPU count: no finding
    (test_nblint_pod_equals_kubespawner_pod holds the drawn pods to the real KubeSpawner's),
    and the pods of the run are drawn with them, not without them."""
    fixture = PODS / "trait-values-traitlets-takes.yaml"
    result = run(fixture, chart_version=chart_version, select={"z2jh", "internal-error"})
    assert brief(result.findings) == []
    drawn = {pod.profile: pod.pod["spec"] for pod in result.pods}
    gpu, small = drawn["Intel GPU"], drawn["Small"]
    assert gpu["securityContext"]["supplementalGroups"] == [110, 44]
    assert small["securityContext"]["supplementalGroups"] == [100, 44]
    assert gpu["automountServiceAccountToken"] is True
    assert gpu["containers"][0]["resources"]["limits"]["cpu"] == 2.0
    assert small["containers"][0]["resources"]["requests"]["cpu"] == 1.0
    assert small["containers"][0]["securityContext"] == {
        "runAsUser": 1000,
        "allowPrivilegeEscalation": False,
    }
    release = release_for(fixture.name, chart_version)
    expected = oracle_for(request, chart_version).pod(oracle_config(release), {"profile": "small"})
    assert expected["spec"]["containers"][0]["securityContext"] == {
        "runAsUser": 1000,
        "allowPrivilegeEscalation": False,
    }


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_a_number_in_args_or_cmd_is_refused_as_nblint_reports(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """`args` is List(Unicode()) and `cmd` a Command (a string or a list of strings)."""
    folder = PODS.parent / "trait-values"
    fixture = folder / "list-of-strings-with-a-number.yaml"
    result = run(fixture, chart_version=chart_version, select={"z2jh", "internal-error"})
    assert brief(result.findings) == [("z2jh-wrong-type", 5, 7), ("z2jh-wrong-type", 10, 9)]
    assert result.findings[0].message == (
        "`args` in `hub.config.KubeSpawner` must be a list of strings, not "
        "['--ServerApp.port', 8888]: KubeSpawner refuses it and every spawn with it fails"
    )
    release = release_for(fixture.name, chart_version, folder)
    oracle = oracle_for(request, chart_version)
    config = oracle_config(release)
    assert oracle.refusal(config, {"profile": "small"}).startswith("TraitError: The 'args' trait")
    del config["KubeSpawner"]["args"]
    refusal = oracle.refusal(config, {"profile": "custom-start"})
    assert refusal.startswith("TraitError: The 'cmd' trait"), refusal


@pytest.mark.parametrize("chart_version", sorted(KUBESPAWNER_OF_CHART))
def test_deprecated_env_of_an_override_reaches_the_pod_as_kubespawner_builds_it(
    chart_version: str, request: pytest.FixtureRequest
) -> None:
    """JupyterHub's ``Spawner.env`` is no configurable trait, but ``_apply_overrides`` sets it
    and ``get_env`` merges it: its variables are in the pod, under those of ``environment``."""
    release = release_for("profile-deprecated-env.yaml", chart_version)
    (pod,) = build_pods(release)
    expected = oracle_for(request, chart_version).pod(
        oracle_config(release), {"profile": "generic-hep"}
    )

    def variables(built: dict[str, Any]) -> dict[str, Any]:
        notebook = built["spec"]["containers"][0]
        return {e["name"]: e.get("value") for e in notebook["env"] if e["name"] in WRITTEN}

    WRITTEN = {"LCG_VERSION", "SHARED"}
    assert (
        variables(pod.pod)
        == variables(expected)
        == {
            "LCG_VERSION": "105",
            "SHARED": "from-environment",
        }
    )
