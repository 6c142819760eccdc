"""Several replicas of a workload mounting one ReadWriteOnce claim at home (field test 10b A10):
one node attaches the volume, and the replicas that start share one home."""

from __future__ import annotations

from conftest import FIXTURES, brief, run

D = FIXTURES / "manifests" / "replicas-share-home"
RULE = "notebook-home-replicas-share-claim"


def test_three_replicas_on_one_rwo_home_claim_are_said_at_replicas() -> None:
    path = D / "three-replicas-one-rwo-claim.yaml"
    found = run(path, select={RULE}).findings
    assert brief(found) == [(RULE, 6, 3)]
    [finding] = found
    assert finding.severity == "warning"
    assert finding.message == (
        f"3 replicas mount the ReadWriteOnce claim shared-home (at {path}:21) at /home/jovyan of "
        "container nb: one node attaches it, so a replica on another node never starts "
        "(Multi-Attach error), and those that start share one home"
    )
    assert finding.applicability == "display-only"
    assert (finding.fix or "").startswith("spec:\n  replicas: 1")


def test_rwx_an_unseen_claim_or_one_replica_is_not_judged() -> None:
    result = run(D / "not-judged.yaml", select={RULE})
    assert len(result.pods) == 3
    assert result.findings == []
