"""Values for another JupyterHub chart (Bitnami's): said once, at their root, not read as z2jh's
(which would be a page of untrue unknown-key and pod findings)."""

from __future__ import annotations

from typing import Any

from conftest import FIXTURES, run

from nblint.dialects.z2jh.other_charts import BITNAMI_KEYS
from nblint.dialects.z2jh.values import chart_versions, values_schema

OTHER = FIXTURES / "z2jh" / "other-chart"


def found(path: Any) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in run(path).findings]


def test_values_with_bitnami_keys_are_said_unchecked_once() -> None:
    result = run(OTHER / "bitnami-values.yaml")
    assert [(f.rule, f.line, f.severity) for f in result.findings] == [
        ("z2jh-other-chart", 2, "info")
    ]
    assert result.findings[0].message.startswith(
        "`hub.adminUser`, `hub.password`, `singleuser.containerSecurityContext.enabled` and 4 more "
        "are keys of Bitnami's jupyterhub chart, not of z2jh"
    )
    assert result.pod_count == 0


def test_bitnami_s_proxy_services_and_ingress_are_bitnami_keys() -> None:
    # Field test 22a D4: `proxy.service.public` and `proxy.ingress` are Bitnami's only.
    result = run(OTHER / "bitnami-proxy-keys.yaml")
    assert [(f.rule, f.line, f.severity) for f in result.findings] == [
        ("z2jh-other-chart", 3, "info")
    ]
    assert result.findings[0].message.startswith(
        "`proxy.service.public`, `proxy.ingress` are keys of Bitnami's jupyterhub chart"
    )


def test_one_bitnami_key_in_z2jh_values_is_a_z2jh_mistake() -> None:
    # (So are securityContexts under singleuser without Bitnami's `enabled` switch: the seed
    # file's mistakes, test_z2jh_validate.)
    result = run(OTHER / "one-bitnami-key.yaml", select={"z2jh"})
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-unknown-key", 6, 3)]


def test_an_umbrella_chart_that_installs_bitnamis_chart_is_not_z2jh() -> None:
    result = run(OTHER / "bitnami-umbrella" / "values.yaml")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-other-chart", 2, 1)]
    assert result.findings[0].message.startswith(
        f"{OTHER / 'bitnami-umbrella' / 'Chart.yaml'} installs `jupyterhub` from Bitnami's "
        "repository, not z2jh's"
    )


def _is_z2jh_key(schema: dict[str, Any], path: tuple[str | int, ...]) -> bool:
    node = schema
    for part in path:
        properties = node.get("properties") or {}
        if part not in properties:
            return False
        node = properties[part]
    return True


def test_no_bitnami_key_is_a_z2jh_key_in_any_release() -> None:
    for version in chart_versions():
        schema = values_schema(version)
        assert [key for key in BITNAMI_KEYS if _is_z2jh_key(schema, key)] == [], version
