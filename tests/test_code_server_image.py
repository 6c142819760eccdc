"""coder/code-server's image is in the notebook-images table: its hints use its own user and
HOME, not docker-stacks' assumed ones (field test 7b, item 12)."""

from __future__ import annotations

from conftest import FIXTURES, run

CASE = FIXTURES / "images" / "codercom-code-server.yaml"


def test_code_server_hints_use_its_own_user_and_home() -> None:
    findings = run(CASE).findings
    assert "notebook-image-unknown" not in {f.rule for f in findings}
    [user] = [f for f in findings if f.rule == "notebook-run-as-user"]
    assert "runAsUser: 1000   # coder, the image's notebook user" in (user.fix or "")
    [read_only] = [f for f in findings if f.rule == "notebook-read-only-root-filesystem"]
    assert "mountPath: /home/coder/.cache" in (read_only.fix or "")
    assert "jovyan" not in " ".join(f.fix or "" for f in findings)
    assert "assumed" not in " ".join(f.fix or "" for f in findings)
