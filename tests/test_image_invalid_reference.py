"""An image that is no valid image reference (distribution/reference's grammar, what the kubelet
parses; field test 20a D3): the kubelet fails the container with InvalidImageName. One error at
the key to edit (z2jh: `singleuser.image.name`, which the chart joins with `image.tag`; a
profile's override image; a manifest's image), and the pinning and image-table rules say nothing
more of it. A placeholder (`${TAG}`) is not judged."""

from __future__ import annotations

import re

from conftest import FIXTURES, run
from hypothesis import given
from hypothesis import strategies as st

from nblint.model.names import REFERENCE, _plainly_valid, invalid_reference

IMAGES = FIXTURES / "images"
RULES = {"invalid-image-reference", "notebook-image-pinned", "notebook-image-unknown"}


def found(name: str) -> list[tuple[str, int, str | None, str | None]]:
    result = run(IMAGES / name, select=RULES)
    return sorted((f.rule, f.line, f.container, f.profile) for f in result.findings)


def test_z2jh_a_name_with_its_own_tag_and_a_tag_is_an_error_at_the_name() -> None:
    # cityfish/scipy-notebook-plus:0.1 + tag latest -> `…:0.1:latest`: not "not pinned".
    assert found("z2jh-name-with-tag-and-tag.yaml") == [
        ("invalid-image-reference", 3, "notebook", None),
    ]


def test_z2jh_a_profile_image_with_capitals_is_an_error_a_placeholder_is_not_judged() -> None:
    assert [f[:3] for f in found("z2jh-profile-invalid-image.yaml")] == [
        ("invalid-image-reference", 8, "notebook"),
    ]


def test_manifest_a_scheme_and_a_tag_after_the_digest_are_errors() -> None:
    assert found("pod-invalid-images.yaml") == [
        ("invalid-image-reference", 7, "notebook", None),
        ("invalid-image-reference", 9, "side", None),
    ]


def test_the_grammar() -> None:
    valid = [
        "quay.io/jupyter/base-notebook:2024-10-07",
        "localhost:5000/team/nb:1.0",
        "jupyter/base-notebook",
        "nb@sha256:" + "0" * 64,
        "quay.io/jupyter/base-notebook:latest@sha256:" + "0" * 64,
        "[::1]:5000/nb",
        "repo:${TAG}",  # placeholders: not judged
        "$IMAGE_NAME:$IMAGE_TAG",
        "<REGISTRY>/team/notebook:latest",  # a golden template's (field test 22b D1)
        "",  # no image: container-image-missing's
    ]
    invalid = [
        "cityfish/scipy-notebook-plus:0.1:latest",
        "quay.io/Jupyter/base-notebook",
        "http://quay.io/jupyter/base-notebook",
        "jupyter/base notebook",
        "nb@sha256:" + "0" * 64 + ":1.0",
    ]
    assert [i for i in valid if invalid_reference(i)] == []
    assert [i for i in invalid if not invalid_reference(i)] == []


def test_notebook_image_pinned_uses_the_same_expression() -> None:
    root = FIXTURES.parent.parent / "rules"
    assert f"'{REFERENCE}'" in (root / "notebook/notebook-image-pinned.yaml").read_text()


@given(
    st.text(alphabet="abcAB01._-/:@_", min_size=1, max_size=24)
    | st.sampled_from(
        [
            "quay.io/jupyter/scipy-notebook:2024-10-07",
            "localhost:5000/team/nb:1",
            "a..b",
            "a/-b",
            "repo:0.1:latest",
            "Repo/nb",
            "nb:" + "x" * 129,
            "nb@sha256:" + "0" * 64,
        ]
    )
)
def test_the_plain_form_is_a_part_of_the_grammar(image: str) -> None:
    # The string tests that spare most images the grammar's compilation never call an image
    # plainly valid that the grammar refuses.
    if _plainly_valid(image):
        assert re.match(REFERENCE, image), image
