"""z2jh nested deeper than detection looks (``a.b.jupyterhub``) is a warning naming the
``--values-root`` to give, never a silent pass (issue 16)."""

from __future__ import annotations

from conftest import FIXTURES, run

ROOTS = FIXTURES / "z2jh" / "values-root"


def test_three_levels_down_is_a_warning_naming_the_root() -> None:
    result = run(ROOTS / "nested-three-levels.yaml")
    assert [(f.rule, f.line, f.severity) for f in result.findings] == [
        ("z2jh-values-root", 4, "warning")
    ]
    assert "`--values-root platform.analytics.jupyterhub`" in result.findings[0].message
    assert result.pod_count == 0


def test_with_that_root_the_pods_are_built_and_checked() -> None:
    result = run(ROOTS / "nested-three-levels.yaml", values_root="platform.analytics.jupyterhub")
    assert result.pod_count == 1
    assert "z2jh-values-root" not in {f.rule for f in result.findings}


def test_one_z2jh_looking_key_deep_in_another_chart_is_not_z2jh() -> None:
    result = run(ROOTS / "other-chart-with-a-hub.yaml")
    assert result.findings == []
    assert result.pod_count == 0
