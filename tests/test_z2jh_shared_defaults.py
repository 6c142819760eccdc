"""The chart's defaults are shared by every release of a run, not copied per values file: no
release may change them, and changing one release's values copies what it changes first."""

from __future__ import annotations

import copy

from conftest import FIXTURES, run

from nblint.dialects.z2jh.values import chart_defaults, chart_versions, coalesce, owned_parent

CHART_VERSIONS = chart_versions()


def test_checking_every_values_fixture_leaves_the_chart_defaults_as_shipped() -> None:
    shipped = {version: copy.deepcopy(chart_defaults(version)) for version in CHART_VERSIONS}
    inputs = sorted((FIXTURES / "z2jh").rglob("*.yaml"))
    for version in CHART_VERSIONS:
        result = run(*inputs, chart_version=version)
        assert any(pod.dialect == "z2jh" for pod in result.pods)
    assert {version: chart_defaults(version) for version in CHART_VERSIONS} == shipped


def test_a_default_section_is_copied_before_a_release_changes_it() -> None:
    chart = chart_defaults(CHART_VERSIONS[-1])
    values = coalesce({}, chart)
    assert values["singleuser"] is chart["singleuser"]  # shared until changed
    parent = owned_parent(values, chart, ("singleuser", "uid"))
    assert parent is values["singleuser"]
    assert parent is not chart["singleuser"]
    assert parent == chart["singleuser"]
