"""A Flux HelmRelease's ``spec.valuesFrom``: the ConfigMaps and Secrets among the inputs (the
same file or another one) are layered as helm-controller layers them — each entry in order, then
``spec.values`` on top — and every finding inside their values is placed at the line of the
ConfigMap's or Secret's text that writes the value; fixes there are shown, never applied (the
values are a string). An entry whose object is not among the inputs is said, with advice that
works.

Each case is a file (or a directory) of ``tests/fixtures/z2jh/gitops/values-from/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, report_across_jobs, run

from nblint.model.result import RunResult

CASES = FIXTURES / "z2jh" / "gitops" / "values-from"
#: The z2jh rules, and the pod rules the fixtures break on purpose.
SELECTED = {"z2jh", "run-as-user", "privileged", "notebook-no-sudo", "helm-template"}


def files(where: Path) -> list[Path]:
    """A case's files: the file, or those of the directory, in order."""
    return sorted(where.glob("*.yaml")) if where.is_dir() else [where]


def check(*names: str, **settings: Any) -> RunResult:
    paths = [path for name in names for path in files(CASES / name)]
    return run(*paths, select=SELECTED, **settings)


def found(result: RunResult) -> list[tuple[str, str, int, int]]:
    """``(rule, file name, line, column)`` of each finding, by file, line, column and rule."""
    return sorted(
        {(f.rule, Path(f.file).name, f.line, f.column) for f in result.findings},
        key=lambda f: (f[1], f[2], f[3], f[0]),
    )


def said(result: RunResult, rule: str) -> str:
    (message,) = {f.message for f in result.findings if f.rule == rule}
    return message


def test_configmaps_are_layered_in_order_under_spec_values_and_found_at_their_lines() -> None:
    result = check("configmap-same-file.yaml")
    name = "configmap-same-file.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        # The chart's init container: a default, at `spec.values.singleuser` (the nearest key
        # written above it, by the last layer).
        ("privileged", name, 16, 5),
        ("run-as-user", name, 16, 5),
        # `singleuser.uid: 0`, inside the ConfigMap `hub-base`'s `values.yaml: |` string. Its
        # `GRANT_SUDO: "yes"` is overridden by `spec.values` (no finding at line 30), and its
        # `KubeSpawner.privileged: true` by the later entry `hub-site` (no privileged notebook).
        ("notebook-no-sudo", name, 28, 7),
        ("run-as-user", name, 28, 7),
    ]
    assert result.pod_count == 1
    assert result.skipped == {}  # both ConfigMaps were read
    (inside,) = {f for f in result.findings if f.rule == "run-as-user" and f.line == 28}
    assert inside.applicability == "display-only"
    assert inside.edit is None
    assert inside.fix is not None
    assert inside.fix.startswith(
        f"# in the `values.yaml` string of ConfigMap `hub-base` ({CASES / name})\n"
    )


def test_a_configmap_in_another_file_reaches_the_release_through_the_run_index() -> None:
    result = check("configmap-in-another-file")
    assert found(result) == [
        ("privileged", "configmap.yaml", 8, 5),  # singleuser: (the chart's init container)
        ("run-as-user", "configmap.yaml", 8, 5),
        ("notebook-no-sudo", "configmap.yaml", 9, 7),  # uid: 0
        ("run-as-user", "configmap.yaml", 9, 7),
        ("z2jh-chart-version", "helmrelease.yaml", 7, 3),
    ]
    assert result.pod_count == 1
    assert result.skipped == {}


def test_a_configmap_is_found_across_jobs_processes(tmp_path: Path) -> None:
    # The HelmRelease first, its ConfigMap last: with --jobs they fall in different chunks, and
    # every process indexes the ConfigMap's file (the z2jh dialect is cluster-wide).
    case = CASES / "configmap-in-another-file"
    shutil.copy(case / "helmrelease.yaml", tmp_path / "000-helmrelease.yaml")
    shutil.copy(case / "helmchart.yaml", tmp_path / "001-helmchart.yaml")
    shutil.copy(case / "configmap.yaml", tmp_path / "zzz-configmap.yaml")
    report = report_across_jobs(tmp_path)
    inside = [
        (f["rule"], f["line"])
        for f in report["findings"]
        if f["file"].endswith("zzz-configmap.yaml")
    ]
    assert ("run-as-user", 9) in inside


