"""A Job's selector is the API server's to generate: one written without ``manualSelector:
true`` is refused, and a CronJob's job template may write neither a selector nor
``manualSelector: true``. Each refusal is ``selector-mismatch`` alone, at the line to edit."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

SELECTORS = FIXTURES / "manifests" / "selector-mismatch"


def test_a_job_selector_without_manual_selector_is_refused_at_the_selector() -> None:
    result = run(SELECTORS / "job-selector-without-manual-selector.yaml")
    assert brief(result.findings) == [("selector-mismatch", 6, 3)]
    finding = result.findings[0]
    assert finding.message == (
        "spec.selector is written without spec.manualSelector: true (the API server generates a "
        'Job\'s selector: "`selector` not auto-generated"): the API server refuses the Job, which '
        "never makes a pod; nothing else of it is checked"
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
