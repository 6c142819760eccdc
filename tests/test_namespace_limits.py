"""LimitRange in the effective pod (namespace-admission.md §2): defaults filled in as the
LimitRanger does, at the LimitRange's line, then its min / max / ratio bounds for containers,
pods and PVCs. One small multi-document fixture per case in ``fixtures/namespace/``."""

from __future__ import annotations

from conftest import FIXTURES, field, only_pod, run

from nblint.model.finding import Finding

NS = FIXTURES / "namespace"
LIMITS = {"namespace"}


def placed(findings: list[Finding], *rules: str) -> list[tuple[str, int, int, int | None]]:
    """``(rule, line, column, line of the cause)`` of the findings of ``rules``."""
    return [
        (f.rule, f.line, f.column, f.cause.line if f.cause else None)
        for f in findings
        if f.rule in rules
    ]


def test_defaults_fill_what_each_container_and_init_container_lacks() -> None:
    result = run(NS / "limitrange-defaults-filled.yaml", select=LIMITS)
    pod = only_pod(result)
    notebook = ("spec", "containers", 0, "resources")
    fetch = ("spec", "initContainers", 0, "resources")
    # the notebook set limits.cpu only: its request is that limit (API defaulting comes first),
    # not the LimitRange's defaultRequest
    assert field(pod, *notebook) == {
        "limits": {"cpu": "2", "memory": "1Gi"},
        "requests": {"cpu": "2", "memory": "256Mi"},
    }
    assert field(pod, *fetch) == {
        "limits": {"cpu": "1", "memory": "1Gi"},
        "requests": {"cpu": "100m", "memory": "256Mi"},
    }
    assert field(pod, "metadata", "annotations", "kubernetes.io/limit-ranger") == (
        "LimitRanger plugin set: memory request for container notebook; memory limit for "
        "container notebook; cpu, memory request for init container fetch; cpu, memory limit "
        "for init container fetch"
    )
    # each filled field is placed at the LimitRange line that filled it
    lines = {
        path: pod.provenance.locate(path).line
        for path in [
            (*fetch, "limits", "cpu"),
            (*fetch, "limits", "memory"),
            (*fetch, "requests", "cpu"),
            (*fetch, "requests", "memory"),
            (*notebook, "requests", "cpu"),
        ]
    }
    assert list(lines.values()) == [10, 11, 13, 14, 30]  # the request: the limit it copies
    assert placed(result.findings, "limitrange-default-applied") == [
        ("limitrange-default-applied", 10, 9, 10),
        ("limitrange-default-applied", 11, 9, 11),
        ("limitrange-default-applied", 11, 9, 11),
        ("limitrange-default-applied", 13, 9, 13),
        ("limitrange-default-applied", 14, 9, 14),
        ("limitrange-default-applied", 14, 9, 14),
    ]


def test_the_pod_as_written_is_not_changed(tmp_path) -> None:
    from nblint.load.yaml_tree import parse_documents

    text = (NS / "limitrange-defaults-filled.yaml").read_text()
    result = run(NS / "limitrange-defaults-filled.yaml", select=LIMITS)
    assert only_pod(result).pod["spec"]["initContainers"][0]["resources"]
    # the run works on copies: parsing the file again gives the fields as written
    documents, _ = parse_documents(text)
    assert "resources" not in documents[1].root["spec"]["initContainers"][0]


def test_max_without_default_gives_every_container_a_gpu() -> None:
    result = run(NS / "limitrange-max-implies-default-gpu.yaml", select=LIMITS)
    pod = only_pod(result)
    for base in (("spec", "containers", 0), ("spec", "initContainers", 0)):
        assert field(pod, *base, "resources") == {
            "limits": {"nvidia.com/gpu": "1"},
            "requests": {"nvidia.com/gpu": "1"},
        }
    assert placed(result.findings, "limitrange-max-implies-default") == [
        ("limitrange-max-implies-default", 10, 9, None)
    ]
    assert result.findings[0].message == (
        "max.nvidia.com/gpu 1 with no default.nvidia.com/gpu: the API server stores it as the "
        "default, so every container and init container (a sidecar, z2jh's block-cloud-metadata) "
        "without a nvidia.com/gpu limit gets nvidia.com/gpu: 1 as its limit and request"
    )


