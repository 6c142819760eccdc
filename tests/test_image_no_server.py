"""An image with no Jupyter server to start, as the notebook-images table establishes it
(field test 9a, D4): z2jh runs `jupyterhub-singleuser` (`singleuser.cmd`), which `nvidia/cuda`,
`pytorch/pytorch` and TensorFlow's images do not have; started as built, an image whose row says
`server: none` runs a shell. An image the table does not know, or a command of the container's
own, is no finding: nblint cannot tell."""

from __future__ import annotations

from conftest import FIXTURES, run

IMAGES = FIXTURES / "images"
RULE = {"notebook-image-no-server"}


def test_a_z2jh_profile_whose_image_lacks_jupyterhub_singleuser_is_an_error_at_it() -> None:
    result = run(IMAGES / "profiles-whose-image-has-no-jupyterhub-singleuser.yaml", select=RULE)
    assert [(f.line, f.column, f.profile, f.severity) for f in result.findings] == [
        (15, 9, "CUDA", "error"),
        (18, 9, "TensorFlow Jupyter", "error"),
    ]
    assert result.findings[0].message == (
        "image nvidia/cuda:12.2.0-runtime-ubuntu22.04 (nvidia-cuda) has no "
        "`jupyterhub-singleuser`, the command container notebook runs: the container exits at "
        "start and no notebook server comes up"
    )
    # TensorFlow's Jupyter image serves Jupyter, not JupyterHub's single-user server.
    assert "such as quay.io/jupyter/tensorflow-notebook:cuda-2024-10-07" in result.findings[1].fix


def test_a_notebook_that_starts_an_image_serving_nothing_is_an_error_at_its_image() -> None:
    result = run(IMAGES / "notebooks-whose-image-serves-nothing.yaml", select=RULE)
    assert [(f.line, f.column, f.object) for f in result.findings] == [(11, 11, "Notebook/shell")]
    assert result.findings[0].message == (
        "image pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime (pytorch) serves nothing when "
        "started as built (a shell, no server) and container shell gives it no command: no "
        "notebook server comes up"
    )
