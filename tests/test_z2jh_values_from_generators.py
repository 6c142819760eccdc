"""A values file that a kustomization's ``configMapGenerator`` (or ``secretGenerator``) packs
for a Flux HelmRelease's ``spec.valuesFrom`` is the ConfigMap (Secret) the generator builds: the
HelmRelease is linted once, with those files as layers in ``valuesFrom`` order (findings at the
files' own lines, fixes written there), and a file the release reads is not linted as a release
of its own. A file no release of the inputs reads stays as it was: a release of its own.

Each case is a directory of ``tests/fixtures/z2jh/gitops/values-from-generators/``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, report_across_jobs, run

from nblint.model.result import RunResult

CASES = FIXTURES / "z2jh" / "gitops" / "values-from-generators"
#: The z2jh rules, and the pod rules the fixtures break on purpose.
SELECTED = {"z2jh", "run-as-user", "privileged", "notebook-no-sudo", "notebook-authentication"}


def check(name: str) -> RunResult:
    """The case's directory, walked as ``nblint check DIR`` walks it."""
    from nblint.load.files import discover

    return run(*discover([str(CASES / name)]), select=SELECTED)


def found(result: RunResult) -> list[tuple[str, str, int, int]]:
    """``(rule, file relative to the cases, line, column)`` of each finding, sorted."""
    return sorted(
        {(f.rule, str(Path(f.file).relative_to(CASES)), f.line, f.column) for f in result.findings},
        key=lambda f: (f[1], f[2], f[3], f[0]),
    )


def said(result: RunResult, rule: str) -> str:
    (message,) = {f.message for f in result.findings if f.rule == rule}
    return message


def test_files_packed_at_values_yaml_are_one_release_in_values_from_order() -> None:
    # The report's D2: `values.yaml=hub.yaml` and `values.yaml=singleuser.yaml`, each its own
    # ConfigMap. hub.yaml sets the GitHub authenticator: no "authenticator is dummy" anywhere.
    result = check("key-is-named")
    assert found(result) == [
        ("z2jh-chart-version", "key-is-named/release.yaml", 10, 7),
        # The chart's init container: a default, at the last layer's `singleuser:`.
        ("privileged", "key-is-named/singleuser.yaml", 1, 1),
        ("run-as-user", "key-is-named/singleuser.yaml", 1, 1),
        # `uid: 0`, at its own line.
        ("notebook-no-sudo", "key-is-named/singleuser.yaml", 5, 3),
        ("run-as-user", "key-is-named/singleuser.yaml", 5, 3),
    ]
    assert result.pod_count == 1
    assert result.skipped == {"Kustomization": 1}
    assert said(result, "z2jh-chart-version") == (
        "linted as z2jh 4.3.5, values from the `values.yaml` key of ConfigMap `hub-config` "
        f"({CASES / 'key-is-named/hub.yaml'}, packed by "
        f"{CASES / 'key-is-named/kustomization.yaml'}), the `values.yaml` key of ConfigMap "
        f"`singleuser-config` ({CASES / 'key-is-named/singleuser.yaml'}, packed by "
        f"{CASES / 'key-is-named/kustomization.yaml'}) (`spec.valuesFrom`): the HelmRelease "
        "`jupyterhub` pins the chart `jupyterhub` (`spec.chart.spec.version`) at 4.3.5"
    )


def test_a_file_packed_under_its_own_name_is_read_at_the_valueskey_that_names_it() -> None:
    # `files: [hub.yaml, extra/singleuser.yaml]`: the keys are the files' names; the name gets
    # a hash suffix (no `disableNameSuffixHash`), which kustomize writes into the reference.
    # The optional entry whose key the generator does not write is skipped, as Flux skips it.
    result = check("release-reads-file-name")
    assert found(result) == [
        # hub.yaml's `uid: 0` is replaced by the later entry's `uid: 1000`: no finding there.
        ("privileged", "release-reads-file-name/extra/singleuser.yaml", 1, 1),
        ("run-as-user", "release-reads-file-name/extra/singleuser.yaml", 1, 1),
        ("z2jh-chart-version", "release-reads-file-name/release.yaml", 9, 7),
    ]
    assert result.pod_count == 1


def test_a_secret_generator_s_file_and_literal_are_read() -> None:
    # `values.yaml=secret-values.yaml` below `spec.values`, and the literal `cookie` set at
    # `hub.cookieSecret` (text, quotes removed as kustomize removes them).
    result = check("secret-generator")
    assert found(result) == [
        ("z2jh-chart-version", "secret-generator/release.yaml", 9, 7),
        ("privileged", "secret-generator/release.yaml", 18, 5),
        ("run-as-user", "secret-generator/release.yaml", 18, 5),
        ("notebook-no-sudo", "secret-generator/secret-values.yaml", 8, 3),
        ("run-as-user", "secret-generator/secret-values.yaml", 8, 3),
    ]
    assert result.pod_count == 1


def test_an_overlay_s_generator_replaces_or_merges_into_its_base_s() -> None:
    # The overlay's `behavior: replace` entry is the ConfigMap `hub-config` (its GitHub
    # authenticator, not the base's dummy one); its `behavior: merge` entry writes another
    # key, so `singleuser-config`'s `values.yaml` is still the base's file.
    result = check("overlay-behavior")
    assert found(result) == [
        ("z2jh-chart-version", "overlay-behavior/base/release.yaml", 9, 7),
        ("privileged", "overlay-behavior/base/singleuser.yaml", 1, 1),
        ("run-as-user", "overlay-behavior/base/singleuser.yaml", 1, 1),
        ("notebook-no-sudo", "overlay-behavior/base/singleuser.yaml", 2, 3),
        ("run-as-user", "overlay-behavior/base/singleuser.yaml", 2, 3),
    ]
    assert result.pod_count == 1


