"""Values given to a chart that installs z2jh itself (daskhub, binderhub) are linted as the z2jh
release that chart's version brings: its own ``Chart.yaml`` pins it, and nblint's table
(``schemas/z2jh/wrapper-versions.yaml``) holds what each release and development build pins.

Each case is a fixture of ``tests/fixtures/z2jh/wrapper-versions/``: an umbrella chart that
depends on daskhub (a directory: its ``Chart.yaml`` and the values beside it), a helmfile release
or a kustomize chart entry of the chart. The values set ``hub.config.KubeSpawner.slug_scheme``, a
trait of KubeSpawner 7 (z2jh 4.x) only: under a 3.x release the hub ignores it
(``z2jh-unknown-trait``), so the finding shows which release the values were judged as.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, run

from nblint.dialects.z2jh.values import chart_versions
from nblint.dialects.z2jh.wrappers import Installed, _versions, installed, semver_key
from nblint.model.result import RunResult

CASES = FIXTURES / "z2jh" / "wrapper-versions"
CHOSEN = "z2jh-chart-version"
UNKNOWN = "z2jh-unknown-chart-version"
TRAIT = "z2jh-unknown-trait"
KNOWS = ", ".join(chart_versions())


def check(name: str) -> RunResult:
    return run(CASES / name, select={"z2jh"})


def found(result: RunResult) -> list[tuple[str, str, int, int]]:
    """``(rule, file name, line, column)`` of each finding, in the run's order."""
    return [(f.rule, Path(f.file).name, f.line, f.column) for f in result.findings]


def message(result: RunResult, rule: str) -> str:
    (text,) = {f.message for f in result.findings if f.rule == rule}
    return text


def linted_as(result: RunResult) -> set[str]:
    return {pod.facts["chart_version"] for pod in result.pods}


def slug_scheme_ignored(release: str) -> str:
    return (
        "`slug_scheme` in `hub.config.KubeSpawner` is not a trait of KubeSpawner 6.2.0 (the hub "
        f"of z2jh {release}): it is silently ignored by the hub; it exists in KubeSpawner 7.0.0 "
        "(z2jh 4.0.0 … 4.4.0)"
    )


# -- The table ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart", "version", "z2jh"),
    [
        # Releases: the jupyterhub dependency of daskhub/Chart.yaml at the tag.
        ("daskhub", "2024.1.0", "3.2.1"),
        ("daskhub", "2024.1.1", "3.2.1"),
        ("daskhub", "v2024.1.1", "3.2.1"),
        ("daskhub", "2023.1.0", "2.0.0"),
        # Development builds since 2024.1.1, by the commit they name and its count.
        ("daskhub", "2024.1.1-0.dev.git.12.h422b146", "3.3.1"),
        ("daskhub", "2024.1.1-0.dev.git.15.hc5660a1", "3.3.2"),
        ("daskhub", "2024.1.1-0.dev.git.16.h095f963", "3.3.3"),
        ("daskhub", "2024.1.1-0.dev.git.18.h82a3587", "3.3.4"),
        ("daskhub", "2024.1.1-0.dev.git.19.hb44ea28", "3.3.5"),
        ("daskhub", "2024.1.1-0.dev.git.20.h7b62b8f", "3.3.6"),
        ("daskhub", "2024.1.1-0.dev.git.24.hdf0a830", "3.3.7"),
        ("daskhub", "2024.1.1-0.dev.git.35.h54d1d6e", "3.3.8"),
        ("daskhub", "2024.1.1-0.dev.git.40.h50b457f", "4.1.0"),
        ("daskhub", "2024.1.1-0.dev.git.44.h92a3542", "4.2.0"),
        ("daskhub", "2024.1.1-0.dev.git.56.hdd38c17", "4.3.0"),
        ("daskhub", "2024.1.1-0.dev.git.57.h8992c8a", "4.3.1"),
        ("daskhub", "2024.1.1-0.dev.git.62.he42f063", "4.3.2"),
        ("daskhub", "2024.1.1-0.dev.git.63.h1d9afcc", "4.3.3"),
        ("daskhub", "2024.1.1-0.dev.git.65.h5738462", "4.3.4"),
        ("daskhub", "2024.1.1-0.dev.git.66.hdf91be3", "4.3.5"),
        ("daskhub", "2024.1.1-0.dev.git.67.he25bf51", "4.4.0"),
        # A commit that changed no dependency: the release of the one before it.
        ("daskhub", "2024.1.1-0.dev.git.13.h2e12bcb", "3.3.1"),
        # binderhub's development builds, as jupyterhub/helm-chart's index publishes them.
        ("binderhub", "1.0.0-0.dev.git.3506.hba24eb2a", "3.3.7"),
        ("binderhub", "1.0.0-0.dev.git.3351.hbaf39b3", "3.2.1"),
        ("binderhub", "1.0.0-0.dev.git.3193.hfdae02b", "3.1.0"),
        ("binderhub", "1.0.0-0.dev.git.3135.ha81862c", "3.0.0-beta.1"),
    ],
)
def test_a_wrapper_version_names_the_z2jh_release_its_chart_pins(
    chart: str, version: str, z2jh: str
) -> None:
    assert installed(chart, version) == Installed(z2jh)