def test_a_secret_s_string_data_is_read_at_its_lines() -> None:
    result = check("secret-string-data.yaml")
    name = "secret-string-data.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        ("privileged", name, 21, 3),  # the chart's init container: at the values' key
        ("run-as-user", name, 21, 3),
        ("privileged", name, 25, 11),  # `privileged: true` inside the Secret's string
    ]
    assert result.skipped == {}


def test_a_secret_s_base64_data_is_read_and_placed_at_its_key() -> None:
    # Decoded text has no lines of the file: every finding in it is at the key that holds it.
    result = check("secret-data-base64.yaml")
    name = "secret-data-base64.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        ("notebook-no-sudo", name, 19, 3),
        ("privileged", name, 19, 3),
        ("run-as-user", name, 19, 3),
    ]
    assert all(f.applicability in (None, "display-only") for f in result.findings)


def test_a_target_path_sets_one_value_as_helm_set_does() -> None:
    result = check("target-path.yaml")
    name = "target-path.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        # `uid: "0"` set at `singleuser.uid` is the number 0 (strvals types it).
        ("notebook-no-sudo", name, 25, 3),
        ("privileged", name, 25, 3),
        ("run-as-user", name, 25, 3),
        # `'true'` in quotes is set as text: KubeSpawner's Bool trait refuses it.
        ("z2jh-wrong-type", name, 26, 3),
    ]


def test_target_path_values_are_typed_as_strvals_types_them() -> None:
    from nblint.dialects.z2jh.values_from import target_values

    def value(text: str) -> Any:
        tree = target_values("a.b", text, (1, 1))
        assert tree is not None
        return tree["a"]["b"]

    assert value("0") == 0
    assert value("-12") == -12
    assert value("012") == "012"  # a leading zero stays text
    assert value("TRUE") is True
    assert value("Null") is None
    assert value('"true"') == "true"
    assert value("4Gi") == "4Gi"
    # What nblint does not parse as Helm would: not read rather than guessed.
    assert target_values("a[0].b", "1", (1, 1)) is None
    assert target_values("a.b", "x,c=d", (1, 1)) is None
    assert target_values("a.b", "{x,y}", (1, 1)) is None


def test_a_source_not_among_the_inputs_is_said_with_advice_that_works() -> None:
    result = check("absent.yaml")
    assert found(result) == [("z2jh-unread-values", "absent.yaml", 10, 7)]
    assert result.pod_count == 0
    # The ConfigMap of that name in another namespace is not the one Flux reads.
    assert result.skipped == {"ConfigMap": 1}
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` writes no values of its own at `spec.values`: they come from the "
        "`values.yaml` key of ConfigMap `hub-values` (the inputs hold one in namespace `other`, "
        "not in the HelmRelease's `jhub`) (`spec.valuesFrom[0]`), which nblint was not given; "
        "nothing was checked (nblint reads a ConfigMap or Secret it is given: lint this file "
        "together with the one that holds ConfigMap `hub-values`, e.g. `nblint check "
        f"{CASES / 'absent.yaml'} CONFIGMAP.yaml`)"
    )
    (finding,) = result.findings
    assert finding.fix == (
        "Give nblint the file that holds ConfigMap `hub-values` too (`nblint check "
        f"{CASES / 'absent.yaml'} CONFIGMAP.yaml`): it layers their values under `spec.values` "
        "as Flux does. Or write the values inline (`spec.values`)."
    )


def test_a_missing_key_fails_the_release_unless_optional() -> None:
    result = check("missing-key.yaml")
    name = "missing-key.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        # The first entry; the optional second one Flux skips, silently.
        ("z2jh-unread-values", name, 10, 7),
        ("privileged", name, 17, 5),
        ("run-as-user", name, 17, 5),
        ("notebook-no-sudo", name, 18, 7),
        ("run-as-user", name, 18, 7),
    ]
    assert said(result, "z2jh-unread-values") == (
        f"ConfigMap `hub-values` of the inputs ({CASES / name}) has no key `values.yaml` in its "
        "`data`: Flux fails this release (key not found) unless the entry is `optional: true`; "
        "nothing of it was read"
    )


def test_a_configmap_no_helmrelease_names_stays_skipped() -> None:
    result = check("unread-configmap.yaml")
    assert result.findings == []
    assert result.skipped == {"ConfigMap": 1}


