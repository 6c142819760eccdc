"""A read-only root filesystem must not freeze HOME (``notebook-read-only-root-filesystem``): where
no writable volume serves HOME — the image's, or the assumed one when nblint does not know the
image — the fix is shown, never applied."""

from __future__ import annotations

from conftest import FIXTURES, run

RULE = {"notebook-read-only-root-filesystem"}
Z2JH = FIXTURES / "z2jh" / "home-on-root"
MANIFESTS = FIXTURES / "manifests" / "home-on-root"


def found(path):  # type: ignore[no-untyped-def]
    return [(f.rule, f.line, f.column, f.applicability) for f in run(path, select=RULE).findings]


def test_z2jh_without_a_home_volume_and_an_unknown_image_gets_no_applied_fix() -> None:
    assert found(Z2JH / "unknown-image-no-home-volume.yaml") == [
        ("notebook-read-only-root-filesystem", 4, 1, "display-only")
    ]
    (finding,) = run(Z2JH / "unknown-image-no-home-volume.yaml", select=RULE).findings
    assert finding.fix.startswith("# first mount a volume of your own at HOME")


def test_a_pod_without_a_home_volume_and_an_unknown_image_gets_no_applied_fix() -> None:
    assert found(MANIFESTS / "unknown-image-no-home-volume.yaml") == [
        ("notebook-read-only-root-filesystem", 8, 7, "display-only")
    ]


def test_a_claim_at_the_assumed_home_lets_the_fix_apply() -> None:
    assert found(MANIFESTS / "unknown-image-home-volume.yaml") == [
        ("notebook-read-only-root-filesystem", 10, 7, "unsafe")
    ]
