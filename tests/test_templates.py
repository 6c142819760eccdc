"""Template files that are not YAML until rendered: named by their language (Helm, Go,
Jinja), at the first template expression, not at the parser's first complaint (issue 16)."""

from __future__ import annotations

from conftest import FIXTURES, run

TEMPLATES = FIXTURES / "templates"


def found(name: str) -> list[tuple[str, int, int, str]]:
    return [
        (f.rule, f.line, f.column, f.message.split(" is not YAML")[0])
        for f in run(TEMPLATES / name).findings
    ]


def test_a_jinja_file_is_a_jinja_template_at_its_first_expression() -> None:
    assert found("jinja-notebook.yaml") == [
        ("helm-template", 5, 10, "Jinja template syntax ({% … %}, {{ … }})")
    ]


def test_a_go_template_is_not_called_helm() -> None:
    assert found("go-template-pod.yaml") == [
        ("helm-template", 12, 19, "Go template syntax ({{ … }})")
    ]


def test_a_chart_template_is_helm_at_its_first_expression() -> None:
    assert found("helm-chart-template.yaml") == [
        ("helm-template", 5, 9, "Helm template syntax ({{ … }})")
    ]
