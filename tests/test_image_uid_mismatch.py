"""``notebook-uid-mismatch`` says what another uid cannot write (field test 12a D4).

Another uid than the image's own user cannot write the image's package directories, nor HOME
while HOME is the image's. HOME on a volume that uid can write — an emptyDir, or a claim the
pod's ``fsGroup`` makes group-writable (as OpenShift's restricted-v2 SCC assigns one) — is not
read-only, and the message does not say it is.
"""

from __future__ import annotations

import pytest
from conftest import FIXTURES, run

IMAGES = FIXTURES / "images"
LEAD = (
    "container notebook runs as uid 1500, but image pangeo/pangeo-notebook:2024.10.01 gives its "
    "files to jovyan (1000): "
)


@pytest.mark.parametrize(
    ("name", "line", "read_only"),
    [
        ("uid-mismatch-home-in-image.yaml", 7, "HOME and package directories will be read-only"),
        (
            "uid-mismatch-home-claim-no-fsgroup.yaml",
            8,
            "HOME and package directories will be read-only",
        ),
        (
            "uid-mismatch-home-claim-fsgroup.yaml",
            8,
            "package directories will be read-only (HOME, /home/jovyan, is a volume that fsGroup "
            "2000 makes writable, where its storage honours fsGroup)",
        ),
        (
            "uid-mismatch-home-emptydir.yaml",
            7,
            "package directories will be read-only (HOME, /home/jovyan, is an emptyDir: writable)",
        ),
    ],
)
def test_home_is_said_read_only_only_where_that_uid_cannot_write_it(
    name: str, line: int, read_only: str
) -> None:
    found = run(IMAGES / name, select={"notebook-uid-mismatch"}).findings
    assert [(f.rule, f.line, f.column, f.message) for f in found] == [
        ("notebook-uid-mismatch", line, 5, LEAD + read_only)
    ]
