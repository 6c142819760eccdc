"""A hint that turns the user pods' NetworkPolicy back on (the replacement for the chart's
``blockWithIptables``) says so where the values switch it off themselves
(``singleuser.networkPolicy.enabled: false``): a cluster without a NetworkPolicy controller
enforces nothing (field test 14a, design comment 3). Where the values leave it to the chart,
the hint is as before."""

from __future__ import annotations

from conftest import FIXTURES, run

NETPOL_OFF = FIXTURES / "z2jh" / "netpol-off"
SAID = (
    "# the input switches NetworkPolicy off (network-policy-switched-off.yaml:6:\n"
    "# singleuser.networkPolicy.enabled: false); this turns it back on, and a cluster without a\n"
    "# NetworkPolicy controller enforces nothing (the metadata server stays reachable once\n"
    "# blockWithIptables is false)\n"
)


def test_the_hint_that_turns_network_policy_back_on_says_the_input_switched_it_off() -> None:
    found = [
        f
        for f in run(NETPOL_OFF / "network-policy-switched-off.yaml").findings
        if f.container == "block-cloud-metadata"
    ]
    assert [(f.rule, f.line, f.applicability) for f in found] == [
        ("allow-privilege-escalation", 3, "unsafe"),
        ("capabilities-restricted", 3, "unsafe"),
        ("capabilities-restricted", 3, "unsafe"),
        ("privileged", 3, "unsafe"),
        ("run-as-non-root", 3, "unsafe"),
        ("run-as-user", 3, "unsafe"),
        ("seccomp-profile-restricted", 3, "safe"),
    ]
    for finding in found:
        if "networkPolicy" in (finding.fix or ""):
            assert (finding.fix or "").startswith(SAID), finding.rule
            assert "    enabled: true\n" in (finding.fix or "")


def test_values_that_leave_network_policy_to_the_chart_get_the_hint_as_before() -> None:
    found = [
        f
        for f in run(FIXTURES / "z2jh" / "openshift" / "uid-null-not-openshift.yaml").findings
        if "networkPolicy" in (f.fix or "")
    ]
    assert all("switches NetworkPolicy off" not in (f.fix or "") for f in found)
