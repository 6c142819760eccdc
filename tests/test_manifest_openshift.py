"""Raw workloads on OpenShift (field test 11b, Observations): a Pod, Deployment, StatefulSet, …
that runs on OpenShift by a strong sign is admitted by the restricted-v2 SCC, as z2jh user pods
and OpenShift AI workbenches are (one model: :mod:`nblint.dialects.openshift`).

* The signs: ``--kubeflow-distribution openshift-ai``; the namespace with
  ``openshift.io/sa.scc.uid-range``; an image of OpenShift's internal registry; a Route tied to
  the workload (its file, its namespace, or — neither naming one — its directory and a Service
  named after it). A Route elsewhere in a tree is no sign: behaviour unchanged.
* On OpenShift: what the SCC sets is filled in with a note (no PSA finding for it), what it
  refuses is ``openshift-scc-refused`` at the line, no fix sets a fixed uid or gid.
* A ServiceAccount bound to another SCC (``system:openshift:scc:anyuid``, a role granting
  ``use`` of ``securitycontextconstraints``): ``openshift-scc-other``, and the pod judged as
  written.
"""

from __future__ import annotations

import re

from conftest import FIXTURES, brief, only_pod, run
from test_fix import fix_file

D = FIXTURES / "manifest" / "openshift"
#: The PSA findings restricted-v2 satisfies at admission, and the checklist's uid one.
SATISFIED_BY_SCC = {
    "run-as-non-root",
    "seccomp-profile-restricted",
    "capabilities-restricted",
    "allow-privilege-escalation",
    "notebook-run-as-user",
}
FIXED_ID = re.compile(r"(runAsUser|runAsGroup|fsGroup): \d")


def _tree(name: str) -> list:
    """The files of a fixture tree, as ``nblint check DIR`` reads them."""
    return sorted((D / name).rglob("*.yaml"))


def _rules(findings: list) -> set[str]:
    return {f.rule for f in findings}


# --- a Route tied to the workload --------------------------------------------------------------


def test_a_route_in_the_workloads_file_says_openshift() -> None:
    result = run(*_tree("route-same-file"))
    assert brief(result.findings) == [
        ("notebook-uid-mismatch", 9, 5),
        ("notebook-home-persistent", 12, 11),
        ("notebook-read-only-root-filesystem", 12, 11),
    ]
    pod = only_pod(result)
    context = pod.spec["containers"][0]["securityContext"]
    assert context["runAsUser"] == 1000680000 and context["runAsNonRoot"] is True
    assert pod.spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    # What the SCC set is said, with the sign nblint took.
    where = pod.provenance.locate(("spec", "containers", 0, "securityContext", "runAsUser"))
    assert where.note is not None and "restricted-v2" in where.note
    assert "from the Route at " in where.note and "lab.yaml:22" in where.note
    (mismatch,) = [f for f in result.findings if f.rule == "notebook-uid-mismatch"]
    assert mismatch.applicability == "display-only"
    # Advice only (under the kind's template path, as every manifest hint): no uid to write.
    assert mismatch.fix is not None and "restricted-v2" in mismatch.fix
    assert all(line.strip().startswith("#") for line in mismatch.fix.splitlines()[2:])


def test_a_route_beside_it_to_its_service_says_openshift() -> None:
    found = run(*_tree("route-by-service")).findings
    assert brief(found) == [
        ("notebook-uid-mismatch", 9, 5),
        ("notebook-home-persistent", 12, 11),
        ("notebook-read-only-root-filesystem", 12, 11),
    ]


def test_a_legacy_route_of_no_api_group_says_openshift_too() -> None:
    # `apiVersion: v1` Routes (OpenShift 3, still in old Templates): no Kubernetes API has one.
    assert (
        brief(run(*_tree("legacy-route-by-service")).findings)
        == brief(run(*_tree("route-by-service")).findings)
        != []
    )


def test_a_route_elsewhere_in_the_tree_is_no_sign() -> None:
    found = run(*_tree("route-elsewhere")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("allow-privilege-escalation", 12, "error"),
        ("capabilities-restricted", 12, "error"),
        ("notebook-home-persistent", 12, "warning"),
        ("notebook-read-only-root-filesystem", 12, "warning"),
        ("notebook-run-as-user", 12, "warning"),
        ("run-as-non-root", 12, "error"),
        ("seccomp-profile-restricted", 12, "error"),
    ]


