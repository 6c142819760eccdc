"""A value a later ``-f`` file's ``null`` deletes is said where that null is, and the finding says
what it deletes (field test 8a, D7): the earlier file plainly has the volume or the claim name,
and the later file's null is what to edit. Fixtures: ``tests/fixtures/z2jh/deleted-by-null/``.
"""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run

from nblint.model.edit import DISPLAY_ONLY
from nblint.model.finding import Finding

DELETED = FIXTURES / "z2jh" / "deleted-by-null"


def findings(case: str, rule: str) -> list[Finding]:
    layers = [str(DELETED / case / name) for name in ("base.yaml", "prod.yaml")]
    return list(run(values=layers, select={rule}).findings)


def layered(case: str, rule: str) -> list[tuple[str, int, int, str | None]]:
    return [(Path(f.file).name, f.line, f.column, f.note) for f in findings(case, rule)]


def test_a_mount_whose_volume_a_later_null_deletes_is_said_at_the_null() -> None:
    assert layered("extra-volumes", "mount-without-volume") == [
        (
            "prod.yaml",
            3,
            5,
            "the null here deletes the volume `shared` of `singleuser.storage.extraVolumes` in "
            "base.yaml",
        )
    ]
    [found] = findings("extra-volumes", "mount-without-volume")
    assert found.applicability == DISPLAY_ONLY and found.edit is None
    assert found.fix is not None and found.fix.startswith(
        "Write the volume shared in place of this null (singleuser.storage.extraVolumes of this "
        "file: the null deletes the earlier files' volumes), or remove the mount of it at "
        "/home/shared"
    )


def test_a_mount_whose_volume_a_later_empty_hub_config_deletes_is_said_there() -> None:
    assert layered("hub-config-volumes", "mount-without-volume") == [
        (
            "prod.yaml",
            2,
            3,
            "the null `hub.config` here deletes the volume `scratch` of "
            "`hub.config.KubeSpawner.volumes` in base.yaml",
        )
    ]


def test_a_claim_name_a_later_null_deletes_is_said_at_the_null() -> None:
    assert layered("pvc-name", "volume-claim-name-missing") == [
        (
            "prod.yaml",
            4,
            7,
            'the null here deletes `singleuser.storage.static.pvcName: "shared"` of base.yaml',
        )
    ]


def test_an_empty_claim_name_is_said_at_the_claim_name() -> None:
    result = run(DELETED / "pvc-name-empty.yaml", select={"volume-claim-name-missing"})
    assert [(f.line, f.column) for f in result.findings] == [(5, 7)]


def test_a_missing_claim_name_is_said_at_the_storage_type_that_asks_for_it(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("singleuser:\n  storage:\n    type: static\n")
    result = run(path, select={"volume-claim-name-missing"})
    assert [(f.line, f.column) for f in result.findings] == [(3, 5)]


def test_any_finding_on_a_value_a_later_null_deletes_names_that_null() -> None:
    """The class: whatever rule finds the value gone (here the memory limit), its finding is at
    the null and says what the null deletes."""
    assert layered("memory", "notebook-resources") == [
        (
            "prod.yaml",
            2,
            3,
            'the null `singleuser.memory` here deletes `singleuser.memory.guarantee: "1G"` of '
            "base.yaml",
        )
    ]


def test_a_pod_field_whose_key_a_later_null_deletes_is_said_at_the_null() -> None:
    """`uid:` left empty in prod.yaml: the notebook has no runAsUser, and the line to edit is
    that null, not base.yaml's `singleuser:`."""
    assert layered("uid", "notebook-run-as-user") == [
        ("prod.yaml", 2, 3, "the null here deletes `singleuser.uid: 1000` of base.yaml")
    ]
    # A fix that writes the deleted key goes where the null is, or it would change nothing.
    [non_root] = [f for f in findings("uid", "run-as-non-root") if "notebook" in f.message]
    # (Advice while the chart's root block-cloud-metadata would be refused beside the pod's
    # runAsNonRoot: true; placed all the same.)
    where = non_root.edit.file if non_root.edit is not None else non_root.fix_file
    assert where is not None and Path(where).name == "prod.yaml"
