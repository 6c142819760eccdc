"""Template files that are not what anything receives until rendered: named by their
language (Helm, Go, Jinja, Terraform, ytt), at the first template expression, not at the
parser's first complaint (issue 16)."""

from __future__ import annotations

from pathlib import Path

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


def test_a_terraform_directive_is_terraform_template_syntax_at_its_line() -> None:
    result = run(TEMPLATES / "terraform-directive-values.yaml")
    assert found("terraform-directive-values.yaml") == [
        ("helm-template", 5, 3, "Terraform template syntax (%{ … }, ${ … })")
    ]
    assert "render it with Terraform's templatefile" in result.findings[0].message


def test_a_chart_template_is_helm_at_its_first_expression() -> None:
    assert found("helm-chart-template.yaml") == [
        ("helm-template", 5, 9, "Helm template syntax ({{ … }})")
    ]


def templates_in(*paths: object, **dialect: object) -> list[tuple[str, int, int]]:
    return [
        (f.file.rsplit("/", 1)[-1], f.line, f.column)
        for f in run(*paths, **dialect).findings  # type: ignore[arg-type]
        if f.rule == "helm-template"
    ]


def test_a_template_in_another_subchart_or_a_value_the_chart_renders_is_no_problem() -> None:
    # storage-csi's script (line 6) is another chart's to render, hub.args (line 11) z2jh's own;
    # only hub.extraEnv, passed on as written, is literal text.
    umbrella = TEMPLATES / "umbrella-other-subchart" / "values.yaml"
    assert templates_in(umbrella) == [("values.yaml", 14, 16)]


def test_each_layer_is_judged_where_it_sets_a_template() -> None:
    # proxy.chp.extraCommandLineFlags and hub.command items are rendered by the chart; the image
    # tag and defaultUrl are not.
    layers = [str(TEMPLATES / "layers" / name) for name in ("base.yaml", "prod.yaml")]
    assert templates_in(values=layers) == [("base.yaml", 9, 10), ("prod.yaml", 6, 15)]


def test_a_placeholder_image_is_unknowable_not_an_unknown_image() -> None:
    rules = {(f.rule, f.line) for f in run(TEMPLATES / "image-placeholder-values.yaml").findings}
    assert ("z2jh-unrendered-template", 4) in rules
    assert not any(rule == "notebook-image-unknown" for rule, _ in rules)


def test_a_ytt_template_is_reported_once_at_its_first_annotation_and_not_checked() -> None:
    # `name: #@ data.values.image_name` reads as null until ytt fills it in; checked as written
    # it was "required ...; this `null` deleted the chart default" (field test 2, #4).
    result = run(TEMPLATES / "ytt-values-template.yaml")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("helm-template", 2, 1)]
    assert result.findings[0].message.startswith("ytt template (#@ annotations)")
    assert "ytt -f FILE -f VALUES | nblint check -" in result.findings[0].message


def test_a_ytt_value_annotation_alone_marks_a_ytt_template() -> None:
    assert [
        (f.rule, f.line, f.column)
        for f in run(TEMPLATES / "ytt-value-annotation-only.yaml").findings
    ] == [("helm-template", 4, 10)]


def test_an_at_sign_in_an_ordinary_comment_or_text_is_not_ytt() -> None:
    rules = {(f.rule, f.line) for f in run(TEMPLATES / "at-sign-in-plain-comments.yaml").findings}
    assert not any(rule == "helm-template" for rule, _ in rules)
    assert ("notebook-image-pinned", 4) in rules  # checked as the values file it is


def test_a_placeholder_in_a_profile_override_or_extra_container_is_never_judged() -> None:
    """The values file counts `${…}` values as unrendered and says it skips their checks
    (field test 5a, D2): an override's image, an extra container's image and user are skipped
    too, while the known image beside them is still checked."""
    result = run(TEMPLATES / "placeholder-image-in-profile.yaml")
    at_placeholders = {10, 17, 19}
    assert [(f.rule, f.line) for f in result.findings if f.line in at_placeholders] == []
    (note,) = [f for f in result.findings if f.rule == "z2jh-unrendered-template"]
    assert (note.line, note.message.split(" in this file")[0]) == (
        5,
        "5 unrendered template value(s)",
    )
    # The helper's other fields are still judged: a placeholder only hides itself.
    assert ("allow-privilege-escalation", 18) in {(f.rule, f.line) for f in result.findings}


def test_a_placeholder_image_in_a_manifest_is_not_judged_either() -> None:
    result = run(TEMPLATES / "placeholder-image-in-manifest.yaml", select={"notebook-image-pinned"})
    assert result.findings == []


HELMFILE = "Go template syntax of helmfile ({{ … }})"


def test_a_helmfile_gotmpl_file_is_helmfiles_go_template_not_jinja() -> None:
    # `{{ fetchSecretValue "…" | quote }}` was "Jinja … render it with Ansible" (field test 6a, D5).
    assert found("helmfile-values-function-call.yaml.gotmpl") == [
        ("helm-template", 2, 16, HELMFILE)
    ]
    message = run(TEMPLATES / "helmfile-values-function-call.yaml.gotmpl").findings[0].message
    assert "helmfile write-values" in message and "Ansible" not in message


def test_a_gotmpl_file_that_parses_is_still_a_template_helmfile_renders() -> None:
    # The quoted template parses, but helmfile renders the whole file before Helm reads it: one
    # finding at the first expression outside a comment, and the file is not checked as written.
    assert found("helmfile-values-quoted-template.yaml.gotmpl") == [
        ("helm-template", 4, 11, HELMFILE)
    ]


def test_helmfiles_functions_name_helmfile_in_any_file() -> None:
    assert found("helmfile-function-in-a-yaml-file.yaml") == [("helm-template", 4, 12, HELMFILE)]


def test_a_go_function_call_with_a_string_argument_is_go_not_jinja() -> None:
    assert found("go-function-call-values.yaml") == [
        ("helm-template", 4, 12, "Go template syntax ({{ … }})")
    ]


def test_a_directory_walk_picks_up_helmfile_gotmpl_values_files() -> None:
    # `nblint check deploy/` walked past `values.yaml.gotmpl`: the template was never said.
    from nblint.load.files import discover

    folder = TEMPLATES / "helmfile-release-dir"
    walked = list(discover([str(folder)]))
    assert [Path(p).name for p in walked] == ["values.yaml.gotmpl"]
    assert [(f.rule, f.line, f.column) for f in run(*walked).findings] == [("helm-template", 2, 17)]
    assert run(*walked).findings[0].message.startswith(HELMFILE)
