"""Hostile and broken input: each case gets a clear finding or error naming the file (and line),
a non-zero exit, no traceback, bounded time and memory — and the other files are still checked.

Every case runs through the command line beside ``companion-privileged-pod.yaml``, whose
``privileged`` finding must survive whatever the hostile file does. Big inputs (10 MB, 64 MiB,
alias bombs, deep nesting) are generated into ``tmp_path`` rather than committed.
"""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, run

from nblint.cli import main
from nblint.load import files

H = FIXTURES / "hostile"
COMPANION = H / "companion-privileged-pod.yaml"
#: The companion's own finding, which no hostile file may hide.
COMPANION_FINDING = ("privileged", 10, "container notebook is privileged")
#: Generous bound for "never hangs" on this project's 2-core machine.
SECONDS = 30


def lint(
    *paths: str | Path, select: str | None = None, seconds: float = SECONDS
) -> tuple[int, list[tuple[str, int, str]]]:
    """``nblint check --format json PATHS companion``: exit code and the non-companion findings.

    Asserts that the companion file was still checked.
    """
    args = ["check", "--format", "json", *(str(p) for p in paths), str(COMPANION)]
    if select:
        args += ["--select", f"{select},privileged"]
    started = time.monotonic()
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert time.monotonic() - started < seconds
    assert "Traceback" not in result.output
    report = json.loads(result.stdout)
    companion = [
        (f["rule"], f["line"], f["message"])
        for f in report["findings"]
        if f["file"] == str(COMPANION)
    ]
    assert COMPANION_FINDING in companion, "the other file was not checked"
    others = [
        (f["rule"], f["line"], f["message"])
        for f in report["findings"]
        if f["file"] != str(COMPANION)
    ]
    return result.exit_code, others


def only(findings: list[tuple[str, int, str]], rule: str) -> list[tuple[str, int, str]]:
    return [f for f in findings if f[0] == rule]


# ---------------------------------------------------------------------------------------------
# Invalid YAML


def test_invalid_yaml_bad_indentation() -> None:
    code, findings = lint(H / "invalid-yaml-bad-indentation.yaml")
    assert (code, findings) == (1, [("parse-error", 5, "invalid YAML: did not find expected key")])


def test_tab_indentation() -> None:
    code, findings = lint(H / "tab-indentation.yaml")
    assert (code, findings) == (
        1,
        [("parse-error", 4, "invalid YAML: a tab character cannot indent YAML; use spaces")],
    )


def test_unterminated_string_is_placed_where_it_opens() -> None:
    code, findings = lint(H / "unterminated-string.yaml")
    assert code == 1
    assert [(r, line) for r, line, _ in findings] == [("parse-error", 4)]
    assert "a quoted string is never closed" in findings[0][2]


def test_unclosed_flow_list_is_placed_where_it_opens() -> None:
    code, findings = lint(H / "unclosed-flow-list.yaml")
    assert code == 1
    assert [(r, line) for r, line, _ in findings] == [("parse-error", 4)]
    assert "this [ … ] list is never closed" in findings[0][2]


def test_stray_text_is_placed_where_it_starts() -> None:
    """PyYAML notices text where a key must be only at the next token (its problem mark, here the
    last line); the text starts at the context mark, and the message says where it noticed."""
    code, findings = lint(H / "stray-shell-text-after-the-manifest.yaml")
    assert (code, findings) == (
        1,
        [
            (
                "parse-error",
                9,
                "invalid YAML: text that is not a `key: value` starts here (could not find "
                "expected ':' by line 12)",
            )
        ],
    )


def test_a_key_without_its_colon_is_placed_at_the_key() -> None:
    path = H / "key-without-its-colon.yaml"
    code, findings = lint(path)
    assert (code, findings) == (
        1,
        [
            (
                "parse-error",
                9,
                "invalid YAML: text that is not a `key: value` starts here (could not find "
                "expected ':')",
            )
        ],
    )
    [finding] = [f for f in json_findings(path) if f["rule"] == "parse-error"]
    assert finding["column"] == 7


