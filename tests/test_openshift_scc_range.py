"""OpenShift's restricted-v2 SCC holds a workbench's runAsUser and fsGroup to its namespace's
range (field test 9b D5): a Notebook copied from upstream Kubeflow with ``runAsUser: 1000`` and
``fsGroup: 100`` is refused, and its StatefulSet never gets its pod. With the namespace's
``openshift.io/sa.scc.*`` annotations the range is known (an error); without, an id below
1000000000 is in no namespace's range, an error as well (field test 10b A8: as certain as the
SCC's other refusals, under the same assumption that the ServiceAccount has no other SCC)."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES, brief, run

from nblint.cli import main

D = FIXTURES / "kubeflow" / "scc-range"
RULE = "openshift-scc-range"
NAMESPACE = D / "namespace-workbenches-regular.yaml"


def test_without_the_namespace_an_id_below_the_allocations_is_an_error() -> None:
    found = run(D / "docker-stacks-uid-1000.yaml", select={RULE}).findings
    assert brief(found) == [(RULE, 16, 9), (RULE, 18, 9)]
    # Was a warning: but no namespace gets a range below 1000000000, so the refusal is as
    # certain as a hostPath's (openshift-scc-refused, an error with the same assumption).
    assert {f.severity for f in found} == {"error"}
    assert found[0].message == (
        "runAsUser 1000 is in no namespace's range: OpenShift allocates each namespace a range "
        "from 1000000000 up (openshift.io/sa.scc.uid-range), and its restricted-v2 SCC refuses a "
        "pod that sets an id outside it, unless its ServiceAccount may use another SCC "
        "(nonroot-v2, anyuid): the StatefulSet of Notebook/custom never gets its pod"
    )
    assert "(openshift.io/sa.scc.supplemental-groups)" in found[1].message
    # A docker-stacks image keeps its files for group 100: without the ids it breaks, so the
    # hint is advice.
    assert {f.applicability for f in found} == {"display-only"}


def test_with_the_namespace_the_range_decides_and_it_is_an_error() -> None:
    found = run(D / "docker-stacks-uid-1000.yaml", cluster=[NAMESPACE], select={RULE}).findings
    assert [(f.line, f.severity) for f in found] == [(16, "error"), (18, "error")]
    assert "outside namespace workbenches-regular's range 1000680000/10000" in found[0].message


def test_ids_inside_the_range_pass_and_the_scc_drawn_uid_is_not_the_workbenchs() -> None:
    found = run(D / "odh-image-ids.yaml", cluster=[NAMESPACE], select={RULE}).findings
    assert [(f.line, f.container, f.applicability) for f in found] == [(24, "helper", "unsafe")]
    # Without the namespace, ids above 1000000000 may be its range: nothing to say.
    assert run(D / "odh-image-ids.yaml", select={RULE}).findings == []


def test_an_upstream_notebook_is_not_judged_by_the_scc() -> None:
    found = run(D / "docker-stacks-uid-1000.yaml", select={RULE}, kubeflow_distribution="kubeflow")
    assert found.findings == []


def test_the_fix_leaves_the_id_to_the_scc(tmp_path: Path) -> None:
    copy = tmp_path / "odh-image-ids.yaml"
    shutil.copy(D / "odh-image-ids.yaml", copy)
    context = ["--cluster-context", str(NAMESPACE)]
    result = CliRunner().invoke(main, ["fix", "--unsafe-fixes", str(copy), *context])
    assert result.exit_code in (0, 1), result.output
    assert "1000700000" not in copy.read_text()
    assert run(copy, cluster=[NAMESPACE], select={RULE}).findings == []
