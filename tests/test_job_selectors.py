"""A Job's selector is the API server's to generate: one written without ``manualSelector:
true`` is refused unless it selects only the labels the API server generates (the Job's name;
its uid is unknown before the Job exists), one with ``manualSelector: true`` must be written, and
a CronJob's job template may write neither a selector nor ``manualSelector: true``. Each refusal
is ``selector-mismatch`` alone, at the line to edit."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, brief, run

SELECTORS = FIXTURES / "manifests" / "selector-mismatch"


def test_a_job_selector_without_manual_selector_is_refused_at_the_selector() -> None:
    result = run(SELECTORS / "job-selector-without-manual-selector.yaml")
    assert brief(result.findings) == [("selector-mismatch", 6, 3)]
    finding = result.findings[0]
    assert finding.message == (
        "spec.selector is written without spec.manualSelector: true and does not select the "
        "labels the API server gives the Job's pods (app=nb-job not met by "
        "batch.kubernetes.io/job-name=nb-job, job-name=nb-job and the Job's uid: \"`selector` not "
        'auto-generated"): the API server refuses the Job, which never makes a pod; nothing else '
        "of it is checked"
    )
    assert finding.fix is not None and "selector: null" in finding.fix
    assert result.pods == []


def test_an_empty_job_selector_is_taken_and_the_pod_checked() -> None:
    result = run(SELECTORS / "job-empty-selector.yaml")
    assert "selector-mismatch" not in {f.rule for f in result.findings}
    assert len(result.pods) == 1


def test_a_cronjob_job_template_selector_is_refused_at_it() -> None:
    result = run(SELECTORS / "cronjob-job-template-selector.yaml")
    assert brief(result.findings) == [("selector-mismatch", 9, 7)]
    assert result.findings[0].message.startswith(
        "spec.jobTemplate.spec.selector is written (the API server generates the selector of "
        'each Job a CronJob makes: "`selector` will be auto-generated")'
    )
    assert result.findings[0].fix == (
        "spec:\n  jobTemplate:\n    spec:\n      selector: null   # the API server generates "
        "each Job's selector"
    )


def test_a_cronjob_job_template_manual_selector_is_refused_at_it() -> None:
    result = run(SELECTORS / "cronjob-job-template-manual-selector.yaml")
    assert brief(result.findings) == [("selector-mismatch", 9, 7)]
    assert "spec.jobTemplate.spec.manualSelector is true" in result.findings[0].message


# Field test 12b D6: the API server adds the Job's uid to a written selector and checks that it
# selects the labels it generates (ValidateGeneratedSelector): the Job's name under both keys.


@pytest.mark.parametrize(
    "name",
    [
        "job-selector-of-its-own-name.yaml",
        "job-selector-of-its-legacy-name-and-any-uid.yaml",
        # nblint cannot know: left alone.
        "job-selector-uid-placeholder.yaml",
        "job-selector-of-its-name-with-generate-name.yaml",
    ],
)
def test_a_job_selector_of_the_generated_labels_is_taken_and_the_pod_checked(name: str) -> None:
    result = run(SELECTORS / name)
    assert "selector-mismatch" not in {f.rule for f in result.findings}
    assert len(result.pods) == 1


@pytest.mark.parametrize(
    ("name", "line", "unmet"),
    [
        ("job-selector-of-another-name.yaml", 6, "batch.kubernetes.io/job-name=weekly"),
        (
            # Copied from a created Job: its uid is never the new Job's.
            "job-selector-copied-with-its-uid.yaml",
            7,
            "batch.kubernetes.io/controller-uid=3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f",
        ),
    ],
)
def test_a_job_selector_the_generated_labels_do_not_meet_is_refused(
    name: str, line: int, unmet: str
) -> None:
    result = run(SELECTORS / name)
    assert brief(result.findings) == [("selector-mismatch", line, 3)]
    assert (
        f"({unmet} not met by batch.kubernetes.io/job-name=nightly, job-name=nightly and the "
        "Job's uid" in result.findings[0].message
    )
    assert result.pods == []


def test_a_job_with_manual_selector_and_no_selector_is_refused_at_manual_selector() -> None:
    # Field test 12b D5: manualSelector turns generation off; ValidateJobSpec requires a selector.
    result = run(SELECTORS / "job-manual-selector-without-selector.yaml")
    assert brief(result.findings) == [("selector-mismatch", 7, 3)]
    finding = result.findings[0]
    assert finding.message == (
        "spec.manualSelector is true but spec.selector is unset (the API server then generates "
        'no selector, and requires one: "spec.selector: Required value"): the API server refuses '
        "the Job, which never makes a pod; nothing else of it is checked"
    )
    assert finding.fix == (
        "spec:\n  manualSelector: null   # the API server then generates the selector (or write "
        "spec.selector of the template's labels)"
    )
    assert result.pods == []
