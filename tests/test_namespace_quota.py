"""ResourceQuota and capacity (namespace-admission.md §3-§5): the "must specify" rule, a pod or
PVC larger than a quota, keys nothing is charged for, scopes, what the z2jh chart's own pods and
PVC take, how many servers fit — and the chapter's setup. One small multi-document fixture per
case in ``fixtures/namespace/``; each test asserts the exact findings."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, run, write

from nblint.model.finding import Finding

NS = FIXTURES / "namespace"
QUOTA = {"namespace"}


def placed(findings: list[Finding], *rules: str) -> list[tuple[str, int, int, int | None]]:
    """``(rule, line, column, line of the cause)`` of the findings of ``rules`` (all when none
    is named)."""
    return [
        (f.rule, f.line, f.column, f.cause.line if f.cause else None)
        for f in findings
        if not rules or f.rule in rules
    ]


def test_every_container_and_init_container_must_say_what_the_quota_tracks() -> None:
    found = run(NS / "quota-must-specify-init-container.yaml", select=QUOTA).findings
    rules = ("quota-requires-limits", "quota-requires-requests")
    # notebook: limits only, so its memory request is its limit; fetch: nothing; proxy: a cpu
    # request but no limit and no memory
    assert placed(found, *rules) == [
        ("quota-requires-limits", 18, 7, 8),
        ("quota-requires-requests", 18, 7, 9),
        ("quota-requires-limits", 29, 7, 8),
        ("quota-requires-requests", 29, 7, 9),
    ]
    assert [f.container for f in found if f.rule in rules] == ["fetch", "fetch", "proxy", "proxy"]
    assert found[1].message == (
        "init container fetch sets no limits.cpu, which ResourceQuota/compute tracks: the pod is "
        "rejected (failed quota: compute: must specify limits.cpu for: fetch,proxy; "
        "requests.memory for: fetch,proxy)"
    )


def test_limitrange_defaults_satisfy_the_quota_before_it_looks() -> None:
    found = run(NS / "quota-must-specify-met-by-limitrange.yaml", select=QUOTA).findings
    assert {f.rule for f in found} == {"limitrange-default-applied", "ns-unknown-namespace"}


def test_one_pod_larger_than_the_quota_is_always_rejected() -> None:
    found = run(NS / "quota-exceeds-hard-gpu.yaml", select=QUOTA).findings
    assert placed(found, "quota-exceeds-hard") == [("quota-exceeds-hard", 21, 11, 8)]
    finding = found[-1]
    assert finding.message == (
        "exceeded quota: gpu-budget, requested: requests.nvidia.com/gpu=4, used: "
        "requests.nvidia.com/gpu=0, limited: requests.nvidia.com/gpu=2 — one such pod is more "
        "than the quota holds: the pod is rejected"
    )
    assert finding.assumption == "no other usage in the namespace"


def test_a_gpu_profile_in_a_namespace_without_gpus_never_starts() -> None:
    found = run(NS / "quota-no-gpu-z2jh-profile.yaml", select=QUOTA, namespace="jhub").findings
    exceeded = [f for f in found if f.rule == "quota-exceeds-hard"]
    assert [(f.line, f.column, f.profile) for f in exceeded] == [(16, 33, "GPU")]
    assert exceeded[0].message.endswith("every spawn of this server fails")


def test_extended_resources_are_charged_only_as_requests() -> None:
    found = run(NS / "quota-key-ineffective.yaml", select=QUOTA).findings
    assert placed(found) == [
        ("quota-key-ineffective", 8, 5, None),
        ("quota-key-ineffective", 9, 5, None),
    ]
    assert found[1].message == (
        "limits.nvidia.com/gpu is never charged: a quota counts an extended resource only as "
        "requests.nvidia.com/gpu (its request, which equals its limit), so this key limits nothing"
    )


def test_the_fix_of_a_never_charged_key_keeps_its_amount_where_the_quota_is_written() -> None:
    found = run(NS / "quota-key-ineffective.yaml", select=QUOTA).findings
    assert found[0].fix == (
        'spec:\n  hard:\n    requests.nvidia.com/gpu: "4"   # instead of nvidia.com/gpu'
    )


def test_a_misspelt_requests_prefix_names_the_key_meant_in_the_profile() -> None:
    found = run(NS / "quota-key-misspelt-in-profile.yaml", select={"quota-key-ineffective"})
    [finding] = found.findings
    assert (finding.line, finding.column) == (13, 7)
    assert finding.message.startswith(
        "reqeusts.nvidia.com/gpu is never charged: a quota counts an extended resource only as "
        "requests.nvidia.com/gpu (its request"
    )
    assert finding.fix == (
        "spec:\n  resourceQuotaSpec:\n    hard:\n"
        '      requests.nvidia.com/gpu: "1"   # instead of reqeusts.nvidia.com/gpu'
    )


def test_a_gpu_only_pod_is_best_effort_and_a_best_effort_quota_of_zero_refuses_it() -> None:
    found = run(NS / "quota-besteffort.yaml", select=QUOTA).findings
    assert placed(found, "quota-besteffort", "quota-exceeds-hard") == [
        ("quota-besteffort", 20, 7, 8)
    ]


def test_scopes_decide_which_quotas_judge_a_pod() -> None:
    found = run(NS / "quota-scopes.yaml", select=QUOTA).findings
    # best-effort: NotBestEffort does not match it, and it names no priority class
    # high: NotBestEffort (limits.cpu set) and PriorityClass In [high] both match
    # burstable-default-priority: NotBestEffort matches, the PriorityClass quota does not
    assert [(f.object, f.rule, f.cause.object if f.cause else None) for f in found if f.cause] == [
        ("Pod/high", "quota-requires-requests", "ResourceQuota/high-priority"),
        (
            "Pod/burstable-default-priority",
            "quota-requires-limits",
            "ResourceQuota/not-best-effort",
        ),
    ]


def test_objects_with_no_namespace_judge_pods_with_no_namespace_and_say_so() -> None:
    found = run(NS / "unnamed-namespace-quota-and-pod.yaml", select=QUOTA).findings
    assert placed(found) == [
        ("ns-unknown-namespace", 11, 1, None),
        ("quota-requires-limits", 15, 7, 7),
    ]
    assert found[0].assumption == (
        "the pod and the objects that name no namespace are applied to one namespace"
    )


def test_the_charts_own_pods_are_refused_unless_they_say_what_the_quota_tracks() -> None:
    found = run(NS / "quota-chart-pods.yaml", select=QUOTA).findings
    refused = [f for f in found if f.rule == "quota-chart-pods-unadmittable"]
    # hub.resources sets limits.cpu; the hook image puller is off
    assert [(f.line, f.message) for f in refused] == [
        (
            9,
            "the chart's proxy pod sets no limits.cpu, which ResourceQuota/compute tracks: the "
            "proxy never starts (the hub is unreachable)",
        ),
        (
            9,
            "the chart's user-scheduler pod sets no limits.cpu, which ResourceQuota/compute "
            "tracks: user pods stay Pending",
        ),
        (
            17,
            "the chart's continuous-image-puller pod sets no limits.cpu, which "
            "ResourceQuota/compute tracks: images are not pre-pulled",
        ),
    ]
    assert {f.profile for f in refused} == {None}  # once for the release


def test_capacity_of_the_reference_worked_example() -> None:
    found = run(NS / "capacity-worked-example.yaml", select={"quota-capacity"}).findings
    assert [(f.line, f.profile, f.message) for f in found] == [
        (
            11,
            None,
            "at most 39 user servers can have a home PVC, running or not (persistentvolumeclaims "
            "40 of ResourceQuota/compute, 1 each, 1 to the chart's own); a user may have 4 servers "
            "(hub.namedServerLimitPerUser: 3 and the default server), so 9 users can keep one for "
            "each of their servers",
        ),
        (
            37,
            "standard",
            'at most 23 servers of profile "standard" run at once (requests.cpu 24 of '
            "ResourceQuota/compute, 1 each, 200m to the chart's own; requests.memory 96Gi of "
            "ResourceQuota/compute, 4Gi each, 512Mi to the chart's own); a user may have 4 "
            "servers (hub.namedServerLimitPerUser: 3 and the default server), so 5 users can run "
            "all of theirs at once",
        ),
        (
            39,
            "large",
            'at most 5 servers of profile "large" run at once (requests.cpu 24 of '
            "ResourceQuota/compute, 4 each, 200m to the chart's own; requests.memory 96Gi of "
            "ResourceQuota/compute, 16Gi each, 512Mi to the chart's own); a user may have 4 "
            "servers (hub.namedServerLimitPerUser: 3 and the default server), so 1 user can run "
            "all of theirs at once",
        ),
    ]
    assert found[1].cause is not None and found[1].cause.line == 8
    assert found[1].assumption == (
        "no other usage in the namespace beside the chart's own pods; image-puller DaemonSet pods "
        "(one per node) not counted; no mutating webhook adds containers"
    )


def test_a_kubeflow_profile_stands_for_its_namespace_and_quota() -> None:
    found = run(NS / "profile-with-quota-and-notebook.yaml", select=QUOTA).findings
    assert placed(found) == [
        ("kubeflow-profile-namespace", 4, 3, None),
        # The controller creates the namespace with istio-injection: enabled, as a Namespace
        # manifest that says so: its sidecars are not seen (field test 7b D7).
        ("ns-injected-containers-unknown", 4, 3, None),
        ("quota-key-ineffective", 11, 7, None),
        ("ns-unknown-namespace", 17, 3, None),
        ("quota-capacity", 25, 24, 9),
    ]
    assert found[-1].message == (
        "at most 8 notebooks like Notebook/alice run at once (requests.cpu 8 of "
        "ResourceQuota/kf-resource-quota, 1 each; limits.memory 32Gi of "
        "ResourceQuota/kf-resource-quota, 4Gi each); fewer: namespace team-a has Istio sidecar "
        "injection (the profile controller labels it istio-injection: enabled when it creates it "
        "for Profile/team-a): Istio injects istio-proxy into each pod, whose requests and limits "
        "are charged too but not counted here (nblint does not see them)"
    )
    assert (
        found[-1].assumption
        == "no other usage in the namespace; no other mutating webhook adds containers"
    )


def test_a_limitrange_or_quota_written_twice_is_one_object_and_says_which_is_applied() -> None:
    found = run(NS / "limitrange-and-quota-written-twice.yaml", select=QUOTA).findings
    # No limitrange-default-conflict (one LimitRange, not two), nothing for the identical
    # copies of quota compute, and the manifest given last applied (cpu default 2), said at the
    # other one.
    assert placed(found) == [
        ("cluster-object-written-twice", 6, 3, 16),
        *[("limitrange-default-applied", 21, 17, 21)] * 2,
        *[("limitrange-default-applied", 21, 27, 21)] * 2,
        ("cluster-object-written-twice", 42, 3, 50),
        ("ns-unknown-namespace", 59, 3, None),
    ]
    assert (
        found[2].message
        == "limits.cpu 2 of container notebook is the default of LimitRange/defaults"
    )
    fixture = NS / "limitrange-and-quota-written-twice.yaml"
    assert found[0].message == (
        f"LimitRange/defaults of namespace team-a is written again at {fixture}:16 with another "
        "spec: one name is one object, and the cluster holds the manifest applied last, which "
        f"the inputs do not say; nblint applies the one at {fixture}:16, given last, and not "
        "this one"
    )


def test_a_profile_quota_replaces_its_kf_resource_quota_manifest() -> None:
    # The profile controller copies resourceQuotaSpec over kf-resource-quota: its 8Gi holds the
    # notebook's 2Gi, whatever the manifest written before it says.
    # The manifest, whose spec never holds, says so once (info), pointing at the Profile's.
    fixture = NS / "profile-quota-and-its-manifest.yaml"
    found = run(fixture, select=QUOTA).findings
    assert placed(found) == [
        ("cluster-object-written-twice", 6, 3, 17),
        ("kubeflow-profile-namespace", 14, 3, None),
        ("ns-injected-containers-unknown", 14, 3, None),
        ("ns-unknown-namespace", 24, 3, None),
    ]
    assert found[0].severity == "info"
    assert found[0].message == (
        "ResourceQuota/kf-resource-quota of namespace team-a is the quota Profile team-a stands "
        "for: the profile controller writes the Profile's resourceQuotaSpec "
        f"({fixture}:17) over this manifest at every reconcile, so this spec never holds; "
        "nblint applies the Profile's"
    )


def test_a_profile_whose_namespace_manifest_is_given_says_that_manifest_decides() -> None:
    # Not "its PodSecurity labels come from the controller's ConfigMap": the controller adopts
    # the namespace and adds only the labels it lacks, so the manifest's enforce label decides.
    fixture = NS / "profile-and-its-namespace-manifest.yaml"
    found = run(fixture, select={"namespace", "psa-baseline"}).findings
    assert placed(found) == [("kubeflow-profile-namespace", 13, 3, None), ("privileged", 29, 13, 7)]
    assert found[0].message == (
        f"Profile team-a stands for Namespace team-a, whose manifest is given ({fixture}:5): the "
        "profile controller adopts it (its owner annotation names the Profile's owner) and "
        "adds only the labels it lacks (app.kubernetes.io/part-of: kubeflow-profile) and no "
        "ResourceQuota (spec.resourceQuotaSpec.hard is empty); its Notebooks are checked at that "
        "manifest's PodSecurity labels"
    )


def test_a_profile_s_namespace_manifest_without_its_owner_annotation_is_not_surely_adopted(
    tmp_path: Path,
) -> None:
    # The profile controller adopts an existing namespace only when its owner annotation names
    # the Profile's owner: applied first, this Namespace is refused (no part-of label, so the
    # PodDefault webhook never runs); applied after the Profile, the controller created it with
    # its labels. Which one holds is not known: said at the Namespace, PodDefaults still apply.
    fixture = NS / "profile-namespace-without-owner.yaml"
    result = run(fixture, select={"namespace", "kubeflow", "restricted-volumes"})
    assert placed(result.findings) == [
        ("kubeflow-profile-namespace", 6, 3, None),
        ("kubeflow-profile-namespace-owner", 13, 3, None),
        # At the Namespace, whose missing label is the edit (field test 9b N5).
        ("ns-unknown-namespace", 13, 3, None),
        ("restricted-volumes", 26, 5, None),
        ("culling-not-visible", 32, 1, None),
        ("istio-init-restricted", 33, 1, None),
    ]
    owner = result.findings[1]
    assert owner.severity == "info"
    assert owner.message.startswith(
        f"Namespace team-a has no owner annotation, but Profile team-a ({fixture}:6) has owner "
        "alice@example.com: the profile controller adopts an existing namespace only when its "
        "owner annotation names the Profile's owner."
    )
    assert owner.fix == "metadata:\n  annotations:\n    owner: alice@example.com"
    assert "which it does not (kubeflow-profile-namespace-owner)" in result.findings[0].message
    # Istio is not said to be on (the "if the profile namespace has" form): not known.
    assert result.findings[5].message.startswith("if the profile namespace has Istio")
    # Another owner: the same.
    text = fixture.read_text().replace(
        "  name: team-a\n---", "  name: team-a\n  annotations: {owner: bob}\n---", 1
    )
    other = run(write(tmp_path, "x.yaml", text), select={"kubeflow-profile-namespace-owner"})
    assert [f.message.split(",")[0] for f in other.findings] == [
        'Namespace team-a has owner annotation "bob"'
    ]
    assert other.findings[0].fix == "owner: alice@example.com"


def test_a_namespace_with_istio_injection_says_what_nblint_does_not_see() -> None:
    found = run(NS / "namespace-istio-injection.yaml", select=QUOTA).findings
    assert placed(found) == [("ns-injected-containers-unknown", 6, 5, None)]


# ---------------------------------------------------------------------------------------------
# The chapter's setup: z2jh values, a namespace whose quota tracks requests.cpu=2,
# limits.memory=8Gi, persistentvolumeclaims=1, and two named servers per user.

CHAPTER = NS / "chapter"


def test_the_chapters_setup_says_what_happens_before_anything_is_deployed() -> None:
    result = run(
        CHAPTER / "values.yaml",
        cluster=[CHAPTER / "namespace.yaml"],
        namespace="jhub",
        select={"namespace", "psa-baseline"},
    )
    found = sorted(
        {(f.rule, f.line, f.severity, f.profile) for f in result.findings},
        key=lambda entry: (entry[1], entry[0], entry[3] or ""),
    )
    assert found == [
        # the chart's own pods set no resources: the hub never starts
        ("quota-chart-pods-unadmittable", 3, "error", None),
        # every spawn fails: the chart's block-cloud-metadata init container is privileged
        # (baseline enforced) and sets neither requests.cpu nor limits.memory (the quota)
        ("capabilities-baseline", 6, "error", "CPU notebook (default)"),
        ("capabilities-baseline", 6, "error", "GPU notebook"),
        ("privileged", 6, "error", "CPU notebook (default)"),
        ("privileged", 6, "error", "GPU notebook"),
        ("quota-requires-limits", 6, "error", "CPU notebook (default)"),
        ("quota-requires-limits", 6, "error", "GPU notebook"),
        ("quota-requires-requests", 6, "error", "CPU notebook (default)"),
        ("quota-requires-requests", 6, "error", "GPU notebook"),
        # the one PVC the quota allows is the hub's database: no user gets a home
        ("quota-profile-never-starts", 12, "warning", None),
        # no quota-capacity: every server is refused, so none runs (field test 14c D5)
    ]
    messages = {f.rule: f.message for f in result.findings if f.profile in (None, "GPU notebook")}
    assert messages["quota-requires-limits"] == (
        "init container block-cloud-metadata sets no limits.memory, which ResourceQuota/notebooks "
        "tracks: every spawn of this server fails (failed quota: notebooks: must specify "
        "limits.memory for: block-cloud-metadata; requests.cpu for: block-cloud-metadata)"
    )
    assert messages["quota-profile-never-starts"] == (
        "no user can get a home PVC: the chart's own PVC leaves no room (persistentvolumeclaims 1 "
        "of ResourceQuota/notebooks, 1 each, 1 to the chart's own); KubeSpawner creates the PVC "
        "before the pod, so the first spawn of every user fails"
    )


def test_without_the_namespace_the_chapters_values_look_clean_of_quota_problems() -> None:
    """Today's behaviour, the issue's point: nothing about quotas without the namespace."""
    result = run(CHAPTER / "values.yaml", select={"namespace"})
    assert result.findings == []


def test_a_profile_or_notebook_named_by_a_placeholder_names_no_namespace() -> None:
    fixture = NS / "profile-name-placeholder.yaml"
    found = run(fixture, select=QUOTA).findings
    # No quota of ${PROFILE_NAME} judges the Notebook (it is not known to be that namespace), and
    # no message names ${PROFILE_NAME} as a namespace.
    assert sorted({(f.rule, f.line, f.profile) for f in found}) == [
        ("kubeflow-profile-namespace", 8, None),
        ("ns-unknown-namespace", 30, None),
    ]
    assert found[0].message == (
        "Profile ${PROFILE_NAME}: its name is a placeholder, filled in before it is applied, so "
        "nblint cannot know which namespace it stands for: its quota is applied to no Notebook, "
        "and no namespace is taken to be its"
    )
    assert found[1].message == (
        "Notebook/alice names its namespace by a placeholder (${PROFILE_NAME}), filled in before "
        "it is applied: nblint cannot know the namespace, so PSA is checked at "
        "--psa-level/--psa-version (restricted:v1.37) and no LimitRange or ResourceQuota is "
        "applied"
    )


def test_placeholders_in_names_are_unknowable() -> None:
    from nblint.model.unknowable import is_unknowable_name

    assert is_unknowable_name("${PROFILE_NAME}")
    assert is_unknowable_name("$(profile-name)")
    assert is_unknowable_name("team-$(PROFILE)")
    assert is_unknowable_name("{{ .Values.profile }}")
    assert not is_unknowable_name("team-a")
    assert not is_unknowable_name("{username}")  # KubeSpawner's, per user: not a placeholder
    # A golden template's <NAMESPACE> (no Kubernetes name holds a "<" either).
    assert is_unknowable_name("<NAMESPACE>")
    assert is_unknowable_name("team-<name>")
    assert not is_unknowable_name("a<b")


# ---------------------------------------------------------------------------------------------
# Cluster objects whose own name or namespace is a placeholder

PLACEHOLDER = NS / "placeholder"


def at_profile(findings: list[Finding]) -> list[tuple[str, int, str | None]]:
    """``(rule, line, profile)`` of each finding."""
    return [(f.rule, f.line, f.profile) for f in findings]


def test_a_namespace_named_by_a_placeholder_is_no_namespace_and_says_so() -> None:
    found = run(PLACEHOLDER / "namespace-named-by-placeholder.yaml", select={"namespace"}).findings
    # Its labels are checked (the warn label is invalid) but judge no pod: the Deployment in
    # ${NAMESPACE} is checked at --psa-level, and told why.
    assert at_profile(found) == [
        ("cluster-object-placeholder", 8, None),
        ("ns-psa-invalid-label", 11, None),
        ("ns-unknown-namespace", 21, None),
    ]
    assert found[0].severity == "info"
    assert found[0].message == (
        "Namespace/${NAMESPACE}: its name is a placeholder, filled in before it is applied, so "
        "nblint cannot know which namespace it is: its PodSecurity labels are applied to no pod"
    )


def test_a_limitrange_and_quota_in_a_placeholder_namespace_are_applied_to_nothing() -> None:
    fixture = PLACEHOLDER / "limitrange-and-quota-in-placeholder-namespace.yaml"
    result = run(fixture, select={"namespace"})
    # No limitrange-pvc or quota-exceeds-hard at the PVC (line 35): nblint cannot know it is in
    # the objects' namespace. The LimitRange's own problem is still reported.
    assert at_profile(result.findings) == [
        ("cluster-object-placeholder", 10, None),
        ("cluster-object-invalid", 15, None),
        ("cluster-object-placeholder", 23, None),
        ("ns-unknown-namespace", 41, None),
    ]
    assert result.findings[2].message == (
        "ResourceQuota/compute: its namespace is a placeholder ($(PROFILE)), filled in before it "
        "is applied, so nblint cannot know which namespace it limits: it is applied to no pod"
    )
    (pod,) = result.pods
    assert pod.admission is not None and pod.admission.defaults == []


def test_an_angle_bracket_namespace_is_a_placeholder_as_dollar_ones_are() -> None:
    # Rebs707's golden namespace template: the LimitRange in <NAMESPACE> is not applied to the
    # pod written with the same placeholder (no limitrange-default-applied), and both say so.
    result = run(PLACEHOLDER / "angle-bracket-namespace.yaml", select={"namespace"})
    assert at_profile(result.findings) == [
        ("cluster-object-placeholder", 5, None),
        ("ns-unknown-namespace", 16, None),
    ]
    assert result.findings[0].message == (
        "LimitRange/team-limits: its namespace is a placeholder (<NAMESPACE>), filled in before "
        "it is applied, so nblint cannot know which namespace it bounds: its defaults and bounds "
        "are applied to no pod"
    )
    assert result.findings[1].message.startswith(
        "Pod/nb names its namespace by a placeholder (<NAMESPACE>)"
    )


def test_limitranges_named_by_one_placeholder_are_not_claimed_to_be_one_object() -> None:
    fixture = PLACEHOLDER / "limitranges-named-by-placeholder.yaml"
    found = run(fixture, select={"namespace"}).findings
    # Both are applied in team-a (no cluster-object-written-twice at line 7): their defaults
    # conflict.
    assert at_profile(found) == [
        *[("limitrange-default-applied", 12, None)] * 2,  # requests.cpu and limits.cpu
        ("limitrange-default-conflict", 22, None),
        ("ns-unknown-namespace", 28, None),
    ]


def test_quota_capacity_writes_a_fraction_of_a_byte_as_people_do() -> None:
    # 1.2Gi (the JWA's limit factor 1.2 on 1Gi) is 1288490188.8 bytes: "1.2Gi each", not
    # "1288490188800m each".
    found = run(NS / "quota-capacity-fractional-memory.yaml", select={"quota-capacity"}).findings
    assert [f.message for f in found] == [
        "at most 13 notebooks like Notebook/nb run at once (limits.memory 16Gi of "
        "ResourceQuota/q, 1.2Gi each)"
    ]


def test_quota_capacity_counts_the_sidecar_a_webhook_injects_with_known_resources() -> None:
    # OpenShift AI's notebook webhook adds oauth-proxy with requests and limits 100m / 64Mi
    # (odh-notebook-controller InjectOAuthProxy): 1.1 CPU per workbench, so 3 fit in 4, not 4.
    found = run(NS / "quota-capacity-odh-oauth-proxy.yaml", select={"quota-capacity"}).findings
    assert [f.message for f in found] == [
        "at most 3 notebooks like Notebook/wb run at once (limits.cpu 4 of ResourceQuota/q, "
        "1100m each; limits.memory 8Gi of ResourceQuota/q, 2112Mi each; each counts the "
        "oauth-proxy sidecar that OpenShift AI's notebook webhook injects "
        "(notebooks.opendatahub.io/inject-oauth: true): requests and limits cpu 100m, memory "
        "64Mi)"
    ]
    assert found[0].assumption == (
        "no other usage in the namespace; no other mutating webhook adds containers"
    )


def test_quota_capacity_says_istio_may_add_a_sidecar_where_the_namespace_is_not_known() -> None:
    found = run(
        NS / "quota-capacity-kubeflow-namespace-unknown.yaml", select={"quota-capacity"}
    ).findings
    assert [f.message for f in found] == [
        "at most 4 notebooks like Notebook/nb run at once (limits.cpu 4 of ResourceQuota/q, 1 "
        "each); fewer: if the profile namespace has Istio sidecar injection (the Kubeflow "
        "default), Istio injects istio-proxy into each pod, whose requests and limits are "
        "charged too but not counted here (nblint does not see them)"
    ]


def test_quota_capacity_of_a_pod_in_a_namespace_labelled_for_istio_says_so(tmp_path: Path) -> None:
    # Any pod counted (here a z2jh-less plain Notebook in a plain Namespace) by the label alone.
    text = (NS / "quota-capacity-fractional-memory.yaml").read_text()
    text = text.replace(
        "labels: {pod-security.kubernetes.io/enforce: baseline}",
        "labels: {pod-security.kubernetes.io/enforce: baseline, istio-injection: enabled}",
    )
    found = run(write(tmp_path, "ns.yaml", text), select={"quota-capacity"}).findings
    assert [f.message.split("; fewer: ")[1] for f in found] == [
        "namespace team-c has Istio sidecar injection (its label istio-injection: enabled): "
        "Istio injects istio-proxy into each pod, whose requests and limits are charged too but "
        "not counted here (nblint does not see them)"
    ]
    opted_out = text.replace(
        "metadata: {name: nb, namespace: team-c}",
        "metadata:\n  name: nb\n  namespace: team-c\n"
        '  annotations: {sidecar.istio.io/inject: "false"}',
    )
    found = run(write(tmp_path, "out.yaml", opted_out), select={"quota-capacity"}).findings
    assert [f.message for f in found] == [
        "at most 13 notebooks like Notebook/nb run at once (limits.memory 16Gi of "
        "ResourceQuota/q, 1.2Gi each)"
    ]


def test_quota_capacity_counts_kube_rbac_proxy_at_the_webhook_s_defaults(tmp_path: Path) -> None:
    text = (NS / "quota-capacity-odh-oauth-proxy.yaml").read_text()
    text = text.replace("inject-oauth", "inject-auth")  # kube-rbac-proxy (RHOAI 3.x)
    found = run(write(tmp_path, "wb.yaml", text), select={"quota-capacity"}).findings
    assert [f.message.split(" each; ")[-1] for f in found] == [
        "each counts the kube-rbac-proxy sidecar that OpenShift AI's notebook webhook injects "
        "(notebooks.opendatahub.io/inject-auth: true): requests and limits cpu 100m, memory "
        "64Mi)"
    ]


def test_an_exported_workbench_s_oauth_proxy_is_counted_once() -> None:
    # The webhook replaces the container named oauth-proxy that an exported Notebook holds:
    # the pod is 8Gi + 64Mi and 1100m, the quota's hard amounts exactly: admitted.
    found = run(NS / "quota-odh-oauth-proxy-exported.yaml", select={"namespace"}).findings
    assert [f.rule for f in found if f.rule.startswith("quota-exceeds")] == []
    [capacity] = [f for f in found if f.rule == "quota-capacity"]
    assert capacity.message.startswith(
        "at most 1 notebooks like Notebook/wb run at once (limits.memory 8256Mi of "
        "ResourceQuota/q, 8256Mi each; requests.cpu 1100m of ResourceQuota/q, 1100m each;"
    )


def test_quota_capacity_of_z2jh_servers_in_an_istio_namespace_says_the_sidecar_is_left_out(
    tmp_path: Path,
) -> None:
    # No dialect fact: the Namespace's own label says Istio injects there.
    namespace = write(
        tmp_path,
        "ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jhub\n  labels: {istio-injection: "
        "enabled, pod-security.kubernetes.io/enforce: baseline}\n---\napiVersion: v1\n"
        "kind: ResourceQuota\nmetadata: {name: q, namespace: jhub}\nspec:\n"
        "  hard: {limits.memory: 64Gi}\n",
    )
    # (No block-cloud-metadata init container: without limits.memory the quota would refuse
    # every server, and then none runs.)
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n  memory:\n    limit: 2G\n  cloudMetadata:\n    blockWithIptables: false\n",
    )
    found = run(values, cluster=[namespace], select={"quota-capacity"}, namespace="jhub").findings
    assert [f.message for f in found] == [
        "at most 32 user servers run at once (limits.memory 64Gi of ResourceQuota/q, 2Gi each); "
        "fewer: namespace jhub has Istio sidecar injection (its label istio-injection: enabled): "
        "Istio injects istio-proxy into each pod, whose requests and limits are charged too but "
        "not counted here (nblint does not see them)"
    ]


def test_a_pod_over_the_quota_only_with_its_injected_oauth_proxy_exceeds_it() -> None:
    [finding] = run(
        NS / "quota-exceeds-hard-odh-oauth-proxy.yaml", select={"quota-exceeds-hard"}
    ).findings
    assert (finding.line, finding.column) == (23, 22)
    assert finding.message.startswith(
        "exceeded quota: q, requested: limits.cpu=2100m, used: limits.cpu=0, limited: "
        "limits.cpu=2 — one such pod is more than the quota holds"
    )
    assert "oauth-proxy sidecar" in finding.message


# ---------------------------------------------------------------------------------------------
# Replicas: each is a pod (and a StatefulSet's, a set of claims) the quota charges on its own


def test_a_statefulset_whose_replicas_outgrow_the_quota_is_refused_from_that_ordinal() -> None:
    found = [
        f
        for f in run(NS / "quota-replicas-statefulset.yaml", select=QUOTA).findings
        if f.rule == "quota-exceeds-hard"
    ]
    # At `replicas: 3` (pods and claims), and at the first claim template of a set whose pod's
    # two claims together exceed the quota.
    assert placed(found) == [
        ("quota-exceeds-hard", 12, 3, 6),
        ("quota-exceeds-hard", 12, 3, 6),
        ("quota-exceeds-hard", 45, 35, 53),
    ]
    assert found[0].message == (
        "exceeded quota: team, requested: requests.cpu=500m, used: requests.cpu=1, limited: "
        "requests.cpu=1 — replicas: 3 is more than the quota holds (500m requests.cpu each): the "
        "StatefulSet controller cannot create pod jl-2 (ordinal 2) nor any later one "
        "(FailedCreate), so only 2 of the 3 pods run"
    )
    assert found[1].message == (
        "PVCs home-jl-2 (volumeClaimTemplates home) of pod jl-2: replicas: 3 need "
        "requests.storage=30Gi (10Gi per pod), more than ResourceQuota/team holds (hard "
        "requests.storage=25Gi): the StatefulSet controller cannot create the claims of ordinal "
        "2 nor of any later one, so only 2 of the 3 pods run"
    )
    assert found[1].fix is not None and found[1].fix.startswith("spec:\n  replicas: 2   #")
    assert found[1].applicability == "display-only"
    assert found[2].message.startswith(
        "PVCs home-two-0, data-two-0 (volumeClaimTemplates home, data) of one pod need "
        "requests.storage=20Gi together, more than ResourceQuota/small holds"
    )


def test_a_deployment_whose_replicas_outgrow_the_quota_names_the_first_refused_replica() -> None:
    found = run(NS / "quota-replicas-deployment.yaml", select=QUOTA).findings
    # The placeholder's replicas are not known: its one pod fits, nothing is said.
    assert placed(found, "quota-exceeds-hard") == [("quota-exceeds-hard", 12, 3, 6)]
    assert found[0].object == "Deployment/lab"
    assert (
        "the ReplicaSet cannot create replica 4 nor any later one (FailedCreate), so only 3 of "
        "the 4 pods run" in found[0].message
    )


def test_a_pod_refused_outright_is_one_finding_and_no_replica_count() -> None:
    # No memory at all under a quota tracking limits.memory and requests.memory: every replica
    # is refused with one "failed quota" message, so no "only 1 of the 3 pods run", and the
    # missing request (its limit, once set) is said in the limits finding.
    found = run(NS / "quota-requires-and-replicas.yaml", select={"namespace"}).findings
    errors = [f for f in found if f.severity == "error"]
    assert [(f.rule, f.line, f.column) for f in errors] == [("quota-requires-limits", 47, 9)]
    assert errors[0].message.startswith(
        "container busybox sets no limits.memory (nor requests.memory, which a limit also sets), "
        "which ResourceQuota/nscontroller tracks: "
    )


def test_a_storage_class_s_quota_amounts_are_shown_as_quantities() -> None:
    [finding] = run(
        NS / "quota-exceeds-hard-storageclass-replicas.yaml", select={"quota-exceeds-hard"}
    ).findings
    assert (
        "need fast.storageclass.storage.k8s.io/requests.storage=15Gi (5Gi per pod), more than "
        "ResourceQuota/pvcs holds (hard fast.storageclass.storage.k8s.io/requests.storage=12Gi)"
    ) in finding.message


def test_quota_capacity_is_not_said_for_a_server_that_is_invalid() -> None:
    # Field test 14c D5: "at most 16 run at once" for a server the LimitRange makes invalid
    # (its default limit below the request) was untrue: none runs. The error says why.
    found = run(
        NS / "quota-capacity-server-invalid.yaml",
        select={"quota-capacity", "limitrange-default-below-request"},
    ).findings
    assert [(f.rule, f.line) for f in found] == [("limitrange-default-below-request", 33)]
