"""A pod whose ServiceAccount a RoleBinding or ClusterRoleBinding among the inputs binds to a role
uses the API with its token: the token finding names the binding and its fix is never applied
(it would break what needs the rights), whatever the pod is (field test 3, defect 4)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, RULES, brief, run

from nblint.model.edit import DISPLAY_ONLY
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

B = FIXTURES / "rbac"
TOKEN = "notebook-service-account-token"
HELD_BACK = (
    " among the inputs: code run in the notebook can use those rights, and turning the token off "
    "would break what needs them"
)


def token_findings(*paths: Path):
    return [f for f in run(*paths, select={TOKEN}).findings if f.rule == TOKEN]


def test_a_notebook_whose_service_account_is_bound_keeps_the_finding_and_its_token() -> None:
    [found] = token_findings(B / "notebook-with-bound-service-account.yaml")
    assert (found.rule, found.line, found.column) == (TOKEN, 15, 5)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "RoleBinding/spark-driver binds ServiceAccount spark to Role/spark-driver" + HELD_BACK
    )
    assert found.applicability == DISPLAY_ONLY and found.edit is None
    assert found.fix == (
        "spec:\n"
        "  template:\n"
        "    metadata:\n"
        "      annotations:\n"
        "        # What in the pod needs these rights; or bind them to another ServiceAccount\n"
        "        # and set spec.automountServiceAccountToken: false\n"
        '        nblint.dev/service-account-token: "<what uses the API with them>"'
    )


def test_the_default_service_account_bound_by_a_cluster_role_binding_holds_back_the_safe_fix() -> (
    None
):
    [found] = token_findings(B / "default-service-account-bound.yaml")
    assert (found.rule, found.line, found.column) == (TOKEN, 8, 1)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "ClusterRoleBinding/team-default-view binds ServiceAccount default to ClusterRole/view"
        + HELD_BACK
    )
    assert found.applicability == DISPLAY_ONLY and found.edit is None


def test_a_binding_of_another_namespace_s_service_account_changes_nothing() -> None:
    [found] = token_findings(B / "binding-in-another-namespace.yaml")
    assert (found.rule, found.line, found.column) == (TOKEN, 8, 1)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )
    assert found.applicability == "unsafe" and found.edit is not None


def test_a_hub_nblint_takes_for_a_notebook_keeps_its_token_when_its_binding_is_an_input() -> None:
    hub = B / "hub-and-its-role-binding"
    # The Deployment alone: nothing says it uses the API, the (unsafe) fix is offered.
    [alone] = token_findings(hub / "deployment.yaml")
    assert alone.applicability == "unsafe"
    # With the RoleBinding beside it among the inputs, the fix is held back.
    [found] = token_findings(hub / "deployment.yaml", hub / "rbac.yaml")
    assert (found.file, found.line, found.column) == (str(hub / "deployment.yaml"), 14, 5)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "RoleBinding/jupyterhub-rb binds ServiceAccount jupyterhub-sa to Role/jupyterhub-role"
        + HELD_BACK
    )
    assert found.applicability == DISPLAY_ONLY


def test_fix_with_unsafe_fixes_leaves_the_token_of_a_bound_pod_alone() -> None:
    hub = B / "hub-and-its-role-binding"
    options = Options(PsaPolicy("restricted", (1, 37)), select={TOKEN})
    paths = [str(hub / "deployment.yaml"), str(hub / "rbac.yaml")]

    def check(texts: dict[str, str]):
        return Runner(options.replace(texts=texts), RULES).run(paths)

    assert fixing.fix(check, True).texts == {}


def test_bindings_yield_no_pod_and_no_finding_of_their_own() -> None:
    result = run(B / "hub-and-its-role-binding" / "rbac.yaml")
    assert brief(result.findings) == []
    assert result.pod_count == 0


def test_a_binding_that_names_no_namespace_holds_back_only_pods_that_may_share_it() -> None:
    # Field test 8b: in a large tree, a RoleBinding without a namespace held back the token fix
    # of every pod on a ServiceAccount of its name. It binds in the namespace it is applied to:
    # a kustomization's (team/), else one a pod shares only when applied with it (its
    # directory) or when the pod names no namespace either.
    tree = B / "namespace-less-binding-tree"
    found = {f.object: f for f in token_findings(*sorted(tree.rglob("*.yaml")))}
    assert sorted(found) == ["Pod/beside", "Pod/elsewhere", "Pod/lab", "Pod/unnamed-namespace"]
    held = sorted(o for o, f in found.items() if "RoleBinding/runner-edit" in f.message)
    assert held == ["Pod/beside", "Pod/unnamed-namespace"]
    assert found["Pod/elsewhere"].message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )
    # team's default ServiceAccount is bound, not other's.
    assert "RoleBinding" not in found["Pod/lab"].message


def test_a_binding_whose_namespace_is_a_placeholder_holds_back_only_pods_applied_with_it() -> None:
    # Field test 11b: a binding in `${STUDENT_NAME}` (an OpenShift Template's) held back the
    # token fix of every pod on a `default` ServiceAccount of the run. Like a binding that names
    # no namespace, it may be the namespace of a pod applied with it (its directory), not of a
    # pod of another tree that names its own.
    tree = B / "placeholder-namespace-binding-tree"
    found = {f.object: f for f in token_findings(*sorted(tree.rglob("*.yaml")))}
    assert sorted(found) == ["Pod/beside", "Pod/elsewhere"]
    assert "RoleBinding/runner-edit binds ServiceAccount default" in found["Pod/beside"].message
    assert found["Pod/beside"].applicability == DISPLAY_ONLY
    assert found["Pod/elsewhere"].message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )
    assert found["Pod/elsewhere"].applicability != DISPLAY_ONLY


# --- OpenShift's own forms of a binding (field test 18b, D3) ------------------------------------


def test_an_openshift_role_binding_holds_back_the_safe_token_fix() -> None:
    # authorization.openshift.io/v1, a subject without namespace (the binding's), a roleRef
    # without apiGroup: as an rbac RoleBinding, it binds the default ServiceAccount.
    [found] = token_findings(B / "openshift-role-binding.yaml")
    assert (found.rule, found.line, found.column) == (TOKEN, 27, 5)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "RoleBinding/nb-edit binds ServiceAccount default to ClusterRole/edit" + HELD_BACK
    )
    assert found.applicability == DISPLAY_ONLY and found.edit is None


def test_nblint_fix_leaves_the_token_of_a_pod_an_openshift_binding_binds_alone(tmp_path) -> None:
    options = Options(PsaPolicy("restricted", (1, 37)), select={TOKEN})
    for name in ("openshift-role-binding.yaml", "openshift3-legacy-binding.yaml"):
        path = tmp_path / name
        path.write_text((B / name).read_text())

        def check(texts: dict[str, str], path: Path = path):
            return Runner(options.replace(texts=texts), RULES).run([str(path)])

        fixed = fixing.fix(check, True).texts
        if name == "openshift-role-binding.yaml":
            assert fixed == {}
        else:
            # Only the other Pod (on a ServiceAccount the binding does not bind) loses its token.
            [text] = fixed.values()
            assert text.count("automountServiceAccountToken: false") == 1
            assert text.index("automountServiceAccountToken") > text.index("name: other")


def test_an_openshift3_binding_reads_user_names_instead_of_subjects() -> None:
    # Group-less v1, the legacy userNames (system:serviceaccount:NS:NAME), a roleRef without
    # kind or namespace (a ClusterRole). OpenShift reads userNames/groupNames instead of subjects
    # when they are given: the subject someone-else is not bound.
    found = {f.object: f for f in token_findings(B / "openshift3-legacy-binding.yaml")}
    assert sorted(found) == ["Pod/nb", "Pod/other"]
    assert (found["Pod/nb"].line, found["Pod/nb"].column) == (23, 1)
    assert found["Pod/nb"].message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "RoleBinding/spawner-edit binds ServiceAccount spawner to ClusterRole/edit" + HELD_BACK
    )
    assert found["Pod/nb"].applicability == DISPLAY_ONLY
    assert found["Pod/other"].message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset)"
    )
    assert found["Pod/other"].applicability == "unsafe"


def test_a_user_subject_named_as_a_service_account_binds_it() -> None:
    [found] = token_findings(B / "user-subject-naming-a-service-account.yaml")
    assert (found.rule, found.line, found.column) == (TOKEN, 22, 1)
    assert found.message == (
        "the pod mounts a Kubernetes API token (automountServiceAccountToken is unset), and "
        "RoleBinding/runner-view binds ServiceAccount runner to Role/pod-reader" + HELD_BACK
    )
    assert found.applicability == DISPLAY_ONLY


def test_a_template_s_openshift_binding_is_read_and_not_counted_as_skipped() -> None:
    result = run(B / "openshift-template-binding.yaml")
    [info] = [f for f in result.findings if f.rule == "openshift-template-parameters"]
    assert info.message.startswith(
        "Template/hub: nblint reads 2 of its 3 objects (it skips ServiceAccount), "
    )
    [found] = [f for f in result.findings if f.rule == TOKEN]
    assert (found.line, found.column) == (34, 9)
    assert "RoleBinding/${APPLICATION_NAME}-edit binds ServiceAccount ${APPLICATION_NAME}-hub " in (
        found.message
    )
    assert found.applicability == DISPLAY_ONLY
