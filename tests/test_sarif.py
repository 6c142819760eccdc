"""``--format sarif``: a SARIF 2.1.0 log that GitHub code scanning accepts and tracks.

The OASIS schema is not Apache/BSD/MIT licensed, so it is not copied into the project: tests that
validate against it read it from ``../shared`` (``needs_shared``); the structural test below
checks, on every checkout, each property GitHub reads.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SHARED, needs_shared

from nblint.cli import main
from nblint.model.finding import Finding
from nblint.model.fingerprint import FINGERPRINT_KEY, PROBLEM_FINGERPRINT_KEY
from nblint.model.fold import fold
from nblint.model.result import RunResult as Result
from nblint.report import sarif

SARIF_FIXTURES = FIXTURES / "sarif"
OASIS_SCHEMA = SHARED / "upstream" / "sarif" / "sarif-schema-2.1.0.json"
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
CORPUS_FIXTURES = sorted(SARIF_FIXTURES.glob("corpus-*.yaml"))


def sarif_log(*args: str | Path) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["check", "--format", "sarif", *map(str, args)], catch_exceptions=False
    )
    assert result.exit_code in (0, 1), result.output
    log: dict[str, Any] = json.loads(result.stdout)
    return log


def validate_with_oasis_schema(log: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads(OASIS_SCHEMA.read_text())
    jsonschema.Draft4Validator(schema).validate(log)


def fixture(name: str) -> str:
    return str((SARIF_FIXTURES / name).relative_to(ROOT))


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# ---------------------------------------------------------------------------------------------
# Valid against the OASIS schema


@needs_shared
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_sarif_of_each_example_is_valid_against_the_oasis_schema(path: Path) -> None:
    validate_with_oasis_schema(sarif_log(path.relative_to(ROOT)))


@needs_shared
@pytest.mark.parametrize("path", CORPUS_FIXTURES, ids=lambda p: p.name)
def test_sarif_of_corpus_files_is_valid_against_the_oasis_schema(path: Path) -> None:
    log = sarif_log(path.relative_to(ROOT))
    assert log["runs"][0]["results"], "a corpus file with findings"
    validate_with_oasis_schema(log)


@needs_shared
def test_sarif_with_suppressed_notification_and_empty_results_is_valid() -> None:
    for args in (
        [fixture("compliant-pod.yaml")],
        [fixture("unparsable.yaml")],
        ["--show-suppressed", str((FIXTURES / "suppress" / "reasoned.yaml").relative_to(ROOT))],
    ):
        validate_with_oasis_schema(sarif_log(*args))


# ---------------------------------------------------------------------------------------------
# What GitHub reads


def test_run_lists_the_tool_and_every_active_rule_with_its_help() -> None:
    log = sarif_log("--ignore", "notebook", fixture("privileged-pod.yaml"))
    assert log["version"] == "2.1.0"
    assert log["$schema"].startswith("https://")
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "nblint"
    assert driver["semanticVersion"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(ids) and "privileged" in ids and "run-as-non-root" in ids
    for rule in driver["rules"]:
        assert rule["name"] and " " not in rule["name"]
        for key in ("shortDescription", "fullDescription"):
            assert 0 < len(rule[key]["text"]) <= 1024
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        tags = rule["properties"]["tags"]
        assert "security" in tags and len(tags) == len(set(tags)) <= 10
        assert 0.1 <= float(rule["properties"]["security-severity"]) <= 10.0
    privileged = driver["rules"][ids.index("privileged")]
    assert "privileged: false" in privileged["help"]["text"]
    assert "```yaml" in privileged["help"]["markdown"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_result_points_at_the_offending_key_with_a_repository_relative_uri() -> None:
    # (The fixture's allowPrivilegeEscalation: false beside privileged is its own finding.)
    log = sarif_log(
        "--ignore", "notebook,privileged-without-escalation", fixture("privileged-pod.yaml")
    )
    (run,) = log["runs"]
    (result,) = run["results"]
    rules = run["tool"]["driver"]["rules"]
    assert result["ruleId"] == "privileged"
    assert rules[result["ruleIndex"]]["id"] == "privileged"
    assert result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "tests/fixtures/sarif/privileged-pod.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    # `privileged: true` on line 13 from column 9; the end column is exclusive and stops
    # before the trailing comment.
    assert location["region"] == {
        "startLine": 13,
        "startColumn": 9,
        "endLine": 13,
        "endColumn": 9 + len("privileged: true"),
    }
    assert "%SRCROOT%" in run["originalUriBaseIds"]
    assert set(result["partialFingerprints"]) == {PROBLEM_FINGERPRINT_KEY}


def test_message_names_object_profile_and_container() -> None:
    finding = Finding(
        rule="privileged",
        group="psa-baseline",
        severity="error",
        message="container notebook is privileged",
        file="values.yaml",
        line=3,
        column=5,
        object="values",
        profile="GPU server",
        container="notebook",
        fix="privileged: false",
    )
    log = sarif.build(Result(), fold([finding]), [], root=ROOT)
    text = log["runs"][0]["results"][0]["message"]["text"]
    assert text.startswith(
        "container notebook is privileged (values; profile 'GPU server'; container 'notebook')."
    )
    assert text.endswith("Fix:\nprivileged: false")


def test_uri_is_relative_to_the_git_top_level_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    deploy = tmp_path / "deploy" / "hub"
    deploy.mkdir(parents=True)
    shutil.copy(SARIF_FIXTURES / "privileged-pod.yaml", deploy / "pod.yaml")
    monkeypatch.chdir(deploy)
    log = sarif_log("--ignore", "notebook", "pod.yaml")
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "deploy/hub/pod.yaml"


def test_fingerprints_do_not_change_when_unrelated_lines_are_inserted_above(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    original = (SARIF_FIXTURES / "privileged-pod.yaml").read_text()
    Path("pod.yaml").write_text(original)
    before = sarif_log("--ignore", "notebook", "pod.yaml")["runs"][0]["results"][0]
    moved = original.replace(
        "metadata:\n", "metadata:\n  labels:\n    team: data-science\n    tier: gpu\n", 1
    )
    Path("pod.yaml").write_text(moved)
    after = sarif_log("--ignore", "notebook", "pod.yaml")["runs"][0]["results"][0]
    region = after["locations"][0]["physicalLocation"]["region"]
    assert (
        region["startLine"] == before["locations"][0]["physicalLocation"]["region"]["startLine"] + 3
    )
    assert after["partialFingerprints"] == before["partialFingerprints"]


def test_fingerprints_differ_between_containers_of_one_pod() -> None:
    log = sarif_log("--ignore", "notebook", fixture("corpus-z2jh-uwhackweek-hub-config.yaml"))
    results = log["runs"][0]["results"]
    prints = [r["partialFingerprints"][PROBLEM_FINGERPRINT_KEY] for r in results]
    # Two containers' findings at one line to edit are one result (one edit fixes both).
    assert len(set(prints)) == len(prints) == 9


def test_unparsable_file_is_a_tool_execution_notification_and_a_result() -> None:
    log = sarif_log(fixture("unparsable.yaml"))
    (run,) = log["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"]["text"].startswith(
        "tests/fixtures/sarif/unparsable.yaml: not checked: "
    )
    location = notification["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "tests/fixtures/sarif/unparsable.yaml"
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"]
    ] == [("parse-error", 4)]


def test_clean_input_is_a_valid_log_with_an_empty_results_array() -> None:
    log = sarif_log("--ignore", "notebook", fixture("compliant-pod.yaml"))
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"]


def test_show_suppressed_adds_suppressed_results_with_their_justification() -> None:
    path = str((FIXTURES / "suppress" / "reasoned.yaml").relative_to(ROOT))
    assert sarif_log("--ignore", "notebook", path)["runs"][0]["results"] == []
    (result,) = sarif_log("--ignore", "notebook", "--show-suppressed", path)["runs"][0]["results"]
    assert result["ruleId"] == "host-namespaces"
    assert result["suppressions"] == [
        {"kind": "inSource", "justification": "node exporter reads host network stats"}
    ]


def test_output_is_deterministic_and_holds_no_absolute_path() -> None:
    first = CliRunner().invoke(
        main, ["check", "--format", "sarif", fixture("corpus-z2jh-uwhackweek-hub-config.yaml")]
    )
    second = CliRunner().invoke(
        main, ["check", "--format", "sarif", fixture("corpus-z2jh-uwhackweek-hub-config.yaml")]
    )
    assert first.stdout == second.stdout
    assert str(ROOT) not in first.stdout


def test_no_fold_keeps_one_result_per_pod_with_the_per_pod_fingerprints() -> None:
    path = fixture("corpus-z2jh-uwhackweek-hub-config.yaml")
    folded = sarif_log("--ignore", "notebook", path)["runs"][0]["results"]
    per_pod = sarif_log("--ignore", "notebook", "--no-fold", path)["runs"][0]["results"]
    assert len(per_pod) >= len(folded)
    assert {key for r in per_pod for key in r["partialFingerprints"]} == {FINGERPRINT_KEY}


def test_results_carry_their_fix_applicability_and_artifact_changes() -> None:
    """A fix nblint knows how to apply is a SARIF fix: replacements in the file as it is, which
    applied give what `nblint fix` writes."""
    path = "tests/fixtures/fix/deployment-hint-at-object-level.yaml"
    log = sarif_log(path)
    results = log["runs"][0]["results"]
    escalation = next(r for r in results if r["ruleId"] == "allow-privilege-escalation")
    assert escalation["properties"]["applicability"] == "safe"
    [fix] = escalation["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == path
    [replacement] = change["replacements"]
    region = replacement["deletedRegion"]
    assert (region["startLine"], region["startColumn"]) == (20, 1)  # after the last line
    assert replacement["insertedContent"]["text"] == (
        "          securityContext:\n            allowPrivilegeEscalation: false\n"
    )
    # The home claim is the user's to name: the hint shows a placeholder, never applied.
    pinned = next(r for r in results if r["ruleId"] == "notebook-home-persistent")
    assert pinned["properties"]["applicability"] == "display-only"
    if OASIS_SCHEMA.is_file():
        validate_with_oasis_schema(log)


def test_a_cause_in_a_file_without_findings_is_a_related_location() -> None:
    """The PodSecurity defaults an AdmissionConfiguration keeps in a file of its own: that file
    has no finding, yet the finding's related location names it."""
    namespace = "tests/fixtures/namespace"
    log = sarif_log(
        f"{namespace}/namespace-without-labels.yaml",
        "--admission-config",
        f"{namespace}/admission-by-path/admission.yaml",
        "--select",
        "privileged",
    )
    [result] = log["runs"][0]["results"]
    [related] = result["relatedLocations"]
    assert related["physicalLocation"] == {
        "artifactLocation": {
            "uri": f"{namespace}/admission-by-path/podsecurity.yaml",
            "uriBaseId": "%SRCROOT%",
        },
        "region": {"startLine": 4, "startColumn": 3},
    }
    if OASIS_SCHEMA.exists():
        validate_with_oasis_schema(log)


