"""Fix hints that must change the pod, and never make one the API server refuses (field test 5a:
D3, D5, D10, D13, D14, D15).

- A hint goes where the last writer of its trait for the pod is: an option choice's override over
  its profile's, either over the chart's keys (D13 tolerations, D14 volumes).
- A note that says nothing is to be done carries no edit (D5).
- What only hub.extraConfig's Python writes is advice, never an edit into the code (D15).
- A moved securityContext keeps each field at its level (D3).
- No fix makes a container with a Bidirectional mount unprivileged, and check reports such a
  container as refused (D10).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, brief
from test_fix import findings_of, fixed_text

from nblint.cli import main
from nblint.fix.apply import FixError, apply_edit
from nblint.model.edit import HELM, Edit

HINTS = FIXTURES / "fix" / "z2jh-hints"


def _copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    target.write_text((HINTS / name).read_text())
    return target


# D5 ---------------------------------------------------------------------------------------


def test_a_gke_toleration_note_shows_its_snippet_and_offers_no_fix() -> None:
    path = HINTS / "gke-gpu-note.yaml"
    found = findings_of("notebook-gpu-toleration", path)
    assert [(f.severity, f.applicability, f.edit) for f in found] == [
        ("info", "display-only", None)
    ]
    assert "tolerations:" in (found[0].fix or "")
    result = CliRunner().invoke(
        main,
        ["fix", "--diff", "--unsafe-fixes", "--select", "notebook-gpu-toleration", str(path)],
        catch_exceptions=False,
    )
    assert result.output.strip().startswith("nblint: would fix 0 findings in 0 files;")
