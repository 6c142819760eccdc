"""Every notebook rule's fix hint works, in every dialect it is written for.

For each rule and dialect: a fixture that breaks the rule (``fixes/<dialect>/<rule>.yaml``), the
fix hint of each of its findings merged into it the way a user would apply it, and the findings
gone — with no finding that was not there before.

How a hint is applied, per dialect:

* ``manifest`` and ``kubeflow`` — a strategic-merge patch of the object (written at its own
  level: ``spec.template.spec`` for a Deployment): maps merge, lists of containers, volumes, mounts
  and env merge by name (mountPath for mounts).
* ``z2jh`` — merged into the values as Helm merges value files (maps merge, lists replace); a
  hint that starts ``# in <path>`` (a profile, an option choice, a container's own entry) is
  merged there, and a hint for the single key the finding points at is merged at that key.

``test_nblint_fix_clears_the_finding`` does the same through ``nblint fix``'s own edits.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, RULES, run

# The session's hub oracles, shared with the end-to-end tests (fixtures by name).
from test_z2jh_end_to_end import assert_same_pods, hubs  # noqa: F401

from nblint.fix.merge import helm_merge, strategic_merge
from nblint.model.finding import Finding

FIXES = FIXTURES / "fixes"
DIALECTS = ("manifest", "z2jh", "kubeflow")
CASES = sorted(
    (rule.id, dialect)
    for rule in RULES.values()
    if rule.group == "notebook"
    for dialect in DIALECTS
    if dialect in rule.fix
)


def values_path(field: str) -> list[str | int]:
    """``values.a.b[0].c`` → ``["a", "b", 0, "c"]``."""
    parts: list[str | int] = []
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", field):
        parts.append(int(index) if index else name)
    return parts[1:]


def apply_fix(dialect: str, document: dict[str, Any], fix: dict[str, Any], finding: Finding):
    """``fix`` (a finding's hint, parsed) merged into ``document`` as its text says to."""
    if dialect == "z2jh":
        inside = re.match(r"# in ([\w-]+(?:\.[\w-]+|\[\d+\])+)\s", finding.fix or "")
        if inside:
            # A hint for a profile, an option choice or a container entry names where it goes.
            parent = document
            for part in values_path("values." + inside[1]):
                if isinstance(parent, dict) and parent.get(part) is None:
                    parent[part] = {}
                parent = parent[part]
            parent.update(helm_merge(parent, fix))
            return document
        if "kubespawner_override" in fix:
            for entry in document["singleuser"]["profileList"]:
                if entry.get("display_name") == finding.profile:
                    entry.update(helm_merge(entry, fix))
            return document
        path = values_path(finding.field or "")
        if len(path) > 1 and list(fix) == [path[-1]]:
            # A hint for one key where the finding points (e.g. an option's unlisted_choice).
            parent = document
            for part in path[:-1]:
                parent = parent[part]
            parent.update(helm_merge(parent, fix))
            return document
        return helm_merge(document, fix)
    # Manifests and Notebooks: a strategic-merge patch of the object, as `kubectl patch` takes it.
    return strategic_merge(document, fix)


def test_every_notebook_rule_has_a_fixture_for_each_dialect_it_fixes() -> None:
    missing = [f"{d}/{r}.yaml" for r, d in CASES if not (FIXES / d / f"{r}.yaml").is_file()]
    assert missing == []
    assert len(CASES) >= 60


#: Rules whose shipped table gives no fixture a hint nblint applies, with why: their hint is
#: advice there, and a test with a team's table shows the hint that applies clearing the finding.
ADVICE_ONLY = {
    # Every image of the table whose user is root (NGC, nvidia/cuda, pytorch/pytorch,
    # tensorflow/tensorflow, rocker) has no replacement of the same kind (server, port, HOME):
    # see test_a_root_image_swapped_for_one_of_its_kind_starts.
    "notebook-image-runs-as-root",
}


@pytest.mark.parametrize(("rule_id", "dialect"), CASES, ids=[f"{r}-{d}" for r, d in CASES])
def test_fix_hint_makes_the_finding_go_away(tmp_path: Path, rule_id: str, dialect: str) -> None:
    fixture = FIXES / dialect / f"{rule_id}.yaml"
    before = run(fixture)
    broken = [f for f in before.findings if f.rule == rule_id]
    assert broken, f"{fixture.name} does not break {rule_id}"
    if rule_id in ADVICE_ONLY:
        assert {(f.applicability, f.edit) for f in broken} == {("display-only", None)}
        return
    fixed = yaml.safe_load(fixture.read_text())
    for finding in broken:  # e.g. one per missing writable path
        assert finding.fix, f"{rule_id} has no {dialect} fix on its finding"
        fixed = apply_fix(dialect, fixed, yaml.safe_load(finding.fix), finding)
    path = tmp_path / fixture.name
    path.write_text(yaml.safe_dump(fixed, sort_keys=False))

    after = run(path)
    assert [f.message for f in after.findings if f.rule == rule_id] == []
    # Same rule on the same container counts as the same finding even when its wording follows
    # the fix (a new image has another HOME).
    new = {(f.rule, f.container) for f in after.findings} - {
        (f.rule, f.container) for f in before.findings
    }
    assert new == set()


def test_unknown_image_is_fixed_by_a_table_entry_in_the_team_rules_dir(tmp_path: Path) -> None:
    fixture = FIXES / "manifest" / "notebook-image-unknown.yaml"
    assert [f.rule for f in run(fixture, select={"notebook-image-unknown"}).findings] == [
        "notebook-image-unknown"
    ]
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "notebook-images.yaml").write_text(
        "images:\n"
        "  - id: team-notebook\n"
        "    pattern: registry.example.com/team/notebook\n"
        "    uid: 1000\n"
        "    gid: 100\n"
        "    user_numeric: true\n"
        "    home: /home/jovyan\n"
        "    writable: [$HOME, /tmp]\n"
    )
    from nblint.model.rule import PsaPolicy
    from nblint.run.pipeline import Options, Runner

    options = Options(PsaPolicy("restricted", (1, 37)), {"notebook"}, rules_dirs=(str(tmp_path),))
    after = Runner(options, RULES).run([str(fixture)])
    assert [f.rule for f in after.findings if f.rule == "notebook-image-unknown"] == []


