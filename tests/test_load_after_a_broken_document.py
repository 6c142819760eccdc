"""A document with a syntax error hides nothing after it (field test 18b D5): kubectl decodes
each ``---`` document on its own, so nblint reports the broken one and reads on at the next
document marker, every later document at its own lines and with its own number, which is what a
fix addresses. A file whose error is a template's is a template: nothing after it is read.

Fixtures are in ``tests/fixtures/load/``, one per case, named for it.
"""

from __future__ import annotations

import time
from pathlib import Path

import yaml
from conftest import FIXTURES, RULES, run

from nblint.fix.apply import FixError, apply_edit
from nblint.load.yaml_tree import MAX_BROKEN_DOCUMENTS, LoadProblem, parse_documents
from nblint.model.edit import STRATEGIC, Edit
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

LOAD = FIXTURES / "load"
RULES_SEEN = {"parse-error", "helm-template", "privileged", "seccomp-profile-restricted"}


def seen(path: Path) -> list[tuple[str, int, str | None]]:
    """``(rule, line, object)`` of the findings of the rules this file is about."""
    result = run(path)
    return [(f.rule, f.line, f.object) for f in result.findings if f.rule in RULES_SEEN]


def test_a_pod_after_a_document_with_a_tab_is_checked() -> None:
    assert seen(LOAD / "a-tab-in-the-document-before-a-pod.yaml") == [
        ("parse-error", 7, None),
        ("seccomp-profile-restricted", 17, "Pod/nb"),
        ("privileged", 18, "Pod/nb"),
    ]


def test_every_document_between_and_after_broken_ones_is_checked() -> None:
    """A key without its colon, then a string never closed that runs into a ``...`` end
    marker: the documents after each are read, the one after ``...`` without a ``---``."""
    assert seen(LOAD / "several-broken-documents.yaml") == [
        ("seccomp-profile-restricted", 9, "Pod/first"),
        ("privileged", 10, "Pod/first"),
        ("parse-error", 14, None),
        ("seccomp-profile-restricted", 25, "Pod/second"),
        ("privileged", 26, "Pod/second"),
        ("parse-error", 33, None),
        ("seccomp-profile-restricted", 43, "Pod/third"),
        ("privileged", 44, "Pod/third"),
    ]


def test_documents_after_a_broken_one_keep_their_number_line_and_column() -> None:
    text = (LOAD / "several-broken-documents.yaml").read_text()
    documents, problems = parse_documents(text)
    # The broken documents (1 and 3) are numbered too: a fix names a document by its number.
    assert [(d.index, d.line, d.root["metadata"]["name"]) for d in documents] == [
        (0, 1, "first"),
        (2, 17, "second"),
        (4, 35, "third"),
    ]
    assert [(p.kind, p.line, p.column) for p in problems] == [
        ("parse-error", 14, 1),
        ("parse-error", 33, 9),
    ]
    second = documents[1].root["spec"]["containers"][0]
    assert second.key_pos["securityContext"] == (25, 5)


def test_an_error_in_the_last_document_reads_nothing_more() -> None:
    documents, problems = parse_documents("a: 1\n---\nb: [\n")
    assert [d.root for d in documents] == [{"a": 1}]
    assert [(p.kind, p.line) for p in problems] == [("parse-error", 3)]


def test_a_marker_inside_the_broken_document_text_is_where_reading_goes_on() -> None:
    """``--- x`` is a document start (content on its line); ``---x`` is not a marker."""
    text = "a: b: c\n---x: 1\n--- {z: 2}\n"
    documents, problems = parse_documents(text)
    assert [(d.index, d.line, d.root) for d in documents] == [(1, 3, {"z": 2})]
    assert [(p.kind, p.line) for p in problems] == [("parse-error", 1)]


def test_a_helm_template_makes_the_file_a_template_and_nothing_after_it_is_read() -> None:
    """A template may drop or repeat documents: the file is read only once rendered (as a
    whole-file template, ytt or helmfile, is)."""
    assert seen(LOAD / "a-helm-template-in-one-document.yaml") == [("helm-template", 4, None)]


def fix_outcome(path: Path) -> fixing.FixOutcome:
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, False, lambda f: f.rule == "seccomp-profile-restricted")


def test_nblint_fix_edits_each_document_around_the_broken_ones_and_leaves_those_alone() -> None:
    path = LOAD / "several-broken-documents.yaml"
    text = path.read_text()
    outcome = fix_outcome(path)
    assert outcome.failed == []
    new = outcome.texts[str(path)]
    added = "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
    # Each pod's own spec, after its containers (the documents' number each edit names).
    for name in ("first", "second", "third"):
        start = new.index(f"  name: {name}\n")
        end = new.find("\n---", start)
        assert added in new[start : None if end < 0 else end + 1], name
    assert new.replace(added, "") == text  # the broken documents' text as it was
    # The seccomp findings are gone; the parse errors stay, three lines lower each time.
    assert [(f.rule, f.line) for f in outcome.after.findings if f.rule in RULES_SEEN] == [
        ("privileged", 10),
        ("parse-error", 17),
        ("privileged", 29),
        ("parse-error", 39),
        ("privileged", 50),
    ]


def test_an_edit_of_the_broken_document_itself_is_refused() -> None:
    text = (LOAD / "several-broken-documents.yaml").read_text()
    edit = Edit("x.yaml", 1, ("metadata",), STRATEGIC, "labels: {a: b}")
    try:
        apply_edit(text, edit)
    except FixError as err:
        assert "does not parse" in str(err)
    else:
        raise AssertionError("an edit of a broken document was placed")
    # The one after it lands in its own document.
    edit = Edit("x.yaml", 2, ("metadata",), STRATEGIC, "labels: {a: b}")
    new, _ = apply_edit(text, edit)
    start = new.index("apiVersion: v1\nkind: Pod\nmetadata:\n  name: second")
    part = new[start : new.index("\n---", start)]
    assert yaml.safe_load(part)["metadata"] == {"name": "second", "labels": {"a": "b"}}


def test_a_broken_document_is_one_problem_not_a_traceback() -> None:
    problems = [p for p in parse_documents("\t\n---\n\t\n---\na: 1\n")[1]]
    assert all(isinstance(p, LoadProblem) for p in problems)
    assert [(p.kind, p.line) for p in problems] == [("parse-error", 1), ("parse-error", 3)]


def test_after_a_hundred_broken_documents_the_rest_is_not_read_and_that_is_said() -> None:
    """Reading on costs a pass over the text each time: a file of thousands of broken documents
    must not take minutes. The bound is said where reading stopped."""
    text = "a: b: c\n---\n" * (MAX_BROKEN_DOCUMENTS + 50) + "z: 1\n"
    started = time.monotonic()
    documents, problems = parse_documents(text)
    assert time.monotonic() - started < 5
    assert documents == []
    assert len(problems) == MAX_BROKEN_DOCUMENTS + 1
    assert (problems[-1].kind, problems[-1].line) == ("parse-error", 2 * MAX_BROKEN_DOCUMENTS)
    assert "read no further" in problems[-1].message
