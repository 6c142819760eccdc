"""Fix hints that set the notebook user, group or HOME say whether the image's or assumed.

For an image the notebook-images table does not know, nblint cannot know its user or HOME: the
hints take the jupyter docker-stacks' numbers (1000:100, /home/jovyan) and say so, instead of
calling them the image's: any non-root uid and any group (nothing makes them the docker-stacks').
The read-only-root hint assumes no HOME: it asks for a volume at HOME first, which holds ~/.cache.
"""

from __future__ import annotations

from conftest import FIXTURES, run

IMAGES = FIXTURES / "images"
RULES = {
    "run-as-non-root",
    "notebook-run-as-user",
    "notebook-read-only-root-filesystem",
}


def hints(name: str) -> list[tuple[str, int, str | None, str]]:
    result = run(IMAGES / name, select=RULES)
    return [(f.rule, f.line, f.profile, f.fix or "") for f in result.findings]


def test_hints_for_an_image_nblint_does_not_know_say_what_they_assume() -> None:
    found = hints("unknown-image-custom-home.yaml")
    assert [entry[:3] for entry in found] == [
        ("notebook-read-only-root-filesystem", 10, None),
        ("notebook-run-as-user", 10, None),
        ("run-as-non-root", 10, None),
    ]
    fixes = "\n".join(entry[3] for entry in found)
    assert "the image's" not in fixes
    # HOME itself wants a volume first (shown, not applied): ~/.cache is in it, and no
    # docker-stacks HOME is assumed for a mount of its own (field test 17b D2).
    assert found[0][3].startswith(
        "# first mount a volume of your own at HOME (see notebook-home-persistent): on a "
        "read-only\n"
        "# root, the server could not write its home\n"
        "# (nblint does not know this image's HOME: its ~/.cache is in that volume)\n"
    )
    assert "jovyan" not in found[0][3]
    assert "cache" not in found[0][3].replace("~/.cache", "")
    assert (
        "runAsUser: 1000   # assumed: any non-root uid; check that this container's image runs "
        "as it\n"
        "    runAsGroup: 100   # assumed: any group; check that this container's image runs as it"
    ) in found[1][3]
    assert (
        "runAsUser: 1000     # assumed: any non-root uid; check that this container's image runs "
        "as it" in (found[2][3])
    )


def test_hints_for_a_known_image_give_its_own_user() -> None:
    found = hints("known-image-user.yaml")
    assert [entry[:3] for entry in found] == [
        ("notebook-read-only-root-filesystem", 9, None),
        ("notebook-run-as-user", 9, None),
        ("run-as-non-root", 9, None),
    ]
    assert "mountPath: /home/jovyan/.cache\n" in found[0][3]
    assert (
        "runAsUser: 1000   # jovyan, the image's notebook user\n"
        "    runAsGroup: 100   # the image's notebook group"
    ) in found[1][3]
    assert "runAsUser: 1000     # jovyan, the image's notebook user" in found[2][3]


def test_an_image_s_passwd_home_holds_only_for_its_own_uid() -> None:
    result = run(
        IMAGES / "passwd-home-image-run-as-another-uid.yaml",
        select={"notebook-home-persistent", "notebook-read-only-root-filesystem"},
    )
    found = [(f.rule, f.line, f.object) for f in result.findings]
    assert found == [
        ("notebook-read-only-root-filesystem", 12, "Pod/torch-as-1000"),
        ("notebook-home-persistent", 22, "Pod/torch-as-root"),
        ("notebook-read-only-root-filesystem", 22, "Pod/torch-as-root"),
    ]
    as_1000, home_of_root, as_root = result.findings
    # Field test 8b D6: no docker-stacks HOME is assumed for an image the table knows; the hint
    # mounts the paths its row says it writes.
    assert "/home/jovyan" not in (as_1000.fix or "")
    assert "# nblint does not know this image's HOME for this uid" in (as_1000.fix or "")
    assert "mountPath: /workspace\n" in (as_1000.fix or "")
    assert home_of_root.message.startswith("nothing persistent is mounted at /root")
    assert "mountPath: /root/.cache\n" in (as_root.fix or "")
