"""Differential tests: the pod nblint draws equals the pod the real KubeSpawner builds.

For each fixture under ``tests/fixtures/z2jh/pods/``, chart version and profile/option choice,
the oracle is ``jupyterhub-kubespawner`` itself (a test dependency), driven offline:

* a ``KubeSpawner`` is constructed with a mock user and hub, its Kubernetes client stubbed out;
* it is configured with the traits the chart's hub configuration sets (nblint's
  :func:`chart_traits`, with each value passed as written in the values, so that KubeSpawner's
  own trait validation — memory units, CPU floats, ``cmd`` strings — runs on it);
* the profile is selected through KubeSpawner's own ``load_user_options`` (slug matching,
  defaults, ``_apply_overrides`` merging) and the pod comes from ``get_pod_manifest``.

User templates are expanded symbolically on both sides (``{username}`` stays ``{username}``,
``{pvc_name}`` becomes the PVC name template), and the JupyterHub-provided env variables,
labels and annotations, which nblint does not model, are left out of the comparison.

Chart 3.3.8 ships KubeSpawner 6.2.0, whose pod builder (security contexts, volumes, overrides)
is the same as 7.x; the 3.x differences are in the hub's trait types (lists, not maps) and the
PVC claim name, which nblint's 3.x family produces and which are fed to KubeSpawner 7 as lists
(a form both versions accept). The trait mapping itself (values → traits) is pinned by
``tests/test_z2jh_pods.py``.
"""

from __future__ import annotations

import asyncio
import copy
from pathlib import Path
from typing import Any

import pytest

from nblint.load import files
from nblint.normalise.z2jh.pods import RELEASE_NAME, build_pods
from nblint.normalise.z2jh.profiles import selections
from nblint.normalise.z2jh.spawner import KUBESPAWNER_DEFAULTS, chart_traits, lookup
from nblint.normalise.z2jh.values import Release, build_release

kubespawner_spawner = pytest.importorskip("kubespawner.spawner")
k8s_client = pytest.importorskip("kubernetes_asyncio.client")

PODS = Path(__file__).parent / "fixtures" / "z2jh" / "pods"
FIXTURES = sorted(p.name for p in PODS.glob("*.yaml"))
#: Map-form extraVolumes exist from chart 4.3 on.
ONLY_4X = {"storage-extra-volumes-map.yaml"}
CASES = [
    (name, version)
    for name in FIXTURES
    for version in ("4.4.0", "3.3.8")
    if not (version == "3.3.8" and name in ONLY_4X)
]


class _Symbolic(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _expand_symbolically(self: Any, template: str, slug_scheme: Any = None) -> str:
    return template.format_map(_Symbolic(pvc_name=getattr(self, "pvc_name", "{pvc_name}")))


@pytest.fixture(autouse=True)
def offline_kubespawner(monkeypatch: pytest.MonkeyPatch) -> None:
    """KubeSpawner without a cluster: no kube config, no API client, symbolic user."""
    monkeypatch.setattr(kubespawner_spawner, "load_config", lambda **kw: None)
    monkeypatch.setattr(kubespawner_spawner, "shared_client", lambda *a, **kw: None)
    monkeypatch.setattr(
        kubespawner_spawner.KubeSpawner, "_expand_user_properties", _expand_symbolically
    )


def release_for(name: str, version: str) -> Release:
    loaded = files.load(str(PODS / name))
    release, problems = build_release([(str(PODS / name), loaded.documents[0].root)], (), version)
    assert not problems
    return release


def oracle_config(release: Release) -> Any:
    """The traitlets config the hub would hand KubeSpawner, values as written."""
    from traitlets.config import Config

    traits = chart_traits(release.values, release.chart_version, RELEASE_NAME)
    config = Config()
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
#: Traits whose written value traitlets converts (``2G`` → bytes, ``2`` → 2.0, str → [str]).
CONVERTED_BY_TRAITLETS = {"mem_limit", "mem_guarantee", "cpu_limit", "cpu_guarantee", "cmd"}


def kubespawner_pod(release: Release, user_options: dict[str, str]) -> dict[str, Any]:
    async def build() -> Any:
        spawner = kubespawner_spawner.KubeSpawner(_mock=True, config=oracle_config(release))
        spawner.user_options = user_options
        await spawner.load_user_options()
        pod = await spawner.get_pod_manifest()
        async with k8s_client.ApiClient() as api:
            return api.sanitize_for_serialization(pod)

    return asyncio.run(build())  # type: ignore[no-any-return]


def comparable(spec: dict[str, Any], env_names: set[str]) -> dict[str, Any]:
    """The spec without empty and null fields, and with only the env nblint models."""
    spec = copy.deepcopy(spec)
    for container in spec.get("containers", []):
        if container.get("name") == "notebook" and "env" in container:
            container["env"] = [e for e in container["env"] if e["name"] in env_names]
    return _prune(spec)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, {}, [])}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


@pytest.mark.parametrize(("name", "version"), CASES)
def test_nblint_pod_equals_kubespawner_pod(name: str, version: str) -> None:
    release = release_for(name, version)
    pods = build_pods(release)
    chosen = selections(chart_traits(release.values, version, RELEASE_NAME))
    assert len(pods) == max(len(chosen), 1)
    for pod, selection in zip(pods, chosen or [None], strict=True):
        options = {"profile": selection.slug, **selection.options} if selection else {}
        expected = kubespawner_pod(release, options)
        notebook = pod.spec["containers"][0]
        env_names = {e["name"] for e in notebook.get("env", [])}
        assert comparable(pod.spec, env_names) == comparable(expected["spec"], env_names), (
            f"{name} @ {version}, profile {pod.profile!r}, options {pod.options}"
        )


def test_profile_drawings_cover_every_choice() -> None:
    release = release_for("profiles.yaml", "4.4.0")
    drawn = [(p.profile, p.options) for p in build_pods(release)]
    assert drawn == [
        ("CPU notebook", None),
        ("GPU notebook", None),
        ("Pick an image", {"image": "r", "size": "small"}),
        ("Pick an image", {"image": "scipy", "size": "small"}),
        ("Pick an image", {"image": "r", "size": "large"}),
    ]


def test_kubespawner_defaults_are_the_installed_ones() -> None:
    spawner = kubespawner_spawner.KubeSpawner(_mock=True)
    for name, default in KUBESPAWNER_DEFAULTS.items():
        assert getattr(spawner, name) == default, name
