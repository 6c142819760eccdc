"""A placeholder never makes a fix safer, and a fix never writes over one (field test 12b, D3
and D4). Whatever fills it in before the file is applied — ``oc process`` (an OpenShift
Template's ``${{UID}}``), Flux's ``postBuild.substitute`` (``${NB_UID}``) — nblint cannot know
its value:

* a fix-safety guard that reads one (the user, an escalation, a privilege) judges its riskiest
  value: the fix is unsafe, with a reason that names the placeholder (D3);
* a fix that would replace one leaves that key out when the rest still fixes the finding, and
  says so; otherwise it is advice to set the parameter or variable (D4). The applier refuses to
  write over one whatever the fix (a z2jh values hint, which the check stage does not read).
"""

from __future__ import annotations

from conftest import FIXTURES, run
from test_fix import fix_file

from nblint.check.engine import _placeholders_kept
from nblint.model.edit import without_keys

P = FIXTURES / "placeholder-fix"
CAPABILITIES = "capabilities-restricted"
ESCALATION = "allow-privilege-escalation"
NON_ROOT = "run-as-non-root"

ROOT_WORK = (
    "drop ALL takes what root work needs (chown:\n# CAP_CHOWN; chmod of files it does not own: "
    "CAP_FOWNER; switching users, as sudo, su, gosu\n# and docker-stacks' start.sh do: CAP_SETUID "
    "and CAP_SETGID)"
)


def findings(name: str) -> dict[tuple[str, int, str | None], tuple[str | None, str | None]]:
    """(rule, line, container) → (applicability, fix text) of the three rules' findings."""
    return {
        (f.rule, f.line, f.container): (f.applicability, f.fix)
        for f in run(P / name).findings
        if f.rule in (CAPABILITIES, ESCALATION, NON_ROOT)
    }


def test_a_template_parameter_uid_makes_drop_all_unsafe_as_a_literal_root_does() -> None:
    found = findings("template-uid-parameter-root-default.yaml")
    assert found[(CAPABILITIES, 24, "notebook")] == (
        "unsafe",
        "# unsafe: the user of notebook is the placeholder ${{UID}} (the pod's runAsUser), which\n"
        "# nblint cannot know: it may be root, and " + ROOT_WORK + "\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: notebook\n"
        "          securityContext:\n            capabilities:\n              drop: [ALL]",
    )
    # The escalation fix reads no user: safe, as before.
    assert found[(ESCALATION, 24, "notebook")][0] == "safe"
    # The same file with a literal 0: unsafe too, for the literal.
    literal = findings("template-uid-literal-root.yaml")
    assert literal[(CAPABILITIES, 24, "notebook")][0] == "unsafe"
    assert "# unsafe: notebook runs as root" in (literal[(CAPABILITIES, 24, "notebook")][1] or "")


def test_the_run_as_non_root_fix_leaves_a_template_parameter_uid_as_written() -> None:
    applicability, text = findings("template-uid-parameter-root-default.yaml")[
        (NON_ROOT, 24, "notebook")
    ]
    assert applicability == "unsafe"
    assert text == (
        "spec:\n  template:\n"
        "    # left as written: the pod's securityContext.runAsUser is the placeholder ${{UID}}: "
        "set its\n    # parameter or variable to a non-root uid (such as 1000)\n"
        "    spec:\n      securityContext:\n        runAsNonRoot: true"
    )
    # A literal root uid is replaced, as before.
    literal = findings("template-uid-literal-root.yaml")[(NON_ROOT, 24, "notebook")][1] or ""
    assert "runAsUser: 1000" in literal


def test_nblint_fix_unsafe_keeps_the_parameter_and_adds_run_as_non_root() -> None:
    path = P / "template-uid-parameter-root-default.yaml"
    outcome = fix_file(path, unsafe=True)
    text = outcome.texts[str(path)]
    assert "          runAsUser: ${{UID}}\n          runAsNonRoot: true\n" in text
    assert "runAsUser: 1000" not in text
    assert not outcome.failed
    # Safe fixes only: drop ALL is not among them.
    safe = fix_file(path, unsafe=False).texts[str(path)]
    assert "drop:" not in safe
    assert "allowPrivilegeEscalation: false" in safe


