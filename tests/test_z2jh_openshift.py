"""z2jh deployed on OpenShift (field test 9a): its user pods run under the restricted-v2 SCC.

* nblint takes a release as OpenShift's only on a sign that says so: ``--kubeflow-distribution
  openshift-ai``, the release's namespace with ``openshift.io/sa.scc.uid-range``, an
  ``openshift.io`` annotation key or an internal-registry image in the values, or a chart id
  nulled beside a value that names OpenShift (the OpenShiftOAuthenticator). ``uid: null`` alone
  is no sign: behaviour unchanged.
* On OpenShift the nulled ids are deliberate: no fix sets a fixed uid; the PSA and checklist
  findings restricted-v2 satisfies at admission (seccomp, capabilities, runAsNonRoot, the uid,
  the fsGroup) are not reported; what it refuses is ``openshift-scc-refused`` at the values line,
  and the chart's default ids ``openshift-scc-range``'s.
"""

from __future__ import annotations

from conftest import FIXTURES, brief, run
from test_fix import fix_file

D = FIXTURES / "z2jh" / "openshift"
NAMESPACE = D / "namespace-jhub.yaml"
#: The PSA findings restricted-v2 satisfies at admission, and the checklist's uid/fsGroup ones.
SATISFIED_BY_SCC = {
    "run-as-non-root",
    "seccomp-profile-restricted",
    "capabilities-restricted",
    "allow-privilege-escalation",
    "notebook-run-as-user",
    "notebook-home-writable",
}


def _rules(findings: list) -> set[str]:
    return {f.rule for f in findings}


# --- a release nblint knows is OpenShift's -----------------------------------------------------


def test_values_adapted_for_openshift_get_no_finding_the_scc_satisfies() -> None:
    found = run(D / "oauthenticator-ids-nulled.yaml").findings
    assert [(f.rule, f.line, f.column, f.severity) for f in found] == [
        ("notebook-read-only-root-filesystem", 4, 3, "warning"),
        ("notebook-uid-mismatch", 18, 1, "warning"),
    ]
    (mismatch,) = [f for f in found if f.rule == "notebook-uid-mismatch"]
    # The uid the SCC assigns (1000680000 stands for the range), said with the sign nblint took.
    assert "runs as uid 1000680000" in mismatch.message
    assert mismatch.note is not None and "restricted-v2" in mismatch.note
    assert (
        "assumed: OpenShift, from `singleuser.uid: null` with `hub.config.OpenShiftOAuthenticator`"
        in mismatch.note
    )
    # Its hint is OpenShift's: advice, never a uid restricted-v2 refuses.
    assert mismatch.applicability == "display-only"
    assert mismatch.fix is not None and "restricted-v2" in mismatch.fix
    assert all(line.startswith("#") for line in mismatch.fix.splitlines())


def test_the_unsafe_fixes_leave_the_nulled_uid_to_the_scc() -> None:
    path = D / "oauthenticator-ids-nulled.yaml"
    text = fix_file(path).texts.get(str(path), path.read_text())
    assert "  uid: null\n" in text and "  fsGid: null\n" in text
    assert "uid: 1000" not in text and "fsGid: 100" not in text


def test_the_option_says_openshift_for_values_that_do_not() -> None:
    found = run(D / "uid-null-not-openshift.yaml", kubeflow_distribution="openshift-ai").findings
    assert [(f.rule, f.line) for f in found] == [
        ("notebook-authentication", 3),
        ("notebook-read-only-root-filesystem", 3),
        ("notebook-uid-mismatch", 3),
    ]
    assert "as --kubeflow-distribution openshift-ai says" in (found[2].note or "")