def json_findings(*paths: Path, args: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    result = CliRunner().invoke(
        main, ["check", "--format", "json", *args, *map(str, paths)], catch_exceptions=False
    )
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def test_binary_file() -> None:
    code, findings = lint(H / "binary-nul-bytes.yaml")
    assert (code, findings) == (1, [("parse-error", 3, "binary file (contains NUL bytes)")])


def test_a_binary_file_is_told_to_be_excluded_not_to_fix_its_yaml() -> None:
    [finding] = json_findings(H / "binary-nul-bytes.yaml")
    assert "YAML syntax" not in finding["fix"]
    assert finding["fix"].startswith("Not a text file")
    assert "`extend-exclude` in `.nblint.yaml`" in finding["fix"]
    assert "--extend-exclude PATH" in finding["fix"]


def test_a_file_that_is_not_utf8_is_told_to_be_saved_as_utf8() -> None:
    [finding] = json_findings(H / "non-utf8-latin1.yaml")
    assert "YAML syntax" not in finding["fix"]
    assert finding["fix"].startswith("Save the file as UTF-8")


def test_a_parse_error_keeps_its_yaml_syntax_hint() -> None:
    [finding] = json_findings(H / "key-without-its-colon.yaml")
    assert finding["fix"].startswith("Fix the YAML syntax at the reported line")


def test_non_utf8_file() -> None:
    code, findings = lint(H / "non-utf8-latin1.yaml")
    assert (code, findings) == (1, [("parse-error", 4, "not UTF-8 text")])


def test_empty_file() -> None:
    code, findings = lint(H / "empty.yaml")
    assert (code, findings) == (1, [("empty-file", 1, "empty file: nothing to check")])


def test_file_with_only_comments() -> None:
    code, findings = lint(H / "comments-only.yaml")
    assert (code, findings) == (
        1,
        [("empty-file", 1, "no YAML content (only comments): nothing to check")],
    )


def test_a_charts_own_empty_values_file_is_no_problem() -> None:
    # Helm reads a chart's empty values.yaml (a chart with no defaults): field test 17a D2.
    _, findings = lint(FIXTURES / "empty-chart-values" / "chart")
    assert findings == []  # (the exit code is the companion file's)


def test_scalar_document() -> None:
    code, findings = lint(H / "scalar-document.yaml")
    assert code == 1
    assert findings == [
        (
            "document-not-a-mapping",
            1,
            "document 1 is a single value ('just a sentence, not a manifest'), not a mapping: "
            "a manifest or values file is a mapping, so nothing in it was checked",
        )
    ]


def test_list_document() -> None:
    code, findings = lint(H / "list-document.yaml")
    assert code == 1
    assert [(r, line) for r, line, _ in findings] == [("document-not-a-mapping", 1)]
    assert findings[0][2].startswith("document 1 is a list, not a mapping")


# ---------------------------------------------------------------------------------------------
# Size, alias bombs and nesting: bounded, never expanded or recursed into forever


def _pods(count: int) -> str:
    return "".join(
        f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n"
        f"  hostPID: true\n  containers: [{{name: c, image: i}}]\n"
        for i in range(count)
    )


def test_ten_megabyte_file_is_checked_whole(tmp_path: Path) -> None:
    text = _pods(1)
    big = tmp_path / "ten-megabytes.yaml"
    count = 10 * 2**20 // len(text) + 1
    big.write_text(_pods(count))
    assert big.stat().st_size >= 10 * 2**20
    # ~75,000 pods: linear, but not instant; the bound only proves it ends.
    code, findings = lint(big, select="host-namespaces", seconds=4 * SECONDS)
    assert code == 1
    assert len(findings) == count  # every document's hostPID, none lost
    assert findings[-1] == ("host-namespaces", 7 * count - 1, "pod sets spec.hostPID: true")


def test_a_one_line_json_document_gets_windowed_code_frames(tmp_path: Path) -> None:
    # `kubectl get pods -o json | jq -c`: megabytes on one line. A code frame shows a window of
    # it; printing the whole line under each finding once ran out of memory.
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "spec": {"hostNetwork": True, "containers": [{"name": "c", "image": "i"}]},
    }
    items = [{**pod, "metadata": {"name": f"p{i}"}} for i in range(2000)]
    one_line = tmp_path / "pods.json"
    one_line.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}) + "\n")
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["check", "--select", "host-namespaces", str(one_line)], catch_exceptions=False
    )
    assert time.monotonic() - started < SECONDS
    assert result.exit_code == 1
    frames = [line for line in result.output.splitlines() if line.startswith("  1 | ")]
    assert len(frames) == 2000  # one per pod's hostNetwork
    assert max(len(line) for line in result.output.splitlines()) < 200
    # each window shows the place of its finding
    assert all('"hostNetwork": true' in frame for frame in frames)


