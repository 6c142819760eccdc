"""Floating image tags beyond ``latest`` (``dev``, ``*-pre-release``…), and ``imagePullPolicy:
Always`` with one (issue 16), on top of issue 13's floating-tag detection."""

from __future__ import annotations

from conftest import FIXTURES, run

IMAGES = FIXTURES / "images"


def found(name: str) -> list[tuple[str, int, str | None]]:
    result = run(IMAGES / name, select={"notebook-image-pinned"})
    return sorted((f.rule, f.line, f.container) for f in result.findings)


def test_dev_and_pre_release_tags_float_and_always_pulls_them_at_every_start() -> None:
    assert found("floating-tags.yaml") == [
        ("notebook-image-pinned", 8, "notebook"),
        ("notebook-image-pinned", 9, "notebook"),  # imagePullPolicy: Always
        ("notebook-image-pinned", 11, "sidecar"),
    ]


def test_dated_and_versioned_tags_and_digests_are_pinned() -> None:
    assert found("pinned-tags.yaml") == []


def test_z2jh_pull_policy_always_with_a_dev_tag() -> None:
    result = run(IMAGES / "z2jh-dev-tag-always.yaml", select={"notebook-image-pinned"})
    lines = sorted((f.line, f.message) for f in result.findings)
    assert [line for line, _ in lines] == [3, 6]
    assert lines[0][1].startswith("container notebook uses image ghcr.io/example/notebook:dev")
    assert "(imagePullPolicy: Always)" in lines[1][1]


def test_the_hint_pins_the_same_image_and_names_no_tag_nblint_cannot_know() -> None:
    result = run(IMAGES / "floating-tags.yaml", select={"notebook-image-pinned"})
    fixes = {(f.line, f.container): f.fix or "" for f in result.findings}
    assert "image: ghcr.io/example/notebook@sha256:DIGEST" in fixes[(8, "notebook")]
    assert "imagePullPolicy: IfNotPresent" in fixes[(9, "notebook")]
    assert "image: ghcr.io/example/helper@sha256:DIGEST" in fixes[(11, "sidecar")]
    assert not any("scipy-notebook" in fix for fix in fixes.values())


def test_the_z2jh_hint_keeps_the_image_name_and_asks_for_a_tag() -> None:
    result = run(IMAGES / "z2jh-dev-tag-always.yaml", select={"notebook-image-pinned"})
    (image,) = [f for f in result.findings if f.line == 3]
    assert image.fix is not None
    assert "name: ghcr.io/example/notebook\n" in image.fix and 'tag: "TAG"' in image.fix