def test_the_namespace_annotated_by_openshift_says_it() -> None:
    found = run(D / "uid-null-not-openshift.yaml", cluster=[NAMESPACE], namespace="jhub").findings
    assert [(f.rule, f.line) for f in found] == [
        ("ns-unknown-namespace", 5),
        ("notebook-authentication", 3),
        ("notebook-read-only-root-filesystem", 3),
        ("notebook-uid-mismatch", 3),
    ]
    assert "namespace jhub's openshift.io/sa.scc.uid-range" in (found[3].note or "")
    # Another namespace is no sign.
    other = run(D / "uid-null-not-openshift.yaml", cluster=[NAMESPACE], namespace="other")
    assert SATISFIED_BY_SCC & _rules(other.findings)


def test_the_chart_init_container_is_refused_at_the_values_line() -> None:
    found = run(D / "serving-cert-chart-defaults.yaml").findings
    # The hub's own setting holds whether or not the user pod starts (field test 12a D2).
    refused = [("openshift-scc-refused", 7, 1)] * 3
    assert brief(found) == [("notebook-authentication", 3, 1), *refused]
    found = found[1:]
    assert [f.message.split(": ", 1)[1].split(" (", 1)[0] for f in found] == [
        "init container block-cloud-metadata is privileged",
        "init container block-cloud-metadata adds capability NET_ADMIN",
        "init container block-cloud-metadata runs as root",
    ]
    first = found[0]
    assert first.severity == "error" and first.applicability == "display-only"
    assert "KubeSpawner's request to create the pod is forbidden" in first.message
    assert (
        "assumed: OpenShift, from the key "
        "`proxy.service.annotations.service.beta.openshift.io/serving-cert-secret-name`"
    ) in first.message
    assert first.assumption is not None and "restricted-v2" in first.assumption
    assert first.fix is not None and "blockWithIptables: false" in first.fix
    # The pod is never created: nothing else of it is judged.
    assert run(D / "serving-cert-chart-defaults.yaml").pods == []


def test_the_chart_default_ids_are_outside_every_range() -> None:
    found = run(D / "serving-cert-chart-ids.yaml").findings
    assert [(f.rule, f.line, f.severity, f.applicability) for f in found] == [
        ("notebook-authentication", 3, "error", "display-only"),
        ("notebook-read-only-root-filesystem", 3, "warning", "unsafe"),
        ("notebook-resources", 7, "warning", "unsafe"),
        ("openshift-scc-range", 7, "error", "display-only"),
        ("openshift-scc-range", 7, "error", "display-only"),
    ]
    fs_group, uid = found[3], found[4]
    assert fs_group.message.startswith("fsGroup 100 is in no namespace's range")
    assert uid.message.startswith("runAsUser 1000 is in no namespace's range")
    assert "the user's server fails to start" in uid.message
    assert fs_group.note is not None and "chart default `singleuser.fsGid: 100`" in fs_group.note
    assert fs_group.fix is not None and fs_group.fix.endswith("singleuser:\n  fsGid: null")
    assert uid.fix is not None and uid.fix.endswith("singleuser:\n  uid: null")


def test_with_the_namespace_its_range_is_named() -> None:
    found = run(D / "serving-cert-chart-ids.yaml", cluster=[NAMESPACE], namespace="jhub").findings
    ranged = [f for f in found if f.rule == "openshift-scc-range"]
    assert [f.message.split(" (", 1)[0] for f in ranged] == [
        "fsGroup 100 is outside namespace jhub's range 1000680000/10000",
        "runAsUser 1000 is outside namespace jhub's range 1000680000/10000",
    ]


def test_what_the_scc_refuses_is_said_at_its_own_line() -> None:
    found = run(D / "internal-registry-refused.yaml")
    assert brief(found.findings) == [
        ("notebook-authentication", 3, 1),
        ("openshift-scc-refused", 15, 9),
        ("openshift-scc-refused", 19, 9),
    ]
    assert "container fuse is privileged" in found.findings[1].message
    assert "volume datasets is a hostPath volume" in found.findings[2].message
    assert "OpenShift's internal registry" in found.findings[1].message
    assert found.pods == []


