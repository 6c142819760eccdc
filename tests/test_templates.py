"""Template files that are not what anything receives until rendered: named by their
language (Helm, Go, Jinja, Terraform, ytt), at the first template expression YAML cannot read
(a quoted ``"{{ x }}"`` above it is YAML), not at the parser's first complaint (issue 16)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run, write

from nblint.load import yaml_tree

TEMPLATES = FIXTURES / "templates"


def found(name: str) -> list[tuple[str, int, int, str]]:
    return [
        (f.rule, f.line, f.column, f.message.split(" is not YAML")[0])
        for f in run(TEMPLATES / name).findings
    ]


def test_a_jinja_file_is_a_jinja_template_at_its_first_expression_yaml_cannot_read() -> None:
    # Line 5's quoted "{{ notebook_name }}" is YAML; line 6's unquoted one is not (and the
    # parser's own complaint comes at line 11, the `{% for %}`).
    assert found("jinja-notebook.yaml") == [
        ("helm-template", 6, 14, "Jinja template syntax ({% … %}, {{ … }})")
    ]


def test_a_go_template_is_not_called_helm() -> None:
    # Line 12's quoted "{{ .Env.TOKEN }}" is YAML; line 14's unquoted one is not.
    assert found("go-template-pod.yaml") == [
        ("helm-template", 14, 17, "Go template syntax ({{ … }})")
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


def test_a_placeholder_inside_an_image_reference_is_counted_and_not_judged() -> None:
    """Field test 19a, N1: `scipy-notebook:${CURRENT_TAG}`, `notebook:${PREVIOUS_TAG}`,
    `registry.example.com/${TEAM}/notebook:1.0` are placeholders (no image reference can hold a
    `$`): counted in the info, no image check on their text. The `${HOME}` of a command is the
    shell's, not counted."""
    result = run(TEMPLATES / "placeholder-tag-inside-image.yaml")
    assert [(f.rule, f.line) for f in result.findings if f.line in (18, 21, 24)] == []
    (note,) = [f for f in result.findings if f.rule == "z2jh-unrendered-template"]
    assert (note.line, note.severity, note.message.split(" in this file")[0]) == (
        7,
        "info",
        "4 unrendered template value(s)",
    )


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


def test_a_ytt_data_values_file_is_data_not_a_template() -> None:
    # `#@data/values` (or -schema): what ytt reads, never rendered into an object itself; read
    # as the YAML it is, which no dialect claims (field test 16b D5: it was an error).
    result = run(TEMPLATES / "ytt-data-values.yaml")
    assert result.findings == []
    assert sum(result.skipped.values()) == 1


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


def test_jinja_values_are_refused_at_the_first_template_yaml_cannot_read() -> None:
    # Line 4's quoted "{{ github_client_id }}" is YAML; line 7's unquoted one breaks the file.
    assert found("jinja-values-quoted-then-unquoted.yaml.j2") == [
        ("helm-template", 7, 11, "Jinja template syntax ({% … %}, {{ … }})")
    ]


def test_the_refused_template_is_placed_by_reading_the_file_not_by_the_parser_s_line() -> None:
    # The parser stops at line 4 (the `{% if %}`); the file breaks at line 3, whose unquoted
    # template is a mapping used as a key. Line 2 is quoted, line 5 another statement.
    text = 'a: "{{ x }}"\nb: {{ y }}\n{% if z %}\nc: 1\n{% endif %}\n'
    (problem,) = list(yaml_tree.iter_documents("# Jinja\n" + text))
    assert isinstance(problem, yaml_tree.LoadProblem)
    assert (problem.kind, problem.line, problem.column) == ("helm-template", 3, 4)


def test_quoted_jinja_templates_in_values_are_unknown_values_said_once(tmp_path: Path) -> None:
    # Jinja fills them in before Helm reads the file (its name says it is a Jinja template): no
    # check judges their text (the memory size, the uid's type), one info says so at the first.
    # The same quoted values in a plain values file are Helm's literal text.
    result = run(
        TEMPLATES / "jinja-values-quoted.yaml.j2",
        select={
            "z2jh-unrendered-template",
            "helm-template",
            "wrong-field-type",
            "z2jh-spawn-failure",
            "run-as-user",
        },
    )
    assert [(f.rule, f.line, f.column, f.severity) for f in result.findings] == [
        ("run-as-user", 2, 1, "error"),  # the chart's init container
        ("z2jh-unrendered-template", 4, 5, "info"),
    ]
    assert result.findings[1].message.startswith(
        "4 value(s) filled in by Jinja (a `.j2` template) in this file, the first here"
    )
    assert result.pod_count == 1
    plain = run(
        write(tmp_path, "values.yaml", (TEMPLATES / "jinja-values-quoted.yaml.j2").read_text()),
        select={"wrong-field-type", "z2jh-spawn-failure", "z2jh-unrendered-template"},
    )
    assert [(f.rule, f.line) for f in plain.findings] == [
        ("z2jh-spawn-failure", 7),
        ("wrong-field-type", 10),
    ]
    # A `${mem}` is filled in whatever the file's name: no spawn failure judged on its text.
    substituted = run(
        write(tmp_path, "subst.yaml", "singleuser:\n  memory:\n    limit: ${mem}\n"),
        select={"z2jh-spawn-failure", "z2jh-unrendered-template"},
    )
    assert [(f.rule, f.line) for f in substituted.findings] == [("z2jh-unrendered-template", 3)]