def test_a_root_image_swapped_for_one_of_its_kind_starts(tmp_path: Path) -> None:
    """``notebook-image-runs-as-root`` with a team's table that knows an image of the same kind
    (server, port, HOME) starting as its user: the swap applies and clears the finding."""
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "notebook-images.yaml").write_text(
        "images:\n"
        "  - id: team-root-lab\n"
        "    pattern: docker.io/nvidia/cuda\n"
        "    uid: 0\n"
        "    user_numeric: null\n"
        "    home: /root\n"
        "    server: none\n"
        "    starts_as_root: true\n"
        "    confidence: source\n"
        "    replacement: [{image: registry.example.com/team/cuda-shell:1.0}]\n"
        "  - id: team-cuda-shell\n"
        "    pattern: registry.example.com/team/cuda-shell\n"
        "    uid: 1000\n"
        "    gid: 100\n"
        "    user_numeric: true\n"
        "    home: /root\n"
        "    server: none\n"
        "    writable: [$HOME, /tmp]\n"
        "    confidence: source\n"
    )
    pod = tmp_path / "pod.yaml"
    pod.write_text(
        # A CUDA base image that declares no port is no notebook by default (workloads table):
        # the annotation says this one is.
        "apiVersion: v1\nkind: Pod\n"
        "metadata: {name: p, annotations: {nblint.io/notebook: 'true'}}\nspec:\n"
        "  securityContext: {runAsNonRoot: true}\n"
        "  containers:\n    - name: notebook\n      image: nvidia/cuda:12.4.1-base-ubuntu22.04\n"
    )
    from nblint.model.rule import PsaPolicy
    from nblint.run import fixing
    from nblint.run.pipeline import Options, Runner

    options = Options(PsaPolicy("restricted", (1, 37)), rules_dirs=(str(tmp_path),))

    def check(texts: dict[str, str]) -> Any:
        return Runner(options.replace(texts=texts), RULES).run([str(pod)])

    [finding] = [f for f in check({}).findings if f.rule == "notebook-image-runs-as-root"]
    assert finding.applicability == "unsafe"
    outcome = fixing.fix(check, True, chosen=lambda f: f.rule == "notebook-image-runs-as-root")
    assert "image: 'registry.example.com/team/cuda-shell:1.0'" in outcome.texts[str(pod)]
    assert [f for f in outcome.after.findings if f.rule == "notebook-image-runs-as-root"] == []