def test_a_profiles_uid_is_refused_in_that_profile_only() -> None:
    found = run(D / "profile-uid.yaml", kubeflow_distribution="openshift-ai").findings
    ranged = [f for f in found if f.rule.startswith("openshift-scc")]
    assert [(f.rule, f.line, f.column, f.profile) for f in ranged] == [
        ("openshift-scc-range", 15, 9, "Fixed uid")
    ]
    # Advice (that override is the place to edit), never another uid.
    assert ranged[0].applicability == "display-only"
    assert ranged[0].fix is not None and ranged[0].fix.startswith("# Remove the runAsUser 1000")


# --- nothing says OpenShift: behaviour unchanged -----------------------------------------------


def test_a_null_uid_alone_is_no_sign_of_openshift() -> None:
    found = run(D / "uid-null-not-openshift.yaml").findings
    assert [(f.rule, f.line) for f in found] == [
        ("capabilities-restricted", 3),
        ("notebook-authentication", 3),
        ("notebook-read-only-root-filesystem", 3),
        ("run-as-non-root", 3),
        ("seccomp-profile-restricted", 3),
        ("notebook-run-as-user", 4),
        ("notebook-home-writable", 5),
    ]
    assert not any(f.rule.startswith("openshift-scc") for f in found)
    assert all("restricted-v2" not in (f.note or "") for f in found)


def test_the_upstream_option_value_reads_the_signs_as_auto_does() -> None:
    plain = run(D / "uid-null-not-openshift.yaml", kubeflow_distribution="kubeflow").findings
    assert SATISFIED_BY_SCC & _rules(plain)
    signed = run(D / "oauthenticator-ids-nulled.yaml", kubeflow_distribution="kubeflow").findings
    assert not SATISFIED_BY_SCC & _rules(signed)


def test_a_route_to_the_proxy_in_the_releases_namespace_says_it() -> None:
    route = D / "route-to-proxy-public.yaml"
    values = D / "uid-null-not-openshift.yaml"
    found = run(values, route, namespace="jhub")
    assert [(f.rule, f.line) for f in found.findings] == [
        ("notebook-authentication", 3),
        ("notebook-read-only-root-filesystem", 3),
        ("notebook-uid-mismatch", 3),
    ]
    assert "the Route to proxy-public at " in (found.findings[2].note or "")
    assert found.skipped == {"Route": 1}  # indexed only, skipped as before
    # In another namespace it is not this release's Route.
    assert SATISFIED_BY_SCC & _rules(run(values, route, namespace="other").findings)
    # For a release whose namespace nblint does not know, it is when written beside its values
    # (applied together), as a RoleBinding is a pod's.
    assert not SATISFIED_BY_SCC & _rules(run(values, route).findings)


# --- a Route is a sign for the release it may serve (field test 12a D1, D6) --------------------

ELSEWHERE = D / "route-elsewhere"
#: A hub's findings with no sign of OpenShift (the chart's iptables init container included;
#: one per container, unfolded).
PLAIN_HUB = [
    ("allow-privilege-escalation", 2),
    *[("capabilities-restricted", 2)] * 3,
    ("notebook-authentication", 2),
    ("notebook-read-only-root-filesystem", 2),
    ("notebook-resources", 2),
    ("privileged", 2),
    *[("run-as-non-root", 2)] * 2,
    ("run-as-user", 2),
    *[("seccomp-profile-restricted", 2)] * 2,
]


def test_a_route_without_namespace_in_another_folder_is_not_this_hubs() -> None:
    route = ELSEWHERE / "openshift-hub" / "route.yaml"
    values = ELSEWHERE / "gke-hub" / "values.yaml"
    found = run(route, values)
    assert [(f.rule, f.line) for f in found.findings] == PLAIN_HUB
    assert all("OpenShift" not in (f.note or "") + f.message for f in found.findings)
    assert len(found.pods) == 1


