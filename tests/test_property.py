"""Property-based: random and mutated manifests and values never break ``nblint check``.

Whatever the input, through the command line: no exception escapes, the exit code is 0, 1 or 2,
no normaliser crashes (no ``internal-error`` finding), and every finding names one of the input
files and a line inside it. Examples are bounded and derandomised, so the suite is repeatable.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nblint.cli import main

#: Examples per property; a long local hunt: ``NBLINT_PROPERTY_EXAMPLES=3000 pytest …``.
EXAMPLES = int(os.environ.get("NBLINT_PROPERTY_EXAMPLES", "60"))

SETTINGS = settings(
    derandomize=True,
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Real inputs to mutate: manifests, z2jh values, Kubeflow files, hostile cases, examples.
SEED_FOLDERS = ("manifests", "z2jh", "kubeflow", "hostile")
SEEDS = sorted(
    p
    for folder in (*(FIXTURES / name for name in SEED_FOLDERS), ROOT / "examples")
    for p in folder.rglob("*.yaml")
)
SEED_TEXTS = [p.read_bytes() for p in SEEDS]

#: Keys that matter to the normalisers and rules, so random trees hit the typed paths.
KEYS = [
    *("apiVersion", "kind", "metadata", "name", "namespace", "annotations", "labels", "spec"),
    *("template", "jobTemplate", "containers", "initContainers", "ephemeralContainers"),
    *("securityContext", "runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup", "privileged"),
    *("allowPrivilegeEscalation", "capabilities", "add", "drop", "seccompProfile", "type"),
    *("volumes", "hostPath", "path", "ports", "hostPort", "containerPort", "hostNetwork"),
    *("hostPID", "hostIPC", "hostUsers", "image", "items", "sysctls", "seLinuxOptions"),
    # z2jh and Kubeflow
    *("hub", "singleuser", "uid", "fsGid", "extraPodConfig", "profileList", "kubespawner_override"),
    *("profile_options", "choices", "storage", "cmd", "extraContainers", "initContainers"),
    *("cloudMetadata", "blockWithIptables", "networkPolicy", "cull", "enabled", "jupyterhub"),
    *("selector", "matchLabels", "env", "volumeMounts", "mountPath", "desc", "display_name"),
    # hub.config.KubeSpawner traits, whose types only the hub checks
    *("config", "KubeSpawner", "fs_gid", "supplemental_gids", "node_selector", "tolerations"),
    *("pod_security_context", "container_security_context", "extra_resource_limits", "args"),
    *("matchExpressions", "values", "operator", "key", "sidecars", "imagePullSecrets"),
]
KINDS = ["Pod", "Deployment", "StatefulSet", "CronJob", "Job", "List", "Notebook", "PodDefault"]
API_VERSIONS = ["v1", "apps/v1", "batch/v1", "kubeflow.org/v1", "kubeflow.org/v1alpha1", "x/y"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["ALL", "0", "1000", "true", "RuntimeDefault", "{{ .Values.x }}"]),
    st.text(max_size=12),
)
trees = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    ),
    max_leaves=30,
)


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    """A mapping that recognisers are likely to claim: a kind, or z2jh's top-level keys."""
    root: dict[str, Any] = draw(st.dictionaries(st.sampled_from(KEYS), trees, max_size=6))
    shape = draw(st.sampled_from(["kind", "values", "bare"]))
    if shape == "kind":
        # Mostly real kinds, sometimes a kind or apiVersion that is not text at all.
        root["kind"] = draw(st.one_of(st.sampled_from(KINDS), st.sampled_from(KINDS), trees))
        root["apiVersion"] = draw(st.one_of(st.sampled_from(API_VERSIONS), trees))
    elif shape == "values":
        root.setdefault("singleuser", draw(trees))
        if draw(st.booleans()):
            root["hub"] = {"config": {"KubeSpawner": draw(trees)}}
    return root


def check(tmp_path: Path, *texts: bytes) -> None:
    paths = []
    for index, text in enumerate(texts):
        path = tmp_path / f"input-{index}.yaml"
        path.write_bytes(text)
        paths.append(str(path))
    result = CliRunner().invoke(main, ["check", "--format", "json", *paths], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2), result.output
    report = json.loads(result.stdout)
    line_counts = {p: max(1, Path(p).read_bytes().count(b"\n") + 1) for p in paths}
    for finding in report["findings"]:
        assert finding["rule"] != "internal-error", finding["message"]
        assert finding["file"] in line_counts, finding
        assert 1 <= finding["line"] <= line_counts[finding["file"]], finding
        assert finding["column"] >= 1, finding


def _dump(tree: Any) -> bytes:
    return yaml.safe_dump(tree, sort_keys=False).encode()


@SETTINGS
@given(documents=st.lists(manifests(), min_size=1, max_size=3))
def test_random_manifests_and_values(tmp_path_factory: Any, documents: list[Any]) -> None:
    text = b"---\n".join(_dump(doc) for doc in documents)
    check(tmp_path_factory.mktemp("random"), text)


@SETTINGS
@given(
    seed=st.sampled_from(SEED_TEXTS),
    edits=st.lists(
        st.tuples(
            st.sampled_from(["delete", "insert", "duplicate-line", "truncate"]),
            st.integers(min_value=0, max_value=10_000),
            st.binary(max_size=6)
            | st.sampled_from([b"\t", b": ", b"- ", b"{", b"&a ", b"*a", b"!!int ", b"!!bool "]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_mutated_real_inputs(
    tmp_path_factory: Any, seed: bytes, edits: list[tuple[str, int, bytes]]
) -> None:
    text = seed
    for action, where, payload in edits:
        at = where % (len(text) + 1)
        if action == "delete":
            text = text[:at] + text[at + len(payload) + 1 :]
        elif action == "insert":
            text = text[:at] + payload + text[at:]
        elif action == "duplicate-line":
            start = text.rfind(b"\n", 0, at) + 1
            end = text.find(b"\n", at)
            line = text[start : end + 1 if end >= 0 else len(text)]
            text = text[:start] + line + text[start:]
        else:
            text = text[:at]
    check(tmp_path_factory.mktemp("mutated"), text)


@SETTINGS
@given(tree=trees)
def test_any_yaml_value_as_a_whole_document(tmp_path_factory: Any, tree: Any) -> None:
    check(tmp_path_factory.mktemp("value"), _dump(tree))
