"""The namespace context on the command line, in the configuration and in the reports:
``--cluster-context``, ``--admission-config``, ``--namespace``, their configuration keys,
``render`` with LimitRange defaults, ``--jobs``, and what a plain check does not import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from conftest import FIXTURES, ROOT

from nblint.cli import main

NS = FIXTURES / "namespace"
CHAPTER = NS / "chapter"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cluster_context_and_namespace_on_the_command_line() -> None:
    result = invoke(
        "check",
        str(CHAPTER / "values.yaml"),
        "--cluster-context",
        str(CHAPTER / "namespace.yaml"),
        "--namespace",
        "jhub",
        "--select",
        "quota-requires-limits",
        "--format",
        "json",
    )
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    jsonschema.Draft202012Validator(
        json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    ).validate(report)
    [finding] = report["findings"]
    assert (finding["rule"], finding["line"]) == ("quota-requires-limits", 6)
    assert finding["cause"] == {
        "object": "ResourceQuota/notebooks",
        "detail": "hard limits.memory: 8Gi",
        "file": str(CHAPTER / "namespace.yaml"),
        "line": 18,
        "column": 5,
    }
    assert finding["assumption"] is None
    assert len(finding["pods"]) == 2  # both profiles, one problem


def test_a_missing_context_path_is_a_usage_error_naming_its_option(tmp_path: Path) -> None:
    for option in ("--cluster-context", "--admission-config"):
        result = invoke("check", str(NS / "namespace-without-labels.yaml"), option, "nope.yaml")
        assert result.exit_code == 2
        assert (
            result.output.strip() == f"nblint: error: {option} nope.yaml: no such file or directory"
        )


def test_a_context_file_that_is_not_yaml_is_one_finding_not_a_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "cluster.yaml"
    broken.write_text("kind: Namespace\nmetadata: {name: [\n")
    result = invoke(
        "check",
        str(NS / "namespace-without-labels.yaml"),
        "--cluster-context",
        str(broken),
        "--format",
        "concise",
        "--select",
        "nblint",
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith(f"{broken}:2:")
    assert "error[parse-error] --cluster-context:" in result.stdout


def test_admission_config_option_exempts_a_namespace() -> None:
    result = invoke(
        "check",
        str(NS / "exempt-namespace-and-runtime-class.yaml"),
        "--admission-config",
        str(NS / "admission-config-exempt.yaml"),
        "--select",
        "ns-psa-exempt,privileged",
        "--format",
        "concise",
    )
    lines = result.stdout.splitlines()
    assert [line.split(" ")[1] for line in lines[:-1]] == [
        "info[ns-psa-exempt]",
        "info[ns-psa-exempt]",
        "error[privileged]",
    ]


def test_text_report_names_the_cause_and_the_assumption() -> None:
    result = invoke(
        "check",
        str(NS / "quota-exceeds-hard-gpu.yaml"),
        "--select",
        "quota-exceeds-hard",
        "--color",
        "never",
    )
    assert "    cause: ResourceQuota/gpu-budget hard requests.nvidia.com/gpu: 2\n" in result.stdout
    assert "    assumes: no other usage in the namespace" in result.stdout


def test_render_shows_limitrange_defaults_with_their_lines() -> None:
    path = NS / "limitrange-defaults-filled.yaml"
    result = invoke("render", str(path))
    assert result.exit_code == 0
    header = result.stdout.split("apiVersion: v1\n", 1)[0].splitlines()
    assert header == [
        "---",
        f"# {path}: Pod/notebook-alice",
        "# namespace: team-a",
        f"# spec.containers[0].resources.requests.memory: 256Mi from LimitRange/defaults "
        f"({path}:14)",
        f"# spec.containers[0].resources.limits.memory: 1Gi from LimitRange/defaults ({path}:11)",
        f"# spec.initContainers[0].resources.requests.cpu: 100m from LimitRange/defaults "
        f"({path}:13)",
        f"# spec.initContainers[0].resources.requests.memory: 256Mi from LimitRange/defaults "
        f"({path}:14)",
        f"# spec.initContainers[0].resources.limits.cpu: 1 from LimitRange/defaults ({path}:10)",
        f"# spec.initContainers[0].resources.limits.memory: 1Gi from LimitRange/defaults "
        f"({path}:11)",
    ]
    assert "kubernetes.io/limit-ranger: 'LimitRanger plugin set: memory request for" in (
        result.stdout
    )
    as_json = json.loads(invoke("render", str(path), "--format", "json").stdout)
    assert as_json[0]["namespace"] == "team-a"
    assert as_json[0]["admission"][0] == {
        "field": "spec.containers[0].resources.requests.memory",
        "value": "256Mi",
        "from": "LimitRange/defaults",
        "file": str(path),
        "line": 14,
        "alternatives": [],
    }


def test_render_of_a_pod_with_no_namespace_context_is_unchanged() -> None:
    pod = ROOT / "examples" / "notebook-pod.yaml"
    rendered = invoke("render", str(pod)).stdout
    assert "# namespace" not in rendered and "limit-ranger" not in rendered


# ---------------------------------------------------------------------------------------------
# Configuration


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    shutil.copy(CHAPTER / "values.yaml", tmp_path / "values.yaml")
    (tmp_path / "cluster").mkdir()
    shutil.copy(CHAPTER / "namespace.yaml", tmp_path / "cluster" / "namespace.yaml")
    shutil.copy(NS / "admission-config-exempt.yaml", tmp_path / "admission.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules(*args: str) -> list[tuple[str, int]]:
    result = invoke("check", "--format", "json", "--select", "namespace", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def test_configuration_gives_cluster_context_and_namespace(project: Path) -> None:
    (project / ".nblint.yaml").write_text("cluster-context: [cluster]\nnamespace: jhub\n")
    found = _rules("values.yaml")
    assert ("quota-requires-limits", 6) in found
    assert ("ns-unknown-namespace", 6) not in [(r, line) for r, line in found]


def test_a_release_names_its_namespace(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "cluster-context: [cluster]\n"
        "releases:\n"
        "  prod:\n    values: [values.yaml]\n    namespace: jhub\n"
        "  elsewhere:\n    values: [values.yaml]\n    namespace: other\n"
    )
    found = _rules()
    assert ("quota-requires-limits", 6) in found  # prod, in jhub
    assert ("ns-unknown-namespace", 6) in found  # elsewhere: no manifest of namespace other


def test_configuration_gives_the_admission_config(project: Path) -> None:
    (project / ".nblint.yaml").write_text(
        "cluster-context: [cluster]\nadmission-config: admission.yaml\nnamespace: jhub-system\n"
    )
    # the release's pods land in an exempt namespace
    assert ("ns-psa-exempt", 6) in _rules("values.yaml")


def test_an_unknown_namespace_setting_is_a_configuration_error(project: Path) -> None:
    (project / ".nblint.yaml").write_text("namespace: [jhub]\n")
    result = invoke("check", "values.yaml")
    assert result.exit_code == 2
    assert "namespace" in result.output


# ---------------------------------------------------------------------------------------------
# --jobs: a LimitRange in one file fills the pods of every other


def test_jobs_give_the_same_report_with_namespace_objects_in_one_file(tmp_path: Path) -> None:
    shutil.copy(NS / "limitrange-min-max-ratio.yaml", tmp_path / "000-limits.yaml")
    pod = (NS / "limitrange-min-max-ratio.yaml").read_text().split("---\n", 1)[1]
    for index in range(40):
        (tmp_path / f"{index + 1:03d}-pod.yaml").write_text(
            pod.replace("notebook-alice", f"p{index}")
        )
    serial = invoke("check", "--format", "json", "--select", "namespace", str(tmp_path))
    parallel = invoke(
        "check", "--format", "json", "--select", "namespace", "--jobs", "2", str(tmp_path)
    )
    assert parallel.stdout == serial.stdout
    rules = {f["rule"] for f in json.loads(serial.stdout)["findings"]}
    assert {"limitrange-min", "limitrange-max", "limitrange-ratio"} <= rules


# ---------------------------------------------------------------------------------------------
# Speed: a plain check reads no namespace model


def test_a_plain_check_imports_no_namespace_machinery(tmp_path: Path) -> None:
    examples = [str(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    heavy = [
        "fractions",
        "nblint.model.namespace",
        "nblint.model.admission",
        "nblint.dialects.cluster.normalise",
        "nblint.check.admission",
        "nblint.run.namespaces",
    ]
    script = (
        "import sys\nfrom nblint.cli import entry\n"
        f"sys.argv = ['nblint', 'check', *{examples!r}]\n"
        "try:\n    entry()\nexcept SystemExit as done:\n    assert done.code == 0, done.code\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


# (The ConfigMap is recognised too, for the z2jh index of Flux `valuesFrom` sources, and then
# skipped: no HelmRelease names it.)
@pytest.mark.parametrize(
    ("budget", "expected"), [(None, ["Namespace", "Pod", "ConfigMap"]), (0, [])]
)
def test_a_file_with_a_namespace_is_kept_between_the_phases_within_the_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int | None, expected: list[str]
) -> None:
    """The first phase keeps the documents of the files it parses while they fit its budget
    (then the file is parsed once); beyond it, none, and the file's documents are parsed again,
    one at a time. Either way they are counted, skipped and reported once."""
    from conftest import run

    from nblint.run import pipeline

    if budget is not None:
        monkeypatch.setattr(pipeline, "KEEP_BUDGET", budget)
    mixed = tmp_path / "mixed.yaml"
    mixed.write_text(
        (NS / "psa-enforce-baseline-privileged-pod.yaml").read_text()
        + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\nkind: [\n"
    )
    kept: list[list[str]] = []
    index = pipeline.Runner._index

    def spy(self, inputs, *args, **kwargs):  # type: ignore[no-untyped-def]
        found = index(self, inputs, *args, **kwargs)
        kept.extend([d.root["kind"] for d in item.recognised or []] for item in inputs)
        return found

    monkeypatch.setattr(pipeline.Runner, "_index", spy)
    result = run(mixed, select={"privileged", "parse-error"})
    assert kept == [expected]
    assert [(f.rule, f.line) for f in result.findings] == [("privileged", 18), ("parse-error", 24)]
    assert (result.documents, dict(result.skipped), result.pod_count) == (3, {"ConfigMap": 1}, 1)
