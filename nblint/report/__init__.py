"""Stage 5: print findings. One module per output format, each exposing ``render(...)``."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github")


def highlighted(source_line: str, column: int) -> str:
    """The text a finding at ``column`` (1-based) points at: the key and its value.

    It stops before a trailing comment, and — inside a flow mapping or list
    (``{runAsUser: 0, privileged: true}``) — at the comma or bracket that ends the entry, so
    every reporter underlines the same span: the one a fix must touch.
    """
    text = source_line.rstrip("\n")[max(column - 1, 0) :]
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
