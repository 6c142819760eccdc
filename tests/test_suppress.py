"""Suppression comments: ``# nblint: disable=RULE -- reason`` and ``disable-file=``.

One fixture per case in ``tests/fixtures/suppress/``. Every fixture is a pod whose only PSA problem
is ``hostNetwork: true`` on line 9 (column 3), unless its name says otherwise; the notebook
checklist rules are left out (``check``), they are not what these fixtures are about.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, brief, run

from nblint.cli import main
from nblint.model.finding import Suppression
from nblint.model.result import RunResult as Result
from nblint.run.suppress import Malformed, parse

SUPPRESS = FIXTURES / "suppress"


def check(name: str, ignore: frozenset[str] = frozenset()) -> Result:
    return run(SUPPRESS / name, ignore={"notebook", *ignore})


def test_reasoned_suppression_on_the_finding_line_silences_it() -> None:
    result = check("reasoned.yaml")
    assert brief(result.findings) == []
    ((finding, suppression),) = result.suppressed
    assert (finding.rule, finding.line, suppression.line) == ("host-namespaces", 9, 9)
    assert suppression.reason == "node exporter reads host network stats"


def test_suppression_on_the_line_above_silences_the_finding() -> None:
    result = check("line-above.yaml")
    assert brief(result.findings) == []
    assert [(f.rule, f.line) for f, _ in result.suppressed] == [("host-namespaces", 10)]


def test_suppression_two_lines_above_does_not_reach_the_finding_and_is_unused() -> None:
    result = check("two-lines-above.yaml")
    assert brief(result.findings) == [("unused-suppression", 9, 3), ("host-namespaces", 11, 3)]


def test_suppression_in_z2jh_values_silences_the_finding_it_names() -> None:
    result = check("z2jh-values.yaml")
    # Another rule's finding at another line is not silenced: the API server refuses the
    # allowPrivilegeEscalation: false beside privileged: true.
    assert brief(result.findings) == [("privileged-without-escalation", 15, 9)]
    assert [(f.rule, f.line, f.column) for f, _ in result.suppressed] == [("privileged", 14, 9)]


def test_disable_file_silences_every_finding_of_the_rule_in_the_file() -> None:
    result = check("disable-file.yaml")
    assert brief(result.findings) == []
    assert [(f.rule, f.line) for f, _ in result.suppressed] == [
        ("capabilities-restricted", 15),
        ("capabilities-restricted", 16),
        ("capabilities-restricted", 16),
    ]


def test_a_group_name_suppresses_the_rules_of_the_group() -> None:
    result = check("group.yaml")
    assert brief(result.findings) == []
    assert [f.rule for f, _ in result.suppressed] == ["host-namespaces"]


# ---------------------------------------------------------------------------------------------
# Mistakes are reported


def test_suppression_without_reason_still_applies_and_is_reported() -> None:
    result = check("without-reason.yaml")
    assert brief(result.findings) == [("suppression-without-reason", 9, 22)]
    assert result.findings[0].severity == "warning"
    assert [f.rule for f, _ in result.suppressed] == ["host-namespaces"]


def test_suppression_that_matches_nothing_is_unused() -> None:
    result = check("unused.yaml")
    assert brief(result.findings) == [("unused-suppression", 9, 23)]
    assert result.findings[0].message == (
        "suppression of host-namespaces is unused: no host-namespaces finding on this line or "
        "the next"
    )


def test_each_unused_name_of_a_suppression_is_reported() -> None:
    result = check("one-of-two-unused.yaml")
    assert brief(result.findings) == [("unused-suppression", 9, 22)]
    assert "suppression of privileged is unused" in result.findings[0].message


def test_unknown_rule_in_a_suppression_is_reported_and_suppresses_nothing() -> None:
    result = check("unknown-rule.yaml")
    assert brief(result.findings) == [("host-namespaces", 9, 3), ("unused-suppression", 9, 22)]
    assert "unknown rule 'host-namespace'" in result.findings[1].message


def test_malformed_directive_is_reported_and_suppresses_nothing() -> None:
    result = check("malformed.yaml")
    assert brief(result.findings) == [("host-namespaces", 9, 3), ("unused-suppression", 9, 22)]
    assert "cannot read this nblint directive" in result.findings[1].message


def test_suppression_of_a_rule_that_is_not_running_is_not_called_unused() -> None:
    result = check("unused.yaml", frozenset({"host-namespaces"}))
    assert brief(result.findings) == []


def test_ignoring_the_suppression_rules_silences_their_reports() -> None:
    result = check("unused.yaml", frozenset({"unused-suppression"}))
    assert brief(result.findings) == []


# ---------------------------------------------------------------------------------------------
# Parsing and the command line


def test_parse_reads_rules_reason_and_position() -> None:
    text = "a: 1\nb: 2  #nblint: disable = x-y, z --  why not  \n# nblint: disable-file=q\n"
    assert list(parse("f.yaml", text)) == [
        Suppression("f.yaml", 2, 7, "disable", ("x-y", "z"), "why not"),
        Suppression("f.yaml", 3, 1, "disable-file", ("q",), ""),
    ]


def test_parse_ignores_text_that_only_mentions_nblint() -> None:
    text = 'image: "nblint:latest"\nurl: http://x#nblint: disable=a\n'
    assert list(parse("f.yaml", text)) == []


def test_parse_reports_a_directive_without_rules_as_malformed() -> None:
    assert list(parse("f.yaml", "a: 1  # nblint: disable= -- reason\n")) == [
        Malformed("f.yaml", 1, 7, "# nblint: disable= -- reason")
    ]


def test_show_suppressed_lists_suppressed_findings_with_their_reason() -> None:
    path = str(SUPPRESS / "reasoned.yaml")
    args = ["check", "--ignore", "notebook", path]
    quiet = CliRunner().invoke(main, args, catch_exceptions=False)
    assert quiet.exit_code == 0 and "Suppressed" not in quiet.stdout
    shown = CliRunner().invoke(main, [*args, "--show-suppressed"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[-2:] == [
        "Suppressed (1):",
        f"  {path}:9:3: host-namespaces: pod sets spec.hostNetwork: true"
        " -- node exporter reads host network stats",
    ]


def test_show_suppressed_lists_them_in_json_with_their_reason(tmp_path: Path) -> None:
    import json

    import jsonschema
    from conftest import ROOT

    pod = tmp_path / "pod.yaml"
    pod.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        "  # nblint: disable=host-namespaces -- node exporter, reviewed\n"
        "  hostPID: true\n  containers: [{name: c, image: i}]\n"
    )
    args = ["check", str(pod), "--format", "json", "--select", "host-namespaces"]
    result = CliRunner().invoke(main, [*args, "--show-suppressed"])
    report = json.loads(result.output)
    assert report["findings"] == []
    assert [(s["rule"], s["line"], s["reason"]) for s in report["suppressed"]] == [
        ("host-namespaces", 6, "node exporter, reviewed")
    ]
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator(schema).validate(report)
    assert "suppressed" not in json.loads(CliRunner().invoke(main, args).output)
