"""Say each problem once: findings folded to one per rule, place and message, in every format,
with ``--no-fold`` for one finding per pod."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import FIXTURES, ROOT, run

from nblint.cli import main
from nblint.fix.merge import strategic_merge
from nblint.model.edit import Edit
from nblint.model.finding import Finding
from nblint.model.fingerprint import PROBLEM_FINGERPRINT_KEY
from nblint.model.fold import fold, joined_messages
from nblint.model.result import RunResult
from nblint.report import fixes, github
from nblint.report import text as text_report

REPORT = FIXTURES / "report"
THREE_PROFILES = str((REPORT / "one-key-three-profiles.yaml").relative_to(ROOT))
NONCOMPLIANT = str(
    (ROOT / "examples" / "noncompliant" / "notebook-deployment.yaml").relative_to(ROOT)
)
CHOICES = str((REPORT / "profile-option-choices.yaml").relative_to(ROOT))
FOUR_RULES = str((REPORT / "four-rules-one-key.yaml").relative_to(ROOT))


@pytest.fixture(autouse=True)
def _at_repository_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def check(*args: str, columns: int = 100) -> Result:
    return CliRunner().invoke(
        main,
        ["check", *args],
        env={"NO_COLOR": "1", "COLUMNS": str(columns)},
        catch_exceptions=False,
    )


def report(*args: str) -> dict[str, Any]:
    result = check("--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def pods(finding: dict[str, Any]) -> list[tuple[str | None, dict[str, str] | None]]:
    return [(pod["profile"], pod["options"]) for pod in finding["pods"]]


# -- one finding per problem ------------------------------------------------------------------


def test_one_key_in_three_profiles_is_one_finding_that_lists_the_three_pods() -> None:
    document = report("--select", "privileged", THREE_PROFILES)
    assert [(f["rule"], f["line"], pods(f)) for f in document["findings"]] == [
        ("privileged", 6, [("Large", None), ("Medium", None), ("Small", None)]),
        ("privileged", 7, [("Large", None), ("Medium", None), ("Small", None)]),
    ]
    assert document["version"] == 2
    assert document["summary"]["findings"] == 2
    assert document["summary"]["pod_findings"] == 6
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(document, schema)


def test_no_fold_gives_one_finding_per_pod_as_before() -> None:
    document = report("--select", "privileged", "--no-fold", THREE_PROFILES)
    assert [(f["rule"], f["line"], pods(f)) for f in document["findings"]] == [
        ("privileged", 6, [("Large", None)]),
        ("privileged", 6, [("Medium", None)]),
        ("privileged", 6, [("Small", None)]),
        ("privileged", 7, [("Large", None)]),
        ("privileged", 7, [("Medium", None)]),
        ("privileged", 7, [("Small", None)]),
    ]


def test_folded_finding_names_only_the_option_choice_it_is_in() -> None:
    document = report("--select", "notebook-gpu-toleration", CHOICES)
    assert [(f["rule"], f["line"], pods(f)) for f in document["findings"]] == [
        # At the GPU the choice asks for, the line whose profile needs the toleration.
        ("notebook-gpu-toleration", 18, [("Choose your environment", {"image": "torch"})]),
    ]


def test_a_pod_whose_fix_differs_carries_its_own_fix() -> None:
    problem = fold(
        [
            Finding("r", "g", "warning", "m", "v.yaml", 3, 1, "values", "A", fix="a: 1\nb: 2"),
            Finding("r", "g", "warning", "m", "v.yaml", 3, 1, "values", "B", fix="a: 1\nb: 2"),
            Finding("r", "g", "warning", "m", "v.yaml", 3, 1, "values", "C", fix="a: 9\nb: 2"),
        ]
    )
    from nblint.report.json_report import as_dict

    (entry,) = [as_dict(p) for p in problem]
    assert entry["fix"] == "a: 1\nb: 2"
    assert [pod.get("fix", "(the finding's)") for pod in entry["pods"]] == [
        "(the finding's)",
        "(the finding's)",
        "a: 9\nb: 2",
    ]


# -- text: grouped by place, headers exact ------------------------------------------------------


def test_no_fold_header_names_each_option_choice_regression() -> None:
    # The torch pod's GPU finding was printed under the scipy header, twice, with no torch
    # header: the header now changes with the option choice.
    result = check("--no-fold", "--select", "notebook-gpu-toleration,run-as-non-root", CHOICES)
    lines = result.stdout.splitlines()
    headers = [line for line in lines if line.startswith("  values")]
    assert headers == [
        "  values  profile: Choose your environment  image=scipy",
        "  values  profile: Choose your environment  image=torch",
    ]
    scipy = lines[lines.index(headers[0]) : lines.index(headers[1])]
    torch = lines[lines.index(headers[1]) :]
    assert not any("notebook-gpu-toleration" in line for line in scipy)
    assert sum("warning[notebook-gpu-toleration]" in line for line in torch) == 1


def test_folded_text_shows_each_rule_at_a_place_once_with_its_pods() -> None:
    result = check("--select", "notebook-gpu-toleration,run-as-non-root", CHOICES, columns=200)
    lines = result.stdout.splitlines()
    assert lines[1] == f"  --> {CHOICES}:2:1"
    headlines = [line for line in lines if line.startswith("  warning[") or "  error[" in line]
    # run-as-non-root of the notebook and of the chart's init container point at one line: one
    # problem, naming both containers, each note labelled with its container.
    assert [line.split(":")[0].strip() for line in headlines] == [
        "error[run-as-non-root]",
        "warning[notebook-gpu-toleration]",
    ]
    assert f"  --> {CHOICES}:18:19" in lines
    assert headlines[0].startswith(
        "  error[run-as-non-root]: initContainer block-cloud-metadata, container notebook is not "
        "required to run as non-root"
    )
    assert any(line.startswith("  note (block-cloud-metadata): chart default") for line in lines)
    assert any(line.startswith("  note (notebook): not set") for line in lines)
    assert '  in: values: profile "Choose your environment" (image: torch)' in lines
    assert '  in (2 pods): values: profile "Choose your environment" (image: scipy, torch)' in lines
    assert lines[-1] == (
        "Found 1 error, 1 warning (1 file, 2 pods). 2 fixable with `nblint fix --unsafe-fixes`."
    )


def fixes_at(output: str, line: int) -> list[tuple[str, str]]:
    """Each fix printed under the place at ``line`` of a folded text report: (label, body)."""
    lines = output.splitlines()
    start = next(i for i, text in enumerate(lines) if text.endswith(f":{line}:7"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("  --> ")), None)
    shown: list[tuple[str, str]] = []
    for index in range(start, end or len(lines)):
        if lines[index].startswith("  fix"):
            body = []
            for text in lines[index + 1 :]:
                if not text.startswith("    "):
                    break
                body.append(text)
            shown.append((lines[index].strip(), textwrap.dedent("\n".join(body))))
    return shown


def fixed_by_nblint_fix(tmp_path: Path, source: str, *args: str) -> set[str]:
    """The rules ``nblint fix`` (with ``args``) leaves no finding of in a copy of ``source``."""
    copy = tmp_path / Path(source).name
    copy.write_text((ROOT / source).read_text())
    before = {f["rule"] for f in report(str(copy))["findings"]}
    result = CliRunner().invoke(main, ["fix", *args, str(copy)], env={"NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.output
    return before - {f["rule"] for f in report(str(copy))["findings"]}


def test_rules_at_one_key_share_one_merged_fix_per_safety_that_fixes_them_all(
    tmp_path: Path,
) -> None:
    # Line 14: the hints of the rules nblint fix applies (safe) merged into one fix, those it
    # applies only with --unsafe-fixes (the image's user) into another: one label for both was
    # false for the safe part (field test 18b D7).
    output = check(FOUR_RULES, columns=200).stdout
    (safe, safe_fix), (unsafe, unsafe_fix) = fixes_at(output, 14)
    assert safe == (
        "fix (allow-privilege-escalation, capabilities-restricted, seccomp-profile-restricted;"
        " safe):"
    )
    assert unsafe == "fix (notebook-run-as-user, run-as-non-root; unsafe):"
    # Hints' comments kept: the image's user, which the notebook-images table knows.
    assert "runAsUser: 1000   # jovyan, the image's notebook user" in unsafe_fix
    pod = yaml.safe_load((REPORT / "four-rules-one-key.yaml").read_text())
    for merged in (safe_fix, unsafe_fix):
        pod = strategic_merge(pod, yaml.safe_load(merged))
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(yaml.safe_dump(pod))
    before = {(f["rule"], f["line"]) for f in report(FOUR_RULES)["findings"]}
    after = {f["rule"] for f in report(str(fixed))["findings"]}
    safe_rules = {
        "allow-privilege-escalation",
        "capabilities-restricted",
        "seccomp-profile-restricted",
    }
    fixed_rules = safe_rules | {"notebook-run-as-user", "run-as-non-root"}
    assert {rule for rule, line in before if line == 14} == fixed_rules
    assert not after & fixed_rules
    # Each label is what nblint fix does: without --unsafe-fixes it fixes the safe fix's rules.
    assert fixed_by_nblint_fix(tmp_path, FOUR_RULES) & fixed_rules == safe_rules


def test_a_safe_hint_is_not_shown_inside_an_unsafe_fix_at_one_key(tmp_path: Path) -> None:
    # Field test 18b D7: the command runs sudo, so most hints at the container are unsafe; the
    # seccomp profile is safe and nblint fix applies it: it was shown only inside the unsafe fix.
    source = str((REPORT / "sudo-start-safe-and-unsafe-hints-one-key.yaml").relative_to(ROOT))
    output = check(source, columns=200).stdout
    labels = [label for label, _ in fixes_at(output, 11)]
    assert labels == [
        "fix (seccomp-profile-restricted; safe):",
        "fix (allow-privilege-escalation, capabilities-restricted, notebook-resources,"
        " notebook-run-as-user, run-as-non-root; unsafe):",
        "fix (notebook-home-persistent):",
        "fix (notebook-read-only-root-filesystem):",
    ]
    assert fixes_at(output, 11)[0][1] == (
        "spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault"
    )
    assert fixed_by_nblint_fix(tmp_path, source) == {"seccomp-profile-restricted"}
    applicability = {f["rule"]: f["applicability"] for f in report(source)["findings"]}
    assert applicability["seccomp-profile-restricted"] == "safe"
    assert applicability["allow-privilege-escalation"] == "unsafe"


def test_hints_that_clash_are_not_merged() -> None:
    home = "spec:\n  volumes:\n    - name: home\n      mountPath: /home/jovyan\n"
    scratch = "spec:\n  volumes:\n    - name: scratch\n      mountPath: /home/jovyan\n"
    assert fixes.merge([home, scratch]) == [(home, [0]), (scratch, [1])]
    on = "a:\n  b: true\n"
    off = "a:\n  b: false\n"
    assert fixes.merge([on, off]) == [(on, [0]), (off, [1])]
    assert fixes.merge(["set it false", "a:\n  c: 1\n"]) == [
        ("set it false", [0]),
        ("a:\n  c: 1\n", [1]),
    ]


def test_hints_under_one_parent_merge_with_their_comments() -> None:
    first = "# pod level\nhub:\n  pod:   # whole pod\n    runAsNonRoot: true\n"
    second = "hub:\n  pod:\n    seccompProfile: {type: RuntimeDefault}\nsingleuser:\n  uid: 1000\n"
    assert fixes.merge([first, second]) == [
        (
            "# pod level\nhub:\n  pod:   # whole pod\n    runAsNonRoot: true\n"
            "    seccompProfile: {type: RuntimeDefault}\nsingleuser:\n  uid: 1000",
            [0, 1],
        )
    ]


def test_messages_wrap_to_the_terminal_width() -> None:
    narrow = check("--select", "notebook-gpu-toleration", CHOICES, columns=60).stdout.splitlines()
    prose = narrow[5 : next(i for i, line in enumerate(narrow) if line.startswith("  fix"))]
    assert prose[0].startswith("  warning[notebook-gpu-toleration]: the pod asks")
    assert len(prose) == 6
    assert all(len(line) <= 60 for line in prose)
    wide = check("--select", "notebook-gpu-toleration", CHOICES, columns=300).stdout
    assert any(len(line) > 100 for line in wide.splitlines())


# -- SARIF and github ---------------------------------------------------------------------------


def sarif(*args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(check("--format", "sarif", *args).stdout)
    return document


def test_sarif_has_one_result_per_problem_and_its_fingerprint_survives_a_new_profile(
    tmp_path: Path,
) -> None:
    values = tmp_path / "values.yaml"
    original = (REPORT / "one-key-three-profiles.yaml").read_text()
    values.write_text(original)
    before = sarif("--select", "privileged", str(values))["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before] == [6, 7]
    assert [len(r["properties"]["pods"]) for r in before] == [3, 3]
    values.write_text(original + "    - display_name: Huge\n")
    after = sarif("--select", "privileged", str(values))["runs"][0]["results"]
    assert [len(r["properties"]["pods"]) for r in after] == [4, 4]
    assert [r["partialFingerprints"][PROBLEM_FINGERPRINT_KEY] for r in after] == [
        r["partialFingerprints"][PROBLEM_FINGERPRINT_KEY] for r in before
    ]


def test_sarif_rules_link_their_documentation() -> None:
    rules = sarif("--select", "privileged", THREE_PROFILES)["runs"][0]["tool"]["driver"]["rules"]
    (privileged,) = [rule for rule in rules if rule["id"] == "privileged"]
    assert privileged["helpUri"].endswith("/docs/rules/privileged.md")


def error(file: str, line: int) -> Finding:
    return Finding("privileged", "g", "error", "container x is privileged", file, line, 1)


def test_github_annotations_reach_every_file_before_a_second_in_one() -> None:
    crowded = [error("crowded.yaml", line) for line in range(1, 13)]
    lines = github.render(RunResult(), fold([*crowded, error("other.yaml", 40)]), {}).splitlines()
    annotated = [line for line in lines if line.startswith("::error ")]
    assert len(annotated) == 10
    assert annotated[0].startswith("::error file=crowded.yaml,line=1,")
    assert annotated[1].startswith("::error file=other.yaml,line=40,")


def test_github_annotations_reach_every_place_in_a_file_before_a_second_at_one() -> None:
    at_one_line = [Finding(f"rule-{n}", "g", "error", "m", "a.yaml", 5, 1) for n in range(12)] + [
        Finding("late", "g", "error", "m", "a.yaml", 90, 1)
    ]
    lines = github.render(RunResult(), fold(at_one_line), {}).splitlines()
    annotated = [line for line in lines if line.startswith("::error ")]
    assert annotated[1].startswith("::error file=a.yaml,line=90,")


def _fixed_into(rule: str, hint: str, file: str) -> Finding:
    """A finding at values.yaml:3 whose fix ``hint`` is written into ``file``."""
    edit = Edit(file, 0, (), "helm", hint)
    return Finding(
        rule, "g", "warning", "m", "values.yaml", 3, 1, fix=hint, applicability="safe", edit=edit
    )


def test_a_fix_for_another_file_says_which_and_is_merged_only_with_hints_for_it() -> None:
    """Hints at one place whose edits go into different files (a chart default fixed in the
    last -f layer beside a value fixed where it is written) are two fixes, each labelled with
    the file it is for when that is not the place's: merged, one would be pasted into the wrong
    file."""
    here = _fixed_into("seccomp-profile-restricted", "a:\n  b: 1\n", "values.yaml")
    there = _fixed_into("notebook-idle-culling", "a:\n  c: 2\n", "helmrelease.yaml")
    output = "\n".join(
        "".join(text for text, _ in line) for line in text_report.lines(RunResult(), [here, there])
    )
    assert "  fix (seccomp-profile-restricted; safe):\n    a:\n      b: 1\n" in output
    assert (
        "  fix (notebook-idle-culling; safe) in helmrelease.yaml:\n    a:\n      c: 2\n" in output
    )
    per_pod = "\n".join(
        "".join(text for text, _ in line)
        for line in text_report.lines(RunResult(), [there], fold=False)
    )
    assert "  fix (safe) in helmrelease.yaml:\n" in per_pod
    annotations = github.render(RunResult(), fold([here, there]), {})
    assert "%0Ahelp in helmrelease.yaml: a:%0A  c: 2" in annotations
    assert "%0Ahelp: a:%0A  b: 1" in annotations


# -- short forms ---------------------------------------------------------------------------------


def test_concise_is_one_line_per_problem_with_its_profiles() -> None:
    result = check("--format", "concise", "--select", "privileged", THREE_PROFILES)
    assert result.stdout.splitlines() == [
        f"{THREE_PROFILES}:6:9: error[privileged] container notebook is privileged "
        "[Large | Medium | Small]",
        f"{THREE_PROFILES}:7:1: error[privileged] initContainer block-cloud-metadata is "
        "privileged [Large | Medium | Small]",
        "Found 2 errors (1 file, 3 pods). 2 fixable with `nblint fix --unsafe-fixes`.",
    ]


def test_quiet_leaves_out_the_summary() -> None:
    result = check("--format", "concise", "-q", "--select", "privileged", THREE_PROFILES)
    assert len(result.stdout.splitlines()) == 2
    assert check("-q", "--select", "privileged", str(ROOT / "examples" / "notebook-pod.yaml"))
    clean = check("-q", str(ROOT / "examples" / "notebook-pod.yaml"))
    assert (clean.exit_code, clean.stdout) == (0, "")


def test_statistics_count_problems_per_rule() -> None:
    result = check("--statistics", "--select", "privileged,run-as-non-root", THREE_PROFILES)
    assert [line.split()[:3] for line in result.stdout.splitlines()] == [
        ["2", "privileged", "error"],
        ["2", "run-as-non-root", "error"],
    ]
    assert result.exit_code == 1
    rows = json.loads(
        check("--statistics", "--format", "json", "--select", "privileged", THREE_PROFILES).stdout
    )
    # Two problems (the notebook, the init container) in the same three pods.
    assert rows == [{"rule": "privileged", "severity": "error", "count": 2, "pods": 3}]
    assert result.stdout.splitlines()[0].endswith("(in 3 pods)")


def test_statistics_count_distinct_pods_not_the_fields_of_a_problem() -> None:
    """The init container's capabilities problem names two fields (drop, add) of one pod."""
    path = str((REPORT / "init-container-drop-and-add-one-pod.yaml").relative_to(ROOT))
    [problem] = [
        f
        for f in report(path)["findings"]
        if f["rule"] == "capabilities-restricted" and f["line"] == 3
    ]
    assert len(problem["pods"]) == 2  # one entry per field
    rows = json.loads(check("--statistics", "--format", "json", path).stdout)
    assert {"rule": "capabilities-restricted", "severity": "error", "count": 2, "pods": 1} in rows
    text = check("--statistics", path).stdout.splitlines()
    [line] = [line for line in text if "capabilities-restricted" in line]
    assert line.endswith("(in 1 pod)")


