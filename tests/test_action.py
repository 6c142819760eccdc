"""The GitHub Action (``action.yml``): its shell steps run here, in a throwaway repository, as the
runner would run them: nblint installed from the action's own directory into a fresh virtual
environment, a check that writes SARIF and annotations, and the step that fails the job."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = {step.get("name", step.get("uses")): step for step in ACTION["runs"]["steps"]}
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class Runner:
    """Just enough of the Actions runner for this action: inputs with defaults, the step
    outputs it sets, ``github.action_path``, and ``if:`` expressions of ==, !=, && and ||."""

    def __init__(self, workspace: Path, bin_dir: Path, **inputs: str) -> None:
        defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        unknown = set(inputs) - set(defaults)
        assert not unknown, f"action.yml has no input {unknown}"
        self.inputs = {**defaults, **inputs}
        self.outputs: dict[str, dict[str, str]] = {}
        self.workspace = workspace
        self.bin_dir = bin_dir

    def value(self, name: str) -> str:
        if name == "github.action_path":
            return str(ROOT)
        if name.startswith("inputs."):
            return self.inputs[name.removeprefix("inputs.")]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", name)
        assert match, f"the test runner does not know {name}"
        return self.outputs.get(match[1], {}).get(match[2], "")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m[1]), text)

    def condition(self, text: str) -> bool:
        expression = EXPRESSION.sub(lambda m: m[1], text)
        expression = re.sub(
            r"(inputs|steps)\.[\w.-]+", lambda m: repr(self.value(m[0])), expression
        )
        expression = expression.replace("always()", "True").replace("&&", " and ")
        expression = expression.replace("||", " or ")
        # Our own action.yml, with every name already replaced by a quoted value.
        return bool(eval(expression, {"__builtins__": {}}))

    def run(self, name: str) -> subprocess.CompletedProcess[str] | None:
        step = STEPS[name]
        if "if" in step and not self.condition(step["if"]):
            return None
        output = self.workspace.parent / f"output-{step.get('id', 'step')}"
        output.write_text("")
        env = {
            **os.environ,
            **{key: self.expand(str(value)) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output),
            "PATH": f"{self.bin_dir}{os.pathsep}{os.environ['PATH']}",
            "NO_COLOR": "1",
        }
        assert step["shell"] == "bash"
        done = subprocess.run(
            ["bash", "-e", "-c", self.expand(step["run"])],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if "id" in step:
            pairs = [line.split("=", 1) for line in output.read_text().splitlines() if "=" in line]
            self.outputs[step["id"]] = dict(pairs)
        return done


def test_the_action_sets_up_python_and_uploads_sarif_with_its_inputs() -> None:
    assert ACTION["runs"]["using"] == "composite"
    first = ACTION["runs"]["steps"][0]
    assert first["uses"].startswith("actions/setup-python@")
    assert first["with"] == {"python-version": "${{ inputs.python-version }}"}
    upload = STEPS["Upload SARIF"]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"] == {
        "sarif_file": "${{ inputs.sarif-file }}",
        "category": "${{ inputs.category }}",
    }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding nblint as the action's install step puts it there.
    nblint's own dependencies come from the test environment (a ``.pth`` file), so that pip
    needs the index only for the build backend."""
    venv = tmp_path_factory.mktemp("action") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    (site / "test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    runner = Runner(venv.parent, venv / "bin")
    done = runner.run("Install nblint at the action's ref")
    assert done is not None
    if done.returncode != 0:
        if "Could not find a version" in done.stderr or "connection" in done.stderr.lower():
            pytest.skip(f"pip could not reach the package index: {done.stderr.strip()[-300:]}")
        raise AssertionError(done.stderr)
    assert (venv / "bin" / "nblint").exists()
    return venv / "bin"


def repository(tmp_path: Path, pod: Path | None) -> Path:
    workspace = tmp_path / "repo"
    workspace.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=workspace, check=True)
    if pod is not None:
        (workspace / "deploy").mkdir()
        shutil.copy(pod, workspace / "deploy" / "pod.yaml")
    return workspace


def test_a_privileged_pod_is_uploaded_annotated_and_fails_the_job(
    installed: Path, tmp_path: Path
) -> None:
    workspace = repository(tmp_path, FIXTURES / "sarif" / "privileged-pod.yaml")
    runner = Runner(workspace, installed, args="--select privileged")
    check = runner.run("Check")
    assert check is not None and check.returncode == 0, check and check.stderr
    assert runner.outputs["check"] == {"exit-code": "1"}
    log: dict[str, Any] = json.loads((workspace / "nblint.sarif").read_text())
    results = log["runs"][0]["results"]
    assert [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in results
    ] == [("privileged", "deploy/pod.yaml")]
    assert check.stdout.startswith("::error file=deploy/pod.yaml,line=13,col=9,")
    assert runner.condition(STEPS["Upload SARIF"]["if"])
    failed = runner.run("Fail on findings")
    assert failed is not None and failed.returncode == 1


def test_a_clean_repository_passes_and_still_uploads(installed: Path, tmp_path: Path) -> None:
    workspace = repository(tmp_path, ROOT / "examples" / "notebook-pod.yaml")
    runner = Runner(workspace, installed, paths="deploy")
    check = runner.run("Check")
    assert check is not None and check.returncode == 0, check and check.stderr
    assert runner.outputs["check"] == {"exit-code": "0"}
    assert json.loads((workspace / "nblint.sarif").read_text())["runs"][0]["results"] == []
    assert runner.condition(STEPS["Upload SARIF"]["if"])
    assert runner.run("Fail on findings") is None


def test_a_usage_problem_fails_the_check_step_and_uploads_nothing(
    installed: Path, tmp_path: Path
) -> None:
    workspace = repository(tmp_path, None)
    runner = Runner(workspace, installed, paths="missing.yaml")
    check = runner.run("Check")
    assert check is not None and check.returncode == 2
    assert "missing.yaml: no such file or directory" in check.stderr
    assert runner.outputs["check"] == {"exit-code": "2"}
    assert not runner.condition(STEPS["Upload SARIF"]["if"])
