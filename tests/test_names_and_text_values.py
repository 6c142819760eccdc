"""Field test 19b D2 and D3: values the API wants as text, written as numbers or booleans
(``wrong-field-type``), and the names of Kubeflow's objects (``invalid-name``)."""

from __future__ import annotations

from conftest import FIXTURES, run

TEXT = FIXTURES / "manifests" / "not-text"
KUBEFLOW = FIXTURES / "kubeflow" / "names"
SELECT = {"invalid-name", "wrong-field-type", "notebook-no-sudo"}


def _found(result: object) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in result.findings]  # type: ignore[attr-defined]


def test_a_workloads_unquoted_env_label_annotation_and_selector_values_are_wrong_types() -> None:
    # Each at its line: the workload's labels and annotations and its selector (said by the
    # dialect), its pod's labels, annotations and env values (by the rule on the pod). An env
    # value left empty is unset, not a wrong type.
    result = run(TEXT / "deployment-unquoted-values.yaml", select=SELECT)
    assert _found(result) == [
        ("wrong-field-type", 7),
        ("wrong-field-type", 9),
        ("wrong-field-type", 14),
        ("wrong-field-type", 19),
        ("wrong-field-type", 21),
        ("wrong-field-type", 30),
        ("wrong-field-type", 32),
    ]
    messages = [f.message for f in result.findings]
    # (Quoted as written, not as read: an unquoted `yes` is read as true, and "true" is no yes.)
    assert messages[2] == (
        "spec.selector.matchLabels.version must be text, not 2: quote it as written (YAML reads "
        "an unquoted yes, on, true or number as no text): the API server cannot decode the "
        "Deployment"
    )
    assert messages[5] == (
        "container notebook: the value of env GRANT_SUDO must be text, not true: quote it as "
        "written (YAML reads an unquoted yes, on, true or number as no text)"
    )


def test_an_unquoted_yes_is_not_read_as_grant_sudo() -> None:
    # `value: yes` never reaches the cluster (the object is refused): no sudo verdict on it,
    # though the pod starts as root (the quoted twin below is one).
    result = run(TEXT / "deployment-unquoted-values.yaml", select={"notebook-no-sudo"})
    assert _found(result) == []


def test_an_unquoted_yes_still_holds_back_the_fix_that_would_take_sudo_away() -> None:
    # Quoted as meant, `yes` grants sudo: a guard reads the value as it may have been written,
    # so the escalation fix is no safe one (the finding says nothing of sudo: see above).
    result = run(TEXT / "deployment-unquoted-values.yaml", select={"allow-privilege-escalation"})
    assert {f.applicability for f in result.findings} == {"unsafe"}


def test_quoted_values_are_text_and_a_quoted_yes_grants_sudo() -> None:
    result = run(TEXT / "pod-quoted-values.yaml", select=SELECT)
    assert _found(result) == [("notebook-no-sudo", 17)]


def test_a_pods_own_label_is_said_once() -> None:
    result = run(TEXT / "pod-unquoted-label.yaml", select=SELECT)
    assert _found(result) == [("wrong-field-type", 7)]


def test_a_notebook_named_in_capitals_is_refused() -> None:
    result = run(KUBEFLOW / "notebook-named-in-capitals.yaml", select=SELECT)
    assert _found(result) == [("invalid-name", 5)]
    assert result.findings[0].message.startswith(
        "metadata.name MyNotebook is not a DNS-1123 subdomain"
    )


def test_a_notebook_whose_name_starts_with_a_digit_gets_no_service() -> None:
    result = run(KUBEFLOW / "notebook-named-with-a-digit-first.yaml", select=SELECT)
    assert _found(result) == [("invalid-name", 5)]
    assert "names the Notebook's Service after it" in result.findings[0].message


def test_a_notebooks_unquoted_label_annotation_and_env_value() -> None:
    result = run(KUBEFLOW / "notebook-unquoted-values.yaml", select=SELECT)
    # No sudo verdict though it starts as root: GRANT_SUDO's `yes` is not text.
    assert _found(result) == [
        ("wrong-field-type", 9),
        ("wrong-field-type", 11),
        ("wrong-field-type", 22),
    ]


def test_a_profile_named_as_no_namespace_can_be_and_a_poddefault_misnamed() -> None:
    result = run(
        KUBEFLOW / "profile-and-poddefault-misnamed.yaml",
        select={*SELECT, "kubeflow-profile-namespace"},
    )
    # The Profile stands for no namespace (the controller cannot create it): no
    # kubeflow-profile-namespace for it.
    assert _found(result) == [("invalid-name", 6), ("invalid-name", 15)]
    assert result.findings[0].message.startswith("metadata.name DwnKim is not a DNS-1123 label")


def test_poddefault_and_profile_values_that_are_not_text_and_a_dotted_profile() -> None:
    result = run(KUBEFLOW / "profile-and-poddefault-unquoted-values.yaml", select=SELECT)
    assert _found(result) == [
        ("wrong-field-type", 9),
        ("wrong-field-type", 14),
        ("wrong-field-type", 24),
        ("invalid-name", 33),
    ]


def test_valid_kubeflow_names_and_placeholders_are_not_judged() -> None:
    result = run(KUBEFLOW / "valid-names.yaml", select=SELECT)
    assert _found(result) == []


def test_a_namespace_s_label_and_a_poddefault_s_env_value_must_be_text() -> None:
    # Field test 21b D2, D3: the API server decodes every object's labels as text, and a
    # PodDefault's env as a container's.
    namespace = run(TEXT / "namespace-unquoted-label.yaml", select=SELECT)
    assert _found(namespace) == [("wrong-field-type", 8)]
    assert namespace.findings[0].message.endswith("the API server cannot decode the Namespace")
    poddefault = run(KUBEFLOW / "poddefault-env-number.yaml", select=SELECT)
    assert _found(poddefault) == [("wrong-field-type", 14)]
