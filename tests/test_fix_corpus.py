"""``nblint fix --unsafe-fixes`` on every file of ``../shared/corpus`` and ``examples/``.

What issue 13 asks of it, per file:

* afterwards ``nblint check`` reports no finding whose fix nblint applies (safe or unsafe), and
  no finding that was not there before. A value shared through a YAML alias is copied to where
  the fix goes, a key written twice is fixed where it is written last, a number written as a
  string is written as that number: no edit is refused. A hint for what ``hub.extraConfig``'s
  code sets is shown, never applied (nblint does not edit code), so it is not a fix left over;
* a second ``fix`` changes nothing;
* not one byte outside the edited regions changes (measured by a line diff, see
  :func:`nblint.run.fixing.bytes_outside`);
* z2jh values still pass the chart's values schema wherever they passed it, and the real
  KubeSpawner still builds every profile's pod from them — the same pod nblint draws.

The corpus tests skip on a fresh clone, where ``../shared`` is absent; the examples always run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, RULES, SHARED, needs_shared

# The session's hub oracles, shared with the end-to-end tests (fixtures by name).
from test_z2jh_end_to_end import assert_same_pods, corpus_cases, hubs  # noqa: F401

from nblint.dialects.z2jh.root import find_root
from nblint.dialects.z2jh.values import chart_defaults, coalesce, values_schema
from nblint.fix.apply import FixError, apply_edit
from nblint.load.yaml_tree import parse_documents, to_plain
from nblint.model.result import RunResult
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

#: One small file for each kind of place a fix once could not go (tests/fixtures/fix).
PLACES = [
    ROOT / "tests" / "fixtures" / "fix" / name
    for name in (
        "z2jh-alias-at-use-site.yaml",
        "manifest-merge-key.yaml",
        "z2jh-key-written-twice.yaml",
        "z2jh-number-as-a-string.yaml",
        "alias-shared.yaml",
        "z2jh-option-choice-keyed-by-a-number.yaml",
        "merge-key/manifest-anchored-notebook-merged-by-a-sidecar.yaml",
        "merge-key/kubeflow-anchored-notebook-merged-by-a-sidecar.yaml",
        "merge-key/z2jh-anchored-profile-merged-by-another.yaml",
        "openshift-template-objects.yaml",
    )
]
CORPUS = sorted((SHARED / "corpus").glob("*/*.yaml")) if SHARED.is_dir() else []
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))
Z2JH = [p for p in CORPUS if p.parent.name == "z2jh"]


def fix_alone(path: Path) -> fixing.FixOutcome:
    options = Options()

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, unsafe=True)


_OUTCOMES: dict[Path, fixing.FixOutcome] = {}


def outcome_of(path: Path) -> fixing.FixOutcome:
    if path not in _OUTCOMES:
        _OUTCOMES[path] = fix_alone(path)
    return _OUTCOMES[path]


def fixed(path: Path) -> str:
    outcome = outcome_of(path)
    return outcome.texts.get(str(path), outcome.before.texts[str(path)])


#: Files whose fix leaves findings nblint knows of, by rule and line: each entry asserts its
#: findings are still there, so the test fails once the hint is fixed (then remove the entry).
#:
#: 2i2c hubs with a `rocker/binder` choice (HOME /home/rstudio, from its passwd) beside
#: docker-stacks/pangeo choices (HOME /home/jovyan): the home volume (`homeMountPath`) and the
#: read-only root filesystem's emptyDirs below HOME are global settings, so no single edit
#: serves both HOMEs, and `nblint fix` rightly refuses them (each would add a finding to the other
#: choices). They passed while nblint took a written homeMountPath for HOME: the fix then moved
#: every choice's home volume to /home/rstudio, so the jovyan choices lost theirs unseen (field
#: test 5a D4). The right hint is per choice (its override's volume_mounts).
_ROCKER_BESIDE_JOVYAN = {
    "2i2c-org__infrastructure__config.clusters.2i2c-aws-us.showcase.values.yaml": (77, 58),
    "2i2c-org__infrastructure__config.clusters.aimatx-2i2c-hub.common.values.yaml": (146, 194),
    "2i2c-org__infrastructure__config.clusters.disasters.common.values.yaml": (104, 92),
    "2i2c-org__infrastructure__config.clusters.nasa-ghg-hub.common.values.yaml": (336, 96),
    "2i2c-org__infrastructure__config.clusters.reflective.common.values.yaml": (214, 74),
    "2i2c-org__infrastructure__config.clusters.temple.research.values.yaml": (33, 25),
    "2i2c-org__infrastructure__config.clusters.ucec.ebfm.values.yaml": (18, 9),
    "2i2c-org__infrastructure__config.clusters.uw-escience.common.values.yaml": (58, 48),
}
#: Their notebook-home-persistent hint (at ``home``) is advice now, not left: it moves the hub's
#: home volume to HOME, and with it where the users' files appear (field test 6a, D1). Where
#: `nblint fix` used to apply it (aimatx: 3 lines), the lines below are 3 lines up.
LEFT_UNTIL_ITS_HINT_IS_FIXED: dict[str, set[tuple[str, int]]] = {
    name: {("notebook-read-only-root-filesystem", root)}
    for name, (_home, root) in _ROCKER_BESIDE_JOVYAN.items()
}
# basehub's pod-level runAsNonRoot (line 904) is advice, not left: its extraConfig's
# modify_pod_hook appends an init container with "runAsUser": 0 (block-nfs-access), which the
# kubelet would refuse under it (field test 13a D2: podview.root_code_kept). (edx's, which has a
# root init container that chowns the home, is advice too: podview.root_work_kept.)


def check_outcome(path: Path) -> None:
    outcome = outcome_of(path)
    before = {fixing.finding_key(f) for f in outcome.before.findings}
    assert [f.rule for f in outcome.after.findings if fixing.finding_key(f) not in before] == []
    known = LEFT_UNTIL_ITS_HINT_IS_FIXED.get(path.name, set())
    left = [
        (f.rule, f.line, f.profile, f.container)
        for f in outcome.after.findings
        if f.applicability in ("safe", "unsafe")
    ]
    if known:
        assert known <= {(rule, line) for rule, line, _, _ in left}
        left = [item for item in left if item[:2] not in known]
    assert left == []
    assert [why for _, why in outcome.failed] == []
    assert [f.rule for f in outcome.rejected if (f.rule, f.line) not in known] == []
    if outcome.texts:
        options = Options(texts=dict(outcome.texts))
        again = fixing.fix(
            lambda texts: Runner(options.replace(texts={**options.texts, **texts}), RULES).run(
                [str(path)]
            ),
            unsafe=True,
        )
        assert again.texts == {}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fix_of_an_example_leaves_nothing_fixable_and_adds_nothing(path: Path) -> None:
    check_outcome(path)


@pytest.mark.parametrize("path", PLACES, ids=lambda p: p.name)
def test_fix_goes_through_aliases_merge_keys_keys_written_twice_and_numbers_as_strings(
    path: Path,
) -> None:
    check_outcome(path)
    outcome = outcome_of(path)
    assert outcome.failed == []
    assert outcome.texts
    if path.name == "z2jh-key-written-twice.yaml":
        assert "duplicate-key" in {f.rule for f in outcome.after.findings}
    if path.name == "z2jh-number-as-a-string.yaml":
        assert "guarantee: 0.3\n    limit: 1\n" in fixed(path)
    if path.name == "z2jh-alias-at-use-site.yaml":
        assert "init_containers_shared: &init" in fixed(path)
        assert "*init" not in fixed(path)


@needs_shared
@pytest.mark.parametrize("path", CORPUS, ids=lambda p: f"{p.parent.name}/{p.name[:60]}")
def test_fix_of_a_corpus_file_leaves_nothing_fixable_and_adds_nothing(path: Path) -> None:
    check_outcome(path)


@needs_shared
def test_no_byte_outside_the_edited_regions_changes_on_the_corpus() -> None:
    """Every edit of the original corpus files, one at a time (see the module docstring)."""
    outside = edits = 0
    for path in [*CORPUS, *EXAMPLES]:
        result = Runner(Options(), RULES).run([str(path)])
        text = result.texts[str(path)]
        for edit in {f.edit for f in result.findings if f.edit is not None}:
            try:
                new, replacements = apply_edit(text, edit)
            except FixError:
                continue
            edits += 1
            outside += fixing.bytes_outside(text, new, replacements)
    assert edits > 500
    assert outside == 0


# ---------------------------------------------------------------------------------------------
# z2jh: Helm's schema, the chart's own hub and the KubeSpawner it pins


def schema_errors(text: str) -> set[tuple[str, str]]:
    import jsonschema

    documents, _ = parse_documents(text)
    if not documents:
        return set()  # not YAML nblint can read: its finding says so, and fix leaves it
    document = to_plain(documents[0].root)
    root = find_root(document) or ()
    values: Any = document
    for key in root:
        values = values[key]
    # Helm validates the user's values coalesced over the chart's own.
    merged = coalesce(values if isinstance(values, dict) else {}, chart_defaults("4.4.0"))
    validator = jsonschema.Draft7Validator(values_schema("4.4.0"))
    return {("/".join(map(str, e.absolute_path)), e.message) for e in validator.iter_errors(merged)}


@needs_shared
@pytest.mark.parametrize("path", Z2JH, ids=lambda p: p.name[:60])
def test_fixed_values_pass_the_chart_schema_wherever_they_did(path: Path) -> None:
    before = schema_errors(path.read_text())
    assert schema_errors(fixed(path)) <= before


@needs_shared
@pytest.mark.parametrize(("name", "root"), corpus_cases() or [("(no corpus)", ())])
def test_the_chart_s_hub_builds_every_profile_s_pod_from_the_fixed_values(
    name: str, root: tuple[str, ...], request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The end-to-end oracle of ``test_z2jh_end_to_end.py`` (Helm's merge and schema, the
    chart's own hub configuration, the KubeSpawner its hub image pins) on the fixed values:
    every spawn builds, and the pod is the one nblint draws."""
    path = SHARED / "corpus" / "z2jh" / name
    fixed_file = tmp_path / name
    fixed_file.write_text(fixed(path))
    assert_same_pods(request.getfixturevalue("hubs"), [fixed_file], "4.4.0", tmp_path / "m", root)