def test_a_walk_of_two_hubs_keeps_each_routes_sign_to_its_own() -> None:
    # The refused hub has its Route beside it; the GKE hub of the other folder has none.
    here = D / "refused-hub-settings"
    found = run(
        ELSEWHERE / "gke-hub" / "values.yaml",
        here / "route.yaml",
        here / "values.yaml",
    ).findings

    def of(folder: str) -> list[tuple[str, int]]:
        return [(f.rule, f.line) for f in found if f.file.endswith(f"{folder}/values.yaml")]

    assert of("gke-hub") == PLAIN_HUB
    assert of("refused-hub-settings") == [
        ("notebook-authentication", 7),
        ("notebook-idle-culling", 9),
        *[("openshift-scc-refused", 10)] * 3,
    ]


def test_a_route_whose_namespace_is_a_placeholder_is_the_sign_of_the_hub_beside_it() -> None:
    here = D / "route-placeholder-namespace"
    found = run(here / "route.yaml", here / "values.yaml").findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("notebook-authentication", 2, "error"),
        ("notebook-read-only-root-filesystem", 2, "warning"),
        ("notebook-resources", 2, "warning"),
        ("openshift-scc-range", 2, "error"),
        ("openshift-scc-range", 2, "error"),
    ]
    ranged = found[3]
    assert (
        ranged.assumption
        == "OpenShift, from the Route to proxy-public at " + str(here / "route.yaml") + ":11"
    )
    # A placeholder Route of another folder is not its sign.
    alone = run(ELSEWHERE / "gke-hub" / "values.yaml", here / "route.yaml").findings
    assert [(f.rule, f.line) for f in alone] == PLAIN_HUB


def test_a_route_beside_the_kustomization_serves_the_values_it_names() -> None:
    here = D / "route-kustomization"
    found = run(
        here / "hub" / "kustomization.yaml",
        here / "hub" / "route.yaml",
        here / "values" / "values.yaml",
    )
    assert [(f.rule, f.file.rsplit("/", 2)[-2], f.line) for f in found.findings] == [
        ("z2jh-chart-version", "hub", 10),
        ("notebook-authentication", "values", 2),
        ("notebook-read-only-root-filesystem", "values", 2),
        ("notebook-resources", "values", 2),
        ("notebook-uid-mismatch", "values", 2),
    ]
    assert "from the Route to proxy-public at " in (found.findings[-1].note or "")


# --- what holds when the pod is refused, and what is said (field test 12a D2, D4, D5) ----------


def test_a_refused_user_pod_keeps_the_hubs_own_findings() -> None:
    here = D / "refused-hub-settings"
    found = run(here / "route.yaml", here / "values.yaml")
    assert [(f.rule, f.line, f.column) for f in found.findings] == [
        ("notebook-authentication", 7, 7),
        ("notebook-idle-culling", 9, 3),
        ("openshift-scc-refused", 10, 1),
        ("openshift-scc-refused", 10, 1),
        ("openshift-scc-refused", 10, 1),
    ]
    # Still no pod: it is never created, and nothing of it is judged but the hub's settings.
    assert found.pods == []


def test_the_home_volume_with_the_sccs_fsgroup_is_not_read_only() -> None:
    found = run(D / "oauthenticator-ids-nulled.yaml").findings
    (mismatch,) = [f for f in found if f.rule == "notebook-uid-mismatch"]
    assert mismatch.message.endswith(
        "gives its files to jovyan (1000): package directories will be read-only (HOME, "
        "/home/jovyan, is a volume that fsGroup 1000680000 makes writable, where its storage "
        "honours fsGroup)"
    )


