"""sops-encrypted inputs: a document sops encrypted whole is refused (``sops-encrypted``); one
it encrypted in part (``encrypted_regex`` and kin) is checked on its plaintext, its encrypted
values are text nblint cannot know, and one finding names them (``sops-partly-encrypted``). A
layer of a release encrypted whole is layered all the same, its values unknown (field test 14a
D1: no "dummy authenticator" when it sets the authenticator).

Fixtures: ``tests/fixtures/sops/`` (and ``tests/fixtures/hostile/sops-encrypted-values.yaml``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import FIXTURES, SHARED, needs_shared, run

from nblint.model.result import RunResult

SOPS = FIXTURES / "sops"
CORPUS = SHARED / "corpus" / "z2jh"


def placed(result: RunResult, *rules: str) -> list[tuple[str, int, int, str | None]]:
    return [(f.rule, f.line, f.column, f.profile) for f in result.findings if f.rule in rules]


def test_the_plaintext_of_partly_encrypted_values_is_checked() -> None:
    result = run(SOPS / "partly-encrypted-values.yaml")
    assert len(result.pods) == 1
    # `uid: 0` is plaintext: checked as usual, at its line.
    assert placed(result, "notebook-no-sudo") == [("notebook-no-sudo", 13, 3, None)]
    # The encrypted volume is still an nfs volume: its source is plaintext.
    assert placed(result, "restricted-volumes") == [("restricted-volumes", 20, 9, None)]


def test_one_finding_names_the_keys_sops_encrypted() -> None:
    result = run(SOPS / "partly-encrypted-values.yaml")
    # At the sops metadata, once; the z2jh values count no encrypted value again.
    assert placed(
        result, "sops-partly-encrypted", "sops-encrypted", "z2jh-unrendered-template"
    ) == [("sops-partly-encrypted", 23, 1, None)]
    finding = next(f for f in result.findings if f.rule == "sops-partly-encrypted")
    assert finding.severity == "info"
    assert finding.message == (
        "partly sops-encrypted: the plaintext was checked, but not what sops encrypted, which "
        "nblint cannot know: hub.config.Authenticator.admin_users, "
        "hub.config.GitHubOAuthenticator.client_secret, singleuser.storage.extraVolumes"
    )


def test_an_encrypted_value_is_unknown_not_checked_as_text() -> None:
    result = run(SOPS / "partly-encrypted-values.yaml")
    # The encrypted admin list and secret are not typed against the schema, nor is any
    # template placeholder reported for them.
    assert placed(result, "z2jh-wrong-type", "z2jh-unknown-key", "z2jh-spawn-failure") == []


def test_a_partly_encrypted_manifest_is_checked_too() -> None:
    result = run(SOPS / "partly-encrypted-manifest.yaml")
    assert len(result.pods) == 1
    assert placed(result, "privileged", "sops-partly-encrypted") == [
        ("privileged", 11, 9, None),
        ("sops-partly-encrypted", 15, 1, None),
    ]
    assert result.findings[-1].message.endswith(": spec.containers[0].env[0].value")


def test_a_document_encrypted_whole_is_still_refused() -> None:
    result = run(FIXTURES / "hostile" / "sops-encrypted-values.yaml")
    assert result.pods == []
    assert placed(result, "sops-encrypted", "sops-partly-encrypted") == [
        ("sops-encrypted", 7, 1, None)
    ]


def test_many_encrypted_keys_are_counted_past_the_twentieth(tmp_path: Path) -> None:
    keys = "".join(
        f"  k{i:02}: ENC[AES256_GCM,data:eA==,iv:aXY=,tag:dGFn,type:str]\n" for i in range(25)
    )
    path = tmp_path / "many.yaml"
    path.write_text(
        "singleuser:\n  uid: 1000\nhub:\n  config:\n    X:\n"
        + keys.replace("  k", "      k")
        + "sops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.8.1\n"
    )
    finding = next(f for f in run(path).findings if f.rule == "sops-partly-encrypted")
    assert finding.message.endswith("hub.config.X.k19 and 5 more")


def _partly_encrypted_corpus() -> list[str]:
    if not (CORPUS / "SOURCES.tsv").is_file():
        return []
    with (CORPUS / "SOURCES.tsv").open() as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return [row["file"] for row in rows if "ENC[" in (CORPUS / row["file"]).read_text()]


@needs_shared
@pytest.mark.parametrize("name", _partly_encrypted_corpus() or ["(no corpus)"])
def test_the_partly_encrypted_corpus_files_yield_their_pods_and_findings(name: str) -> None:
    result = run(CORPUS / name)
    assert result.pods, name
    rules = [f.rule for f in result.findings]
    assert "sops-encrypted" not in rules
    assert rules.count("sops-partly-encrypted") == 1
    # Findings on their plaintext, placed in the file.
    assert any(f.severity == "error" and f.line > 1 for f in result.findings)


# A layer of a release sops encrypted whole: its keys are plaintext, so it is layered, its
# `ENC[…]` values unknown text (as a partly encrypted file's); its sops block is no value. The
# release's last layer sets the authenticator: it is not the chart's dummy, only unknown.
LAYERED = ["layered-values.yaml", "layered-secrets.yaml"]
ENCRYPTED_WHOLE = (
    "sops-encrypted document: its values are ciphertext and were not checked; "
    "lint the decrypted values (sops -d FILE | nblint check -)"
)


def said(result: RunResult, *rules: str) -> list[tuple[str, str, int, str]]:
    return [
        (f.rule, Path(f.file).name, f.line, f.message) for f in result.findings if f.rule in rules
    ]


def test_a_layer_encrypted_whole_is_layered_its_values_unknown() -> None:
    result = run(values=[str(SOPS / name) for name in LAYERED])
    assert len(result.pods) == 1
    # No "the hub's authenticator is dummy"; no sudo claimed of the unknown GRANT_SUDO; the
    # encrypted values are not typed, nor named as template placeholders.
    assert said(
        result,
        "notebook-authentication",
        "notebook-no-sudo",
        "sops-encrypted",
        "sops-partly-encrypted",
        "z2jh-unrendered-template",
        "z2jh-wrong-type",
        "z2jh-unknown-key",
    ) == [("sops-encrypted", "layered-secrets.yaml", 10, ENCRYPTED_WHOLE)]
    # The plaintext layer below it still makes the pod (the sops block is no value: no unknown
    # key `sops`).
    assert result.pods[0].pod["spec"]["containers"][0]["image"] == (
        "quay.io/jupyter/scipy-notebook:2024-04-22"
    )


def test_a_configured_release_with_a_layer_encrypted_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `nblint check layered-secrets.yaml` in a project whose config names the release: the file
    # is judged with its release's layers, as with -f.
    from click.testing import CliRunner

    from nblint.cli import main

    for name in LAYERED:
        (tmp_path / name).write_text((SOPS / name).read_text())
    (tmp_path / "pyproject.toml").write_text(
        '[tool.nblint.releases.prod]\nvalues = ["layered-values.yaml", "layered-secrets.yaml"]\n'
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NBLINT_CACHE_DIR", str(tmp_path / "cache"))
    out = CliRunner().invoke(
        main,
        [
            "check",
            "--format",
            "concise",
            "--select",
            "notebook-authentication,sops-encrypted",
            "layered-secrets.yaml",
        ],
        catch_exceptions=False,
    )
    assert [line for line in out.output.splitlines() if "[" in line] == [
        f"layered-secrets.yaml:10:1: error[sops-encrypted] {ENCRYPTED_WHOLE}"
    ]


def test_a_helmfile_values_file_encrypted_whole_is_layered_and_said() -> None:
    folder = SOPS / "helmfile-encrypted-layer"
    rules = ("notebook-authentication", "notebook-no-sudo", "z2jh-unread-values", "sops-encrypted")
    result = run(folder / "helmfile.yaml")
    assert len(result.pods) == 1
    assert said(result, *rules) == [
        (
            "z2jh-unread-values",
            "helmfile.yaml",
            11,
            "the values file `layered-secrets.yaml` "
            f"({folder / 'layered-secrets.yaml'}) that the helmfile release `jhub` layers is "
            "sops-encrypted: its keys and plaintext were read, not its encrypted values "
            "(`ENC[…]`), which nblint cannot know",
        )
    ]
    # Named as an input too, the file says its own problem, once.
    result = run(folder / "helmfile.yaml", folder / "layered-secrets.yaml")
    assert said(result, *rules) == [("sops-encrypted", "layered-secrets.yaml", 10, ENCRYPTED_WHOLE)]


def test_read_alone_a_file_encrypted_whole_is_still_only_refused() -> None:
    result = run(SOPS / "layered-secrets.yaml")
    assert result.pods == []
    assert said(result, "sops-encrypted", "notebook-authentication") == [
        ("sops-encrypted", "layered-secrets.yaml", 10, ENCRYPTED_WHOLE)
    ]