@pytest.mark.parametrize(
    "version",
    ["0.2.0-n348.h264289a", "0.2.0-0.dev.git.2752.h3450e52", "1.0.0-0.dev.git.2797.h951750e"],
)
def test_an_early_binderhub_build_installs_a_release_older_than_3(version: str) -> None:
    # Every commit counted below the first that pins a 3.x release pins an older one.
    assert installed("binderhub", version) == Installed(None, "3.0.0-alpha.1")


@pytest.mark.parametrize(
    ("chart", "version"),
    [
        ("daskhub", "2099.1.0"),  # not a release
        ("daskhub", "2024.1.1-0.dev.git.13.h422b146"),  # the commit, at another count
        ("daskhub", "2024.1.1-0.dev.git.12.h0000000"),  # a commit not listed
        # Built after the tag 2023.1.0 (z2jh 2.0.0) and before 2024.1.0 (3.2.1): either.
        ("daskhub", "2023.1.0-0.dev.git.3.h1234567"),
        # Sorts below its tag 2024.1.1 (3.2.1) yet is built after it (2024.1.1-0.dev.git.67 is
        # 4.4.0): semver order places it below no release.
        ("daskhub", "2024.1.1-0.dev.git.67.h0000000"),
        ("binderhub", "0.2.1"),  # above every release
        ("binderhub", "1.0.0-0.dev.git.3506.hba24eb2b"),
        ("binderhub", "1.0.0-0.dev.git.3506.hba24"),  # too short a hash to be a commit
        ("basehub", "1.0.0"),
    ],
)
def test_a_version_the_table_cannot_place_exactly_is_unknown(chart: str, version: str) -> None:
    assert installed(chart, version) is None
    assert installed(chart, version, chart_versions()[0]) is None


@pytest.mark.parametrize(
    "version",
    [
        "0.2.0-068.0b5080a",  # chartpress's `<tag>-<count>.<hash>` form: no count the table reads
        "0.2.0-fe62cda",  # no count at all
        "0.1.0-9c3f5a1",
        "0.2.0-0.dev.git.4000.h0000000",  # a commit not listed: still a `0.2.0-` build
        "0.1.5",  # never tagged: below 0.2.0, whose z2jh is 0.9
    ],
)
def test_any_binderhub_0_x_build_installs_a_release_older_than_3(version: str) -> None:
    # Every build before chartpress's `baseVersion: 1.0.0-0.dev` was named `0.1.0-…`/`0.2.0-…`,
    # and every commit before it pins a z2jh older than 3 (field test 18a, D2).
    assert installed("binderhub", version) == Installed(None, "3.0.0-alpha.1")