def test_openshift_from_an_image_name_says_its_sign() -> None:
    found = run(D / "image-name-sign.yaml").findings
    assert [(f.rule, f.line, f.group) for f in found] == [
        ("notebook-authentication", 4, "notebook"),
        ("notebook-read-only-root-filesystem", 4, "notebook"),
        ("notebook-resources", 4, "notebook"),
        ("openshift-scc-range", 4, "openshift"),
        ("notebook-image-unknown", 6, "notebook"),
    ]
    assert found[3].assumption == (
        "OpenShift, from `singleuser.uid: null` with `singleuser.image.name: "
        "quay.io/jupyteronopenshift/s2i-minimal-notebook-py36`"
    )
    # `--select openshift` takes the OpenShift rules of a z2jh release, `--select z2jh` not.
    assert [f.rule for f in run(D / "image-name-sign.yaml", select={"openshift"}).findings] == [
        "openshift-scc-range"
    ]


# --- another SCC (field test 13b, D1) ---------------------------------------------------------


def test_an_scc_whose_users_name_the_user_pods_service_account_is_another_scc() -> None:
    tree = sorted((D / "scc-users").glob("*.yaml"))
    found = run(*tree, namespace="jhub").findings
    assert [(f.rule, f.line, f.severity) for f in found] == [
        ("capabilities-restricted", 3, "error"),
        ("notebook-authentication", 3, "error"),
        ("notebook-read-only-root-filesystem", 3, "warning"),
        ("run-as-non-root", 3, "error"),
        ("seccomp-profile-restricted", 3, "error"),
        ("allow-privilege-escalation", 7, "error"),
        ("capabilities-restricted", 7, "error"),
        ("capabilities-restricted", 7, "error"),
        ("notebook-resources", 7, "warning"),
        ("openshift-scc-other", 7, "info"),
        ("privileged", 7, "error"),
        ("run-as-non-root", 7, "error"),
        ("run-as-user", 7, "error"),
        ("seccomp-profile-restricted", 7, "error"),
    ]
    (other,) = [f for f in found if f.rule == "openshift-scc-other"]
    assert other.message.startswith("the user pod runs on OpenShift (assumed: OpenShift, from")
    assert (
        "its ServiceAccount default may use an SCC other than restricted-v2 "
        "(SecurityContextConstraints/jhub-users lists system:serviceaccount:jhub:default in its "
        "users at "
    ) in other.message
    # Judged as written: no restricted-v2 hints, no range check of the chart's ids.
    assert "openshift-scc-refused" not in _rules(found)
    assert "openshift-scc-range" not in _rules(found)


def test_an_scc_for_another_namespace_leaves_the_user_pod_to_restricted_v2() -> None:
    tree = sorted((D / "scc-users").glob("*.yaml"))
    found = run(*tree, namespace="other").findings
    # (The hub's own settings are judged for a refused pod too: its dummy authenticator.)
    assert (
        brief(found) == [("notebook-authentication", 3, 1)] + [("openshift-scc-refused", 7, 1)] * 3
    )


def test_an_scc_whose_users_name_the_hubs_service_account_is_another_scc() -> None:
    # KubeSpawner creates the user pod with the hub's ServiceAccount (`hub`, the chart's name for
    # it): admission tries the SCCs the pod's creator may use too.
    tree = sorted((D / "scc-users-hub").glob("*.yaml"))
    found = run(*tree, namespace="jhub").findings
    (other,) = [f for f in found if f.rule == "openshift-scc-other"]
    assert (other.line, other.severity) == (7, "info")
    assert (
        "but the ServiceAccount hub that creates it (the hub's) may use an SCC other than "
        "restricted-v2 (SecurityContextConstraints/jhub-hub lists system:serviceaccount:jhub:hub "
        "in its users at "
    ) in other.message
    assert "openshift-scc-refused" not in _rules(found)