def test_a_namespace_finding_names_its_cause_as_a_related_location() -> None:
    path = "tests/fixtures/namespace/quota-exceeds-hard-gpu.yaml"
    log = sarif_log(path, "--select", "quota-exceeds-hard")
    [result] = log["runs"][0]["results"]
    assert result["relatedLocations"] == [
        {
            "id": 1,
            "physicalLocation": {
                "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 8, "startColumn": 5},
            },
            "message": {"text": "ResourceQuota/gpu-budget hard requests.nvidia.com/gpu: 2"},
        }
    ]
    assert (
        "\nCause: ResourceQuota/gpu-budget hard requests.nvidia.com/gpu: 2 ("
        in (result["message"]["text"])
    )
    assert "\nAssumes: no other usage in the namespace" in result["message"]["text"]
    if OASIS_SCHEMA.exists():
        validate_with_oasis_schema(log)


# ---------------------------------------------------------------------------------------------
# A fix written into another file than its finding's


ANOTHER_FILE = "tests/fixtures/sarif/fix-in-another-file"
#: (case, rule, the arguments of the run, the file the finding is in, the file its fix edits)
FIX_IN_ANOTHER_FILE = [
    (
        "limitrange-default",
        "notebook-gpu-toleration",
        ["limitrange.yaml", "pod.yaml"],
        "limitrange.yaml",
        "pod.yaml",
    ),
    (
        "layers",
        "notebook-idle-culling",
        ["-f", "values.yaml", "-f", "helmrelease.yaml"],
        "values.yaml",
        "helmrelease.yaml",
    ),
]