def test_the_option_says_openshift_for_a_workload_with_no_sign() -> None:
    found = run(
        D / "route-elsewhere" / "app" / "lab.yaml", kubeflow_distribution="openshift-ai"
    ).findings
    assert not _rules(found) & SATISFIED_BY_SCC
    assert brief(found) == [
        ("notebook-uid-mismatch", 9, 5),
        ("notebook-home-persistent", 12, 11),
        ("notebook-read-only-root-filesystem", 12, 11),
    ]
    assert "as --kubeflow-distribution openshift-ai says" in (found[0].note or "")


# --- an image of the internal registry, the namespace's range ----------------------------------


def test_an_internal_registry_image_is_refused_at_each_field() -> None:
    found = run(D / "internal-registry-refused.yaml").findings
    assert [(f.rule, f.line, f.column, f.severity) for f in found] == [
        ("openshift-scc-refused", 14, 13, "error"),
        ("openshift-scc-refused", 15, 13, "error"),
    ]
    assert "runs as root (runAsUser: 0" in found[0].message
    assert "its Deployment cannot create the pod (FailedCreate" in found[0].message
    assert "from container lab's image, in OpenShift's internal registry" in found[0].message
    assert "is privileged" in found[1].message
    assert found[0].assumption is not None and "restricted-v2" in found[0].assumption


def test_a_server_of_the_internal_registry_gets_no_uid() -> None:
    path = D / "internal-registry-server.yaml"
    found = run(path).findings
    assert [(f.rule, f.line) for f in found] == [("workload-not-a-notebook", 12)]
    text = fix_file(path).texts.get(str(path), path.read_text())
    assert not FIXED_ID.search(text)


def test_a_uid_outside_the_namespaces_range_is_refused() -> None:
    found = run(*_tree("namespace-range")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("openshift-scc-range", 12, "error"),
        ("notebook-home-persistent", 14, "warning"),
        ("notebook-read-only-root-filesystem", 14, "warning"),
        ("ns-unknown-namespace", 4, "info"),
    ]
    assert "outside namespace team's range 1000700000/10000" in found[0].message


# --- the fixes ---------------------------------------------------------------------------------


def test_the_unsafe_fixes_set_no_fixed_uid_or_gid() -> None:
    for name in ("route-same-file", "unsafe-fix"):
        path = D / name / "lab.yaml"
        text = fix_file(path).texts.get(str(path), path.read_text())
        assert not FIXED_ID.search(text), name
    path = D / "unsafe-fix" / "lab.yaml"
    text = fix_file(path).texts.get(str(path), path.read_text())
    assert "runAsNonRoot: true" in text and "runAsNonRoot: false" not in text


def test_every_manifest_hint_that_fixes_an_id_has_an_openshift_one() -> None:
    import yaml

    fixed = re.compile(r"\b(runAsUser|runAsGroup|fsGroup): (\{(?!scc_uid\})|\d)")
    missing = []
    for path in sorted((FIXTURES.parent.parent / "rules").rglob("*.yaml")):
        stack = [yaml.safe_load(path.read_text())]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                fix = node.get("fix")
                if isinstance(fix, dict):
                    hint = fix.get("manifest")
                    if isinstance(hint, str) and fixed.search(hint):
                        openshift = fix.get("manifest-openshift")
                        if not isinstance(openshift, str) or fixed.search(_code(openshift)):
                            missing.append(path.name)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
    assert missing == []


def _code(hint: str) -> str:
    """A hint without its comment lines (advice may name the uid it tells not to set)."""
    return "\n".join(line for line in hint.splitlines() if not line.lstrip().startswith("#"))


# --- another SCC -------------------------------------------------------------------------------


def test_a_service_account_bound_to_anyuid_is_not_judged_by_restricted_v2() -> None:
    found = run(D / "anyuid-binding.yaml").findings
    other = [f for f in found if f.rule == "openshift-scc-other"]
    assert [(f.line, f.column, f.severity) for f in other] == [(19, 5, "info")]
    assert "ClusterRole/system:openshift:scc:anyuid" in other[0].message
    assert "SCC anyuid" in other[0].message
    # Judged as written: root is run-as-user's, not a refusal by restricted-v2.
    assert "openshift-scc-refused" not in _rules(found)
    assert {"run-as-user", "notebook-no-sudo", "run-as-non-root"} <= _rules(found)