def test_statistics_count_one_pod_whose_findings_lie_in_two_layers_once() -> None:
    """The notebook's seccomp finding is in base.yaml, the init container's in top.yaml: two
    problems of one pod of one release (it counted two pods: field test 8a)."""
    layers = REPORT / "one-pod-two-layers"
    args = ["--select", "seccomp-profile-restricted"]
    for name in ("base.yaml", "top.yaml"):
        args += ["-f", str((layers / name).relative_to(ROOT))]
    findings = report(*args)["findings"]
    assert sorted(Path(f["file"]).name for f in findings) == ["base.yaml", "top.yaml"]
    rows = json.loads(check("--statistics", "--format", "json", *args).stdout)
    assert rows == [
        {"rule": "seccomp-profile-restricted", "severity": "error", "count": 2, "pods": 1}
    ]
    assert check("--statistics", *args).stdout.splitlines()[0].endswith("(in 1 pod)")


def test_help_lists_the_exit_codes() -> None:
    text = check("--help").stdout
    assert "Exit codes:" in text
    assert "  2  a usage or configuration problem" in text


# -- one rule at one place is one problem, whatever it names ----------------------------------


def test_one_container_missing_four_resources_is_one_problem_naming_each() -> None:
    report = json.loads(
        check("--format", "json", "--select", "notebook-resources", NONCOMPLIANT).stdout
    )
    (problem,) = report["findings"]
    assert (problem["rule"], problem["line"], problem["column"]) == ("notebook-resources", 19, 11)
    assert problem["message"] == (
        "notebook container notebook sets no resources.requests.cpu, resources.requests.memory, "
        "resources.limits.cpu, resources.limits.memory"
    )
    # One finding of one pod, not one per missing field (each with the same whole fix).
    assert len(problem["pods"]) == 1 and "message" not in problem["pods"][0]


