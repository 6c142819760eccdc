"""z2jh installed by kustomize's Helm chart inflation generator (a kustomization's ``helmCharts``,
a ``HelmChartInflationGenerator`` file) or by helmfile (``releases``): each chart entry is a
release, linted as the version it pins, from the layers the tool hands Helm in its order (the
values files beside the file read, inline values, helmfile's literal ``set`` values), each
finding at the line to edit, what is not read said once.

Rancher Fleet's ``fleet.yaml`` (its ``helm:``) installs a chart the same way: its
``helm.values``, then each of its ``valuesFiles`` over them.

Each case is a directory of ``tests/fixtures/z2jh/`` (``kustomize-helmcharts-*``,
``helmfile-*``, ``fleet-*``).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES, RULES, run

from nblint.dialects.z2jh.gitops import GENERATOR, sources
from nblint.load.files import discover
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

Z2JH = FIXTURES / "z2jh"
#: The z2jh rules, and the pod rules the fixtures break on purpose.
SELECTED = {"z2jh", "run-as-user", "privileged"}


def check(*names: str | Path, **settings: Any) -> RunResult:
    return run(*(Z2JH / name for name in names), select=SELECTED, **settings)


def found(result: RunResult) -> list[tuple[str, str, int]]:
    """``(rule, file under its fixture directory, line)`` of each finding, by file and line."""
    return sorted(
        {(f.rule, Path(f.file).relative_to(Z2JH).as_posix(), f.line) for f in result.findings},
        key=lambda f: (f[1], f[2], f[0]),
    )


def said(result: RunResult, rule: str) -> str:
    (message,) = {f.message for f in result.findings if f.rule == rule}
    return message


def linted_as(result: RunResult) -> set[str]:
    return {pod.facts["chart_version"] for pod in result.pods}


# -- kustomize ---------------------------------------------------------------------------------


def test_a_kustomization_s_helm_chart_is_linted_as_the_version_it_pins() -> None:
    result = check("kustomize-helmcharts-inline/kustomization.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "kustomize-helmcharts-inline/kustomization.yaml", 7),
        # `ingress.extraPaths` is a key of 4.x only: the pinned 3.3.8 refuses it.
        ("z2jh-unknown-key", "kustomize-helmcharts-inline/kustomization.yaml", 11),
        ("privileged", "kustomize-helmcharts-inline/kustomization.yaml", 12),  # chart default
        ("run-as-user", "kustomize-helmcharts-inline/kustomization.yaml", 12),
        ("run-as-user", "kustomize-helmcharts-inline/kustomization.yaml", 13),  # uid: 0
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 3.3.8, values at `helmCharts[0].valuesInline`: the kustomize chart entry "
        "`jhub` (`helmCharts[0]`) pins the chart `jupyterhub` (`helmCharts[0].version`) at 3.3.8"
    )
    # kustomize passes the kustomization's `namespace:` to Helm when the entry gives none.
    assert {pod.namespace for pod in result.pods} == {"jhub"}


def test_the_version_decides_which_keys_the_release_takes() -> None:
    result = check("kustomize-helmcharts-inline/kustomization.yaml", chart_version="4.1.0")
    assert linted_as(result) == {"4.1.0"}
    assert "z2jh-unknown-key" not in {f.rule for f in result.findings}


def test_a_kustomization_without_kind_or_api_version_is_read_too() -> None:
    result = check("kustomize-helmcharts-no-kind/kustomization.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert ("run-as-user", "kustomize-helmcharts-no-kind/kustomization.yaml", 7) in found(result)


def test_values_file_inline_values_and_additional_files_are_layered_as_kustomize_does() -> None:
    # values.yaml (uid: 0) < valuesInline (uid: 1000, `override`) < prod.yaml < missing.yaml.
    result = check("kustomize-helmcharts-files/kustomization.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "kustomize-helmcharts-files/kustomization.yaml", 6),
        ("z2jh-unread-values", "kustomize-helmcharts-files/kustomization.yaml", 12),
        ("z2jh-unknown-key", "kustomize-helmcharts-files/prod.yaml", 2),
        ("privileged", "kustomize-helmcharts-files/prod.yaml", 3),  # the last `singleuser:`
        ("run-as-user", "kustomize-helmcharts-files/prod.yaml", 3),
    ]
    files = Z2JH / "kustomize-helmcharts-files"
    assert said(result, "z2jh-unread-values") == (
        "the kustomize chart entry `jhub` (`helmCharts[0]`) layers values that nblint did not "
        "read: the values file `missing.yaml`, not found beside it "
        "(`helmCharts[0].additionalValuesFiles[1]`); linted: "
        f"`{files / 'values.yaml'}`, `helmCharts[0].valuesInline`, `{files / 'prod.yaml'}`, over "
        "the chart's defaults, and the pods may differ"
    )
    # The entry's own namespace wins.
    assert {pod.namespace for pod in result.pods} == {"jhub"}


def test_a_values_file_given_as_an_input_too_is_one_layer_not_a_second_release() -> None:
    alone = check("kustomize-helmcharts-files/kustomization.yaml")
    together = check(  # the values files are inputs too
        "kustomize-helmcharts-files/values.yaml",
        "kustomize-helmcharts-files/kustomization.yaml",
        "kustomize-helmcharts-files/prod.yaml",
    )
    assert found(together) == found(alone)
    assert len(together.pods) == 1
    assert together.skipped == {}


def test_valuesmerge_merge_puts_the_file_over_the_inline_values() -> None:
    result = check("kustomize-helmcharts-merge/kustomization.yaml")
    assert ("run-as-user", "kustomize-helmcharts-merge/values.yaml", 2) in found(result)


def test_valuesmerge_replace_ignores_the_values_file() -> None:
    result = check("kustomize-helmcharts-replace/kustomization.yaml")
    assert found(result) == [
        ("z2jh-chart-version", "kustomize-helmcharts-replace/kustomization.yaml", 4),
        ("privileged", "kustomize-helmcharts-replace/kustomization.yaml", 8),
        ("run-as-user", "kustomize-helmcharts-replace/kustomization.yaml", 8),
    ]  # no `uid: 0` from values.yaml, which kustomize does not use


def test_a_helm_chart_inflation_generator_file_is_one_chart_entry() -> None:
    result = check("kustomize-helmcharts-generator/generator.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "kustomize-helmcharts-generator/generator.yaml", 7),
        ("z2jh-unknown-key", "kustomize-helmcharts-generator/generator.yaml", 11),
        ("privileged", "kustomize-helmcharts-generator/generator.yaml", 12),
        ("run-as-user", "kustomize-helmcharts-generator/generator.yaml", 12),
        ("run-as-user", "kustomize-helmcharts-generator/generator.yaml", 13),
    ]


def test_a_kustomization_s_generators_entry_is_followed_to_its_helm_generator_file() -> None:
    # Field test 10a D2: a kustomization that inflates z2jh through a generator file
    # (`generators: [jupyterhub-chart.yaml]`, kustomize's documented shape) linted nothing, rc 0.
    # The file is read with it, as a `helmCharts` entry's values file is; its findings are in
    # the generator file (and the values file it names), each once.
    alone = check("kustomize-generators-file/kustomization.yaml")
    assert linted_as(alone) == {"3.3.8"}
    expected = [
        ("z2jh-chart-version", "kustomize-generators-file/jupyterhub-chart.yaml", 7),
        # The chart's default init container (privileged, root), then `uid: 0`.
        ("privileged", "kustomize-generators-file/values.yaml", 1),
        ("run-as-user", "kustomize-generators-file/values.yaml", 1),
        ("run-as-user", "kustomize-generators-file/values.yaml", 2),
    ]
    assert found(alone) == expected
    # Given with the generator file (a directory run), the file is read once.
    both = check(
        "kustomize-generators-file/kustomization.yaml",
        "kustomize-generators-file/jupyterhub-chart.yaml",
        "kustomize-generators-file/values.yaml",
    )
    assert found(both) == expected
    assert len(both.pods) == 1


def test_a_helm_generator_file_in_another_directory_is_not_followed() -> None:
    # kustomize reads its `valuesFile` from the kustomization's directory, nblint from beside
    # the generator file: followed, it would be linted with the wrong values. It stays said
    # unapplied (its build needs --enable-helm).
    here = Z2JH / "kustomize-generators-elsewhere"
    result = run(
        here / "kustomization.yaml", select={"z2jh", "run-as-user", "kustomize-not-applied"}
    )
    assert [(f.rule, f.line, f.fix) for f in result.findings] == [
        ("kustomize-not-applied", 2, f"kustomize build --enable-helm {here} | nblint check -")
    ]


def test_helm_generators_nblint_reads_are_not_said_unapplied_but_another_generator_is() -> None:
    # Field test 10a D3: `generators` was said unapplied although nblint read the generator file
    # as the z2jh release. A generator it does not read (a SecretGenerator) still is.
    unapplied = "kustomize-not-applied"
    every = sorted((Z2JH / "kustomize-generators-file").glob("*.yaml"))
    read = run(*every, select={unapplied, "z2jh-chart-version"})
    assert [f.rule for f in read.findings] == ["z2jh-chart-version"]
    here = Z2JH / "kustomize-generators-and-another"
    another = run(here / "kustomization.yaml", select={unapplied, "z2jh-chart-version"})
    assert [(f.rule, Path(f.file).name, f.line) for f in another.findings] == [
        ("z2jh-chart-version", "jupyterhub-chart.yaml", 5),
        (unapplied, "kustomization.yaml", 2),
    ]


def test_the_kustomize_build_hint_enables_helm_when_the_build_inflates_a_chart() -> None:
    # Field test 10a D7: `kustomize build DIR` refuses a kustomization with `helmCharts` (or a
    # Helm generator, in it or in a base it builds) unless `--enable-helm` is given.
    rules = {"kustomize-not-applied", "kustomize-resource-unchecked", "kustomize-patch"}
    here = Z2JH / "kustomize-generators-and-another"
    own = run(here / "kustomization.yaml", select=rules)
    assert [f.fix for f in own.findings] == [
        f"kustomize build --enable-helm {here} | nblint check -"
    ]
    overlay = Z2JH / "kustomize-helm-overlay" / "overlays" / "prod"
    built = run(*sorted(overlay.glob("*.yaml")), select=rules)
    build = f"kustomize build --enable-helm {overlay} | nblint check -"
    assert [(f.rule, Path(f.file).name, f.fix) for f in built.findings] == [
        ("kustomize-patch", "hub-namespace.yaml", build),
        ("kustomize-resource-unchecked", "kustomization.yaml", build),
        ("kustomize-not-applied", "kustomization.yaml", build),
    ]


def test_a_generator_file_s_fields_are_at_its_top_level_as_kustomize_reads_them() -> None:
    # kustomize unmarshals the generator's config into one chart's fields: a `helmCharts` list
    # there is no field of it, and names no chart.
    document = {
        "apiVersion": "builtin",
        "kind": GENERATOR,
        "metadata": {"name": "hub"},
        "helmCharts": [{"name": "jupyterhub", "valuesInline": {"singleuser": {"uid": 0}}}],
    }
    assert sources(document) == []


def test_a_binderhub_chart_entry_lints_z2jh_under_its_jupyterhub_key() -> None:
    result = check("kustomize-helmcharts-binderhub/kustomization.yaml")
    assert found(result) == [
        ("z2jh-chart-version", "kustomize-helmcharts-binderhub/kustomization.yaml", 6),
        ("privileged", "kustomize-helmcharts-binderhub/kustomization.yaml", 13),
        ("run-as-user", "kustomize-helmcharts-binderhub/kustomization.yaml", 13),
        ("run-as-user", "kustomize-helmcharts-binderhub/kustomization.yaml", 14),
    ]
    # That development build of binderhub pins z2jh 3.3.7 (tests/test_z2jh_wrapper_versions.py).
    assert linted_as(result) == {"3.3.7"}
    message = said(result, "z2jh-chart-version")
    assert message.startswith("linted as z2jh 3.3.7, ")
    assert "installs the chart `binderhub` (`helmCharts[0].version`) at 1.0.0-0.dev" in message


# -- helmfile ----------------------------------------------------------------------------------


def test_a_helmfile_release_layers_files_inline_values_and_set_in_helmfile_s_order() -> None:
    result = check("helmfile-releases/helmfile.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-releases/helmfile.yaml", 15),
        ("privileged", "helmfile-releases/helmfile.yaml", 18),  # the inline `singleuser:`
        ("run-as-user", "helmfile-releases/helmfile.yaml", 18),
        # The values file helmfile renders (a template in it): read beside it, not YAML.
        ("z2jh-unread-values", "helmfile-releases/helmfile.yaml", 21),
        ("z2jh-unread-values", "helmfile-releases/helmfile.yaml", 22),
        ("run-as-user", "helmfile-releases/helmfile.yaml", 26),  # `set: singleuser.uid=0` wins
        ("z2jh-unknown-key", "helmfile-releases/values.yaml", 2),  # a 4.x key under 3.3.8
    ]
    messages = {f.line: f.message for f in result.findings if f.rule == "z2jh-unread-values"}
    assert messages[21].startswith(
        "the values file `env.yaml.gotmpl` "
        f"({Z2JH / 'helmfile-releases' / 'env.yaml.gotmpl'}) that the helmfile release `jhub` "
        "layers could not be read (line 2: Go template syntax of helmfile"
    )
    assert messages[22].startswith(
        "the helmfile release `jhub` layers values that nblint did not read: the values file "
        "`missing.yaml`, not found beside it (`releases[1].values[3]`); the secrets "
        "`secrets.yaml`, which helm-secrets decrypts (`releases[1].secrets[0]`); the `set` entry "
        "`hub.config.Authenticator.admin_users` (`releases[1].set[1]`); linted: "
    )
    assert {pod.namespace for pod in result.pods} == {"jhub"}
    # `setString` keeps the tag text, as `--set-string` does.
    (pod,) = result.pods
    assert pod.spec["containers"][0]["image"] == "quay.io/jupyter/scipy-notebook:2024-10-07"


def test_a_set_value_s_hint_is_shown_never_written() -> None:
    result = check("helmfile-releases/helmfile.yaml")
    (finding,) = [f for f in result.findings if f.rule == "run-as-user" and f.line == 26]
    assert finding.fix is not None
    assert finding.fix.startswith("# in the `set` entry `singleuser.uid`")
    assert finding.edit is None


def test_helmfile_templates_are_unknown_values_not_helm_templates() -> None:
    result = check("helmfile-templates/helmfile.yaml")
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-templates/helmfile.yaml", 9),
        ("z2jh-unrendered-template", "helmfile-templates/helmfile.yaml", 12),
        ("privileged", "helmfile-templates/helmfile.yaml", 13),
        ("run-as-user", "helmfile-templates/helmfile.yaml", 13),
        ("run-as-user", "helmfile-templates/helmfile.yaml", 14),
    ]
    assert (
        "at `{{ .Values.jupyterhubVersion }}`, a `{{ … }}` template filled in by helmfile's"
        in said(result, "z2jh-chart-version")
    )
    assert {pod.namespace for pod in result.pods} == {None}  # filled in: unknown


def test_a_helmfile_d_release_reads_its_values_relative_to_its_file() -> None:
    result = check("helmfile-d/helmfile.d/10-jupyterhub.yaml")
    assert linted_as(result) == {"4.1.0"}  # `~4.1.0`: ingress.extraPaths (values/common.yaml)
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-d/helmfile.d/10-jupyterhub.yaml", 4),
        ("privileged", "helmfile-d/helmfile.d/10-jupyterhub.yaml", 7),
        ("run-as-user", "helmfile-d/helmfile.d/10-jupyterhub.yaml", 7),
        ("run-as-user", "helmfile-d/helmfile.d/10-jupyterhub.yaml", 8),
    ]
    result = check("helmfile-d/helmfile.d/10-jupyterhub.yaml", chart_version="3.3.8")
    assert ("z2jh-unknown-key", "helmfile-d/values/common.yaml", 2) in found(result)


def walk(name: str) -> RunResult:
    """Every file of the fixture directory ``name``, as a directory walk gives them."""
    here = Z2JH / name
    return run(*sorted(p for p in here.rglob("*") if p.is_file()), select=SELECTED)


def test_environment_values_are_helmfile_s_state_values_not_z2jh_values() -> None:
    # Field test: `environments.*.values` and the helmfile's own `values:` feed its templates
    # (`.Values`, `.StateValues`); Helm never reads them. Given with the helmfile (a directory
    # walk), each was linted as a z2jh release of its own: a privileged sidecar in
    # environments/prod.yaml, `uid: 0` in environments/default.yaml and defaults.yaml.
    result = walk("helmfile-environments")
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-environments/helmfile.yaml", 19),
        ("privileged", "helmfile-environments/helmfile.yaml", 22),  # the chart's init container
        ("run-as-user", "helmfile-environments/helmfile.yaml", 22),
        # `uid: '{{ .StateValues.notebookUid }}'`: filled in per environment, unknown.
        ("z2jh-unrendered-template", "helmfile-environments/helmfile.yaml", 23),
    ]
    assert len(result.pods) == 1
    # The environments document and the three state values files: skipped, not linted.
    assert sum(result.skipped.values()) == 4


def test_a_base_s_environment_values_are_state_values_too() -> None:
    result = walk("helmfile-bases")
    assert [f for f in found(result) if "environments" in f[1]] == []
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-bases/helmfile.yaml", 10),
        ("privileged", "helmfile-bases/values.yaml", 1),
        ("run-as-user", "helmfile-bases/values.yaml", 1),
    ]


def test_a_helmfile_gotmpl_is_read_where_its_templates_are_values() -> None:
    # helmfile v1 renders `helmfile.yaml.gotmpl` as a Go template first. Each template here is
    # a value (unquoted): nblint read nothing of the file (one `helm-template` error). Now the
    # release, its plain values files and its version are read as in helmfile.yaml, each
    # template an unknown value, said once.
    result = check("helmfile-gotmpl/helmfile.yaml.gotmpl")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-gotmpl/helmfile.yaml.gotmpl", 9),
        # `installed: {{ … }}`: whether helmfile installs it is the template's to say.
        ("z2jh-unread-values", "helmfile-gotmpl/helmfile.yaml.gotmpl", 10),
        ("privileged", "helmfile-gotmpl/helmfile.yaml.gotmpl", 14),
        ("run-as-user", "helmfile-gotmpl/helmfile.yaml.gotmpl", 14),
        ("z2jh-unrendered-template", "helmfile-gotmpl/helmfile.yaml.gotmpl", 16),
        ("run-as-user", "helmfile-gotmpl/values.yaml", 2),
    ]
    assert "`installed: {{ .Values.hubInstalled }}`, which says if it is installed" in said(
        result, "z2jh-unread-values"
    )
    # plain.yaml.gotmpl holds no template: read as the values it is (its image name).
    (pod,) = result.pods
    assert pod.spec["containers"][0]["image"].startswith("quay.io/jupyter/scipy-notebook:")
    assert {pod.namespace for pod in result.pods} == {None}  # `{{ .Values.namespace }}`


def test_a_helmfile_gotmpl_whose_templates_decide_its_shape_is_said_once_never_guessed() -> None:
    # `{{ if }}`/`{{ else }}` pick one of two releases: nblint cannot know which, and reads
    # neither (one info at the template, not an error, never a guess).
    result = check("helmfile-gotmpl-control/helmfile.yaml.gotmpl")
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        ("helmfile-template", 5, 1, "info")
    ]
    assert result.pods == []


def test_a_helmfile_gotmpl_template_in_a_flow_list_or_a_key_is_said_once(tmp_path: Path) -> None:
    for text, line in (
        (
            "releases:\n  - name: jhub\n    chart: jupyterhub/jupyterhub\n"
            "    values: [{{ .Values.file }}]\n",
            4,
        ),
        (
            "releases:\n  - name: jhub\n    chart: jupyterhub/jupyterhub\n    values:\n"
            "      - {{ .Values.key }}: 1\n",
            5,
        ),
        (
            "releases:\n  - name: jhub\n    chart: jupyterhub/jupyterhub\n    values:\n"
            "      - hub:\n          config: {{ toYaml .Values.config\n          | nindent 10 }}\n",
            6,
        ),
    ):
        helmfile = tmp_path / "helmfile.yaml.gotmpl"
        helmfile.write_text(text)
        result = run(helmfile, select=SELECTED)
        assert [(f.rule, f.line) for f in result.findings] == [("helmfile-template", line)], text


def test_a_template_values_file_a_kustomization_names_is_one_finding_at_its_template() -> None:
    # Field test: a Jinja values file was said twice, a `helm-template` error as an input of
    # its own and an unread info through the kustomization. The finding is the one at the line
    # to edit: the template; the release (nothing else to lint) is not linted.
    result = walk("kustomize-helmcharts-jinja")
    assert [(f.rule, Path(f.file).name, f.line) for f in result.findings] == [
        ("helm-template", "values.yaml", 3)
    ]
    # The kustomization alone: the values file is no input, and its release says it is unread.
    alone = check("kustomize-helmcharts-jinja/kustomization.yaml")
    assert found(alone) == [
        ("z2jh-unread-values", "kustomize-helmcharts-jinja/kustomization.yaml", 6)
    ]


def test_a_template_values_file_a_helmfile_names_is_one_finding_at_its_template() -> None:
    # env.yaml.gotmpl, given with the helmfile: why it cannot be read is said at its template;
    # that the release was linted without it, once, at line 21 of the helmfile, as when the
    # helmfile is checked alone (see the first helmfile test; field test 16a D1: a walk lost it).
    result = walk("helmfile-releases")
    said_of = [f for f in found(result) if "gotmpl" in f[1] or f[0] == "z2jh-unread-values"]
    assert said_of == [
        ("helm-template", "helmfile-releases/env.yaml.gotmpl", 2),
        ("z2jh-unread-values", "helmfile-releases/helmfile.yaml", 21),
        ("z2jh-unread-values", "helmfile-releases/helmfile.yaml", 22),  # missing.yaml, secrets…
    ]


def test_a_helmfile_release_of_another_chart_is_not_read() -> None:
    document = {
        "repositories": [{"name": "bitnami", "url": "https://charts.bitnami.com/bitnami"}],
        "releases": [{"name": "db", "chart": "bitnami/postgresql", "values": ["db.yaml"]}],
    }
    assert sources(document) == []


# -- Rancher Fleet ------------------------------------------------------------------------------


def test_a_fleet_yaml_s_inline_helm_values_are_linted_as_the_version_it_pins() -> None:
    # Field test 13a: it passed as "1 other document skipped".
    result = check("fleet-inline/fleet.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "fleet-inline/fleet.yaml", 7),
        ("privileged", "fleet-inline/fleet.yaml", 9),  # the chart's default init container
        ("run-as-user", "fleet-inline/fleet.yaml", 9),
        ("run-as-user", "fleet-inline/fleet.yaml", 10),  # uid: 0
    ]
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 3.3.8, values at `helm.values`: the Fleet bundle `jhub` (`helm`) pins "
        "the chart `jupyterhub` (`helm.version`) at 3.3.8"
    )
    # `namespace` wins over `defaultNamespace` (Fleet's GetDeploymentNS).
    assert {pod.namespace for pod in result.pods} == {"jhub"}


def test_values_files_written_inside_a_fleet_yaml_s_values_are_said_to_belong_beside_them() -> None:
    # Field test 15a W4: unknown to z2jh (true), and the file is never layered: say where it goes.
    result = run(Z2JH / "fleet-values-files-under-values/fleet.yaml", select={"z2jh-unknown-key"})
    [finding] = result.findings
    assert (finding.rule, finding.line) == ("z2jh-unknown-key", 9)
    assert finding.message.endswith(
        "`valuesFiles` is an option of the installer (Fleet's values files, layered over "
        "`helm.values`), not a values key: it belongs at `helm.valuesFiles`, beside "
        "`helm.values`. Written here it is a value for the chart, and the installer never reads "
        "it, so the files it names are never layered"
    )
    assert finding.fix == (
        "Move `valuesFiles` out of `helm.values`, one level up, to `helm.valuesFiles`:\n"
        "helm:\n  valuesFiles:\n  - values.yaml"
    )


def test_a_fleet_yaml_s_values_files_are_layered_over_its_values_at_the_pinned_version() -> None:
    # `fleet apply` merges values.yaml (uid: 0) over `helm.values` (uid: 1000); 3.3.8, the
    # pinned version, refuses the 4.x key `ingress.extraPaths`.
    result = check("fleet-values-files/fleet.yaml")
    assert linted_as(result) == {"3.3.8"}
    assert found(result) == [
        ("z2jh-chart-version", "fleet-values-files/fleet.yaml", 5),
        ("privileged", "fleet-values-files/values.yaml", 1),
        ("run-as-user", "fleet-values-files/values.yaml", 1),
        ("run-as-user", "fleet-values-files/values.yaml", 2),
        ("z2jh-unknown-key", "fleet-values-files/values.yaml", 4),
    ]
    assert {pod.namespace for pod in result.pods} == {"notebooks"}  # `defaultNamespace`
    # The values file given as an input too is that release's layer, linted once, not a
    # release of its own as the newest chart.
    together = check("fleet-values-files/values.yaml", "fleet-values-files/fleet.yaml")
    assert found(together) == found(result)
    assert len(together.pods) == 1
    assert together.skipped == {}


def test_fleet_s_values_from_and_target_customizations_are_said_unread() -> None:
    result = check("fleet-unread/fleet.yaml")
    assert found(result) == [
        ("z2jh-chart-version", "fleet-unread/fleet.yaml", 5),
        ("privileged", "fleet-unread/fleet.yaml", 7),
        ("run-as-user", "fleet-unread/fleet.yaml", 7),
        ("z2jh-unread-values", "fleet-unread/fleet.yaml", 9),
    ]
    assert said(result, "z2jh-unread-values") == (
        "the Fleet bundle (`helm`) layers values that nblint did not read: the values of Secret "
        "`hub-secrets`, which the Fleet agent reads from the downstream cluster "
        "(`helm.valuesFrom`); the helm options of targetCustomizations `gpu` (`version`, "
        "`values`), which change them on the clusters they match (`targetCustomizations`); the "
        "values at `helm.values` were linted over the chart's defaults, and the pods may differ"
    )


def test_a_fleet_yaml_of_another_chart_is_not_read_nor_said() -> None:
    result = check("fleet-other-chart/fleet.yaml")
    assert found(result) == []
    assert result.pods == []


def test_a_fleet_yaml_s_oci_repo_names_the_chart() -> None:
    result = check("fleet-oci/fleet.yaml")
    assert linted_as(result) == {"4.1.0"}
    assert ("run-as-user", "fleet-oci/fleet.yaml", 6) in found(result)


def test_a_fleet_release_lands_in_its_namespace_whose_labels_admit_it() -> None:
    # The Namespace `jhub` of the inputs enforces `privileged`: no PSA finding is due there.
    result = check("fleet-namespace/fleet.yaml", "fleet-namespace/namespace.yaml")
    assert {pod.namespace for pod in result.pods} == {"jhub"}
    assert found(result) == [("z2jh-chart-version", "fleet-namespace/fleet.yaml", 6)]


def test_a_fleet_yaml_given_with_dash_f_is_said_to_be_no_values_file() -> None:
    here = Z2JH / "fleet-values-files"
    result = run(select=SELECTED, values=[str(here / "values.yaml"), str(here / "fleet.yaml")])
    assert [(f.rule, Path(f.file).name, f.line) for f in result.findings] == [
        ("z2jh-installer-as-layer", "fleet.yaml", 2)
    ]
    assert result.findings[0].message.startswith("`-f fleet.yaml`: a Fleet fleet.yaml is not")


def test_a_fleet_chart_archive_url_names_z2jh_at_the_version_of_its_file_name() -> None:
    # Field test 22a D1: `chart: https://…/jupyterhub-3.3.7.tgz` passed as "other document
    # skipped", and each values file was linted alone as a 4.4.0 release (a false dummy
    # authenticator on common.yaml, each PSA finding once per file).
    files = ("fleet-chart-url/fleet.yaml", "fleet-chart-url/values/auth.yaml")
    result = run(
        *(Z2JH / name for name in (*files, "fleet-chart-url/values/common.yaml")),
        select={*SELECTED, "notebook-authentication"},
    )
    assert linted_as(result) == {"3.3.7"}
    assert len(result.pods) == 1
    assert found(result) == [
        ("z2jh-chart-version", "fleet-chart-url/fleet.yaml", 5),
        ("privileged", "fleet-chart-url/values/common.yaml", 1),
        ("run-as-user", "fleet-chart-url/values/common.yaml", 1),
        ("run-as-user", "fleet-chart-url/values/common.yaml", 2),
        # 3.3.7's schema, not 4.4.0's: the version the archive's name pins.
        ("z2jh-unknown-key", "fleet-chart-url/values/common.yaml", 4),
    ]
    assert said(result, "z2jh-chart-version").endswith(
        "the Fleet bundle `hub` (`helm`) pins the chart `jupyterhub` (`helm.chart`) at 3.3.7"
    )


def test_a_fleet_oci_chart_names_z2jh_at_its_version() -> None:
    result = check("fleet-chart-oci/fleet.yaml")
    assert linted_as(result) == {"3.3.7"}
    assert found(result) == [
        ("z2jh-chart-version", "fleet-chart-oci/fleet.yaml", 4),
        ("privileged", "fleet-chart-oci/fleet.yaml", 6),
        ("run-as-user", "fleet-chart-oci/fleet.yaml", 6),
        ("run-as-user", "fleet-chart-oci/fleet.yaml", 7),
    ]


def test_a_fleet_chart_archive_url_of_daskhub_is_read_under_its_jupyterhub_key() -> None:
    result = check("fleet-chart-url-daskhub/fleet.yaml")
    # daskhub 2024.1.1 depends on z2jh 3.2.1 (schemas/z2jh/wrapper-charts.yaml).
    assert linted_as(result) == {"3.2.1"}
    assert found(result) == [
        ("z2jh-chart-version", "fleet-chart-url-daskhub/fleet.yaml", 3),
        ("privileged", "fleet-chart-url-daskhub/fleet.yaml", 6),
        ("run-as-user", "fleet-chart-url-daskhub/fleet.yaml", 6),
        ("run-as-user", "fleet-chart-url-daskhub/fleet.yaml", 7),
    ]
    assert "installs the chart `daskhub` (`helm.chart`) at 2024.1.1" in said(
        result, "z2jh-chart-version"
    )


def test_a_helmfile_chart_archive_url_names_z2jh_at_the_version_of_its_file_name() -> None:
    result = check("helmfile-chart-url/helmfile.yaml")
    assert linted_as(result) == {"3.3.7"}
    assert found(result) == [
        ("z2jh-chart-version", "helmfile-chart-url/helmfile.yaml", 4),
        ("privileged", "helmfile-chart-url/helmfile.yaml", 6),
        ("run-as-user", "helmfile-chart-url/helmfile.yaml", 6),
        ("run-as-user", "helmfile-chart-url/helmfile.yaml", 7),
    ]


def test_chart_references_name_the_chart_and_the_version_an_archive_or_tag_pins() -> None:
    from nblint.dialects.z2jh.installers import chart_name

    assert chart_name("https://hub.jupyter.org/helm-chart/jupyterhub-3.3.7.tgz") == (
        "jupyterhub",
        "3.3.7",
    )
    assert chart_name("https://x/binderhub-1.0.0-0.dev.git.3128.h52ffd88.tgz") == (
        "binderhub",
        "1.0.0-0.dev.git.3128.h52ffd88",
    )
    assert chart_name("oci://ghcr.io/example/jupyterhub:4.1.0") == ("jupyterhub", "4.1.0")
    assert chart_name("oci://ghcr.io/example/jupyterhub") == ("jupyterhub", None)
    assert chart_name("jupyterhub") == ("jupyterhub", None)
    # Another chart's archive stays another chart.
    assert chart_name("https://charts.example.org/jupyterhub-proxy-1.2.0.tgz")[0] == (
        "jupyterhub-proxy"
    )


def test_a_values_file_only_a_fleet_target_customization_names_is_no_release_of_its_own() -> None:
    # Field test 22a D1b: values/image-fixed.yaml (only `hub.image`) was linted as a z2jh 4.4.0
    # release of its own: a false dummy authenticator, every PSA finding a second time.
    names = ("fleet.yaml", "values/auth.yaml", "values/image-fixed.yaml")
    result = run(
        *(Z2JH / "fleet-target-values-files" / name for name in names),
        select={*SELECTED, "notebook-authentication"},
    )
    assert len(result.pods) == 1
    assert found(result) == [
        ("z2jh-chart-version", "fleet-target-values-files/fleet.yaml", 6),
        ("z2jh-unread-values", "fleet-target-values-files/fleet.yaml", 9),
        ("privileged", "fleet-target-values-files/values/auth.yaml", 1),
        ("run-as-user", "fleet-target-values-files/values/auth.yaml", 1),
    ]
    assert (
        "the helm options of targetCustomizations `production` (`valuesFiles`: "
        "`values/image-fixed.yaml`), which change them on the clusters they match"
    ) in said(result, "z2jh-unread-values")
    assert sum(result.skipped.values()) == 1  # image-fixed.yaml: a layer there, not a release


def test_a_fleet_bundle_s_kustomize_dir_is_said_to_run_over_the_chart_s_output() -> None:
    # Field test 22a D7: the hint was `kustomize build DIR | nblint check -`, which builds none
    # of the chart the kustomization patches.
    here = Z2JH / "fleet-kustomize-dir"
    result = run(
        here / "fleet.yaml", here / "kustomize/kustomization.yaml", select={"kustomize-not-applied"}
    )
    [finding] = result.findings
    assert (finding.rule, Path(finding.file).name, finding.line) == (
        "kustomize-not-applied",
        "kustomization.yaml",
        2,
    )
    assert "is the `kustomize.dir` of the Fleet bundle" in finding.message
    assert "`kustomize build` of this directory alone builds none of the chart" in finding.message
    assert finding.fix is not None
    assert "kustomize build" not in finding.fix
    assert finding.fix.startswith("Lint what the bundle deploys: render its chart with its values")


# -- fix ---------------------------------------------------------------------------------------


def fixed(tmp_path: Path, name: str) -> tuple[Path, RunResult]:
    """The fixture directory ``name`` copied and fixed as ``nblint fix --unsafe-fixes`` does."""
    copy = tmp_path / name
    shutil.copytree(Z2JH / name, copy)
    options = Options(PsaPolicy("restricted", (1, 37)), select=SELECTED)
    inputs = sorted(str(p) for p in copy.rglob("*.yaml"))

    def again(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run(inputs)

    for file, text in fixing.fix(again, True).texts.items():
        Path(file).write_text(text)
    return copy, run(*inputs, select=SELECTED)


def test_fixes_are_written_into_a_kustomization_s_inline_values(tmp_path: Path) -> None:
    copy, after = fixed(tmp_path, "kustomize-helmcharts-inline")
    # Left: the 4.x key that 3.3.8 refuses, which is the user's to remove.
    assert {f.rule for f in after.findings} == {"z2jh-chart-version", "z2jh-unknown-key"}
    text = (copy / "kustomization.yaml").read_text()
    assert "    valuesInline:\n" in text
    assert "      singleuser:\n        uid: 1000\n" in text


def test_fixes_are_written_into_a_helmfile_release_s_inline_values(tmp_path: Path) -> None:
    copy, after = fixed(tmp_path, "helmfile-releases")
    # Left: the `set` entry's uid (shown, never written), and the key 3.3.8 refuses.
    assert sorted({(f.rule, Path(f.file).name, f.line) for f in after.findings}) == [
        ("run-as-user", "helmfile.yaml", 32),
        ("z2jh-chart-version", "helmfile.yaml", 15),
        ("z2jh-unknown-key", "values.yaml", 2),
        ("z2jh-unread-values", "helmfile.yaml", 27),  # env.yaml.gotmpl (not an input here)
        ("z2jh-unread-values", "helmfile.yaml", 28),
    ]
    text = (copy / "helmfile.yaml").read_text()
    assert "          cloudMetadata:\n            blockWithIptables: false\n" in text


# -- what is not z2jh's, or has no version --------------------------------------------------------


def test_bitnami_s_chart_an_uninstalled_release_and_a_local_chart_in_a_helmfile() -> None:
    result = check("helmfile-other-charts/helmfile.yaml")
    assert found(result) == [
        ("z2jh-other-chart", "helmfile-other-charts/helmfile.yaml", 8),  # bitnami/jupyterhub
        # `installed: false` (b) installs nothing; c's chart is a directory: version unknown.
        ("z2jh-chart-version", "helmfile-other-charts/helmfile.yaml", 13),
        ("privileged", "helmfile-other-charts/helmfile.yaml", 18),
        ("run-as-user", "helmfile-other-charts/helmfile.yaml", 18),
        ("run-as-user", "helmfile-other-charts/helmfile.yaml", 19),
    ]
    assert "installs the chart at `../jupyterhub`, a directory" in said(
        result, "z2jh-chart-version"
    )


def test_a_kustomize_chart_without_a_repo_is_the_local_chart_of_unknown_version() -> None:
    result = check("kustomize-helmcharts-no-repo/kustomization.yaml")
    assert linted_as(result) == {"4.4.0"}
    assert found(result)[0] == (
        "z2jh-chart-version",
        "kustomize-helmcharts-no-repo/kustomization.yaml",
        2,
    )
    assert "names no `repo`: kustomize takes the chart `jupyterhub` from its chart home" in said(
        result, "z2jh-chart-version"
    )


def test_a_kustomization_or_helmfile_given_with_dash_f_is_said_to_be_no_values_file() -> None:
    # Field test: as a -f layer only its inline values were read, in the -f order (a values
    # file it names given after it landed above its inline values; its `set` values were
    # lost). It names its layers and their order itself: one info, and no half-read release.
    for fixture, name, line, values in (
        ("kustomize-helmcharts-files", "kustomization.yaml", 4, ["values.yaml"]),
        ("helmfile-releases", "helmfile.yaml", 12, []),
        ("helmfile-releases", "helmfile.yaml", 12, ["values.yaml"]),
    ):
        here = Z2JH / fixture
        layers = [*(str(here / v) for v in values), str(here / name)]
        result = run(select=SELECTED, values=layers)
        assert [(f.rule, Path(f.file).name, f.line) for f in result.findings] == [
            ("z2jh-installer-as-layer", name, line)
        ]
        assert result.pods == []
        assert result.findings[0].message.startswith(f"`-f {name}`: a ")
        assert "nblint reads when it is given as a PATH" in result.findings[0].message


def test_deprecated_helmchartinflationgenerator_entries_are_read_as_kustomize_converts_them() -> (
    None
):
    document = {
        "helmChartInflationGenerator": [
            {
                "chartName": "jupyterhub",
                "chartVersion": "3.3.8",
                "chartRepoUrl": "https://hub.jupyter.org/helm-chart/",
                "values": "values.yaml",
                "valuesLocal": {"singleuser": {"uid": 0}},
            }
        ]
    }
    (source,) = sources(document)
    assert source.version == "3.3.8"
    assert source.version_path == ("helmChartInflationGenerator", 0, "chartVersion")
    assert source.root == ("helmChartInflationGenerator", 0, "valuesLocal")
    assert [(layer.kind, layer.path, layer.file) for layer in source.layers or ()] == [
        ("file", ("helmChartInflationGenerator", 0, "values"), "values.yaml"),
        ("inline", ("helmChartInflationGenerator", 0, "valuesLocal"), None),
    ]


def test_helmcharts_nblint_reads_are_not_said_unapplied_but_another_chart_is() -> None:
    # kustomize-not-applied names what of a build nblint does not apply: a jupyterhub entry it
    # reads as a release is not that; another chart beside it is.
    unapplied = "kustomize-not-applied"
    alone = run(Z2JH / "kustomize-helmcharts-inline" / "kustomization.yaml", select={unapplied})
    assert [f.rule for f in alone.findings] == []
    beside = run(
        Z2JH / "kustomize-helmcharts-and-another-chart" / "kustomization.yaml", select={unapplied}
    )
    assert [(f.rule, f.line) for f in beside.findings] == [(unapplied, 6)]


def test_a_helmfile_with_the_default_environment_alone_reads_that_values_file() -> None:
    # `./config-{{ .Environment.Name }}.yaml` with `default` the only environment declared
    # (helmfile skips a state file that lacks the `-e` given): `config-default.yaml`, linted as
    # the release's layer, and not also as a release of its own.
    result = walk("helmfile-default-environment")
    assert found(result) == [
        ("privileged", "helmfile-default-environment/config-default.yaml", 1),
        ("run-as-user", "helmfile-default-environment/config-default.yaml", 1),
        ("run-as-user", "helmfile-default-environment/config-default.yaml", 2),
        ("z2jh-chart-version", "helmfile-default-environment/helmfile.yaml", 10),
    ]
    assert len(result.pods) == 1


def test_a_helmfile_with_several_environments_does_not_guess_which_one() -> None:
    # (config-default.yaml, read by no release nblint knows, is linted as values of its own.)
    result = check("helmfile-environment-name-unknown/helmfile.yaml")
    assert found(result) == [
        ("z2jh-unread-values", "helmfile-environment-name-unknown/helmfile.yaml", 13),
    ]
    assert "the values template `./config-{{ .Environment.Name }}.yaml`" in said(
        result, "z2jh-unread-values"
    )


def test_an_unreadable_template_layer_is_said_in_a_walk_and_named_on_chart_defaults() -> None:
    # Field test 16a D1: the release's main layer is a helmfile template nblint cannot read;
    # only `fullnameOverride` is read. A walk of the directory (as pre-commit and CI run it)
    # gives the template as an input too: its own finding says why at its line 2, and the
    # helmfile still says once, at the line that layers it, that the release lacks it.
    folder = Z2JH / "helmfile-unreadable-layer-walk"
    walked = run(*discover([str(folder)]), select={"z2jh", "privileged", "notebook"})
    alone = run(folder / "helmfile.yaml", select={"z2jh", "privileged", "notebook"})
    unread = [
        ("z2jh-unread-values", "helmfile-unreadable-layer-walk/helmfile.yaml", 8),
    ]
    assert [f for f in found(walked) if f[0] == "z2jh-unread-values"] == unread
    assert [f for f in found(alone) if f[0] == "z2jh-unread-values"] == unread
    assert ("helm-template", "helmfile-unreadable-layer-walk/jupyterhub.yaml.gotmpl", 2) in found(
        walked
    )
    assert said(walked, "z2jh-unread-values") == said(alone, "z2jh-unread-values")
    # The findings on chart defaults name the layer that may override them (it does here:
    # `blockWithIptables: false`, `authenticator_class: github`).
    unless = (
        " (unless the values file `./jupyterhub.yaml.gotmpl` (`releases[0].values[0]`), which "
        "nblint did not read, overrides it)"
    )
    for result in (walked, alone):
        notes = {f.rule: f.note for f in result.findings if f.line == 9}
        assert notes["privileged"] == (
            "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh 4.3.1 adds "
            "a privileged root init container" + unless
        )
        assert notes["notebook-authentication"] == (
            'chart default `hub.config.JupyterHub.authenticator_class: "dummy"` of z2jh 4.3.1'
            + unless
        )
