"""A user's ``singleuser.networkPolicy.egress`` rule that lets notebooks reach the cloud metadata
server again (field test 7a, D8): z2jh appends those rules to the singleuser NetworkPolicy
(4.4.0 ``_helpers-netpol.tpl``), NetworkPolicy rules add up, and one to ``0.0.0.0/0`` without
``except: [169.254.169.254/32]`` opens what ``egressAllowRules.cloudMetadataServer: false`` keeps
closed. Only a rule that surely lets TCP 80 through to the IP counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, brief, run

CASES = FIXTURES / "z2jh" / "netpol-egress"


def _found(name: str) -> list:
    return run(CASES / name, select={"notebook-cloud-metadata"}).findings


def test_a_rule_to_everywhere_reopens_the_metadata_server() -> None:
    [finding] = _found("to-everywhere.yaml")
    assert brief([finding]) == [("notebook-cloud-metadata", 6, 5)]
    assert finding.message == (
        "blockWithIptables is false and singleuser.networkPolicy.egress[0] lets notebooks reach "
        "the cloud metadata server (NetworkPolicy rules add up: what one allows, no other rule "
        "takes back)"
    )
    assert finding.applicability == "display-only"
    assert "except: [169.254.169.254/32]" in (finding.fix or "")


@pytest.mark.parametrize(
    ("name", "index"),
    [("every-destination-on-port-80.yaml", 1), ("link-local-block.yaml", 1)],
)
def test_a_rule_that_surely_lets_port_80_through_is_named(name: str, index: int) -> None:
    [finding] = _found(name)
    assert f"singleuser.networkPolicy.egress[{index}] " in finding.message


@pytest.mark.parametrize(
    "name",
    [
        "to-everywhere-but-the-metadata-ip.yaml",
        "everywhere-on-https-only.yaml",
        "to-pods-only.yaml",
        "iptables-block-kept.yaml",
    ],
)
def test_a_rule_that_keeps_the_metadata_server_out_passes(name: str) -> None:
    assert _found(name) == []


def test_dropping_the_iptables_block_is_advice_where_a_user_rule_lets_the_metadata_server_in() -> (
    None
):
    # The chart's NetworkPolicy that the hint leans on would not keep it out: the pod would be
    # worse than with the privileged init container.
    found = run(CASES / "iptables-block-kept.yaml", select={"privileged"}).findings
    [finding] = [f for f in found if f.container == "block-cloud-metadata"]
    assert "blockWithIptables: false" in (finding.fix or "")
    assert finding.applicability == "display-only"
    assert finding.edit is None


def test_dropping_the_iptables_block_is_a_fix_where_no_user_rule_lets_it_in(
    tmp_path: Path,
) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("singleuser:\n  networkPolicy:\n    egress:\n      - ports: [{port: 443}]\n")
    found = run(path, select={"privileged"}).findings
    [finding] = [f for f in found if f.container == "block-cloud-metadata"]
    assert finding.applicability == "unsafe"
