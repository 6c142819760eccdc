"""A z2jh user pod is a bare Pod that KubeSpawner sends to the API server: it is defaulted as a
raw Pod is (``nblint/dialects/apiserver.py``) before admission sees it, and every finding on it,
its metadata included, is placed at the values line that set the field.

Fixtures: ``tests/fixtures/z2jh/api-server/``, one case each.
"""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, field, only_pod, run, write

from nblint.model.result import RunResult

API = FIXTURES / "z2jh" / "api-server"


def placed(result: RunResult, *rules: str) -> list[tuple[str, int, int, str | None]]:
    """``(rule, line, column, profile)`` of the findings of ``rules``."""
    return [(f.rule, f.line, f.column, f.profile) for f in result.findings if f.rule in rules]


def test_host_network_from_extra_pod_config_gives_the_host_port_a_raw_pod_gets() -> None:
    result = run(API / "host-network.yaml", level="baseline")
    pod = only_pod(result)
    assert field(pod, "spec", "hostNetwork") is True
    # The API server gives the notebook port a hostPort, placed at the line that asked for it.
    assert field(pod, "spec", "containers", 0, "ports", 0, "hostPort") == 8888
    assert placed(result, "host-ports", "host-namespaces") == [
        ("host-namespaces", 6, 5, None),
        ("host-ports", 6, 5, None),
    ]
    finding = next(f for f in result.findings if f.rule == "host-ports")
    assert finding.note == (
        "API-server defaulting: on a Pod with hostNetwork: true, hostPort defaults to containerPort"
    )


def test_the_same_pod_written_as_a_manifest_gets_the_same_finding(tmp_path: Path) -> None:
    manifest = write(
        tmp_path,
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  hostNetwork: true\n"
        "  containers:\n    - name: notebook\n      image: jupyter/base\n"
        "      ports: [{name: notebook-port, containerPort: 8888}]\n",
    )
    assert placed(run(manifest, level="baseline"), "host-ports") == [("host-ports", 5, 3, None)]


def test_a_profile_that_turns_host_network_on_gets_the_finding_for_that_profile(
    tmp_path: Path,
) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n"
        "  uid: 1000\n"
        "  profileList:\n"
        "    - display_name: plain\n"
        "    - display_name: node network\n"
        "      kubespawner_override:\n"
        "        extra_pod_config:\n"
        "          hostNetwork: true\n",
    )
    result = run(values, level="baseline")
    assert placed(result, "host-ports") == [("host-ports", 8, 11, "node network")]


def test_a_volume_with_no_source_becomes_an_empty_dir_at_its_values_line() -> None:
    result = run(API / "volume-without-a-source.yaml")
    pod = only_pod(result)
    assert field(pod, "spec", "volumes") == [{"name": "scratch", "emptyDir": {}}]
    # A check of emptyDir volumes now sees it, at the list item that wrote the volume.
    assert placed(result, "notebook-scratch-size-limit") == [
        ("notebook-scratch-size-limit", 7, 9, None)
    ]
    finding = next(f for f in result.findings if f.rule == "notebook-scratch-size-limit")
    assert finding.note == "API-server defaulting: a volume with no source becomes emptyDir"


def test_an_annotation_finding_is_placed_at_the_values_key_that_set_it() -> None:
    result = run(API / "apparmor-annotation.yaml")
    # Not 1:1, nor the `singleuser` key: the annotation's own key under extraAnnotations.
    assert placed(result, "app-armor-profile") == [("app-armor-profile", 6, 5, None)]


def test_an_annotation_set_in_a_profile_is_placed_in_that_profile(tmp_path: Path) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n"
        "  uid: 1000\n"
        "  profileList:\n"
        "    - display_name: confined\n"
        "    - display_name: unconfined\n"
        "      kubespawner_override:\n"
        "        extra_annotations:\n"
        "          container.apparmor.security.beta.kubernetes.io/notebook: unconfined\n",
    )
    result = run(values)
    assert placed(result, "app-armor-profile") == [("app-armor-profile", 8, 11, "unconfined")]


def test_a_label_is_placed_at_the_values_key_that_set_it(tmp_path: Path) -> None:
    values = write(
        tmp_path,
        "values.yaml",
        "singleuser:\n  uid: 1000\n  extraLabels:\n    team: data\n"
        "    hub.jupyter.org/network-access-hub: 'true'\n",
    )
    pod = only_pod(run(values))
    for key, line in (("team", 4), ("hub.jupyter.org/network-access-hub", 5)):
        origin = pod.provenance.locate(("metadata", "labels", key))
        assert (origin.line, origin.column) == (line, 5), key


def test_a_resource_named_without_its_domain_is_refused_at_the_values_key_that_names_it() -> None:
    result = run(API / "bare-gpu-resource.yaml", select={"invalid-resource-name"})
    assert placed(result, "invalid-resource-name") == [("invalid-resource-name", 9, 11, "GPU")]
    assert result.findings[0].message.startswith(
        "container notebook asks for resource gpu in limits, a name the API server does not know"
    )
