"""z2jh installed through GitOps: the values inside a Flux HelmRelease or an Argo CD Application
that installs the ``jupyterhub`` chart are linted as a z2jh release, as the release the object
pins, each finding at its line of the object; what the object layers that nblint cannot read is
said once, and another chart's values (Bitnami's) are not read as z2jh's.

Each case is a file of ``tests/fixtures/z2jh/gitops/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, RULES, report_across_jobs, run

from nblint.dialects.z2jh.gitops import chart_source, sources
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

GITOPS = FIXTURES / "z2jh" / "gitops"
#: The z2jh rules, and a few pod rules the fixtures break on purpose.
SELECTED = {"z2jh", "run-as-user", "privileged", "notebook-authentication"}


def check(name: str | Path, **settings: Any) -> RunResult:
    return run(GITOPS / name, select=SELECTED, **settings)


def found(result: RunResult) -> list[tuple[str, int, str | None]]:
    """``(rule, line, profile)`` of each finding, per pod, by line and rule."""
    return sorted(
        {(f.rule, f.line, f.profile) for f in result.findings},
        key=lambda f: (f[1], f[0], f[2] or ""),
    )


def said(result: RunResult, rule: str) -> str:
    (message,) = {f.message for f in result.findings if f.rule == rule}
    return message


def linted_as(result: RunResult) -> set[str]:
    return {pod.facts["chart_version"] for pod in result.pods}


# -- Flux --------------------------------------------------------------------------------------


def test_a_helmrelease_of_jupyterhub_is_linted_at_its_lines_as_the_release_it_pins() -> None:
    result = check("flux.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert found(result) == [
        ("z2jh-chart-version", 12, None),
        ("notebook-authentication", 20, None),  # the hub's, not a profile's
        ("privileged", 21, "Default"),
        ("privileged", 21, "Privileged"),
        ("run-as-user", 21, "Default"),
        ("run-as-user", 21, "Privileged"),
        ("run-as-user", 22, "Default"),
        ("run-as-user", 22, "Privileged"),
        ("privileged", 28, "Privileged"),
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 4.1.0, values at `spec.values`: the HelmRelease `hub` pins the chart "
        "`jupyterhub` (`spec.chart.spec.version`) at 4.1.0"
    )
    # Not a subchart: no parent chart's values.yaml to hide behind.
    (note,) = {f.note for f in result.findings if f.rule == "privileged" and f.line == 21}
    assert note == (
        "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh 4.1.0 adds a "
        "privileged root init container"
    )


def test_chart_version_option_wins_over_the_pin_and_nothing_is_said() -> None:
    result = check("flux.yaml", chart_version="3.3.8")
    assert linted_as(result) == {"3.3.8"}
    assert "z2jh-chart-version" not in {f.rule for f in result.findings}


def test_values_root_option_wins_and_a_wrong_one_is_said() -> None:
    result = check("flux.yaml", values_root="spec.values")
    assert ("privileged", 28, "Privileged") in found(result)
    wrong = check("flux.yaml", values_root="spec.valus")
    assert ("z2jh-values-root", 7, None) in found(wrong)  # spec:, where it would go


def test_a_range_is_the_newest_known_release_in_it_and_older_api_versions_count() -> None:
    result = check("flux-range.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", 10, None),
        ("notebook-authentication", 11, None),
        ("privileged", 12, None),
        ("run-as-user", 12, None),
        ("run-as-user", 13, None),
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 3.3.8, values at `spec.values`: the HelmRelease `hub` asks for the chart "
        "`jupyterhub` (`spec.chart.spec.version`) in the range `~3.3.0`, and 3.3.8 is the newest "
        "release nblint knows in it (Flux installs the newest release of the repository in it, "
        "which may be newer)"
    )


def test_a_pinned_release_nblint_does_not_know_is_an_error_at_the_version() -> None:
    result = check("flux-unknown-version.yaml")
    assert linted_as(result) == {"4.4.0"}
    assert found(result)[0] == ("z2jh-unknown-chart-version", 10, None)
    message = said(result, "z2jh-unknown-chart-version")
    assert message.startswith(
        "the HelmRelease `hub` pins the chart `jupyterhub` (`spec.chart.spec.version`) at 9.9.9, "
        "a z2jh release nblint does not know (it knows 3.0.0, "
    )
    assert message.endswith(
        "its values were linted as 4.4.0, the newest; --chart-version takes one of the releases "
        "it knows instead"
    )


def test_values_from_a_configmap_are_said_once_and_named_in_the_notes() -> None:
    result = check("flux-values-from.yaml")
    assert found(result) == [
        ("z2jh-chart-version", 10, None),
        ("z2jh-unread-values", 12, None),  # the entry that names what nblint was not given
        ("notebook-authentication", 14, None),
        ("privileged", 15, None),
        ("run-as-user", 15, None),
        ("run-as-user", 16, None),
    ]
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` layers values that nblint did not read: the `values.yaml` key of "
        "ConfigMap `hub-values` (`spec.valuesFrom[0]`); the values at `spec.values` were linted "
        "over the chart's defaults, and the pods may differ"
    )
    (fix,) = {f.fix for f in result.findings if f.rule == "z2jh-unread-values"}
    assert fix is not None and fix.startswith(
        "Give nblint the file that holds ConfigMap `hub-values` too (`nblint check "
    )
    (note,) = {f.note for f in result.findings if f.rule == "notebook-authentication"}
    assert note.endswith("(unless `spec.valuesFrom[0]`, which nblint did not read, overrides it)")


def test_no_values_of_its_own_is_nothing_checked_and_said() -> None:
    result = check("flux-values-from-only.yaml")
    assert found(result) == [("z2jh-unread-values", 12, None)]
    assert result.pod_count == 0
    # The advice is one that works: nblint reads that Secret when it is given the file with it
    # (a values file's `--chart-version X FILE` cannot lint a Secret, which nblint skips).
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` writes no values of its own at `spec.values`: they come from the "
        "`values.yaml` key of Secret `hub-values` (`spec.valuesFrom[0]`), which nblint was not "
        "given; nothing was checked (nblint reads a ConfigMap or Secret it is given: lint this "
        f"file together with the one that holds Secret `hub-values`, e.g. `nblint check "
        f"{GITOPS / 'flux-values-from-only.yaml'} SECRET.yaml`)"
    )


def test_a_helmrelease_of_another_chart_stays_skipped() -> None:
    result = check("flux-other-chart.yaml")
    assert result.findings == []
    assert result.pod_count == 0
    assert result.skipped == {"HelmRelease": 1}


def test_bitnami_keys_in_a_helmrelease_are_said_unchecked() -> None:
    result = check("flux-bitnami-keys.yaml")
    assert found(result) == [("z2jh-other-chart", 11, None)]
    assert said(result, "z2jh-other-chart").startswith(
        "`spec.values.hub.adminUser`, `spec.values.singleuser.persistence` are keys of Bitnami's "
        "jupyterhub chart, not of z2jh"
    )


def test_hints_are_shown_under_spec_values_and_applied_there(tmp_path: Path) -> None:
    result = check("flux.yaml")
    (uid,) = {f.fix for f in result.findings if f.rule == "run-as-user" and f.line == 22}
    assert uid is not None
    assert uid.splitlines()[2:5] == ["spec:", "  values:", "    singleuser:"]
    (override,) = {f.fix for f in result.findings if f.line == 28}
    assert override is not None
    assert (
        override.splitlines()[0]
        == "# in spec.values.singleuser.profileList[1].kubespawner_override"
    )

    copy = tmp_path / "flux.yaml"
    shutil.copy(GITOPS / "flux.yaml", copy)
    options = Options(PsaPolicy("restricted", (1, 37)))

    def again(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(copy)])

    copy.write_text(fixing.fix(again, True).texts[str(copy)])
    after = run(copy, select=SELECTED)
    # What is left has no fix nblint applies (another authenticator is a person's choice).
    assert {f.rule for f in after.findings} == {"z2jh-chart-version", "notebook-authentication"}
    fixed = copy.read_text()
    assert fixed.count("\nspec:\n") == 1  # merged into the object, not beside it
    assert "\n    singleuser:\n      uid: 1000\n" in fixed


# -- Argo CD -----------------------------------------------------------------------------------


def test_an_application_of_jupyterhub_is_linted_at_its_values_object() -> None:
    result = check("argo-values-object.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", 12, None),
        ("notebook-authentication", 14, None),
        ("privileged", 15, None),
        ("run-as-user", 15, None),
        ("run-as-user", 16, None),
    ]


def test_values_in_a_literal_block_are_found_at_the_file_s_own_lines() -> None:
    result = check("argo-values-string.yaml")
    assert found(result) == [
        ("z2jh-chart-version", 10, None),
        ("notebook-authentication", 13, None),  # hub:, the nearest key the string writes
        ("privileged", 16, None),  # the statement inside hub.extraConfig inside the string
        ("privileged", 17, None),
        ("run-as-user", 17, None),
        ("run-as-user", 19, None),  # after a blank line of the block
    ]
    (finding,) = [f for f in result.findings if f.line == 19]
    assert finding.column == 11
    # Shown where it goes; never applied (nblint does not rewrite a string).
    assert finding.fix is not None
    assert finding.fix.startswith("# in the values string at `spec.source.helm.values`\n")
    assert finding.applicability == "display-only"


@pytest.mark.parametrize(
    ("name", "line", "column", "message"),
    [
        # Unquoted, the string is no YAML: the template's own line, not `values: |` (13) again.
        (
            "argo-values-string-template.yaml",
            16,
            19,
            "Helm template syntax ({{ … }}) is not YAML: lint the rendered output (helm "
            "template … | nblint check -)",
        ),
        # Quoted: passed on as literal text; the one in hub.args the chart renders (not said).
        (
            "argo-values-string-template-quoted.yaml",
            18,
            19,
            "Helm template '{{ .Values.image }}' in a values file: Helm passes values on as "
            "written (only a chart's tpl renders them), so nblint checks the literal text",
        ),
    ],
)
def test_a_template_in_a_values_string_is_said_once_at_its_line(
    name: str, line: int, column: int, message: str
) -> None:
    result = run(GITOPS / name, select={"helm-template"})
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        ("helm-template", line, column, message)
    ]


def test_values_in_another_kind_of_string_are_said_unchecked() -> None:
    result = check("argo-values-folded.yaml")
    assert found(result) == [("z2jh-unread-values", 12, None)]
    assert result.pod_count == 0
    assert said(result, "z2jh-unread-values").startswith(
        "values given as a string are not checked: `spec.source.helm.values` is not a literal block"
    )


@pytest.mark.parametrize(
    ("name", "line", "where", "placeholder"),
    [
        # Terraform's templatefile writes the YAML into `values: |` before Argo CD reads it.
        (
            "argo-values-string-placeholder.yaml",
            13,
            "spec.source.helm.values",
            "${user_values_yaml}",
        ),
        (
            "argo-values-object-placeholder.yaml",
            11,
            "spec.source.helm.valuesObject",
            "${jupyterhub_values}",
        ),
        ("flux-values-placeholder.yaml", 11, "spec.values", "${jupyterhub_values}"),
    ],
)
def test_values_that_are_one_placeholder_are_unknown_not_the_wrong_type(
    name: str, line: int, where: str, placeholder: str
) -> None:
    result = check(name)
    assert found(result) == [("z2jh-unrendered-template", line, None)]
    (finding,) = result.findings
    assert finding.severity == "info"
    assert finding.message == (
        f"z2jh values at `{where}` are the placeholder {placeholder!r}, filled in before Helm "
        "sees them: nblint cannot know the values and checks none of them"
    )
    # No pod from the chart's defaults alone: the values filled in may change any of them.
    assert result.pod_count == 0


def test_bitnami_s_repository_is_not_z2jh() -> None:
    result = check("argo-bitnami.yaml")
    assert found(result) == [("z2jh-other-chart", 12, None)]
    assert said(result, "z2jh-other-chart").startswith(
        "the Application `hub` installs `jupyterhub` from Bitnami's repository, not z2jh's"
    )


def test_a_multi_source_application_lints_the_chart_s_source_and_says_what_it_did_not_read() -> (
    None
):
    result = check("argo-multi-source.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert found(result) == [
        ("z2jh-chart-version", 14, None),
        ("z2jh-unread-values", 17, None),
        ("notebook-authentication", 18, None),
        ("privileged", 19, None),
        ("run-as-user", 19, None),
        ("run-as-user", 20, None),
    ]
    assert said(result, "z2jh-unread-values").startswith(
        "the Application `hub` layers values that nblint did not read: the value file "
        "`$values/jupyterhub/values.yaml` (from `spec.sources[0]`), not among the inputs (no "
        "input's path ends with `jupyterhub/values.yaml`) (`spec.sources[1].helm.valueFiles[0]`)"
    )
    (fix,) = {f.fix for f in result.findings if f.rule == "run-as-user" and f.line == 20}
    assert fix is not None and fix.startswith("# in spec.sources[1].helm.valuesObject\n")


def test_every_jupyterhub_source_of_an_application_is_a_release_of_its_own() -> None:
    result = run(
        GITOPS / "argo-multi-source-two-charts.yaml", select=SELECTED | {"host-namespaces"}
    )
    assert linted_as(result) == {"3.3.8", "4.1.0"}
    assert result.pod_count == 2  # one release each; the `ref:` git source is none
    assert found(result) == [
        # spec.sources[1]: 3.3.8, its valuesObject over its own `$values/...` file (unread)
        ("z2jh-chart-version", 14, None),
        ("z2jh-unread-values", 17, None),
        ("notebook-authentication", 18, None),
        ("privileged", 19, None),
        ("run-as-user", 19, None),
        ("run-as-user", 20, None),
        # spec.sources[2]: 4.1.0, its literal values block
        ("z2jh-chart-version", 23, None),
        ("notebook-authentication", 25, None),
        ("privileged", 26, None),
        ("run-as-user", 26, None),
        ("host-namespaces", 28, None),
    ]
    assert said(result, "z2jh-unread-values").startswith(
        "the Application `hubs` layers values that nblint did not read: the value file "
        "`$values/staging/values.yaml` (from `spec.sources[0]`), not among the inputs"
    )


def test_source_beside_sources_is_ignored_as_argo_does() -> None:
    result = check("argo-source-beside-sources.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert found(result) == [
        ("z2jh-ignored-source", 8, None),  # spec.source:, said once
        ("z2jh-chart-version", 19, None),
        ("notebook-authentication", 21, None),
        ("privileged", 22, None),
        ("run-as-user", 22, None),
    ]  # nothing of `spec.source` (its uid 0 at line 15)


IGNORED = (
    "Argo CD ignores `spec.source` when `spec.sources` lists any source: nothing written under "
    "it (its chart `jupyterhub` included) is installed, and nblint linted none of it"
)


def test_the_ignored_source_is_said_once_at_its_line() -> None:
    result = check("argo-source-beside-sources.yaml")
    (ignored,) = [f for f in result.findings if f.rule == "z2jh-ignored-source"]
    assert (ignored.line, ignored.column, ignored.severity) == (8, 3, "info")
    assert ignored.message == IGNORED


def test_an_ignored_source_that_alone_names_the_chart_is_said_and_nothing_is_linted() -> None:
    # `spec.sources` installs a git path: the jupyterhub chart of `source` (uid 0) is no release.
    result = check("argo-ignored-source-only.yaml")
    assert found(result) == [("z2jh-ignored-source", 8, None)]
    assert said(result, "z2jh-ignored-source") == IGNORED
    assert result.pods == [] and result.skipped == {}


def test_an_applicationset_template_s_ignored_source_is_said() -> None:
    result = check("argo-applicationset-source-beside-sources.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert [f for f in found(result) if f[0].startswith("z2jh")] == [
        ("z2jh-ignored-source", 17, None),
        ("z2jh-chart-version", 24, None),
    ]
    assert said(result, "z2jh-ignored-source") == (
        "Argo CD ignores `spec.template.spec.source` when `spec.template.spec.sources` lists any "
        "source: nothing written under it is installed, and nblint linted none of it"
    )


def test_a_source_without_sources_is_not_said_ignored() -> None:
    for name in ("argo-values-object.yaml", "argo-multi-source.yaml"):
        assert "z2jh-ignored-source" not in {f.rule for f in check(name).findings}


def test_a_ref_source_is_a_release_only_when_it_names_the_chart() -> None:
    # Argo CD renders a `ref:` source that has a chart (or a path); one of value files only, not.
    def application(*entries: dict[str, Any]) -> Any:
        return {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Application",
            "spec": {"sources": list(entries)},
        }

    files = {"repoURL": "https://github.com/example/jupyterhub.git", "ref": "jupyterhub"}
    chart = {"repoURL": "https://hub.jupyter.org/helm-chart/", "chart": "jupyterhub"}
    assert sources(application(files)) == []
    assert [s.where for s in sources(application(files, {**chart, "ref": "chart"}))] == [
        ("spec", "sources", 1)
    ]


def test_values_beside_values_object_are_ignored_by_argo_and_said() -> None:
    result = check("argo-both-values.yaml")
    assert [(rule, line) for rule, line, _ in found(result)] == [
        ("z2jh-chart-version", 10),
        ("z2jh-unread-values", 12),
        ("notebook-authentication", 15),
        ("privileged", 16),
        ("run-as-user", 16),
        ("run-as-user", 17),
    ]


def test_an_application_without_a_chart_stays_skipped() -> None:
    result = check("argo-git-path.yaml")
    assert result.findings == []
    assert result.skipped == {"Application": 1}


def test_recognising_reads_only_the_chart_entries() -> None:
    assert sources({"kind": "HelmRelease", "apiVersion": "example.com/v1", "spec": {}}) == []
    assert sources({"kind": "Application", "apiVersion": "argoproj.io/v1alpha1"}) == []
    (flux,) = sources(
        {
            "kind": "HelmRelease",
            "apiVersion": "helm.toolkit.fluxcd.io/v2beta2",
            "spec": {"chart": {"spec": {"chart": "jupyterhub"}}},
        }
    )
    assert (flux.root, flux.version) == (("spec", "values"), None)


def test_a_template_is_judged_in_the_values_only(tmp_path: Path) -> None:
    # The object's own fields are its tool's to read; the values go to the chart as written.
    path = tmp_path / "hub.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        'metadata:\n  name: "{{ .Values.name }}"\n'
        "spec:\n  chart:\n    spec: {chart: jupyterhub, version: 4.4.0}\n"
        '  values:\n    singleuser:\n      image: {tag: "{{ .Values.tag }}"}\n'
    )
    result = run(path, select={"helm-template"})
    assert [(f.rule, f.line) for f in result.findings] == [("helm-template", 10)]


def test_a_values_string_indented_deeper_is_placed_at_its_own_columns() -> None:
    result = check("argo-values-string-indented-four.yaml")
    uid = [(f.rule, f.line, f.column) for f in result.findings if f.line == 14]
    assert uid == [("run-as-user", 14, 13)]


# -- Flux spec.chartRef: the chart in another object -------------------------------------------


def test_a_chartref_to_an_ocirepository_of_the_inputs_is_linted_as_its_tag() -> None:
    result = check("flux-chartref-oci.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", 20, None),  # spec.chartRef:
        ("notebook-authentication", 27, None),
        ("privileged", 28, None),
        ("run-as-user", 28, None),
        ("run-as-user", 29, None),
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 3.3.8, values at `spec.values`: the HelmRelease `hub` pins the chart "
        "`jupyterhub` (`spec.chartRef` → `spec.ref.tag` of the OCIRepository `jupyterhub`, line "
        "11 of this file) at 3.3.8"
    )
    # The OCIRepository is read for the HelmRelease, not skipped.
    assert result.skipped == {}


def test_a_chartref_to_a_helmchart_in_another_file_reads_its_range_and_values_files() -> None:
    where = GITOPS / "chartref"
    result = run(where / "helmrelease.yaml", where / "helmchart.yaml", select=SELECTED)
    assert linted_as(result) == {"4.1.0"}
    assert found(result) == [
        ("z2jh-chart-version", 9, None),
        ("z2jh-unread-values", 9, None),
        ("notebook-authentication", 13, None),
        ("privileged", 14, None),
        ("run-as-user", 14, None),
        ("run-as-user", 15, None),
    ]
    assert {f.file for f in result.findings} == {str(where / "helmrelease.yaml")}
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 4.1.0, values at `spec.values`: the HelmRelease `hub` asks for the chart "
        "`jupyterhub` (`spec.chartRef` → `spec.version` of the HelmChart `jupyterhub`, line 11 "
        f"of {where / 'helmchart.yaml'}) in the range `>=4.0.0 <4.2.0`, and 4.1.0 is the newest "
        "release nblint knows in it (Flux installs the newest release of the repository in it, "
        "which may be newer)"
    )
    assert said(result, "z2jh-unread-values").startswith(
        "the HelmRelease `hub` layers values that nblint did not read: the values files "
        "`values.yaml`, `values-prod.yaml` of the HelmChart `jupyterhub` (`spec.chartRef`)"
    )


def test_a_chartref_whose_object_is_not_among_the_inputs_says_the_version_is_unknown() -> None:
    for result in (
        check("flux-chartref-missing.yaml"),
        run(GITOPS / "chartref" / "helmrelease.yaml", select=SELECTED),
    ):
        assert linted_as(result) == {"4.4.0"}
        assert [f for f in found(result) if f[0] == "z2jh-chart-version"] == [
            ("z2jh-chart-version", 9, None)  # spec.chartRef:
        ]
    assert said(check("flux-chartref-missing.yaml"), "z2jh-chart-version") == (
        "linted as z2jh 4.4.0, the newest release nblint knows, values at `spec.values`: the "
        "HelmRelease `hub` takes its chart from the OCIRepository `jupyterhub` "
        "(`spec.chartRef`), which is not among the inputs: the chart and its version are "
        "unknown; give the release it installs with --chart-version"
    )
    assert found(check("flux-chartref-missing.yaml", chart_version="3.3.8"))[0] == (
        "notebook-authentication",
        12,
        None,
    )


def test_a_chartref_to_the_jupyterhub_ocirepository_is_z2jh_without_z2jh_keys() -> None:
    # The values (ingress, debug) hold no key only z2jh uses: the OCIRepository says the chart.
    result = check("flux-chartref-oci-no-z2jh-keys.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", 22, None),  # spec.chartRef:
        # the chart's defaults (a dummy authenticator, the root init container), at the values
        ("notebook-authentication", 25, None),
        ("privileged", 25, None),
        ("run-as-user", 25, None),
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 3.3.8, values at `spec.values`: the HelmRelease `hub` pins the chart "
        "`jupyterhub` (`spec.chartRef` → `spec.ref.tag` of the OCIRepository `hub-chart`, line "
        "13 of this file) at 3.3.8"
    )
    assert result.skipped == {}


def test_a_chartref_to_the_jupyterhub_helmchart_of_another_file_is_z2jh_without_values() -> None:
    where = GITOPS / "chartref-no-values"
    for result in (
        run(where / "helmrelease.yaml", where / "helmchart.yaml", select=SELECTED),
        run(where / "helmchart.yaml", where / "helmrelease.yaml", select=SELECTED),
    ):
        assert linted_as(result) == {"4.1.0"}
        assert found(result) == [
            ("notebook-authentication", 8, None),  # spec:, where the values would be
            ("privileged", 8, None),
            ("run-as-user", 8, None),
            ("z2jh-chart-version", 10, None),  # spec.chartRef:
        ]
        assert {f.file for f in result.findings} == {str(where / "helmrelease.yaml")}
        assert result.skipped == {}


def test_a_chartref_not_among_the_inputs_without_z2jh_keys_stays_skipped() -> None:
    # nblint cannot know the chart the OCIRepository holds: no guess from the names.
    result = check("flux-chartref-missing-no-z2jh-keys.yaml")
    assert result.findings == []
    assert result.skipped == {"HelmRelease": 1}
    # Nor is a HelmChart of the inputs read for it when it names no jupyterhub chart.
    assert check("flux-chartref-other-chart.yaml").skipped == {
        "OCIRepository": 1,
        "HelmRelease": 1,
    }


def test_a_chartref_without_z2jh_keys_is_judged_for_templates_as_a_skipped_document(
    tmp_path: Path,
) -> None:
    # Templates are judged before the run index says whose chart it is: as before, every one
    # is the input's problem, whatever the reference turns out to name.
    path = tmp_path / "hub.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        'metadata:\n  name: "{{ .Values.name }}"\n'
        "spec:\n  chartRef: {kind: OCIRepository, name: hub-chart}\n"
        '  values:\n    ingress: {enabled: "{{ .Values.ingress }}"}\n'
    )
    result = run(path, select={"helm-template"})
    assert [(f.rule, f.line) for f in result.findings] == [
        ("helm-template", 4),
        ("helm-template", 8),
    ]
    assert result.skipped == {"HelmRelease": 1}


def test_a_chartref_of_another_chart_stays_skipped() -> None:
    result = check("flux-chartref-other-chart.yaml")
    assert result.findings == []
    assert result.skipped == {"OCIRepository": 1, "HelmRelease": 1}


def test_a_chartref_to_another_chart_s_source_of_the_inputs_is_that_chart_s_not_missing() -> None:
    # The values look like z2jh's, but the OCIRepository it names, in this file, holds another
    # chart: not "not among the inputs", and not linted as z2jh.
    result = check("flux-chartref-other-chart-z2jh-values.yaml")
    assert found(result) == [("z2jh-other-chart", 22, None)]  # spec.values:
    assert said(result, "z2jh-other-chart") == (
        "the HelmRelease `hub` takes its chart from the OCIRepository `team-hub` "
        "(`spec.chartRef`, line 9 of this file), which holds the chart `team-hub`, not z2jh's "
        "`jupyterhub`: the values at `spec.values` look like z2jh values but are that chart's, "
        "which nblint does not model; none of them was checked"
    )
    assert result.pods == []
    assert result.skipped == {"OCIRepository": 1}


def test_a_chartref_to_another_chart_s_helmchart_in_another_file_names_it() -> None:
    where = GITOPS / "chartref-other-chart"
    for result in (
        run(where / "helmrelease.yaml", where / "helmchart.yaml", select=SELECTED),
        run(where / "helmchart.yaml", where / "helmrelease.yaml", select=SELECTED),
    ):
        assert found(result) == [("z2jh-other-chart", 12, None)]
        assert f"line 8 of {where / 'helmchart.yaml'}), which holds the chart `team-hub`" in (
            said(result, "z2jh-other-chart")
        )
        assert result.pods == []


def test_a_chartref_to_a_git_path_of_the_inputs_says_what_nblint_cannot_know() -> None:
    # The HelmChart is among the inputs, but its chart is a path in a GitRepository: its name
    # is in a Chart.yaml nblint does not read. z2jh-looking values are linted as the newest.
    where = GITOPS / "chartref-git-path"
    result = run(where / "helmrelease.yaml", where / "helmchart.yaml", select=SELECTED)
    assert linted_as(result) == {"4.4.0"}
    assert [f for f in found(result) if f[0] == "z2jh-chart-version"] == [
        ("z2jh-chart-version", 11, None)  # spec.chartRef:
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 4.4.0, the newest release nblint knows, values at `spec.values`: the "
        "HelmRelease `hub` takes its chart from the HelmChart `hub-chart` (`spec.chartRef`, line "
        f"8 of {where / 'helmchart.yaml'}), which takes the chart at `./deploy/hub` of a "
        "GitRepository, whose Chart.yaml there names it (nblint does not read it): the chart and "
        "its version are unknown; give the release it installs with --chart-version"
    )
    assert "not among the inputs" not in said(result, "z2jh-chart-version")


def test_a_chartref_to_another_chart_s_source_given_with_f_is_said_not_layered() -> None:
    result = layered("base-values.yaml", str(GITOPS / "flux-chartref-other-chart-z2jh-values.yaml"))
    assert [f for f in at(result) if f[0].startswith("z2jh")] == [
        ("z2jh-other-chart", "flux-chartref-other-chart-z2jh-values.yaml", 22, None)
    ]
    # base-values.yaml alone is the release (its uid 1000 holds: no uid 0 of the HelmRelease)
    assert ("run-as-user", "flux-chartref-other-chart-z2jh-values.yaml", 24, None) not in at(result)
    assert result.skipped == {"OCIRepository": 1}


def test_another_chart_s_flux_source_given_with_f_is_no_values_layer(tmp_path: Path) -> None:
    source = tmp_path / "ocirepository.yaml"
    source.write_text(
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\n"
        "metadata: {name: podinfo}\n"
        "spec: {url: oci://ghcr.io/stefanprodan/charts/podinfo, ref: {tag: 6.0.0}}\n"
    )
    result = layered("base-values.yaml", str(source))
    assert linted_as(result) == {"4.4.0"}
    assert found(result) == found(layered("base-values.yaml"))
    assert result.skipped == {"OCIRepository": 1}
    result = layered(str(source))
    assert result.findings == [] and result.skipped == {"OCIRepository": 1}


def test_a_chartref_to_bitnami_s_oci_registry_is_not_z2jh() -> None:
    result = check("flux-chartref-bitnami.yaml")
    assert found(result) == [("z2jh-other-chart", 21, None)]
    assert said(result, "z2jh-other-chart").startswith(
        "the HelmRelease `hub` installs `jupyterhub` from Bitnami's repository, not z2jh's"
    )


def test_a_chart_from_a_helmrepository_of_bitnami_s_is_not_z2jh() -> None:
    # Field test 22a D4: `spec.chart.spec.sourceRef` names a HelmRepository (another file) whose
    # url is Bitnami's: its `jupyterhub` is Bitnami's chart, said once at the values.
    where = GITOPS / "helmrepository-bitnami"
    result = run(where / "helm-release.yaml", where / "helm-repo.yaml", select=SELECTED)
    assert found(result) == [("z2jh-other-chart", 18, None)]
    assert said(result, "z2jh-other-chart").startswith(
        "the HelmRelease `jupyterhub` installs `jupyterhub` from Bitnami's repository, not z2jh's"
    )
    assert result.pod_count == 0


def test_a_chart_from_bitnami_s_oci_helmrepository_is_not_z2jh() -> None:
    # `type: oci` at Bitnami's registry, matched in the HelmRelease's namespace; the values alone
    # would look like z2jh's.
    result = check("flux-helmrepository-bitnami-oci.yaml")
    assert found(result) == [("z2jh-other-chart", 25, None)]
    assert said(result, "z2jh-other-chart").startswith(
        "the HelmRelease `hub` installs `jupyterhub` from Bitnami's repository"
    )


def test_an_ocirepository_chart_template_reads_the_url_and_the_ref() -> None:
    result = check("flux-chart-template-oci.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result)[0] == ("z2jh-chart-version", 14, None)  # semver:
    assert "(`spec.chart.spec.ref.semver`) in the range `~3.3.0`" in said(
        result, "z2jh-chart-version"
    )


def test_chart_sources_are_read_for_their_version_as_flux_orders_the_ref() -> None:
    def oci(ref: dict[str, str], url: str = "oci://r.example/charts/jupyterhub") -> Any:
        return chart_source(
            {
                "apiVersion": "source.toolkit.fluxcd.io/v1beta2",
                "kind": "OCIRepository",
                "metadata": {"name": "hub"},
                "spec": {"url": url, "ref": ref},
            }
        )

    # digest wins over semver, which wins over tag; no ref is the `latest` tag
    assert oci({"tag": "4.1.0", "semver": "~3.3"}).version == "~3.3"
    assert oci({"tag": "4.1.0", "digest": "sha256:ab"}).version is None
    assert "by digest" in oci({"tag": "4.1.0", "digest": "sha256:ab"}).unversioned
    assert "latest" in oci({}).unversioned
    assert oci({"tag": "1.0"}, url="oci://ghcr.io/stefanprodan/charts/podinfo") is None
    git = chart_source(
        {
            "apiVersion": "source.toolkit.fluxcd.io/v1",
            "kind": "HelmChart",
            "metadata": {"name": "hub"},
            "spec": {
                "chart": "./charts/jupyterhub",
                "version": "4.1.0",
                "sourceRef": {"kind": "GitRepository", "name": "deploy"},
            },
        }
    )
    assert git is not None and git.version is None  # Flux ignores the version for git
    assert chart_source({"apiVersion": "helm.cattle.io/v1", "kind": "HelmChart"}) is None


# -- Argo CD ApplicationSet: the template's values, the generators' placeholders unknown ---------


def test_an_applicationset_template_is_linted_where_literal_and_its_placeholders_are_unknown() -> (
    None
):
    result = check("argo-applicationset.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert found(result) == [
        ("z2jh-chart-version", 24, None),
        ("notebook-authentication", 30, None),
        ("privileged", 31, "Default"),
        ("privileged", 31, "Privileged"),
        ("run-as-user", 31, "Default"),
        ("run-as-user", 31, "Privileged"),
        # uid: "{{ .uid }}" is the generator's: unknown, said once, never a wrong value
        ("z2jh-unrendered-template", 32, None),
        ("privileged", 43, "Privileged"),
    ]
    assert said(result, "z2jh-unrendered-template").startswith(
        "3 value(s) filled in by the ApplicationSet's generators in this file, the first here: "
        "nblint cannot know their real values"
    )
    (fix,) = {f.fix for f in result.findings if f.line == 43}
    assert fix is not None
    assert fix.splitlines()[0] == (
        "# in spec.template.spec.source.helm.valuesObject.singleuser.profileList[1]"
        ".kubespawner_override"
    )
    # No pod takes a placeholder for what it says: the image is not judged by its tag.
    everything = run(GITOPS / "argo-applicationset.yaml")
    assert not [f for f in everything.findings if "image" in f.rule or "{{" in f.message]


def test_an_applicationset_with_sources_says_what_its_generators_decide() -> None:
    result = check("argo-applicationset-sources.yaml")
    assert linted_as(result) == {"4.4.0"}
    assert found(result) == [
        ("z2jh-chart-version", 29, None),
        ("z2jh-unread-values", 31, None),
        ("notebook-authentication", 33, None),  # in the literal block
        ("privileged", 34, None),
        ("run-as-user", 34, None),
        ("run-as-user", 35, None),
        ("z2jh-unrendered-template", 37, None),
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 4.4.0, the newest release nblint knows, values at "
        "`spec.template.spec.sources[1].helm.values`: the ApplicationSet `hubs` asks for the "
        "chart `jupyterhub` (`spec.template.spec.sources[1].targetRevision`) at "
        "`{{metadata.labels.hubVersion}}`, a `{{ … }}` template filled in by the ApplicationSet's "
        "generators before the chart is installed, which pins no version; give the release it "
        "installs with --chart-version"
    )
    assert said(result, "z2jh-unread-values").startswith(
        "the ApplicationSet `hubs` layers values that nblint did not read: the value files "
        "`$values/hubs/{{name}}.yaml` (from `spec.template.spec.sources[0]`) "
        "(`spec.template.spec.sources[1].helm.valueFiles`); the template of its `clusters` "
        "generator, merged over `spec.template` (`spec.generators[0].clusters.template`);"
    )


def test_an_applicationset_values_string_that_is_yaml_only_once_rendered_is_said_unchecked() -> (
    None
):
    result = run(GITOPS / "argo-applicationset-unquoted.yaml")
    assert found(result) == [("z2jh-unread-values", 23, None)]
    assert result.pod_count == 0
    assert said(result, "z2jh-unread-values").startswith(
        "the values string at `spec.template.spec.source.helm.values` is YAML only once the "
        "ApplicationSet's generators fill in its `{{ }}` placeholders: not checked"
    )


def test_an_applicationset_s_placeholders_are_no_helm_template(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: hubs}\n"
        "spec:\n  goTemplate: true\n  template:\n    spec:\n      source:\n"
        "        chart: jupyterhub\n        targetRevision: 4.1.0\n        helm:\n"
        "          valuesObject:\n            singleuser:\n"
        '              image: {tag: "{{ .Values.tag }}"}\n'
    )
    assert run(path, select={"helm-template"}).findings == []
    assert [s.kind for s in sources(_load(path))] == ["ApplicationSet"]


def _load(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text())


# -- GitOps objects as -f layers ----------------------------------------------------------------

LAYERS = GITOPS / "layers"


def layered(*names: str, **settings: Any) -> RunResult:
    return run(
        values=[str(LAYERS / name) for name in names],
        select=SELECTED | {"host-namespaces"},
        **settings,
    )


def at(result: RunResult) -> list[tuple[str, str, int, str | None]]:
    """``(rule, file name, line, profile)`` of each finding, by file, line and rule."""
    return sorted(
        {(f.rule, Path(f.file).name, f.line, f.profile) for f in result.findings},
        key=lambda f: (f[1], f[2], f[0], f[3] or ""),
    )


def test_a_helmrelease_layered_on_a_values_file_adds_its_values_on_top() -> None:
    result = layered("base-values.yaml", "helmrelease.yaml")
    assert linted_as(result) == {"3.3.8"}  # the release the HelmRelease pins
    assert at(result) == [
        ("z2jh-chart-version", "helmrelease.yaml", 20, None),
        ("z2jh-unread-values", "helmrelease.yaml", 25, None),  # its valuesFrom entry
        # the chart's init container, at the last layer that writes `singleuser`
        ("privileged", "helmrelease.yaml", 28, "Default"),
        ("privileged", "helmrelease.yaml", 28, "Root"),
        ("run-as-user", "helmrelease.yaml", 28, "Default"),
        ("run-as-user", "helmrelease.yaml", 28, "Root"),
        ("run-as-user", "helmrelease.yaml", 34, "Root"),  # the HelmRelease's uid: 0
    ]  # base-values.yaml's authenticator and uid: 1000 hold: no notebook-authentication
    assert said(result, "z2jh-unread-values") == (
        "the HelmRelease `hub` layers values that nblint did not read: the `values.yaml` key of "
        "ConfigMap `hub-base` (`spec.valuesFrom[0]`); the values at `spec.values` were linted over "
        f"{LAYERS / 'base-values.yaml'} (the -f layers before it) and the chart's defaults, and "
        "the pods may differ"
    )
    # The HelmRepository beside it is no values layer: skipped, as in any input.
    assert result.skipped == {"HelmRepository": 1}


def test_an_application_layer_s_ignored_source_is_said() -> None:
    result = layered("base-values.yaml", "application-source-beside-sources.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert [f for f in at(result) if f[0].startswith("z2jh")] == [
        ("z2jh-ignored-source", "application-source-beside-sources.yaml", 7, None),
        ("z2jh-chart-version", "application-source-beside-sources.yaml", 14, None),
    ]


def test_a_layer_after_the_helmrelease_wins_as_with_helm_s_f() -> None:
    result = layered("base-values.yaml", "helmrelease.yaml", "override.yaml")
    assert at(result) == [
        ("z2jh-chart-version", "helmrelease.yaml", 20, None),
        ("z2jh-unread-values", "helmrelease.yaml", 25, None),  # its valuesFrom entry
        ("privileged", "override.yaml", 2, "Default"),
        ("run-as-user", "override.yaml", 2, "Default"),
    ]  # override.yaml's profileList replaced the HelmRelease's: no Root profile


def test_an_application_s_values_string_is_a_layer_at_the_file_s_own_lines() -> None:
    result = layered("base-values.yaml", "application.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert at(result) == [
        ("z2jh-chart-version", "application.yaml", 10, None),
        ("privileged", "application.yaml", 13, None),
        ("run-as-user", "application.yaml", 13, None),
        ("host-namespaces", "application.yaml", 15, None),  # inside the literal block
    ]
    (host,) = [f for f in result.findings if f.rule == "host-namespaces"]
    assert host.applicability == "display-only"  # a string is never rewritten


def test_a_chartref_helmrelease_layer_reads_the_ocirepository_of_its_file() -> None:
    result = layered("base-values.yaml", "chartref.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert at(result) == [
        ("z2jh-chart-version", "chartref.yaml", 18, None),
        ("privileged", "chartref.yaml", 22, None),
        ("run-as-user", "chartref.yaml", 22, None),
        ("run-as-user", "chartref.yaml", 23, None),
    ]
    assert result.skipped == {}  # the OCIRepository is read, not a layer


def test_a_chartref_helmrelease_layer_without_z2jh_keys_reads_the_ocirepository() -> None:
    result = layered("base-values.yaml", "chartref-no-z2jh-keys.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert at(result) == [
        # the chart's init container, at the last layer that writes `singleuser`
        ("privileged", "base-values.yaml", 9, None),
        ("run-as-user", "base-values.yaml", 9, None),
        ("z2jh-chart-version", "chartref-no-z2jh-keys.yaml", 19, None),
    ]
    assert result.skipped == {}


def test_a_chartref_layer_not_among_the_inputs_without_z2jh_keys_is_no_layer() -> None:
    result = layered("base-values.yaml", "chartref-missing-no-z2jh-keys.yaml")
    assert at(result) == at(layered("base-values.yaml"))
    assert linted_as(result) == linted_as(layered("base-values.yaml"))
    assert result.skipped == {"HelmRelease": 1}
    alone = layered("chartref-missing-no-z2jh-keys.yaml")
    assert (alone.findings, alone.pod_count, alone.skipped) == ([], 0, {"HelmRelease": 1})


def test_every_jupyterhub_source_of_an_application_layer_is_a_release_of_its_own() -> None:
    result = layered("base-values.yaml", "application-two-charts.yaml")
    assert linted_as(result) == {"3.3.8", "4.1.0"}
    assert result.pod_count == 2  # one release each; the `ref:` git source is none
    assert at(result) == [
        # spec.sources[1] over base-values.yaml: 3.3.8, its own uid 0 over the base's 1000
        ("z2jh-chart-version", "application-two-charts.yaml", 15, None),
        ("z2jh-unread-values", "application-two-charts.yaml", 17, None),
        ("privileged", "application-two-charts.yaml", 20, None),
        ("run-as-user", "application-two-charts.yaml", 20, None),
        ("run-as-user", "application-two-charts.yaml", 21, None),
        # spec.sources[2] over base-values.yaml: 4.1.0, the base's uid 1000 holds
        ("z2jh-chart-version", "application-two-charts.yaml", 24, None),
        ("privileged", "application-two-charts.yaml", 27, None),
        ("run-as-user", "application-two-charts.yaml", 27, None),
        ("host-namespaces", "application-two-charts.yaml", 29, None),
    ]  # base-values.yaml's authenticator holds for both: no notebook-authentication
    assert said(result, "z2jh-unread-values").startswith(
        "the Application `hubs` layers values that nblint did not read: the value files "
        "`$values/staging/values.yaml` (from `spec.sources[0]`) "
        "(`spec.sources[1].helm.valueFiles`); the values at `spec.sources[1].helm.valuesObject` "
        f"were linted over {LAYERS / 'base-values.yaml'} (the -f layers before it)"
    )
    # What both releases find is said once; the fixes go into the source that set the value.
    assert len(result.findings) == len({f.identity() for f in result.findings})
    (fix,) = {f.fix for f in result.findings if f.rule == "run-as-user" and f.line == 21}
    assert fix is not None and fix.startswith("# in spec.sources[1].helm.valuesObject\n")


def test_chart_version_option_still_wins_over_a_layer_s_pin() -> None:
    result = layered("base-values.yaml", "helmrelease.yaml", chart_version="4.1.0")
    assert linted_as(result) == {"4.1.0"}
    assert "z2jh-chart-version" not in {f.rule for f in result.findings}


def test_fixes_go_into_the_layer_that_set_the_value(tmp_path: Path) -> None:
    for name in ("base-values.yaml", "helmrelease.yaml"):
        shutil.copy(LAYERS / name, tmp_path / name)
    values = [str(tmp_path / "base-values.yaml"), str(tmp_path / "helmrelease.yaml")]
    options = Options(PsaPolicy("restricted", (1, 37)), dialect={"values": values})

    def again(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts, select={"run-as-user"}), RULES).run([])

    texts = fixing.fix(again, True).texts
    assert set(texts) == {values[1]}  # base-values.yaml sets nothing run-as-user is about
    fixed = texts[values[1]]
    assert (
        "        - display_name: Root\n          kubespawner_override:\n            uid: 1000\n"
        in (fixed)
    )
    assert fixed.count("\nspec:\n") == 2  # the HelmRepository's and the HelmRelease's, no new one


def test_a_template_in_a_layer_object_is_judged_in_its_values_only(tmp_path: Path) -> None:
    path = tmp_path / "hub.yaml"
    path.write_text(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        'metadata:\n  name: "{{ .Values.name }}"\n'
        "spec:\n  chart:\n    spec: {chart: jupyterhub, version: 4.4.0}\n"
        '  values:\n    singleuser:\n      image: {tag: "{{ .Values.tag }}"}\n'
    )
    result = run(values=[str(LAYERS / "base-values.yaml"), str(path)], select={"helm-template"})
    assert [(f.rule, f.line) for f in result.findings] == [("helm-template", 10)]


def test_the_command_layers_a_helmrelease_and_exits_on_its_findings() -> None:
    from click.testing import CliRunner

    from nblint.cli import main

    args = ["check", "-f", str(LAYERS / "base-values.yaml"), "-f", str(LAYERS / "helmrelease.yaml")]
    done = CliRunner().invoke(main, [*args, "--select", "run-as-user", "--format", "json"])
    assert done.exit_code == 1, done.output
    import json

    report = json.loads(done.output)
    assert {(Path(f["file"]).name, f["line"]) for f in report["findings"]} == {
        ("helmrelease.yaml", 28),
        ("helmrelease.yaml", 34),
    }


def test_gitops_objects_of_a_context_file_are_read_for_the_index_not_linted(tmp_path: Path) -> None:
    # z2jh reads its context documents (an OCIRepository) for the index: a HelmRelease there
    # stands for what is in the cluster, and is not linted.
    context = tmp_path / "cluster.yaml"
    context.write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: jhub}\n---\n"
        + (GITOPS / "flux-chartref-oci.yaml").read_text()
    )
    result = run(GITOPS / "flux-chartref-missing.yaml", select=SELECTED, cluster=[context])
    assert {Path(f.file).name for f in result.findings} == {"flux-chartref-missing.yaml"}


@pytest.mark.parametrize("case", ["chartref", "chartref-no-values"])
def test_a_chartref_is_resolved_across_jobs_processes(tmp_path: Path, case: str) -> None:
    # The HelmRelease first, its HelmChart last: with --jobs they fall in different chunks, and
    # every process indexes the file of the HelmChart (the z2jh dialect is cluster-wide). Without
    # values that say z2jh, that HelmChart is also what says the HelmRelease is z2jh's at all.
    shutil.copy(GITOPS / case / "helmrelease.yaml", tmp_path / "000-helmrelease.yaml")
    shutil.copy(GITOPS / case / "helmchart.yaml", tmp_path / "zzz-helmchart.yaml")
    report = report_across_jobs(tmp_path)
    (chosen,) = [f for f in report["findings"] if f["rule"] == "z2jh-chart-version"]
    assert chosen["message"].startswith("linted as z2jh 4.1.0, values at `spec.values`")


def test_argo_values_that_are_no_mapping_are_one_error_at_their_key() -> None:
    result = run(GITOPS / "argo-values-string-a-list.yaml", select={"z2jh"})
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "z2jh-wrong-type",
            12,
            7,
            "z2jh values at `spec.source.helm.values` must be a mapping; helm would refuse the "
            "release",
        )
    ]
    assert result.pod_count == 0


def test_the_chart_version_names_the_layers_that_hold_an_application_s_values() -> None:
    # Field test 7a M3: not "values at `spec.sources[0].helm.valuesObject`", which it lacks.
    base = LAYERS / "base-values.yaml"
    result = run(
        values=[str(base), str(LAYERS / "application-value-files-only.yaml")],
        select={"z2jh-chart-version"},
    )
    [finding] = result.findings
    assert finding.message.startswith(
        f"linted as z2jh 4.1.0, values from the -f layers {base}: the Application `hub` pins "
    )


# -- Argo CD `$ref/<path>` value files among the inputs (field test 13a, design note) ----------

ARGO_REF = GITOPS / "argo-ref-values"
TWO_CANDIDATES = GITOPS / "argo-ref-two-candidates"


def _tree(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.yaml"))


def placed(result: RunResult) -> list[tuple[str, str, int]]:
    """``(rule, file from the fixture's directory, line)`` of each finding, sorted."""
    return sorted(
        {(f.rule, "/".join(Path(f.file).parts[-2:]), f.line) for f in result.findings},
        key=lambda f: (f[1], f[2], f[0]),
    )


def test_a_ref_value_file_among_the_inputs_is_linted_once_as_the_application_s_release() -> None:
    # apps/jupyterhub.yaml pins 3.3.7 and installs into namespace `lab` (baseline, by
    # jupyterhub/namespace.yaml) with `$values/jupyterhub/values.yaml`, which the walk holds.
    result = run(*_tree(ARGO_REF), select=SELECTED)
    assert linted_as(result) == {"3.3.7"}
    assert result.pod_count == 1  # the values file is no release of its own
    assert [pod.namespace for pod in result.pods] == ["lab"]
    assert placed(result) == [
        ("z2jh-chart-version", "apps/jupyterhub.yaml", 13),
        # The chart's own init container (3.3.7), at the last layer's values.
        ("privileged", "apps/jupyterhub.yaml", 18),
        ("notebook-authentication", "jupyterhub/values.yaml", 4),
        # The file's privileged sidecar, rejected by the namespace's baseline label.
        ("privileged", "jupyterhub/values.yaml", 14),
    ]
    # `valuesObject` over the file (Argo CD's order): its uid 1000 wins over the file's 0.
    assert not [f for f in result.findings if f.rule == "run-as-user"]
    sidecar = next(f for f in result.findings if f.line == 14)
    assert sidecar.psa is not None and sidecar.psa.mode == "enforce"
    assert sidecar.cause is not None and sidecar.cause.file.endswith("jupyterhub/namespace.yaml")


def test_a_ref_value_file_not_among_the_inputs_is_named_in_the_unread_values() -> None:
    # Its inline values are linted alone, over the chart's defaults of the release it pins.
    result = run(ARGO_REF / "apps" / "jupyterhub.yaml", select=SELECTED)
    assert linted_as(result) == {"3.3.7"}
    assert placed(result) == [
        ("z2jh-chart-version", "apps/jupyterhub.yaml", 13),
        ("z2jh-unread-values", "apps/jupyterhub.yaml", 16),
        ("notebook-authentication", "apps/jupyterhub.yaml", 17),
        ("privileged", "apps/jupyterhub.yaml", 18),
        ("run-as-user", "apps/jupyterhub.yaml", 18),
    ]
    assert said(result, "z2jh-unread-values").startswith(
        "the Application `hub` layers values that nblint did not read: the value file "
        "`$values/jupyterhub/values.yaml` (from `spec.sources[1]`), not among the inputs (no "
        "input's path ends with `jupyterhub/values.yaml`) (`spec.sources[0].helm.valueFiles[0]`)"
    )


def test_a_ref_value_file_that_two_inputs_may_be_is_said_and_not_guessed() -> None:
    result = run(*_tree(TWO_CANDIDATES), select=SELECTED)
    # Each file is linted on its own, as the newest release; the Application checks nothing.
    assert result.pod_count == 2
    assert "3.3.7" not in linted_as(result)
    assert placed(result) == [
        ("z2jh-unread-values", "apps/jupyterhub.yaml", 14),
        ("notebook-authentication", "jupyterhub/values.yaml", 1),
        ("privileged", "jupyterhub/values.yaml", 1),
        ("run-as-user", "jupyterhub/values.yaml", 1),
        ("run-as-user", "jupyterhub/values.yaml", 2),
    ]
    message = said(result, "z2jh-unread-values")
    production = str(TWO_CANDIDATES / "production" / "jupyterhub" / "values.yaml")
    staging = str(TWO_CANDIDATES / "staging" / "jupyterhub" / "values.yaml")
    assert (
        "the value file `$values/jupyterhub/values.yaml` (from `spec.sources[1]`), which 2 inputs "
        f"may be ({production}, {staging}: nblint does not guess which)"
    ) in message
    assert "nothing was checked" in message


def test_a_ref_value_file_is_read_the_same_across_jobs(tmp_path: Path) -> None:
    shutil.copytree(ARGO_REF, tmp_path / "repo")
    report = report_across_jobs(tmp_path)
    versions = [f["message"] for f in report["findings"] if f["rule"] == "z2jh-chart-version"]
    assert len(versions) == 1 and versions[0].startswith("linted as z2jh 3.3.7")
    authentication = [f for f in report["findings"] if f["rule"] == "notebook-authentication"]
    assert [(f["file"].endswith("jupyterhub/values.yaml"), f["line"]) for f in authentication] == [
        (True, 4)
    ]


def test_an_application_whose_only_values_are_a_ref_file_not_given_says_which_file() -> None:
    application = TWO_CANDIDATES / "apps" / "jupyterhub.yaml"
    result = run(application, select=SELECTED)
    assert result.pod_count == 0
    assert placed(result) == [("z2jh-unread-values", "apps/jupyterhub.yaml", 14)]
    assert said(result, "z2jh-unread-values") == (
        "the Application `hub` writes no values of its own at "
        "`spec.sources[0].helm.valuesObject`: they come from the value file "
        "`$values/jupyterhub/values.yaml` (from `spec.sources[1]`), not among the inputs (no "
        "input's path ends with `jupyterhub/values.yaml`) (`spec.sources[0].helm.valueFiles[0]`), "
        "which nblint was not given; nothing was checked (nblint reads a `$ref` value file that "
        "is among its inputs: lint this file together with the repository that holds "
        "`$values/jupyterhub/values.yaml` (from `spec.sources[1]`), e.g. "
        f"`nblint check {application} REPO`)"
    )


# -- Argo CD: a git path chart of another repository with a `$ref` values file (field test 14c
# D3): nblint cannot read the chart; the values file says whether it is z2jh's ----------------

GIT_PATH = GITOPS / "argo-ref-git-path"
GIT_PATH_OTHER = GITOPS / "argo-ref-git-path-other"


def test_a_ref_value_file_of_a_git_path_chart_is_linted_once_in_the_application_namespace() -> None:
    # apps/hub.yaml installs the chart at `path: dask-hub` of another repository into `science`
    # (managedNamespaceMetadata: enforce baseline) with `$values/dask-hub/hub-values.yaml`,
    # whose z2jh values sit under `jupyterhub:` (as a daskhub-like chart's).
    result = run(*_tree(GIT_PATH), select=SELECTED)
    assert result.pod_count == 1  # the values file is no release of its own
    assert [pod.namespace for pod in result.pods] == ["science"]
    assert placed(result) == [
        # The version is unknown: said at the source's `path`, with the release assumed.
        ("z2jh-chart-version", "apps/hub.yaml", 12),
        ("notebook-authentication", "dask-hub/hub-values.yaml", 5),
        # The chart's own init container, at the values' root under `jupyterhub:`.
        ("privileged", "dask-hub/hub-values.yaml", 6),
        ("privileged", "dask-hub/hub-values.yaml", 14),
    ]
    message = said(result, "z2jh-chart-version")
    assert message.startswith("linted as z2jh ") and "the newest release nblint knows" in message
    assert message.endswith(
        "the Application `science-hub` takes its chart from the git path `dask-hub` of "
        "https://git.example.org/charts/hub-charts.git (`spec.sources[0].path`), whose "
        "Chart.yaml there names it (nblint does not read it): the chart and its version are "
        "unknown; give the release it installs with --chart-version"
    )
    # Judged at the namespace's enforce baseline (no restricted-only rule), not as unknown.
    for finding in (f for f in result.findings if f.rule == "privileged"):
        assert finding.psa is not None and finding.psa.mode == "enforce"
        assert finding.cause is not None and finding.cause.file.endswith("apps/hub.yaml")
    assert not [f for f in result.findings if f.rule == "run-as-user"]
    namespaced = run(*_tree(GIT_PATH), select={"namespace"})
    assert not [f for f in namespaced.findings if f.rule == "ns-unknown-namespace"]


def test_a_ref_value_file_of_a_git_path_chart_not_among_the_inputs_is_said_once() -> None:
    application = GIT_PATH / "apps" / "hub.yaml"
    result = run(application, select=SELECTED)
    assert result.pod_count == 0
    assert placed(result) == [("z2jh-unread-values", "apps/hub.yaml", 16)]
    message = said(result, "z2jh-unread-values")
    assert message.startswith(
        "the Application `science-hub` writes no values of its own at "
        "`spec.sources[0].helm.valuesObject`: they come from the value file "
        "`$values/dask-hub/hub-values.yaml` (from `spec.sources[1]`), not among the inputs (no "
        "input's path ends with `dask-hub/hub-values.yaml`)"
    )
    assert "nothing was checked" in message
    assert message.endswith("the chart and its version are unknown")


def test_a_git_path_chart_whose_ref_value_file_is_not_z2jh_values_is_not_linted() -> None:
    result = run(*_tree(GIT_PATH_OTHER), select=SELECTED)
    assert result.pod_count == 0
    assert result.findings == []


def test_a_ref_value_file_of_a_git_path_chart_is_read_the_same_across_jobs(tmp_path: Path) -> None:
    shutil.copytree(GIT_PATH, tmp_path / "repo")
    report = report_across_jobs(tmp_path)
    placed = sorted((f["rule"], Path(f["file"]).name, f["line"]) for f in report["findings"])
    assert ("z2jh-chart-version", "hub.yaml", 12) in placed
    assert ("ns-unknown-namespace", "hub-values.yaml", 6) not in placed
    assert [p for p in placed if p[0] == "notebook-authentication"] == [
        ("notebook-authentication", "hub-values.yaml", 5)
    ]