def _applied(text: str, replacements: list[dict[str, Any]]) -> str:
    """``text`` with SARIF replacements applied (1-based lines and code-point columns, end
    exclusive), as a consumer that applies SARIF fixes does."""
    starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def offset(line: int, column: int) -> int:
        return starts[line - 1] + column - 1 if line <= len(starts) else len(text)

    spans = []
    for replacement in replacements:
        region = replacement["deletedRegion"]
        start = offset(region["startLine"], region["startColumn"])
        end = offset(region.get("endLine", region["startLine"]), region["endColumn"])
        spans.append((start, end, replacement["insertedContent"]["text"]))
    for start, end, new in sorted(spans, reverse=True):
        text = text[:start] + new + text[end:]
    return text


@pytest.mark.parametrize(
    ("case", "rule", "args", "found_in", "fixed_in"),
    FIX_IN_ANOTHER_FILE,
    ids=[case[0] for case in FIX_IN_ANOTHER_FILE],
)
def test_a_fix_for_another_file_names_that_file_and_its_regions(
    tmp_path: Path, case: str, rule: str, args: list[str], found_in: str, fixed_in: str
) -> None:
    """A finding placed in one file whose fix goes into another (a LimitRange default fixed in
    the workload; a chart default fixed in the last -f layer, a HelmRelease): the SARIF fix's
    artifactChange names the file the edit is for, with regions of that file, so that applying
    it writes what `nblint fix` writes and leaves the finding's file alone."""
    directory = f"{ANOTHER_FILE}/{case}"
    paths = [arg if arg == "-f" else f"{directory}/{arg}" for arg in args]
    log = sarif_log("--select", rule, *paths)
    [result] = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": f"{directory}/{found_in}", "uriBaseId": "%SRCROOT%"}
    [fix] = result["fixes"]
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {
        "uri": f"{directory}/{fixed_in}",
        "uriBaseId": "%SRCROOT%",
    }
    assert f"\nFix in {directory}/{fixed_in}:\n" in result["message"]["text"]
    # Applied as a SARIF consumer applies it: what `nblint fix` writes into that file.
    expected = _applied((ROOT / directory / fixed_in).read_text(), change["replacements"])
    copy = tmp_path / case
    shutil.copytree(ROOT / directory, copy)
    fixed = CliRunner().invoke(
        main,
        ["fix", "--unsafe-fixes", "--select", rule]
        + [arg if arg == "-f" else str(copy / arg) for arg in args],
        catch_exceptions=False,
    )
    assert fixed.exit_code in (0, 1), fixed.output
    assert (copy / fixed_in).read_text() == expected != (ROOT / directory / fixed_in).read_text()
    assert (copy / found_in).read_text() == (ROOT / directory / found_in).read_text()
    if OASIS_SCHEMA.is_file():
        validate_with_oasis_schema(log)


def test_a_fix_only_shown_for_another_file_says_which() -> None:
    """Advice nblint never applies (a GitHub organisation to name) is placed too: a chart
    default's, in the HelmRelease layered last. The message says that file; no SARIF fix."""
    directory = f"{ANOTHER_FILE}/layers"
    log = sarif_log(
        "--select",
        "notebook-authentication",
        "-f",
        f"{directory}/values.yaml",
        "-f",
        f"{directory}/helmrelease.yaml",
    )
    [result] = log["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        f"{directory}/values.yaml"
    )
    assert (
        f"\nFix in {directory}/helmrelease.yaml:\nspec:\n  values:\n" in (result["message"]["text"])
    )
    assert "fixes" not in result