def test_a_megabyte_long_value_is_cut_short_in_messages(tmp_path: Path) -> None:
    long_value = tmp_path / "long-value.yaml"
    long_value.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        f"    - name: c\n      image: i\n      securityContext: {{runAsUser: '{'9' * 2**20}'}}\n"
    )
    code, findings = lint(long_value, select="wrong-field-type")
    assert code == 1
    assert findings == [
        (
            "wrong-field-type",
            8,
            f"container c: runAsUser must be an integer, not '{'9' * 199}…'",
        )
    ]


def test_a_megabyte_long_key_is_cut_in_the_middle_of_its_message(tmp_path: Path) -> None:
    long_key = tmp_path / "values.yaml"
    long_key.write_text(f"singleuser:\n  ? {'x' * 2**20}\n  : 2\n  uid: 1000\n")
    result = CliRunner().invoke(
        main,
        ["check", "--format", "json", "--select", "z2jh-unknown-key", str(long_key)],
        catch_exceptions=False,
    )
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule"], finding["line"]) == ("z2jh-unknown-key", 2)
    assert len(finding["message"]) < 1600
    assert finding["message"].startswith("`singleuser.xxx")
    assert " … " in finding["message"]
    assert finding["message"].endswith("so helm would refuse the release")


def test_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    code, findings = lint(huge)
    assert (code, findings) == (1, [("input-too-large", 1, "file larger than 64 MiB")])


