"""Raw manifests: every pod source kind, the line to edit, and API-server defaulting."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, RULES, brief
from conftest import run as run_all

M = FIXTURES / "manifests"


def run(*paths, **options):
    """These fixtures are about PSA and reading: the notebook checklist has its own tests."""
    options.setdefault("ignore", {"notebook"})
    return run_all(*paths, **options)


def test_deployment_privileged_init_container_points_at_privileged_line() -> None:
    result = run(M / "deployment-privileged-init.yaml")
    # Beside privileged: true, the allowPrivilegeEscalation: false the API server refuses.
    assert brief(result.findings) == [
        ("privileged", 15, 13),
        ("privileged-without-escalation", 16, 13),
    ]
    finding = result.findings[0]
    assert (finding.object, finding.container) == ("Deployment/web", "setup")
    assert finding.field == "spec.initContainers[0].securityContext.privileged"
    assert finding.psa is not None
    assert finding.psa.as_dict() == {"check": "privileged", "level": "baseline", "version": "v1.37"}


def test_cronjob_pod_template_is_found_under_job_template() -> None:
    result = run(M / "cronjob-host-pid.yaml")
    # busybox in a CronJob is a one-shot task: PSA judges it, the notebook checklist does not.
    assert brief(result.findings) == [
        ("host-namespaces", 11, 11),
        ("workload-not-a-notebook", 18, 15),
    ]
    assert result.findings[0].message == "pod sets spec.hostPID: true"


def test_other_kinds_are_skipped_and_counted_not_reported() -> None:
    result = run(M / "multi-document-with-service.yaml")
    assert result.findings == []
    assert dict(result.skipped) == {"Service": 1, "ConfigMap": 1}
    assert [pod.object for pod in result.pods] == ["Pod/restricted-ok"]


def test_list_items_are_pods_with_their_own_lines() -> None:
    result = run(M / "list-of-pods.yaml")
    assert [pod.object for pod in result.pods] == ["Pod/first", "Pod/second"]
    assert brief(result.findings) == [("host-namespaces", 8, 7), ("host-ports", 8, 7)]


def test_host_port_defaulted_from_host_network_names_the_defaulting() -> None:
    result = run(M / "list-of-pods.yaml", select={"host-ports"})
    (finding,) = result.findings
    assert finding.message == "container app binds host port 8080"
    assert finding.note.startswith("API-server defaulting")
    assert result.pods[0].spec["containers"][0]["ports"][0]["hostPort"] == 8080


def test_sourceless_volume_is_defaulted_to_empty_dir_and_passes_restricted() -> None:
    result = run(M / "sourceless-volume-is-emptydir.yaml")
    assert result.findings == []
    assert result.pods[0].spec["volumes"] == [{"name": "scratch", "emptyDir": {}}]


def test_duplicate_key_is_reported_and_the_last_value_is_checked() -> None:
    result = run(M / "duplicate-key-run-as-non-root.yaml")
    assert brief(result.findings) == [
        ("duplicate-key", 9, 5),
        ("run-as-non-root", 9, 5),
        ("run-as-non-root", 13, 7),
    ]
    # The message and `nblint explain duplicate-key` say the same: which value is checked, and
    # what the tools that deploy the file do with the first one.
    assert result.findings[0].message == (
        "duplicate key 'runAsNonRoot' (first at line 7): `kubectl apply -f` and Helm keep this "
        "value and drop the first (nblint checks this one); a strict reader such as kustomize "
        "refuses the file"
    )
    why = RULES["duplicate-key"].why
    assert "keep the last value and silently drop the first" in why
    assert "nblint cannot lint what it cannot read" not in why  # parse-error's, not this one's


def test_ephemeral_containers_are_checked() -> None:
    result = run(M / "ephemeral-container-root.yaml")
    assert brief(result.findings) == [("run-as-user", 17, 9)]
    assert result.findings[0].message == "ephemeralContainer debugger sets runAsUser: 0"


def test_windows_pod_is_exempt_from_three_restricted_checks_from_v1_25() -> None:
    assert run(M / "windows-pod-exemptions.yaml").findings == []
    older = run(M / "windows-pod-exemptions.yaml", version="v1.24")
    assert sorted({f.rule for f in older.findings}) == [
        "allow-privilege-escalation",
        "capabilities-restricted",
        "seccomp-profile-restricted",
    ]


def test_host_users_false_relaxes_run_as_user_only_from_v1_35() -> None:
    assert run(M / "host-users-false-relaxation.yaml").findings == []
    older = run(M / "host-users-false-relaxation.yaml", version="v1.34")
    assert brief(older.findings) == [("run-as-user", 7, 21), ("run-as-non-root", 11, 7)]


def test_baseline_level_runs_no_restricted_check() -> None:
    result = run(M / "host-users-false-relaxation.yaml", level="baseline", version="v1.34")
    assert result.findings == []


def test_unsafe_tag_is_refused_and_never_constructed(tmp_path) -> None:
    result = run(M / "unsafe-python-tag.yaml")
    assert brief(result.findings) == [("unsafe-yaml-tag", 4, 9)]
    assert result.pods == []


def test_invalid_yaml_is_reported_where_the_string_opens() -> None:
    result = run(M / "invalid-yaml-unterminated.yaml")
    assert brief(result.findings) == [("parse-error", 4, 9)]
    assert "quoted string is never closed" in result.findings[0].message


def test_a_bad_file_does_not_hide_the_findings_of_the_others() -> None:
    result = run(M / "invalid-yaml-unterminated.yaml", M / "cronjob-host-pid.yaml")
    assert [f.rule for f in result.findings] == [
        "host-namespaces",
        "workload-not-a-notebook",
        "parse-error",
    ]


def test_a_home_volume_is_judged_by_what_its_source_keeps() -> None:
    # A hostPath outlives restarts on its node (not "lost at every restart"); pinned to one node
    # it is that server's home; an in-tree disk named in the volume persists like a claim.
    result = run_all(M / "home-volume-sources.yaml", select={"notebook-home-persistent"})
    assert brief(result.findings) == [("notebook-home-persistent", 17, 11)]
    finding = result.findings[0]
    assert finding.object == "Deployment/anywhere"
    assert finding.message == (
        "/home/jovyan of container notebook is hostPath /srv/notebooks/alice, a directory of one "
        "node: work outlives a restart on that node, but a server started on another node does "
        "not find it"
    )


def test_a_volume_with_two_sources_is_refused_at_its_second_source() -> None:
    result = run_all(M / "volume-two-sources.yaml", select={"volume-one-source"})
    assert brief(result.findings) == [("volume-one-source", 14, 7)]
    assert result.findings[0].message == (
        "volume work names more than one source (emptyDir, persistentVolumeClaim): the API "
        "server refuses it"
    )


def test_a_statefulset_pod_gets_its_claim_template_volumes() -> None:
    result = run_all(
        M / "statefulset-claim-template-home.yaml",
        select={"notebook-home-persistent", "notebook-scratch-size-limit"},
    )
    # Not "nothing persistent is mounted at /home/jovyan": each pod has its own claim there.
    assert result.findings == []
    volumes = [pod.spec["volumes"] for pod in result.pods]
    assert volumes == [
        [{"name": "home", "persistentVolumeClaim": {"claimName": "home-lab-0"}}],
        [{"name": "home", "persistentVolumeClaim": {"claimName": "home-shadowed-0"}}],
    ]
    origin = result.pods[1].provenance.locate(("spec", "volumes", 0, "persistentVolumeClaim"))
    assert (origin.line, origin.note) == (
        45,
        "added by the StatefulSet controller from volumeClaimTemplates",
    )


def test_files_a_kustomization_patches_in_are_said_once_and_not_checked() -> None:
    kustomize = FIXTURES / "kustomize"
    result = run(*sorted(kustomize.rglob("*.yaml")))
    patches = [
        (f.file.split("kustomize/")[1], f.line, f.message.split(" patches it in")[0])
        for f in result.findings
        if f.rule == "kustomize-patch"
    ]
    assert patches == [
        (
            "overlays/legacy/security.yaml",
            1,
            f"a kustomize patch ({kustomize}/overlays/legacy/kustomization.yaml:4",
        ),
        (
            "overlays/prod/patches/image.json.yaml",
            1,
            f"a kustomize patch ({kustomize}/overlays/prod/kustomization.yaml:6",
        ),
        (
            "overlays/prod/patches/resources.yaml",
            1,
            f"a kustomize patch ({kustomize}/overlays/prod/kustomization.yaml:5",
        ),
    ]
    # Nothing else is said of a patch (no image, not a mapping…); the base is checked whole.
    others = {
        f.file.split("kustomize/")[1]
        for f in result.findings
        if f.rule not in ("kustomize-patch", "kustomize-not-applied")
    }
    assert others == {"base/notebook.yaml"}
    # The overlays' patches are not applied to the base nblint checks: each overlay says so.
    assert [
        (f.file.split("kustomize/")[1], f.line)
        for f in result.findings
        if f.rule == "kustomize-not-applied"
    ] == [("overlays/legacy/kustomization.yaml", 3), ("overlays/prod/kustomization.yaml", 4)]
    assert result.pod_count == 1


def test_what_a_kustomization_changes_and_nblint_does_not_apply_is_said_once() -> None:
    # Field test 9b D6: kustomize fields nblint skipped said nothing; a clean result then
    # vouched for files kustomize builds into other objects (another image, name, labels).
    here = FIXTURES / "kustomize-unapplied"
    found = run(*sorted(here.glob("*.yaml"))).findings
    [said] = [f for f in found if f.rule == "kustomize-not-applied"]
    assert (said.file, said.line, said.column) == (str(here / "kustomization.yaml"), 6, 1)
    assert said.message == (
        "this kustomization's `namePrefix`, `commonLabels`, `patches` change the objects it "
        "builds; nblint does not apply them and checks the files as written: lint what "
        "kustomize builds"
    )
    assert said.fix == f"kustomize build {here} | nblint check -"


# ---------------------------------------------------------------------------------------------
# kustomize's `images:` rewrites the images of what it builds (field test 14b D4)

IMAGES = FIXTURES / "kustomize-images"


def image_findings(*dirs: str) -> list[tuple[str, str, int, str]]:
    paths = [p for d in dirs for p in sorted((IMAGES / d).glob("*.yaml"))]
    result = run_all(*paths, select={"notebook-image-pinned", "kustomize-not-applied"})
    return [
        (f.rule, f.file.split("kustomize-images/")[1], f.line, f.message.split(", which")[0])
        for f in result.findings
    ]


def test_an_image_a_kustomization_rewrites_is_judged_as_built_at_its_images_entry() -> None:
    # `image: runtime-workbench` is a placeholder: the base builds quay.io/example/workbench,
    # untagged; the entry is the line to edit, and `images` is applied, not said unapplied.
    assert image_findings("base") == [
        (
            "notebook-image-pinned",
            "base/kustomization.yaml",
            5,
            "container notebook uses image quay.io/example/workbench",
        )
    ]
    result = run_all(*sorted((IMAGES / "base").glob("*.yaml")), select={"notebook-image-pinned"})
    [finding] = result.findings
    # The hint pins the entry in the kustomization, not the placeholder in the base.
    assert finding.fix == (
        "images:\n"
        "  - name: runtime-workbench\n"
        "    newName: quay.io/example/workbench\n"
        "    digest: sha256:DIGEST   # or newTag: TAG, a dated tag it has"
    )
    assert finding.edit is None


def test_an_overlays_images_entry_applies_after_its_bases() -> None:
    # The overlay pins the image the base builds by its digest: nothing to say.
    assert image_findings("base", "overlays/digest") == []
    # The overlay's `latest` is the image built, said at the overlay's entry.
    assert image_findings("base", "overlays/latest") == [
        (
            "notebook-image-pinned",
            "overlays/latest/kustomization.yaml",
            5,
            "container notebook uses image quay.io/example/workbench:latest",
        )
    ]


def test_overlays_that_build_a_base_image_apart_say_nothing_of_its_pinning() -> None:
    # One overlay pins it, another does not: which build is meant nblint cannot know.
    assert image_findings("base", "overlays/digest", "overlays/latest") == []


def test_images_entries_apply_to_a_kustomization_that_has_other_fields() -> None:
    here = FIXTURES / "kustomize-unapplied"
    result = run_all(*sorted(here.glob("*.yaml")))
    [pod] = result.pods
    assert pod.pod["spec"]["containers"][0]["image"] == "quay.io/jupyter/scipy-notebook:2024-10-07"


# ---------------------------------------------------------------------------------------------
# A strategic merge patch's container that the target lacks is added, without an image (D3)


def test_a_patch_container_the_target_lacks_is_added_without_an_image() -> None:
    here = FIXTURES / "kustomize-patch-new-container"
    result = run(*sorted(here.rglob("*.yaml")))
    found = [
        (f.rule, f.file.split("kustomize-patch-new-container/")[1], f.line, f.column)
        for f in result.findings
        if f.rule == "container-image-missing"
    ]
    # gpu.yaml's `runtime` matches no container of the base StatefulSet; memory.yaml's names
    # match the base's container and init container: merged, nothing added.
    assert found == [("container-image-missing", "overlay/gpu.yaml", 10, 11)]
    [finding] = [f for f in result.findings if f.rule == "container-image-missing"]
    assert finding.message == (
        f"this patch's container runtime matches no container of StatefulSet/lab "
        f"({here / 'base' / 'statefulset.yaml'}): strategic merge adds it as a new container, "
        "which has no image: the API server refuses the StatefulSet (and what the patch sets "
        "never reaches the container it meant)"
    )
    assert finding.fix == (
        "- name: notebook   # the StatefulSet's container this patch means (it has: notebook)"
    )


# ---------------------------------------------------------------------------------------------
# missing-containers: the API server refuses the object, so nothing else of it is checked

NO_CONTAINERS = M / "missing-containers"


def refusal(name: str) -> tuple[list[tuple[str, int, str | None]], str, str]:
    """Every finding of the fixture with every rule on, as ``(rule, line, profile)``, and the
    first one's message and hint."""
    result = run_all(NO_CONTAINERS / name)
    assert result.pods == []
    first = result.findings[0]
    return [(f.rule, f.line, f.profile) for f in result.findings], first.message, first.fix or ""


