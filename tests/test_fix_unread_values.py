"""Fixes into a release whose values layers nblint did not all read (field test 15a, D2).

A fix is as safe as it is for the least safe pod it reaches, and where its safety rests on
what nblint cannot know, it is judged by the riskiest value. A values layer of the release
that nblint did not read (``z2jh-unread-values``: a Fleet ``targetCustomizations`` entry, a
helmfile values template, a Flux ``valuesFrom`` ConfigMap not among the inputs) may set a root
user, GRANT_SUDO or an escalation for the pods the fix reaches, wherever it stands in the merge.
A fix that drops capabilities (or refuses escalation, or requires non-root), safe by its rule,
is then unsafe, with a note naming that layer (and, for a Fleet customization in the same file,
what it sets); ``nblint fix`` without ``--unsafe-fixes`` leaves it out. A fix that rests on
none of those values (the seccomp profile) stays safe, and so does every fix of a release whose
layers nblint all read.

Fixtures are in ``tests/fixtures/fix/unread-values/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, RULES, fix_note

from nblint.model.finding import Finding
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

HERE = FIXTURES / "fix" / "unread-values"
CAPS = "capabilities-restricted"
SECCOMP = "seccomp-profile-restricted"
UNSAFE = "# unsafe: values nblint did not read may give the pod root or sudo, which a fix that"


def check(path: Path) -> list[Finding]:
    return Runner(Options(PsaPolicy("restricted", (1, 37))), RULES).run([str(path)]).findings


def fix_file(path: Path) -> fixing.FixOutcome:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def run(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(run, False)


def notebook(findings: list[Finding], rule: str) -> Finding:
    [found] = [f for f in findings if f.rule == rule and f.container == "notebook"]
    return found


def assert_left_unfixed(path: Path) -> None:
    outcome = fix_file(path)
    assert CAPS not in {f.rule for f in outcome.applied}
    assert SECCOMP in {f.rule for f in outcome.applied}
    text = outcome.texts[str(path)]
    assert "capabilities" not in text and "RuntimeDefault" in text


def test_a_fleet_customization_that_sets_root_and_sudo_makes_drop_all_unsafe() -> None:
    path = HERE / "fleet-target-sets-root" / "fleet.yaml"
    findings = check(path)
    caps = notebook(findings, CAPS)
    assert (caps.line, caps.column, caps.profile) == (8, 3, None)
    assert caps.applicability == "unsafe" and caps.edit is not None
    assert caps.fix.startswith(UNSAFE)
    assert fix_note(caps).startswith(
        "unsafe: values nblint did not read may give the pod root or sudo, which a fix that "
        "drops capabilities breaks: the helm options of targetCustomizations `gpu-lab` "
        "(`values`), which change them on the clusters they match (`targetCustomizations`); "
        "`gpu-lab` sets singleuser.uid: 0, singleuser.extraEnv.GRANT_SUDO: yes "
    )
    # The seccomp profile rests on no user: it stays safe.
    assert notebook(findings, SECCOMP).applicability == "safe"
    assert_left_unfixed(path)


@pytest.mark.parametrize(
    ("name", "place", "unread"),
    [
        # A helmfile's values template before the inline layer the fix writes.
        (
            "helmfile-values-template/helmfile.yaml",
            (9, 9),
            "the values template `./config-{{ .Environment.Name }}.yaml`, which helmfile "
            "renders (`releases[0].values[0]`) ",
        ),
        # A Flux HelmRelease's valuesFrom whose ConfigMap is not among the inputs.
        (
            "flux-values-from-not-given.yaml",
            (19, 3),
            "the `values.yaml` key of ConfigMap `site-values` (`spec.valuesFrom[0]`) ",
        ),
    ],
)
def test_a_layer_nblint_did_not_read_makes_drop_all_unsafe(
    name: str, place: tuple[int, int], unread: str
) -> None:
    path = HERE / name
    findings = check(path)
    caps = notebook(findings, CAPS)
    assert (caps.line, caps.column, caps.profile) == (*place, None)
    assert caps.applicability == "unsafe" and caps.edit is not None
    assert fix_note(caps).startswith(
        "unsafe: values nblint did not read may give the pod root or sudo, which a fix that "
        "drops capabilities breaks: " + unread
    )
    # The seccomp profile rests on no user: it stays safe.
    assert notebook(findings, SECCOMP).applicability == "safe"
    assert_left_unfixed(path)


def test_a_release_whose_every_layer_was_read_keeps_its_safe_drop_all() -> None:
    path = HERE / "flux-every-layer-read.yaml"
    findings = check(path)
    caps = notebook(findings, CAPS)
    assert (caps.line, caps.column, caps.profile) == (16, 3, None)
    assert caps.applicability == "safe"
    assert "unsafe" not in caps.fix
    outcome = fix_file(path)
    assert CAPS in {f.rule for f in outcome.applied}
    assert "drop:\n                - ALL" in outcome.texts[str(path)]


def test_a_helmfile_values_file_that_could_not_be_read_makes_drop_all_unsafe() -> None:
    path = HERE / "helmfile-values-file-unreadable" / "helmfile.yaml"
    findings = check(path)
    caps = notebook(findings, CAPS)
    assert (caps.line, caps.column, caps.profile) == (9, 9, None)
    assert caps.applicability == "unsafe" and caps.edit is not None
    assert fix_note(caps).startswith(
        "unsafe: values nblint did not read may give the pod root or sudo, which a fix that "
        "drops capabilities breaks: the values file `config.yaml` (`releases[0].values[0]`), "
        "which could not be read "
    )
    assert notebook(findings, SECCOMP).applicability == "safe"
    assert_left_unfixed(path)


def test_the_note_of_a_finding_on_a_chart_default_names_the_layer_nblint_did_not_read() -> None:
    # Field test 16a D1 (b): `blockWithIptables: true` notes its init container itself; that
    # note too names what may override the default, for every installer.
    cases = {
        HERE / "flux-values-from-not-given.yaml": (20, "`spec.valuesFrom[0]`"),
        HERE / "fleet-target-sets-root" / "fleet.yaml": (9, "`targetCustomizations`"),
        HERE / "helmfile-values-template" / "helmfile.yaml": (9, "`releases[0].values[0]`"),
        HERE / "helmfile-values-file-unreadable" / "helmfile.yaml": (
            9,
            "the values file `config.yaml` (`releases[0].values[0]`)",
        ),
    }
    for path, (line, layer) in cases.items():
        findings = check(path)
        (privileged,) = [f for f in findings if f.rule == "privileged"]
        assert (privileged.line, privileged.note) == (
            line,
            "chart default `singleuser.cloudMetadata.blockWithIptables: true` of z2jh 4.1.0 "
            f"adds a privileged root init container (unless {layer}, which nblint did not read, "
            "overrides it)",
        ), path
        (auth,) = [f for f in findings if f.rule == "notebook-authentication"]
        assert auth.note.endswith(f"(unless {layer}, which nblint did not read, overrides it)")
    # A release whose every layer was read says nothing of the kind.
    (privileged,) = [
        f for f in check(HERE / "flux-every-layer-read.yaml") if f.rule == "privileged"
    ]
    assert "unless" not in privileged.note
