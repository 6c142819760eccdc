"""z2jh values: recognised by content, z2jh's root found, files layered as Helm does, over the
bundled chart defaults, and every value traced back to the file and line that set it."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SHARED, cold_check_output, needs_shared, run

from nblint.cli import main
from nblint.dialects.registry import recognise as recognise_dialect
from nblint.dialects.z2jh import Z2JH
from nblint.dialects.z2jh.root import ValuesError, find_root
from nblint.dialects.z2jh.values import (
    Release,
    build_release,
    chart_defaults,
    chart_versions,
    hub_image,
    kubespawner_traits,
    kubespawner_version,
    resolve_chart_version,
    values_schema,
)
from nblint.load.files import load

VALUES = FIXTURES / "z2jh" / "values"
CORPUS = SHARED / "corpus" / "z2jh"


def recognise(root: Any, settings: dict[str, Any] | None = None) -> Any:
    return recognise_dialect(root, settings or {})


def document(name: str | Path) -> Any:
    path = name if isinstance(name, Path) else VALUES / name
    return load(str(path)).documents[0].root


def release(*names: str, root: tuple[str, ...] = (), version: str = "4.4.0") -> Release:
    files = [(str(VALUES / name), document(name)) for name in names]
    built, problems = build_release(files, root, version)
    assert problems == []
    return built


# ---------------------------------------------------------------------------------------------
# Recognition


@pytest.mark.parametrize(
    ("name", "root"),
    [
        ("root-top.yaml", ()),
        ("root-jupyterhub.yaml", ("jupyterhub",)),
        ("root-basehub.yaml", ("basehub", "jupyterhub")),
        ("corpus-mybinder-binderhub-root.yaml", ("binderhub", "jupyterhub")),
        ("corpus-2i2c-nasa-veda-basehub-root.yaml", ("basehub", "jupyterhub")),
        ("corpus-datahub-data101-jupyterhub-root.yaml", ("jupyterhub",)),
        ("corpus-data-on-eks-top-root.yaml", ()),
        ("seed-chapter-values.yaml", ()),
        ("overlay-singleuser-extra-files-only.yaml", ()),
        ("overlay-hub-extra-files-only.yaml", ()),
    ],
)
def test_values_root_is_detected_from_content(name: str, root: tuple[str, ...]) -> None:
    assert find_root(document(name)) == root
    assert recognise(document(name)) == Z2JH


@pytest.mark.parametrize("name", ["not-values-configmap.yaml", "not-values-plain-yaml.yaml"])
def test_documents_without_z2jh_sections_are_not_values(name: str) -> None:
    assert find_root(document(name)) is None
    if name == "not-values-configmap.yaml":
        # Claimed only to be indexed, for a Flux HelmRelease's `spec.valuesFrom` that may name
        # it: no HelmRelease does, so it is skipped, as a document no dialect claims.
        result = run(VALUES / name)
        assert (result.findings, dict(result.skipped)) == ([], {"ConfigMap": 1})
    else:
        assert recognise(document(name)) != Z2JH


def test_values_root_option_overrides_detection() -> None:
    settings = {"values_root": "dask-gateway"}
    assert recognise(document("root-jupyterhub.yaml"), settings) == Z2JH
    result = run(VALUES / "root-jupyterhub.yaml", select={"z2jh"}, values_root="dask-gateway")
    # Read as z2jh values, dask-gateway's `gateway` is a key z2jh does not have.
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-unknown-key", 2, 3)]


def test_a_wrong_values_root_is_reported_not_skipped() -> None:
    result = run(VALUES / "root-top.yaml", select={"z2jh"}, values_root="jupyterhub")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-values-root", 1, 1)]


def test_a_root_that_is_not_a_mapping_is_not_chosen() -> None:
    assert find_root(document("root-not-a-mapping.yaml")) == ("other", "jupyterhub")


# ---------------------------------------------------------------------------------------------
# Chart versions and defaults


EVERY_RELEASE = [
    "3.0.0",
    "3.0.1",
    "3.0.2",
    "3.0.3",
    "3.1.0",
    "3.2.0",
    "3.2.1",
    "3.3.0",
    "3.3.1",
    "3.3.2",
    "3.3.3",
    "3.3.4",
    "3.3.5",
    "3.3.6",
    "3.3.7",
    "3.3.8",
    "4.0.0",
    "4.1.0",
    "4.2.0",
    "4.3.0",
    "4.3.1",
    "4.3.2",
    "4.3.3",
    "4.3.4",
    "4.3.5",
    "4.4.0",
]


def test_every_3x_and_4x_release_is_bundled_and_the_newest_is_the_default() -> None:
    assert chart_versions() == tuple(EVERY_RELEASE)
    assert resolve_chart_version(None) == "4.4.0"
    assert resolve_chart_version("4") == "4.4.0"
    assert resolve_chart_version("4.3") == "4.3.5"
    assert resolve_chart_version("3.3") == "3.3.8"
    assert resolve_chart_version("v3.2.1") == "3.2.1"
    assert [resolve_chart_version(v) for v in EVERY_RELEASE] == EVERY_RELEASE
    with pytest.raises(ValuesError, match=r"'2\.0\.0' is not one nblint knows \(it knows 3\.0\.0"):
        resolve_chart_version("2.0.0")


@pytest.mark.parametrize(
    ("chart_version", "kubespawner"),
    [
        ("3.0.3", "6.0.0"),
        ("3.1.0", "6.1.0"),
        ("3.2.0", "6.2.0"),
        ("3.3.8", "6.2.0"),
        ("4.0.0", "7.0.0"),
        ("4.4.0", "7.0.0"),
    ],
)
def test_each_release_follows_the_kubespawner_its_hub_image_pins(
    chart_version: str, kubespawner: str
) -> None:
    assert kubespawner_version(chart_version) == kubespawner


def test_chart_defaults_differ_per_version_and_carry_the_published_image_tag() -> None:
    old, new = chart_defaults("3.3.8"), chart_defaults("4.4.0")
    assert old["singleuser"]["storage"]["dynamic"]["pvcNameTemplate"] == (
        "claim-{username}{servername}"
    )
    assert new["singleuser"]["storage"]["dynamic"]["pvcNameTemplate"] is None
    assert new["singleuser"]["cloudMetadata"] == {
        "blockWithIptables": True,
        "ip": "169.254.169.254",
    }
    assert new["singleuser"]["networkTools"]["image"]["tag"] == "4.4.0"


def test_kubespawner_traits_follow_the_hub_image_of_the_chart_version() -> None:
    assert "slug_scheme" in kubespawner_traits("4.4.0")
    assert "slug_scheme" not in kubespawner_traits("3.3.8")
    assert "pod_security_context" in kubespawner_traits("3.3.8")


def test_values_without_user_keys_are_the_chart_defaults() -> None:
    built = release("root-top.yaml")
    assert built.values["singleuser"]["defaultUrl"] == "/lab"
    assert built.values["singleuser"]["uid"] == 1000
    assert built.values["cull"]["enabled"] is True
    assert built.is_default(("singleuser", "uid"))
    assert not built.is_default(("singleuser", "defaultUrl"))


# ---------------------------------------------------------------------------------------------
# Layering: maps merge, lists and scalars replace, null deletes a default, later file wins


def test_layers_merge_maps_and_replace_lists() -> None:
    built = release("layer-base.yaml", "layer-overlay.yaml")
    singleuser = built.values["singleuser"]
    assert singleuser["image"] == {
        "name": "quay.io/jupyter/scipy-notebook",
        "tag": "2024-09-01",
        "pullPolicy": None,
        "pullSecrets": [],
    }
    assert singleuser["extraEnv"] == {"FROM_BASE": "1", "FROM_OVERLAY": "1"}
    assert singleuser["extraTolerations"] == [{"key": "overlay", "operator": "Exists"}]
    assert singleuser["cpu"]["limit"] == 2
    assert singleuser["cloudMetadata"]["blockWithIptables"] is False
    assert built.files == [str(VALUES / "layer-base.yaml"), str(VALUES / "layer-overlay.yaml")]


def test_a_user_null_deletes_the_chart_default() -> None:
    built = release("layer-base.yaml", "layer-overlay.yaml")
    assert "uid" not in built.values["singleuser"]
    # The line that deleted it is where to look.
    origin = built.locate(("singleuser", "uid"))
    assert (Path(origin.file).name, origin.line, origin.column, origin.note) == (
        "layer-overlay.yaml",
        8,
        3,
        "",
    )


def test_each_value_is_located_in_the_last_file_that_set_it() -> None:
    built = release("layer-base.yaml", "layer-overlay.yaml")

    def where(*path: str | int) -> tuple[str, int, int]:
        origin = built.locate(path)
        return Path(origin.file).name, origin.line, origin.column

    assert where("singleuser", "image", "name") == ("layer-base.yaml", 3, 5)
    assert where("singleuser", "image", "tag") == ("layer-overlay.yaml", 3, 5)
    assert where("singleuser", "cpu", "limit") == ("layer-base.yaml", 10, 5)
    assert where("singleuser", "extraTolerations", 0, "key") == ("layer-overlay.yaml", 7, 8)
    # A list replaced by a later file: its items all come from that file.
    assert where("singleuser", "extraTolerations", 0) == ("layer-overlay.yaml", 7, 7)


def test_every_path_above_a_written_value_counts_as_written() -> None:
    # The values check relies on it to tell the user's keys from the chart's.
    built = release("layer-base.yaml", "layer-overlay.yaml")
    written = set(built.written_paths())
    assert ("singleuser", "extraTolerations", 0, "key") in written
    assert ("singleuser", "uid") in written
    assert all(path[:length] in written for path in written for length in range(1, len(path)))


def test_a_chart_default_is_located_at_the_nearest_key_the_user_wrote_and_named() -> None:
    built = release("layer-base.yaml")
    origin = built.locate(("singleuser", "cloudMetadata", "blockWithIptables"))
    assert (Path(origin.file).name, origin.line, origin.column) == ("layer-base.yaml", 1, 1)
    assert origin.note == (
        "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh 4.4.0"
    )
    assert built.is_default(("singleuser", "cloudMetadata", "blockWithIptables"))


def test_a_chart_default_outside_any_user_key_is_located_at_the_z2jh_root() -> None:
    built = release("root-basehub.yaml", root=("basehub", "jupyterhub"))
    origin = built.locate(("cull", "timeout"))
    assert (origin.line, origin.column) == (4, 3)
    assert origin.note == (
        "chart default `cull.timeout: 3600` of z2jh 4.4.0 "
        "(unless basehub's own values.yaml, which nblint cannot see, overrides it)"
    )


def test_a_path_set_nowhere_is_located_where_to_add_it() -> None:
    built = release("layer-base.yaml")
    origin = built.locate(("singleuser", "image", "pullSecrets", 0))
    assert (origin.line, origin.column, origin.note) == (2, 3, "")


def test_keys_that_are_not_text_are_what_helm_makes_of_them_at_the_lines_that_wrote_them() -> None:
    # sigs.k8s.io/yaml, which Helm reads values with, turns every mapping key into JSON text.
    name = "keys-not-text.yaml"
    built, problems = build_release([(str(VALUES / name), document(name))], (), "4.4.0")
    singleuser = built.values["singleuser"]
    assert singleuser["extraEnv"] == {"1": "one", "1.5": "one-and-a-half", "16": "sixteen"}
    labels = singleuser["extraLabels"]
    assert (labels["2"], labels["true"], 2 in labels, True in labels) == ("also-two", True, 0, 0)
    assert singleuser["extraAnnotations"] == {"kept": "1"}
    assert built.written(("singleuser", "extraEnv", "16"))
    origin = built.locate(("singleuser", "extraEnv", "16"))
    assert (origin.line, origin.column) == (6, 5)
    assert [(p.rule, p.origin.line, p.origin.column, p.message) for p in problems] == [
        (
            "duplicate-key",
            9,
            5,
            'this key and the key at line 8 are both "2" to Helm (it reads keys as text): it '
            "keeps one of them, which one is not defined",
        ),
        (
            "z2jh-wrong-type",
            12,
            5,
            "`singleuser.extraAnnotations` has a key null, which Helm cannot read (values are "
            "read as JSON, whose keys are text): helm would refuse the release",
        ),
    ]


@pytest.mark.parametrize(
    ("key", "text"),
    [
        ("1", "1"),
        ("-3", "-3"),
        ("0x10", "16"),
        ("true", "true"),
        ("off", "false"),
        ("1.5", "1.5"),
        ("1.0", "1"),
        ("0.1", "0.1"),
        ("3.14159265", "3.1415927"),  # a 32-bit float's shortest digits, as Go writes them
        ("123456.0", "123456"),
        ("1000000.0", "1e+06"),
        ("0.00001", "1e-05"),
        (".inf", ".inf"),
        ("-.inf", "-.inf"),
        (".nan", ".nan"),
        ("9223372036854775807", "9223372036854775807"),
        ("9223372036854775808", None),  # a uint64: sigs.k8s.io/yaml refuses it
        ("~", None),
        ("name", "name"),
    ],
)
def test_a_key_is_the_text_sigs_k8s_io_yaml_makes_of_it(key: str, text: str | None) -> None:
    from nblint.model.keys import json_key

    (loaded,) = yaml.safe_load(f"{key}: x\n")
    assert json_key(loaded) == text


def test_sops_metadata_is_not_part_of_the_values() -> None:
    sops = {"sops": {"version": "3.8.1", "mac": "ENC[AES256_GCM,data:bWFj]"}}
    built, _ = build_release([("f.yaml", {"singleuser": {"uid": 1001}, **sops})], (), "4.4.0")
    assert "sops" not in built.values
    assert built.values["singleuser"]["uid"] == 1001


def test_layered_files_are_one_release_in_the_pipeline() -> None:
    result = run(
        select={"z2jh"},
        values=[str(VALUES / "layer-base.yaml"), str(VALUES / "typo-did-you-mean.yaml")],
    )
    assert result.files == 2
    assert [(Path(f.file).name, f.rule, f.line) for f in result.findings] == [
        ("typo-did-you-mean.yaml", "z2jh-unknown-key", 2),
        ("typo-did-you-mean.yaml", "z2jh-unknown-key", 4),
    ]


# ---------------------------------------------------------------------------------------------
# The corpus: real values files written by others


def _corpus() -> list[dict[str, str]]:
    if not (CORPUS / "SOURCES.tsv").is_file():
        return []
    with open(CORPUS / "SOURCES.tsv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream, delimiter="\t"))


@needs_shared
@pytest.mark.parametrize("row", _corpus(), ids=lambda row: row["file"][:60])
def test_every_corpus_file_is_recognised_at_its_root_and_checked(row: dict[str, str]) -> None:
    path = CORPUS / row["file"]
    root = () if row["values_root"] == "." else tuple(row["values_root"].split("."))
    # Plain PyYAML: the loader refuses documents sops encrypted whole, detection must not care.
    assert find_root(yaml.safe_load(path.read_text(encoding="utf-8"))) == root
    result = run(path)  # no traceback, whatever the file holds
    # Checked as values, or refused whole by the loader with a reason (encrypted whole).
    assert result.documents >= 1 or [f.rule for f in result.findings] == ["sops-encrypted"]
    assert not [f for f in result.findings if f.rule == "internal-error"]


# ---------------------------------------------------------------------------------------------
# Command line


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--chart-version", "2.0"], "'2.0' is not one nblint knows (it knows 3.0.0 … 4.4.0: "),
        (["--values-root", "a..b"], "'a..b': expected dotted keys"),
    ],
)
def test_cli_refuses_bad_z2jh_options_as_usage_errors(option: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["check", *option, str(VALUES / "root-top.yaml")])
    assert result.exit_code == 2
    assert message in result.output


def test_cli_layers_values_files_given_with_f() -> None:
    args = ["check", "--select", "z2jh", "-f", str(VALUES / "layer-base.yaml")]
    args += ["--values", str(VALUES / "typo-did-you-mean.yaml"), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    assert [f["rule"] for f in findings].count("z2jh-unknown-key") == 2


UPSTREAM = SHARED / "upstream" / "z2jh"


@needs_shared
@pytest.mark.parametrize("chart_version", EVERY_RELEASE)
def test_bundled_facts_are_the_release_s_own_values_schema_and_hub_image(
    chart_version: str,
) -> None:
    """Each release rebuilt from the compact facts equals its upstream copy: values.yaml with
    the published image tags, the schema without its prose, the versions its hub image pins."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("derive", ROOT / "schemas/z2jh/derive.py")
    assert spec is not None and spec.loader is not None
    derive = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(derive)
    folder = UPSTREAM / chart_version
    values = yaml.safe_load((folder / "values.yaml").read_text())
    for path in derive.chart_tagged(values):
        parent = values
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = chart_version
    assert chart_defaults(chart_version) == values
    schema = derive.strip(yaml.safe_load((folder / "values.schema.yaml").read_text()))
    assert values_schema(chart_version) == schema
    pins = (folder / "hub" / "requirements.txt").read_text()
    image = hub_image(chart_version)
    assert f"jupyterhub=={image['jupyterhub']}\n" in pins
    assert f"jupyterhub-kubespawner=={image['kubespawner']}\n" in pins


def test_a_plain_run_reads_only_the_newest_release_s_facts(tmp_path: Path) -> None:
    """The other 25 releases are changes to the newest one, read only when asked for."""
    out = [
        line.removeprefix("opened ")
        for line in cold_check_output(VALUES / "root-top.yaml")
        if "z2jh" in line and line.endswith(".json")
    ]
    assert sorted(Path(p).name for p in out if "schemas" in p) == [
        "kubespawner.json",
        "releases.json",
        "spawner-traits.json",
        "values.json",
        "values.schema.json",
    ]


def test_cloud_metadata_left_empty_stops_the_hub() -> None:
    [finding] = run(VALUES / "cloud-metadata-left-empty.yaml", select={"z2jh-wrong-type"}).findings
    assert (finding.line, finding.column) == (4, 3)
    assert finding.message.endswith("so the hub does not start")
