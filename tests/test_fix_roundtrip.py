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


@pytest.mark.parametrize(("rule_id", "dialect"), CASES, ids=[f"{r}-{d}" for r, d in CASES])
def test_fix_hint_makes_the_finding_go_away(tmp_path: Path, rule_id: str, dialect: str) -> None:
    fixture = FIXES / dialect / f"{rule_id}.yaml"
    before = run(fixture)
    broken = [f for f in before.findings if f.rule == rule_id]
    assert broken, f"{fixture.name} does not break {rule_id}"
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
