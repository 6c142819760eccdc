"""A fix written where a values file says ``null`` keeps what that null deletes.

``hub:\\n  config:`` (no value) is ``hub.config: null``: Helm deletes the chart's ``hub.config``
(``JupyterHub.authenticator_class: dummy``) and, with ``-f`` layers, an earlier file's (Helm merges
the files first). A fix that turned the null into a mapping brought every one of them back: the
hub went from "nobody can log in" (PAM) to "anyone can" (field test round 7, D1). Fixtures:
``tests/fixtures/fix/null-deletes/``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import FIXTURES, run

from nblint.cli import main
from nblint.model.edit import DISPLAY_ONLY, SAFE
from nblint.model.finding import Finding
from nblint.model.result import RunResult
from nblint.run import fixing

NULLS = FIXTURES / "fix" / "null-deletes"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def copy(tmp_path: Path, name: str) -> Path:
    source = NULLS / name
    if source.is_dir():
        shutil.copytree(source, tmp_path / name)
    else:
        shutil.copy(source, tmp_path / name)
    return tmp_path / name


def authentication(*paths: Path) -> list[Finding]:
    return [f for f in run(*paths).findings if f.rule == "notebook-authentication"]


def layered(*paths: Path) -> list[dict[str, Any]]:
    """The findings of ``nblint check -f a -f b`` (JSON)."""
    args = ["check", "--format", "json"]
    for path in paths:
        args += ["-f", str(path)]
    findings: list[dict[str, Any]] = json.loads(invoke(*args).output)["findings"]
    return findings


def test_an_empty_hub_config_is_said_to_delete_the_chart_s_authenticator() -> None:
    [found] = authentication(NULLS / "hub-config-left-empty.yaml")
    assert (found.line, found.column) == (5, 3)
    assert found.message.startswith(
        "no authenticator is configured (`hub.config.JupyterHub.authenticator_class` is unset: "
        "the null `hub.config` here deletes the chart's `hub.config`, with its "
        "`authenticator_class: dummy`): JupyterHub 5.5.0 falls back to its default, PAM"
    )


def test_a_safe_fix_into_an_empty_hub_config_keeps_the_chart_s_hub_config_deleted(
    tmp_path: Path,
) -> None:
    path = copy(tmp_path, "hub-config-left-empty.yaml")
    safe = [f for f in run(path).findings if f.applicability == SAFE]
    assert safe and all(
        "JupyterHub: null" in f.edit.patch for f in safe if f.edit and "hub:" in f.edit.patch
    )
    assert invoke("fix", str(path)).exit_code == 0
    config = yaml.safe_load(path.read_text())["hub"]["config"]
    assert config["JupyterHub"] is None
    assert config["KubeSpawner"]["pod_security_context"] == {
        "seccompProfile": {"type": "RuntimeDefault"}
    }
    [after] = authentication(path)
    # Still PAM (nobody logs in), never the chart's `dummy` (anyone logs in as anyone).
    assert after.message.startswith("no authenticator is configured")
    assert "dummy: anyone can log in" not in after.message


def test_every_fix_into_an_empty_hub_config_leaves_the_authenticator_unset(
    tmp_path: Path,
) -> None:
    path = copy(tmp_path, "hub-config-left-empty.yaml")
    assert invoke("fix", "--unsafe-fixes", str(path)).exit_code == 0
    assert [f.message.split(" (")[0] for f in run(path).findings] == [
        "no authenticator is configured"
    ]


def test_a_fix_into_a_helmrelease_s_empty_hub_config_keeps_it_deleted(tmp_path: Path) -> None:
    path = copy(tmp_path, "helmrelease-hub-config-left-empty.yaml")
    assert invoke("fix", "--unsafe-fixes", str(path)).exit_code == 0
    values = yaml.safe_load(path.read_text())["spec"]["values"]
    assert values["hub"]["config"]["JupyterHub"] is None
    assert [f.rule for f in run(path).findings if f.severity == "error"] == [
        "notebook-authentication"
    ]


def test_a_null_over_an_earlier_layer_s_keys_the_chart_lacks_makes_the_fix_advice(
    tmp_path: Path,
) -> None:
    """overlay.yaml's empty `config:` deletes base.yaml's `GitHubOAuthenticator` (allow_all:
    true), which the chart does not define: a null for it would stay in the values, and a
    mapping would bring it back. The fixes in hub.config are advice that says so."""
    folder = copy(tmp_path, "layered")
    base, overlay = folder / "base.yaml", folder / "overlay.yaml"
    findings = layered(base, overlay)
    at_config = [f for f in findings if f["file"] == str(overlay) and f["line"] == 3]
    assert {f["rule"] for f in at_config} >= {
        "seccomp-profile-restricted",
        "notebook-authentication",
    }
    for finding in at_config:
        assert finding["applicability"] == DISPLAY_ONLY
        # (run-as-non-root's says first that the chart's root block-cloud-metadata would be
        # refused beside the pod's runAsNonRoot: true.)
        assert "# not applied: `hub.config: null` in overlay.yaml " in finding["fix"]
    [seccomp] = [f for f in at_config if f["rule"] == "seccomp-profile-restricted"]
    assert seccomp["fix"].startswith(
        "# not applied: `hub.config: null` in overlay.yaml deletes `GitHubOAuthenticator` "
        "of base.yaml:\n# a mapping there brings it back, and a null for a key the chart does "
        "not define stays\n"
    )
    [auth] = [f for f in at_config if f["rule"] == "notebook-authentication"]
    assert (
        f"the null `hub.config` here deletes the chart's and {base}'s `hub.config`, with its "
        "`authenticator_class: github`" in auth["message"]
    )
    before = overlay.read_text()
    result = invoke("fix", "--unsafe-fixes", "-f", str(base), "-f", str(overlay))
    assert result.exit_code == 0
    assert yaml.safe_load(overlay.read_text())["hub"]["config"] is None
    assert overlay.read_text().startswith(before)  # (what it adds is under `singleuser:`)
    # No new finding in base.yaml: its `allow_all: true` stays deleted.
    assert [f for f in layered(base, overlay) if f["file"] == str(base)] == []


def test_a_null_over_an_earlier_layer_s_chart_keys_is_kept_with_nulls(tmp_path: Path) -> None:
    folder = copy(tmp_path, "layered-chart-keys")
    base, overlay = folder / "base.yaml", folder / "overlay.yaml"
    assert invoke("fix", "-f", str(base), "-f", str(overlay)).exit_code == 0
    config = yaml.safe_load(overlay.read_text())["hub"]["config"]
    assert config["JupyterHub"] is None and "KubeSpawner" in config
    [auth] = [f for f in layered(base, overlay) if f["rule"] == "notebook-authentication"]
    assert auth["message"].startswith("no authenticator is configured")


def test_a_fix_that_sets_keys_of_what_a_null_deletes_is_advice() -> None:
    """`singleuser.storage:` left empty: the home fix sets `type` of the deleted section, and it
    means the chart's other keys (the claim's size and class) below it; nblint cannot tell
    whether the user wants them back."""
    findings = run(NULLS / "storage-left-empty.yaml").findings
    [home] = [f for f in findings if f.rule == "notebook-home-persistent"]
    assert home.applicability == DISPLAY_ONLY
    assert home.fix is not None and home.fix.startswith(
        "# not applied: `singleuser.storage: null` in storage-left-empty.yaml deletes the "
        "chart's `singleuser.storage`,\n# and this fix sets `type`, `homeMountPath` of it"
    )


# ---------------------------------------------------------------------------------------------
# Never worse: a new finding in a file no edit changed, a verdict that changed


def _finding(rule: str, file: str, message: str, applicability: str = SAFE) -> Finding:
    from nblint.model.edit import Edit

    edit = Edit(file, 0, (), "helm", "a: 1") if applicability != DISPLAY_ONLY else None
    return Finding(
        rule,
        "notebook",
        "error",
        message,
        file,
        1,
        1,
        field="values.a",
        applicability=applicability,
        edit=edit,
    )


def test_a_fix_that_adds_a_finding_to_another_file_is_left_out() -> None:
    def check(texts: dict[str, str]) -> RunResult:
        fixed = "a: 1" in texts.get("overlay.yaml", "")
        findings = [] if fixed else [_finding("privileged", "overlay.yaml", "x is privileged")]
        if fixed:  # the edit of overlay.yaml brought back base.yaml's allow_all
            findings.append(
                _finding("notebook-authentication", "base.yaml", "allow_all", DISPLAY_ONLY)
            )
        texts = {"overlay.yaml": "a: 0\n", "base.yaml": "b: 1\n", **texts}
        return RunResult(findings, texts=texts)

    outcome = fixing.fix(check, unsafe=False)
    assert outcome.texts == {}
    assert [f.rule for f in outcome.rejected] == ["privileged"]


def test_a_fix_that_changes_an_advice_s_verdict_is_left_out() -> None:
    def check(texts: dict[str, str]) -> RunResult:
        fixed = "a: 1" in texts.get("values.yaml", "")
        auth = (
            "the hub's authenticator is dummy: anyone can log in"
            if fixed
            else "no authenticator is configured (unset): nobody can log in"
        )
        findings = [_finding("notebook-authentication", "values.yaml", auth, DISPLAY_ONLY)]
        if not fixed:
            findings.append(_finding("privileged", "values.yaml", "x is privileged"))
        return RunResult(findings, texts={"values.yaml": "a: 0\n", **texts})

    outcome = fixing.fix(check, unsafe=False)
    assert outcome.texts == {}
    assert [f.rule for f in outcome.rejected] == ["privileged"]


def test_an_advice_whose_explanation_changes_is_no_new_finding() -> None:
    def check(texts: dict[str, str]) -> RunResult:
        fixed = "a: 1" in texts.get("values.yaml", "")
        why = "`hub.config.JupyterHub` is null" if fixed else "`hub.config` is null"
        auth = f"no authenticator is configured ({why}): nobody can log in"
        findings = [_finding("notebook-authentication", "values.yaml", auth, DISPLAY_ONLY)]
        if not fixed:
            findings.append(_finding("privileged", "values.yaml", "x is privileged"))
        return RunResult(findings, texts={"values.yaml": "a: 0\n", **texts})

    outcome = fixing.fix(check, unsafe=False)
    assert outcome.texts == {"values.yaml": "a: 1\n"}
    assert outcome.rejected == []


def test_a_fix_for_an_earlier_layer_s_finding_is_not_written_where_a_later_null_deletes_it(
    tmp_path: Path,
) -> None:
    """The init container's seccomp finding is at base.yaml's `singleuser:` (its chart default),
    and its fix writes hub.config, which prod.yaml's empty `config:` deletes: written into
    base.yaml it would change nothing (`fix --diff` showed that edit, "would fix 0 findings").
    It belongs to prod.yaml, where the null makes it advice (field test 8a, D2)."""
    folder = copy(tmp_path, "layered-init-container")
    base, prod = folder / "base.yaml", folder / "prod.yaml"
    seccomp = [f for f in layered(base, prod) if f["rule"] == "seccomp-profile-restricted"]
    assert [(Path(f["file"]).name, f["line"]) for f in seccomp] == [
        ("base.yaml", 9),
        ("prod.yaml", 3),
    ]
    for finding in seccomp:
        assert finding["applicability"] == DISPLAY_ONLY
        assert finding["fix"].startswith(
            "# not applied: `hub.config: null` in prod.yaml deletes `GitHubOAuthenticator` "
            "of base.yaml:"
        )
    result = invoke("fix", "--diff", "--unsafe-fixes", "-f", str(base), "-f", str(prod))
    assert "KubeSpawner" not in result.output
    assert "pod_security_context" not in result.output


def test_a_fix_for_an_earlier_layer_s_finding_goes_into_the_later_null_it_must_keep(
    tmp_path: Path,
) -> None:
    folder = copy(tmp_path, "layered-init-container-chart-keys")
    base, prod = folder / "base.yaml", folder / "prod.yaml"
    before = base.read_text()
    [init] = [
        f
        for f in layered(base, prod)
        if f["rule"] == "seccomp-profile-restricted" and "block-cloud-metadata" in f["message"]
    ]
    assert (Path(init["file"]).name, init["applicability"]) == ("base.yaml", SAFE)
    assert invoke("fix", "-f", str(base), "-f", str(prod)).exit_code == 0
    assert base.read_text() == before
    config = yaml.safe_load(prod.read_text())["hub"]["config"]
    assert config["JupyterHub"] is None
    assert config["KubeSpawner"]["pod_security_context"] == {
        "seccompProfile": {"type": "RuntimeDefault"}
    }
    assert not [f for f in layered(base, prod) if f["rule"] == "seccomp-profile-restricted"]
