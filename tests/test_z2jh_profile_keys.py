"""Keys of a ``profileList`` entry that the release's KubeSpawner does not read are reported at
their line (``z2jh-unknown-profile-key``), version-exact, with where the setting takes effect; and
only where nblint can tell no other form or code of the hub reads them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, RULES, run

from nblint.model.edit import HELM, UNSAFE
from nblint.model.finding import Finding
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

KEYS = FIXTURES / "z2jh" / "profile-keys"
RULE = "z2jh-unknown-profile-key"


def check(name: str, **dialect: Any) -> list[Finding]:
    return run(KEYS / name, select={"z2jh"}, ignore={"z2jh-chart-version"}, **dialect).findings


def places(findings: list[Finding]) -> list[tuple[str, int, str | None]]:
    """``(rule, line, profile)`` of each finding."""
    return [(f.rule, f.line, f.profile) for f in findings]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("trait-beside-override.yaml", [(RULE, 10, "Small")]),
        ("misspelt-keys.yaml", [(RULE, 8, "GPU"), (RULE, 11, "big")]),
        ("unknown-key.yaml", [(RULE, 5, "On-demand nodes")]),
        (
            "values-keys-in-profile.yaml",
            [
                (RULE, 5, "SciPy on the big pool"),
                (RULE, 8, "SciPy on the big pool"),
                (RULE, 11, "Default image"),
            ],
        ),
        (
            "option-choice-keys.yaml",
            [
                (RULE, 8, "Pick an image"),  # an option's cpu_guarantee
                (RULE, 12, "Pick an image"),  # a choice's description
                # Inside a choice's override: its display_name is the choice's own key, its
                # description no key of a choice nor a trait.
                ("z2jh-unknown-trait", 20, None),
                ("z2jh-unknown-trait", 21, None),
                (RULE, 25, "Pick an image"),  # unlisted_choice.validation_regx
            ],
        ),
        ("every-key-read.yaml", []),
        # Another spawn form may show allowed_groups and a choice's description; no form makes a
        # trait beside the override take effect.
        ("custom-spawn-form.yaml", [(RULE, 12, "Small")]),
        # The code names allowed_groups; nothing names lifecycel.
        ("code-reads-key.yaml", [("z2jh-extra-config", 7, None), (RULE, 15, "Staff only")]),
        # basehub's values are unseen: only the misspelt override, which no code makes work.
        ("under-parent-chart.yaml", [(RULE, 9, "Small")]),
        ("already-in-override.yaml", [(RULE, 5, "Small")]),
        ("unlisted-choice-3.0.yaml", []),
    ],
)
def test_unread_keys_are_reported_at_their_line(
    name: str, expected: list[tuple[str, int, str | None]]
) -> None:
    findings = check(name)
    assert places(findings) == expected
    assert all(f.severity == "warning" for f in findings if f.rule == RULE)


def test_a_trait_beside_the_override_says_where_it_takes_effect() -> None:
    [finding] = check("trait-beside-override.yaml")
    assert finding.message == (
        "`cpu_limit` in profile 'Small' is not a key KubeSpawner 7.0.0 (the hub of z2jh 4.4.0) "
        "reads in a profile: it is ignored, so the setting has no effect; `cpu_limit` is a "
        "KubeSpawner trait: it takes effect inside `kubespawner_override`"
    )
    assert finding.fix == (
        "Move `cpu_limit` into `kubespawner_override`:\n"
        "# in singleuser.profileList[0]\n"
        "kubespawner_override:\n"
        "  cpu_limit: 2"
    )
    assert finding.applicability == UNSAFE
    assert finding.edit is not None
    assert (finding.edit.path, finding.edit.merge) == (("singleuser", "profileList", 0), HELM)


def test_nblint_fix_moves_the_trait_into_the_override_and_the_pod_gets_it(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text((KEYS / "trait-beside-override.yaml").read_text())
    before = run(path, select={"z2jh"}).pods
    small = next(p for p in before if p.profile == "Small")
    assert "cpu" not in small.spec["containers"][0]["resources"].get("limits", {})
    options = Options(PsaPolicy("restricted", (1, 37)))
    outcome = fixing.fix(
        lambda texts: Runner(options.replace(texts=texts), RULES).run([str(path)]), True
    )
    text = outcome.texts[str(path)]
    profile = yaml.safe_load(text)["singleuser"]["profileList"][0]
    assert "cpu_limit" not in profile
    assert profile["kubespawner_override"] == {"mem_limit": "2G", "cpu_limit": 2}
    path.write_text(text)
    result = run(path, select={"z2jh"})
    assert not [f for f in result.findings if f.rule == RULE]
    small = next(p for p in result.pods if p.profile == "Small")
    assert float(small.spec["containers"][0]["resources"]["limits"]["cpu"]) == 2


def test_a_values_key_in_a_profile_is_moved_as_the_traits_it_means() -> None:
    image, selector, cmd = check("values-keys-in-profile.yaml")
    assert image.fix == (
        "Move `image` into `kubespawner_override` (as `image`):\n"
        "# in singleuser.profileList[0]\n"
        "kubespawner_override:\n"
        "  image: quay.io/jupyter/scipy-notebook:2024-08-12"
    )
    assert selector.message.endswith(
        "written as `singleuser.nodeSelector` of the chart's values, it means `node_selector`, "
        "which takes effect inside `kubespawner_override`"
    )
    assert image.edit is not None and selector.edit is not None
    # A null cannot be merged into the override (it deletes): the hint is only shown.
    assert cmd.edit is None
    assert cmd.fix == "Move `cmd` into `kubespawner_override`:\nkubespawner_override:\n  cmd: null"


def test_misspelt_keys_get_the_spelling_kubespawner_reads() -> None:
    override, name = check("misspelt-keys.yaml")
    assert override.message.endswith("; did you mean `kubespawner_override`?")
    assert override.fix == "Rename `kubespawner_overide` to `kubespawner_override`."
    assert name.fix == "Rename `display-name` to `display_name`."
    assert override.edit is None


def test_an_unknown_key_names_the_keys_kubespawner_reads_there() -> None:
    [finding] = check("unknown-key.yaml")
    assert finding.message.endswith(
        "(it reads `default`, `description`, `display_name`, `kubespawner_override`, "
        "`profile_options`, `slug`)"
    )


def test_a_trait_the_override_sets_already_is_not_moved() -> None:
    [finding] = check("already-in-override.yaml")
    assert finding.message.endswith("(which sets `mem_limit` already)")
    assert finding.fix == "Remove `mem_limit`: `kubespawner_override` sets it already."
    assert finding.edit is None


def test_unlisted_choice_is_read_from_kubespawner_6_1_on() -> None:
    [finding] = check("unlisted-choice-3.0.yaml", chart_version="3.0.3")
    assert (finding.rule, finding.line) == (RULE, 13)
    assert finding.message.endswith(
        "KubeSpawner 6.1.0 (z2jh 3.1.0), 6.2.0 (z2jh 3.2.0 … 3.3.8), 7.0.0 (z2jh 4.0.0 … 4.4.0) "
        "read it"
    )
    assert check("unlisted-choice-3.0.yaml", chart_version="3.1.0") == []


def test_the_keys_read_match_the_kubespawner_each_release_pins() -> None:
    from nblint.dialects.z2jh.profile_keys import KEYS_READ
    from nblint.dialects.z2jh.values import chart_versions, kubespawner_version

    assert {kubespawner_version(chart) for chart in chart_versions()} == set(KEYS_READ)


def test_an_unlisted_choice_kubespawner_ignores_lets_nobody_type_an_image() -> None:
    name = "unlisted-image-choice-3.0.yaml"
    rules = {RULE, "notebook-unlisted-image-choice"}
    old = run(KEYS / name, select=rules, chart_version="3.0.3").findings
    assert places(old) == [(RULE, 14, "Pick an image")]
    new = run(KEYS / name, select=rules, chart_version="3.1.0").findings
    assert [(f.rule, f.line) for f in new] == [("notebook-unlisted-image-choice", 14)]


def test_chart_key_names_in_an_override_get_the_trait_the_chart_gives_them_to() -> None:
    findings = check("chart-key-names-in-override.yaml")
    renames = {(f.line, f.fix) for f in findings if f.rule == "z2jh-unknown-trait"}
    assert renames == {
        (
            13,
            "Rename `pullPolicy` to `image_pull_policy`; `pullPolicy` is the chart's name for it "
            "(`singleuser.image.pullPolicy`).",
        ),
        (
            14,
            "Rename `nodeSelector` to `node_selector`; `nodeSelector` is the chart's name for it "
            "(`singleuser.nodeSelector`).",
        ),
        (
            16,
            "Rename `extraEnv` to `environment`; `extraEnv` is the chart's name for it "
            "(`singleuser.extraEnv`).",
        ),
        # Two chart keys end in `extraLabels` (the pod's and the storage's): the spelling decides.
        (18, "Rename `extraLabels` to `extra_labels`."),
    }


def test_the_chart_s_nested_layout_in_an_override_gets_the_traits_of_its_leaves() -> None:
    """``cpu: {limit}``, ``memory: {limit}``, ``storage: {capacity}``, ``extraResource:
    {limits}`` and ``image: {name, tag}`` copied from ``singleuser`` into a
    ``kubespawner_override`` (field test 10a D5): each fix writes the traits the chart sets from
    those leaves; a leaf the chart gives to no trait (``cpu.burst``) keeps the general fix."""
    path = FIXTURES / "z2jh" / "chart-shaped-override" / "values.yaml"
    findings = run(path, select={"z2jh"}).findings
    fixes = {(f.rule, f.line): f.fix for f in findings}
    assert fixes[("z2jh-wrong-type", 7)] == (
        "Write the image as one string `name:tag`, as KubeSpawner takes it (`name` and `tag` are "
        "the chart's `singleuser.image` layout):\nimage: quay.io/jupyter/scipy-notebook:2024-10-07"
        "\nimage_pull_policy: Always"
    )
    intro = "Write the traits the chart sets from `singleuser.{}` in its place:\n"
    assert fixes[("z2jh-unknown-trait", 11)] == intro.format("cpu") + (
        "cpu_limit: 2\ncpu_guarantee: 0.5"
    )
    assert fixes[("z2jh-unknown-trait", 14)] == intro.format("memory") + "mem_limit: 2G"
    assert fixes[("z2jh-unknown-trait", 16)] == intro.format("storage") + "storage_capacity: 10Gi"
    assert fixes[("z2jh-unknown-trait", 18)] == intro.format("extraResource") + (
        "extra_resource_limits:\n  nvidia.com/gpu: '1'"
    )
    assert (fixes[("z2jh-unknown-trait", 23)] or "").startswith("Write the setting under a trait")
    [cpu] = [f for f in findings if f.line == 11]
    assert cpu.message.endswith(
        "it is the chart's `singleuser.cpu` layout, which the chart gives "
        "to `cpu_limit`, `cpu_guarantee`"
    )
