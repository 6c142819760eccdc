"""sops-encrypted inputs: a document sops encrypted whole is refused (``sops-encrypted``); one
it encrypted in part (``encrypted_regex`` and kin) is checked on its plaintext, its encrypted
values are text nblint cannot know, and one finding names them (``sops-partly-encrypted``).

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
