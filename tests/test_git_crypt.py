"""A file encrypted with git-crypt (it starts with the 10 bytes ``\\0GITCRYPT\\0``; field test 20a
D5): its own finding, which says how to check it, not a generic binary-file parse error; as a
``-f`` layer it is a values layer nblint did not read, as a sops-encrypted one is said: findings on
chart defaults name it, and a fix whose effect it may undo is not safe."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run

GIT_CRYPT = FIXTURES / "git_crypt"
SAID = "encrypted with git-crypt: nothing of it was read; run `git-crypt unlock` to check it"


def test_an_encrypted_file_is_said_so() -> None:
    result = run(GIT_CRYPT / "secrets.yaml")
    assert [(f.rule, f.line, f.message) for f in result.findings] == [
        ("git-crypt-encrypted", 1, SAID)
    ]


def test_an_encrypted_layer_is_values_nblint_did_not_read() -> None:
    result = run(values=[str(GIT_CRYPT / "config.yaml"), str(GIT_CRYPT / "secrets.yaml")])
    assert [
        (f.rule, Path(f.file).name) for f in result.findings if f.rule == "git-crypt-encrypted"
    ] == [("git-crypt-encrypted", "secrets.yaml")]
    assert not [f for f in result.findings if f.rule == "parse-error"]
    [pod] = result.pods
    assert "`" in pod.facts["unread_values"] and "secrets.yaml" in pod.facts["unread_values"]
    by_rule = {f.rule: f for f in result.findings}
    # The authenticator is the chart's dummy unless the unread layer sets it: the note says so.
    assert "secrets.yaml" in by_rule["notebook-authentication"].note
    # Dropping the notebook's capabilities is not safe where values nblint did not read may
    # rely on them.
    assert by_rule["capabilities-restricted"].applicability == "unsafe"
