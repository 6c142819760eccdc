"""KubeSpawner's traits as the hub of each chart has them: KubeSpawner inherits JupyterHub's
``Spawner``, so the names depend on both versions the hub image pins
(``schemas/z2jh/spawner-traits.json``, derived by ``schemas/z2jh/derive.py --spawner``). The
configurable ones are what ``hub.config.KubeSpawner`` may set; the others (``env``,
``user_options``…) only a profile's ``kubespawner_override`` sets (``_apply_overrides`` sets any
attribute)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import run
from test_z2jh_hub_traits import _install
from test_z2jh_kubespawner import _cache_dir, install_kubespawner

from nblint.dialects.z2jh.values import hub_image, kubespawner_traits, unconfigurable_traits

_READ = """
import json, sys
sys.path[:0] = sys.argv[1:]
import jupyterhub, kubespawner
from kubespawner import KubeSpawner
print(json.dumps({
    "versions": [jupyterhub.__version__, kubespawner.__version__],
    "config": sorted(KubeSpawner.class_trait_names(config=True)),
    "all": sorted(KubeSpawner.class_trait_names()),
}))
"""


def test_the_traits_of_the_newest_hub_are_those_of_its_real_packages(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The newest release's JupyterHub and KubeSpawner, installed into pytest's cache without
    dependencies (the test venv's serve; skipped offline)."""
    image = hub_image("4.4.0")
    cache = _cache_dir(request, tmp_path_factory)
    hub = _install(f"jupyterhub=={image['jupyterhub']}", cache)
    spawner = install_kubespawner(image["kubespawner"], cache)
    real = json.loads(
        subprocess.check_output([sys.executable, "-c", _READ, str(spawner), str(hub)])
    )
    assert real["versions"] == [image["jupyterhub"], image["kubespawner"]]
    assert sorted(kubespawner_traits("4.4.0")) == real["config"]
    assert sorted(unconfigurable_traits("4.4.0")) == sorted(set(real["all"]) - set(real["config"]))


def test_spawner_traits_of_a_newer_jupyterhub_are_not_the_older_hubs() -> None:
    """``group_overrides`` and ``poll_jitter`` came with JupyterHub 5 (z2jh 4.x),
    ``apply_user_options`` with 5.3 (z2jh 4.2.0); the KubeSpawner of chart 3.3.8 (6.2.0) runs on
    JupyterHub 4.1.6, which has none of them."""
    for name in ("group_overrides", "poll_jitter", "progress_ready_hook", "apply_user_options"):
        assert name not in kubespawner_traits("3.3.8")
        assert name in kubespawner_traits("4.4.0")
    assert "apply_user_options" not in kubespawner_traits("4.1.0")
    assert "apply_user_options" in kubespawner_traits("4.2.0")
    assert "env" in unconfigurable_traits("3.3.8")
    assert "env" not in kubespawner_traits("3.3.8")


def test_a_spawner_trait_of_a_newer_jupyterhub_is_ignored_by_an_older_hub(tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("hub:\n  config:\n    KubeSpawner:\n      group_overrides: {}\n")
    result = run(values, select={"z2jh-unknown-trait"}, chart_version="3.3.8")
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-unknown-trait", 4)]
    assert result.findings[0].message == (
        "`group_overrides` in `hub.config.KubeSpawner` is not a trait of KubeSpawner 6.2.0 (the "
        "hub of z2jh 3.3.8): it is silently ignored by the hub; it is a Spawner trait of a newer "
        "JupyterHub than the hub's 4.1.6: it exists in KubeSpawner 7.0.0 (z2jh 4.0.0 … 4.4.0)"
    )
    assert not run(values, select={"z2jh-unknown-trait"}, chart_version="4.4.0").findings
