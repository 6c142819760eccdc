"""A container without an image (``image: ""``, ``image:`` null, no ``image``): the API server
refuses the pod, and a workload whose template has one. Said once, at the image, as an error;
no other rule speaks of the empty image (the image tables, the workload signs)."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

HERE = FIXTURES / "empty-image"


def test_a_deployment_with_an_empty_image_is_refused_and_nothing_else_is_said() -> None:
    result = run(HERE / "deployment-image-empty.yaml")
    assert brief(result.findings) == [("container-image-missing", 12, 11)]
    finding = result.findings[0]
    assert finding.severity == "error"
    assert finding.message == (
        "container server has no image (`image` is empty): the API server refuses the "
        "Deployment, which never makes a pod; nothing else of it is checked"
    )
    assert result.pods == []


def test_a_null_image_is_the_same_refusal() -> None:
    result = run(HERE / "deployment-image-null.yaml")
    assert brief(result.findings) == [("container-image-missing", 12, 11)]
    assert "(`image` is null)" in result.findings[0].message


def test_a_pod_reports_each_container_without_an_image_init_containers_too() -> None:
    result = run(HERE / "pod-init-unset-container-blank.yaml")
    assert brief(result.findings) == [
        ("container-image-missing", 6, 7),  # the init container that has no image key
        ("container-image-missing", 9, 7),  # image: "  "
    ]
    assert [f.message.split(":")[0] for f in result.findings] == [
        "initContainer init has no image (`image` is unset)",
        "container c has no image (`image` is blank)",
    ]


def test_a_notebook_with_an_empty_image_keeps_its_one_refusal() -> None:
    findings = run(HERE / "notebook-image-empty.yaml").findings
    assert [(f.rule, f.line) for f in findings if f.severity == "error"] == [
        ("kubeflow-invalid-object", 9)
    ]


def test_a_z2jh_profile_override_with_an_empty_image_fails_its_spawns_once() -> None:
    # KubeSpawner hands the image it is given to the pod as it is: "" (kubespawner.objects).
    findings = run(HERE / "z2jh-profile-override-image-empty.yaml").findings
    about_image = [f for f in findings if f.rule.startswith(("container-image", "notebook-image"))]
    assert brief(about_image) == [("container-image-missing", 5, 9)]
    assert about_image[0].profile == "empty"


def test_an_empty_singleuser_image_name_leaves_kubespawners_default_image() -> None:
    # The chart sets KubeSpawner.image only from a non-empty name: KubeSpawner's default stays.
    findings = run(HERE / "z2jh-singleuser-image-name-empty.yaml").findings
    assert "container-image-missing" not in {f.rule for f in findings}
    pinned = [f for f in findings if f.rule == "notebook-image-pinned"]
    assert [f.message.split(",")[0] for f in pinned] == [
        "container notebook uses image quay.io/jupyterhub/singleuser:latest"
    ]