def test_a_pod_without_containers_gets_the_refusal_alone_at_its_spec() -> None:
    found, message, fix = refusal("pod-without-containers.yaml")
    # Not host-namespaces (hostNetwork) nor notebook-service-account-token: no pod exists.
    assert found == [("missing-containers", 8, None)]
    assert message == (
        "the pod has no containers (spec.containers is unset): the API server refuses the Pod; "
        "nothing else of it is checked"
    )
    # The rule's own manifest hint: the normaliser writes it for the object's kind.
    assert fix == RULES["missing-containers"].fix["manifest"].rstrip()


def test_containers_indented_too_little_are_said_at_the_template_spec() -> None:
    found, message, fix = refusal("deployment-containers-indented-too-little.yaml")
    assert found == [("missing-containers", 12, None)]
    assert message == (
        "the pod template has no containers (spec.template.spec.containers is unset): the API "
        "server refuses the Deployment, which never makes a pod (spec.template.containers is "
        "written: indent it under spec.template.spec); nothing else of it is checked"
    )
    # (The containers are all there: the hint moves them, it adds none.)
    assert fix == (
        "Indent spec.template.containers under spec.template.spec: the containers written there "
        "are the pod's."
    )


def test_a_pod_spec_indented_under_metadata_is_said_with_what_to_dedent() -> None:
    # Field test 20b D3 (the shape of a real Pod): `spec:` written one level too deep.
    found, message, fix = refusal("pod-spec-indented-under-metadata.yaml")
    assert found == [("missing-containers", 5, None)]  # at the spec to dedent
    assert message.endswith(
        "(metadata.spec is written: dedent it to spec, beside metadata); nothing else of it is "
        "checked"
    )
    assert fix.startswith("Dedent metadata.spec to spec, beside metadata")


