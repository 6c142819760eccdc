"""A null on a KubeSpawner trait whose traitlets type does not allow None (``image``,
``start_timeout``) is refused when the hub loads its section or an override sets it: the spawn
fails. A null on one that allows it (``uid``, ``cpu_limit``) is fine, and a null the chart would
write (``singleuser.cpu.limit: null``) it never passes on. Which traits refuse None is derived
from the packages (``allow_none``, ``schemas/z2jh/derive.py --spawner``); the end-to-end
fixtures ``null-on-*.yaml`` check it against the real hub of every release.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run

from nblint.dialects.z2jh.values import null_refused_traits

VALUES = FIXTURES / "z2jh" / "trait-values"


def test_a_null_image_in_an_override_fails_that_profile_s_spawns() -> None:
    result = run(VALUES / "null-in-an-override.yaml", select={"z2jh"})
    assert [(f.rule, f.line, f.column, f.profile) for f in result.findings] == [
        ("z2jh-spawn-failure", 16, 9, "B")
    ]
    assert result.findings[0].message == (
        "`image` is null, which KubeSpawner 7.0.0 refuses (its trait does not allow None): the "
        "spawn fails"
    )


@pytest.mark.parametrize("chart_version", ["3.3.8", "4.4.0"])
def test_a_null_in_the_hub_s_section_fails_every_spawn(chart_version: str) -> None:
    result = run(
        VALUES / "null-in-the-hub-section.yaml", select={"z2jh"}, chart_version=chart_version
    )
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-spawn-failure", 7, 7)]
    assert result.findings[0].message.startswith("`start_timeout` is null")


def test_every_release_knows_which_traits_refuse_none() -> None:
    for chart_version in ("3.0.3", "3.3.8", "4.0.0", "4.4.0"):
        refused = null_refused_traits(chart_version)
        assert {"image", "start_timeout", "profile_list"} <= refused
        assert not {"uid", "cpu_limit", "mem_limit", "fs_gid"} & refused
