"""``nblint fix``: each edit lands where its dialect says, keeps the rest of the file, and never
makes a file worse; the hints W1-W6 of issue 13 are right.

Fixtures are in ``tests/fixtures/fix/``, one per case, named for it.
"""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, RULES, brief, run

from nblint.cli import main
from nblint.fix.apply import FixError, apply_edit
from nblint.model.edit import HELM, STRATEGIC, Edit
from nblint.model.fold import fix_applicability, fold
from nblint.model.result import RunResult
from nblint.model.rule import PsaPolicy
from nblint.run import fixing
from nblint.run.pipeline import Options, Runner

FIX = FIXTURES / "fix"
PODDEFAULTS_DIR = FIXTURES / "kubeflow" / "poddefaults"


def fix_file(path: Path, unsafe: bool = True, **dialect: object) -> fixing.FixOutcome:
    """``nblint fix`` on one file, in-process, nothing written."""
    options = Options(PsaPolicy("restricted", (1, 37)), dialect=dict(dialect))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, unsafe)


def fixed_text(path: Path, unsafe: bool = True) -> str:
    return fix_file(path, unsafe).texts.get(str(path), path.read_text())


def fixed_texts(*paths: Path, **dialect: object) -> dict[str, str]:
    """``nblint fix --unsafe-fixes`` on several inputs of one run: each file's text after it."""
    options = Options(PsaPolicy("restricted", (1, 37)), dialect=dict(dialect))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(p) for p in paths])

    changed = fixing.fix(check, True).texts
    return {str(p): changed.get(str(p), p.read_text()) for p in paths}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def findings_of(rule: str, path: Path | str, text: str | None = None):
    options = Options(PsaPolicy("restricted", (1, 37)), texts={str(path): text} if text else {})
    return [f for f in Runner(options, RULES).run([str(path)]).findings if f.rule == rule]


# ---------------------------------------------------------------------------------------------
# W1-W6


def test_w1_fs_group_goes_into_the_security_context_extra_pod_config_replaces() -> None:
    path = FIX / "w1-fsgid-beside-extra-pod-config.yaml"
    [finding] = findings_of("notebook-home-writable", path)
    assert (finding.line, finding.column, finding.profile) == (10, 5, None)
    assert finding.fix is not None
    assert finding.fix.startswith("# in singleuser.extraPodConfig.securityContext")
    assert "fsGid" not in finding.fix  # already set: it is not what the pod lacks
    text = fixed_text(path)
    context = text.split("    securityContext:\n")[1].split("\n  cloudMetadata:")[0]
    assert "\n      fsGroup: 100" in context
    assert findings_of("notebook-home-writable", path, text) == []


def test_w2_a_root_image_run_as_1000_is_not_told_to_run_as_uid_0() -> None:
    path = FIX / "w2-ngc-pytorch-runs-as-1000.yaml"
    result = run(path)
    assert [f.rule for f in result.findings if f.rule.startswith("notebook-uid")] == []
    # Nor that it needs root: it runs as root only because it names no user (field test 7).
    assert [f for f in result.findings if f.rule.startswith("notebook-image")] == []
    assert all("runAsUser: 0" not in (f.fix or "") for f in result.findings)
    assert "nvcr.io/nvidia/pytorch:24.08-py3" in fixed_text(path)  # never swapped


def test_w3_a_pytorch_gpu_image_gets_a_pytorch_gpu_notebook_image() -> None:
    [finding] = findings_of(
        "notebook-image-runs-as-root", FIX / "w3-pytorch-gpu-image-runs-as-root.yaml"
    )
    # Named as advice only: pytorch/pytorch serves nothing as built, the notebook image serves
    # Jupyter on 8888 with another HOME (another kind of image).
    assert (finding.line, finding.applicability) == (12, "display-only")
    assert "quay.io/jupyter/pytorch-notebook:cuda12-2024-10-07 starts as" in (finding.fix or "")
    assert "r-notebook" not in (finding.fix or "")


def test_w3_an_image_nblint_knows_nothing_better_for_gets_no_replacement() -> None:
    path = FIX / "w3-unknown-replacement-says-nothing.yaml"
    [finding] = findings_of("notebook-image-runs-as-root", path)
    assert (finding.line, finding.applicability, finding.edit) == (11, "display-only", None)
    assert "image:" not in (finding.fix or "")
    assert "nvcr.io/nvidia/tritonserver" in fixed_text(path)  # never replaced


def test_w3_only_rows_that_are_not_unverified_are_ever_suggested() -> None:
    from nblint.check import images

    table = yaml.safe_load(
        (Path(__file__).parent.parent / "rules/tables/notebook-images.yaml").read_text()
    )
    for row in table["images"]:
        for option in row.get("replacement") or []:
            if option.get("image") and "{name}" not in option["image"]:
                vouched = images.lookup(option["image"])
                assert vouched is not None and vouched["confidence"] != "unverified", row["id"]
                assert not vouched.get("starts_as_root"), row["id"]


def test_w4_floating_tags_in_their_common_spellings_are_not_pinned_and_digests_are() -> None:
    found = findings_of("notebook-image-pinned", FIX / "w4-floating-tags.yaml")
    assert [(f.line, f.container) for f in found] == [
        (9, "cuda-latest"),
        (11, "main"),
        (13, "nightly"),
        (15, "untagged"),
    ]


def test_w5_the_gpu_toleration_goes_into_the_choice_that_brings_the_gpu() -> None:
    path = FIX / "w5-gpu-from-an-option-choice.yaml"
    [finding] = findings_of("notebook-gpu-toleration", path)
    assert (finding.profile, finding.options) == ("Machine learning", {"hardware": "gpu"})
    assert finding.edit is not None
    assert finding.edit.path == (
        "singleuser", "profileList", 0, "profile_options", "hardware", "choices", "gpu",
        "kubespawner_override",
    )  # fmt: skip
    text = fixed_text(path)
    cpu, gpu = text.split("            gpu:")
    assert "tolerations" not in cpu and "tolerations:" in gpu
    assert findings_of("notebook-gpu-toleration", path, text) == []


def test_an_option_choice_keyed_by_a_number_is_fixed_in_that_choice() -> None:
    """`choices: {1: …, 2: …}`: Helm reads the keys as "1" and "2" (sigs.k8s.io/yaml), and the
    hint and the edit name that mapping entry, not a list item."""
    path = FIX / "z2jh-option-choice-keyed-by-a-number.yaml"
    found = findings_of("notebook-gpu-toleration", path)
    assert [(f.line, f.options) for f in found] == [(14, {"gpu": "1"}), (19, {"gpu": "2"})]
    for finding, key in zip(found, ("1", "2"), strict=True):
        assert finding.edit is not None
        assert finding.edit.path == (
            "singleuser", "profileList", 0, "profile_options", "gpu", "choices", key,
            "kubespawner_override",
        )  # fmt: skip
        assert (finding.fix or "").startswith(
            f"# in singleuser.profileList[0].profile_options.gpu.choices.{key}"
            ".kubespawner_override\n"
        )
    outcome = fix_file(path)
    assert outcome.failed == []
    text = outcome.texts[str(path)]
    one, two = text.split("\n            2:\n")
    assert "tolerations:" in one and "tolerations:" in two
    assert yaml.safe_load(text)["singleuser"]["profileList"][0]["profile_options"]["gpu"][
        "choices"
    ].keys() == {1, 2}  # no new "1" beside 1
    assert findings_of("notebook-gpu-toleration", path, text) == []


def test_an_edit_finds_a_key_as_helm_reads_it() -> None:
    """`1:` is the key "1" to Helm and Kubernetes; `true:` is "true", never the key 1."""
    text = "m:\n  1: {a: 1}\n  true: {a: 2}\n"
    new, _ = apply_edit(text, Edit("x.yaml", 0, ("m", "1"), HELM, "b: 3"))
    assert new == "m:\n  1: {a: 1, b: 3}\n  true: {a: 2}\n"
    new, _ = apply_edit(text, Edit("x.yaml", 0, ("m", "true"), HELM, "b: 3"))
    assert new == "m:\n  1: {a: 1}\n  true: {a: 2, b: 3}\n"


def test_w6_a_root_container_under_run_as_non_root_is_reported_with_its_own_fix() -> None:
    path = FIX / "w6-block-cloud-metadata-under-run-as-non-root.yaml"
    [finding] = findings_of("notebook-run-as-root-refused", path)
    assert (finding.line, finding.container) == (10, "block-cloud-metadata")
    assert "blockWithIptables: false" in (finding.fix or "")
    [non_root] = [
        f for f in findings_of("run-as-non-root", path) if f.container == "block-cloud-metadata"
    ] or [None]
    assert non_root is None  # the pod sets runAsNonRoot: that part is right
    text = fixed_text(path)
    assert "blockWithIptables: false" in text
    assert findings_of("notebook-run-as-root-refused", path, text) == []


def test_w6_the_run_as_non_root_hint_for_the_metadata_block_is_its_own_fix() -> None:
    from nblint.model.finding import choose_fix

    hint = choose_fix(RULES["run-as-non-root"].fix, ("z2jh",), "block-cloud-metadata")
    assert hint is not None and "blockWithIptables: false" in hint