def test_pods_missing_different_resources_at_one_place_keep_what_each_said() -> None:
    fixture = FIXTURES / "resources" / "profiles-missing-different-fields.yaml"
    report = json.loads(
        check("--format", "json", "--select", "notebook-resources", str(fixture)).stdout
    )
    (problem,) = report["findings"]
    assert (problem["line"], problem["column"]) == (3, 1)
    # Each pod entry keeps what its own finding said.
    assert [(pod["profile"], pod["message"]) for pod in problem["pods"]] == [
        (
            "Big",
            "notebook container notebook sets no resources.limits.cpu, resources.limits.memory",
        ),
        (
            "Small",
            "notebook container notebook sets no resources.requests.cpu, "
            "resources.limits.cpu, resources.limits.memory",
        ),
    ]


@pytest.mark.parametrize(
    ("messages", "joined"),
    [
        (["a is wrong", "a is wrong"], "a is wrong"),
        (
            ["container a is root", "initContainer b is root"],
            "container a, initContainer b is root",
        ),
        (
            ["c adds NET_ADMIN; only NET_BIND_SERVICE is allowed", "c does not drop ALL"],
            "c adds NET_ADMIN; only NET_BIND_SERVICE is allowed; does not drop ALL",
        ),
        (["one thing", "another"], "one thing; another"),
        ([f"x sets no r{i}" for i in range(8)], "x sets no r0, r1, r2, r3, r4, 3 more"),
        # The colon that ends each name ends the list once, not after every name.
        (
            [
                "container kubectl: cpu max limit to request ratio per Container is 2",
                "init container init-kubectl: cpu max limit to request ratio per Container is 2",
            ],
            "container kubectl, init container init-kubectl: cpu max limit to request ratio "
            "per Container is 2",
        ),
        (["container a: too big", "container b: too big"], "container a, b: too big"),
        (
            [f"container c{i}: too big" for i in range(8)],
            "container c0, c1, c2, c3, c4, 3 more: too big",
        ),
    ],
)
def test_messages_of_one_place_are_joined_on_what_they_share(
    messages: list[str], joined: str
) -> None:
    assert joined_messages(messages) == joined


