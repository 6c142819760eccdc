"""Every reporter underlines the same span: the key and value a finding points at."""

from __future__ import annotations

import pytest

from nblint.report import highlighted


@pytest.mark.parametrize(
    ("line", "column", "span"),
    [
        ("    privileged: true", 5, "privileged: true"),
        ("    privileged: true  # reviewed", 5, "privileged: true"),
        ("  securityContext: {runAsUser: 0, privileged: true}", 21, "runAsUser: 0"),
        ("  securityContext: {runAsUser: 0, privileged: true}", 35, "privileged: true"),
        ("  add: [NET_ADMIN, SYS_TIME]", 9, "NET_ADMIN"),
        ('  image: "registry/a:1 # not a comment"', 3, 'image: "registry/a:1 # not a comment"'),
        ("  tag: a#b", 3, "tag: a#b"),
    ],
)
def test_span(line: str, column: int, span: str) -> None:
    assert highlighted(line, column) == span