def test_what_a_poddefault_adds_is_fixed_in_the_poddefault() -> None:
    path = FIXTURES / "kubeflow" / "poddefaults" / "merge-containers.yaml"
    [finding] = findings_of("run-as-user", path)
    assert (finding.line, finding.container) == (15, "root-sidecar")
    assert finding.edit is not None
    assert (finding.edit.document, finding.edit.path) == (0, ("spec", "sidecars", 0))
    text = fixed_text(path)
    poddefault = yaml.safe_load_all(text).__next__()
    assert poddefault["spec"]["sidecars"][0]["securityContext"]["runAsUser"] == 1000
    assert findings_of("run-as-user", path, text) == []


def test_a_poddefault_of_the_cluster_is_never_edited(tmp_path: Path) -> None:
    poddefault, notebook = (
        (FIXTURES / "kubeflow/poddefaults/merge-containers.yaml").read_text().split("---\n")
    )
    cluster = write_file(tmp_path, "cluster-poddefault.yaml", poddefault)
    mine = write_file(tmp_path, "notebook.yaml", notebook)
    [finding] = [f for f in run(mine, poddefaults=[cluster]).findings if f.rule == "run-as-user"]
    assert (finding.container, finding.applicability, finding.edit) == (
        "root-sidecar",
        "display-only",
        None,
    )


def test_a_poddefault_init_container_is_fixed_in_its_initcontainers_entry() -> None:
    # Field test 9b D4: the Kubeflow hint named the Notebook's `containers` for every container,
    # so a PodDefault's init container got a Notebook snippet adding a regular container with no
    # image (refused by the CRD), shown only. The hint names the container's own list.
    path = PODDEFAULTS_DIR / "init-container-fixed-in-poddefault.yaml"
    found = [
        f
        for rule in ("allow-privilege-escalation", "capabilities-restricted")
        for f in findings_of(rule, path)
    ]
    assert [(f.rule, f.line, f.container, f.applicability) for f in found] == [
        ("allow-privilege-escalation", 15, "init-data", "safe"),
        ("allow-privilege-escalation", 42, "own-init", "safe"),
        ("capabilities-restricted", 15, "init-data", "safe"),
    ]
    poddefault_fix = found[0]
    assert poddefault_fix.edit is not None
    assert (poddefault_fix.edit.document, poddefault_fix.edit.path) == (
        0,
        ("spec", "initContainers", 0),
    )
    assert (poddefault_fix.fix or "").startswith("# in PodDefault init-fsx (")
    # The Notebook's own init container: its hint is a Notebook patch of its initContainers.
    own = yaml.safe_load(found[1].fix or "")
    assert own["spec"]["template"]["spec"] == {
        "initContainers": [
            {"name": "own-init", "securityContext": {"allowPrivilegeEscalation": False}}
        ]
    }
    text = fixed_text(path, unsafe=False)
    poddefault, notebook = yaml.safe_load_all(text)
    assert poddefault["spec"]["initContainers"][0]["securityContext"] == {
        "allowPrivilegeEscalation": False,
        "capabilities": {"drop": ["ALL"]},
    }
    assert [c["name"] for c in notebook["spec"]["template"]["spec"]["containers"]] == ["nb"]
    for rule in ("allow-privilege-escalation", "capabilities-restricted"):
        assert findings_of(rule, path, text) == []


def test_a_cluster_poddefault_init_container_fix_is_shown_in_its_shape(tmp_path: Path) -> None:
    poddefault, notebook = (
        (PODDEFAULTS_DIR / "init-container-fixed-in-poddefault.yaml").read_text().split("---\n")
    )
    cluster = write_file(tmp_path, "cluster-poddefault.yaml", poddefault)
    mine = write_file(tmp_path, "notebook.yaml", notebook)
    [finding] = [
        f for f in run(mine, poddefaults=[cluster]).findings if f.rule == "capabilities-restricted"
    ]
    assert (finding.container, finding.applicability, finding.edit) == (
        "init-data",
        "display-only",
        None,
    )
    shown = finding.fix or ""
    assert shown.startswith("# in PodDefault init-fsx (") and "spec.initContainers[0]" in shown
    assert yaml.safe_load(shown) == {"securityContext": {"capabilities": {"drop": ["ALL"]}}}


def write_file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


# ---------------------------------------------------------------------------------------------
# Hints at the object's own level


def hint_applied(finding) -> dict:
    """The finding's hint merged into its file as ``kubectl patch`` would (a hint nblint shows
    but never applies: the user picks the claim)."""
    from nblint.fix.merge import strategic_merge

    document = yaml.safe_load(Path(finding.file).read_text())
    return strategic_merge(document, yaml.safe_load(finding.fix))


def test_a_new_home_volume_takes_a_name_no_volume_of_the_pod_has() -> None:
    # The Kubeflow hint named its volume "workspace": merged by name into the user's own
    # "workspace" claim, it re-pointed that claim (and its mount below HOME) at a new one.
    path = FIX / "home-volume-name-taken.yaml"
    [finding] = findings_of("notebook-home-persistent", path)
    spec = hint_applied(finding)["spec"]["template"]["spec"]
    assert {"name": "workspace", "persistentVolumeClaim": {"claimName": "alice-projects"}} in (
        spec["volumes"]
    )
    assert {"name": "home", "persistentVolumeClaim": {"claimName": "<your-home-claim>"}} in (
        spec["volumes"]
    )
    mounts = {m["mountPath"]: m["name"] for m in spec["containers"][0]["volumeMounts"]}
    assert mounts["/home/jovyan/work"] == "workspace"
    assert mounts["/home/jovyan"] == "home"


def test_a_home_volume_gets_a_claim_in_place_of_its_source_not_beside_it() -> None:
    # Merged beside the emptyDir, the claim made a volume with two sources, which the API server
    # refuses ("may not specify more than 1 volume type"): the hint deletes the old source.
    path = FIX / "home-emptydir-replaced-by-claim.yaml"
    (finding,) = findings_of("notebook-home-persistent", path)
    assert finding.fix is not None and "emptyDir: null" in finding.fix
    (work,) = [v for v in hint_applied(finding)["spec"]["volumes"] if v["name"] == "work"]
    assert work == {"name": "work", "persistentVolumeClaim": {"claimName": "<your-home-claim>"}}
    # The claim is the user's to name: `nblint fix` never applies the hint (the others' fixes
    # leave one source: notebook-scratch-size-limit sizes the emptyDir).
    assert finding.applicability == "display-only"
    fixed = yaml.safe_load(fixed_text(path))
    (work,) = [volume for volume in fixed["spec"]["volumes"] if volume["name"] == "work"]
    assert work == {"name": "work", "emptyDir": {"sizeLimit": "1Gi"}}
    assert findings_of("volume-one-source", path, yaml.safe_dump(fixed)) == []


# ---------------------------------------------------------------------------------------------
# The file is kept


def changed_lines(old: str, new: str) -> list[str]:
    """The lines of ``old`` that ``new`` no longer has as they were."""
    diff = difflib.ndiff(old.splitlines(), new.splitlines())
    return [line[2:] for line in diff if line.startswith("- ")]


def test_comments_quoting_flow_style_and_markers_outside_the_edits_are_kept() -> None:
    path = FIX / "styles-kept.yaml"
    old = path.read_text()
    new = fixed_text(path, unsafe=False)
    assert new != old
    # Only added lines, and the flow map that got new keys.
    assert changed_lines(old, new) == [
        "  securityContext: {runAsNonRoot: true, runAsUser: 1000}   # flow style, kept flow",
    ]
    assert (
        "  securityContext: {runAsNonRoot: true, runAsUser: 1000, "
        "seccompProfile: {type: RuntimeDefault}}   # flow style, kept flow" in new
    )
    assert "  - name: notebook            # sequence items at the key's column\n" in new
    assert new.startswith(old[: old.index("spec:\n  securityContext")])
    assert new.endswith("...\n")


def test_a_fix_that_would_quote_a_hostile_name_is_shown_never_applied() -> None:
    path = FIX / "hostile-container-name.yaml"
    [finding] = findings_of("allow-privilege-escalation", path)
    assert (finding.line, finding.applicability, finding.edit) == (9, "display-only", None)
    assert "privileged: true" not in fixed_text(path).split("image:")[1]


