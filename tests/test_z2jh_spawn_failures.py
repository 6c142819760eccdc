"""Spawns KubeSpawner refuses (``z2jh-spawn-failure``), each at the values line that causes it
and for the profiles whose spawns fail.

* a placeholder KubeSpawner does not fill in a text it formats for each user;
* a profile option with no choices, where a spawn that types no value has nothing to pick;
* a map where KubeSpawner 6 takes only a list.

The fixtures are end-to-end fixtures too (``tests/test_z2jh_end_to_end.py``): the real hub of each
release fails the same spawns.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import FIXTURES, run, write

from nblint.model.result import RunResult

E2E = FIXTURES / "z2jh" / "end-to-end"
SPAWN_FAILURE = "z2jh-spawn-failure"


def failures(result: RunResult) -> list[tuple[str, int, int, str | None]]:
    return sorted(
        ((f.rule, f.line, f.column, f.profile) for f in result.findings if f.rule == SPAWN_FAILURE),
        key=lambda found: (found[1], found[3] or ""),
    )


def messages(result: RunResult) -> list[str]:
    return [f.message for f in result.findings if f.rule == SPAWN_FAILURE]


def check(path: Any, chart_version: str) -> RunResult:
    return run(path, chart_version=chart_version, select={"z2jh"})


@pytest.mark.parametrize("chart_version", ["3.0.3", "3.1.0", "3.3.8"])
def test_kubespawner_6_fills_no_escaped_username_port_or_environment_name(
    chart_version: str,
) -> None:
    result = check(E2E / "placeholders-kubespawner-cannot-fill.yaml", chart_version)
    assert failures(result) == [
        # singleuser.extraEnv reaches every profile's spawns.
        (SPAWN_FAILURE, 6, 5, "Dashboard"),
        (SPAWN_FAILURE, 6, 5, "Greeting"),
        (SPAWN_FAILURE, 6, 5, "Plain"),
        (SPAWN_FAILURE, 17, 11, "Dashboard"),
        (SPAWN_FAILURE, 22, 11, "Greeting"),
    ]
    kubespawner = {"3.0.3": "6.0.0", "3.1.0": "6.1.0", "3.3.8": "6.2.0"}[chart_version]
    assert messages(result)[0].startswith(
        "`{escaped_username}` is no placeholder it knows in 'claim-{escaped_username}': "
        f"KubeSpawner {kubespawner} formats this text for each user and fails, so every spawn "
        "with it fails"
    )


@pytest.mark.parametrize("chart_version", ["4.0.0", "4.4.0"])
def test_kubespawner_7_fills_escaped_username_but_not_port_or_environment_names(
    chart_version: str,
) -> None:
    result = check(E2E / "placeholders-kubespawner-cannot-fill.yaml", chart_version)
    assert failures(result) == [
        (SPAWN_FAILURE, 17, 11, "Dashboard"),
        (SPAWN_FAILURE, 22, 11, "Greeting"),
    ]
    assert [m.split(":", 1)[0] for m in messages(result)] == [
        "`{port}` is no placeholder it knows in 'proxy/{port}/status'",
        "`{JUPYTERHUB_USER}` is no placeholder it knows in 'hello {JUPYTERHUB_USER}'",
    ]


def test_literal_braces_and_known_placeholders_spawn(tmp_path: Any) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n  extraEnv:\n    A: '{username}'\n    B: '{{}}'\n    C: '$(HOME)/x'\n",
    )
    assert failures(check(values, "3.3.8")) == []
    assert failures(check(values, "4.4.0")) == []


def test_an_unmatched_brace_or_a_positional_placeholder_fails_every_spawn(tmp_path: Any) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n  uid: 1000\n  extraAnnotations:\n    a: 'x{'\n    b: 'y{}'\n",
    )
    result = check(values, "4.4.0")
    assert failures(result) == [(SPAWN_FAILURE, 4, 5, None), (SPAWN_FAILURE, 5, 5, None)]
    assert [m.split(" in ", 1)[0] for m in messages(result)] == [
        "an unmatched brace",
        "a `{}` placeholder",
    ]


@pytest.mark.parametrize("chart_version", ["3.0.3", "3.3.8", "4.4.0"])
def test_an_option_without_choices_fails_the_spawns_that_type_no_value(chart_version: str) -> None:
    result = check(E2E / "option-without-choices.yaml", chart_version)
    # At the option, for its own profile only; the other profile spawns.
    assert failures(result) == [(SPAWN_FAILURE, 7, 9, "Custom image")]
    assert messages(result) == [
        "option 'image' of profile 'Custom image' has no choices: a spawn that types no value "
        "for it fails (KubeSpawner has no default choice to pick)"
    ]


@pytest.mark.parametrize(("chart_version", "fails"), [("3.3.8", True), ("4.0.0", False)])
def test_a_map_where_kubespawner_6_takes_only_a_list_fails_every_spawn(
    tmp_path: Any, chart_version: str, fails: bool
) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "hub:\n  config:\n    KubeSpawner:\n      volumes:\n        data:\n"
        "          name: data\n          emptyDir: {}\n",
    )
    result = check(values, chart_version)
    assert failures(result) == ([(SPAWN_FAILURE, 4, 7, None)] if fails else [])


@pytest.mark.parametrize(
    ("chart_version", "expected"),
    [
        # KubeSpawner 6.0.0 indexes the chosen choice's kubespawner_override: a KeyError.
        ("3.0.3", [(SPAWN_FAILURE, 12, 13, None)]),
        # 6.1.0 and later read it with a default of {}.
        ("3.1.0", []),
        ("4.4.0", []),
    ],
)
def test_only_kubespawner_6_0_fails_a_choice_without_an_override(
    chart_version: str, expected: list[tuple[str, int, int, str | None]]
) -> None:
    result = check(E2E / "choice-without-override.yaml", chart_version)
    assert failures(result) == expected
    if expected:
        assert messages(result) == [
            "choice 'plain' of option 'image' of profile 'Image choice' has no "
            "`kubespawner_override`: KubeSpawner 6.0.0 (z2jh 3.0.3) requires one in every "
            "choice, so every spawn that picks it fails"
        ]


FIXES = FIXTURES / "z2jh" / "spawn-failure-fixes"


def spawn_fixes(result: RunResult) -> list[tuple[int, str | None]]:
    return sorted({(f.line, f.fix) for f in result.findings if f.rule == SPAWN_FAILURE})


def test_a_placeholder_kubespawner_cannot_fill_is_fixed_by_doubling_its_braces_in_place(
    tmp_path: Any,
) -> None:
    # Field test 2, #1: the fix shown was the rule's memory example. Each fix is the written
    # value with the braces KubeSpawner cannot fill doubled ({username} stays), at the key that
    # wrote it: `NAME: text`, an entry's `value:`, a profile's override.
    source = FIXES / "daskhub-image-spec-placeholder.yaml"
    doubled = "# braces doubled: literal text, which KubeSpawner does not fill in\n"
    assert spawn_fixes(check(source, "4.4.0")) == [
        (6, doubled + "DASK_GATEWAY__CLUSTER__OPTIONS__IMAGE: '{{JUPYTER_IMAGE_SPEC}}'"),
        (7, doubled + "value: 'home of {username} at {{HOME}}'"),
        (12, doubled + "DASHBOARD: 'proxy/{{port}}/status'"),
    ]
    # Written in place (the quoted value of its line replaced), each fix leaves no spawn failure.
    lines = source.read_text().splitlines()
    for line, fix in spawn_fixes(check(source, "4.4.0")):
        value = (fix or "").splitlines()[-1].partition(": ")[2]
        written = re.findall(r"'[^']*'|\"[^\"]*\"", lines[line - 1])[-1]
        lines[line - 1] = lines[line - 1].replace(written, value)
    fixed = check(write(tmp_path, "values.yaml", "\n".join(lines) + "\n"), "4.4.0")
    assert "'{{JUPYTER_IMAGE_SPEC}}'" in (tmp_path / "values.yaml").read_text()
    assert failures(fixed) == []
    assert [f.rule for f in fixed.findings if f.group in ("nblint", "z2jh")] == []


def test_a_spawn_failure_shows_the_fix_of_its_own_cause_or_none() -> None:
    result = check(FIXES / "causes-without-a-fix-of-their-own.yaml", "4.4.0")
    assert spawn_fixes(result) == [
        (6, 'limit: 4G   # KubeSpawner\'s units: K, M, G, T (binary), no "i"'),
        (7, None),  # `lots` says no size
        (11, None),  # an option without choices: no memory example
    ]


@pytest.mark.parametrize("chart_version", ["3.0.3", "3.3.8", "4.4.0"])
def test_a_chart_key_the_schema_allows_and_its_trait_refuses_fails_every_spawn(
    chart_version: str,
) -> None:
    """``singleuser.extraEnv`` as a list of EnvVar objects: the schema takes ``[object, array]``,
    the chart hands it to ``environment`` (a Dict) and the hub's KubeSpawner raises a TraitError
    (field test 10a D8). Reported at the key, with the map form as the fix."""
    result = check(E2E / "extraenv-list.yaml", chart_version)
    assert failures(result) == [(SPAWN_FAILURE, 4, 3, None)]
    [finding] = [f for f in result.findings if f.rule == SPAWN_FAILURE]
    assert finding.message.startswith(
        "`singleuser.extraEnv` becomes KubeSpawner's `environment`, which must be a mapping"
    )
    assert finding.fix is not None and "extraEnv:\n    MY_VAR: '1'" in finding.fix


@pytest.mark.parametrize("chart_version", ["3.0.3", "4.4.0"])
def test_env_in_extra_container_config_replaces_the_token_and_fails_every_spawn(
    chart_version: str,
) -> None:
    """KubeSpawner's update_k8s_model sets the notebook's ``env`` to the list whole: JupyterHub's
    JUPYTERHUB_API_TOKEN is gone and jupyterhub-singleuser stops (field test 10a D9). At the
    ``env`` key that does it, for the profiles it reaches; the profile's own list is its own."""
    result = check(E2E / "extra-container-config-env-replaces.yaml", chart_version)
    assert failures(result) == [
        (SPAWN_FAILURE, 12, 11, "cuda"),
        (SPAWN_FAILURE, 19, 9, "default"),
    ]
    assert messages(result)[0].startswith(
        "`env` in extra_container_config replaces the whole env list KubeSpawner builds"
    )
    fixes = {f.profile: f.fix for f in result.findings if f.rule == SPAWN_FAILURE}
    assert "extraEnv:\n    NVIDIA_DRIVER_CAPABILITIES: compute,utility" in (fixes["default"] or "")
    assert "environment:\n  CUDA_MODULE_LOADING: LAZY" in (fixes["cuda"] or "")