def test_a_flux_variable_uid_is_judged_the_same() -> None:
    found = findings("flux-variable-uid.yaml")
    applicability, text = found[(CAPABILITIES, 16, "notebook")]
    assert applicability == "unsafe"
    assert (text or "").startswith(
        "# unsafe: the user of notebook is the placeholder ${NB_UID} (the pod's runAsUser)"
    )
    assert found[(NON_ROOT, 16, "notebook")] == (
        "unsafe",
        "spec:\n  template:\n"
        "    # left as written: the pod's securityContext.runAsUser is the placeholder ${NB_UID}: "
        "set its\n    # parameter or variable to a non-root uid (such as 1000)\n"
        "    spec:\n      securityContext:\n        runAsNonRoot: true",
    )
    path = P / "flux-variable-uid.yaml"
    assert "runAsUser: ${NB_UID}\n        runAsNonRoot: true\n" in fix_file(path).texts[str(path)]


def test_a_kubeflow_notebook_variable_uid_is_left_as_written() -> None:
    found = findings("kubeflow-variable-uid.yaml")
    assert found[(CAPABILITIES, 12, "lab")][0] == "unsafe"
    applicability, text = found[(NON_ROOT, 12, "lab")]
    assert applicability == "unsafe"
    assert (text or "").startswith(
        "# left as written: the pod's securityContext.runAsUser is the placeholder ${NB_UID}: set "
        "its\n# parameter or variable to a non-root uid (such as 1000)\nspec:\n"
    )
    assert "runAsUser: 1000" not in (text or "")
    path = P / "kubeflow-variable-uid.yaml"
    assert "runAsUser: ${NB_UID}\n" in fix_file(path).texts[str(path)]


def test_a_privileged_parameter_makes_the_escalation_fix_unsafe() -> None:
    # privileged: true would make the API server refuse allowPrivilegeEscalation: false.
    assert findings("template-privileged-parameter.yaml") == {
        (ESCALATION, 21, "notebook"): (
            "unsafe",
            "# unsafe: notebook's privileged is the placeholder ${{PRIVILEGED}}, which nblint "
            "cannot\n# know: the API server refuses allowPrivilegeEscalation: false beside "
            "privileged: true or\n# CAP_SYS_ADMIN\nspec:\n  containers:\n    - name: notebook\n"
            "      securityContext:\n        allowPrivilegeEscalation: false",
        )
    }


def test_an_escalation_parameter_makes_drop_all_unsafe() -> None:
    found = findings("template-escalation-parameter.yaml")
    assert list(found) == [(CAPABILITIES, 18, "notebook")]
    applicability, text = found[(CAPABILITIES, 18, "notebook")]
    assert applicability == "unsafe"
    assert (text or "").startswith(
        "# unsafe: notebook's allowPrivilegeEscalation is the placeholder ${{ESCALATE}}, which "
        "nblint\n# cannot know: it may let it escalate to root, and drop ALL"
    )


def test_the_applier_never_writes_over_a_placeholder_of_z2jh_values() -> None:
    path = P / "z2jh-flux-variable-uid.yaml"
    outcome = fix_file(path)
    assert "uid: ${NB_UID}\n" in outcome.texts.get(str(path), path.read_text())
    reasons = {(finding.rule, why) for finding, why in outcome.failed}
    assert reasons == {
        (
            NON_ROOT,
            "line 13: uid is the placeholder ${NB_UID}, filled in before the file is applied: "
            "nblint does not write over it",
        )
    }


def test_a_hint_that_is_only_the_placeholder_is_advice() -> None:
    # (The pipeline never gets here for a manifest: a finding at a placeholder is dropped.)
    pod = run(P / "template-uid-parameter-root-default.yaml").pods[0]
    at = ("spec", "securityContext", "runAsUser")
    hint = "spec:\n  securityContext:\n    runAsUser: 1000\n"
    text, fixes = _placeholders_kept(
        pod,
        hint,
        ("spec", "containers", 0, "securityContext", "runAsNonRoot"),
        [(at, at, "${{UID}}")],
    )
    assert not fixes
    assert text == (
        "# nblint does not write over a placeholder: the pod's securityContext.runAsUser is the\n"
        "# placeholder ${{UID}}: set its parameter or variable to a non-root uid (such as 1000); "
        "the\n"
        "# fix it would make:\n" + hint
    )