def test_a_generator_in_another_namespace_is_not_the_release_s() -> None:
    # The entry's `namespace: elsewhere` wins over the kustomization's `jhub`: Flux reads the
    # HelmRelease's namespace only, so the release reads nothing, and the file is linted as it
    # was, on its own.
    result = check("other-namespace")
    assert found(result) == [
        ("notebook-authentication", "other-namespace/hub.yaml", 1, 1),
        ("privileged", "other-namespace/hub.yaml", 1, 1),
        ("run-as-user", "other-namespace/hub.yaml", 1, 1),
        ("notebook-no-sudo", "other-namespace/hub.yaml", 2, 3),
        ("run-as-user", "other-namespace/hub.yaml", 2, 3),
        ("z2jh-unread-values", "other-namespace/release.yaml", 15, 7),
    ]
    assert "(the inputs hold one in namespace `elsewhere`, not in the HelmRelease's `jhub`)" in (
        said(result, "z2jh-unread-values")
    )


def test_a_packed_file_no_release_names_stays_a_release_of_its_own() -> None:
    result = check("unnamed")
    assert found(result) == [
        ("notebook-authentication", "unnamed/hub.yaml", 1, 1),
        ("privileged", "unnamed/hub.yaml", 1, 1),
        ("run-as-user", "unnamed/hub.yaml", 1, 1),
        ("notebook-no-sudo", "unnamed/hub.yaml", 2, 3),
        ("run-as-user", "unnamed/hub.yaml", 2, 3),
    ]
    assert result.skipped == {"(no kind)": 1}  # the kustomization, as before


def test_the_release_without_its_kustomization_names_what_it_was_not_given() -> None:
    # Only the HelmRelease and a fragment: the fragment is a release of its own, as before.
    case = CASES / "key-is-named"
    result = run(case / "release.yaml", case / "singleuser.yaml", select=SELECTED)
    assert ("z2jh-unread-values", "key-is-named/release.yaml", 15, 7) in found(result)
    assert result.pod_count == 1  # the fragment's; the release has no values it was given


def test_fix_writes_into_the_packed_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nblint.cli import main

    shutil.copytree(CASES / "key-is-named", tmp_path / "case")
    before = {p.name: p.read_text() for p in (tmp_path / "case").iterdir()}
    CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(tmp_path / "case")])
    after = {p.name: p.read_text() for p in (tmp_path / "case").iterdir()}
    # Into the files that write the values (hub.yaml writes `hub.config`), never into the
    # HelmRelease (no `spec.values` of its own) nor the kustomization.
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"hub.yaml", "singleuser.yaml"}
    assert "uid: 0" not in after["singleuser.yaml"]
    assert "authenticator_class: github" in after["hub.yaml"]
    # Each fix once, in the one release: the notebook's uid and the chart's init container are
    # fixed in singleuser.yaml only (linted alone, hub.yaml got its own copies of them).
    assert "uid:" not in after["hub.yaml"]
    assert "cloudMetadata" not in after["hub.yaml"]


def test_a_packed_file_is_found_across_jobs_processes(tmp_path: Path) -> None:
    for name in ("kustomization.yaml", "release.yaml", "hub.yaml", "singleuser.yaml"):
        shutil.copy(CASES / "key-is-named" / name, tmp_path / name)
    report = report_across_jobs(tmp_path)
    rules = {(f["rule"], Path(f["file"]).name, f["line"]) for f in report["findings"]}
    assert ("run-as-user", "singleuser.yaml", 5) in rules
    assert not any(rule == "notebook-authentication" for rule, _, _ in rules)


def test_a_packed_file_not_there_or_not_yaml_is_named_unread() -> None:
    # kustomize would refuse the missing file; a text file (here a `targetPath` value) is not
    # read: a generator packs images and HTML pages as often as values.
    result = check("unread-packed")
    assert found(result) == [
        ("z2jh-chart-version", "unread-packed/release.yaml", 9, 7),
        ("z2jh-unread-values", "unread-packed/release.yaml", 11, 7),
        # Chart defaults (noted: over values nblint did not read), and `uid: 0`.
        ("notebook-authentication", "unread-packed/release.yaml", 17, 3),
        ("privileged", "unread-packed/release.yaml", 18, 5),
        ("run-as-user", "unread-packed/release.yaml", 18, 5),
        ("notebook-no-sudo", "unread-packed/release.yaml", 19, 7),
        ("run-as-user", "unread-packed/release.yaml", 19, 7),
    ]
    message = said(result, "z2jh-unread-values")
    assert (
        "the `values.yaml` key of ConfigMap `hub-config` (its file `missing.yaml` is not found "
        f"beside {CASES / 'unread-packed/kustomization.yaml'}) (`spec.valuesFrom[0].valuesKey`)"
    ) in message
    assert (
        "the `cookie` key of Secret `hub-cookie` (packed from `cookie.txt`, which nblint reads "
        "only as a YAML file) (`spec.valuesFrom[1].targetPath`)"
    ) in message


def test_malformed_generators_are_read_as_far_as_kustomize_would_and_never_crash() -> None:
    # Names that are no text, `files` that are no list, `=x`, `x=`, `a=b=c` (kustomize refuses
    # them: left out), a path out of the tree that is no YAML file (not read), literals without
    # `=`, a `behavior` that is no text: no internal error, and what is well formed is read.
    result = check("hostile")
    assert not [f for f in result.findings if f.rule == "internal-error"]
    assert ("z2jh-unread-values", "hostile/release.yaml", 9, 7) in found(result)
    # The literal `k=` (empty text) set at `hub.x`, which z2jh's schema refuses.
    assert ("z2jh-unknown-key", "hostile/kustomization.yaml", 8, 27) in found(result)