def test_an_empty_containers_list_is_said_where_it_is_written() -> None:
    found, message, _ = refusal("statefulset-containers-empty.yaml")
    assert found == [("missing-containers", 13, None)]
    assert "(spec.template.spec.containers is empty)" in message


def test_a_cronjob_without_a_pod_template_is_said_where_it_goes_with_a_cronjob_hint() -> None:
    found, _, fix = refusal("cronjob-without-template-spec.yaml")
    assert found == [("missing-containers", 10, None)]
    assert fix.startswith(
        "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
    )


def test_a_pod_without_a_spec_is_said_at_its_kind() -> None:
    found, _, _ = refusal("pod-without-spec.yaml")
    assert found == [("missing-containers", 3, None)]


def test_z2jh_extra_pod_config_without_containers_gets_a_values_hint() -> None:
    result = run_all(
        FIXTURES / "z2jh" / "missing-containers" / "extra-pod-config-no-containers.yaml",
        select={"missing-containers"},
    )
    assert [(f.rule, f.line, f.profile) for f in result.findings] == [
        ("missing-containers", 6, None)
    ]
    assert (result.findings[0].fix or "").startswith(
        "singleuser:\n  extraPodConfig:\n    containers: null"
    )


def test_names_the_api_server_refuses_are_errors_at_their_line_and_placeholders_are_not() -> None:
    result = run_all(
        M / "names-the-api-server-refuses.yaml", select={"invalid-name", "invalid-resource-name"}
    )
    assert [(f.rule, f.line, f.column) for f in result.findings] == [
        ("invalid-resource-name", 15, 11),
        ("invalid-name", 20, 7),
    ]
    assert result.findings[1].message == (
        "volume name homeVolume is not a DNS-1123 label (lowercase letters, digits, '-'): the API "
        "server refuses the pod"
    )


