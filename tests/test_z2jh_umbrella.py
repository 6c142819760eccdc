"""The chart version found, not guessed: an umbrella chart beside a values file says which z2jh
release its values are for, and under which key they sit.

Each case is a folder of ``tests/fixtures/z2jh/umbrella/``: the chart files and the values beside
them. What nblint says about the choice is a finding (``z2jh-chart-version``, info; or
``z2jh-unknown-chart-version``, error, at the line that pins the release).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, cold_check_output, run

from nblint.dialects.z2jh.umbrella import ConstraintError, exact, newest_matching
from nblint.dialects.z2jh.values import chart_versions
from nblint.model.result import RunResult

UMBRELLA = FIXTURES / "z2jh" / "umbrella"
CHOSEN = "z2jh-chart-version"
UNKNOWN = "z2jh-unknown-chart-version"


def check(case: str, name: str = "values.yaml", **settings: Any) -> RunResult:
    return run(UMBRELLA / case / name, select={"z2jh"}, **settings)


def said(result: RunResult) -> list[tuple[str, str, int, int, str | None]]:
    """``(rule, file name, line, column, profile)`` of each finding about the chart version."""
    return [
        (f.rule, Path(f.file).name, f.line, f.column, f.profile)
        for f in result.findings
        if f.rule in (CHOSEN, UNKNOWN)
    ]


def linted_as(result: RunResult) -> set[str]:
    return {pod.facts["chart_version"] for pod in result.pods}


def test_the_version_the_umbrella_chart_pins_is_the_release_linted() -> None:
    result = check("pinned")
    assert linted_as(result) == {"3.3.8"}
    # At the values' own z2jh root (line 2: line 1 is a comment).
    assert said(result) == [(CHOSEN, "values.yaml", 2, 1, None)]
    message = result.findings[0].message
    assert message.startswith("linted as z2jh 3.3.8, values at `jupyterhub`: ")
    assert message.endswith("Chart.yaml pins the dependency `jupyterhub` at 3.3.8")
    # 3.3.8 reaches the pod: KubeSpawner 6 writes no app.kubernetes.io/component label.
    labels = result.pods[0].pod["metadata"]["labels"]
    assert "app.kubernetes.io/component" not in labels


def test_the_alias_is_the_values_root() -> None:
    result = check("alias")
    assert linted_as(result) == {"4.1.0"}
    assert said(result) == [(CHOSEN, "values.yaml", 5, 1, None)]
    assert "values at `notebooks`" in result.findings[0].message
    assert "(alias `notebooks`)" in result.findings[0].message
    image = result.pods[0].pod["spec"]["containers"][0]["image"]
    assert image == "quay.io/jupyter/scipy-notebook:2024-08-12"


def test_only_the_alias_says_the_file_is_z2jh_values(tmp_path: Path) -> None:
    shutil.copy(UMBRELLA / "alias" / "values.yaml", tmp_path / "values.yaml")
    assert run(tmp_path / "values.yaml").pods == []
    shutil.copy(UMBRELLA / "alias" / "Chart.yaml", tmp_path / "Chart.yaml")
    assert linted_as(run(tmp_path / "values.yaml")) == {"4.1.0"}


def test_the_lock_says_which_release_of_a_range_helm_installed() -> None:
    result = check("locked")
    assert linted_as(result) == {"4.1.0"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert result.findings[0].message.endswith(
        "Chart.lock locks the dependency `jupyterhub` at 4.1.0"
    )


def test_a_range_without_a_lock_is_the_newest_known_release_in_it_and_says_so() -> None:
    result = check("range")
    assert linted_as(result) == {"3.2.1"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    message = result.findings[0].message
    assert "in the range `~3.2.0`, and 3.2.1 is the newest release nblint knows in it" in message
    assert "no Chart.lock beside it" in message


def test_helm_2_charts_pin_their_dependencies_in_requirements_yaml() -> None:
    result = check("helm2")
    assert linted_as(result) == {"3.0.3"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert (
        "requirements.yaml pins the dependency `jupyterhub` at 3.0.3" in result.findings[0].message
    )


def test_a_pinned_release_nblint_does_not_know_is_an_error_naming_those_it_knows() -> None:
    result = check("unknown-version")
    # At the line of the chart that pins it; the values are still linted, as the newest.
    assert said(result) == [(UNKNOWN, "Chart.yaml", 6, 5, None)]
    finding = result.findings[0]
    assert finding.severity == "error"
    assert "at 9.0.0, a z2jh release nblint does not know" in finding.message
    assert f"it knows {', '.join(chart_versions())}" in finding.message
    assert (
        "linted as 4.4.0, the newest; --chart-version takes one of the releases it knows instead"
    ) in finding.message
    assert linted_as(result) == {"4.4.0"}


def test_a_pin_older_than_any_known_release_is_not_judged_by_the_newest_schema() -> None:
    # z2jh 0.9.0's `proxy.pdb` is no 4.4.0 key, but Helm checks 0.9.0's values, not 4.4.0's
    # schema: no z2jh-unknown-key "helm would refuse the release" (field test 18a, D2).
    result = check("older-than-known")
    assert said(result) == [(UNKNOWN, "Chart.yaml", 6, 5, None)]
    assert [f.rule for f in result.findings] == [UNKNOWN]
    assert "at 0.9.0, a z2jh release nblint does not know (it knows " in result.findings[0].message
    assert result.findings[0].message.endswith(
        "linted as 4.4.0, the newest, without its values schema, which is not the pinned "
        "release's; no release nblint knows matches it: `--chart-version` takes only one it "
        "knows, such as the oldest, 3.0.0, whose keys and defaults are not the pinned release's "
        "(at your own risk)"
    )


def test_a_development_build_of_the_0_x_era_is_a_pin_older_than_any_known_release() -> None:
    # `v0.8-3bdff5d` (chartpress, z2jh 0.x) is one version to Helm, 0.8.0-3bdff5d, not a range:
    # older than any release nblint knows, with what that brings (field test 20a, D1).
    result = run(UMBRELLA / "older-dev-build" / "values.yaml")
    assert said(result) == [(UNKNOWN, "requirements.yaml", 4, 5, None)]
    message = next(f.message for f in result.findings if f.rule == UNKNOWN)
    assert "pins the dependency `jupyterhub` at v0.8-3bdff5d, a z2jh release nblint does not " in (
        message
    )
    assert message.endswith(
        "whose keys and defaults are not the pinned release's (at your own risk)"
    )
    by_rule = {(f.rule, f.line): f for f in result.findings}
    # The metadata block is 4.4.0's default, not known to be 0.8's: an info. (Its `auth.type:
    # github` names the authenticator that release reads: no authentication finding.)
    assert by_rule[("privileged", 4)].severity == "info"
    assert "notebook-authentication" not in {f.rule for f in result.findings}
    # Hints written in 4.4.0's keys are advice: `nblint fix` applies none.
    hinted = [f for f in result.findings if f.fix and f.rule != UNKNOWN]
    assert hinted and {(f.applicability, f.edit) for f in hinted} == {("display-only", None)}


def test_hints_for_a_pin_older_than_any_known_release_are_advice() -> None:
    # Written in 4.4.0's keys (`hub.config`, which z2jh 0.9.0 lacks): `nblint fix` applies none,
    # and each says why (field test 18a, D2: a "safe" fix that changed nothing).
    result = run(UMBRELLA / "older-than-known" / "values.yaml")
    hinted = [f for f in result.findings if f.fix and f.rule != UNKNOWN]
    assert {f.rule for f in hinted} >= {"seccomp-profile-restricted", "run-as-non-root"}
    assert {(f.applicability, f.edit) for f in hinted} == {("display-only", None)}
    advice = "# advice: written in the keys of z2jh 4.4.0, which nblint linted;"
    # (Hints that were advice already — the root init container's — say their own why.)
    assert {f.rule for f in hinted if (f.fix or "").startswith(advice)} >= {
        "seccomp-profile-restricted",
        "notebook-read-only-root-filesystem",
        "allow-privilege-escalation",
    }


def test_an_older_pin_s_keys_are_not_refused_and_its_defaults_are_not_known() -> None:
    # Field test 19a D1/D3: NOTES.txt's refusals (`hub.fsGid`, `rbac.enabled`) are 3.x/4.x's,
    # and a finding on a chart default of 4.4.0 (the dummy authenticator, the metadata block)
    # is not known to hold for 0.9.2, whose hub reads `auth.type`: infos, saying why.
    result = run(UMBRELLA / "older-than-known-defaults" / "values.yaml")
    assert "z2jh-unknown-key" not in {f.rule for f in result.findings}
    by_rule = {(f.rule, f.line): f for f in result.findings}
    # Its `auth.type: github` names the authenticator, not the chart's dummy default: no
    # authentication finding on that default (field test 20a D8).
    assert "notebook-authentication" not in {f.rule for f in result.findings}
    assert by_rule[("privileged", 11)].severity == "info"
    # What no release of the chart sets stays what it is (drop ALL: never a chart default).
    assert by_rule[("capabilities-restricted", 4)].severity == "error"


def test_a_range_no_known_release_falls_in_is_an_error_too() -> None:
    result = check("range-without-a-release")
    assert said(result) == [(UNKNOWN, "Chart.yaml", 6, 5, None)]
    assert "in the range `>=5.0.0`, where nblint knows no release" in result.findings[0].message


def test_chart_version_option_wins_and_then_nothing_is_said() -> None:
    for case in ("pinned", "unknown-version"):
        result = check(case, chart_version="4.2")
        assert linted_as(result) == {"4.2.0"}
        assert said(result) == []


def test_values_root_option_wins_over_the_alias() -> None:
    result = check("alias", values_root="dask-gateway")
    # The version still comes from the chart; the root is the one given.
    assert linted_as(result) == {"4.1.0"}
    assert "values at `dask-gateway`" in result.findings[0].message


def test_a_chart_without_a_z2jh_dependency_changes_nothing() -> None:
    result = check("no-z2jh-dependency")
    assert linted_as(result) == {chart_versions()[-1]}
    assert said(result) == []


def test_a_dependency_without_a_version_is_linted_as_the_newest_and_says_so() -> None:
    result = check("no-version")
    assert linted_as(result) == {chart_versions()[-1]}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert "names the dependency `jupyterhub` without a version" in result.findings[0].message


def test_a_chart_that_cannot_be_read_is_said_not_guessed_around() -> None:
    result = check("unreadable-chart")
    assert linted_as(result) == {chart_versions()[-1]}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert "could not be read (line 3: invalid YAML" in result.findings[0].message


def test_values_not_beside_the_chart_are_the_newest_release() -> None:
    result = check("pinned", "deploy/prod.yaml")
    assert linted_as(result) == {chart_versions()[-1]}
    assert said(result) == []


def test_layered_files_take_the_chart_beside_the_first_layer_that_has_one() -> None:
    files = [
        str(UMBRELLA / "pinned" / "deploy" / "prod.yaml"),
        str(UMBRELLA / "pinned" / "values.yaml"),
    ]
    result = run(values=files, select={"z2jh"})
    assert linted_as(result) == {"3.3.8"}
    # Said at the z2jh root of the release's first file.
    assert said(result) == [(CHOSEN, "prod.yaml", 2, 1, None)]
    image = result.pods[0].pod["spec"]["containers"][0]["image"]
    assert image == "quay.io/jupyter/scipy-notebook:2024-08-12"


def test_a_finding_on_the_chart_has_its_code_frame() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "nblint", "check", "--select", "z2jh", "values.yaml"],
        cwd=UMBRELLA / "unknown-version",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "--> Chart.yaml:6:5" in done.stdout
    assert "6 |     version: 9.0.0" in done.stdout


def test_a_check_beside_an_older_pin_reads_only_that_release_s_facts() -> None:
    """Speed: the release the chart pins is built from the bundled changes, nothing more."""
    out = cold_check_output(
        UMBRELLA / "pinned" / "values.yaml",
        "from nblint.dialects.z2jh import values\n"
        "for built in (values.chart_defaults, values.values_schema):\n"
        "    print('built', built.__name__, built.cache_info().currsize)\n",
    )
    # One release's defaults and schema are built, not every release's.
    assert [line for line in out if line.startswith("built ")] == [
        "built chart_defaults 1",
        "built values_schema 1",
    ]
    opened = [line.removeprefix("opened ") for line in out if line.startswith("opened ")]
    json_files = [p for p in opened if p.endswith(".json") and Path(p).parent.name == "z2jh"]
    assert sorted(Path(p).name for p in json_files) == [
        "kubespawner.json",
        "patches.json",
        "releases.json",
        "spawner-traits.json",
        "values.json",
        "values.schema.json",
    ]


@pytest.mark.parametrize(
    ("wanted", "newest"),
    [
        ("3.3.8", "3.3.8"),
        ("4", "4.4.0"),
        ("4.3", "4.3.5"),
        ("4.3.x", "4.3.5"),
        ("3.*", "3.3.8"),
        ("*", "4.4.0"),
        ("^3.0.0", "3.3.8"),
        ("^4.1", "4.4.0"),
        ("~3.3.0", "3.3.8"),
        ("~4", "4.4.0"),
        ("~> 3.2", "3.2.1"),
        (">=3.1.0 <3.3.0", "3.2.1"),
        (">= 3.1, < 3.3", "3.2.1"),
        ("3.0.0 - 3.2.0", "3.2.0"),
        ("<=3.2", "3.2.1"),
        (">4.3.4", "4.4.0"),
        ("<4.0.0-0", "3.3.8"),
        (">=4.0.0-0 <4.1.0", "4.0.0"),
        ("!=4.4.0, >=4.3", "4.3.5"),
        ("3.0.1 || 4.0.0", "4.0.0"),
        (">=5", None),
        ("^2.0.0", None),
    ],
)
def test_helm_ranges_mean_the_newest_known_release_in_them(wanted: str, newest: str | None) -> None:
    assert newest_matching(wanted, chart_versions()) == newest


@pytest.mark.parametrize("wanted", ["latest", "4.x.y.z", ">=", "4.0.0 ||| 5", ""])
def test_text_that_is_no_range_is_refused(wanted: str) -> None:
    with pytest.raises(ConstraintError):
        newest_matching(wanted, chart_versions())


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("4.1.0", "4.1.0"),
        ("v4.1.0", "4.1.0"),
        ("4.0.0-0.dev.git.6548.h8ac5fd2c", "4.0.0-0.dev.git.6548.h8ac5fd2c"),
        ("4.1", None),
        ("^4.1.0", None),
        # chartpress's development builds of the 0.x era: Helm's semver reads `0.8.0-3bdff5d`.
        ("v0.8-3bdff5d", "0.8.0-3bdff5d"),
        ("0.7-4c3879e", "0.7.0-4c3879e"),
        ("v0.8", None),
        ("~0.8-3bdff5d", None),
    ],
)
def test_a_plain_version_is_a_pin_and_anything_else_a_range(text: str, plain: str | None) -> None:
    assert exact(text) == plain


def test_a_file_beside_the_chart_without_z2jh_values_under_the_alias_is_not_values(
    tmp_path: Path,
) -> None:
    shutil.copy(UMBRELLA / "alias" / "Chart.yaml", tmp_path / "Chart.yaml")
    # Under the alias, but no key only z2jh has: not claimed, as without the chart.
    (tmp_path / "ingress.yaml").write_text("notebooks:\n  ingress:\n    enabled: true\n")
    result = run(tmp_path / "ingress.yaml")
    assert result.pods == [] and result.findings == []
    assert result.skipped == {"(no kind)": 1}


def test_a_chart_that_nests_z2jh_itself_brings_the_release_its_version_pins() -> None:
    # daskhub 2021.11.2 installs z2jh 1.2.0 as its own dependency (its Chart.yaml; nblint's table
    # of wrapper versions): a release nblint does not know, said as a pin of it would be, at the
    # line that pins daskhub; the values are linted as the newest. (Every case of the table:
    # tests/test_z2jh_wrapper_versions.py.)
    result = check("nests-z2jh")
    assert linted_as(result) == {chart_versions()[-1]}
    assert said(result) == [(UNKNOWN, "Chart.yaml", 6, 5, None)]
    message = next(f.message for f in result.findings if f.rule == UNKNOWN)
    assert "pins the dependency `daskhub` at 2021.11.2, which installs z2jh as its own " in message
    assert "dependency `jupyterhub` at 1.2.0, a z2jh release nblint does not know" in message


# -- Values the chart beside them hands to other charts -----------------------------------------

OTHER = "z2jh-other-chart"


def test_values_whose_z2jh_sections_are_aliases_of_another_chart_are_not_z2jh() -> None:
    # baloise-style: every z2jh section is a generic chart's alias (a copy of z2jh's values).
    result = check("generic-aliases")
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        (OTHER, 1, 1, "info")
    ]
    assert result.findings[0].message == (
        "the chart `jupyterhub-test` beside them hands `hub`, `proxy`, `singleuser`, `cull` to "
        "its dependencies on the chart `generic-chart` "
        f"({UMBRELLA / 'generic-aliases' / 'Chart.yaml'}, line 7), not to z2jh's chart "
        "`jupyterhub`, and is not z2jh's chart itself: these values look like z2jh values but "
        "are that chart's, which nblint does not model; none of them was checked"
    )
    assert "--values-root ." in (result.findings[0].fix or "")
    assert result.pods == []
    # Nothing of z2jh's checklist either (uid 0, the dummy authenticator, the iptables init).
    assert run(UMBRELLA / "generic-aliases" / "values.yaml").findings[0].rule == OTHER
    assert len(run(UMBRELLA / "generic-aliases" / "values.yaml").findings) == 1


def test_a_helm_2_chart_s_aliases_in_requirements_yaml_count_too() -> None:
    result = check("generic-aliases-helm2")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [(OTHER, 1, 1)]
    assert "the chart `hub-parts` beside them hands `hub`" in result.findings[0].message
    assert "requirements.yaml, line 3)" in result.findings[0].message
    assert result.pods == []


def test_values_under_a_key_another_chart_is_aliased_as_are_not_z2jh() -> None:
    result = check("generic-alias-jupyterhub")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [(OTHER, 1, 1)]
    assert "hands `jupyterhub` to its dependency on the chart `generic-chart`" in (
        result.findings[0].message
    )
    assert "the values under `jupyterhub` look like z2jh values" in result.findings[0].message
    assert "--values-root jupyterhub" in (result.findings[0].fix or "")


def test_the_values_root_option_lints_them_as_z2jh_all_the_same() -> None:
    for case, root in (("generic-aliases", "."), ("generic-alias-jupyterhub", "jupyterhub")):
        result = check(case, values_root=root)
        assert OTHER not in {f.rule for f in result.findings}
        assert linted_as(result) == {chart_versions()[-1]}


def test_values_are_z2jh_when_the_chart_does_not_hand_all_their_sections_away() -> None:
    # `singleuser` is the umbrella's own key: nblint cannot rule out a copy of z2jh's chart.
    result = check("generic-alias-one-section")
    assert OTHER not in {f.rule for f in result.findings}
    assert linted_as(result) == {chart_versions()[-1]}


def test_values_of_the_jupyterhub_chart_itself_are_z2jh() -> None:
    result = check("z2jh-chart-itself")
    assert OTHER not in {f.rule for f in result.findings}
    assert linted_as(result) == {"4.1.0"}  # the version of the chart itself


def test_z2jh_deeper_under_a_dependency_that_may_nest_it_stays_z2jh() -> None:
    result = check("nested-under-dependency")
    assert OTHER not in {f.rule for f in result.findings}
    assert linted_as(result) == {chart_versions()[-1]}


def test_the_working_umbrellas_stay_z2jh() -> None:
    # An alias of jupyterhub, daskhub nesting it, and `jupyterhub` that no dependency names (a
    # chart in charts/ may take it unlisted).
    for case in ("alias", "nests-z2jh", "no-z2jh-dependency", "helm2"):
        result = check(case)
        assert OTHER not in {f.rule for f in result.findings}, case
        assert result.pods, case


def test_layers_beside_such_a_chart_are_not_z2jh_either(tmp_path: Path) -> None:
    more = tmp_path / "prod.yaml"
    more.write_text("singleuser:\n  uid: 1000\n")
    result = run(
        values=[str(UMBRELLA / "generic-aliases" / "values.yaml"), str(more)], select={"z2jh"}
    )
    assert [(f.rule, Path(f.file).name, f.line) for f in result.findings] == [
        (OTHER, "values.yaml", 1)
    ]
    assert result.pods == []


def test_the_umbrella_chart_s_own_values_given_as_a_layer_are_not_unseen() -> None:
    # Field test 7a M1: `-f values.yaml -f env.values.yaml` beside the Chart.yaml that pins z2jh:
    # the parent chart's own values.yaml is layer 1, not "which nblint cannot see".
    layers = UMBRELLA / "parent-values-layered"
    result = run(values=[str(layers / "values.yaml"), str(layers / "env.values.yaml")])
    notes = [f.note for f in result.findings if "chart default" in f.note]
    assert notes
    assert not [note for note in notes if "cannot see" in note]
    # Alone, the env layer's parent values are unseen (no Chart.yaml beside it says whose).
    alone = run(values=[str(layers / "env.values.yaml")])
    assert any("cannot see" in f.note for f in alone.findings)


def test_an_umbrella_chart_s_comment_only_values_given_first_still_say_whose_chart() -> None:
    # Field test 20a D2: `-f chart/values.yaml -f deploy/common.yaml`, the first holding only
    # comments: it is no layer, but the Chart.yaml beside it pins the release, as `{}` would.
    layers = UMBRELLA / "comment-only-parent-values-layered"
    result = run(
        values=[str(layers / "chart" / "values.yaml"), str(layers / "deploy" / "common.yaml")]
    )
    assert linted_as(result) == {"3.3.8"}
    assert said(result) == [(CHOSEN, "common.yaml", 1, 1, None)]
    chosen = next(f for f in result.findings if f.rule == CHOSEN)
    assert chosen.message.endswith("Chart.yaml pins the dependency `jupyterhub` at 3.3.8")
    # A chart's own values.yaml that holds nothing is no empty-file error, layer or not.
    assert "empty-file" not in {f.rule for f in result.findings}


def test_a_later_patch_release_of_a_known_series_is_linted_as_its_newest_known_and_noted() -> None:
    # z2jh publishes patch releases between nblint's: clean values must not fail CI for that.
    result = check("newer-patch")
    assert linted_as(result) == {"4.4.0"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    finding = result.findings[0]
    assert finding.severity == "info"
    assert finding.message.startswith("linted as z2jh 4.4.0, values at `jupyterhub`: ")
    assert finding.message.endswith(
        "Chart.yaml pins the dependency `jupyterhub` at 4.4.1, a later release of the 4.4 series "
        "than nblint knows, so it is judged by 4.4.0's defaults, schema and hub image (an nblint "
        "that knows 4.4.1 judges it exactly; --chart-version chooses another)"
    )


def test_a_later_patch_of_an_older_series_is_linted_as_that_series_not_the_newest() -> None:
    result = check("newer-patch-3")
    assert linted_as(result) == {"3.3.8"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]


def test_a_locked_development_build_after_a_known_release_is_noted_too() -> None:
    result = check("newer-patch-locked")
    assert linted_as(result) == {"4.4.0"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert "locks the dependency `jupyterhub` at 4.4.1-0.dev.git.7012.h2b1c0e3f" in (
        result.findings[0].message
    )


@pytest.mark.parametrize(
    ("version", "nearest"),
    [
        ("4.4.1", "4.4.0"),
        ("3.3.9", "3.3.8"),
        ("4.4.1-0.dev.git.7.habc", "4.4.0"),
        ("4.4.0-beta.1", None),  # before every 4.4 release nblint knows
        ("4.5.0", None),  # a series nblint does not know
        ("9.0.0", None),
    ],
)
def test_nearest_known_release_of_the_same_series(version: str, nearest: str | None) -> None:
    from nblint.dialects.z2jh.umbrella import newest_patch_before

    assert newest_patch_before(version, chart_versions()) == nearest


def test_a_range_of_later_patches_of_a_known_series_is_noted_not_an_error() -> None:
    # `~4.4.1` (Renovate's bump of a 4.4.0 pin) lets Helm install only 4.4.x from 4.4.1 on.
    result = check("range-of-later-patches")
    assert linted_as(result) == {"4.4.0"}
    assert said(result) == [(CHOSEN, "values.yaml", 1, 1, None)]
    assert "in the range `~4.4.1`, whose releases are later patches of the 4.4 series" in (
        result.findings[0].message
    )


@pytest.mark.parametrize(
    ("text", "series"),
    [
        ("~4.4.1", "4.4.0"),
        ("~3.3.9", "3.3.8"),
        (">=4.4.1 <4.5.0", "4.4.0"),
        (">=4.4.1", None),  # Helm may install 4.5 or 5.0: unknown
        ("^4.4.1", None),
        ("~4.5.0", None),
    ],
)
def test_ranges_of_later_patches_only(text: str, series: str | None) -> None:
    from nblint.dialects.z2jh.umbrella import later_patches_only

    assert later_patches_only(text, chart_versions()) == series


ROOT = "z2jh-values-root"


def found(result: RunResult) -> list[tuple[str, str, int, str | None]]:
    """``(rule, file name, line, profile)`` of each z2jh finding about where values sit or the
    release they are linted as."""
    return [
        (f.rule, Path(f.file).name, f.line, f.profile)
        for f in result.findings
        if f.rule in (CHOSEN, UNKNOWN, ROOT)
    ]


def test_top_level_values_beside_an_umbrella_never_reach_z2jh_and_are_said() -> None:
    # Field test 16a D3: Helm hands the dependency only `.Values.jupyterhub` (and `global`); the
    # release is z2jh 3.3.8's chart defaults, not the top-level `singleuser` and its profile.
    result = check("top-level-values")
    assert found(result) == [(CHOSEN, "values.yaml", 2, None), (ROOT, "values.yaml", 2, None)]
    warning = next(f for f in result.findings if f.rule == ROOT)
    assert warning.severity == "warning"
    assert "`singleuser` at the top level" in warning.message
    assert "only `.Values.jupyterhub` and `global`" in warning.message
    assert "linted as z2jh's chart defaults" in warning.message
    assert "move it under `jupyterhub:`" in (warning.fix or "")
    assert linted_as(result) == {"3.3.8"}
    assert [pod.profile for pod in result.pods] == [None]  # the profile does not exist
    image = result.pods[0].pod["spec"]["containers"][0]["image"]
    assert "minimal-notebook" not in image


def test_top_level_values_beside_an_aliased_umbrella_name_the_alias() -> None:
    result = check("top-level-values-alias")
    assert found(result) == [(CHOSEN, "values.yaml", 2, None), (ROOT, "values.yaml", 2, None)]
    warning = next(f for f in result.findings if f.rule == ROOT)
    assert warning.message.startswith("`hub`, `singleuser` at the top level")
    assert "(alias `notebooks`)" in warning.message
    assert "only `.Values.notebooks` and `global`" in warning.message
    assert "move them under `notebooks:`" in (warning.fix or "")
    assert linted_as(result) == {"4.1.0"}


def test_values_under_the_dependency_s_key_count_and_the_top_level_ones_are_named() -> None:
    result = check("top-level-and-under-key")
    assert found(result) == [(ROOT, "values.yaml", 2, None), (CHOSEN, "values.yaml", 7, None)]
    warning = next(f for f in result.findings if f.rule == ROOT)
    assert warning.message.startswith("`singleuser`, `proxy` at the top level")
    assert "only the values under `jupyterhub` were linted" in warning.message
    pod = result.pods[0].pod
    assert pod["spec"]["containers"][0]["image"] == "quay.io/jupyter/scipy-notebook:2024-08-12"
    # The top-level `uid: 0` is not z2jh's.
    assert pod["spec"]["securityContext"].get("runAsUser") != 0


def test_a_fix_never_writes_at_the_top_level_beside_an_umbrella(tmp_path: Path) -> None:
    for name in ("Chart.yaml", "values.yaml"):
        shutil.copy(UMBRELLA / "top-level-values" / name, tmp_path / name)
    subprocess.run(
        [sys.executable, "-m", "nblint", "fix", str(tmp_path / "values.yaml")],
        capture_output=True,
        check=False,
        cwd=tmp_path,
    )
    import yaml

    written = yaml.safe_load((tmp_path / "values.yaml").read_text())
    before = yaml.safe_load((UMBRELLA / "top-level-values" / "values.yaml").read_text())
    assert written["singleuser"] == before["singleuser"]
    assert set(written) == {"singleuser", "jupyterhub"}  # the fix went under `jupyterhub:`


def test_a_vendored_copy_of_z2jh_s_chart_pins_its_own_version() -> None:
    # Field test 16a D2: the Chart.yaml beside the values is z2jh's chart itself, at 3.3.7.
    result = check("vendored-chart")
    assert found(result) == [(CHOSEN, "values.yaml", 1, None)]
    assert result.findings[0].message.endswith(
        "Chart.yaml is z2jh's chart `jupyterhub` itself, at version 3.3.7"
    )
    assert result.findings[0].message.startswith("linted as z2jh 3.3.7, values at the top level")
    assert linted_as(result) == {"3.3.7"}
    trait = next(f for f in result.findings if f.rule == "z2jh-unknown-trait")
    assert (Path(trait.file).name, trait.line) == ("values.yaml", 6)
    assert "KubeSpawner 6.2.0 (the hub of z2jh 3.3.7)" in trait.message


def test_a_vendored_chart_at_a_version_nblint_does_not_know_is_said_as_a_pin_is() -> None:
    result = check("vendored-chart-unknown-version")
    assert found(result) == [(UNKNOWN, "Chart.yaml", 3, None)]
    assert linted_as(result) == {chart_versions()[-1]}


def test_a_copy_of_z2jh_s_git_says_no_release_and_is_linted_as_the_newest() -> None:
    result = check("vendored-chart-from-git")
    assert found(result) == [(CHOSEN, "Chart.yaml", 4, None)]
    assert "chartpress" in result.findings[0].message
    assert linted_as(result) == {chart_versions()[-1]}