def test_a_hub_named_after_the_release_is_not_known_to_be_the_one_an_scc_names(tmp_path) -> None:
    # fullnameOverride: null names the hub after the release, which nblint cannot know.
    values = tmp_path / "values.yaml"
    values.write_text((D / "scc-users-hub" / "values.yaml").read_text() + "fullnameOverride:\n")
    scc = tmp_path / "scc.yaml"
    scc.write_text((D / "scc-users-hub" / "scc.yaml").read_text())
    found = run(values, scc, namespace="jhub").findings
    # (The hub's own settings are judged for a refused pod too: its dummy authenticator.)
    assert (
        brief(found) == [("notebook-authentication", 3, 1)] + [("openshift-scc-refused", 7, 1)] * 3
    )


# --- signs in the values' own text and folders (field test 14a, design comment 2) --------------


def test_a_nulled_id_whose_comment_names_openshift_says_it() -> None:
    path = D / "uid-null-comment-names-openshift.yaml"
    found = run(path).findings
    assert [(f.rule, f.line, f.applicability) for f in found] == [
        ("notebook-authentication", 3, "display-only"),
        ("notebook-read-only-root-filesystem", 3, "unsafe"),
        ("notebook-uid-mismatch", 3, "display-only"),
    ]
    assert (
        "assumed: OpenShift, from `singleuser.uid: null` and its comment "
        "`# let openshift set the value`" in (found[2].note or "")
    )
    # The unsafe fixes leave the nulls, and their comments, to the SCC.
    text = fix_file(path, unsafe=True).texts.get(str(path), path.read_text())
    assert "  uid: # let openshift set the value\n" in text
    assert "  fsGid: null  # let OpenShift set the value\n" in text


def test_a_null_with_another_reason_is_not_openshift_and_not_written_over() -> None:
    path = D / "uid-null-with-a-reason.yaml"
    found = run(path).findings
    assert [(f.rule, f.line, f.applicability) for f in found] == [
        ("capabilities-restricted", 3, "safe"),
        ("notebook-authentication", 3, "display-only"),
        ("notebook-read-only-root-filesystem", 3, "unsafe"),
        ("run-as-non-root", 3, "display-only"),
        ("seccomp-profile-restricted", 3, "safe"),
        ("notebook-run-as-user", 4, "display-only"),
        ("notebook-home-writable", 5, "unsafe"),
    ]
    assert all("OpenShift" not in (f.note or "") for f in found)
    (run_as_user,) = [f for f in found if f.rule == "notebook-run-as-user"]
    assert run_as_user.fix == (
        "# not applied: `singleuser.uid: null` in uid-null-with-a-reason.yaml is written on "
        "purpose:\n"
        "#   # the image's own user (1001) owns /opt/app\n"
        "# write it yourself if that no longer holds:\n"
        "singleuser:\n"
        "  uid: 1000   # jovyan, the image's notebook user"
    )
    text = fix_file(path, unsafe=True).texts.get(str(path), path.read_text())
    assert "  uid: # the image's own user (1001) owns /opt/app\n" in text
    # A null without a comment is written over as before (fsGid: the home's group).
    assert "fsGid: 100" in text


def test_a_route_to_the_proxy_in_a_folder_below_the_values_says_it() -> None:
    here = D / "route-below"
    found = run(here / "values.yaml", here / "openshift" / "route.yaml").findings
    assert [(f.rule, f.line) for f in found] == [
        ("notebook-authentication", 3),
        ("notebook-read-only-root-filesystem", 3),
        ("notebook-uid-mismatch", 3),
    ]
    assert "from the Route to proxy-public at " in (found[2].note or "")
    # Below another tree's values it is not this release's Route.
    other = run(ELSEWHERE / "gke-hub" / "values.yaml", here / "openshift" / "route.yaml")
    assert [(f.rule, f.line) for f in other.findings] == PLAIN_HUB


def test_a_route_below_the_values_to_another_service_is_no_sign() -> None:
    here = D / "route-below-other-service"
    found = run(here / "values.yaml", here / "openshift" / "route.yaml").findings
    assert SATISFIED_BY_SCC & _rules(found)
    assert all("OpenShift" not in (f.note or "") for f in found)
