"""One indentation slip in a z2jh values file (a key one level too shallow or too deep) is one
mistake: one ``z2jh-unknown-key`` at the first misplaced key, naming where the keys belong, when
the values schema says so; a key whose place nblint cannot tell keeps its own finding."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

from nblint.model.finding import Finding

VALUES = FIXTURES / "z2jh" / "values"


def unknown_keys(name: str) -> list[Finding]:
    findings = run(VALUES / name, select={"z2jh"}).findings
    return [f for f in findings if f.rule == "z2jh-unknown-key"]


def test_keys_of_an_empty_image_written_one_level_too_shallow_are_one_finding() -> None:
    findings = unknown_keys("slip-image-keys-too-shallow.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 4, 3)]  # name:, the first key to indent
    assert findings[0].message == (
        "`singleuser.name`, `singleuser.tag` are not z2jh 4.4.0 keys, so helm would refuse the "
        "release: they look indented one level too shallow; `name`, `tag` are keys of "
        "`singleuser.image`"
    )
    assert findings[0].fix == "Indent `name`, `tag` one level further, under `image:` (line 3)."


def test_a_key_of_an_empty_storage_written_one_level_too_shallow_names_its_place() -> None:
    findings = unknown_keys("slip-storage-type-too-shallow.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 7, 3)]
    assert "indented one level too shallow; `type` is a key of `singleuser.storage`" in (
        findings[0].message
    )
    assert findings[0].fix == "Indent `type` one level further, under `storage:` (line 6)."


def test_keys_written_one_level_too_deep_are_one_finding_naming_the_level_above() -> None:
    findings = unknown_keys("slip-keys-too-deep.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 6, 5)]  # storage:, under image
    assert findings[0].message == (
        "`singleuser.image.storage`, `singleuser.image.cpu` are not z2jh 4.4.0 keys, so helm "
        "would refuse the release: they look indented one level too deep; `storage`, `cpu` are "
        "keys of `singleuser`"
    )
    assert findings[0].fix == "Indent `storage`, `cpu` one level less, under `singleuser`."


def test_keys_whose_place_nblint_cannot_tell_keep_a_finding_each() -> None:
    # limit and guarantee are keys of both singleuser.cpu and singleuser.memory.
    findings = unknown_keys("slip-ambiguous-place.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 6, 3), ("z2jh-unknown-key", 7, 3)]
    assert all("indented" not in f.message for f in findings)