INVALID_NAMES = M / "invalid-name"


def test_a_deployment_named_with_a_slash_is_refused_at_its_name_and_each_label() -> None:
    # Field test 17b D5: the name and the label written with "/", each at its line; the pod
    # is still judged (one rename away from the object the API server takes).
    result = run_all(INVALID_NAMES / "deployment-name-with-a-slash.yaml")
    assert [(f.rule, f.line, f.column) for f in result.findings if f.rule == "invalid-name"] == [
        ("invalid-name", 5, 3),
        ("invalid-name", 7, 5),
        ("invalid-name", 12, 7),
        ("invalid-name", 16, 9),
    ]
    assert len(result.pods) == 1
    assert "run-as-non-root" in {f.rule for f in result.findings}
    name, label = result.findings[0], result.findings[1]
    assert name.message == (
        "metadata.name team1/jupyter is not a DNS-1123 subdomain (lowercase letters, digits, '-' "
        "and '.', starting and ending with a letter or digit): the API server refuses the "
        "Deployment"
    )
    assert label.message.startswith(
        "label app=team1/jupyter of metadata.labels: the value is not a label value"
    )


def test_cronjob_name_length_pod_name_label_keys_and_plain_selectors_are_judged() -> None:
    result = run_all(INVALID_NAMES / "names-and-labels-refused.yaml", select={"invalid-name"})
    assert [(f.line, f.object) for f in result.findings] == [
        (4, "CronJob/nightly-notebook-papermill-report-for-the-whole-team-a"),
        (19, "Pod/Notebook_Alice"),
        (21, "Pod/Notebook_Alice"),
        (22, "Pod/Notebook_Alice"),
        (34, "ReplicationController/legacy"),
        (38, "ReplicationController/legacy"),
    ]
    assert "is longer than a CronJob's 52 characters" in result.findings[0].message
    assert "label key example.com/team lead of metadata.labels" in result.findings[2].message