def test_a_role_granting_use_of_an_scc_is_another_scc() -> None:
    found = run(*_tree("scc-role-use")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("openshift-scc-other", 9, "info"),
        ("allow-privilege-escalation", 15, "error"),
        ("capabilities-restricted", 15, "error"),
        ("notebook-read-only-root-filesystem", 15, "warning"),
        ("notebook-resources", 15, "warning"),
        ("seccomp-profile-restricted", 15, "error"),
        ("notebook-image-unknown", 16, "info"),
    ]
    assert "Role/use-nonroot" in found[0].message and "SCC nonroot-v2" in found[0].message
    # Its uid 1000 is not refused: nonroot-v2 allows it.
    assert "openshift-scc-range" not in _rules(found)


def test_a_binding_of_another_directory_in_a_placeholder_namespace_is_not_the_pods() -> None:
    found = run(*_tree("scc-binding-elsewhere")).findings
    # Judged by restricted-v2: nothing it sets is reported, and no other SCC is claimed.
    assert [(f.rule, f.line) for f in found] == [
        ("notebook-read-only-root-filesystem", 12),
        ("notebook-image-unknown", 13),
    ]


# --- an SCC's own users: and groups: (field test 13b, D1) ---------------------------------------

#: What the pod of the scc-users and scc-groups trees gets, judged as written (root included).
AS_WRITTEN = [
    ("notebook-service-account-token", 10, "warning"),
    ("openshift-scc-other", 10, "info"),
    ("run-as-user", 13, "error"),
    ("allow-privilege-escalation", 15, "error"),
    ("capabilities-restricted", 15, "error"),
    ("notebook-home-persistent", 15, "warning"),
    ("notebook-read-only-root-filesystem", 15, "warning"),
    ("notebook-resources", 15, "warning"),
    ("run-as-non-root", 15, "error"),
    ("seccomp-profile-restricted", 15, "error"),
]


def test_an_scc_whose_users_name_the_pods_service_account_is_another_scc() -> None:
    found = run(*_tree("scc-users")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == AS_WRITTEN
    other = found[1]
    assert other.file.endswith("scc-users/lab.yaml")
    assert (
        "SecurityContextConstraints/lab-root lists system:serviceaccount:team:lab in its users at "
    ) in other.message
    assert "scc-users/scc.yaml:10, which grants use of the SCC lab-root" in other.message


def test_an_scc_whose_groups_name_the_pods_namespace_is_another_scc() -> None:
    found = run(*_tree("scc-groups")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == AS_WRITTEN
    assert (
        "SecurityContextConstraints/lab-root lists system:serviceaccounts:team in its groups"
        in found[1].message
    )


def test_an_scc_for_every_service_account_is_another_scc(tmp_path) -> None:
    lab = tmp_path / "app" / "lab.yaml"
    lab.parent.mkdir()
    lab.write_text((D / "scc-users" / "lab.yaml").read_text())
    scc = tmp_path / "cluster" / "scc.yaml"
    scc.parent.mkdir()
    written = (D / "scc-users" / "scc.yaml").read_text()
    scc.write_text(
        written.replace("users:", "groups:").replace(
            "system:serviceaccount:team:lab", "system:serviceaccounts"
        )
    )
    found = run(lab, scc).findings
    assert [(f.rule, f.line, f.severity) for f in found] == AS_WRITTEN
    assert "lists system:serviceaccounts in its groups" in found[1].message


def test_an_openshift_form_binding_to_an_scc_role_is_another_scc() -> None:
    # Field test 18b, D3: authorization.openshift.io/v1 with the legacy userNames and a roleRef
    # without kind (a ClusterRole), as `oc adm policy add-scc-to-user` may have written it.
    found = run(*_tree("scc-openshift-binding")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == AS_WRITTEN
    assert (
        "RoleBinding/lab-anyuid binds ServiceAccount lab to ClusterRole/system:openshift:scc:anyuid"
        " at " in found[1].message
    )
    assert "binding.yaml:9, which grants use of the SCC anyuid" in found[1].message


def test_an_scc_that_names_another_service_account_changes_nothing() -> None:
    found = run(*_tree("scc-users-other-account")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("openshift-scc-refused", 13, "error"),
    ]
    assert "cannot create the pod (FailedCreate" in found[0].message


def test_an_scc_of_another_directory_in_a_placeholder_namespace_is_not_the_pods() -> None:
    found = run(*_tree("scc-users-placeholder")).findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("openshift-scc-refused", 12, "error"),
    ]
