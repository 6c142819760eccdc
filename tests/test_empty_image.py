"""A container without an image (``image: ""``, ``image:`` null, no ``image``): the API server
refuses the pod, and a workload whose template has one. Said once, at the image, as an error;
no other rule speaks of the empty image (the image tables, the workload signs)."""

from __future__ import annotations

from conftest import FIXTURES, brief, run, write

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


# OpenShift's image triggers (field test 12b, D2): the trigger controller writes the image in, so
# a blank it names is a placeholder, not a refusal; the rest of the pod is checked.


def test_a_blank_image_an_image_trigger_annotation_names_is_unknown_not_missing() -> None:
    result = run(HERE / "deployment-blank-image-trigger.yaml")
    assert brief(result.findings) == [
        ("notebook-service-account-token", 13, 5),
        ("allow-privilege-escalation", 15, 9),
        ("capabilities-restricted", 15, 9),
        ("notebook-read-only-root-filesystem", 15, 9),
        ("notebook-resources", 15, 9),
        ("notebook-run-as-user", 15, 9),
        ("run-as-non-root", 15, 9),
        ("seccomp-profile-restricted", 15, 9),
    ]
    # Nothing is said of the image as if it were the blank (no notebook-image-unknown).
    [pod] = result.pods
    assert pod.pod["spec"]["containers"][0]["image"].startswith("${")


def test_a_blank_image_no_trigger_names_still_fails_every_pod() -> None:
    # Only the proxy container is named: the notebook's blank stays; a template may hold it,
    # the pods made from it are refused (validateContainerOnlyForPod).
    result = run(HERE / "deployment-blank-image-other-trigger.yaml")
    assert brief(result.findings) == [("container-image-missing", 16, 9)]
    assert result.findings[0].message == (
        "container nb has no image (`image` is blank): every pod the Deployment makes is "
        "refused, so none starts; nothing else of it is checked"
    )


def test_an_empty_image_is_refused_before_an_annotation_trigger_can_fill_it() -> None:
    result = run(HERE / "deployment-empty-image-trigger.yaml")
    assert brief(result.findings) == [("container-image-missing", 16, 9)]
    assert result.findings[0].message == (
        "container nb has no image (`image` is empty): the API server refuses the Deployment, "
        "which never makes a pod (the image trigger of the annotation image.openshift.io/triggers "
        'cannot fill it in: write `image: " "`, which a pod template may hold); nothing else of '
        "it is checked"
    )


def test_a_pod_s_blank_image_is_refused_whatever_its_annotations() -> None:
    result = run(HERE / "pod-blank-image-trigger.yaml")
    assert brief(result.findings) == [("container-image-missing", 10, 5)]
    assert "the API server refuses the Pod" in result.findings[0].message


def test_a_deploymentconfig_image_change_trigger_fills_even_an_empty_image() -> None:
    # OpenShift validates a DeploymentConfig as if a container its ImageChange trigger names
    # had an image, and the trigger writes it in.
    result = run(HERE / "deploymentconfig-image-change-trigger.yaml")
    assert result.pod_count == 1
    # On OpenShift (a DeploymentConfig): restricted-v2 sets what PSA asks of it.
    assert brief(result.findings) == [("workload-not-a-notebook", 27, 9)]
    # The image is unknown, but the image stream tag the trigger takes it from is a sign.
    assert result.findings[-1].message.startswith(
        "DeploymentConfig/db is not a notebook: its container db runs the image of image stream "
        "tag postgresql:16-el9 (an image trigger sets it), a well-known server that holds data"
    )


def test_a_trigger_by_index_counts_and_one_nblint_cannot_read_names_nothing(tmp_path) -> None:
    text = (HERE / "deployment-blank-image-trigger.yaml").read_text()
    by_index = text.replace('containers[?(@.name==\\"nb\\")].image', "containers[0].image")
    assert by_index != text
    assert "container-image-missing" not in {
        f.rule for f in run(write(tmp_path, "i.yaml", by_index)).findings
    }
    unreadable = text.replace("'[{", "'[{,")
    assert brief(run(write(tmp_path, "u.yaml", unreadable)).findings) == [
        ("container-image-missing", 16, 9)
    ]