def test_alias_bomb_is_refused_not_expanded(tmp_path: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    bomb = tmp_path / "billion-laughs.yaml"
    bomb.write_text("\n".join(lines) + "\n")
    code, findings = lint(bomb)
    assert (code, findings) == (
        1,
        [("input-too-large", 1, "more than 2,000,000 nodes after alias expansion")],
    )


def test_deep_block_nesting_is_refused_at_its_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep-block.yaml"
    deep.write_text("".join(" " * i + "a:\n" for i in range(300)) + " " * 300 + "b: 1\n")
    code, findings = lint(deep)
    assert (code, findings) == (1, [("input-too-large", 201, "nesting deeper than 200 levels")])


def test_deep_flow_nesting_beyond_the_parser_bound(tmp_path: Path) -> None:
    deep = tmp_path / "deep-flow.yaml"
    deep.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n")
    code, findings = lint(deep)
    assert (code, findings) == (1, [("input-too-large", 1, "YAML nested too deeply to read")])


# ---------------------------------------------------------------------------------------------
# Unsafe tags: refused, never constructed


def test_python_object_tag_is_refused_and_never_executed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, findings = lint(H / "unsafe-tag-python-object.yaml")
    assert (code, findings) == (
        1,
        [
            (
                "unsafe-yaml-tag",
                4,
                "YAML tag !!python/object/apply:os.system is refused (only plain data is read)",
            )
        ],
    )
    assert not (tmp_path / "nblint-executed-input").exists()


def test_a_number_written_in_thousands_of_characters_is_refused_not_built(tmp_path: Path) -> None:
    # To Helm and kubectl (go-yaml v2) a leading 0 is octal, so `000…1` is the number 1.
    long_number = tmp_path / "long-number.yaml"
    long_number.write_text("spec:\n  ratio: " + "0" * 449_998 + "1\n")
    code, findings = lint(long_number, seconds=5)
    assert (code, findings) == (
        1,
        [
            (
                "input-too-large",
                2,
                "a number written in 449,999 characters (more than 1,000) is refused",
            )
        ],
    )


def test_explicit_tag_with_a_value_it_cannot_take_is_invalid_yaml_at_its_value() -> None:
    code, findings = lint(H / "explicit-tag-value-it-cannot-take.yaml")
    assert (code, findings) == (
        1,
        [
            ("parse-error", 11, "invalid YAML: 'abc' is not a valid !!int"),
            ("parse-error", 13, "invalid YAML: 'maybe' is not a valid !!bool"),
            ("parse-error", 15, "invalid YAML: 'x' is not a valid !!float"),
            ("parse-error", 17, "invalid YAML: !!map cannot tag a scalar"),
        ],
    )


def test_merge_key_naming_a_scalar_is_refused_at_the_merge_key() -> None:
    code, findings = lint(H / "merge-key-to-a-scalar.yaml")
    assert (code, findings) == (
        1,
        [("parse-error", 9, "a merge key (<<) must refer to a mapping or a list of mappings")],
    )


@pytest.mark.parametrize("output", ["text", "github"])
def test_control_characters_in_names_are_printed_escaped(output: str) -> None:
    fixture = H / "control-characters-in-names.yaml"
    args = ["check", "--select", "privileged", "--format", output, str(fixture)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\u202e" not in result.output
    assert "container nb\\x1b]0;pwned\\x07\\u202e is privileged" in result.output
    if output == "text":
        assert "Pod/notebook\\x1b[2J\\x1b[31m" in result.output


# ---------------------------------------------------------------------------------------------
# Wrong types where a field is typed; missing and duplicate containers


def test_run_as_user_given_as_text() -> None:
    code, findings = lint(H / "wrong-type-run-as-user-string.yaml", select="wrong-field-type")
    assert (code, findings) == (
        1,
        [("wrong-field-type", 10, "container notebook: runAsUser must be an integer, not '1000'")],
    )


def test_env_given_as_a_mapping() -> None:
    code, findings = lint(H / "wrong-type-env-mapping.yaml", select="wrong-field-type")
    assert (code, findings) == (
        1,
        [
            (
                "wrong-field-type",
                9,
                "container notebook: env must be a list of mappings; "
                """found '{"JUPYTER_ENABLE_LAB": "yes"}'""",
            )
        ],
    )


def test_tolerations_given_as_a_word() -> None:
    code, findings = lint(H / "wrong-type-tolerations-text.yaml", select="wrong-field-type")
    assert (code, findings) == (
        1,
        [
            (
                "wrong-field-type",
                6,
                "spec.tolerations must be a list of mappings; found 'nvidia.com/gpu'",
            )
        ],
    )


def test_capabilities_given_as_a_word() -> None:
    code, findings = lint(H / "wrong-type-capabilities-scalar.yaml", select="wrong-field-type")
    assert (code, findings) == (
        1,
        [("wrong-field-type", 13, "container notebook: capabilities must be a mapping, not 'ALL'")],
    )


def test_containers_given_as_a_mapping() -> None:
    code, findings = lint(
        H / "wrong-type-containers-mapping.yaml", select="wrong-field-type,missing-containers"
    )
    assert (code, findings) == (
        1,
        [
            (
                "wrong-field-type",
                5,
                "spec.containers must be a list of mappings; found '{}': the API server refuses "
                "the Pod; nothing else of it is checked",
            )
        ],
    )


def test_containers_given_as_a_mapping_get_no_pod_level_finding_or_fix() -> None:
    # Field test 7b, defect 10 (40660367/docker-build's notebook.yaml): the token warning and
    # its safe fix were given to a Pod the API server cannot decode.
    result = run(H / "wrong-type-containers-mapping-with-a-container.yaml")
    assert [(f.rule, f.line, f.column, f.edit) for f in result.findings] == [
        ("wrong-field-type", 6, 3, None)
    ]


def test_a_workload_whose_containers_are_words_is_said_once() -> None:
    result = run(H / "wrong-type-containers-words-deployment.yaml")
    assert [(f.rule, f.line, f.message) for f in result.findings] == [
        (
            "wrong-field-type",
            9,
            "spec.template.spec.containers must be a list of mappings; found '[\"notebook\"]': "
            "the API server refuses the Deployment, which never makes a pod; nothing else of it "
            "is checked",
        )
    ]


WRONG_TYPE_POD = """apiVersion: v1
kind: Pod
metadata: {{name: p}}
spec:
  {pod_field}
  containers:
    - name: c
      image: quay.io/jupyter/base-notebook:2024-10-07
      {container_field}
"""


@pytest.mark.parametrize(
    ("pod_field", "container_field", "message"),
    [
        ("hostIPC: false", "env: 5", "container c: env must be a list of mappings; found '5'"),
        (
            "hostIPC: false",
            "volumeMounts: 5",
            "container c: volumeMounts must be a list of mappings; found '5'",
        ),
        ("volumes: 5", "tty: false", "spec.volumes must be a list of mappings; found '5'"),
        ("tolerations: 5", "tty: false", "spec.tolerations must be a list of mappings; found '5'"),
    ],
    ids=["env", "volumeMounts", "volumes", "tolerations"],
)
def test_a_list_field_given_as_a_number_is_one_wrong_type_finding_and_the_rest_is_checked(
    tmp_path: Path, pod_field: str, container_field: str, message: str
) -> None:
    # These once stopped the notebook checks with an internal error.
    pod = tmp_path / "pod.yaml"
    pod.write_text(WRONG_TYPE_POD.format(pod_field=pod_field, container_field=container_field))
    code, findings = lint(pod)
    assert code == 1
    assert [f for f in findings if f[0] == "internal-error"] == []
    assert [f[2] for f in findings if f[0] == "wrong-field-type"] == [message]
    assert "notebook-read-only-root-filesystem" in {f[0] for f in findings}


def test_a_volume_mount_named_by_a_list_breaks_no_check(tmp_path: Path) -> None:
    pod = tmp_path / "pod.yaml"
    pod.write_text(
        WRONG_TYPE_POD.format(
            pod_field="volumes: [{name: home, emptyDir: {}}]",
            container_field="volumeMounts: [{name: [home], mountPath: /home/jovyan}]",
        )
    )
    code, findings = lint(pod)
    assert code == 1
    assert [f for f in findings if f[0] == "internal-error"] == []


def test_missing_containers() -> None:
    code, findings = lint(H / "missing-containers.yaml", select="missing-containers")
    assert (code, findings) == (
        1,
        [
            (
                "missing-containers",
                7,
                "the pod template has no containers (spec.template.spec.containers is unset): the "
                "API server refuses the Deployment, which never makes a pod; nothing else of it "
                "is checked",
            )
        ],
    )


def test_duplicate_container_names() -> None:
    code, findings = lint(H / "duplicate-container-names.yaml", select="duplicate-container-name")
    assert (code, findings) == (
        1,
        [
            (
                "duplicate-container-name",
                11,
                "container name 'notebook' is already used by spec.initContainers[0]",
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Helm templating and sops-encrypted values


def test_helm_chart_template_is_not_yaml() -> None:
    code, findings = lint(H / "helm-template-chart-file.yaml")
    assert (code, findings) == (
        1,
        [
            (
                "helm-template",
                4,
                "Helm template syntax ({{ … }}) is not YAML: lint the rendered output "
                "(helm template … | nblint check -)",
            )
        ],
    )


def test_helm_template_inside_a_values_file_is_reported_at_its_value() -> None:
    code, findings = lint(H / "helm-template-in-values.yaml")
    assert code == 1
    assert only(findings, "helm-template") == [
        (
            "helm-template",
            4,
            "Helm template '{{ .Chart.AppVersion }}' in a values file: Helm passes values on as "
            "written (only a chart's tpl renders them), so nblint checks the literal text",
        )
    ]


def test_sops_encrypted_values_are_reported_not_checked() -> None:
    code, findings = lint(H / "sops-encrypted-values.yaml")
    assert (code, findings) == (
        1,
        [
            (
                "sops-encrypted",
                7,
                "sops-encrypted document: its values are ciphertext and were not checked; "
                "lint the decrypted values (sops -d FILE | nblint check -)",
            )
        ],
    )


# ---------------------------------------------------------------------------------------------
# Unreadable files and directories, broken symlinks, a directory with no YAML


def _deny_reading(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``path`` unreadable; as root (who reads anything) the OS refusal is simulated."""
    path.chmod(0)
    if os.geteuid() != 0:
        return

    def refusing(real: Any) -> Any:
        def call(target: Any, *args: Any, **kwargs: Any) -> Any:
            if str(target) == str(path):
                raise PermissionError(13, "Permission denied", str(target))
            return real(target, *args, **kwargs)

        return call

    if path.is_dir():
        monkeypatch.setattr(os, "listdir", refusing(os.listdir))
        monkeypatch.setattr(os, "scandir", refusing(os.scandir))
    else:
        monkeypatch.setattr(builtins, "open", refusing(builtins.open))


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("apiVersion: v1\nkind: Pod\n")
    _deny_reading(secret, monkeypatch)
    code, findings = lint(secret)
    assert (code, findings) == (1, [("unreadable-file", 1, "cannot read: Permission denied")])


def test_unreadable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "tree" / "locked"
    locked.mkdir(parents=True)
    (locked / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\n")
    _deny_reading(locked, monkeypatch)
    code, findings = lint(tmp_path / "tree")
    assert (code, findings) == (
        1,
        [("unreadable-file", 1, "cannot read directory: Permission denied")],
    )


def test_broken_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "deleted.yaml")
    code, findings = lint(link)
    assert (code, findings) == (
        1,
        [("unreadable-file", 1, f"broken symbolic link (points to {tmp_path / 'deleted.yaml'})")],
    )


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    code, findings = lint(loop)
    assert (code, findings) == (
        1,
        [("unreadable-file", 1, "symbolic link loop (the link points back at itself)")],
    )


def test_named_pipe_is_not_read_and_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    code, findings = lint(fifo)
    assert (code, findings) == (
        1,
        [("unreadable-file", 1, "cannot read: not a regular file (a device, pipe or socket)")],
    )


def test_directory_with_no_yaml_is_a_usage_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("no manifests here\n")
    result = CliRunner().invoke(
        main, ["check", "--format", "json", str(tmp_path), str(COMPANION)], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert result.stderr == f"nblint: error: {tmp_path}: no YAML files (*.yaml, *.yml) to check\n"
    report = json.loads(result.stdout)
    assert [f["rule"] for f in report["findings"]].count("privileged") == 1


# ---------------------------------------------------------------------------------------------
# The installed command, as a pre-commit hook runs it: no traceback on any hostile fixture


def test_every_hostile_fixture_through_the_real_command() -> None:
    fixtures = sorted(str(p) for p in H.glob("*.yaml"))
    done = subprocess.run(
        [sys.executable, "-m", "nblint", "check", *fixtures],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=SECONDS,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    for fixture in fixtures:
        assert fixture in done.stdout, f"{fixture} produced no finding"
