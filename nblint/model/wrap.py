"""Text wrapped into comment lines, as :func:`textwrap.wrap` wraps it with
``break_on_hyphens=False`` (its other options at their defaults), without importing
:mod:`textwrap`: its import compiles regular expressions a plain ``nblint check`` of one file
would pay for one comment (about 4.5 M instructions, 1.4 % of that run). The test holds the two
equal on generated texts.
"""

from __future__ import annotations

from itertools import groupby

#: What ``textwrap`` takes for whitespace (its ``_whitespace``), each char made a space.
_WHITESPACE = "\t\n\x0b\x0c\r "
_TO_SPACE = {ord(char): " " for char in _WHITESPACE}


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=indent,
    break_on_hyphens=False)``."""
    # Runs of spaces and runs of the rest (its whitespace is all spaces once translated), as
    # textwrap splits them; no pattern to compile on a cold start.
    chunks = [
        "".join(run) for _, run in groupby(text.expandtabs().translate(_TO_SPACE), " ".__eq__)
    ]
    chunks.reverse()
    room = width - len(indent)
    lines: list[str] = []
    while chunks:
        line: list[str] = []
        used = 0
        if chunks[-1].strip() == "" and lines:
            del chunks[-1]  # (a line starts with no space, but the first)
        while chunks and used + len(chunks[-1]) <= room:
            used += len(chunks[-1])
            line.append(chunks.pop())
        if chunks and len(chunks[-1]) > room:
            # A word longer than a line fills what is left of this one.
            left = 1 if room < 1 else room - used
            line.append(chunks[-1][:left])
            chunks[-1] = chunks[-1][left:]
        if line and line[-1].strip() == "":
            del line[-1]
        if line:
            lines.append(indent + "".join(line))
    return lines