def test_a_notebook_hint_beside_a_poddefault_round_trips(tmp_path: Path) -> None:
    """The GPU toleration's hint for Notebooks a PodDefault adds a toleration to: merged into
    each Notebook (the PodDefault left as it is), the finding goes and nothing new comes, and
    the PodDefault's toleration is in each pod once, from the PodDefault."""
    fixture = FIXTURES / "fix" / "gpu-toleration-beside-a-poddefault.yaml"
    before = run(fixture)
    broken = [f for f in before.findings if f.rule == "notebook-gpu-toleration"]
    assert len(broken) == 2
    documents = list(yaml.safe_load_all(fixture.read_text()))
    for finding in broken:
        at = next(
            i
            for i, d in enumerate(documents)
            if f"{d['kind']}/{d['metadata']['name']}" == finding.object
        )
        documents[at] = apply_fix("kubeflow", documents[at], yaml.safe_load(finding.fix), finding)
    path = tmp_path / fixture.name
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    after = run(path)
    assert [f.message for f in after.findings if f.rule == "notebook-gpu-toleration"] == []
    assert {(f.rule, f.object) for f in after.findings} <= {
        (f.rule, f.object) for f in before.findings
    }
    for pod in after.pods:
        keys = [t["key"] for t in pod.spec["tolerations"]]
        assert keys.count("cloud.example.com/spot") == 1
        assert pod.provenance.locate(("spec", "tolerations", len(keys) - 1)).note == (
            "added by PodDefault spot"
        )


@pytest.mark.parametrize(
    ("fixture", "dialect", "fixed"),
    [
        ("nfs-volume-with-its-claim.yaml", "manifest", 2),
        ("nfs-notebook-and-its-claim.yaml", "kubeflow", 1),
    ],
)
def test_a_volume_swapped_for_the_claim_of_its_storage_round_trips(
    tmp_path: Path, fixture: str, dialect: str, fixed: int
) -> None:
    """restricted-volumes' hint that names the claim the inputs bind to the volume's storage,
    merged into its object: the finding goes, nothing new comes, and the claim it names is one
    the inputs make. The placeholder hints (no such claim) are advice: never applied."""
    source = FIXTURES / "fix" / fixture
    before = run(source)
    found = [f for f in before.findings if f.rule == "restricted-volumes"]
    applied = [f for f in found if f.applicability != "display-only"]
    assert len(applied) == fixed
    documents = list(yaml.safe_load_all(source.read_text()))
    made = {d["metadata"]["name"] for d in documents if d["kind"] == "PersistentVolumeClaim"}
    for finding in applied:
        assert finding.edit is not None
        at = finding.edit.document  # two objects share a name, in two namespaces
        patch = yaml.safe_load(finding.fix or "")
        documents[at] = apply_fix(dialect, documents[at], patch, finding)
        [volume] = patch["spec"]["template"]["spec"]["volumes"]
        assert volume["persistentVolumeClaim"]["claimName"] in made
    path = tmp_path / fixture
    path.write_text(yaml.safe_dump_all(documents, sort_keys=False))
    after = run(path)
    left = [(f.line, f.message) for f in after.findings if f.rule == "restricted-volumes"]
    assert len(left) == len(found) - fixed
    assert {(f.rule, f.object) for f in after.findings} <= {
        (f.rule, f.object) for f in before.findings
    }


def test_a_z2jh_extra_volume_swapped_for_the_claim_of_its_export_round_trips(
    tmp_path: Path,
) -> None:
    values = FIXTURES / "z2jh" / "nfs-extra-volumes.yaml"
    claims = FIXTURES / "z2jh" / "nfs-export-claims.yaml"
    before = run(values, claims, namespace="jhub")
    [finding] = [
        f
        for f in before.findings
        if f.rule == "restricted-volumes" and f.applicability != "display-only"
    ]
    # The hint is for the volume entry written whole (`# in singleuser.storage.extraVolumes[0]`),
    # merged as Kubernetes merges a volume: its `nfs: null` deletes the nfs source.
    assert (finding.fix or "").startswith("# in singleuser.storage.extraVolumes[0]\n")
    document = yaml.safe_load(values.read_text())
    extra = document["singleuser"]["storage"]["extraVolumes"]
    extra[0] = strategic_merge(extra[0], yaml.safe_load(finding.fix or ""))
    assert document["singleuser"]["storage"]["extraVolumes"] == [
        {"name": "shared", "persistentVolumeClaim": {"claimName": "hub-shared"}}
    ]
    path = tmp_path / values.name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    after = run(path, claims, namespace="jhub")
    assert [f.profile for f in after.findings if f.rule == "restricted-volumes"] == ["scratch"]
    assert {(f.rule, f.profile) for f in after.findings} <= {
        (f.rule, f.profile) for f in before.findings
    }