@pytest.mark.parametrize(
    "version",
    [
        "2022.8.2-0.dev.git.3.h1234567",  # after 2022.8.2 (1.2.0), before 2023.1.0 (2.0.0)
        "2022.8.3",  # never tagged: before 2023.1.0
        "4.4.0-rc.1",  # before 4.4.1 (0.9.1)
    ],
)
def test_a_daskhub_build_before_a_2x_release_installs_one_older_than_any_known(
    version: str,
) -> None:
    # daskhub's table has no `older-than`: the bound is the oldest release nblint knows.
    assert installed("daskhub", version) is None
    assert installed("daskhub", version, "3.0.0") == Installed(None, "3.0.0")


@pytest.mark.parametrize("chart", ["daskhub", "binderhub"])
def test_each_chart_s_pins_only_move_forward(chart: str) -> None:
    # What placing a build by semver order rests on (wrappers.py `_placed_by_order`).
    releases = _versions()[chart]["releases"]
    pins = [semver_key(str(z2jh)) for _, z2jh in sorted(releases.items(), key=_by_version)]
    assert None not in pins
    assert pins == sorted(pins)  # type: ignore[type-var]


def _by_version(item: tuple[str, str]) -> Any:
    return semver_key(item[0])


# -- An umbrella chart that depends on daskhub ----------------------------------------------------


def test_a_daskhub_release_is_linted_as_the_z2jh_release_it_installs() -> None:
    result = check("daskhub-release/values.yaml")
    assert linted_as(result) == {"3.2.1"}
    assert found(result) == [
        (CHOSEN, "values.yaml", 3, 3),
        (TRAIT, "values.yaml", 7, 11),
    ]
    chart = CASES / "daskhub-release" / "Chart.yaml"
    assert message(result, CHOSEN) == (
        f"linted as z2jh 3.2.1, values at `daskhub.jupyterhub`: {chart} pins the dependency "
        "`daskhub` at 2024.1.1, which installs z2jh as its own dependency `jupyterhub` at 3.2.1"
    )
    assert message(result, TRAIT) == slug_scheme_ignored("3.2.1")


def test_a_daskhub_development_build_is_linted_as_the_release_of_its_commit() -> None:
    result = check("daskhub-dev-build/values.yaml")
    assert linted_as(result) == {"3.3.1"}
    assert found(result) == [
        (CHOSEN, "values.yaml", 3, 3),
        (TRAIT, "values.yaml", 7, 11),
    ]
    assert message(result, CHOSEN).endswith(
        "pins the dependency `daskhub` at 2024.1.1-0.dev.git.12.h422b146, which installs z2jh "
        "as its own dependency `jupyterhub` at 3.3.1"
    )


def test_a_daskhub_release_of_a_z2jh_release_nblint_does_not_know_is_an_unknown_pin() -> None:
    # daskhub 2023.1.0 installs z2jh 2.0.0: as a pin of 2.0.0 is, an error at the pin, and the
    # values linted as the newest release.
    result = check("daskhub-too-old/values.yaml")
    newest = chart_versions()[-1]
    assert linted_as(result) == {newest}
    assert found(result) == [(UNKNOWN, "Chart.yaml", 6, 5)]
    chart = CASES / "daskhub-too-old" / "Chart.yaml"
    assert message(result, UNKNOWN) == (
        f"{chart} pins the dependency `daskhub` at 2023.1.0, which installs z2jh as its own "
        f"dependency `jupyterhub` at 2.0.0, a z2jh release nblint does not know (it knows "
        f"{KNOWS}); the values beside it were linted as {newest}, the newest, without its "
        "values schema, which is not the pinned release's; no release nblint knows matches it: "
        "`--chart-version` takes only one it knows, such as the oldest, 3.0.0, whose keys and "
        "defaults are not the pinned release's (at your own risk)"
    )
    assert result.findings[0].severity == "error"


