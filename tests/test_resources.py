"""CPU and memory requests and limits: what a notebook lacks is one finding with one fix that
never writes a limit below a request (``notebook-resources``), and a request above its limit is
the API server's refusal (``request-above-limit``), as is a GPU, hugepages or other extended
resource requested below its limit (``request-not-limit``).

Fixtures: ``tests/fixtures/resources/``, one case each.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, RULES, brief, needs_shared, run
from test_fix_roundtrip import apply_fix
from test_z2jh_end_to_end import assert_same_pods, hubs  # noqa: F401

from nblint.model.fold import fold
from nblint.model.pod import EffectivePod
from nblint.model.quantity import parse_quantity
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

R = FIXTURES / "resources"
RESOURCES = "notebook-resources"
ABOVE = "request-above-limit"
NOT_LIMIT = "request-not-limit"
#: notebook-resources' advice beside a limit it writes (kept when the fix goes into an override).
GUARANTEE = "# the guarantee: a limit below it makes every spawn fail"


def of(result: RunResult, rule: str) -> list[tuple[str, int, int, str | None]]:
    return [(f.rule, f.line, f.column, f.profile) for f in result.findings if f.rule == rule]


def amounts(pod: EffectivePod, bucket: str) -> dict[str, Fraction | None]:
    resources = pod.spec["containers"][0].get("resources") or {}
    found = resources.get(bucket) or {}
    return {name: parse_quantity(found.get(name)) for name in ("cpu", "memory")}


# -- one problem, one finding --------------------------------------------------------------


def test_null_cpu_and_memory_keys_are_one_finding_at_the_first_key_with_one_fix() -> None:
    result = run(R / "z2jh-null-cpu-and-memory-keys.yaml", select={RESOURCES})
    # Lines 8 (cpu.limit), 9 (cpu.guarantee) and 11 (memory.limit) are one edit, not three.
    assert brief(result.findings) == [(RESOURCES, 8, 5)]
    (finding,) = result.findings
    assert finding.message == (
        "notebook container notebook sets no resources.requests.cpu, resources.limits.cpu, "
        "resources.limits.memory"
    )
    # Only what is missing: the guarantee of 1G the file sets is not repeated.
    assert finding.fix == (
        "singleuser:\n  cpu:\n    guarantee: 0.5\n    limit: 2\n  memory:\n    limit: 4G"
    )


def test_a_manifest_container_without_resources_is_one_finding_at_its_resources_key() -> None:
    result = run(
        FIXTURES / "manifests" / "statefulset-resources-gpu-limit-only.yaml", select={RESOURCES}
    )
    assert brief(result.findings) == [(RESOURCES, 19, 11)]


# -- the fix never writes a limit below a request -------------------------------------------


def test_z2jh_guarantee_above_the_default_limit_gets_the_guarantee_as_its_limit() -> None:
    (finding,) = run(R / "z2jh-guarantee-above-default-limit.yaml", select={RESOURCES}).findings
    assert (finding.line, finding.column) == (10, 3)
    assert finding.fix == (
        "singleuser:\n  memory:\n"
        "    limit: 24G   # the guarantee: a limit below it makes every spawn fail"
    )


def test_a_profiles_guarantees_get_limits_in_that_profile() -> None:
    result = run(R / "z2jh-profile-guarantees.yaml", select={RESOURCES})
    fixes = {f.profile: f.fix for f in result.findings}
    assert fixes["Big"] == (
        f"# in singleuser.profileList[1].kubespawner_override\n{GUARANTEE}\n"
        "cpu_limit: 8\nmem_limit: 32G"
    )
    assert fixes["Small"] == (
        "singleuser:\n  cpu:\n    guarantee: 0.5\n    limit: 2\n  memory:\n    limit: 4G"
    )


def test_a_choices_guarantee_gets_its_limit_in_that_choice() -> None:
    result = run(R / "z2jh-choice-guarantee.yaml", select={RESOURCES})
    fixes = {(f.options or {}).get("memory"): f.fix for f in result.findings}
    choices = "singleuser.profileList[0].profile_options.memory.choices"
    assert fixes == {
        "small": f"# in {choices}.small.kubespawner_override\nmem_limit: 4G",
        "large": f"# in {choices}.large.kubespawner_override\n{GUARANTEE}\nmem_limit: 48G",
    }


def test_a_pods_requests_above_the_default_limits_become_its_limits() -> None:
    (finding,) = run(R / "pod-requests-above-default-limits.yaml", select={RESOURCES}).findings
    why = "# the request: a limit below it is refused by the API server"
    assert finding.fix == (
        "spec:\n  containers:\n    - name: notebook\n      resources:\n        limits:\n"
        f'          cpu: "4"   {why}\n          memory: 24Gi   {why}'
    )


def test_a_pods_limits_without_requests_are_its_requests() -> None:
    # The API server copies each limit with no request into requests (SetDefaults_Pod): the
    # pod asks for 200m and 512Mi and lacks nothing (nblint used to say it set no requests).
    result = run(R / "pod-limits-below-default-requests.yaml", select={RESOURCES})
    assert result.findings == []
    (pod,) = result.pods
    requests = pod.spec["containers"][0]["resources"]["requests"]
    assert requests == {"cpu": "200m", "memory": "512Mi"}


ROUND_TRIPS = [
    ("z2jh", "z2jh-guarantee-above-default-limit.yaml"),
    ("z2jh", "z2jh-profile-guarantees.yaml"),
    ("z2jh", "z2jh-choice-guarantee.yaml"),
    ("z2jh", "z2jh-null-cpu-and-memory-keys.yaml"),
    ("z2jh", "profiles-missing-different-fields.yaml"),
    ("manifest", "pod-requests-above-default-limits.yaml"),
    ("kubeflow", "notebook-requests-above-default-limits.yaml"),
]


def assert_admissible_and_complete(result: RunResult, before: RunResult) -> None:
    """No finding of either rule is left, every pod's limits are at least its requests, and
    what the input set is what it was."""
    assert of(result, RESOURCES) == [] and of(result, ABOVE) == []
    kept = {
        (pod.profile, str(pod.options), bucket): amounts(pod, bucket)
        for pod in before.pods
        for bucket in ("requests", "limits")
    }
    for pod in result.pods:
        for bucket in ("requests", "limits"):
            now = amounts(pod, bucket)
            for name, amount in kept[(pod.profile, str(pod.options), bucket)].items():
                assert amount is None or now[name] == amount, (pod.profile, bucket, name)
        requests, limits = amounts(pod, "requests"), amounts(pod, "limits")
        for name in ("cpu", "memory"):
            request, limit = requests[name], limits[name]
            assert request is not None and limit is not None, (pod.profile, name)
            assert limit >= request, (pod.profile, pod.options, name, request, limit)


@pytest.mark.parametrize(("dialect", "name"), ROUND_TRIPS)
def test_the_hint_applied_by_hand_gives_limits_at_least_the_requests(
    tmp_path: Path, dialect: str, name: str
) -> None:
    fixture = R / name
    before = run(fixture, select={RESOURCES})
    assert before.findings
    fixed = yaml.safe_load(fixture.read_text())
    for finding in before.findings:
        assert finding.fix
        fixed = apply_fix(dialect, fixed, yaml.safe_load(finding.fix), finding)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(fixed, sort_keys=False))
    assert_admissible_and_complete(run(path, select={RESOURCES, ABOVE}), before)


def fixed_copy(name: str, tmp_path: Path) -> tuple[Path, RunResult]:
    """A copy of fixture ``name`` that ``nblint fix --unsafe-fixes --select notebook-resources``
    fixed, and the run before the fix."""
    path = tmp_path / name
    path.write_text((R / name).read_text())
    options = Options(PsaPolicy("restricted", (1, 37)), {RESOURCES})

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    before = run(path, select={RESOURCES})
    outcome = fixing.fix(check, True)
    path.write_text(outcome.texts[str(path)])
    return path, before


@pytest.mark.parametrize(("dialect", "name"), ROUND_TRIPS)
def test_nblint_fix_gives_limits_at_least_the_requests(
    tmp_path: Path, dialect: str, name: str
) -> None:
    path, before = fixed_copy(name, tmp_path)
    assert_admissible_and_complete(run(path, select={RESOURCES, ABOVE}), before)


@needs_shared
@pytest.mark.parametrize("name", [name for dialect, name in ROUND_TRIPS if dialect == "z2jh"])
def test_the_hub_spawns_the_fixed_pods_nblint_draws(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """The oracle of ``test_z2jh_end_to_end.py`` (the chart's hub and its KubeSpawner) builds
    the pods of the fixed values as nblint draws them: their limits are at least their requests
    at every spawn, not only in nblint's model."""
    path, _ = fixed_copy(name, tmp_path)
    assert_same_pods(request.getfixturevalue("hubs"), [path], "4.4.0", tmp_path / "m")


# -- a request above its limit is refused -----------------------------------------------------


def test_a_pods_request_above_its_limit_is_an_error_at_the_request() -> None:
    result = run(R / "pod-request-above-limit.yaml", select={ABOVE})
    assert brief(result.findings) == [(ABOVE, 18, 11), (ABOVE, 19, 11)]
    assert [f.message for f in result.findings] == [
        "container notebook requests 1 cpu, more than its limit 500m: the API server refuses "
        "the pod",
        "container notebook requests 24Gi memory, more than its limit 4G: the API server "
        "refuses the pod",
    ]
    assert result.findings[1].fix == (
        "spec:\n  containers:\n    - name: notebook\n      resources:\n        limits:\n"
        "          memory: 24Gi   # at least the request; or lower the request to at most the "
        "limit"
    )


def test_z2jh_guarantees_above_their_limits_fail_every_spawn_where_they_are_set() -> None:
    result = run(R / "z2jh-guarantee-above-limit.yaml", select={ABOVE})
    assert of(result, ABOVE) == [(ABOVE, 8, 5, "Small"), (ABOVE, 15, 9, "Big")]
    small, big = result.findings
    assert small.message == (
        "container notebook requests 8Gi memory, more than its limit 4Gi: every user's server "
        "fails to start: the API server refuses its pod"
    )
    # The limit is shown where the guarantee comes from: the profile's own override for Big.
    assert big.fix == (
        "# in singleuser.profileList[1].kubespawner_override\n"
        "# at least the guarantee; or lower the guarantee to at most the limit\ncpu_limit: 8"
    )


def test_a_notebooks_request_above_its_limit_is_an_error() -> None:
    result = run(R / "notebook-request-above-limit.yaml", select={ABOVE})
    assert brief(result.findings) == [(ABOVE, 14, 35)]


def test_a_limit_range_default_below_the_request_is_said_once_by_its_own_rule() -> None:
    result = run(
        FIXTURES / "namespace" / "limitrange-default-below-request.yaml",
        select={ABOVE, "limitrange-default-below-request"},
    )
    assert [f.rule for f in result.findings] == ["limitrange-default-below-request"]


@needs_shared
def test_kubespawner_passes_a_guarantee_above_its_limit_to_the_pod_unchanged(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """What ``request-above-limit`` rests on for z2jh: the hub's KubeSpawner builds the very pod
    nblint draws, its request above its limit (nothing refuses it before the API server)."""
    path = R / "z2jh-guarantee-above-limit.yaml"
    assert_same_pods(request.getfixturevalue("hubs"), [path], "4.4.0", tmp_path)
    big = next(pod for pod in run(path).pods if pod.profile == "Big")
    assert amounts(big, "requests")["cpu"] == 8 and amounts(big, "limits")["cpu"] == 4


# -- a GPU, hugepages or another extended resource must be requested at its limit -------------


def test_extended_resources_below_their_limits_are_refused_but_memory_is_not() -> None:
    result = run(R / "pod-gpu-request-below-limit.yaml", select={ABOVE, NOT_LIMIT})
    assert brief(result.findings) == [(NOT_LIMIT, 14, 11), (NOT_LIMIT, 15, 11)]
    assert [f.message for f in result.findings] == [
        "container notebook requests 1 nvidia.com/gpu, less than its limit 2, which it must "
        "equal: the API server refuses the pod",
        "container notebook requests 64Mi hugepages-2Mi, less than its limit 128Mi, which it "
        "must equal: the API server refuses the pod",
    ]
    assert result.findings[0].fix == (
        "spec:\n  containers:\n    - name: notebook\n      resources:\n        limits:\n"
        "          nvidia.com/gpu: 1   # equal to the request; or the request equal to the limit"
    )


def test_a_profiles_gpu_guarantee_below_its_limit_is_fixed_in_its_override() -> None:
    result = run(R / "z2jh-gpu-guarantee-below-limit.yaml", select={ABOVE, NOT_LIMIT})
    assert of(result, NOT_LIMIT) == [(NOT_LIMIT, 9, 11, "GPU")]
    (finding,) = result.findings
    # Only the GPU profile's spawns fail, not every user's server (field test 9a, D8).
    assert finding.message.endswith(
        "every spawn of this profile fails: the API server refuses its pod"
    )
    assert finding.fix == (
        "# in singleuser.profileList[1].kubespawner_override\n"
        "# equal to the guarantee; or the guarantee equal to the limit\n"
        "extra_resource_limits:\n  nvidia.com/gpu: 1"
    )


@needs_shared
def test_kubespawner_passes_a_gpu_guarantee_below_its_limit_to_the_pod_unchanged(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """What ``request-not-limit`` rests on for z2jh: the hub's KubeSpawner builds the pod nblint
    draws, its GPU request below its limit."""
    path = R / "z2jh-gpu-guarantee-below-limit.yaml"
    assert_same_pods(request.getfixturevalue("hubs"), [path], "4.4.0", tmp_path)
    gpu = next(pod for pod in run(path).pods if pod.profile == "GPU")
    resources = gpu.spec["containers"][0]["resources"]
    assert (resources["requests"]["nvidia.com/gpu"], resources["limits"]["nvidia.com/gpu"]) == (
        1,
        2,
    )


# A limit without a request: the API server copies the limit into requests (SetDefaults_Pod)
# for every pod, one KubeSpawner or a controller makes too (field test 6a, D2).


@pytest.mark.parametrize(
    "name",
    [
        "z2jh-cpu-limit-without-guarantee.yaml",
        "notebook-limits-without-requests.yaml",
        "deployment-limits-without-requests.yaml",
    ],
)
def test_a_limit_without_a_request_is_its_request(name: str) -> None:
    result = run(R / name, select={RESOURCES})
    assert result.findings == []
    (pod,) = result.pods
    container = pod.spec["containers"][0]["resources"]
    assert amounts(pod, "requests")["cpu"] == amounts(pod, "limits")["cpu"] == 2
    # The defaulted request is placed at the limit that gave it.
    limit = pod.provenance.locate(("spec", "containers", 0, "resources", "limits", "cpu"))
    request = pod.provenance.locate(("spec", "containers", 0, "resources", "requests", "cpu"))
    assert (request.line, request.column) == (limit.line, limit.column)
    assert request.note == "API-server defaulting: a request defaults to its limit"
    assert "cpu" in container["requests"]


def test_a_profiles_cpu_limit_is_its_request_and_the_fix_does_not_lower_it() -> None:
    (finding,) = run(R / "z2jh-profile-cpu-limit-only.yaml", select={RESOURCES}).findings
    assert finding.message == "notebook container notebook sets no resources.limits.memory"
    assert finding.profile == "GPU"
    assert "cpu" not in finding.fix and "guarantee" not in finding.fix


def test_a_refusal_names_the_spawns_it_stops_not_every_users_server() -> None:
    # Field test 9a, D8: "every user's server fails to start" for one choice's limit, while the
    # default choice starts; the concise formats show only the profiles, so the words must say.
    result = run(R / "z2jh-guarantee-above-one-choices-limit.yaml", select={ABOVE})
    problems = fold(result.findings)
    assert [(p.line, p.message) for p in problems] == [
        (
            10,
            "container notebook requests 4 cpu, more than its limit 2: every spawn that picks "
            "size=small fails: the API server refuses its pod",
        ),
        (
            29,
            "container notebook requests 2 cpu, more than its limit 1: every spawn of this "
            "profile fails: the API server refuses its pod",
        ),
    ]
    assert [p.findings[0].profile for p in problems] == ["Python", "Tiny"]
    assert len(problems[0].findings) == 2  # Python's and R's "small", one problem


def test_a_fractional_gpu_is_refused_once_at_its_limit(tmp_path: Path) -> None:
    # `nvidia.com/gpu: 500m` in requests and limits: the API server counts extended resources
    # in whole units ("must be an integer"); one finding at the limit, the request follows it.
    result = run(R / "pod-gpu-fractional.yaml", select={ABOVE, NOT_LIMIT, "notebook-gpu-count"})
    assert brief(result.findings) == [(NOT_LIMIT, 16, 41)]
    (finding,) = result.findings
    assert finding.message == (
        "container notebook asks for 500m nvidia.com/gpu in limits, but an extended resource is "
        'counted in whole units ("must be an integer"): the API server refuses the pod'
    )
    assert finding.fix.startswith("Ask for whole GPUs (nvidia.com/gpu: 1).")
    # Only in requests: said there (no limit to follow).
    text = (R / "pod-gpu-fractional.yaml").read_text()
    text = text.replace('limits: {cpu: "1", memory: 4Gi, nvidia.com/gpu: 500m}', "limits: {}")
    path = tmp_path / "req.yaml"
    path.write_text(text)
    assert brief(run(path, select={NOT_LIMIT}).findings) == [(NOT_LIMIT, 15, 43)]
