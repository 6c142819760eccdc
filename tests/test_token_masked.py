"""A pod whose every container mounts a volume at /var/run/secrets/kubernetes.io/serviceaccount
gets no API token: the ServiceAccount admission plugin skips a container with a mount at that
path and adds the token volume only when some container needed it (field test 7b, defect 2).
A mount there of a credential volume, or a container left unmasked, keeps the finding."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, brief, run

from nblint.model.service_account import token_masked

D = FIXTURES / "token-mask"
TOKEN = "notebook-service-account-token"
EDITOR = "default-editor-token"


def test_an_emptydir_at_the_token_path_of_every_container_masks_the_token() -> None:
    assert brief(run(D / "emptydir-at-token-path.yaml", select={TOKEN}).findings) == []


def test_a_notebook_on_default_editor_that_masks_the_token_holds_no_token_of_it() -> None:
    found = run(D / "notebook-default-editor-masked.yaml", select={TOKEN, EDITOR}).findings
    assert brief(found) == []


@pytest.mark.parametrize(
    ("case", "line"),
    [
        ("sidecar-keeps-token.yaml", 6),
        ("init-container-keeps-token.yaml", 6),
        ("token-volume-of-a-dumped-pod.yaml", 6),
        ("projected-token-at-token-path.yaml", 6),
        ("other-path-spelling.yaml", 6),
    ],
)
def test_a_token_still_mounted_somewhere_keeps_the_finding(case: str, line: int) -> None:
    found = run(D / case, select={TOKEN}).findings
    assert brief(found) == [(TOKEN, line, 1)]
    assert found[0].message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )


def test_the_mask_is_read_from_the_spec_alone() -> None:
    mask = {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "m"}
    volumes = [{"name": "m", "emptyDir": {}}]
    assert token_masked({"containers": [{"name": "a", "volumeMounts": [mask]}], "volumes": volumes})
    # A mount of a volume the pod does not have: the API server refuses the pod; nothing masked.
    assert not token_masked({"containers": [{"name": "a", "volumeMounts": [mask]}]})
    assert not token_masked({"containers": "a mapping", "volumes": volumes})
    assert not token_masked({"containers": []})
