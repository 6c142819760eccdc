"""One indentation slip in a z2jh values file (a key one level too shallow or too deep) is one
mistake: one ``z2jh-unknown-key`` at the first misplaced key, naming where the keys belong, when
the values schema says so; a key whose place nblint cannot tell keeps its own finding."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

from nblint.model.finding import Finding

VALUES = FIXTURES / "z2jh" / "values"


def unknown_keys(name: str) -> list[Finding]:
    findings = run(VALUES / name, select={"z2jh"}).findings
    return [f for f in findings if f.rule == "z2jh-unknown-key"]


def test_keys_of_an_empty_image_written_one_level_too_shallow_are_one_finding() -> None:
    findings = unknown_keys("slip-image-keys-too-shallow.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 4, 3)]  # name:, the first key to indent
    assert findings[0].message == (
        "`singleuser.name`, `singleuser.tag` are not z2jh 4.4.0 keys, so helm would refuse the "
        "release: they look indented one level too shallow; `name`, `tag` are keys of "
        "`singleuser.image`"
    )
    assert findings[0].fix == "Indent `name`, `tag` one level further, under `image:` (line 3)."


def test_a_key_of_an_empty_storage_written_one_level_too_shallow_names_its_place() -> None:
    findings = unknown_keys("slip-storage-type-too-shallow.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 7, 3)]
    assert "indented one level too shallow; `type` is a key of `singleuser.storage`" in (
        findings[0].message
    )
    assert findings[0].fix == "Indent `type` one level further, under `storage:` (line 6)."


def test_keys_written_one_level_too_deep_are_one_finding_naming_the_level_above() -> None:
    findings = unknown_keys("slip-keys-too-deep.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 6, 5)]  # storage:, under image
    assert findings[0].message == (
        "`singleuser.image.storage`, `singleuser.image.cpu` are not z2jh 4.4.0 keys, so helm "
        "would refuse the release: they look indented one level too deep; `storage`, `cpu` are "
        "keys of `singleuser`"
    )
    assert findings[0].fix == "Indent `storage`, `cpu` one level less, under `singleuser`."


def test_keys_whose_place_nblint_cannot_tell_keep_a_finding_each() -> None:
    # limit and guarantee are keys of both singleuser.cpu and singleuser.memory.
    findings = unknown_keys("slip-ambiguous-place.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 6, 3), ("z2jh-unknown-key", 7, 3)]
    assert all("indented" not in f.message for f in findings)


def test_a_container_s_resources_under_singleuser_name_the_chart_s_own_keys() -> None:
    # Not "indented one level too shallow … a key of singleuser.networkTools": that would limit
    # the iptables init container, not the user pod.
    findings = unknown_keys("singleuser-resources-as-a-container.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 7, 3)]
    assert "networkTools" not in findings[0].message
    assert "`singleuser.cpu.limit`/`singleuser.cpu.guarantee`" in findings[0].message
    assert "`singleuser.memory.limit`/`singleuser.memory.guarantee`" in findings[0].message
    # KubeSpawner's ByteSpecification takes 4G (1024³ per G), not 4Gi; cpu.limit is a number.
    assert findings[0].fix == (
        "Remove `singleuser.resources` and set instead:\n"
        "singleuser:\n"
        "  cpu:\n    limit: 2\n    guarantee: 0.5\n"
        "  memory:\n    limit: 4G\n    guarantee: 1G\n"
        "  extraResource:\n    limits:\n      nvidia.com/gpu: 1"
    )


def test_no_guess_into_another_container_s_settings_inside_a_container_s() -> None:
    # Nothing written says where `resources` goes under singleuser (the user pod's settings):
    # networkTools, the one sibling that has it, configures another container.
    from nblint.dialects.z2jh.validate import _Checker
    from nblint.dialects.z2jh.values import build_release, values_schema

    values = {"singleuser": {"uid": 1000, "resources": {"limits": {"cpu": 1}}}}
    release, _ = build_release([("values.yaml", values)], (), "4.4.0")
    checker = _Checker(release)
    schema = values_schema("4.4.0")
    assert checker._slip_home(schema, ("singleuser",), "resources") is None


def test_a_key_of_one_component_under_a_group_of_components_is_still_placed() -> None:
    findings = unknown_keys("slip-proxy-key-of-one-component.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 5, 3)]
    assert findings[0].message.endswith("`hsts` is a key of `proxy.traefik`")


def test_a_key_of_the_top_level_written_too_deep_names_the_top_level_as_no_key() -> None:
    findings = unknown_keys("slip-too-deep-to-the-top-level.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 5, 3)]
    assert findings[0].message.endswith(
        "it looks indented one level too deep; `imagePullSecrets` is a key of the top level"
    )
    assert findings[0].fix == "Indent `imagePullSecrets` one level less, to the top level."


def test_a_key_too_deep_whose_place_the_chart_ignores_is_said_to_be_removed() -> None:
    """Field test 19a, W2: `proxy.enabled` is the top level's `enabled` one level too deep, but
    the chart ignores that key: moving it there does nothing either."""
    findings = unknown_keys("slip-too-deep-to-a-key-the-chart-ignores.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 4, 3)]
    assert findings[0].severity == "error"
    assert findings[0].message == (
        "`proxy.enabled` is not a z2jh 4.4.0 key, so helm would refuse the release: it looks "
        "indented one level too deep; `enabled` is a key of the top level, but the chart ignores "
        "`enabled` (a chart that depends on z2jh may read it as the dependency's condition): it "
        "does nothing there either; remove `proxy.enabled`"
    )
    assert findings[0].fix == "Remove `proxy.enabled`."