# ---------------------------------------------------------------------------------------------
# Container-level settings: the hint is written where the offending value is (a container's own
# securityContext wins over the pod's; KubeSpawner's container_security_context, a profile's
# kubespawner_override of it, or the extra_container_config that replaces it), so each clears its
# finding, shown and through `nblint fix`.

CONTAINER_LEVEL = FIXTURES / "fixes" / "container-level"

#: Fixture → (rule, PSA level, line, column, message) of the finding its hint must clear.
CONTAINER_CASES: dict[str, tuple[str, str, int, int, str]] = {
    "z2jh-capability-added-in-hub-config": (
        "capabilities-restricted",
        "restricted",
        7,
        15,
        "container notebook adds capability SYS_ADMIN; only NET_BIND_SERVICE is allowed",
    ),
    "z2jh-capability-added-in-a-profile": (
        "capabilities-restricted",
        "restricted",
        8,
        17,
        "container notebook adds capability SYS_ADMIN; only NET_BIND_SERVICE is allowed",
    ),
    "z2jh-capability-added-in-a-flow-map": (
        "capabilities-restricted",
        "restricted",
        5,
        43,
        "container notebook adds capability SYS_ADMIN; only NET_BIND_SERVICE is allowed",
    ),
    "z2jh-capability-added-in-extra-container-config": (
        "capabilities-restricted",
        "restricted",
        8,
        17,
        "container notebook adds capability SYS_PTRACE; only NET_BIND_SERVICE is allowed",
    ),
    "z2jh-capability-outside-the-baseline-set": (
        "capabilities-baseline",
        "baseline",
        7,
        17,
        "container notebook adds capability SYS_ADMIN, which is not in the baseline set",
    ),
    "z2jh-container-app-armor-unconfined": (
        "app-armor-profile",
        "baseline",
        5,
        27,
        "container notebook AppArmor profile type is Unconfined; use RuntimeDefault or Localhost",
    ),
    "z2jh-container-se-linux-user": (
        "se-linux-options",
        "baseline",
        5,
        26,
        "container notebook seLinuxOptions sets system_u",
    ),
    "z2jh-container-seccomp-unconfined": (
        "seccomp-profile-baseline",
        "baseline",
        5,
        26,
        "container notebook seccompProfile type is Unconfined",
    ),
    "z2jh-container-run-as-non-root-false": (
        "run-as-non-root",
        "restricted",
        5,
        9,
        "container notebook sets runAsNonRoot: false",
    ),
    # A runAsUser: 0 is fixed at the values key that wrote it: container_security_context (or
    # the securityContext extra_container_config writes whole) wins over the uid trait, so
    # singleuser.uid would change nothing; a `uid: 0` keeps its uid hint.
    "z2jh-container-run-as-user-0": (
        "run-as-user",
        "restricted",
        5,
        9,
        "container notebook sets runAsUser: 0",
    ),
    "z2jh-container-run-as-user-0-in-a-profile": (
        "run-as-user",
        "restricted",
        6,
        11,
        "container notebook sets runAsUser: 0",
    ),
    "z2jh-container-run-as-user-0-in-extra-container-config": (
        "run-as-user",
        "restricted",
        6,
        11,
        "container notebook sets runAsUser: 0",
    ),
    "z2jh-container-run-as-user-0-run-as-non-root": (
        "run-as-non-root",
        "restricted",
        6,
        7,
        "container notebook is not required to run as non-root (set runAsNonRoot: true on the "
        "pod or the container)",
    ),
    "z2jh-container-run-as-user-0-no-sudo": (
        "notebook-no-sudo",
        "restricted",
        5,
        9,
        "notebook container notebook runs as root (runAsUser: 0)",
    ),
    "z2jh-extra-container-config-drops-the-uid": (
        "notebook-run-as-user",
        "restricted",
        7,
        9,
        "notebook container notebook has no explicit runAsUser: it runs as whatever user its "
        "image names",
    ),
    "z2jh-pod-run-as-user-0": (
        "run-as-user",
        "restricted",
        5,
        9,
        "pod sets runAsUser: 0",
    ),
    "z2jh-singleuser-uid-0": (
        "run-as-user",
        "restricted",
        2,
        3,
        "container notebook sets runAsUser: 0",
    ),
    "z2jh-uid-0-in-a-profile": (
        "run-as-user",
        "restricted",
        5,
        9,
        "container notebook sets runAsUser: 0",
    ),
    "z2jh-pod-host-process": (
        "windows-host-process",
        "baseline",
        5,
        26,
        "pod sets windowsOptions.hostProcess: true",
    ),
    "kubeflow-container-se-linux-user": (
        "se-linux-options",
        "baseline",
        13,
        30,
        "container nb seLinuxOptions sets system_u",
    ),
    "kubeflow-container-seccomp-unconfined": (
        "seccomp-profile-baseline",
        "baseline",
        13,
        30,
        "container nb seccompProfile type is Unconfined",
    ),
    "kubeflow-container-run-as-non-root-false": (
        "run-as-non-root",
        "restricted",
        13,
        13,
        "container nb sets runAsNonRoot: false",
    ),
    "kubeflow-readiness-probe-host": (
        "host-probes-and-host-lifecycle",
        "baseline",
        13,
        23,
        "container nb sets readinessProbe.httpGet.host: 10.0.0.1",
    ),
    "kubeflow-capability-outside-the-baseline-set": (
        "capabilities-baseline",
        "baseline",
        13,
        47,
        "container nb adds capability SYS_ADMIN, which is not in the baseline set",
    ),
}


