"""The manifest fix of every PSA finding works: applied to each failing upstream conformance
fixture (restricted and baseline, v1.37), the fixture passes.

The hints are strategic-merge patches of the pod template (see ``test_fix_roundtrip.py``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, run
from test_fix_roundtrip import apply_fix

PSA = FIXTURES / "psa"
PSA_GROUPS = {"psa-baseline", "psa-restricted"}


def failing_fixtures() -> list[tuple[str, str, Path]]:
    with open(PSA / "MANIFEST.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [
        (row["level"], row["version"], PSA / row["path"].removeprefix("conformance/psa/"))
        for row in rows
        if row["expected"] == "fail" and row["version"] == "v1.37"
    ]


CASES = failing_fixtures()


@pytest.mark.parametrize(
    ("level", "version", "fixture"), CASES, ids=[f"{c[0]}-{c[2].stem}" for c in CASES]
)
def test_psa_fix_hints_make_the_fixture_pass(
    tmp_path: Path, level: str, version: str, fixture: Path
) -> None:
    before = run(fixture, level=level, version=version, select=PSA_GROUPS)
    assert before.findings
    document = yaml.safe_load(fixture.read_text())
    advice = []
    for finding in before.findings:
        assert finding.fix, f"{finding.rule} gives no manifest fix"
        patch = yaml.safe_load(finding.fix)
        if patch is None:
            # Advice only, never applied: a hostPath of the node's own (/dev/null) that no
            # admissible volume can stand in for (a privileged namespace, or do without it).
            assert finding.applicability == "display-only"
            advice.append((finding.rule, finding.message))
            continue
        document = apply_fix("manifest", document, patch, finding)
    path = tmp_path / fixture.name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    after = run(path, level=level, version=version, select=PSA_GROUPS)
    assert [(f.rule, f.message) for f in after.findings] == advice


@pytest.mark.parametrize("chart_version", ["4.4.0", "3.3.8"])
def test_z2jh_chart_defaults_become_restricted_clean_by_following_each_fix(
    tmp_path: Path, chart_version: str
) -> None:
    """The z2jh hints of every PSA finding on the chart's own defaults, applied once, are enough."""
    values: dict = {
        "singleuser": {"image": {"name": "quay.io/jupyter/base-notebook", "tag": "2024-10-07"}}
    }
    path = tmp_path / "values.yaml"
    path.write_text(yaml.safe_dump(values))
    before = run(path, select=PSA_GROUPS, chart_version=chart_version)
    assert {(f.rule, f.container) for f in before.findings} >= {
        ("privileged", "block-cloud-metadata"),
        ("run-as-non-root", "notebook"),
        ("seccomp-profile-restricted", "notebook"),
        ("capabilities-restricted", "notebook"),
    }
    for finding in before.findings:
        values = apply_fix("z2jh", values, yaml.safe_load(finding.fix), finding)
    path.write_text(yaml.safe_dump(values))
    after = run(path, select=PSA_GROUPS, chart_version=chart_version)
    assert [(f.rule, f.container, f.message) for f in after.findings] == []
