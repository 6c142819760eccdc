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


def test_a_layer_whose_only_key_is_an_old_z2jh_key_is_z2jh_values_helm_refuses() -> None:
    """Field test 5a, D12: it passed as "1 other document skipped"."""
    result = run(ROOTS / "layer-with-only-a-moved-key.yaml", select={"z2jh-unknown-key"})
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-unknown-key", 5, 3)]
    assert "so helm would refuse the release" in result.findings[0].message
    assert result.pod_count == 1
    for version in ("3.0.0", "3.3.8", "4.0.0", "4.4.0"):
        again = run(
            ROOTS / "layer-with-only-a-moved-key.yaml",
            select={"z2jh-unknown-key"},
            chart_version=version,
        )
        assert [f.rule for f in again.findings] == ["z2jh-unknown-key"], version


def test_the_keys_that_say_z2jh_without_being_z2jh_keys_are_moved_keys() -> None:
    """The signature keys of `singleuser` that no release takes are keys moved-keys.yaml names
    (moved or removed: z2jh-unknown-key says what became of them), and none is Bitnami's."""
    import yaml

    from nblint.dialects.z2jh.other_charts import BITNAMI_KEYS
    from nblint.dialects.z2jh.root import SIGNATURE_KEYS
    from nblint.dialects.z2jh.values import chart_versions, values_schema
    from nblint.model.data import data_dir

    in_a_release = set()
    for version in chart_versions():
        in_a_release |= set(values_schema(version)["properties"]["singleuser"]["properties"])
    not_z2jh = SIGNATURE_KEYS["singleuser"] - in_a_release
    with open(f"{data_dir('schemas')}/z2jh/moved-keys.yaml", encoding="utf-8") as handle:
        table = yaml.safe_load(handle)
    named = {**table["moved"], **table["removed"]}
    assert not_z2jh, "the test has nothing to check"
    for key in not_z2jh:
        assert f"singleuser.{key}" in named, key
        assert ("singleuser", key) not in {k[:2] for k in BITNAMI_KEYS}, key
