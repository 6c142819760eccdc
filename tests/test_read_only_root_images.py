"""The read-only-root hint follows the image's table row (field test ft6/b, defects 2 and 3):
Kubeflow v1.9/v1.10 images (s6-overlay 3.2.0.x) cannot start with a read-only root, so the hint
is advice, never applied; v1.11 needs an emptyDir /run *and* s6's variable; images that never
write /run (OpenShift AI / s2i, docker-stacks) get no /run emptyDir and no s6 comment."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, run

from nblint.cli import main

RULE = "notebook-read-only-root-filesystem"
CASES = FIXTURES / "kubeflow" / "read-only-root"
S6_VARIABLE = "S6_YES_I_WANT_A_WORLD_WRITABLE_RUN_BECAUSE_KUBERNETES"


def _finding(name: str):  # type: ignore[no-untyped-def]
    (finding,) = [f for f in run(CASES / name).findings if f.rule == RULE]
    return finding


def _fixed(tmp_path: Path, name: str) -> str:
    copy = tmp_path / name
    shutil.copy(CASES / name, copy)
    outcome = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(copy)])
    assert outcome.exit_code in (0, 1), outcome.output
    return copy.read_text()


def test_kubeflow_v1_10_cannot_start_read_only_so_the_hint_is_advice(tmp_path: Path) -> None:
    finding = _finding("kf-v110-readonly-root.yaml")
    assert (finding.line, finding.applicability) == (10, "display-only")
    assert "s6-overlay" in (finding.fix or "")
    prose = " ".join(word for word in (finding.fix or "").split() if word != "#")
    assert "Keep its root filesystem writable" in prose
    text = _fixed(tmp_path, "kf-v110-readonly-root.yaml")
    assert "readOnlyRootFilesystem" not in text
    assert "/run" not in text


def test_a_v1_8_image_is_not_made_read_only_the_hint_points_at_v1_11(tmp_path: Path) -> None:
    # s6 v2/3.1 on a read-only root with an emptyDir /run: unknown. Advice naming the tag that
    # allows it (the same one notebook-image-needs-root swaps to), never an edit.
    finding = _finding("kf-v18-readonly-root.yaml")
    assert (finding.line, finding.applicability, finding.edit) == (17, "display-only", None)
    prose = " ".join(word for word in (finding.fix or "").split() if word != "#")
    assert "Move to the v1.11 images first" in prose
    text = _fixed(tmp_path, "kf-v18-readonly-root.yaml")
    assert "readOnlyRootFilesystem" not in text
    assert S6_VARIABLE not in text


def test_a_v1_8_image_swapped_to_v1_11_is_then_made_read_only_as_v1_11_needs(
    tmp_path: Path,
) -> None:
    # Field test 7b, defect 5: the swap named v1.10, whose s6 refuses the read-only root the
    # next hint asked for. v1.11 takes both fixes.
    text = _fixed(tmp_path, "kf-v18-swapped-to-v111-readonly.yaml")
    hint = yaml.safe_load(text)
    (container,) = hint["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0"
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert {"name": S6_VARIABLE, "value": "1"} in container["env"]
    assert "/run" in {m["mountPath"] for m in container["volumeMounts"]}
    after = run(tmp_path / "kf-v18-swapped-to-v111-readonly.yaml").findings
    assert [f.rule for f in after if f.severity != "info"] == []


def test_kubeflow_v1_11_gets_run_and_the_s6_variable(tmp_path: Path) -> None:
    finding = _finding("kf-v111-readonly-root.yaml")
    assert finding.applicability == "unsafe"
    hint = yaml.safe_load(finding.fix or "")
    (container,) = hint["spec"]["template"]["spec"]["containers"]
    assert container["env"] == [{"name": S6_VARIABLE, "value": "1"}]
    assert {m["mountPath"] for m in container["volumeMounts"]} == {"/tmp", "/run"}
    spec = yaml.safe_load(_fixed(tmp_path, "kf-v111-readonly-root.yaml"))["spec"]["template"]
    (fixed,) = spec["spec"]["containers"]
    assert fixed["securityContext"]["readOnlyRootFilesystem"] is True
    assert {"name": S6_VARIABLE, "value": "1"} in fixed["env"]
    assert RULE not in {f.rule for f in run(tmp_path / "kf-v111-readonly-root.yaml").findings}


def test_a_raw_pod_on_kubeflow_v1_11_is_shown_what_the_manifest_hint_lacks() -> None:
    finding = _finding("pod-kf-v111-readonly-root.yaml")
    assert (finding.line, finding.applicability) == (9, "display-only")
    assert S6_VARIABLE in (finding.fix or "")


def test_an_openshift_ai_workbench_gets_no_run_and_no_s6_comment() -> None:
    finding = _finding("odh-readonly-root-hint.yaml")
    assert finding.applicability == "unsafe"
    assert "s6" not in (finding.fix or "")
    hint = yaml.safe_load(finding.fix or "")
    (container,) = hint["spec"]["template"]["spec"]["containers"]
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp"]
    assert [v["name"] for v in hint["spec"]["template"]["spec"]["volumes"]] == ["tmp"]


def test_a_docker_stacks_notebook_gets_no_run_and_no_s6_comment() -> None:
    finding = _finding("kf-notebook-docker-stacks-readonly-hint.yaml")
    assert "s6" not in (finding.fix or "")
    assert "/run" not in (finding.fix or "")


def _run_finding(name: str):  # type: ignore[no-untyped-def]
    (finding,) = [
        f
        for f in run(CASES / name).findings
        if f.rule == "notebook-writable-paths" and "/run" in f.message
    ]
    return finding


def test_a_read_only_v1_10_notebook_gets_advice_for_run_not_an_empty_dir() -> None:
    finding = _run_finding("kf-v110-read-only-no-run.yaml")
    assert (finding.line, finding.applicability) == (12, "display-only")
    assert "emptyDir" not in (finding.fix or "").split("#")[-1]
    assert "s6-overlay" in (finding.fix or "")


def test_a_read_only_v1_11_notebook_is_shown_the_s6_variable_with_run() -> None:
    finding = _run_finding("kf-v111-read-only-no-run.yaml")
    assert finding.applicability == "display-only"
    assert S6_VARIABLE in (finding.fix or "")
    assert "mountPath: /run" in (finding.fix or "")


def test_an_openshift_ai_workbench_hint_says_pip_install_needs_app_root() -> None:
    # notebook-images.md rule 6: ODH images also write /opt/app-root if users pip install.
    fix = _finding("odh-readonly-root-hint.yaml").fix or ""
    assert fix.startswith("# users who pip install into the image's Python environment write")
    assert "/opt/app-root" in fix


TF_CASES = FIXTURES / "images" / "read-only-root"


def _tf_finding(name: str):  # type: ignore[no-untyped-def]
    (finding,) = [f for f in run(TF_CASES / name).findings if f.rule == RULE]
    return finding


def test_tensorflow_s_hint_mounts_the_image_s_own_paths_not_a_docker_stacks_home() -> None:
    # Field test 8b D6: as uid 1000 the image has no passwd entry (HOME is /) and writes /tf
    # and /.local (made a+rwx for any uid): no /home/jovyan assumed, those paths mounted.
    finding = _tf_finding("tensorflow-jupyter-as-uid-1000.yaml")
    assert (finding.line, finding.applicability) == (16, "display-only")
    fix = finding.fix or ""
    assert "jovyan" not in fix and "docker-stacks" not in fix and ".cache" not in fix
    assert "# nblint does not know this image's HOME for this uid" in fix
    patch = yaml.safe_load(fix)["spec"]["template"]["spec"]
    (container,) = patch["containers"]
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp", "/tf", "/.local"]
    assert [v["name"] for v in patch["volumes"]] == ["tmp", "tf", "local"]


def test_tensorflow_as_root_keeps_its_home_s_cache_and_gets_its_own_paths() -> None:
    finding = _tf_finding("tensorflow-jupyter-as-root.yaml")
    patch = yaml.safe_load((finding.fix or "").split("\n", 2)[2])["spec"]
    (container,) = patch["containers"]
    assert [m["mountPath"] for m in container["volumeMounts"]] == [
        "/tmp",
        "/root/.cache",
        "/tf",
        "/.local",
    ]
    assert (finding.fix or "").startswith("# first mount a volume of your own at HOME")


@pytest.mark.parametrize(
    ("name", "edited"),
    [
        ("odh-codeserver-readonly-root.yaml", "/opt/app-root/etc, /etc/nginx"),
        ("odh-codeserver-registry-readonly-root.yaml", "/opt/app-root/etc, /etc/nginx"),
        ("odh-rstudio-readonly-root.yaml", "/opt/app-root/etc, /etc/nginx, /usr/lib64/R/etc"),
    ],
)
def test_an_openshift_ai_code_server_or_rstudio_workbench_gets_read_only_root_advice(
    name: str, edited: str
) -> None:
    """Field test 9b D2: their start edits nginx's and R's configuration in place (run-nginx.sh,
    run-rstudio.sh); a read-only root with /tmp writable left the workbench never ready."""
    finding = _finding(name)
    assert (finding.line, finding.applicability, finding.edit) == (16, "display-only", None)
    fix = " ".join(line.lstrip("# ") for line in (finding.fix or "").splitlines())
    assert fix.startswith(f"this image edits its own files in {edited} at every start")


IMAGES = FIXTURES / "images"


def _image_hint(name: str) -> tuple[int, str | None, str]:
    (finding,) = [f for f in run(IMAGES / name).findings if f.rule == RULE]
    return finding.line, finding.applicability, finding.fix or ""


def test_an_image_nblint_does_not_know_gets_no_docker_stacks_home_mount() -> None:
    # Field test 17b D2: an RStudio server built by the user; its HOME is not /home/jovyan.
    assert _image_hint("unknown-rstudio-read-only-root.yaml") == (
        17,
        "display-only",
        "spec:\n"
        "  template:\n"
        "    # first mount a volume of your own at HOME (see notebook-home-persistent): on a "
        "read-only\n"
        "    # root, the server could not write its home\n"
        "    # (nblint does not know this image's HOME: its ~/.cache is in that volume)\n"
        "    spec:\n"
        "      containers:\n"
        "        - name: rstudio\n"
        "          securityContext:\n"
        "            readOnlyRootFilesystem: true\n"
        "          volumeMounts:\n"
        "            - name: tmp\n"
        "              mountPath: /tmp\n"
        "      volumes:\n"
        "        - name: tmp\n"
        "          emptyDir:\n"
        "            sizeLimit: 1Gi",
    )


def test_rocker_rstudio_s_hint_is_its_table_row_s_advice_with_no_jovyan_home() -> None:
    line, applicability, fix = _image_hint("rocker-rstudio-read-only-root.yaml")
    assert (line, applicability) == (16, "display-only")
    assert fix.startswith("spec:\n  template:\n    # this image edits its own files in /etc")
    assert "jovyan" not in fix
