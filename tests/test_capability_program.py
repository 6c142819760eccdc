"""nblint's reader of the capability programs a command line runs (``podview.capability_program``,
written out to spare a cold start compiling a pattern) finds what this regular expression finds,
on generated command lines."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from nblint.check.podview import capability_program

PATTERN = re.compile(
    r"(?:^|[;&|(`]|\b(?:then|do|sudo|exec))\s*(?:/[\w./-]*/)?"
    r"(setcap|mount|iptables-restore|iptables|ip6tables)(?![\w.-])"
)
PIECES = st.sampled_from(
    [
        "mount",
        "umount",
        "setcap",
        "iptables",
        "iptables-restore",
        "iptables-save",
        "ip6tables",
        "/sbin/",
        "/usr/sbin/",
        "/",
        "//",
        "sudo",
        "then",
        "do",
        "exec",
        "undo",
        ";",
        "&&",
        "|",
        "(",
        "`",
        " ",
        "  ",
        "\t",
        "\n",
        "-t nat",
        "x",
        "_",
        ".",
        "-",
        "mnt",
        "é",
    ]
)


def _expected(text: str) -> str | None:
    found = PATTERN.search(text)
    return found.group(1) if found else None


@settings(max_examples=5000, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
def test_it_finds_what_the_pattern_finds(text: str) -> None:
    assert capability_program(text) == _expected(text)


def test_examples() -> None:
    assert capability_program("iptables -t nat -A OUTPUT") == "iptables"
    assert capability_program("set -e; /sbin/iptables-restore < rules") == "iptables-restore"
    assert capability_program("/iptables -L") is None  # (a directory is `/…/`)
    # One start, two programs: the pattern's greedy directory reaches the later one.
    assert capability_program("/sbin/mount/sbin/iptables") == "iptables"
    assert capability_program("ls /mnt/mount") is None
    assert capability_program("sudo mount -t nfs a b && setcap x") == "mount"