def _the_finding(path: Path, rule: str, level: str, text: str | None = None) -> list[Finding]:
    from nblint.model.rule import PsaPolicy
    from nblint.run.pipeline import Options, Runner

    options = Options(PsaPolicy(level, (1, 37)), {rule}, texts={str(path): text} if text else {})
    return [f for f in Runner(options, RULES).run([str(path)]).findings if f.rule == rule]


def _fix_with_nblint(path: Path, rule: str, level: str):
    from nblint.model.result import RunResult
    from nblint.model.rule import PsaPolicy
    from nblint.run import fixing
    from nblint.run.pipeline import Options, Runner

    options = Options(PsaPolicy(level, (1, 37)))

    def check(texts: dict[str, str]) -> RunResult:
        return Runner(options.replace(texts=texts), RULES).run([str(path)])

    return fixing.fix(check, unsafe=True, chosen=lambda f: f.rule == rule)


@pytest.mark.parametrize("name", sorted(CONTAINER_CASES))
def test_a_container_level_hint_clears_its_finding(name: str, tmp_path: Path) -> None:
    rule, level, line, column, message = CONTAINER_CASES[name]
    path = CONTAINER_LEVEL / f"{name}.yaml"
    [finding] = [f for f in _the_finding(path, rule, level) if f.message == message]
    assert (finding.line, finding.column) == (line, column)
    # A fix nblint can apply, and counts as one.
    assert finding.edit is not None and finding.applicability in ("safe", "unsafe")

    # Shown: the hint merged as its text says (Helm's merge for values, a strategic merge of the
    # Notebook) clears the finding.
    dialect = "z2jh" if name.startswith("z2jh") else "kubeflow"
    shown = apply_fix(
        dialect, yaml.safe_load(path.read_text()), yaml.safe_load(finding.fix), finding
    )
    pasted = tmp_path / path.name
    pasted.write_text(yaml.safe_dump(shown, sort_keys=False))
    assert [f.message for f in _the_finding(pasted, rule, level) if f.message == message] == []

    # Applied: `nblint fix` clears it, says nothing was left unfixed, and adds no finding.
    outcome = _fix_with_nblint(path, rule, level)
    assert [why for _, why in outcome.failed] == []
    after = [f for f in outcome.after.findings if f.rule == rule]
    assert [f.message for f in after if f.message == message] == []
    from nblint.run.fixing import finding_key

    known = {finding_key(f) for f in outcome.before.findings}
    assert [f.rule for f in outcome.after.findings if finding_key(f) not in known] == []


