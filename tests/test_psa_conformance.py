"""nblint agrees with Kubernetes' own Pod Security Admission conformance fixtures.

* ``psa/MANIFEST.tsv``: every pass fixture gives no PSA finding, every fail fixture gives exactly
  the set of checks in its ``violations`` column, at its level and version.
* ``psa-all``: every level and policy version v1.0 to v1.37, pass/fail by directory.
"""

from __future__ import annotations

import csv
from functools import cache

import pytest
from conftest import FIXTURES, SHARED, needs_shared

from nblint.model.rule import PsaPolicy, parse_version
from nblint.run.pipeline import Options, Runner

PSA = FIXTURES / "psa"
PSA_ALL = FIXTURES / "psa-all"


@cache
def runner(level: str, version: str) -> Runner:
    # Only the PSA checks (and read errors): the notebook checklist is not upstream's business.
    select = {"psa-baseline", "psa-restricted", "nblint"}
    return Runner(Options(PsaPolicy(level, parse_version(version)), select))


def violated_checks(level: str, version: str, path: str) -> tuple[set[str], list[str]]:
    result = runner(level, version).run([path])
    checks = {f.psa.check for f in result.findings if f.psa}
    psa_versions = {f.psa.version for f in result.findings if f.psa}
    assert psa_versions <= {version}
    # Upstream's fixtures run the pause image, which is no notebook (workloads table): that info
    # is not a check. Nor is `invalid-name`: upstream names its objects after the checks
    # (`capabilities_baseline0`), which the API server's name validation refuses but PSA, which
    # upstream's tests run alone, never reads.
    others = [
        f"{f.rule}: {f.message}"
        for f in result.findings
        if not f.psa and f.rule not in ("workload-not-a-notebook", "invalid-name")
    ]
    return checks, others


def manifest_rows() -> list[dict[str, str]]:
    with open(PSA / "MANIFEST.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.mark.parametrize(
    "row", manifest_rows(), ids=lambda row: row["path"].removeprefix("conformance/psa/")
)
def test_manifest_fixture_gives_exactly_the_expected_checks(row: dict[str, str]) -> None:
    path = PSA / row["path"].removeprefix("conformance/psa/")
    expected = set(filter(None, row["violations"].split(";")))
    checks, others = violated_checks(row["level"], row["version"], str(path))
    assert checks == expected
    assert others == []


def all_versions_index() -> list[dict[str, str]]:
    with open(PSA_ALL / "index.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_policy_version_agrees_with_upstream_pass_fail() -> None:
    disagreements = []
    rows = all_versions_index()
    assert len(rows) == 4537
    for row in rows:
        path = PSA_ALL / "objects" / f"{row['object']}.yaml"
        checks, others = violated_checks(row["level"], row["version"], str(path))
        if (row["expected"] == "pass") == bool(checks) or others:
            disagreements.append(f"{row['level']}/{row['version']}/{row['expected']}/{row['name']}")
    assert disagreements == []


@needs_shared
def test_shared_psa_all_is_what_the_fixtures_hold() -> None:
    """The content-addressed copy really is ../shared/conformance/psa-all, file for file."""
    import hashlib

    for row in all_versions_index():
        original = (
            SHARED / "conformance" / "psa-all" / row["level"] / row["version"] / row["expected"]
        ) / row["name"]
        digest = hashlib.sha256(original.read_bytes()).hexdigest()[:16]
        assert digest == row["object"], original


def test_restricted_replaces_baseline_checks_from_their_versions() -> None:
    """Below v1.22 a restricted namespace still runs capabilities_baseline."""
    pod = PSA_ALL / "objects"
    rows = {
        (r["level"], r["version"], r["expected"], r["name"]): r["object"]
        for r in all_versions_index()
    }
    fixture = pod / f"{rows[('restricted', 'v1.21', 'fail', 'capabilities_baseline0.yaml')]}.yaml"
    assert violated_checks("restricted", "v1.21", str(fixture))[0] == {"capabilities_baseline"}
    assert "capabilities_restricted" in violated_checks("restricted", "v1.22", str(fixture))[0]