def test_two_limitranges_with_different_defaults_name_both_outcomes() -> None:
    result = run(NS / "limitrange-default-conflict.yaml", select=LIMITS)
    assert field(only_pod(result), "spec", "containers", 0, "resources", "limits", "cpu") == "1"
    assert placed(result.findings, "limitrange-default-conflict") == [
        ("limitrange-default-conflict", 19, 17, 9)
    ]
    applied = [f.message for f in result.findings if f.rule == "limitrange-default-applied"]
    assert applied == [
        "requests.cpu 1 of container notebook is the defaultRequest of LimitRange/small "
        "(2 if LimitRange/large is read first: the order is undefined)",
        "limits.cpu 1 of container notebook is the default of LimitRange/small "
        "(2 if LimitRange/large is read first: the order is undefined)",
    ]


def test_a_default_limit_below_the_request_makes_the_pod_invalid() -> None:
    result = run(NS / "limitrange-default-below-request.yaml", select=LIMITS)
    assert placed(result.findings, "limitrange-default-below-request") == [
        ("limitrange-default-below-request", 22, 11, 9)
    ]
    assert result.findings[-1].message == (
        "container notebook requests memory 1Gi, but its limit is the LimitRange default 512Mi: "
        "a request above its limit makes the pod invalid"
    )
    # The hint names the resource and the least limit the pod is valid with (not `limits: {}`).
    assert result.findings[-1].fix == (
        "spec:\n"
        "  containers:\n"
        "    - name: notebook\n"
        "      resources:\n"
        "        limits:\n"
        "          memory: 1Gi   # at least its request (the LimitRange default is below it)"
    )


def test_min_max_and_ratio_each_at_the_field_they_bound() -> None:
    result = run(NS / "limitrange-min-max-ratio.yaml", select=LIMITS)
    assert placed(result.findings, "limitrange-min", "limitrange-max", "limitrange-ratio") == [
        ("limitrange-min", 25, 11, 9),
        ("limitrange-max", 28, 11, 10),
        ("limitrange-ratio", 28, 11, 12),
    ]
    assert [f.message for f in result.findings if f.rule.startswith("limitrange-")] == [
        "container notebook: minimum cpu usage per Container is 100m, but request is 50m",
        "container notebook: maximum memory usage per Container is 2Gi, but limit is 4Gi",
        "container notebook: memory max limit to request ratio per Container is 2, but "
        "provided ratio is 4.000000",
    ]


def test_a_pod_item_bounds_the_sum_of_containers_or_the_largest_init_container() -> None:
    result = run(NS / "limitrange-pod-aggregate.yaml", select=LIMITS)
    # containers 1.5 + 1 = 2.5 CPUs, more than the init container's 2 and than the max 2
    assert placed(result.findings, "limitrange-max") == [("limitrange-max", 21, 3, 9)]
    assert result.findings[-1].message == (
        "the pod (all containers together): maximum cpu usage per Pod is 2, but limit is 2500m"
    )


def test_a_ratio_refuses_the_z2jh_init_container_that_sets_no_resources() -> None:
    result = run(NS / "limitrange-ratio-z2jh-init-container.yaml", select=LIMITS)
    assert placed(result.findings, "limitrange-ratio") == [("limitrange-ratio", 10, 1, 8)]
    assert result.findings[0].container == "block-cloud-metadata"


def test_each_bound_s_fix_writes_the_amount_it_allows_in_the_container() -> None:
    """min: the min as the request; max: the max as the limit; a ratio: the least request it
    allows beside the limit (4Gi ÷ 2). Advice, never applied (a person picks the amounts)."""
    found = run(NS / "limitrange-min-max-ratio.yaml", select=LIMITS).findings
    wanted = {
        "limitrange-min": "requests:\n          cpu: 100m   # at least the LimitRange's min",
        "limitrange-max": "limits:\n          memory: 2Gi   # at most the LimitRange's max",
        "limitrange-ratio": (
            "requests:\n          memory: 2Gi   # limit ÷ request at most the LimitRange's "
            "maxLimitRequestRatio"
        ),
    }
    fixes = {f.rule: f.fix for f in found if f.rule in wanted}
    assert fixes == {
        rule: "spec:\n  containers:\n    - name: notebook\n      resources:\n        " + text
        for rule, text in wanted.items()
    }
    assert {f.applicability for f in found if f.rule in wanted} == {"display-only"}


def test_a_z2jh_ratio_fix_is_the_guarantee_it_allows_in_kubespawner_sizes() -> None:
    result = run(NS / "limitrange-ratio-z2jh-cpu.yaml", select=LIMITS)
    [finding] = [f for f in result.findings if f.rule == "limitrange-ratio"]
    assert (finding.line, finding.container) == (16, "notebook")
    assert finding.fix == (
        "singleuser:\n  cpu:\n    guarantee: 2   # limit ÷ request at most the LimitRange's "
        "maxLimitRequestRatio"
    )