#: The z2jh cases whose fixed values the chart's own hub spawns (Helm's merge and schema, the
#: chart's jupyterhub_config.py, the KubeSpawner 7 of its hub image): the pods nblint draws from
#: the fixed values, free of the finding, are the pods KubeSpawner builds.
SPAWNED = sorted(name for name in CONTAINER_CASES if name.startswith("z2jh"))


@pytest.mark.parametrize("name", SPAWNED)
def test_kubespawner_builds_the_fixed_pods_nblint_draws(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    rule, level, *_ = CONTAINER_CASES[name]
    path = CONTAINER_LEVEL / f"{name}.yaml"
    fixed = tmp_path / path.name
    fixed.write_text(_fix_with_nblint(path, rule, level).texts[str(path)])
    hub = assert_same_pods(request.getfixturevalue("hubs"), [fixed], "4.4.0", tmp_path / "m")
    assert hub.get("spawns"), hub
    for spawned in hub["spawns"]:
        [notebook] = [c for c in spawned["pod"]["spec"]["containers"] if c["name"] == "notebook"]
        context = notebook.get("securityContext") or {}
        assert not (context.get("capabilities") or {}).get("add"), context
        assert context.get("runAsUser") != 0 and context.get("runAsNonRoot") is not False
        assert (spawned["pod"]["spec"].get("securityContext") or {}).get("runAsUser") != 0
        assert (context.get("seccompProfile") or {}).get("type") != "Unconfined"
        assert (context.get("appArmorProfile") or {}).get("type") != "Unconfined"
        assert not context.get("seLinuxOptions")


def test_the_block_cloud_metadata_container_keeps_its_own_hint() -> None:
    """A violation's hint for any container does not replace the rule's hint for the chart's
    block-cloud-metadata init container by name (it is fixed in another place)."""
    path = CONTAINER_LEVEL / "z2jh-capability-added-in-hub-config.yaml"
    [finding] = [
        f
        for f in _the_finding(path, "capabilities-restricted", "restricted")
        if f.container == "block-cloud-metadata" and "NET_ADMIN" in f.message
    ]
    assert finding.fix is not None and "blockWithIptables: false" in finding.fix


# ---------------------------------------------------------------------------------------------
# A hint that changes nothing in the file is shown, never offered (nor counted) as a fix.


def test_a_hint_the_file_already_follows_is_not_counted_fixable(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from nblint.cli import main

    rules = FIXTURES / "team-rules" / "no-added-capabilities"
    values = tmp_path / "values.yaml"
    values.write_text(
        (CONTAINER_LEVEL / "z2jh-capability-outside-the-baseline-set.yaml").read_text()
    )
    args = ["--rules-dir", str(rules), "--select", "team-no-added-capabilities"]
    checked = CliRunner().invoke(main, ["check", *args, str(values)])
    assert checked.exit_code == 1 and "error[team-no-added-capabilities]" in checked.output
    assert "fix:\n    hub:" in checked.output  # shown, not offered as a fix to apply
    assert "fixable" not in checked.output
    fixed = CliRunner().invoke(main, ["fix", "--unsafe-fixes", *args, str(values)])
    assert "not fixed" not in fixed.output and "fixable" not in fixed.output

    # `nblint fix`'s own count of what --unsafe-fixes would do leaves out an edit (a manifest's
    # strategic patch) that changes nothing in the file.
    pod = tmp_path / "pod.yaml"
    pod.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: nb}\nspec:\n  containers:\n"
        "    - name: nb\n      image: quay.io/jupyter/scipy-notebook:2024-10-07\n"
        "      securityContext:\n        capabilities: {drop: [ALL], add: [SYS_ADMIN]}\n"
    )
    from nblint.model.rule import PsaPolicy
    from nblint.run import fixing
    from nblint.run.pipeline import Options, Runner

    options = Options(
        PsaPolicy("restricted", (1, 37)),
        {"team-no-added-capabilities"},
        rules_dirs=(str(rules),),
    )
    result = Runner(options).run([str(pod)])  # the shipped rules and the team's
    [finding] = result.findings
    assert finding.edit is not None
    assert not fixing.placeable(finding, result.texts)


# ---------------------------------------------------------------------------------------------
# Keys z2jh takes as a list or a map (4.3+: singleuser.storage.extraVolumes, extraVolumeMounts):
# the hint follows the form the user's values use. A list is given whole, the user's entries
# first, so that the hint pasted as a Helm layer (which replaces a list) and the report's edit
# (merge: helm) keep them; `nblint fix` adds only the entries the file lacks.