def test_fields_one_violation_misses_under_one_written_key_are_one_problem_there() -> None:
    fixture = FIXTURES / "manifests" / "statefulset-resources-gpu-limit-only.yaml"
    result = run(fixture, select={"notebook-resources"})
    # The requests are missing from `resources:` (line 19) itself, the limits from `limits:`
    # below it: each missing field is said at `resources:`, which one edit fills.
    assert sorted({(f.rule, f.line, f.column, f.profile) for f in result.findings}) == [
        ("notebook-resources", 19, 11, None)
    ]
    # One finding for the container, at the first field it lacks.
    assert [f.field for f in result.findings] == ["spec.containers[0].resources.requests.cpu"]
    report = json.loads(
        check("--format", "json", "--select", "notebook-resources", str(fixture)).stdout
    )
    (problem,) = report["findings"]
    assert (problem["rule"], problem["line"], problem["column"]) == ("notebook-resources", 19, 11)
    assert problem["message"] == (
        "notebook container ray-head sets no resources.requests.cpu, resources.requests.memory, "
        "resources.limits.cpu, resources.limits.memory"
    )


def _hint_bodies_and_comments() -> dict[tuple[str, str], dict[str, str]]:
    """Every shipped hint that is an edit: (fix key, its YAML) → {rule: its leading comment}."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for path in sorted((ROOT / "rules").glob("*/*.yaml")):
        rule = yaml.safe_load(path.read_text())
        for key, hint in (rule.get("fix") or {}).items():
            lines = hint.strip("\n").splitlines() if isinstance(hint, str) else []
            start = next((i for i, line in enumerate(lines) if not line.startswith("#")), None)
            if start:  # a comment, then an edit
                body, comment = "\n".join(lines[start:]), "\n".join(lines[:start])
                found.setdefault((key, body), {})[rule["id"]] = comment
    return found


def test_security_rules_that_make_one_edit_say_why_in_the_same_words() -> None:
    # Findings of several rules at one key fold into one hint; hints that are the same edit but
    # explain it differently would show every explanation, one after the other. (A LimitRange
    # rule's hint for the same edit adds its own way out, and is not folded with these often.)
    security = {
        path.stem
        for group in ("psa-baseline", "psa-restricted", "notebook")
        for path in (ROOT / "rules" / group).glob("*.yaml")
    }
    for (key, body), comments in _hint_bodies_and_comments().items():
        ours = {rule: comment for rule, comment in comments.items() if rule in security}
        assert len(set(ours.values())) <= 1, (key, body.splitlines()[0], sorted(ours))


def test_folded_hint_for_the_charts_init_container_says_why_once() -> None:
    result = check(str(REPORT / "binderhub-default-init-container.yaml"))
    lines = result.output.splitlines()
    header = next(i for i, line in enumerate(lines) if "fix (allow-privilege-escalation" in line)
    assert "run-as-non-root" in lines[header]
    hint = lines[header + 1 : header + 5]
    assert [line.strip()[:40] for line in hint if line.strip().startswith("#")] == [
        "# block-cloud-metadata is the chart's de",
        "# (runAsNonRoot: true would stop it star",
        "# the chart's NetworkPolicy instead (nee",
    ]
    assert hint[3].strip() == "jupyterhub:"  # the values sit under the umbrella key


def _advice(rule: str, fix: str) -> Finding:
    where = ("values.yaml", 7, 3, "values")
    return Finding(rule, "psa", "error", "m", *where, fix=fix, applicability="display-only")


def test_a_rule_s_example_hint_is_not_merged_into_another_rule_s_fix() -> None:
    # Field test 15a W5: values in a ConfigMap string make every hint advice; the seccomp fix
    # took notebook-authentication's example `authenticator_class: github` into its snippet.
    from nblint.check.rules import load_rules
    from nblint.model.fold import Folded

    seccomp = "hub:\n  config:\n    KubeSpawner:\n      pod_security_context:\n        x: 1\n"
    auth = "hub:\n  config:\n    JupyterHub:\n      authenticator_class: github\n"
    capabilities = seccomp.replace("pod_security_context", "container_security_context")
    here = [
        Folded([_advice("capabilities-restricted", capabilities)]),
        Folded([_advice("notebook-authentication", auth)]),
        Folded([_advice("seccomp-profile-restricted", seccomp)]),
    ]
    advice = text_report.advice_rules(load_rules())
    assert "notebook-authentication" in advice
    assert "seccomp-profile-restricted" not in advice
    shown = [
        "".join(text for text, _ in line)
        for line in text_report._place_fixes(here, advice)
        if line and "".join(text for text, _ in line).startswith("fix")
    ]
    assert shown == [
        "fix (capabilities-restricted, seccomp-profile-restricted):",
        "fix (notebook-authentication):",
    ]


def test_one_hint_nblint_fix_applies_to_one_pod_and_not_another_is_labelled_for_each() -> None:
    # One snippet for two profiles at one key: safe for the one whose start runs no sudo, unsafe
    # for the other. One label for both was false for one of them (field test 18b D7's class).
    hint = "singleuser:\n  allowPrivilegeEscalation: false\n"

    def pod(profile: str, applicability: str) -> Finding:
        edit = Edit("values.yaml", 0, (), "helm", hint)
        return Finding(
            "allow-privilege-escalation", "psa", "error", "m", "values.yaml", 7, 3, "values",
            profile, fix=hint, applicability=applicability, edit=edit,
        )  # fmt: skip

    from nblint.model.fold import Folded

    here = [Folded([pod("plain", "safe"), pod("sudo", "unsafe")])]
    shown = [
        "".join(text for text, _ in line)
        for line in text_report._place_fixes(here)
        if line and "".join(text for text, _ in line).startswith("fix")
    ]
    assert shown == [
        'fix (allow-privilege-escalation) for profile "plain", 1 pod (safe):',
        'fix (allow-privilege-escalation) for profile "sudo", 1 pod (unsafe):',
    ]