def test_a_label_s_hint_is_about_labels_and_a_namespace_s_labels_are_judged_too() -> None:
    # Field test 20b D4/D4b: the rule's own hint is about names; a label's says what a label
    # may hold. A Namespace is refused for its label as a workload is.
    result = run_all(INVALID_NAMES / "deployment-name-with-a-slash.yaml", select={"invalid-name"})
    name, label = result.findings[0], result.findings[1]
    assert (name.fix or "").startswith("Rename it in lowercase letters")
    assert (label.fix or "").startswith("Write the label's key as a name of letters")
    found = run_all(INVALID_NAMES / "namespace-label-with-a-trailing-backslash.yaml").findings
    assert [(f.rule, f.line, f.object) for f in found] == [("invalid-name", 7, "Namespace/jupyter")]
    assert found[0].message.endswith("the API server refuses the Namespace")


def test_placeholders_and_names_the_api_server_takes_are_not_judged() -> None:
    result = run_all(INVALID_NAMES / "placeholders-and-valid-names.yaml")
    assert "invalid-name" not in {f.rule for f in result.findings}
    assert len(result.pods) == 3


#: fixture → ((line, column), message) of notebook-home-persistent: what is lost without a home
#: volume is what the server's root directory and the volumes below HOME do not keep.
HOME_NOT_PERSISTENT = {
    "home-persistent-root-dir-on-a-claim.yaml": (
        (18, 11),  # its mounts: add one at HOME
        "nothing persistent is mounted at /home/jovyan: the notebooks persist in "
        "/home/jovyan/work (the server's root directory, on volume notebook-storage), but the "
        "rest of /home/jovyan — dotfiles, `pip install --user` packages, Jupyter settings — is "
        "lost at every restart of container jupyter",
    ),
    "home-persistent-claim-at-work-only.yaml": (
        (18, 11),
        "nothing persistent is mounted at /home/jovyan, only at /home/jovyan/work: what is saved "
        "there persists, but notebooks saved elsewhere in /home/jovyan, dotfiles, `pip install "
        "--user` packages and Jupyter settings are lost at every restart of container jupyter",
    ),
    "home-persistent-notebook-args-root-dir.yaml": (
        (18, 7),  # the emptyDir at HOME: a claim in its place
        "nothing persistent is mounted at /home/jovyan: the notebooks persist in "
        "/data/notebooks (the server's root directory, on volume data), but the rest of "
        "/home/jovyan — dotfiles, `pip install --user` packages, Jupyter settings — is lost at "
        "every restart of container notebook",
    ),
    "home-persistent-root-dir-not-kept.yaml": (
        (12, 7),
        "nothing persistent is mounted at /home/jovyan: work in container notebook is lost at "
        "every restart",
    ),
    # Field test 7b, item 12: the root directory of TensorFlow's image is the table's (its CMD).
    "home-persistent-tensorflow-work-below-tf.yaml": (
        (14, 11),
        "nothing persistent is mounted at /root or at /tf (the server's root directory), only "
        "at /tf/work: notebooks saved there persist, but those saved elsewhere in /tf, and "
        "HOME's dotfiles, `pip install --user` packages and Jupyter settings, are lost at every "
        "restart of container jupyter",
    ),
    "home-persistent-tensorflow-own-command.yaml": (
        (15, 11),
        "nothing persistent is mounted at /root: work in container jupyter is lost at every "
        "restart",
    ),
}