def test_cutting_a_key_takes_what_it_leaves_empty() -> None:
    hint = (
        "spec:\n  containers:\n    - name: nb\n      securityContext:\n"
        "        runAsUser: 1000   # the image's user\n  securityContext:\n    runAsNonRoot: true\n"
    )
    assert without_keys(hint, [("spec", "containers", 0, "securityContext", "runAsUser")]) == (
        "spec:\n  securityContext:\n    runAsNonRoot: true\n"
    )
    assert without_keys(hint, [("spec", "containers", 0), ("spec", "securityContext")]) is None


def test_a_placeholder_in_one_file_of_the_run_is_seen_beside_plain_files() -> None:
    """A run whose files hold no placeholder text skips the per-pod look for one; a file that
    holds one keeps it for every pod, whatever else the run reads."""
    plain = FIXTURES / "manifests" / "misplaced" / "pod-capabilities-and-container-fsgroup.yaml"
    found = {
        (f.rule, f.line, f.container): f.applicability
        for f in run(plain, P / "template-uid-parameter-root-default.yaml").findings
        if f.rule == CAPABILITIES and f.file.endswith("template-uid-parameter-root-default.yaml")
    }
    assert found[(CAPABILITIES, 24, "notebook")] == "unsafe"


def test_placeholder_text_is_told_by_what_every_placeholder_holds() -> None:
    from nblint.check.podview import may_hold_placeholder

    assert may_hold_placeholder("runAsUser: ${{UID}}")
    assert may_hold_placeholder('image: "{{ .Values.image }}"')
    assert may_hold_placeholder("password: ENC[AES256_GCM,data:abc]")
    assert not may_hold_placeholder("pvcNameTemplate: claim-{username}{servername}\n")


#: The z2jh notebook's capabilities fix, as a z2jh values hint.
_Z2JH_DROP = (
    "# notebook container (or a profile's kubespawner_override); for singleuser.initContainers\n"
    "# and extraContainers, set it in that container's own spec\n"
    "hub:\n  config:\n    KubeSpawner:\n      container_security_context:\n"
    "        capabilities: {drop: [ALL]}"
)


def _z2jh_uid_placeholder(name: str, line: int) -> None:
    """The z2jh notebook's drop ALL, where a uid of the values is the placeholder ${UID}: unsafe
    for the placeholder (it may be 0), not safe for the chart default (1000) in its place; and
    ``nblint fix`` leaves it alone without --unsafe-fixes."""
    found = findings(name)
    assert found[(CAPABILITIES, line, "notebook")] == (
        "unsafe",
        "# unsafe: the user of notebook is the placeholder ${UID} (notebook's runAsUser), which\n"
        "# nblint cannot know: it may be root, and drop ALL takes what root work needs (chown:\n"
        "# CAP_CHOWN; chmod of files it does not own: CAP_FOWNER; switching users, as sudo, su, "
        "gosu\n# and docker-stacks' start.sh do: CAP_SETUID and CAP_SETGID)\n" + _Z2JH_DROP,
    )
    outcome = fix_file(P / name, unsafe=False)
    assert CAPABILITIES not in {f.rule for f in outcome.applied}
    assert "uid: ${UID}\n" in outcome.texts.get(str(P / name), (P / name).read_text())


def test_a_z2jh_singleuser_uid_placeholder_makes_drop_all_unsafe() -> None:
    _z2jh_uid_placeholder("z2jh-singleuser-uid-placeholder.yaml", 3)


def test_a_z2jh_profile_override_uid_placeholder_makes_drop_all_unsafe() -> None:
    # (It stopped the z2jh document before: an internal error on the placeholder's int().)
    _z2jh_uid_placeholder("z2jh-profile-override-uid-placeholder.yaml", 2)


def test_a_z2jh_hub_config_uid_placeholder_makes_drop_all_unsafe() -> None:
    _z2jh_uid_placeholder("z2jh-hub-config-uid-placeholder.yaml", 4)