def test_a_template_in_a_configmap_s_values_is_said_once_at_its_line() -> None:
    result = check("configmap-template.yaml")
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "helm-template",
            24,
            15,
            "Helm template syntax ({{ … }}) is not YAML: lint the rendered output (helm "
            "template … | nblint check -)",
        )
    ]


def test_a_template_in_a_configmap_no_helmrelease_names_is_not_judged() -> None:
    # Its text is no release's values (a chart's template, maybe, which Helm renders).
    result = check("unread-configmap-template.yaml")
    assert result.findings == []
    assert result.skipped == {"ConfigMap": 1}


def test_a_configmap_given_with_f_is_no_layer() -> None:
    result = run(values=[str(CASES / "unread-configmap.yaml")], select=SELECTED)
    assert result.findings == []
    assert result.skipped == {"ConfigMap": 1}


def test_values_from_the_inputs_make_a_chartref_not_among_them_z2jh_s(tmp_path: Path) -> None:
    # The HelmRelease names its chart through a HelmChart that is not given: its own values are
    # empty, those of its ConfigMap say z2jh, so it is linted (as the newest release).
    case = CASES / "configmap-in-another-file"
    shutil.copy(case / "helmrelease.yaml", tmp_path / "helmrelease.yaml")
    shutil.copy(case / "configmap.yaml", tmp_path / "configmap.yaml")
    result = run(*files(tmp_path), select=SELECTED)
    assert ("run-as-user", "configmap.yaml", 9, 7) in found(result)
    assert said(result, "z2jh-chart-version").startswith("linted as z2jh 4.4.0, the newest")


def test_the_stackhpc_hub_s_configmap_is_read() -> None:
    # stackhpc/fluxcd-demo-apps apps/jupyterhub: a HelmRelease whose `chartRef` names a
    # HelmChart 4.1.0 and whose values are all in a ConfigMap. Before, "All checks passed" with
    # no pod; now its five profiles are linted, at the ConfigMap's own lines.
    result = run(*files(CASES / "stackhpc"))
    assert result.pod_count == 5
    assert result.skipped == {}
    placed = {(f.rule, Path(f.file).name, f.line) for f in result.findings}
    assert {
        ("notebook-authentication", "configmap.yaml", 39),  # hub: (dummy is the default)
        ("notebook-gpu-count", "configmap.yaml", 125),  # "gpu.intel.com/i915": "2"
        ("notebook-gpu-count", "configmap.yaml", 134),
        ("z2jh-chart-version", "helmrelease.yaml", 8),
    } <= placed
    assert {Path(f.file).name for f in result.findings} == {"configmap.yaml", "helmrelease.yaml"}
    assert all(
        f.applicability in (None, "display-only")
        for f in result.findings
        if f.file.endswith("configmap.yaml")
    )


@pytest.mark.parametrize("case", ["configmap-same-file.yaml", "secret-string-data.yaml"])
def test_fix_never_edits_a_values_string(tmp_path: Path, case: str) -> None:
    from click.testing import CliRunner

    from nblint.cli import main

    target = tmp_path / case
    shutil.copy(CASES / case, target)
    before = target.read_text()
    CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(target)])
    after = target.read_text()
    # Whatever went into `spec.values`, the ConfigMap's and Secret's documents are unchanged.
    assert after.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]


def test_an_entry_given_and_one_not_lint_the_one_given_and_name_the_other() -> None:
    result = check("one-given-one-not.yaml")
    name = "one-given-one-not.yaml"
    assert found(result) == [
        ("z2jh-chart-version", name, 8, 31),
        ("z2jh-unread-values", name, 12, 7),  # the Secret's entry
        ("privileged", name, 22, 5),
        ("run-as-user", name, 22, 5),
        ("notebook-no-sudo", name, 23, 7),
        ("run-as-user", name, 23, 7),
        # The template inside the ConfigMap's string is said once, at its own line (not again
        # for the whole string, at `values.yaml: |`).
        ("helm-template", name, 25, 15),
    ]
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` writes no values of its own at `spec.values`: they come from the "
        "`values.yaml` key of Secret `hub-secrets` (`spec.valuesFrom[1]`), which nblint was not "
        f"given; linted: the `values.yaml` key of ConfigMap `hub-values` ({CASES / name}) "
        "(`spec.valuesFrom`) and the chart's defaults, as the release it pins"
    )


def test_a_sops_encrypted_secret_is_named_unread() -> None:
    result = check("secret-sops.yaml")
    name = "secret-sops.yaml"
    assert ("z2jh-unread-values", name, 10, 7) in found(result)
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` layers values that nblint did not read: the `values.yaml` key of "
        "Secret `hub-secrets` (encrypted with sops) (`spec.valuesFrom[0].valuesKey`); the values "
        "at `spec.values` were linted over the chart's defaults, and the pods may differ"
    )
    (finding,) = [f for f in result.findings if f.rule == "z2jh-unread-values"]
    assert finding.fix is not None and "Give nblint the file" not in finding.fix  # it has it