@pytest.mark.parametrize("fixture", sorted(HOME_NOT_PERSISTENT))
def test_a_home_not_persistent_says_what_is_lost(fixture: str) -> None:
    (line, column), message = HOME_NOT_PERSISTENT[fixture]
    result = run_all(M / fixture, select={"notebook-home-persistent"})
    assert brief(result.findings) == [("notebook-home-persistent", line, column)]
    assert result.findings[0].message == message


# ---------------------------------------------------------------------------------------------
# selector-mismatch: a workload whose selector does not select its own template is refused by
# the API server (field test 10b A7): the refusal alone, at the selector


UNSELECTED = M / "selector-mismatch"


def test_a_deployment_whose_selector_misses_its_labels_is_refused_at_the_selector() -> None:
    result = run_all(UNSELECTED / "deployment-typo-in-selector.yaml")
    assert result.pods == []
    assert brief(result.findings) == [("selector-mismatch", 10, 3)]
    [finding] = result.findings
    assert finding.message == (
        "spec.selector does not select the pod template's labels (app=code-serverub not met; the "
        "template's labels: app=code-server): the API server refuses the Deployment, which never "
        "makes a pod; nothing else of it is checked"
    )
    assert finding.fix == (
        "spec:\n  selector:\n    matchLabels:   # the template's labels (or change those to what "
        'the selector says)\n      app: "code-server"'
    )


def test_an_unmet_selector_expression_job_and_replication_controller_are_refused() -> None:
    result = run_all(UNSELECTED / "statefulset-expression-unmet.yaml")
    assert brief(result.findings) == [("selector-mismatch", 7, 3)]
    assert "(tier NotIn (notebook) not met;" in result.findings[0].message
    result = run_all(UNSELECTED / "job-and-rc-unselected.yaml")
    assert result.pods == []
    assert [(f.rule, f.line, f.object) for f in result.findings] == [
        ("selector-mismatch", 8, "Job/papermill"),
        ("selector-mismatch", 23, "ReplicationController/legacy"),
    ]
    assert "the API server refuses the ReplicationController" in result.findings[1].message
    assert result.findings[1].fix == (
        "spec:\n  selector:   # the template's labels (or change those to what the selector "
        'says)\n    app: "legacy"\n    tier: null'
    )


