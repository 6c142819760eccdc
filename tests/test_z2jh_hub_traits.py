"""Trait names of the ``hub.config`` sections of JupyterHub and the hub image's authenticators,
and of ``hub.extraConfig`` settings (issue 16), checked against the traits of the packages each
release's hub image installs (``schemas/z2jh/hub-traits.json``, derived by
``schemas/z2jh/derive.py --hub``)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run
from test_z2jh_kubespawner import _UNREACHABLE, _cache_dir

from nblint.dialects.z2jh.values import hub_classes, hub_image

HUB = FIXTURES / "z2jh" / "hub-traits"


def found(name: str) -> list[tuple[str, int, str]]:
    result = run(HUB / name, select={"z2jh-unknown-trait"})
    return [(f.rule, f.line, f.message) for f in result.findings]


def test_a_chart_key_written_as_a_jupyterhub_trait_is_ignored_and_said() -> None:
    (chart_key, typo) = found("jupyterhub-chart-key-as-trait.yaml")
    assert chart_key[:2] == ("z2jh-unknown-trait", 6)
    assert chart_key[2].startswith(
        "`namedServerLimitPerUser` is not a trait of JupyterHub (JupyterHub 5.5.0, z2jh 4.4.0): "
        "the hub ignores it, so the setting has no effect; did you mean "
        "`named_server_limit_per_user`?"
    )
    assert "`hub.namedServerLimitPerUser` is the chart's own key for it" in chart_key[2]
    assert typo[:2] == ("z2jh-unknown-trait", 8)
    assert "did you mean `allowed_organizations`?" in typo[2]


def test_names_the_hub_reads_pass_and_unknown_classes_are_left_alone() -> None:
    assert found("known-names.yaml") == []


def test_a_misspelt_extra_config_setting_is_said_at_its_statement() -> None:
    assert [f[:2] for f in found("extra-config-jupyterhub-typo.yaml")] == [
        ("z2jh-unknown-trait", 5)
    ]


def test_every_release_knows_its_authenticators() -> None:
    for version in ("3.0.0", "3.3.8", "4.0.0", "4.4.0"):
        classes = hub_classes(version)
        assert "allowed_organizations" in classes["GitHubOAuthenticator"]["traits"]
        assert "Authenticator" in classes["GitHubOAuthenticator"]["bases"]
        assert "named_server_limit_per_user" in classes["JupyterHub"]["traits"]


_READ = """
import json, sys
sys.path.insert(0, sys.argv[1])
import jupyterhub
from jupyterhub.app import JupyterHub
from jupyterhub.auth import Authenticator, DummyAuthenticator
print(json.dumps({"version": jupyterhub.__version__, "classes": {
    c.__name__: sorted(c.class_trait_names(config=True))
    for c in (JupyterHub, Authenticator, DummyAuthenticator)}}))
"""


def test_the_bundled_traits_are_the_installed_jupyterhub_s(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The newest release's JupyterHub, from the real package (installed into pytest's cache,
    without dependencies: the test venv's serve; skipped offline)."""
    version = hub_image("4.4.0")["jupyterhub"]
    target = _install(f"jupyterhub=={version}", _cache_dir(request, tmp_path_factory))
    real = json.loads(subprocess.check_output([sys.executable, "-c", _READ, str(target)]))
    assert real["version"] == version
    ours = hub_classes("4.4.0")
    for name, traits in real["classes"].items():
        assert sorted(ours[name]["traits"]) == traits, name


