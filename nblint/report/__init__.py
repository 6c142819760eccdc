"""Stage 5: print findings. One module per output format, each a :data:`Formatter`.

A format is a function ``write(report, stream)`` over a :class:`nblint.model.result.Report`,
found in :data:`FORMATS` by name and imported only when it is used.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Callable
from functools import cache

from nblint.model.result import Report

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO

    #: ``write(report, stream)``: every output format implements this.
    Formatter = Callable[[Report, IO[str]], None]

#: Format name → the module that writes it (its ``write`` function).
FORMATS = {
    "text": "nblint.report.text",
    "concise": "nblint.report.concise",
    "json": "nblint.report.json_report",
    "sarif": "nblint.report.sarif",
    "github": "nblint.report.github",
}


def formatter(name: str) -> Formatter:
    """The ``write`` function of format ``name`` (one of :data:`FORMATS`)."""
    module = FORMATS[name]
    __import__(module)  # not importlib.import_module (see nblint/__init__.py)
    write: Formatter = sys.modules[module].write
    return write


#: Characters that act on a terminal or log viewer instead of showing (C0/C1 controls but tab
#: and newline, DEL, bidirectional overrides): shown escaped, as ``\x1b`` or ``\u202e``.
_ACTING = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
}


def printable(text: str) -> str:
    """``text`` safe to print: names and values come from the input, and an escape sequence in
    a container name must not clear a reviewer's terminal or rewrite a CI log."""
    return text.translate(_ACTING)


#: The longest span a finding underlines: on a one-line JSON document the entry at a column can
#: run to the end of a very long line, and each finding must cost the same whatever the line.
MAX_SPAN = 200


def highlighted(source_line: str, column: int) -> str:
    """The text a finding at ``column`` (1-based) points at: the key and its value.

    It stops before a trailing comment, and — inside a flow mapping or list
    (``{runAsUser: 0, privileged: true}``) — at the comma or bracket that ends the entry, so
    every reporter underlines the same span: the one a fix must touch. At most
    :data:`MAX_SPAN` characters.
    """
    start = max(column - 1, 0)
    text = source_line[start : start + MAX_SPAN].rstrip("\n")
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            if depth == 0:
                return text[:index].rstrip()
            depth -= 1
        elif (char == "," and depth == 0) or (
            char == "#" and (index == 0 or text[index - 1] in " \t")
        ):
            return text[:index].rstrip()
    return text.rstrip()


#: Where ``str.splitlines`` cuts a text (``\r\n`` counts once).
@cache
def _line_break() -> re.Pattern[str]:
    return re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class SourceLines:
    """The lines of an input as ``str.splitlines`` cuts them, without a list of them: two
    arrays of offsets, built on first use (an input may be millions of lines, and reports ask
    for a handful of them)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: array[int] | None = None
        self._ends: array[int] = array("q")

    def _index(self) -> array[int]:
        if self._starts is None:
            starts, ends = array("q", [0]), self._ends
            for match in _line_break().finditer(self.text):
                ends.append(match.start())
                starts.append(match.end())
            if starts[-1] == len(self.text):  # no line after a final break
                starts.pop()
            else:
                ends.append(len(self.text))
            self._starts = starts
        return self._starts

    def __len__(self) -> int:
        return len(self._index())

    def line(self, number: int) -> str | None:
        """Line ``number`` (1-based), or None past either end."""
        starts = self._index()
        if not 1 <= number <= len(starts):
            return None
        return self.text[starts[number - 1] : self._ends[number - 1]]


def source_lines(texts: dict[str, str]) -> Callable[[str], SourceLines]:
    """``lines(file)``: the :class:`SourceLines` of each input, made once per file."""
    made: dict[str, SourceLines] = {}

    def lines(file: str) -> SourceLines:
        found = made.get(file)
        if found is None:
            found = made[file] = SourceLines(texts.get(file, ""))
        return found

    return lines