def test_the_z2jh_init_container_s_ratio_fix_is_the_chart_s_own_advice() -> None:
    found = run(NS / "limitrange-ratio-z2jh-init-container.yaml", select=LIMITS).findings
    [finding] = [f for f in found if f.rule == "limitrange-ratio"]
    assert "blockWithIptables: false" in (finding.fix or "")
    assert "{" not in (finding.fix or "")  # no placeholder left unfilled


def test_containers_breaking_a_bound_at_one_line_are_named_in_one_message() -> None:
    from nblint.model.fold import fold

    result = run(NS / "limitrange-ratio-containers-share-resources.yaml", select=LIMITS)
    problems = [
        p for p in fold(result.findings) if p.rule in ("limitrange-max", "limitrange-ratio")
    ]
    who = "container kubectl, container watcher, init container init-kubectl"
    assert [(p.rule, p.line, p.column, p.message) for p in problems] == [
        ("limitrange-max", 28, 18, f"{who}: maximum cpu usage per Container is 4, but limit is 8"),
        (
            "limitrange-ratio",
            28,
            18,
            f"{who}: cpu max limit to request ratio per Container is 2, but provided ratio is "
            "80.000000",
        ),
    ]


def test_a_pvc_manifest_above_the_maximum() -> None:
    result = run(NS / "limitrange-pvc-manifest.yaml", select=LIMITS)
    assert placed(result.findings, "limitrange-pvc") == [("limitrange-pvc", 21, 7, 10)]
    assert result.findings[0].message == (
        "PVC data: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi"
    )
    assert result.findings[0].object == "PersistentVolumeClaim/data"


def test_a_z2jh_home_above_the_maximum_fails_every_new_users_spawn() -> None:
    result = run(NS / "limitrange-pvc-z2jh-home.yaml", select=LIMITS, namespace="jhub")
    assert placed(result.findings, "limitrange-pvc") == [("limitrange-pvc", 13, 5, 9)]
    assert result.findings[-1].message == (
        "a user's home PVC: maximum storage usage per PersistentVolumeClaim is 10Gi, but request "
        "is 20Gi; KubeSpawner creates it before the pod, so the first spawn of every new user "
        "(and of every new named server) fails"
    )
    assert result.findings[-1].profile is None  # one finding for the release


def test_objects_the_api_server_refuses_are_reported_and_judge_nothing() -> None:
    result = run(NS / "cluster-object-invalid.yaml", select=LIMITS)
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("cluster-object-invalid", 9, 13),
        ("limitrange-max-implies-default", 10, 13),
        ("cluster-object-invalid", 10, 23),
        ("cluster-object-invalid", 11, 7),
        ("cluster-object-invalid", 14, 7),
        ("cluster-object-invalid", 23, 5),
        ("cluster-object-invalid", 24, 5),
        ("cluster-object-invalid", 26, 3),
    ]
    assert result.findings[0].message == (
        "min.cpu 2 is more than max 1: the API server refuses the LimitRange"
    )


def test_a_statefulset_s_claim_templates_are_judged_as_pvcs() -> None:
    # The StatefulSet controller creates PVC home-jl-0 before the pod: the PVC LimitRange and
    # the storage quota refuse it as they refuse a PVC manifest (field test 7b D8).
    result = run(NS / "statefulset-claim-templates.yaml", select={"namespace"})
    found = [f for f in result.findings if f.rule in ("limitrange-pvc", "quota-exceeds-hard")]
    assert [(f.rule, f.line, f.column) for f in found] == [
        ("limitrange-pvc", 32, 30),
        ("quota-exceeds-hard", 32, 30),
    ]
    assert found[0].message == (
        "PVC home-jl-0 (volumeClaimTemplates home): maximum storage usage per "
        "PersistentVolumeClaim is 50Gi, but request is 200Gi; the StatefulSet controller creates "
        "it before the pod, which never starts"
    )
    # The hint is written for the StatefulSet itself, not nested under its pod template.
    assert found[0].fix == (
        "spec:\n"
        "  volumeClaimTemplates:\n"
        "    - metadata: {name: home}\n"
        "      spec:\n"
        "        resources:\n"
        "          requests:\n"
        "            storage: 50Gi   # at most the LimitRange's max"
    )
    assert found[0].applicability == "display-only"
    assert found[1].message.startswith(
        "PVC home-jl-0 (volumeClaimTemplates home): needs requests.storage=200Gi, more than "
        "ResourceQuota/storage leaves (hard requests.storage=100Gi)"
    )