def test_bare_placeholders_are_not_called_jinja() -> None:
    # `{{ADMIN_USER}}` and `{{IMAGE}}` alone (no statement, filter or spacing): a script (sed)
    # or any template engine fills them in; no tool is guessed.
    result = run(TEMPLATES / "script-placeholder-values.yaml")
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "helm-template",
            6,
            11,
            "template placeholder {{ADMIN_USER}} (filled in by a script or a template engine) is "
            "not YAML: lint the rendered output (fill it in as the deployment does, then "
            "nblint check -)",
        )
    ]


def test_a_file_with_one_jinja_spaced_expression_is_still_jinja() -> None:
    assert found("jinja-spaced-placeholder-values.yaml") == [
        ("helm-template", 6, 11, "Jinja template syntax ({% … %}, {{ … }})")
    ]


def test_another_chart_s_values_have_no_helm_template_problem() -> None:
    # Bitnami's chart renders hub.configuration and networkPolicy.extraIngress with `tpl`;
    # nblint reads none of its values (z2jh-other-chart), as values or as an Argo CD
    # Application's.
    for name, line in (
        ("bitnami-values-rendered-by-tpl.yaml", 3),
        ("bitnami-application-values-template.yaml", 17),
    ):
        assert [(f.rule, f.line) for f in run(TEMPLATES / name).findings] == [
            ("z2jh-other-chart", line)
        ]


def test_an_application_set_s_templates_are_its_controller_s() -> None:
    [finding] = run(TEMPLATES / "applicationset-go-range.yaml").findings
    assert (finding.rule, finding.line, finding.column) == ("helm-template", 15, 22)
    assert finding.message.startswith(
        "Argo CD ApplicationSet template syntax ({{ … }}) is not YAML: the ApplicationSet "
        "controller fills in templates only inside the strings of the object it reads"
    )
    assert "argocd appset generate FILE -o yaml | nblint check -" in finding.message


def test_a_bare_name_beside_a_go_range_is_go_not_jinja() -> None:
    assert found("go-range-after-bare-name.yaml") == [
        ("helm-template", 5, 18, "Go template syntax ({{ … }})")
    ]


def test_a_terraform_file_named_as_an_input_is_said_to_be_one_and_a_walk_skips_it() -> None:
    # Field test 16a D5: HCL is not YAML; one line says what it is, never a YAML parse error.
    folder = TEMPLATES / "terraform-module"
    result = run(folder / "main.tf")
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("parse-error", 1, 1)]
    assert result.findings[0].message.startswith("a Terraform file (HCL) is not YAML")
    assert "helm_release" in (result.findings[0].fix or "")
    from nblint.load.files import discover

    assert list(discover([str(folder)])) == []


def test_envsubst_bare_placeholders_are_unknown_values_said_once() -> None:
    # Field test 18a D1: `$JUPYTERHUB_PORT` is filled in as `${JUPYTERHUB_PORT}` is: no
    # "helm would refuse" for its type, no image-table lookup of `$IMAGE_NAME`, one info.
    result = run(TEMPLATES / "envsubst-bare-placeholder-values.yaml")
    rules = {(f.rule, f.line) for f in result.findings}
    assert ("z2jh-unrendered-template", 7) in rules
    assert not {rule for rule, _ in rules if rule in ("z2jh-wrong-type", "notebook-image-unknown")}
    (note,) = [f for f in result.findings if f.rule == "z2jh-unrendered-template"]
    assert note.message.startswith("4 unrendered template value(s) in this file, the first here")


def test_an_unquoted_brace_placeholder_s_syntax_error_names_it() -> None:
    # Field test 21a D1: `image_prefix: {dockerId}/{imagePrefix}-` is no YAML until a script
    # fills it in: the one parse error says which placeholder, at its line.
    result = run(TEMPLATES / "brace-placeholder-values.yaml")
    [problem] = result.findings
    assert (problem.rule, problem.line) == ("parse-error", 6)
    assert problem.message.endswith(
        "(`{dockerId}` looks like a placeholder that a script fills in before the file is "
        "applied: check the file once filled in, or quote the value)"
    )