def test_a_selected_template_a_placeholder_or_no_selector_is_not_refused() -> None:
    result = run_all(UNSELECTED / "selected-or-unknown.yaml")
    assert len(result.pods) == 3
    assert "selector-mismatch" not in {f.rule for f in result.findings}


# ---------------------------------------------------------------------------------------------
# kustomize as it builds (field test 15b): an `images:` name with a tag, a Component's
# transformers, and strategic merge patches matched per list and by their `target:` selector


def found_in(fixture: str, *rules: str, under: str = "") -> list[tuple[str, str, int]]:
    """(rule, file, line) of the fixture's findings (of its directory ``under`` only)."""
    result = run_all(*sorted((FIXTURES / fixture / under).rglob("*.yaml")), select=set(rules))
    return [(f.rule, f.file.split(fixture + "/")[1], f.line) for f in result.findings]


def test_an_images_entry_whose_name_has_a_tag_rewrites_that_very_image() -> None:
    # base-notebook:latest is built as base-notebook:2024-05-27; the entry for
    # minimal-notebook:latest does not match the untagged minimal-notebook (kustomize's
    # IsImageMatched: the entry's name, then an optional tag, then an optional digest).
    assert found_in(
        "kustomize-images-tagged-name", "notebook-image-pinned", "kustomize-not-applied"
    ) == [("notebook-image-pinned", "deploy.yaml", 16)]


def test_a_components_images_and_namespace_apply_to_what_includes_it() -> None:
    here = FIXTURES / "kustomize-component"
    result = run_all(*sorted((here / "app").glob("*.yaml")), select={"notebook-image-pinned"})
    assert result.findings == []
    [pod] = result.pods
    assert pod.pod["spec"]["containers"][0]["image"] == "quay.io/jupyter/base-notebook:2024-05-27"
    assert pod.namespace == "research"


def test_a_kustomizations_own_images_run_after_its_components() -> None:
    # The component builds quay.io/jupyter/base-notebook:2024-05-27; the kustomization's own
    # entry then matches that and sets `latest`: said at its entry.
    assert found_in("kustomize-component", "notebook-image-pinned", under="app-latest") == [
        ("notebook-image-pinned", "app-latest/kustomization.yaml", 7)
    ]


def test_a_patch_container_named_like_one_of_the_other_list_is_added() -> None:
    # containers and initContainers are merged apart: `clone` under containers and `notebook`
    # under initContainers are two new containers, without an image.
    assert found_in("kustomize-patch-init-list", "container-image-missing") == [
        ("container-image-missing", "overlay/resources.yaml", 11),
        ("container-image-missing", "overlay/resources.yaml", 15),
    ]
    here = FIXTURES / "kustomize-patch-init-list"
    result = run_all(*sorted(here.rglob("*.yaml")), select={"container-image-missing"})
    assert result.findings[0].fix == (
        "initContainers:\n  - name: clone   # under initContainers, where the Deployment has it"
    )


def test_a_patch_with_a_target_selector_patches_what_it_selects() -> None:
    # by-name.yaml's own name is not the object's: the selector picks lab-a, which has no
    # `notebok`; by-label.yaml selects lab-a and lab-b: only lab-a lacks `lab`; no-match.yaml
    # selects nothing nblint reads.
    here = FIXTURES / "kustomize-patch-target"
    result = run_all(*sorted(here.rglob("*.yaml")), select={"container-image-missing"})
    assert [
        (f.rule, f.file.split("kustomize-patch-target/")[1], f.line, f.object)
        for f in result.findings
    ] == [
        ("container-image-missing", "overlay/by-label.yaml", 9, "Deployment/lab-a"),
        ("container-image-missing", "overlay/by-name.yaml", 9, "Deployment/lab-a"),
    ]


def test_a_target_name_after_a_bases_name_prefix_is_not_guessed() -> None:
    # The base's namePrefix renames lab-a before the overlay's patch runs: its selector
    # selects nothing, and nblint, which does not apply the prefix, says nothing.
    assert found_in("kustomize-patch-target-renamed", "container-image-missing") == []