EITHER_FORM = FIXTURES / "fixes" / "either-form"


@pytest.mark.parametrize("chart_version", ["4.4.0", "3.3.8"])
def test_a_volume_hint_for_a_list_keeps_the_user_s_volumes_as_a_helm_layer(
    chart_version: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    path = EITHER_FORM / "z2jh-extra-volumes-a-list.yaml"
    result = run(path, select={"notebook-read-only-root-filesystem"}, chart_version=chart_version)
    [finding] = result.findings
    assert (finding.line, finding.column) == (1, 1)
    assert finding.edit is not None and finding.edit.merge == "helm" and finding.edit.path == ()
    shown, patch = yaml.safe_load(finding.fix), yaml.safe_load(finding.edit.patch)
    names = ["shared", "tmp", "cache"]
    for layer in (shown, patch):
        storage = layer["singleuser"]["storage"]
        assert [v["name"] for v in storage["extraVolumes"]] == names
        assert [m["name"] for m in storage["extraVolumeMounts"]] == names
    assert finding.fix.startswith(
        "# singleuser.storage.extraVolumes: your list, whole, the new entries last"
    )

    # The edit as a Helm values layer (`-f values.yaml -f fix.yaml`), spawned by the chart's hub.
    layer = tmp_path / "fix.yaml"
    layer.write_text(finding.edit.patch)
    hub = assert_same_pods(
        request.getfixturevalue("hubs"), [path, layer], chart_version, tmp_path / "m"
    )
    [spawned] = hub["spawns"]
    volumes = {v["name"] for v in spawned["pod"]["spec"]["volumes"]}
    assert {"shared", "tmp", "cache"} <= volumes
    [notebook] = [c for c in spawned["pod"]["spec"]["containers"] if c["name"] == "notebook"]
    assert "/home/shared" in {m["mountPath"] for m in notebook["volumeMounts"]}

    # `nblint fix` appends the new entries to the file's own lists.
    fixed = yaml.safe_load(_fix_with_nblint(path, finding.rule, "restricted").texts[str(path)])
    storage = fixed["singleuser"]["storage"]
    assert [v["name"] for v in storage["extraVolumes"]] == names
    assert [m["name"] for m in storage["extraVolumeMounts"]] == names


def test_a_volume_hint_for_a_map_stays_a_map() -> None:
    path = EITHER_FORM / "z2jh-extra-volumes-a-map.yaml"
    [finding] = run(path, select={"notebook-read-only-root-filesystem"}).findings
    assert finding.edit is not None
    for layer in (yaml.safe_load(finding.fix), yaml.safe_load(finding.edit.patch)):
        storage = layer["singleuser"]["storage"]
        assert sorted(storage["extraVolumes"]) == ["cache", "tmp"]
        assert sorted(storage["extraVolumeMounts"]) == ["cache", "tmp"]
    merged = helm_merge(yaml.safe_load(path.read_text()), yaml.safe_load(finding.edit.patch))
    assert sorted(merged["singleuser"]["storage"]["extraVolumes"]) == ["cache", "shared", "tmp"]


#: Fixture → the hint's values (the z2jh root's, or the override's) that fix its runAsUser: 0.
UID_HINTS = {
    "z2jh-container-run-as-user-0": {
        "hub": {"config": {"KubeSpawner": {"container_security_context": {"runAsUser": 1000}}}}
    },
    "z2jh-container-run-as-user-0-in-a-profile": {
        "container_security_context": {"runAsUser": 1000}
    },
    "z2jh-container-run-as-user-0-in-extra-container-config": {"runAsUser": 1000},
    "z2jh-singleuser-uid-0": {"singleuser": {"uid": 1000}},
    "z2jh-uid-0-in-a-profile": {"uid": 1000},
}


@pytest.mark.parametrize("name", sorted(UID_HINTS))
def test_a_run_as_user_hint_changes_the_key_that_wrote_the_0(name: str) -> None:
    """The uid trait (singleuser.uid, an override's uid) fixes a runAsUser: 0 it wrote, but not
    one a container_security_context or extra_container_config securityContext writes over it."""
    path = CONTAINER_LEVEL / f"{name}.yaml"
    [finding] = [
        f for f in _the_finding(path, "run-as-user", "restricted") if f.container == "notebook"
    ]
    assert yaml.safe_load(finding.fix or "") == UID_HINTS[name]
