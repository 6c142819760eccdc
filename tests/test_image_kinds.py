"""An image is replaced only by one of the same kind, and HOME is where the user's work lives.

The notebook-images table says what each image serves (``server``, ``port``) and the HOME of the
user whose work it keeps (rocker's RStudio sessions run as rstudio: /home/rstudio, though s6 and
rserver run as root). A fix that swaps an image applies only when the new one serves the same
server on the same port with the same HOME; any other (JupyterLab for RStudio Server, Jupyter
from /home/jovyan for TensorFlow's from /tf) would leave the workload's ports, probes, Service
and volumes on what no longer serves them: it is named as advice (field test 5, defects 2, 4).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, RULES, run

from nblint.cli import main
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

IMAGES = FIXTURES / "images"
HOME = {"notebook-home-persistent"}


def test_a_claim_at_the_rstudio_user_s_home_keeps_the_work() -> None:
    # nblint looked at root's /root and told the user to mount a second claim there.
    assert run(IMAGES / "rstudio-home-on-a-claim.yaml", select=HOME).findings == []


def test_claims_below_the_rstudio_home_keep_what_is_saved_there() -> None:
    [finding] = run(IMAGES / "rstudio-workspace-below-home.yaml", select=HOME).findings
    assert (finding.rule, finding.line, finding.column) == ("notebook-home-persistent", 14, 9)
    assert finding.message.startswith(
        "nothing persistent is mounted at /home/rstudio, only at /home/rstudio/workspace, "
        "/home/rstudio/.config/rstudio: what is saved there persists"
    )
    assert "mountPath: /home/rstudio\n" in (finding.fix or "")
    assert "/root" not in (finding.fix or "")


def test_a_shiny_server_keeps_no_user_s_home() -> None:
    assert run(IMAGES / "shiny-keeps-no-home.yaml", select=HOME).findings == []


def test_rstudio_is_never_swapped_for_jupyterlab(tmp_path: Path) -> None:
    source = IMAGES / "rstudio-never-swapped-for-jupyter.yaml"
    path = tmp_path / source.name
    shutil.copy(source, path)
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(path)])
    text = path.read_text()
    assert "image: rocker/rstudio:4.4.1" in text and "r-notebook" not in text
    assert "httpGet: {path: /, port: 8787}" in text
    # No uid either: the image starts as root, and fails as any other (s6's /init).
    assert "runAsUser" not in text and "runAsNonRoot" not in text
    assert "not fixed" not in result.output


def test_check_shows_what_fix_does_to_a_root_only_image() -> None:
    """The findings `check` offers as fixable are those `fix --unsafe-fixes` fixes, and the
    uid it does not set is shown as advice that says why."""
    path = IMAGES / "rstudio-never-swapped-for-jupyter.yaml"
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    before = check({})
    offered = sorted(f.rule for f in before.findings if f.edit is not None)
    outcome = fixing.fix(check, True)
    assert sorted(f.rule for f in fixing.fixed(outcome)) == offered
    assert outcome.failed == [] and outcome.rejected == []
    [uid] = [f for f in before.findings if f.rule == "run-as-non-root"]
    assert (uid.applicability, uid.edit) == ("display-only", None)
    assert "this image starts as root and fails as any other uid" in (uid.fix or "")


def test_rstudio_run_non_root_gets_the_jupyter_image_named_as_advice() -> None:
    [finding] = run(
        IMAGES / "rstudio-run-non-root.yaml", select={"notebook-image-needs-root"}
    ).findings
    assert (finding.line, finding.column) == (15, 9)
    assert (finding.applicability, finding.edit) == ("display-only", None)
    fix = " ".join(line.lstrip("# ") for line in (finding.fix or "").splitlines())
    assert (
        "quay.io/jupyter/r-notebook:2024-10-07 starts as its own user, but it is another kind "
        "of image: this one serves rstudio on port 8787 with HOME /home/rstudio, that one "
        "jupyter on port 8888 with HOME /home/jovyan." in fix
    )


def test_tensorflow_s_jupyter_from_tf_is_not_swapped_for_one_from_home_jovyan() -> None:
    [finding] = run(
        IMAGES / "tensorflow-jupyter-root-dir-tf.yaml", select={"notebook-image-runs-as-root"}
    ).findings
    assert (finding.line, finding.applicability, finding.edit) == (15, "display-only", None)
    assert "quay.io/jupyter/tensorflow-notebook:cuda-2024-10-07" in (finding.fix or "")
    assert "HOME /root" in (finding.fix or "")


def test_a_kubeflow_image_is_replaced_by_its_own_newer_release() -> None:
    # The same IDE on the same port with the same HOME: the swap a fix may apply.
    [finding] = run(
        FIXTURES / "fixes" / "manifest" / "notebook-image-needs-root.yaml",
        select={"notebook-image-needs-root"},
    ).findings
    assert finding.applicability == "unsafe"
    assert "image: ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0" in finding.fix


@pytest.mark.parametrize(
    ("image", "swap"),
    [
        ("rocker/rstudio:4.4.1", None),
        ("rocker/geospatial:4.4.1", None),
        ("rocker/r-ver:4.4.1", None),
        ("tensorflow/tensorflow:2.13.0-gpu-jupyter", None),
        ("tensorflow/tensorflow:2.13.0", None),
        ("pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime", None),
        ("nvcr.io/nvidia/pytorch:24.08-py3", None),
        (
            "kubeflownotebookswg/rstudio-tidyverse:v1.8.0",
            "ghcr.io/kubeflow/kubeflow/notebook-servers/rstudio-tidyverse:v1.11.0",
        ),
        (
            "kubeflownotebookswg/codeserver-python:v1.8.0",
            "ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:v1.11.0",
        ),
        (
            "public.ecr.aws/j1r0q0g6/notebooks/notebook-servers/jupyter-pytorch-full:v1.5.0",
            "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-full:v1.11.0",
        ),
    ],
)
def test_only_an_image_of_the_same_kind_is_a_swap_a_fix_applies(
    image: str, swap: str | None
) -> None:
    from nblint.check import images

    entry = images.lookup(image)
    assert entry is not None
    assert images.swap(image, entry) == swap


def test_a_kubeflow_v1_8_image_as_its_own_user_does_not_need_root() -> None:
    result = run(IMAGES / "kubeflow-v1.8-runs-as-its-own-user.yaml")
    assert [f for f in result.findings if f.rule.startswith("notebook-image")] == []
    # allowPrivilegeEscalation: false would stop its setuid-root preinit: the fix that sets it
    # is advice until the image is one that starts without it.
    [escalation] = [f for f in result.findings if f.rule == "allow-privilege-escalation"]
    assert (escalation.line, escalation.applicability, escalation.edit) == (
        16,
        "display-only",
        None,
    )
    fix = " ".join(line.lstrip("# ") for line in (escalation.fix or "").splitlines())
    assert (
        "first change the image, which starts through a setuid-root helper that "
        "allowPrivilegeEscalation: false disables and drop ALL leaves without root's "
        "capabilities: kubeflownotebookswg/jupyter-scipy:v1.8.0 to "
        "one that starts without it "
        "(ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.11.0); then:" in fix
    )


def test_a_kubeflow_v1_8_image_that_may_not_escalate_cannot_start() -> None:
    [finding] = run(
        FIXTURES / "fixes" / "manifest" / "notebook-image-needs-root.yaml",
        select={"notebook-image-needs-root"},
    ).findings
    assert (finding.line, finding.column) == (11, 7)
    assert finding.message == (
        "image kubeflownotebookswg/jupyter-scipy:v1.8.0 starts through a setuid-root helper "
        "(kubeflow-notebook-servers: s6-overlay's preinit), which allowPrivilegeEscalation: false "
        "on container notebook disables: it cannot start"
    )


def test_images_that_run_as_root_only_for_want_of_a_user_start_as_any_uid() -> None:
    result = run(IMAGES / "root-images-run-as-1000.yaml")
    assert [f for f in result.findings if f.rule.startswith("notebook-image")] == []
    assert [f for f in result.findings if f.rule.startswith("notebook-uid")] == []


def test_z2jh_s_singleuser_cmd_replaces_the_root_start_of_rstudio() -> None:
    # Only the profile whose cmd is null runs the image's own start (s6 /init) as uid 1000.
    [finding] = run(
        IMAGES / "rstudio-z2jh-singleuser-cmd.yaml", select={"notebook-image-needs-root"}
    ).findings
    assert (finding.line, finding.profile) == (5, "RStudio through its own start")


def test_a_container_command_replaces_the_root_start_of_rstudio() -> None:
    assert (
        run(
            IMAGES / "rstudio-manifest-own-command.yaml", select={"notebook-image-needs-root"}
        ).findings
        == []
    )