def test_the_lock_says_which_daskhub_release_a_range_installed() -> None:
    # Chart.yaml asks for `~2024.1.0`; Chart.lock records 2024.1.1, which brings z2jh 3.2.1.
    result = check("daskhub-range-locked/values.yaml")
    assert linted_as(result) == {"3.2.1"}
    assert found(result) == [
        (CHOSEN, "values.yaml", 3, 3),
        (TRAIT, "values.yaml", 7, 11),
    ]
    lock = CASES / "daskhub-range-locked" / "Chart.lock"
    assert message(result, CHOSEN) == (
        f"linted as z2jh 3.2.1, values at `daskhub.jupyterhub`: {lock} locks the dependency "
        "`daskhub` at 2024.1.1, which installs z2jh as its own dependency `jupyterhub` at 3.2.1"
    )


@pytest.mark.parametrize("case", ["daskhub-unlisted", "daskhub-dev-build-wrong-count"])
def test_a_daskhub_version_the_table_does_not_place_is_linted_as_the_newest_said(
    case: str,
) -> None:
    result = check(f"{case}/values.yaml")
    newest = chart_versions()[-1]
    assert linted_as(result) == {newest}
    assert found(result) == [(CHOSEN, "Chart.yaml", 6, 5)]
    version = "2099.1.0" if case == "daskhub-unlisted" else "2024.1.1-0.dev.git.13.h422b146"
    assert message(result, CHOSEN) == (
        f"linted as z2jh {newest}, the newest release nblint knows: {CASES / case / 'Chart.yaml'} "
        f"asks for daskhub {version}, which installs z2jh as a dependency of its own at the "
        "release that chart names, which nblint does not read; give --chart-version to lint "
        "them as that one"
    )


def test_chart_version_option_still_wins_over_the_wrapper_version() -> None:
    result = run(CASES / "daskhub-release" / "values.yaml", select={"z2jh"}, chart_version="4.4")
    assert linted_as(result) == {"4.4.0"}
    assert found(result) == []


# -- helmfile and kustomize ---------------------------------------------------------------------


def test_a_helmfile_release_of_daskhub_is_linted_as_the_z2jh_release_it_installs() -> None:
    result = check("helmfile-daskhub.yaml")
    assert linted_as(result) == {"3.2.1"}
    assert found(result) == [
        (CHOSEN, "helmfile-daskhub.yaml", 8, 5),
        (TRAIT, "helmfile-daskhub.yaml", 14, 17),
    ]
    assert message(result, CHOSEN) == (
        "linted as z2jh 3.2.1, values at `releases[0].values[0].jupyterhub`: the helmfile release "
        "`daskhub` installs the chart `daskhub` (`releases[0].version`) at 2024.1.1, which "
        "installs z2jh as its own dependency `jupyterhub` at 3.2.1"
    )
    assert message(result, TRAIT) == slug_scheme_ignored("3.2.1")


def test_a_kustomize_binderhub_development_build_is_linted_as_its_z2jh_release() -> None:
    result = check("kustomize-binderhub-dev-build.yaml")
    assert linted_as(result) == {"3.3.7"}
    assert found(result) == [
        (CHOSEN, "kustomize-binderhub-dev-build.yaml", 6, 5),
        (TRAIT, "kustomize-binderhub-dev-build.yaml", 16, 15),
    ]
    assert message(result, CHOSEN) == (
        "linted as z2jh 3.3.7, values at `helmCharts[0].valuesInline.jupyterhub`: the kustomize "
        "chart entry `binder` (`helmCharts[0]`) installs the chart `binderhub` "
        "(`helmCharts[0].version`) at 1.0.0-0.dev.git.3506.hba24eb2a, which installs z2jh as its "
        "own dependency `jupyterhub` at 3.3.7"
    )
    assert message(result, TRAIT) == slug_scheme_ignored("3.3.7")