def _install(requirement: str, cache: Path) -> Path:
    target = cache / requirement.replace("==", "-")
    if target.is_dir():
        return target
    partial = cache / (target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    pip = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--retries", "2", "--timeout", "30", "--target", str(partial)),
            requirement,
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if pip.returncode != 0:
        said = [line for line in pip.stderr.splitlines() if any(w in line for w in _UNREACHABLE)]
        if said:
            pytest.skip(f"pip cannot reach the package index to install {requirement}")
        pytest.fail(f"pip install {requirement} failed:\n{pip.stderr}")
    partial.rename(target)
    return target


def hub_code_and_traits(name: str, **dialect: Any) -> list[tuple[str, int, str]]:
    selected = {"z2jh-unknown-trait", "z2jh-hub-code"}
    result = run(HUB / name, select=selected, **dialect)
    return [(f.rule, f.line, f.severity) for f in result.findings]


def test_with_a_hub_image_of_its_own_an_unknown_hub_trait_is_unknown_not_an_error() -> None:
    """Field test 5a, D9: the hub runs `gesiscss/k8s-hub-orc`, whose authenticator nblint cannot
    see; traitlets hands `c.Authenticator.x` to any subclass that defines `x`."""
    assert hub_code_and_traits("custom-hub-image-authenticator.yaml") == [
        ("z2jh-hub-code", 9, "info"),
        # The camelCase of a JupyterHub trait is misspelt in any image.
        ("z2jh-unknown-trait", 11, "error"),
    ]
    first = run(HUB / "custom-hub-image-authenticator.yaml", select={"z2jh-hub-code"}).findings[0]
    assert first.message == (
        "`shibboleth_logout_url` is not a trait of Authenticator in the hub image of z2jh 4.4.0 "
        "(JupyterHub 5.5.0 and its authenticators), but the hub runs its own image "
        "`gesiscss/k8s-hub-orc`, whose packages nblint cannot see: a class there (a subclass of "
        "Authenticator, another version) may take it; if none does, the hub ignores it"
    )


def test_with_a_hub_image_of_its_own_an_unknown_jupyterhub_name_is_unknown() -> None:
    """Field test 19a, D2: a patched JupyterHub image may have the name (README: an info)."""
    assert hub_code_and_traits("own-hub-image-jupyterhub-trait.yaml") == [
        ("z2jh-hub-code", 9, "info"),
    ]
    (finding,) = run(HUB / "own-hub-image-jupyterhub-trait.yaml", select={"z2jh-hub-code"}).findings
    assert finding.message == (
        "`strict_session_ids` is not a trait of JupyterHub in the hub image of z2jh 4.4.0 "
        "(JupyterHub 5.5.0 and its authenticators), but the hub runs its own image "
        "`example/patched-jupyterhub`, whose packages nblint cannot see: a class there (a "
        "subclass of JupyterHub, another version) may take it; if none does, the hub ignores it"
    )


def test_with_a_spawner_class_of_its_own_an_unknown_jupyterhub_name_is_unknown() -> None:
    """Field test 19a, D2: the spawner class line, then the JupyterHub name, both infos."""
    assert hub_code_and_traits("own-spawner-class-jupyterhub-trait.yaml") == [
        ("z2jh-hub-code", 5, "info"),
        ("z2jh-hub-code", 6, "info"),
    ]


def test_with_a_hub_image_of_its_own_kubespawner_names_stay_the_chart_s() -> None:
    assert hub_code_and_traits("own-hub-image-kubespawner-trait.yaml") == [
        ("z2jh-hub-code", 9, "info"),
        ("z2jh-unknown-trait", 11, "error"),
    ]


def test_the_chart_s_own_hub_image_by_another_registry_name_is_still_known() -> None:
    assert hub_code_and_traits("stock-hub-image-authenticator.yaml") == [
        ("z2jh-unknown-trait", 7, "error")
    ]


def test_with_a_spawner_class_of_its_own_unknown_kubespawner_names_are_unknown() -> None:
    # `nvidia.com/gpu` names no trait of any class: still an error.
    assert hub_code_and_traits("custom-spawner-class-traits.yaml") == [
        ("z2jh-hub-code", 6, "info"),
        ("z2jh-hub-code", 8, "info"),
        ("z2jh-hub-code", 13, "info"),
        ("z2jh-unknown-trait", 14, "error"),
    ]


def test_with_a_hub_image_of_its_own_a_trait_of_another_kubespawner_is_unknown() -> None:
    assert hub_code_and_traits("custom-hub-image-kubespawner.yaml", chart_version="3.3.8") == [
        ("z2jh-hub-code", 9, "info"),
        ("z2jh-unknown-trait", 10, "error"),
    ]


def wrong_types(name: str) -> list[tuple[int, str]]:
    result = run(HUB / name, select={"z2jh-wrong-type"})
    return [(f.line, f.message) for f in result.findings]


def test_an_authenticator_trait_traitlets_refuses_stops_the_hub() -> None:
    # Field test 6a, D3: a `valueFrom` under client_id passed silently; LTI13Authenticator's own
    # client_id is a set of strings, not OAuthenticator's Unicode, and its list is taken.
    client_id, tls = wrong_types("authenticator-client-id-value-from.yaml")
    assert client_id == (
        7,
        "`client_id` in `hub.config.GitHubOAuthenticator` must be a string, not {valueFrom: "
        "{secretKeyRef: {name: jupyterhub-oauth, key: clientId}}}: traitlets refuses it when the "
        "hub builds its authenticator, so the hub does not start (`valueFrom` is a container's "
        "env syntax; `hub.config` is not read by Kubernetes)",
    )
    assert tls[0] == 11
    assert tls[1].startswith("`validate_server_cert` in `hub.config.GitHubOAuthenticator` must be")
    fix = run(HUB / "authenticator-client-id-value-from.yaml").findings
    hint = next(f.fix for f in fix if f.line == 7)
    assert "`hub.extraEnv.OAUTH_CLIENT_ID` takes this `valueFrom`" in (hint or "")


def test_a_kubespawner_timeout_written_as_text_fails_every_spawn() -> None:
    assert wrong_types("kubespawner-start-timeout-text.yaml") == [
        (
            5,
            "`start_timeout` in `hub.config.KubeSpawner` must be an integer, not '5 minutes': "
            "KubeSpawner refuses it and every spawn with it fails",
        ),
        (
            13,
            "`start_timeout` in the `kubespawner_override` of profile 'slow' must be an integer, "
            "not '10m': KubeSpawner refuses it and every spawn with it fails",
        ),
    ]
