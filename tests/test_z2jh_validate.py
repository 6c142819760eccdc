"""z2jh values are validated as Helm (the chart's values schema) and the hub (KubeSpawner trait
names) would, each problem at the line that wrote it, with where the intent really lives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, brief, run

from nblint.dialects.z2jh.validate import validate
from nblint.dialects.z2jh.values import build_release
from nblint.load.files import load
from nblint.model.finding import Finding

VALUES = FIXTURES / "z2jh" / "values"


def check(name: str, **dialect: Any) -> list[Finding]:
    # The loader's own findings on unrendered templates are tested in test_hostile.py.
    return run(VALUES / name, select={"z2jh"}, ignore={"helm-template"}, **dialect).findings


def messages(findings: list[Finding]) -> list[str]:
    return [f.message for f in findings]


# ---------------------------------------------------------------------------------------------
# The chapter's seed file: keys z2jh does not have, and a trait KubeSpawner does not have


def test_seed_file_reports_its_wrong_keys_and_trait_at_their_lines() -> None:
    findings = check("seed-chapter-values.yaml")
    assert brief(findings) == [
        ("z2jh-unknown-key", 32, 3),  # singleuser.cull
        ("z2jh-unknown-key", 41, 3),  # singleuser.podSecurityContext
        ("z2jh-unknown-key", 48, 3),  # singleuser.containerSecurityContext
        ("z2jh-unknown-key", 53, 3),  # singleuser.extraVolumeMounts
        ("z2jh-unknown-key", 56, 3),  # singleuser.extraVolumes
        ("z2jh-unknown-trait", 77, 9),  # extra_tolerations in the GPU profile
    ]
    assert all(f.severity == "error" for f in findings)


def test_seed_file_names_where_each_intent_really_lives() -> None:
    findings = check("seed-chapter-values.yaml")
    assert [m.split("; ", 1)[1] for m in messages(findings)[:5]] == [
        "the setting belongs at `cull`",
        "the setting belongs at `hub.config.KubeSpawner.pod_security_context`",
        "the setting belongs at `hub.config.KubeSpawner.container_security_context`",
        "the setting belongs at `singleuser.storage.extraVolumeMounts`",
        "the setting belongs at `singleuser.storage.extraVolumes`",
    ]
    assert messages(findings)[0].startswith(
        "`singleuser.cull` is not a z2jh 4.4.0 key: the values schema allows no other keys under "
        "singleuser, so helm would refuse the release"
    )


def test_a_misplaced_key_gets_a_fix_that_moves_its_own_value() -> None:
    pod_security = check("seed-chapter-values.yaml")[1]
    assert pod_security.fix == (
        "Remove `singleuser.podSecurityContext` and set instead:\n"
        "hub:\n"
        "  config:\n"
        "    KubeSpawner:\n"
        "      pod_security_context:\n"
        "        runAsNonRoot: true\n"
        "        runAsUser: 1000\n"
        "        runAsGroup: 1000\n"
        "        fsGroup: 1000\n"
        "        seccompProfile:\n"
        "          type: RuntimeDefault"
    )


def test_extra_tolerations_fix_keeps_the_charts_user_node_tolerations() -> None:
    trait = check("seed-chapter-values.yaml")[-1]
    assert trait.message == (
        "`extra_tolerations` in the `kubespawner_override` of profile 'GPU notebook' is not a "
        "trait of KubeSpawner 7.0.0 (the hub of z2jh 4.4.0): it is silently ignored by the hub; "
        "did you mean `tolerations`?"
    )
    assert trait.fix is not None
    assert trait.fix.splitlines()[1:] == [
        "tolerations:",
        "- {key: hub.jupyter.org/dedicated, operator: Equal, value: user, effect: NoSchedule}",
        "- {key: hub.jupyter.org_dedicated, operator: Equal, value: user, effect: NoSchedule}",
        "- {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}",
    ]


def test_unknown_keys_are_left_out_of_the_release_the_pods_are_built_from() -> None:
    path = str(VALUES / "seed-chapter-values.yaml")
    release, _ = build_release([(path, load(path).documents[0].root)], (), "4.4.0")
    validate(release)
    singleuser = release.values["singleuser"]
    assert "podSecurityContext" not in singleuser and "cull" not in singleuser
    assert singleuser["cpu"] == {"limit": 2, "guarantee": 0.25}


# ---------------------------------------------------------------------------------------------
# The values schema: unknown keys, typos, wrong types, required keys


def test_typos_get_a_did_you_mean() -> None:
    findings = check("typo-did-you-mean.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 2, 3), ("z2jh-unknown-key", 4, 5)]
    assert [m.rsplit("; ", 1)[1] for m in messages(findings)] == [
        "did you mean `defaultUrl`?",
        "did you mean `capacity`?",
    ]
    assert [f.fix for f in findings] == [
        "Rename `defualtUrl` to `defaultUrl`.",
        "Rename `capacty` to `capacity`.",
    ]


def test_wrong_types_and_values_are_reported_at_their_lines() -> None:
    findings = check("wrong-types.yaml")
    assert brief(findings) == [
        ("z2jh-wrong-type", 2, 3),
        ("z2jh-wrong-type", 4, 5),
        ("z2jh-wrong-type", 6, 5),
        ("z2jh-wrong-type", 8, 3),
    ]
    assert messages(findings) == [
        "`singleuser.uid` must be an integer or null in z2jh 4.4.0, not a list; "
        "helm would refuse the release",
        "`singleuser.storage.type: 'ephemeral'` is not one of 'dynamic', 'static', 'none' "
        "(z2jh 4.4.0 values schema); helm would refuse the release",
        "`singleuser.cpu.limit` must be a number or null in z2jh 4.4.0, not a string; "
        "helm would refuse the release",
        "`cull.enabled` must be a boolean in z2jh 4.4.0, not a string; "
        "helm would refuse the release",
    ]


def test_a_null_that_deletes_a_required_section_is_reported() -> None:
    findings = check("null-deletes-required.yaml")
    assert brief(findings) == [("z2jh-wrong-type", 4, 1)]
    assert "this `null` deleted the chart default" in findings[0].message


def test_hub_config_is_free_form_in_3x_but_needs_class_names_in_4x() -> None:
    assert brief(check("hub-config-lowercase-section.yaml", chart_version="3.3.8")) == []
    findings = check("hub-config-lowercase-section.yaml", chart_version="4.4.0")
    assert brief(findings) == [("z2jh-unknown-key", 3, 5)]
    assert "start with a capital" in findings[0].message


def test_open_sections_accept_any_key() -> None:
    # Only `additionalProperties: false` closes a section: extraPodConfig, extraEnv,
    # nodeSelector, extraResource.limits and custom are open.
    assert brief(check("open-sections.yaml")) == []


# ---------------------------------------------------------------------------------------------
# The hub: names in hub.config.KubeSpawner and kubespawner_override must be KubeSpawner traits


def test_unknown_traits_everywhere_a_kubespawner_override_can_be() -> None:
    findings = check("unknown-traits.yaml")
    assert brief(findings) == [
        ("z2jh-unknown-trait", 4, 7),  # hub.config.KubeSpawner.cpu_limt
        ("z2jh-unknown-trait", 12, 9),  # default: true inside a profile's override
        ("z2jh-unknown-trait", 22, 17),  # extra_tolerations in a choice's override
        ("z2jh-unknown-trait", 27, 15),  # imag in the unlisted choice's override
    ]
    assert [f.fix for f in findings][:2] == [
        "Rename `cpu_limt` to `cpu_limit`.",
        "Move `default` out of `kubespawner_override`, beside it.",
    ]
    assert findings[3].message.endswith("did you mean `image`?")


GENERAL_TRAIT_FIX = (
    "Write the setting under a trait name its class has, or remove it (the configuration "
    "references of KubeSpawner, JupyterHub and the authenticators list their traits)."
)


def test_a_tag_and_a_gpu_count_in_an_override_are_told_where_they_go() -> None:
    """No name is suggested for ``tag`` or ``nvidia.com/gpu``, so no fix may point to one: the
    tag goes into ``image`` (one string), the GPU into ``extra_resource_limits``."""
    findings = check("unknown-trait-tag-and-gpu.yaml")
    assert brief(findings) == [("z2jh-unknown-trait", 6, 9), ("z2jh-unknown-trait", 7, 9)]
    assert [f.fix for f in findings] == [
        "Remove `tag` and give the tag in `image`, which KubeSpawner takes as one string "
        "`name:tag`:\nimage: registry.example.org/deeplearn_pytorch:cuda-11.1",
        "Move `nvidia.com/gpu` into `extra_resource_limits`, KubeSpawner's trait for extended "
        "resources (Kubernetes makes their request equal to the limit):\n"
        "extra_resource_limits:\n  nvidia.com/gpu: '1'",
    ]
    assert not any("did you mean" in f.message for f in findings)


def test_no_fix_of_an_unknown_trait_points_to_a_suggestion_that_is_not_there() -> None:
    findings = check("unknown-trait-tag-beside-a-tagged-image.yaml")
    assert [(f.line, f.fix) for f in findings] == [
        (
            9,
            "Remove `tag`: KubeSpawner's `image` is one string, and the image "
            "`registry.example.org:5000/deeplearn_pytorch:cuda-11.1` already has its tag.",
        ),
        (10, "Remove `nvidia.com/gpu`: a count of 0 asks for none."),
        # The override's extra_resource_limits is kept beside the GPU.
        (
            15,
            "Move `nvidia.com/gpu` into `extra_resource_limits`, KubeSpawner's trait for "
            "extended resources (Kubernetes makes their request equal to the limit):\n"
            "extra_resource_limits:\n  example.com/fpga: 1\n  nvidia.com/gpu: 2",
        ),
        # 0 of a GPU singleuser.extraResource.limits gives: the override must say so.
        (
            18,
            "Move `amd.com/gpu` into `extra_resource_limits`, KubeSpawner's trait for "
            "extended resources (Kubernetes makes their request equal to the limit):\n"
            "extra_resource_limits:\n  amd.com/gpu: 0",
        ),
        (
            22,
            "Remove `tag`: KubeSpawner's `image` is one string, and the image "
            "`quay.io/jupyter/scipy-notebook:latest` already has its tag (or write "
            "`image: quay.io/jupyter/scipy-notebook:2024-04-22` if that is the one meant).",
        ),
        (
            26,
            "Remove `tag` and set `singleuser.image.tag`: KubeSpawner takes the image as one "
            "string `name:tag`, which z2jh joins from `singleuser.image`.",
        ),
        (28, GENERAL_TRAIT_FIX),
    ]
    assert all("suggest" not in (f.fix or "") for f in findings)


def test_trait_names_follow_the_kubespawner_of_the_chart_version() -> None:
    assert brief(check("slug-scheme-kubespawner7-only.yaml", chart_version="4.4.0")) == []
    findings = check("slug-scheme-kubespawner7-only.yaml", chart_version="3.3.8")
    assert brief(findings) == [("z2jh-unknown-trait", 4, 7)]
    assert findings[0].message == (
        "`slug_scheme` in `hub.config.KubeSpawner` is not a trait of KubeSpawner 6.2.0 (the hub "
        "of z2jh 3.3.8): it is silently ignored by the hub; it exists in KubeSpawner 7.0.0 "
        "(z2jh 4.0.0 … 4.4.0)"
    )


# ---------------------------------------------------------------------------------------------
# What nblint cannot see


def test_hub_extra_config_of_plain_settings_only_needs_no_caveat() -> None:
    # Both snippets are `c.<Class>.<trait> = <literal>`: read and applied, nothing left unread.
    assert brief(check("extra-config.yaml")) == []


def test_templates_and_encrypted_values_are_skipped_and_reported_once() -> None:
    findings = check("templates-and-sops.yaml")
    # No wrong-type for `uid: "{{ ... }}"` or `extraLabels: ${labels}`: nblint cannot know them.
    assert brief(findings) == [("z2jh-unrendered-template", 6, 3)]
    assert findings[0].message.startswith(
        "2 unrendered template value(s) and 1 sops-encrypted value(s) in this file"
    )


def test_an_unknowable_value_where_a_mapping_belongs_is_built_from_the_chart_default() -> None:
    path = str(VALUES / "templates-and-sops.yaml")
    release, _ = build_release([(path, load(path).documents[0].root)], (), "4.4.0")
    validate(release)
    assert release.values["singleuser"]["extraLabels"] == {
        "hub.jupyter.org/network-access-hub": "true"
    }
    assert release.values["singleuser"]["uid"] == 1000


# ---------------------------------------------------------------------------------------------
# Real files written by others (copies in tests/fixtures, see ORIGIN.md)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "corpus-ai-on-gke-autopilot.yaml",
            [
                ("z2jh-unrendered-template", 29, 3),
                ("z2jh-unknown-trait", 136, 17),
                ("z2jh-unknown-trait", 152, 17),
            ],
        ),
        (
            "corpus-utoronto-hub.yaml",
            [
                ("z2jh-wrong-type", 59, 3),
                ("z2jh-wrong-type", 59, 3),
                ("z2jh-unknown-key", 61, 7),
                ("z2jh-unknown-key", 110, 5),
                # Every snippet is plain settings (read, so no caveat); one is no trait of the
                # chart's JupyterHub (the single-user server's `hub_activity_interval`), but the
                # hub runs its own image (`ut-hub`), whose JupyterHub nblint cannot see: an info.
                ("z2jh-hub-code", 238, 9),
            ],
        ),
        ("corpus-2i2c-cloudbank-gpu-demo.yaml", [("z2jh-unknown-trait", 82, 9)]),
        # At the one statement nblint does not read (`extra_pod_config.update(…)`).
        ("corpus-mybinder-binderhub-root.yaml", [("z2jh-extra-config", 428, 11)]),
        (
            "corpus-data-on-eks-top-root.yaml",
            # `cmd: null` beside the profile's kubespawner_override, not in it: ignored.
            [("z2jh-unknown-profile-key", 56, 7), ("z2jh-unrendered-template", 57, 3)],
        ),
    ],
)
def test_corpus_file_findings(name: str, expected: list[tuple[str, int, int]]) -> None:
    assert brief(check(name)) == expected


def test_a_chart_default_that_breaks_the_schema_is_named() -> None:
    # imagePullSecret.create: true needs username and password; the chart's are null.
    finding = check("corpus-utoronto-hub.yaml")[0]
    assert finding.message.startswith("`imagePullSecret.username` must be a string")
    assert finding.note == (
        "chart default `imagePullSecret.username: null` of z2jh 4.4.0 "
        "(unless the parent chart's own values.yaml, which nblint cannot see, overrides it)"
    )
    assert Path(finding.file).name == "corpus-utoronto-hub.yaml"


def test_kubespawner_traits_of_the_wrong_type_are_reported_at_their_key(tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(
        "hub:\n  config:\n    KubeSpawner:\n      uid: root\n      supplemental_gids: [a]\n"
        "singleuser:\n  profileList:\n    - display_name: A\n      kubespawner_override:\n"
        "        cpu_limit: two\n"
    )
    result = run(values, select={"z2jh-wrong-type", "z2jh-spawn-failure", "internal-error"})
    assert brief(result.findings) == [
        ("z2jh-wrong-type", 4, 7),
        # traitlets takes a list of anything; KubeSpawner's int() of the item fails.
        ("z2jh-spawn-failure", 5, 27),
        ("z2jh-wrong-type", 10, 9),
    ]
    assert result.findings[0].message == (
        "`uid` in `hub.config.KubeSpawner` must be an integer, not 'root': "
        "KubeSpawner refuses it and every spawn with it fails"
    )
    assert result.pods, "the pods are still built, without the refused values"


def test_a_profile_list_that_is_neither_a_list_nor_a_mapping_is_refused(tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("hub:\n  config:\n    KubeSpawner:\n      profile_list: small\n")
    result = run(values, select={"z2jh-wrong-type", "internal-error"})
    assert brief(result.findings) == [("z2jh-wrong-type", 4, 7)]
    assert result.findings[0].message == (
        "`profile_list` in `hub.config.KubeSpawner` must be a list or a mapping, not 'small': "
        "KubeSpawner refuses it and every spawn with it fails"
    )


def test_a_trait_of_the_wrong_type_in_the_spawner_section_is_refused(tmp_path) -> None:
    values = tmp_path / "values.yaml"
    values.write_text("hub:\n  config:\n    Spawner:\n      cmd: 5\n      notebook_dir: /srv\n")
    result = run(values, select={"z2jh-wrong-type", "z2jh-unknown-trait", "internal-error"})
    # The base class's own traits (notebook_dir) are not KubeSpawner's to call unknown.
    assert brief(result.findings) == [("z2jh-wrong-type", 4, 7)]
    assert result.findings[0].message == (
        "`cmd` in `hub.config.Spawner` must be a string or a list of strings, not 5: "
        "KubeSpawner refuses it and every spawn with it fails"
    )


def test_the_old_cloud_metadata_key_moves_with_the_opposite_value() -> None:
    # z2jh 0.x's `cloudMetadata.enabled: false` blocked the metadata server: its 1.0 name is
    # `blockWithIptables` with the opposite value (the chart's NOTES.txt says so), so the fix
    # must keep blocking it, not turn the block off.
    findings = check("cloud-metadata-enabled-old-key.yaml")
    assert brief(findings) == [("z2jh-unknown-key", 8, 5)]
    assert findings[0].message.endswith(
        "the setting belongs at `singleuser.cloudMetadata.blockWithIptables`, with the opposite "
        "value (z2jh 1.0.0 moved it there)"
    )
    assert findings[0].fix == (
        "Remove `singleuser.cloudMetadata.enabled` and set instead:\n"
        "singleuser:\n"
        "  cloudMetadata:\n"
        "    blockWithIptables: true"
    )


def test_keys_z2jh_0x_had_are_named_with_their_new_home_and_moved_there() -> None:
    # proxy.nodeSelector and auth are z2jh 0.9's; singleuser.imagePullPolicy was never a key.
    findings = check("removed-0x-keys.yaml")
    assert brief(findings) == [
        ("z2jh-unknown-key", 3, 3),
        ("z2jh-unknown-key", 5, 1),
        ("z2jh-unknown-key", 10, 3),
    ]
    assert [m.split("; ", 1)[1] for m in messages(findings)] == [
        "the setting belongs at `proxy.chp.nodeSelector` (z2jh 0.10.0 moved it there, and to "
        "`proxy.traefik.nodeSelector` for the autohttps pod)",
        "z2jh 0.11.0 moved authentication to `hub.config` (the authenticator's traits)",
        "the setting belongs at `singleuser.image.pullPolicy`",
    ]
    assert [f.fix for f in findings] == [
        "Remove `proxy.nodeSelector` and set instead:\n"
        "proxy:\n  chp:\n    nodeSelector:\n      pool: core",
        "Remove `auth` and set instead:\n"
        "hub:\n  config:\n    JupyterHub:\n      authenticator_class: github\n"
        "    Authenticator:\n      admin_users:\n      - alice",
        "Remove `singleuser.imagePullPolicy` and set instead:\n"
        "singleuser:\n  image:\n    pullPolicy: Always",
    ]


def test_0x_auth_becomes_the_authenticator_s_traits_secrets_unprinted() -> None:
    [finding] = check("auth-0x-every-kind.yaml")
    assert finding.message.split("; ", 1)[1] == (
        "z2jh 0.11.0 moved authentication to `hub.config` (the authenticator's traits); nblint "
        "knows no home in z2jh 4.4.0 for `auth.mediawiki.indexUrl`, `auth.made`"
    )  # MWOAuthenticator has no index_url any more
    assert finding.fix is not None and "the-client-secret" not in finding.fix
    snippet = yaml.safe_load(finding.fix.split("\n", 1)[1])
    assert snippet == {
        "hub": {
            "config": {
                "JupyterHub": {"authenticator_class": "github", "admin_access": True},
                "Authenticator": {
                    "admin_users": ["alice"],
                    "allowed_users": ["bob"],
                    "enable_auth_state": True,
                },
                "GitHubOAuthenticator": {
                    "client_id": "the-client-id",
                    "client_secret": "<the value of auth.github.clientSecret>",
                    "allowed_organizations": ["my-org"],
                },
                "CryptKeeper": {"keys": ["<the value of auth.state.cryptoKey>"]},
            }
        }
    }


def test_0x_auth_that_sets_nothing_is_to_be_removed_not_moved() -> None:
    [finding] = check("auth-0x-nothing-set.yaml")
    assert finding.fix == "Remove `auth`: it sets no value."


def test_an_unknown_key_nblint_knows_no_home_for_gets_a_fix_that_names_none() -> None:
    [finding] = check("unknown-key-nblint-cannot-place.yaml")
    assert finding.message == (
        "`version` is not a z2jh 4.4.0 key: the values schema allows no other keys under the top "
        "level, so helm would refuse the release"
    )
    assert finding.fix is not None and "the finding names it" not in finding.fix


def test_keys_the_charts_notes_refuse_are_reported() -> None:
    # rbac.enabled and hub.fsGid pass the values schema, but the chart's NOTES.txt fails the
    # release on them; so does blocking the metadata server both ways at once.
    findings = check("notes-refusals.yaml")
    assert brief(findings) == [
        ("z2jh-unknown-key", 3, 3),
        ("z2jh-unknown-key", 5, 3),
        ("z2jh-wrong-type", 12, 7),
    ]
    assert findings[0].message.startswith(
        "`rbac.enabled` is no longer a z2jh key: the chart refuses it as of z2jh 2.0.0"
    )
    assert findings[1].message.endswith("configure it via `hub.podSecurityContext.fsGroup`")
    assert "ambiguous" in findings[2].message


def test_what_the_charts_notes_accept_is_not_reported() -> None:
    assert brief(check("notes-accepted.yaml")) == []


def test_the_charts_notes_refusals_hold_in_every_release() -> None:
    for version in ("3.0.0", "3.3.8", "4.0.0"):
        findings = check("notes-refusals.yaml", chart_version=version)
        assert [f.rule for f in findings] == [
            "z2jh-unknown-key",
            "z2jh-unknown-key",
            "z2jh-wrong-type",
        ], version


def test_values_in_messages_are_shown_as_yaml_and_an_enum_meant_is_the_fix() -> None:
    # Field test 2, #7: the message showed Python's `{'require': True}` for `require: true`.
    findings = run(
        VALUES / "enum-written-as-mapping.yaml", select={"z2jh-wrong-type", "z2jh-spawn-failure"}
    ).findings
    assert brief(findings) == [
        ("z2jh-wrong-type", 4, 7),
        ("z2jh-wrong-type", 9, 5),
        ("z2jh-spawn-failure", 13, 7),
    ]
    assert messages(findings) == [
        "`scheduling.userPods.nodeAffinity.matchNodePurpose: {require: true}` is not one of "
        "'ignore', 'prefer', 'require' (z2jh 4.4.0 values schema); helm would refuse the release",
        "`singleuser.storage.type: [dynamic, static]` is not one of 'dynamic', 'static', 'none' "
        "(z2jh 4.4.0 values schema); helm would refuse the release",
        "`kubespawner_override` must be a mapping, not [mem_limit, 4G]: every spawn of profile "
        "true with it fails",
    ]
    # The one key of the mapping is the allowed value meant; two list items are not one.
    assert findings[0].fix == "matchNodePurpose: require"
    assert findings[1].fix == (
        "Give the key a value of the type the finding names (see the z2jh configuration reference)."
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"require": True}, "{require: true}"),
        ([1, 2.5, None, False], "[1, 2.5, null, false]"),
        ({"a": ["x y", "yes", "1.0", "it's", ""]}, "{a: [x y, 'yes', '1.0', 'it''s', '']}"),
        ("4Gi", "'4Gi'"),
        ("a\nb", '"a\\nb"'),
        ({"k": {"name": "#x", "m": "a: b"}}, "{k: {name: '#x', m: 'a: b'}}"),
    ],
)
def test_a_value_is_shown_as_the_yaml_that_reads_back_as_it(value: Any, text: str) -> None:
    from nblint.model.shown import shown

    assert shown(value) == text
    assert yaml.safe_load(text) == value


def test_extra_files_without_content_assume_set_file_and_two_forms_are_refused() -> None:
    # The chart's own "Using --set-file" recipe writes only the mountPath: Helm checks the
    # values merged with the command line, which nblint cannot see, so no content is an info at
    # the entry; two contents at once is refused whatever the command line adds (every 3.x/4.x
    # schema has the oneOf, and the templates' validate-file fails the release alike).
    findings = check("extra-files-content-at-install.yaml")
    assert [(f.rule, f.line, f.column, f.severity) for f in findings] == [
        ("z2jh-content-at-install", 9, 5, "info"),
        ("z2jh-content-at-install", 13, 5, "info"),
        ("z2jh-wrong-type", 15, 5, "error"),
    ]
    assert findings[0].message == (
        "`hub.extraFiles.my_config` gives no content (data, stringData or binaryData): nblint "
        "assumes it is given at install time (`helm upgrade … --set-file "
        "hub.extraFiles.my_config.stringData=./file`); helm refuses the release if nothing gives it"
    )
    assert findings[2].message.startswith(
        "`singleuser.extraFiles.two_forms` must set exactly one of data or stringData or binaryData"
    )
    for version in ("3.0.0", "4.4.0"):
        rules = [
            f.rule for f in check("extra-files-content-at-install.yaml", chart_version=version)
        ]
        assert rules.count("z2jh-content-at-install") == 2, version


def test_a_security_context_at_the_root_is_moved_to_kubespawner_field_by_field() -> None:
    [finding] = check("root-security-context.yaml")
    assert brief([finding]) == [("z2jh-unknown-key", 7, 1)]
    assert finding.message.split("; ", 1)[1] == (
        "the setting belongs at `hub.config.KubeSpawner.container_security_context` (or "
        "`hub.containerSecurityContext` if it is meant for the hub pod); `fsGroup` at "
        "`hub.config.KubeSpawner.pod_security_context`"
    )
    assert finding.fix is not None
    assert yaml.safe_load(finding.fix.split("\n", 1)[1]) == {
        "hub": {
            "config": {
                "KubeSpawner": {
                    "container_security_context": {
                        "runAsNonRoot": True,
                        "capabilities": {"drop": ["ALL"]},
                    },
                    "pod_security_context": {"fsGroup": 100},
                }
            }
        }
    }