def test_an_early_binderhub_build_is_an_unknown_pin() -> None:
    result = check("helmfile-binderhub-too-old.yaml")
    newest = chart_versions()[-1]
    assert linted_as(result) == {newest}
    assert found(result) == [(UNKNOWN, "helmfile-binderhub-too-old.yaml", 7, 5)]
    assert message(result, UNKNOWN) == (
        "the helmfile release `binder` installs the chart `binderhub` (`releases[0].version`) at "
        "0.2.0-n348.h264289a, which installs z2jh as its own dependency `jupyterhub` at a release "
        f"older than 3.0.0-alpha.1, which nblint does not know (it knows {KNOWS}); its values "
        f"were linted as {newest}, the newest, without its values schema, which is not the pinned "
        "release's; no release nblint knows matches it: `--chart-version` takes only one it "
        "knows, such as the oldest, 3.0.0, whose keys and defaults are not the pinned release's "
        "(at your own risk)"
    )


# -- A build the table has no count for, placed as older (field test 18a, D2) --------------------


def test_a_binderhub_build_named_by_count_and_hash_is_older_than_any_known() -> None:
    # Its `proxy.pdb` is a key of the z2jh 0.x it brings: no "helm would refuse" by 4.x's schema.
    result = check("binderhub-hash-build/values.yaml")
    newest = chart_versions()[-1]
    assert linted_as(result) == {newest}
    assert found(result) == [(UNKNOWN, "requirements.yaml", 3, 4)]
    requirements = CASES / "binderhub-hash-build" / "requirements.yaml"
    assert message(result, UNKNOWN) == (
        f"{requirements} pins the dependency `binderhub` at 0.2.0-068.0b5080a, which installs "
        "z2jh as its own dependency `jupyterhub` at a release older than 3.0.0-alpha.1, which "
        f"nblint does not know (it knows {KNOWS}); the values beside it were linted as {newest}, "
        "the newest, without its values schema, which is not the pinned release's; no release "
        "nblint knows matches it: `--chart-version` takes only one it knows, such as the oldest, "
        "3.0.0, whose keys and defaults are not the pinned release's (at your own risk)"
    )


def test_a_daskhub_build_before_a_2x_release_is_older_than_any_known() -> None:
    result = check("daskhub-dev-build-before-a-2x-release/values.yaml")
    assert found(result) == [(UNKNOWN, "Chart.yaml", 6, 5)]
    assert (
        "at 2022.8.2-0.dev.git.3.h1234567, which installs z2jh as its own dependency "
        "`jupyterhub` at a release older than 3.0.0, which nblint does not know"
    ) in message(result, UNKNOWN)


# -- Argo CD and Flux ---------------------------------------------------------------------------


def test_an_argo_cd_application_of_daskhub_is_linted_as_the_z2jh_release_it_installs() -> None:
    result = check("argo-daskhub.yaml")
    assert linted_as(result) == {"3.2.1"}
    assert found(result) == [
        (CHOSEN, "argo-daskhub.yaml", 9, 5),
        (TRAIT, "argo-daskhub.yaml", 16, 17),
    ]
    assert message(result, CHOSEN) == (
        "linted as z2jh 3.2.1, values at `spec.source.helm.valuesObject.jupyterhub`: the "
        "Application `dhub` installs the chart `daskhub` (`spec.source.targetRevision`) at "
        "2024.1.1, which installs z2jh as its own dependency `jupyterhub` at 3.2.1"
    )


def test_a_flux_release_of_a_binderhub_build_the_table_does_not_list_is_the_newest_said() -> None:
    result = check("flux-binderhub-unlisted.yaml")
    newest = chart_versions()[-1]
    assert linted_as(result) == {newest}
    assert found(result) == [(CHOSEN, "flux-binderhub-unlisted.yaml", 9, 7)]
    assert message(result, CHOSEN) == (
        f"linted as z2jh {newest}, the newest release nblint knows, values at "
        "`spec.values.jupyterhub`: the HelmRelease `binder` installs binderhub "
        "1.0.0-0.dev.git.3506.hba24eb2b, which installs z2jh as a dependency of its own at the "
        "release that chart names, which nblint does not read; give the release it installs "
        "with --chart-version"
    )
