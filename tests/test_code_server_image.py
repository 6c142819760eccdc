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


def test_code_server_s_home_gets_the_image_s_group() -> None:
    # Field test 8b D9: fsGroup from the table's gid (coder's 1000), as runAsGroup already was.
    findings = run(FIXTURES / "images" / "codercom-code-server-home-claim.yaml").findings
    [writable] = [f for f in findings if f.rule == "notebook-home-writable"]
    assert writable.fix == (
        "spec:\n"
        "  template:\n"
        "    spec:\n"
        "      securityContext:\n"
        "        fsGroup: 1000   # the image's notebook group"
    )


LINUXSERVER = FIXTURES / "images" / "linuxserver-code-server.yaml"


def test_linuxserver_code_server_is_in_the_table_as_a_root_start() -> None:
    # Field test 8b D1b: ghcr.io/linuxserver/code-server starts s6 as root (PUID/PGID, chown of
    # /config, s6-setuidgid abc): known, root's, so no drop ALL is safe and no uid is applied.
    findings = {f.rule: f for f in run(LINUXSERVER).findings}
    assert "notebook-image-unknown" not in findings
    assert findings["capabilities-restricted"].applicability == "unsafe"
    assert (findings["capabilities-restricted"].fix or "").startswith(
        "# unsafe: code-server runs as root, and drop ALL"
    )
    assert findings["run-as-non-root"].applicability == "display-only"
    assert "runs as root" in (findings["run-as-non-root"].fix or "")
    # HOME is /config (the image's ENV): that is where the work is lost.
    assert findings["notebook-home-persistent"].message.startswith(
        "nothing persistent is mounted at /config"
    )
    # As root, its start rewrites /etc/passwd and /etc/group: no read-only root.
    assert findings["notebook-read-only-root-filesystem"].applicability == "display-only"
    assert "/etc" in (findings["notebook-read-only-root-filesystem"].fix or "")


def test_other_linuxserver_images_share_its_start() -> None:
    from nblint.check import images

    entry = images.lookup("lscr.io/linuxserver/webtop:latest")
    assert entry is not None and (entry["id"], entry["uid"], entry["starts_as_root"]) == (
        "linuxserver",
        0,
        True,
    )
    assert images.lookup("lscr.io/linuxserver/code-server:4.93.1")["id"] == (
        "linuxserver-code-server"
    )


def test_linuxserver_s_root_start_gives_its_home_claim_to_the_user() -> None:
    # Field test 10b A2: notebook-home-writable said "permission denied" and proposed fsGroup
    # 100 (docker-stacks' group), though the init chowns /config to PUID/PGID as root.
    path = FIXTURES / "images" / "linuxserver-code-server-config-claim.yaml"
    assert run(path, select={"notebook-home-writable"}).findings == []


def test_linuxserver_run_non_root_needs_fs_group_of_its_pgid() -> None:
    path = FIXTURES / "images" / "linuxserver-code-server-config-claim-non-root.yaml"
    (found,) = run(path, select={"notebook-home-writable"}).findings
    assert (found.line, found.column) == (13, 7)
    assert (found.fix or "").endswith(
        "fsGroup: 1000   # PGID, the group the image's start gives HOME to"
    )