def test_the_injected_oauth_proxy_is_bounded_by_the_limitrange_at_its_annotation() -> None:
    result = run(NS / "limitrange-odh-oauth-proxy.yaml", select={"namespace"})
    found = [f for f in result.findings if f.rule.startswith("limitrange-")]
    # At the annotation that asks for the proxy: the user cannot edit its resources.
    assert [(f.rule, f.line, f.column, f.cause.line if f.cause else None) for f in found] == [
        ("limitrange-max", 21, 5, 13),
        ("limitrange-min", 21, 5, 10),
        ("limitrange-min", 21, 5, 10),
    ]
    assert found[1].message == (
        "container oauth-proxy: minimum cpu usage per Container is 200m, but request is 100m: "
        "Notebook/wb is applied, but its StatefulSet cannot create its pod (FailedCreate) (the "
        "oauth-proxy sidecar that OpenShift AI's notebook webhook injects "
        "(notebooks.opendatahub.io/inject-oauth: true) with requests and limits cpu 100m, "
        "memory 64Mi, which the webhook sets)"
    )
    assert found[0].message.startswith(
        "the pod (all containers together): maximum cpu usage per Pod is 2, but limit is 2100m, "
        "with oauth-proxy: "
    )
    assert found[1].fix == (
        "# oauth-proxy's resources are the webhook's: change min.cpu: 200m of LimitRange/bounds, "
        "or drop the annotation (no proxy)"
    )
    assert found[1].applicability == "display-only"


def test_an_exported_workbench_s_oauth_proxy_is_the_one_the_webhook_replaces() -> None:
    # `oc get notebook -o yaml` holds the oauth-proxy the webhook injected; the webhook replaces
    # a container of that name rather than adding a second: 8Gi + 64Mi is the Pod max exactly.
    result = run(NS / "limitrange-odh-oauth-proxy-exported.yaml", select={"namespace"})
    assert [f.rule for f in result.findings if f.rule.startswith("limitrange-")] == []


def test_the_injected_kube_rbac_proxy_is_bounded_by_a_pod_max_at_its_annotation() -> None:
    # RHOAI 3.x's kube-rbac-proxy: requests and limits 100m / 64Mi unless the Notebook's
    # auth-sidecar-* annotations say otherwise (odh-notebook-controller DefaultAuthSidecar*).
    result = run(NS / "limitrange-odh-kube-rbac-proxy.yaml", select={"namespace"})
    found = [f for f in result.findings if f.rule.startswith("limitrange-")]
    # cpu and memory, each at the annotation (the report folds them into one line)
    assert [(f.rule, f.line, f.column) for f in found] == [("limitrange-max", 15, 5)] * 2
    assert any(
        "maximum memory usage per Pod is 8Gi, but limit is 8256Mi" in f.message for f in found
    )
    assert all("kube-rbac-proxy sidecar" in f.message for f in found)


def test_the_auth_sidecar_annotations_size_the_injected_proxy(tmp_path) -> None:
    text = (NS / "limitrange-odh-kube-rbac-proxy.yaml").read_text()
    text = text.replace(
        'inject-auth: "true"',
        'inject-auth: "true"\n    notebooks.opendatahub.io/auth-sidecar-memory-limit: "0"\n'
        '    notebooks.opendatahub.io/auth-sidecar-memory-request: "0"\n'
        '    notebooks.opendatahub.io/auth-sidecar-cpu-limit: "0"\n'
        '    notebooks.opendatahub.io/auth-sidecar-cpu-request: "0"',
    )
    path = tmp_path / "wb.yaml"
    path.write_text(text)
    found = run(path, select={"namespace"}).findings
    assert [f.rule for f in found if f.rule.startswith("limitrange-")] == []


def test_a_cpu_or_memory_max_without_default_gets_a_size_hint_not_a_gpu_one() -> None:
    result = run(
        NS / "limitrange-max-cpu-memory-no-default.yaml",
        select={"limitrange-max-implies-default"},
    )
    assert [(f.line, f.column) for f in result.findings] == [(20, 9), (21, 9)]
    cpu, memory = result.findings
    assert "nvidia.com/gpu" not in (cpu.fix or "") + (memory.fix or "")
    assert cpu.fix == (
        'spec:\n  limits:\n    - type: Container\n      max: {cpu: "4"}\n'
        '      default: {cpu: "2"}          # pick your typical notebook\'s size\n'
        '      defaultRequest: {cpu: "1"}'
    )
    assert 'default: {memory: "8Gi"}' in (memory.fix or "")