def test_values_all_in_a_key_the_configmap_lacks_are_no_release_of_chart_defaults() -> None:
    # Flux fails the release: linting the chart's defaults alone would report a release that
    # never installs.
    result = check("missing-key-no-own-values.yaml")
    assert found(result) == [("z2jh-unread-values", "missing-key-no-own-values.yaml", 10, 7)]
    assert result.pod_count == 0


def test_a_secret_s_values_that_are_no_mapping_are_one_error_at_their_key() -> None:
    result = check("secret-data-base64-a-list.yaml")
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "z2jh-wrong-type",
            20,
            3,
            "z2jh values at `data.values.yaml` must be a mapping; Flux would refuse the release",
        )
    ]


def test_the_chart_version_names_the_configmap_that_holds_the_values() -> None:
    # Field test 7a M3: a HelmRelease with `spec.valuesFrom` only has no `spec.values`.
    result = check("configmap-in-another-file")
    configmap = CASES / "configmap-in-another-file" / "configmap.yaml"
    assert said(result, "z2jh-chart-version").startswith(
        "linted as z2jh 4.1.0, values from the `values.yaml` key of ConfigMap `hub-values` "
        f"({configmap}) (`spec.valuesFrom`): the HelmRelease `hub` pins "
    )


@pytest.mark.parametrize("as_path", [False, True], ids=["among-f-layers", "as-a-path-beside-f"])
def test_f_layers_read_the_configmaps_of_a_helmrelease_s_values_from(as_path: bool) -> None:
    # `-f helmchart.yaml -f helmrelease.yaml` with the ConfigMap among the layers (or given as
    # a PATH beside them) said "writes no values of its own …, which nblint does not read;
    # nothing was checked": the PATH mode read it, -f did not. Now both read it, in Flux's order.
    case = CASES / "configmap-in-another-file"
    layers = [case / "helmchart.yaml", case / "helmrelease.yaml"]
    paths = [case / "configmap.yaml"] if as_path else []
    if not as_path:
        layers.insert(0, case / "configmap.yaml")
    result = run(*paths, values=[str(p) for p in layers], select=SELECTED)
    assert found(result) == [
        ("privileged", "configmap.yaml", 8, 5),
        ("run-as-user", "configmap.yaml", 8, 5),
        ("notebook-no-sudo", "configmap.yaml", 9, 7),
        ("run-as-user", "configmap.yaml", 9, 7),
        ("z2jh-chart-version", "helmrelease.yaml", 7, 3),
    ]
    assert result.pod_count == 1
    assert result.skipped == {}


def test_f_layers_put_a_helmrelease_s_values_from_under_its_spec_values() -> None:
    # Flux's order at the HelmRelease's place among the -f layers: the base file, then each
    # `valuesFrom` entry, then `spec.values` on top.
    result = run(
        values=[str(CASES / "layered-f" / name) for name in ("base.yaml", "release.yaml")],
        select=SELECTED,
    )
    # base.yaml's `uid: 1000` is overridden by the ConfigMap's `uid: 0` (line 13), whose
    # `KubeSpawner.privileged: true` is overridden by `spec.values` (no privileged notebook).
    assert found(result) == [
        ("privileged", "release.yaml", 12, 5),  # singleuser: (the chart's init container)
        ("run-as-user", "release.yaml", 12, 5),
        ("notebook-no-sudo", "release.yaml", 13, 7),
        ("run-as-user", "release.yaml", 13, 7),
        ("z2jh-chart-version", "release.yaml", 32, 7),
    ]
    assert result.pod_count == 1
    assert result.skipped == {"HelmRepository": 1}
