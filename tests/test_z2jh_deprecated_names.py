"""Deprecated KubeSpawner names (``image_spec``, ``singleuser_uid``…), applied as KubeSpawner
applies them (issue 16).

KubeSpawner 6.x and 7.x keep ``_deprecated_traits``: in a profile's ``kubespawner_override`` an
old name is a property that sets the new trait; in the hub's ``c.KubeSpawner`` section an old
name moves to the new one unless that is set there too (by the chart included), and is ignored
otherwise. The names are derived from each KubeSpawner release (``schemas/z2jh/derive.py``);
``test_the_bundled_names_are_the_installed_kubespawner_s`` checks them against the real ones, and
``tests/fixtures/z2jh/end-to-end/deprecated-*.yaml`` the pods against the real hub.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import FIXTURES, only_pod, run
from test_z2jh_kubespawner import _cache_dir, install_kubespawner

from nblint.dialects.z2jh.values import deprecated_aliases, traits_of_kubespawner

ALIASES = FIXTURES / "z2jh" / "aliases"


def test_image_spec_in_a_profile_sets_the_image_at_its_line() -> None:
    result = run(ALIASES / "profile-image-spec.yaml", select={"notebook-image-pinned", "z2jh"})
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("z2jh-deprecated-trait", 6, None),  # it works, with a warning at every spawn
        ("notebook-image-pinned", 6, "Latest PyTorch"),
    ]
    pod = only_pod(result)
    assert pod.pod["spec"]["containers"][0]["image"] == "quay.io/jupyter/pytorch-notebook:latest"


@pytest.mark.parametrize("chart_version", ["3.3.8", "4.4.0"])
def test_image_spec_beside_the_chart_s_image_is_ignored_and_said(chart_version: str) -> None:
    result = run(
        ALIASES / "hub-config-image-spec-beside-image.yaml",
        select={"z2jh-unknown-trait"},
        chart_version=chart_version,
    )
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("z2jh-unknown-trait", 6, None)
    ]
    assert "`singleuser.image` (through the chart) already sets" in result.findings[0].message
    pod = only_pod(result)
    assert pod.pod["spec"]["containers"][0]["image"] == "quay.io/jupyter/base-notebook:2024-10-07"


def test_image_spec_alone_in_hub_config_sets_the_image() -> None:
    result = run(ALIASES / "hub-config-image-spec-alone.yaml", select={"notebook-image-pinned"})
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("notebook-image-pinned", 5, None)
    ]


_READ = """
import json, sys
if sys.argv[1]:
    sys.path.insert(0, sys.argv[1])
from kubespawner import KubeSpawner
print(json.dumps({old: new for old, (new, _) in KubeSpawner._deprecated_traits.items()}))
"""


def _installed_aliases(search_first: str) -> dict[str, str]:
    out = subprocess.check_output([sys.executable, "-c", _READ, search_first], text=True)
    return json.loads(out)  # type: ignore[no-any-return]


@pytest.mark.parametrize("bundled", ["7.0.0", "6.2.0"])
def test_the_bundled_names_are_the_installed_kubespawner_s(
    bundled: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Each major version's names, from the real package (7.x: the test dependency; 6.2.0:
    installed into pytest's cache, skipped offline). Every old name nblint knows is one
    KubeSpawner has, and every one KubeSpawner has is known unless it names no trait."""
    if bundled.startswith("7"):
        search_first = ""
    else:
        search_first = str(install_kubespawner(bundled, _cache_dir(request, tmp_path_factory)))
    real = _installed_aliases(search_first)
    ours = deprecated_aliases(bundled)
    traits = traits_of_kubespawner(bundled)
    assert {old: new for old, new in real.items() if new in traits or new in real} == ours
    assert list(ours) == [old for old in real if old in ours]  # KubeSpawner's own order
    assert ours["image_spec"] == "image"


def test_every_bundled_release_has_its_names() -> None:
    for version in ("6.0.0", "6.1.0", "6.2.0", "7.0.0"):
        assert deprecated_aliases(version)["singleuser_uid"] == "uid"


DEPRECATED = "z2jh-deprecated-trait"


def test_an_old_name_moved_in_hub_config_is_a_warning_with_its_new_name() -> None:
    # Both passed in silence, and the second (an old name of an old name) set no image.
    result = run(ALIASES / "hub-config-deprecated-names.yaml", select={"z2jh"})
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        (DEPRECATED, 7, 7, "warning"),
        (DEPRECATED, 8, 7, "warning"),
    ]
    moved, chained = result.findings
    assert moved.message == (
        "`singleuser_working_dir` in hub.config.KubeSpawner is a deprecated name of "
        "`working_dir`: KubeSpawner 7.0.0 moves its value there, warning in the hub's log, and a "
        "later release may drop the name"
    )
    assert moved.fix == "Rename `singleuser_working_dir` to `working_dir`."
    assert chained.fix == "Rename `singleuser_image_spec` to `image`."
    notebook = only_pod(result).pod["spec"]["containers"][0]
    assert notebook["image"] == "quay.io/jupyter/pytorch-notebook:2024-10-07"
    assert notebook["workingDir"] == "/home/jovyan/work"


def test_old_names_and_hub_state_in_an_override_are_warnings() -> None:
    result = run(ALIASES / "profile-deprecated-names-and-hub-state.yaml", select={"z2jh"})
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        (DEPRECATED, 8, 9, "warning"),
        (DEPRECATED, 9, 9, "warning"),
        (DEPRECATED, 10, 9, "warning"),
    ]
    image, privileged, state = result.findings
    assert image.message.startswith(
        "`image_spec` in the `kubespawner_override` of profile 'Old names' is a deprecated name "
        "of `image` in KubeSpawner 7.0.0: it still sets `image`"
    )
    assert image.fix == "Rename `image_spec` to `image`."
    assert privileged.fix == "Rename `singleuser_privileged` to `privileged`."
    assert "the hub's own state of a spawn" in state.message
    # The old names still apply.
    notebook = only_pod(result).pod["spec"]["containers"][0]
    assert notebook["image"] == "quay.io/jupyter/scipy-notebook:2024-10-07"
