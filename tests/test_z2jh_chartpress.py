"""Images chartpress fills in when it builds a chart: in git, the chart's ``values.yaml`` leaves
them empty (``name:``, ``tag:``) and the ``chartpress.yaml`` one directory up names them
(``valuesPath``). Unknown values, said once (``z2jh-unrendered-template``, info), not a required
value deleted that Helm would refuse (field test 20a, D7). Fixtures:
``tests/fixtures/z2jh/chartpress/``, each a repository: ``chartpress.yaml`` and its chart ``hub/``.
"""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run

CHARTPRESS = FIXTURES / "z2jh" / "chartpress"
RULES = {"z2jh-unrendered-template", "z2jh-wrong-type"}


def said(case: str, layered: bool = False) -> list[tuple[str, str, int, str]]:
    values = str(CHARTPRESS / case / "hub" / "values.yaml")
    result = run(values=[values]) if layered else run(values)
    return [
        (f.rule, Path(f.file).name, f.line, f.severity) for f in result.findings if f.rule in RULES
    ]


def test_an_image_chartpress_fills_in_is_unknown_not_deleted() -> None:
    expected = [("z2jh-unrendered-template", "values.yaml", 5, "info")]
    assert said("filled-images") == expected
    assert said("filled-images", layered=True) == expected
    [finding] = [
        f
        for f in run(CHARTPRESS / "filled-images" / "hub" / "values.yaml").findings
        if f.rule == "z2jh-unrendered-template"
    ]
    assert finding.message == (
        f"`hub.image.name` is empty here: {CHARTPRESS / 'filled-images' / 'chartpress.yaml'} "
        "names `jupyterhub.hub.image` as an image chartpress fills in when it builds the chart, "
        "so nblint cannot know its real value and skips its checks"
    )


def test_an_image_chartpress_does_not_name_is_a_required_value_deleted() -> None:
    assert said("other-values-path") == [
        ("z2jh-wrong-type", "values.yaml", 5, "error"),
        ("z2jh-wrong-type", "values.yaml", 6, "error"),
    ]
