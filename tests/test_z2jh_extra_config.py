"""``hub.extraConfig``: plain ``c.<Class>.<trait> = <literal>`` settings read from the syntax
tree, never by running the snippet, and applied at their own lines (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, only_pod, run

from nblint.dialects.z2jh.extra_config import LONGEST_SNIPPET

EXTRA = FIXTURES / "z2jh" / "extra-config"


def found(name: str, rules: set[str]) -> list[tuple[str, int, str | None]]:
    result = run(EXTRA / name, select=rules)
    return sorted({(f.rule, f.line, f.profile) for f in result.findings}, key=lambda f: f[1])


def test_plain_settings_are_applied_at_their_lines() -> None:
    rules = {
        "allow-privilege-escalation",
        "notebook-service-account-token",
        "z2jh-unknown-trait",
        "z2jh-extra-config",
    }
    assert found("plain-settings.yaml", rules) == [
        ("allow-privilege-escalation", 5, None),
        ("notebook-service-account-token", 6, None),
        ("z2jh-unknown-trait", 7, None),
        ("allow-privilege-escalation", 8, None),  # the chart's init container (`singleuser`)
    ]
    pod = only_pod(run(EXTRA / "plain-settings.yaml", select={"z2jh-extra-config"}))
    assert pod.pod["spec"]["serviceAccountName"] == "default"


def test_code_gets_the_caveat_and_the_settings_beside_it_are_applied() -> None:
    result = run(EXTRA / "code-and-settings.yaml", select={"privileged", "z2jh-extra-config"})
    assert sorted((f.rule, f.line) for f in result.findings) == [
        ("privileged", 5),
        ("privileged", 9),  # the chart's block-cloud-metadata init container (`singleuser`)
        ("z2jh-extra-config", 8),  # at the modify_pod_hook the code installs
    ]
    caveat = next(f for f in result.findings if f.rule == "z2jh-extra-config")
    assert "it read the 1 plain setting(s)" in caveat.message
    assert "2 other statement(s)" in caveat.message


def test_extra_config_is_never_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mark = tmp_path / "mark"
    monkeypatch.setenv("NBLINT_MARK", str(mark))
    result = run(EXTRA / "never-executed.yaml", select={"z2jh-extra-config"})
    # The import changes nothing; the caveat is at the statement that would write the mark.
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-extra-config", 6)]
    assert not mark.exists()


def test_a_snippet_that_is_not_python_is_said_at_its_line() -> None:
    result = run(EXTRA / "not-python.yaml", select={"z2jh-extra-config"})
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-extra-config", 6)]
    assert "not Python the hub can run" in result.findings[0].message


def test_a_statement_is_named_as_a_reader_finds_it_not_by_an_internal_path() -> None:
    """``hub.extraConfig.01-oauth.py.4`` was no key anyone could find: the snippet's name (which
    has a dot) is named in brackets, then its line."""
    result = run(
        EXTRA / "allow-all-in-a-snippet-named-with-a-dot.yaml", select={"notebook-authentication"}
    )
    assert [(f.rule, f.line, f.column, f.message) for f in result.findings] == [
        (
            "notebook-authentication",
            8,
            7,
            '`c.Authenticator.allow_all = True` in hub.extraConfig["01-oauth.py"], line 4: every '
            "account of the identity provider can log in",
        )
    ]


def test_a_snippet_that_is_not_python_is_named_with_its_line() -> None:
    result = run(
        EXTRA / "not-python-in-a-snippet-named-with-a-dot.yaml", select={"z2jh-extra-config"}
    )
    assert [(f.line, f.message) for f in result.findings] == [
        (
            5,
            "hub.extraConfig[\"00-spawner.py\"], line 1 is not Python the hub can run ('(' was "
            "never closed): the hub stops at it and does not start",
        )
    ]


def test_a_hint_for_a_security_context_set_by_code_names_the_statement() -> None:
    result = run(
        EXTRA / "security-context-by-code-in-a-snippet-named-with-a-dot.yaml",
        select={"seccomp-profile-restricted"},
    )
    assert {(f.fix or "").split("\n")[0] for f in result.findings} == {
        '# in hub.extraConfig["10-security.py"], line 2, whose code sets this securityContext '
        "(nblint does not edit code)"
    }


def test_a_pod_hook_gets_a_caveat_that_says_the_pods_may_not_be_the_ones_created() -> None:
    # `c.KubeSpawner.modify_pod_hook` changes every pod after KubeSpawner builds it: the caveat
    # is placed at that statement and no longer claims the unread code leaves the pods alone.
    result = run(EXTRA / "modify-pod-hook.yaml", select={"z2jh-extra-config"})
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-extra-config", 10)]
    message = result.findings[0].message
    assert "among them this `c.KubeSpawner.modify_pod_hook`" in message
    assert "so what it finds about them may not hold" in message
    assert "assumes they do not change the user pods" not in message


def test_a_value_traitlets_refuses_is_one_error_at_its_line_and_the_pod_is_built_without_it() -> (
    None
):
    result = run(EXTRA / "uid-not-an-integer.yaml", select={"z2jh-wrong-type", "internal-error"})
    assert [(f.rule, f.line, f.column) for f in result.findings] == [("z2jh-wrong-type", 5, 7)]
    assert "`uid` in `c.KubeSpawner` of `hub.extraConfig` must be an integer" in (
        result.findings[0].message
    )
    # As without the statement: the chart's singleuser.uid.
    pod = only_pod(result)
    assert pod.pod["spec"]["containers"][0]["securityContext"]["runAsUser"] == 1000


def test_a_hint_for_a_security_context_code_sets_fills_in_the_uid_it_names() -> None:
    result = run(EXTRA / "pod-security-context-root-by-code.yaml", select={"run-as-user"})
    [finding] = [f for f in result.findings if f.line == 5]
    assert (finding.rule, finding.column, finding.applicability) == (
        "run-as-user",
        7,
        "display-only",
    )
    assert finding.fix == (
        '# in hub.extraConfig["security.py"], line 1, whose code sets this securityContext '
        "(nblint does not edit code)\nsecurityContext:\n  runAsUser: 1000"
    )


def test_a_spawner_class_of_its_own_gets_the_caveat_that_the_pods_may_not_hold() -> None:
    result = run(EXTRA / "spawner-class-of-its-own.yaml", select={"z2jh-extra-config"})
    assert [(f.rule, f.line) for f in result.findings] == [("z2jh-extra-config", 11)]
    message = result.findings[0].message
    assert "among them this `c.JupyterHub.spawner_class`, a spawner class of the team's own" in (
        message
    )
    assert "so what it finds about them may not hold" in message


def _long_snippet(tmp_path: Path, length: int) -> Path:
    """``long-snippet.yaml`` with its snippet ``big`` padded by a comment to ``length``
    characters."""
    text = (EXTRA / "long-snippet.yaml").read_text()
    rest = len("# \nc.KubeSpawner.privileged = True\n")
    path = tmp_path / "long-snippet.yaml"
    path.write_text(text.replace("# PAD", "# " + "x" * (length - rest), 1))
    return path


def test_a_long_snippet_is_read(tmp_path: Path) -> None:
    # Half a megabyte of Python parses in well under a second: its plain settings count.
    path = _long_snippet(tmp_path, 500_000)
    result = run(path, select={"privileged", "z2jh-extra-config"})
    assert sorted((f.rule, f.line, f.message) for f in result.findings) == [
        ("privileged", 1, "initContainer block-cloud-metadata is privileged"),  # the chart's
        ("privileged", 5, "container notebook is privileged"),
        (
            "z2jh-extra-config",
            7,
            "`hub.extraConfig` (roles) is Python run by the hub, which nblint never runs; "
            "it read the 1 plain setting(s) `c.<Class>.<trait> = <literal>` and applied them; "
            "1 other statement(s), the first here, it did not read, and assumes they do not "
            "change the user pods",
        ),
    ]


def test_a_snippet_too_long_for_any_release_is_said_and_not_counted_as_a_statement(
    tmp_path: Path,
) -> None:
    path = _long_snippet(tmp_path, LONGEST_SNIPPET + 1)
    result = run(path, select={"privileged", "z2jh-extra-config"})
    assert sorted((f.rule, f.line, f.message) for f in result.findings) == [
        ("privileged", 1, "initContainer block-cloud-metadata is privileged"),
        (
            "z2jh-extra-config",
            3,
            "hub.extraConfig.big is 1,048,577 characters long (more than 1,048,576): nblint "
            "did not read it, so nothing it sets is applied to the pods nblint draws; no release "
            "can hold it either: the chart puts every value into the hub's Secret, which the API "
            "server refuses above 1 MiB",
        ),
        (
            "z2jh-extra-config",
            7,
            "`hub.extraConfig` (roles) is Python run by the hub, which nblint never runs; "
            "1 other statement(s), the first here, it did not read, and assumes they do not "
            "change the user pods",
        ),
    ]


def test_values_keys_a_plain_setting_replaces_are_said_to_have_no_effect() -> None:
    rule = "z2jh-value-replaced"
    findings = [f for f in run(EXTRA / "values-replaced-by-code.yaml").findings if f.rule == rule]
    # extraEnv (line 18, replaced by line 12) and hub.config's start_timeout (line 9, by line
    # 13); not cpu.limit nor defaultUrl (the code sets the same), nor extraLabels (merged).
    assert [(f.line, f.severity) for f in findings] == [(9, "warning"), (18, "warning")]
    assert findings[1].message == (
        '`singleuser.extraEnv` has no effect: hub.extraConfig["00-env"], line 1 (line 12 of the '
        "file) sets the trait `environment` after the chart builds it from the values, and "
        "replaces what it set"
    )
    assert "`hub.config.KubeSpawner.start_timeout` has no effect" in findings[0].message


def test_values_keys_hub_config_replaces_are_said_to_have_no_effect() -> None:
    # hub.config's section is loaded over the traits the chart built (`c[section].update`): a
    # trait it names replaces the values keys behind it; the same value (8G is 8589934592) not.
    rule = "z2jh-value-replaced"
    result = run(EXTRA / "values-replaced-by-hub-config.yaml", select={rule})
    assert [(f.line, f.message.split(":")[0]) for f in result.findings] == [
        (13, "`singleuser.extraEnv` has no effect"),
        (17, "`singleuser.startTimeout` has no effect"),
    ]
    assert "hub.config.KubeSpawner.environment (line 6 of the file)" in result.findings[0].message


def test_the_places_unread_code_sets_a_user_to_uid_0_are_read_without_running_it() -> None:
    # Field test 13a D2: a keyword, a dict key, an attribute and an item set to the literal 0;
    # a literal assignment nblint reads is applied, not listed; a user other than 0 is not.
    from nblint.dialects.z2jh.extra_config import read

    code = (
        "def hook(spawner, pod):\n"  # 1
        "    pod.spec.containers[0].security_context = V1SecurityContext(run_as_user=0)\n"
        "    pod.spec.init_containers[0].security_context = {'runAsUser': 0}\n"  # 3
        "    spawner.uid = 0\n"
        "    pod['runAsUser'] = 0\n"  # 5
        "    other(run_as_user=1000)\n"
        "c.KubeSpawner.uid = 0\n"  # 7: read and applied
    )
    found = read({"hook": code})
    assert found.root_user == [
        ("hook", 2, "run_as_user=0"),
        ("hook", 3, "'runAsUser': 0"),
        ("hook", 4, "spawner.uid = 0"),
        ("hook", 5, "pod['runAsUser'] = 0"),
    ]
    assert [(a.trait, a.value) for a in found.assignments] == [("uid", 0)]


# -- a trait set where nblint does not apply it (field test 13a D4) --------------------------------


def _infos(name: str) -> list[tuple[int, str]]:
    result = run(EXTRA / name, select={"z2jh-extra-config"})
    return [(f.line, f.message) for f in result.findings]


def test_a_security_trait_set_inside_an_if_is_named_and_the_pod_may_run_with_it() -> None:
    assert _infos("uid-0-inside-an-if.yaml") == [
        (
            7,
            'hub.extraConfig["sudo"], line 3 sets `c.KubeSpawner.uid` inside an `if`: nblint '
            "never runs the code, so it did not apply it, and the user pod may run with "
            "`c.KubeSpawner.uid = 0`; what nblint finds about `c.KubeSpawner.uid` and the pod's "
            "security may not hold",
        )
    ]


def test_the_run_as_non_root_fix_is_advice_when_code_may_set_uid_0_under_a_condition() -> None:
    result = run(EXTRA / "uid-0-inside-an-if.yaml", select={"run-as-non-root"})
    [finding] = [f for f in result.findings if f.container == "notebook"]
    assert finding.applicability == "display-only"
    assert "`c.KubeSpawner.uid = 0`" in (finding.fix or "")


def test_a_harmless_trait_set_in_a_loop_is_named_without_security_wording() -> None:
    assert _infos("start-timeout-in-a-for-loop.yaml") == [
        (
            6,
            'hub.extraConfig["timeouts"], line 2 sets `c.KubeSpawner.start_timeout` inside a '
            "`for` loop: nblint never runs the code, so it did not apply it; the user pods may "
            "differ from the ones nblint drew, and what it finds about "
            "`c.KubeSpawner.start_timeout` may not hold",
        )
    ]


def test_a_security_trait_set_in_a_function_body_is_named() -> None:
    [(line, message)] = _infos("privileged-in-a-function.yaml")
    assert line == 6
    assert message.startswith(
        'hub.extraConfig["debug"], line 2 sets `c.KubeSpawner.privileged` in the body of '
        "function `debug_mode`, which runs only when something calls it: nblint never runs the "
        "code, so it did not apply it, and the user pod may run with "
        "`c.KubeSpawner.privileged = True`"
    )


def test_an_item_of_a_trait_set_inside_a_with_block_is_named() -> None:
    [(line, message)] = _infos("environment-in-a-with-block.yaml")
    assert line == 6
    assert message.startswith(
        'hub.extraConfig["env"], line 2 sets `c.KubeSpawner.environment` inside a `with` block:'
    )
    assert "the user pods may differ from the ones nblint drew" in message


def test_a_literal_beside_a_conditional_setting_is_applied_and_the_caveat_counts_the_rest() -> None:
    result = run(
        EXTRA / "plain-setting-beside-a-conditional-one.yaml",
        select={"privileged", "z2jh-extra-config"},
    )
    found = [(f.rule, f.line, f.container) for f in result.findings]
    assert found == [
        ("privileged", 5, "notebook"),  # the top-level literal, applied as before
        ("z2jh-extra-config", 7, None),  # the `if`: named
        ("z2jh-extra-config", 8, None),  # the caveat: the print, the one statement left
        ("privileged", 9, "block-cloud-metadata"),
    ]
    named, caveat = (f.message for f in result.findings if f.rule == "z2jh-extra-config")
    assert "sets `c.KubeSpawner.start_timeout` inside an `if`" in named
    assert "it read the 1 plain setting(s)" in caveat
    assert "1 other statement(s), the first here" in caveat


def test_a_fix_that_writes_a_trait_code_may_set_under_a_condition_is_not_safe() -> None:
    result = run(
        EXTRA / "container-security-context-inside-an-if.yaml", select={"capabilities-restricted"}
    )
    [finding] = [f for f in result.findings if f.container == "notebook"]
    assert finding.applicability == "unsafe"
    # The comment as one text (where its lines wrap depends on the fixture's path).
    note = " ".join(line[2:] for line in (finding.fix or "").splitlines() if line.startswith("# "))
    assert note.startswith(
        "unsafe: code nblint did not apply may replace what it writes at "
        "hub.config.KubeSpawner.container_security_context, as it runs after the values: "
    )
    assert (
        "container-security-context-inside-an-if.yaml:6 (hub.extraConfig.debug: "
        '`c.KubeSpawner.container_security_context = {"privileged": True}`)'
    ) in note
    # The seccomp fix writes pod_security_context, which the code leaves alone: still safe.
    seccomp = run(
        EXTRA / "container-security-context-inside-an-if.yaml",
        select={"seccomp-profile-restricted"},
    )
    assert {f.applicability for f in seccomp.findings if f.container == "notebook"} == {"safe"}


def test_the_places_unread_code_sets_or_changes_a_spawner_trait_are_read_without_running_it() -> (
    None
):
    from nblint.dialects.z2jh.extra_config import read

    code = (
        "if x:\n"  # 1
        "    c.KubeSpawner.uid = 0\n"
        "def f():\n"  # 3
        "    if y:\n"
        "        c.Spawner.start_timeout = 3\n"  # 5: the function is named, not the if
        "c.KubeSpawner.volumes.append({'name': 'x'})\n"
        "c.KubeSpawner.environment['A'] = 'b'\n"  # 7
        "c.KubeSpawner.cpu_limit = float(z)\n"
        "c.KubeSpawner.mem_limit = '1G'\n"  # 9: read and applied
        "for i in range(2):\n"
        "    c.KubeSpawner.modify_pod_hook = hook\n"  # 11: a pod hook, said by the caveat
        "    c.JupyterHub.log_level = 10\n"  # 12: not a spawner's
    )
    found = read({"s": code})
    assert [(w.trait, w.line, w.statement, w.how) for w in found.unapplied] == [
        ("uid", 2, 1, "inside an `if`"),
        (
            "start_timeout",
            5,
            3,
            "in the body of function `f`, which runs only when something calls it",
        ),
        ("volumes", 6, 6, "by `.append(…)`, which changes it in place"),
        ("environment", 7, 7, "by item assignment, which changes it in place"),
        ("cpu_limit", 8, 8, "to a value nblint does not evaluate (it reads literals only)"),
    ]
    assert [(a.trait, a.value) for a in found.assignments] == [("mem_limit", "1G")]
