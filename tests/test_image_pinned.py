"""Floating image tags beyond ``latest`` (``dev``, ``*-pre-release``…), and ``imagePullPolicy:
Always`` with one (issue 16), on top of issue 13's floating-tag detection. A floating image
pulled ``Always`` is one problem: one finding at the image line that says so (field test 2, #5)."""

from __future__ import annotations

from conftest import FIXTURES, run

IMAGES = FIXTURES / "images"


def found(name: str) -> list[tuple[str, int, str | None]]:
    result = run(IMAGES / name, select={"notebook-image-pinned"})
    return sorted((f.rule, f.line, f.container) for f in result.findings)


def test_dev_and_pre_release_tags_float_and_always_pulls_them_at_every_start() -> None:
    assert found("floating-tags.yaml") == [
        ("notebook-image-pinned", 8, "notebook"),  # with imagePullPolicy: Always (line 9)
        ("notebook-image-pinned", 11, "sidecar"),
    ]


ALWAYS = ", and pulls it again at every start (imagePullPolicy: Always): each server may run"


def test_a_floating_image_pulled_always_is_one_finding_at_the_image_that_says_so() -> None:
    result = run(IMAGES / "floating-tags.yaml", select={"notebook-image-pinned"})
    by_container = {f.container: f for f in result.findings}
    assert by_container["notebook"].message.startswith(
        "container notebook uses image ghcr.io/example/notebook:dev, which is not pinned ("
    )
    assert ALWAYS in by_container["notebook"].message
    assert ALWAYS not in by_container["sidecar"].message  # no pull policy: not said


def test_kubeflow_a_latest_image_pulled_always_is_one_finding() -> None:
    result = run(IMAGES / "kubeflow-latest-always.yaml", select={"notebook-image-pinned"})
    [finding] = result.findings
    assert (finding.line, finding.column, finding.container) == (13, 11, "nb")
    assert ALWAYS in finding.message
    assert finding.fix is not None and "jupyter-scipy@sha256:DIGEST" in finding.fix


def test_z2jh_a_profile_image_pulled_always_is_one_finding_at_its_image() -> None:
    path = IMAGES / "z2jh-profile-latest-always.yaml"
    result = run(path, select={"notebook-image-pinned"})
    [finding] = result.findings
    assert (finding.line, finding.column, finding.profile) == (10, 9, "Nightly")
    assert ALWAYS in finding.message
    assert finding.fix is not None and "image: quay.io/jupyter/scipy-notebook:TAG" in finding.fix


def test_dated_and_versioned_tags_and_digests_are_pinned() -> None:
    assert found("pinned-tags.yaml") == []


def test_z2jh_pull_policy_always_with_a_dev_tag() -> None:
    result = run(IMAGES / "z2jh-dev-tag-always.yaml", select={"notebook-image-pinned"})
    [finding] = result.findings
    assert finding.line == 3  # the image, not pullPolicy (line 6): one problem, one finding
    assert finding.message.startswith("container notebook uses image ghcr.io/example/notebook:dev")
    assert ALWAYS in finding.message


def test_the_hint_pins_the_same_image_and_names_no_tag_nblint_cannot_know() -> None:
    result = run(IMAGES / "floating-tags.yaml", select={"notebook-image-pinned"})
    fixes = {(f.line, f.container): f.fix or "" for f in result.findings}
    # A tag first: `@sha256:DIGEST` as written is no image reference (invalid-image-reference).
    assert "image: ghcr.io/example/notebook:TAG" in fixes[(8, "notebook")]
    assert "or ghcr.io/example/notebook@sha256:DIGEST" in fixes[(8, "notebook")]
    assert "imagePullPolicy" not in fixes[(8, "notebook")]  # pinned, Always can stay
    assert "image: ghcr.io/example/helper:TAG" in fixes[(11, "sidecar")]
    assert not any("scipy-notebook" in fix for fix in fixes.values())


def test_the_z2jh_hint_keeps_the_image_name_and_asks_for_a_tag() -> None:
    result = run(IMAGES / "z2jh-dev-tag-always.yaml", select={"notebook-image-pinned"})
    (image,) = [f for f in result.findings if f.line == 3]
    assert image.fix is not None
    assert "name: ghcr.io/example/notebook\n" in image.fix and 'tag: "TAG"' in image.fix


def test_docker_stacks_version_tags_move_and_only_dated_and_commit_tags_pin() -> None:
    # docker-stacks rebuilds weekly and moves python-3.12, cuda12-python-3.12, spark-3.5.3 to the
    # newest build (field test 2, missed: pytorch-notebook:cuda12-python-3.12 passed).
    result = run(IMAGES / "docker-stacks-version-tags.yaml", select={"notebook-image-pinned"})
    moves = "whose docker-stacks version tag moves to each weekly rebuild"
    by_container = {f.container: f for f in result.findings}
    assert sorted((f.line, f.container) for f in result.findings) == [
        (10, "python"),
        (12, "cuda"),
        (15, "spark"),
        (17, "latest"),  # the floating-tag message: one finding, not two
    ]  # dated, commit, digest, a mirror's, Docker Hub's, a placeholder, z2jh's sample: not judged
    assert moves in by_container["python"].message
    assert moves in by_container["cuda"].message and ALWAYS in by_container["cuda"].message
    assert moves not in by_container["latest"].message