def test_a_json_document_stays_json() -> None:
    path = FIX / "json-document.yaml"
    new = fixed_text(path, unsafe=False)
    assert new != path.read_text()
    document = json.loads(new)
    assert document["spec"]["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}


def test_a_json_manifest_written_one_entry_per_line_keeps_its_layout() -> None:
    # Field test 18b D8 (the layout of an OpenShift Template exported as JSON): each new entry
    # on its own line at its siblings' column, a new mapping spread over lines as they are.
    path = FIX / "json-one-entry-per-line.json"
    new = fixed_text(path, unsafe=True)
    assert json.loads(new)["spec"]["template"]["spec"]["containers"][0]["resources"] == {
        "limits": {"memory": "2Gi", "cpu": "2"},
        "requests": {"cpu": "500m"},
    }
    assert (
        '                                "memory": "2Gi",\n'
        '                                "cpu": "2"\n'
        "                            },\n"
        '                            "requests": {\n'
        '                                "cpu": "500m"\n'
        "                            }\n"
    ) in new
    assert all(len(line) < 80 for line in new.splitlines())


def test_a_value_shared_through_an_alias_is_copied_where_the_fix_goes() -> None:
    """The container's `*context` becomes its own copy of the pod's securityContext, and the fix
    goes into the copy: the pod's securityContext (`&context`) keeps what it had for the
    container fix."""
    path = FIX / "alias-shared.yaml"
    outcome = fix_file(path, unsafe=False)
    assert outcome.failed == []
    new = outcome.texts[str(path)]
    assert "securityContext: *context" not in new
    document = yaml.safe_load(new)
    container = document["spec"]["containers"][0]["securityContext"]
    assert container["runAsUser"] == 1000
    assert container["allowPrivilegeEscalation"] is False
    assert "allowPrivilegeEscalation" not in document["spec"]["securityContext"]


def test_an_alias_is_copied_at_the_use_site_and_the_anchor_left_alone() -> None:
    text = (
        "base:\n"
        "  init: &init\n"
        "  - name: a\n"
        "    securityContext:\n"
        "      runAsUser: 1000\n"
        "one:\n"
        "  init: *init  # shared\n"
        "two:\n"
        "  init: *init\n"
    )
    edit = Edit("x.yaml", 0, ("one", "init", 0), STRATEGIC, "securityContext:\n  runAsGroup: 100")
    new, replacements = apply_edit(text, edit)
    assert new == (
        "base:\n"
        "  init: &init\n"
        "  - name: a\n"
        "    securityContext:\n"
        "      runAsUser: 1000\n"
        "one:\n"
        "  init: # shared\n"
        "  - name: a\n"
        "    securityContext:\n"
        "      runAsUser: 1000\n"
        "      runAsGroup: 100\n"
        "two:\n"
        "  init: *init\n"
    )
    assert fixing.bytes_outside(text, new, replacements) == 0
    # A flow value is copied as flow.
    text = "l: &l [1, 2]\nm: {a: *l}\nn: *l\n"
    new, _ = apply_edit(text, Edit("x.yaml", 0, ("m",), HELM, "a: [3]"))
    assert new == "l: &l [1, 2]\nm: {a: [1, 2, 3]}\nn: *l\n"


def test_an_alias_to_a_value_with_anchors_of_its_own_is_refused_by_name() -> None:
    text = "a: &a\n  b: &b\n    c: 1\nd: *a\ne: *b\n"
    with pytest.raises(FixError, match="defines anchors of its own"):
        apply_edit(text, Edit("x.yaml", 0, ("d", "b"), HELM, "f: 2"))


def test_a_key_from_a_merge_key_is_written_in_the_merging_mapping() -> None:
    """YAML merges are shallow: `sc` is copied whole into `p`, and the fix goes into the copy."""
    text = "defaults: &d\n  image: x\n  sc:\n    runAsUser: 1\np:\n  <<: *d\n  name: p\n"
    new, _ = apply_edit(text, Edit("x.yaml", 0, ("p",), HELM, "sc:\n  runAsNonRoot: true"))
    assert new == text + "  sc:\n    runAsUser: 1\n    runAsNonRoot: true\n"
    assert yaml.safe_load(new)["defaults"]["sc"] == {"runAsUser": 1}
    assert yaml.safe_load(new)["p"]["sc"] == {"runAsUser": 1, "runAsNonRoot": True}


def test_a_key_written_twice_is_edited_where_it_is_written_last() -> None:
    """Helm (go-yaml v2 through sigs.k8s.io/yaml) and PyYAML both keep the last one."""
    text = "apiVersion: v1\nkind: Pod\nspec:\n  a: 1\nspec:\n  b: 2\n"
    new, _ = apply_edit(text, Edit("x.yaml", 0, (), STRATEGIC, "spec:\n  c: 3"))
    assert new == text + "  c: 3\n"
    with pytest.raises(FixError, match="bring back the first"):
        apply_edit(text, Edit("x.yaml", 0, (), STRATEGIC, "spec: null"))


def test_an_adds_only_fix_writes_a_number_given_as_a_string_as_that_number() -> None:
    """`guarantee: "0.3"` is refused by the values schema; the user's 0.3 is kept, as a number.
    A string that says no number is never replaced."""
    text = 's:\n  cpu:\n    guarantee: "0.3"\n    limit: x\n'
    edit = Edit("x.yaml", 0, (), HELM, "s:\n  cpu:\n    guarantee: 0.5\n    limit: 2", True)
    new, _ = apply_edit(text, edit)
    assert new == "s:\n  cpu:\n    guarantee: 0.3\n    limit: x\n"


def test_a_document_of_a_multi_document_file_is_edited_alone() -> None:
    text = "a: 1\n---\nb:\n  c: 2\n---\nd: 3\n"
    new, _ = apply_edit(text, Edit("x.yaml", 1, ("b",), HELM, "e: 4"))
    assert new == "a: 1\n---\nb:\n  c: 2\n  e: 4\n---\nd: 3\n"


def test_a_helm_list_keeps_the_users_items() -> None:
    text = "singleuser:\n  extraVolumes:\n    - name: data\n      emptyDir: {}\n"
    new, _ = apply_edit(
        text,
        Edit(
            "v.yaml", 0, (), HELM, "singleuser:\n  extraVolumes:\n  - name: tmp\n    emptyDir: {}\n"
        ),
    )
    assert new == text + "    - name: tmp\n      emptyDir: {}\n"


def test_an_adds_only_edit_never_changes_a_value_the_file_sets() -> None:
    text = "singleuser:\n  memory:\n    limit: 1G\n"
    patch = "singleuser:\n  memory:\n    limit: 4G\n    guarantee: 1G\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, (), HELM, patch, adds_only=True))
    assert new == text + "    guarantee: 1G\n"


def test_an_empty_value_gets_its_block() -> None:
    text = "singleuser:\n  extraPodConfig:   # filled below\nhub: {}\n"
    new, _ = apply_edit(text, Edit("v.yaml", 0, ("singleuser", "extraPodConfig"), HELM, "a: 1"))
    assert new == "singleuser:\n  extraPodConfig:   # filled below\n    a: 1\nhub: {}\n"


# ---------------------------------------------------------------------------------------------
# Never worse, and a second fix changes nothing


#: The fixtures of every dialect (and of the reports and the type-confusion sweep).
FIXTURE_DIRS = ["fixes", "fix", "manifests", "kubeflow", "z2jh", "report", "sweep"]


def dialect_fixtures() -> list[Path]:
    return sorted(p for d in FIXTURE_DIRS for p in (FIXTURES / d).rglob("*.yaml"))


def fixable(finding) -> bool:
    return finding.applicability in ("safe", "unsafe")


def assert_fixed_for_good(path: Path, outcome: fixing.FixOutcome) -> None:
    """The issue's bar: no finding whose rule has an applicable fix is left (unless its edit was
    refused for a reason nblint says), none is new, and a second fix changes nothing."""
    before = {fixing.finding_key(f) for f in outcome.before.findings}
    new = [f.rule for f in outcome.after.findings if fixing.finding_key(f) not in before]
    assert new == [], path.name
    refused = {(f.rule, f.container) for f, _ in outcome.failed} | {
        (f.rule, f.container) for f in outcome.rejected
    }
    left = [
        (f.rule, f.line)
        for f in outcome.after.findings
        if fixable(f) and (f.rule, f.container) not in refused
    ]
    assert left == [], path.name


@pytest.mark.parametrize("path", dialect_fixtures(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_of_every_fixture_leaves_no_fixable_finding_and_adds_none(path: Path) -> None:
    outcome = fix_file(path)
    assert_fixed_for_good(path, outcome)
    if outcome.texts:
        again = fixing.fix(
            lambda texts: Runner(Options(texts={**outcome.texts, **texts}), RULES).run([str(path)]),
            unsafe=True,
        )
        assert again.texts == {}, path.name


def test_bytes_outside_the_edited_regions_are_unchanged_on_every_fixture() -> None:
    """Measured, not assumed: each edit's own replacements against a character diff."""
    outside = 0
    for path in dialect_fixtures():
        options = Options()
        result = Runner(options, RULES).run([str(path)])
        text = result.texts[str(path)]
        for finding in result.findings:
            if finding.edit is None or finding.edit.file != str(path):
                continue
            try:
                new, replacements = apply_edit(text, finding.edit)
            except FixError:
                continue
            outside += fixing.bytes_outside(text, new, replacements)
    assert outside == 0


# ---------------------------------------------------------------------------------------------
# The command


def copy(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(FIX / name if (FIX / name).exists() else FIXTURES / name, target)
    return target


def test_fix_applies_safe_fixes_in_place_and_leaves_unsafe_ones(tmp_path: Path) -> None:
    path = copy(tmp_path, "deployment-hint-at-object-level.yaml")
    result = invoke("fix", str(path))
    assert result.exit_code == 0, result.output
    rules = {f.rule for f in run(path).findings}
    assert {"allow-privilege-escalation", "seccomp-profile-restricted"} & rules == set()
    assert "notebook-read-only-root-filesystem" in rules  # unsafe: left for --unsafe-fixes
    assert "fixable with --unsafe-fixes" in result.output


def test_unsafe_fixes_applies_both(tmp_path: Path) -> None:
    path = copy(tmp_path, "deployment-hint-at-object-level.yaml")
    assert invoke("fix", "--unsafe-fixes", str(path)).exit_code == 0
    assert [f for f in run(path).findings if fixable(f)] == []


def test_diff_prints_the_change_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    path = copy(tmp_path, "deployment-hint-at-object-level.yaml")
    before = path.read_text()
    result = invoke("fix", "--diff", str(path))
    assert result.exit_code == 1
    assert "\n+            allowPrivilegeEscalation: false\n" in result.output
    assert path.read_text() == before
    invoke("fix", "--unsafe-fixes", str(path))
    assert invoke("fix", "--diff", "--unsafe-fixes", str(path)).exit_code == 0  # nothing left


@pytest.mark.parametrize(
    ("given", "header"),
    [
        ("values.yaml", "values.yaml"),
        ("./values.yaml", "values.yaml"),
        ("a/values.yaml", "a/values.yaml"),
        ("b/a/values.yaml", "b/a/values.yaml"),
        ("./x/../a/values.yaml", "a/values.yaml"),
    ],
)
def test_diff_headers_are_git_s_and_git_apply_takes_the_diff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, header: str
) -> None:
    """The headers are ``a/`` and ``b/`` before the path itself, never the path with its first
    ``a/`` replaced; ``git apply`` (which refuses ``./``) applies the diff where nblint ran."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "a").mkdir(parents=True)
    (tmp_path / "x").mkdir()
    shutil.copy(FIX / "diff-headers.yaml", tmp_path / given)
    monkeypatch.chdir(tmp_path)
    result = invoke("fix", "--diff", given)
    assert result.output.splitlines()[:2] == [f"--- a/{header}", f"+++ b/{header}"]
    _git_apply(result.output, tmp_path)
    assert invoke("fix", "--diff", given).exit_code == 0  # the diff applied was the whole fix


def test_diff_headers_of_an_absolute_path_are_git_s(tmp_path: Path) -> None:
    """``/tmp/…/a/x.yaml`` once became ``+++ /tmp/…/b/x.yaml``, a file that does not exist. As
    ``git diff --no-index`` writes it: ``a/`` and ``b/`` before the path without its root."""
    path = tmp_path / "a" / "values.yaml"
    path.parent.mkdir()
    shutil.copy(FIX / "diff-headers.yaml", path)
    result = invoke("fix", "--diff", str(path))
    inside = str(path).lstrip("/")
    assert result.output.splitlines()[:2] == [f"--- a/{inside}", f"+++ b/{inside}"]
    _git_apply(result.output, Path("/"), check=True)


def _git_apply(diff: str, where: Path, check: bool = False) -> None:
    import subprocess

    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    subprocess.run(
        [git, "apply", *(["--check"] if check else []), "-"],
        input=diff,
        text=True,
        cwd=where,
        check=True,
        env={"GIT_CEILING_DIRECTORIES": "/", "PATH": "/usr/bin:/bin"},
    )


def test_fix_refuses_standard_input_so_no_diff_names_it() -> None:
    result = invoke("fix", "--diff", "-")
    assert result.exit_code != 0
    assert "cannot fix standard input" in result.output


def test_select_chooses_the_fixes_to_apply(tmp_path: Path) -> None:
    path = copy(tmp_path, "deployment-hint-at-object-level.yaml")
    invoke("fix", "--select", "seccomp-profile-restricted", str(path))
    rules = {f.rule for f in run(path).findings}
    assert "seccomp-profile-restricted" not in rules
    assert "allow-privilege-escalation" in rules


def test_check_fix_fixes_then_reports_what_is_left(tmp_path: Path) -> None:
    path = copy(tmp_path, "deployment-hint-at-object-level.yaml")
    result = invoke("check", "--fix", "--format", "json", str(path))
    rules = {f["rule"] for f in json.loads(result.output)["findings"]}
    assert "allow-privilege-escalation" not in rules and "notebook-resources" in rules


def test_what_cannot_be_fixed_is_said_once_per_place_and_not_counted_fixable(
    tmp_path: Path,
) -> None:
    """Both choices of the profile are pods with the one finding the fix cannot place: one line
    says so, and what cannot be placed is no fix left for --unsafe-fixes."""
    name = "z2jh-shared-override-with-anchors-of-its-own.yaml"
    path = copy(tmp_path, name)
    result = invoke("fix", "--unsafe-fixes", "--select", "notebook-gpu-toleration", str(path))
    said = [line for line in result.output.splitlines() if "not fixed" in line]
    assert said == [
        f"nblint: {path}:6: notebook-gpu-toleration: not fixed: line 10: the value is shared "
        "through a YAML alias and defines anchors of its own (&gpus): a copy would redefine them"
    ]
    findings = run(path).findings
    unplaceable = [f for f in findings if f.rule == "notebook-gpu-toleration"]
    assert len(unplaceable) == 2 and all(f.applicability == "unsafe" for f in unplaceable)
    # Counted in problems, as `check` counts them (one per rule and place, however many pods).
    placeable = sum(
        1
        for problem in fold(findings)
        if fix_applicability(problem.findings) == "unsafe"
        and any(
            f.applicability == "unsafe" and fixing.placeable(f, {str(path): path.read_text()})
            for f in problem.findings
        )
    )
    result = invoke("fix", "--select", "notebook-gpu-toleration", str(path))
    assert f"({placeable} fixable with --unsafe-fixes)" in result.output


def test_stdin_cannot_be_fixed() -> None:
    result = invoke("fix", "-")
    assert result.exit_code == 2
    assert "cannot fix standard input" in result.output


def test_a_file_that_does_not_parse_is_left_alone_with_its_finding(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: [\n")
    result = invoke("fix", "--unsafe-fixes", str(path))
    assert result.exit_code == 1
    assert path.read_text() == "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n"
    [said] = [line for line in result.output.splitlines() if "parse-error" in line]
    assert said.startswith(f"nblint: {path}:3:19: parse-error: ")
    assert "Traceback" not in result.output
    assert brief(run(path).findings) == [("parse-error", 3, 19)]


def test_json_reports_carry_applicability_and_the_edit() -> None:
    result = invoke("check", "--format", "json", str(FIX / "deployment-hint-at-object-level.yaml"))
    findings = json.loads(result.output)["findings"]
    escalation = next(f for f in findings if f["rule"] == "allow-privilege-escalation")
    assert escalation["applicability"] == "safe"
    assert escalation["edit"]["path"] == [] and escalation["edit"]["merge"] == "strategic"


def test_every_shipped_rule_declares_its_fix_safety() -> None:
    rules_dir = Path(__file__).parent.parent / "rules"
    missing = [
        p.name
        for p in rules_dir.glob("*/*.yaml")
        if p.parent.name != "tables" and "fix-safety" not in yaml.safe_load(p.read_text())
    ]
    assert missing == []


def test_explain_shows_the_fix_safety() -> None:
    text = invoke("explain", "allow-privilege-escalation").output
    assert "Fix safety: safe: `nblint fix` applies it" in text
    assert "for container block-cloud-metadata: unsafe" in text


def test_a_security_context_set_by_extra_config_code_gets_hints_shown_not_applied() -> None:
    path = FIX / "security-context-set-by-extra-config-code.yaml"
    result = run(path)
    inside = [
        f
        for f in result.findings
        if f.rule in ("capabilities-restricted", "notebook-read-only-root-filesystem")
        and f.container == "notebook"
    ]
    assert [(f.rule, f.line, f.profile) for f in inside] == [
        ("capabilities-restricted", 11, None),
        ("notebook-read-only-root-filesystem", 11, None),
    ]
    for finding in inside:
        assert finding.applicability == "display-only"
        assert finding.edit is None
        assert finding.fix is not None
        assert finding.fix.startswith('# in hub.extraConfig["no-setuid"], line 1, whose code sets')
    # Nothing a fix could apply is left unapplied, and the code is left as it is.
    outcome = fix_file(path)
    assert "extra_container_config" in outcome.texts.get(str(path), path.read_text())
    assert not [
        f
        for f in outcome.after.findings
        if f.applicability in ("safe", "unsafe")
        and f.rule in ("capabilities-restricted", "notebook-read-only-root-filesystem")
    ]


# ---------------------------------------------------------------------------------------------
# Field test 2: hints that named what nblint cannot know, or spoke of an old value


def test_a_home_claim_nblint_cannot_name_is_shown_never_applied() -> None:
    path = FIX / "home-claim-not-named-by-nblint.yaml"
    [finding] = findings_of("notebook-home-persistent", path)
    assert (finding.line, finding.column, finding.applicability) == (14, 11, "display-only")
    assert "claimName: <your-home-claim>" in (finding.fix or "")
    assert "alice" not in (finding.fix or "")
    text = fixed_text(path)
    spec = yaml.safe_load(text)["spec"]["template"]["spec"]
    assert [v for v in spec.get("volumes", []) if "persistentVolumeClaim" in v] == []
    # Without a volume at HOME a read-only root would leave the server no home to write: that
    # fix waits for the user's claim (shown, with why), it is not refused after the fact.
    [read_only] = findings_of("notebook-read-only-root-filesystem", path, text)
    assert read_only.applicability == "display-only"
    assert "# first mount a volume of your own at HOME" in (read_only.fix or "")


def test_a_kubeflow_home_claim_is_shown_never_applied() -> None:
    path = FIXTURES / "fixes" / "kubeflow" / "notebook-home-persistent.yaml"
    [finding] = findings_of("notebook-home-persistent", path)
    assert finding.applicability == "display-only"
    assert "claimName: <your-home-claim>" in (finding.fix or "")
    assert "workspace-notebook" not in (finding.fix or "")


def test_a_root_image_no_image_of_its_kind_replaces_is_neither_swapped_nor_run_as_another_uid() -> (
    None
):
    # pytorch/pytorch with its notebooks on /workspace: the PyTorch notebook image keeps them in
    # /home/jovyan, so it is advice; and another uid starts it but cannot write its HOME (/root):
    # that hint is advice too.
    path = FIX / "home-computed-for-the-new-image.yaml"
    fixed = yaml.safe_load(fixed_text(path))
    spec = fixed["spec"]["template"]["spec"]
    [container] = spec["containers"]
    assert container["image"] == "pytorch/pytorch:latest"
    mounts = [m["mountPath"] for m in container["volumeMounts"]]
    assert mounts == ["/workspace"]  # no claim made up
    assert "runAsUser" not in spec.get("securityContext", {})
    [finding] = findings_of("run-as-non-root", path)
    assert (finding.applicability, finding.edit) == ("display-only", None)
    assert "this image names no user and runs as root: another uid starts it" in (finding.fix or "")


def test_a_refused_fix_says_which_finding_it_would_add(tmp_path: Path) -> None:
    # Two manifests of one Notebook with the same spec: a fix of one makes their specs differ.
    source = FIXTURES / "kubeflow" / "written-twice" / "notebook-written-twice-same-spec.yaml"
    path = tmp_path / source.name
    shutil.copy(source, path)
    result = invoke("fix", "--unsafe-fixes", str(path))
    assert (
        "notebook-resources: not fixed: the fix would add cluster-object-written-twice"
        in result.output
    )


def test_a_hostpath_of_the_node_gets_advice_not_a_claim() -> None:
    path = FIX / "hostpath-of-the-node.yaml"
    found = findings_of("restricted-volumes", path)
    assert [(f.line, f.column, f.applicability) for f in found] == [
        (18, 18, "display-only"),
        (20, 18, "display-only"),
        (22, 18, "display-only"),
        (24, 7, "display-only"),
    ]
    assert found[0].message == (
        "volume fuse is hostPath /dev/fuse of the node (a device, a socket or a kernel "
        "interface), which restricted does not allow and no claim can stand in for"
    )
    for advice in found[:3]:
        assert "persistentVolumeClaim:" not in (advice.fix or "")
        assert "privileged" in (advice.fix or "") and "device plugin" in (advice.fix or "")
    # A data directory may become a claim, but no input makes one for it: the claim is a
    # placeholder and the fix is shown, not applied (a claim named `data` left the pod Pending).
    assert "claimName: <your-claim>   # a placeholder: first create a PersistentVolume" in (
        found[3].fix or ""
    )
    fixed = yaml.safe_load(fixed_text(path))
    sources = {v["name"]: set(v) - {"name"} for v in fixed["spec"]["volumes"]}
    assert sources["fuse"] == sources["docker"] == sources["proc"] == {"hostPath"}
    assert sources["data"] == {"hostPath"}


def test_a_hostpath_of_the_node_gets_advice_under_baseline_and_in_z2jh() -> None:
    path = FIX / "hostpath-of-the-node.yaml"
    options = Options(PsaPolicy("baseline", (1, 37)))
    found = [
        f for f in Runner(options, RULES).run([str(path)]).findings if f.rule == "host-path-volumes"
    ]
    assert [(f.line, f.applicability) for f in found] == [
        (18, "display-only"),
        (20, "display-only"),
        (22, "display-only"),
        (24, "unsafe"),  # an emptyDir in its place: no claim named
    ]
    assert "emptyDir" not in "".join(f.fix or "" for f in found[:3]).replace(
        "PersistentVolumeClaim or emptyDir can stand in", ""
    )
    z2jh = FIXTURES / "z2jh" / "hostpath-dev-fuse.yaml"
    [finding] = findings_of("restricted-volumes", z2jh)
    assert (finding.line, finding.column, finding.applicability) == (7, 11, "display-only")
    assert "persistentVolumeClaim:" not in (finding.fix or "")
    assert "hostPath:\n          path: /dev/fuse\n" in fixed_text(z2jh)


def test_a_changed_value_loses_the_comment_that_spoke_of_the_old_one() -> None:
    path = FIX / "cull-timeout-with-a-comment.yaml"
    [finding] = findings_of("notebook-idle-culling", path)
    assert (finding.line, finding.column) == (5, 3)
    assert "every" not in (finding.fix or "")  # the finding is about the timeout only
    new, _ = apply_edit(path.read_text(), finding.edit)
    assert "  timeout: 3600\n  every: 600         # check every 10 minutes\n" in new


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n  b: 1   # one\n  c: 2\n", "a:\n  b: 5\n  c: 2\n"),
        ("a:\n  b: 1\t# one\r\n  c: 2\r\n", "a:\n  b: 5\r\n  c: 2\r\n"),
        ("a:\n  b: 1   # one", "a:\n  b: 5"),
        ("a:\n  b: '1'  # quoted\n", "a:\n  b: 5\n"),
        ("a: {b: 1, c: 2}  # flow\n", "a: {b: 5, c: 2}  # flow\n"),  # not after the value
        ("a:\n  b: 5   # unchanged\n", "a:\n  b: 5   # unchanged\n"),
    ],
)
def test_the_applier_drops_the_comment_beside_a_value_it_changes(text: str, expected: str) -> None:
    edit = Edit("f.yaml", 0, (), "strategic", "a:\n  b: 5\n")
    assert apply_edit(text, edit)[0] == expected


#: A team's images of one kind (Jupyter on 8888, HOME /home/jovyan): one starts as root and
#: writes /var/cache/lab, the other starts as its user and does not.
SAME_KIND_TEAM_IMAGES = """\
images:
  - id: team-root-lab
    pattern: registry.example.com/team/root-lab
    uid: 0
    gid: 0
    user_numeric: null
    home: /home/jovyan
    server: jupyter
    port: 8888
    writable: [$HOME, /tmp, /var/cache/lab]
    starts_as_root: true
    confidence: source
    replacement:
      - image: registry.example.com/team/lab:1.0
  - id: team-lab
    pattern: registry.example.com/team/lab
    uid: 1000
    gid: 100
    user_numeric: true
    home: /home/jovyan
    server: jupyter
    port: 8888
    writable: [$HOME, /tmp]
    starts_as_root: false
    confidence: source
"""


def test_an_image_change_redoes_the_fixes_made_for_the_old_image(tmp_path: Path) -> None:
    # The first round's fixes are made for the old image (an emptyDir for its /var/cache/lab);
    # the next swaps it for one of the same kind. The file is done again from its own text with
    # the new image, so nothing stays that only the old one needed.
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "notebook-images.yaml").write_text(SAME_KIND_TEAM_IMAGES)
    path = FIX / "image-change-redoes-earlier-fixes.yaml"
    options = Options(PsaPolicy("restricted", (1, 37)), rules_dirs=(str(tmp_path),))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    first = check({})
    # Run as root, the image only wants its paths; the uid fix may apply (an image of the same
    # kind then replaces it).
    paths = [f.message for f in first.findings if f.rule == "notebook-writable-paths"]
    assert any("/var/cache/lab" in message for message in paths)
    [uid] = [f for f in first.findings if f.rule == "run-as-non-root"]
    assert uid.applicability == "unsafe"
    fixed = yaml.safe_load(fixing.fix(check, True).texts[str(path)])
    [container] = fixed["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "registry.example.com/team/lab:1.0"
    mounts = [m["mountPath"] for m in container["volumeMounts"]]
    assert "/var/cache/lab" not in mounts
    assert mounts[:2] == ["/home/jovyan", "/tmp"]


def test_a_volume_name_that_is_not_plain_is_never_written_into_a_claim() -> None:
    # A sops-encrypted volume name written whole in extraVolumes: the pod template's hint would
    # merge `claimName: ENC[…]` into it. Such a hint is shown, never applied.
    path = FIXTURES / "z2jh" / "values" / "encrypted-volume-name-in-extra-volumes.yaml"
    [finding] = findings_of("restricted-volumes", path)
    assert (finding.line, finding.column) == (8, 9)
    assert (finding.applicability, finding.edit) == ("display-only", None)
    assert "ENC[" not in (finding.fix or "")


def test_a_file_sops_signed_gets_its_fixes_shown_never_applied(tmp_path: Path) -> None:
    # Its MAC covers the plaintext values too: after any edit, `sops -d` refuses the file.
    source = FIXTURES / "z2jh" / "values" / "sops-signed-partly-encrypted.yaml"
    found = [f for f in run(source).findings if f.fix]
    assert found and {(f.applicability, f.edit) for f in found} == {("display-only", None)}
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(copy)])
    assert result.exit_code in (0, 1), result.output
    assert copy.read_text() == source.read_text()


def test_a_file_sops_signs_only_where_encrypted_may_be_fixed(tmp_path: Path) -> None:
    text = (FIXTURES / "z2jh" / "values" / "sops-signed-partly-encrypted.yaml").read_text()
    only = tmp_path / "mac-only-encrypted.yaml"
    only.write_text(
        text.replace("  version: 3.8.1\n", "  mac_only_encrypted: true\n  version: 3.8.1\n")
    )
    [finding] = [f for f in findings_of("allow-privilege-escalation", only) if f.line == 9]
    # Applied (by --unsafe-fixes: it turns over the explicit true the file writes).
    assert finding.edit is not None and finding.applicability == "unsafe"


def test_a_maps_only_key_is_deleted_when_the_fix_adds_another() -> None:
    """`securityContext: {runAsUser: 0}` → the uid left to the platform, `runAsNonRoot: true`
    in its place; a fix that only deletes the only key leaves the map empty, written `{}` (not
    null, which a values file reads as deleting the chart's default)."""
    text = "c:\n  securityContext:\n    runAsUser: 0\n  name: x\n"
    patch = "securityContext:\n  runAsUser: null\n  runAsNonRoot: true"
    new, _ = apply_edit(text, Edit("x.yaml", 0, ("c",), STRATEGIC, patch))
    assert new == "c:\n  securityContext:\n    runAsNonRoot: true\n  name: x\n"
    new, _ = apply_edit(
        text, Edit("x.yaml", 0, ("c",), STRATEGIC, "securityContext: {runAsUser: null}")
    )
    assert new == "c:\n  securityContext: {}\n  name: x\n"


# ---------------------------------------------------------------------------------------------
# Lists a PodDefault contributes to


def test_a_gpu_toleration_hint_keeps_what_a_poddefault_merges_out_of_the_notebook() -> None:
    # The hint was written from the effective pod: it copied the PodDefault's toleration into the
    # Notebook, where it is pinned (unticking the PodDefault no longer removes it) and merged
    # again by the webhook. The Notebook gets its own tolerations and the GPU's.
    path = FIX / "gpu-toleration-beside-a-poddefault.yaml"
    found = findings_of("notebook-gpu-toleration", path)
    assert [(f.line, f.column, f.object, f.applicability) for f in found] == [
        (29, 15, "Notebook/own-tolerations", "unsafe"),
        (48, 15, "Notebook/no-tolerations", "unsafe"),
    ]
    gpu = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    own = {"key": "example.com/dedicated", "operator": "Equal", "value": "ml"}
    own["effect"] = "NoSchedule"
    hints = [yaml.safe_load(f.fix or "")["spec"]["template"]["spec"] for f in found]
    assert hints == [{"tolerations": [own, gpu]}, {"tolerations": [gpu]}]
    fixed = list(yaml.safe_load_all(fixed_text(path)))
    assert [d["spec"]["template"]["spec"]["tolerations"] for d in fixed[1:]] == [[own, gpu], [gpu]]
    assert fixed[0] == next(yaml.safe_load_all(path.read_text()))  # the PodDefault is left alone
    # Admitted, each pod tolerates the GPU once, its own taints, and the PodDefault's once.
    spot = {"key": "cloud.example.com/spot", "operator": "Exists", "effect": "NoSchedule"}
    pods = run(path).pods
    assert [p.spec["tolerations"] for p in pods] == [[own, spot], [spot]]
    texts = {str(path): fixed_text(path)}
    options = Options(PsaPolicy("restricted", (1, 37)), texts=texts, keep_pods=True)
    after = Runner(options, RULES).run([str(path)])
    assert [f for f in after.findings if f.rule == "notebook-gpu-toleration"] == []
    assert [p.spec["tolerations"] for p in after.pods] == [[own, gpu, spot], [gpu, spot]]


def test_a_notebook_hint_never_copies_list_entries_a_poddefault_adds() -> None:
    # The class: whatever list of the pod or of a container a hint rewrites (a tolerations list
    # replaces the Notebook's, an envFrom list too), the entries a PodDefault merges in stay out.
    path = PODDEFAULTS_DIR / "merge-env-and-mounts.yaml"
    [pod] = run(path).pods
    assert pod.placement is not None
    hint = (
        "spec:\n  template:\n    spec:\n      containers:\n        - name: nb\n"
        "          envFrom:\n            - configMapRef: {name: settings}\n"
        "            - configMapRef: {name: mine}\n"
    )
    placed = pod.placement.place(hint, ("spec", "containers", 0, "envFrom"), None)
    patch = yaml.safe_load(placed.text)
    assert patch["spec"]["template"]["spec"]["containers"] == [
        {"name": "nb", "envFrom": [{"configMapRef": {"name": "mine"}}]}
    ]


# ---------------------------------------------------------------------------------------------
# A volume's storage through a claim: only a claim the inputs make


PLACEHOLDER_NOTE = "claimName: <your-claim>   # a placeholder: first create a PersistentVolume for"


def volumes_of(document: dict) -> dict[str, dict]:
    spec = document["spec"]["template"]["spec"]
    return {v["name"]: {k: x for k, x in v.items() if k != "name"} for v in spec["volumes"]}


def test_an_nfs_volume_no_claim_provides_gets_a_placeholder_claim_never_applied() -> None:
    path = FIX / "nfs-volume-with-no-claim.yaml"
    [finding] = findings_of("restricted-volumes", path)
    assert (finding.line, finding.column, finding.applicability) == (18, 11, "display-only")
    assert finding.edit is None
    assert (
        f"{PLACEHOLDER_NOTE} the NFS export nfs.example.com:/exports/data and a "
        "PersistentVolumeClaim bound to it, then name that claim here"
    ) in (finding.fix or "")
    assert "claimName: data" not in (finding.fix or "")
    assert volumes_of(yaml.safe_load(fixed_text(path))) == {
        "data": {"nfs": {"server": "nfs.example.com", "path": "/exports/data"}}
    }


def test_a_volume_gets_the_claim_the_inputs_bind_to_its_storage_in_its_namespace() -> None:
    path = FIX / "nfs-volume-with-its-claim.yaml"
    found = findings_of("restricted-volumes", path)
    assert [(f.line, f.column, f.applicability) for f in found] == [
        (55, 11, "unsafe"),  # nfs export bound by the claim's volumeName
        (57, 11, "unsafe"),  # a directory, bound by the volume's claimRef
        (59, 11, "display-only"),  # an export no claim of the inputs holds
        (75, 11, "display-only"),  # the same export, from another namespace
    ]
    assert "claimName: team-data   # the claim of the inputs bound to PersistentVolume " in (
        found[0].fix or ""
    )
    assert "claimName: scratch " in (found[1].fix or "")
    assert all(PLACEHOLDER_NOTE in (f.fix or "") for f in found[2:])
    documents = list(yaml.safe_load_all(fixed_text(path)))
    assert volumes_of(documents[4]) == {
        "data": {"persistentVolumeClaim": {"claimName": "team-data"}},
        "scratch": {"persistentVolumeClaim": {"claimName": "scratch"}},
        "other": {"nfs": {"server": "nfs.example.com", "path": "/exports/other"}},
    }
    assert volumes_of(documents[5]) == {
        "data": {"nfs": {"server": "nfs.example.com", "path": "/exports/data"}}
    }


def test_a_notebook_nfs_volume_gets_its_profile_namespace_claim_or_a_placeholder() -> None:
    path = FIX / "nfs-notebook-and-its-claim.yaml"
    found = findings_of("restricted-volumes", path)
    assert [(f.line, f.object, f.applicability) for f in found] == [
        (32, "Notebook/nb", "unsafe"),
        (46, "Notebook/nb", "display-only"),
    ]
    assert "claimName: alice-data" in (found[0].fix or "")
    assert PLACEHOLDER_NOTE in (found[1].fix or "")
    documents = list(yaml.safe_load_all(fixed_text(path)))
    assert volumes_of(documents[2]) == {
        "data": {"persistentVolumeClaim": {"claimName": "alice-data"}}
    }
    assert volumes_of(documents[3]) == {
        "data": {"nfs": {"server": "10.0.0.2", "path": "/exports/alice"}}
    }


def test_z2jh_extra_volumes_and_profile_volumes_get_only_a_claim_the_inputs_make() -> None:
    values = FIXTURES / "z2jh" / "nfs-extra-volumes.yaml"
    claims = FIXTURES / "z2jh" / "nfs-export-claims.yaml"
    alone = findings_of("restricted-volumes", values)
    assert [(f.line, f.column, f.profile, f.applicability) for f in alone] == [
        (8, 9, "default", "display-only"),
        (21, 13, "scratch", "display-only"),
    ]
    assert all(PLACEHOLDER_NOTE in (f.fix or "") for f in alone)
    assert "# in singleuser.storage.extraVolumes[0]\n" in (alone[0].fix or "")
    assert "# in singleuser.profileList[1].kubespawner_override.volumes[0]\n" in (
        alone[1].fix or ""
    )
    untouched = yaml.safe_load(fixed_texts(values)[str(values)])
    original = yaml.safe_load(values.read_text())
    # The shared export keeps its nfs source (other fixes add the writable paths after it).
    assert (
        untouched["singleuser"]["storage"]["extraVolumes"][0]
        == (original["singleuser"]["storage"]["extraVolumes"][0])
    )
    # The scratch profile's nfs volume keeps its source (its claim is a placeholder); the
    # profile's volume lists, which replace the chart's, gain the home and writable paths.
    scratch = untouched["singleuser"]["profileList"][1]["kubespawner_override"]
    before = original["singleuser"]["profileList"][1]["kubespawner_override"]
    assert scratch["volumes"][0] == before["volumes"][0]
    assert [v["name"] for v in scratch["volumes"]] == [
        "scratch", "volume-{user_server}", "tmp", "cache"
    ]  # fmt: skip
    # The claim of the shared export, in the release's namespace: that fix names it, applied.
    options = Options(PsaPolicy("restricted", (1, 37)), dialect={"namespace": "jhub"})
    both = Runner(options, RULES).run([str(values), str(claims)]).findings
    found = [f for f in both if f.rule == "restricted-volumes"]
    assert [(f.line, f.profile, f.applicability) for f in found] == [
        (8, "default", "unsafe"),
        (21, "scratch", "display-only"),
    ]
    assert "claimName: hub-shared" in (found[0].fix or "")
    fixed = yaml.safe_load(fixed_texts(values, claims, namespace="jhub")[str(values)])
    assert fixed["singleuser"]["storage"]["extraVolumes"][0] == (
        {"name": "shared", "persistentVolumeClaim": {"claimName": "hub-shared"}}
    )
    override = fixed["singleuser"]["profileList"][1]["kubespawner_override"]["volumes"][0]
    assert set(override) == {"name", "nfs"}
    # Without the namespace nblint cannot know the claim is the release's: a placeholder.
    unknown = [f for f in run(values, claims).findings if f.rule == "restricted-volumes"]
    assert [f.applicability for f in unknown] == ["display-only", "display-only"]


def test_host_path_volumes_names_no_claim_in_a_notebook() -> None:
    path = FIX / "nfs-notebook-and-its-claim.yaml"
    text = path.read_text().replace(
        "nfs: {server: 10.0.0.2, path: /exports/alice}", "hostPath: {path: /srv/alice}"
    )
    options = Options(PsaPolicy("baseline", (1, 37)), texts={str(path): text})
    found = [
        f for f in Runner(options, RULES).run([str(path)]).findings if f.rule == "host-path-volumes"
    ]
    assert [f.line for f in found] == [32, 46]
    for finding in found:
        assert "persistentVolumeClaim:" not in (finding.fix or "")
        assert "hostPath: null" in (finding.fix or "") and "emptyDir: {}" in (finding.fix or "")


# ---------------------------------------------------------------------------------------------
# Line endings, the last line break, the byte-order mark: what a fix writes follows the file


def raw(path: Path) -> str:
    """The text of ``path`` as nblint reads it: line breaks as written (``read_text`` would turn
    CRLF into LF)."""
    return path.read_bytes().decode("utf-8-sig")


def fixed_from(path: Path, text: str) -> str:
    """``nblint fix --unsafe-fixes`` on ``path`` holding ``text``."""
    options = Options(PsaPolicy("restricted", (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts={str(path): text, **texts}), RULES).run([str(path)])

    return fixing.fix(check, True).texts.get(str(path), text)


def lines_ending_in_lf_alone(text: str) -> list[str]:
    return [line for line in text.splitlines(True) if not line.endswith("\r\n")]


@pytest.mark.parametrize(
    "name", ["crlf-manifest.yaml", "crlf-notebook.yaml", "crlf-z2jh-values-alias.yaml"]
)
def test_every_line_a_fix_writes_into_a_crlf_file_ends_in_crlf(name: str) -> None:
    path = FIX / name
    text = raw(path)
    fixed = fixed_from(path, text)
    assert fixed != text
    assert lines_ending_in_lf_alone(fixed) == []
    # The same edits as in the file written with LF.
    assert fixed == fixed_from(path, text.replace("\r\n", "\n")).replace("\n", "\r\n")


def fixture_texts() -> list[Path]:
    return sorted(p for d in ("fix", "fixes") for p in (FIXTURES / d).rglob("*.yaml"))


@pytest.mark.parametrize("path", fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_any_fixture_written_with_crlf_is_fixed_as_with_lf_in_crlf(path: Path) -> None:
    """The class: every dialect, every kind of edit (new keys and items, replaced values, flow
    collections, copies of aliased and merged values), and what is never edited (sops)."""
    text = raw(path).replace("\r\n", "\n")
    crlf = fixed_from(path, text.replace("\n", "\r\n"))
    assert crlf == fixed_from(path, text).replace("\n", "\r\n")


@pytest.mark.parametrize("path", fixture_texts(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_any_fixture_without_its_last_line_break_is_fixed_without_one(path: Path) -> None:
    text = raw(path).replace("\r\n", "\n")
    if not text.endswith("\n") or text.endswith("\n\n"):
        return
    fixed = fixed_from(path, text)
    assert fixed_from(path, text[:-1]) == fixed[:-1]


def test_a_sops_signed_file_with_crlf_is_never_edited() -> None:
    path = FIX / "crlf-sops-signed-values.yaml"
    found = [f for f in run(path).findings if f.fix]
    assert found and {(f.applicability, f.edit) for f in found} == {("display-only", None)}


def test_fix_diff_and_check_fix_keep_crlf_the_last_line_and_the_byte_order_mark(
    tmp_path: Path,
) -> None:
    crlf = copy(tmp_path, "crlf-manifest.yaml")
    # As CliRunner's `output` would not: it turns CRLF into LF.
    diff = invoke("fix", "--diff", "--unsafe-fixes", str(crlf)).stdout_bytes.decode()
    added = [line for line in diff.split("\n") if line.startswith("+") and line != "+"]
    assert len(added) > 5 and all(line.endswith("\r") for line in added[1:])  # past +++
    assert invoke("fix", "--unsafe-fixes", str(crlf)).exit_code == 0
    assert lines_ending_in_lf_alone(crlf.read_bytes().decode()) == []

    bom = copy(tmp_path, "utf8-bom.yaml")
    invoke("check", "--fix", "--unsafe-fixes", str(bom))
    data = bom.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfapiVersion: v1\n") or data.startswith(b"\xef\xbb\xbf#")
    assert b"runAsNonRoot: true" in data and data.count(b"\xef\xbb\xbf") == 1

    open_end = copy(tmp_path, "no-final-newline.yaml")
    invoke("fix", "--unsafe-fixes", str(open_end))
    data = open_end.read_bytes()
    assert b"runAsNonRoot: true" in data and not data.endswith(b"\n")


def test_a_utf16_file_is_written_back_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    text = raw(FIX / "utf8-bom.yaml")
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    invoke("fix", str(path))
    data = path.read_bytes()
    assert data.startswith(b"\xff\xfe")
    assert "seccompProfile" in data[2:].decode("utf-16-le")


# ---------------------------------------------------------------------------------------------
# Comments after a mapping's last key stay with it


def test_a_new_z2jh_section_goes_after_the_keys_commented_out_under_the_last_one() -> None:
    path = FIX / "z2jh-comment-after-a-mappings-last-key.yaml"
    fixed = fixed_from(path, raw(path))
    assert (
        "    Authenticator:\n"
        "      admin_users:\n"
        "        - alice\n"
        "      # allowed_users:\n"
        "      #   - bob\n"
        "    KubeSpawner:\n"
    ) in fixed


def test_new_manifest_keys_and_items_go_after_the_comments_deeper_than_them() -> None:
    path = FIX / "manifest-comment-after-a-containers-last-key.yaml"
    fixed = fixed_from(path, raw(path)).splitlines()

    def after(line: str) -> str:
        return fixed[fixed.index(line) + 1]

    # A commented-out item at the list's dash is the list's: new items may go before it.
    assert after("              mountPath: /home/jovyan") == "            - name: tmp"
    # The container's new keys: after the commented mount (deeper), before `# ports:` (theirs).
    assert after("            #   mountPath: /home/jovyan/.cache") == "          securityContext:"
    assert after("          # ports:") == "          #   - containerPort: 8888"
    assert fixed[fixed.index("          securityContext:") - 1].endswith(".cache")
    # The volume's commented key stays the volume's; the pod's keys come after every comment.
    assert after("          # readOnly: true") == "        - name: tmp"
    assert after("        #   emptyDir: {}") == "      securityContext:"


def test_the_summary_says_one_finding_remains(tmp_path: Path) -> None:
    path = copy(tmp_path, "cull-timeout-with-a-comment.yaml")
    result = invoke("fix", "--unsafe-fixes", str(path))
    assert result.output.splitlines()[-1].endswith("in 1 file; 1 finding remains")
    result = invoke("fix", "--diff", "--unsafe-fixes", str(path))
    assert result.output.splitlines()[-1] == (
        "nblint: would fix 0 findings in 0 files; 1 finding remains"
    )


def test_check_fix_and_fix_diff_count_the_same_problems(tmp_path: Path) -> None:
    """One unit everywhere, the folded problem ``check`` prints: the chart's init container's
    capabilities problem names two fields of one pod, and a values key that removes the init
    container clears six problems with one edit. (The pod-wide run-as-non-root fix is advice
    while that root init container stands, the kubelet would refuse it: fixed in a later round.)"""
    path = tmp_path / "values.yaml"
    shutil.copy(FIXTURES / "report" / "init-container-drop-and-add-one-pod.yaml", path)

    def last(*args: str) -> str:
        return str(invoke(*args, str(path)).output.splitlines()[-1])

    assert last("check").endswith(
        "(1 file, 1 pod). 3 fixable with `nblint fix` (7 more with `nblint fix --unsafe-fixes`)."
    )
    assert last("fix", "--diff") == (
        "nblint: would fix 3 findings in 1 file; 8 findings remain (7 fixable with --unsafe-fixes)"
    )
    assert last("fix", "--diff", "--unsafe-fixes") == (
        "nblint: would fix 11 findings in 1 file; 0 findings remain"
    )
    assert last("fix") == (
        "nblint: fixed 3 findings in 1 file; 8 findings remain (7 fixable with --unsafe-fixes)"
    )
    assert last("check") == (
        "Found 6 errors, 2 warnings (1 file, 1 pod). 7 fixable with `nblint fix --unsafe-fixes`."
    )
    assert last("fix", "--diff", "--unsafe-fixes") == (
        "nblint: would fix 8 findings in 1 file; 0 findings remain"
    )


def test_a_file_level_problem_found_twice_is_one_finding_that_remains(tmp_path: Path) -> None:
    # Both read failures of this template are placed at its first template expression: the
    # pipeline gives one finding (as `check` reports), and `fix` counts and lists it once.
    path = copy(tmp_path, "template-with-two-read-failures.yaml")
    assert [(f.line, f.column) for f in findings_of("helm-template", path)] == [(1, 1)]
    lines = invoke("fix", str(path)).output.splitlines()
    assert lines[0] == "nblint: fixed 0 findings in 0 files; 1 finding remains"
    assert [line for line in lines if "helm-template" in line] == [
        f"nblint: {path}:1:1: helm-template: Go template syntax ({{{{ … }}}}) is not YAML: lint "
        "the rendered output (render it with the tool it is written for, such as gomplate, then "
        "nblint check -) (not fixed)"
    ]


# host-ports: ports merge by containerPort, so the hint names the port's containerPort


def test_the_host_port_hint_names_the_container_port_it_merges_by() -> None:
    path = FIX / "host-port-differs-from-container-port.yaml"
    [finding] = findings_of("host-ports", path)
    assert (finding.line, finding.column, finding.message) == (
        18,
        11,
        "container notebook binds host port 8080",
    )
    assert finding.fix is not None and "- containerPort: 8888\n" in finding.fix
    assert finding.applicability == "unsafe"
    # Applied, it drops the hostPort from the 8888 port and adds no port.
    fixed = yaml.safe_load(fixed_text(path))
    [container] = fixed["spec"]["template"]["spec"]["containers"]
    assert container["ports"] == [{"containerPort": 8888}]


def test_a_host_port_item_without_a_container_port_gets_advice_only() -> None:
    # The hint's {item.containerPort} has no value: a hint with a hole is never applied.
    path = FIX / "host-port-without-container-port.yaml"
    [finding] = findings_of("host-ports", path)
    assert (finding.line, finding.applicability, finding.edit) == (11, "display-only", None)


def test_the_summary_counts_no_finding_whose_edit_changed_nothing(tmp_path: Path) -> None:
    # A team rule whose hint (drop ALL) leaves the added capability it is about: nblint fix said
    # "fixed 1 finding in 0 files" beside "its fix changes nothing in the file".
    rules = FIXTURES / "team-rules" / "no-added-capabilities"
    pod = tmp_path / "pod.yaml"
    pod.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: nb}\nspec:\n  containers:\n"
        "    - name: nb\n      image: quay.io/jupyter/scipy-notebook:2024-10-07\n"
        "      securityContext:\n        capabilities: {drop: [ALL], add: [SYS_ADMIN]}\n"
    )
    args = ["--rules-dir", str(rules), "--select", "team-no-added-capabilities"]
    result = CliRunner().invoke(main, ["fix", "--diff", "--unsafe-fixes", *args, str(pod)])
    assert "would fix 0 findings in 0 files" in result.output
    assert "its fix changes nothing in the file" in result.output


def test_a_finding_that_moves_between_layers_of_one_release_is_not_added(tmp_path: Path) -> None:
    for name in ("base.yaml", "top.yaml"):
        shutil.copy(FIX / "layers-base-and-top" / name, tmp_path / name)
    base, top = str(tmp_path / "base.yaml"), str(tmp_path / "top.yaml")
    result = invoke("fix", "-f", base, "-f", top)
    assert "not fixed" not in result.output
    assert "fixed 3 findings in 1 file" in result.output
    fixed = yaml.safe_load((tmp_path / "top.yaml").read_text())
    spawner = fixed["hub"]["config"]["KubeSpawner"]
    assert spawner["container_security_context"] == {"capabilities": {"drop": ["ALL"]}}
    assert spawner["pod_security_context"] == {"seccompProfile": {"type": "RuntimeDefault"}}
    assert (tmp_path / "base.yaml").read_text() == (
        FIX / "layers-base-and-top" / "base.yaml"
    ).read_text()


# Field test 12b D8: host-namespaces turns over only the fields that are true (smallest span).


def test_host_namespaces_fixes_only_the_host_network_a_pod_sets() -> None:
    path = FIX / "host-network-only.yaml"
    [finding] = findings_of("host-namespaces", path)
    assert (finding.line, finding.fix) == (7, "spec:\n  hostNetwork: false")
    assert _host_namespaces_fixed(path) == path.read_text().replace(
        "hostNetwork: true", "hostNetwork: false"
    )


def test_host_namespaces_gives_one_hint_per_field_that_is_true() -> None:
    path = FIX / "host-pid-and-ipc.yaml"
    found = findings_of("host-namespaces", path)
    assert [(f.line, f.fix) for f in found] == [
        (8, "spec:\n  hostPID: false"),
        (9, "spec:\n  hostIPC: false"),
    ]
    assert _host_namespaces_fixed(path) == path.read_text().replace(
        "PID: true", "PID: false"
    ).replace("IPC: true", "IPC: false")


def _host_namespaces_fixed(path: Path) -> str:
    """The text ``nblint fix --unsafe-fixes --select host-namespaces`` leaves."""
    options = Options(PsaPolicy("restricted", (1, 37)), select={"host-namespaces"})

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, True).texts[str(path)]


def test_a_profiles_pod_that_the_hub_wide_pod_context_reaches_gets_no_edit_of_its_own() -> None:
    # Field test 20a D9: the Podman profile writes its container's securityContext in its
    # override but not `pod_security_context`, so the hub-wide `KubeSpawner.pod_security_context`
    # reaches its pod (KubeSpawner 7.1.0: the pod's securityContext is the hub-wide one). One
    # problem, one edit: its own edit into the override waits for the hub-wide one and is not
    # needed; both findings are fixed.
    path = FIX / "z2jh-profile-reached-by-hub-wide-pod-context.yaml"
    outcome = fix_file(path, unsafe=False)
    text = outcome.texts[str(path)]
    assert text.count("seccompProfile") == 1
    after = yaml.safe_load(text)
    assert (
        "pod_security_context" not in after["singleuser"]["profileList"][1]["kubespawner_override"]
    )
    assert after["hub"]["config"]["KubeSpawner"]["pod_security_context"] == {
        "seccompProfile": {"type": "RuntimeDefault"}
    }
    assert sorted(
        {
            (f.line, f.profile)
            for f in fixing.fixed(outcome)
            if f.rule == "seccomp-profile-restricted"
        }
    ) == [(1, "Default"), (1, "Podman"), (11, "Podman")]
    assert [f for f in outcome.after.findings if f.rule == "seccomp-profile-restricted"] == []
