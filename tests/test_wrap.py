"""nblint's own comment wrapping is :func:`textwrap.wrap` with ``break_on_hyphens=False``
(nblint.model.wrap avoids importing textwrap on a plain check): the same lines for every text."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from nblint.model.wrap import wrap

WORDS = st.text(
    alphabet=st.sampled_from(list("ab-_/:.`'\u00e9 \t\n\r\x0b\x0c\u00a0")), min_size=0, max_size=40
)


def _textwrap(text: str, width: int, indent: str) -> list[str]:
    return textwrap.wrap(
        text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(WORDS, max_size=30).map(" ".join),
    st.integers(min_value=3, max_value=40),
    st.sampled_from(["", "# ", "#"]),
)
def test_wrap_is_textwraps(text: str, width: int, indent: str) -> None:
    assert wrap(text, width, indent) == _textwrap(text, width, indent)


def test_a_word_longer_than_a_line_fills_the_line_it_starts_on() -> None:
    text = "unsafe: see /a/very/long/path/that/is/longer/than/the/line.yaml:6 (and more)"
    assert wrap(text, 30, "# ") == _textwrap(text, 30, "# ")
    assert wrap(text, 30, "# ")[0] == "# unsafe: see /a/very/long/pat"
