"""``--jobs N`` gives the same report as a serial run, Kubeflow files included."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES

from nblint.cli import main
from nblint.run.parallel import chunks

POD = "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}}}\nspec:\n  hostPID: {pid}\n"
NOTEBOOK = (
    "apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata: {{name: n{i}, namespace: team}}\n"
    "spec:\n  template:\n    spec:\n      containers: [{{name: n{i}, image: jupyter/base}}]\n"
)


def _tree(root: Path) -> Path:
    for i in range(60):
        text = NOTEBOOK if i % 7 == 0 else POD
        (root / f"{i:03d}.yaml").write_text(text.format(i=i, pid=str(i % 2 == 0).lower()))
    (root / "broken.yaml").write_text("a: [\n")
    return root


def _report(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--format", "json", *args])
    return result.exit_code, result.stdout


def test_jobs_report_is_identical_to_the_serial_one(tmp_path: Path) -> None:
    tree = str(_tree(tmp_path))
    serial = _report(tree)
    assert serial[0] == 1
    assert _report("--jobs", "2", tree) == serial
    assert _report("--jobs", "0", tree) == serial


def test_kubeflow_files_share_one_chunk_and_order_is_kept(tmp_path: Path) -> None:
    tree = _tree(tmp_path)
    paths = sorted(str(p) for p in tree.glob("*.yaml"))
    cut = chunks(paths, 4)
    assert cut[0] == [p for p in paths if "kubeflow.org" in Path(p).read_text()]
    assert [p for chunk in cut[1:] for p in chunk] == [p for p in paths if p not in cut[0]]


def test_jobs_with_hostile_inputs() -> None:
    hostile = str(FIXTURES / "hostile")
    assert _report("--jobs", "2", hostile) == _report(hostile)


def test_the_index_prefilter_finds_a_file_exactly_when_a_marker_is_in_it() -> None:
    """The first phase reads a file whole only when it holds an index marker; the prefilter that
    looks for the markers' shared words first must answer as asking each marker would."""
    from nblint.dialects.registry import DIALECTS
    from nblint.run.pipeline import _index_prefilter

    markers = [m for d in DIALECTS for m in d.index_markers]
    may_index = _index_prefilter()
    texts = (
        [path.read_text(errors="replace") for path in sorted(FIXTURES.rglob("*.yaml"))]
        + [f"x: 1\n{marker}\n" for marker in markers]
        + ["seccompProfile: {type: RuntimeDefault}"]
    )
    assert [may_index(t) for t in texts] == [any(m in t for m in markers) for t in texts]
    assert sum(map(may_index, texts)) > len(markers)  # (the fixtures hold some too)


def test_a_service_in_another_chunk_still_exposes_a_server_with_its_token_off(
    tmp_path: Path,
) -> None:
    """Services are shared with every process only in a run where some file names a token
    option: then a NodePort Service in one chunk still makes the server of another an error."""
    tree = _tree(tmp_path)
    nodeport = (FIXTURES / "notebook-auth" / "token-off-nodeport.yaml").read_text()
    deployment, service = nodeport.split("---\n")
    (tree / "000-lab.yaml").write_text(deployment)
    (tree / "zzz-service.yaml").write_text(service)
    serial = _report(str(tree))
    found = [
        (f["rule"], f["severity"], Path(f["file"]).name)
        for f in json.loads(serial[1])["findings"]
        if f["rule"] == "notebook-authentication"
    ]
    assert found == [("notebook-authentication", "error", "000-lab.yaml")]
    assert _report("--jobs", "2", str(tree)) == serial
