"""A chart version written as a placeholder pins nothing, wherever it is written.

Each case of ``tests/fixtures/z2jh/placeholder-versions/`` writes the version of the jupyterhub
chart as something a tool fills in before Helm reads it: a Flux ``postBuild`` substitution
(``${…}``), a template of the chart that renders the object (``{{ … }}``), kustomize's ``$(…)``,
a Terraform ``%{…}`` directive. Helm never sees that text, so it is no wrong version: one info
(``z2jh-chart-version``) at the line says so and that the values were linted as the newest
release, the same alone, as a ``-f`` layer and in a directory walk.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, run

from nblint.dialects.z2jh.values import newest_chart_version
from nblint.load.files import discover
from nblint.model.result import RunResult
from nblint.model.unknowable import placeholder_syntax

CASES = FIXTURES / "z2jh" / "placeholder-versions"
SELECTED = {"z2jh-chart-version", "z2jh-unknown-chart-version", "run-as-user"}


def versions(result: RunResult) -> list[tuple[str, str, int, str]]:
    """``(rule, file, line, severity)`` of each chart-version finding."""
    return sorted(
        (f.rule, str(Path(f.file).relative_to(CASES)), f.line, str(f.severity))
        for f in result.findings
        if f.rule != "run-as-user"
    )


def linted_as(result: RunResult) -> set[str]:
    return {pod.facts["chart_version"] for pod in result.pods}


@pytest.mark.parametrize(
    ("case", "line", "syntax"),
    [
        ("flux/helmrelease.yaml", 11, "a `${…}` substitution"),
        ("argo/application.yaml", 13, "a `{{ … }}` template"),
        ("helmfile/helmfile.yaml", 8, "a `${…}` substitution"),
        ("kustomize/kustomization.yaml", 7, "a `$(…)` variable"),
        ("umbrella/values.yaml", 6, "a `%{…}` directive"),
    ],
)
def test_a_placeholder_version_is_an_info_that_it_pins_nothing(
    case: str, line: int, syntax: str
) -> None:
    result = run(CASES / case, select=SELECTED)
    where = "umbrella/Chart.yaml" if case.startswith("umbrella") else case
    assert versions(result) == [("z2jh-chart-version", where, line, "info")]
    (said,) = [f.message for f in result.findings if f.rule == "z2jh-chart-version"]
    assert f"{syntax} filled in" in said
    assert "which pins no version" in said
    assert said.startswith(f"linted as z2jh {newest_chart_version()}, the newest release")
    assert linted_as(result) == {newest_chart_version()}
    # The values are still checked: uid 0 of the notebook and the chart's init container.
    assert sum(f.rule == "run-as-user" for f in result.findings) == 2


def test_the_same_as_a_layer_and_in_a_directory_walk() -> None:
    layered = run(
        values=[str(CASES / "base-values.yaml"), str(CASES / "flux" / "helmrelease.yaml")],
        select=SELECTED,
    )
    assert versions(layered) == [("z2jh-chart-version", "flux/helmrelease.yaml", 11, "info")]
    walked = run(*discover([str(CASES)]), select=SELECTED)
    assert versions(walked) == [
        ("z2jh-chart-version", "argo/application.yaml", 13, "info"),
        ("z2jh-chart-version", "flux/helmrelease.yaml", 11, "info"),
        ("z2jh-chart-version", "helmfile/helmfile.yaml", 8, "info"),
        ("z2jh-chart-version", "kustomize/kustomization.yaml", 7, "info"),
        ("z2jh-chart-version", "umbrella/Chart.yaml", 6, "info"),
    ]
    assert walked.files == 7
    assert walked.skipped == {"(no kind)": 1}  # the umbrella's Chart.yaml, read beside values


@pytest.mark.parametrize(
    ("text", "syntax"),
    [
        ("${jupyter_chart_version}", "a `${…}` substitution"),
        ("4.${minor}.0", "a `${…}` substitution"),
        ("{{ .Values.hubVersion }}", "a `{{ … }}` template"),
        ("{{hubVersion}}", "a `{{ … }}` template"),
        ("$(HUB_VERSION)", "a `$(…)` variable"),
        ("%{ if a }4.4.0%{ endif }", "a `%{…}` directive"),
        ("4.4.0", None),
        ("^4.0.0", None),
        ("${", None),
        ("latest", None),
    ],
)
def test_what_a_placeholder_is(text: str, syntax: str | None) -> None:
    assert placeholder_syntax(text) == syntax
